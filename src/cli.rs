//! The command line: one function a command.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use dayopps::build::{self, BuildError, BuildOptions, shown};
use dayopps::diagnostics::{Diagnostics, Format};
use dayopps::model::SiteConfig;
use dayopps::serve::Production;
use dayopps::text::plural;

#[derive(Parser)]
#[command(
    name = "dayopps",
    version,
    about = "Build an accessible directory of day opportunities"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site from site.yaml, content/ and the theme into public/
    Build {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site is published at, instead of site.yaml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Include listings marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Check every file as the build does, without writing anything
    ///
    /// Exits 0 when there are no errors (warnings allowed), 1 with errors, 2 when it could not run.
    Check {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to show problems: human, github (pull request annotations) or json
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Start a new council's directory in an empty folder, ready to build and publish
    Init {
        /// The folder to create [default: the current folder, which must be empty]
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The council's name, such as "Example County Council"
        #[arg(long)]
        council: Option<String>,
        /// The address the site will be published at
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Work with the theme built into dayopps
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print the JSON Schema of a listing, with this site's vocabularies
    Schema {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Search the built site's index, as the site's search does
    Search {
        /// The words to look for, such as "dementia saturday" (none: every service)
        #[arg(default_value = "")]
        query: String,
        /// Nearest first to this postcode, such as "E10 6QX" (needs the site's postcode table)
        #[arg(long, value_name = "POSTCODE")]
        near: Option<String>,
        /// Only services with this value, such as needs=dementia (repeat for more)
        #[arg(long = "filter", value_name = "FACET=VALUE")]
        filters: Vec<String>,
        /// Print JSON instead of a list
        #[arg(long)]
        json: bool,
        /// How many services to show at most
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site whose index is searched [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Build the site and serve it on this machine, with search answered by the server
    Serve {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Serve for the public: build once, as `build` would, and serve read-only with
        /// caching headers and a log line a request; no watching, no reloading
        #[arg(long)]
        production: bool,
        /// With --production: the address the site is published at, instead of site.yaml's
        /// base_url
        #[arg(long, requires = "production")]
        base_url: Option<String>,
        /// With --production: how many requests to answer at once [default: twice the cores]
        #[arg(long, requires = "production", value_parser = clap::value_parser!(u16).range(1..=256))]
        workers: Option<u16>,
    },
    /// Print the search terms of each line of standard input (the analyzer, for tests)
    #[command(hide = true)]
    Terms,
    /// Start a new listing in content/listings/ from a commented template
    New {
        /// The service's name, such as "Riverside Garden Project"
        name: String,
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the market at a glance (the figures of the /market/ page) for commissioners
    Report {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// html, md (Markdown), csv (every table, each after a title line) or json
        #[arg(long, value_enum, default_value_t = dayopps::report::Format::Md)]
        format: dayopps::report::Format,
    },
    /// Turn another directory's open data into listing files in content/listings/
    ///
    /// Prints, for each service, what could not be carried over or had to be filled in;
    /// those listings are written as drafts, with the leftovers in their description.
    Import {
        /// The kind of data: oruk (Open Referral UK / HSDS 3 JSON)
        #[arg(value_enum)]
        kind: ImportKind,
        /// A file (one service, a list of services, or a page of them), or the http(s)
        /// address of a feed's /services, which is read page by page to the end
        source: String,
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The most pages of a feed read before giving up (a feed that never ends)
        #[arg(long, default_value_t = dayopps::import::Limits::default().max_pages)]
        max_pages: u64,
    },
    /// Removes folders a build left beside its output; `build` runs this in the background
    #[command(name = REMOVE_LEFTOVERS, hide = true)]
    RemoveLeftovers {
        /// Folders named as builds name them: .NAME.old-N or .NAME.building-N
        folders: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ThemeCommand {
    /// Write the built-in theme into themes/default/ to change it freely; never overwrites
    Eject {
        /// The folder holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// The hidden command `build` hands the replaced site to.
const REMOVE_LEFTOVERS: &str = "remove-leftovers";

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportKind {
    Oruk,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Human,
    Github,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Github => Format::Github,
            FormatArg::Json => Format::Json,
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        // The one command whose exit code says more than success or failure.
        Command::Check { root, format } => {
            Ok(check_command(&BuildOptions::new(root), format.into()))
        }
        other => run_command(other).map(|()| ExitCode::SUCCESS),
    }
}

fn run_command(command: Command) -> Result<()> {
    let options = BuildOptions::new;
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build_command(BuildOptions {
            output,
            base_url,
            drafts,
            ..options(root)
        }),
        Command::Check { .. } => unreachable!("`run` answers check"),
        Command::Schema { root } => schema_command(&options(root)),
        Command::Search {
            query,
            near,
            filters,
            json,
            limit,
            root,
            output,
        } => {
            let options = BuildOptions {
                output,
                ..options(root)
            };
            let asked = Asked {
                text: query,
                filters,
                near,
            };
            search_command(&options, asked, json, limit)
        }
        Command::Init {
            dir,
            council,
            base_url,
        } => init_command(&dir, council, base_url),
        Command::Theme(ThemeCommand::Eject { root }) => eject_command(&root),
        Command::Serve {
            root,
            port,
            bind,
            production: false,
            ..
        } => Ok(dayopps::serve::serve(&options(root), &bind, port)?),
        Command::Serve {
            root,
            port,
            bind,
            production: true,
            base_url,
            workers,
        } => {
            let options = BuildOptions {
                base_url,
                ..options(root)
            };
            let how = Production {
                bind,
                port,
                workers: workers.map_or_else(Production::default_workers, usize::from),
            };
            Ok(dayopps::serve::serve_production(&options, &how)?)
        }
        Command::Terms => terms_command(),
        Command::New { name, root } => new_command(&options(root), &name),
        Command::Report { root, format } => report_command(&options(root), format),
        Command::Import {
            kind: ImportKind::Oruk,
            source,
            root,
            max_pages,
        } => import_command(&options(root), &source, max_pages),
        Command::RemoveLeftovers { folders } => remove_leftovers_command(&folders),
    }
}

/// Every folder is tried; the first failure is the one reported.
fn remove_leftovers_command(folders: &[PathBuf]) -> Result<()> {
    let results: Vec<_> = folders
        .iter()
        .map(|f| dayopps::write::remove_leftover(f))
        .collect();
    Ok(results.into_iter().collect::<Result<(), _>>()?)
}

/// The report of what did not map goes to stderr, one block a service.
fn import_command(options: &BuildOptions, source: &str, max_pages: u64) -> Result<()> {
    let config = site_config(options)?;
    let limits = dayopps::import::Limits {
        max_pages,
        ..Default::default()
    };
    let bar = pages_bar();
    let mut progress = |done: u64, total: Option<u64>| {
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(done);
    };
    let read =
        dayopps::import::read_oruk_from(source, &config, build::today(), &limits, &mut progress);
    bar.finish_and_clear();
    let drafts = read?;
    let written = dayopps::import::write(&options.root, &drafts)?;
    for (draft, file) in drafts.iter().zip(&written) {
        let state = if draft.needs_review() {
            " (a draft: check it)"
        } else {
            ""
        };
        let name = match draft.name.as_str() {
            "" => "(a service with no name)",
            name => name,
        };
        eprintln!("{name}: {}{state}", shown(file));
        for line in draft.report() {
            eprintln!("  {line}");
        }
    }
    eprintln!("Imported {}.", plural(written.len(), "service"));
    Ok(())
}

/// Pages of a feed read so far, on stderr when it is a terminal (never in a log or a pipe).
fn pages_bar() -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    if let Ok(style) = ProgressStyle::with_template("Reading the feed: page {pos}/{len} {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}

/// The report goes to stdout so it can be redirected to a file; problems go to stderr.
fn report_command(options: &BuildOptions, format: dayopps::report::Format) -> Result<()> {
    use dayopps::report;
    let (site, warnings) = match build::load_site(options) {
        Ok(loaded) => loaded,
        Err(BuildError::Content(d)) => {
            print_diagnostics(&d);
            bail!(
                "the report needs a site that builds: fix {} first",
                plural(d.error_count(), "problem")
            )
        }
        Err(e) => return Err(e.into()),
    };
    if warnings.warning_count() > 0 {
        eprintln!(
            "({}: `dayopps check` shows them)",
            plural(warnings.warning_count(), "warning")
        );
    }
    print!("{}", report::render(&report::Report::new(&site), format));
    Ok(())
}

fn check_command(options: &BuildOptions, format: Format) -> ExitCode {
    let diagnostics = match build::check(options) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "error: dayopps check could not run: {:#}",
                anyhow::Error::from(e)
            );
            return ExitCode::from(2);
        }
    };
    print!("{}", diagnostics.render(format, colour(&std::io::stdout())));
    if format == Format::Human {
        println!("{}", check_summary(&diagnostics));
    }
    if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_summary(d: &Diagnostics) -> String {
    match (d.error_count(), d.warning_count()) {
        (0, 0) => "No problems found.".to_string(),
        (0, w) => format!("No errors, {}: the site will build.", plural(w, "warning")),
        (e, w) => format!(
            "{} and {}: the site will not build until the errors are fixed.",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn site_config(options: &BuildOptions) -> Result<SiteConfig> {
    match build::site_config(options) {
        Ok(config) => Ok(config),
        Err(BuildError::Content(d)) => {
            print_diagnostics(&d);
            bail!(
                "site.yaml has {}: fix it first",
                plural(d.error_count(), "problem")
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn schema_command(options: &BuildOptions) -> Result<()> {
    let schema = dayopps::schema::listing_schema(&site_config(options)?);
    println!("{schema:#}");
    Ok(())
}

/// What `dayopps search` was asked.
struct Asked {
    text: String,
    filters: Vec<String>,
    near: Option<String>,
}

fn search_command(options: &BuildOptions, asked: Asked, json: bool, limit: usize) -> Result<()> {
    let filters = asked
        .filters
        .iter()
        .map(|f| match f.split_once('=') {
            Some((facet, value)) => Ok((facet.trim().to_string(), value.trim().to_string())),
            None => bail!(
                "`{f}` is not a filter\n  help: write it as FACET=VALUE, such as needs=dementia"
            ),
        })
        .collect::<Result<Vec<_>>>()?;
    let index = dayopps::search::SearchIndex::open(&options.output_dir())?;
    let query = dayopps::search::Query {
        text: asked.text,
        filters,
    };
    if let Some(near) = &asked.near {
        return near_command(options, &index, &query, near, json, limit);
    }
    let hits = index.search(&query, limit)?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "query": query.text, "hits": hits })
        );
    } else if hits.is_empty() {
        println!("No services found.");
    } else {
        for (i, hit) in hits.iter().enumerate() {
            println!(
                "{:>2}. {} ({}) {:.3}",
                i + 1,
                hit.title,
                hit.slug,
                hit.score
            );
        }
    }
    Ok(())
}

/// `dayopps search --near POSTCODE`: every service the query finds, nearest first.
fn near_command(
    options: &BuildOptions,
    index: &dayopps::search::SearchIndex,
    query: &dayopps::search::Query,
    near: &str,
    json: bool,
    limit: usize,
) -> Result<()> {
    use dayopps::search::near;
    let site = match build::load_site(options) {
        Ok((site, _)) => site,
        Err(BuildError::Content(d)) => {
            print_diagnostics(&d);
            bail!(
                "the site has {}: fix them to search near a postcode",
                plural(d.error_count(), "problem")
            )
        }
        Err(e) => return Err(e.into()),
    };
    let from = near::locate(site.postcodes.as_deref(), near).map_err(|e| match e {
        near::NearError::NoTable => anyhow::anyhow!(
            "{e}\n  help: add `postcodes: data/postcodes.csv` to site.yaml, with a table of postcodes and their coordinates (see `dayopps init`'s site.yaml)"
        ),
        other => anyhow::anyhow!("{other}"),
    })?;
    // Every match, not the best few: the nearest may be the least relevant.
    let hits = index.search(query, site.listings.len().max(1))?;
    let slugs: Vec<&str> = hits.iter().map(|h| h.slug.as_str()).collect();
    let found = near::in_site_order(&site, &slugs);
    let ordered: Vec<_> = near::order(found, from).into_iter().take(limit).collect();
    let postcode = dayopps::model::geo::postcode(near).unwrap_or_default();
    if json {
        let hits: Vec<_> = ordered
            .iter()
            .map(|(l, d)| {
                let place = match d {
                    near::Distance::At { place, .. } => Some(near::place_name(place)),
                    near::Distance::Nowhere(_) => None,
                };
                serde_json::json!({
                    "slug": l.slug,
                    "title": l.title,
                    "miles": d.miles(),
                    "place": place,
                    "distance": d.text(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "query": query.text, "near": postcode, "hits": hits })
        );
    } else if ordered.is_empty() {
        println!("No services found.");
    } else {
        println!("Nearest to {postcode} first:");
        for (i, (l, d)) in ordered.iter().enumerate() {
            println!("{:>2}. {} ({}): {}", i + 1, l.title, l.slug, d.text());
        }
    }
    Ok(())
}

fn init_command(dir: &Path, council: Option<String>, base_url: Option<String>) -> Result<()> {
    if let Some(url) = &base_url
        && !dayopps::validate::formats::web_address(url)
    {
        bail!(
            "`{url}` is not a full web address\n  help: write the address the site will be published at, such as https://example.gov.uk/day-services/"
        );
    }
    let settings = dayopps::init::Settings::new(council, base_url, build::today());
    let written = dayopps::init::init(dir, &settings)?;
    eprintln!(
        "Started a directory in {} ({}). Next:\n  \
         dayopps build --root {0}    the site, in {0}/public\n  \
         dayopps serve --root {0}    see it at http://127.0.0.1:1111/ as you change it\n\
         {0}/README.md says what to change before you publish.",
        shown(dir),
        plural(written.len(), "file"),
    );
    Ok(())
}

/// Ejects into the folder of the theme site.yaml names, so that the build then uses it.
fn eject_command(root: &Path) -> Result<()> {
    let config = site_config(&BuildOptions::new(root))?;
    let dir = root.join("themes").join(&config.theme);
    let written = dayopps::render::builtin::eject(&dir).map_err(|e| match e {
        dayopps::render::builtin::EjectError::Exists(_) => anyhow::anyhow!(
            "{e}\n  help: move {} away first, then eject again and copy your changes back",
            shown(&dir)
        ),
        other => other.into(),
    })?;
    eprintln!(
        "Wrote the built-in theme into {} ({}). The site now uses these files: change them freely.\n\
         Files you delete come back from the built-in theme.",
        shown(&dir),
        plural(written.len(), "file")
    );
    Ok(())
}

fn terms_command() -> Result<()> {
    use std::io::{BufRead, Write};
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        writeln!(out, "{}", dayopps::search::terms(&line?).join(" "))?;
    }
    Ok(())
}

fn new_command(options: &BuildOptions, name: &str) -> Result<()> {
    let config = site_config(options)?;
    let slug = dayopps::text::slug(name);
    if slug.is_empty() {
        bail!(
            "\"{name}\" has no letters or digits to make a web address from\n  help: give the service's name, such as \"Riverside Garden Project\""
        );
    }
    let dir = options.root.join("content/listings");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(format!("{slug}.yaml")).exists() {
        bail!(
            "a listing called {slug} already exists\n  help: edit content/listings/{slug}.md, or choose another name"
        );
    }
    let text = dayopps::scaffold::new_listing(&config, name, build::today());
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
    eprintln!(
        "Created {}. It is a draft: fill it in, then remove `draft: true`.",
        shown(&path)
    );
    Ok(())
}

fn build_command(options: BuildOptions) -> Result<()> {
    let started = Instant::now();
    let dest = options.output_dir();
    match build::build(&options) {
        Ok(mut built) => {
            remove_leftovers(std::mem::take(&mut built.leftovers));
            let _t = dayopps::timings::span("report");
            print_diagnostics(&built.diagnostics);
            if let Some(note) = built.theme.unminifiable_note() {
                eprintln!("{note}");
            }
            eprintln!(
                "Built {} and {} into {} in {:.2}s{}",
                plural(built.site.listings.len(), "service"),
                plural(built.output.files.len(), "file"),
                shown(&dest),
                started.elapsed().as_secs_f64(),
                match built.diagnostics.warning_count() {
                    0 => String::new(),
                    n => format!(" ({})", plural(n, "warning")),
                }
            );
            // The process ends here: freeing the site's model piece by piece would take a
            // tenth of a second at 10,000 listings, for memory the system takes back at once.
            std::mem::forget(built);
            Ok(())
        }
        Err(BuildError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let files: std::collections::BTreeSet<&str> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.file.name.as_str())
                .collect();
            bail!(
                "the build stopped: {} in {}. Nothing was written; {} is as it was.",
                plural(diagnostics.error_count(), "problem"),
                plural(files.len(), "file"),
                shown(&dest)
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The site a build replaced, and what earlier builds left, removed by another process where
/// it can be (`tuning::detached_removal`), else here.
fn remove_leftovers(leftovers: Vec<dayopps::write::Leftover>) {
    let folders: Vec<PathBuf> = leftovers
        .into_iter()
        .map(dayopps::write::Leftover::into_path)
        .collect();
    if folders.is_empty()
        || dayopps::tuning::detached_removal::hand_over(&folders, REMOVE_LEFTOVERS)
    {
        return;
    }
    for folder in &folders {
        // Best effort: the new site is in place; a later build tries again.
        let _ = dayopps::write::remove_leftover(folder);
    }
}

fn colour(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The most warnings a command other than `check` prints: a generated or imported directory
/// can have tens of thousands, which would bury the errors and slow the build.
const WARNINGS_SHOWN: usize = 20;

/// Every error, and the first warnings; `dayopps check` lists them all.
fn print_diagnostics(diagnostics: &Diagnostics) {
    let (shown, hidden) = diagnostics.with_warnings_up_to(WARNINGS_SHOWN);
    eprint!(
        "{}",
        shown.render(Format::Human, colour(&std::io::stderr()))
    );
    if hidden > 0 {
        eprintln!(
            "... and {}: `dayopps check` lists every one.\n",
            plural(hidden, "more warning")
        );
    }
}
