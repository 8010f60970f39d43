//! Stage 1, load: read every file of a site into memory, checking only what can be checked
//! without understanding it (size, encoding, where it lives).

pub mod front_matter;
mod kept;
pub mod postcodes;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, display_path};
use crate::memo::Memo;

pub use kept::Kept;

/// Listing and page files larger than this are refused: no real entry comes near it.
pub const MAX_TEXT_FILE: u64 = 512 * 1024;
/// Images larger than this are refused: they would be slow on a phone.
pub const MAX_IMAGE_FILE: u64 = 5 * 1024 * 1024;

/// How a listing file holds its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML front matter, then the Markdown description.
    Markdown,
    /// Plain YAML; `description` holds the Markdown.
    Yaml,
}

#[derive(Debug)]
pub struct ListingFile {
    pub file: Arc<SourceFile>,
    pub slug: String,
    pub format: Format,
}

#[derive(Debug)]
pub struct PageFile {
    pub file: Arc<SourceFile>,
    pub slug: String,
}

/// The raw contents of a site.
#[derive(Debug)]
pub struct Input {
    pub root: PathBuf,
    pub site: Arc<SourceFile>,
    pub listings: Vec<ListingFile>,
    pub pages: Vec<PageFile>,
    /// Files in content/images/: path relative to it, and where it is on disk.
    pub images: Vec<(String, PathBuf)>,
    /// The postcode table site.yaml names (`postcodes:`), when it names one that could be read.
    pub postcodes: Option<Arc<SourceFile>>,
}

/// Something that stops loading altogether (as opposed to a problem in one file).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "there is no site.yaml in {root}\n  help: run dayopps in the folder that holds site.yaml, or pass --root FOLDER"
    )]
    NoSiteFile { root: PathBuf },
    #[error("could not read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Reads site.yaml and everything under content/.
pub fn load(root: &Path) -> Result<(Input, Diagnostics), LoadError> {
    load_reusing(root, &Memo::off())
}

/// As `load`, taking from `kept` the text of each file the load before read that has not
/// changed since (`kept.rs` says how that is known).
pub fn load_reusing(root: &Path, kept: &Kept) -> Result<(Input, Diagnostics), LoadError> {
    let mut diags = Diagnostics::default();
    let site_path = root.join("site.yaml");
    if !site_path.is_file() {
        return Err(LoadError::NoSiteFile {
            root: root.to_path_buf(),
        });
    }
    // An unreadable site.yaml is reported, then read as empty.
    let site = read_text(root, &site_path, kept, &mut diags)?
        .unwrap_or_else(|| SourceFile::new("site.yaml", String::new()));
    let content = root.join("content");
    // Read side by side: a directory has thousands of listings, and `serve` reads them all
    // again after every save.
    let read: Vec<_> = files_in(root, &content.join("listings"), &mut diags)?
        .into_par_iter()
        .map(|(path, ext)| {
            let mut found = Diagnostics::default();
            let listing = listing_file(root, &path, &ext, kept, &mut found)?;
            Ok((listing, found))
        })
        .collect::<Result<_, LoadError>>()?;
    let mut listings = Vec::new();
    for (listing, found) in read {
        diags.extend(found);
        listings.extend(listing);
    }
    let mut pages = Vec::new();
    for (path, ext) in files_in(root, &content.join("pages"), &mut diags)? {
        if ext == "md" {
            let Some(file) = read_text(root, &path, kept, &mut diags)? else {
                continue;
            };
            pages.push(PageFile {
                slug: stem(&path),
                file,
            });
        }
    }
    let images = image_files(root, &content.join("images"), &mut diags)?;
    let postcodes = postcodes::table(root, &site, &mut diags)?;
    let input = Input {
        root: root.to_path_buf(),
        site,
        listings,
        pages,
        images,
        postcodes,
    };
    Ok((input, diags))
}

