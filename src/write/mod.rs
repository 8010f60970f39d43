//! Stage 4, write: the rendered site goes to disk all at once. It is written beside the
//! output folder and swapped in only when complete, so a failed build leaves the old site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A file of the built site.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied from this file when written (images).
    Copy(PathBuf),
}

/// The whole built site in memory, by path relative to the output folder.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
}

impl Output {
    pub fn add(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_string(), Content::Bytes(bytes));
    }

    pub fn copy(&mut self, path: &str, from: PathBuf) {
        self.files.insert(path.to_string(), Content::Copy(from));
    }

    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(path)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("could not write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "refusing to write the site to {0}: it holds the site's own files\n  help: choose an output folder of its own, such as public/"
    )]
    UnsafeOutput(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Minified HTML: smaller pages for people on mobile data.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}

/// Refuses output folders whose replacement would delete the site's sources.
pub fn check_output_is_safe(root: &Path, output: &Path) -> Result<(), WriteError> {
    let abs = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, out) = (abs(root), abs(output));
    let protected = ["site.yaml", "content", "themes", "src", ".git"];
    let holds_sources = protected.iter().any(|p| out.join(p).exists());
    if root.starts_with(&out)
        || holds_sources
        || out.starts_with(root.join("content"))
        || out.starts_with(root.join("themes"))
    {
        return Err(WriteError::UnsafeOutput(output.to_path_buf()));
    }
    Ok(())
}

/// Writes `out` to `dest`, replacing what was there only once everything is written.
pub fn write_atomically(out: &Output, dest: &Path) -> Result<(), WriteError> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dest
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let result = write_all(out, &staging).and_then(|()| swap_in(&staging, dest, &parent, &name));
    if result.is_err() {
        // Best effort: the error being returned matters more than a leftover folder.
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(out: &Output, dir: &Path) -> Result<(), WriteError> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(io(dir))?;
    }
    let mut folders: Vec<PathBuf> = out
        .files
        .keys()
        .filter_map(|p| dir.join(p).parent().map(Path::to_path_buf))
        .collect();
    folders.dedup();
    folders.push(dir.to_path_buf());
    for folder in &folders {
        fs::create_dir_all(folder).map_err(io(folder))?;
    }
    out.files.par_iter().try_for_each(|(rel, content)| {
        let path = dir.join(rel);
        match content {
            Content::Bytes(bytes) => fs::write(&path, bytes).map_err(io(&path)),
            Content::Copy(from) => fs::copy(from, &path).map(|_| ()).map_err(io(from)),
        }
    })
}

fn swap_in(staging: &Path, dest: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !dest.exists() {
        return fs::rename(staging, dest).map_err(io(dest));
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    fs::rename(dest, &old).map_err(io(dest))?;
    if let Err(e) = fs::rename(staging, dest) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, dest);
        return Err(io(dest)(e));
    }
    fs::remove_dir_all(&old).map_err(io(&old))
}
