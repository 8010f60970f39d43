//! A record's schedules as weekly sessions and schedule notes. Only weekly times the listing
//! format can hold become sessions; any other text about when the service runs becomes a note.

use serde_json::Value;

use crate::model::{Day, Time};

use super::Mapper;
use super::feed::{items, text};

impl Mapper<'_> {
    pub(super) fn schedules(&mut self, s: &Value) {
        let mut sessions = Vec::new();
        for (i, sch) in items(s, "schedules") {
            let at = format!("schedules[{i}]");
            if let Some(session) = weekly(sch) {
                for key in ["freq", "byday", "opens_at", "closes_at"] {
                    self.use_path(format!("{at}.{key}"));
                }
                if sch.get("interval").and_then(Value::as_f64) == Some(1.0) {
                    self.use_path(format!("{at}.interval"));
                }
                let generated = session_description(&session);
                if text(sch, "description") == Some(generated.as_str()) {
                    self.use_path(format!("{at}.description"));
                }
                sessions.push(session);
            }
            for key in ["description", "notes"] {
                if let Some(t) = text(sch, key).filter(|_| !self.is_used(&format!("{at}.{key}"))) {
                    self.note(t);
                    self.use_path(format!("{at}.{key}"));
                }
            }
        }
        let list: Vec<serde_yaml::Value> = sessions.iter().map(session_yaml).collect();
        self.draft
            .set("schedule", serde_yaml::Value::Sequence(list));
    }

    /// Schedule notes, once each; "Term time only." (as dayopps exports it) sets the flag.
    fn note(&mut self, t: &str) {
        let t = match t.strip_prefix("Term time only.") {
            Some(rest) => {
                self.draft.set("term_time_only", true);
                rest.trim()
            }
            None => t,
        };
        if !t.is_empty() && !self.notes.iter().any(|n| n == t) {
            self.notes.push(t.to_string());
        }
    }
}

/// A weekly session from a schedule, when it has days and times the format can hold.
fn weekly(sch: &Value) -> Option<crate::model::Session> {
    if text(sch, "freq").is_some_and(|f| !f.eq_ignore_ascii_case("WEEKLY")) {
        return None;
    }
    if sch
        .get("interval")
        .and_then(Value::as_f64)
        .is_some_and(|i| i != 1.0)
    {
        return None;
    }
    let mut days = Vec::new();
    for code in text(sch, "byday")?.split(',') {
        let code = code.trim().to_lowercase();
        days.push(
            *Day::ALL
                .iter()
                .find(|d| d.key().starts_with(&code) && code.len() == 2)?,
        );
    }
    days.sort();
    days.dedup();
    let time = |key| Time::parse(text(sch, key)?.get(..5)?);
    let (from, to) = (time("opens_at")?, time("closes_at")?);
    (from < to && !days.is_empty()).then_some(crate::model::Session { days, from, to })
}

/// What dayopps writes as a schedule's description, so its own exports are not repeated.
fn session_description(s: &crate::model::Session) -> String {
    format!(
        "{}, {}",
        crate::model::schedule::days_text(&s.days),
        s.text()
    )
}

fn session_yaml(s: &crate::model::Session) -> serde_yaml::Value {
    let hhmm = |t: Time| format!("{:02}:{:02}", t.0 / 60, t.0 % 60);
    let days: Vec<&str> = s.days.iter().map(|d| d.key()).collect();
    let mut m = serde_yaml::Mapping::new();
    m.insert("days".into(), days.into());
    m.insert("from".into(), hhmm(s.from).into());
    m.insert("to".into(), hhmm(s.to).into());
    serde_yaml::Value::Mapping(m)
}
