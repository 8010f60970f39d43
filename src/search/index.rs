//! Writing the index: one document per listing, written into the site's output.

use std::collections::BTreeSet;

use tantivy::directory::Directory;
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexWriter, TantivyDocument, doc};

use crate::model::{Listing, Site};
use crate::render::facets::{self, Facet};

use super::{ANALYZER, SearchError, analyzer, terms};

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
const MEMORY_BUDGET: usize = 64 * 1024 * 1024;

pub(super) fn schema(facets: &[Facet]) -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("slug", STRING | STORED);
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    for (name, _) in TEXT_FIELDS {
        let options = if name == "title" {
            text.clone().set_stored()
        } else {
            text.clone()
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

fn document(
    schema: &Schema,
    facets: &[Facet],
    l: &Listing,
) -> Result<TantivyDocument, SearchError> {
    let mut d = doc!(
        field(schema, "slug")?  => l.slug.clone(),
        field(schema, "title")? => l.title.clone(),
        field(schema, "provider")? => l.provider.clone(),
        field(schema, "summary")? => l.summary.clone(),
        field(schema, "description")? => l.description_text.clone(),
        field(schema, "labels")? => labels(facets, l),
    );
    for facet in facets {
        let f = field(schema, facet.key)?;
        for key in facet.keys_of(l) {
            d.add_facet(f, tantivy::schema::Facet::from_path([key.as_ref()]));
        }
    }
    Ok(d)
}

/// Builds the index in memory and returns its files, by path under `search/`.
pub fn build_index(site: &Site) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let facets = facets::facets(&site.config);
    let schema = schema(&facets);
    let index = Index::create_in_ram(schema.clone());
    index.tokenizers().register(ANALYZER, analyzer());
    // One thread keeps document ids in listing order, so the index is the same every build.
    let mut writer: IndexWriter = index
        .writer_with_num_threads(1, MEMORY_BUDGET)
        .map_err(SearchError::tantivy("written"))?;
    for listing in &site.listings {
        writer
            .add_document(document(&schema, &facets, listing)?)
            .map_err(SearchError::tantivy("written"))?;
    }
    writer.commit().map_err(SearchError::tantivy("written"))?;
    merge_into_one_segment(&index, &mut writer)?;
    writer
        .wait_merging_threads()
        .map_err(SearchError::tantivy("written"))?;
    let mut files = segment_files(&index)?;
    let synonyms = synonyms(site);
    files.push((SYNONYMS_FILE.to_string(), synonyms.to_string().into_bytes()));
    files.extend(super::browser::browser_files(
        site, &facets, &index, &synonyms,
    )?);
    Ok(files)
}

fn merge_into_one_segment(index: &Index, writer: &mut IndexWriter) -> Result<(), SearchError> {
    let ids = index
        .searchable_segment_ids()
        .map_err(SearchError::tantivy("written"))?;
    if ids.len() > 1 {
        writer
            .merge(&ids)
            .wait()
            .map_err(SearchError::tantivy("written"))?;
    }
    Ok(())
}

/// The index's files with the segment's random name replaced by a fixed one.
fn segment_files(index: &Index) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
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
