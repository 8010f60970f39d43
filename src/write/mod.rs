//! Stage 4, write: each file goes to disk as it is made, into a staging folder beside the
//! output folder that is swapped in only when complete, so a failed build leaves the old site.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod scratch;
mod swap;

pub use scratch::{made_in_buffer, with_buffer};
pub use swap::{Leftover, Staging, remove_leftover};

/// A file of the built site.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Bytes kept elsewhere too (by `dayopps serve`, for its next build to reuse).
    Shared(std::sync::Arc<[u8]>),
    /// Copied from this file when written (images).
    Copy(PathBuf),
    /// Already written to the staging folder.
    Written,
}

impl Content {
    /// The bytes of a file held in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Content::Bytes(b) => Some(b),
            Content::Shared(b) => Some(b),
            Content::Copy(_) | Content::Written => None,
        }
    }
}

/// The built site by path relative to the output folder: in memory, or, for `build`, written
/// to the staging folder as each file is added so the whole site is never held at once.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
    disk: Option<Disk>,
    /// The first write that failed; `finish` reports it.
    failed: Option<WriteError>,
}

impl Output {
    /// An output that writes every file into `dir` as it is added.
    pub fn on_disk(dir: &Path) -> Self {
        Output {
            disk: Some(Disk {
                dir: dir.to_path_buf(),
                folders: Mutex::default(),
            }),
            ..Output::default()
        }
    }

    pub fn add(&mut self, path: &str, bytes: Vec<u8>) {
        self.put(path, Content::Bytes(bytes));
    }

    pub fn copy(&mut self, path: &str, from: PathBuf) {
        self.put(path, Content::Copy(from));
    }

    /// What `insert` will hold for a file: for an output on disk the file is written now, so
    /// rendering threads can write their pages side by side.
    pub fn prepare(&self, path: &str, content: Content) -> Result<Content, WriteError> {
        match &self.disk {
            Some(disk) if !matches!(content, Content::Written) => {
                disk.write(path, &content)?;
                Ok(Content::Written)
            }
            _ => Ok(content),
        }
    }

    /// As `prepare`, for a file whose bytes are those of the file at `same_as`, prepared by
    /// this output already: on disk it is given that file's bytes by a hard link where it can
    /// be (`tuning::same_file`), and written otherwise.
    pub fn prepare_same_as(
        &self,
        path: &str,
        same_as: &str,
        content: Content,
    ) -> Result<Content, WriteError> {
        match &self.disk {
            Some(disk) if !matches!(content, Content::Written) => {
                if !disk.link(path, same_as)? {
                    disk.write(path, &content)?;
                }
                Ok(Content::Written)
            }
            _ => Ok(content),
        }
    }

    /// Records a file `prepare` made.
    pub fn insert(&mut self, path: String, content: Content) {
        self.files.insert(path, content);
    }

    /// Records what `prepare` gave for a file; a failed write is kept for `finish` to report.
    pub fn record(&mut self, path: String, prepared: Result<Content, WriteError>) {
        let content = prepared.unwrap_or_else(|e| {
            self.failed.get_or_insert(e);
            Content::Written
        });
        self.insert(path, content);
    }

    /// Adds a file whose bytes `make` writes, in order: on disk through a buffer, so a file
    /// of every service (services.csv, 270 MB at 100,000 listings) is never whole in memory.
    pub fn add_streamed(
        &mut self,
        path: &str,
        make: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) {
        let prepared = match &self.disk {
            Some(disk) => disk.stream(path, make).map(|()| Content::Written),
            None => {
                let mut bytes = Vec::new();
                make(&mut bytes)
                    .map(|()| Content::Bytes(bytes))
                    .map_err(io(Path::new(path)))
            }
        };
        self.record(path.to_string(), prepared);
    }

    /// Adds a file now.
    fn put(&mut self, path: &str, content: Content) {
        let prepared = self.prepare(path, content);
        self.record(path.to_string(), prepared);
    }

    /// Takes in another output's files (written already when both are on disk).
    pub fn extend(&mut self, other: Output) {
        if let Some(e) = other.failed {
            self.failed.get_or_insert(e);
        }
        for (path, content) in other.files {
            self.put(&path, content);
        }
    }

    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(path)
    }

    /// The output, or the first write that failed.
    pub fn finish(mut self) -> Result<Self, WriteError> {
        match self.failed.take() {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }
}

/// The buffer a streamed file is written through: a few large writes rather than one a row.
const STREAM_BUFFER: usize = 1 << 20;

/// The folder an output writes into, and the folders in it made so far.
#[derive(Debug)]
struct Disk {
    dir: PathBuf,
    /// Folders known to exist (relative paths): most files share theirs with others, and
    /// asking the file system again costs two system calls a file.
    folders: Mutex<HashSet<String>>,
}

impl Disk {
    fn write(&self, rel: &str, content: &Content) -> Result<(), WriteError> {
        let path = self.dir.join(rel);
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        match content {
            Content::Bytes(_) | Content::Shared(_) => {
                fs::write(&path, content.bytes().unwrap_or_default()).map_err(io(&path))
            }
            Content::Copy(from) => fs::copy(from, &path).map(|_| ()).map_err(io(from)),
            Content::Written => Ok(()),
        }
    }

