//! `dayopps import oruk`: a feed read into draft listings.

use anyhow::Result;

use dayopps::build::{self, BuildOptions, shown};
use dayopps::text::plural;

use super::site::site_config;

/// The report of what did not map goes to stderr, one block a service.
pub(super) fn import_command(options: &BuildOptions, source: &str, max_pages: u64) -> Result<()> {
    let config = site_config(options)?;
    let limits = dayopps::import::Limits {
        max_pages,
        ..Default::default()
    };
    let bar = pages_bar();
    let mut progress = |done: u64, total: Option<u64>| {
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(done);
    };
    let read =
        dayopps::import::read_oruk_from(source, &config, build::today(), &limits, &mut progress);
    bar.finish_and_clear();
    let drafts = read?;
    let written = dayopps::import::write(&options.root, &drafts)?;
    for (draft, file) in drafts.iter().zip(&written) {
        let state = if draft.needs_review() {
            " (a draft: check it)"
        } else {
            ""
        };
        let name = match draft.name.as_str() {
            "" => "(a service with no name)",
            name => name,
        };
        eprintln!("{name}: {}{state}", shown(file));
        for line in draft.report() {
            eprintln!("  {line}");
        }
    }
    eprintln!("Imported {}.", plural(written.len(), "service"));
    Ok(())
}

/// Pages of a feed read so far, on stderr when it is a terminal (never in a log or a pipe).
fn pages_bar() -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    if let Ok(style) = ProgressStyle::with_template("Reading the feed: page {pos}/{len} {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}
