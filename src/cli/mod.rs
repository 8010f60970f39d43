//! The command line: one function a command, each in the file of its kind. This file holds
//! the arguments and sends each command to its function.

mod build;
mod import;
mod search;
mod site;
mod start;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use dayopps::build::BuildOptions;
use dayopps::diagnostics::Format;
use dayopps::serve::Production;

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
    Serve(ServeArgs),
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

/// The arguments of `dayopps serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The folder holding site.yaml
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Serve for the public: build once, as `build` would, and serve read-only with
    /// caching headers and a log line a request; no watching, no reloading
    #[arg(long)]
    pub production: bool,
    /// With --production: the address the site is published at, instead of site.yaml's
    /// base_url
    #[arg(long, requires = "production")]
    pub base_url: Option<String>,
    /// With --production: how many requests to answer at once [default: twice the cores]
    #[arg(long, requires = "production", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: Option<u16>,
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
            Ok(site::check_command(&BuildOptions::new(root), format.into()))
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
        } => build::build_command(BuildOptions {
            output,
            base_url,
            drafts,
            ..options(root)
        }),
        Command::Check { .. } => unreachable!("`run` answers check"),
        Command::Schema { root } => site::schema_command(&options(root)),
        Command::Search {
            query,
            near,
            filters,
            json,
            limit,
            root,
            output,
        } => {
            let asked = search::Asked {
                text: query,
                filters,
                near,
            };
            let options = BuildOptions {
                output,
                ..options(root)
            };
            search::search_command(&options, asked, json, limit)
        }
        Command::Init {
            dir,
            council,
            base_url,
        } => start::init_command(&dir, council, base_url),
        Command::Theme(ThemeCommand::Eject { root }) => start::eject_command(&root),
        Command::Serve(args) => serve_command(args),
        Command::Terms => search::terms_command(),
        Command::New { name, root } => start::new_command(&options(root), &name),
        Command::Report { root, format } => site::report_command(&options(root), format),
        Command::Import {
            kind: ImportKind::Oruk,
            source,
            root,
            max_pages,
        } => import::import_command(&options(root), &source, max_pages),
        Command::RemoveLeftovers { folders } => build::remove_leftovers_command(&folders),
    }
}

/// `dayopps serve`: the preview server, or with `--production` the site and its API for the
/// public.
fn serve_command(args: ServeArgs) -> Result<()> {
    if !args.production {
        return Ok(dayopps::serve::serve(
            &BuildOptions::new(args.root),
            &args.bind,
            args.port,
        )?);
    }
    let options = BuildOptions {
        base_url: args.base_url,
        ..BuildOptions::new(args.root)
    };
    let how = Production {
        bind: args.bind,
        port: args.port,
        workers: args
            .workers
            .map_or_else(Production::default_workers, usize::from),
    };
    Ok(dayopps::serve::serve_production(&options, &how)?)
}
