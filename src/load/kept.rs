//! Files kept from one load to the next. `dayopps serve` loads the site again after every
//! save, and at 10,000 listings reading every file again was most of a rebuild's time. A file
//! is taken from the load before when the file system says it has not changed: the same
//! path, size, modification time and, on Unix, the same inode and status-change time (which
//! no program can set back, so a tool that restores a modification time is still seen).
//!
//! A file changed within `RACY` of being looked at is always read again: a file system that
//! keeps times to the second (or two) could give a second write in the same second the same
//! times as the first (git calls this "racily clean" and does the same).

use std::fs::Metadata;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::diagnostics::SourceFile;
use crate::memo::{Key, Memo};

/// Each file's text, under what the file system says of the file.
pub type Kept = Memo<Arc<SourceFile>>;

/// How recently a file may have changed and still be taken from the load before.
const RACY: Duration = Duration::from_secs(3);

/// The text of the file at `path`, whose metadata is `meta`: from `kept` when it has not
/// changed since the load before, else `read()`'s.
pub(super) fn get_or_read<E>(
    kept: &Kept,
    path: &Path,
    meta: &Metadata,
    read: impl FnOnce() -> Result<Arc<SourceFile>, E>,
) -> Result<Arc<SourceFile>, E> {
    match stamp(path, meta) {
        Some(stamp) => kept.get_or_make(|| stamp, read),
        None => kept.make_unkept(read),
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
        let file = get_or_read::<()>(kept, path, &meta, || {
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
