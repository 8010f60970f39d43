//! schema.org JSON-LD for a listing page, so search engines can show a service's times,
//! place and provider.

use serde_json::{Value, json};

use crate::model::{Day, Listing, Location, Session, SiteConfig, Vocabulary};
use crate::render::urls::{self, Urls};

/// The JSON-LD of a listing, ready to go inside `<script type="application/ld+json">`.
pub fn script(l: &Listing, config: &SiteConfig, urls: &Urls) -> String {
    let text = serde_json::to_string(&service(l, config, urls)).unwrap_or_default();
    // A `</script>` inside a string would end the script element early.
    text.replace('<', "\\u003c")
}

pub fn service(l: &Listing, config: &SiteConfig, urls: &Urls) -> Value {
    let v = &config.vocabularies;
    let area = v
        .areas
        .get(&l.area)
        .map_or(l.area.as_str(), |t| t.label.as_str());
    let mut service = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": format!("urn:uuid:{}", l.id),
        "identifier": l.id.to_string(),
        "name": l.title,
        "description": l.summary,
        "url": urls.absolute(&urls::service_rel(&l.slug)),
        "provider": {"@type": "Organization", "name": l.provider},
        "areaServed": {"@type": "AdministrativeArea", "name": area},
        "audience": labels(&v.needs, &l.needs).into_iter()
            .map(|n| json!({"@type": "Audience", "audienceType": n}))
            .collect::<Vec<_>>(),
        "serviceType": labels(&v.service_types, &l.service_types),
        "hoursAvailable": hours(&l.schedule),
        "availableChannel": channel(l, config),
    });
    if !l.costs.is_empty() {
        service["offers"] = offers(l);
    }
    service
}

fn labels(vocab: &Vocabulary, keys: &[String]) -> Vec<String> {
    let label = |k: &String| vocab.get(k).map_or(k.clone(), |t| t.label.clone());
    keys.iter().map(label).collect()
}

fn offers(l: &Listing) -> Value {
    let offer = |c: &crate::model::Cost| {
        let per = format!("per {}", c.per.key());
        let description = match &c.notes {
            Some(n) => format!("{per}. {n}"),
            None => per,
        };
        json!({
            "@type": "Offer",
            "price": format!("{}.{:02}", c.pence / 100, c.pence % 100),
            "priceCurrency": "GBP",
            "description": description,
        })
    };
    Value::Array(l.costs.iter().map(offer).collect())
}

fn hours(schedule: &[Session]) -> Vec<Value> {
    let day_url = |d: &Day| format!("https://schema.org/{}", d.name());
    let hhmm = |t: crate::model::Time| format!("{:02}:{:02}", t.0 / 60, t.0 % 60);
    schedule
        .iter()
        .map(|s| {
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": s.days.iter().map(day_url).collect::<Vec<_>>(),
                "opens": hhmm(s.from),
                "closes": hhmm(s.to),
            })
        })
        .collect()
}

fn channel(l: &Listing, config: &SiteConfig) -> Value {
    let mut channel = json!({"@type": "ServiceChannel"});
    if let Some(phone) = &l.contact.phone {
        channel["servicePhone"] = json!({"@type": "ContactPoint", "telephone": phone});
    }
    if let Some(site) = &l.contact.website {
        channel["serviceUrl"] = json!(site);
    }
    if !l.locations.is_empty() {
        let places = l.locations.iter().map(|p| place(l, p, config)).collect();
        channel["serviceLocation"] = Value::Array(places);
    }
    channel
}

fn place(l: &Listing, loc: &Location, config: &SiteConfig) -> Value {
    let access = &config.vocabularies.accessibility;
    let features: Vec<Value> = labels(access, &loc.accessibility)
        .into_iter()
        .map(|name| json!({"@type": "LocationFeatureSpecification", "name": name, "value": true}))
        .collect();
    let mut place = json!({
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": loc.address,
            "postalCode": loc.postcode,
            "addressCountry": "GB",
        },
        "openingHoursSpecification": hours(&l.schedule),
        "amenityFeature": features,
    });
    if let Some(name) = &loc.name {
        place["name"] = json!(name);
    }
    if let Some((lat, lon)) = loc.lat_lon {
        place["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
    }
    place
}
