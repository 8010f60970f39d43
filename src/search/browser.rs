//! The browser's index, derived from tantivy's: analysed terms with the scores tantivy
//! computes, sharded by their first two letters, and a small table of documents.
//! The format is described in docs/search.md.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tantivy::collector::TopDocs;
use tantivy::{Index, Searcher};

use crate::model::schedule::days_text;
use crate::model::{Listing, Site};
use crate::render::facets::Facet;
use crate::render::urls::Urls;

use super::SearchError;
use super::index::TEXT_FIELDS;
use super::query::any_field_query;

/// Scores keep this many decimals: enough to order results, small to send.
const SCORE_DECIMALS: f64 = 10_000.0;

/// The shard a term lives in: its first two characters.
pub fn shard_of(term: &str) -> String {
    term.chars().take(2).collect()
}

/// `search/meta.json`, `search/docs.json` and `search/terms/<shard>.json`.
pub fn browser_files(
    site: &Site,
    facets: &[Facet],
    index: &Index,
    synonyms: &Value,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let reader = index.reader().map_err(SearchError::tantivy("read"))?;
    let searcher = reader.searcher();
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<(u32, f64)>>> = BTreeMap::new();
    for term in all_terms(&searcher, index)? {
        let postings = postings(&searcher, index, &term)?;
        shards
            .entry(shard_of(&term))
            .or_default()
            .insert(term, postings);
    }
    let mut files = Vec::new();
    for (shard, terms) in &shards {
        let map: serde_json::Map<String, Value> = terms
            .iter()
            .map(|(t, p)| {
                (
                    t.clone(),
                    json!(p.iter().map(|(d, s)| json!([d, s])).collect::<Vec<_>>()),
                )
            })
            .collect();
        files.push((
            format!("search/terms/{shard}.json"),
            Value::Object(map).to_string().into_bytes(),
        ));
    }
    let meta = json!({
        "version": 1,
        "count": site.listings.len(),
        "facets": facets.iter().map(|f| json!({
            "key": f.key,
            "label": f.label,
            "values": f.values.iter().map(|v| json!({"key": v.key, "label": v.label})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "synonyms": synonyms,
        "shards": shards.keys().collect::<Vec<_>>(),
    });
    files.push(("search/meta.json".into(), meta.to_string().into_bytes()));
    files.push((
        "search/docs.json".into(),
        docs(site, facets).to_string().into_bytes(),
    ));
    Ok(files)
}

/// Every term of every text field, once.
fn all_terms(searcher: &Searcher, index: &Index) -> Result<BTreeSet<String>, SearchError> {
    let schema = index.schema();
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        for (name, _) in TEXT_FIELDS {
            let field = schema
                .get_field(name)
                .map_err(SearchError::tantivy("read"))?;
            let inverted = segment
                .inverted_index(field)
                .map_err(SearchError::tantivy("read"))?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| SearchError::Tantivy {
                    action: "read",
                    source: e.into(),
                })?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    out.insert(term.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The documents holding `term` with the score tantivy gives them for it.
fn postings(
    searcher: &Searcher,
    index: &Index,
    term: &str,
) -> Result<Vec<(u32, f64)>, SearchError> {
    let query = any_field_query(&index.schema(), term)?;
    let limit = (searcher.num_docs() as usize).max(1);
    let found = searcher
        .search(&query, &TopDocs::with_limit(limit).order_by_score())
        .map_err(SearchError::tantivy("searched"))?;
    let mut out: Vec<(u32, f64)> = found
        .into_iter()
        .map(|(score, address)| {
            (
                address.doc_id,
                (f64::from(score) * SCORE_DECIMALS).round() / SCORE_DECIMALS,
            )
        })
        .collect();
    out.sort_by_key(|(doc, _)| *doc);
    Ok(out)
}

fn docs(site: &Site, facets: &[Facet]) -> Value {
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    Value::Array(
        site.listings
            .iter()
            .map(|l| doc(l, site, facets, &urls))
            .collect(),
    )
}

fn doc(l: &Listing, site: &Site, facets: &[Facet], urls: &Urls) -> Value {
    let area = site
        .config
        .vocabularies
        .areas
        .get(&l.area)
        .map_or(l.area.as_str(), |t| t.label.as_str());
    let mut f = serde_json::Map::new();
    for facet in facets {
        let keys = facet.keys_of(l);
        let indexes: Vec<usize> = facet
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| keys.iter().any(|k| k.as_ref() == v.key))
            .map(|(i, _)| i)
            .collect();
        f.insert(facet.key.to_string(), json!(indexes));
    }
    json!({
        "id": l.slug,
        "t": l.title,
        "u": urls.service(&l.slug),
        "s": l.summary,
        "a": area,
        "d": days_text(&l.open_days()),
        "f": f,
    })
}
