//! The search page: a GET form with every facet as checkboxes. The static build writes it
//! without results (the browser searches); `dayopps serve` renders it with results.

use serde::Serialize;
use std::sync::Arc;
use tera::Context;

use crate::model::Site;

use super::theme::Theme;
use super::views::{Card, LinkView, Views};
use super::{RenderError, asset_urls, base_context};
use crate::model::facets::Facet;
use crate::model::facets::{Members, memberships};
use crate::model::urls::Urls;

pub const REL: &str = "search/";
pub const TEMPLATE: &str = "search.html";
pub const TITLE: &str = "Search for a service";

/// What someone asked for: words and (facet, value) filters, as in the page's URL.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub filters: Vec<(String, String)>,
    /// The postcode typed in the form (`near`), when one was.
    pub near: Option<String>,
}

/// Themes without a search template get no search page (the form then goes to the A to Z).
pub fn available(theme: &Theme) -> bool {
    theme.tera.get_template_names().any(|n| n == TEMPLATE)
}

#[derive(Serialize)]
struct ValueView<'a> {
    key: &'a str,
    label: &'a str,
    count: usize,
    checked: bool,
}

#[derive(Serialize)]
struct FacetView<'a> {
    key: &'a str,
    label: &'a str,
    values: Vec<ValueView<'a>>,
}

/// Adds the form's facets (with counts over every service) and the query to a context.
pub fn fill(context: &mut Context, facets: &[Facet], members: &Members, request: &Request) {
    let views: Vec<FacetView> = facets
        .iter()
        .zip(members)
        .map(|(f, m)| FacetView {
            key: f.key,
            label: f.label,
            values: f
                .values
                .iter()
                .map(|v| ValueView {
                    key: &v.key,
                    label: &v.label,
                    count: m.get(&v.key).map_or(0, Vec::len),
                    checked: request
                        .filters
                        .iter()
                        .any(|(k, val)| k == f.key && *val == v.key),
                })
                .collect(),
        })
        .collect();
    context.insert("facets", &views);
    context.insert("query", &request.query);
}

/// The page with results, for `dayopps serve`: `slugs` are the services found, best first.
pub fn with_results(
    site: &Site,
    theme: &Theme,
    request: &Request,
    slugs: &[String],
) -> Result<Vec<u8>, RenderError> {
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let facets = crate::model::facets::facets(&site.config);
    let members = memberships(site, &facets);
    let mut context = base_context(site, &urls, &facets, &asset_urls(theme, &urls), true);
    context.insert("title", TITLE);
    context.insert("canonical", &urls.absolute(REL));
    context.insert(
        "breadcrumbs",
        &vec![LinkView {
            title: "Home".into(),
            url: urls.home(),
        }],
    );
    context.insert("description", "");
    fill(&mut context, &facets, &members, request);
    let views = Views {
        config: &site.config,
        urls: &urls,
    };
    let found = match request.near {
        Some(_) => {
            let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
            crate::search::near::in_site_order(site, &slugs)
        }
        None => slugs
            .iter()
            .filter_map(|slug| site.listings.iter().find(|l| &l.slug == slug))
            .map(Arc::as_ref)
            .collect(),
    };
    let results: Vec<Card> =
        super::near_page::cards(site, &views, found, request.near.as_deref(), &mut context);
    context.insert("total", &results.len());
    context.insert("results", &results);
    let mut page = Vec::new();
    theme.render_into(TEMPLATE, &context, &mut page)?;
    Ok(page)
}
