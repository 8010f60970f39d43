//! `dayopps serve` as a target: the binary on a free loopback port, its API under `/api`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::Target;

/// `dayopps serve` on a site (see `common::serve`).
pub struct Serve(crate::common::serve::Serving);

impl Serve {
    /// Starts `dayopps serve` on the site in `root`, as if on the fixtures' day.
    pub fn start(root: &Path) -> Serve {
        Serve(crate::common::serve::start(root))
    }
}

impl Serve {
    /// The address serve builds the site for (its `base_url`), on which ids depend.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.0.address)
    }
}

impl Target for Serve {
    fn get(&self, path: &str) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.0.address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("a timeout");
        let request = format!(
            "GET /api{path} HTTP/1.0\r\nHost: {}\r\n\r\n",
            self.0.address
        );
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
