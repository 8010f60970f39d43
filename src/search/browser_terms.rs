//! The browser index's terms, read from tantivy's postings and encoded one term at a time, so
//! no term's raw postings outlive it: at 100,000 services holding every term's postings at
//! once was over half a gigabyte of the build's peak.
//!
//! A term most services hold is cut in two (docs/search.md, "Common terms"): the services it
//! scores best, with their scores, and the set of every service holding it go in its shard;
//! the other scores go in a file of their own, fetched only when a search needs them. A first
//! search of a common word then fetches a few kilobytes where it fetched its whole postings.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::postings::Postings as _;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermStreamer;
use tantivy::{DocSet, Index, InvertedIndexReader, Searcher, SegmentReader, TERMINATED};

use super::SearchError;
use super::index::TEXT_FIELDS;

/// Scores keep this many decimals: enough to order results, small to send. They are sent
/// as whole numbers of ten-thousandths, which the browser divides back: its quotient is the
/// very number a decimal "1.2345" would parse to, and the digits go without their point.
pub(super) const SCORE_DECIMALS: f64 = 10_000.0;

/// A common term's best-scored services kept in its shard: more than a page of results even
/// after a filter or two, few enough to cost a couple of kilobytes.
pub(super) const TOP: usize = 256;

/// A term held by more services than this is cut in two; below it, the whole postings cost
/// about what the top and the set would.
pub(super) const COMMON: usize = 4 * TOP;

/// A common term's other scores go in files of this many, in doc order: a search that needs
/// the exact scores of a few services (those of its first page) fetches only their blocks,
/// which is what two common words together need; one that needs them all fetches every
/// block, about what one file would cost.
pub(super) const REST_BLOCK: usize = 512;

/// A common term held by more than one service in this many takes a shard of its own: its
/// first search then fetches no other term's postings. Not every common term: each shard costs
/// its start in meta.json, which every first search fetches (at 100,000 services, 5,572 common
/// terms alone added 8 KB to it; the 123 held this widely add under 1 KB).
const ALONE_SHARE: usize = 16;

/// Where terms are cut into ranges read side by side (by their first byte): each range's
/// terms come out in order, and the ranges follow one another.
const RANGE_STARTS: [&[u8]; 12] = [
    b"b", b"c", b"d", b"e", b"g", b"i", b"l", b"m", b"p", b"r", b"s", b"t",
];

/// Terms from the first bound, up to the second, either open.
type Range = (Option<&'static [u8]>, Option<&'static [u8]>);

/// A term and what its shard holds of it.
pub(super) struct Term {
    pub text: String,
    pub postings: Encoded,
}

/// A term's postings as JSON: whole, or cut in two.
pub(super) enum Encoded {
    /// `[gap, score, gap, score, ...]`, every service holding the term in doc order.
    Whole(Vec<u8>),
    /// The best-scored services as `[gap, score, ...]` in doc order, every service holding it
    /// as a set (`encode_set`), and the other services' scores in doc order, `REST_BLOCK` a
    /// file (the rest files).
    Common {
        top: Vec<u8>,
        all: Vec<u8>,
        rests: Vec<Vec<u8>>,
        /// The lowest of its scores: with the lowest of the top, what the browser knows of a
        /// score it has not read.
        low: u32,
        /// Whether it takes a shard of its own (`ALONE_SHARE`).
        alone: bool,
        /// A very common term's every score, kept for its pairs (`browser_pairs`) until
        /// they are made, when it takes its number among them (`very`).
        scores: Option<Vec<(u32, u32)>>,
        very: Option<usize>,
    },
}

impl Encoded {
    /// Whether the term takes a shard of its own, whatever its size.
    pub fn is_alone(&self) -> bool {
        matches!(self, Encoded::Common { alone: true, .. })
    }

