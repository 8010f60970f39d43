//! Two jobs before the crate compiles: the default theme is embedded, and the binary is linked
//! at a fixed address.
//!
//! The default theme (`themes/default/`) is compiled into the binary, so a council's site
//! needs no theme folder of its own (src/render/builtin.rs). The list of its files is written
//! here, rather than kept by hand, so that a file added to the theme is embedded without
//! anyone remembering to list it.
//!
//! The binary is linked as a fixed-address (non-PIE) executable, as Go links Hugo's.
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

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    embed_default_theme();
    // The target's, not the host's: build scripts run on the host, also when cross-compiling.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Writes `$OUT_DIR/default_theme.rs`: the theme's templates as text and its static files as
/// bytes, each named by its path inside `templates/` or `static/`, in name order.
fn embed_default_theme() {
    // Read when the script runs, not when it is compiled: a compiled build script is reused by
    // another checkout that shares the target folder, and would embed that checkout's theme.
    let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let theme = Path::new(&root).join("themes/default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut code = String::new();
    for (list, folder, include) in [
        ("TEMPLATES", "templates", "include_str"),
        ("STATIC", "static", "include_bytes"),
    ] {
        let _ = writeln!(
            code,
            "pub static {list}: &[(&str, &{})] = &[",
            kind(include)
        );
        for (name, path) in files(&theme.join(folder)) {
            let _ = writeln!(
                code,
                "    ({name:?}, {include}!({:?})),",
                path.display().to_string()
            );
        }
        code.push_str("];\n");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("default_theme.rs"), code).expect("OUT_DIR is writable");
}

fn kind(include: &str) -> &'static str {
    if include == "include_str" {
        "str"
    } else {
        "[u8]"
    }
}

/// Every file under `dir`, named by its path relative to it with `/` between folders.
fn files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).expect("the default theme is readable");
        for entry in entries {
            let path = entry.expect("the default theme is readable").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside the theme");
                let name: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
                out.push((name.join("/"), path));
            }
        }
    }
    out.sort();
    out
}
