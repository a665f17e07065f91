//! Stage 6, write: everything goes into a staging folder beside the output,
//! which is then swapped into place, so a failed build leaves the published
//! site exactly as it was. A file whose bytes did not change is hard-linked
//! from the current output instead of written again: deploy tools (rsync,
//! CDN sync) then see only real changes, and a rebuild creates few files.
//! The staging folder is the site before the last build when there is one
//! ([`spare`]), where most of those links are already in place.

mod claim;
mod spare;

pub use claim::{Claim, LOCK_WAIT, Refusal, Request, SOURCE_FOLDERS, STAMP, claim};

use std::borrow::Cow;
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use spare::{Entry, Listing};

/// A file as the file system tells it from every other: its device and
/// inode. The spare tree's entry that is the file a build would link is
/// kept ([`Staging::link`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    pub fn of(meta: &fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }
}

/// Counts of what the write stage did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// Failures to pretend, so tests can check what a full disk or a refused
/// rename does to the output (a real full disk is tested too, where the
/// tests may mount one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// The disk is full when the build writes its file number `n` (from 1).
    pub full_at_file: Option<usize>,
    /// No folder can be created inside the staging tree.
    pub no_folders: bool,
    /// The new tree cannot be moved into place.
    pub no_swap: bool,
}

impl Faults {
    /// Reads `full:N`, `mkdir` or `swap` (comma-separated).
    pub fn parse(text: &str) -> Faults {
        let mut faults = Faults::default();
        for part in text.split(',').map(str::trim) {
            match part.split_once(':') {
                Some(("full", n)) => faults.full_at_file = n.parse().ok(),
                _ if part == "mkdir" => faults.no_folders = true,
                _ if part == "swap" => faults.no_swap = true,
                _ => {}
            }
        }
        faults
    }
}

/// An output tree being built. Dropped without [`Staging::commit`], it
/// removes itself and the output is untouched.
pub struct Staging<'a> {
    claim: &'a Claim,
    dir: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Files put so far, for [`Faults::full_at_file`].
    puts: AtomicUsize,
    /// The files written (not linked), while few enough to flush one by
    /// one ([`FLUSH_EACH_UP_TO`]).
    fresh: Mutex<Vec<PathBuf>>,
    /// The folders of the new tree made so far: most files share their
    /// folder with others (a photo's copies, a section's pages), and each
    /// is made once instead of asked for again with every file.
    folders: Mutex<FxHashSet<Box<[u8]>>>,
    /// The names of the files in a folder of the current output, read
    /// once per folder when a copy of a photo is linked into it: a photo's
    /// copies share their folder with the rest, and asking for each file
    /// by name cost a `stat` per copy (12,000 in a rebuild of the
    /// 2,000-photo bench site).
    /// By the folder's path in the site (`tin-tuc/a`).
    current: Mutex<FxHashMap<Box<str>, Arc<Names>>>,
    /// What the staging folder held when it was the spare tree; none when
    /// it was made empty.
    spare: Option<Listing>,
    faults: Faults,
    committed: bool,
}

