//! Writing the index: one document per listing, written into the site's output.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use tantivy::directory::Directory;
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};
use tantivy::{Index, TantivyDocument, doc};

use crate::memo::Memo;
use crate::model::facets::{self, Facet};
use crate::model::{Listing, Site};

use super::segments::BoundedWriter;
use super::{ANALYZER, IndexFiles, SearchError, StemmingOnce, TITLE_ANALYZER, analyzer, terms};

/// Where the index goes in the output.
pub const INDEX_DIR: &str = "search/index";
/// Groups of analysed terms that mean the same, from site.yaml, beside the index.
pub const SYNONYMS_FILE: &str = "search/synonyms.json";

/// Text fields and how much a match in each counts.
pub const TEXT_FIELDS: [(&str, f32); 5] = [
    ("title", 3.0),
    ("labels", 1.5),
    ("summary", 1.5),
    ("provider", 1.0),
    ("description", 1.0),
];

/// Segment files get random names; the output uses this one, so two builds are identical.
const FIXED_SEGMENT: &str = "00000000000000000000000000000001";
/// The index writer's memory for one segment: past it, the segment is finished and a new one
/// begun, and the segments are merged at the end (`segments.rs`). The demo's and a site of
/// 1,000 listings fit in one, so their index is written as before, merge-free; at 100,000
/// listings the writer's memory no longer grows with the site (bench/README.md).
pub const SEGMENT_BUDGET: usize = 64 * 1024 * 1024;

pub(super) fn schema(facets: &[Facet]) -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("slug", STRING | STORED);
    let text = |tokenizer| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                // Frequencies for ranking; no positions, as no query looks for a phrase.
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    for (name, _) in TEXT_FIELDS {
        let options = if name == "title" {
            text(TITLE_ANALYZER).set_stored()
        } else {
            text(ANALYZER)
        };
        b.add_text_field(name, options);
    }
    for facet in facets {
        b.add_facet_field(facet.key, FacetOptions::default());
    }
    b.build()
}

fn field(schema: &Schema, name: &str) -> Result<Field, SearchError> {
    schema.get_field(name).map_err(SearchError::tantivy("read"))
}

/// The words a listing's vocabulary terms are known by, so "dementia" finds the need.
fn labels(facets: &[Facet], listing: &Listing) -> String {
    let mut words = BTreeSet::new();
    for facet in facets {
        for key in facet.keys_of(listing) {
            if let Some(value) = facet.values.iter().find(|v| v.key == key) {
                words.insert(value.label.clone());
            }
        }
    }
    words.into_iter().collect::<Vec<_>>().join(". ")
}

/// The fields analysed before they reach the index writer, in this order. tantivy's writer
/// runs on one thread (to keep documents in listing order), and analysing, stemming above all,
/// was most of its work: it is done beforehand, on every thread, and the writer's tokenizer
/// for these fields (`Preanalysed`) just reads the words back.
const ANALYSED: [&str; 4] = ["provider", "summary", "description", "labels"];

/// Listings analysed at once: enough to keep every thread busy, few enough to hold.
const BATCH: usize = 256;

/// A listing's analysed words for the fields in `ANALYSED`, as `Preanalysed` reads them: the
/// word at each position, separated by spaces, and nothing for a position whose word the
/// analyzer dropped (words over 40 letters), so positions stay as the analyzer gave them.
/// Analysed words never hold a space: the analyzer splits text at every character that is
/// not a letter or digit.
#[derive(Clone)]
pub struct Analysed([String; 4]);

fn analyse(facets: &[Facet], l: &Listing) -> Analysed {
    Analysed([
        words(&l.provider),
        words(&l.summary),
        words(&l.description_text),
        words(&labels(facets, l)),
    ])
}

thread_local! {
    static ANALYSER: RefCell<StemmingOnce> = RefCell::new(StemmingOnce::new());
}

/// `text`'s words as `Preanalysed` reads them.
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    ANALYSER.with_borrow_mut(|analyser| {
        analyser.analyse(text, |word, position| {
            for _ in at..position {
                out.push(' ');
            }
            out.push_str(word);
            at = position;
        })
    });
    out
}

/// The index writer's tokenizer for words analysed beforehand (`Analysed`).
#[derive(Clone)]
struct Preanalysed;

struct PreanalysedStream<'a> {
    words: std::iter::Enumerate<std::str::Split<'a, char>>,
    token: Token,
}

impl Tokenizer for Preanalysed {
    type TokenStream<'a> = PreanalysedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreanalysedStream<'a> {
        PreanalysedStream {
            words: text.split(' ').enumerate(),
            token: Token::default(),
        }
    }
}

