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
use serde_json::{Value, json};
use tantivy::Index;

use crate::model::facets::Facet;
use crate::model::facets::memberships;
use crate::model::schedule::days_text;
use crate::model::urls::{Urls, services_rel};
use crate::model::{Listing, Site};

use super::browser_terms::{Encoded, Term};
use super::{IndexFiles, SearchError};

/// A directory whose terms take at most this many bytes of JSON sends them in one shard...
const ONE_SHARD_BYTES: usize = 96 * 1024;

/// ...and a larger one in shards of at most this many (a third of that gzipped), but for a
/// term larger on its own, which takes a shard alone: a common word's first search then
/// fetches its own postings and nothing else.
const SHARD_BYTES: usize = 24 * 1024;

/// The list of every term, for near misses, in files of at most this many bytes of JSON (a
/// kilobyte or two gzipped): a typo's first search reads the list of its first two letters'
/// terms and then only the shards of the terms near it, where it read every shard of those
/// letters (at 10,000 services, those of a common word and its neighbours: 150 KB).
const WORDS_BYTES: usize = 8 * 1024;

/// A directory whose service table is at most this many bytes sends it in one chunk...
const ONE_CHUNK_BYTES: usize = 64 * 1024;

/// ...and a larger one in chunks of this many services, so a page of results costs little:
/// its 20 results lie in about 20 chunks, whatever their size. At 10,000 services the records
/// of a first page were 24 KB gzipped in chunks of 8 and are 8 KB in chunks of 2 (one a file
/// would be 5 KB, for four times the files of 8 rather than 1.6 times: every file costs the
/// build time).
const CHUNK_SERVICES: usize = 2;

/// Where the browser index's files go in the output: the table of contents, then shards of
/// terms and chunks of the service table, numbered from 0.
const META_FILE: &str = "search/meta.json";
const TERMS_DIR: &str = "search/terms/";
const DOCS_DIR: &str = "search/docs/";
const FACETS_DIR: &str = "search/facets/";
const REST_DIR: &str = "search/rest/";
const WORDS_DIR: &str = "search/words/";

