//! `dayopps serve` started on a free loopback port for a test, and stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Serving {
    child: Child,
    /// `host:port`, where it listens.
    pub address: String,
    /// What serve printed before it said where it listens.
    pub said: Vec<String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dayopps serve` on the site in `root`, as if on the fixtures' day (1 June 2026),
/// and waits for it to say where it listens.
pub fn start(root: &Path) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .stderr(Stdio::piped())
        .spawn()
        .expect("dayopps serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut said = Vec::new();
    let address = loop {
        let line = lines
            .next()
            .expect("serve says where it listens")
            .expect("a line");
        if let Some(rest) = line.split("on http://").nth(1) {
            break rest.split('/').next().expect("an address").to_string();
        }
        said.push(line);
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serving {
        child,
        address,
        said,
    }
}
