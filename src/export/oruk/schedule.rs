//! A listing's weekly sessions and schedule notes as the profile's schedules, in RFC 5545
//! terms (`WEEKLY`, `MO,TU`), which `import` reads back.

use crate::export::child_id;
use crate::model::{Day, Listing, Session, Time};

use super::document::Schedule;

/// RFC 5545 day codes: "MO,TU".
pub fn byday(days: &[Day]) -> String {
    let code = |d: &Day| d.key()[..2].to_uppercase();
    days.iter().map(code).collect::<Vec<_>>().join(",")
}

/// "09:30:00", as the profile's examples write times.
pub fn clock(t: Time) -> String {
    format!("{:02}:{:02}:00", t.0 / 60, t.0 % 60)
}

fn notes(l: &Listing) -> String {
    let term = l.term_time_only.then_some("Term time only.");
    let parts: Vec<&str> = term
        .into_iter()
        .chain(l.schedule_notes.as_deref())
        .collect();
    parts.join(" ")
}

pub(super) fn schedules(l: &Listing) -> Vec<Schedule> {
    let notes = notes(l);
    if l.schedule.is_empty() {
        if notes.is_empty() {
            return Vec::new();
        }
        return vec![Schedule {
            id: child_id(l.id, "schedules/0"),
            service_id: l.id,
            notes,
            byday: None,
            closes_at: None,
            description: None,
            freq: None,
            interval: None,
            opens_at: None,
        }];
    }
    let one = |(i, s): (usize, &Session)| {
        let days = crate::model::schedule::days_text(&s.days);
        Schedule {
            id: child_id(l.id, &format!("schedules/{i}")),
            service_id: l.id,
            freq: Some("WEEKLY"),
            interval: Some(1),
            byday: Some(byday(&s.days)),
            opens_at: Some(clock(s.from)),
            closes_at: Some(clock(s.to)),
            description: Some(format!("{days}, {}", s.text())),
            notes: notes.clone(),
        }
    };
    l.schedule.iter().enumerate().map(one).collect()
}
