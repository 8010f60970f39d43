//! The live part of `dayopps serve`: the site being served, swapped whole after each
//! rebuild, the pages listening for rebuilds, and the watcher that starts them.

use std::path::{Component, Path};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use notify::{Event as FileEvent, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::failure::Failure;
use super::{ServeError, Served, ThemeNote, prepare};
use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::Diagnostics;
use crate::load::Seen;
use crate::reuse::Reuse;
use crate::text::plural;

/// Editors save a file in several steps (write, rename, touch), within a few milliseconds: a
/// rebuild waits for this long without a change, to see them as one. Kept short, as it adds
/// to the time before a saved change shows (budget: 150 ms in all, bench/README.md).
const DEBOUNCE: Duration = Duration::from_millis(20);
/// ...but no longer than this, so that a file written to all the time still gets rebuilt.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// One build of the site, good or failed, as requests see it.
pub struct State {
    /// Which build this is; a page carries it so it can tell it missed a rebuild.
    pub id: u64,
    pub site: Result<Served, Failure>,
}

impl State {
    /// The state after a build, reporting the outcome on the terminal.
    pub fn from_build(built: Result<(Served, Diagnostics), BuildError>, id: u64) -> State {
        let site = match built {
            Ok((served, warnings)) => {
                if !warnings.is_empty() {
                    eprint!("{warnings}");
                }
                Ok(served)
            }
            Err(error) => {
                let failure = Failure::new(&error);
                failure.print(&error);
                Err(failure)
            }
        };
        State { id, site }
    }
}

/// What a page is told after a rebuild.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub id: u64,
    pub ok: bool,
}

impl Event {
    fn of(state: &State) -> Event {
        Event {
            id: state.id,
            ok: state.site.is_ok(),
        }
    }
}

/// The site being served and the pages waiting to hear of the next build.
pub struct Live {
    /// Swapped whole, so a request sees one build from start to end, never half of one.
    state: RwLock<Arc<State>>,
    listeners: Mutex<Vec<Sender<Event>>>,
}

impl Live {
    pub fn new(state: State) -> Live {
        Live {
            state: RwLock::new(Arc::new(state)),
            listeners: Mutex::new(Vec::new()),
        }
    }

    pub fn current(&self) -> Arc<State> {
        // A request thread that panicked holding the lock left the state whole (it only
        // clones the Arc), so carrying on is safe.
        Arc::clone(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Events from the next build on.
    pub fn listen(&self) -> Receiver<Event> {
        let (tx, rx) = mpsc::channel();
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(tx);
        rx
    }

    /// Serves `state` from now on and tells every open page.
    pub fn publish(&self, state: State) {
        let event = Event::of(&state);
        let before = std::mem::replace(
            &mut *self.state.write().unwrap_or_else(PoisonError::into_inner),
            Arc::new(state),
        );
        // Pages that were closed have dropped their receivers: forget them here.
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|tx| tx.send(event).is_ok());
        // Freeing a large site takes a while: only after the pages have been told.
        drop(before);
    }
}

/// The first build's id: the time the server started, so that a page left open across a
/// restart of `dayopps serve` sees a different build and reloads.
pub fn first_id() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64)
}

/// Watches site.yaml, content/, themes/ and data/ (where the postcode table lives) under
/// `root`; the receiver gets what changed, for each change that can change the site.
/// Dropping the watcher stops the watching.
pub fn watch(root: &Path) -> Result<(Receiver<Seen>, RecommendedWatcher), ServeError> {
    // Absolute paths, so the paths in events can be compared with the root whatever
    // --root was given as.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = mpsc::channel();
    let watched = root.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<FileEvent>| {
        // The rebuild thread has ended only if serve is ending too.
        if let Some(seen) = seen(&watched, result) {
            let _ = tx.send(seen);
        }
    })
    .map_err(|e| watch_error(&root, &e))?;
    // The root itself, not site.yaml: editors that save by renaming a new file over the old
    // one would otherwise end the watch on the first save.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(&root, &e))?;
    for folder in WATCHED {
        let dir = root.join(folder);
        // A site may have no themes/ of its own yet; the build says so if it needs one.
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&dir, &e))?;
        }
    }
    Ok((rx, watcher))
}

/// What an event from the watcher says changed, if it can change the site: the paths that
/// matter, relative to `root`; or everything, for an event the watcher could not name
/// (inotify's queue overflowed) or an error, after which it may have missed a change.
fn seen(root: &Path, result: notify::Result<FileEvent>) -> Option<Seen> {
    let event = match result {
        Ok(event) => event,
        Err(e) => {
            eprintln!("warning: watching for changes: {e}");
            return Some(Seen::Everything);
        }
    };
    // Reading a file is reported too (on Linux, as it is opened), and the build reads every
    // file: counting reads would rebuild for ever.
    if matches!(event.kind, EventKind::Access(_)) {
        return None;
    }
    if event.need_rescan() || event.paths.is_empty() {
        return Some(Seen::Everything);
    }
    let paths: Vec<_> = event
        .paths
        .iter()
        .filter(|p| matters(root, p))
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    (!paths.is_empty()).then_some(Seen::Paths(paths))
}

