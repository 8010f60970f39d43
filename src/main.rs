use std::process::ExitCode;

use clap::Parser;

mod cli;

#[global_allocator]
static ALLOCATOR: dayopps::alloc::Allocator = dayopps::alloc::Allocator;

fn main() -> ExitCode {
    dayopps::alloc::tune();
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
