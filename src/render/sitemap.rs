//! `sitemap.xml`: every page of the site, for search engines. The sitemaps protocol lets one
//! file list at most 50,000 addresses, which a directory of 100,000 services passes (its
//! pages number about 140,000): such a site gets sitemaps of at most that many pages,
//! `sitemap-1.xml` on, and `sitemap.xml` becomes their index, so robots.txt and anything
//! that knew the old address still find every page.

use std::sync::Arc;

use serde_json::json;
use tera::Context;

use crate::memo::{Key, Memo};
use crate::model::Site;
use crate::model::facets::{Facet, Members};
use crate::model::urls::{self, Urls};
use crate::write::{Content, Output};

use super::theme::Theme;
use super::{RenderError, market, paging};

const PAGES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{%- for u in urls %}
<url><loc>{{ u.loc | escape_xml }}</loc>{% if u.lastmod %}<lastmod>{{ u.lastmod }}</lastmod>{% endif %}</url>
{%- endfor %}
</urlset>
"#;
/// Named without `.xml` so Tera does not HTML-escape it; `escape_xml` does the XML escaping.
const PAGES_TEMPLATE: &str = "dayopps/sitemap";
/// The sitemap index, for a site of more pages than one sitemap may list.
const INDEX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{%- for s in sitemaps %}
<sitemap><loc>{{ s | escape_xml }}</loc></sitemap>
{%- endfor %}
</sitemapindex>
"#;
const INDEX_TEMPLATE: &str = "dayopps/sitemap-index";

/// The sitemap's templates by name, which the theme compiles with its own.
pub(super) const TEMPLATES: [(&str, &str); 2] = [(PAGES_TEMPLATE, PAGES), (INDEX_TEMPLATE, INDEX)];

/// The most addresses one sitemap may list (sitemaps.org: 50,000, and 50 MB, which 50,000
/// of this site's addresses are far below).
pub const MOST: usize = 50_000;

/// A page for the sitemap: its path from the site's root, and for a service when it was
/// updated.
type Entry = (String, Option<String>);

/// Writes the sitemap (and, past `MOST` pages, its parts), each from `made` when the build
/// before made it from the same entries, address and templates: rendering 20,000 entries
/// was a fifth of a rebuild at 10,000 listings.
pub(super) fn write(
    site: &Site,
    theme: &Theme,
    urls: &Urls,
    (facets, members): (&[Facet], &Members),
    (out, made): (&mut Output, &Memo<Arc<[u8]>>),
) -> Result<(), RenderError> {
    let _t = crate::timings::span("render: sitemap");
    let entries = entries(site, facets, members);
    for (path, file) in files(&entries, MOST) {
        let key = || {
            Key::new(&path)
                .part(&theme.templates_key)
                .part(&urls.absolute(""))
                .part(&file)
                .finish()
        };
        let xml = made.get_or_make(key, || render(theme, urls, &file))?;
        let prepared = out.prepare(&path, Content::Shared(xml));
        out.record(path, prepared);
    }
    Ok(())
}

/// What a sitemap file lists: pages, or (for the index) the paths of the sitemaps.
#[derive(Debug, PartialEq, Eq, Hash)]
enum File<'a> {
    Pages(&'a [Entry]),
    Index(Vec<String>),
}

/// The sitemap's files by path: `sitemap.xml` alone while the pages fit in one, and
/// otherwise `sitemap-1.xml`, `sitemap-2.xml`... of at most `most` pages each, in order, with
/// `sitemap.xml` their index.
fn files(entries: &[Entry], most: usize) -> Vec<(String, File<'_>)> {
    if entries.len() <= most {
        return vec![("sitemap.xml".into(), File::Pages(entries))];
    }
    let parts: Vec<(String, File)> = entries
        .chunks(most.max(1))
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), File::Pages(chunk)))
        .collect();
    let index = File::Index(parts.iter().map(|(path, _)| path.clone()).collect());
    std::iter::once(("sitemap.xml".into(), index))
        .chain(parts)
        .collect()
}

fn render(theme: &Theme, urls: &Urls, file: &File) -> Result<Arc<[u8]>, RenderError> {
    let mut c = Context::new();
    let template = match file {
        File::Pages(entries) => {
            let list: Vec<_> = entries
                .iter()
                .map(|(rel, lastmod)| json!({"loc": urls.absolute(rel), "lastmod": lastmod}))
                .collect();
            c.insert("urls", &list);
            PAGES_TEMPLATE
        }
        File::Index(paths) => {
            let list: Vec<String> = paths.iter().map(|p| urls.absolute(p)).collect();
            c.insert("sitemaps", &list);
            INDEX_TEMPLATE
        }
    };
    let xml = theme
        .tera
        .render(template, &c)
        .map_err(|e| RenderError::template(template, &e))?;
    Ok(Arc::from(xml.into_bytes()))
}