/// Whether `path` is one of the browser index's files.
pub fn is_browser_file(path: &str) -> bool {
    path == META_FILE
        || path.starts_with(TERMS_DIR)
        || path.starts_with(DOCS_DIR)
        || path.starts_with(FACETS_DIR)
        || path.starts_with(REST_DIR)
        || path.starts_with(WORDS_DIR)
        || super::browser_pairs::is_pair_file(path)
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
    let mut terms = super::browser_terms::terms(&reader.searcher(), index)?;
    // The browser compares strings by UTF-16 code unit: shard boundaries must follow its order.
    // The terms come in UTF-8 order, which differs from it only past U+FFFF: nearly sorted.
    terms.sort_by(|a, b| a.text.encode_utf16().cmp(b.text.encode_utf16()));
    let pairs = super::browser_pairs::pair_files(&mut terms, site.listings.len());
    let prefixes: BTreeSet<String> = terms.iter().map(|t| prefix_of(&t.text)).collect();
    let texts: Vec<String> = terms.iter().map(|t| t.text.clone()).collect();
    let shards = pack_shards(
        terms,
        |t| t.text.len() + t.postings.shard_bytes() + 4,
        |t| t.postings.is_alone(),
    );
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let records = site.listings.iter().map(|l| record(l, site)).collect();
    let chunks = chunk(records);

    let mut files = pairs;
    let starts = term_files(shards, &mut files);
    // One shard holds every term: near misses are looked for in it, with no list.
    let words = if starts.len() > 1 {
        word_files(texts, &mut files)
    } else {
        Vec::new()
    };
    let chunk_size = chunks.first().map_or(1, Vec::len);
    for (n, chunk) in chunks.iter().enumerate() {
        files.push((format!("{DOCS_DIR}{n}.json"), json_bytes(chunk)));
    }
    for (n, (facet, holders)) in facets.iter().zip(&memberships(site, facets)).enumerate() {
        let sets = facet_sets(facet, holders, site.listings.len());
        files.push((format!("{FACETS_DIR}{n}.json"), json_bytes(&sets)));
    }
    let mut meta = json!({
        "version": 5,
        "count": site.listings.len(),
        "facets": facets.iter().map(facet_meta).collect::<Vec<_>>(),
        "synonyms": synonyms,
        "shards": starts,
        "prefixes": prefixes,
        "chunk": chunk_size,
        "block": super::browser_terms::REST_BLOCK,
        "services": urls.url(&services_rel()),
    });
    if !words.is_empty() {
        meta["words"] = json!(words);
    }
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
/// a term larger than that, or `alone` (a widely held common term: its first search then
/// fetches its top and set and no other term's postings), in a shard of its own.
fn pack_shards<T>(
    terms: Vec<T>,
    bytes_of: impl Fn(&T) -> usize,
    alone: impl Fn(&T) -> bool,
) -> Vec<Vec<T>> {
    let mut sizes: Vec<usize> = terms.iter().map(bytes_of).collect();
    let limit = if sizes.iter().sum::<usize>() <= ONE_SHARD_BYTES {
        usize::MAX
    } else {
        SHARD_BYTES
    };
    for (size, term) in sizes.iter_mut().zip(&terms) {
        if limit == SHARD_BYTES && alone(term) {
            // As large as a shard: it starts one, and the next term starts another.
            *size = limit;
        }
    }
    let mut shards: Vec<Vec<T>> = Vec::new();
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

/// The shards (`terms/<n>.json`) and the common terms' rest files (`rest/<n>.json`), added to
/// `files`; returns where each shard starts, as meta.json lists them.
fn term_files(shards: Vec<Vec<Term>>, files: &mut IndexFiles) -> Vec<String> {
    let mut starts = Vec::new();
    let mut last: Option<String> = None;
    let mut rests = Vec::new();
    for (n, shard) in shards.into_iter().enumerate() {
        starts.push(separator(last.as_deref(), &shard[0].text));
        last = shard.last().map(|t| t.text.clone());
        files.push((
            format!("{TERMS_DIR}{n}.json"),
            shard_json(shard, &mut rests),
        ));
    }
    for (n, rest) in rests.into_iter().enumerate() {
        files.push((format!("{REST_DIR}{n}.json"), rest));
    }
    starts
}

/// The list of terms, in files of at most `WORDS_BYTES` (`words/<n>.json`, a JSON array of
/// terms in the browser's order), added to `files`; returns where each file starts, as
/// meta.json lists the shards' starts.
fn word_files(texts: Vec<String>, files: &mut IndexFiles) -> Vec<String> {
    let mut starts = Vec::new();
    let mut last: Option<String> = None;
    for (n, list) in pack_words(texts).into_iter().enumerate() {
        starts.push(separator(last.as_deref(), &list[0]));
        last = list.last().cloned();
        files.push((format!("{WORDS_DIR}{n}.json"), json_bytes(&list)));
    }
    starts
}

/// Consecutive terms in lists of at most `WORDS_BYTES` of JSON (a term longer than that alone).
fn pack_words(texts: Vec<String>) -> Vec<Vec<String>> {
    let mut lists: Vec<Vec<String>> = Vec::new();
    let mut size = 0;
    for text in texts {
        // Quotes and a comma; escapes are rare enough to leave out of the count.
        let bytes = text.len() + 3;
        match lists.last_mut() {
            Some(list) if size + bytes <= WORDS_BYTES => list.push(text),
            _ => {
                lists.push(vec![text]);
                size = 0;
            }
        }
        size += bytes;
    }
    lists
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

/// A shard's terms and their encoded postings as one JSON object, keys in order as every
/// JSON object in this crate's output is (the shard itself is in the browser's order). A
/// common term's rest files join `rests`, numbered in the order they are written: its own
/// are consecutive, from the number its entry names.
fn shard_json(shard: Vec<Term>, rests: &mut Vec<Vec<u8>>) -> Vec<u8> {
    let sorted: BTreeMap<String, Encoded> =
        shard.into_iter().map(|t| (t.text, t.postings)).collect();
    let mut out = vec![b'{'];
    for (i, (term, postings)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &term);
        out.push(b':');
        match postings {
            Encoded::Whole(json) => out.extend_from_slice(&json),
            Encoded::Common {
                top,
                all,
                rests: blocks,
                low,
                very,
                ..
            } => {
                out.extend_from_slice(b"{\"all\":");
                out.extend_from_slice(&all);
                // Writing into a Vec cannot fail.
                let _ = write!(out, ",\"low\":{low},\"rest\":{},\"top\":", rests.len());
                out.extend_from_slice(&top);
                if let Some(very) = very {
                    let _ = write!(out, ",\"very\":{very}");
                }
                out.push(b'}');
                rests.extend(blocks);
            }
        }
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
    fn small_indexes_take_one_shard_and_large_ones_several() {
        let terms = |n: usize| -> Vec<(String, Vec<u8>)> {
            let postings = json!(vec![1; SHARD_BYTES / 4]).to_string().into_bytes();
            (0..n)
                .map(|i| (format!("t{i}"), postings.clone()))
                .collect()
        };
        let lengths = |n| {
            pack_shards(terms(n), |(t, p)| t.len() + p.len() + 4, |_| false)
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>()
        };
        assert_eq!(lengths(3), [3]);
        // Each term is just over half a shard.
        assert_eq!(lengths(10), [1; 10]);
    }

    #[test]
    fn a_term_larger_than_a_shard_or_common_takes_one_alone() {
        let sized = |name: &str, n: usize| (name.to_string(), vec![b'1'; n]);
        let small = SHARD_BYTES / 8;
        let terms = |common: &str| {
            let terms = vec![
                sized("a", small),
                sized("b", small),
                sized("c", ONE_SHARD_BYTES),
                sized("d", small),
                sized("e", small),
            ];
            let common = common.to_string();
            pack_shards(
                terms,
                |(t, p)| t.len() + p.len() + 4,
                move |(t, _)| *t == common,
            )
            .into_iter()
            .map(|s| s.into_iter().map(|(t, _)| t).collect::<Vec<_>>())
            .collect::<Vec<_>>()
        };
        assert_eq!(terms(""), [vec!["a", "b"], vec!["c"], vec!["d", "e"]]);
        assert_eq!(
            terms("b"),
            [vec!["a"], vec!["b"], vec!["c"], vec!["d", "e"]]
        );
        assert_eq!(
            terms("d"),
            [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]
        );
        // A small directory keeps its one shard.
        let few = vec![sized("a", small), sized("b", small)];
        assert_eq!(pack_shards(few, |(_, p)| p.len(), |_| true).len(), 1);
    }

    #[test]
    fn word_lists_are_cut_at_their_size() {
        let texts: Vec<String> = (0..3000).map(|i| format!("w{i:05}")).collect();
        let lists = pack_words(texts.clone());
        assert!(lists.len() > 1);
        assert!(
            lists
                .iter()
                .all(|l| json!(l).to_string().len() <= WORDS_BYTES)
        );
        assert_eq!(lists.concat(), texts);
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
