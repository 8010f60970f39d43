//! Links the `dayopps` binary as a fixed-address (non-PIE) executable, as Go links Hugo's.
//!
//! A position-independent executable is relocated as it starts: some 100,000 pointers in
//! tables of its libraries (minify-html's entity trie above all) are patched in memory, so
//! every page holding one becomes the process's own. That was 12 MB of a 1,000-listing
//! build's 118 MB peak, and a few milliseconds of every start. Fixed-address, those pages
//! stay shared with the file and are read only when used. The cost is that the binary's own
//! code is not placed at a random address; libraries, heap and stack still are.
//!
//! Only for Linux with the GNU toolchain, where the linker is driven by `cc` and `-no-pie`
//! means that. Elsewhere the flag is wrong or harmful: Apple's linker rejects it (macOS
//! executables must be position-independent), MSVC's `link.exe` does not know it, and Rust
//! links musl binaries as static PIE with start files of its own, which `-no-pie` contradicts.
//! Those targets keep their defaults.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The target's, not the host's: build scripts run on the host, also when cross-compiling.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
