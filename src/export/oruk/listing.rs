//! One listing as a service document: its own fields, its provider as an organization, and
//! its vocabulary fields as attributes. Places and schedules have files of their own.

use uuid::Uuid;

use crate::export::{child_id, site_id};
use crate::model::urls;
use crate::model::{Choice, Listing};

use super::Cx;
use super::document::{
    self, Attribute, Contact, CostOption, Funding, Image, Language, Organization, Phone,
    ServiceArea,
};
use super::schedule::schedules;

impl<'a> Cx<'a> {
    pub(super) fn service<'s>(&'s self, l: &'s Listing) -> document::Service<'s> {
        let organization = self.organization(&l.provider);
        document::Service {
            id: l.id,
            name: &l.title,
            description: match l.description_plain() {
                plain if plain.is_empty() => l.summary.clone(),
                plain => plain,
            },
            url: l.contact.website.as_deref(),
            email: l.contact.email.as_deref(),
            status: "active",
            organization_id: organization.id,
            organization,
            accreditations: self.accreditations(l),
            assured_date: l.updated.to_string(),
            last_modified: format!("{}T00:00:00Z", l.updated),
            schedules: schedules(l),
            service_areas: self.service_areas(l),
            service_at_locations: self.places(l),
            languages: languages(l),
            funding: self.funding(l),
            cost_options: cost_options(l),
            contacts: contacts(l),
            phones: phones(l.id, l),
            attributes: self.attributes(l),
            x_summary: &l.summary,
            x_easy_read: l.easy_read.as_deref(),
            x_progression: l.progression.as_deref(),
            x_transport: l.transport.as_deref(),
            x_accredited: l.accredited.then_some(true),
            x_term_time_only: l.term_time_only.then_some(true),
            x_review_by: l.review_by.to_string(),
            x_vacancies_updated: l.vacancies_updated.map(|d| d.to_string()),
            x_web_page: self.urls.absolute(&urls::service_rel(&l.slug)),
            x_images: self.images(l),
        }
    }

    fn organization<'s>(&self, name: &'s str) -> Organization<'s> {
        let slug = crate::text::slug(name);
        let services = self.runs.get(name).cloned().unwrap_or_default();
        Organization {
            id: site_id(&self.config.base_url, &format!("organizations/{slug}")),
            name,
            description: format!("Runs {}.", and_list(&services)),
        }
    }

    fn accreditations(&self, l: &Listing) -> String {
        let mut parts = Vec::new();
        if l.accredited {
            parts.push(format!("On {}'s accredited list.", self.config.council));
        }
        if let Some(dc) = l.disability_confident {
            parts.push(format!("{}.", dc.label));
        }
        parts.join(" ")
    }

    fn service_areas<'s>(&'s self, l: &'s Listing) -> Vec<ServiceArea<'s>> {
        let label = self
            .config
            .vocabularies
            .areas
            .get(&l.area)
            .map(|t| &t.label);
        vec![ServiceArea {
            id: child_id(l.id, "service_areas/0"),
            name: label.unwrap_or(&l.area),
        }]
    }

    fn funding<'s>(&'s self, l: &'s Listing) -> Vec<Funding<'s>> {
        let vocab = &self.config.vocabularies.funding;
        l.funding
            .iter()
            .map(|k| Funding {
                id: child_id(l.id, &format!("funding/{k}")),
                service_id: l.id,
                source: vocab.label_of(k),
            })
            .collect()
    }

    fn attributes(&self, l: &Listing) -> Vec<Attribute<'_>> {
        let single = |c: Option<Choice>| c.map(|c| vec![c.key.to_string()]).unwrap_or_default();
        let area = vec![l.area.clone()];
        let groups: [(&'static str, &[String]); 8] = [
            ("needs", &l.needs),
            ("service_types", &l.service_types),
            ("activities", &l.activities),
            ("funding", &l.funding),
            ("referral", &l.referral),
            ("accessibility", &l.accessibility),
            ("outcomes", &l.outcomes),
            ("areas", &area),
        ];
        let vacancies = single(l.vacancies);
        let confident = single(l.disability_confident);
        let choices: [(&'static str, &[String]); 2] = [
            ("vacancies", &vacancies),
            ("disability_confident", &confident),
        ];
        groups
            .iter()
            .chain(&choices)
            .flat_map(|(tax, keys)| keys.iter().map(move |k| (*tax, k)))
            .filter_map(|(tax, k)| self.attribute(l.id, tax, k))
            .collect()
    }

    fn images<'s>(&self, l: &'s Listing) -> Vec<Image<'s>> {
        let base = &self.config.base_url;
        l.images
            .iter()
            .map(|i| Image {
                url: format!("{base}images/{}", i.src),
                alt: &i.alt,
                decorative: i.alt.is_empty().then_some(true),
            })
            .collect()
    }
}

/// "A, B and C"
pub fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn languages<'l>(l: &'l Listing) -> Vec<Language<'l>> {
    let one = |name: &'l String| Language {
        id: child_id(l.id, &format!("languages/{}", name.to_lowercase())),
        service_id: l.id,
        name,
    };
    l.languages.iter().map(one).collect()
}

fn cost_options<'l>(l: &'l Listing) -> Vec<CostOption<'l>> {
    let one = |(i, c): (usize, &'l crate::model::Cost)| CostOption {
        id: child_id(l.id, &format!("cost_options/{i}")),
        service_id: l.id,
        amount: c.pence as f64 / 100.0,
        currency: "GBP",
        amount_description: format!("per {}", c.per.key()),
        option: c.notes.as_deref(),
    };
    l.costs.iter().enumerate().map(one).collect()
}

fn phones<'l>(owner: Uuid, l: &'l Listing) -> Vec<Phone<'l>> {
    let one = |number: &'l String| Phone {
        id: child_id(owner, "phones/0"),
        number,
    };
    l.contact.phone.iter().map(one).collect()
}

fn contacts(l: &Listing) -> Vec<Contact<'_>> {
    if l.contact.phone.is_none() && l.contact.email.is_none() {
        return Vec::new();
    }
    let id = child_id(l.id, "contacts/0");
    vec![Contact {
        id,
        service_id: l.id,
        email: l.contact.email.as_deref(),
        phones: phones(id, l),
    }]
}
