//! Links the `dayopps` binary as a fixed-address (non-PIE) executable, as Go links Hugo's.
//!
//! A position-independent executable is relocated as it starts: some 100,000 pointers in
//! tables of its libraries (minify-html's entity trie above all) are patched in memory, so
//! every page holding one becomes the process's own. That was 12 MB of a 1,000-listing
//! build's 118 MB peak, and a few milliseconds of every start. Fixed-address, those pages
//! stay shared with the file and are read only when used. The cost is that the binary's own
//! code is not placed at a random address; libraries, heap and stack still are.

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
