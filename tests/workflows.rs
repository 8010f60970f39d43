//! The release workflow and the action that installs its binaries: that they agree on the
//! assets, that the action keeps its inputs out of script text, and that the scripts both run
//! (naming, packing, installing, passing arguments) do what they say, run here as CI runs them.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo;
use serde_yaml::Value;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(path)).expect(path);
    serde_yaml::from_str(&text).expect(path)
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn script(name: &str) -> PathBuf {
    repo().join(".github/actions").join(name)
}

/// `bash .github/actions/asset-name.sh OS ARCH`, as the action runs it.
fn asset_name(os: &str, arch: &str) -> Output {
    Command::new("bash")
        .arg(script("asset-name.sh"))
        .args([os, arch])
        .output()
        .expect("bash runs")
}

/// The asset release.yml makes for a target: how package.sh names it.
fn asset_of_target(target: &str) -> String {
    let ext = if target.contains("-windows-") {
        "zip"
    } else {
        "tar.gz"
    };
    format!("dayopps-{target}.{ext}")
}

/// `runner.os` and `runner.arch` of a GitHub-hosted runner label.
fn runner_of_label(label: &str) -> (&'static str, &'static str) {
    let arch = if label.ends_with("-arm") || label == "macos-14" || label == "macos-15" {
        "ARM64"
    } else {
        "X64"
    };
    let os = match label.split('-').next() {
        Some("ubuntu") => "Linux",
        Some("macos") => "macOS",
        Some("windows") => "Windows",
        _ => panic!("a runner label this test does not know: {label}"),
    };
    (os, arch)
}

/// The release matrix: (target, runner label) of each binary built.
fn release_matrix() -> Vec<(String, String)> {
    let release = yaml(".github/workflows/release.yml");
    let include = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of include entries");
    include
        .iter()
        .map(|entry| {
            let field = |name: &str| entry[name].as_str().expect(name).to_owned();
            (field("target"), field("runner"))
        })
        .collect()
}

fn run_texts(steps: &Value) -> Vec<String> {
    steps
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_action_takes_args_version_and_working_directory() {
    let action = yaml("action.yml");
    let inputs = action["inputs"].as_mapping().expect("inputs");
    let names: Vec<&str> = inputs.keys().filter_map(Value::as_str).collect();
    assert_eq!(names, ["args", "version", "working-directory"]);
    assert_eq!(action["inputs"]["args"]["required"], Value::Bool(true));
    assert_eq!(
        action["inputs"]["version"]["default"].as_str(),
        Some("latest")
    );
    assert_eq!(
        action["inputs"]["working-directory"]["default"].as_str(),
        Some(".")
    );
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
}

/// GitHub's hardening guide: an expression inside `run:` is pasted into the script before it
/// runs, so a pull request's text in an input could run as a command. Inputs go through `env:`.
#[test]
fn the_action_passes_inputs_through_env_not_script_text() {
    let action = yaml("action.yml");
    let steps = &action["runs"]["steps"];
    let runs = run_texts(steps);
    assert_eq!(runs.len(), 2, "{runs:?}");
    for run in &runs {
        assert!(!run.contains("${{"), "an expression inside a script: {run}");
        // Each step runs a script of the action's; it must be there.
        let path = run
            .split("$GITHUB_ACTION_PATH/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a script in the action's folder: {run}"));
        assert!(repo().join(path).is_file(), "{path}");
    }
    let mut from_env = BTreeSet::new();
    for step in steps.as_sequence().expect("steps") {
        assert_eq!(step["shell"].as_str(), Some("bash"), "{step:?}");
        for value in step["env"].as_mapping().expect("env").values() {
            let value = value.as_str().expect("a string");
            for input in ["args", "version"] {
                if value == format!("${{{{ inputs.{input} }}}}") {
                    from_env.insert(input);
                }
            }
        }
    }
    assert_eq!(from_env, BTreeSet::from(["args", "version"]));
}

#[test]
fn asset_names_for_each_runner() {
    for (os, arch, asset) in [
        ("Linux", "X64", "dayopps-x86_64-unknown-linux-gnu.tar.gz"),
        ("Linux", "ARM64", "dayopps-aarch64-unknown-linux-gnu.tar.gz"),
        ("macOS", "X64", "dayopps-x86_64-apple-darwin.tar.gz"),
        ("macOS", "ARM64", "dayopps-aarch64-apple-darwin.tar.gz"),
        ("Windows", "X64", "dayopps-x86_64-pc-windows-msvc.zip"),
    ] {
        let out = asset_name(os, arch);
        assert!(out.status.success(), "{os}/{arch}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{asset}\n"), "{os}/{arch}");
    }
    let out = asset_name("Windows", "ARM64");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr).contains("no release binary for a Windows runner on ARM64"),
        "{}",
        text(&out.stderr)
    );
}

