//! The ways to browse: each facet (needs, days, ...) with its values and which listings have them.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Day, Listing, Site, SiteConfig, Vocabulary, When};

/// One value of a facet, such as "Dementia".
#[derive(Debug, Clone)]
pub struct FacetValue {
    pub key: String,
    pub label: String,
    pub description: Option<String>,
    /// A short extra, such as "Outside the borough".
    pub hint: Option<String>,
}

/// What a facet is read from in a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Needs,
    ServiceTypes,
    Activities,
    Area,
    Days,
    When,
    Funding,
    Accessibility,
}

#[derive(Debug, Clone)]
pub struct Facet {
    /// The key in query strings and data, such as `service_types`.
    pub key: &'static str,
    /// The first part of its URLs, such as `service-types`.
    pub segment: &'static str,
    pub label: &'static str,
    pub intro: &'static str,
    pub source: Source,
    pub values: Vec<FacetValue>,
}

impl Facet {
    /// The keys of this facet's values that a listing has.
    pub fn keys_of<'l>(&self, listing: &'l Listing) -> Vec<&'l str> {
        let own = |v: &'l [String]| v.iter().map(String::as_str).collect();
        match self.source {
            Source::Needs => own(&listing.needs),
            Source::ServiceTypes => own(&listing.service_types),
            Source::Activities => own(&listing.activities),
            Source::Funding => own(&listing.funding),
            Source::Area => vec![listing.area.as_str()],
            Source::Accessibility => listing.all_accessibility(),
            Source::Days => listing.open_days().into_iter().map(day_key).collect(),
            Source::When => listing.when().into_iter().map(|w| w.key()).collect(),
        }
    }
}

/// Days appear in URLs by their full names: /days/saturday/.
pub fn day_key(day: Day) -> &'static str {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ][day as usize]
}

fn from_vocabulary(vocab: &Vocabulary) -> Vec<FacetValue> {
    vocab
        .terms
        .iter()
        .map(|t| FacetValue {
            key: t.key.clone(),
            label: t.label.clone(),
            description: t.description.clone(),
            hint: t.in_borough.map(|inside| {
                if inside {
                    "In the borough"
                } else {
                    "Outside the borough"
                }
                .to_string()
            }),
        })
        .collect()
}

/// Every facet of a site, in the order people browse them.
///
/// Longer than most functions, as it is a table: one entry a facet, in the order the site
/// shows them, reads best whole, and splitting it would hide that order.
pub fn facets(config: &SiteConfig) -> Vec<Facet> {
    let v = &config.vocabularies;
    let facet = |key, segment, label, intro, source, values| Facet {
        key,
        segment,
        label,
        intro,
        source,
        values,
    };
    vec![
        facet(
            "needs",
            "needs",
            "Needs",
            "Services by the needs they support.",
            Source::Needs,
            from_vocabulary(&v.needs),
        ),
        facet(
            "service_types",
            "service-types",
            "Types of service",
            "Services by the kind of support they give.",
            Source::ServiceTypes,
            from_vocabulary(&v.service_types),
        ),
        facet(
            "activities",
            "activities",
            "Activities",
            "Services by what people do there.",
            Source::Activities,
            from_vocabulary(&v.activities),
        ),
        facet(
            "areas",
            "areas",
            "Areas",
            "Services by where they are.",
            Source::Area,
            from_vocabulary(&v.areas),
        ),
        facet(
            "days",
            "days",
            "Days",
            "Services by the days they are open.",
            Source::Days,
            days(),
        ),
        facet(
            "when",
            "when",
            "Evenings and weekends",
            "Services open in the evening, at weekends or every day.",
            Source::When,
            when(),
        ),
        facet(
            "funding",
            "funding",
            "Paying for a place",
            "Services by how a place can be paid for.",
            Source::Funding,
            from_vocabulary(&v.funding),
        ),
        facet(
            "accessibility",
            "accessibility",
            "Accessibility",
            "Services by the access and communication support they offer.",
            Source::Accessibility,
            from_vocabulary(&v.accessibility),
        ),
    ]
}

fn days() -> Vec<FacetValue> {
    Day::ALL
        .iter()
        .map(|d| FacetValue {
            key: day_key(*d).to_string(),
            label: d.name().to_string(),
            description: None,
            hint: None,
        })
        .collect()
}

fn when() -> Vec<FacetValue> {
    When::ALL
        .iter()
        .map(|w| FacetValue {
            key: w.key().to_string(),
            label: w.label().to_string(),
            description: Some(w.description().to_string()),
            hint: None,
        })
        .collect()
}

/// For each facet, each value's listings (as indexes into `site.listings`, in title order).
pub type Members = Vec<BTreeMap<String, Vec<usize>>>;

pub fn memberships(site: &Site, facets: &[Facet]) -> Members {
    // Facets side by side; a value's key is copied once, not once a listing.
    facets
        .par_iter()
        .map(|facet| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, listing) in site.listings.iter().enumerate() {
                for key in facet.keys_of(listing) {
                    match map.get_mut(key) {
                        Some(members) => members.push(i),
                        None => {
                            map.insert(key.to_string(), vec![i]);
                        }
                    }
                }
            }
            map
        })
        .collect()
}
