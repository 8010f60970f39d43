//! `dayopps import`: listings from other directories' open data. Each service becomes one
//! listing file; whatever the listing format cannot hold is written into its description
//! under a heading and reported, so nothing is lost without saying so.

pub mod draft;
pub mod fetch;
pub mod oruk;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::model::{Date, SiteConfig};

pub use draft::Draft;
pub use fetch::Limits;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not JSON: {message}")]
    Json { path: PathBuf, message: String },
    #[error(
        "{0}\n  help: give one ORUK service, a list of services, or a page of them (`contents`, or v1's `content`)"
    )]
    Shape(String),
    #[error(
        "could not read the feed at {url}: {message}\n  help: check the address opens the feed's /services (JSON) in a browser"
    )]
    Fetch { url: String, message: String },
    #[error("{0}\n  help: check the feed's paging, or raise the limit with --max-pages")]
    Paging(String),
    #[error("{0} answered 404 Not Found\n  help: give the address of the feed's /services")]
    NotFound(String),
    #[error(
        "{0} already exists\n  help: importing never overwrites a listing; move or rename it first"
    )]
    Exists(PathBuf),
    #[error("could not write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Reads ORUK JSON from `path` and maps every service in it to a listing.
pub fn read_oruk(path: &Path, config: &SiteConfig, today: Date) -> Result<Vec<Draft>, ImportError> {
    let json = read_file(path)?;
    map_pages(&[(path.display().to_string(), json)], config, today)
}

/// Reads ORUK JSON from a file, or from every page of a feed at an http(s) address.
pub fn read_oruk_from(
    source: &str,
    config: &SiteConfig,
    today: Date,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Vec<Draft>, ImportError> {
    if fetch::is_url(source) {
        let pages = fetch::pages(source, limits, progress)?;
        return map_pages(&pages, config, today);
    }
    read_oruk(Path::new(source), config, today)
}

fn read_file(path: &Path) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| ImportError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Every service of every page (each named by where it came from) as a listing, a service
/// the feed repeats word for word once, and each file and id used once.
fn map_pages(
    pages: &[(String, Value)],
    config: &SiteConfig,
    today: Date,
) -> Result<Vec<Draft>, ImportError> {
    let mut services = Vec::new();
    for (from, json) in pages {
        let found = oruk::services(json).map_err(|e| {
            let at = if pages.len() > 1 {
                format!("{from}: ")
            } else {
                String::new()
            };
            ImportError::Shape(format!("{at}{e}"))
        })?;
        services.extend(found);
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let mut kept: Vec<&Value> = Vec::new();
    for s in services {
        if let Some(i) = kept.iter().position(|k| *k == s) {
            drafts[i]
                .notes
                .push("the feed gives this service twice, word for word: imported once".into());
            continue;
        }
        kept.push(s);
        drafts.push(oruk::map(s, config, today));
    }
    draft::unique_ids(&mut drafts);
    draft::unique_slugs(&mut drafts);
    Ok(drafts)
}

/// Writes each draft to content/listings/ under `root`; if any file exists, writes none.
pub fn write(root: &Path, drafts: &[Draft]) -> Result<Vec<PathBuf>, ImportError> {
    let dir = root.join("content/listings");
    let paths: Vec<PathBuf> = drafts
        .iter()
        .map(|d| dir.join(format!("{}.md", d.slug)))
        .collect();
    for (d, path) in drafts.iter().zip(&paths) {
        let yaml = dir.join(format!("{}.yaml", d.slug));
        if let Some(taken) = [path, &yaml].into_iter().find(|p| p.exists()) {
            return Err(ImportError::Exists(taken.clone()));
        }
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    for (d, path) in drafts.iter().zip(&paths) {
        std::fs::write(path, d.text()).map_err(io(path))?;
    }
    Ok(paths)
}
