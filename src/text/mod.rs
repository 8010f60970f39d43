//! Small helpers for the words people read, shared by every stage: counts, dates and web
//! addresses made from names, Markdown made safe, and plain text from it. At the bottom of the
//! layers: they know nothing of the site.

pub mod markdown;
pub mod plain;

use time::Date;

/// "1 service", "2 services".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "11 March 2024"
pub fn long_date(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// A web address's last part made from a name: "Riverside Garden!" becomes "riverside-garden".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_counts_dates_and_slugs_as_people_write_them() {
        assert_eq!(plural(1, "service"), "1 service");
        assert_eq!(plural(0, "service"), "0 services");
        let day = Date::from_calendar_date(2024, time::Month::March, 11).expect("a date");
        assert_eq!(long_date(day), "11 March 2024");
        assert_eq!(slug("Riverside Garden!"), "riverside-garden");
        assert_eq!(slug("  The  Café & Co. "), "the-caf-co");
    }
}