/// Every page of a list `n` services long whose first page is at `rel`.
fn pages_of(rel: &str, n: usize) -> impl Iterator<Item = Entry> + '_ {
    (1..=paging::count(n)).map(move |page| (urls::page_rel(rel, page), None))
}

/// Every page of the site, sorted by path.
fn entries(site: &Site, facets: &[Facet], members: &Members) -> Vec<Entry> {
    let mut entries: Vec<Entry> = vec![(String::new(), None)];
    entries.extend(pages_of(&urls::services_rel(), site.listings.len()));
    entries.extend(
        site.listings
            .iter()
            .map(|l| (urls::service_rel(&l.slug), Some(l.updated.to_string()))),
    );
    for (f, of_facet) in facets.iter().zip(members) {
        entries.push((format!("{}/", f.segment), None));
        for v in &f.values {
            let n = of_facet.get(&v.key).map_or(0, Vec::len);
            entries.extend(pages_of(&urls::facet_value_rel(f.segment, &v.key), n));
        }
    }
    entries.extend(site.pages.iter().map(|p| (format!("{}/", p.slug), None)));
    if site.config.market {
        entries.push((market::REL.into(), None));
    }
    entries.sort();
    entries
}

#[cfg(test)]
mod tests {
    use super::{Entry, File, files, render};
    use crate::model::urls::Urls;
    use crate::render::theme::Theme;

    const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// The `loc`s of a sitemap file as rendered, checking its root element.
    fn locs(file: &File, root: &str) -> Vec<String> {
        let theme =
            Theme::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"))
                .expect("the default theme");
        let urls = Urls::new(
            "https://council.example.gov.uk/day-services/",
            "/day-services/",
        );
        let xml = render(&theme, &urls, file).expect("renders");
        let text = std::str::from_utf8(&xml).expect("UTF-8");
        let doc = roxmltree::Document::parse(text).expect("parses as XML");
        assert_eq!(doc.root_element().tag_name().name(), root);
        assert_eq!(doc.root_element().tag_name().namespace(), Some(NS));
        doc.descendants()
            .filter(|n| n.has_tag_name((NS, "loc")))
            .filter_map(|n| n.text().map(String::from))
            .collect()
    }

    #[test]
    fn the_index_and_its_parts_parse_and_give_whole_addresses() {
        let entries: Vec<Entry> = vec![
            ("a&b/".into(), None),
            ("services/x/".into(), Some("2026-12-01".into())),
        ];
        let made = files(&entries, 1);
        assert_eq!(
            locs(&made[0].1, "sitemapindex"),
            [
                "https://council.example.gov.uk/day-services/sitemap-1.xml",
                "https://council.example.gov.uk/day-services/sitemap-2.xml"
            ]
        );
        assert_eq!(
            locs(&made[1].1, "urlset"),
            ["https://council.example.gov.uk/day-services/a&b/"]
        );
        assert_eq!(
            locs(&made[2].1, "urlset"),
            ["https://council.example.gov.uk/day-services/services/x/"]
        );
    }

    fn pages(n: usize) -> Vec<Entry> {
        (0..n).map(|i| (format!("p{i}/"), None)).collect()
    }

    #[test]
    fn pages_that_fit_are_one_sitemap() {
        let entries = pages(3);
        let made = files(&entries, 3);
        assert_eq!(made.len(), 1);
        assert_eq!(made[0], ("sitemap.xml".into(), File::Pages(&entries[..])));
    }

    #[test]
    fn more_pages_are_split_in_order_under_an_index() {
        let entries = pages(7);
        let made = files(&entries, 3);
        let paths: Vec<&str> = made.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert_eq!(
            made[0].1,
            File::Index(vec![
                "sitemap-1.xml".into(),
                "sitemap-2.xml".into(),
                "sitemap-3.xml".into()
            ])
        );
        let listed: Vec<&Entry> = made[1..]
            .iter()
            .flat_map(|(_, f)| match f {
                File::Pages(p) => p.iter(),
                File::Index(_) => [].iter(),
            })
            .collect();
        assert_eq!(
            listed,
            entries.iter().collect::<Vec<_>>(),
            "every page once"
        );
        assert!(
            made[1..]
                .iter()
                .all(|(_, f)| matches!(f, File::Pages(p) if p.len() <= 3))
        );
    }
}
