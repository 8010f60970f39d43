//! The market at a glance: figures about the directory for commissioners and providers, the
//! kind councils publish in market position statements. [`Report::new`] computes them from
//! the validated site; [`tables`] lays them out once for every output (the /market/ page,
//! its CSV files, and `dayopps report` as Markdown, CSV, HTML or JSON), so they always agree.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod svg;
pub mod tables;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::model::schedule::EVENING_ENDS_AFTER;
use crate::model::{CostPer, Date, Listing, Site, Vocabulary, When};
use crate::text::plural;

/// Entries shown in the freshness table even when they are not yet past their review date.
pub const OLDEST_SHOWN: usize = 5;

/// Every figure of the report. Lists follow the vocabularies' order in site.yaml.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub council: String,
    /// For the HTML report's `lang` and links; not figures, so not in the JSON.
    #[serde(skip)]
    pub language: String,
    #[serde(skip)]
    pub base_url: String,
    /// The day the figures are for: staleness is judged against it.
    #[serde(serialize_with = "iso")]
    pub date: Date,
    pub overview: Overview,
    pub vacancies: Vec<Count>,
    pub priorities: Vec<PriorityCount>,
    pub needs_by_service_type: Matrix,
    pub needs_by_when: Matrix,
    /// Services with no regular sessions (times arranged with each person).
    pub no_fixed_times: usize,
    pub areas: Vec<AreaRow>,
    pub funding: Vec<Count>,
    /// Every location of every service; a place two services use counts twice.
    pub locations: usize,
    pub accessibility: Vec<AccessRow>,
    pub costs: Vec<CostRow>,
    pub freshness: Freshness,
}

/// A count in total and split by where the service is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    pub total: usize,
    pub in_borough: usize,
    pub outside: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub services: Split,
    /// A provider with any service in the borough counts in it; `outside` has the rest.
    pub providers: Split,
    pub accredited: Split,
    /// Services past their review date.
    pub stale: Split,
}

/// How many services have one value, such as a funding route.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub services: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub key: String,
    pub label: String,
}