    /// What the term costs its shard, for packing.
    pub fn shard_bytes(&self) -> usize {
        match self {
            Encoded::Whole(json) => json.len(),
            Encoded::Common { top, all, .. } => top.len() + all.len() + 24,
        }
    }
}

/// Every term of every text field with its postings encoded, in term order (UTF-8): each
/// service's score is the one tantivy gives it for a one-word query of the term, the sum over
/// fields of the field's boosted BM25, as `any_field_query` scores it.
pub(super) fn terms(searcher: &Searcher, index: &Index) -> Result<Vec<Term>, SearchError> {
    let schema = index.schema();
    let docs = searcher.total_num_docs().map_err(read)?;
    let mut fields = Vec::new();
    // The browser index is derived from a single merged segment, whose doc ids are global.
    for segment in searcher.segment_readers() {
        for &(name, boost) in &TEXT_FIELDS {
            let field = schema.get_field(name).map_err(read)?;
            fields.push(FieldReader {
                inverted: segment.inverted_index(field).map_err(read)?,
                segment,
                field,
                boost,
                average: searcher.total_num_tokens(field).map_err(read)? as f32 / docs as f32,
            });
        }
    }
    let ranges: Vec<Range> = (0..=RANGE_STARTS.len())
        .map(|i| {
            let from = i.checked_sub(1).map(|j| RANGE_STARTS[j]);
            (from, RANGE_STARTS.get(i).copied())
        })
        .collect();
    let count = usize::try_from(docs).unwrap_or(usize::MAX);
    let read: Vec<Vec<Term>> = ranges
        .into_par_iter()
        .map(|(from, to)| terms_between(&fields, docs, count, from, to))
        .collect::<Result<_, _>>()?;
    Ok(read.into_iter().flatten().collect())
}

fn read(source: tantivy::TantivyError) -> SearchError {
    SearchError::Tantivy {
        action: "read",
        source,
    }
}

fn read_io(source: std::io::Error) -> SearchError {
    read(source.into())
}

/// One text field of the one segment, with what its scores are made from.
struct FieldReader<'s> {
    inverted: Arc<InvertedIndexReader>,
    segment: &'s SegmentReader,
    field: tantivy::schema::Field,
    boost: f32,
    average: f32,
}

/// The terms from `from` up to `to` (either open), merged across fields in term order.
fn terms_between(
    fields: &[FieldReader],
    docs: u64,
    count: usize,
    from: Option<&[u8]>,
    to: Option<&[u8]>,
) -> Result<Vec<Term>, SearchError> {
    let mut streams: Vec<FieldStream> = Vec::with_capacity(fields.len());
    for field in fields {
        let mut range = field.inverted.terms().range();
        if let Some(from) = from {
            range = range.ge(from);
        }
        if let Some(to) = to {
            range = range.lt(to);
        }
        let mut stream = range.into_stream().map_err(read_io)?;
        let live = stream.advance();
        let norms = field
            .segment
            .get_fieldnorms_reader(field.field)
            .map_err(read)?;
        streams.push(FieldStream {
            field,
            stream,
            live,
            norms,
            weights: BTreeMap::new(),
        });
    }
    let mut out = Vec::new();
    let mut scores: Vec<(u32, f32)> = Vec::new();
    loop {
        let least = streams
            .iter()
            .filter(|s| s.live)
            .map(|s| s.stream.key())
            .min()
            .map(<[u8]>::to_vec);
        let Some(key) = least else {
            return Ok(out);
        };
        scores.clear();
        for stream in streams
            .iter_mut()
            .filter(|s| s.live && s.stream.key() == key)
        {
            stream.scores(docs, &mut scores)?;
            stream.live = stream.stream.advance();
        }
        // A term that is not UTF-8 cannot be typed: the browser never looks for it.
        if let Ok(text) = String::from_utf8(key) {
            let postings = encode(&summed(&mut scores), count);
            out.push(Term { text, postings });
        }
    }
}

