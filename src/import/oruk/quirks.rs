//! What real feeds hold that the ORUK 3.0 examples do not, put into 3.0's shape before the
//! mapping reads a record: v1 field names, `-1` for "no age limit", date-times with no time
//! zone, and fields of the platform that publishes the feed. Each change is said in a note.

use serde_json::{Map, Value};

use crate::model::Day;

/// Fields a publishing platform adds for itself, by prefix (`pc_metadata`,
/// `pc_targetAudience`): not ORUK, and not the council's words about the service.
const PLATFORM_PREFIXES: [&str; 1] = ["pc_"];

/// v1 names of lists whose items 3.0 shapes the same way.
const RENAMED: [(&str, &str); 2] = [("fundings", "funding"), ("service_taxonomys", "attributes")];

/// The record in 3.0's shape, with a note for each change.
pub fn normalise(service: &Value) -> (Value, Vec<String>) {
    let mut s = service.clone();
    let mut notes = Vec::new();
    let mut platform = Vec::new();
    drop_platform_fields("", &mut s, &mut platform);
    if !platform.is_empty() {
        notes.push(format!(
            "left out the publishing platform's own fields, which are not ORUK: {}",
            platform.join(", ")
        ));
    }
    if let Value::Object(o) = &mut s {
        v1_names(o, &mut notes);
        no_age_limit(o, &mut notes);
        zoneless_dates(o, &mut notes);
    }
    (s, notes)
}

