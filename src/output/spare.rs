//! The spare tree: the site as it was before the last build, kept beside
//! the output (`.public.spare` for `public/`) so that the next build is
//! written into it instead of into an empty folder.
//!
//! Most of a rebuild's files are the same as the current output's, and
//! the spare tree, two builds old, mostly holds them already, as links to
//! the very same files. A build that started from nothing linked every one
//! of them into its new tree and, once the swap was done, unlinked every one
//! from the old tree: two writes to a folder per file, and a folder made
//! and removed per page. Starting from the spare tree, a file that is
//! already the right one is left alone.
//!
//! Nothing in the spare tree is trusted by its name or its age: a file is
//! kept only where it is the same file (device and inode) as the one the
//! build would link, the current output's or the image cache's; anything
//! else is unlinked before its path is written, so that no file shared
//! with the published site or the cache is ever written through. What is
//! neither a file nor a folder (a link) is removed when the tree is listed,
//! never followed, and what the build does not write is removed before
//! the swap ([`Listing::remove_unused`]).

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirEntryExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{FileId, bytes};

/// What the spare tree held when the build took it: every folder's entries.
pub(super) struct Listing {
    /// The device of the tree: an inode number means something only there.
    dev: u64,
    /// By folder, then by name, as bytes ([`bytes`]).
    folders: FxHashMap<Box<[u8]>, Names>,
}

type Names = FxHashMap<Box<[u8]>, Entry>;

/// A file or folder of the spare tree.
pub(super) struct Entry {
    ino: u64,
    dir: bool,
    /// Written (a file) or written into (a folder) by this build.
    used: AtomicBool,
    /// Removed by this build, to make room for what it writes there.
    gone: AtomicBool,
}

impl Entry {
    pub(super) fn is_dir(&self) -> bool {
        self.dir
    }
}

impl Listing {
    /// Lists the tree at `root` whole, its folders in parallel, removing
    /// every entry that is neither a file nor a folder.
    pub(super) fn read(root: &Path) -> io::Result<Listing> {
        let dev = fs::symlink_metadata(root)?.dev();
        let folders = list(root.to_path_buf())?.into_iter().collect();
        Ok(Listing { dev, folders })
    }

    /// The entry the spare tree had at `path`, the first time this build
    /// asks for it; after that (the same path written twice) none, so that
    /// the second write never takes the spare's file for its own.
    pub(super) fn take(&self, path: &Path) -> Option<&Entry> {
        let entry = self.entry(path)?;
        (!entry.used.swap(true, Ordering::Relaxed)).then_some(entry)
    }

    /// Whether the spare tree had a folder at `dir` (the tree's own
    /// top folder included).
    pub(super) fn is_folder(&self, dir: &Path) -> bool {
        self.folders.contains_key(bytes(dir))
    }

    /// Marks `dir` and the folders above it, up to `root`, as written into.
    pub(super) fn use_folder(&self, root: &Path, dir: &Path) {
        let mut dir = Some(dir);
        while let Some(d) = dir.filter(|d| *d != root) {
            if let Some(entry) = self.entry(d)
                && entry.used.swap(true, Ordering::Relaxed)
            {
                // Its parents were marked with it.
                return;
            }
            dir = d.parent();
        }
    }

    /// Whether the spare's entry is the file `id`.
    pub(super) fn is_file(&self, entry: Option<&Entry>, id: FileId) -> bool {
        entry.is_some_and(|e| !e.dir && e.ino == id.ino && id.dev == self.dev)
    }

    /// Removes what `entry`, the spare's at `path`, left there.
    pub(super) fn clear(&self, path: &Path, entry: Option<&Entry>) -> io::Result<()> {
        let Some(entry) = entry else {
            return Ok(());
        };
        let removed = if entry.dir {
            super::remove_tree(path, None)
        } else {
            fs::remove_file(path)
        };
        match removed {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => {
                entry.gone.store(true, Ordering::Relaxed);
                Ok(())
            }
        }
    }

    /// Removes, below `root`, every file this build did not write and
    /// every folder it wrote nothing into: what the spare tree held of a
    /// site that has changed since.
    pub(super) fn remove_unused(&self, root: &Path) -> io::Result<()> {
        let Some(entries) = self.folders.get(bytes(root)) else {
            return Ok(());
        };
        entries.par_iter().try_for_each(|(name, entry)| {
            let path = root.join(OsStr::from_bytes(name));
            if entry.gone.load(Ordering::Relaxed) {
                return Ok(());
            }
            if entry.used.load(Ordering::Relaxed) {
                return if entry.dir {
                    self.remove_unused(&path)
                } else {
                    Ok(())
                };
            }
            self.clear(&path, Some(entry))
        })
    }

    fn entry(&self, path: &Path) -> Option<&Entry> {
        let (parent, name) = (path.parent()?, path.file_name()?);
        self.folders.get(bytes(parent))?.get(name.as_bytes())
    }
}

/// The entries of `dir` and of every folder below it.
fn list(dir: PathBuf) -> io::Result<Vec<(Box<[u8]>, Names)>> {
    let mut entries = Names::default();
    let mut below = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if !kind.is_file() && !kind.is_dir() {
            fs::remove_file(entry.path())?;
            continue;
        }
        if kind.is_dir() {
            below.push(entry.path());
        }
        let found = Entry {
            ino: entry.ino(),
            dir: kind.is_dir(),
            used: AtomicBool::new(false),
            gone: AtomicBool::new(false),
        };
        entries.insert(entry.file_name().into_vec().into(), found);
    }
    let mut folders = (below.into_par_iter())
        .map(list)
        .collect::<io::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    folders.push((dir.into_os_string().into_vec().into(), entries));
    Ok(folders)
}
