//! The browser's index, derived from tantivy's: analysed terms with the scores tantivy
//! computes, in shards of about the same size; which services hold each facet value, a file
//! per facet; and the table of services to show, in chunks. A first search fetches the
//! runtime, `meta.json`, the shards its words live in and the chunks of its first results, so
//! a small directory, packed into one shard and one chunk, answers in four requests. A facet's
//! file comes only when its filter group is opened or one of its values is ticked: at 10,000
//! services the facets are three quarters of what a first search would otherwise fetch. The
//! format is in docs/search.md.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use base64::Engine as _;
use rayon::prelude::*;
use serde_json::{Value, json};
use tantivy::postings::Postings as _;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Schema;
use tantivy::{DocSet, Index, Searcher, SegmentReader, TERMINATED};

use crate::model::facets::Facet;
use crate::model::facets::memberships;
use crate::model::schedule::days_text;
use crate::model::urls::{Urls, services_rel};
use crate::model::{Listing, Site};

use super::index::TEXT_FIELDS;
use super::{IndexFiles, SearchError};

/// Scores keep this many decimals: enough to order results, small to send. They are sent
/// as whole numbers of ten-thousandths, which the browser divides back: its quotient is the
/// very number a decimal "1.2345" would parse to, and the digits go without their point.
const SCORE_DECIMALS: f64 = 10_000.0;

/// Each term with its documents and their scores in ten-thousandths, in doc order.
type Postings = Vec<(String, Vec<(u32, u64)>)>;

/// A directory whose terms take at most this many bytes of JSON sends them in one shard...
const ONE_SHARD_BYTES: usize = 96 * 1024;

/// ...and a larger one in shards of at most this many (a third of that gzipped), but for a
/// term larger on its own, which takes a shard alone: a common word's first search then
/// fetches its own postings and nothing else.
const SHARD_BYTES: usize = 24 * 1024;

/// A directory whose service table is at most this many bytes sends it in one chunk...
const ONE_CHUNK_BYTES: usize = 64 * 1024;

/// ...and a larger one in chunks of this many services, so a page of results costs little.
const CHUNK_SERVICES: usize = 8;

/// Where the browser index's files go in the output: the table of contents, then shards of
/// terms and chunks of the service table, numbered from 0.
const META_FILE: &str = "search/meta.json";
const TERMS_DIR: &str = "search/terms/";
const DOCS_DIR: &str = "search/docs/";
const FACETS_DIR: &str = "search/facets/";

/// Whether `path` is one of the browser index's files.
pub fn is_browser_file(path: &str) -> bool {
    path == META_FILE
        || path.starts_with(TERMS_DIR)
        || path.starts_with(DOCS_DIR)
        || path.starts_with(FACETS_DIR)
        || super::browser_near::is_near_file(path)
}

/// The files of the browser index, by path under the output.
pub fn browser_files(
    site: &Site,
    facets: &[Facet],
    index: &Index,
    synonyms: &Value,
) -> Result<IndexFiles, SearchError> {
    let reader = index.reader().map_err(SearchError::tantivy("read"))?;
    let searcher = reader.searcher();
    let mut terms: Vec<(String, Vec<u8>)> = all_postings(&searcher, index)?
        .into_par_iter()
        .map(|(term, postings)| (term, encode_postings(&postings)))
        .collect();
    // The browser compares strings by UTF-16 code unit: shard boundaries must follow its order.
    // The terms come in UTF-8 order, which differs from it only past U+FFFF: nearly sorted.
    terms.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    let prefixes: BTreeSet<String> = terms.iter().map(|(t, _)| prefix_of(t)).collect();
    let shards = pack_shards(terms);
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let records = site.listings.iter().map(|l| record(l, site)).collect();
    let chunks = chunk(records);

    let mut files = Vec::new();
    let mut starts = Vec::new();
    let mut last: Option<String> = None;
    for (n, shard) in shards.into_iter().enumerate() {
        starts.push(separator(last.as_deref(), &shard[0].0));
        last = shard.last().map(|(t, _)| t.clone());
        files.push((format!("{TERMS_DIR}{n}.json"), shard_json(&shard)));
    }
    let chunk_size = chunks.first().map_or(1, Vec::len);
    for (n, chunk) in chunks.iter().enumerate() {
        files.push((format!("{DOCS_DIR}{n}.json"), json_bytes(chunk)));
    }
    for (n, (facet, holders)) in facets.iter().zip(&memberships(site, facets)).enumerate() {
        let sets = facet_sets(facet, holders, site.listings.len());
        files.push((format!("{FACETS_DIR}{n}.json"), json_bytes(&sets)));
    }
    let meta = json!({
        "version": 3,
        "count": site.listings.len(),
        "facets": facets.iter().map(facet_meta).collect::<Vec<_>>(),
        "synonyms": synonyms,
        "shards": starts,
        "prefixes": prefixes,
        "chunk": chunk_size,
        "services": urls.url(&services_rel()),
    });
    let mut meta = meta;
    if let Some((near, near_files)) = super::browser_near::near_files(site) {
        meta["near"] = near;
        files.extend(near_files);
    }
    files.push((META_FILE.into(), json_bytes(&meta)));
    Ok(files)
}

