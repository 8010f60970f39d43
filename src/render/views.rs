//! What templates receive (documented for theme authors in docs/theming.md).

use serde::Serialize;

use crate::model::{Choice, Contact, Day, Listing, SiteConfig, Term, Vocabulary};
use crate::text::long_date;
use crate::validate::phone_href;

use crate::model::facets::day_key;
use crate::model::urls::Urls;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub council: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub home_url: String,
    pub az_url: String,
    pub search_url: String,
    /// The shortlist page (`/shortlist/`), which shortlist.js fills in the browser.
    pub shortlist_url: String,
    pub contact: ContactView,
    pub intro_html: &'a str,
    /// The /market/ page; absent when site.yaml turns it off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_url: Option<String>,
    /// Whether the site has a postcode table: only then do forms ask for a postcode.
    pub near: bool,
    /// A postcode from the table, for the postcode field's hint.
    pub near_example: String,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a SiteConfig, urls: &Urls, search: bool) -> Self {
        SiteView {
            title: &config.title,
            council: &config.council,
            language: &config.language,
            base_url: &config.base_url,
            home_url: urls.home(),
            az_url: urls.az(),
            // Without a search page the form lands on the A to Z.
            search_url: if search {
                urls.url(super::search_page::REL)
            } else {
                urls.az()
            },
            shortlist_url: urls.url(super::shortlist_page::REL),
            contact: ContactView::from(&config.contact),
            intro_html: &config.intro_html,
            market_url: config.market.then(|| urls.url(super::market::REL)),
            near: false,
            near_example: String::new(),
        }
    }
}

#[derive(Serialize, Default)]
pub struct ContactView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The website as a link: parsed and re-written, so `<`, `"` and spaces are percent-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_href: Option<String>,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        ContactView {
            phone: c.phone.clone(),
            phone_href: c.phone.as_deref().map(phone_href),
            email: c.email.clone(),
            email_href: c.email.as_ref().map(|e| format!("mailto:{e}")),
            website: c.website.clone(),
            website_href: c
                .website
                .as_deref()
                .map(|w| url::Url::parse(w).map_or_else(|_| w.to_string(), |u| u.to_string())),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// The views of one listing borrow its text rather than copy it: a page's context copies
/// it once more anyway, and a listing's description can be long.
#[derive(Serialize, Clone)]
pub struct TermView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct AreaView {
    pub key: String,
    pub label: String,
    pub url: String,
    pub in_borough: bool,
}

#[derive(Serialize, Clone, Copy)]
pub struct ChoiceView {
    pub key: &'static str,
    pub label: &'static str,
}

impl From<Choice> for ChoiceView {
    fn from(c: Choice) -> Self {
        ChoiceView {
            key: c.key,
            label: c.label,
        }
    }
}

/// A listing in a list.
#[derive(Serialize, Clone)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub provider: String,
    pub summary: String,
    pub area: AreaView,
    pub days_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancies: Option<ChoiceView>,
    /// Near a postcode: "1.2 miles, Riverside Hub", or why there is no distance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<String>,
}

/// Builds the views of listings; knows the vocabularies and URLs.
pub struct Views<'a> {
    pub config: &'a SiteConfig,
    pub urls: &'a Urls,
}

