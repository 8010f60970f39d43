//! The site a build replaced is removed by a second `dayopps` process, so that `build` ends as
//! soon as the new site is in place (`bazel clean --async` does the same).
//!
//! Measured (bench/RESULTS.md, at e7843c6): removing the 30,000 files of a site of 10,000
//! listings took 1.3 to 4 s, as long as building them; builds over the last output by hand took
//! 10.5-12.6 s with the removal in the build and 4.6-5.5 s without. Off with
//! `DAYOPPS_NO_TUNING=1`: the folders are then removed before `build` ends.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Hands `folders` to `dayopps COMMAND FOLDER...` (the hidden command that removes them),
/// started in a process group of its own. False when no process took them (tuning is off, or
/// it could not start): the caller removes them itself.
pub fn hand_over(folders: &[PathBuf], command: &str) -> bool {
    let exe = match std::env::current_exe() {
        Ok(exe) if super::enabled() => exe,
        _ => return false,
    };
    let mut child = Command::new(exe);
    child
        .arg(command)
        .args(folders)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        // Its own process group: a Ctrl-C meant for the next command does not stop it.
        use std::os::unix::process::CommandExt;
        child.process_group(0);
    }
    child.spawn().is_ok()
}
