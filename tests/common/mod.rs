//! A builder for small fixture sites in temporary folders.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use dayopps::build::BuildOptions;
use dayopps::{BuildError, Built};
use tempfile::TempDir;

pub const SITE: &str = "\
title: Test Directory
council: Test Borough Council
base_url: https://example.gov.uk/
contact: { phone: 020 7946 0000, email: help@test.example }
vocabularies:
  areas:
    north: { label: North, in_borough: true }
    away: { label: Away Town, in_borough: false }
";

/// A listing with every required field and nothing else.
pub const LISTING: &str = "\
---
title: Garden Club
provider: Green Trust
summary: Gardening for adults with learning disabilities.
needs: [learning-disabilities]
service_types: [building-based]
area: north
locations:
  - name: The Hub
    address: 1 High Street
    postcode: E10 5QX
schedule:
  - days: [mon, tue, wed]
    from: \"09:30\"
    to: \"15:00\"
funding: [commissioned]
referral: [self-referral]
contact:
  phone: 020 7946 0001
updated: 2026-01-01
easy_read: We grow food.
---
We grow vegetables.
";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct TestSite {
    pub dir: TempDir,
}

impl TestSite {
    /// A site with site.yaml above, no listings and no theme folder: the built-in theme.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = TestSite { dir };
        site.file("site.yaml", SITE)
    }

    /// The site with the built-in theme written into themes/default/, to change it.
    pub fn ejected(self) -> Self {
        dayopps::render::builtin::eject(&self.root().join("themes/default")).expect("ejected");
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, rel: &str, text: &str) -> Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(path, text).expect("a written file");
        self
    }

    pub fn listing(self, name: &str, text: &str) -> Self {
        self.file(&format!("content/listings/{name}"), text)
    }

    /// The standard listing with `from` replaced by `to` (which must change it).
    pub fn listing_with(self, name: &str, from: &str, to: &str) -> Self {
        assert!(LISTING.contains(from), "the fixture has no {from:?}");
        self.listing(name, &LISTING.replacen(from, to, 1))
    }

    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.root());
        o.today = Some(time::macros::date!(2026 - 06 - 01));
        o
    }

    pub fn build(&self) -> Result<Built, BuildError> {
        dayopps::build(&self.options())
    }

    /// The plain text of every problem of a build expected to fail.
    pub fn errors(&self) -> String {
        match dayopps::build_in_memory(&self.options()) {
            Err(BuildError::Content(d)) => d.to_string(),
            Err(other) => panic!("expected content errors, got {other}"),
            Ok(built) => panic!(
                "expected content errors, the build passed with: {}",
                built.diagnostics
            ),
        }
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join("public").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("a folder");
        } else {
            fs::copy(entry.path(), &target).expect("a copied file");
        }
    }
}

/// The demo's published listings as plain YAML values by slug, read without dayopps, so tests
/// can compute what the site should show independently of the code under test.
pub fn demo_listings() -> std::collections::BTreeMap<String, serde_yaml::Value> {
    use serde_yaml::Value;
    let mut out = std::collections::BTreeMap::new();
    for entry in fs::read_dir(repo().join("content/listings")).expect("listings") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("text");
        let yaml = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => text
                .trim_start_matches("---")
                .split("\n---")
                .next()
                .expect("front matter")
                .to_string(),
            _ => text,
        };
        let value: Value = serde_yaml::from_str(&yaml).expect("yaml");
        if value.get("draft").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let slug = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        out.insert(slug, value);
    }
    out
}

/// The text items of a YAML list (an absent field is an empty list).
pub fn strings(v: Option<&serde_yaml::Value>) -> Vec<String> {
    v.and_then(serde_yaml::Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
pub mod atom;
pub mod near;
pub mod serve;

/// The demo, built once for all the tests of one test binary, as on 23 November 2026.
pub fn built_demo() -> &'static PathBuf {
    static OUT: std::sync::OnceLock<(TempDir, PathBuf)> = std::sync::OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("public");
        let mut options = BuildOptions::new(repo());
        options.output = Some(out.clone());
        options.today = Some(time::macros::date!(2026 - 11 - 23));
        dayopps::build(&options).expect("the demo builds");
        (dir, out)
    })
    .1
}
