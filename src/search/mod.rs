//! Search: the tantivy index of every listing, written with the site, and queries against it.
//!
//! tantivy is the engine of record: `dayopps build` writes the index into the output
//! (`search/index/`) with one analyzer, and `dayopps search` answers from that index.

mod browser;
mod browser_near;
mod browser_pairs;
mod browser_terms;
mod index;
pub mod near;
mod query;
mod segments;

pub use index::{
    Analysed, INDEX_DIR, SEGMENT_BUDGET, SYNONYMS_FILE, build_index, build_index_in_segments,
};
pub use query::{Hit, Query, SearchIndex};

use std::hash::BuildHasher as _;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, TextAnalyzerBuilder, Tokenizer,
};

/// The files `build_index` makes, by path under the output, with their bytes.
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// Whether `path`, under the output, is one of the files `build_index` makes.
pub fn made_by_index(path: &str) -> bool {
    path == SYNONYMS_FILE
        || path
            .strip_prefix(INDEX_DIR)
            .is_some_and(|rest| rest.starts_with('/'))
        || browser::is_browser_file(path)
}

/// The analyzer's registered name, used by every text field but the title.
pub const ANALYZER: &str = "dayopps";
/// The same analyzer, for the title: the one text field the index stores, so the one the
/// writer analyses itself (`index::Preanalysed`).
pub const TITLE_ANALYZER: &str = "dayopps_title";

/// Simple tokenizer, lower-case, ASCII folding, English stemming: the browser mirrors this.
pub fn analyzer() -> TextAnalyzer {
    unstemmed().filter(stemming()).build()
}

/// The analyzer's words before stemming.
fn unstemmed() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

fn stemming() -> Stemmer {
    Stemmer::new(Language::English)
}

/// The analysed terms of a text, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index could not be {action}: {source}")]
    Tantivy {
        action: &'static str,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error(
        "there is no search index in {0}\n  help: run `dayopps build` first, or pass --root with the folder that holds site.yaml"
    )]
    NoIndex(std::path::PathBuf),
    #[error("`{0}` is not something to filter by\n  help: the facets are {1}")]
    BadFilter(String, String),
    #[error("could not read the search index at {path}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SearchError {
    fn tantivy(action: &'static str) -> impl FnOnce(tantivy::TantivyError) -> SearchError {
        move |source| SearchError::Tantivy { action, source }
    }

    fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> SearchError {
        let path = path.to_path_buf();
        move |source| SearchError::Io { path, source }
    }
}

/// The analyzer, remembering each word's stem: a thread stems a word once, not at every use
/// (stemming was most of the time spent analysing). Its words are `analyzer()`'s.
pub(crate) struct StemmingOnce {
    unstemmed: TextAnalyzer,
    stemmer: TextAnalyzer,
    stems: Stems,
}

/// Words remembered before the memory is given back: a few megabytes.
const STEMS_KEPT: usize = 100_000;

impl StemmingOnce {
    pub(crate) fn new() -> Self {
        StemmingOnce {
            unstemmed: unstemmed().build(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(stemming())
                .build(),
            stems: Stems::default(),
        }
    }

    /// Calls `each` with every analysed word of `text` and its position.
    pub(crate) fn analyse(&mut self, text: &str, mut each: impl FnMut(&str, usize)) {
        let StemmingOnce {
            unstemmed,
            stemmer,
            stems,
        } = self;
        if stems.len() > STEMS_KEPT {
            *stems = Stems::default();
        }
        unstemmed.token_stream(text).process(&mut |token| {
            let word = token.text.as_str();
            let hash = stems.hash(word);
            if let Some(stem) = stems.get(hash, word) {
                return each(stem, token.position);
            }
            let mut stem = word.to_string();
            stemmer
                .token_stream(word)
                .process(&mut |t| stem.clone_from(&t.text));
            stems.insert(hash, word, &stem);
            each(&stem, token.position);
        });
    }
}

/// Words and their stems, in one buffer, found through a table of small entries: a table
/// and buffer that stay in the processor's cache. (A map from word to stem, as strings,
/// missed the cache at nearly every word: half the time spent analysing.)
#[derive(Default)]
struct Stems {
    /// Each word, then its stem.
    text: String,
    table: hashbrown::HashTable<Stemmed>,
    hasher: foldhash::fast::RandomState,
}

/// Where a word and its stem are in `Stems::text`.
#[derive(Clone, Copy)]
struct Stemmed {
    at: u32,
    word: u16,
    stem: u16,
}

impl Stemmed {
    fn word(self, text: &str) -> &str {
        let at = self.at as usize;
        &text[at..at + usize::from(self.word)]
    }

    fn stem(self, text: &str) -> &str {
        let at = self.at as usize + usize::from(self.word);
        &text[at..at + usize::from(self.stem)]
    }
}

impl Stems {
    fn len(&self) -> usize {
        self.table.len()
    }

    fn hash(&self, word: &str) -> u64 {
        self.hasher.hash_one(word)
    }

    fn get(&self, hash: u64, word: &str) -> Option<&str> {
        let found = self.table.find(hash, |s| s.word(&self.text) == word)?;
        Some(found.stem(&self.text))
    }

    /// Remembers `word`'s stem, unless either is too long to place (analysed words are at
    /// most 40 characters) or the buffer is full; either way, it is stemmed again next time.
    fn insert(&mut self, hash: u64, word: &str, stem: &str) {
        let (Ok(at), Ok(w), Ok(st)) = (
            u32::try_from(self.text.len()),
            u16::try_from(word.len()),
            u16::try_from(stem.len()),
        ) else {
            return;
        };
        if at.checked_add(u32::from(w) + u32::from(st)).is_none() {
            return;
        }
        self.text.push_str(word);
        self.text.push_str(stem);
        let entry = Stemmed {
            at,
            word: w,
            stem: st,
        };
        let Stems {
            text,
            table,
            hasher,
        } = self;
        table.insert_unique(hash, entry, |s| hasher.hash_one(s.word(text)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_files_are_told_from_the_pages_beside_them() {
        for path in [
            "search/index/meta.json",
            "search/index/00000000000000000000000000000001.idx",
            "search/synonyms.json",
            "search/meta.json",
            "search/terms/0.json",
            "search/docs/12.json",
            "search/facets/0.json",
            "search/rest/3.json",
            "search/pairs/0-1.json",
        ] {
            assert!(super::made_by_index(path), "{path}");
        }
        for path in ["search/index.html", "search/", "index.html", "services.csv"] {
            assert!(!super::made_by_index(path), "{path}");
        }
    }

    #[test]
    fn stems_are_remembered_and_found_again() {
        let mut analyser = super::StemmingOnce::new();
        let mut seen = Vec::new();
        for _ in 0..2 {
            analyser.analyse("Gardening gardens CAFÉ gardening", |word, position| {
                seen.push((word.to_string(), position))
            });
        }
        let words: Vec<&str> = seen.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words[..4], ["garden", "garden", "cafe", "garden"]);
        assert_eq!(seen[..4], seen[4..], "the same words from memory");
        // "gardening", "gardens" and "cafe", each once.
        assert_eq!(analyser.stems.len(), 3);
    }

    #[test]
    fn analysis_lowercases_folds_and_stems() {
        assert_eq!(
            super::terms("Gardening CAFÉ, Dementia-friendly"),
            ["garden", "cafe", "dementia", "friend"]
        );
    }
}
