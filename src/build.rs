//! The pipeline: load → validate → render → write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::diagnostics::Diagnostics;
use crate::load::{self, LoadError};
use crate::model::Date;
use crate::model::{Site, SiteConfig};
use crate::render::{self, RenderError, theme::Theme};
use crate::reuse::{Exported, Reuse};
use crate::schema;
use crate::search::SearchError;
use crate::text::plural;
use crate::timings;
use crate::validate::{self, Options};
use crate::write::{self, Output, WriteError};

/// What `dayopps build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub output: Option<PathBuf>,
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Defaults to today, or the day of `SOURCE_DATE_EPOCH` when set (for reproducible builds).
    pub today: Option<Date>,
    /// Holds every error but only the first this many warnings, counting the rest: for a
    /// caller that shows no more, as the others' files would stay in memory (`None`: all).
    pub warnings_kept: Option<usize>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today: None,
            warnings_kept: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Problems in the content; every one is in the diagnostics (warnings too).
    #[error("{} in the content", plural(.0.error_count(), "problem"))]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What a successful build made.
#[derive(Debug)]
pub struct Built {
    pub output: Output,
    /// Warnings only: a build with errors does not get this far.
    pub diagnostics: Diagnostics,
    /// The site and theme it was built from, for `serve` to answer searches with.
    pub site: Site,
    pub theme: Arc<Theme>,
    /// For a build written to disk: the site it replaced and what earlier builds left beside
    /// the output, removed when dropped (`dayopps build` leaves that to another process).
    pub leftovers: Vec<write::Leftover>,
}

/// The first two stages, load and validate: the site model and its warnings, or every problem.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    load_site_reusing(options, &Reuse::off())
}

fn load_site_reusing(
    options: &BuildOptions,
    reuse: &Reuse,
) -> Result<(Site, Diagnostics), BuildError> {
    let (input, mut diagnostics) = {
        let _t = timings::span("load");
        load::load_reusing(&options.root, &reuse.files)?
    };
    let _t = timings::span("validate");
    let kept = validate::Kept {
        listings: &reuse.listings,
        postcodes: &reuse.postcodes,
    };
    let (site, found) = validate::validate_reusing(&input, &validate_options(options), &kept);
    diagnostics.extend(found);
    let mut diagnostics = diagnostics.sorted();
    if let Some(max) = options.warnings_kept {
        diagnostics.keep_warnings_up_to(max);
    }
    match site {
        Some(site) if !diagnostics.has_errors() => Ok((site, diagnostics)),
        _ => Err(BuildError::Content(diagnostics)),
    }
}

/// Builds the site in memory without touching the disk.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, BuildError> {
    build_into(options, Output::default, &Reuse::off(), Index::WithSite)
}

/// As `build_in_memory`, reusing what the build before made from the same inputs: the
/// same bytes, sooner.
pub fn rebuild_in_memory(options: &BuildOptions, reuse: &mut Reuse) -> Result<Built, BuildError> {
    rebuild(options, reuse, Index::WithSite)
}

/// As `rebuild_in_memory`, but without the search index's files and the exports, which the
/// caller makes with `Reuse::search_index` and `exports_in_memory` when it likes: `dayopps
/// serve` shows the pages of a saved change first.
pub fn rebuild_pages_in_memory(
    options: &BuildOptions,
    reuse: &mut Reuse,
) -> Result<Built, BuildError> {
    rebuild(options, reuse, Index::Apart)
}

/// The exports of `site` (Open Referral UK, the feeds, the CSV), in memory, reusing what the
/// exports before made.
pub fn exports_in_memory(site: &Site, exported: &Exported) -> Output {
    exports(site, &Output::default, exported)
}

fn rebuild(options: &BuildOptions, reuse: &mut Reuse, index: Index) -> Result<Built, BuildError> {
    let built = build_into(options, Output::default, reuse, index)?;
    // Only after a good build: after a failed one, the build before is still the one whose
    // results the next build can use most of.
    reuse.finish();
    Ok(built)
}

/// Whether a build makes the search index's files (`search::made_by_index`) and the exports
/// (`export::made_by_exports`), or leaves both to be made apart.
#[derive(Clone, Copy)]
enum Index {
    WithSite,
    Apart,
}

