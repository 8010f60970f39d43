//! Markdown from outside the council, made safe: raw HTML removed, links restricted to
//! http(s), mailto, tel and addresses on this site, headings shifted so the page keeps its one
//! `h1`.
//!
//! Called while validating, so that problems in Markdown are reported with all the others.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The only elements Markdown from content can produce.
pub const ALLOWED_TAGS: [&str; 25] = [
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "del",
];

/// URL schemes a link in content may use.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Something in the Markdown that was removed or could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Byte range in the Markdown text.
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
    pub is_error: bool,
}

pub struct Rendered {
    pub html: String,
    /// The words alone, for reading-ease checks.
    pub text: String,
    pub problems: Vec<Problem>,
    /// Every link kept, but those to a place on the same page, for the build to check.
    pub links: Vec<Href>,
}

/// A link as written in the Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Href {
    /// Byte range of the whole link in the Markdown text.
    pub range: Range<usize>,
    pub url: String,
}

/// What relative URLs in Markdown resolve against.
pub struct Links<'a> {
    /// The site's base path, such as `/` or `/day-services/`.
    pub base_path: &'a str,
    /// The site's address, which tells links to its own pages from links elsewhere; `None`
    /// for text with no links to check.
    pub base_url: Option<&'a url::Url>,
    /// Files in content/images/, relative to it.
    pub images: &'a HashSet<String>,
}

pub fn render(markdown: &str, links: &Links) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .collect();
    let shift = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let (text, problems) = review(&events);
    let hrefs = kept_links(&events, links.base_path);
    let mut rewrite = Rewrite {
        links,
        shift,
        dropped_link: false,
        dropped_image: false,
        kept: Vec::with_capacity(events.len()),
        problems,
    };
    for (event, range) in events {
        rewrite.event(event, range);
    }
    let mut out = String::new();
    html::push_html(&mut out, rewrite.kept.into_iter());
    // Both are kept for the whole build (400 MB of text at 100,000 listings), and grown by
    // doubling each could hold up to twice its text.
    let mut html = clean(&out);
    html.shrink_to_fit();
    let mut text = text;
    text.shrink_to_fit();
    Rendered {
        html,
        text,
        problems: rewrite.problems,
        links: hrefs,
    }
}

/// The events made safe: HTML, unsafe links and images left out with a problem each, and
/// headings shifted down a level when the text has an H1 of its own.
struct Rewrite<'l, 'e> {
    links: &'l Links<'l>,
    shift: bool,
    /// Whether the link or image open now was left out, so its end is left out too.
    dropped_link: bool,
    dropped_image: bool,
    kept: Vec<Event<'e>>,
    problems: Vec<Problem>,
}

