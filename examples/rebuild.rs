//! How long `dayopps serve` takes to rebuild after one listing is saved: builds the site at
//! ROOT in memory as serve does (with its search index opened and its live API ready), then
//! saves one listing with a changed summary again and again, timing each rebuild. Used by
//! bench/run.sh; prints one Markdown table row.
//!
//!     cargo run --release --example rebuild -- ROOT [TIMES]

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use dayopps::BuildOptions;
use dayopps::reuse::Reuse;
use dayopps::serve::prepare;

// As the `dayopps` binary allocates (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where serve would listen: only the links in the pages depend on it.
const ADDRESS: &str = "127.0.0.1:1111";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        bail!("usage: rebuild ROOT [TIMES]");
    };
    let times: usize = args.next().map_or(Ok(10), |t| t.parse())?;
    let options = BuildOptions::new(&root);
    let mut reuse = Reuse::new();
    let started = Instant::now();
    let (served, _) = prepare(&options, ADDRESS, &mut reuse)?;
    let first = started.elapsed();
    let listings = &served.site().listings;
    let listing = listings
        .get(listings.len() / 2)
        .context("the site has no listings")?;
    let path = root.join(&listing.source);
    let original = std::fs::read_to_string(&path)?;
    let mut samples = Vec::new();
    for i in 0..times {
        let edited = original.replacen("summary: ", &format!("summary: Edit {i}. "), 1);
        std::fs::write(&path, edited)?;
        let started = Instant::now();
        let served = prepare(&options, ADDRESS, &mut reuse)?;
        samples.push(started.elapsed());
        // Serve drops the site it served before after the new one is in place.
        drop(served);
    }
    std::fs::write(&path, original)?;
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "| {} | {:.0} ms | {:.0} ms | {:.0} ms |",
        listings.len(),
        first.as_secs_f64() * 1000.0,
        median.as_secs_f64() * 1000.0,
        samples[samples.len() - 1].as_secs_f64() * 1000.0
    );
    Ok(())
}
