//! "Did you mean …?" for misspelt keys and field names.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase().replace([' ', '_'], "-");
    let limit = (wrong_l.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            let c_l = c.to_lowercase().replace([' ', '_'], "-");
            (strsim::damerau_levenshtein(&wrong_l, &c_l), c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// A help line: the nearest valid choice, or else the list of choices.
pub fn did_you_mean<'a, I>(wrong: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&str> = candidates.into_iter().collect();
    match closest(wrong, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            format!("use one of: {}", candidates.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["dementia", "autism", "frailty"];
        assert_eq!(closest("demntia", keys), Some("dementia"));
        assert_eq!(closest("Dementia", keys), Some("dementia"));
        assert_eq!(closest("gardening", keys), None);
        assert_eq!(
            did_you_mean("xyz", keys),
            "use one of: dementia, autism, frailty"
        );
    }
}
