//! Stage 2, validate: turn the loaded files into the site model, reporting every problem in
//! every file in one run.

pub mod formats;
pub mod links;
mod listing;
mod page;
mod postcodes;
pub mod readability;
mod reader;
mod site;
mod suggest;

pub use formats::phone_href;
pub use listing::SUMMARY_MAX;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::front_matter::{self, Problem as FrontMatterProblem};
use crate::load::yaml::{self, SpanMap};
use crate::load::{Format, Input, ListingFile};
use crate::memo::{Key, Memo};
use crate::model::geo::Postcodes;
use crate::model::{CheckLimits, Date, Listing, Site, SiteConfig, SiteLink};
use crate::text::markdown::{self, Links};

use reader::Doc;

/// A listing file checked: the listing, unless it has errors, and its problems. The listing
/// is shared, so that a rebuild takes it from the build before without a copy.
pub type Checked = (Option<Arc<Listing>>, Diagnostics);

/// A listing file checked, before it is shared.
type Made = (Option<Listing>, Diagnostics);

/// The postcode table read: the table, unless it has errors, and its problems.
pub type Table = (Option<Arc<Postcodes>>, Diagnostics);

/// What a build can keep from the one before: each listing checked, and the postcode table
/// (100,000 rows, parsed again only when its file changes).
pub struct Kept<'a> {
    pub listings: &'a Memo<Arc<Checked>>,
    pub postcodes: &'a Memo<Table>,
}

/// Choices that change what is built rather than what is valid.
#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The date staleness is judged against.
    pub today: Date,
}

/// The validated site, or `None` when there were errors; warnings come either way.
pub fn validate(input: &Input, options: &Options) -> (Option<Site>, Diagnostics) {
    let kept = Kept {
        listings: &Memo::off(),
        postcodes: &Memo::off(),
    };
    validate_reusing(input, options, &kept)
}

/// As `validate`, reusing the listings checked by the build before (for `dayopps serve`).
pub fn validate_reusing(
    input: &Input,
    options: &Options,
    kept: &Kept,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = site_config(&input.site, options, &mut diags);
    let Some(config) = config else {
        return (None, diags);
    };
    let image_names: HashSet<String> = input.images.iter().map(|(n, _)| n.clone()).collect();
    let base_url = url::Url::parse(&config.base_url).ok();
    let links = Links {
        base_path: &config.base_path(),
        base_url: base_url.as_ref(),
        images: &image_names,
    };
    let table = input.postcodes.as_ref().and_then(|file| {
        let (table, found) = kept.postcodes.get(
            || table_key(file),
            || {
                let mut found = Diagnostics::default();
                (postcodes::table(file, &mut found).map(Arc::new), found)
            },
        );
        diags.extend(found);
        Some((file, table?))
    });
    let cx = listing::Context {
        config: &config,
        images: &image_names,
        today: options.today,
        postcodes: table.as_ref().map(|(file, t)| (file.name.as_str(), &**t)),
    };
    let listings_span = crate::timings::span("validate: listings");
    let results = check_listings(input, options, kept.listings, &cx, &links);
    drop(listings_span);
    let mut listings = Vec::with_capacity(results.len());
    for (listing, d) in results {
        diags.extend(d);
        listings.extend(listing.filter(|l| options.drafts || !l.draft));
    }
    check_unique_slugs(&input.listings, &mut diags);
    let pages = page::pages(&input.pages, &config, &links, &mut diags);
    if diags.has_errors() {
        return (None, diags);
    }
    // Each key made once: made in the comparison, it was two strings for each of the
    // 140,000 comparisons 10,000 listings take.
    let _t = crate::timings::span("validate: sort");
    listings.par_sort_by_cached_key(|l| (sort_key(&l.title), l.slug.clone()));
    let site = Site {
        config,
        listings,
        pages,
        images: input.images.clone(),
        today: options.today,
        postcodes: table.map(|(_, t)| t),
    };
    (Some(site), diags)
}

