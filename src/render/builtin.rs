//! The default theme, compiled into the binary from `themes/default/` (see build.rs), so that
//! a council's site needs no theme folder: a site's own `themes/<name>/` only holds the files
//! it changes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The name of the built-in theme, and the theme a site gets when site.yaml names none.
pub const NAME: &str = "default";

/// The theme's files as paths inside a theme folder (`templates/home.html`, `static/style.css`)
/// with their bytes, in name order.
pub fn files() -> impl Iterator<Item = (String, &'static [u8])> {
    let templates = TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes()));
    let assets = STATIC
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), *bytes));
    templates.chain(assets)
}

/// Writes the built-in theme into `dir` (`dayopps theme eject`), and nothing at all when any of
/// its files is already there: a theme someone has changed is never overwritten. Returns the
/// files written, or those that were in the way.
pub fn eject(dir: &Path) -> Result<Vec<PathBuf>, EjectError> {
    let targets: Vec<(PathBuf, &[u8])> = files().map(|(name, b)| (dir.join(name), b)).collect();
    let in_the_way: Vec<PathBuf> = targets
        .iter()
        .filter(|(path, _)| fs::symlink_metadata(path).is_ok())
        .map(|(path, _)| path.clone())
        .collect();
    if !in_the_way.is_empty() {
        return Err(EjectError::Exists(in_the_way));
    }
    for (path, bytes) in &targets {
        let io = |source| EjectError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(path, bytes).map_err(io)?;
    }
    Ok(targets.into_iter().map(|(path, _)| path).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum EjectError {
    #[error("{} already exist{}, and the theme is never written over a file", shown_files(.0), if .0.len() == 1 { "s" } else { "" })]
    Exists(Vec<PathBuf>),
    #[error("could not write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn shown_files(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        [first, rest @ ..] => format!("{} and {} more of its files", first.display(), rest.len()),
        [] => String::new(),
    }
}
