//! Watching the site's folders with `notify`, events batched by its mini
//! debouncer: an editor's save (a write in place, or a temporary file
//! renamed over the old one, or a delete and create) arrives as one batch
//! of paths, and a burst of saves or a folder of images copied in as a few.
//!
//! Only what the site is built from is watched: `config.yaml` (through the
//! site's folder, not recursively, so a rename-save is seen) and, each
//! recursively, `content/`, `templates/`, `themes/`, `static/`, `i18n/`.
//! A source folder created while serving is watched from then on. Editor
//! debris and the output folder are dropped later, by the session.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::output::SOURCE_FOLDERS;

/// How long a path must be quiet before its batch is sent: short, so an
/// edit shows at once, long enough for an editor's rename-save.
const QUIET: Duration = Duration::from_millis(40);

pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`; each batch of changed paths goes to `send`.
    pub fn start(
        root: &Path,
        send: impl Fn(Vec<PathBuf>) + Send + 'static,
    ) -> Result<Watcher, notify::Error> {
        let debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
            // A watcher error (a folder gone) leaves the next batch to tell.
            let Ok(events) = result else {
                return;
            };
            // Files opened to be read (the build's own reads among them)
            // change nothing.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                send(paths);
            }
        })?;
        let mut watcher = Watcher {
            debouncer,
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            watched: Vec::new(),
        };
        let site = watcher.root.clone();
        watcher
            .debouncer
            .watch(&site, RecursiveMode::NonRecursive)?;
        watcher.watch_new_folders();
        Ok(watcher)
    }

    /// Watches the source folders that exist and are not watched yet.
    pub fn watch_new_folders(&mut self) {
        for name in SOURCE_FOLDERS {
            let folder = self.root.join(name);
            if folder.is_dir()
                && !self.watched.contains(&folder)
                && self
                    .debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(folder);
            }
        }
    }
}

/// Forwards batches to a channel of the serve loop's events.
pub fn to_channel<T: Send + 'static>(
    sender: Sender<T>,
    wrap: fn(Vec<PathBuf>) -> T,
) -> impl Fn(Vec<PathBuf>) + Send + 'static {
    move |paths| {
        let _ = sender.send(wrap(paths));
    }
}