/// A field's terms as they are read, with the BM25 weights made so far.
struct FieldStream<'f> {
    field: &'f FieldReader<'f>,
    stream: TermStreamer<'f>,
    live: bool,
    norms: tantivy::fieldnorm::FieldNormReader,
    /// As `Bm25Weight::for_terms` weighs a one-word query, but made once for each number of
    /// documents a word is in: a weight depends on nothing else, and making one for each of
    /// tens of thousands of words was most of the browser index's cost.
    weights: BTreeMap<u64, Bm25Weight>,
}

impl FieldStream<'_> {
    /// The current term's documents and their boosted scores, added to `out` in doc order.
    fn scores(&mut self, docs: u64, out: &mut Vec<(u32, f32)>) -> Result<(), SearchError> {
        let info = self.stream.value();
        // One segment (see `terms`): its count of documents is the index's.
        let doc_freq = u64::from(info.doc_freq);
        let (average, boost) = (self.field.average, self.field.boost);
        let weight = self
            .weights
            .entry(doc_freq)
            .or_insert_with(|| Bm25Weight::for_one_term(doc_freq, docs, average).boost_by(boost));
        let mut postings = self
            .field
            .inverted
            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
            .map_err(read_io)?;
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            let score = weight.score(self.norms.fieldnorm_id(doc), postings.term_freq());
            out.push((doc, score));
            postings.advance();
        }
        Ok(())
    }
}

/// A term's postings from every field, in field order, as each document's summed score,
/// rounded to ten-thousandths and counted in them, in doc order: the sum is taken in field
/// order, the same to the last bit as tantivy's.
pub(super) fn summed(postings: &mut [(u32, f32)]) -> Vec<(u32, u32)> {
    // Stable: a document's scores stay in field order.
    postings.sort_by_key(|&(doc, _)| doc);
    postings
        .chunk_by(|a, b| a.0 == b.0)
        .map(|same_doc| {
            let score = same_doc.iter().fold(0.0f32, |sum, &(_, s)| sum + s);
            // BM25 scores are never negative, and far below u32's range in ten-thousandths.
            let rounded = (f64::from(score) * SCORE_DECIMALS).round() as u32;
            (same_doc[0].0, rounded)
        })
        .collect()
}

/// A term's postings, whole or, for a common term, cut in two.
pub(super) fn encode(postings: &[(u32, u32)], count: usize) -> Encoded {
    if postings.len() <= COMMON {
        return Encoded::Whole(encode_postings(postings));
    }
    // The best first, ties in doc order: the order results are shown in.
    let mut ranked: Vec<usize> = (0..postings.len()).collect();
    ranked.sort_by(|&a, &b| postings[b].1.cmp(&postings[a].1).then(a.cmp(&b)));
    let mut is_top = vec![false; postings.len()];
    for &i in &ranked[..TOP] {
        is_top[i] = true;
    }
    let top: Vec<(u32, u32)> = (0..postings.len())
        .filter(|&i| is_top[i])
        .map(|i| postings[i])
        .collect();
    let docs: Vec<usize> = postings.iter().map(|&(d, _)| d as usize).collect();
    let loose: Vec<u32> = postings
        .iter()
        .zip(&is_top)
        .filter(|(_, t)| !**t)
        .map(|(&(_, score), _)| score)
        .collect();
    let rests = loose.chunks(REST_BLOCK).map(scores_json).collect();
    let low = loose.iter().copied().min().unwrap_or(0);
    Encoded::Common {
        top: encode_postings(&top),
        all: super::browser::encode_set(&docs, count)
            .to_string()
            .into_bytes(),
        rests,
        low,
        alone: postings.len() > count / ALONE_SHARE,
        scores: super::browser_pairs::is_very_common(postings.len(), count)
            .then(|| postings.to_vec()),
        very: None,
    }
}

