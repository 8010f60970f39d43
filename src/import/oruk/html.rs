//! Descriptions that feeds write in HTML, as the listing's Markdown. The HTML is parsed by a
//! real parser (html5ever, as browsers parse it); headings, paragraphs, lists and links to
//! http(s), mailto and tel addresses are kept, the words of any other element are kept as
//! plain text, and scripts, frames, forms, media and every other kind of link are dropped.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::{Html, Node};

use crate::import::draft::escape;

/// Elements whose content is not text for a reader: dropped whole.
const DROPPED: [&str; 20] = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "template", "noscript",
    "svg", "math", "form", "input", "button", "select", "textarea", "canvas", "video", "audio",
    "img",
];

/// Elements that are paragraphs of their own.
const BLOCKS: [&str; 12] = [
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "address",
    "table",
    "tr",
    "header",
    "footer",
    "main",
    "aside",
];

/// How deep elements nest before the rest is read as plain words: the walk recurses, and a
/// feed could nest a million `<div>`s.
const MAX_DEPTH: usize = 100;

/// A description in Markdown and what was left out of it, by kind (`<script>`, a
/// `javascript:` link).
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    pub markdown: String,
    /// The first paragraph as plain text, for a summary.
    pub lead: String,
    pub dropped: BTreeSet<String>,
}

/// Whether a description is written in HTML rather than plain text: it has a tag a feed
/// would use for structure (a `<` in plain text, as in "ages <18", does not count).
pub fn looks_like_html(text: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)</?(p|h[1-6]|ul|ol|li|br|div|a|strong|em|b|i|span|table|script|iframe)\b[^<>]*>",
        )
        .expect("a valid pattern")
    });
    TAG.is_match(text)
}

/// The most of a description parsed, in bytes and in tags: the parser's time grows with the
/// square of how deep tags nest, and no real description comes near either.
const MAX_BYTES: usize = 200_000;
const MAX_TAGS: usize = 4_000;

pub fn to_markdown(html: &str) -> Converted {
    let (html, cut) = within_limits(html);
    let doc = Html::parse_fragment(html);
    let root = *doc.root_element();
    let mut c = Converter {
        shift: heading_shift(root),
        ..Converter::default()
    };
    c.children(root);
    c.flush();
    if cut {
        c.dropped.insert(format!(
            "all after the first {MAX_BYTES} bytes or {MAX_TAGS} tags"
        ));
    }
    let lead = c.lead.clone().unwrap_or_default();
    Converted {
        markdown: c.blocks.join("\n\n"),
        lead,
        dropped: c.dropped,
    }
}