fn json_bytes(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// A term's first two characters: near misses are looked for among terms sharing them.
fn prefix_of(term: &str) -> String {
    term.chars().take(2).collect()
}

/// Where a shard starts, as meta.json lists it: the shortest start of its first term that
/// comes after the shard before's last term (in the browser's order), which tells the two
/// shards apart as well as the whole term would; the first shard's first term whole.
fn separator(before: Option<&str>, first: &str) -> String {
    let Some(before) = before else {
        return first.to_string();
    };
    let after = |s: &str| s.encode_utf16().cmp(before.encode_utf16()).is_gt();
    first
        .char_indices()
        .map(|(i, c)| &first[..i + c.len_utf8()])
        .find(|start| after(start))
        .unwrap_or(first)
        .to_string()
}

/// Consecutive terms: all in one shard when small, else in shards of at most `SHARD_BYTES`,
/// a term larger than that in a shard of its own.
fn pack_shards(terms: Vec<(String, Vec<u8>)>) -> Vec<Vec<(String, Vec<u8>)>> {
    let sizes: Vec<usize> = terms.iter().map(|(t, p)| t.len() + p.len() + 4).collect();
    let limit = if sizes.iter().sum::<usize>() <= ONE_SHARD_BYTES {
        usize::MAX
    } else {
        SHARD_BYTES
    };
    let mut shards: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    let mut size: usize = 0;
    for (term, bytes) in terms.into_iter().zip(sizes) {
        if shards.is_empty() || size.saturating_add(bytes) > limit {
            shards.push(Vec::new());
            size = 0;
        }
        size += bytes;
        if let Some(shard) = shards.last_mut() {
            shard.push(term);
        }
    }
    shards
}

/// The service table in one chunk when small, else in chunks of `CHUNK_SERVICES`.
fn chunk(records: Vec<Value>) -> Vec<Vec<Value>> {
    // Measured only as far as the limit: a large directory's records are not all written
    // out twice.
    let mut total = 0;
    let small = records.iter().all(|r| {
        total += r.to_string().len() + 1;
        total <= ONE_CHUNK_BYTES
    });
    if small {
        return vec![records];
    }
    records
        .chunks(CHUNK_SERVICES)
        .map(<[Value]>::to_vec)
        .collect()
}

/// `[doc, score, doc, score, …]` with each doc number as the gap from the one before, as
/// JSON text: made once, then both measured for sharding and written.
fn encode_postings(postings: &[(u32, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 10 + 2);
    out.push(b'[');
    let mut last = 0;
    for (i, &(doc, score)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{}", doc - last);
        out.push(b',');
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{score}");
        last = doc;
    }
    out.push(b']');
    out
}

/// A shard's terms and their encoded postings as one JSON object, keys in order as every
/// JSON object in this crate's output is (the shard itself is in the browser's order).
fn shard_json(shard: &[(String, Vec<u8>)]) -> Vec<u8> {
    let sorted: BTreeMap<&str, &[u8]> = shard
        .iter()
        .map(|(term, postings)| (term.as_str(), postings.as_slice()))
        .collect();
    let mut out = vec![b'{'];
    for (i, (term, postings)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, term);
        out.push(b':');
        out.extend_from_slice(postings);
    }
    out.push(b'}');
    out
}

/// A facet's key and labels, as meta.json lists it.
fn facet_meta(facet: &Facet) -> Value {
    json!({
        "key": facet.key,
        "label": facet.label,
        "values": facet.values.iter().map(|v| json!({
            "key": v.key,
            "label": v.label,
        })).collect::<Vec<_>>(),
    })
}

/// A facet's file: for each of its values, in order, the services holding it.
fn facet_sets(facet: &Facet, holders: &BTreeMap<String, Vec<usize>>, count: usize) -> Vec<Value> {
    facet
        .values
        .iter()
        .map(|v| encode_set(holders.get(&v.key).map_or(&[][..], Vec::as_slice), count))
        .collect()
}

/// A set of doc numbers in whichever form is shorter: gaps (`[3, 1, 7]`, the first from 0),
/// or a bitset (bit `d % 8` of byte `d / 8`) in base64.
pub(super) fn encode_set(docs: &[usize], count: usize) -> Value {
    let mut gaps = Vec::with_capacity(docs.len());
    let mut last = 0;
    for &d in docs {
        gaps.push(d - last);
        last = d;
    }
    let mut bits = vec![0u8; count.div_ceil(8)];
    for &d in docs {
        bits[d / 8] |= 1 << (d % 8);
    }
    let bitset = base64::engine::general_purpose::STANDARD.encode(bits);
    let gaps = json!(gaps);
    if bitset.len() + 2 < gaps.to_string().len() {
        json!(bitset)
    } else {
        gaps
    }
}

/// Every term of every text field with the documents holding it and the score tantivy gives
/// each for a one-word query of that term: the sum over fields of the field's boosted BM25, as
/// `any_field_query` scores it. Read straight from the postings, one pass over each field.
fn all_postings(searcher: &Searcher, index: &Index) -> Result<Postings, SearchError> {
    let schema = index.schema();
    let mut fields: Vec<FieldScores> = Vec::new();
    // The browser index is derived from a single merged segment, whose doc ids are global.
    for segment in searcher.segment_readers() {
        // Each field is read on its own thread, then kept in field order.
        let read: Vec<FieldScores> = TEXT_FIELDS
            .par_iter()
            .map(|&(name, boost)| field_scores(searcher, segment, &schema, name, boost))
            .collect::<Result<_, _>>()?;
        fields.extend(read);
    }
    Ok(merged(fields))
}

/// Each field's terms, in term order as read, merged into one list in term order. A term's
/// postings are taken in field order, and its scores summed in that order: the same to the
/// last bit as tantivy's.
fn merged(fields: Vec<FieldScores>) -> Postings {
    let mut heads: Vec<_> = fields
        .into_iter()
        .map(|f| f.into_iter().peekable())
        .collect();
    let mut out = Vec::new();
    loop {
        let least = heads
            .iter_mut()
            .filter_map(|h| h.peek())
            .map(|(t, _)| t)
            .min();
        let Some(term) = least.cloned() else {
            return out;
        };
        let mut postings = Vec::new();
        for head in &mut heads {
            if let Some((_, more)) = head.next_if(|(t, _)| *t == term) {
                postings.extend(more);
            }
        }
        out.push((term, summed(postings)));
    }
}

/// A term's postings from every field, in field order, as each document's summed score,
/// rounded to ten-thousandths and counted in them, in doc order.
fn summed(mut postings: Vec<(u32, f32)>) -> Vec<(u32, u64)> {
    postings.sort_by_key(|&(doc, _)| doc);
    postings
        .chunk_by(|a, b| a.0 == b.0)
        .map(|same_doc| {
            let score = same_doc.iter().fold(0.0f32, |sum, &(_, s)| sum + s);
            // BM25 scores are never negative, and far below u64's range.
            let rounded = (f64::from(score) * SCORE_DECIMALS).round() as u64;
            (same_doc[0].0, rounded)
        })
        .collect()
}

/// Each term of a field with its documents and their boosted BM25 scores, in doc order.
type FieldScores = Vec<(String, Vec<(u32, f32)>)>;

fn field_scores(
    searcher: &Searcher,
    segment: &SegmentReader,
    schema: &Schema,
    name: &str,
    boost: f32,
) -> Result<FieldScores, SearchError> {
    let read = |source| SearchError::Tantivy {
        action: "read",
        source,
    };
    let docs = searcher.total_num_docs().map_err(read)?;
    let field = schema.get_field(name).map_err(read)?;
    let inverted = segment.inverted_index(field).map_err(read)?;
    let norms = segment.get_fieldnorms_reader(field).map_err(read)?;
    // As `Bm25Weight::for_terms` weighs a one-word query, but made once for each number of
    // documents a word is in: a weight depends on nothing else, and making one for each of
    // tens of thousands of words was most of the browser index's cost.
    let average = searcher.total_num_tokens(field).map_err(read)? as f32 / docs as f32;
    let mut weights: BTreeMap<u64, Bm25Weight> = BTreeMap::new();
    let mut out = Vec::new();
    let mut stream = inverted.terms().stream().map_err(|e| read(e.into()))?;
    while stream.advance() {
        let Ok(text) = std::str::from_utf8(stream.key()) else {
            continue;
        };
        // One segment (see `all_postings`): its count of documents is the index's.
        let doc_freq = u64::from(stream.value().doc_freq);
        let weight = weights
            .entry(doc_freq)
            .or_insert_with(|| Bm25Weight::for_one_term(doc_freq, docs, average).boost_by(boost));
        let mut postings = inverted
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
            .map_err(|e| read(e.into()))?;
        let mut scores = Vec::new();
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            scores.push((
                doc,
                weight.score(norms.fieldnorm_id(doc), postings.term_freq()),
            ));
            postings.advance();
        }
        out.push((text.to_string(), scores));
    }
    Ok(out)
}

