//! A listing's places as locations with an address and accessibility. A place's id comes
//! from its address, so every service that runs there links the same location.

use uuid::Uuid;

use crate::export::{child_id, site_id};
use crate::model::{Listing, Location};

use super::Cx;
use super::document::{Accessibility, Address, Location as LocationDoc, ServiceAtLocation};

/// The id of a service's `i`th place (from 0), as its `service_at_locations` name it.
pub fn place_id(service: Uuid, i: usize) -> Uuid {
    child_id(service, &format!("service_at_locations/{i}"))
}

impl<'a> Cx<'a> {
    pub(super) fn places<'s>(&'s self, l: &'s Listing) -> Vec<ServiceAtLocation<'s>> {
        let place = |(i, loc): (usize, &'s Location)| {
            let location = self.location(l, loc);
            ServiceAtLocation {
                id: place_id(l.id, i),
                service_id: l.id,
                location_id: location.id,
                location,
            }
        };
        l.locations.iter().enumerate().map(place).collect()
    }

    /// A place has the same id in every service that runs there.
    fn location<'s>(&'s self, l: &'s Listing, loc: &'s Location) -> LocationDoc<'s> {
        let key = format!(
            "locations/{}/{}/{}",
            loc.postcode,
            loc.address,
            loc.name.as_deref().unwrap_or("")
        );
        let id = site_id(&self.config.base_url, &key.to_lowercase());
        let access = |(i, k): (usize, &'s String)| self.accessibility(id, i, k);
        // A value serialised a number only when finite, as `serde_json::Value`s were.
        let finite = |n: f64| n.is_finite().then_some(n);
        LocationDoc {
            id,
            location_type: "physical",
            name: loc.name.as_deref(),
            latitude: loc.lat_lon.and_then(|(lat, _)| finite(lat)),
            longitude: loc.lat_lon.and_then(|(_, lon)| finite(lon)),
            addresses: [self.address(l, loc, id)],
            accessibility: loc.accessibility.iter().enumerate().map(access).collect(),
        }
    }

    /// The listing has one line of address; its last part is taken as the town, as UK
    /// addresses end with it, and the profile needs one.
    fn address<'s>(&self, l: &Listing, loc: &'s Location, location_id: Uuid) -> Address<'s> {
        let parts: Vec<&str> = loc.address.split(',').map(str::trim).collect();
        let (line, city) = match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest.join(", "), last.to_string()),
            _ => (
                loc.address.clone(),
                self.config.vocabularies.areas.label_of(&l.area).to_string(),
            ),
        };
        Address {
            id: child_id(location_id, "address"),
            location_id,
            address_1: line,
            city,
            // Required by the profile, but a listing does not say which county it is in.
            state_province: "",
            postal_code: &loc.postcode,
            country: "GB",
            address_type: "physical",
        }
    }

    fn accessibility<'s>(&'s self, location_id: Uuid, i: usize, key: &'s str) -> Accessibility<'s> {
        let id = child_id(location_id, &format!("accessibility/{i}"));
        let vocab = &self.config.vocabularies.accessibility;
        Accessibility {
            id,
            location_id,
            description: vocab.label_of(key),
            attributes: self
                .attribute(id, "accessibility", key)
                .into_iter()
                .collect(),
        }
    }
}