/// `html` up to the limits, and whether it was cut.
fn within_limits(html: &str) -> (&str, bool) {
    let mut end = html.len().min(MAX_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    if let Some((at, _)) = html[..end].match_indices('<').nth(MAX_TAGS) {
        end = at;
    }
    (&html[..end], end < html.len())
}

/// How far headings move so the description's highest is level 2 (the page has the 1).
fn heading_shift(root: NodeRef<Node>) -> i32 {
    let top = root
        .descendants()
        .filter_map(|n| heading_level(n.value()))
        .min()
        .unwrap_or(2);
    2 - top
}

fn heading_level(node: &Node) -> Option<i32> {
    let name = node.as_element()?.name();
    let digit = name.strip_prefix('h')?;
    let level: i32 = digit.parse().ok()?;
    (1..=6).contains(&level).then_some(level)
}

#[derive(Default)]
struct Converter {
    shift: i32,
    /// How many elements deep the walk is.
    depth: usize,
    blocks: Vec<String>,
    /// The paragraph being written.
    line: String,
    lead: Option<String>,
    /// The plain words of the paragraph being written.
    plain: String,
    dropped: BTreeSet<String>,
}

impl Converter {
    fn children(&mut self, node: NodeRef<Node>) {
        for child in node.children() {
            self.node(child);
        }
    }

    fn node(&mut self, node: NodeRef<Node>) {
        match node.value() {
            Node::Text(t) => self.text(t),
            Node::Element(e) => self.element(node, e.name()),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            if !text.is_empty() && !self.line.is_empty() {
                self.space();
            }
            return;
        }
        if text.starts_with(char::is_whitespace) {
            self.space();
        }
        let joined = words.join(" ");
        self.line.push_str(&escape(&joined));
        self.plain.push_str(&joined);
        if text.ends_with(char::is_whitespace) {
            self.space();
        }
    }

    fn space(&mut self) {
        if !self.line.is_empty() && !self.line.ends_with([' ', '\n']) {
            self.line.push(' ');
            self.plain.push(' ');
        }
    }

    fn element(&mut self, node: NodeRef<Node>, name: &str) {
        if DROPPED.contains(&name) {
            self.dropped.insert(format!("<{name}>"));
            return;
        }
        if self.depth >= MAX_DEPTH {
            self.flattened(node);
            return;
        }
        self.depth += 1;
        self.structure(node, name);
        self.depth -= 1;
    }

    /// Markup nested too deep to walk: its words, without those of dropped elements, found
    /// without recursion.
    fn flattened(&mut self, node: NodeRef<Node>) {
        self.dropped
            .insert("markup nested too deep (kept as plain words)".into());
        for n in node.descendants() {
            let Node::Text(t) = n.value() else {
                continue;
            };
            let hidden = n.ancestors().take_while(|a| a.id() != node.id()).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| DROPPED.contains(&e.name()))
            });
            if !hidden {
                self.text(t);
                self.space();
            }
        }
    }

    fn structure(&mut self, node: NodeRef<Node>, name: &str) {
        match name {
            "br" => {
                self.line.push('\n');
                self.plain.push(' ');
            }
            "ul" | "ol" => {
                self.flush();
                let lines = self.list(node, name == "ol", 0);
                if !lines.is_empty() {
                    self.blocks.push(lines.join("\n"));
                }
            }
            "a" => self.link(node),
            "td" | "th" => {
                self.space();
                self.children(node);
                self.space();
            }
            _ if heading_level(node.value()).is_some() => self.heading(node),
            _ if BLOCKS.contains(&name) => {
                self.flush();
                self.children(node);
                self.flush();
            }
            _ => self.children(node),
        }
    }

    /// Ends the paragraph being written, if it has words.
    fn flush(&mut self) {
        let text = self
            .line
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !text.is_empty() {
            self.blocks.push(text);
            if self.lead.is_none() {
                self.lead = Some(self.plain.trim().to_string());
            }
        }
        self.line.clear();
        self.plain.clear();
    }

    fn heading(&mut self, node: NodeRef<Node>) {
        self.flush();
        let level = heading_level(node.value()).unwrap_or(2);
        let text = self.inline(node);
        if !text.is_empty() {
            let hashes = "#".repeat((level + self.shift).clamp(2, 6) as usize);
            self.blocks
                .push(format!("{hashes} {}", text.replace('\n', " ")));
        }
    }

    /// The words of `node` on their own, with their links, as one line.
    fn inline(&mut self, node: NodeRef<Node>) -> String {
        let mut inner = Converter {
            shift: self.shift,
            depth: self.depth,
            ..Converter::default()
        };
        inner.children(node);
        inner.flush();
        self.dropped.append(&mut inner.dropped);
        inner.blocks.join(" ")
    }

    fn link(&mut self, node: NodeRef<Node>) {
        let href = node.value().as_element().and_then(|e| e.attr("href"));
        let text = self.inline(node).replace('\n', " ");
        match href.map(str::trim).and_then(safe_href) {
            Some(href) => {
                let shown = if text.is_empty() { escape(&href) } else { text };
                self.line.push_str(&format!("[{shown}]({href})"));
                self.plain.push_str(&shown.replace('\\', ""));
            }
            None => {
                if let Some(scheme) = href.and_then(|h| h.trim().split_once(':')) {
                    self.dropped
                        .insert(format!("a {}: link", scheme.0.to_lowercase()));
                } else if href.is_some() {
                    self.dropped.insert("a link within the old site".into());
                }
                self.line.push_str(&text);
                self.plain.push_str(&text.replace('\\', ""));
            }
        }
    }

    /// A list's items, one line each, nested lists indented under their item.
    fn list(&mut self, node: NodeRef<Node>, ordered: bool, depth: usize) -> Vec<String> {
        let indent = "   ".repeat(depth);
        let mut lines = Vec::new();
        let items = node
            .children()
            .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "li"));
        for (n, item) in items.enumerate() {
            let mut inner = Converter {
                shift: self.shift,
                depth: self.depth + depth,
                ..Converter::default()
            };
            let mut nested = Vec::new();
            for child in item.children() {
                match child.value().as_element().map(|e| e.name()) {
                    Some(list @ ("ul" | "ol")) if self.depth + depth + 1 < MAX_DEPTH => {
                        nested.extend(self.list(child, list == "ol", depth + 1))
                    }
                    _ => inner.node(child),
                }
            }
            inner.flush();
            self.dropped.append(&mut inner.dropped);
            let text = inner.blocks.join(" ").replace('\n', " ");
            let marker = if ordered {
                format!("{}.", n + 1)
            } else {
                "-".into()
            };
            lines.push(format!("{indent}{marker} {text}").trim_end().to_string());
            lines.extend(nested);
        }
        lines
    }
}

