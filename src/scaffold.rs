//! `dayopps new`: a commented listing a provider can fill in.

use std::fmt::Write;

use crate::model::{Date, SiteConfig, Vocabularies, Vocabulary};
use crate::schema;

fn first(v: &Vocabulary) -> &str {
    v.terms.first().map_or("", |t| t.key.as_str())
}

fn choices(v: &Vocabulary) -> String {
    v.keys().collect::<Vec<_>>().join(", ")
}

/// The text of a new listing called `title`, valid as written and marked as a draft.
pub fn new_listing(config: &SiteConfig, title: &str, today: Date) -> String {
    let v = &config.vocabularies;
    let mut s = String::new();
    let title = title.replace('"', "'");
    // Writing into a String cannot fail.
    let _ = write!(
        s,
        "---
{modeline}
# A new listing. Change the values below, then remove `draft: true` to publish it.
# Lines starting with # are notes: they can stay or go.
title: \"{title}\"
provider: The organisation that runs it
# One or two plain sentences, at most 300 characters.
summary: What the service offers and who it is for.
",
        modeline = schema::modeline(config),
    );
    who_and_where(&mut s, v);
    s.push_str(WHEN);
    money_and_referral(&mut s, v);
    let _ = write!(
        s,
        "{CONTACT}# The date you checked these details.
updated: {today}
draft: true
---
{DESCRIPTION}"
    );
    s
}

const WHEN: &str = "# When it runs: days are mon tue wed thu fri sat sun; 24-hour times in quotes.
schedule:
  - days: [mon, tue, wed, thu, fri]
    from: \"09:30\"
    to: \"15:30\"
";

const CONTACT: &str = "contact:
  phone: 020 7946 0000
  # email: hello@example.org
  # website: https://example.org
# Short sentences in everyday words. Needed when the service is for people with learning disabilities.
easy_read: We meet every weekday. Call us to visit first.
";

const DESCRIPTION: &str =
    "Describe the service here, in plain English. What happens on a typical day? Who are the staff?
What should someone bring?

## Getting there

Headings start with ## (level 2). Links look like [our website](https://example.org).
";

/// Needs, service types, activities, area and a place, each with the choices there are.
fn who_and_where(s: &mut String, v: &Vocabularies) {
    let _ = write!(
        s,
        "# Who it is for. Choose from: {needs}
needs: [{need}]
# Choose from: {types}
service_types: [{ty}]
# Optional. Choose from: {activities}
activities: []
# Choose from: {areas}
area: {area}
locations:
  - name: Name of the building
    address: Street address, town
    postcode: E10 5QX
",
        needs = choices(&v.needs),
        need = first(&v.needs),
        types = choices(&v.service_types),
        ty = first(&v.service_types),
        activities = choices(&v.activities),
        areas = choices(&v.areas),
        area = first(&v.areas),
    );
}

fn money_and_referral(s: &mut String, v: &Vocabularies) {
    let _ = write!(
        s,
        "# Choose from: {funding}
funding: [{fund}]
# Choose from: {referral}
referral: [{refer}]
",
        funding = choices(&v.funding),
        fund = first(&v.funding),
        referral = choices(&v.referral),
        refer = first(&v.referral),
    );
}