impl TokenStream for PreanalysedStream<'_> {
    fn advance(&mut self) -> bool {
        for (position, word) in self.words.by_ref() {
            if !word.is_empty() {
                self.token.text.clear();
                self.token.text.push_str(word);
                self.token.position = position;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

fn document(
    schema: &Schema,
    facets: &[Facet],
    l: &Listing,
    analysed: Analysed,
) -> Result<TantivyDocument, SearchError> {
    let mut d = doc!(
        field(schema, "slug")?  => l.slug.clone(),
        field(schema, "title")? => l.title.clone(),
    );
    for (name, words) in ANALYSED.into_iter().zip(analysed.0) {
        d.add_text(field(schema, name)?, words);
    }
    for facet in facets {
        let f = field(schema, facet.key)?;
        for key in facet.keys_of(l) {
            d.add_facet(f, tantivy::schema::Facet::from_path([key]));
        }
    }
    Ok(d)
}

/// The index writer, its segments cut at `budget` bytes. `analysed` reads the fields in
/// `ANALYSED`.
fn writer(
    schema: Schema,
    analysed: impl Into<TextAnalyzer>,
    budget: usize,
) -> Result<BoundedWriter, SearchError> {
    let tokenizers = TokenizerManager::default();
    tokenizers.register(ANALYZER, analysed.into());
    tokenizers.register(TITLE_ANALYZER, analyzer());
    BoundedWriter::new(schema, tokenizers, budget)
}

/// Builds the index in memory and returns its files, by path under `search/`.
/// Listings' words are taken from `made` when the build before analysed them.
pub fn build_index(site: &Site, made: &Memo<Arc<Analysed>>) -> Result<IndexFiles, SearchError> {
    build_index_in_segments(site, made, SEGMENT_BUDGET)
}

/// As `build_index`, the writer's segments cut at `budget` bytes of its memory.
pub fn build_index_in_segments(
    site: &Site,
    made: &Memo<Arc<Analysed>>,
    budget: usize,
) -> Result<IndexFiles, SearchError> {
    let facets = facets::facets(&site.config);
    let schema = schema(&facets);
    let tantivy_span = crate::timings::span("search index: tantivy");
    let mut writer = writer(schema.clone(), Preanalysed, budget)?;
    for batch in site.listings.chunks(BATCH) {
        let analysed: Vec<Analysed> = batch
            .par_iter()
            .map(|l| made.get(|| l.stamp, || Arc::new(analyse(&facets, l))))
            .map(Arc::unwrap_or_clone)
            .collect();
        for (listing, words) in batch.iter().zip(analysed) {
            writer.add_document(document(&schema, &facets, listing, words)?)?;
        }
    }
    let index = writer.finish()?;
    let mut files = segment_files(&index)?;
    drop(tantivy_span);
    let _t = crate::timings::span("search index: browser's");
    let synonyms = synonyms(site);
    files.push((SYNONYMS_FILE.to_string(), synonyms.to_string().into_bytes()));
    files.extend(super::browser::browser_files(
        site, &facets, &index, &synonyms,
    )?);
    Ok(files)
}

/// The index's files with the segment's random name replaced by a fixed one.
fn segment_files(index: &Index) -> Result<IndexFiles, SearchError> {
    let metas = index
        .searchable_segment_metas()
        .map_err(SearchError::tantivy("written"))?;
    let dir = index.directory();
    let read = |path: &str| dir.atomic_read(std::path::Path::new(path)).ok();
    let mut files = Vec::new();
    for meta in &metas {
        let id = meta.id().uuid_string();
        for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
            if let Some(bytes) = read(&format!("{id}.{ext}")) {
                files.push((format!("{INDEX_DIR}/{FIXED_SEGMENT}.{ext}"), bytes));
            }
        }
    }
    let meta_json = read("meta.json")
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let meta_json = metas.iter().fold(meta_json, |text, m| {
        let id = m.id().uuid_string();
        text.replace(&hyphenated(&id), &hyphenated(FIXED_SEGMENT))
    });
    files.push((format!("{INDEX_DIR}/meta.json"), meta_json.into_bytes()));
    Ok(files)
}

/// meta.json writes segment ids as hyphenated UUIDs; file names use the plain form.
fn hyphenated(id: &str) -> String {
    if id.len() != 32 || !id.is_ascii() {
        return id.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &id[..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..]
    )
}

/// Synonym groups as analysed terms: site.yaml's `search.synonyms`, and each vocabulary
/// term's synonyms grouped with its label.
fn synonyms(site: &Site) -> serde_json::Value {
    let mut groups: Vec<Vec<Vec<String>>> = Vec::new();
    for group in &site.config.search_synonyms {
        groups.push(group.iter().map(|w| terms(w)).collect());
    }
    let v = &site.config.vocabularies;
    for vocab in [
        &v.needs,
        &v.service_types,
        &v.activities,
        &v.funding,
        &v.referral,
        &v.accessibility,
        &v.outcomes,
        &v.areas,
    ] {
        for term in vocab.terms.iter().filter(|t| !t.synonyms.is_empty()) {
            let mut group = vec![terms(&term.label)];
            group.extend(term.synonyms.iter().map(|s| terms(s)));
            groups.push(group);
        }
    }
    for g in &mut groups {
        g.retain(|t| !t.is_empty());
    }
    groups.retain(|g| g.len() > 1);
    serde_json::json!(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of an index of one document holding `text`, analysed by the writer or
    /// beforehand.
    fn index_of(text: &str, beforehand: bool) -> IndexFiles {
        let mut schema = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let field = schema.add_text_field("f", options);
        let (mut writer, value) = if beforehand {
            (
                writer(schema.build(), Preanalysed, SEGMENT_BUDGET).unwrap(),
                words(text),
            )
        } else {
            (
                writer(schema.build(), analyzer(), SEGMENT_BUDGET).unwrap(),
                text.to_string(),
            )
        };
        writer.add_document(doc!(field => value)).unwrap();
        let index = writer.finish().unwrap();
        segment_files(&index).unwrap()
    }

    #[test]
    fn words_analysed_beforehand_are_indexed_as_the_analyzer_would() {
        let long = "x".repeat(41);
        let text = format!("  Cooking, café trips & {long} gardening: 3pm-5pm, Cooking again!");
        let words = words(&text);
        assert!(
            words.contains("trip  garden"),
            "a dropped word keeps its place: {words}"
        );
        assert_eq!(index_of(&text, true), index_of(&text, false));
    }
}
