//! The command line: one function a command.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};

use dayopps::build::{self, BuildError, BuildOptions, plural, shown};
use dayopps::diagnostics::Diagnostics;

#[derive(Parser)]
#[command(
    name = "dayopps",
    version,
    about = "Build an accessible directory of day opportunities"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site from site.yaml, content/ and the theme into public/
    Build {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site is published at, instead of site.yaml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Include listings marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build_command(BuildOptions {
            root,
            output,
            base_url,
            drafts,
            today: None,
        }),
    }
}

fn build_command(options: BuildOptions) -> Result<()> {
    let started = Instant::now();
    let dest = options.output_dir();
    match build::build(&options) {
        Ok(built) => {
            print_diagnostics(&built.diagnostics);
            eprintln!(
                "Built {} and {} into {} in {:.2}s{}",
                plural(built.listings, "service"),
                plural(built.output.files.len(), "file"),
                shown(&dest),
                started.elapsed().as_secs_f64(),
                match built.diagnostics.warning_count() {
                    0 => String::new(),
                    n => format!(" ({})", plural(n, "warning")),
                }
            );
            Ok(())
        }
        Err(BuildError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let files: std::collections::BTreeSet<&str> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.file.name.as_str())
                .collect();
            bail!(
                "the build stopped: {} in {}. Nothing was written; {} is as it was.",
                plural(diagnostics.error_count(), "problem"),
                plural(files.len(), "file"),
                shown(&dest)
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics.iter() {
        eprint!("{}", d.render_graphical(colour));
    }
}