/// A link the listing may keep: http(s), mailto or tel, written so Markdown reads it whole.
fn safe_href(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    let other = lower.starts_with("mailto:") || lower.starts_with("tel:");
    if !(web && url::Url::parse(href).is_ok() || other && href.len() > 5) {
        return None;
    }
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_is_kept_and_headings_start_at_level_two() {
        let c = to_markdown(
            "<h1>About us</h1><p>We meet <strong>weekly</strong> in the hall.</p>\
             <h2>What we do</h2><ul><li>Art</li><li>Cooking<ul><li>Baking</li></ul></li></ul>\
             <ol><li>Call</li><li>Visit</li></ol>\
             <p>See <a href=\"https://example.org/a b\">our page</a> or \
             <a href=\"mailto:hi@example.org\">email</a>.</p>",
        );
        assert_eq!(
            c.markdown,
            "## About us\n\nWe meet weekly in the hall.\n\n### What we do\n\n\
             - Art\n- Cooking\n   - Baking\n\n1. Call\n2. Visit\n\n\
             See [our page](https://example.org/a%20b) or [email](mailto:hi@example.org)."
        );
        assert_eq!(c.lead, "We meet weekly in the hall.");
        assert!(c.dropped.is_empty());
    }

    #[test]
    fn scripts_frames_and_other_links_are_dropped() {
        let c = to_markdown(
            "<p>Hi<script>alert(1)</script><iframe src=\"https://x.example\">f</iframe>\
             <a href=\"javascript:alert(1)\">click</a> <a href=\" JaVaScRiPt:x\">two</a>\
             <img src=x onerror=alert(1)><style>p{}</style></p>\
             <p onclick=\"alert(1)\">*not emphasis* [x](javascript:y) &lt;b&gt;</p>",
        );
        assert_eq!(
            c.markdown,
            "Hiclick two\n\n\\*not emphasis\\* \\[x\\](javascript:y) \\<b\\>"
        );
        let dropped: Vec<&str> = c.dropped.iter().map(String::as_str).collect();
        assert_eq!(
            dropped,
            [
                "<iframe>",
                "<img>",
                "<script>",
                "<style>",
                "a javascript: link"
            ]
        );
    }

    #[test]
    fn markup_nested_without_end_is_read_as_words() {
        let deep = "<div>".repeat(1_000) + "<script>x()</script>deep words";
        let c = to_markdown(&format!("<p>Start</p>{deep}"));
        assert_eq!(c.markdown, "Start\n\ndeep words");
        let lists = "<ul><li>".repeat(1_000) + "inner";
        let c = to_markdown(&lists);
        assert!(c.markdown.ends_with("inner"), "{}", c.markdown);
    }

    #[test]
    fn a_description_past_the_limits_is_cut_quickly() {
        let started = std::time::Instant::now();
        let c = to_markdown(&"<div>".repeat(1_000_000));
        assert!(
            c.dropped
                .iter()
                .any(|d| d.starts_with("all after the first"))
        );
        let c = to_markdown(&"word ".repeat(100_000));
        assert!(c.markdown.len() <= MAX_BYTES);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn only_markup_counts_as_html() {
        assert!(looks_like_html("<p>Hello</p>"));
        assert!(looks_like_html("Line<br/>break"));
        assert!(!looks_like_html("For ages <18 and >65"));
        assert!(!looks_like_html("Plain text."));
    }
}
