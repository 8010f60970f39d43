//! The site's vocabularies and the listing format's fixed lists as taxonomies and terms,
//! and the attributes that link a service to them. Every term is made once per build, as a
//! service links a dozen or more.

use serde_json::value::RawValue;
use uuid::Uuid;

use crate::export::{child_id, site_id};
use crate::model::facets;
use crate::model::urls;
use crate::model::{Choice, DISABILITY_CONFIDENT, Site, SiteConfig, VACANCIES, fields};

use super::Cx;
use super::document::{Attribute, TaxonomyItem, Term};
use super::files::raw;

/// A taxonomy: one of the site's vocabularies, or a fixed list of the listing format.
pub struct Taxonomy {
    pub name: &'static str,
    pub id: Uuid,
    pub description: String,
    /// Where each term has a page on the site, such as `needs` for /needs/dementia/.
    segment: Option<&'static str>,
    pub terms: Vec<TermInfo>,
}

pub struct TermInfo {
    pub key: String,
    pub label: String,
    pub description: Option<String>,
}

/// A taxonomy or a term as the API answers it, with the ids it is found and filtered by.
pub struct Entry {
    pub id: Uuid,
    /// The taxonomy's own id, or the one the term belongs to.
    pub taxonomy_id: Uuid,
    pub doc: Box<RawValue>,
}

/// The taxonomies and their terms, in the order the lists give them.
pub struct Vocabularies {
    pub taxonomies: Vec<Entry>,
    pub terms: Vec<Entry>,
}

/// The site's taxonomies and terms, as `/taxonomies` and `/taxonomy_terms` list them.
pub fn vocabularies(site: &Site) -> Vocabularies {
    Cx::new(site).vocabularies()
}

impl Cx<'_> {
    pub(super) fn vocabularies(&self) -> Vocabularies {
        let cx = self;
        let taxonomies = cx
            .taxonomy_list()
            .iter()
            .map(|t| Entry {
                id: t.id,
                taxonomy_id: t.id,
                doc: raw(t),
            })
            .collect();
        let terms = cx
            .taxonomies
            .iter()
            .flat_map(|tax| {
                let made = cx.terms.get(tax.name);
                tax.terms.iter().filter_map(move |t| {
                    let (id, doc) = made?.get(&t.key)?;
                    Some(Entry {
                        id: *id,
                        taxonomy_id: tax.id,
                        doc: doc.clone(),
                    })
                })
            })
            .collect();
        Vocabularies { taxonomies, terms }
    }
}

/// The taxonomies every export has, in the order of the listing format.
pub fn taxonomies(config: &SiteConfig) -> Vec<Taxonomy> {
    let facets = facets::facets(config);
    let vocabularies = crate::model::vocab::NAMES.iter().filter_map(|name| {
        let vocab = config.vocabularies.by_name(name)?;
        let terms = vocab.terms.iter().map(|t| TermInfo {
            key: t.key.clone(),
            label: t.label.clone(),
            description: t.description.clone(),
        });
        let segment = facets.iter().find(|f| f.key == *name).map(|f| f.segment);
        Some(taxonomy(config, vocab.name, segment, terms.collect()))
    });
    let choices = [
        ("vacancies", &VACANCIES[..]),
        ("disability_confident", &DISABILITY_CONFIDENT[..]),
    ]
    .map(|(name, list)| taxonomy(config, name, None, list.iter().map(choice_term).collect()));
    vocabularies.chain(choices).collect()
}

fn choice_term(c: &Choice) -> TermInfo {
    TermInfo {
        key: c.key.into(),
        label: c.label.into(),
        description: None,
    }
}

fn taxonomy(
    config: &SiteConfig,
    name: &'static str,
    segment: Option<&'static str>,
    terms: Vec<TermInfo>,
) -> Taxonomy {
    let field = if name == "areas" { "area" } else { name };
    let description = fields::LISTING
        .iter()
        .find(|f| f.name == field)
        .map_or_else(|| name.replace('_', " "), |f| f.description.to_string());
    Taxonomy {
        name,
        id: site_id(&config.base_url, &format!("api/taxonomies/{name}")),
        description,
        segment,
        terms,
    }
}

impl<'a> Cx<'a> {
    pub(super) fn taxonomy_list(&self) -> Vec<TaxonomyItem<'_>> {
        self.taxonomies
            .iter()
            .map(|t| TaxonomyItem {
                id: t.id,
                name: t.name,
                description: &t.description,
            })
            .collect()
    }

    pub(super) fn term_id(&self, taxonomy: &str, key: &str) -> Uuid {
        site_id(
            &self.config.base_url,
            &format!("api/taxonomies/{taxonomy}/{key}"),
        )
    }

    pub(super) fn term(&self, tax: &Taxonomy, t: &TermInfo, id: Uuid) -> Term {
        let uri = tax
            .segment
            .map(|s| self.urls.absolute(&urls::facet_value_rel(s, &t.key)));
        Term {
            id,
            name: t.label.clone(),
            description: t.description.as_ref().unwrap_or(&t.label).clone(),
            taxonomy: tax.name,
            taxonomy_id: tax.id,
            term: t.key.clone(),
            term_uri: uri,
        }
    }

    /// An attribute linking `link_id` to a term; `None` for a key the site does not know.
    pub(super) fn attribute(
        &self,
        link_id: Uuid,
        taxonomy: &'static str,
        key: &str,
    ) -> Option<Attribute<'_>> {
        let (term_id, term) = self.terms.get(taxonomy)?.get(key)?;
        Some(Attribute {
            id: child_id(link_id, &["attributes/", taxonomy, "/", key].concat()),
            link_id,
            link_type: taxonomy,
            taxonomy_term_id: *term_id,
            taxonomy_term: term,
        })
    }
}
