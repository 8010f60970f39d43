//! Results kept under a hash of what they are made from, so that a rebuild makes again only
//! what changed (`reuse` holds one memo per costly step of the build). Generic: it knows
//! nothing of what it keeps.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

/// Results kept under the hash of their inputs, for one more build.
pub struct Memo<V> {
    on: bool,
    /// What the last build made.
    previous: HashMap<u64, V>,
    /// What this build has used or made so far: the next build's `previous`, so results
    /// nobody asked for again are dropped.
    current: Mutex<HashMap<u64, V>>,
    /// How many results this build made rather than reused, and the last finished build:
    /// for tests that a rebuild does work in proportion to what changed.
    making: AtomicUsize,
    made: usize,
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo::new()
    }
}

impl<V: Clone> Memo<V> {
    /// Keeps results from one build to the next.
    pub fn new() -> Self {
        Memo {
            on: true,
            previous: HashMap::new(),
            current: Mutex::new(HashMap::new()),
            making: AtomicUsize::new(0),
            made: 0,
        }
    }

    /// Keeps nothing: a single build has nothing to reuse, and need not hash its inputs.
    pub fn off() -> Self {
        Memo {
            on: false,
            ..Memo::new()
        }
    }

    /// The result kept under `key()`, or `make()`'s, kept for next time.
    pub fn get_or_make<E>(
        &self,
        key: impl FnOnce() -> u64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if !self.on {
            return make();
        }
        let key = key();
        let value = match self.previous.get(&key) {
            Some(v) => v.clone(),
            None => {
                self.making.fetch_add(1, Ordering::Relaxed);
                make()?
            }
        };
        self.keep(key, value.clone());
        Ok(value)
    }

    /// `make()`'s result, neither looked for nor kept: for a result whose inputs cannot be
    /// told apart from another's this time (a file changed too recently to trust its times).
    pub fn make_unkept<E>(&self, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        self.making.fetch_add(1, Ordering::Relaxed);
        make()
    }

    /// Whether results are kept at all.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Keeps `value`, known to be what `key` stands for, for the next build as if it had
    /// been asked for: for a caller that knows without asking that a result is unchanged.
    pub fn keep(&self, key: u64, value: V) {
        if self.on {
            self.current
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key, value);
        }
    }

    /// As `get_or_make`, for results that cannot fail.
    pub fn get(&self, key: impl FnOnce() -> u64, make: impl FnOnce() -> V) -> V {
        match self.get_or_make::<std::convert::Infallible>(key, || Ok(make())) {
            Ok(v) => v,
        }
    }

    /// Ends a build: what it used is what the next one can reuse. Returns what it did not
    /// use, for the caller to free.
    pub fn finish(&mut self) -> HashMap<u64, V> {
        self.made = std::mem::take(self.making.get_mut());
        let current = self
            .current
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut self.previous, std::mem::take(current))
    }
}

impl<V> Memo<V> {
    /// How many results the last finished build made, not finding them kept.
    pub fn made(&self) -> usize {
        self.made
    }
}

/// A hash of what a result is made from, built up part by part.
pub struct Key(DefaultHasher);

impl Key {
    /// `what` tells apart results of different kinds made from the same parts.
    pub fn new(what: &str) -> Key {
        let mut hasher = DefaultHasher::new();
        what.hash(&mut hasher);
        Key(hasher)
    }

    pub fn part(mut self, part: &(impl Hash + ?Sized)) -> Key {
        part.hash(&mut self.0);
        self
    }

    /// A part hashed as the JSON it serialises to.
    pub fn json(mut self, part: &impl Serialize) -> Key {
        // Writing into a hasher cannot fail, and a value that cannot be serialised could
        // not be rendered either.
        let _ = serde_json::to_writer(HashWriter(&mut self.0), part);
        self.0.write_u8(0xff);
        self
    }

    pub fn finish(self) -> u64 {
        self.0.finish()
    }
}

struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_once_while_the_key_is_used_and_forgets_what_is_not() {
        let mut memo: Memo<u32> = Memo::new();
        let made = std::cell::Cell::new(0);
        let get = |memo: &Memo<u32>, key: u64| {
            memo.get_or_make::<()>(
                || key,
                || {
                    made.set(made.get() + 1);
                    Ok(key as u32)
                },
            )
        };
        assert_eq!(get(&memo, 1), Ok(1));
        memo.finish();
        assert_eq!(get(&memo, 1), Ok(1));
        assert_eq!(made.get(), 1, "reused from the build before");
        memo.finish();
        assert_eq!(memo.made(), 0, "the last build made nothing");
        memo.finish();
        memo.finish();
        assert_eq!(get(&memo, 1), Ok(1));
        assert_eq!(made.get(), 2, "a build that did not use it dropped it");
    }

    #[test]
    fn off_makes_every_time() {
        let memo: Memo<u32> = Memo::off();
        let made = std::cell::Cell::new(0);
        for _ in 0..2 {
            let _ = memo.get_or_make::<()>(
                || 1,
                || {
                    made.set(made.get() + 1);
                    Ok(1)
                },
            );
        }
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn keys_differ_with_any_part() {
        let key = |what, x: u32| Key::new(what).json(&serde_json::json!({ "x": x })).finish();
        assert_ne!(key("card", 1), key("card", 2));
        assert_ne!(key("card", 1), key("page", 1));
        assert_eq!(key("card", 1), key("card", 1));
    }
}
