//! `DAYOPPS_TIMINGS=1` prints how long each stage of a build takes, to standard error: for
//! finding where the time goes before changing anything (bench/README.md).

use std::sync::OnceLock;
use std::time::Instant;

/// Prints its name and how long it lived when dropped, if timings are on.
pub struct Span {
    name: &'static str,
    started: Option<Instant>,
}

/// Starts timing `name` until the span is dropped.
pub fn span(name: &'static str) -> Span {
    Span {
        name,
        started: enabled().then(Instant::now),
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            eprintln!("{ms:>9.1} ms  {}", self.name);
        }
    }
}

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DAYOPPS_TIMINGS").is_some_and(|v| v != "0"))
}