/// Every asset the action can ask for is built by the release, and every binary the release
/// builds is the one the action picks on a runner like the one that built it.
#[test]
fn the_action_asks_for_exactly_the_assets_the_release_makes() {
    let mut asked = BTreeSet::new();
    for os in ["Linux", "macOS", "Windows"] {
        for arch in ["X86", "X64", "ARM", "ARM64"] {
            let out = asset_name(os, arch);
            match out.status.code() {
                Some(0) => {
                    asked.insert(text(&out.stdout).trim_end().to_owned());
                }
                Some(1) => {}
                code => panic!("{os}/{arch}: {code:?} {}", text(&out.stderr)),
            }
        }
    }
    let matrix = release_matrix();
    let made: BTreeSet<String> = matrix.iter().map(|(t, _)| asset_of_target(t)).collect();
    assert_eq!(asked, made);
    for (target, runner) in &matrix {
        let (os, arch) = runner_of_label(runner);
        let out = asset_name(os, arch);
        assert_eq!(
            text(&out.stdout).trim_end(),
            asset_of_target(target),
            "{target} is built on {runner}, a {os}/{arch} runner"
        );
    }
}

#[test]
fn the_release_runs_on_version_tags_and_uses_the_tested_scripts() {
    let release = yaml(".github/workflows/release.yml");
    let tags = release["on"]["push"]["tags"]
        .as_sequence()
        .expect("push tags");
    assert_eq!(tags, &vec![Value::from("v*")]);
    assert!(release["on"].get("workflow_dispatch").is_some());
    let version = run_texts(&release["jobs"]["version"]["steps"]).join("\n");
    assert!(
        version.contains(r#""$GITHUB_REF_NAME" != "v$version""#),
        "{version}"
    );
    let build = run_texts(&release["jobs"]["build"]["steps"]).join("\n");
    for command in [
        "cargo build --release --locked --target",
        "--version",
        "cp -R site.yaml content themes",
        r#""$bin" build"#,
        "bash .github/actions/package.sh",
        "bash .github/actions/install.sh",
    ] {
        assert!(build.contains(command), "{command} in {build}");
    }
    let job = &release["jobs"]["release"];
    assert_eq!(job["if"].as_str(), Some("github.ref_type == 'tag'"));
    assert_eq!(job["permissions"]["contents"].as_str(), Some("write"));
    assert!(
        run_texts(&job["steps"])
            .join("\n")
            .contains("gh release create")
    );
}

#[test]
fn version_prints_the_cargo_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .arg("--version")
        .output()
        .expect("dayopps runs");
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("dayopps {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The README's example of the action gives only inputs the action has.
#[test]
fn the_readme_uses_the_action_as_it_is() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let section = readme
        .split("\n## Install without compiling\n")
        .nth(1)
        .expect("the README has the section");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a YAML example");
    let steps: Value = serde_yaml::from_str(example).expect("the example is YAML");
    let version = env!("CARGO_PKG_VERSION");
    let step = steps
        .as_sequence()
        .and_then(|s| s.iter().find(|s| s.get("with").is_some()))
        .expect("a step using the action");
    assert_eq!(
        step["uses"].as_str(),
        Some(format!("dayopps/dayopps@v{version}").as_str())
    );
    let action = yaml("action.yml");
    for key in step["with"].as_mapping().expect("with").keys() {
        let key = key.as_str().expect("a name");
        assert!(action["inputs"].get(key).is_some(), "no input {key}");
    }
    assert_eq!(step["with"]["version"].as_str(), Some(version));
    assert!(
        section.contains(&format!("git tag v{version}")),
        "{section}"
    );
}

// The scripts below run in bash on every runner; here they are tried on Unix.

#[cfg(unix)]
mod scripts {
    use super::*;
    use tempfile::TempDir;

    /// `runner.arch` of this machine and the target its binary is for.
    fn this_runner() -> (&'static str, &'static str) {
        match std::env::consts::ARCH {
            "x86_64" => ("X64", "x86_64-unknown-linux-gnu"),
            "aarch64" => ("ARM64", "aarch64-unknown-linux-gnu"),
            other => panic!("no release for {other}"),
        }
    }

    /// A stand-in for the binary that runs the one cargo built: packing and unpacking the
    /// debug build itself (350 MB) took most of a minute a test.
    fn stand_in(dir: &Path) -> PathBuf {
        let path = dir.join("stand-in");
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\nexec '{}' \"$@\"\n",
                env!("CARGO_BIN_EXE_dayopps")
            ),
        )
        .expect("written");
        let status = Command::new("chmod").arg("+x").arg(&path).status();
        assert!(status.expect("chmod").success());
        path
    }

    fn package(target: &str, binary: &Path, out: &Path) -> Output {
        Command::new("bash")
            .arg(script("package.sh"))
            .arg(target)
            .arg(binary)
            .arg(out)
            .output()
            .expect("bash runs")
    }

    /// A folder laid out as a repository's releases, with the package of this machine's
    /// binary under `latest` and under `v<version>`.
    struct Releases {
        dir: TempDir,
        asset: String,
    }

    impl Releases {
        fn new() -> Releases {
            let dir = tempfile::tempdir().expect("temp dir");
            let (_, target) = this_runner();
            let dist = dir.path().join("dist");
            let out = package(target, &stand_in(dir.path()), &dist);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let asset = asset_of_target(target);
            assert_eq!(
                text(&out.stdout).trim_end(),
                dist.join(&asset).to_str().unwrap()
            );
            let version = format!("download/v{}", env!("CARGO_PKG_VERSION"));
            for folder in ["latest/download", &version, "download/v9.9.9"] {
                let folder = dir.path().join("releases").join(folder);
                std::fs::create_dir_all(&folder).expect("folder");
                for file in [asset.clone(), format!("{asset}.sha256")] {
                    std::fs::copy(dist.join(&file), folder.join(&file)).expect("copied");
                }
            }
            Releases { dir, asset }
        }

        /// install.sh as the action runs it, for `version`, into a runner's folders of its own.
        fn install(&self, version: &str) -> (Output, PathBuf) {
            let runner = tempfile::tempdir().expect("runner").keep();
            let (arch, _) = this_runner();
            let out = Command::new("bash")
                .arg(script("install.sh"))
                .env(
                    "DAYOPPS_RELEASES",
                    format!("file://{}", self.dir.path().join("releases").display()),
                )
                .env("DAYOPPS_VERSION", version)
                .env("DAYOPPS_REPO", "dayopps/dayopps")
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", arch)
                .env("RUNNER_TEMP", runner.join("temp"))
                .env("GITHUB_PATH", runner.join("path"))
                .env("GITHUB_OUTPUT", runner.join("output"))
                .output()
                .expect("bash runs");
            (out, runner)
        }

        fn published(&self, version: &str) -> PathBuf {
            self.dir.path().join("releases/download").join(version)
        }
    }

    #[test]
    fn a_package_holds_the_binary_and_the_readme_with_its_digest() {
        let releases = Releases::new();
        let dist = releases.dir.path().join("dist");
        let listing = Command::new("tar")
            .arg("-tzf")
            .arg(dist.join(&releases.asset))
            .output()
            .expect("tar runs");
        let mut files: Vec<String> = text(&listing.stdout).lines().map(str::to_owned).collect();
        files.sort();
        assert_eq!(files, ["README.md", "dayopps"]);
        let digest = std::fs::read_to_string(dist.join(format!("{}.sha256", releases.asset)))
            .expect("digest");
        let check = Command::new("sha256sum")
            .arg("--check")
            .arg("--status")
            .current_dir(&dist)
            .stdin(std::fs::File::open(dist.join(format!("{}.sha256", releases.asset))).unwrap())
            .output()
            .expect("sha256sum runs");
        assert!(check.status.success(), "{digest}");
        assert!(
            digest.ends_with(&format!("  {}\n", releases.asset)),
            "{digest}"
        );
    }

    #[test]
    fn a_windows_package_is_a_zip_with_dayopps_exe() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = "x86_64-pc-windows-msvc";
        let out = package(target, &stand_in(dir.path()), &dir.path().join("dist"));
        assert!(out.status.success(), "{}", text(&out.stderr));
        let listing = Command::new("unzip")
            .arg("-Z1")
            .arg(dir.path().join("dist").join(asset_of_target(target)))
            .output()
            .expect("unzip runs");
        let mut files: Vec<String> = text(&listing.stdout).lines().map(str::to_owned).collect();
        files.sort();
        assert_eq!(files, ["README.md", "dayopps.exe"]);
        assert!(
            dir.path()
                .join("dist/dayopps-x86_64-pc-windows-msvc.zip.sha256")
                .is_file()
        );
    }

    #[test]
    fn install_puts_the_checked_binary_on_the_path() {
        let releases = Releases::new();
        let version = env!("CARGO_PKG_VERSION");
        for asked in [
            version.to_owned(),
            format!("v{version}"),
            "latest".to_owned(),
        ] {
            let (out, runner) = releases.install(&asked);
            assert!(out.status.success(), "{asked}: {}", text(&out.stderr));
            let label = if asked == "latest" { "latest" } else { version };
            let dir = runner.join("temp/dayopps").join(label);
            assert_eq!(text(&out.stdout), format!("{}\n", dir.display()));
            let path = std::fs::read_to_string(runner.join("path")).expect("GITHUB_PATH");
            assert_eq!(path, format!("{}\n", dir.display()));
            let output = std::fs::read_to_string(runner.join("output")).expect("GITHUB_OUTPUT");
            assert_eq!(output, format!("dir={}\n", dir.display()));
            let installed = Command::new(dir.join("dayopps"))
                .arg("--version")
                .output()
                .expect("the installed binary runs");
            assert_eq!(text(&installed.stdout), format!("dayopps {version}\n"));
            std::fs::remove_dir_all(runner).expect("removed");
        }
    }

    #[test]
    fn install_refuses_a_package_whose_digest_differs() {
        let releases = Releases::new();
        let version = format!("v{}", env!("CARGO_PKG_VERSION"));
        let digest = releases
            .published(&version)
            .join(format!("{}.sha256", releases.asset));
        let text_of = std::fs::read_to_string(&digest).expect("digest");
        let flipped = if text_of.starts_with('0') { "1" } else { "0" };
        std::fs::write(&digest, format!("{flipped}{}", &text_of[1..])).expect("written");
        let (out, runner) = releases.install(&version);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("but its .sha256 file says"),
            "{}",
            text(&out.stderr)
        );
        assert!(!runner.join("path").exists(), "nothing added to PATH");
        std::fs::remove_dir_all(runner).expect("removed");
    }

    #[test]
    fn install_refuses_a_binary_of_another_version_and_a_malformed_version() {
        let releases = Releases::new();
        let (out, runner) = releases.install("9.9.9");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("asked for dayopps 9.9.9, but the binary says"),
            "{}",
            text(&out.stderr)
        );
        assert!(!runner.join("path").exists());
        std::fs::remove_dir_all(runner).expect("removed");

        for bad in ["0.1", "1.0.0; id", "../latest"] {
            let (out, runner) = releases.install(bad);
            assert_eq!(out.status.code(), Some(1), "{bad}");
            assert!(
                text(&out.stderr).contains("version must be `latest` or a version"),
                "{bad}: {}",
                text(&out.stderr)
            );
            std::fs::remove_dir_all(runner).expect("removed");
        }
        let (out, runner) = releases.install("0.0.1");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("could not download"),
            "{}",
            text(&out.stderr)
        );
        std::fs::remove_dir_all(runner).expect("removed");
    }

    /// The action's args are split into words and handed over as they are: text in them
    /// cannot run as a command, glob or expand.
    #[test]
    fn run_passes_args_as_plain_words() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fake = dir.path().join("dayopps");
        std::fs::write(
            &fake,
            "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n",
        )
        .expect("written");
        let status = Command::new("chmod").arg("+x").arg(&fake).status();
        assert!(status.expect("chmod").success());
        let run = |args: &str| {
            Command::new("bash")
                .arg(script("run.sh"))
                .env("DAYOPPS_ARGS", args)
                .env("DAYOPPS_DIR", dir.path())
                .current_dir(dir.path())
                .output()
                .expect("bash runs")
        };
        let out = run("check  --format github\n--root $(touch made) * \"a b\" ${HOME}; ls");
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            "[check]\n[--format]\n[github]\n[--root]\n[$(touch]\n[made)]\n[*]\n[\"a]\n[b\"]\n[${HOME};]\n[ls]\n"
        );
        assert!(!dir.path().join("made").exists());
        let out = run(" \n ");
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("`args` are empty"));
    }

    /// With the real binary, as a council's workflow runs it: `check --format github`.
    #[test]
    fn run_runs_dayopps_in_the_working_directory() {
        let bin = Path::new(env!("CARGO_BIN_EXE_dayopps"));
        let out = Command::new("bash")
            .arg(script("run.sh"))
            .env("DAYOPPS_ARGS", "check --format github")
            .env("DAYOPPS_DIR", bin.parent().expect("folder"))
            .current_dir(repo())
            .output()
            .expect("bash runs");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
}
