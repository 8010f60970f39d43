//! The Dockerfile of the production server, checked without docker (which cannot run here):
//! made from the release binary alone, run as a user other than root, listening on all
//! addresses at the port it exposes, and started in the exec form so SIGTERM reaches it.

mod common;

use std::fs;
use std::process::Command;

use common::repo;

/// The Dockerfile's instructions, each as its keyword (upper case) and its arguments, with
/// comments and line continuations dealt with.
fn instructions() -> Vec<(String, String)> {
    let text = fs::read_to_string(repo().join("Dockerfile")).expect("a Dockerfile");
    let mut joined = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(start) => joined.push_str(start),
            None => {
                joined.push_str(line);
                joined.push('\n');
            }
        }
    }
    joined
        .lines()
        .map(|l| {
            let (keyword, args) = l.split_once(' ').unwrap_or((l, ""));
            (keyword.to_ascii_uppercase(), args.trim().to_string())
        })
        .collect()
}

fn only(instructions: &[(String, String)], keyword: &str) -> String {
    let found: Vec<&String> = instructions
        .iter()
        .filter(|(k, _)| k == keyword)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(found.len(), 1, "one {keyword}: {found:?}");
    found[0].clone()
}

#[test]
fn the_image_is_the_release_binary_alone_run_by_a_user_other_than_root() {
    let all = instructions();
    let keywords: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    // Nothing is compiled or installed in the image: no RUN, no second stage, no ADD.
    for forbidden in ["RUN", "ADD"] {
        assert!(!keywords.contains(&forbidden), "{keywords:?}");
    }
    assert!(only(&all, "FROM").contains("distroless"));
    assert_eq!(
        only(&all, "COPY"),
        "target/release/dayopps /usr/local/bin/dayopps"
    );
    let user = only(&all, "USER");
    let name = user.split(':').next().unwrap_or("");
    assert!(!["", "root", "0"].contains(&name), "USER {user}");

    // Only the binary is sent to docker as the build context.
    let ignore = fs::read_to_string(repo().join(".dockerignore")).expect("a .dockerignore");
    let rules: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(rules, ["*", "!target/release/dayopps"]);
}

#[test]
fn it_serves_for_production_on_every_address_at_the_port_it_exposes() {
    let all = instructions();
    let exposed = only(&all, "EXPOSE");
    let entrypoint: Vec<String> =
        serde_json::from_str(&only(&all, "ENTRYPOINT")).expect("ENTRYPOINT in the exec form");
    assert_eq!(entrypoint[0], "/usr/local/bin/dayopps");
    let after = |flag: &str| {
        let at = entrypoint.iter().position(|a| a == flag);
        at.and_then(|i| entrypoint.get(i + 1)).cloned()
    };
    assert_eq!(entrypoint[1..3], ["serve", "--production"]);
    assert_eq!(after("--bind").as_deref(), Some("0.0.0.0"));
    assert_eq!(after("--port"), Some(exposed));
    assert_eq!(after("--root"), Some(only(&all, "WORKDIR")));

    // dayopps takes these arguments: with no site at /site, it says so, not how to use it.
    let output = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(&entrypoint[1..])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("site.yaml"), "{said}");
}
