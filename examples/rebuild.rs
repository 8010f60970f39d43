//! How long `dayopps serve` takes to rebuild after one listing is saved: builds the site at
//! ROOT in memory as serve does, then saves one listing with a changed summary again and
//! again, timing each rebuild until its pages are served, and until its search index, made
//! after them on a thread of its own, is ready too (the exports and the live API, made after
//! the pages on threads of their own, are waited for before the next save). As
//! serve's watcher does, it tells each rebuild which file was saved. Used by bench/run.sh;
//! prints one Markdown table row.
//!
//!     cargo run --release --example rebuild -- ROOT [TIMES]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use dayopps::BuildOptions;
use dayopps::load::Seen;
use dayopps::reuse::Reuse;
use dayopps::serve::prepare;

// As the `dayopps` binary allocates (src/alloc.rs).
#[global_allocator]
static GLOBAL: dayopps::tuning::allocator::Allocator = dayopps::tuning::allocator::Allocator;

/// Where serve would listen: only the links in the pages depend on it.
const ADDRESS: &str = "127.0.0.1:1111";

fn main() -> anyhow::Result<()> {
    dayopps::tuning::allocator::tune();
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        bail!("usage: rebuild ROOT [TIMES]");
    };
    let times: usize = args.next().map_or(Ok(10), |t| t.parse())?;
    if times == 0 {
        bail!("TIMES must be 1 or more");
    }
    let options = BuildOptions::new(&root);
    let mut reuse = Reuse::new();
    reuse.files.watch();
    let started = Instant::now();
    let (served, _) = prepare(&options, ADDRESS, &mut reuse)?;
    served.wait_for_search().map_err(anyhow::Error::msg)?;
    let first = started.elapsed();
    let listings = &served.site().listings;
    let listing = listings
        .get(listings.len() / 2)
        .context("the site has no listings")?;
    let path = root.join(&listing.source);
    let original = std::fs::read_to_string(&path)?;
    let mut pages = Vec::new();
    let mut search = Vec::new();
    for i in 0..times {
        let edited = original.replacen("summary: ", &format!("summary: Edit {i}. "), 1);
        std::fs::write(&path, edited)?;
        let started = Instant::now();
        reuse.files.tell(Seen::Paths(vec![listing.source.clone()]));
        let served = prepare(&options, ADDRESS, &mut reuse)?;
        pages.push(started.elapsed());
        served.0.wait_for_search().map_err(anyhow::Error::msg)?;
        search.push(started.elapsed());
        // The exports and the live API are made after the pages too: the next save must not
        // find them still being made.
        served.0.wait_for_exports().map_err(anyhow::Error::msg)?;
        served.0.wait_for_api().map_err(anyhow::Error::msg)?;
        // Serve drops the site it served before after the new one is in place.
        drop(served);
    }
    std::fs::write(&path, original)?;
    pages.sort();
    search.sort();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {} | {} | {} | {} | {} |",
        listings.len(),
        ms(first),
        ms(pages[times / 2]),
        ms(pages[times - 1]),
        ms(search[times / 2]),
    );
    Ok(())
}
