//! Content pages: about, accessibility statement, how to get a place, ...

use std::ops::Range;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::PageFile;
use crate::load::front_matter;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Page, SiteConfig};
use crate::text::markdown::{self, Links};

use super::reader::Doc;

/// Addresses the site itself uses, which a page cannot take.
pub const RESERVED: [&str; 14] = [
    "services",
    "needs",
    "service-types",
    "activities",
    "areas",
    "days",
    "when",
    "funding",
    "accessibility",
    "assets",
    "images",
    "search",
    "sitemap",
    "404",
];

pub fn pages(
    files: &[PageFile],
    config: &SiteConfig,
    links: &Links,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages: Vec<Page> = files
        .iter()
        .filter_map(|f| page(f, config, links, diags))
        .collect();
    pages.sort_by(|a, b| (a.order, &a.title).cmp(&(b.order, &b.title)));
    pages
}

fn page(
    pf: &PageFile,
    config: &SiteConfig,
    links: &Links,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let file = &pf.file;
    if !super::formats::slug(&pf.slug) {
        diags.push(super::bad_file_name(file, &pf.slug));
        return None;
    }
    if RESERVED.contains(&pf.slug.as_str()) {
        diags.push(
            Diagnostic::error(
                file,
                0..0,
                format!(
                    "a page cannot be called `{}`: the site uses /{}/ itself",
                    pf.slug, pf.slug
                ),
            )
            .with_help("rename the file"),
        );
        return None;
    }
    let split = match front_matter::split(&file.text) {
        Ok(s) => s,
        Err(problem) => {
            diags.push(super::front_matter_problem(file, problem));
            return None;
        }
    };
    let (value, spans) = super::parse_yaml(file, split.yaml, split.yaml_offset, diags)?;
    let mut doc = Doc::new(file, &spans);
    let body = fill_in(&mut doc, split.body, split.body_offset, config);
    let page = fields(&mut doc, &value, pf, (&body, split.body_offset), links);
    let ok = !doc.diags.has_errors();
    diags.extend(doc.diags);
    page.filter(|_| ok)
}

/// The site.yaml values a page may quote, so that (for example) the accessibility statement
/// names the council and its contact details from one place.
fn placeholder(config: &SiteConfig, name: &str) -> Option<String> {
    Some(match name {
        "site.title" => config.title.clone(),
        "site.council" => config.council.clone(),
        "site.base_url" => config.base_url.clone(),
        "site.contact.phone" => config.contact.phone.clone()?,
        "site.contact.email" => config.contact.email.clone()?,
        _ => return None,
    })
}

/// A page's body with its placeholders filled in, and where each value went, so that a
/// position in the text as filled can be found in the file as written.
struct Filled {
    text: String,
    /// Each placeholder's range in `text` and in the body as written, in order.
    swaps: Vec<(Range<usize>, Range<usize>)>,
}

impl Filled {
    /// Where a range of the filled text was in the body as written.
    fn in_body(&self, range: Range<usize>) -> Range<usize> {
        self.written_at(range.start, false)..self.written_at(range.end, true)
    }

    /// Where an offset in the filled text was as written. One inside a value is at its
    /// placeholder: its start, or its end when `end` is the end of a range.
    fn written_at(&self, offset: usize, end: bool) -> usize {
        let last = self
            .swaps
            .iter()
            .rev()
            .find(|(filled, _)| filled.start < offset || (filled.start == offset && !end));
        match last {
            None => offset,
            Some((filled, written)) if offset >= filled.end => written.end + (offset - filled.end),
            Some((_, written)) if end => written.end,
            Some((_, written)) => written.start,
        }
    }
}

/// Replaces `{{ site.council }}` and the like; anything else in braces is left and warned about.
fn fill_in(doc: &mut Doc, body: &str, body_offset: usize, config: &SiteConfig) -> Filled {
    static PLACEHOLDER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\{\s*([a-z_.]+)\s*\}\}").expect("a valid pattern"));
    let mut text = String::with_capacity(body.len());
    let mut swaps = Vec::new();
    let mut copied = 0;
    for caps in PLACEHOLDER.captures_iter(body) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Some(value) = placeholder(config, name.as_str()) else {
            let span = body_offset + whole.start()..body_offset + whole.end();
            doc.diags.push(
                Diagnostic::warning(doc.file, span, format!("`{}` is not something a page can quote from site.yaml", name.as_str()))
                    .with_help("use site.title, site.council, site.base_url, site.contact.phone or site.contact.email (the phone and email only when site.yaml gives them)"),
            );
            continue;
        };
        text.push_str(&body[copied..whole.start()]);
        swaps.push((text.len()..text.len() + value.len(), whole.range()));
        text.push_str(&value);
        copied = whole.end();
    }
    text.push_str(&body[copied..]);
    Filled { text, swaps }
}

fn fields(
    doc: &mut Doc,
    value: &Value,
    pf: &PageFile,
    (body, body_offset): (&Filled, usize),
    links: &Links,
) -> Option<Page> {
    let at = doc.mapping(value, "", "title: About this directory")?;
    doc.unknown_fields(
        at,
        &["title", "summary", "order"],
        "title, summary and order",
    );
    let title = doc.required_text(at, "title", "title: About this directory");
    let summary = doc.text(at, "summary", "summary: Who runs this directory.");
    let order = match at.get("order") {
        None => 0,
        Some(v) => v.as_i64().unwrap_or_else(|| {
            doc.error(
                "order",
                "`order` should be a whole number",
                "for example: `order: 2`",
            );
            0
        }),
    };
    let rendered = markdown::render(&body.text, links);
    let in_file = |range: Range<usize>| {
        let range = body.in_body(range);
        body_offset + range.start..body_offset + range.end
    };
    let problems = rendered.problems.into_iter().map(|p| markdown::Problem {
        range: body.in_body(p.range.clone()),
        ..p
    });
    super::report_markdown(doc, problems.collect(), Some(body_offset));
    let site_links = match links.base_url {
        Some(base) => {
            let here = format!("{}/", pf.slug);
            super::links::found(doc.file, &rendered.links, &here, base, in_file)
        }
        None => Vec::new(),
    };
    Some(Page {
        slug: pf.slug.clone(),
        source: PathBuf::from(&pf.file.name),
        title: title?,
        summary,
        order,
        content_html: rendered.html,
        links: site_links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_the_filled_text_are_found_in_the_text_as_written() {
        // As written: "{{ site.title }} at {{ site.base_url }}x/."
        let filled = Filled {
            text: "Wrenfield at https://w.example/x/.".into(),
            swaps: vec![(0..9, 0..16), (13..31, 20..39)],
        };
        assert_eq!(filled.in_body(10..12), 17..19, "between the values");
        assert_eq!(filled.in_body(13..33), 20..41, "from a value on");
        assert_eq!(filled.in_body(2..5), 0..16, "inside a value");
        assert_eq!(filled.in_body(31..33), 39..41, "after the last value");
        assert_eq!(
            Filled {
                text: "plain".into(),
                swaps: Vec::new()
            }
            .in_body(1..3),
            1..3
        );
    }
}
