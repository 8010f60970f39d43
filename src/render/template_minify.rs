//! Minifying a theme's templates once, when the theme loads, rather than every page they
//! render: at 10,000 services, minifying each page was a quarter of a build's time.
//!
//! Each Tera tag is hidden from the minifier behind a placeholder, the template is minified as
//! HTML, and the tags are put back. The minifier cannot know what a tag will print, so:
//! - an expression (`{{ title }}`) in text stands for text (it prints text, or HTML the build
//!   made);
//! - a statement or comment (`{% if %}`, `{# #}`) in text prints nothing itself: it stands for
//!   an empty element, `<wbr>`, so that the minifier still drops the whitespace around it
//!   between blocks (`</li>\n{%- endfor %}\n</ul>`) and keeps it between words;
//! - a start tag with Tera code anywhere in it (`<a href="{{ url }}">`) is kept as written,
//!   since the minifier might reorder its attributes or drop the quotes around a value;
//! - anything the minifier changed beyond whitespace and its own tag forms (a tag or a
//!   placeholder lost, moved or added, as happens to an end tag a block closes for its parent
//!   template) means the template is not minified at all: the theme's pages are then
//!   minified one by one as before (`Theme::finish`).

use crate::write;

/// Brackets a placeholder: Unicode's private use characters, which no template needs and which
/// the minifier keeps as text.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// What a placeholder stands for.
enum Piece<'a> {
    /// A Tera tag in text, put back as it is.
    Tera(&'a str),
    /// Stood for by an element, `<name PLACEHOLDER>`: a whole start tag with Tera code in it,
    /// or a statement.
    Tag { name: &'a str, source: &'a str },
}

/// `source` minified, its Tera tags unchanged, or `None` when it cannot be done safely.
pub fn minify(source: &str) -> Option<String> {
    let (masked, pieces) = mask(source)?;
    let minified = String::from_utf8(write::minify(masked.as_bytes())).ok()?;
    if tags(&masked) != tags(&minified) {
        return None;
    }
    unmask(&minified, &pieces)
}

/// `source` with each Tera tag, and each start tag holding Tera code, replaced by a placeholder.
fn mask(source: &str) -> Option<(String, Vec<Piece<'_>>)> {
    let mut out = String::with_capacity(source.len());
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut raw_text_until: Option<&str> = None;
    while at < source.len() {
        let rest = &source[at..];
        if let Some(end) = tera_end(rest.as_bytes()) {
            let tera = &rest[..end];
            if raw_text_until.is_some() || tera.starts_with("{{") {
                push_placeholder(&mut out, &mut pieces, Piece::Tera(tera));
            } else {
                push_element(&mut out, &mut pieces, EMPTY, tera);
            }
            at += end;
        } else if let Some(close) = raw_text_until {
            if starts_with_ignore_case(rest, close) {
                raw_text_until = None;
            }
            at += push_char(&mut out, rest);
        } else if let Some(name) = start_tag_name(rest) {
            let (end, has_tera) = tag_end(rest)?;
            if rest[1 + name.len()..].starts_with("{{") {
                // `<h{{ level }}>`: the element itself is not known until the page renders.
                // (A statement there, as in `<tr{% if closed %} class="closed"{% endif %}>`,
                // is about attributes.)
                return None;
            }
            if has_tera {
                push_element(&mut out, &mut pieces, name, &rest[..end]);
            } else {
                out.push_str(&rest[..end]);
            }
            raw_text_until = raw_text_close(name);
            at += end;
        } else if rest.starts_with("</") {
            let (end, has_tera) = tag_end(rest)?;
            if has_tera {
                return None;
            }
            out.push_str(&rest[..end]);
            at += end;
        } else {
            at += push_char(&mut out, rest);
        }
    }
    Some((out, pieces))
}

/// The element a statement stands for: void, and empty.
const EMPTY: &str = "wbr";

