//! A council adopting dayopps without forking it: `init`, the built-in theme and overriding
//! parts of it, `theme eject`, and commands that read a built site without changing it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{TestSite, copy_dir, repo};

fn dayopps_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1780272000") // 2026-06-01
        .env("NO_COLOR", "1")
        .output()
        .expect("dayopps runs")
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` with its bytes, by path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("an entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// A new site made by `dayopps init` in a temporary folder: (the folder, the site in it).
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    ok(dayopps_in(
        tmp.path(),
        &[
            "init",
            "my-council",
            "--council",
            "Example County Council",
            "--base-url",
            "https://example.gov.uk/day-services/",
        ],
    ));
    let site = tmp.path().join("my-council");
    (tmp, site)
}

#[test]
fn init_starts_a_site_that_checks_and_builds_with_no_theme_folder() {
    let (_tmp, site) = new_site();
    for file in [
        "site.yaml",
        "README.md",
        ".gitignore",
        ".github/workflows/check.yml",
        ".github/workflows/publish.yml",
        ".github/PULL_REQUEST_TEMPLATE.md",
        "content/pages/about.md",
        "content/pages/accessibility-statement.md",
        "content/pages/how-to-get-a-place.md",
        "content/pages/providers.md",
        "content/listings/example-day-centre.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(!site.join("themes").exists());
    let site_yaml = fs::read_to_string(site.join("site.yaml")).expect("site.yaml");
    assert!(site_yaml.contains("council: Example County Council"));
    assert!(
        site_yaml.contains("    dementia: { label: Dementia }"),
        "{site_yaml}"
    );

    let check = ok(dayopps_in(&site, &["check"]));
    let said = text(&check.stdout);
    assert!(said.contains("No errors, 1 warning"), "{said}");
    assert!(
        said.contains("example listing that `dayopps init` made"),
        "{said}"
    );

    ok(dayopps_in(&site, &["build"]));
    let public = site.join("public");
    let about = fs::read_to_string(public.join("about/index.html")).expect("about");
    assert!(about.contains("Example County Council"));
    assert!(
        about.contains(r#"href="/day-services/providers/""#),
        "{about}"
    );
    assert!(public.join("providers/index.html").is_file());
    let statement = fs::read_to_string(public.join("accessibility-statement/index.html"))
        .expect("the accessibility statement");
    assert!(statement.contains("prepared on 1 June 2026"), "{statement}");
    assert!(
        public
            .join("services/example-day-centre/index.html")
            .is_file()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    fs::write(tmp.path().join("notes.txt"), "mine").expect("written");
    let out = dayopps_in(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(said.contains("is not empty: it holds"), "{said}");
    assert!(said.contains("notes.txt"), "{said}");
    assert_eq!(
        fs::read_dir(tmp.path()).expect("readable").count(),
        1,
        "nothing was written"
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).expect("kept"),
        "mine"
    );
}

/// The dayopps steps of a workflow `init` wrote: each step's `args`, with the expression
/// GitHub fills in replaced by what it would be.
fn dayopps_steps(workflow: &Path) -> Vec<String> {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(workflow).expect("readable")).expect("YAML");
    let action = format!("dayopps/dayopps@v{}", env!("CARGO_PKG_VERSION"));
    let mut found = Vec::new();
    for job in yaml["jobs"].as_mapping().expect("jobs").values() {
        for step in job["steps"].as_sequence().expect("steps") {
            if step["uses"].as_str() == Some(action.as_str()) {
                assert_eq!(
                    step["with"]["version"].as_str(),
                    Some(env!("CARGO_PKG_VERSION"))
                );
                let args = step["with"]["args"].as_str().expect("args");
                found.push(args.replace(
                    "${{ steps.pages.outputs.base_url }}",
                    "https://council.github.io/directory",
                ));
            }
        }
    }
    found
}

#[test]
fn the_workflows_init_writes_run_commands_that_pass_on_the_new_site() {
    let (_tmp, site) = new_site();
    let workflows = site.join(".github/workflows");
    let check = dayopps_steps(&workflows.join("check.yml"));
    let publish = dayopps_steps(&workflows.join("publish.yml"));
    assert_eq!(check, ["check --format github"]);
    assert_eq!(publish.len(), 1, "{publish:?}");
    for args in check.iter().chain(&publish) {
        let args: Vec<&str> = args.split_whitespace().collect();
        ok(dayopps_in(&site, &args));
    }
    let home = fs::read_to_string(site.join("public/index.html")).expect("built");
    assert!(home.contains(r#"href="/directory/services/""#), "{home}");
}

#[test]
fn a_site_overrides_one_template_and_one_css_file_and_keeps_the_rest() {
    let (_tmp, site) = new_site();
    let theme = site.join("themes/default");
    fs::create_dir_all(theme.join("templates")).expect("a folder");
    fs::create_dir_all(theme.join("static")).expect("a folder");
    fs::write(
        theme.join("templates/card.html"),
        "<li class=\"card ours\">{{ listing.title }}</li>\n",
    )
    .expect("written");
    let css = "body { color: #0b0c0c; } /* our style */\n";
    fs::write(theme.join("static/style.css"), css).expect("written");
    ok(dayopps_in(&site, &["build"]));

    let public = site.join("public");
    let az = fs::read_to_string(public.join("services/index.html")).expect("the A to Z");
    assert!(az.contains("card ours"), "{az}");
    let assets = snapshot(&public.join("assets"));
    let style = assets
        .iter()
        .find(|(name, _)| name.to_string_lossy().starts_with("style."))
        .expect("a stylesheet");
    assert_eq!(text(style.1), css);
    // As the build minifies every script of a theme.
    let built_in_js = dayopps::write::minify_script(
        &fs::read(repo().join("themes/default/static/search.js")).expect("the built-in script"),
    );
    assert!(
        assets.values().any(|bytes| *bytes == built_in_js),
        "search.js comes from the built-in theme"
    );
    // base.html, listing.html and the rest are the built-in theme's.
    let listing = fs::read_to_string(public.join("services/example-day-centre/index.html"))
        .expect("the example");
    assert!(listing.contains("Skip to main content"), "{listing}");
}

#[test]
fn eject_writes_the_built_in_theme_the_build_then_uses_and_never_overwrites() {
    let (_tmp, site) = new_site();
    ok(dayopps_in(&site, &["build"]));
    let before = snapshot(&site.join("public"));

    let out = ok(dayopps_in(&site, &["theme", "eject"]));
    assert!(
        text(&out.stderr).contains("themes/default"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        snapshot(&site.join("themes/default")),
        snapshot(&repo().join("themes/default")),
        "the ejected theme is the one in this repository"
    );
    ok(dayopps_in(&site, &["build"]));
    assert!(before == snapshot(&site.join("public")), "the same site");

    let card = site.join("themes/default/templates/card.html");
    fs::write(&card, "changed").expect("written");
    let again = dayopps_in(&site, &["theme", "eject"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("already exist"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(fs::read_to_string(&card).expect("kept"), "changed");
}

#[test]
fn a_theme_named_in_site_yaml_without_its_folder_says_how_to_fix_it() {
    let site = TestSite::new().file("site.yaml", &format!("{}theme: civic\n", common::SITE));
    let out = dayopps_in(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(said.contains("themes/civic does not exist"), "{said}");
    assert!(said.contains("theme: default"), "{said}");
}

/// The demo's theme folder is the source of the built-in theme, so the demo builds the same
/// with it and without it.
#[test]
fn the_demo_builds_the_same_from_the_built_in_theme() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let bare = tmp.path().join("demo");
    copy_dir(&repo().join("content"), &bare.join("content"));
    fs::copy(repo().join("site.yaml"), bare.join("site.yaml")).expect("copied");
    copy_dir(&repo().join("data"), &bare.join("data"));
    let mut with_folder = dayopps::build::BuildOptions::new(repo());
    with_folder.output = Some(tmp.path().join("with"));
    with_folder.today = Some(time::macros::date!(2026 - 06 - 01));
    let mut built_in = dayopps::build::BuildOptions::new(&bare);
    built_in.output = Some(tmp.path().join("without"));
    built_in.today = with_folder.today;
    dayopps::build(&with_folder).expect("builds");
    dayopps::build(&built_in).expect("builds");
    let (a, b) = (
        snapshot(&tmp.path().join("with")),
        snapshot(&tmp.path().join("without")),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a == b, "the same bytes");
}

#[test]
fn search_reads_the_site_without_changing_it() {
    let (_tmp, site) = new_site();
    let out_dir = site.join("elsewhere");
    ok(dayopps_in(&site, &["build", "--output", "elsewhere"]));
    let before = snapshot(&out_dir);
    let found = ok(dayopps_in(
        &site,
        &["search", "gardening", "--json", "--output", "elsewhere"],
    ));
    let json: serde_json::Value = serde_json::from_slice(&found.stdout).expect("JSON");
    assert_eq!(json["hits"][0]["slug"], "example-day-centre", "{json}");
    assert!(
        before == snapshot(&out_dir),
        "the built site is byte-identical"
    );
}
