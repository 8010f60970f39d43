//! Money and access: how a place is paid for and what it costs, how people are referred,
//! and what helps them take part (accessibility, transport, languages).

use crate::model::{Cost, CostPer};
use crate::validate::reader::{Doc, Fields};
use crate::validate::suggest::did_you_mean;

use super::{Context, HINT};

pub struct Access {
    pub funding: Vec<String>,
    pub referral: Vec<String>,
    pub costs: Vec<Cost>,
    pub accessibility: Vec<String>,
    pub transport: Option<String>,
    pub languages: Vec<String>,
}

pub fn read(doc: &mut Doc, at: Fields, cx: &Context) -> Access {
    let v = &cx.config.vocabularies;
    let funding = doc.required_terms(
        at,
        "funding",
        &v.funding,
        "funding: [commissioned, direct-payment]",
    );
    let referral = doc.required_terms(
        at,
        "referral",
        &v.referral,
        "referral: [self-referral, social-worker]",
    );
    let costs = costs(doc, at);
    let accessibility = doc.terms(
        at,
        "accessibility",
        &v.accessibility,
        "accessibility: [bsl, easy-read]",
    );
    let transport = doc.text(
        at,
        "transport",
        "transport: Minibus pick-up within the borough.",
    );
    let languages = doc.text_list(at, "languages", "languages: [English, Urdu]");
    Access {
        funding,
        referral,
        costs,
        accessibility,
        transport,
        languages,
    }
}

fn costs(doc: &mut Doc, at: Fields) -> Vec<Cost> {
    let example = "- { amount: 45.00, per: session }";
    let mut out = Vec::new();
    for (path, item) in doc.records(at, "costs", example) {
        let Some(c) = doc.mapping(item, &path, example) else {
            continue;
        };
        doc.unknown_fields(c, &["amount", "per", "notes"], HINT);
        let pence = amount(doc, c);
        let per = per(doc, c);
        if let (Some(pence), Some(per)) = (pence, per) {
            out.push(Cost {
                pence,
                per,
                notes: doc.text(c, "notes", "notes: Includes lunch."),
            });
        }
    }
    out
}

fn per(doc: &mut Doc, c: Fields) -> Option<CostPer> {
    let p = doc.required_text(c, "per", "per: session")?;
    let per = CostPer::from_key(&p);
    if per.is_none() {
        doc.error(
            &c.path_of("per"),
            format!("`{p}` is not a choice for `per`"),
            did_you_mean(&p, CostPer::KEYS),
        );
    }
    per
}

fn amount(doc: &mut Doc, c: Fields) -> Option<u64> {
    let Some(value) = c.get("amount") else {
        doc.missing(c, "amount", "amount: 45.00");
        return None;
    };
    let pounds = value.as_f64().filter(|x| *x >= 0.0 && *x < 1_000_000.0);
    let pence = pounds
        .map(|x| x * 100.0)
        .filter(|p| (p - p.round()).abs() < 1e-6);
    if pence.is_none() {
        doc.error(
            &c.path_of("amount"),
            "`amount` should be a number of pounds with at most two decimals",
            "write it without the £ sign, such as `amount: 45.00`",
        );
    }
    pence.map(|p| p.round() as u64)
}