impl Views<'_> {
    fn terms<'v>(
        &self,
        vocab: &'v Vocabulary,
        segment: &str,
        keys: &[String],
    ) -> Vec<TermView<'v>> {
        keys.iter()
            .filter_map(|k| vocab.get(k))
            .map(|t: &Term| TermView {
                key: &t.key,
                label: &t.label,
                url: self.urls.facet_value(segment, &t.key),
            })
            .collect()
    }

    /// Terms not linked to a facet page (referral, outcomes): `url` is empty.
    fn plain_terms<'v>(&self, vocab: &'v Vocabulary, keys: &[String]) -> Vec<TermView<'v>> {
        keys.iter()
            .filter_map(|k| vocab.get(k))
            .map(|t| TermView {
                key: &t.key,
                label: &t.label,
                url: String::new(),
            })
            .collect()
    }

    fn area(&self, key: &str) -> AreaView {
        let term = self.config.vocabularies.areas.get(key);
        AreaView {
            key: key.to_string(),
            label: term.map_or_else(|| key.to_string(), |t| t.label.clone()),
            url: self.urls.facet_value("areas", key),
            in_borough: term.and_then(|t| t.in_borough).unwrap_or(false),
        }
    }

    pub fn card(&self, l: &Listing) -> Card {
        Card {
            title: l.title.clone(),
            url: self.urls.service(&l.slug),
            provider: l.provider.clone(),
            summary: l.summary.clone(),
            area: self.area(&l.area),
            days_text: crate::model::schedule::days_text(&l.open_days()),
            vacancies: l.vacancies.map(ChoiceView::from),
            distance: None,
        }
    }

    pub fn listing<'l>(&self, l: &'l Listing, stale: bool) -> ListingView<'l>
    where
        Self: 'l,
    {
        let v = &self.config.vocabularies;
        let access = |keys: &[String]| self.terms(&v.accessibility, "accessibility", keys);
        ListingView {
            slug: &l.slug,
            url: self.urls.service(&l.slug),
            title: &l.title,
            provider: &l.provider,
            summary: &l.summary,
            description_html: &l.description_html,
            easy_read: l.easy_read.as_deref(),
            needs: self.terms(&v.needs, "needs", &l.needs),
            service_types: self.terms(&v.service_types, "service-types", &l.service_types),
            activities: self.terms(&v.activities, "activities", &l.activities),
            funding: self.terms(&v.funding, "funding", &l.funding),
            referral: self.plain_terms(&v.referral, &l.referral),
            outcomes: self.plain_terms(&v.outcomes, &l.outcomes),
            accessibility: access(&l.accessibility),
            when: self.when(l),
            area: self.area(&l.area),
            locations: self.locations(l),
            week: week(l),
            open_days: l.open_days().len(),
            schedule_notes: l.schedule_notes.as_deref(),
            term_time_only: l.term_time_only,
            costs: costs(l),
            transport: l.transport.as_deref(),
            languages: &l.languages,
            progression: l.progression.as_deref(),
            accredited: l.accredited,
            disability_confident: l.disability_confident.map(ChoiceView::from),
            vacancies: l.vacancies.map(ChoiceView::from),
            contact: ContactView::from(&l.contact),
            images: self.images(l),
            updated: l.updated.to_string(),
            updated_text: long_date(l.updated),
            review_by: l.review_by.to_string(),
            review_by_text: long_date(l.review_by),
            stale,
            json_ld: crate::export::jsonld::script(l, self.config, self.urls),
            report: super::report_link::report(
                self.config,
                l,
                &self
                    .urls
                    .absolute(&crate::model::urls::service_rel(&l.slug)),
            ),
        }
    }

    fn when(&self, l: &Listing) -> Vec<TermView<'static>> {
        l.when()
            .into_iter()
            .map(|w| TermView {
                key: w.key(),
                label: w.label(),
                url: self.urls.facet_value("when", w.key()),
            })
            .collect()
    }

    fn locations<'l>(&self, l: &'l Listing) -> Vec<LocationView<'l>>
    where
        Self: 'l,
    {
        let access = |keys: &[String]| {
            self.terms(
                &self.config.vocabularies.accessibility,
                "accessibility",
                keys,
            )
        };
        l.locations
            .iter()
            .map(|loc| LocationView {
                name: loc.name.as_deref(),
                address: &loc.address,
                postcode: &loc.postcode,
                lat: loc.lat_lon.map(|(lat, _)| lat),
                lon: loc.lat_lon.map(|(_, lon)| lon),
                accessibility: access(&loc.accessibility),
            })
            .collect()
    }

    fn images<'l>(&self, l: &'l Listing) -> Vec<ImageView<'l>> {
        l.images
            .iter()
            .map(|i| ImageView {
                url: self.urls.image(&i.src),
                alt: &i.alt,
            })
            .collect()
    }
}

fn week(l: &Listing) -> Vec<DayView> {
    Day::ALL
        .iter()
        .map(|d| DayView {
            day: d.name(),
            key: day_key(*d),
            times: l
                .schedule
                .iter()
                .filter(|s| s.days.contains(d))
                .map(|s| s.text())
                .collect(),
        })
        .collect()
}

fn costs(l: &Listing) -> Vec<CostView> {
    l.costs
        .iter()
        .map(|c| CostView {
            amount: c.amount_text(),
            per: c.per.key(),
            per_label: format!("per {}", c.per.key()),
            notes: c.notes.clone(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct LocationView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub address: &'a str,
    pub postcode: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    pub accessibility: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub struct DayView {
    pub day: &'static str,
    pub key: &'static str,
    pub times: Vec<String>,
}

#[derive(Serialize)]
pub struct CostView {
    pub amount: String,
    pub per: &'static str,
    pub per_label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Serialize)]
pub struct ImageView<'a> {
    pub url: String,
    pub alt: &'a str,
}

#[derive(Serialize)]
pub struct ListingView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub provider: &'a str,
    pub summary: &'a str,
    pub description_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<&'a str>,
    pub needs: Vec<TermView<'a>>,
    pub service_types: Vec<TermView<'a>>,
    pub activities: Vec<TermView<'a>>,
    pub funding: Vec<TermView<'a>>,
    pub referral: Vec<TermView<'a>>,
    pub outcomes: Vec<TermView<'a>>,
    pub accessibility: Vec<TermView<'a>>,
    pub when: Vec<TermView<'static>>,
    pub area: AreaView,
    pub locations: Vec<LocationView<'a>>,
    pub week: Vec<DayView>,
    pub open_days: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_notes: Option<&'a str>,
    pub term_time_only: bool,
    pub costs: Vec<CostView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<&'a str>,
    pub languages: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progression: Option<&'a str>,
    pub accredited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disability_confident: Option<ChoiceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancies: Option<ChoiceView>,
    pub contact: ContactView,
    pub images: Vec<ImageView<'a>>,
    pub updated: String,
    pub updated_text: String,
    pub review_by: String,
    pub review_by_text: String,
    pub stale: bool,
    /// schema.org JSON-LD for the page's head; `<` is escaped, so it is safe unescaped.
    pub json_ld: String,
    /// "Report a problem with this entry" (site.yaml `report`).
    pub report: super::report_link::ReportView,
}