/// `[score, score, …]` as JSON text.
fn scores_json(scores: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(scores.len() * 6 + 2);
    out.push(b'[');
    for (i, score) in scores.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{score}");
    }
    out.push(b']');
    out
}

/// `[doc, score, doc, score, …]` with each doc number as the gap from the one before, as
/// JSON text: made once, then both measured for sharding and written.
pub(super) fn encode_postings(postings: &[(u32, u32)]) -> Vec<u8> {
    gapped(postings.iter().map(|&(doc, score)| (doc, [score])))
}

/// `[gap, value, …, gap, value, …]`: each row's doc number as the gap from the one before
/// (rows in doc order), then its values, as JSON text.
pub(super) fn gapped<const N: usize>(
    rows: impl ExactSizeIterator<Item = (u32, [u32; N])>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * (5 + 5 * N) + 2);
    out.push(b'[');
    let mut last = 0;
    for (i, (doc, values)) in rows.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{}", doc - last);
        for value in values {
            let _ = write!(out, ",{value}");
        }
        last = doc;
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parsed(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).expect("JSON")
    }

    #[test]
    fn scores_are_summed_per_document_in_field_order() {
        let mut postings = vec![(1, 2.0), (3, 1.0), (1, 0.5), (2, 1.0)];
        assert_eq!(
            summed(&mut postings),
            [(1, 25_000), (2, 10_000), (3, 10_000)]
        );
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
    fn a_term_most_services_hold_is_cut_at_its_best_scores() {
        let count = COMMON + 100;
        // Doc d scores d % 3: a third score best, more than the top takes, which takes the first.
        let postings: Vec<(u32, u32)> = (0..count as u32).map(|d| (d, d % 3)).collect();
        let Encoded::Common {
            top,
            all,
            rests,
            low,
            alone,
            ..
        } = encode(&postings, count)
        else {
            panic!("a common term is cut");
        };
        let top = parsed(&top);
        let mut docs = Vec::new();
        let mut last = 0;
        for pair in top.as_array().expect("array").chunks(2) {
            last += pair[0].as_u64().expect("gap");
            assert_eq!(pair[1].as_u64(), Some(last % 3), "doc {last}'s score");
            docs.push(last);
        }
        let expected: Vec<u64> = (0..count as u64).filter(|d| d % 3 == 2).take(TOP).collect();
        assert_eq!(docs, expected);
        // Every doc holds it: the set is all ones.
        assert_eq!(
            parsed(&all),
            super::super::browser::encode_set(&(0..count).collect::<Vec<_>>(), count)
        );
        // Blocks of REST_BLOCK but the last, which together are every other score in doc order.
        assert_eq!(rests.len(), (count - TOP).div_ceil(REST_BLOCK));
        let blocks: Vec<Vec<u64>> = rests
            .iter()
            .map(|r| {
                let block = parsed(r);
                block
                    .as_array()
                    .expect("array")
                    .iter()
                    .filter_map(Value::as_u64)
                    .collect()
            })
            .collect();
        assert!(
            blocks[..blocks.len() - 1]
                .iter()
                .all(|b| b.len() == REST_BLOCK)
        );
        let rest: Vec<u64> = blocks.concat();
        let expected: Vec<u64> = (0..count as u64)
            .filter(|d| !docs.contains(d))
            .map(|d| d % 3)
            .collect();
        assert_eq!(rest, expected);
        assert_eq!(low, 0, "the lowest score");
        assert!(alone, "every service holds it");
        let few: Vec<(u32, u32)> = (0..=COMMON as u32).map(|d| (d * 20, 5)).collect();
        assert!(!encode(&few, 20 * few.len()).is_alone());
    }

    #[test]
    fn a_term_fewer_services_hold_stays_whole() {
        let postings: Vec<(u32, u32)> = (0..COMMON as u32).map(|d| (d, 5)).collect();
        assert!(matches!(encode(&postings, 5 * COMMON), Encoded::Whole(_)));
    }
}
