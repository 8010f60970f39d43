//! `dayopps init`: a new council's directory, ready to build, check and publish.
//!
//! Everything it writes is text a council's team is expected to read and change: the site's
//! settings with the default vocabularies written out, the plain pages a council directory
//! needs, one example listing, and the GitHub workflows that check pull requests and publish.

mod site_yaml;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::Date;
use crate::text::long_date;

/// The repository whose GitHub Action and releases the workflows use.
pub const ACTION: &str = "dayopps/dayopps";
/// The version of dayopps the workflows download: the one that wrote them.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the new site is about.
#[derive(Debug, Clone)]
pub struct Settings {
    pub council: String,
    pub base_url: String,
    /// The date on the example listing and the accessibility statement.
    pub today: Date,
}

impl Settings {
    pub fn new(council: Option<String>, base_url: Option<String>, today: Date) -> Settings {
        Settings {
            council: council.unwrap_or_else(|| "Example Council".into()),
            base_url: base_url.unwrap_or_else(|| "https://dayopps.example.org/".into()),
            today,
        }
    }
}

/// The files of a new site, by their path inside it, in the order they are written.
pub fn files(s: &Settings) -> Vec<(&'static str, String)> {
    let fill = |text: &str| {
        text.replace("@COUNCIL@", &s.council)
            .replace("@ACTION@", ACTION)
            .replace("@VERSION@", VERSION)
            .replace("@TODAY@", &s.today.to_string())
            .replace("@DATE@", &long_date(s.today))
    };
    vec![
        ("site.yaml", site_yaml::text(s)),
        (
            "content/pages/about.md",
            include_str!("files/about.md").into(),
        ),
        (
            "content/pages/accessibility-statement.md",
            fill(include_str!("files/accessibility-statement.md")),
        ),
        (
            "content/pages/how-to-get-a-place.md",
            include_str!("files/how-to-get-a-place.md").into(),
        ),
        (
            "content/pages/providers.md",
            include_str!("../../content/pages/providers.md").into(),
        ),
        (
            "content/listings/example-day-centre.md",
            fill(include_str!("files/example-listing.md")),
        ),
        ("content/images/.gitkeep", String::new()),
        (
            ".github/workflows/check.yml",
            fill(include_str!("files/check.yml")),
        ),
        (
            ".github/workflows/publish.yml",
            fill(include_str!("files/publish.yml")),
        ),
        (
            ".github/PULL_REQUEST_TEMPLATE.md",
            include_str!("../../.github/PULL_REQUEST_TEMPLATE.md").into(),
        ),
        (".gitignore", include_str!("files/gitignore").into()),
        ("README.md", fill(include_str!("files/README.md"))),
    ]
}

/// Writes a new site into `dir`, which must be missing or empty; returns the files written.
pub fn init(dir: &Path, settings: &Settings) -> Result<Vec<PathBuf>, InitError> {
    if let Some(found) = first_entry(dir)? {
        return Err(InitError::NotEmpty {
            dir: dir.to_path_buf(),
            found,
        });
    }
    let mut written = Vec::new();
    for (rel, text) in files(settings) {
        let path = dir.join(rel);
        let io = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

/// Something already in `dir`, if there is anything.
fn first_entry(dir: &Path) -> Result<Option<PathBuf>, InitError> {
    let io = |source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
        Ok(meta) if !meta.is_dir() => return Err(InitError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {}
    }
    let mut entries = fs::read_dir(dir).map_err(io)?;
    Ok(entries.next().transpose().map_err(io)?.map(|e| e.path()))
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{} is not empty: it holds {}, and a new directory is only started in an empty folder so that nothing of yours is written over\n  help: name a new folder, such as `dayopps init my-council`",
        .dir.display(),
        .found.display()
    )]
    NotEmpty { dir: PathBuf, found: PathBuf },
    #[error(
        "{} is a file, not a folder\n  help: name a new folder, such as `dayopps init my-council`",
        .0.display()
    )]
    NotAFolder(PathBuf),
    #[error("could not write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}
