//! What people gain and the provider's standing: outcomes, progression, accreditation and
//! the Disability Confident level.

use crate::model::{Choice, DISABILITY_CONFIDENT};
use crate::validate::reader::{Doc, Fields};

use super::Context;

pub struct Outcomes {
    pub outcomes: Vec<String>,
    pub progression: Option<String>,
    pub accredited: bool,
    pub disability_confident: Option<Choice>,
}

pub fn read(doc: &mut Doc, at: Fields, cx: &Context) -> Outcomes {
    let outcomes = doc.terms(
        at,
        "outcomes",
        &cx.config.vocabularies.outcomes,
        "outcomes: [skills, independence]",
    );
    let progression = doc.text(
        at,
        "progression",
        "progression: After a year members can join our employment programme.",
    );
    let accredited = doc.bool(at, "accredited").unwrap_or(false);
    let disability_confident = doc.choice(at, "disability_confident", &DISABILITY_CONFIDENT);
    Outcomes {
        outcomes,
        progression,
        accredited,
        disability_confident,
    }
}
