use std::process::ExitCode;

use clap::Parser;

mod cli;

// Building a site makes and frees millions of small strings on several threads at once, where
// mimalloc is markedly faster than the system allocator (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
