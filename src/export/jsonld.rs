//! schema.org JSON-LD for a listing page, so search engines can show a service's times,
//! place and provider.
//!
//! Typed rather than built as `serde_json::Value`s: every listing page carries one, and
//! building the values was most of the time spent making a page's context. A struct's fields
//! are written in the order they are declared, which here is alphabetical, as a JSON object's
//! members are everywhere else in the build.

use serde::Serialize;

use crate::model::urls::{self, Urls};
use crate::model::{Day, Listing, Location, Session, SiteConfig, Vocabulary};

/// The JSON-LD of a listing, ready to go inside `<script type="application/ld+json">`.
pub fn script(l: &Listing, config: &SiteConfig, urls: &Urls) -> String {
    let text = serde_json::to_string(&service(l, config, urls)).unwrap_or_default();
    // A `</script>` inside a string would end the script element early.
    text.replace('<', "\\u003c")
}

#[derive(Serialize)]
struct Service<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "areaServed")]
    area_served: Named<'a>,
    audience: Vec<Audience<'a>>,
    #[serde(rename = "availableChannel")]
    available_channel: Channel<'a>,
    description: &'a str,
    #[serde(rename = "hoursAvailable")]
    hours_available: Vec<Hours>,
    identifier: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    offers: Vec<Offer>,
    provider: Named<'a>,
    #[serde(rename = "serviceType")]
    service_type: Vec<&'a str>,
    url: String,
}

/// `{"@type": ..., "name": ...}`
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Audience<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "audienceType")]
    audience_type: &'a str,
}

#[derive(Serialize)]
struct Offer {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: String,
    price: String,
    #[serde(rename = "priceCurrency")]
    price_currency: &'static str,
}

#[derive(Serialize)]
struct Hours {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: String,
    #[serde(rename = "dayOfWeek")]
    day_of_week: Vec<String>,
    opens: String,
}

#[derive(Serialize)]
struct Channel<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "serviceLocation", skip_serializing_if = "Vec::is_empty")]
    service_location: Vec<Place<'a>>,
    #[serde(rename = "servicePhone", skip_serializing_if = "Option::is_none")]
    service_phone: Option<Phone<'a>>,
    #[serde(rename = "serviceUrl", skip_serializing_if = "Option::is_none")]
    service_url: Option<&'a str>,
}

#[derive(Serialize)]
struct Phone<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    telephone: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: Address<'a>,
    #[serde(rename = "amenityFeature")]
    amenity_feature: Vec<Feature<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "openingHoursSpecification")]
    opening_hours_specification: Vec<Hours>,
}

#[derive(Serialize)]
struct Address<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry")]
    address_country: &'static str,
    #[serde(rename = "postalCode")]
    postal_code: &'a str,
    #[serde(rename = "streetAddress")]
    street_address: &'a str,
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    value: bool,
}

#[derive(Serialize)]
struct Geo {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

fn service<'a>(l: &'a Listing, config: &'a SiteConfig, urls: &Urls) -> Service<'a> {
    let v = &config.vocabularies;
    let area = v.areas.label_of(&l.area);
    Service {
        context: "https://schema.org",
        id: format!("urn:uuid:{}", l.id),
        kind: "Service",
        area_served: Named {
            kind: "AdministrativeArea",
            name: area,
        },
        audience: labels(&v.needs, &l.needs)
            .map(|n| Audience {
                kind: "Audience",
                audience_type: n,
            })
            .collect(),
        available_channel: channel(l, config),
        description: &l.summary,
        hours_available: hours(&l.schedule),
        identifier: l.id.to_string(),
        name: &l.title,
        offers: offers(l),
        provider: Named {
            kind: "Organization",
            name: &l.provider,
        },
        service_type: labels(&v.service_types, &l.service_types).collect(),
        url: urls.absolute(&urls::service_rel(&l.slug)),
    }
}

/// Each key's label, or the key itself when the vocabulary lacks it.
fn labels<'a>(vocab: &'a Vocabulary, keys: &'a [String]) -> impl Iterator<Item = &'a str> {
    keys.iter().map(|k| vocab.label_of(k))
}

fn offers(l: &Listing) -> Vec<Offer> {
    let offer = |c: &crate::model::Cost| {
        let per = format!("per {}", c.per.key());
        let description = match &c.notes {
            Some(n) => format!("{per}. {n}"),
            None => per,
        };
        Offer {
            kind: "Offer",
            price: format!("{}.{:02}", c.pence / 100, c.pence % 100),
            price_currency: "GBP",
            description,
        }
    };
    l.costs.iter().map(offer).collect()
}

fn hours(schedule: &[Session]) -> Vec<Hours> {
    let day_url = |d: &Day| format!("https://schema.org/{}", d.name());
    let hhmm = |t: crate::model::Time| format!("{:02}:{:02}", t.0 / 60, t.0 % 60);
    schedule
        .iter()
        .map(|s| Hours {
            kind: "OpeningHoursSpecification",
            day_of_week: s.days.iter().map(day_url).collect(),
            opens: hhmm(s.from),
            closes: hhmm(s.to),
        })
        .collect()
}

fn channel<'a>(l: &'a Listing, config: &'a SiteConfig) -> Channel<'a> {
    Channel {
        kind: "ServiceChannel",
        service_phone: l.contact.phone.as_deref().map(|phone| Phone {
            kind: "ContactPoint",
            telephone: phone,
        }),
        service_url: l.contact.website.as_deref(),
        service_location: l.locations.iter().map(|p| place(l, p, config)).collect(),
    }
}

fn place<'a>(l: &'a Listing, loc: &'a Location, config: &'a SiteConfig) -> Place<'a> {
    let access = &config.vocabularies.accessibility;
    Place {
        kind: "Place",
        address: Address {
            kind: "PostalAddress",
            street_address: &loc.address,
            postal_code: &loc.postcode,
            address_country: "GB",
        },
        opening_hours_specification: hours(&l.schedule),
        amenity_feature: labels(access, &loc.accessibility)
            .map(|name| Feature {
                kind: "LocationFeatureSpecification",
                name,
                value: true,
            })
            .collect(),
        name: loc.name.as_deref(),
        geo: loc.lat_lon.map(|(latitude, longitude)| Geo {
            kind: "GeoCoordinates",
            latitude,
            longitude,
        }),
    }
}