fn drop_platform_fields(path: &str, v: &mut Value, found: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            o.retain(|k, _| {
                let platform = PLATFORM_PREFIXES.iter().any(|p| k.starts_with(p));
                if platform {
                    found.push(join(path, k));
                }
                !platform
            });
            for (k, x) in o.iter_mut() {
                drop_platform_fields(&join(path, k), x, found);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                drop_platform_fields(&format!("{path}[{i}]"), x, found);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn v1_names(o: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let mut renamed = Vec::new();
    for (old, new) in RENAMED {
        if !o.contains_key(new)
            && let Some(v) = o.remove(old)
        {
            o.insert(new.into(), v);
            renamed.push(format!("`{old}` as `{new}`"));
        }
    }
    if let Some(Value::Array(list)) = o.get_mut("attributes") {
        for a in list.iter_mut().filter_map(Value::as_object_mut) {
            // v1: `{taxonomy: {name, vocabulary}}`; 3.0: `{taxonomy_term: {name, taxonomy}}`.
            if let Some(Value::Object(mut term)) = a.remove("taxonomy") {
                if let Some(vocabulary) = term.remove("vocabulary") {
                    term.insert("taxonomy".into(), vocabulary);
                }
                a.insert("taxonomy_term".into(), Value::Object(term));
            }
        }
    }
    if let Some(Value::Array(list)) = o.get_mut("languages") {
        for l in list.iter_mut().filter_map(Value::as_object_mut) {
            if !l.contains_key("name")
                && let Some(name) = l.remove("language")
            {
                l.insert("name".into(), name);
            }
        }
    }
    if let Some(Value::Array(list)) = o.get_mut("service_at_locations") {
        for sal in list {
            let Some(loc) = sal.get_mut("location").and_then(Value::as_object_mut) else {
                continue;
            };
            if !loc.contains_key("addresses")
                && let Some(a) = loc.remove("physical_addresses")
            {
                loc.insert("addresses".into(), a);
                if !renamed.iter().any(|r| r.starts_with("`physical")) {
                    renamed.push("`physical_addresses` as `addresses`".into());
                }
            }
        }
    }
    if let Some(schedules) = o.remove("regular_schedules") {
        let weekly = weekly_schedules(&schedules);
        let list = o.entry("schedules").or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(list) = list {
            list.extend(weekly);
        }
        renamed.push("`regular_schedules` as weekly `schedules`".into());
    }
    if !renamed.is_empty() {
        notes.push(format!("read the ORUK v1 fields {}", renamed.join(", ")));
    }
}

/// v1's one entry a day (`weekday`, `opens_at`, `closes_at`) as 3.0's weekly schedules;
/// days with the same times and the same other fields become one schedule.
fn weekly_schedules(v1: &Value) -> Vec<Value> {
    let mut out: Vec<(Map<String, Value>, Vec<Day>)> = Vec::new();
    for entry in v1.as_array().into_iter().flatten() {
        let Some(o) = entry.as_object() else {
            continue;
        };
        let mut rest = o.clone();
        let day = rest.remove("weekday").and_then(|d| weekday(&d));
        for link in ["id", "service_id", "service_at_location_id"] {
            rest.remove(link);
        }
        let Some(day) = day else {
            // Left as it was, so the mapping reports it.
            out.push((o.clone(), Vec::new()));
            continue;
        };
        match out
            .iter_mut()
            .find(|(r, days)| *r == rest && !days.is_empty())
        {
            Some((_, days)) => days.push(day),
            None => out.push((rest, vec![day])),
        }
    }
    out.into_iter()
        .map(|(mut rest, mut days)| {
            if !days.is_empty() {
                days.sort();
                days.dedup();
                let codes: Vec<String> = days.iter().map(|d| d.key()[..2].to_uppercase()).collect();
                rest.insert("freq".into(), "WEEKLY".into());
                rest.insert("byday".into(), codes.join(",").into());
            }
            Value::Object(rest)
        })
        .collect()
}

/// A v1 weekday: a name ("Monday", "mon", "MO") or a number, 1 for Monday to 7 (or 0) for
/// Sunday.
fn weekday(v: &Value) -> Option<Day> {
    if let Some(n) = v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()) {
        let index = match n {
            0 | 7 => 6,
            1..=6 => n as usize - 1,
            _ => return None,
        };
        return Day::ALL.get(index).copied();
    }
    let name = v.as_str()?.trim().to_lowercase();
    if name.len() < 2 {
        return None;
    }
    Day::ALL
        .iter()
        .find(|d| d.name().to_lowercase().starts_with(&name))
        .copied()
}

/// `-1` (and any age below 0) is how some feeds say "no limit": the field is left out.
fn no_age_limit(o: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let mut cleared = Vec::new();
    let mut clear = |path: String, m: &mut Map<String, Value>| {
        for key in ["minimum_age", "maximum_age"] {
            if m.get(key).and_then(Value::as_f64).is_some_and(|a| a < 0.0) {
                m.remove(key);
                cleared.push(join(&path, key));
            }
        }
    };
    clear(String::new(), o);
    if let Some(Value::Array(list)) = o.get_mut("eligibilitys") {
        for (i, e) in list.iter_mut().enumerate() {
            if let Some(m) = e.as_object_mut() {
                clear(format!("eligibilitys[{i}]"), m);
            }
        }
    }
    if !cleared.is_empty() {
        notes.push(format!(
            "read {} of -1 as no age limit",
            cleared.join(" and ")
        ));
    }
}

/// A date-time with no time zone cannot say which instant it is; only its day is used,
/// which the zone could not change by more than one.
fn zoneless_dates(o: &Map<String, Value>, notes: &mut Vec<String>) {
    for key in ["assured_date", "last_modified"] {
        let Some(t) = o.get(key).and_then(Value::as_str) else {
            continue;
        };
        let time = t.split_once('T').map(|(_, time)| time);
        if time.is_some_and(|t| !t.ends_with(['Z', 'z']) && !t.contains(['+', '-'])) {
            notes.push(format!(
                "`{key}: {t}` has no time zone: only its day is used"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_schedules_become_weekly_ones() {
        let (s, notes) = normalise(&json!({
            "name": "Club",
            "regular_schedules": [
                {"id": "1", "weekday": "Monday", "opens_at": "10:00", "closes_at": "15:00"},
                {"id": "2", "weekday": 3, "opens_at": "10:00", "closes_at": "15:00"},
                {"id": "3", "weekday": "fri", "opens_at": "09:00", "closes_at": "12:00"},
                {"id": "4", "weekday": "Someday", "opens_at": "09:00", "closes_at": "12:00"}
            ]
        }));
        assert_eq!(
            s["schedules"],
            json!([
                {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "10:00", "closes_at": "15:00"},
                {"freq": "WEEKLY", "byday": "FR", "opens_at": "09:00", "closes_at": "12:00"},
                {"id": "4", "weekday": "Someday", "opens_at": "09:00", "closes_at": "12:00"}
            ])
        );
        assert!(notes[0].contains("regular_schedules"), "{notes:?}");
    }

    #[test]
    fn quirks_are_put_right_and_said() {
        let (s, notes) = normalise(&json!({
            "minimum_age": -1,
            "maximum_age": 65,
            "pc_metadata": {"a": 1},
            "contacts": [{"pc_targetAudience": "x", "name": "Ann"}],
            "last_modified": "2024-03-01T10:00:00",
            "languages": [{"language": "Welsh"}]
        }));
        assert_eq!(
            s,
            json!({"maximum_age": 65, "contacts": [{"name": "Ann"}],
                   "last_modified": "2024-03-01T10:00:00", "languages": [{"name": "Welsh"}]})
        );
        let all = notes.join("\n");
        for said in [
            "pc_metadata",
            "contacts[0].pc_targetAudience",
            "minimum_age of -1",
            "no time zone",
        ] {
            assert!(all.contains(said), "{said} in {all}");
        }
    }
}