/// A placeholder the minifier sees as an element named `name`, with the placeholder for
/// `source` as its only attribute: `<name PLACEHOLDER>`.
fn push_element<'a>(out: &mut String, pieces: &mut Vec<Piece<'a>>, name: &'a str, source: &'a str) {
    out.push('<');
    out.push_str(name);
    out.push(' ');
    push_placeholder(out, pieces, Piece::Tag { name, source });
    out.push('>');
}

fn push_placeholder<'a>(out: &mut String, pieces: &mut Vec<Piece<'a>>, piece: Piece<'a>) {
    out.push(OPEN);
    out.push_str(&pieces.len().to_string());
    out.push(CLOSE);
    pieces.push(piece);
}

/// Copies the first character of `rest`, returning its length in bytes.
fn push_char(out: &mut String, rest: &str) -> usize {
    let c = rest.chars().next().unwrap_or_default();
    out.push(c);
    c.len_utf8().max(1)
}

/// The minified template with each placeholder replaced by what it stands for, or `None` if
/// any is missing, repeated or out of order.
fn unmask(minified: &str, pieces: &[Piece]) -> Option<String> {
    let mut out = String::with_capacity(minified.len() * 2);
    let mut rest = minified;
    let mut next = 0;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let end = after.find(CLOSE)?;
        if after[..end].parse::<usize>().ok()? != next {
            return None;
        }
        rest = &after[end + CLOSE.len_utf8()..];
        match pieces.get(next)? {
            Piece::Tera(tera) => out.push_str(tera),
            Piece::Tag { name, source } => {
                let opened = format!("<{name} ");
                let kept = out.len().checked_sub(opened.len())?;
                if !out.get(kept..)?.eq_ignore_ascii_case(&opened) {
                    return None;
                }
                out.truncate(kept);
                out.push_str(source);
                rest = rest.strip_prefix('>')?;
            }
        }
        next += 1;
    }
    out.push_str(rest);
    (next == pieces.len()).then_some(out)
}

