//! What one build can reuse from the build before it. `dayopps serve` rebuilds after every
//! save; most of the site is made of the same inputs as last time, so each costly step (a
//! listing checked, a page rendered, a service's open data) is kept under a hash of
//! everything it is made from, and made again only when that hash is new. A result is made
//! by the same code either way, so a rebuild gives the same bytes as a build from nothing
//! (tests/rebuild.rs checks this after random edits).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::memo::Memo;
use crate::model::Site;
use crate::search::{Analysed, IndexFiles, SearchError};
use crate::validate::{Checked, Table};

/// Everything a rebuild can reuse.
#[derive(Default)]
pub struct Reuse {
    /// The text of each file read, while the file system says it has not changed.
    pub files: crate::load::Kept,
    /// Each listing checked.
    pub listings: Memo<Arc<Checked>>,
    /// The postcode table, parsed.
    pub postcodes: Memo<Table>,
    /// Minified HTML: pages, and cards.
    pub html: Memo<Arc<[u8]>>,
    /// Listings' words, analysed for the search index, which `dayopps serve` makes on a
    /// thread of its own.
    pub words: Arc<Words>,
    /// What the exports reuse, which `dayopps serve` makes on a thread of its own.
    pub exported: Arc<Exported>,
    /// The theme, its templates compiled and minified.
    pub theme: Memo<Arc<crate::render::theme::Theme>>,
}

impl Reuse {
    pub fn new() -> Self {
        Reuse::default()
    }

    pub fn off() -> Self {
        Reuse {
            files: crate::load::Kept::off(),
            listings: Memo::off(),
            postcodes: Memo::off(),
            html: Memo::off(),
            exported: Arc::new(Exported {
                services: Mutex::new(Memo::off()),
                csv_rows: Mutex::new(Memo::off()),
                ..Exported::default()
            }),
            words: Arc::new(Words {
                memo: Mutex::new(Memo::off()),
                ..Words::default()
            }),
            theme: Memo::off(),
        }
    }

    pub fn finish(&mut self) {
        let unused = (
            self.files.finish(),
            self.listings.finish(),
            self.postcodes.finish(),
            self.html.finish(),
            self.exported.services().finish(),
            self.exported.csv_rows().finish(),
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

/// What the exports reuse: Open Referral UK service documents (the live API's too) and the
/// rows of services.csv; and which exports were asked for last, as for the search index.
#[derive(Default)]
pub struct Exported {
    services: Mutex<Memo<Arc<crate::export::oruk::Service>>>,
    csv_rows: Mutex<Memo<Arc<str>>>,
    asked: AtomicU64,
}

impl Exported {
    pub fn services(&self) -> MutexGuard<'_, Memo<Arc<crate::export::oruk::Service>>> {
        self.services.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn csv_rows(&self) -> MutexGuard<'_, Memo<Arc<str>>> {
        self.csv_rows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A ticket for exports to be made: the newest asked for, until the next ticket.
    pub fn ticket(&self) -> u64 {
        self.asked.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether no exports were asked for after `ticket`.
    pub fn is_newest(&self, ticket: u64) -> bool {
        self.asked.load(Ordering::SeqCst) == ticket
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_index_asked_for_last_is_the_newest() {
        let words = Words::default();
        let first = words.ticket();
        assert!(words.is_newest(first));
        let second = words.ticket();
        assert!(!words.is_newest(first), "a newer index was asked for");
        assert!(words.is_newest(second));
    }
}
