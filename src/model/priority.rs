//! The council's own priorities from site.yaml: the kinds of service it wants more of.

use super::{Listing, Vocabulary, When};

/// One priority, such as "Evening and weekend provision".
///
/// A service counts towards it when it matches every criterion given; within one criterion
/// any of the values will do, so `when: [evenings, weekends]` means evenings or weekends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Priority {
    pub label: String,
    pub description: Option<String>,
    pub needs: Vec<String>,
    pub service_types: Vec<String>,
    pub activities: Vec<String>,
    pub areas: Vec<String>,
    pub when: Vec<When>,
    /// `Some(true)`: only services in the borough; `Some(false)`: only those outside it.
    pub in_borough: Option<bool>,
}

impl Priority {
    /// Whether `listing` offers this priority; `areas` says which areas are in the borough.
    pub fn matches(&self, listing: &Listing, areas: &Vocabulary) -> bool {
        let inside = areas.get(&listing.area).and_then(|t| t.in_borough);
        any_of(&self.needs, &listing.needs)
            && any_of(&self.service_types, &listing.service_types)
            && any_of(&self.activities, &listing.activities)
            && any_of(&self.areas, std::slice::from_ref(&listing.area))
            && any_of(&self.when, &listing.when())
            && self.in_borough.is_none_or(|want| inside == Some(want))
    }
}

/// An empty criterion asks for nothing, so everything matches it.
fn any_of<T: PartialEq>(wanted: &[T], has: &[T]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| has.contains(w))
}
