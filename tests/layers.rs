//! The layers of ARCHITECTURE.md, kept true: a module of the library may use modules of the
//! layers below its own, never one above, nor another module of its own layer. A new module
//! must be given a layer here (and in ARCHITECTURE.md) before this test passes.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use regex::Regex;

/// Bottom first; modules on one line are one layer and do not use each other.
const LAYERS: &[&[&str]] = &[
    &["text", "memo", "timings", "tuning"],
    &["diagnostics", "write"],
    &["model"],
    &["load"],
    &["validate"],
    &["report", "export", "search", "schema"],
    &["render"],
    &["reuse"],
    &["build"],
    &["import", "init", "scaffold"],
    &["serve"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules a file names: `crate::x` paths, and `use crate::{x, y::z}` groups.
fn used_modules(source: &str) -> BTreeSet<String> {
    let path = Regex::new(r"crate::([a-z_]+)").expect("pattern");
    let group = Regex::new(r"crate::\{([^}]*)\}").expect("pattern");
    let first = Regex::new(r"(?:^|,)\s*([a-z_]+)").expect("pattern");
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out: BTreeSet<String> = path
        .captures_iter(&code)
        .map(|c| c[1].to_string())
        .collect();
    for g in group.captures_iter(&code) {
        out.extend(first.captures_iter(&g[1]).map(|c| c[1].to_string()));
    }
    out
}

fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("inside src");
    let first = rel.iter().next().expect("a name").to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn no_module_uses_one_of_its_own_layer_or_above() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("an entry");
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let module = top_module(&src, file);
        // The crate's root and the binary sit above every layer.
        if ["lib", "main", "cli"].contains(&module.as_str()) {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            problems.push(format!(
                "{module} has no layer: add it to LAYERS and ARCHITECTURE.md"
            ));
            continue;
        };
        seen += 1;
        let source = fs::read_to_string(file).expect("readable");
        for used in used_modules(&source) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(l) if l < own => {}
                Some(l) => problems.push(format!(
                    "{}: {module} (layer {own}) uses {used} (layer {l})",
                    file.strip_prefix(&src).expect("inside").display()
                )),
                None => problems.push(format!("{used}, used in {module}, has no layer")),
            }
        }
    }
    assert!(seen > 50, "only {seen} files read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_sees_paths_and_groups() {
    let used = used_modules(
        "use crate::model::Site;\nuse crate::{text::plural, write};\n// crate::build\nfn f() { crate::render::x(); }",
    );
    let used: Vec<&str> = used.iter().map(String::as_str).collect();
    assert_eq!(used, ["model", "render", "text", "write"]);
}
