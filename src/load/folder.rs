//! The listings folder as the load before found it, for a load told by a watcher what
//! changed since (`Kept::tell`): looking at 10,000 files' times again, and reading the folder,
//! was most of a rebuild's load. Only the files named are looked at; a change the watcher
//! could not name, or one to the folder itself or a folder above it, has the whole folder
//! looked at again, as a load without a watcher always does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{ListingFile, Seen};
use crate::diagnostics::Diagnostics;

/// One file of the listings folder as a load found it: the listing, unless it is not one or
/// could not be read, what was wrong with it, and the stamp its text is kept under.
#[derive(Clone)]
pub(super) struct Entry {
    pub listing: Option<ListingFile>,
    pub found: Diagnostics,
    pub stamp: Option<u64>,
}

/// The listings folder's files by path, in the order a scan finds them.
pub(super) type Entries = BTreeMap<PathBuf, Entry>;

#[derive(Default)]
pub(crate) struct Folder {
    /// Whether a watcher tells every change (`Kept::watch`).
    pub(super) watched: bool,
    /// Paths told since the last load, relative to the root; `None` when something changed
    /// that the watcher could not name.
    told: Option<BTreeSet<PathBuf>>,
    /// The folder as the last load found it, and where it was.
    found: Option<(PathBuf, Entries)>,
    /// How many of its files the last load looked at on disk.
    pub(super) looked_at: usize,
}

/// How a load finds the listings folder's files.
pub(super) enum Plan {
    /// Looks at every file.
    Scan,
    /// Takes the files the load before found, looking again at these alone.
    Look(Entries, Vec<PathBuf>),
}

impl Folder {
    pub(super) fn tell(&mut self, seen: Seen) {
        match (seen, &mut self.told) {
            (Seen::Paths(paths), Some(told)) => told.extend(paths),
            (Seen::Paths(_), None) => {}
            (Seen::Everything, told) => *told = None,
        }
    }

    /// How the next load of the folder `dir` under `root` finds its files.
    pub(super) fn plan(&mut self, root: &Path, dir: &Path) -> Plan {
        let told = self.told.replace(BTreeSet::new());
        let found = self.found.take();
        let (Some(told), Some((was, entries)), true) = (told, found, self.watched) else {
            return Plan::Scan;
        };
        let paths: Vec<PathBuf> = told.iter().map(|rel| root.join(rel)).collect();
        // The folder itself, or one above it, moved or replaced: none of what was found
        // there can be trusted.
        if was != dir || paths.iter().any(|p| dir.starts_with(p)) {
            return Plan::Scan;
        }
        Plan::Look(entries, paths)
    }

    /// After a load of the folder `dir`: what it found, for the next (`None` when the load
    /// failed, so the next looks at everything), and how many files it looked at.
    pub(super) fn found(&mut self, dir: &Path, entries: Option<Entries>, looked_at: usize) {
        self.looked_at = looked_at;
        match entries {
            Some(entries) if self.watched => self.found = Some((dir.to_path_buf(), entries)),
            Some(_) => {}
            None => self.told = None,
        }
    }
}

/// Whether `path` is a file directly in `dir` that a scan would look at (not hidden).
pub(super) fn directly_in(path: &Path, dir: &Path) -> bool {
    path.parent() == Some(dir)
        && path
            .file_name()
            .is_some_and(|name| !name.to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(names: &[&str]) -> Entries {
        names
            .iter()
            .map(|n| {
                let entry = Entry {
                    listing: None,
                    found: Diagnostics::default(),
                    stamp: None,
                };
                (PathBuf::from("/site/content/listings").join(n), entry)
            })
            .collect()
    }

    fn planned(folder: &mut Folder) -> Option<Vec<PathBuf>> {
        let dir = Path::new("/site/content/listings");
        match folder.plan(Path::new("/site"), dir) {
            Plan::Scan => None,
            Plan::Look(_, paths) => Some(paths),
        }
    }

    fn watched_after_a_load() -> Folder {
        let mut folder = Folder {
            watched: true,
            ..Folder::default()
        };
        assert!(planned(&mut folder).is_none(), "the first load scans");
        folder.found(
            Path::new("/site/content/listings"),
            Some(entries(&["a.md"])),
            1,
        );
        folder
    }

    #[test]
    fn a_watched_folder_looks_only_at_what_was_told() {
        let mut folder = watched_after_a_load();
        folder.tell(Seen::Paths(vec!["content/listings/a.md".into()]));
        folder.tell(Seen::Paths(vec!["site.yaml".into()]));
        let paths = planned(&mut folder).expect("looks at what was told");
        assert_eq!(
            paths,
            [
                PathBuf::from("/site/content/listings/a.md"),
                PathBuf::from("/site/site.yaml")
            ]
        );
    }

    #[test]
    fn what_the_watcher_cannot_name_has_everything_looked_at() {
        let mut folder = watched_after_a_load();
        folder.tell(Seen::Paths(vec!["content/listings/a.md".into()]));
        folder.tell(Seen::Everything);
        folder.tell(Seen::Paths(vec!["content/listings/b.md".into()]));
        assert!(planned(&mut folder).is_none());
    }

    #[test]
    fn the_folder_or_one_above_it_changed_has_everything_looked_at() {
        for above in ["content/listings", "content", ""] {
            let mut folder = watched_after_a_load();
            folder.tell(Seen::Paths(vec![above.into()]));
            assert!(planned(&mut folder).is_none(), "{above}");
        }
    }

    #[test]
    fn a_failed_load_has_the_next_look_at_everything() {
        let mut folder = watched_after_a_load();
        folder.tell(Seen::Paths(vec!["content/listings/a.md".into()]));
        assert!(planned(&mut folder).is_some());
        folder.found(Path::new("/site/content/listings"), None, 0);
        assert!(planned(&mut folder).is_none());
    }

    #[test]
    fn without_a_watcher_every_load_scans() {
        let mut folder = Folder::default();
        folder.found(
            Path::new("/site/content/listings"),
            Some(entries(&["a.md"])),
            1,
        );
        folder.tell(Seen::Paths(vec!["content/listings/a.md".into()]));
        assert!(planned(&mut folder).is_none());
    }

    #[test]
    fn only_visible_files_directly_in_the_folder_are_looked_at() {
        let dir = Path::new("/site/content/listings");
        assert!(directly_in(&dir.join("a.md"), dir));
        assert!(!directly_in(&dir.join(".a.md.swp"), dir));
        assert!(!directly_in(&dir.join("sub/a.md"), dir));
        assert!(!directly_in(Path::new("/site/site.yaml"), dir));
    }
}