    /// Writes the file at `rel` as `make` writes its bytes.
    fn stream(
        &self,
        rel: &str,
        make: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let path = self.dir.join(rel);
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        let file = fs::File::create(&path).map_err(io(&path))?;
        let mut buffered = std::io::BufWriter::with_capacity(STREAM_BUFFER, file);
        make(&mut buffered)
            .and_then(|()| buffered.flush())
            .map_err(io(&path))
    }

    /// Whether the file at `rel` could be made a second name of the one at `same_as`.
    fn link(&self, rel: &str, same_as: &str) -> Result<bool, WriteError> {
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        let (existing, new) = (self.dir.join(same_as), self.dir.join(rel));
        Ok(crate::tuning::same_file::link(&existing, &new))
    }

    fn make_folder(&self, rel: &str) -> Result<(), WriteError> {
        let known = |folders: &HashSet<String>| folders.contains(rel);
        if self.folders.lock().is_ok_and(|f| known(&f)) {
            return Ok(());
        }
        let path = self.dir.join(rel);
        fs::create_dir_all(&path).map_err(io(&path))?;
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(rel.to_string());
        }
        Ok(())
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
    #[error(
        "refusing to remove {0}: it is not a folder a build left beside its output (.NAME.old-N or .NAME.building-N)"
    )]
    NotLeftover(PathBuf),
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

/// A theme's script minified by oxc (comments and white space gone, local names shortened,
/// nothing that changes what it does), or as it was when it does not parse: the search
/// runtime is fetched by every first search, and its comments and long names were a third of
/// its gzipped bytes.
pub fn minify_script(js: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(js) else {
        return js.to_vec();
    };
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, text, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return js.to_vec();
    }
    let mut program = parsed.program;
    let minified = oxc_minifier::Minifier::new(oxc_minifier::MinifierOptions {
        mangle: Some(oxc_minifier::MangleOptions::default()),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code
        .into_bytes()
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

#[cfg(test)]
mod tests {
    use super::{Content, Output, minify_script};

    #[test]
    fn a_file_the_same_as_another_has_its_bytes_on_disk_and_in_memory() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let bytes: std::sync::Arc<[u8]> = std::sync::Arc::from(&b"{\"id\":1}\n"[..]);
        let mut disk = Output::on_disk(tmp.path());
        let first = disk.prepare("api/services/a.json", Content::Shared(bytes.clone()));
        disk.record("api/services/a.json".into(), first);
        let same = disk.prepare_same_as(
            "api/service_at_locations/b.json",
            "api/services/a.json",
            Content::Shared(bytes.clone()),
        );
        assert!(matches!(same, Ok(Content::Written)));
        let read = |rel: &str| std::fs::read(tmp.path().join(rel)).expect("written");
        assert_eq!(read("api/service_at_locations/b.json"), &*bytes);
        // Where the first file is missing, the bytes are written all the same.
        let alone =
            disk.prepare_same_as("c/d.json", "missing.json", Content::Shared(bytes.clone()));
        assert!(alone.is_ok());
        assert_eq!(read("c/d.json"), &*bytes);
        let memory = Output::default();
        let kept = memory.prepare_same_as("b.json", "a.json", Content::Shared(bytes.clone()));
        assert!(matches!(kept, Ok(Content::Shared(b)) if b == bytes));
    }

    #[test]
    fn a_streamed_file_has_every_byte_written_on_disk_and_in_memory() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let rows = |w: &mut dyn std::io::Write| -> std::io::Result<()> {
            for i in 0..100_000 {
                write!(w, "{i},")?;
            }
            Ok(())
        };
        let expected: String = (0..100_000).map(|i| format!("{i},")).collect();
        let mut disk = Output::on_disk(tmp.path());
        disk.add_streamed("a/b.csv", rows);
        let disk = disk.finish().expect("written");
        assert!(matches!(disk.get("a/b.csv"), Some(Content::Written)));
        let read = std::fs::read(tmp.path().join("a/b.csv")).expect("read");
        assert_eq!(read, expected.as_bytes());
        let mut memory = Output::default();
        memory.add_streamed("a/b.csv", rows);
        let bytes = memory.get("a/b.csv").and_then(Content::bytes);
        assert_eq!(bytes, Some(expected.as_bytes()));
    }

    #[test]
    fn a_streamed_file_that_fails_fails_the_output() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let mut disk = Output::on_disk(tmp.path());
        disk.add_streamed("c.csv", |_| Err(std::io::Error::other("no space")));
        assert!(disk.finish().is_err());
    }

    #[test]
    fn scripts_lose_comments_and_white_space_and_keep_what_they_do() {
        let js = b"/* a comment */\n(function () {\n  // why\n  var longName = /[\\p{L}]+/gu;\n  window.x = 'a  b'.match(longName);\n})();\n";
        let out = String::from_utf8(minify_script(js)).unwrap_or_default();
        assert!(!out.contains("comment") && !out.contains("why"), "{out}");
        assert!(
            !out.contains("longName"),
            "local names are shortened: {out}"
        );
        assert!(out.len() * 3 < js.len() * 2, "{out}");
        assert!(out.contains("a  b"), "{out}");
        assert!(out.contains("\\p{L}"), "{out}");
    }

    #[test]
    fn scripts_that_do_not_parse_are_kept_as_written() {
        for js in [&b" var = ; "[..], b"\xff\xfe", b"function ("] {
            assert_eq!(minify_script(js), js);
        }
    }
}
