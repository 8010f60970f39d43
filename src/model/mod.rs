//! The validated site: what the render stage works from. Nothing here can be invalid.

pub mod facets;
pub mod fields;
pub mod geo;
pub mod priority;
pub mod schedule;
pub mod urls;
pub mod vocab;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::SourceFile;

pub use priority::Priority;
pub use schedule::{Day, Session, Time, When};
pub use time::Date;
pub use vocab::{Term, Vocabularies, Vocabulary};

/// Settings from site.yaml.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub council: String,
    /// Absolute, ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub contact: Contact,
    /// Markdown for the home page, already rendered safe.
    pub intro_html: String,
    pub vocabularies: Vocabularies,
    /// Groups of words that mean the same in search.
    pub search_synonyms: Vec<Vec<String>>,
    /// Whether the site has the /market/ page (site.yaml `market`, default true).
    pub market: bool,
    /// What the council wants more of, shown on /market/ with how many services offer it.
    pub priorities: Vec<Priority>,
    /// Limits for the plain-English checks (site.yaml `checks`).
    pub checks: CheckLimits,
    /// Where people report a problem with an entry (site.yaml `report`).
    pub report: ReportTo,
}

/// Where "Report a problem with this entry" leads (site.yaml `report`). Both may be set: the
/// e-mail address is for the public, the repository also gives providers an edit link.
/// With neither, pages fall back to the site's `contact.email`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportTo {
    pub email: Option<String>,
    pub repository: Option<Repository>,
}

/// A council's GitHub repository that holds the site's files.
#[derive(Debug, Clone, PartialEq)]
pub struct Repository {
    /// `https://github.com/OWNER/REPO`, without a trailing slash.
    pub url: String,
    /// The branch edits are made against (default `main`).
    pub branch: String,
}

/// Limits for the plain-English warnings; the defaults follow GOV.UK content design.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckLimits {
    /// Warn when Flesch reading ease is below this (0 turns the check off).
    pub reading_ease: f64,
    /// Warn about sentences longer than this.
    pub sentence_words: usize,
    /// The same for Easy Read text, which needs shorter sentences still.
    pub easy_read_sentence_words: usize,
}

