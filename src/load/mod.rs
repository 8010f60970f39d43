//! Stage 1, load: read every file of a site into memory, checking only what can be checked
//! without understanding it (size, encoding, where it lives).

mod folder;
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
use folder::{Entries, Entry, Plan};

pub use kept::{Kept, Seen};

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

#[derive(Debug, Clone)]
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
    load_reusing(root, &Kept::off())
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
    let (listings, found) = listings(root, &content.join("listings"), kept)?;
    diags.extend(found);
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

/// The listing files in `dir` and their problems, looking at only the files a watcher named
/// since the load before when it can (`folder.rs`).
fn listings(
    root: &Path,
    dir: &Path,
    kept: &Kept,
) -> Result<(Vec<ListingFile>, Diagnostics), LoadError> {
    let plan = kept.folder().plan(root, dir);
    let (entries, looked_at) = match plan {
        Plan::Scan => scan(root, dir, kept).map(|e| {
            let n = e.len();
            (e, n)
        }),
        Plan::Look(entries, paths) => look_again(root, dir, kept, entries, &paths),
    }
    .inspect_err(|_| kept.folder().found(dir, None, 0))?;
    let mut listings = Vec::with_capacity(entries.len());
    let mut diags = Diagnostics::default();
    if !kept.folder().watched {
        // Nothing is kept for the next load: the entries are taken apart, not copied.
        for entry in entries.into_values() {
            listings.extend(entry.listing);
            diags.extend(entry.found);
        }
        kept.folder().found(dir, Some(Entries::new()), looked_at);
        return Ok((listings, diags));
    }
    for entry in entries.values() {
        listings.extend(entry.listing.clone());
        diags.extend(entry.found.clone());
        // Kept for a later load that looks at every file, as if it had been asked for.
        if let (Some(stamp), Some(listing)) = (entry.stamp, &entry.listing) {
            kept.texts.keep(stamp, Arc::clone(&listing.file));
        }
    }
    kept.folder().found(dir, Some(entries), looked_at);
    Ok((listings, diags))
}

/// Every file in the listings folder `dir`, read side by side: a directory has thousands of
/// listings, and `serve` may look at them all again after a save.
fn scan(root: &Path, dir: &Path, kept: &Kept) -> Result<Entries, LoadError> {
    let walked = walk_all(dir, 1)?;
    walked
        .into_par_iter()
        .map(|(path, is_link)| {
            let entry = match is_link {
                true => link_entry(root, &path),
                false => listing_entry(root, &path, kept)?,
            };
            Ok((path, entry))
        })
        .collect()
}

/// `entries` with the files at `paths` looked at again: read, added or dropped.
fn look_again(
    root: &Path,
    dir: &Path,
    kept: &Kept,
    mut entries: Entries,
    paths: &[PathBuf],
) -> Result<(Entries, usize), LoadError> {
    let mut looked_at = 0;
    for path in paths.iter().filter(|p| folder::directly_in(p, dir)) {
        looked_at += 1;
        let entry = match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => link_entry(root, path),
            Ok(meta) if meta.is_file() => listing_entry(root, path, kept)?,
            // Gone, or a folder, which a scan passes over too.
            Ok(_) => {
                entries.remove(path);
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                entries.remove(path);
                continue;
            }
            Err(source) => {
                return Err(LoadError::Io {
                    path: path.clone(),
                    source,
                });
            }
        };
        entries.insert(path.clone(), entry);
    }
    Ok((entries, looked_at))
}

/// A link in the listings folder: refused, so nothing outside the content is ever read.
fn link_entry(root: &Path, path: &Path) -> Entry {
    let mut found = Diagnostics::default();
    found.push(link_refused(root, path));
    Entry {
        listing: None,
        found,
        stamp: None,
    }
}

/// The listing in the file at `path`, unless it is not one or cannot be read, with its
/// problems.
fn listing_entry(root: &Path, path: &Path, kept: &Kept) -> Result<Entry, LoadError> {
    let mut found = Diagnostics::default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "md" => Format::Markdown,
        "yaml" | "yml" => Format::Yaml,
        _ => {
            let file = SourceFile::new(display_path(root, path), String::new());
            found.push(
                Diagnostic::warning(&file, 0..0, "this file was ignored")
                    .with_help("listings are .md or .yaml files"),
            );
            return Ok(Entry {
                listing: None,
                found,
                stamp: None,
            });
        }
    };
    let (file, stamp) = read_text_stamped(root, path, kept, &mut found)?;
    Ok(Entry {
        listing: file.map(|file| ListingFile {
            slug: stem(path),
            file,
            format,
        }),
        found,
        stamp,
    })
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
    let mut out = Vec::new();
    for (path, is_link) in walk_all(dir, depth)? {
        if is_link {
            diags.push(link_refused(root, &path));
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

/// The files and links under `dir`, down to `depth`, sorted by name, but hidden ones; each
/// with whether it is a link.
fn walk_all(dir: &Path, depth: usize) -> Result<Vec<(PathBuf, bool)>, LoadError> {
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
            out.push((entry.into_path(), true));
        } else if entry.file_type().is_file() {
            out.push((entry.into_path(), false));
        }
    }
    Ok(out)
}

fn link_refused(root: &Path, path: &Path) -> Diagnostic {
    let file = SourceFile::new(display_path(root, path), String::new());
    Diagnostic::error(&file, 0..0, "links are not allowed in content")
        .with_help("replace the link with the file itself")
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
    read_text_stamped(root, path, kept, diags).map(|(file, _)| file)
}

/// As `read_text`, with the stamp the file's text is kept under, if any.
fn read_text_stamped(
    root: &Path,
    path: &Path,
    kept: &Kept,
    diags: &mut Diagnostics,
) -> Result<(Option<Arc<SourceFile>>, Option<u64>), LoadError> {
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
        (Ok(file), stamp) => Ok((Some(file), stamp)),
        (Err(Unread::Refused(refused)), _) => {
            diags.push(*refused);
            Ok((None, None))
        }
        (Err(Unread::Failed(e)), _) => Err(e),
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
