//! When: a listing's sessions (days and times), the notes on them and whether it runs in
//! term time only.

use serde_yaml::Value;

use crate::model::{Day, Session, Time};
use crate::validate::readability;
use crate::validate::reader::{Doc, Fields};
use crate::validate::suggest::did_you_mean;

use super::{HINT, advise};

pub struct Timing {
    pub schedule: Option<Vec<Session>>,
    pub schedule_notes: Option<String>,
    pub term_time_only: bool,
}

pub fn read(doc: &mut Doc, at: Fields) -> Timing {
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
    let term_time_only = doc.bool(at, "term_time_only").unwrap_or(false);
    advise(doc, "schedule_notes", schedule_notes.as_deref(), |t| {
        readability::spoken_times(t).into_iter().collect()
    });
    // Required whatever its content; reported here, not where it is read, so it is named once.
    if at.get("schedule").is_none() {
        doc.missing(
            at,
            "schedule",
            "schedule: [{ days: [mon, tue], from: \"09:30\", to: \"15:30\" }]",
        );
    }
    Timing {
        schedule,
        schedule_notes,
        term_time_only,
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
                not_a_day(doc, &path, &text);
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

fn not_a_day(doc: &mut Doc, path: &str, text: &str) {
    let keys = Day::ALL.map(Day::key);
    let help = match Day::ALL
        .iter()
        .find(|d| d.name().eq_ignore_ascii_case(text) || d.name()[..3].eq_ignore_ascii_case(text))
    {
        Some(d) => format!("write `{}`", d.key()),
        None => did_you_mean(text, keys),
    };
    doc.error(
        path,
        format!("`{text}` is not a day"),
        format!("{help}; days are mon, tue, wed, thu, fri, sat and sun"),
    );
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
