//! A listing file: every field of the listing format, checked.

use std::collections::HashSet;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::model::{
    Choice, Contact, Cost, CostPer, DISABILITY_CONFIDENT, Date, Day, Image, Listing, Location,
    Session, SiteConfig, Time, VACANCIES, fields,
};

use super::formats;
use super::readability;
use super::reader::{Doc, Fields};
use super::suggest::did_you_mean;

const HINT: &str = "the fields in the listing format";
pub const SUMMARY_MAX: usize = 300;
/// Service types that need no place to go to.
const NO_LOCATION_TYPES: [&str; 2] = ["virtual", "support-at-home"];

/// What a listing's fields are checked against.
pub struct Context<'a> {
    pub config: &'a SiteConfig,
    pub images: &'a HashSet<String>,
    pub today: Date,
}

/// Reads the listing's fields. `description_html` is filled in by the caller.
pub fn listing(
    doc: &mut Doc,
    root: &Value,
    slug: &str,
    source: PathBuf,
    cx: &Context,
) -> Option<Listing> {
    let at = doc.mapping(root, "", "title: Riverside Garden Project")?;
    let known: Vec<&str> = fields::names().collect();
    doc.unknown_fields(at, &known, HINT);
    let v = &cx.config.vocabularies;
    let title = doc.required_text(at, "title", "title: Riverside Garden Project");
    let provider = doc.required_text(at, "provider", "provider: Riverside Community Trust");
    let summary = summary(doc, at);
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
    let area = area(doc, at, cx);
    let locations = locations(doc, at, &service_types, cx);
    let schedule = schedule(doc, at);
    let schedule_notes = doc.text(
        at,
        "schedule_notes",
        "schedule_notes: Closed on bank holidays.",
    );
    if at.get("schedule").is_some()
        && matches!(&schedule, Some(s) if s.is_empty())
        && schedule_notes.is_none()
    {
        doc.error(
            "schedule",
            "`schedule` is empty, so `schedule_notes` must say when the service runs",
            "add sessions, or for example: `schedule_notes: Times are arranged with each person.`",
        );
    }
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
    let contact = required_contact(doc, at);
    let updated = required_date(doc, at, "updated");
    let review_by = doc.date(at, "review_by");
    let term_time_only = doc.bool(at, "term_time_only").unwrap_or(false);
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
    let outcomes = doc.terms(
        at,
        "outcomes",
        &v.outcomes,
        "outcomes: [skills, independence]",
    );
    let progression = doc.text(
        at,
        "progression",
        "progression: After a year members can join our employment programme.",
    );
    let accredited = doc.bool(at, "accredited").unwrap_or(false);
    let disability_confident = doc.choice(at, "disability_confident", &DISABILITY_CONFIDENT);
    let vacancies = doc.choice(at, "vacancies", &VACANCIES);
    let vacancies_updated = doc.date(at, "vacancies_updated");
    let images = images(doc, at, cx);
    let easy_read = doc.text(
        at,
        "easy_read",
        "easy_read: We grow food. We cook lunch together.",
    );
    let draft = doc.bool(at, "draft").unwrap_or(false);
    let id = id(doc, at).unwrap_or_else(|| crate::model::default_id(&cx.config.base_url, slug));
    let limits = &cx.config.checks;
    advise(doc, "summary", summary.as_deref(), |t| {
        readability::prose(t, limits, false)
    });
    advise(doc, "easy_read", easy_read.as_deref(), |t| {
        readability::prose(t, limits, true)
    });
    advise(doc, "schedule_notes", schedule_notes.as_deref(), |t| {
        readability::spoken_times(t).into_iter().collect()
    });
    check_groups_present(doc, at);
    // Every field has been read, so every problem is reported; warnings look only at the
    // fields they need, so they come even when other fields are wrong.
    let explicit_review = review_by.is_some();
    let review_by = review_by.or_else(|| updated.map(formats::one_year_after));
    if let Some(review_by) = review_by {
        warn_if_stale(doc, review_by, cx.today, explicit_review);
    }
    if let (Some(v), Some(checked)) = (vacancies, vacancies_updated.or(updated)) {
        warn_if_vacancies_old(doc, v, checked, vacancies_updated.is_some(), cx.today);
    }
    warn_if_http(doc, contact.as_ref());
    warn_if_no_easy_read(doc, &needs, easy_read.as_deref());
    if doc.diags.has_errors() {
        return None;
    }
    Some(Listing {
        id,
        slug: slug.to_string(),
        source,
        title: title?,
        provider: provider?,
        summary: summary?,
        needs,
        service_types,
        activities,
        area: area?,
        locations: locations?,
        schedule: schedule?,
        schedule_notes,
        term_time_only,
        funding,
        costs,
        referral,
        accessibility,
        transport,
        languages,
        outcomes,
        progression,
        accredited,
        disability_confident,
        vacancies,
        vacancies_updated,
        contact: contact?,
        images,
        easy_read,
        description_html: String::new(),
        description_text: String::new(),
        description_plain: String::new(),
        updated: updated?,
        review_by: review_by?,
        draft,
        links: Vec::new(),
        stamp: 0,
    })
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

/// Fields required whatever their content; reported here so each is named once.
fn check_groups_present(doc: &mut Doc, at: Fields) {
    if at.get("schedule").is_none() {
        doc.missing(
            at,
            "schedule",
            "schedule: [{ days: [mon, tue], from: \"09:30\", to: \"15:30\" }]",
        );
    }
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

fn area(doc: &mut Doc, at: Fields, cx: &Context) -> Option<String> {
    let area = doc.required_text(at, "area", "area: leyton")?;
    let areas = &cx.config.vocabularies.areas;
    if areas.get(&area).is_none() {
        doc.error(
            "area",
            format!("`{area}` is not one of the `areas` in site.yaml"),
            did_you_mean(&area, areas.keys()),
        );
        return None;
    }
    Some(area)
}

fn locations(
    doc: &mut Doc,
    at: Fields,
    service_types: &[String],
    cx: &Context,
) -> Option<Vec<Location>> {
    let example =
        "locations: [{ name: Riverside Hub, address: 12 Example Road, postcode: E10 5QX }]";
    let items = doc.records(at, "locations", example);
    let needs_place = service_types.is_empty()
        || service_types
            .iter()
            .any(|t| !NO_LOCATION_TYPES.contains(&t.as_str()));
    if items.is_empty() && needs_place {
        if at.get("locations").is_none() {
            doc.missing(at, "locations", example);
        } else {
            doc.error("locations", "`locations` is empty", "add the place where the service runs; only services that are all `virtual` or `support-at-home` can leave it out");
        }
        return None;
    }
    let mut out = Vec::new();
    for (path, item) in items {
        let Some(l) = doc.mapping(
            item,
            &path,
            "- { name: Riverside Hub, address: 12 Example Road, postcode: E10 5QX }",
        ) else {
            continue;
        };
        doc.unknown_fields(
            l,
            &["name", "address", "postcode", "lat", "lon", "accessibility"],
            HINT,
        );
        let address = doc.required_text(l, "address", "address: 12 Example Road, London");
        let postcode = doc
            .required_text(l, "postcode", "postcode: E10 5QX")
            .and_then(|p| {
                let ok = formats::postcode(&p);
                if ok.is_none() {
                    doc.error(
                        &l.path_of("postcode"),
                        format!("`{p}` is not a UK postcode"),
                        "write the full postcode, such as `E10 5QX`",
                    );
                }
                ok
            });
        let lat_lon = lat_lon(doc, l);
        let accessibility = doc.terms(
            l,
            "accessibility",
            &cx.config.vocabularies.accessibility,
            "accessibility: [step-free]",
        );
        if let (Some(address), Some(postcode)) = (address, postcode) {
            out.push(Location {
                name: doc.text(l, "name", "name: Riverside Hub"),
                address,
                postcode,
                lat_lon,
                accessibility,
            });
        }
    }
    Some(out)
}

fn lat_lon(doc: &mut Doc, l: Fields) -> Option<(f64, f64)> {
    let mut coord = |key: &str, limit: f64| -> Option<f64> {
        let value = l.get(key)?;
        match value.as_f64() {
            Some(x) if x.abs() <= limit => Some(x),
            _ => {
                doc.error(
                    &l.path_of(key),
                    format!("`{key}` should be a number between -{limit} and {limit}"),
                    format!(
                        "for example: `{key}: {}`",
                        if key == "lat" { "51.5612" } else { "-0.0105" }
                    ),
                );
                None
            }
        }
    };
    let (lat, lon) = (coord("lat", 90.0), coord("lon", 180.0));
    match (l.get("lat").is_some(), l.get("lon").is_some()) {
        (true, false) | (false, true) => {
            let path = l.path_of(if l.get("lat").is_some() { "lat" } else { "lon" });
            doc.error(
                &path,
                "give both `lat` and `lon`, or neither",
                "add the missing one, or remove this one",
            );
            None
        }
        _ => lat.zip(lon),
    }
}

fn schedule(doc: &mut Doc, at: Fields) -> Option<Vec<Session>> {
    let example = "- { days: [mon, tue], from: \"09:30\", to: \"15:30\" }";
    let mut out = Vec::new();
    let mut ok = true;
    for (path, item) in doc.records(at, "schedule", example) {
        let Some(s) = doc.mapping(item, &path, example) else {
            ok = false;
            continue;
        };
        doc.unknown_fields(s, &["days", "from", "to"], HINT);
        let days = days(doc, s);
        let from = time(doc, s, "from");
        let to = time(doc, s, "to");
        match (days, from, to) {
            (Some(days), Some(from), Some(to)) if from < to => out.push(Session { days, from, to }),
            (_, Some(from), Some(to)) if from >= to => {
                ok = false;
                doc.error(
                    &s.path_of("to"),
                    format!(
                        "this session ends ({}) before it starts ({})",
                        fmt_time(to),
                        fmt_time(from)
                    ),
                    "check `from` and `to`: times are 24-hour, so 3pm is \"15:00\"",
                );
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn fmt_time(t: Time) -> String {
    format!("{:02}:{:02}", t.0 / 60, t.0 % 60)
}

fn days(doc: &mut Doc, s: Fields) -> Option<Vec<Day>> {
    if s.get("days").is_none() {
        doc.missing(s, "days", "days: [mon, tue, wed]");
        return None;
    }
    let mut days = Vec::new();
    let mut ok = true;
    for (path, item) in doc.list(s, "days", "days: [mon, tue, wed]") {
        let text = item.as_str().unwrap_or("").trim().to_lowercase();
        match Day::from_key(&text) {
            Some(d) => days.push(d),
            None => {
                ok = false;
                let keys = Day::ALL.map(Day::key);
                let help = match Day::ALL.iter().find(|d| {
                    d.name().eq_ignore_ascii_case(&text)
                        || d.name()[..3].eq_ignore_ascii_case(&text)
                }) {
                    Some(d) => format!("write `{}`", d.key()),
                    None => did_you_mean(&text, keys),
                };
                doc.error(
                    &path,
                    format!("`{text}` is not a day"),
                    format!("{help}; days are mon, tue, wed, thu, fri, sat and sun"),
                );
            }
        }
    }
    days.sort();
    days.dedup();
    if ok && days.is_empty() {
        doc.error(
            &s.path_of("days"),
            "`days` is empty",
            "list the days of this session, such as `days: [mon, wed]`",
        );
        return None;
    }
    ok.then_some(days)
}

fn time(doc: &mut Doc, s: Fields, key: &str) -> Option<Time> {
    let path = s.path_of(key);
    let example = if key == "from" { "09:30" } else { "15:30" };
    let Some(value) = s.get(key) else {
        doc.missing(s, key, &format!("{key}: \"{example}\""));
        return None;
    };
    let parsed = value.as_str().and_then(|t| Time::parse(t.trim()));
    if parsed.is_none() {
        let shown = match value {
            Value::String(t) => t.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        doc.error(
            &path,
            format!("`{shown}` is not a 24-hour time"),
            format!(
                "write it in quotes with two digits for the hour, such as `{key}: \"{example}\"`"
            ),
        );
    }
    parsed
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
        let per = match doc.required_text(c, "per", "per: session") {
            Some(p) => {
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
            None => None,
        };
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

/// Phone and e-mail, checked; shared with site.yaml's contact.
pub fn contact_fields(doc: &mut Doc, c: Fields) -> Contact {
    let phone = doc.text(c, "phone", "phone: 020 8496 0000").filter(|p| {
        let ok = formats::phone(p);
        if !ok {
            doc.error(
                &c.path_of("phone"),
                format!("`{p}` is not a phone number people can dial"),
                "write the whole number with its area code, such as `020 8496 0000`",
            );
        }
        ok
    });
    if let Some(p) = &phone {
        let usual = readability::uk_phone(p).filter(|u| u != p);
        if let Some(usual) = usual {
            doc.warning(
                &c.path_of("phone"),
                format!("write the phone number as `{usual}`"),
                "UK numbers are easiest to read and to say in their usual groups",
            );
        }
    }
    if matches!(c.get("phone"), Some(Value::Number(_))) {
        doc.error(
            &c.path_of("phone"),
            "the phone number was read as a number, which loses its first 0",
            "put it in quotes: `phone: \"020 8496 0000\"`",
        );
    }
    let email = doc
        .text(c, "email", "email: hello@example.org")
        .filter(|e| {
            let ok = formats::email(e);
            if !ok {
                doc.error(
                    &c.path_of("email"),
                    format!("`{e}` is not an email address"),
                    "an email address looks like `name@example.org`",
                );
            }
            ok
        });
    Contact {
        phone,
        email,
        website: None,
    }
}

fn required_contact(doc: &mut Doc, at: Fields) -> Option<Contact> {
    let example = "contact: { phone: 020 8496 0000, email: hello@example.org }";
    let Some(value) = at.get("contact") else {
        doc.missing(at, "contact", example);
        return None;
    };
    let c = doc.mapping(value, "contact", example)?;
    doc.unknown_fields(c, &["phone", "email", "website"], HINT);
    let mut contact = contact_fields(doc, c);
    contact.website = doc
        .text(c, "website", "website: https://example.org")
        .filter(|w| {
            let ok = formats::web_address(w);
            if !ok {
                let help = if w.contains("://") || w.contains(':') && !w.contains('.') {
                    "only http:// and https:// addresses can be used".to_string()
                } else {
                    format!(
                        "start it with https://, for example `https://{}`",
                        w.trim_start_matches('/')
                    )
                };
                doc.error(
                    &c.path_of("website"),
                    format!("`{w}` is not a full web address"),
                    help,
                );
            }
            ok
        });
    let given = ["phone", "email", "website"]
        .iter()
        .any(|k| c.get(k).is_some());
    if !given {
        doc.error(
            "contact",
            "`contact` needs a phone number, an email address or a website",
            "add at least one, for example: `phone: 020 8496 0000`",
        );
    }
    Some(contact)
}

fn required_date(doc: &mut Doc, at: Fields, key: &str) -> Option<Date> {
    if at.get(key).is_none() {
        doc.missing(at, key, &format!("{key}: 2024-03-11"));
        return None;
    }
    doc.date(at, key)
}

fn images(doc: &mut Doc, at: Fields, cx: &Context) -> Vec<Image> {
    let example = "- { src: garden.jpg, alt: Two people planting seedlings. }";
    let mut out = Vec::new();
    for (path, item) in doc.records(at, "images", example) {
        let Some(i) = doc.mapping(item, &path, example) else {
            continue;
        };
        doc.unknown_fields(i, &["src", "alt", "decorative"], HINT);
        let src = doc.required_text(i, "src", "src: garden.jpg");
        let decorative = doc.bool(i, "decorative").unwrap_or(false);
        let alt = doc.text(i, "alt", "alt: Two people planting seedlings.");
        let Some(src) = src.filter(|s| image_exists(doc, &i.path_of("src"), s, cx)) else {
            continue;
        };
        match alt {
            Some(alt) if !alt.is_empty() || decorative => {
                advise(doc, &i.path_of("alt"), Some(&alt), |t| readability::alt_text(t).into_iter().collect());
                out.push(Image { src, alt })
            }
            Some(_) => doc.error(&i.path_of("alt"), format!("the image `{src}` has empty alt text"), "describe what the picture shows; only if it is pure decoration, also add `decorative: true`"),
            None => doc.error(&path, format!("the image `{src}` has no alt text"), "add `alt:` describing what the picture shows, for people who cannot see it"),
        }
    }
    out
}

/// Images are files inside content/images/; a path that tries to leave it is refused.
fn image_exists(doc: &mut Doc, path: &str, src: &str, cx: &Context) -> bool {
    let escapes = src.contains(':')
        || src.starts_with('/')
        || src.contains('\\')
        || src.split('/').any(|p| p == ".." || p == ".");
    if escapes {
        doc.error(
            path,
            format!("`{src}` is not a file name in content/images/"),
            "give just the file's name, such as `garden.jpg`",
        );
        return false;
    }
    if !cx.images.contains(src) {
        let help = match super::suggest::closest(src, cx.images.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "add the picture to content/images/, or check the spelling of its name".into(),
        };
        doc.error(
            path,
            format!("the image `{src}` is not in content/images/"),
            help,
        );
        return false;
    }
    true
}

/// Plain-English advice on a text field, as warnings at that field.
fn advise(
    doc: &mut Doc,
    path: &str,
    text: Option<&str>,
    check: impl Fn(&str) -> Vec<readability::Advice>,
) {
    for a in text.map(check).unwrap_or_default() {
        doc.warning(path, a.message, a.help);
    }
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
            formats::long_date(review_by)
        ),
        "check the details with the provider, then set `updated:` to the date you checked them",
    );
}

/// Vacancies change fast: a value older than this misleads people.
const VACANCIES_FRESH_DAYS: i64 = 91;

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
            formats::long_date(checked_on)
        ),
        "ask the provider whether it still holds, then set `vacancies_updated:` to today's date",
    );
}

fn warn_if_http(doc: &mut Doc, contact: Option<&Contact>) {
    let website = contact.and_then(|c| c.website.as_deref());
    if let Some(site) = website.filter(|w| w.starts_with("http://")) {
        doc.warning(
            "contact.website",
            format!("`{site}` is not a secure (https) address"),
            "check whether the website works with https:// and use that: browsers warn people about http:// sites",
        );
    }
}

fn warn_if_no_easy_read(doc: &mut Doc, needs: &[String], easy_read: Option<&str>) {
    if easy_read.is_none() && needs.iter().any(|n| n == "learning-disabilities") {
        doc.warning(
            "needs",
            "this service is for people with learning disabilities but has no Easy Read summary",
            "add `easy_read:` with a few short sentences in everyday words, such as `easy_read: We grow food. We cook lunch together.`",
        );
    }
}
