//! Putting a finished site in place of the old one, and clearing away what builds leave beside
//! the output folder.
//!
//! A build writes into `.NAME.building-PID` beside the output folder `NAME`; once complete, the
//! old site is renamed `.NAME.old-PID` and the new one `NAME`. What is left, the old site and
//! the staging folders of builds stopped midway (Ctrl-C), is a [`Leftover`]: removed when
//! dropped, or handed to a process of its own by `dayopps build`, as removing 30,000 files
//! can take longer than building them.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use super::{WriteError, io};

const BUILDING: &str = "building";
const OLD: &str = "old";

/// A folder beside `dest` that a build writes into, swapped in by `commit` once complete and
/// removed if dropped before then, so a failed build leaves the previous site.
pub struct Staging {
    dir: PathBuf,
    dest: PathBuf,
    parent: PathBuf,
    name: String,
    /// Held while the build runs, so that other builds leave this folder alone.
    _lock: Option<File>,
    done: bool,
}

impl Staging {
    pub fn new(dest: &Path) -> Result<Self, WriteError> {
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dest
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(aside(&name, BUILDING));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        // Best effort: where folders cannot be locked, other builds leave any staging alone.
        let lock = File::open(&dir).ok().filter(|f| f.try_lock().is_ok());
        Ok(Staging {
            dir,
            dest: dest.to_path_buf(),
            parent,
            name,
            _lock: lock,
            done: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged site in place of the old one. Returns what is left to remove: the old
    /// site, and what earlier builds left beside the output.
    pub fn commit(mut self) -> Result<Vec<Leftover>, WriteError> {
        self.done = true;
        let replaced = match self.swap_in() {
            Ok(replaced) => replaced,
            Err(e) => {
                let _ = fs::remove_dir_all(&self.dir);
                return Err(e);
            }
        };
        let mut leftovers = earlier_leftovers(&self.parent, &self.name);
        leftovers.extend(replaced.map(Leftover::new));
        Ok(leftovers)
    }

    /// The old site's new name, if there was one.
    fn swap_in(&self) -> Result<Option<PathBuf>, WriteError> {
        let (staging, dest) = (&self.dir, &self.dest);
        if !dest.exists() {
            return fs::rename(staging, dest).map(|()| None).map_err(io(dest));
        }
        let old = self.parent.join(aside(&self.name, OLD));
        if old.exists() {
            // Left by an earlier build that had this process id.
            remove_leftover(&old)?;
        }
        fs::rename(dest, &old).map_err(io(dest))?;
        if let Err(e) = fs::rename(staging, dest) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, dest);
            return Err(io(dest)(e));
        }
        Ok(Some(old))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: the error being returned matters more than a leftover folder.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.NAME.KIND-PID`: this build's folder of that kind beside the output folder `NAME`.
fn aside(name: &str, kind: &str) -> String {
    format!(".{name}.{kind}-{}", std::process::id())
}

/// The kind of folder (`BUILDING` or `OLD`) a build would name `file_name`, if it would.
fn leftover_kind(file_name: &str) -> Option<&'static str> {
    let (rest, pid) = file_name.rsplit_once('-')?;
    let numbered = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let (dot, kind) = rest.rsplit_once('.')?;
    let kind = [BUILDING, OLD].into_iter().find(|k| *k == kind)?;
    (file_name.starts_with('.') && !dot.is_empty() && numbered).then_some(kind)
}

/// Folders of earlier builds beside the output folder `name`, in name order.
fn earlier_leftovers(parent: &Path, name: &str) -> Vec<Leftover> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.");
    let own = [aside(name, BUILDING), aside(name, OLD)];
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            file_name.starts_with(&prefix)
                && leftover_kind(&file_name).is_some()
                && !own.contains(&file_name)
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found.into_iter().map(Leftover::new).collect()
}

/// A folder a build left beside the output: the site it replaced, or the staging folder of a
/// build stopped before it finished. Removed when dropped, unless taken with `into_path`.
#[derive(Debug)]
#[must_use]
pub struct Leftover {
    path: Option<PathBuf>,
}

impl Leftover {
    fn new(path: PathBuf) -> Self {
        Leftover { path: Some(path) }
    }

    /// The folder, for the caller to remove (with `remove_leftover`) when it likes.
    pub fn into_path(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl Drop for Leftover {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Best effort: the site is in place; a folder left now is removed by a later build.
            let _ = remove_leftover(&path);
        }
    }
}

/// Removes a folder a build left beside its output (see [`Leftover`]), unless a build or
/// another removal holds it. Refuses any folder not named as a build names them.
pub fn remove_leftover(path: &Path) -> Result<(), WriteError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let not_leftover = || WriteError::NotLeftover(path.to_path_buf());
    let Some(kind) = name.as_deref().and_then(leftover_kind) else {
        return Err(not_leftover());
    };
    match fs::symlink_metadata(path) {
        // Removed already, by another removal.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(path)(e)),
        Ok(meta) if !meta.is_dir() => return Err(not_leftover()),
        Ok(_) => {}
    }
    let lock = File::open(path).map_err(io(path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(()),
        // Folders that cannot be locked: only a replaced site is surely nobody's.
        Err(TryLockError::Error(_)) if kind == OLD => {}
        Err(TryLockError::Error(e)) => return Err(io(path)(e)),
    }
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path)(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{WriteError, leftover_kind, remove_leftover};

    #[test]
    fn a_leftover_removed_already_is_no_error_and_a_file_is_not_a_leftover() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(remove_leftover(&dir.path().join(".public.old-7")).is_ok());
        let file = dir.path().join(".public.old-8");
        std::fs::write(&file, "not a folder").expect("written");
        assert!(matches!(
            remove_leftover(&file),
            Err(WriteError::NotLeftover(_))
        ));
        assert!(file.is_file());
    }

    #[test]
    fn only_the_names_builds_give_are_leftovers() {
        for name in [".public.old-12", ".public.building-3", ".site.v2.old-99"] {
            assert!(leftover_kind(name).is_some(), "{name}");
        }
        for name in [
            "public",
            ".public",
            ".public.old-",
            ".public.old-12a",
            "public.old-12",
            ".public.new-12",
            ".git",
        ] {
            assert!(leftover_kind(name).is_none(), "{name}");
        }
    }
}
