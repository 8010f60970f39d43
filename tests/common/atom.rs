//! Reading Atom feeds back, for the tests of the site's feed and of each facet value's.

use roxmltree::Node;

pub const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The text of `node`'s first Atom child element called `name`.
pub fn child_text(node: Node, name: &str) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .and_then(|c| c.text().map(str::to_string))
}
