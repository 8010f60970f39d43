//! Files kept from one load to the next. `dayopps serve` loads the site again after every
//! save, and at 10,000 listings reading every file again was most of a rebuild's time. A file
//! is taken from the load before when the file system says it has not changed: the same
//! path, size, modification time and, on Unix, the same inode and status-change time (which
//! no program can set back, so a tool that restores a modification time is still seen).
//!
//! A file changed within `RACY` of being looked at is always read again: a file system that
//! keeps times to the second (or two) could give a second write in the same second the same
//! times as the first (git calls this "racily clean" and does the same).
//!
//! When a watcher tells every change (`Kept::watch`, `Kept::tell`), the listings folder is
//! not looked at again at all: only the files it named are (`folder.rs`).

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::folder::Folder;
use crate::diagnostics::SourceFile;
use crate::memo::{Key, Memo};

/// What one load keeps for the next: each file's text, under what the file system says of
/// the file, and the listings folder as it was found.
pub struct Kept {
    pub(super) texts: Memo<Arc<SourceFile>>,
    pub(super) folder: Mutex<Folder>,
}

/// What a watcher saw change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// These paths, relative to the site's root (created, changed, removed or renamed).
    Paths(Vec<PathBuf>),
    /// Something it cannot name (its queue overflowed, or an event without paths): every
    /// file is looked at again.
    Everything,
}

impl Default for Kept {
    fn default() -> Self {
        Kept::new()
    }
}

impl Kept {
    pub fn new() -> Self {
        Kept {
            texts: Memo::new(),
            folder: Mutex::new(Folder::default()),
        }
    }

    /// Keeps nothing: every file is read.
    pub fn off() -> Self {
        Kept {
            texts: Memo::off(),
            folder: Mutex::new(Folder::default()),
        }
    }

    /// From now on the caller tells every change to the site's files (`tell`) before the
    /// load that should see it, so a load looks at only the listing files named since the
    /// load before. Changes made while a load runs must be told before the next one.
    pub fn watch(&mut self) {
        if self.texts.is_on() {
            self.folder().watched = true;
        }
    }

    /// What the watcher saw change since it last told.
    pub fn tell(&mut self, seen: Seen) {
        self.folder().tell(seen);
    }

    /// Ends a build: see `Memo::finish`.
    pub fn finish(&mut self) -> std::collections::HashMap<u64, Arc<SourceFile>> {
        self.texts.finish()
    }

    /// How many files the last finished build read, not finding them kept.
    pub fn made(&self) -> usize {
        self.texts.made()
    }

    /// How many files of the listings folder the last load looked at on disk (all of them,
    /// unless a watcher told what changed).
    pub fn looked_at(&self) -> usize {
        self.folder().looked_at
    }

    pub(super) fn folder(&self) -> std::sync::MutexGuard<'_, Folder> {
        self.folder.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How recently a file may have changed and still be taken from the load before.
const RACY: Duration = Duration::from_secs(3);

/// The text of the file at `path`, whose metadata is `meta`: from `kept` when it has not
/// changed since the load before, else `read()`'s; and the stamp it is kept under, if any.
pub(super) fn get_or_read<E>(
    kept: &Kept,
    path: &Path,
    meta: &Metadata,
    read: impl FnOnce() -> Result<Arc<SourceFile>, E>,
) -> (Result<Arc<SourceFile>, E>, Option<u64>) {
    match stamp(path, meta) {
        Some(stamp) => (kept.texts.get_or_make(|| stamp, read), Some(stamp)),
        None => (kept.texts.make_unkept(read), None),
    }
}

/// What the file system says of a file, or `None` when that cannot tell a change (it
/// changed too recently, or the times cannot be read).
fn stamp(path: &Path, meta: &Metadata) -> Option<u64> {
    let modified = meta.modified().ok()?;
    let age = SystemTime::now().duration_since(modified).ok()?;
    if age < RACY {
        return None;
    }
    let key = Key::new("file")
        .part(path)
        .part(&meta.len())
        .part(&modified);
    Some(unix_part(key, meta).finish())
}

#[cfg(unix)]
fn unix_part(key: Key, meta: &Metadata) -> Key {
    use std::os::unix::fs::MetadataExt;
    key.part(&(meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()))
}

#[cfg(not(unix))]
fn unix_part(key: Key, _meta: &Metadata) -> Key {
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{self, File};

    fn read_count(kept: &Kept, path: &Path, reads: &mut u32) -> String {
        let meta = fs::metadata(path).unwrap();
        let (file, _) = get_or_read::<()>(kept, path, &meta, || {
            *reads += 1;
            Ok(SourceFile::new("f", fs::read_to_string(path).unwrap()))
        });
        file.unwrap().text.to_string()
    }

    fn age(path: &Path, by: Duration) {
        let file = File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - by).unwrap();
    }

    #[test]
    fn an_old_file_is_read_once_and_a_changed_one_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "one").unwrap();
        age(&path, Duration::from_secs(3600));
        let mut kept = Kept::new();
        let mut reads = 0;
        assert_eq!(read_count(&kept, &path, &mut reads), "one");
        kept.finish();
        assert_eq!(read_count(&kept, &path, &mut reads), "one");
        assert_eq!(
            reads, 1,
            "the unchanged file was taken from the load before"
        );
        kept.finish();
        // The same size, and its modification time set back to what it was: the inode's
        // change time still tells.
        fs::write(&path, "two").unwrap();
        age(&path, Duration::from_secs(3600));
        assert_eq!(read_count(&kept, &path, &mut reads), "two");
        assert_eq!(reads, 2);
    }

    #[test]
    fn a_file_changed_just_now_is_always_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "one").unwrap();
        let mut kept = Kept::new();
        let mut reads = 0;
        for _ in 0..2 {
            read_count(&kept, &path, &mut reads);
            kept.finish();
        }
        assert_eq!(reads, 2);
    }
}
