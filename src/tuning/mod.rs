//! Tuning for the machine a build runs on, each trick measured, in one small module of its
//! own behind one function, and none needed for a correct site: ARCHITECTURE.md lists them
//! with their gains. `DAYOPPS_NO_TUNING=1` turns them all off (the allocator stays mimalloc,
//! with its own defaults), to measure what one is worth or to rule them out of a bug.

pub mod allocator;
pub mod detached_removal;
pub mod same_file;
pub mod top_folder;

use std::sync::OnceLock;

/// Whether the tricks here are on: they are unless `DAYOPPS_NO_TUNING` is set to something
/// other than `0` or nothing.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var("DAYOPPS_NO_TUNING").map_or(true, |v| v.is_empty() || v == "0")
    })
}
