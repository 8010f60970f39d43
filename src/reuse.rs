//! What one build can reuse from the build before it. `dayopps serve` rebuilds after every
//! save; most of the site is made of the same inputs as last time, so each costly step (a
//! listing checked, a page rendered, a service's open data) is kept under a hash of
//! everything it is made from, and made again only when that hash is new. A result is made
//! by the same code either way, so a rebuild gives the same bytes as a build from nothing
//! (tests/rebuild.rs checks this after random edits).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use crate::model::Site;
use crate::search::{Analysed, IndexFiles, SearchError};
use crate::validate::Checked;

/// Results kept under the hash of their inputs, for one more build.
pub struct Memo<V> {
    on: bool,
    /// What the last build made.
    previous: HashMap<u64, V>,
    /// What this build has used or made so far: the next build's `previous`, so results
    /// nobody asked for again are dropped.
    current: Mutex<HashMap<u64, V>>,
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
            None => make()?,
        };
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, value.clone());
        Ok(value)
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
        let current = self
            .current
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut self.previous, std::mem::take(current))
    }
}

/// Everything a rebuild can reuse.
#[derive(Default)]
pub struct Reuse {
    pub listings: Memo<Checked>,
    /// Minified HTML: pages, and cards.
    pub html: Memo<Arc<[u8]>>,
    /// Listings' words, analysed for the search index, which `dayopps serve` makes on a
    /// thread of its own.
    pub words: Arc<Words>,
    /// Rows of services.csv.
    pub csv_rows: Memo<Arc<str>>,
    /// Open Referral UK service documents.
    pub services: Memo<Arc<crate::export::oruk::Service>>,
    /// The theme, its templates compiled and minified.
    pub theme: Memo<Arc<crate::render::theme::Theme>>,
}

impl Reuse {
    pub fn new() -> Self {
        Reuse::default()
    }

    pub fn off() -> Self {
        Reuse {
            listings: Memo::off(),
            html: Memo::off(),
            services: Memo::off(),
            words: Arc::new(Words {
                memo: Mutex::new(Memo::off()),
                ..Words::default()
            }),
            csv_rows: Memo::off(),
            theme: Memo::off(),
        }
    }

    pub fn finish(&mut self) {
        let unused = (
            self.listings.finish(),
            self.html.finish(),
            self.services.finish(),
            self.csv_rows.finish(),
            self.theme.finish(),
        );
        // Freeing thousands of results takes milliseconds a rebuild need not wait for.
        std::thread::spawn(move || drop(unused));
    }

    /// The search index's files for `site`, reusing the words the index before analysed.
    pub fn search_index(&self, site: &Site) -> Result<IndexFiles, SearchError> {
        index(&mut self.words.lock(), site)
    }
}

/// Listings' words, analysed for the search index, kept from one index to the next; and
/// which index was asked for last, so that one asked for before it need not be made.
#[derive(Default)]
pub struct Words {
    memo: Mutex<Memo<Arc<Analysed>>>,
    asked: AtomicU64,
}

impl Words {
    /// A ticket for an index to be made: the newest asked for, until the next ticket.
    pub fn ticket(&self) -> u64 {
        self.asked.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether no index was asked for after `ticket`.
    fn is_newest(&self, ticket: u64) -> bool {
        self.asked.load(Ordering::SeqCst) == ticket
    }

    /// The search index's files for `site`, waiting for any index being made; `None` when
    /// a newer index has been asked for meanwhile, which makes this one needless (saves
    /// quicker than indexes are made must not queue up indexes).
    pub fn newest_index(
        &self,
        site: &Site,
        ticket: u64,
    ) -> Result<Option<IndexFiles>, SearchError> {
        let mut memo = self.lock();
        if !self.is_newest(ticket) {
            return Ok(None);
        }
        index(&mut memo, site).map(Some)
    }

    fn lock(&self) -> MutexGuard<'_, Memo<Arc<Analysed>>> {
        self.memo.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The search index's files for `site`, with the words `memo` kept from the index before.
fn index(memo: &mut Memo<Arc<Analysed>>, site: &Site) -> Result<IndexFiles, SearchError> {
    let _t = crate::timings::span("search index");
    let files = crate::search::build_index(site, memo)?;
    memo.finish();
    Ok(files)
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

    /// What a render of the theme's `template` with `context` is made from.
    pub fn render(template: &str, templates: u64, context: &tera::Context) -> Key {
        Key::new(template)
            .part(&templates)
            .json(&context.clone().into_json())
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
    fn only_the_index_asked_for_last_is_the_newest() {
        let words = Words::default();
        let first = words.ticket();
        assert!(words.is_newest(first));
        let second = words.ticket();
        assert!(!words.is_newest(first), "a newer index was asked for");
        assert!(words.is_newest(second));
    }

    #[test]
    fn keys_differ_with_any_part() {
        let key = |what, x: u32| Key::new(what).json(&serde_json::json!({ "x": x })).finish();
        assert_ne!(key("card", 1), key("card", 2));
        assert_ne!(key("card", 1), key("page", 1));
        assert_eq!(key("card", 1), key("card", 1));
    }
}