/// Needs down the side, something across the top; `counts` follow `columns`.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub columns: Vec<Heading>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub key: String,
    pub label: String,
    /// Services with this need, whatever the column.
    pub services: usize,
    pub counts: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRow {
    pub key: String,
    pub label: String,
    pub in_borough: bool,
    pub services: usize,
    /// Keys of the needs the area's services support, in vocabulary order.
    pub needs_covered: Vec<String>,
    pub needs_not_covered: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessRow {
    pub key: String,
    pub label: String,
    /// Locations that list the feature.
    pub locations: usize,
    /// Services with the feature themselves or at any of their locations.
    pub services: usize,
}

/// Prices in pence for one way of charging.
#[derive(Debug, Clone, Serialize)]
pub struct CostRow {
    pub per: &'static str,
    /// Services listing at least one such price.
    pub services: usize,
    pub prices: usize,
    pub lowest_pence: Option<u64>,
    /// With an even number of prices, halfway between the middle two, rounded up.
    pub median_pence: Option<u64>,
    pub highest_pence: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Freshness {
    pub stale: usize,
    #[serde(serialize_with = "iso_opt")]
    pub oldest_updated: Option<Date>,
    /// Every stale entry and the [`OLDEST_SHOWN`] oldest, oldest first.
    pub listings: Vec<FreshListing>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreshListing {
    pub slug: String,
    pub title: String,
    pub provider: String,
    #[serde(serialize_with = "iso")]
    pub updated: Date,
    #[serde(serialize_with = "iso")]
    pub review_by: Date,
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityCount {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Which services count, in words: "Type of service: Travel training".
    pub criteria: String,
    pub services: usize,
    pub slugs: Vec<String>,
}

fn iso<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

fn iso_opt<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// The ways `dayopps report` can print the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A self-contained web page with charts
    Html,
    /// Markdown tables
    Md,
    /// Every table as CSV, each after a line with its file name and title
    Csv,
    /// Every figure, for other programs
    Json,
}

/// The report written in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Html => html::report(report),
        Format::Md => markdown::report(report),
        Format::Csv => csv::all(&tables::tables(report)),
        Format::Json => {
            // Plain data with string keys: serialising it cannot fail.
            let json = serde_json::to_string_pretty(report).unwrap_or_default();
            json + "\n"
        }
    }
}

impl Report {
    pub fn new(site: &Site) -> Report {
        let v = &site.config.vocabularies;
        // Each table is a pass over every listing: the passes in two halves side by side, as
        // a rebuild in `serve` makes the report while the other thread has nothing to do
        // (30 ms at 10,000 listings, one after another).
        let ((overview, vacancies, priorities), (needs_by_service_type, needs_by_when)) =
            rayon::join(
                || (overview(site), vacancies(&site.listings), priorities(site)),
                || {
                    let types = matrix(site, headings(&v.service_types), |l| {
                        l.service_types.iter().map(String::as_str).collect()
                    });
                    (types, matrix(site, time_headings(), times))
                },
            );
        let ((areas, funding), (accessibility, costs, freshness)) = rayon::join(
            || {
                let funding = counts(&v.funding, &site.listings, |l| l.funding.clone());
                (areas(site), funding)
            },
            || (accessibility(site), costs(&site.listings), freshness(site)),
        );
        Report {
            title: "The market at a glance".into(),
            council: site.config.council.clone(),
            language: site.config.language.clone(),
            base_url: site.config.base_url.clone(),
            date: site.today,
            overview,
            vacancies,
            priorities,
            needs_by_service_type,
            needs_by_when,
            no_fixed_times: site
                .listings
                .iter()
                .filter(|l| l.schedule.is_empty())
                .count(),
            areas,
            funding,
            locations: site.listings.iter().map(|l| l.locations.len()).sum(),
            accessibility,
            costs,
            freshness,
        }
    }
}

fn in_borough(site: &Site, listing: &Listing) -> bool {
    let areas = &site.config.vocabularies.areas;
    areas
        .get(&listing.area)
        .and_then(|t| t.in_borough)
        .unwrap_or(false)
}

/// Services matching `keep`, split by where they are.
fn split(site: &Site, keep: impl Fn(&Listing) -> bool) -> Split {
    let mut s = Split::default();
    for l in site.listings.iter().filter(|l| keep(l)) {
        s.total += 1;
        if in_borough(site, l) {
            s.in_borough += 1;
        } else {
            s.outside += 1;
        }
    }
    s
}

fn overview(site: &Site) -> Overview {
    Overview {
        services: split(site, |_| true),
        providers: providers(site),
        accredited: split(site, |l| l.accredited),
        stale: split(site, |l| l.is_stale(site.today)),
    }
}

/// Councils count providers "inside the borough" and "outside" so the two add up to the
/// total; a provider with services on both sides is counted inside.
fn providers(site: &Site) -> Split {
    let all: BTreeSet<&str> = site.listings.iter().map(|l| l.provider.as_str()).collect();
    let inside: BTreeSet<&str> = site
        .listings
        .iter()
        .filter(|l| in_borough(site, l))
        .map(|l| l.provider.as_str())
        .collect();
    Split {
        total: all.len(),
        in_borough: inside.len(),
        outside: all.len() - inside.len(),
    }
}

fn vacancies(listings: &[Arc<Listing>]) -> Vec<Count> {
    let mut out: Vec<Count> = crate::model::VACANCIES
        .iter()
        .map(|c| Count {
            key: c.key.into(),
            label: c.label.into(),
            services: listings
                .iter()
                .filter(|l| l.vacancies.is_some_and(|v| v.key == c.key))
                .count(),
        })
        .collect();
    out.push(Count {
        key: "not-stated".into(),
        label: "Not stated".into(),
        services: listings.iter().filter(|l| l.vacancies.is_none()).count(),
    });
    out
}

/// How many listings have each term of `vocab`, by the keys `keys_of` reads from a listing.
fn counts(
    vocab: &Vocabulary,
    listings: &[Arc<Listing>],
    keys_of: impl Fn(&Listing) -> Vec<String>,
) -> Vec<Count> {
    let keys: Vec<Vec<String>> = listings.iter().map(|l| keys_of(l)).collect();
    vocab
        .terms
        .iter()
        .map(|t| Count {
            key: t.key.clone(),
            label: t.label.clone(),
            services: keys.iter().filter(|k| k.contains(&t.key)).count(),
        })
        .collect()
}

fn headings(vocab: &Vocabulary) -> Vec<Heading> {
    vocab
        .terms
        .iter()
        .map(|t| Heading {
            key: t.key.clone(),
            label: t.label.clone(),
        })
        .collect()
}

/// The weekday daytime column comes first: it is what most services offer, and the other
/// three are the gaps councils ask about.
pub const WEEKDAY_DAYTIME: &str = "weekday-daytime";

fn time_headings() -> Vec<Heading> {
    let daytime = Heading {
        key: WEEKDAY_DAYTIME.into(),
        label: "Weekday daytime".into(),
    };
    let derived = When::ALL.iter().map(|w| Heading {
        key: w.key().into(),
        label: w.label().into(),
    });
    std::iter::once(daytime).chain(derived).collect()
}

/// The time columns a listing falls in. Weekday daytime is a Monday to Friday session that
/// starts before 5:30pm, the same line that makes a session an evening one when it ends after.
fn times(listing: &Listing) -> Vec<&str> {
    let daytime = listing
        .schedule
        .iter()
        .any(|s| s.from < EVENING_ENDS_AFTER && s.days.iter().any(|d| !d.is_weekend()));
    let derived = listing.when().into_iter().map(When::key);
    daytime
        .then_some(WEEKDAY_DAYTIME)
        .into_iter()
        .chain(derived)
        .collect()
}

/// Services by need (rows) and by `columns`, the keys `keys_of` gives each listing: worked
/// out once per listing, not once per cell.
fn matrix<'a>(
    site: &'a Site,
    columns: Vec<Heading>,
    keys_of: impl Fn(&'a Listing) -> Vec<&'a str>,
) -> Matrix {
    let keys: Vec<Vec<&str>> = site.listings.iter().map(|l| keys_of(l)).collect();
    let rows = site
        .config
        .vocabularies
        .needs
        .terms
        .iter()
        .map(|need| {
            let with: Vec<&Vec<&str>> = site
                .listings
                .iter()
                .zip(&keys)
                .filter(|(l, _)| l.needs.contains(&need.key))
                .map(|(_, keys)| keys)
                .collect();
            MatrixRow {
                key: need.key.clone(),
                label: need.label.clone(),
                services: with.len(),
                counts: columns
                    .iter()
                    .map(|c| with.iter().filter(|k| k.contains(&c.key.as_str())).count())
                    .collect(),
            }
        })
        .collect();
    Matrix { columns, rows }
}

fn areas(site: &Site) -> Vec<AreaRow> {
    let v = &site.config.vocabularies;
    v.areas
        .terms
        .iter()
        .map(|area| {
            let here: Vec<&Listing> = site
                .listings
                .iter()
                .filter(|l| l.area == area.key)
                .map(Arc::as_ref)
                .collect();
            let (covered, missing): (Vec<String>, Vec<String>) = v
                .needs
                .keys()
                .map(str::to_string)
                .partition(|n| here.iter().any(|l| l.needs.contains(n)));
            AreaRow {
                key: area.key.clone(),
                label: area.label.clone(),
                in_borough: area.in_borough.unwrap_or(false),
                services: here.len(),
                needs_covered: covered,
                needs_not_covered: missing,
            }
        })
        .collect()
}

fn accessibility(site: &Site) -> Vec<AccessRow> {
    let locations: Vec<_> = site.listings.iter().flat_map(|l| &l.locations).collect();
    let services: Vec<Vec<&str>> = site
        .listings
        .iter()
        .map(|l| l.all_accessibility())
        .collect();
    site.config
        .vocabularies
        .accessibility
        .terms
        .iter()
        .map(|t| AccessRow {
            key: t.key.clone(),
            label: t.label.clone(),
            locations: locations
                .iter()
                .filter(|loc| loc.accessibility.contains(&t.key))
                .count(),
            services: services
                .iter()
                .filter(|all| all.contains(&t.key.as_str()))
                .count(),
        })
        .collect()
}

/// The order people compare prices in: a session, a day, then by the hour or week.
pub const COST_ORDER: [CostPer; 4] = [CostPer::Session, CostPer::Day, CostPer::Hour, CostPer::Week];

fn costs(listings: &[Arc<Listing>]) -> Vec<CostRow> {
    COST_ORDER
        .iter()
        .map(|&per| {
            let mut pence: Vec<u64> = listings
                .iter()
                .flat_map(|l| &l.costs)
                .filter(|c| c.per == per)
                .map(|c| c.pence)
                .collect();
            pence.sort_unstable();
            CostRow {
                per: per.key(),
                services: listings
                    .iter()
                    .filter(|l| l.costs.iter().any(|c| c.per == per))
                    .count(),
                prices: pence.len(),
                lowest_pence: pence.first().copied(),
                median_pence: median(&pence),
                highest_pence: pence.last().copied(),
            }
        })
        .collect()
}

/// The middle of sorted prices; halfway pennies round up so the result is a real amount.
pub fn median(sorted: &[u64]) -> Option<u64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]).div_ceil(2)),
    }
}

