//! `DAYOPPS_TIMINGS=1` prints how long each stage of a build takes, and when it started and
//! ended counted from the first stage's start, to standard error: for finding where the time
//! goes, and which stages wait on which, before changing anything (bench/README.md).

use std::sync::OnceLock;
use std::time::Instant;

/// Prints its name and how long it lived when dropped, if timings are on.
pub struct Span {
    name: &'static str,
    started: Option<Instant>,
}

/// When the first span started: the zero of the times printed.
static FIRST: OnceLock<Instant> = OnceLock::new();

/// Starts timing `name` until the span is dropped.
pub fn span(name: &'static str) -> Span {
    let started = enabled().then(Instant::now);
    if let Some(at) = started {
        FIRST.get_or_init(|| at);
    }
    Span { name, started }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            let ended = Instant::now();
            let ms = |from: Instant, to: Instant| (to - from).as_secs_f64() * 1000.0;
            let first = FIRST.get().copied().unwrap_or(started);
            eprintln!(
                "{:>9.1} ms  {}  ({:.1}-{:.1})",
                ms(started, ended),
                self.name,
                ms(first, started),
                ms(first, ended)
            );
        }
    }
}

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DAYOPPS_TIMINGS").is_some_and(|v| v != "0"))
}

/// Prints `text` beside the stages' times, if timings are on: what a stage found worth
/// knowing when reading them (how many segments the search index was written in).
pub fn note(text: impl FnOnce() -> String) {
    if enabled() {
        eprintln!("{:>9}     {}", "", text());
    }
}