/// Each listing checked, in parallel, reusing the result of the build before where nothing
/// it is checked against has changed.
fn check_listings(
    input: &Input,
    options: &Options,
    checked: &Memo<Arc<Checked>>,
    cx: &listing::Context,
    links: &Links,
) -> Vec<Checked> {
    // A listing is checked against its file, site.yaml, the options, the images there are
    // and the postcode table.
    let site_stamp = Key::new("site")
        .part(&input.site.hash())
        .part(&input.postcodes.as_ref().map(table_key))
        .part(&(options.drafts, &options.base_url, options.today))
        .part(
            &input
                .images
                .iter()
                .map(|(name, _)| name)
                .collect::<Vec<_>>(),
        )
        .finish();
    input
        .listings
        .par_iter()
        .map(|file| {
            let stamp = Key::new("listing")
                .part(&site_stamp)
                .part(&(file.file.hash(), &file.slug))
                .part(&(file.format == Format::Yaml))
                .finish();
            let kept = checked.get(
                || stamp,
                || {
                    let (listing, diags) =
                        left_out_draft(listing_file(file, cx, links), file, options.drafts);
                    Arc::new((listing.map(|l| Arc::new(Listing { stamp, ..l })), diags))
                },
            );
            // The memo keeps the same listing as the site (nothing else holds it in a single
            // build); only the problems are copied.
            Arc::try_unwrap(kept).unwrap_or_else(|kept| (*kept).clone())
        })
        .collect()
}

/// What the postcode table is made from: its file's name and text (hashed once a read).
fn table_key(file: &Arc<SourceFile>) -> u64 {
    Key::new("postcodes").part(&file.hash()).finish()
}

/// A draft the build leaves out cannot stop it: its errors are shown as warnings naming it
/// as a draft, so `check` still lists each one (an imported listing may lack a contact).
/// Built with `--drafts`, its errors are errors again.
fn left_out_draft((listing, mut diags): Made, file: &ListingFile, drafts: bool) -> Made {
    if drafts || !diags.has_errors() || !is_draft(file) {
        return (listing, diags);
    }
    diags.errors_as_warnings("in this draft (left out of the build until it is fixed), ");
    (None, diags)
}

/// Whether the file says `draft: true`, read from its fields alone, as a draft with errors
/// elsewhere is still a draft.
fn is_draft(lf: &ListingFile) -> bool {
    let yaml = match lf.format {
        Format::Yaml => lf.file.text.as_str(),
        Format::Markdown => match front_matter::split(&lf.file.text) {
            Ok(s) => s.yaml,
            Err(_) => return false,
        },
    };
    let Ok(value) = serde_yaml::from_str::<Value>(yaml) else {
        return false;
    };
    value.get("draft") == Some(&Value::Bool(true))
}

/// What a title is put in alphabetical order by, as people expect it: ignoring case and a
/// leading "The".
pub fn sort_key(title: &str) -> String {
    let lower = title.trim().to_lowercase();
    match lower.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => lower,
    }
}

/// Only site.yaml, for commands that need the settings but not the listings.
pub fn site_only(input: &Input, options: &Options) -> (Option<SiteConfig>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = site_config(&input.site, options, &mut diags);
    (config, diags)
}

fn site_config(
    file: &Arc<SourceFile>,
    options: &Options,
    diags: &mut Diagnostics,
) -> Option<SiteConfig> {
    let (value, spans) = parse_yaml(file, &file.text, 0, diags)?;
    let mut doc = Doc::new(file, &spans);
    let config = site::site_config(&mut doc, &value, options.base_url.as_deref());
    let ok = !doc.diags.has_errors();
    diags.extend(doc.diags);
    config.filter(|_| ok)
}

/// Parses YAML at `offset` in `file`, turning a syntax error into a diagnostic.
fn parse_yaml(
    file: &Arc<SourceFile>,
    text: &str,
    offset: usize,
    diags: &mut Diagnostics,
) -> Option<(Value, SpanMap)> {
    match yaml::parse(text, offset) {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            let help = if text.contains('\t') {
                "YAML cannot be indented with tabs: use spaces"
            } else if e.message.contains("duplicate") {
                "each field may appear only once: remove or merge the repeated one"
            } else {
                "check the indentation, and put text that contains `: ` or starts with a symbol in quotes"
            };
            diags.push(
                Diagnostic::error(
                    file,
                    e.offset..e.offset + 1,
                    format!("this is not valid YAML: {}", e.message),
                )
                .with_help(help),
            );
            None
        }
    }
}