fn freshness(site: &Site) -> Freshness {
    // Listings are in title order already (validate): a stable sort keeps it among listings
    // checked on the same day, without making two sort keys for every comparison.
    let mut by_age: Vec<&Listing> = site.listings.iter().map(Arc::as_ref).collect();
    by_age.sort_by_key(|l| l.updated);
    let listings = by_age
        .iter()
        .enumerate()
        .filter(|(i, l)| *i < OLDEST_SHOWN || l.is_stale(site.today))
        .map(|(_, l)| FreshListing {
            slug: l.slug.clone(),
            title: l.title.clone(),
            provider: l.provider.clone(),
            updated: l.updated,
            review_by: l.review_by,
            stale: l.is_stale(site.today),
        })
        .collect();
    Freshness {
        stale: site
            .listings
            .iter()
            .filter(|l| l.is_stale(site.today))
            .count(),
        oldest_updated: by_age.first().map(|l| l.updated),
        listings,
    }
}

fn priorities(site: &Site) -> Vec<PriorityCount> {
    let v = &site.config.vocabularies;
    site.config
        .priorities
        .iter()
        .map(|p| {
            let slugs: Vec<String> = site
                .listings
                .iter()
                .filter(|l| p.matches(l, &v.areas))
                .map(|l| l.slug.clone())
                .collect();
            PriorityCount {
                label: p.label.clone(),
                description: p.description.clone(),
                criteria: criteria(site, p),
                services: slugs.len(),
                slugs,
            }
        })
        .collect()
}

