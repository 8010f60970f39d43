//! Who and what: the title, provider, summary, Easy Read summary, needs, service types and
//! activities of a listing.

use crate::model::Vocabularies;
use crate::validate::readability;
use crate::validate::reader::{Doc, Fields};

use super::{Context, advise};

pub const SUMMARY_MAX: usize = 300;

pub struct About {
    pub title: Option<String>,
    pub provider: Option<String>,
    pub summary: Option<String>,
    pub needs: Vec<String>,
    pub service_types: Vec<String>,
    pub activities: Vec<String>,
    pub easy_read: Option<String>,
}

pub fn read(doc: &mut Doc, at: Fields, cx: &Context) -> About {
    let v = &cx.config.vocabularies;
    let title = doc.required_text(at, "title", "title: Riverside Garden Project");
    let provider = doc.required_text(at, "provider", "provider: Riverside Community Trust");
    let summary = summary(doc, at);
    let (needs, service_types, activities) = terms(doc, at, v);
    let easy_read = doc.text(
        at,
        "easy_read",
        "easy_read: We grow food. We cook lunch together.",
    );
    let limits = &cx.config.checks;
    advise(doc, "summary", summary.as_deref(), |t| {
        readability::prose(t, limits, false)
    });
    advise(doc, "easy_read", easy_read.as_deref(), |t| {
        readability::prose(t, limits, true)
    });
    About {
        title,
        provider,
        summary,
        needs,
        service_types,
        activities,
        easy_read,
    }
}

/// Needs, service types and activities, in that order.
fn terms(doc: &mut Doc, at: Fields, v: &Vocabularies) -> (Vec<String>, Vec<String>, Vec<String>) {
    let needs = doc.required_terms(
        at,
        "needs",
        &v.needs,
        "needs: [learning-disabilities, autism]",
    );
    let service_types = doc.required_terms(
        at,
        "service_types",
        &v.service_types,
        "service_types: [building-based]",
    );
    let activities = doc.terms(
        at,
        "activities",
        &v.activities,
        "activities: [horticulture, cookery]",
    );
    (needs, service_types, activities)
}

fn summary(doc: &mut Doc, at: Fields) -> Option<String> {
    let summary = doc.required_text(
        at,
        "summary",
        "summary: Gardening and cookery for adults with learning disabilities.",
    )?;
    let length = summary.chars().count();
    if length > SUMMARY_MAX {
        doc.error(
            "summary",
            format!("the summary is {length} characters long; the most is {SUMMARY_MAX}"),
            "shorten it to one or two sentences: the description is the place for detail",
        );
    }
    Some(summary)
}

pub fn warn_if_no_easy_read(doc: &mut Doc, about: &About) {
    let needs = &about.needs;
    if about.easy_read.is_none() && needs.iter().any(|n| n == "learning-disabilities") {
        doc.warning(
            "needs",
            "this service is for people with learning disabilities but has no Easy Read summary",
            "add `easy_read:` with a few short sentences in everyday words, such as `easy_read: We grow food. We cook lunch together.`",
        );
    }
}
