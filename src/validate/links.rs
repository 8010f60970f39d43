//! Links to the site's own pages. They are found in Markdown while validating (`found`), but
//! whether one leads anywhere is known only once the build has made every file (`broken`),
//! which takes the files' paths as plain strings.

use std::ops::Range;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use url::Url;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::model::{Site, SiteLink};
use crate::text::markdown::Href;

use super::suggest;

/// The links among `hrefs` that lead to this site (`base`). `here` is the address of the page
/// they appear on, relative to the site's root (`services/garden/`), which relative links are
/// read from; `at` places a link's range in the Markdown in its file.
pub fn found(
    file: &Arc<SourceFile>,
    hrefs: &[Href],
    here: &str,
    base: &Url,
    at: impl Fn(Range<usize>) -> Range<usize>,
) -> Vec<SiteLink> {
    let Ok(page) = base.join(here) else {
        return Vec::new();
    };
    hrefs
        .iter()
        .filter_map(|href| {
            Some(SiteLink {
                file: Arc::clone(file),
                span: at(href.range.clone()),
                written: href.url.clone(),
                path: site_path(&href.url, &page, base)?,
            })
        })
        .collect()
}

/// Where `written`, on the page at `page`, leads on the site at `base`: a path relative to the
/// site's root, without query or fragment. `None` for another site, an email or phone link,
/// or a place on the same page.
pub fn site_path(written: &str, page: &Url, base: &Url) -> Option<String> {
    let written = written.trim();
    if written.is_empty() || written.starts_with('#') {
        return None;
    }
    // `/about/` is written from the site's root, which may be a sub-path of its host: the
    // Markdown renderer puts the base path in front of it, and so does this.
    let url = match written.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => base.join(rest),
        _ => page.join(written),
    }
    .ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    let rel = match url.path().strip_prefix(base.path()) {
        Some(rel) => rel,
        // The home page of a sub-path site, without its last slash.
        None if base.path().strip_suffix('/') == Some(url.path()) => "",
        None => return None,
    };
    Some(percent_decode_str(rel).decode_utf8_lossy().into_owned())
}

/// Whether a static web server answers `path` with a file the build made (`made`): `x/` with
/// `x/index.html`, `x` with `x` or `x/index.html`.
pub fn leads_to_a_file(path: &str, made: &impl Fn(&str) -> bool) -> bool {
    if path.is_empty() || path.ends_with('/') {
        made(&format!("{path}index.html"))
    } else {
        made(path) || made(&format!("{path}/index.html"))
    }
}

/// An error for every link in the site's pages and descriptions that leads to no file the
/// build made. `made` answers for one path; `paths` lists them all, asked for only when a link
/// is broken, to suggest the nearest.
pub fn broken<'p, I>(
    site: &Site,
    made: impl Fn(&str) -> bool,
    paths: impl FnOnce() -> I,
) -> Diagnostics
where
    I: Iterator<Item = &'p str>,
{
    let links = site.pages.iter().flat_map(|p| &p.links);
    let links = links.chain(site.listings.iter().flat_map(|l| &l.links));
    let broken: Vec<&SiteLink> = links
        .filter(|link| !leads_to_a_file(&link.path, &made))
        .collect();
    let mut diags = Diagnostics::default();
    if broken.is_empty() {
        return diags;
    }
    let addresses: Vec<String> = paths().map(address).collect();
    let base_path = site.config.base_path();
    for link in broken {
        let help = match without_base_path(link, &base_path, &made) {
            Some(right) => format!(
                "the site is published under `{base_path}`, and a link that starts with / \
                 gets that in front of it already: write `{right}`"
            ),
            None => help(link, &addresses),
        };
        diags.push(diagnostic(link, help));
    }
    diags
}

/// A link written with the sub-path the site is published under (`/day-services/areas/`, on a
/// site at `https://example.gov.uk/day-services/`), as it would be written without it, when
/// that leads to a page: authors copy addresses from the published site.
fn without_base_path(
    link: &SiteLink,
    base_path: &str,
    made: &impl Fn(&str) -> bool,
) -> Option<String> {
    let inner = base_path.trim_start_matches('/');
    if inner.is_empty() || !link.written.trim().starts_with(base_path) {
        return None;
    }
    let rest = link.path.strip_prefix(inner)?;
    leads_to_a_file(rest, made).then(|| format!("/{rest}"))
}

/// The root-relative address a file is visited at: `/services/`, `/feed.xml`.
fn address(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{path}"),
    }
}

fn help(link: &SiteLink, addresses: &[String]) -> String {
    let wrong = format!("/{}", link.path);
    match suggest::closest(&wrong, addresses.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "check the address: a link to a page of this site starts with /, such as \
                 `/services/`; a link to another website starts with https://"
            .to_string(),
    }
}

fn diagnostic(link: &SiteLink, help: String) -> Diagnostic {
    Diagnostic::error(
        &link.file,
        link.span.clone(),
        format!(
            "the link to `{}` leads to no page of this site",
            link.written
        ),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(written: &str, here: &str, base: &str) -> Option<String> {
        let base = Url::parse(base).expect("a base URL");
        let page = base.join(here).expect("a page URL");
        site_path(written, &page, &base)
    }

    #[test]
    fn links_are_read_as_paths_from_the_sites_root() {
        let root = "https://example.gov.uk/";
        let here = "services/garden/";
        for (written, expected) in [
            ("/about/", Some("about/")),
            ("/feed.xml#top", Some("feed.xml")),
            ("/search/?q=art", Some("search/")),
            ("/", Some("")),
            ("../", Some("services/")),
            ("../../needs/dementia/", Some("needs/dementia/")),
            ("photos/", Some("services/garden/photos/")),
            ("https://example.gov.uk/providers/", Some("providers/")),
            ("HTTPS://EXAMPLE.GOV.UK:443/providers", Some("providers")),
            ("/my%20page/", Some("my page/")),
            ("#contact", None),
            ("https://other.example/about/", None),
            ("http://example.gov.uk/about/", None),
            ("//example.gov.uk/about/", Some("about/")),
            ("mailto:help@example.gov.uk", None),
            ("tel:02079460000", None),
        ] {
            assert_eq!(path(written, here, root).as_deref(), expected, "{written}");
        }
    }

    #[test]
    fn a_sub_path_site_owns_only_its_sub_path() {
        let base = "https://example.gov.uk/day-services/";
        let at = |w| path(w, "about/", base);
        assert_eq!(at("/providers/").as_deref(), Some("providers/"));
        assert_eq!(
            at("https://example.gov.uk/day-services/feed.xml").as_deref(),
            Some("feed.xml")
        );
        assert_eq!(
            at("https://example.gov.uk/day-services").as_deref(),
            Some("")
        );
        assert_eq!(at("https://example.gov.uk/bins/"), None);
        assert_eq!(at("../../bins/"), None);
    }

    #[test]
    fn paths_lead_to_files_as_a_static_server_finds_them() {
        let files = ["index.html", "about/index.html", "feed.xml"];
        let made = |p: &str| files.contains(&p);
        for (path, leads) in [
            ("", true),
            ("about/", true),
            ("about", true),
            ("feed.xml", true),
            ("feed.xml/", false),
            ("about/index.html", true),
            ("abut/", false),
            ("services/", false),
        ] {
            assert_eq!(leads_to_a_file(path, &made), leads, "{path:?}");
        }
        assert_eq!(address("about/index.html"), "/about/");
        assert_eq!(address("index.html"), "/");
        assert_eq!(address("feed.xml"), "/feed.xml");
    }
}
