//! When a service runs, and the facets read from it: evenings, weekends, seven days.

/// A day of the week, written `mon` … `sun` in listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// The key used in listing files.
    pub fn key(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }

    /// The full name, also used in URLs (lower-cased): `/days/saturday/`.
    pub fn name(self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self as usize]
    }

    pub fn from_key(key: &str) -> Option<Day> {
        Day::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn is_weekend(self) -> bool {
        matches!(self, Day::Sat | Day::Sun)
    }
}

/// A time of day in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub u16);

/// Sessions ending after this count as evening sessions (17:30).
pub const EVENING_ENDS_AFTER: Time = Time(17 * 60 + 30);

impl Time {
    /// Reads a 24-hour `HH:MM` time.
    pub fn parse(text: &str) -> Option<Time> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        (h < 24 && m < 60).then_some(Time(h * 60 + m))
    }

    /// The way GOV.UK writes times: "9:30am", "5pm", "midday".
    pub fn spoken(self) -> String {
        let (h, m) = (self.0 / 60, self.0 % 60);
        if h == 12 && m == 0 {
            return "midday".to_string();
        }
        if h == 0 && m == 0 {
            return "midnight".to_string();
        }
        let suffix = if h < 12 { "am" } else { "pm" };
        let h12 = match h % 12 {
            0 => 12,
            x => x,
        };
        if m == 0 {
            format!("{h12}{suffix}")
        } else {
            format!("{h12}:{m:02}{suffix}")
        }
    }
}

/// One regular session: these days, from this time to that.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub days: Vec<Day>,
    pub from: Time,
    pub to: Time,
}

impl Session {
    pub fn is_evening(&self) -> bool {
        self.to > EVENING_ENDS_AFTER
    }

    pub fn text(&self) -> String {
        let (from, to) = (self.from.spoken(), self.to.spoken());
        [from.as_str(), " to ", to.as_str()].concat()
    }
}

/// The schedule-derived facet values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    Evenings,
    Weekends,
    SevenDays,
}

impl When {
    pub const ALL: [When; 3] = [When::Evenings, When::Weekends, When::SevenDays];

    pub fn key(self) -> &'static str {
        match self {
            When::Evenings => "evenings",
            When::Weekends => "weekends",
            When::SevenDays => "seven-days",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            When::Evenings => "Evenings",
            When::Weekends => "Weekends",
            When::SevenDays => "Seven days a week",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            When::Evenings => "Services with sessions that finish after 5:30pm.",
            When::Weekends => "Services open on Saturday or Sunday.",
            When::SevenDays => "Services open every day of the week.",
        }
    }
}

/// The days a schedule covers, in week order without repeats.
pub fn open_days(schedule: &[Session]) -> Vec<Day> {
    // The days as a set of bits: no copy of each session's days and no sort, for a question
    // asked of every listing by every facet page, the report and the search index.
    let open = schedule
        .iter()
        .flat_map(|s| &s.days)
        .fold(0u8, |set, &d| set | 1 << d as u8);
    Day::ALL
        .into_iter()
        .filter(|&d| open & 1 << d as u8 != 0)
        .collect()
}

/// Which of evenings, weekends and seven days a schedule offers.
pub fn when(schedule: &[Session]) -> Vec<When> {
    let days = open_days(schedule);
    let mut out = Vec::new();
    if schedule.iter().any(Session::is_evening) {
        out.push(When::Evenings);
    }
    if days.iter().any(|d| d.is_weekend()) {
        out.push(When::Weekends);
    }
    if days.len() == 7 {
        out.push(When::SevenDays);
    }
    out
}

/// Days as people say them: runs of three or more become "Monday to Friday".
pub fn days_text(days: &[Day]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] as usize == days[j] as usize + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{} to {}", days[i].name(), days[j].name()));
        } else {
            parts.extend(days[i..=j].iter().map(|d| d.name().to_string()));
        }
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_days_are_each_day_once_in_week_order() {
        let session = |days: &[Day]| Session {
            days: days.to_vec(),
            from: Time(600),
            to: Time(900),
        };
        let schedule = [
            session(&[Day::Sat, Day::Mon]),
            session(&[Day::Mon, Day::Wed, Day::Sun]),
        ];
        assert_eq!(
            open_days(&schedule),
            [Day::Mon, Day::Wed, Day::Sat, Day::Sun]
        );
        assert_eq!(open_days(&[]), []);
        let keys: Vec<&str> = Day::ALL
            .into_iter()
            .map(crate::model::facets::day_key)
            .collect();
        let names: Vec<String> = Day::ALL.iter().map(|d| d.name().to_lowercase()).collect();
        assert_eq!(keys, names, "a day's key in URLs is its name in lower case");
    }

    #[test]
    fn times_read_and_speak() {
        assert_eq!(
            Time::parse("09:30").map(Time::spoken).as_deref(),
            Some("9:30am")
        );
        assert_eq!(
            Time::parse("17:00").map(Time::spoken).as_deref(),
            Some("5pm")
        );
        assert_eq!(
            Time::parse("12:00").map(Time::spoken).as_deref(),
            Some("midday")
        );
        assert_eq!(Time::parse("24:00"), None);
        assert_eq!(Time::parse("9:30"), None);
    }

    #[test]
    fn derived_facets_follow_the_rules() {
        let s = |days: &[Day], from: &str, to: &str| Session {
            days: days.to_vec(),
            from: Time::parse(from).unwrap(),
            to: Time::parse(to).unwrap(),
        };
        assert!(when(&[s(&[Day::Mon], "09:00", "17:30")]).is_empty());
        assert_eq!(
            when(&[s(&[Day::Mon], "18:00", "17:31")]),
            vec![When::Evenings]
        );
        let all = when(&[
            s(&Day::ALL[..5], "09:00", "15:00"),
            s(&[Day::Sat, Day::Sun], "10:00", "14:00"),
        ]);
        assert_eq!(all, vec![When::Weekends, When::SevenDays]);
    }

    #[test]
    fn day_runs_read_naturally() {
        assert_eq!(days_text(&Day::ALL[..5]), "Monday to Friday");
        assert_eq!(
            days_text(&[Day::Mon, Day::Tue, Day::Sat]),
            "Monday, Tuesday, Saturday"
        );
        assert_eq!(
            days_text(&[Day::Mon, Day::Tue, Day::Wed, Day::Sun]),
            "Monday to Wednesday, Sunday"
        );
    }
}
