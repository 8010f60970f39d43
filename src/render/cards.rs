//! Cards rendered once. A service's card is the same on every list it is on (at 10,000 services
//! that is some 180,000 cards across the facet pages), so each is rendered and minified once by
//! the theme's `card.html`, and a page gets a placeholder where a list of cards goes, replaced
//! by the cards' HTML after the page itself is minified.

use rayon::prelude::*;
use tera::Context;

use super::RenderError;
use super::theme::Theme;
use super::views::Card;
use crate::write::minify;

pub const TEMPLATE: &str = "card.html";

/// Stands in for a list of cards until the page is minified. U+FFFC is Unicode's own
/// placeholder for an object inserted later; minifying keeps it as text.
const MARK: char = '\u{FFFC}';

/// Each listing's card as minified HTML, in listing order.
pub struct Cards {
    html: Vec<String>,
}

impl Cards {
    /// Renders every card, side by side, with the heading `level` (2 for `<h2>`).
    pub fn render(theme: &Theme, cards: &[Card], level: u8) -> Result<Cards, RenderError> {
        let html = cards
            .par_iter()
            .map(|card| {
                let mut context = Context::new();
                context.insert("listing", card);
                context.insert("level", &level);
                let html = theme
                    .tera
                    .render(TEMPLATE, &context)
                    .map_err(|e| RenderError::template(TEMPLATE, &e))?;
                Ok(String::from_utf8_lossy(&minify(html.as_bytes())).into_owned())
            })
            .collect::<Result<_, RenderError>>()?;
        Ok(Cards { html })
    }

    /// What a template prints where the `list`th list of cards of its page goes.
    pub fn placeholder(list: usize) -> String {
        format!("{MARK}{list}{MARK}")
    }

    /// `page` with each placeholder replaced by the cards of its list (indexes into the
    /// listings). A placeholder for a list the page does not have is left out.
    pub fn splice(&self, page: &[u8], lists: &[&[usize]]) -> Vec<u8> {
        let Ok(text) = std::str::from_utf8(page) else {
            return page.to_vec();
        };
        let size = lists
            .iter()
            .flat_map(|l| l.iter())
            .map(|&i| self.html[i].len());
        let mut out = String::with_capacity(text.len() + size.sum::<usize>());
        let mut rest = text;
        while let Some(start) = rest.find(MARK) {
            let after = &rest[start + MARK.len_utf8()..];
            let Some(end) = after.find(MARK) else { break };
            let Ok(list) = after[..end].parse::<usize>() else {
                out.push_str(&rest[..start + MARK.len_utf8()]);
                rest = after;
                continue;
            };
            out.push_str(&rest[..start]);
            for &i in lists.get(list).copied().unwrap_or_default() {
                out.push_str(&self.html[i]);
            }
            rest = &after[end + MARK.len_utf8()..];
        }
        out.push_str(rest);
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Cards {
        Cards {
            html: vec!["<li>a</li>".into(), "<li>b</li>".into()],
        }
    }

    #[test]
    fn splices_each_list_where_its_placeholder_is() {
        let page = format!(
            "<ul>{}</ul><ul>{}</ul>",
            Cards::placeholder(0),
            Cards::placeholder(1)
        );
        let lists: [&[usize]; 2] = [&[1, 0], &[0]];
        let out = cards().splice(page.as_bytes(), &lists);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<ul><li>b</li><li>a</li></ul><ul><li>a</li></ul>"
        );
    }

    #[test]
    fn leaves_other_text_with_the_mark_alone() {
        let page = format!("{MARK}x{MARK} and {MARK} and {}", Cards::placeholder(7));
        let out = cards().splice(page.as_bytes(), &[&[0]]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{MARK}x{MARK} and {MARK} and ")
        );
    }
}
