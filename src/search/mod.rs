//! Search: the tantivy index of every listing, written with the site, and queries against it.
//!
//! tantivy is the engine of record: `dayopps build` writes the index into the output
//! (`search/index/`) with one analyzer, and `dayopps search` answers from that index.

mod browser;
mod index;
mod query;

pub use index::{Analysed, INDEX_DIR, SYNONYMS_FILE, build_index};
pub use query::{Hit, Query, SearchIndex};

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
}

impl SearchError {
    fn tantivy(action: &'static str) -> impl FnOnce(tantivy::TantivyError) -> SearchError {
        move |source| SearchError::Tantivy { action, source }
    }
}

/// The analyzer, remembering each word's stem: a thread stems a word once, not at every use
/// (stemming was most of the time spent analysing). Its words are `analyzer()`'s.
pub(crate) struct StemmingOnce {
    unstemmed: TextAnalyzer,
    stemmer: TextAnalyzer,
    stems: foldhash::HashMap<String, String>,
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
            stems: foldhash::HashMap::default(),
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
            stems.clear();
        }
        unstemmed.token_stream(text).process(&mut |token| {
            let stem = match stems.get(&token.text) {
                Some(stem) => stem,
                None => {
                    let mut stem = token.text.clone();
                    stemmer
                        .token_stream(&token.text)
                        .process(&mut |t| stem.clone_from(&t.text));
                    stems.entry(token.text.clone()).or_insert(stem)
                }
            };
            each(stem, token.position);
        });
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
        ] {
            assert!(super::made_by_index(path), "{path}");
        }
        for path in ["search/index.html", "search/", "index.html", "services.csv"] {
            assert!(!super::made_by_index(path), "{path}");
        }
    }

    #[test]
    fn analysis_lowercases_folds_and_stems() {
        assert_eq!(
            super::terms("Gardening CAFÉ, Dementia-friendly"),
            ["garden", "cafe", "dementia", "friend"]
        );
    }
}