impl<'e> Rewrite<'_, 'e> {
    fn event(&mut self, event: Event<'e>, range: Range<usize>) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => self.problems.push(html_left_out(range)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let resolved = resolve_link(&dest_url, self.links.base_path)
                    .ok_or_else(|| unsafe_link(range.clone(), &dest_url));
                let tag = |dest_url| Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                if self.keep_start(resolved, range, tag) {
                    self.dropped_link = true;
                }
            }
            Event::End(TagEnd::Link) if self.dropped_link => self.dropped_link = false,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let resolved = resolve_image(&dest_url, self.links);
                let tag = |dest_url| Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                if self.keep_start(resolved, range, tag) {
                    self.dropped_image = true;
                }
            }
            Event::End(TagEnd::Image) if self.dropped_image => self.dropped_image = false,
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.kept.push(Event::Start(Tag::Heading {
                level: shifted(level, self.shift),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => self
                .kept
                .push(Event::End(TagEnd::Heading(shifted(level, self.shift)))),
            other => self.kept.push(other),
        }
    }

    /// Keeps the start of a link or an image with its address resolved, or leaves it out
    /// with its problem: true when left out.
    fn keep_start(
        &mut self,
        resolved: Result<String, Problem>,
        range: Range<usize>,
        tag: impl FnOnce(CowStr<'e>) -> Tag<'e>,
    ) -> bool {
        match resolved {
            Ok(url) => {
                self.kept.push(Event::Start(tag(url.into())));
                false
            }
            Err(problem) => {
                self.problems.push(Problem { range, ..problem });
                true
            }
        }
    }
}

/// Link texts that mean nothing out of context, as screen reader users often hear links.
const VAGUE_LINKS: [&str; 8] = [
    "click here",
    "here",
    "read more",
    "more",
    "link",
    "this link",
    "this page",
    "find out more",
];

/// The plain text of a description, and advice on its headings and links, from its events
/// as parsed, before anything is left out.
fn review(events: &[(Event, Range<usize>)]) -> (String, Vec<Problem>) {
    let warn = |range: Range<usize>, message: String, help: &str| Problem {
        range,
        message,
        help: help.to_string(),
        is_error: false,
    };
    let mut text = String::new();
    let mut problems = Vec::new();
    let mut level = 1;
    let mut link: Option<(Range<usize>, String)> = None;
    for (event, range) in events {
        let range = range.clone();
        match event {
            Event::Start(Tag::Heading { level: h, .. }) => {
                let h = (*h as usize).max(2);
                if h > level + 1 {
                    problems.push(warn(
                        range,
                        format!("this heading jumps from level {level} to level {h}"),
                        "use the next level down, such as ## after the title, then ###",
                    ));
                }
                level = h;
            }
            Event::Start(Tag::Link { .. }) => link = Some((range, String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((range, words)) = link.take() {
                    let words = words.trim().to_lowercase();
                    if words.is_empty() {
                        problems.push(warn(
                            range,
                            "this link has no text".into(),
                            "write what the link leads to between the [square brackets]",
                        ));
                    } else if VAGUE_LINKS.contains(&words.trim_end_matches('.')) {
                        problems.push(warn(
                            range,
                            format!("the link text \"{words}\" does not say where it goes"),
                            "say what the link leads to, such as [our timetable](https://…)",
                        ));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, words)) = &mut link {
                    words.push_str(t);
                }
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                text.push_str("\n\n")
            }
            _ => {}
        }
    }
    (text, problems)
}

/// The links that are kept, as written, but those to a place on the same page.
fn kept_links(events: &[(Event, Range<usize>)], base_path: &str) -> Vec<Href> {
    let link = |(event, range): &(Event, Range<usize>)| match event {
        Event::Start(Tag::Link { dest_url, .. }) => {
            let url = dest_url.trim();
            let kept = !url.starts_with('#') && resolve_link(url, base_path).is_some();
            kept.then(|| Href {
                range: range.clone(),
                url: url.to_string(),
            })
        }
        _ => None,
    };
    events.iter().filter_map(link).collect()
}

fn shifted(level: HeadingLevel, shift: bool) -> HeadingLevel {
    if !shift {
        return level;
    }
    HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6)
}

fn html_left_out(range: Range<usize>) -> Problem {
    Problem {
        range,
        message: "HTML is not allowed in descriptions, so it was left out".into(),
        help: "use Markdown instead: **bold**, - lists, [link text](https://…)".into(),
        is_error: false,
    }
}

fn unsafe_link(range: Range<usize>, url: &str) -> Problem {
    Problem {
        range,
        message: format!(
            "the link to `{url}` was left out: only web, email and phone links are allowed"
        ),
        help: "links start with https://, http://, mailto: or tel:".into(),
        is_error: false,
    }
}

/// The URL a link should point to, or `None` when it is not allowed.
fn resolve_link(url: &str, base_path: &str) -> Option<String> {
    let url = url.trim();
    if url.starts_with('#') {
        return Some(url.to_string());
    }
    if let Some(rest) = url.strip_prefix('/') {
        if rest.starts_with('/') {
            return None; // protocol-relative: another host
        }
        return Some(format!("{base_path}{rest}"));
    }
    // Relative (`contact/`, `../about/`): a page of this site, which the build checks exists.
    if matches!(
        url::Url::parse(url),
        Err(url::ParseError::RelativeUrlWithoutBase)
    ) {
        return Some(url.to_string());
    }
    scheme_allowed(url).then(|| url.to_string())
}

fn scheme_allowed(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => ALLOWED_SCHEMES.contains(&u.scheme()),
        Err(_) => false,
    }
}

fn resolve_image(url: &str, links: &Links) -> Result<String, Problem> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        if scheme_allowed(url) {
            return Ok(url.to_string());
        }
    } else if links.images.contains(url) {
        return Ok(format!("{}images/{url}", links.base_path));
    } else if !url.contains(':') {
        return Err(Problem {
            range: 0..0,
            message: format!("the image `{url}` is not in content/images/"),
            help: "add the image file to content/images/, or check the spelling of its name".into(),
            is_error: true,
        });
    }
    Err(Problem {
        range: 0..0,
        message: format!(
            "the image `{url}` was left out: images must be files in content/images/ or https:// addresses"
        ),
        help: "put the image in content/images/ and refer to it by its file name".into(),
        is_error: false,
    })
}