impl<'a> Staging<'a> {
    /// A staging tree beside the claimed output: the spare tree when there
    /// is one of this site's, else a new, empty folder, stamped first so
    /// that a tree left by a crash can be told from anyone else's.
    pub fn new(claim: &'a Claim, faults: Faults) -> io::Result<Staging<'a>> {
        let output = claim.path();
        let dir = claim::sibling(output, &format!("staging-{}", std::process::id()));
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent)?;
        }
        let spare = take_spare(claim, &dir);
        if spare.is_none() {
            fs::create_dir(&dir)?;
        }
        let staging = Staging {
            claim,
            dir,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            puts: AtomicUsize::new(0),
            fresh: Mutex::new(Vec::new()),
            folders: Mutex::default(),
            current: Mutex::default(),
            spare,
            faults,
            committed: false,
        };
        let stamp = staging.dir.join(STAMP);
        // The spare tree carries this site's stamp (`take_spare` read it):
        // it is kept, so that a build killed at any instant leaves a tree
        // the next one knows for its own and removes. Unlinked and written
        // again, a kill in between left a tree without a stamp, kept
        // forever.
        let old = staging.old(&stamp);
        if old.is_none_or(|entry| entry.is_dir()) {
            staging.clear_entry(&stamp, old)?;
            write_new(&stamp, claim.stamp().as_bytes())?;
        }
        Ok(staging)
    }

    /// Writes `bytes` at `path` (relative, `/`-separated) in the new tree.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let path = normal(path);
        let target = self.target(&path)?;
        self.write_at(&target, &path, bytes)
    }

    /// Where `path` goes in the new tree, its folder made; fails as
    /// [`Faults`] say.
    fn target(&self, path: &str) -> io::Result<PathBuf> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            if self.faults.no_folders && parent != self.dir {
                return Err(io::Error::from_raw_os_error(13));
            }
            let made = (self.folders.lock()).is_ok_and(|f| f.contains(bytes(parent)));
            if !made {
                self.make_folder(parent)?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(bytes(parent).into());
                }
            }
        }
        let number = self.puts.fetch_add(1, Ordering::Relaxed) + 1;
        if self.faults.full_at_file == Some(number) {
            return Err(io::Error::from_raw_os_error(28));
        }
        Ok(target)
    }

    fn write_at(&self, target: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
        let old = self.old(target);
        let current = self.claim.path().join(path);
        let same = same_bytes(&current, bytes);
        if let Some(meta) = &same
            && self.holds(old, FileId::of(meta))
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.clear_entry(target, old)?;
        if same.is_some() && fs::hard_link(&current, target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        write_new(target, bytes)?;
        let written = self.written.fetch_add(1, Ordering::Relaxed) + 1;
        if written <= FLUSH_EACH_UP_TO
            && let Ok(mut fresh) = self.fresh.lock()
        {
            fresh.push(target.to_path_buf());
        }
        Ok(())
    }

    /// Copies the file at `source` to `path` in the new tree. A copy
    /// keeps its source's modification time, so that the next build can
    /// tell an unchanged copy by its size and time (as rsync does) and link
    /// it without reading a byte: photos are most of a site's bytes.
    pub fn copy(&self, path: &str, source: &Path) -> io::Result<()> {
        let path = normal(path);
        let target = self.target(&path)?;
        self.copy_at(&target, &path, source)
    }

    fn copy_at(&self, target: &Path, path: &str, source: &Path) -> io::Result<()> {
        let meta = fs::metadata(source)?;
        let current = self.claim.path().join(path);
        let unchanged = fs::metadata(&current).ok().filter(|old| {
            old.is_file() && old.len() == meta.len() && old.modified().ok() == meta.modified().ok()
        });
        if let Some(unchanged) = unchanged {
            let old = self.old(target);
            if self.holds(old, FileId::of(&unchanged)) {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            self.clear_entry(target, old)?;
            if fs::hard_link(&current, target).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        let bytes = fs::read(source)?;
        self.write_at(target, path, &bytes)?;
        if let Ok(modified) = meta.modified() {
            fs::File::options()
                .write(true)
                .open(target)?
                .set_modified(modified)?;
        }
        Ok(())
    }

    /// Links the file at `source`, which nobody changes in place (a copy
    /// of a photo in the cache), to `path` in the new tree; copies it
    /// where it cannot be linked (another file system). `path` names its
    /// content (a copy's name holds the hash of its photo and settings),
    /// so a file already at `path` in the output is the same one.
    /// `known`: the device and inode `source` had when last seen (the image
    /// cache's index): a spare tree's entry that is that file is kept
    /// without asking for `source` again, a `stat` per copy (12,000 in a
    /// rebuild of the 2,000-photo bench site). The spare tree's link keeps
    /// that inode from going to another file, and `source` is never
    /// changed in place: where the cache has made the entry again since
    /// (another build of the site), the file kept is the one it replaced,
    /// made from the same photo and settings.
    pub fn link(&self, path: &str, source: &Path, known: Option<FileId>) -> io::Result<()> {
        let path = &*normal(path);
        let target = self.target(path)?;
        let old = self.old(&target);
        let linked = old.is_some()
            && (known.is_some_and(|id| self.holds(old, id))
                || fs::metadata(source).is_ok_and(|m| self.holds(old, FileId::of(&m))));
        if !linked {
            self.clear_entry(&target, old)?;
            if fs::hard_link(source, &target).is_err() {
                return self.copy_at(&target, path, source);
            }
        }
        if self.in_current(path) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            // A new link to a file the cache wrote: flushed with the rest.
            let written = self.written.fetch_add(1, Ordering::Relaxed) + 1;
            if written <= FLUSH_EACH_UP_TO
                && let Ok(mut fresh) = self.fresh.lock()
            {
                fresh.push(target);
            }
        }
        Ok(())
    }

    /// Puts the new tree in place of the output in one step, then keeps
    /// the old one as the spare tree for the next build.
    ///
    /// The files written are flushed to the disk first, so that after a
    /// power cut the output is the old site or the whole new one, never a
    /// new tree with empty files: one by one when they are few (a rebuild
    /// after an edit), else the whole file system at once (`syncfs`). Where the kernel can exchange two
    /// folders in one rename (Linux's `RENAME_EXCHANGE`: ext4, XFS, Btrfs,
    /// tmpfs…) there is no instant without an output; elsewhere the old
    /// tree is moved aside first, and for that instant the output is
    /// missing, never mixed.
    pub fn commit(mut self) -> io::Result<WriteStats> {
        let output = self.claim.path().to_path_buf();
        if self.faults.no_swap {
            return Err(io::Error::from_raw_os_error(13));
        }
        if let Some(spare) = &self.spare {
            spare.remove_unused(&self.dir)?;
        }
        self.flush()?;
        let old = if fs::symlink_metadata(&output).is_ok() {
            match exchange(&self.dir, &output) {
                Ok(()) => Some(self.dir.clone()),
                Err(err) if exchange_unsupported(&err) => {
                    // Not named as a staging tree: should both renames fail,
                    // this is the only copy of the old site, and the next
                    // build's clean-up must leave it alone.
                    let aside =
                        claim::sibling(&output, &format!("previous-{}", std::process::id()));
                    fs::rename(&output, &aside)?;
                    if let Err(err) = fs::rename(&self.dir, &output) {
                        fs::rename(&aside, &output)?;
                        return Err(err);
                    }
                    Some(aside)
                }
                Err(err) => return Err(err),
            }
        } else {
            fs::rename(&self.dir, &output)?;
            None
        };
        self.committed = true;
        if let Some(parent) = output.parent() {
            sync_folder(parent)?;
        }
        if let Some(old) = old {
            // The new site is in place. The old one is the next build's
            // spare tree; where it cannot be (a folder of that name is in
            // the way), it goes, and a tree that cannot be removed now is
            // removed by the next build (it carries the stamp).
            let spare = claim::sibling(&output, SPARE);
            if fs::rename(&old, &spare).is_err() && remove_tree(&old, Some(STAMP)).is_err() {
                let _ = fs::remove_dir_all(old);
            }
        }
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Staging<'_> {
    /// The spare tree's entry at `target`, the first time it is asked for.
    fn old(&self, target: &Path) -> Option<&Entry> {
        self.spare.as_ref()?.take(target)
    }

    /// Whether the spare's entry is the file `id`, which the
    /// build would link: then it is left as it is.
    fn holds(&self, old: Option<&Entry>, id: FileId) -> bool {
        self.spare.as_ref().is_some_and(|s| s.is_file(old, id))
    }

    /// Unlinks what the spare tree had at `target` (never writes through
    /// it: it may be the published site's file, or the cache's).
    fn clear_entry(&self, target: &Path, old: Option<&Entry>) -> io::Result<()> {
        match &self.spare {
            Some(spare) => spare.clear(target, old),
            None => Ok(()),
        }
    }

    /// Makes the folder `dir` of the new tree, where the spare tree may
    /// have a file in its way.
    fn make_folder(&self, dir: &Path) -> io::Result<()> {
        let Some(spare) = &self.spare else {
            return fs::create_dir_all(dir);
        };
        if !spare.is_folder(dir) && fs::create_dir_all(dir).is_err() {
            let mut above: Vec<&Path> = dir.ancestors().take_while(|a| *a != self.dir).collect();
            above.reverse();
            for folder in above {
                if let Some(old) = spare.take(folder).filter(|e| !e.is_dir()) {
                    spare.clear(folder, Some(old))?;
                }
            }
            fs::create_dir_all(dir)?;
        }
        spare.use_folder(&self.dir, dir);
        Ok(())
    }

    /// Whether the current output holds a file (not a folder, not a link)
    /// at `path`.
    fn in_current(&self, path: &str) -> bool {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let Ok(mut listed) = self.current.lock() else {
            let file = self.claim.path().join(path);
            return fs::symlink_metadata(file).is_ok_and(|m| m.is_file());
        };
        let names = match listed.get(folder) {
            Some(names) => Arc::clone(names),
            None => Arc::clone(listed.entry(folder.into()).or_default()),
        };
        drop(listed);
        names
            .get_or_init(|| {
                let Ok(entries) = fs::read_dir(self.claim.path().join(folder)) else {
                    return FxHashSet::default();
                };
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.file_name().into_vec().into())
                    .collect()
            })
            .contains(name.as_bytes())
    }

    fn flush(&self) -> io::Result<()> {
        // Entries unlinked from the spare tree, like the links made in it,
        // are in the file system's journal before the swap that follows.
        if self.written.load(Ordering::Relaxed) > FLUSH_EACH_UP_TO {
            return sync_file_system(&self.dir);
        }
        let Ok(fresh) = self.fresh.lock() else {
            // A writer panicked: flush everything rather than nothing.
            return sync_file_system(&self.dir);
        };
        fresh
            .par_iter()
            .try_for_each(|path| fs::File::open(path)?.sync_data())
    }
}

/// The names of the files in a folder, read once ([`Staging::in_current`]).
type Names = OnceLock<FxHashSet<Box<[u8]>>>;

/// A path as the maps of this stage key it: its bytes, which hash and
/// compare in one pass (std's `Path` parses its components for both, and
/// showed in profiles of 10,000-page builds). The paths asked for are
/// built the same way as those listed ([`normal`]), so equal paths are
/// equal bytes.
fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_bytes()
}

