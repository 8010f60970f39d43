//! The A to Z of services: the listings grouped by the letter their titles sort under.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cards::Cards;
use crate::model::Listing;
use crate::validate::sort_key;

#[derive(Serialize)]
pub(super) struct Letter {
    letter: String,
    id: String,
    present: bool,
}

#[derive(Serialize)]
pub(super) struct Group {
    letter: String,
    id: String,
    count: usize,
    /// Where the group's cards go.
    cards_html: String,
}

/// Listings grouped by first letter (ignoring a leading "The"); digits and symbols under `#`:
/// the letters, the groups, and each group's listings (indexes into `listings`).
pub(super) fn a_to_z(listings: &[Listing]) -> (Vec<Letter>, Vec<Group>, Vec<Vec<usize>>) {
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
        })
        .collect::<Vec<_>>();
    let letters = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(std::iter::once("#".to_string()))
        .map(|letter| Letter {
            present: groups.iter().any(|g| g.letter == letter),
            id: id_of(&letter),
            letter,
        })
        .collect();
    (letters, groups, by_letter.into_values().collect())
}
