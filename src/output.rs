//! Stage 6, write: everything goes into a staging folder beside the output,
//! which is then swapped into place, so a failed build leaves the published
//! site exactly as it was. A file whose bytes did not change is hard-linked
//! from the current output instead of written again: deploy tools (rsync,
//! CDN sync) then see only real changes, and a rebuild creates few files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts of what the write stage did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// An output tree being built. Dropped without [`Staging::commit`], it
/// removes itself and the output is untouched.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
}

fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes `bytes` at `path` (relative, `/`-separated) in the new tree.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let current = self.output.join(path);
        if same_bytes(&current, bytes) && fs::hard_link(&current, &target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        fs::write(&target, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copies the file at `source` to `path` in the new tree.
    pub fn copy(&self, path: &str, source: &Path) -> io::Result<()> {
        let bytes = fs::read(source)?;
        self.put(path, &bytes)
    }

    /// Swaps the new tree into place and removes the old one.
    pub fn commit(mut self) -> io::Result<WriteStats> {
        let old = sibling(&self.output, "old");
        let had_output = self.output.exists();
        if had_output {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.output, &old)?;
        }
        if let Err(err) = fs::rename(&self.dir, &self.output) {
            if had_output {
                fs::rename(&old, &self.output)?;
            }
            return Err(err);
        }
        self.committed = true;
        if had_output {
            fs::remove_dir_all(&old)?;
        }
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes one file of a published site in place (for rebuilds after an
/// edit): skipped when the bytes are already there, else written beside it
/// and renamed over it, so a visitor never reads half a page. Returns
/// whether it wrote.
pub fn replace_file(output: &Path, path: &str, bytes: &[u8]) -> io::Result<bool> {
    let target = output.join(path);
    if same_bytes(&target, bytes) {
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

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn unchanged_files_keep_their_inode_and_dropped_staging_leaves_no_trace() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let first = Staging::new(&output).unwrap();
        first.put("a/index.html", b"same").unwrap();
        first.put("b.html", b"old").unwrap();
        first.commit().unwrap();
        let inode = fs::metadata(output.join("a/index.html")).unwrap().ino();

        let second = Staging::new(&output).unwrap();
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

        let abandoned = Staging::new(&output).unwrap();
        abandoned.put("b.html", b"broken").unwrap();
        drop(abandoned);
        assert_eq!(fs::read(output.join("b.html")).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
