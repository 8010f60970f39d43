//! Pairs of very common words (docs/search.md, "Two very common words"). Two words most
//! services hold, searched together, are ranked by the sum of their scores, and the services
//! that best match the pair can lie deep in both words' scores: a browser that knew only each
//! word's best had to fetch nearly all of both words' rest files (at 100,000 services, 317 KB
//! for "garden cooking"). For each two very common terms the build ranks the services holding
//! both, as the browser would, and writes the best with their scores and the most any other
//! can score: a first page of such a pair then fetches one small file.

use rayon::prelude::*;
use std::cmp::Ordering;
use std::io::Write as _;

use super::IndexFiles;
use super::browser_terms::{COMMON, Encoded, SCORE_DECIMALS, Term};

/// A common term held by more than one service in this many is very common. At 100,000
/// synthetic services 54 terms were, so 1,431 pairs; each costs a file of about a kilobyte.
const VERY_SHARE: usize = 4;

/// The services a pair's file ranks: five pages of results, or one page under a filter that
/// keeps one service in five.
const PAIR_TOP: usize = 100;

const PAIRS_DIR: &str = "search/pairs/";

/// Whether a term held by `holders` of `count` services is very common.
pub(super) fn is_very_common(holders: usize, count: usize) -> bool {
    holders > COMMON && holders > count / VERY_SHARE
}

/// Whether `path` (under the output) is a pair's file.
pub fn is_pair_file(path: &str) -> bool {
    path.starts_with(PAIRS_DIR)
}

/// Numbers the very common terms in the order given (each term's `very`, which its shard
/// entry names) and makes the file of each two of them: `pairs/<a>-<b>.json`, `a` < `b`.
pub(super) fn pair_files(terms: &mut [Term]) -> IndexFiles {
    let mut very: Vec<Vec<(u32, u32)>> = Vec::new();
    for term in terms.iter_mut() {
        if let Encoded::Common {
            scores, very: v, ..
        } = &mut term.postings
            && let Some(all) = scores.take()
        {
            *v = Some(very.len());
            very.push(all);
        }
    }
    let pairs: Vec<(usize, usize)> = (0..very.len())
        .flat_map(|b| (0..b).map(move |a| (a, b)))
        .collect();
    pairs
        .par_iter()
        .map(|&(a, b)| {
            let json = pair_json(&very[a], &very[b]);
            (format!("{PAIRS_DIR}{a}-{b}.json"), json)
        })
        .collect()
}

/// A service holding both terms: its doc number and its score in each, in ten-thousandths.
type Both = (u32, u32, u32);

/// `{"cap":[a,b],"top":[gap,a,b,...]}`: the `PAIR_TOP` services the pair ranks first, in doc
/// order, each with its score in the first term and in the second; and the scores of the
/// service it ranks next, whose sum is the most any service left out can score (no `cap`
/// when none is left out).
fn pair_json(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<u8> {
    let mut ranked = holding_both(a, b);
    let cap = if ranked.len() > PAIR_TOP {
        ranked.select_nth_unstable_by(PAIR_TOP, ranks_before);
        let next = ranked[PAIR_TOP];
        ranked.truncate(PAIR_TOP);
        Some(next)
    } else {
        None
    };
    ranked.sort_unstable_by_key(|&(doc, _, _)| doc);
    let mut out = Vec::with_capacity(ranked.len() * 16 + 32);
    out.push(b'{');
    // Writing into a Vec cannot fail.
    if let Some((_, x, y)) = cap {
        let _ = write!(out, "\"cap\":[{x},{y}],");
    }
    out.extend_from_slice(b"\"top\":[");
    let mut last = 0;
    for (i, &(doc, x, y)) in ranked.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(out, "{},{x},{y}", doc - last);
        last = doc;
    }
    out.extend_from_slice(b"]}");
    out
}

/// The services in both postings (each in doc order), with both scores.
fn holding_both(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<Both> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while let (Some(&(da, sa)), Some(&(db, sb))) = (a.get(i), b.get(j)) {
        match da.cmp(&db) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push((da, sa, sb));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The browser's order: the greater sum first, as it adds the two scores (each divided back
/// from ten-thousandths, in floating point), then the lower doc number.
fn ranks_before(x: &Both, y: &Both) -> Ordering {
    sum(y).total_cmp(&sum(x)).then(x.0.cmp(&y.0))
}

fn sum(&(_, a, b): &Both) -> f64 {
    f64::from(a) / SCORE_DECIMALS + f64::from(b) / SCORE_DECIMALS
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parsed(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).expect("JSON")
    }

    #[test]
    fn a_small_pair_lists_every_service_holding_both_with_no_cap() {
        let a = [(1, 10_000), (3, 20_000), (4, 5_000)];
        let b = [(0, 7_000), (3, 1_000), (4, 30_000), (9, 2_000)];
        assert_eq!(
            parsed(&pair_json(&a, &b)),
            json!({"top": [3, 20_000, 1_000, 1, 5_000, 30_000]})
        );
    }

    #[test]
    fn a_large_pair_keeps_its_best_and_caps_the_others_at_the_next_best() {
        let n = PAIR_TOP as u32 + 50;
        // Doc d scores d in the first term and 1 in the second: the last PAIR_TOP are best.
        let a: Vec<(u32, u32)> = (0..n).map(|d| (d, d)).collect();
        let b: Vec<(u32, u32)> = (0..n).map(|d| (d, 1)).collect();
        let v = parsed(&pair_json(&a, &b));
        let top = v["top"].as_array().expect("top");
        assert_eq!(top.len(), 3 * PAIR_TOP);
        assert_eq!(
            top[0],
            json!(50),
            "the first listed is doc 50, a gap from 0"
        );
        assert_eq!(v["cap"], json!([49, 1]), "doc 49 is the best left out");
    }

    #[test]
    fn ties_go_to_the_lower_doc_number_as_the_browser_shows_them() {
        let n = PAIR_TOP as u32 + 2;
        let a: Vec<(u32, u32)> = (0..n).map(|d| (d, 5)).collect();
        let b: Vec<(u32, u32)> = (0..n).map(|d| (d, 5)).collect();
        let v = parsed(&pair_json(&a, &b));
        let top = v["top"].as_array().expect("top");
        let docs: u64 = top
            .iter()
            .step_by(3)
            .map(|g| g.as_u64().expect("gap"))
            .sum();
        assert_eq!(
            docs,
            PAIR_TOP as u64 - 1,
            "docs 0 to 99 listed, 100 and 101 not"
        );
        assert_eq!(v["cap"], json!([5, 5]));
    }

    #[test]
    fn only_very_common_terms_pair() {
        assert!(!is_very_common(COMMON, 1_000_000 / 2));
        assert!(!is_very_common(COMMON + 1, (COMMON + 1) * VERY_SHARE));
        assert!(is_very_common(COMMON + 1, (COMMON + 1) * VERY_SHARE - 1));
    }
}
