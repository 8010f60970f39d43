//! `dayopps check`, `schema` and `new`, run as a provider or CI would run them.

mod common;

use std::process::{Command, Output};

use common::{LISTING, TestSite, repo};
use serde_json::Value;

fn dayopps(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", "1780272000") // 2026-06-01
        .env("NO_COLOR", "1")
        .output()
        .expect("dayopps runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// One error (an unknown area) and one warning (a website on http).
fn site_with_problems() -> TestSite {
    TestSite::new().listing(
        "garden.md",
        &LISTING
            .replace("area: north", "area: nort")
            .replace("  phone: 020 7946 0001", "  website: http://garden.example"),
    )
}

#[test]
fn check_github_format_annotates_each_problem() {
    let out = dayopps(&site_with_problems(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "::error file=content/listings/garden.md,line=7,col=7,endLine=7,endColumn=11,title=dayopps error::`nort` is not one of the `areas` in site.yaml%0Ahelp: did you mean `north`?\n\
         ::warning file=content/listings/garden.md,line=19,col=12,endLine=19,endColumn=33,title=dayopps warning::`http://garden.example` is not a secure (https) address%0Ahelp: check whether the website works with https:// and use that: browsers warn people about http:// sites\n"
    );
}

#[test]
fn check_json_format_is_stable() {
    let out = dayopps(&site_with_problems(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(
        json,
        serde_json::json!({
            "version": 1,
            "errors": 1,
            "warnings": 1,
            "diagnostics": [
                {
                    "severity": "error",
                    "file": "content/listings/garden.md",
                    "line": 7, "column": 7, "end_line": 7, "end_column": 11,
                    "message": "`nort` is not one of the `areas` in site.yaml",
                    "help": "did you mean `north`?"
                },
                {
                    "severity": "warning",
                    "file": "content/listings/garden.md",
                    "line": 19, "column": 12, "end_line": 19, "end_column": 33,
                    "message": "`http://garden.example` is not a secure (https) address",
                    "help": "check whether the website works with https:// and use that: browsers warn people about http:// sites"
                }
            ]
        })
    );
}

#[test]
fn check_human_format_draws_the_problem() {
    let out = dayopps(&site_with_problems(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_exits_zero_with_warnings_only_and_writes_nothing() {
    let site = TestSite::new().listing(
        "garden.md",
        &LISTING.replace("  phone: 020 7946 0001", "  website: http://garden.example"),
    );
    let out = dayopps(&site, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("No errors, 1 warning: the site will build.\n"));
    assert!(!site.root().join("public").exists());
}

#[test]
fn check_exits_two_when_it_cannot_run() {
    let site = TestSite::new();
    std::fs::remove_file(site.root().join("site.yaml")).expect("removed");
    let out = dayopps(&site, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no site.yaml"));
}

#[test]
fn check_of_the_demo_finds_no_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["check", "--format", "json", "--root"])
        .arg(repo())
        .output()
        .expect("runs");
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["errors"], 0, "{json:#}");
    assert_eq!(out.status.code(), Some(0));
}

fn schema_of(site: &TestSite) -> Value {
    let out = dayopps(site, &["schema"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).expect("the schema is JSON")
}

/// A listing's front matter as JSON, the way an editor's YAML support sees it.
fn front_matter(text: &str) -> Value {
    let yaml = text
        .trim_start_matches("---\n")
        .split("\n---")
        .next()
        .expect("front matter");
    serde_yaml::from_str(yaml).expect("yaml")
}

#[test]
fn the_schema_accepts_every_demo_listing() {
    let schema: Value = serde_json::from_str(
        &String::from_utf8(
            Command::new(env!("CARGO_BIN_EXE_dayopps"))
                .args(["schema", "--root"])
                .arg(repo())
                .output()
                .expect("runs")
                .stdout,
        )
        .expect("utf-8"),
    )
    .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let mut checked = 0;
    for entry in std::fs::read_dir(repo().join("content/listings")).expect("listings") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("text");
        let value = if path.extension().is_some_and(|e| e == "md") {
            front_matter(&text)
        } else {
            serde_yaml::from_str(&text).expect("yaml")
        };
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert!(checked >= 40);
}

#[test]
fn the_schema_rejects_broken_listings() {
    let site = TestSite::new();
    let validator = jsonschema::validator_for(&schema_of(&site)).expect("a valid schema");
    assert!(
        validator.is_valid(&front_matter(LISTING)),
        "the fixture itself is valid"
    );
    for (from, to) in [
        ("needs: [learning-disabilities]", "needs: [demntia]"),
        ("area: north", "area: nort"),
        ("title: Garden Club\n", ""),
        ("summary: Gardening", "summery: Gardening"),
        ("from: \"09:30\"", "from: \"9.30\""),
        ("days: [mon, tue, wed]", "days: [monday]"),
        ("  phone: 020 7946 0001", "  fax: 020 7946 0001"),
    ] {
        let broken = front_matter(&LISTING.replacen(from, to, 1));
        assert!(!validator.is_valid(&broken), "the schema accepted {to:?}");
    }
}

#[test]
fn the_build_publishes_the_schema() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("builds");
    let published: Value = serde_json::from_str(&site.read("schema/listing.json")).expect("json");
    assert_eq!(published, schema_of(&site));
    assert_eq!(
        published["$id"],
        "https://example.gov.uk/schema/listing.json"
    );
    assert_eq!(published["properties"]["area"]["oneOf"][1]["const"], "away");
}

#[test]
fn new_writes_a_draft_that_builds_and_points_at_the_schema() {
    let site = TestSite::new();
    let out = dayopps(&site, &["new", "Riverside Garden Project!"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = site
        .root()
        .join("content/listings/riverside-garden-project.md");
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(
        text.starts_with(
            "---\n# yaml-language-server: $schema=https://example.gov.uk/schema/listing.json\n"
        ),
        "{text}"
    );
    assert!(text.contains("title: \"Riverside Garden Project!\"") && text.contains("draft: true"));
    assert!(text.contains("updated: 2026-06-01"), "today's date: {text}");
    let check = dayopps(&site, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let mut options = site.options();
    options.drafts = true;
    dayopps::build(&options).expect("the new listing builds with --drafts");
    assert!(
        site.root()
            .join("public/services/riverside-garden-project/index.html")
            .is_file()
    );
    let again = dayopps(&site, &["new", "Riverside Garden Project"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("a listing called riverside-garden-project already exists")
    );
}

/// The workflows run the commands these tests run, so what passes here passes there.
#[test]
fn the_workflows_use_the_tested_commands() {
    let check = std::fs::read_to_string(repo().join(".github/workflows/check.yml"))
        .expect("check workflow");
    assert!(check.contains("on:\n  pull_request:"), "{check}");
    assert!(
        check.contains("./target/release/dayopps check --format github"),
        "{check}"
    );
    let publish = std::fs::read_to_string(repo().join(".github/workflows/publish.yml"))
        .expect("publish workflow");
    assert!(publish.contains("branches: [main]"), "{publish}");
    assert!(
        publish.contains("cargo run --release --locked -- build --base-url"),
        "{publish}"
    );
    assert!(publish.contains("actions/deploy-pages"), "{publish}");
}

#[test]
fn build_prints_the_first_warnings_and_check_lists_them_all() {
    let insecure = LISTING.replace("  phone: 020 7946 0001", "  website: http://garden.example");
    let site = (0..25).fold(TestSite::new(), |site, n| {
        site.listing(&format!("garden-{n:02}.md"), &insecure)
    });
    let build = dayopps(&site, &["build"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("is not a secure (https) address").count(),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("... and 5 more warnings: `dayopps check` lists every one."),
        "{stderr}"
    );
    assert!(stderr.contains("(25 warnings)"), "{stderr}");
    let check = dayopps(&site, &["check"]);
    assert_eq!(
        stdout(&check)
            .matches("is not a secure (https) address")
            .count(),
        25
    );
}

/// `build` holds only the warnings it prints: when it fails, every error still comes out,
/// with the first warnings in file order and the count of the rest.
#[test]
fn a_failed_build_prints_every_error_and_the_first_warnings_in_order() {
    let insecure = LISTING.replace("  phone: 020 7946 0001", "  website: http://garden.example");
    let site = (0..24)
        .fold(TestSite::new(), |site, n| {
            site.listing(&format!("garden-{n:02}.md"), &insecure)
        })
        .listing("aa-broken.md", "---\ntitle: [\n---\nText.\n")
        .listing("zz-broken.md", "---\ntitle: [\n---\nText.\n");
    let build = dayopps(&site, &["build"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("this is not valid YAML").count(),
        2,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("is not a secure (https) address").count(),
        20,
        "{stderr}"
    );
    assert!(stderr.contains("garden-19.md"), "{stderr}");
    assert!(!stderr.contains("garden-20.md"), "{stderr}");
    assert!(
        stderr.contains("... and 4 more warnings: `dayopps check` lists every one."),
        "{stderr}"
    );
}

#[test]
fn build_says_when_the_theme_cannot_be_minified_once() {
    let site = TestSite::new().listing("garden.md", LISTING).ejected();
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let out = dayopps(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("minified"), "{}", stderr(&out));
    // A heading level chosen by Tera: the minifier cannot know what element it is.
    std::fs::write(
        site.root().join("themes/default/templates/card.html"),
        "<li><h{{ level }}>{{ listing.title }}</h{{ level }}></li>\n",
    )
    .expect("a written template");
    let out = dayopps(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: the theme's card.html cannot be minified once")
            && stderr(&out).contains("docs/theming.md"),
        "{}",
        stderr(&out)
    );
}

/// The replaced site is removed by a process of its own, after `build` has ended.
#[test]
fn build_removes_the_replaced_site_in_the_background() {
    let site = TestSite::new().listing("garden.md", LISTING);
    for _ in 0..2 {
        let out = dayopps(&site, &["build"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        site.root()
            .join("public/services/garden/index.html")
            .is_file()
    );
    let aside = || -> Vec<String> {
        std::fs::read_dir(site.root())
            .expect("root")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".public."))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !aside().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        aside(),
        Vec::<String>::new(),
        "the replaced site is still there"
    );
}

#[test]
fn removing_leftovers_refuses_folders_no_build_made() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let content = site.root().join("content");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .arg("remove-leftovers")
        .arg(&content)
        .output()
        .expect("dayopps runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a folder a build left"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(content.join("listings/garden.md").is_file());
}
