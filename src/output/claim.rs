//! Which folder a build may replace, and the lock that keeps two builds of
//! it apart.
//!
//! A build replaces its output folder whole, so before anything is read
//! the folder is claimed: it must be new, empty, or carry Gazette's stamp
//! for this site ([`STAMP`]); `--force` lifts that rule, but never the one
//! against the site's own folders, the folders that hold the site, the
//! home folder and `/`. The claim then takes a lock on a file beside the
//! output, held until the build ends (the kernel drops it if the process
//! dies), and removes what crashed builds left beside it: staging trees
//! that carry the stamp, which only Gazette writes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// The file Gazette writes at the top of every output folder. It names
/// the site by a hash of its folder's path, so the address of the build
/// machine's folders is not published with the site.
pub const STAMP: &str = ".gazette-output";

const STAMP_FIRST_LINE: &str =
    "This folder was written by Gazette, and the next build replaces it whole.";

/// The folders of a site that hold its sources: never an output.
pub const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "themes", "static", "i18n"];

/// How long a build waits for another one writing the same output.
pub const LOCK_WAIT: Duration = Duration::from_secs(120);

/// An output folder this build may replace, locked for it.
#[derive(Debug)]
pub struct Claim {
    /// The output, with links resolved: what is replaced.
    path: PathBuf,
    /// The text of the stamp this build writes.
    stamp: String,
    /// Holds the lock until dropped.
    _lock: File,
}

/// Why a folder cannot be an output.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
    /// Whether `--force` would get past it.
    pub forceable: bool,
}

impl Claim {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn stamp(&self) -> &str {
        &self.stamp
    }
}

/// What [`claim`] is told about the site and the build.
pub struct Request<'a> {
    pub root: &'a Path,
    pub output: &'a Path,
    /// Folders outside the site that it reads from: never an output.
    pub linked: &'a [PathBuf],
    pub force: bool,
    /// Called once, with the pid of the other process when known, if
    /// another build holds the lock and this one starts waiting.
    pub on_wait: &'a dyn Fn(Option<u32>),
}

/// Checks that `request.output` may be replaced, locks it, and removes
/// the staging trees crashed builds left beside it.
pub fn claim(request: &Request) -> Result<Claim, Refusal> {
    let root = request.root.canonicalize().map_err(|err| Refusal {
        message: format!(
            "cannot read the site folder {}: {err}",
            request.root.display()
        ),
        hint: "pass the site's folder with --root".into(),
        forceable: false,
    })?;
    let path = resolve(request.output).map_err(|err| Refusal {
        message: format!(
            "cannot use {} as the output folder: {err}",
            request.output.display()
        ),
        hint: "choose another folder with --output".into(),
        forceable: false,
    })?;
    never_replaced(&path, &root, request.linked)?;
    let stamp = stamp_text(&root);
    if !request.force {
        owned(&path, &root)?;
    }
    let lock = lock(&path, request.on_wait)?;
    remove_leftovers(&path);
    Ok(Claim {
        path,
        stamp,
        _lock: lock,
    })
}

/// `path` made absolute with every link and `..` resolved as the kernel
/// would, including the part that does not exist yet.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

/// The folders no build replaces, whatever it is told.
fn never_replaced(path: &Path, root: &Path, linked: &[PathBuf]) -> Result<(), Refusal> {
    let refuse = |what: String| Refusal {
        message: format!(
            "will not build into {}: it is {what}, and a build replaces its output folder whole",
            path.display()
        ),
        hint: "build into a folder of its own, e.g. `--output public` (the default)".into(),
        forceable: false,
    };
    if path.parent().is_none() {
        return Err(refuse("the root of the file system".into()));
    }
    if root.starts_with(path) {
        return Err(refuse(if root == path {
            "the site's own folder".into()
        } else {
            "a folder that holds the site".into()
        }));
    }
    for name in SOURCE_FOLDERS {
        let folder = resolve(&root.join(name)).unwrap_or_else(|_| root.join(name));
        if path.starts_with(&folder) {
            return Err(refuse(format!("the site's `{name}/` folder or inside it")));
        }
    }
    for folder in linked {
        let folder = resolve(folder).unwrap_or_else(|_| folder.clone());
        if path.starts_with(&folder) || folder.starts_with(path) {
            return Err(refuse(format!(
                "or holds a folder the site reads ({})",
                folder.display()
            )));
        }
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = resolve(Path::new(&home)).unwrap_or_else(|_| PathBuf::from(&home));
        if home.starts_with(path) {
            return Err(refuse("the home folder, or a folder that holds it".into()));
        }
    }
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_dir() => Err(Refusal {
            message: format!("the output {} is a file, not a folder", path.display()),
            hint: "choose a folder with --output".into(),
            forceable: false,
        }),
        _ => Ok(()),
    }
}

/// The id a site's outputs are stamped with: a hash of its folder's path.
fn site_id(root: &Path) -> String {
    crate::content::stable_id(&root.to_string_lossy())
}

/// The stamp of this site's outputs.
fn stamp_text(root: &Path) -> String {
    format!("{STAMP_FIRST_LINE}\nsite: {}\n", site_id(root))
}

/// Whether `dir` carries a Gazette stamp, and the site it names.
fn read_stamp(dir: &Path) -> Option<String> {
    let mut text = String::new();
    File::open(dir.join(STAMP))
        .and_then(|f| f.take(4096).read_to_string(&mut text))
        .ok()?;
    let mut lines = text.lines();
    (lines.next()? == STAMP_FIRST_LINE).then(|| {
        lines
            .find_map(|l| l.strip_prefix("site: "))
            .unwrap_or("")
            .to_string()
    })
}

