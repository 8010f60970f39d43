//! Plain text from the safe HTML a description is rendered to, for formats that take text.

/// Block ends that become line breaks, so paragraphs and list items stay apart.
const BREAKS: [&str; 12] = [
    "</p>",
    "<br>",
    "<br/>",
    "<br />",
    "</li>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</h5>",
    "</h6>",
    "</blockquote>",
    "</tr>",
];

/// The text of `html`: tags dropped, entities decoded, paragraphs separated by a blank line.
pub fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            // A tag left open hides the rest, as it would in a browser.
            rest = "";
            break;
        };
        let tag = &rest[open..=open + close];
        if BREAKS.contains(&tag) {
            text.push('\u{0}');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    collapse(&decode(&text))
}

/// Each block (ended by a NUL) with its runs of white space made one space and its ends
/// trimmed; empty blocks dropped, the rest separated by a blank line.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Which separator the next word needs: none at the start, else a space or a blank line.
    let mut gap: Option<&str> = None;
    let mut in_block = false;
    for word in text.split_inclusive('\u{0}') {
        let (body, ends_block) = match word.strip_suffix('\u{0}') {
            Some(body) => (body, true),
            None => (word, false),
        };
        for w in body.split_whitespace() {
            if let Some(sep) = gap.filter(|_| !out.is_empty()) {
                out.push_str(sep);
            }
            out.push_str(w);
            gap = Some(" ");
            in_block = true;
        }
        if ends_block && in_block {
            gap = Some("\n\n");
            in_block = false;
        }
    }
    out
}

/// Decodes the entities an HTML serialiser writes: named ones for markup characters and
/// numeric ones for everything else.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn keeps_paragraphs_and_decodes_entities() {
        let html = "<h2>About</h2><p>Tea &amp; cake<br>at <em>3pm</em> &#8211; &#x27;free&#x27;</p><ul><li>One</li><li>Two</li></ul>";
        assert_eq!(
            plain(html),
            "About\n\nTea & cake\n\nat 3pm \u{2013} 'free'\n\nOne\n\nTwo"
        );
    }

    #[test]
    fn empty_blocks_and_white_space_runs_collapse() {
        let html = "<p> </p><p>\n  One \t two\u{a0}</p><br><br><p>three</p><li></li>";
        assert_eq!(plain(html), "One two\n\nthree");
        assert_eq!(plain(""), "");
        assert_eq!(plain("<p>&#0;x</p>"), "x");
    }

    #[test]
    fn a_stray_ampersand_is_kept() {
        assert_eq!(plain("<p>A & B &unknown; C</p>"), "A & B &unknown; C");
    }
}
