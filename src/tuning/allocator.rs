//! The allocator of the `dayopps` binary (and of `examples/rebuild`, which times what it
//! does). Building a site makes and frees millions of small strings on several threads at
//! once, where mimalloc is markedly faster than the system allocator (bench/RESULTS.md).

pub use mimalloc::MiMalloc as Allocator;

/// mimalloc's option `mi_option_purge_delay`: its place in the `mi_option_t` enum of
/// mimalloc.h, which the Rust bindings do not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds freed memory is kept before it goes back to the system. At 10 ms, mimalloc
/// 2's default, a 1,000-listing build gave back 190 MB, and faulted most of it in again, in
/// 0.4 s: 6-7% of its time when this machine was busy, and 4% at 10,000 listings
/// (bench/RESULTS.md). Giving memory back also stops the other threads, to forget its pages.
/// Measured at d139e30, 500 ms against 100 ms: 1.5% less time at 1,000 listings for 3-4 MB
/// more at the peak (about 65 MiB), 2.5% less at 10,000 for 10-35 MB more (bench/RESULTS.md:
/// 308-311 MiB before, 325-347 MiB after). A second, mimalloc 3's default, added 45 MB at
/// 10,000 for no more speed.
const PURGE_AFTER_MS: std::ffi::c_long = 500;

/// Sets the allocator's defaults: call first thing in `main`. `MIMALLOC_PURGE_DELAY` in the
/// environment still wins, for whoever wants to try another value.
pub fn tune() {
    if !super::enabled() {
        return;
    }
    // SAFETY: sets one integer option's default, which mimalloc reads when it next purges.
    unsafe { libmimalloc_sys::mi_option_set_default(PURGE_DELAY, PURGE_AFTER_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_tuned_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() || !super::super::enabled() {
            return;
        }
        // mimalloc 3's default purge delay is 1,000 ms, which no option near it has: a wrong
        // place in the enum would read something else.
        // SAFETY: reads one integer option.
        let read = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(read(), 1000);
        tune();
        assert_eq!(read(), PURGE_AFTER_MS);
    }
}