/// A priority's criteria in words, so readers can see what was counted.
fn criteria(site: &Site, p: &crate::model::Priority) -> String {
    let v = &site.config.vocabularies;
    let labels = |vocab: &Vocabulary, keys: &[String]| -> Vec<String> {
        keys.iter()
            .map(|k| vocab.get(k).map_or_else(|| k.clone(), |t| t.label.clone()))
            .collect()
    };
    let when: Vec<String> = p.when.iter().map(|w| w.label().to_string()).collect();
    let parts = [
        ("Need", labels(&v.needs, &p.needs)),
        (
            "Type of service",
            labels(&v.service_types, &p.service_types),
        ),
        ("Activity", labels(&v.activities, &p.activities)),
        ("Area", labels(&v.areas, &p.areas)),
        ("When", when),
    ];
    let mut out: Vec<String> = parts
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| format!("{name}: {}", values.join(" or ")))
        .collect();
    match p.in_borough {
        Some(true) => out.push("In the borough".into()),
        Some(false) => out.push("Outside the borough".into()),
        None => {}
    }
    out.join("; ")
}

/// One or two sentences that sum the report up, for the top of every format.
pub fn summary(r: &Report) -> String {
    let o = &r.overview;
    let mut text = format!(
        "{} from {}: {} in the borough and {} outside it.",
        plural(o.services.total, "service"),
        plural(o.providers.total, "provider"),
        o.services.in_borough,
        o.services.outside
    );
    if o.stale.total > 0 {
        text.push_str(&format!(
            " {} past {} review date.",
            match o.stale.total {
                1 => "1 entry is".to_string(),
                n => format!("{n} entries are"),
            },
            if o.stale.total == 1 { "its" } else { "their" }
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_takes_the_middle_or_rounds_halfway_up() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[300]), Some(300));
        assert_eq!(median(&[100, 200, 900]), Some(200));
        assert_eq!(median(&[100, 201]), Some(151));
        assert_eq!(median(&[100, 200]), Some(150));
    }
}