/// A folder may be replaced when it does not exist, is empty, carries this
/// site's stamp, or carries a Gazette stamp and lies inside the site (a
/// site folder that was moved, with its `public/`).
fn owned(path: &Path, root: &Path) -> Result<(), Refusal> {
    let mut entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(Refusal {
                message: format!("cannot read the output folder {}: {err}", path.display()),
                hint: "choose another folder with --output".into(),
                forceable: false,
            });
        }
    };
    if entries.next().is_none() {
        return Ok(());
    }
    match read_stamp(path) {
        Some(site) if site == site_id(root) || path.starts_with(root) => Ok(()),
        Some(_) => Err(Refusal {
            message: format!(
                "{} is the output of another Gazette site; this build would replace it",
                path.display()
            ),
            hint: "choose this site's own output folder with --output, or pass --force to replace it (its files are deleted)".into(),
            forceable: true,
        }),
        None => Err(Refusal {
            message: format!(
                "{} holds files Gazette did not write ({}); a build replaces its output folder whole, so it will not build there",
                path.display(),
                describe(path)
            ),
            hint: "choose a new or empty folder with --output; if the folder is an output of an older Gazette, delete it or pass --force once (--force deletes every file in it)".into(),
            forceable: true,
        }),
    }
}

/// "3 files and 1 folder: docs/, ghi-chu.txt, …".
fn describe(dir: &Path) -> String {
    let mut names: Vec<(String, bool)> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                    (e.file_name().to_string_lossy().into_owned(), is_dir)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let folders = names.iter().filter(|(_, d)| *d).count();
    let files = names.len() - folders;
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut shown: Vec<String> = names
        .iter()
        .take(3)
        .map(|(n, d)| if *d { format!("{n}/") } else { n.clone() })
        .collect();
    if names.len() > 3 {
        shown.push("…".into());
    }
    format!(
        "{} and {}: {}",
        plural(files, "file"),
        plural(folders, "folder"),
        shown.join(", ")
    )
}

/// `.public.lock` beside `public/`: beside, because the output folder
/// itself is swapped for a new one.
pub(super) fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{what}"))
}

/// Locks the output for this build, waiting up to [`LOCK_WAIT`] for
/// another build that holds it.
fn lock(output: &Path, on_wait: &dyn Fn(Option<u32>)) -> Result<File, Refusal> {
    let path = sibling(output, "lock");
    let failed = |err: io::Error| Refusal {
        message: format!(
            "cannot lock the output folder with {}: {err}",
            path.display()
        ),
        hint: "check that the folder that holds the output can be written".into(),
        forceable: false,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(failed)?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) => {
                if !told {
                    let mut pid = String::new();
                    let _ = (&file).read_to_string(&mut pid);
                    on_wait(pid.trim().parse().ok());
                    told = true;
                }
                if started.elapsed() > LOCK_WAIT {
                    return Err(Refusal {
                        message: format!(
                            "another Gazette process has been writing {} for over {} s",
                            output.display(),
                            LOCK_WAIT.as_secs()
                        ),
                        hint: format!(
                            "wait for it to finish, or stop it; the pid is in {}",
                            path.display()
                        ),
                        forceable: false,
                    });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(fs::TryLockError::Error(err)) => return Err(failed(err)),
        }
    }
    // Who holds it, for the message of a build that has to wait.
    let _ = file
        .set_len(0)
        .and_then(|()| (&file).write_all(std::process::id().to_string().as_bytes()));
    Ok(file)
}

/// Removes the staging trees that builds killed before their end left
/// beside `output`. Only those carrying the stamp (or empty, or holding
/// only a stamp file cut short) are removed: the lock is held, so no build
/// is writing them.
fn remove_leftovers(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    let prefix = format!(".{}.staging-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !entry.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let dir = entry.path();
        // Empty, or killed while its stamp was being written: nothing in it
        // but a stamp file that may be cut short.
        let only_stamp = fs::read_dir(&dir).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .all(|e| e.file_name() == STAMP)
        });
        if only_stamp || read_stamp(&dir).is_some() {
            // Left for the next build if it cannot be removed now.
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_builds_go_and_foreign_folders_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let cut_short = tmp.path().join(".public.staging-11");
        fs::create_dir_all(&cut_short).unwrap();
        fs::write(cut_short.join(STAMP), "").unwrap();
        let empty = tmp.path().join(".public.staging-12");
        fs::create_dir_all(&empty).unwrap();
        let foreign = tmp.path().join(".public.staging-13");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        fs::write(foreign.join(STAMP), "").unwrap();
        remove_leftovers(&output);
        assert!(!cut_short.exists() && !empty.exists());
        assert_eq!(
            fs::read_to_string(foreign.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn resolves_dot_dot_through_missing_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        let path = tmp.path().join("new/../content/./x");
        assert_eq!(resolve(&path).unwrap(), real.join("content/x"));
    }

    #[test]
    fn describes_a_folder_by_its_first_names() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("docs")).unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            fs::write(tmp.path().join(name), "x").unwrap();
        }
        assert_eq!(
            describe(tmp.path()),
            "3 files and 1 folder: a.txt, b.txt, c.txt, …"
        );
    }
}
