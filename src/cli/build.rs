//! `dayopps build`, and how every command shows the problems it found.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};

use dayopps::build::{self, BuildError, BuildOptions, shown};
use dayopps::diagnostics::{Diagnostics, Format};
use dayopps::text::plural;

use super::REMOVE_LEFTOVERS;

pub(super) fn build_command(options: BuildOptions) -> Result<()> {
    let started = Instant::now();
    let dest = options.output_dir();
    // Only these are printed: the rest are counted, and their files need not be kept.
    let options = BuildOptions {
        warnings_kept: Some(WARNINGS_SHOWN),
        ..options
    };
    match build::build(&options) {
        Ok(mut built) => {
            remove_leftovers(std::mem::take(&mut built.leftovers));
            let _t = dayopps::timings::span("report");
            print_diagnostics(&built.diagnostics);
            if let Some(note) = built.theme.unminifiable_note() {
                eprintln!("{note}");
            }
            eprintln!(
                "Built {} and {} into {} in {:.2}s{}",
                plural(built.site.listings.len(), "service"),
                plural(built.output.files.len(), "file"),
                shown(&dest),
                started.elapsed().as_secs_f64(),
                match built.diagnostics.warning_count() {
                    0 => String::new(),
                    n => format!(" ({})", plural(n, "warning")),
                }
            );
            // The process ends here: freeing the site's model piece by piece would take a
            // tenth of a second at 10,000 listings, for memory the system takes back at once.
            std::mem::forget(built);
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

/// The site a build replaced, and what earlier builds left, removed by another process where
/// it can be (`tuning::detached_removal`), else here.
fn remove_leftovers(leftovers: Vec<dayopps::write::Leftover>) {
    let folders: Vec<PathBuf> = leftovers
        .into_iter()
        .map(dayopps::write::Leftover::into_path)
        .collect();
    if folders.is_empty()
        || dayopps::tuning::detached_removal::hand_over(&folders, REMOVE_LEFTOVERS)
    {
        return;
    }
    for folder in &folders {
        // Best effort: the new site is in place; a later build tries again.
        let _ = dayopps::write::remove_leftover(folder);
    }
}

pub(super) fn colour(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The most warnings a command other than `check` prints: a generated or imported directory
/// can have tens of thousands, which would bury the errors and slow the build.
const WARNINGS_SHOWN: usize = 20;

/// Every error, and the first warnings; `dayopps check` lists them all.
pub(super) fn print_diagnostics(diagnostics: &Diagnostics) {
    let (shown, hidden) = diagnostics.with_warnings_up_to(WARNINGS_SHOWN);
    eprint!(
        "{}",
        shown.render(Format::Human, colour(&std::io::stderr()))
    );
    if hidden > 0 {
        eprintln!(
            "... and {}: `dayopps check` lists every one.\n",
            plural(hidden, "more warning")
        );
    }
}

/// Every folder is tried; the first failure is the one reported.
pub(super) fn remove_leftovers_command(folders: &[PathBuf]) -> Result<()> {
    let results: Vec<_> = folders
        .iter()
        .map(|f| dayopps::write::remove_leftover(f))
        .collect();
    Ok(results.into_iter().collect::<Result<(), _>>()?)
}
