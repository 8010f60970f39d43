//! The shapes of single values: dates, postcodes, e-mail and web addresses, phone numbers, slugs.

use std::sync::LazyLock;

use regex::Regex;
use time::{Date, Month};

/// Reads `YYYY-MM-DD`; the error is a short reason to append to a message ("" if none).
pub fn date(text: &str) -> Result<Date, String> {
    static SHAPE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})$").expect("a valid pattern"));
    let caps = SHAPE.captures(text).ok_or_else(String::new)?;
    let num = |i: usize| caps[i].parse::<u16>().unwrap_or(0);
    let month =
        Month::try_from(num(2) as u8).map_err(|_| format!(" (there is no month {})", num(2)))?;
    Date::from_calendar_date(i32::from(num(1)), month, num(3) as u8)
        .map_err(|_| format!(" ({text} is not a real date)"))
}

/// The same day a year later (29 February becomes 28 February).
pub fn one_year_after(d: Date) -> Date {
    let year = d.year() + 1;
    Date::from_calendar_date(year, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(year, d.month(), d.day() - 1))
        .unwrap_or(d)
}

pub use crate::model::geo::postcode;

pub fn email(text: &str) -> bool {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
            .expect("a valid pattern")
    });
    SHAPE.is_match(text)
}

/// A full http or https address with a host.
pub fn web_address(text: &str) -> bool {
    match url::Url::parse(text) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.'))
        }
        Err(_) => false,
    }
}

/// A phone number people can dial: digits with spaces, brackets, hyphens and a leading +.
pub fn phone(text: &str) -> bool {
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-".contains(c));
    let digits = text.chars().filter(char::is_ascii_digit).count();
    allowed && (10..=13).contains(&digits) && !text[1..].contains('+')
}

/// The `tel:` link of a phone number: digits only, `+` kept.
pub fn phone_href(text: &str) -> String {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Lower-case ASCII letters, digits and single hyphens, not at either end.
pub fn slug(text: &str) -> bool {
    static SHAPE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").expect("a valid pattern"));
    SHAPE.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(date("2024-03-11").is_ok());
        assert_eq!(
            date("2024-02-30").unwrap_err(),
            " (2024-02-30 is not a real date)"
        );
        assert_eq!(date("11/03/2024").unwrap_err(), "");
        let leap = date("2024-02-29").unwrap();
        assert_eq!(
            one_year_after(leap),
            date("2025-02-28").expect("a real date")
        );
    }

    #[test]
    fn contact_details() {
        assert!(email("hello@riverside.example"));
        assert!(!email("hello@riverside"));
        assert!(web_address("https://riverside.example/a"));
        assert!(!web_address("www.riverside.example"));
        assert!(!web_address("javascript:alert(1)"));
        assert!(phone("020 8496 0000") && phone("+44 20 8496 0000"));
        assert!(!phone("call us") && !phone("0208"));
        assert_eq!(phone_href("020 8496 0000"), "tel:02084960000");
    }

    #[test]
    fn slugs() {
        assert!(slug("riverside-garden-2"));
        assert!(!slug("Riverside Garden") && !slug("a--b") && !slug("-a"));
    }
}