/// The listing in the file at `path`, or `None` when it is not one or cannot be read.
fn listing_file(
    root: &Path,
    path: &Path,
    ext: &str,
    kept: &Kept,
    diags: &mut Diagnostics,
) -> Result<Option<ListingFile>, LoadError> {
    let format = match ext {
        "md" => Format::Markdown,
        "yaml" | "yml" => Format::Yaml,
        _ => {
            let file = SourceFile::new(display_path(root, path), String::new());
            diags.push(
                Diagnostic::warning(&file, 0..0, "this file was ignored")
                    .with_help("listings are .md or .yaml files"),
            );
            return Ok(None);
        }
    };
    Ok(read_text(root, path, kept, diags)?.map(|file| ListingFile {
        slug: stem(path),
        file,
        format,
    }))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files directly inside `dir` with their lower-cased extensions, sorted by name.
/// Links are refused so that nothing outside the content folder is ever read.
fn files_in(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<(PathBuf, String)>, LoadError> {
    walk(root, dir, 1, diags).map(|entries| {
        entries
            .into_iter()
            .map(|p| {
                let ext = p
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                (p, ext)
            })
            .collect()
    })
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    diags: &mut Diagnostics,
) -> Result<Vec<PathBuf>, LoadError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| LoadError::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into(),
        })?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if entry.path_is_symlink() {
            let file = SourceFile::new(display_path(root, entry.path()), String::new());
            diags.push(
                Diagnostic::error(&file, 0..0, "links are not allowed in content")
                    .with_help("replace the link with the file itself"),
            );
        } else if entry.file_type().is_file() {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

fn image_files(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<(String, PathBuf)>, LoadError> {
    let mut out = Vec::new();
    for path in walk(root, dir, 8, diags)? {
        let size = fs::metadata(&path)
            .map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?
            .len();
        if size > MAX_IMAGE_FILE {
            let file = SourceFile::new(display_path(root, &path), String::new());
            diags.push(
                Diagnostic::error(
                    &file,
                    0..0,
                    format!(
                        "this image is {} KB, too large for people on mobile data",
                        size / 1024
                    ),
                )
                .with_help(format!("make it smaller than {} KB", MAX_IMAGE_FILE / 1024)),
            );
        }
        out.push((display_path(dir, &path), path));
    }
    Ok(out)
}

/// Reads a text file, or takes it from `kept` when it has not changed since the load
/// before; a problem with the file itself (size, encoding) becomes a diagnostic and `None`,
/// so that nothing else is reported about a file that could not be read.
fn read_text(
    root: &Path,
    path: &Path,
    kept: &Kept,
    diags: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    let read = || match read_unkept(root, path, meta.len())? {
        Ok(file) => Ok(file),
        Err(refused) => Err(Unread::Refused(refused)),
    };
    match kept::get_or_read(kept, path, &meta, read) {
        Ok(file) => Ok(Some(file)),
        Err(Unread::Refused(refused)) => {
            diags.push(*refused);
            Ok(None)
        }
        Err(Unread::Failed(e)) => Err(e),
    }
}

/// Why a file's text was not read.
enum Unread {
    /// The file is not one the build reads: the problem, for its author.
    Refused(Box<Diagnostic>),
    Failed(LoadError),
}

impl From<LoadError> for Unread {
    fn from(e: LoadError) -> Self {
        Unread::Failed(e)
    }
}

/// A text file `size` bytes long read from the disk, or why it is refused.
fn read_unkept(
    root: &Path,
    path: &Path,
    size: u64,
) -> Result<Result<Arc<SourceFile>, Box<Diagnostic>>, LoadError> {
    let name = display_path(root, path);
    if size > MAX_TEXT_FILE {
        let file = SourceFile::new(name, String::new());
        return Ok(Err(Box::new(
            Diagnostic::error(&file, 0..0, format!("this file is {} KB, more than the {} KB allowed", size / 1024, MAX_TEXT_FILE / 1024))
                .with_help("a listing or page this long is almost certainly a mistake: check what was pasted into it"),
        )));
    }
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let file = SourceFile::new(name, String::new());
            return Ok(Err(Box::new(
                Diagnostic::error(
                    &file,
                    0..0,
                    format!(
                        "this file is not UTF-8 text (bad byte at position {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_help("save the file as UTF-8 in your editor"),
            )));
        }
    };
    // A byte order mark is invisible to people and harmless to us: drop it.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(Ok(SourceFile::new(name, text)))
}
