//! Putting a finished site in place of the old one, and clearing away what builds leave beside
//! the output folder.
//!
//! A build writes into `.NAME.building-PID/NAME-PID` beside the output folder `NAME`; once
//! complete, the old site is renamed `.NAME.old-PID` and the new one `NAME`. What is left, the
//! old site and the staging folders of builds stopped midway (Ctrl-C), is a [`Leftover`]:
//! removed when dropped, or handed to a process of its own by `dayopps build`, as removing
//! 30,000 files can take longer than building them.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use super::{WriteError, io};

const BUILDING: &str = "building";
const OLD: &str = "old";

/// A folder beside `dest` that a build writes into, swapped in by `commit` once complete and
/// removed if dropped before then, so a failed build leaves the previous site.
///
/// The site is made in a folder nested in `.NAME.building-PID`, which is marked as the top of a
/// tree of folders (`tuning::top_folder`), and is moved out of it into place.
pub struct Staging {
    /// `.NAME.building-PID`, beside the output.
    nest: PathBuf,
    /// The site's folder, in `nest`.
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
        let nest = parent.join(aside(&name, BUILDING));
        if nest.exists() {
            fs::remove_dir_all(&nest).map_err(io(&nest))?;
        }
        fs::create_dir_all(&nest).map_err(io(&nest))?;
        let opened = File::open(&nest).ok();
        if let Some(folder) = &opened {
            crate::tuning::top_folder::mark(folder);
        }
        // ext4 picks the block group of a folder in a top folder by a hash of its name: a name
        // of each build's own puts each build's files in a group of their own.
        let dir = nest.join(format!("{name}-{}", std::process::id()));
        fs::create_dir(&dir).map_err(io(&dir))?;
        // Best effort: where folders cannot be locked, other builds leave any staging alone.
        let lock = opened.filter(|f| f.try_lock().is_ok());
        Ok(Staging {
            nest,
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
                let _ = fs::remove_dir_all(&self.nest);
                return Err(e);
            }
        };
        // Empty now; a failure to remove it leaves a folder a later build clears away.
        let _ = fs::remove_dir(&self.nest);
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
            let _ = fs::remove_dir_all(&self.nest);
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
    use super::{Staging, WriteError, leftover_kind, remove_leftover};

    fn entries(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_site_is_made_in_a_nest_and_moved_out_of_it_into_place() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let dest = tmp.path().join("public");
        let staging = Staging::new(&dest).expect("staged");
        assert_eq!(staging.dir().parent(), Some(staging.nest.as_path()));
        std::fs::write(staging.dir().join("index.html"), "new").expect("written");
        let leftovers = staging.commit().expect("swapped in");
        assert!(leftovers.is_empty());
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).ok(),
            Some("new".into())
        );
        assert_eq!(entries(tmp.path()), ["public"]);
    }

    #[test]
    fn a_dropped_staging_takes_its_nest_with_it() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let staging = Staging::new(&tmp.path().join("public")).expect("staged");
        std::fs::write(staging.dir().join("index.html"), "half made").expect("written");
        drop(staging);
        assert!(entries(tmp.path()).is_empty());
    }

    /// Marked where the file system has top folders (`tuning::top_folder`), the site not.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_nest_is_marked_as_a_top_folder_and_the_site_not() {
        use rustix::fs::{IFlags, ioctl_getflags};
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let staging = Staging::new(&tmp.path().join("public")).expect("staged");
        let nest = std::fs::File::open(&staging.nest).expect("opened");
        let marked = ioctl_getflags(&nest).is_ok_and(|f| f.contains(IFlags::TOPDIR));
        assert_eq!(marked, crate::tuning::top_folder::applies_to(&nest));
        let site = std::fs::File::open(staging.dir()).expect("opened");
        assert!(!ioctl_getflags(&site).is_ok_and(|f| f.contains(IFlags::TOPDIR)));
    }

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