impl Default for CheckLimits {
    fn default() -> Self {
        CheckLimits {
            reading_ease: 60.0,
            sentence_words: 25,
            easy_read_sentence_words: 15,
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url`: `/` or `/sub/path/`.
    pub fn base_path(&self) -> String {
        url::Url::parse(&self.base_url)
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| "/".to_string())
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub name: Option<String>,
    pub address: String,
    pub postcode: String,
    pub lat_lon: Option<(f64, f64)>,
    pub accessibility: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostPer {
    Session,
    Hour,
    Day,
    Week,
}

impl CostPer {
    pub const KEYS: [&'static str; 4] = ["session", "hour", "day", "week"];

    pub fn from_key(key: &str) -> Option<CostPer> {
        Some(match key {
            "session" => CostPer::Session,
            "hour" => CostPer::Hour,
            "day" => CostPer::Day,
            "week" => CostPer::Week,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub pence: u64,
    pub per: CostPer,
    pub notes: Option<String>,
}

impl Cost {
    /// "£45.00"
    pub fn amount_text(&self) -> String {
        format!("£{}.{:02}", self.pence / 100, self.pence % 100)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Path inside `content/images/`, with `/` separators.
    pub src: String,
    /// Empty only for decorative images.
    pub alt: String,
}

/// A fixed set of words with labels for people, such as `vacancies: waiting-list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub key: &'static str,
    pub label: &'static str,
}

pub const VACANCIES: [Choice; 3] = [
    Choice {
        key: "open",
        label: "Places available",
    },
    Choice {
        key: "waiting-list",
        label: "Waiting list",
    },
    Choice {
        key: "full",
        label: "Full",
    },
];

pub const DISABILITY_CONFIDENT: [Choice; 3] = [
    Choice {
        key: "committed",
        label: "Disability Confident committed",
    },
    Choice {
        key: "employer",
        label: "Disability Confident employer",
    },
    Choice {
        key: "leader",
        label: "Disability Confident leader",
    },
];

/// One service.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// Never changes: the `id` field, or [`default_id`] of the site's address and the slug.
    pub id: uuid::Uuid,
    pub slug: String,
    /// The file it came from, relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub provider: String,
    pub summary: String,
    pub needs: Vec<String>,
    pub service_types: Vec<String>,
    pub activities: Vec<String>,
    pub area: String,
    pub locations: Vec<Location>,
    pub schedule: Vec<Session>,
    pub schedule_notes: Option<String>,
    pub term_time_only: bool,
    pub funding: Vec<String>,
    pub costs: Vec<Cost>,
    pub referral: Vec<String>,
    pub accessibility: Vec<String>,
    pub transport: Option<String>,
    pub languages: Vec<String>,
    pub outcomes: Vec<String>,
    pub progression: Option<String>,
    pub accredited: bool,
    pub disability_confident: Option<Choice>,
    pub vacancies: Option<Choice>,
    pub vacancies_updated: Option<Date>,
    pub contact: Contact,
    pub images: Vec<Image>,
    pub easy_read: Option<String>,
    /// The description, rendered from Markdown and made safe.
    pub description_html: String,
    /// The description's words alone, for the search index.
    pub description_text: String,
    pub updated: Date,
    pub review_by: Date,
    pub draft: bool,
    /// Links in the description to this site, checked once the build has made every file.
    pub links: Vec<SiteLink>,
    /// A hash of everything the listing is made from (its file, site.yaml, the build's
    /// options, the names of the images there are): what it shows anywhere can be reused
    /// from the build before while this is the same (`crate::reuse`).
    pub stamp: u64,
}

impl Listing {
    /// Accessibility features of the service and of every location, without repeats.
    pub fn all_accessibility(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .accessibility
            .iter()
            .chain(self.locations.iter().flat_map(|l| &l.accessibility))
            .map(String::as_str)
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The description as plain text with its paragraphs, for formats that take text (CSV,
    /// Open Referral UK). Made when asked for rather than kept: at 100,000 listings, a third
    /// form of every description held for the whole build was 200 MB.
    pub fn description_plain(&self) -> String {
        crate::text::plain::plain(&self.description_html)
    }

    pub fn open_days(&self) -> Vec<Day> {
        schedule::open_days(&self.schedule)
    }

    pub fn when(&self) -> Vec<When> {
        schedule::when(&self.schedule)
    }

    pub fn is_stale(&self, today: Date) -> bool {
        self.review_by < today
    }
}

/// A listing's id when its file gives none: a UUIDv5 of its page's address, so it stays the
/// same from build to build while the site's address and the file name do.
pub fn default_id(base_url: &str, slug: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("{base_url}services/{slug}/").as_bytes(),
    )
}

/// A plain content page such as /about/.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub slug: String,
    pub source: PathBuf,
    pub title: String,
    pub summary: Option<String>,
    pub order: i64,
    pub content_html: String,
    /// Links in the text to this site, checked once the build has made every file.
    pub links: Vec<SiteLink>,
}

/// A link in Markdown to an address of this site. Whether it leads to a page is known only
/// once the whole site is made, so it keeps where it was written for the build to report.
#[derive(Debug, Clone)]
pub struct SiteLink {
    pub file: Arc<SourceFile>,
    /// The whole link in the file's text.
    pub span: Range<usize>,
    /// The address as written, for the message.
    pub written: String,
    /// What it leads to, relative to the site's root, without query or fragment:
    /// `providers/`, `feed.xml`, or `` for the home page.
    pub path: String,
}

/// For `Listing` and `Page`, which compare field by field: a file is the same file by its name.
impl PartialEq for SiteLink {
    fn eq(&self, other: &Self) -> bool {
        (&self.file.name, &self.span, &self.written, &self.path)
            == (&other.file.name, &other.span, &other.written, &other.path)
    }
}

/// Everything the render stage needs.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Sorted by title, then slug.
    pub listings: Vec<Arc<Listing>>,
    /// Sorted by order, then title.
    pub pages: Vec<Page>,
    /// Files in content/images/, relative to it, sorted.
    pub images: Vec<(String, PathBuf)>,
    /// The date the build treats as today, for staleness.
    pub today: Date,
    /// The council's postcode table (site.yaml `postcodes`), when it has one.
    pub postcodes: Option<std::sync::Arc<geo::Postcodes>>,
}
