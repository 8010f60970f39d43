//! The A to Z of services: the listings grouped by the letter their titles sort under.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::cards::Cards;
use crate::model::Listing;
use crate::validate::sort_key;

#[derive(Serialize)]
pub(super) struct Letter {
    letter: String,
    id: String,
    present: bool,
    /// Where the letter's services start: `#m`, or `/services/page/3/#m` on a long A to Z.
    href: String,
}

#[derive(Serialize)]
pub(super) struct Group {
    letter: String,
    id: String,
    count: usize,
    /// Where the group's cards go.
    cards_html: String,
    /// The group began on the page before: its heading says so and has no `id`, which the
    /// page where it starts has.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    continued: bool,
}

/// The part of a group (its listings `from..to`) that a page of the A to Z shows.
pub(super) struct Part {
    pub group: usize,
    pub from: usize,
    pub to: usize,
}

/// Listings grouped by first letter (ignoring a leading "The"); digits and symbols under `#`:
/// the letters, the groups, and each group's listings (indexes into `listings`).
pub(super) fn a_to_z(listings: &[Arc<Listing>]) -> (Vec<Letter>, Vec<Group>, Vec<Vec<usize>>) {
    let letter_of = |l: &Listing| {
        let first = sort_key(&l.title)
            .chars()
            .next()
            .unwrap_or('#')
            .to_ascii_uppercase();
        if first.is_ascii_uppercase() {
            first.to_string()
        } else {
            "#".to_string()
        }
    };
    let mut by_letter: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for (i, l) in listings.iter().enumerate() {
        let letter = letter_of(l);
        by_letter
            .entry((letter == "#", letter))
            .or_default()
            .push(i);
    }
    let id_of = |letter: &str| {
        if letter == "#" {
            "other".to_string()
        } else {
            letter.to_lowercase()
        }
    };
    let groups = by_letter
        .iter()
        .enumerate()
        .map(|(n, ((_, letter), members))| Group {
            letter: letter.clone(),
            id: id_of(letter),
            count: members.len(),
            cards_html: Cards::placeholder(n),
            continued: false,
        })
        .collect::<Vec<_>>();
    let letters = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(std::iter::once("#".to_string()))
        .map(|letter| Letter {
            present: groups.iter().any(|g| g.letter == letter),
            href: format!("#{}", id_of(&letter)),
            id: id_of(&letter),
            letter,
        })
        .collect();
    (letters, groups, by_letter.into_values().collect())
}

/// The groups' listings, in A to Z order, cut into pages of at most `per`: each page's parts.
/// A group may run on from one page to the next.
pub(super) fn cut(by_letter: &[Vec<usize>], per: usize) -> Vec<Vec<Part>> {
    let mut pages: Vec<Vec<Part>> = vec![Vec::new()];
    let mut room = per;
    for (group, members) in by_letter.iter().enumerate() {
        let mut from = 0;
        while from < members.len() {
            if room == 0 {
                pages.push(Vec::new());
                room = per;
            }
            let to = (from + room).min(members.len());
            pages
                .last_mut()
                .expect("always a page")
                .push(Part { group, from, to });
            room -= to - from;
            from = to;
        }
    }
    pages
}

/// The groups a page of the A to Z shows, each with the placeholder for its cards.
pub(super) fn page_groups(groups: &[Group], parts: &[Part]) -> Vec<Group> {
    parts
        .iter()
        .enumerate()
        .map(|(n, part)| {
            let g = &groups[part.group];
            Group {
                letter: g.letter.clone(),
                id: g.id.clone(),
                count: part.to - part.from,
                cards_html: Cards::placeholder(n),
                continued: part.from > 0,
            }
        })
        .collect()
}

/// Points each letter at the page where its services start, when the A to Z has pages.
pub(super) fn link_letters(
    letters: &mut [Letter],
    groups: &[Group],
    pages: &[Vec<Part>],
    url: impl Fn(usize) -> String,
) {
    if pages.len() <= 1 {
        return;
    }
    for letter in letters.iter_mut().filter(|l| l.present) {
        let start = pages.iter().position(|parts| {
            parts
                .iter()
                .any(|p| p.from == 0 && groups[p.group].letter == letter.letter)
        });
        if let Some(page) = start {
            letter.href = format!("{}#{}", url(page + 1), letter.id);
        }
    }
}
