//! Pairs of very common words (docs/search.md, "Two very common words"). Two words most
//! services hold, searched together, are ranked by the sum of their scores, and the services
//! that best match the pair can lie deep in both words' scores: a browser that knew only each
//! word's best had to fetch nearly all of both words' rest files (at 100,000 services, 317 KB
//! for "garden cooking"). For each two very common terms the build ranks the services holding
//! both, as the browser would, and writes the best with their scores and the most any other
//! can score: a first page of such a pair then fetches one small file.

use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::io::Write as _;

use super::IndexFiles;
use super::browser_terms::{COMMON, Encoded, SCORE_DECIMALS, Term, gapped};

/// A common term held by more than one service in this many is very common. At 100,000
/// synthetic services 54 terms were, so 1,431 pairs; each costs a file of about a kilobyte.
const VERY_SHARE: usize = 4;

/// At most this many terms have pair files, those held most widely: the files grow as the
/// square of their number (64 terms, 2,016 files), and a directory whose text repeats itself
/// could hold hundreds of very common terms.
const VERY_MOST: usize = 64;

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
pub(super) fn pair_files(terms: &mut [Term], count: usize) -> IndexFiles {
    let _t = crate::timings::span("search index: pairs");
    let mut held: Vec<(usize, Vec<(u32, u32)>)> = Vec::new();
    for (i, term) in terms.iter_mut().enumerate() {
        if let Encoded::Common { scores, .. } = &mut term.postings
            && let Some(all) = scores.take()
        {
            held.push((i, all));
        }
    }
    let mut very: Vec<Very> = Vec::new();
    for (i, all) in commonest(held) {
        if let Encoded::Common { very: v, .. } = &mut terms[i].postings {
            *v = Some(very.len());
            very.push(Very::new(&all, count));
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

/// At most `VERY_MOST` of the terms (by place, with their postings), those held most widely
/// (ties: the earlier), back in their order.
fn commonest<T>(mut held: Vec<(usize, Vec<T>)>) -> Vec<(usize, Vec<T>)> {
    if held.len() > VERY_MOST {
        held.sort_by(|(i, a), (j, b)| b.len().cmp(&a.len()).then(i.cmp(j)));
        held.truncate(VERY_MOST);
        held.sort_by_key(|&(i, _)| i);
    }
    held
}

/// A very common term's scores, best first and by doc number.
struct Very {
    /// `(score, doc)`, the greatest score first.
    best_first: Vec<(u32, u32)>,
    /// Each doc's score plus one; 0 where the term is not held.
    by_doc: Vec<u32>,
}

impl Very {
    fn new(postings: &[(u32, u32)], count: usize) -> Self {
        let mut best_first: Vec<(u32, u32)> = postings.iter().map(|&(d, s)| (s, d)).collect();
        best_first.sort_unstable_by(|x, y| y.cmp(x));
        let mut by_doc = vec![0; count];
        for &(doc, score) in postings {
            if let Some(slot) = by_doc.get_mut(doc as usize) {
                *slot = score.saturating_add(1);
            }
        }
        Very { best_first, by_doc }
    }

    fn score(&self, doc: u32) -> Option<u32> {
        let held = *self.by_doc.get(doc as usize)?;
        held.checked_sub(1)
    }
}

/// A service holding both terms: its sum as the browser adds it, its doc number, and its
/// score in each term in ten-thousandths. Ordered as the browser ranks (`ranks_before`), so
/// the greatest is the one ranked last.
#[derive(Clone, Copy, PartialEq)]
struct Both(f64, u32, u32, u32);

impl Eq for Both {}
impl PartialOrd for Both {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Both {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

/// `{"cap":[a,b],"top":[gap,a,b,...]}`: the `PAIR_TOP` services the pair ranks first, in doc
/// order, each with its score in the first term and in the second; and the scores of the
/// service it ranks next, whose sum is the most any service left out can score (no `cap`
/// when none is left out).
fn pair_json(a: &Very, b: &Very) -> Vec<u8> {
    let mut ranked = best_of_both(a, b).into_sorted_vec();
    let cap = (ranked.len() > PAIR_TOP).then(|| ranked[PAIR_TOP]);
    ranked.truncate(PAIR_TOP);
    ranked.sort_unstable_by_key(|both| both.1);
    let mut out = Vec::with_capacity(ranked.len() * 16 + 32);
    out.push(b'{');
    // Writing into a Vec cannot fail.
    if let Some(Both(_, _, x, y)) = cap {
        let _ = write!(out, "\"cap\":[{x},{y}],");
    }
    out.extend_from_slice(b"\"top\":");
    out.extend(gapped(ranked.iter().map(|both| (both.1, [both.2, both.3]))));
    out.push(b'}');
    out
}

/// The `PAIR_TOP + 1` services holding both terms that the browser ranks first. Both terms'
/// services are read best first, in turn, each one's other score looked up; the reading stops
/// once the next two scores together could not lift a service not yet read into them (a
/// threshold algorithm): for most pairs, a few hundred services of tens of thousands.
fn best_of_both(a: &Very, b: &Very) -> BinaryHeap<Both> {
    let mut kept: BinaryHeap<Both> = BinaryHeap::with_capacity(PAIR_TOP + 2);
    let mut seen = vec![false; a.by_doc.len().max(b.by_doc.len())];
    let (mut i, mut j) = (0, 0);
    // A service holding both is in each term's list: once either is read, all have been.
    while let (Some(&(next_a, _)), Some(&(next_b, _))) = (a.best_first.get(i), b.best_first.get(j))
    {
        if kept.len() > PAIR_TOP
            && let Some(last) = kept.peek()
            && sum(next_a, next_b) < last.0
        {
            break;
        }
        let doc = if i <= j {
            i += 1;
            a.best_first[i - 1].1
        } else {
            j += 1;
            b.best_first[j - 1].1
        };
        let Some(slot) = seen.get_mut(doc as usize) else {
            continue;
        };
        if std::mem::replace(slot, true) {
            continue;
        }
        let (Some(score_a), Some(score_b)) = (a.score(doc), b.score(doc)) else {
            continue;
        };
        kept.push(Both(sum(score_a, score_b), doc, score_a, score_b));
        if kept.len() > PAIR_TOP + 1 {
            kept.pop();
        }
    }
    kept
}

/// Two scores added as the browser adds them: each divided back from ten-thousandths, in
/// floating point. Rounding never reverses an order, so the sum of lesser scores is never
/// the greater.
fn sum(a: u32, b: u32) -> f64 {
    f64::from(a) / SCORE_DECIMALS + f64::from(b) / SCORE_DECIMALS
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// The pair file of two terms' postings (doc order), as JSON.
    fn pair(a: &[(u32, u32)], b: &[(u32, u32)]) -> Value {
        let count = 1 + a
            .iter()
            .chain(b)
            .map(|&(d, _)| d as usize)
            .max()
            .unwrap_or(0);
        let json = pair_json(&Very::new(a, count), &Very::new(b, count));
        serde_json::from_slice(&json).expect("JSON")
    }

    #[test]
    fn a_small_pair_lists_every_service_holding_both_with_no_cap() {
        let a = [(1, 10_000), (3, 20_000), (4, 5_000)];
        let b = [(0, 7_000), (3, 1_000), (4, 30_000), (9, 2_000)];
        assert_eq!(
            pair(&a, &b),
            json!({"top": [3, 20_000, 1_000, 1, 5_000, 30_000]})
        );
    }

    #[test]
    fn a_large_pair_keeps_its_best_and_caps_the_others_at_the_next_best() {
        let n = PAIR_TOP as u32 + 50;
        // Doc d scores d in the first term and 1 in the second: the last PAIR_TOP are best.
        let a: Vec<(u32, u32)> = (0..n).map(|d| (d, d)).collect();
        let b: Vec<(u32, u32)> = (0..n).map(|d| (d, 1)).collect();
        let v = pair(&a, &b);
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
        let v = pair(&a, &b);
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
    fn reading_best_first_finds_what_ranking_every_service_finds() {
        // Pseudo-random holdings and scores, few distinct scores so that sums often tie.
        let mut seed = 28u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        for doc in 0..3_000u32 {
            if next(10) < 8 {
                a.push((doc, 1_000 * next(40) as u32));
            }
            if next(10) < 6 {
                b.push((doc, 1_000 * next(40) as u32 + 7));
            }
        }
        let mut every: Vec<Both> = a
            .iter()
            .filter_map(|&(d, x)| {
                let y = b.iter().find(|&&(e, _)| e == d)?.1;
                Some(Both(sum(x, y), d, x, y))
            })
            .collect();
        every.sort();
        let mut top = every[..PAIR_TOP].to_vec();
        top.sort_by_key(|both| both.1);
        let mut flat = Vec::new();
        let mut last = 0;
        for Both(_, d, x, y) in top {
            flat.extend([d - last, x, y]);
            last = d;
        }
        let next_best = every[PAIR_TOP];
        assert_eq!(
            pair(&a, &b),
            json!({"cap": [next_best.2, next_best.3], "top": flat})
        );
    }

    #[test]
    fn pairs_are_made_for_the_most_widely_held_terms_only() {
        let held: Vec<(usize, Vec<u8>)> = (0..VERY_MOST + 3)
            .map(|i| (i, vec![0; if i % 10 == 0 { 1 } else { 2 }]))
            .collect();
        let kept: Vec<usize> = commonest(held).into_iter().map(|(i, _)| i).collect();
        // Terms 0, 10, ..., 60 are held least, and three terms are over the limit: of those
        // seven, the last three go (ties keep the earlier), and the others keep their order.
        let gone = [40, 50, 60];
        let want: Vec<usize> = (0..VERY_MOST + 3).filter(|i| !gone.contains(i)).collect();
        assert_eq!(kept, want);
        let few: Vec<(usize, Vec<u8>)> = vec![(4, vec![0]), (9, vec![0, 0])];
        assert_eq!(commonest(few.clone()), few);
    }

    #[test]
    fn only_very_common_terms_pair() {
        assert!(!is_very_common(COMMON, 1_000_000 / 2));
        assert!(!is_very_common(COMMON + 1, (COMMON + 1) * VERY_SHARE));
        assert!(is_very_common(COMMON + 1, (COMMON + 1) * VERY_SHARE - 1));
    }
}
