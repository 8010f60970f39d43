//! Content pages: about, accessibility statement, how to get a place, ...

use std::path::PathBuf;

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::PageFile;
use crate::load::front_matter;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Page, SiteConfig};
use crate::render::markdown::{self, Links};

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
    let page = fields(&mut doc, &value, pf, &body, split.body_offset, links);
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

/// Replaces `{{ site.council }}` and the like; anything else in braces is left and warned about.
fn fill_in(doc: &mut Doc, body: &str, body_offset: usize, config: &SiteConfig) -> String {
    static PLACEHOLDER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\{\s*([a-z_.]+)\s*\}\}").expect("a valid pattern"));
    let mut unknown = Vec::new();
    let filled = PLACEHOLDER.replace_all(body, |caps: &regex::Captures| {
        placeholder(config, &caps[1]).unwrap_or_else(|| {
            unknown.push((caps.get(0).map_or(0..0, |m| m.range()), caps[1].to_string()));
            caps[0].to_string()
        })
    });
    for (range, name) in unknown {
        let span = body_offset + range.start..body_offset + range.end;
        doc.diags.push(
            Diagnostic::warning(doc.file, span, format!("`{name}` is not something a page can quote from site.yaml"))
                .with_help("use site.title, site.council, site.base_url, site.contact.phone or site.contact.email (the phone and email only when site.yaml gives them)"),
        );
    }
    filled.into_owned()
}

fn fields(
    doc: &mut Doc,
    value: &Value,
    pf: &PageFile,
    body: &str,
    body_offset: usize,
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
    let rendered = markdown::render(body, links);
    super::report_markdown(doc, rendered.problems, Some(body_offset));
    Some(Page {
        slug: pf.slug.clone(),
        source: PathBuf::from(&pf.file.name),
        title: title?,
        summary,
        order,
        content_html: rendered.html,
    })
}