fn listing_file(
    lf: &ListingFile,
    cx: &listing::Context,
    links: &Links,
) -> (Option<Listing>, Diagnostics) {
    let file = &lf.file;
    let mut diags = Diagnostics::default();
    if !formats::slug(&lf.slug) {
        diags.push(bad_file_name(file, &lf.slug));
    }
    if file.text.trim().is_empty() {
        diags.push(
            Diagnostic::error(file, 0..0, "this listing is empty")
                .with_help("copy an existing listing and change its details, or delete the file"),
        );
        return (None, diags);
    }
    if let Some(at) = file.text.find(EXAMPLE_MARK) {
        diags.push(example_listing(file, at));
    }
    let (yaml_text, yaml_offset, body) = match lf.format {
        Format::Yaml => (file.text.as_str(), 0, None),
        Format::Markdown => match front_matter::split(&file.text) {
            Ok(s) => (s.yaml, s.yaml_offset, Some((s.body, s.body_offset))),
            Err(problem) => {
                diags.push(front_matter_problem(file, problem));
                return (None, diags);
            }
        },
    };
    let Some((value, spans)) = parse_yaml(file, yaml_text, yaml_offset, &mut diags) else {
        return (None, diags);
    };
    let mut doc = Doc::new(file, &spans);
    let source = PathBuf::from(&file.name);
    let listing = listing::listing(&mut doc, &value, &lf.slug, source, cx);
    let markdown = Markdown {
        body,
        links,
        here: &crate::model::urls::service_rel(&lf.slug),
    };
    let description = description(&mut doc, &value, markdown, lf.format, &cx.config.checks);
    let ok = !doc.diags.has_errors() && !diags.has_errors();
    diags.extend(doc.diags);
    let listing = listing.filter(|_| ok).map(|mut l| {
        (l.description_html, l.description_text, l.links) = description;
        l
    });
    (listing, diags)
}

/// The line that marks the example listing `dayopps init` writes: a new site builds at once,
/// and shows a service, but `check` reminds the council that it is not a real one.
pub const EXAMPLE_MARK: &str = "# An example listing, made by `dayopps init`.";

fn example_listing(file: &Arc<SourceFile>, at: usize) -> Diagnostic {
    Diagnostic::warning(
        file,
        at..at + EXAMPLE_MARK.len(),
        "this is the example listing that `dayopps init` made, not a real service",
    )
    .with_help("change it into a real service and delete this line, or delete the file")
}

fn bad_file_name(file: &Arc<SourceFile>, slug: &str) -> Diagnostic {
    let suggestion = crate::text::slug(slug);
    let ext = file.name.rsplit('.').next().unwrap_or("md");
    Diagnostic::error(
        file,
        0..0,
        format!("`{slug}` cannot be used as a web address"),
    )
    .with_help(format!(
        "rename the file to `{suggestion}.{ext}`: lower-case letters, digits and hyphens only"
    ))
}

fn front_matter_problem(file: &Arc<SourceFile>, problem: FrontMatterProblem) -> Diagnostic {
    match problem {
        FrontMatterProblem::NoOpening => Diagnostic::error(
            file,
            0..0,
            "this file does not start with `---`",
        )
        .with_help(
            "the fields go first, between two lines of three hyphens (---), then the description",
        ),
        FrontMatterProblem::NoClosing => {
            Diagnostic::error(file, 0..3, "the fields are not closed with a `---` line")
                .with_help("add a line with just --- after the last field, before the description")
        }
    }
}

/// A listing's Markdown body and offset (a .md listing), what its links resolve against and
/// the address of its page.
struct Markdown<'a> {
    body: Option<(&'a str, usize)>,
    links: &'a Links<'a>,
    here: &'a str,
}

