//! Cards rendered once. A service's card is the same on every list it is on (at 10,000 services
//! that is some 180,000 cards across the facet pages), so each is rendered and minified once by
//! the theme's `card.html`, and a page gets a placeholder where a list of cards goes, replaced
//! by the cards' HTML after the page itself is minified.

use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::RenderError;
use super::theme::Theme;
use super::views::Card;
use crate::memo::{Key, Memo};
use crate::model::Listing;
use crate::write::made_in_buffer;

pub const TEMPLATE: &str = "card.html";

/// A card's minified HTML.
type Html = Arc<[u8]>;

/// Stands in for a list of cards until the page is minified. U+FFFC is Unicode's own
/// placeholder for an object inserted later; minifying keeps it as text.
const MARK: char = '\u{FFFC}';

/// Each listing's card as minified HTML, in listing order, with headings at one level.
pub struct Cards {
    html: Vec<Arc<[u8]>>,
    /// What each card is made from, for the keys of the pages that print it.
    keys: Vec<u64>,
}

impl Cards {
    /// Renders every card twice, side by side: with headings at `levels.0` (2 for `<h2>`)
    /// and at `levels.1`, or takes each from `made` when the build before made it from the
    /// same listing and templates. A listing's view (`card`) is made only for a card that
    /// must be rendered, and once for both.
    pub fn render_pair(
        theme: &Theme,
        listings: &[Arc<Listing>],
        card: impl Fn(&Listing) -> Card + Sync,
        levels: (u8, u8),
        made: &Memo<Arc<[u8]>>,
    ) -> Result<(Cards, Cards), RenderError> {
        let key = |l: &Listing, level: u8| {
            Key::new(TEMPLATE)
                .part(&theme.templates_key)
                .part(&level)
                .part(&l.stamp)
                .finish()
        };
        let keys: Vec<(u64, u64)> = listings
            .iter()
            .map(|l| (key(l, levels.0), key(l, levels.1)))
            .collect();
        let html: Vec<(Html, Html)> = listings
            .par_iter()
            .zip(&keys)
            .map(|(listing, &(first, second))| {
                let view = std::sync::OnceLock::new();
                let view = || view.get_or_init(|| card(listing));
                let render = |level: u8| {
                    let mut context = Context::new();
                    context.insert("listing", view());
                    context.insert("level", &level);
                    made_in_buffer(|html| theme.render_into(TEMPLATE, &context, html))
                };
                Ok((
                    made.get_or_make(|| first, || render(levels.0))?,
                    made.get_or_make(|| second, || render(levels.1))?,
                ))
            })
            .collect::<Result<_, RenderError>>()?;
        let (first, second): (Vec<_>, Vec<_>) = html.into_iter().unzip();
        let (first_keys, second_keys) = keys.into_iter().unzip();
        Ok((
            Cards {
                html: first,
                keys: first_keys,
            },
            Cards {
                html: second,
                keys: second_keys,
            },
        ))
    }

    /// What the cards of `lists` are made from, for the key of a page that prints them.
    pub fn key_of(&self, lists: &[&[usize]]) -> u64 {
        let mut key = Key::new("cards");
        for list in lists {
            key = key.part(&list.len());
            for &i in *list {
                key = key.part(&self.keys[i]);
            }
        }
        key.finish()
    }

    /// What a template prints where the `list`th list of cards of its page goes.
    pub fn placeholder(list: usize) -> String {
        format!("{MARK}{list}{MARK}")
    }

    /// `page` with each placeholder replaced by the cards of its list (indexes into the
    /// listings). A placeholder for a list the page does not have is left out.
    pub fn splice(&self, page: &[u8], lists: &[&[usize]], out: &mut Vec<u8>) {
        let Ok(text) = std::str::from_utf8(page) else {
            out.extend_from_slice(page);
            return;
        };
        let size = lists
            .iter()
            .flat_map(|l| l.iter())
            .map(|&i| self.html[i].len());
        out.reserve(text.len() + size.sum::<usize>());
        let mut rest = text;
        while let Some(start) = rest.find(MARK) {
            let after = &rest[start + MARK.len_utf8()..];
            let Some(end) = after.find(MARK) else { break };
            let Ok(list) = after[..end].parse::<usize>() else {
                out.extend_from_slice(&rest.as_bytes()[..start + MARK.len_utf8()]);
                rest = after;
                continue;
            };
            out.extend_from_slice(&rest.as_bytes()[..start]);
            for &i in lists.get(list).copied().unwrap_or_default() {
                out.extend_from_slice(&self.html[i]);
            }
            rest = &after[end + MARK.len_utf8()..];
        }
        out.extend_from_slice(rest.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Cards {
        Cards {
            html: vec![b"<li>a</li>"[..].into(), b"<li>b</li>"[..].into()],
            keys: vec![1, 2],
        }
    }

    fn spliced(page: &str, lists: &[&[usize]]) -> String {
        let mut out = Vec::new();
        cards().splice(page.as_bytes(), lists, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn splices_each_list_where_its_placeholder_is() {
        let page = format!(
            "<ul>{}</ul><ul>{}</ul>",
            Cards::placeholder(0),
            Cards::placeholder(1)
        );
        let lists: [&[usize]; 2] = [&[1, 0], &[0]];
        assert_eq!(
            spliced(&page, &lists),
            "<ul><li>b</li><li>a</li></ul><ul><li>a</li></ul>"
        );
    }

    #[test]
    fn leaves_other_text_with_the_mark_alone() {
        let page = format!("{MARK}x{MARK} and {MARK} and {}", Cards::placeholder(7));
        assert_eq!(
            spliced(&page, &[&[0]]),
            format!("{MARK}x{MARK} and {MARK} and ")
        );
    }
}
