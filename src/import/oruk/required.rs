//! Values the listing format requires and the record did not give: each is filled in with
//! the least surprising choice and the reason recorded, which makes the listing a draft.

use crate::validate::SUMMARY_MAX;

use super::Mapper;

const NO_SCHEDULE: &str = "Contact the service to ask when it runs.";

impl Mapper<'_> {
    /// Fills what the format requires and the record did not give, saying so.
    pub(super) fn required(&mut self) {
        let v = &self.config.vocabularies;
        let has_place = self.locations > 0;
        let place_type = if has_place {
            "building-based"
        } else {
            "virtual"
        };
        let fallback = [
            ("needs", None, "the record names none of the site's needs"),
            (
                "service_types",
                Some(place_type),
                "the record names none of the site's service types",
            ),
            (
                "funding",
                self.costs.then_some("self-funded"),
                "the record names none of the site's ways of paying",
            ),
            (
                "referral",
                Some("self-referral"),
                "the record does not say how to get a place",
            ),
        ];
        for (field, preferred, why) in fallback {
            if self.terms.get(field).is_none_or(Vec::is_empty) {
                let Some(vocab) = v.by_name(field) else {
                    continue;
                };
                let key = preferred
                    .filter(|p| vocab.get(p).is_some())
                    .or_else(|| vocab.keys().next());
                if let Some(key) = key {
                    self.draft
                        .defaults
                        .push(format!("`{field}: [{key}]`, as {why}"));
                    self.add_term(field, key.to_string());
                }
            }
        }
        for (field, keys) in std::mem::take(&mut self.terms) {
            self.draft.set(field, keys);
        }
        self.required_text();
        self.required_area();
        self.required_schedule();
    }

    fn required_text(&mut self) {
        if !self.draft.fields.contains_key("title") {
            self.draft.set("title", "Untitled service");
            self.draft
                .defaults
                .push("`title: Untitled service`, as the record has no name".into());
            if self.draft.slug.is_empty() {
                self.draft.slug = "untitled-service".into();
            }
        }
        if !self.draft.fields.contains_key("provider") {
            self.draft.set("provider", "Unknown");
            self.draft
                .defaults
                .push("`provider: Unknown`, as the record names no organization".into());
        }
        if !self.draft.fields.contains_key("summary") {
            let lead = self.lead.as_deref().unwrap_or(&self.draft.description);
            let title = self.draft.fields.get("title").and_then(|t| t.as_str());
            let (summary, whole) = summary_of(lead, title.unwrap_or(&self.draft.name));
            if !whole {
                self.draft
                    .defaults
                    .push("`summary`, shortened from the description".into());
            }
            self.draft.set("summary", summary);
        }
        if !self.draft.fields.contains_key("contact") {
            self.draft.defaults.push("nothing for `contact`: the record has no phone number, email address or website in a usable form, so add one before publishing".into());
        }
        if !has_place_or_remote(self) {
            self.draft
                .defaults
                .push("no place: add a location with a UK postcode before publishing".into());
        }
    }

    fn required_area(&mut self) {
        if self.draft.fields.contains_key("area") {
            return;
        }
        let areas = &self.config.vocabularies.areas;
        let addresses = self
            .draft
            .unmapped
            .iter()
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .join(" ");
        let places = serde_yaml::to_string(&self.draft.fields.get("locations")).unwrap_or_default();
        let haystack = format!("{places} {addresses}").to_lowercase();
        let named = areas
            .terms
            .iter()
            .find(|t| haystack.contains(&t.label.to_lowercase()));
        let home = areas.terms.iter().find(|t| t.in_borough == Some(true));
        if let Some(t) = named {
            self.draft.set("area", t.key.clone());
        } else if let Some(t) = home.or(areas.terms.first()) {
            self.draft.defaults.push(format!(
                "`area: {}`, as the record does not name one of the site's areas",
                t.key
            ));
            self.draft.set("area", t.key.clone());
        }
    }

    fn required_schedule(&mut self) {
        let empty = self
            .draft
            .fields
            .get("schedule")
            .and_then(|v| v.as_sequence())
            .is_none_or(Vec::is_empty);
        if empty && self.notes.is_empty() {
            self.draft.defaults.push(format!(
                "`schedule_notes: {NO_SCHEDULE}`, as the record has no weekly times"
            ));
            self.notes.push(NO_SCHEDULE.into());
        }
        if !self.notes.is_empty() {
            self.draft.set("schedule_notes", self.notes.join(" "));
        }
    }
}

fn has_place_or_remote(m: &Mapper) -> bool {
    let remote = ["virtual", "support-at-home"];
    let types = m
        .draft
        .fields
        .get("service_types")
        .and_then(|v| v.as_sequence());
    let all_remote = types.is_some_and(|t| {
        t.iter()
            .all(|x| x.as_str().is_some_and(|s| remote.contains(&s)))
    });
    m.locations > 0 || all_remote
}

/// The description's first paragraph, cut at a sentence (or word) to fit; `true` when whole.
fn summary_of(description: &str, name: &str) -> (String, bool) {
    let first = description
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace('\\', "");
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if first.is_empty() {
        return (name.to_string(), false);
    }
    if first.chars().count() <= SUMMARY_MAX {
        return (first, true);
    }
    let cut: String = first.chars().take(SUMMARY_MAX - 1).collect();
    let at = cut
        .rfind(". ")
        .map(|i| i + 1)
        .or_else(|| cut.rfind(' '))
        .unwrap_or(cut.len());
    let mut short = cut[..at].trim_end().to_string();
    if !short.ends_with('.') {
        short.push('…');
    }
    (short, false)
}