/// Builds the site into the outputs `new_output` makes (in memory, or written as made).
fn build_into(
    options: &BuildOptions,
    new_output: impl Fn() -> Output + Sync,
    reuse: &Reuse,
    index: Index,
) -> Result<Built, BuildError> {
    let (site, diagnostics) = load_site_reusing(options, reuse)?;
    let made_index = index;
    // Pages, the search index and the exports do not depend on one another: made side by side.
    let (pages, (index, exports)) = rayon::join(
        || -> Result<(Output, Arc<Theme>), RenderError> {
            let _t = timings::span("render");
            let theme = {
                let _t = timings::span("theme");
                let dir = options.root.join("themes").join(&site.config.theme);
                Theme::load_reusing(&dir, &reuse.theme)?
            };
            let mut pages = new_output();
            render::render(&site, &theme, &mut pages, &reuse.html)?;
            Ok((pages, theme))
        },
        || {
            rayon::join(
                || -> Result<Output, SearchError> {
                    let mut out = new_output();
                    if let Index::WithSite = index {
                        for (path, bytes) in reuse.search_index(&site)? {
                            out.add(&path, bytes);
                        }
                    }
                    Ok(out)
                },
                || {
                    if let Index::Apart = index {
                        return new_output();
                    }
                    let _t = timings::span("exports");
                    exports(&site, &new_output, &reuse.exported)
                },
            )
        },
    );
    let _t = timings::span("gather");
    let (mut output, theme) = pages?;
    output.extend(exports);
    output.extend(index?);
    let schema = schema::listing_schema(&site.config);
    output.add(schema::PATH, format!("{schema:#}\n").into_bytes());
    let output = output.finish()?;
    let diagnostics = check_links(&site, &output, made_index, diagnostics)?;
    Ok(Built {
        output,
        diagnostics,
        site,
        theme,
        leftovers: Vec::new(),
    })
}

/// The build's warnings, or with them an error for every link in the content that leads to
/// no file of the site.
fn check_links(
    site: &Site,
    output: &Output,
    index: Index,
    mut diagnostics: Diagnostics,
) -> Result<Diagnostics, BuildError> {
    let _t = timings::span("links");
    // Without the index's files and the exports (`serve` makes them after the pages), a link
    // to one of theirs is not broken.
    let made = |path: &str| {
        output.files.contains_key(path)
            || (matches!(index, Index::Apart)
                && (crate::search::made_by_index(path) || crate::export::made_by_exports(path)))
    };
    let broken = validate::links::broken(site, made, || output.files.keys().map(String::as_str));
    if broken.is_empty() {
        return Ok(diagnostics);
    }
    diagnostics.extend(broken);
    Err(BuildError::Content(diagnostics.sorted()))
}

/// Open Referral UK, the feed and the CSV, made side by side: each ends in work on one thread
/// (a list of every service, a file of them all), and the exports are often the last stage
/// to finish.
fn exports(site: &Site, new_output: &(impl Fn() -> Output + Sync), exported: &Exported) -> Output {
    let made = |write: &dyn Fn(&mut Output)| {
        let mut out = new_output();
        write(&mut out);
        out
    };
    let (mut out, (feed, csv)) = rayon::join(
        || made(&|out| crate::export::oruk::write(site, out, &exported.services())),
        || {
            rayon::join(
                || made(&|out| crate::export::feed::write(site, out)),
                || made(&|out| crate::export::csv::write(site, out, &exported.csv_rows())),
            )
        },
    );
    out.extend(feed);
    out.extend(csv);
    out
}

fn validate_options(options: &BuildOptions) -> Options {
    Options {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
        today: options.today.unwrap_or_else(today),
    }
}

/// Every check of a build without writing anything: the problems found, errors and warnings.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, BuildError> {
    match build_in_memory(options) {
        Ok(built) => Ok(built.diagnostics),
        Err(BuildError::Content(diagnostics)) => Ok(diagnostics),
        Err(other) => Err(other),
    }
}

/// The site's settings alone (for `schema` and `new`), or the problems in site.yaml.
pub fn site_config(options: &BuildOptions) -> Result<SiteConfig, BuildError> {
    let (input, _) = load::load(&options.root)?;
    match validate::site_only(&input, &validate_options(options)) {
        (Some(config), _) => Ok(config),
        (None, diagnostics) => Err(BuildError::Content(diagnostics)),
    }
}

/// Builds the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> Result<Built, BuildError> {
    let dest = options.output_dir();
    write::check_output_is_safe(&options.root, &dest)?;
    // Each file goes to disk as it is made, beside the old site, which stays until the end.
    let staging = write::Staging::new(&dest)?;
    let mut built = build_into(
        options,
        || Output::on_disk(staging.dir()),
        &Reuse::off(),
        Index::WithSite,
    )?;
    let _t = timings::span("swap in");
    built.leftovers = staging.commit()?;
    Ok(built)
}

/// Today's date (UTC), or the day of `SOURCE_DATE_EPOCH` when it is set.
pub fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| t.date())
        .unwrap_or(Date::MIN)
}

/// `path` shown relative to the current folder when it is inside it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
