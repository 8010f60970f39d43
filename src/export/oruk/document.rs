//! A service's Open Referral UK document as types, serialised straight to JSON: at 10,000
//! services, building each document as `serde_json::Value`s first was most of the exports'
//! time.
//!
//! The documents are written as they were when they were values: members in alphabetical
//! order (each struct declares its fields so), and an empty member (null, "", []) left out
//! wherever the profile does not require it.

use serde::Serialize;
use serde_json::value::RawValue;
use uuid::Uuid;

/// Serde's test for a member left out when empty.
fn empty(text: &&str) -> bool {
    text.is_empty()
}

fn no_text(text: &Option<&str>) -> bool {
    text.is_none_or(str::is_empty)
}

#[derive(Serialize)]
pub(super) struct Service<'a> {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub accreditations: String,
    pub assured_date: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cost_options: Vec<CostOption<'a>>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "no_text")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<Funding<'a>>,
    pub id: Uuid,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language<'a>>,
    pub last_modified: String,
    #[serde(skip_serializing_if = "empty")]
    pub name: &'a str,
    pub organization: Organization<'a>,
    pub organization_id: Uuid,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Schedule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_areas: Vec<ServiceArea<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_at_locations: Vec<ServiceAtLocation<'a>>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "no_text")]
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_accredited: Option<bool>,
    #[serde(skip_serializing_if = "no_text")]
    pub x_easy_read: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub x_images: Vec<Image<'a>>,
    #[serde(skip_serializing_if = "no_text")]
    pub x_progression: Option<&'a str>,
    pub x_review_by: String,
    #[serde(skip_serializing_if = "empty")]
    pub x_summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_term_time_only: Option<bool>,
    #[serde(skip_serializing_if = "no_text")]
    pub x_transport: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_vacancies_updated: Option<String>,
    pub x_web_page: String,
}

/// The fields of a service that a list of services carries (the profile's `service_list`).
#[derive(Serialize)]
pub(super) struct ListItem<'s, 'a> {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub accreditations: &'s String,
    pub assured_date: &'s String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: &'s String,
    #[serde(skip_serializing_if = "no_text")]
    pub email: Option<&'a str>,
    pub id: Uuid,
    pub last_modified: &'s String,
    #[serde(skip_serializing_if = "empty")]
    pub name: &'a str,
    pub organization: &'s Organization<'a>,
    pub organization_id: Uuid,
    pub status: &'static str,
    #[serde(skip_serializing_if = "no_text")]
    pub url: Option<&'a str>,
}

impl<'a> Service<'a> {
    pub fn list_item(&self) -> ListItem<'_, 'a> {
        ListItem {
            accreditations: &self.accreditations,
            assured_date: &self.assured_date,
            description: &self.description,
            email: self.email,
            id: self.id,
            last_modified: &self.last_modified,
            name: self.name,
            organization: &self.organization,
            organization_id: self.organization_id,
            status: self.status,
            url: self.url,
        }
    }
}

#[derive(Serialize)]
pub(super) struct Organization<'a> {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub id: Uuid,
    #[serde(skip_serializing_if = "empty")]
    pub name: &'a str,
}

/// A taxonomy in the list of taxonomies.
#[derive(Serialize)]
pub(super) struct TaxonomyItem<'a> {
    #[serde(skip_serializing_if = "empty")]
    pub description: &'a str,
    pub id: Uuid,
    pub name: &'static str,
}

/// A taxonomy term, made once per build and linked from every service that has it.
#[derive(Serialize)]
pub(super) struct Term {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub id: Uuid,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub taxonomy: &'static str,
    pub taxonomy_id: Uuid,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub term: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term_uri: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Attribute<'a> {
    pub id: Uuid,
    pub link_id: Uuid,
    pub link_type: &'static str,
    pub taxonomy_term: &'a RawValue,
    pub taxonomy_term_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct Contact<'a> {
    #[serde(skip_serializing_if = "no_text")]
    pub email: Option<&'a str>,
    pub id: Uuid,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone<'a>>,
    pub service_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct Phone<'a> {
    pub id: Uuid,
    pub number: &'a str,
}

#[derive(Serialize)]
pub(super) struct CostOption<'a> {
    pub amount: f64,
    pub amount_description: String,
    pub currency: &'static str,
    pub id: Uuid,
    #[serde(skip_serializing_if = "no_text")]
    pub option: Option<&'a str>,
    pub service_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct Funding<'a> {
    pub id: Uuid,
    pub service_id: Uuid,
    pub source: &'a str,
}

#[derive(Serialize)]
pub(super) struct Language<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub service_id: Uuid,
}

/// A weekly session, or, for a service with none, only its notes.
#[derive(Serialize)]
pub(super) struct Schedule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freq: Option<&'static str>,
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u8>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    pub service_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct ServiceArea<'a> {
    pub id: Uuid,
    #[serde(skip_serializing_if = "empty")]
    pub name: &'a str,
}

#[derive(Serialize)]
pub(super) struct ServiceAtLocation<'a> {
    pub id: Uuid,
    pub location: Location<'a>,
    pub location_id: Uuid,
    pub service_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct Location<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accessibility: Vec<Accessibility<'a>>,
    pub addresses: [Address<'a>; 1],
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    pub location_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(skip_serializing_if = "no_text")]
    pub name: Option<&'a str>,
}

/// Every member written, even empty: the profile requires them all.
#[derive(Serialize)]
pub(super) struct Address<'a> {
    pub address_1: String,
    pub address_type: &'static str,
    pub city: String,
    pub country: &'static str,
    pub id: Uuid,
    pub location_id: Uuid,
    pub postal_code: &'a str,
    pub state_province: &'static str,
}

#[derive(Serialize)]
pub(super) struct Accessibility<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute<'a>>,
    #[serde(skip_serializing_if = "empty")]
    pub description: &'a str,
    pub id: Uuid,
    pub location_id: Uuid,
}

#[derive(Serialize)]
pub(super) struct Image<'a> {
    #[serde(skip_serializing_if = "empty")]
    pub alt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decorative: Option<bool>,
    pub url: String,
}
