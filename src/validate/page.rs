//! Content pages: about, accessibility statement, how to get a place, ...

use std::path::PathBuf;

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::PageFile;
use crate::load::front_matter;
use crate::model::Page;
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

pub fn pages(files: &[PageFile], links: &Links, diags: &mut Diagnostics) -> Vec<Page> {
    let mut pages: Vec<Page> = files.iter().filter_map(|f| page(f, links, diags)).collect();
    pages.sort_by(|a, b| (a.order, &a.title).cmp(&(b.order, &b.title)));
    pages
}

fn page(pf: &PageFile, links: &Links, diags: &mut Diagnostics) -> Option<Page> {
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
    let page = fields(&mut doc, &value, pf, split.body, split.body_offset, links);
    let ok = !doc.diags.has_errors();
    diags.extend(doc.diags);
    page.filter(|_| ok)
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
