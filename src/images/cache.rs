//! The cache of derivatives, outside the output: one folder per source
//! image and settings (named by a hash of the image's bytes and the
//! settings), holding each derivative and a `done` mark written last, or a
//! `failed` note for an image that cannot be decoded (so a broken photo is
//! reported again without being decoded again). An index of the sources
//! seen (path, size, modification time, inode → hash and header) spares
//! a warm build from reading them, and the device and inode of each
//! entry's copies, as last seen, from asking for them: the output keeps a
//! copy of its spare tree where it is that very file (`crate::output::FileId`).
//!
//! Gazette removes only what it wrote: it sweeps entries no build of the
//! site uses any more only in a cache folder that carries its stamp, only
//! files of the names it gives, and a folder only once it is empty.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::Format;
use super::probe::Header;
use crate::output::FileId;

const STAMP: &str = "GAZETTE-CACHE";
const STAMP_TEXT: &str = "Made by Gazette: resized images, kept between builds. Safe to delete.\n";
const INDEX: &str = "index.tsv";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// What the index knows of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub hash: u128,
    pub header: Header,
}

/// A source file as `stat` sees it: what must match for [`Known`] to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    len: u64,
    mtime_ns: i128,
    inode: u64,
}

impl Stat {
    pub fn of(meta: &fs::Metadata) -> Stat {
        Stat {
            len: meta.len(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            inode: meta.ino(),
        }
    }
}

/// The state of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Ready,
    Failed(String),
    Missing,
}

/// The files of an entry, by name (`360.webp`), with their ids.
pub type Files = Vec<(String, FileId)>;

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    index: HashMap<String, (Stat, Known)>,
    /// The index's lines of the entries' files (`<name>=<dev>.<ino>`,
    /// tab-separated), by entry, read when asked for: the lines of
    /// thousands of photos, parsed all at once, held up the start of
    /// every build.
    files: HashMap<Box<str>, Box<str>>,
}

impl Cache {
    /// The cache at `dir`, its index read (an unreadable index is empty).
    pub fn open(dir: PathBuf) -> Cache {
        let text = fs::read_to_string(dir.join(INDEX)).unwrap_or_default();
        let mut cache = Cache::without_index(dir);
        for line in text.lines() {
            // An entry's line starts with a tab, where no source's can.
            match line.strip_prefix('\t') {
                Some(entry) => {
                    let (key, files) = entry.split_once('\t').unwrap_or((entry, ""));
                    if is_key(key) {
                        cache.files.insert(key.into(), files.into());
                    }
                }
                None => cache.index.extend(parse_line(line)),
            }
        }
        cache
    }

    /// The cache at `dir`, for making and sweeping entries only.
    pub fn without_index(dir: PathBuf) -> Cache {
        Cache {
            dir,
            index: HashMap::new(),
            files: HashMap::new(),
        }
    }

    #[cfg(test)]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many entries the index gives the files of.
    pub fn entries_known(&self) -> usize {
        self.files.len()
    }

    /// The ids of the files `names` of entry `key`, in that order: as the
    /// index has them (then `true`), else as the file system tells them now
    /// (none if one is missing).
    pub fn files(&self, key: &str, names: &[&str]) -> Option<(Vec<FileId>, bool)> {
        if let Some(known) = (self.files.get(key)).and_then(|line| parse_files(line, names)) {
            return Some((known, true));
        }
        let dir = self.entry_dir(key);
        let ids = (names.iter())
            .map(|name| Some(FileId::of(&fs::metadata(dir.join(name)).ok()?)))
            .collect::<Option<Vec<FileId>>>()?;
        Some((ids, false))
    }

    /// What the index says of `source`, if its size, time and inode match.
    pub fn known(&self, source: &Path, stat: Stat) -> Option<Known> {
        let (seen, known) = self.index.get(source.to_str()?)?;
        (*seen == stat).then_some(*known)
    }

    /// Writes the index of `sources` and of the files of the entries
    /// `entries` makes, replacing the old one in one rename; only when it
    /// differs from the one read (`entries_unchanged`: the index gave the
    /// files of every entry that has them, and of no other).
    pub fn save_index(
        &self,
        sources: &[(PathBuf, Stat, Known)],
        entries_unchanged: bool,
        entries: impl FnOnce() -> Vec<(String, Files)>,
    ) -> io::Result<()> {
        let same = entries_unchanged
            && sources.len() == self.index.len()
            && sources.iter().all(|(path, stat, known)| {
                path.to_str()
                    .and_then(|p| self.index.get(p))
                    .is_some_and(|(s, k)| s == stat && k == known)
            });
        if same {
            return Ok(());
        }
        let mut text = String::new();
        for (path, stat, known) in sources {
            let Some(path) = path.to_str().filter(|p| !p.contains(['\t', '\n'])) else {
                continue;
            };
            let h = known.header;
            text.push_str(&format!(
                "{path}\t{}\t{}\t{}\t{:032x}\t{}\t{}\t{}\n",
                stat.len,
                stat.mtime_ns,
                stat.inode,
                known.hash,
                h.format.extension(),
                h.width,
                h.height
            ));
        }
        for (key, files) in entries() {
            // An entry's line starts with a tab, where no source's can.
            text.push('\t');
            text.push_str(&key);
            for (name, id) in files {
                text.push_str(&format!("\t{name}={}.{}", id.dev, id.ino));
            }
            text.push('\n');
        }
        self.prepare()?;
        write_atomically(&self.dir.join(INDEX), text.as_bytes())
    }

