//! The shortlist page: the same for everyone when built, filled in the browser by
//! shortlist.js from localStorage or a shared link, so nobody's choices reach the server.

use super::theme::Theme;

pub const REL: &str = "shortlist/";
pub const TEMPLATE: &str = "shortlist.html";
pub const TITLE: &str = "Your shortlist";

/// Themes without a shortlist template get no shortlist page.
pub fn available(theme: &Theme) -> bool {
    theme.tera.get_template_names().any(|n| n == TEMPLATE)
}
