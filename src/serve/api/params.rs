//! A request's query string as the ORUK API names its parameters. A parameter the endpoint
//! does not take is ignored, as the specification allows; one it takes but cannot read is an
//! error that says what it should be.

/// Items on a page when the request does not say: as many as on a page of the static API,
/// so both answer `?page=2` alike.
const DEFAULT_PER_PAGE: usize = crate::export::oruk::PER_PAGE;
const MAX_PER_PAGE: usize = 500;

/// Which page of a list, numbered from 1.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: usize,
    pub per_page: usize,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    /// Only `page` and `per_page`: what `/taxonomies` and `/taxonomy_terms` take.
    pub fn parse(query: &str) -> Result<Paging, String> {
        let mut paging = Paging::default();
        for (key, value) in pairs(query) {
            paging.take(&key, &value)?;
        }
        Ok(paging)
    }

    /// Whether `key` was a paging parameter (and then reads it).
    fn take(&mut self, key: &str, value: &str) -> Result<bool, String> {
        match key {
            "page" => self.page = whole(key, value)?.max(1),
            "per_page" => self.per_page = whole(key, value)?.clamp(1, MAX_PER_PAGE),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The items of `all` on this page.
    pub fn slice<'a, T>(&self, all: &'a [T]) -> impl Iterator<Item = &'a T> + use<'a, T> {
        all.iter()
            .skip((self.page - 1).saturating_mul(self.per_page))
            .take(self.per_page)
    }
}

/// What `/taxonomy_terms` takes: paging, and `taxonomy_id` (of HSDS 3.0's API) for the
/// terms of one taxonomy.
#[derive(Debug, Default)]
pub struct TermQuery {
    pub paging: Paging,
    pub taxonomy_ids: Vec<String>,
}

impl TermQuery {
    pub fn parse(query: &str) -> Result<TermQuery, String> {
        let mut q = TermQuery::default();
        for (key, value) in pairs(query) {
            if !q.paging.take(&key, &value)? && key == "taxonomy_id" {
                q.taxonomy_ids.extend(list(&value));
            }
        }
        Ok(q)
    }
}

/// What `/services` and `/service_at_locations` filter by.
#[derive(Debug, Default)]
pub struct Filters {
    pub text: String,
    pub paging: Paging,
    pub term_ids: Vec<String>,
    pub taxonomy_ids: Vec<String>,
    pub minimum_age: Option<f64>,
    pub maximum_age: Option<f64>,
    pub day: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// `postcode` and `proximity` (metres), for service_at_locations.
    pub postcode: Option<String>,
    pub proximity: Option<usize>,
}

impl Filters {
    /// Whether a filter asks about days or times.
    pub fn on_schedules(&self) -> bool {
        self.day.is_some() || self.start_time.is_some() || self.end_time.is_some()
    }

    /// Whether a filter needs each service's document read.
    pub fn on_documents(&self) -> bool {
        !self.term_ids.is_empty()
            || !self.taxonomy_ids.is_empty()
            || self.minimum_age.is_some()
            || self.maximum_age.is_some()
            || self.on_schedules()
    }

    pub fn parse(query: &str) -> Result<Filters, String> {
        let mut f = Filters::default();
        for (key, value) in pairs(query) {
            if f.paging.take(&key, &value)? {
                continue;
            }
            match key.as_str() {
                "text" | "search" => f.text = value,
                "taxonomy_term_id" => f.term_ids.extend(list(&value)),
                "taxonomy_id" => f.taxonomy_ids.extend(list(&value)),
                "minimum_age" => f.minimum_age = Some(age(&key, &value)?),
                "maximum_age" => f.maximum_age = Some(age(&key, &value)?),
                "day" => {
                    f.day = Some(day_code(&value).ok_or_else(|| {
                        format!("`{value}` is not a day: use MO, TU, WE, TH, FR, SA or SU")
                    })?)
                }
                "start_time" => f.start_time = Some(clock(&key, &value)?),
                "end_time" => f.end_time = Some(clock(&key, &value)?),
                "postcode" => f.postcode = Some(value),
                "proximity" => f.proximity = Some(whole(&key, &value)?),
                _ => {}
            }
        }
        Ok(f)
    }
}

fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
}

/// `a,b` as ids; empty parts are left out.
fn list(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn whole(key: &str, value: &str) -> Result<usize, String> {
    value
        .parse()
        .map_err(|_| format!("`{key}` should be a whole number, not `{value}`"))
}

/// An age in years: a number, not negative.
fn age(key: &str, value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(format!(
            "`{key}` should be an age in years such as 18, not `{value}`"
        )),
    }
}

/// `09:30` or `09:30:00` as the API writes times: `09:30:00`.
fn clock(key: &str, value: &str) -> Result<String, String> {
    let t = crate::model::Time::parse(value.get(..5).unwrap_or(value))
        .ok_or_else(|| format!("`{key}` should be a time such as 09:30, not `{value}`"))?;
    Ok(format!("{:02}:{:02}:00", t.0 / 60, t.0 % 60))
}

/// RFC 5545 day codes; `mon`, `monday` and `MO` all mean Monday.
fn day_code(value: &str) -> Option<String> {
    let v = value.to_lowercase();
    let day = crate::model::Day::ALL
        .into_iter()
        .find(|d| d.key() == v || d.name().to_lowercase() == v || d.key()[..2] == v)?;
    Some(day.key()[..2].to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_parameter_of_the_spec_and_ignores_others() {
        let f = Filters::parse(
            "search=garden&page=2&per_page=5&taxonomy_term_id=a,b&taxonomy_id=t\
             &minimum_age=18&maximum_age=65.5&day=monday&start_time=09:30&end_time=16:00:00\
             &colour=blue",
        )
        .expect("a good query");
        assert_eq!(f.text, "garden");
        assert_eq!((f.paging.page, f.paging.per_page), (2, 5));
        assert_eq!(f.term_ids, ["a", "b"]);
        assert_eq!(f.taxonomy_ids, ["t"]);
        assert_eq!((f.minimum_age, f.maximum_age), (Some(18.0), Some(65.5)));
        assert_eq!(f.day.as_deref(), Some("MO"));
        assert_eq!(f.start_time.as_deref(), Some("09:30:00"));
        assert_eq!(f.end_time.as_deref(), Some("16:00:00"));
    }

    #[test]
    fn a_malformed_parameter_says_what_it_should_be() {
        let said = |q: &str| Filters::parse(q).expect_err("refused");
        assert!(said("minimum_age=old").contains("`minimum_age` should be an age"));
        assert!(said("maximum_age=-1").contains("`maximum_age` should be an age"));
        assert!(said("per_page=many").contains("`per_page` should be a whole number"));
        assert!(said("day=someday").contains("is not a day"));
        assert!(said("minimum_age=NaN").contains("`minimum_age` should be an age"));
        assert!(said("maximum_age=inf").contains("`maximum_age` should be an age"));
        assert!(said("page=99999999999999999999999").contains("`page` should be"));
        let paging = Paging::parse("page=x").expect_err("refused");
        assert!(paging.contains("`page` should be a whole number"));
    }

    #[test]
    fn paging_ignores_the_filters_of_other_endpoints() {
        let p = Paging::parse("day=someday&page=3").expect("day is not a taxonomies parameter");
        assert_eq!(p.page, 3);
        let all: Vec<u32> = (1..=7).collect();
        let third = Paging {
            page: 3,
            per_page: 3,
        };
        assert_eq!(third.slice(&all).copied().collect::<Vec<_>>(), [7]);
        let far = Paging {
            page: usize::MAX,
            per_page: 500,
        };
        assert_eq!(far.slice(&all).count(), 0, "a page past the end is empty");
    }
}