    fn entry_dir(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    /// Where the derivative `name` of entry `key` is kept.
    #[cfg(test)]
    pub fn file(&self, key: &str, name: &str) -> PathBuf {
        self.entry_dir(key).join(name)
    }

    pub fn entry(&self, key: &str) -> Entry {
        let dir = self.entry_dir(key);
        if dir.join(DONE).is_file() {
            Entry::Ready
        } else if let Ok(message) = fs::read_to_string(dir.join(FAILED)) {
            Entry::Failed(message)
        } else {
            Entry::Missing
        }
    }

    /// Keeps the derivatives of entry `key`, then marks it done.
    pub fn store(&self, key: &str, files: &[(String, Vec<u8>)]) -> io::Result<()> {
        self.prepare()?;
        let dir = self.entry_dir(key);
        fs::create_dir_all(&dir)?;
        for (name, bytes) in files {
            write_atomically(&dir.join(name), bytes)?;
        }
        write_atomically(&dir.join(DONE), b"")
    }

    /// Notes that the image of entry `key` cannot be decoded.
    pub fn store_failure(&self, key: &str, message: &str) -> io::Result<()> {
        self.prepare()?;
        let dir = self.entry_dir(key);
        fs::create_dir_all(&dir)?;
        write_atomically(&dir.join(FAILED), message.as_bytes())
    }

    /// Makes the cache folder, stamped and ignored by git, if it is not
    /// there; a folder found empty is stamped too.
    fn prepare(&self) -> io::Result<()> {
        if self.dir.join(STAMP).is_file() {
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        let empty = fs::read_dir(&self.dir)?.next().is_none();
        if empty {
            fs::write(self.dir.join(".gitignore"), "*\n")?;
            fs::write(self.dir.join(STAMP), STAMP_TEXT)?;
        }
        Ok(())
    }

    /// Removes the entries not in `used`: only in a stamped cache folder,
    /// only files of Gazette's names, a folder only once empty. Returns
    /// how many entries went.
    pub fn sweep(&self, used: &HashSet<String>) -> usize {
        if !self.dir.join(STAMP).is_file() {
            return 0;
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !is_key(name) || used.contains(name) {
                continue;
            }
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let dir = entry.path();
            if let Ok(files) = fs::read_dir(&dir) {
                for file in files.filter_map(Result::ok) {
                    let ours = file.file_name().to_str().is_some_and(is_our_file);
                    if ours && file.file_type().is_ok_and(|t| t.is_file()) {
                        let _ = fs::remove_file(file.path());
                    }
                }
            }
            if fs::remove_dir(&dir).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// An entry's name: 32 lowercase hex digits.
pub fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The names Gazette gives files in an entry: `360.webp`, `done`, …, and
/// the temporary names it writes them under.
fn is_our_file(name: &str) -> bool {
    // A temporary name: `.360.webp.<process>-<n>.gazette-new`.
    let name = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".gazette-new"))
        .and_then(|n| n.rsplit_once('.'))
        .filter(|(_, unique)| unique.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .map_or(name, |(name, _)| name);
    if name == DONE || name == FAILED {
        return true;
    }
    let Some((width, extension)) = name.split_once('.') else {
        return false;
    };
    !width.is_empty()
        && width.bytes().all(|b| b.is_ascii_digit())
        && ["webp", "jpg", "png"].contains(&extension)
}

/// Writes `path` under a temporary name of this process and thread, then
/// renames it: two builds of one site (`serve` and `gazette build`, or
/// tests in parallel) storing the same entry never write into one file,
/// and each rename puts a whole file in place.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    // A thread writes one file at a time: process and thread make it unique.
    let thread: String = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let unique = format!("{}-{thread}", std::process::id());
    let temporary = path.with_file_name(format!(".{name}.{unique}.gazette-new"));
    let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// The ids of the files `names` from an entry's line, `<name>=<dev>.<ino>`
/// each, tab-separated; none unless it names exactly those, in that order.
fn parse_files(line: &str, names: &[&str]) -> Option<Vec<FileId>> {
    let mut parts = line.split('\t');
    let ids = (names.iter())
        .map(|&expected| {
            let (name, id) = parts.next()?.split_once('=')?;
            let (dev, ino) = id.split_once('.')?;
            let id = FileId {
                dev: dev.parse().ok()?,
                ino: ino.parse().ok()?,
            };
            (name == expected).then_some(id)
        })
        .collect::<Option<Vec<FileId>>>()?;
    parts.next().is_none().then_some(ids)
}

fn parse_line(line: &str) -> Option<(String, (Stat, Known))> {
    let mut parts = line.split('\t');
    let path = parts.next()?.to_string();
    let mut next = || parts.next();
    let stat = Stat {
        len: next()?.parse().ok()?,
        mtime_ns: next()?.parse().ok()?,
        inode: next()?.parse().ok()?,
    };
    let hash = u128::from_str_radix(next()?, 16).ok()?;
    let format = Format::from_extension(next()?)?;
    let width = next()?.parse().ok()?;
    let height = next()?.parse().ok()?;
    let header = Header {
        format,
        width,
        height,
    };
    Some((path, (stat, Known { hash, header })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeps_only_its_own_files_in_a_stamped_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::open(tmp.path().join("cache"));
        let (kept, gone, mixed) = ("a".repeat(32), "b".repeat(32), "c".repeat(32));
        for key in [&kept, &gone, &mixed] {
            cache
                .store(key, &[("360.webp".into(), b"x".to_vec())])
                .unwrap();
        }
        fs::write(cache.file(&mixed, "notes.txt"), "mine").unwrap();
        // Left by a build that stopped while writing: its own.
        fs::write(cache.file(&gone, ".720.jpg.4242-7.gazette-new"), "x").unwrap();
        fs::write(cache.file(&mixed, ".notes.txt.1-1.gazette-new"), "mine").unwrap();
        fs::write(cache.dir().join("README"), "mine").unwrap();
        fs::create_dir(cache.dir().join("d".repeat(31))).unwrap();
        let used: HashSet<String> = [kept.clone()].into();
        assert_eq!(cache.sweep(&used), 1);
        assert_eq!(cache.entry(&kept), Entry::Ready);
        assert!(!cache.dir().join(&gone).exists());
        assert_eq!(
            fs::read_to_string(cache.file(&mixed, "notes.txt")).unwrap(),
            "mine"
        );
        assert!(!cache.file(&mixed, "360.webp").exists());
        assert!(cache.file(&mixed, ".notes.txt.1-1.gazette-new").exists());
        assert!(cache.dir().join("README").exists());
        assert!(cache.dir().join("d".repeat(31)).exists());

        // A folder Gazette did not make (not empty, no stamp) is never swept.
        let foreign = tmp.path().join("foreign");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("x"), "x").unwrap();
        let cache = Cache::open(foreign.clone());
        cache
            .store(&gone, &[("360.webp".into(), b"x".to_vec())])
            .unwrap();
        assert_eq!(cache.sweep(&HashSet::new()), 0);
        assert!(foreign.join(&gone).join("360.webp").exists());
    }

    /// Two builds of one site making the same copies at once (`serve` and
    /// `gazette build`): each store succeeds and leaves whole files.
    #[test]
    fn builds_storing_one_entry_at_once_do_not_collide() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::open(tmp.path().join("cache"));
        let key = "e".repeat(32);
        let bytes = vec![7u8; 1 << 16];
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        let files = [("720.webp".to_string(), bytes.clone())];
                        cache.store(&key, &files).unwrap();
                    }
                });
            }
        });
        assert_eq!(cache.entry(&key), Entry::Ready);
        assert_eq!(fs::read(cache.file(&key, "720.webp")).unwrap(), bytes);
        let names: Vec<_> = fs::read_dir(cache.dir().join(&key))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    #[test]
    fn index_reads_back_what_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("a.jpg");
        fs::write(&source, "x").unwrap();
        let stat = Stat::of(&fs::metadata(&source).unwrap());
        let known = Known {
            hash: 0xabc,
            header: Header {
                format: Format::Jpeg,
                width: 30,
                height: 20,
            },
        };
        let cache = Cache::open(tmp.path().join("cache"));
        let key = "f".repeat(32);
        cache
            .store(&key, &[("360.webp".into(), b"x".to_vec())])
            .unwrap();
        let (files, known_files) = cache.files(&key, &["360.webp"]).unwrap();
        assert!(!known_files, "the index did not know them");
        let meta = fs::metadata(cache.file(&key, "360.webp")).unwrap();
        assert_eq!(files, [FileId::of(&meta)]);
        assert_eq!(cache.files(&key, &["360.webp", "720.webp"]), None);
        let entries = vec![(key.clone(), vec![("360.webp".to_string(), files[0])])];
        cache
            .save_index(&[(source.clone(), stat, known)], false, || entries)
            .unwrap();
        let cache = Cache::open(tmp.path().join("cache"));
        assert_eq!(cache.known(&source, stat), Some(known));
        assert_eq!(cache.entries_known(), 1);
        // Read from the index: the file is not asked for.
        fs::remove_file(cache.file(&key, "360.webp")).unwrap();
        assert_eq!(cache.files(&key, &["360.webp"]), Some((files, true)));
        // Other names than the index's are asked for (and missing here).
        assert_eq!(cache.files(&key, &["720.webp"]), None);
        fs::write(&source, "xy").unwrap();
        let changed = Stat::of(&fs::metadata(&source).unwrap());
        assert_eq!(cache.known(&source, changed), None);
    }
}
