//! What lies inside the site, and so may be published.
//!
//! A link committed into `content/`, `static/`, `templates/` or a theme
//! could otherwise publish any file of the build machine
//! (`x.txt -> /etc/passwd`, or `-> /proc/self/environ`, which holds the
//! build's environment and so CI's secrets). The walks of the site's
//! folders ask a [`Boundary`] about each folder they start from and each
//! link they meet: a link may lead anywhere inside the site's folder, or
//! into a folder that `config.yaml` names under `linked_folders:` (a
//! shared media mount); anything else is refused where the link is.
//! Devices, FIFOs and sockets are refused wherever they are.
//!
//! Only the walk roots and the links are resolved, not every file: below a
//! folder that lies inside, only a link can lead out, and the walks follow
//! no link they were not given leave to.

use std::path::{Path, PathBuf};

use walkdir::DirEntry;

use crate::diagnostic::{Diagnostic, display_path};

/// Where the site's files may come from.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The site's folder, links resolved; messages name files relative to
    /// `shown_root`.
    root: PathBuf,
    shown_root: PathBuf,
    linked: Vec<PathBuf>,
}

/// Pseudo file systems: never content, even inside a linked folder.
/// (`/dev/shm` is an ordinary tmpfs, where sites may well be built.)
const PSEUDO: [&str; 3] = ["/proc", "/sys", "/dev"];

fn is_pseudo(real: &Path) -> bool {
    PSEUDO.iter().any(|p| real.starts_with(p)) && !real.starts_with("/dev/shm")
}

impl Boundary {
    /// `linked` are the folders of `linked_folders:`, already resolved.
    pub fn new(root: &Path, linked: &[PathBuf]) -> Boundary {
        Boundary {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            shown_root: root.to_path_buf(),
            linked: linked.to_vec(),
        }
    }

    fn admits(&self, real: &Path) -> bool {
        real.starts_with(&self.root)
            || (!is_pseudo(real) && self.linked.iter().any(|l| real.starts_with(l)))
    }

    /// A folder a walk starts from (`content/`, a theme's `static/`): it
    /// may itself be a link, or lie below one.
    pub fn check_folder(&self, dir: &Path) -> Result<(), Diagnostic> {
        match dir.canonicalize() {
            Ok(real) if self.admits(&real) => Ok(()),
            Ok(real) => Err(self.outside(dir, &real)),
            // A folder that cannot be read is the walk's to report.
            Err(_) => Ok(()),
        }
    }

    /// An entry met by a walk that follows links: a link must lead inside,
    /// and nothing may be a device, FIFO or socket.
    pub fn check_entry(&self, entry: &DirEntry) -> Result<(), Diagnostic> {
        let path = entry.path();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(real) if self.admits(&real) => {}
                Ok(real) => return Err(self.outside(path, &real)),
                Err(err) => {
                    let target = std::fs::read_link(path).unwrap_or_default();
                    return Err(Diagnostic::error(format!(
                        "the link leads to `{}`, which cannot be read: {err}",
                        target.display()
                    ))
                    .in_file(self.shown(path))
                    .with_hint("remove the link, or make it lead to a file of the site"));
                }
            }
        }
        let kind = entry.file_type();
        if kind.is_file() || kind.is_dir() {
            return Ok(());
        }
        Err(
            Diagnostic::error("a device, FIFO or socket is not a file a site can publish")
                .in_file(self.shown(path))
                .with_hint("remove it from the site's folders"),
        )
    }

    /// Every entry below `dir`, sorted by name so builds are
    /// deterministic, following the links that lead inside and skipping
    /// the names `skip` says to. What is refused is added to `problems`
    /// and not walked into.
    pub fn walk(
        &self,
        dir: &Path,
        skip: impl Fn(&str) -> bool,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<walkdir::Result<DirEntry>> {
        if let Err(refused) = self.check_folder(dir) {
            problems.push(refused);
            return Vec::new();
        }
        let refused = std::cell::RefCell::new(Vec::new());
        let entries = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && skip(e.file_name().to_string_lossy().as_ref()) {
                    return false;
                }
                let admitted = self.check_entry(e);
                admitted.map_err(|d| refused.borrow_mut().push(d)).is_ok()
            })
            .collect();
        problems.append(&mut refused.into_inner());
        entries
    }

    fn shown(&self, path: &Path) -> PathBuf {
        display_path(&self.shown_root, path)
    }

    fn outside(&self, path: &Path, real: &Path) -> Diagnostic {
        let written = std::fs::read_link(path)
            .ok()
            .filter(|t| t.as_path() != real)
            .map(|t| format!("`{}`, that is ", t.display()))
            .unwrap_or_default();
        Diagnostic::error(format!(
            "this leads outside the site, to {written}`{}`: Gazette publishes only what lies inside the site's folder",
            real.display()
        ))
        .in_file(self.shown(path))
        .with_hint(
            "copy the file into the site instead of linking it; a shared folder meant to be published (a media mount) can be named under `linked_folders:` in config.yaml",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_pass_links_outside_and_pseudo_files_do_not() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let shared = tmp.path().join("shared");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::write(site.join("content/a.txt"), "a").unwrap();
        std::fs::write(shared.join("b.txt"), "b").unwrap();
        symlink(site.join("content/a.txt"), site.join("content/inside.txt")).unwrap();
        symlink(shared.join("b.txt"), site.join("content/shared.txt")).unwrap();
        symlink("/proc/self/environ", site.join("content/env.txt")).unwrap();

        let check = |boundary: &Boundary, name: &str| {
            let entry = walkdir::WalkDir::new(site.join("content").join(name))
                .follow_links(true)
                .into_iter()
                .next()
                .unwrap()
                .unwrap();
            boundary.check_entry(&entry)
        };
        let strict = Boundary::new(&site, &[]);
        assert!(check(&strict, "inside.txt").is_ok());
        let refused = check(&strict, "shared.txt").unwrap_err();
        assert_eq!(
            refused.file.as_deref(),
            Some(Path::new("content/shared.txt"))
        );
        assert!(
            refused.message.contains("outside the site"),
            "{}",
            refused.message
        );
        assert!(check(&strict, "env.txt").is_err());

        // A site kept on /dev/shm (a tmpfs) reads its own files.
        let on_tmpfs = tempfile::tempdir_in("/dev/shm").unwrap();
        std::fs::create_dir_all(on_tmpfs.path().join("content")).unwrap();
        let boundary = Boundary::new(on_tmpfs.path(), &[]);
        assert!(
            boundary
                .check_folder(&on_tmpfs.path().join("content"))
                .is_ok()
        );

        let shared_real = shared.canonicalize().unwrap();
        let with_mount = Boundary::new(&site, &[shared_real, "/proc".into()]);
        assert!(check(&with_mount, "shared.txt").is_ok());
        assert!(
            check(&with_mount, "env.txt").is_err(),
            "/proc is never content"
        );
    }
}
