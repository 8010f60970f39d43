//! Which services a request's filters keep: words from the search index, then taxonomy,
//! age, day and time from each service's document.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::export::oruk;
use crate::search::{Query, SearchIndex};

use super::Api;
use super::params::Filters;

impl Api {
    /// The services the filters keep, by index, best first for a text search, else in
    /// listing order.
    pub(super) fn matching(&self, f: &Filters, index: &SearchIndex) -> Vec<usize> {
        let order: Vec<usize> = if f.text.is_empty() {
            (0..self.services.len()).collect()
        } else {
            let query = Query {
                text: f.text.clone(),
                filters: Vec::new(),
            };
            index
                .search(&query, self.services.len())
                .unwrap_or_default()
                .iter()
                .filter_map(|h| self.by_slug.get(&h.slug).copied())
                .collect()
        };
        if !f.on_documents() {
            return order;
        }
        // In parallel: the first filtered request reads every service's document.
        order
            .into_par_iter()
            .filter(|&i| keeps(self.services[i].facts(), f, &self.term_taxonomy))
            .collect()
    }
}

/// Whether a service passes the taxonomy, age, day and time filters; `term_taxonomy` gives
/// each term's taxonomy id by the term's id.
fn keeps(service: &oruk::Facts, f: &Filters, term_taxonomy: &BTreeMap<String, String>) -> bool {
    let in_taxonomy = |tax: &String| {
        service
            .term_ids()
            .any(|t| term_taxonomy.get(t).is_some_and(|x| x == tax))
    };
    f.term_ids.iter().all(|t| service.has_term(t))
        && f.taxonomy_ids.iter().all(in_taxonomy)
        && ages_fit(service, f)
        && (!f.on_schedules() || service.schedules.iter().any(|s| on_time(s, f)))
}

/// The profile's age filters: a minimum age of at least `minimum_age`, a maximum of at most
/// `maximum_age`. A service that states no age is open to every age, so no age filter
/// leaves it out.
fn ages_fit(service: &oruk::Facts, f: &Filters) -> bool {
    let min_fits = match (f.minimum_age, service.minimum_age) {
        (Some(asked), Some(own)) => own >= asked,
        _ => true,
    };
    let max_fits = match (f.maximum_age, service.maximum_age) {
        (Some(asked), Some(own)) => own <= asked,
        _ => true,
    };
    min_fits && max_fits
}

/// Whether a schedule is on the day asked, starting no earlier and ending no later.
fn on_time(s: &oruk::Times, f: &Filters) -> bool {
    let on_day = f
        .day
        .as_ref()
        .is_none_or(|d| s.byday.split(',').any(|b| b == d));
    let starts = f
        .start_time
        .as_ref()
        .is_none_or(|t| s.opens_at.as_str() >= t.as_str());
    let ends = f
        .end_time
        .as_ref()
        .is_none_or(|t| !s.closes_at.is_empty() && s.closes_at.as_str() <= t.as_str());
    on_day && starts && ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(doc: serde_json::Value) -> oruk::Facts {
        serde_json::from_value(doc).expect("facts")
    }

    fn query(q: &str) -> Filters {
        Filters::parse(q).expect("a good query")
    }

    #[test]
    fn ages_compare_with_what_a_service_states_and_keep_one_that_states_none() {
        let teens = facts(json!({"minimum_age": 13, "maximum_age": 19}));
        let adults = facts(json!({"minimum_age": 18}));
        let any = facts(json!({}));
        let none = BTreeMap::new();
        assert!(!keeps(&teens, &query("minimum_age=18"), &none));
        assert!(keeps(&adults, &query("minimum_age=18"), &none));
        assert!(keeps(&teens, &query("maximum_age=19"), &none));
        assert!(!keeps(&teens, &query("maximum_age=18"), &none));
        assert!(keeps(&any, &query("minimum_age=18&maximum_age=30"), &none));
    }

    #[test]
    fn a_taxonomy_id_keeps_services_with_any_term_of_that_taxonomy() {
        let service = facts(json!({"attributes": [{"taxonomy_term_id": "t1"}]}));
        let taxonomy: BTreeMap<String, String> = [
            ("t1".to_string(), "needs".to_string()),
            ("t2".to_string(), "areas".to_string()),
        ]
        .into();
        assert!(keeps(&service, &query("taxonomy_id=needs"), &taxonomy));
        assert!(!keeps(&service, &query("taxonomy_id=areas"), &taxonomy));
        assert!(!keeps(&service, &query("taxonomy_id=unknown"), &taxonomy));
    }
}
