//! Dates and status: when a listing was checked and is due again, its vacancies and when
//! they were checked, whether it is a draft, and its id; with the warnings when these are
//! out of date.

use crate::model::{Choice, Date, VACANCIES};
use crate::validate::formats;
use crate::validate::reader::{Doc, Fields};

use super::Context;

/// Vacancies change fast: a value older than this misleads people.
const VACANCIES_FRESH_DAYS: i64 = 91;

pub struct Status {
    pub updated: Option<Date>,
    /// As given, or a year after `updated`.
    pub review_by: Option<Date>,
    /// Whether `review_by` was given, so a warning about it points at the field the
    /// date came from.
    pub review_by_given: bool,
    pub vacancies: Option<Choice>,
    pub vacancies_updated: Option<Date>,
    pub draft: bool,
    pub id: uuid::Uuid,
}

pub fn read(doc: &mut Doc, at: Fields, slug: &str, cx: &Context) -> Status {
    let updated = required_date(doc, at, "updated");
    let review_by = doc.date(at, "review_by");
    let vacancies = doc.choice(at, "vacancies", &VACANCIES);
    let vacancies_updated = doc.date(at, "vacancies_updated");
    let draft = doc.bool(at, "draft").unwrap_or(false);
    let id = id(doc, at).unwrap_or_else(|| crate::model::default_id(&cx.config.base_url, slug));
    Status {
        updated,
        review_by: review_by.or_else(|| updated.map(formats::one_year_after)),
        review_by_given: review_by.is_some(),
        vacancies,
        vacancies_updated,
        draft,
        id,
    }
}

/// Warnings when the listing or its vacancies are due to be checked again.
pub fn warn_if_old(doc: &mut Doc, status: &Status, today: Date) {
    if let Some(review_by) = status.review_by {
        warn_if_stale(doc, review_by, today, status.review_by_given);
    }
    let checked = status.vacancies_updated.or(status.updated);
    if let (Some(v), Some(checked)) = (status.vacancies, checked) {
        let explicit = status.vacancies_updated.is_some();
        warn_if_vacancies_old(doc, v, checked, explicit, today);
    }
}

fn required_date(doc: &mut Doc, at: Fields, key: &str) -> Option<Date> {
    if at.get(key).is_none() {
        doc.missing(at, key, &format!("{key}: 2024-03-11"));
        return None;
    }
    doc.date(at, key)
}

/// The optional `id`: open data consumers key on it, so a malformed one must not slip through.
fn id(doc: &mut Doc, at: Fields) -> Option<uuid::Uuid> {
    let example = "id: 0b9e4f7a-3c1d-4e2b-9a8f-6d5c4b3a2e1f";
    let text = doc.text(at, "id", example)?;
    let parsed = uuid::Uuid::try_parse(&text).ok().filter(|u| !u.is_nil());
    if parsed.is_none() {
        doc.error(
            "id",
            format!("`{text}` is not a UUID"),
            format!("a UUID is 32 hexadecimal digits in groups of 8-4-4-4-12, such as `{}`; or remove `id` and one is made for you", &example[4..]),
        );
    }
    parsed
}

fn warn_if_stale(doc: &mut Doc, review_by: Date, today: Date, explicit: bool) {
    if review_by >= today {
        return;
    }
    let path = if explicit { "review_by" } else { "updated" };
    doc.warning(
        path,
        format!(
            "stale: this listing was due to be checked by {}",
            crate::text::long_date(review_by)
        ),
        "check the details with the provider, then set `updated:` to the date you checked them",
    );
}

fn warn_if_vacancies_old(
    doc: &mut Doc,
    vacancies: Choice,
    checked_on: Date,
    explicit: bool,
    today: Date,
) {
    if (today - checked_on).whole_days() <= VACANCIES_FRESH_DAYS {
        return;
    }
    let path = if explicit {
        "vacancies_updated"
    } else {
        "vacancies"
    };
    doc.warning(
        path,
        format!(
            "`vacancies: {}` was last checked on {}, more than 3 months ago",
            vacancies.key,
            crate::text::long_date(checked_on)
        ),
        "ask the provider whether it still holds, then set `vacancies_updated:` to today's date",
    );
}
