use std::process::ExitCode;

use clap::Parser;

mod cli;

#[global_allocator]
static ALLOCATOR: dayopps::tuning::allocator::Allocator = dayopps::tuning::allocator::Allocator;

fn main() -> ExitCode {
    dayopps::tuning::allocator::tune();
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
