//! The council's postcode table, named by site.yaml's `postcodes:`: read as text, refusing
//! anything that could read outside the site (an absolute path, `..`, a link), an oversized
//! file and other encodings. What the rows mean is validate's job.

use std::fs;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, display_path};

use super::{LoadError, yaml};

/// Tables larger than this are refused. A borough and its neighbours cut from the ONSPD is
/// about 100,000 postcodes: a few MB with three columns, some 30 MB with all of them.
pub const MAX_TABLE_FILE: u64 = 16 * 1024 * 1024;

/// The table site.yaml names, or `None` when it names none or it cannot be read (reported).
pub fn table(
    root: &Path,
    site: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>, LoadError> {
    // A site.yaml that does not parse, or a `postcodes` that is not text, is validate's to
    // report, with everything else wrong in site.yaml.
    let Ok((value, spans)) = yaml::parse(&site.text, 0) else {
        return Ok(None);
    };
    let Some(name) = value.get("postcodes").and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    let at = spans.value("postcodes");
    let refuse = |diags: &mut Diagnostics, message: String, help: &str| {
        diags.push(Diagnostic::error(site, at.clone(), message).with_help(help));
        Ok(None)
    };
    let Some(path) = inside(root, name) else {
        return refuse(
            diags,
            format!("`{name}` is not a file inside the site's folder"),
            "give a path relative to the folder that holds site.yaml, such as `data/postcodes.csv`",
        );
    };
    if let Some(link) = first_link(root, &path) {
        return refuse(
            diags,
            format!("`{}` is a link", display_path(root, &link)),
            "put the table itself in the site's folder, not a link to it",
        );
    }
    let meta = match fs::metadata(&path) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => return refuse(diags, format!("`{name}` is not a file"), TABLE_HELP),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return refuse(diags, format!("there is no file `{name}`"), TABLE_HELP);
        }
        Err(source) => return Err(LoadError::Io { path, source }),
    };
    if meta.len() > MAX_TABLE_FILE {
        return refuse(
            diags,
            format!(
                "`{name}` is {:.1} MB, more than the {} MB allowed",
                meta.len() as f64 / (1024.0 * 1024.0),
                MAX_TABLE_FILE / (1024 * 1024)
            ),
            "keep only the postcode, latitude and longitude columns (ONSPD's pcds, lat and long), and only the postcodes of the borough and its neighbours",
        );
    }
    read(root, &path, site, at, diags)
}

const TABLE_HELP: &str = "check the path, which is relative to the folder that holds site.yaml; or remove the `postcodes:` line to build without a postcode table";

/// The table's text; a file that is not UTF-8 is reported at the `postcodes:` line.
fn read(
    root: &Path,
    path: &Path,
    site: &Arc<SourceFile>,
    at: Range<usize>,
    diags: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>, LoadError> {
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = display_path(root, path);
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            Ok(Some(SourceFile::new(name, text)))
        }
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    site,
                    at,
                    format!(
                        "`{name}` is not UTF-8 text (bad byte at position {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_help("the table should be a CSV file of postcodes, latitudes and longitudes saved as UTF-8"),
            );
            Ok(None)
        }
    }
}

/// `name` under `root`, when it is a plain relative path that cannot climb out of it.
fn inside(root: &Path, name: &str) -> Option<PathBuf> {
    let rel = Path::new(name);
    let plain = !name.trim().is_empty()
        && !name.contains('\\')
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    plain.then(|| root.join(rel))
}

/// The first link on the way from `root` to `path` (the path itself included), if any.
fn first_link(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside() {
        let root = Path::new("/site");
        assert_eq!(
            inside(root, "data/postcodes.csv"),
            Some(PathBuf::from("/site/data/postcodes.csv"))
        );
        assert_eq!(inside(root, "../postcodes.csv"), None);
        assert_eq!(inside(root, "data/../../x.csv"), None);
        assert_eq!(inside(root, "/etc/passwd"), None);
        assert_eq!(inside(root, "data\\..\\x.csv"), None);
        assert_eq!(inside(root, " "), None);
    }
}