/// Waits for the next change and for the burst it starts to settle, telling `reuse` what
/// changed; false once the watcher has gone.
fn next_change(changes: &Receiver<Seen>, reuse: &mut Reuse) -> bool {
    let Ok(seen) = changes.recv() else {
        return false;
    };
    reuse.files.tell(seen);
    let first = Instant::now();
    while first.elapsed() < MAX_WAIT {
        match changes.recv_timeout(DEBOUNCE) {
            Ok(seen) => reuse.files.tell(seen),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
    true
}

fn watch_error(path: &Path, error: &dyn std::fmt::Display) -> ServeError {
    ServeError::Watch {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// The folders under the root whose files the build reads.
const WATCHED: [&str; 3] = ["content", "themes", "data"];

/// Whether a change to `path` can change the site: site.yaml, or a file under content/ or
/// themes/ that the build reads (it skips hidden files, such as editors' swap files).
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&std::ffi::OsStr> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        // content/ or themes/ as a whole, when one is moved away or back.
        // A postcode table may sit beside site.yaml too.
        [only] => {
            let name = only.to_string_lossy();
            name == "site.yaml" || name.ends_with(".csv") || WATCHED.contains(&&*name)
        }
        [first, rest @ ..] => {
            WATCHED.contains(&&*first.to_string_lossy())
                && !rest.iter().any(|p| p.to_string_lossy().starts_with('.'))
        }
        [] => false,
    }
}

/// Rebuilds on a background thread after each change and publishes the result.
pub fn rebuild_on_change(
    changes: Receiver<Seen>,
    options: BuildOptions,
    address: String,
    live: Arc<Live>,
    mut reuse: Reuse,
    mut note: ThemeNote,
) {
    let spawned = std::thread::Builder::new()
        .name("dayopps-rebuild".into())
        .spawn(move || {
            let mut id = live.current().id;
            // Changes made during a build queue up and start one more build, which reads
            // them all.
            while next_change(&changes, &mut reuse) {
                id += 1;
                let started = Instant::now();
                let state = State::from_build(prepare(&options, &address, &mut reuse), id);
                if let Ok(served) = &state.site {
                    note.say(&served.theme);
                    eprintln!(
                        "Rebuilt {} in {:.2}s",
                        plural(served.site.listings.len(), "service"),
                        started.elapsed().as_secs_f64()
                    );
                }
                live.publish(state);
            }
        });
    if let Err(e) = spawned {
        eprintln!("warning: the site will not rebuild on changes: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_watcher_names_what_changed_or_says_it_cannot() {
        use notify::event::{Flag, ModifyKind};
        let root = Path::new("/site");
        let modify = |path: &str| {
            Ok(FileEvent::new(EventKind::Modify(ModifyKind::Any)).add_path(PathBuf::from(path)))
        };
        assert_eq!(
            seen(root, modify("/site/content/listings/garden.md")),
            Some(Seen::Paths(vec![PathBuf::from(
                "content/listings/garden.md"
            )]))
        );
        assert_eq!(seen(root, modify("/site/public/index.html")), None);
        let read = FileEvent::new(EventKind::Access(notify::event::AccessKind::Any))
            .add_path(PathBuf::from("/site/site.yaml"));
        assert_eq!(seen(root, Ok(read)), None, "reading is no change");
        let overflow = FileEvent::new(EventKind::Other).set_flag(Flag::Rescan);
        assert_eq!(seen(root, Ok(overflow)), Some(Seen::Everything));
        let error = Err(notify::Error::generic("lost"));
        assert_eq!(seen(root, error), Some(Seen::Everything));
    }

    #[test]
    fn only_the_files_the_build_reads_matter() {
        let root = PathBuf::from("/site");
        let yes = [
            "/site/site.yaml",
            "/site/content/listings/garden.md",
            "/site/content/images/a.png",
            "/site/content",
            "/site/themes/default/templates/base.html",
            "/site/data/postcodes.csv",
            "/site/postcodes.csv",
        ];
        let no = [
            "/site/public/index.html",
            "/site/.git/index",
            "/site/content/listings/.garden.md.swp",
            "/site/notes.txt",
            "/elsewhere/site.yaml",
            "/site",
        ];
        for path in yes {
            assert!(matters(&root, Path::new(path)), "{path}");
        }
        for path in no {
            assert!(!matters(&root, Path::new(path)), "{path}");
        }
    }
}