/// The length of the Tera tag `rest` starts with, if it starts with one. Quoted strings inside
/// an expression or statement may hold the closing delimiter. Bytes, not characters: every
/// delimiter is ASCII, so the lengths found fall between characters.
fn tera_end(rest: &[u8]) -> Option<usize> {
    let close: &[u8] = match rest.get(..2)? {
        b"{{" => b"}}",
        b"{%" => b"%}",
        b"{#" => return find(&rest[2..], b"#}").map(|i| i + 4),
        _ => return None,
    };
    let mut at = 2;
    while at < rest.len() {
        match rest[at] {
            quote @ (b'"' | b'\'' | b'`') => {
                at += 1 + rest[at + 1..].iter().position(|&b| b == quote)?;
            }
            _ if rest[at..].starts_with(close) => return Some(at + 2),
            _ => {}
        }
        at += 1;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The name of the start tag `rest` begins with, if it begins with one.
fn start_tag_name(rest: &str) -> Option<&str> {
    name_at(rest.strip_prefix('<')?)
}

/// The name of the end tag `rest` begins with, if it begins with one.
fn end_tag_name(rest: &str) -> Option<&str> {
    name_at(rest.strip_prefix("</")?)
}

fn name_at(after: &str) -> Option<&str> {
    if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(after.len());
    Some(&after[..len])
}

/// The length of the tag `rest` starts with (through its `>`), and whether Tera code is in it.
/// `None` for a tag that never closes.
fn tag_end(rest: &str) -> Option<(usize, bool)> {
    let bytes = rest.as_bytes();
    let mut has_tera = false;
    let mut at = 1;
    while at < bytes.len() {
        if let Some(end) = tera_end(&bytes[at..]) {
            has_tera = true;
            at += end;
            continue;
        }
        match bytes[at] {
            b'>' => return Some((at + 1, has_tera)),
            quote @ (b'"' | b'\'') => {
                // A value may hold Tera code, which may hold the quote: `"{{ a | default(value="x") }}"`.
                at += 1;
                while at < bytes.len() && bytes[at] != quote {
                    match tera_end(&bytes[at..]) {
                        Some(end) => {
                            has_tera = true;
                            at += end;
                        }
                        None => at += 1,
                    }
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Where the text of an element that holds no tags ends (`<script>`, `<title>`, ...).
fn raw_text_close(name: &str) -> Option<&'static str> {
    ["script", "style", "title", "textarea"]
        .into_iter()
        .zip(["</script", "</style", "</title", "</textarea"])
        .find(|(raw, _)| name.eq_ignore_ascii_case(raw))
        .map(|(_, close)| close)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The start and end tags of `html` in order, by lowercase name (`true` for an end tag):
/// what minifying may not change.
fn tags(html: &str) -> Vec<(bool, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    let mut raw_text_until: Option<&str> = None;
    while at < html.len() {
        let rest = &html[at..];
        let step = if let Some(close) = raw_text_until {
            if starts_with_ignore_case(rest, close) {
                raw_text_until = None;
            }
            1
        } else if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |i| i + 3)
        } else if let Some(name) = start_tag_name(rest).or_else(|| end_tag_name(rest)) {
            let end = rest.starts_with("</");
            found.push((end, name.to_ascii_lowercase()));
            if !end {
                raw_text_until = raw_text_close(name);
            }
            tag_end(rest).map_or(rest.len(), |(len, _)| len)
        } else {
            1
        };
        at += step;
        while !html.is_char_boundary(at) {
            at += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn keeps_tera_tags_in_text() {
        assert_eq!(
            minify("<p>\n  Run by {{ provider }}\n</p>\n").as_deref(),
            Some("<p>Run by {{ provider }}</p>")
        );
    }

    #[test]
    fn drops_whitespace_around_statements_between_blocks_only() {
        assert_eq!(
            minify("<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>")
                .as_deref(),
            Some("<ul>{%- for x in xs %}<li>{{ x }}</li>{%- endfor %}</ul>")
        );
        assert_eq!(
            minify("<p>Run by {% if a %}<b>{{ a }}</b>{% endif %} today</p>").as_deref(),
            Some("<p>Run by {% if a %}<b>{{ a }}</b>{% endif %} today</p>")
        );
    }

    #[test]
    fn keeps_start_tags_with_tera_code_as_written() {
        let source =
            r#"<a href="{{ url }}"{% if here %} aria-current="page"{% endif %}>  Home </a>"#;
        assert_eq!(
            minify(source).as_deref(),
            Some(r#"<a href="{{ url }}"{% if here %} aria-current="page"{% endif %}> Home </a>"#)
        );
    }

    #[test]
    fn minifies_start_tags_without_tera_code() {
        assert_eq!(
            minify("<div class=\"card\">\n  {{ x }}\n</div>").as_deref(),
            Some("<div class=card>{{ x }}</div>")
        );
    }

    #[test]
    fn tera_delimiters_inside_strings_do_not_end_a_tag() {
        let source = r#"<p>{{ a | default(value="}}") }}</p>"#;
        assert_eq!(minify(source).as_deref(), Some(source));
        let source = r#"<a title="{{ a | default(value='">') }}">x</a>"#;
        assert_eq!(minify(source).as_deref(), Some(source));
    }

    #[test]
    fn keeps_script_text() {
        let source = r#"<script type="application/ld+json">{{ json | safe }}</script>"#;
        assert_eq!(
            minify(source).as_deref(),
            Some("<script type=application/ld+json>{{ json | safe }}</script>")
        );
    }

    #[test]
    fn refuses_what_it_cannot_minify_safely() {
        // A tag named by Tera.
        assert_eq!(minify("<h{{ level }}>x</h{{ level }}>"), None);
        assert_eq!(minify("<p>{% if a %}<b>{% endif %}x</p>"), None);
        // An end tag closing an element of the template this one extends: the minifier
        // would drop it.
        assert_eq!(minify("{% block a %}</div>{% endblock a %}"), None);
        // Tera code in an HTML comment, which the minifier removes.
        assert_eq!(minify("<!-- {{ x }} -->"), None);
        // A tag that never closes.
        assert_eq!(minify("<a href=\"{{ x }}\""), None);
    }
}
