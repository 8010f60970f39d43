use clap::Parser;

mod cli;

fn main() {
    if let Err(error) = cli::run(cli::Cli::parse()) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