/// Renders the description: the Markdown body, or the `description` field of a .yaml listing.
/// Its HTML, its words, and its links to the site.
fn description(
    doc: &mut Doc,
    value: &Value,
    source: Markdown,
    format: Format,
    limits: &CheckLimits,
) -> (String, String, Vec<SiteLink>) {
    let field = value.get("description").and_then(Value::as_str);
    let (markdown, offset) = match (format, source.body) {
        (Format::Markdown, Some(body)) => {
            if value.get("description").is_some() {
                doc.error(
                    "description",
                    "`description` goes after the fields in a .md listing",
                    "move the text below the closing `---` line and remove `description:`",
                );
            }
            (body.0, Some(body.1))
        }
        _ => (field.unwrap_or(""), None),
    };
    let rendered = markdown::render(markdown, source.links);
    report_markdown(doc, rendered.problems, offset);
    let span = match offset {
        Some(o) => o..o,
        None => doc.spans.value("description"),
    };
    let site_links = match source.links.base_url {
        Some(base) => links::found(doc.file, &rendered.links, source.here, base, |r| {
            markdown_span(doc, r, offset)
        }),
        None => Vec::new(),
    };
    for a in readability::prose(&rendered.text, limits, false) {
        let d = Diagnostic::warning(
            doc.file,
            span.clone(),
            format!("in the description, {}", a.message),
        );
        doc.diags.push(d.with_help(a.help));
    }
    (rendered.html, rendered.text, site_links)
}

/// Reports what Markdown rendering removed or could not resolve. With no `offset` (Markdown
/// held in a YAML field) problems point at the `description` field.
fn report_markdown(doc: &mut Doc, problems: Vec<markdown::Problem>, offset: Option<usize>) {
    for p in problems {
        let span = markdown_span(doc, p.range.clone(), offset);
        let d = if p.is_error {
            Diagnostic::error(doc.file, span, p.message)
        } else {
            Diagnostic::warning(doc.file, span, p.message)
        };
        doc.diags.push(d.with_help(p.help));
    }
}

/// Where a range of Markdown is in its file: at `offset`, or, with none, the `description`
/// field that holds it.
fn markdown_span(doc: &Doc, range: Range<usize>, offset: Option<usize>) -> Range<usize> {
    match offset {
        Some(o) => o + range.start..o + range.end,
        None => doc.spans.value("description"),
    }
}

/// Two files with the same name but different extensions would make the same page.
fn check_unique_slugs(files: &[ListingFile], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Arc<SourceFile>> = BTreeMap::new();
    for lf in files {
        if let Some(first) = seen.get(lf.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    &lf.file,
                    0..0,
                    format!(
                        "another listing already uses the address /services/{}/",
                        lf.slug
                    ),
                )
                .with_help(format!(
                    "{} and this file would make the same page: rename or remove one of them",
                    first.name
                )),
            );
        } else {
            seen.insert(&lf.slug, &lf.file);
        }
    }
}

/// Validates one listing file's text against a small built-in site, for fuzzing and property
/// tests: the problems it finds. Never touches the disk.
pub fn check_text(name: &str, text: &str) -> Diagnostics {
    const SITE: &str = "title: T\ncouncil: C\nbase_url: https://example.gov.uk/\nvocabularies:\n  areas:\n    north: { label: North, in_borough: true }\n";
    let format = if name.ends_with(".md") {
        Format::Markdown
    } else {
        Format::Yaml
    };
    let slug = name
        .rsplit('/')
        .next()
        .and_then(|f| f.split('.').next())
        .unwrap_or("x");
    let input = Input {
        root: PathBuf::from("."),
        site: SourceFile::new("site.yaml", SITE.to_string()),
        listings: vec![ListingFile {
            file: SourceFile::new(name, text.to_string()),
            slug: slug.to_string(),
            format,
        }],
        pages: Vec::new(),
        images: Vec::new(),
        postcodes: None,
    };
    let options = Options {
        drafts: true,
        base_url: None,
        today: Date::MIN,
    };
    validate(&input, &options).1
}
