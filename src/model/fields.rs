//! The fields of a listing, named and explained once: for the validator's "unknown field"
//! check, the JSON Schema editors use, and the template `dayopps new` writes.

/// What kind of value a field holds, as the JSON Schema describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A list of keys from the named vocabulary.
    Terms(&'static str),
    /// One key from the named vocabulary.
    Term(&'static str),
    TextList,
    Bool,
    Date,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
    Locations,
    Schedule,
    Costs,
    Contact,
    Images,
    /// A UUID such as `0b9e4f7a-3c1d-4e2b-9a8f-6d5c4b3a2e1f`.
    Uuid,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub description: &'static str,
}

const fn field(name: &'static str, kind: Kind, required: bool, description: &'static str) -> Field {
    Field {
        name,
        kind,
        required,
        description,
    }
}

/// Every field of a listing, in the order the listing format gives them.
pub const LISTING: &[Field] = &[
    field("title", Kind::Text, true, "The service's name."),
    field(
        "provider",
        Kind::Text,
        true,
        "The organisation that runs it.",
    ),
    field(
        "summary",
        Kind::Text,
        true,
        "What the service is, in plain text: at most 300 characters.",
    ),
    field(
        "needs",
        Kind::Terms("needs"),
        true,
        "Who it is for: at least one of the site's needs.",
    ),
    field(
        "service_types",
        Kind::Terms("service_types"),
        true,
        "The kinds of support it gives: at least one.",
    ),
    field(
        "activities",
        Kind::Terms("activities"),
        false,
        "What people do there.",
    ),
    field(
        "area",
        Kind::Term("areas"),
        true,
        "Where it is: one of the site's areas.",
    ),
    field(
        "locations",
        Kind::Locations,
        false,
        "The places it runs from; needed unless every service type is virtual or at home.",
    ),
    field(
        "schedule",
        Kind::Schedule,
        true,
        "When it runs: sessions with days and 24-hour times. May be [] when schedule_notes explains.",
    ),
    field(
        "schedule_notes",
        Kind::Text,
        false,
        "More about when it runs, such as bank holidays.",
    ),
    field(
        "term_time_only",
        Kind::Bool,
        false,
        "true if it runs in school terms only.",
    ),
    field(
        "funding",
        Kind::Terms("funding"),
        true,
        "How a place can be paid for.",
    ),
    field(
        "costs",
        Kind::Costs,
        false,
        "What it costs, in pounds, per session, hour, day or week.",
    ),
    field(
        "referral",
        Kind::Terms("referral"),
        true,
        "How to get a place.",
    ),
    field(
        "accessibility",
        Kind::Terms("accessibility"),
        false,
        "Access and communication support the service offers.",
    ),
    field("transport", Kind::Text, false, "Help with getting there."),
    field(
        "languages",
        Kind::TextList,
        false,
        "Languages the staff speak.",
    ),
    field(
        "outcomes",
        Kind::Terms("outcomes"),
        false,
        "What it helps people achieve.",
    ),
    field(
        "progression",
        Kind::Text,
        false,
        "Where people can move on to.",
    ),
    field(
        "accredited",
        Kind::Bool,
        false,
        "true if it is on the council's accredited list.",
    ),
    field(
        "disability_confident",
        Kind::Choice(&["committed", "employer", "leader"]),
        false,
        "The organisation's level in the UK Disability Confident scheme.",
    ),
    field(
        "vacancies",
        Kind::Choice(&["open", "waiting-list", "full"]),
        false,
        "Whether there are places now.",
    ),
    field(
        "vacancies_updated",
        Kind::Date,
        false,
        "The date vacancies were last checked (YYYY-MM-DD); if missing, `updated` is used.",
    ),
    field(
        "contact",
        Kind::Contact,
        true,
        "How to get in touch: at least one of phone, email, website.",
    ),
    field(
        "images",
        Kind::Images,
        false,
        "Pictures from content/images/, each with alt text.",
    ),
    field(
        "easy_read",
        Kind::Text,
        false,
        "An Easy Read summary: short sentences, common words.",
    ),
    field(
        "updated",
        Kind::Date,
        true,
        "The date the entry was last checked (YYYY-MM-DD).",
    ),
    field(
        "review_by",
        Kind::Date,
        false,
        "When it must be checked again (YYYY-MM-DD); default: a year after `updated`.",
    ),
    field(
        "draft",
        Kind::Bool,
        false,
        "true to leave it off the site for now.",
    ),
    field(
        "id",
        Kind::Uuid,
        false,
        "A UUID that never changes, for open data; default: made from the site's address and the file name.",
    ),
    field(
        "description",
        Kind::Text,
        false,
        "Only in .yaml listings: the description, in Markdown.",
    ),
];

pub fn names() -> impl Iterator<Item = &'static str> {
    LISTING.iter().map(|f| f.name)
}