/// What a result shows of a service; with a postcode table, also its places' names (or why
/// it has none) for near-me results.
fn record(l: &Listing, site: &Site) -> Value {
    let area = site.config.vocabularies.areas.label_of(&l.area);
    // No URL: the browser makes it from `services` in meta.json and the id.
    let mut record = json!({
        "id": l.slug,
        "t": l.title,
        "s": l.summary,
        "a": area,
        "d": days_text(&l.open_days()),
    });
    if let (Some(_), Value::Object(fields), Value::Object(near)) = (
        &site.postcodes,
        &mut record,
        super::browser_near::record_fields(l),
    ) {
        fields.extend(near);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_take_the_shorter_form() {
        assert_eq!(encode_set(&[2, 5], 1000), json!([2, 3]));
        let all: Vec<usize> = (0..16).collect();
        assert_eq!(encode_set(&all, 16), json!("//8="));
    }

    #[test]
    fn fields_merge_in_term_order_with_a_term_s_scores_summed() {
        let field = |terms: &[(&str, &[(u32, f32)])]| -> FieldScores {
            terms
                .iter()
                .map(|(t, p)| (t.to_string(), p.to_vec()))
                .collect()
        };
        let title = field(&[("a", &[(0, 1.0)]), ("c", &[(1, 2.0)])]);
        let summary = field(&[("b", &[(3, 1.0)]), ("c", &[(1, 0.5), (2, 1.0)])]);
        let merged = merged(vec![title, summary]);
        let terms: Vec<&str> = merged.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms, ["a", "b", "c"]);
        assert_eq!(merged[2].1, [(1, 25_000), (2, 10_000)]);
    }

    #[test]
    fn postings_hold_gaps() {
        assert_eq!(
            encode_postings(&[(3, 15_000), (10, 20_000)]),
            json!([3, 15_000, 7, 20_000]).to_string().into_bytes()
        );
        assert_eq!(encode_postings(&[]), b"[]");
    }

    #[test]
    fn small_indexes_take_one_shard_and_large_ones_several() {
        let terms = |n: usize| -> Vec<(String, Vec<u8>)> {
            let postings = json!(vec![1; SHARD_BYTES / 4]).to_string().into_bytes();
            (0..n)
                .map(|i| (format!("t{i}"), postings.clone()))
                .collect()
        };
        let lengths = |n| {
            pack_shards(terms(n))
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>()
        };
        assert_eq!(lengths(3), [3]);
        // Each term is just over half a shard.
        assert_eq!(lengths(10), [1; 10]);
    }

    #[test]
    fn a_term_larger_than_a_shard_takes_one_alone() {
        let sized = |name: &str, n: usize| (name.to_string(), vec![b'1'; n]);
        let small = SHARD_BYTES / 8;
        let terms = vec![
            sized("a", small),
            sized("b", small),
            sized("c", ONE_SHARD_BYTES),
            sized("d", small),
        ];
        let shards: Vec<Vec<String>> = pack_shards(terms)
            .into_iter()
            .map(|s| s.into_iter().map(|(t, _)| t).collect())
            .collect();
        assert_eq!(shards, [vec!["a", "b"], vec!["c"], vec!["d"]]);
    }

    #[test]
    fn a_shard_starts_at_the_shortest_start_after_the_shard_before() {
        assert_eq!(separator(None, "garden"), "garden");
        assert_eq!(separator(Some("gape"), "garden"), "gar");
        assert_eq!(separator(Some("garag"), "garden"), "gard");
        // A term that starts another: only the whole term comes after it.
        assert_eq!(separator(Some("car"), "cars"), "cars");
        // Past U+FFFF, UTF-16's order: "\u{10000}" comes before "\u{ff61}" in UTF-16.
        assert_eq!(separator(Some("a\u{10000}z"), "a\u{ff61}b"), "a\u{ff61}");
    }
}
