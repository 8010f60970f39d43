//! `dayopps import`: listings from other directories' open data. Each service becomes one
//! listing file; whatever the listing format cannot hold is written into its description
//! under a heading and reported, so nothing is lost without saying so.

pub mod draft;
pub mod oruk;

use std::path::{Path, PathBuf};

use crate::model::{Date, SiteConfig};

pub use draft::Draft;

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
        "{0}\n  help: give one ORUK service, a list of services, or a page of them with `contents`"
    )]
    Shape(String),
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
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| ImportError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let services = oruk::services(&json).map_err(ImportError::Shape)?;
    let mut drafts: Vec<Draft> = services
        .iter()
        .map(|s| oruk::map(s, config, today))
        .collect();
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
