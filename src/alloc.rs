//! The allocator of the `dayopps` binary (and of `examples/rebuild`, which times what it
//! does). Building a site makes and frees millions of small strings on several threads at
//! once, where mimalloc is markedly faster than the system allocator (bench/RESULTS.md).

pub use mimalloc::MiMalloc as Allocator;

/// mimalloc's option `mi_option_purge_delay`: its place in the `mi_option_t` enum of
/// mimalloc.h, which the Rust bindings do not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds freed memory is kept before it goes back to the system. mimalloc 3 keeps it
/// for a second, during which a 1,000-listing build's peak grows by some 15 MB (a quarter);
/// 10 ms, mimalloc 2's default, gives it back while the build goes on, at little cost.
const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// Sets the allocator's options: call first thing in `main`.
pub fn tune() {
    // SAFETY: sets one integer option, which mimalloc reads when it next purges.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // mimalloc 3's default purge delay is 1,000 ms, which no option near it has: a wrong
        // place in the enum would read something else. The environment could set it.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one integer option.
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        }
        tune();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) },
            PURGE_AFTER_MS
        );
    }
}
