//! Pages sorted by distance from a postcode (`?near=E10 6QX`), which `dayopps serve` renders
//! so that near-me works with JavaScript off: the search page's results and each facet value
//! page. The static build writes the same pages without a postcode; the browser sorts them.

use serde_json::json;
use std::sync::Arc;
use tera::Context;

use crate::model::facets::{Facet, FacetValue, facets, memberships};
use crate::model::urls::{self, Urls};
use crate::model::{Listing, Site};
use crate::search::near::{self, NearError};

use super::theme::Theme;
use super::views::{Card, LinkView, Views};
use super::{RenderError, asset_urls, base_context, search_page, value_view};

pub const FACET_TEMPLATE: &str = "facet_value.html";

/// Listings as cards, nearest to the postcode `typed` first, each showing how far it is;
/// with no postcode, or one that cannot be used, in the order given. Adds what the
/// templates show about the postcode (`near`, `near_postcode`, `near_error`) to `context`.
pub fn cards(
    site: &Site,
    views: &Views,
    listings: Vec<&Listing>,
    typed: Option<&str>,
    context: &mut Context,
) -> Vec<Card> {
    let Some(typed) = typed else {
        return listings.into_iter().map(|l| views.card(l)).collect();
    };
    context.insert("near", typed);
    match near::locate(site.postcodes.as_deref(), typed) {
        Ok(from) => {
            let postcode = crate::model::geo::postcode(typed).unwrap_or_default();
            context.insert("near_postcode", &postcode);
            near::order(listings, from)
                .into_iter()
                .map(|(l, d)| Card {
                    distance: Some(d.text()),
                    ..views.card(l)
                })
                .collect()
        }
        Err(e) => {
            context.insert("near_error", &error_text(&e));
            listings.into_iter().map(|l| views.card(l)).collect()
        }
    }
}

/// The cards as the static page prints them (`card.html` at level 2), so that a theme's own
/// facet_value.html lists them, in their new order, as it always has.
fn cards_html(theme: &Theme, cards: &[Card]) -> Result<String, RenderError> {
    let mut html = Vec::new();
    for card in cards {
        let mut context = Context::new();
        context.insert("listing", card);
        context.insert("level", &2);
        theme.render_into(super::cards::TEMPLATE, &context, &mut html)?;
    }
    Ok(String::from_utf8_lossy(&html).into_owned())
}

/// What a page says about a postcode it cannot use, in GOV.UK's error message style.
pub fn error_text(e: &NearError) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The facet value page at `rel` (such as `needs/dementia/`) sorted by distance from
/// `typed`; `None` when no facet value page is there. A later page of a long list
/// (`needs/dementia/page/2/`) gets the same answer: sorted by distance, the list is one,
/// since the nearest services may have been on any page.
pub fn facet_value_page(
    site: &Site,
    theme: &Theme,
    rel: &str,
    typed: &str,
) -> Option<Result<Vec<u8>, RenderError>> {
    let rel = urls::first_page_rel(rel);
    let facets = facets(&site.config);
    let (f, facet, value) = facets.iter().enumerate().find_map(|(f, facet)| {
        let value = facet
            .values
            .iter()
            .find(|v| urls::facet_value_rel(facet.segment, &v.key) == rel)?;
        Some((f, facet, value))
    })?;
    let members = memberships(site, &facets);
    let listed: Vec<&Listing> = members[f]
        .get(&value.key)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&i| site.listings.get(i).map(Arc::as_ref))
        .collect();
    Some(render_facet_value(
        site,
        theme,
        &facets,
        (facet, value),
        listed,
        typed,
    ))
}

fn render_facet_value(
    site: &Site,
    theme: &Theme,
    facets: &[Facet],
    (facet, value): (&Facet, &FacetValue),
    listed: Vec<&Listing>,
    typed: &str,
) -> Result<Vec<u8>, RenderError> {
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let assets = asset_urls(theme, &urls);
    let mut context = base_context(site, &urls, facets, &assets, search_page::available(theme));
    let rel = urls::facet_value_rel(facet.segment, &value.key);
    context.insert("title", &value.label);
    context.insert("canonical", &urls.absolute(&rel));
    let crumbs = vec![
        LinkView {
            title: "Home".into(),
            url: urls.home(),
        },
        LinkView {
            title: facet.label.into(),
            url: urls.facet(facet.segment),
        },
    ];
    context.insert("breadcrumbs", &crumbs);
    context.insert(
        "description",
        &format!("{}: {} services", value.label, listed.len()),
    );
    context.insert(
        "facet",
        &json!({"key": facet.key, "label": facet.label, "url": urls.facet(facet.segment)}),
    );
    context.insert("value", &value_view(facet, value, listed.len(), &urls));
    let views = Views {
        config: &site.config,
        urls: &urls,
    };
    let results = cards(site, &views, listed, Some(typed), &mut context);
    context.insert("cards_html", &cards_html(theme, &results)?);
    let mut page = Vec::new();
    theme.render_into(FACET_TEMPLATE, &context, &mut page)?;
    Ok(page)
}