/// A second line of defence: whatever pulldown-cmark wrote, only these tags, attributes and
/// URL schemes reach the page.
fn clean(html: &str) -> String {
    // Made once: building the sanitiser's sets cost a tenth of each clean.
    static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::new();
        builder
            .tags(ALLOWED_TAGS.into_iter().collect())
            .url_schemes(ALLOWED_SCHEMES.into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        builder
    });
    SANITISER.clean(html).to_string()
}

/// Markdown with nothing to resolve, for text written by the council (site.yaml `intro`).
pub fn render_trusted_text(markdown: &str, base_path: &str) -> String {
    let images = HashSet::new();
    render(
        markdown,
        &Links {
            base_path,
            base_url: None,
            images: &images,
        },
    )
    .html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> Rendered {
        let images: HashSet<String> = ["garden.png".to_string()].into_iter().collect();
        render(
            md,
            &Links {
                base_path: "/sub/",
                base_url: None,
                images: &images,
            },
        )
    }

    #[test]
    fn removes_raw_html_rather_than_escaping_it() {
        let r = html("Hello <script>alert(1)</script> there\n\n<div onclick=x>block</div>\n");
        assert!(
            !r.html.contains("script") && !r.html.contains("&lt;"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert_eq!(r.problems.len(), 3, "{:?}", r.problems);
    }

    #[test]
    fn keeps_only_safe_link_schemes() {
        let r = html(
            "[a](javascript:alert(1)) [b](https://x.example) [c](tel:02084960000) [d](JaVaScRiPt:x) [e](data:text/html,x)",
        );
        assert!(r.html.contains(r#"href="https://x.example""#));
        assert!(r.html.contains(r#"href="tel:02084960000""#));
        assert!(
            !r.html.to_lowercase().contains("javascript") && !r.html.contains("data:"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(">a<") || r.html.contains("a "),
            "link text is kept: {}",
            r.html
        );
    }

    #[test]
    fn shifts_headings_when_there_is_an_h1() {
        assert!(html("# Top\n\n## Next").html.contains("<h2>Top</h2>"));
        assert!(html("## Kept").html.contains("<h2>Kept</h2>"));
    }

    #[test]
    fn resolves_local_images_and_reports_missing_ones() {
        let r = html("![Garden](garden.png) ![Gone](gone.png)");
        assert!(
            r.html.contains(r#"src="/sub/images/garden.png""#),
            "{}",
            r.html
        );
        assert!(
            r.problems
                .iter()
                .any(|p| p.is_error && p.message.contains("gone.png"))
        );
    }

    #[test]
    fn advises_on_headings_and_link_texts() {
        let r =
            html("## One\n\n#### Three\n\n[click here](https://x.example) [](https://y.example)\n");
        let messages: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "this heading jumps from level 2 to level 4",
                "the link text \"click here\" does not say where it goes",
                "this link has no text",
            ]
        );
        assert_eq!(r.text.trim(), "One\n\nThree\n\nclick here");
    }

    #[test]
    fn plain_text_is_read_from_the_same_parse_as_the_html() {
        let r =
            html("Open ~~Mondays~~ Tuesdays.\n\n| Day | Time |\n|---|---|\n| Friday | 10am |\n");
        assert!(r.html.contains("<del>Mondays</del>"), "{}", r.html);
        assert!(!r.text.contains('~'), "{:?}", r.text);
        for word in ["Mondays", "Tuesdays", "Friday", "10am"] {
            assert!(r.text.contains(word), "{word} in {:?}", r.text);
        }
    }

    #[test]
    fn links_are_kept_with_their_place_for_the_build_to_check() {
        let r = html("[a](../about/) [b](#top)\n\n[c](/feed.xml) [d](https://x.example)");
        assert!(r.html.contains(r#"href="../about/""#), "{}", r.html);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let found: Vec<(&str, Range<usize>)> = r
            .links
            .iter()
            .map(|h| (h.url.as_str(), h.range.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("../about/", 0..14),
                ("/feed.xml", 26..40),
                ("https://x.example", 41..63)
            ]
        );
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        assert!(
            html("[about](/about/)")
                .html
                .contains(r#"href="/sub/about/""#)
        );
    }
}
