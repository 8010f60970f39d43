//! `dayopps serve` as a target: the binary on a free loopback port, its API under `/api`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::Target;

pub struct Serve {
    child: Child,
    address: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// Starts `dayopps serve` on the site in `root`, as if on the fixtures' day (1 June
    /// 2026), and waits for it to say where it listens.
    pub fn start(root: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dayopps"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .stderr(Stdio::piped())
            .spawn()
            .expect("dayopps serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("serve says where it listens")
                .expect("a line");
            if let Some(rest) = line.split("on http://").nth(1) {
                break rest.split('/').next().expect("an address").to_string();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Serve { child, address }
    }
}

impl Serve {
    /// The address serve builds the site for (its `base_url`), on which ids depend.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.address)
    }
}

impl Target for Serve {
    fn get(&self, path: &str) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("a timeout");
        let request = format!("GET /api{path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.address);
        stream.write_all(request.as_bytes()).expect("sends");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("reads");
        let text = String::from_utf8_lossy(&response);
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }
}