/// `path` (relative, `/`-separated) without empty or `.` segments, as a
/// folder listing spells it: `a//b/./c` is `a/b/c`.
fn normal(path: &str) -> Cow<'_, str> {
    let odd = |segment: &str| segment.is_empty() || segment == ".";
    if !path.split('/').any(odd) {
        return Cow::Borrowed(path);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !odd(s)).collect();
    Cow::Owned(segments.join("/"))
}

/// Up to how many written files a build flushes one by one; beyond, one
/// `syncfs` costs less than that many `fsync`s, though it also flushes
/// what other programs wrote to the same disk.
const FLUSH_EACH_UP_TO: usize = 256;

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.public.spare` beside `public/`: the site before the last build.
const SPARE: &str = "spare";

/// The spare tree, moved to `dir` to be the staging tree, and listed;
/// none when there is none, it is not this site's, or it cannot be used.
/// Without a current output (deleted by hand) it is not used: nothing in
/// it could be kept, and each of its files would be unlinked one by one
/// before its path is written; it stays for the next build.
fn take_spare(claim: &Claim, dir: &Path) -> Option<Listing> {
    if !fs::symlink_metadata(claim.path()).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    let spare = claim::sibling(claim.path(), SPARE);
    let stamp = fs::read(spare.join(STAMP)).ok()?;
    if stamp != claim.stamp().as_bytes() || fs::rename(&spare, dir).is_err() {
        return None;
    }
    match Listing::read(dir) {
        Ok(listing) => Some(listing),
        Err(_) => {
            let _ = fs::remove_dir_all(dir);
            None
        }
    }
}

/// Writes a file that does not exist yet: never through a file already
/// there, which in a tree made from the spare one may be shared with the
/// published site. Written twice in one build, the later bytes win.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let create = || fs::File::options().write(true).create_new(true).open(path);
    let mut file = match create() {
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create()?
        }
        other => other?,
    };
    file.write_all(bytes)
}

/// Removes the folder `dir` and everything in it, its subfolders in
/// parallel (the old site holds a folder per page), the file named `last`
/// after everything else: the old site's stamp, so that a build killed
/// meanwhile leaves a tree the next build still knows as one of Gazette's,
/// and removes. Links are removed, never followed.
fn remove_tree(dir: &Path, last: Option<&str>) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<fs::DirEntry>>>()?;
    (entries.par_iter())
        .filter(|entry| last.is_none_or(|last| entry.file_name() != last))
        .try_for_each(remove_entry)?;
    if let Some(last) = last {
        match fs::remove_file(dir.join(last)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
    }
    fs::remove_dir(dir)
}

fn remove_entry(entry: &fs::DirEntry) -> io::Result<()> {
    if entry.file_type()?.is_dir() {
        remove_tree(&entry.path(), None)
    } else {
        fs::remove_file(entry.path())
    }
}

/// Swaps two folders in one rename.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// The file system cannot exchange folders: fall back to two renames.
fn exchange_unsupported(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(code) if code == rustix::io::Errno::INVAL.raw_os_error()
        || code == rustix::io::Errno::NOSYS.raw_os_error()
        || code == rustix::io::Errno::NOTSUP.raw_os_error())
}

/// Flushes every written file of the file system that holds `dir`: one
/// call instead of one per file.
fn sync_file_system(dir: &Path) -> io::Result<()> {
    let folder = fs::File::open(dir)?;
    rustix::fs::syncfs(&folder).map_err(io::Error::from)
}

/// Makes the renames inside `dir` durable.
fn sync_folder(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Writes one file of a published site in place (for rebuilds after an
/// edit): skipped when the bytes are already there, else written beside it
/// and renamed over it, so a visitor never reads half a page. Returns
/// whether it wrote.
pub fn replace_file(output: &Path, path: &str, bytes: &[u8]) -> io::Result<bool> {
    let target = output.join(path);
    if same_bytes(&target, bytes).is_some() {
        return Ok(false);
    }
    let parent = target.parent().unwrap_or(output);
    fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map_or_else(|| "index.html".into(), |n| n.to_string_lossy().into_owned());
    let temporary = parent.join(format!(".{name}.gazette-new"));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, &target)?;
    Ok(true)
}

/// The file at `path`, when it holds `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes).then_some(meta)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn claimed(root: &Path, output: &Path) -> Claim {
        let request = Request {
            root,
            output,
            linked: &[],
            force: false,
            on_wait: &|_| {},
        };
        claim(&request).map_err(|r| r.message).unwrap()
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_dropped_staging_leaves_no_trace() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        let first = Staging::new(&claim, Faults::default()).unwrap();
        first.put("a/index.html", b"same").unwrap();
        first.put("b.html", b"old").unwrap();
        first.commit().unwrap();
        let inode = fs::metadata(output.join("a/index.html")).unwrap().ino();

        let second = Staging::new(&claim, Faults::default()).unwrap();
        second.put("a/index.html", b"same").unwrap();
        second.put("b.html", b"new").unwrap();
        let stats = second.commit().unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(
            fs::metadata(output.join("a/index.html")).unwrap().ino(),
            inode
        );
        assert_eq!(fs::read(output.join("b.html")).unwrap(), b"new");
        assert!(
            fs::read_to_string(output.join(STAMP))
                .unwrap()
                .contains("Gazette")
        );

        let abandoned = Staging::new(&claim, Faults::default()).unwrap();
        abandoned.put("b.html", b"broken").unwrap();
        drop(abandoned);
        assert_eq!(fs::read(output.join("b.html")).unwrap(), b"new");
        let mut names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".public.lock", "public"]);
    }

    /// A copy linked from the cache counts as unchanged where the current
    /// output has a file of its name, and as written (so flushed) where it
    /// has none, or a folder or a link of that name.
    #[test]
    fn linked_copies_count_as_unchanged_only_over_a_file_of_their_name() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        fs::create_dir(&cache).unwrap();
        for name in ["a.webp", "b.webp", "c.webp", "d.webp", "e.webp"] {
            fs::write(cache.join(name), name).unwrap();
        }
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        let first = Staging::new(&claim, Faults::default()).unwrap();
        first
            .link("anh/a.webp", &cache.join("a.webp"), None)
            .unwrap();
        first.put("anh/c.webp/index.html", b"a folder").unwrap();
        first.commit().unwrap();
        std::os::unix::fs::symlink(cache.join("d.webp"), output.join("anh/d.webp")).unwrap();

        let second = Staging::new(&claim, Faults::default()).unwrap();
        for name in ["a.webp", "b.webp", "c.webp", "d.webp"] {
            second
                .link(&format!("anh/{name}"), &cache.join(name), None)
                .unwrap();
        }
        second.link("e.webp", &cache.join("e.webp"), None).unwrap();
        assert_eq!(second.fresh.lock().unwrap().len(), 4);
        let stats = second.commit().unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 4,
                unchanged: 1
            }
        );
        assert_eq!(fs::read(output.join("anh/b.webp")).unwrap(), b"b.webp");
    }

    /// Someone else's folder beside the site, with a file and a subfolder.
    fn foreign_folder(dir: &Path) -> PathBuf {
        let foreign = dir.join("foreign");
        fs::create_dir_all(foreign.join("inner")).unwrap();
        fs::write(foreign.join("keep.txt"), b"theirs").unwrap();
        fs::write(foreign.join("inner/keep.txt"), b"theirs").unwrap();
        foreign
    }

    fn assert_foreign_folder_intact(foreign: &Path) {
        assert_eq!(fs::read(foreign.join("keep.txt")).unwrap(), b"theirs");
        assert_eq!(fs::read(foreign.join("inner/keep.txt")).unwrap(), b"theirs");
        assert_eq!(walkdir::WalkDir::new(foreign).into_iter().count(), 4);
    }

    /// The old site's removal goes down its folders, never through a link
    /// out of them.
    #[test]
    fn removing_the_old_tree_leaves_what_its_links_point_to() {
        let tmp = tempfile::tempdir().unwrap();
        let foreign = foreign_folder(tmp.path());
        let old = tmp.path().join("old");
        for n in 0..50 {
            fs::create_dir_all(old.join(format!("tin-tuc/bai-{n}/anh"))).unwrap();
            fs::write(old.join(format!("tin-tuc/bai-{n}/index.html")), b"page").unwrap();
            fs::write(old.join(format!("tin-tuc/bai-{n}/anh/a.jpg")), b"photo").unwrap();
        }
        std::os::unix::fs::symlink(&foreign, old.join("link")).unwrap();
        std::os::unix::fs::symlink(foreign.join("keep.txt"), old.join("file-link")).unwrap();
        fs::write(old.join(STAMP), b"Gazette").unwrap();
        remove_tree(&old, Some(STAMP)).unwrap();
        assert!(!old.exists());
        assert_foreign_folder_intact(&foreign);
    }

    /// Every file of the tree at `dir`, with its bytes; fails on a link.
    fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut files = std::collections::BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.unwrap();
            assert!(
                !entry.path_is_symlink(),
                "a link in {}",
                entry.path().display()
            );
            if entry.file_type().is_file() {
                let path = entry.path().strip_prefix(dir).unwrap();
                files.insert(path.display().to_string(), fs::read(entry.path()).unwrap());
            }
        }
        files
    }

    /// The third build is made in the first one's tree (the spare): it
    /// publishes exactly what it wrote, keeps the links that were right,
    /// never writes through a file the published site shares, and leaves
    /// foreign files reached from the spare tree as they were.
    #[test]
    fn a_build_made_in_the_spare_tree_publishes_exactly_what_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let foreign = foreign_folder(tmp.path());
        let cache = tmp.path().join("cache");
        fs::create_dir(&cache).unwrap();
        fs::write(cache.join("x-360w.webp"), b"copy").unwrap();
        fs::write(cache.join("y-360w.webp"), b"old copy").unwrap();
        let photo = tmp.path().join("photo.jpg");
        fs::write(&photo, b"photo").unwrap();
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        let spare = tmp.path().join(".public.spare");

        let first = Staging::new(&claim, Faults::default()).unwrap();
        first.put("a/index.html", b"A1").unwrap();
        first.put("gone/index.html", b"G").unwrap();
        first.put("gone/deep/index.html", b"G").unwrap();
        first.put("becomes-file/index.html", b"F").unwrap();
        first.put("becomes-folder", b"F").unwrap();
        first
            .link("anh/x-360w.webp", &cache.join("x-360w.webp"), None)
            .unwrap();
        first
            .link("anh/y-360w.webp", &cache.join("y-360w.webp"), None)
            .unwrap();
        first.copy("anh/photo.jpg", &photo).unwrap();
        first.commit().unwrap();
        assert!(!spare.exists(), "a first build has no old tree to keep");

        let second = Staging::new(&claim, Faults::default()).unwrap();
        for (path, bytes) in tree(&output).into_iter().filter(|(p, _)| p != STAMP) {
            second.put(&path, &bytes).unwrap();
        }
        second.commit().unwrap();
        assert_eq!(tree(&spare), tree(&output), "the first site is the spare");

        // Someone else's links and a hard link to their file, in the spare.
        std::os::unix::fs::symlink(&foreign, spare.join("a/link")).unwrap();
        std::os::unix::fs::symlink(foreign.join("keep.txt"), spare.join("file-link")).unwrap();
        fs::hard_link(foreign.join("keep.txt"), spare.join("hard.txt")).unwrap();
        // The cache made one copy again: a new file, with new bytes.
        fs::remove_file(cache.join("y-360w.webp")).unwrap();
        fs::write(cache.join("y-360w.webp"), b"new copy").unwrap();
        let published = fs::metadata(output.join("a/index.html")).unwrap().ino();
        let published_photo = fs::metadata(output.join("anh/photo.jpg")).unwrap().ino();

        let third = Staging::new(&claim, Faults::default()).unwrap();
        assert!(!spare.exists(), "the spare tree is the staging tree");
        third.put("a/index.html", b"A3").unwrap();
        assert_eq!(fs::read(output.join("a/index.html")).unwrap(), b"A1");
        third.put("becomes-file", b"now a file").unwrap();
        third
            .put("becomes-folder/index.html", b"now a folder")
            .unwrap();
        third.put("new/deep/index.html", b"N").unwrap();
        third
            .link("anh/x-360w.webp", &cache.join("x-360w.webp"), None)
            .unwrap();
        third
            .link("anh/y-360w.webp", &cache.join("y-360w.webp"), None)
            .unwrap();
        third.copy("anh/photo.jpg", &photo).unwrap();
        let stats = third.commit().unwrap();

        let expected: std::collections::BTreeMap<String, Vec<u8>> = [
            (STAMP, claim.stamp().as_bytes()),
            ("a/index.html", b"A3".as_slice()),
            ("anh/photo.jpg", b"photo"),
            ("anh/x-360w.webp", b"copy"),
            ("anh/y-360w.webp", b"new copy"),
            ("becomes-file", b"now a file"),
            ("becomes-folder/index.html", b"now a folder"),
            ("new/deep/index.html", b"N"),
        ]
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
        assert_eq!(tree(&output), expected);
        // Copies count by their names, which hold their photo's hash.
        assert_eq!(
            stats,
            WriteStats {
                written: 4,
                unchanged: 3
            }
        );
        let ino = |path: &Path| fs::metadata(path).unwrap().ino();
        assert_eq!(ino(&output.join("anh/photo.jpg")), published_photo);
        assert_eq!(
            ino(&output.join("anh/y-360w.webp")),
            ino(&cache.join("y-360w.webp"))
        );
        assert_eq!(
            ino(&output.join("anh/x-360w.webp")),
            ino(&cache.join("x-360w.webp"))
        );
        assert_eq!(ino(&spare.join("a/index.html")), published);
        assert_eq!(fs::read(spare.join("a/index.html")).unwrap(), b"A1");
        assert_eq!(fs::read(cache.join("x-360w.webp")).unwrap(), b"copy");
        assert_foreign_folder_intact(&foreign);
    }

    /// A copy whose device and inode the cache's index gave is kept where
    /// the spare tree's entry is that file, without asking for the source
    /// (gone here, so a `stat` would fail); where the id is not the
    /// spare's file, the source is asked for and linked.
    #[test]
    fn a_copy_known_by_its_id_is_kept_without_asking_for_its_source() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        fs::create_dir(&cache).unwrap();
        fs::write(cache.join("a.webp"), b"a").unwrap();
        fs::write(cache.join("b.webp"), b"b").unwrap();
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        for _ in 0..2 {
            let staging = Staging::new(&claim, Faults::default()).unwrap();
            for name in ["a.webp", "b.webp"] {
                let source = cache.join(name);
                staging.link(&format!("anh/{name}"), &source, None).unwrap();
            }
            staging.commit().unwrap();
        }
        let id = |path: &Path| FileId::of(&fs::metadata(path).unwrap());
        let a = id(&cache.join("a.webp"));
        fs::rename(cache.join("a.webp"), tmp.path().join("a-moved")).unwrap();
        // b made again, and given with an id that is not the spare's file.
        fs::remove_file(cache.join("b.webp")).unwrap();
        fs::write(cache.join("b.webp"), b"new b").unwrap();

        let staging = Staging::new(&claim, Faults::default()).unwrap();
        staging
            .link("anh/a.webp", &cache.join("a.webp"), Some(a))
            .unwrap();
        staging
            .link("anh/b.webp", &cache.join("b.webp"), Some(a))
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(id(&output.join("anh/a.webp")), a);
        assert_eq!(fs::read(output.join("anh/b.webp")).unwrap(), b"new b");
        assert_eq!(id(&output.join("anh/b.webp")), id(&cache.join("b.webp")));
    }

    /// A build made in the spare tree keeps the spare's stamp file as it
    /// is: at no instant does the tree lack the stamp by which the build
    /// after a kill knows it for a leftover of this site's and removes it.
    #[test]
    fn a_build_in_the_spare_tree_keeps_its_stamp() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        for _ in 0..2 {
            let staging = Staging::new(&claim, Faults::default()).unwrap();
            staging.put("a/index.html", b"A").unwrap();
            staging.commit().unwrap();
        }
        let ino = |path: &Path| fs::metadata(path).unwrap().ino();
        let stamp = ino(&tmp.path().join(".public.spare").join(STAMP));
        let staging = Staging::new(&claim, Faults::default()).unwrap();
        assert_eq!(ino(&staging.dir.join(STAMP)), stamp);
        staging.put("a/index.html", b"A").unwrap();
        staging.commit().unwrap();
        assert_eq!(ino(&output.join(STAMP)), stamp);
        assert_eq!(
            fs::read_to_string(output.join(STAMP)).unwrap(),
            claim.stamp()
        );
    }

    /// The spare tree is listed by bytes: a path spelt with an empty or a
    /// `.` segment still finds the spare's entry, which the build then
    /// keeps instead of removing as unused before the swap.
    #[test]
    fn oddly_spelt_paths_find_their_entry_in_the_spare_tree() {
        assert_eq!(normal("a/b/index.html"), "a/b/index.html");
        assert_eq!(normal("a//b/./index.html"), "a/b/index.html");
        assert_eq!(normal("./a/"), "a");
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let claim = claimed(tmp.path(), &output);
        let photo = tmp.path().join("photo.jpg");
        fs::write(&photo, b"photo").unwrap();
        for _ in 0..3 {
            let staging = Staging::new(&claim, Faults::default()).unwrap();
            staging.put("a//b/./index.html", b"B").unwrap();
            staging.put("c/index.html", b"C").unwrap();
            staging.copy("anh//photo.jpg", &photo).unwrap();
            staging.commit().unwrap();
        }
        assert!(tmp.path().join(".public.spare/a/b/index.html").is_file());
        let expected: std::collections::BTreeMap<String, Vec<u8>> = [
            (STAMP, claim.stamp().as_bytes()),
            ("a/b/index.html", b"B".as_slice()),
            ("anh/photo.jpg", b"photo"),
            ("c/index.html", b"C"),
        ]
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
        assert_eq!(tree(&output), expected);
    }

    /// Without a current output, the spare tree is left for the next
    /// build, which has one again, and is made in it.
    #[test]
    fn with_no_output_the_spare_tree_waits_for_the_next_build() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let spare = tmp.path().join(".public.spare");
        let claim = claimed(tmp.path(), &output);
        for bytes in [b"one", b"two"] {
            let staging = Staging::new(&claim, Faults::default()).unwrap();
            staging.put("index.html", bytes).unwrap();
            staging.commit().unwrap();
        }
        fs::remove_dir_all(&output).unwrap();
        let staging = Staging::new(&claim, Faults::default()).unwrap();
        staging.put("index.html", b"three").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(spare.join("index.html")).unwrap(), b"one");
        assert_eq!(fs::read(output.join("index.html")).unwrap(), b"three");

        let staging = Staging::new(&claim, Faults::default()).unwrap();
        assert!(!spare.exists(), "the next build is made in it");
        staging.put("index.html", b"four").unwrap();
        staging.commit().unwrap();
        assert_eq!(tree(&output).len(), 2);
        assert_eq!(fs::read(output.join("index.html")).unwrap(), b"four");
        assert_eq!(fs::read(spare.join("index.html")).unwrap(), b"three");
    }

    /// A spare tree that is not this site's is left alone, and the build
    /// starts from an empty folder.
    #[test]
    fn a_spare_tree_of_another_site_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let spare = tmp.path().join(".public.spare");
        fs::create_dir(&spare).unwrap();
        fs::write(spare.join(STAMP), b"not ours").unwrap();
        fs::write(spare.join("theirs.html"), b"theirs").unwrap();
        let claim = claimed(tmp.path(), &output);
        let staging = Staging::new(&claim, Faults::default()).unwrap();
        staging.put("index.html", b"home").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(spare.join("theirs.html")).unwrap(), b"theirs");
        assert_eq!(tree(&output).len(), 2);
    }

    #[test]
    fn faults_read_from_text() {
        assert_eq!(
            Faults::parse("full:3, swap"),
            Faults {
                full_at_file: Some(3),
                no_folders: false,
                no_swap: true
            }
        );
        assert!(Faults::parse("mkdir").no_folders);
    }
}
