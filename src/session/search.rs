//! The search index under `serve`: written again after a rebuild that
//! changed pages, only the files whose bytes changed reaching the disk,
//! and the files a smaller index no longer has removed.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::Config;
use crate::site::Site;
use crate::{BuildError, Diagnostic, output};

/// The key of a file of the search index among a session's outputs.
pub(super) fn key(path: &str) -> String {
    format!("search {path}")
}

/// Writes the index of `site` into `output`, records its files in
/// `outputs`; returns the paths written and the paths removed.
pub(super) fn refresh(
    site: &Site,
    config: &Config,
    output: &Path,
    outputs: &mut HashMap<String, (Option<u64>, String)>,
) -> Result<(Vec<String>, Vec<String>), BuildError> {
    let files = crate::search::outputs(site, config)?;
    let mut written = Vec::new();
    let mut now = HashSet::with_capacity(files.len());
    for file in files {
        let wrote = output::replace_file(output, &file.path, &file.bytes).map_err(|err| {
            BuildError::from(vec![Diagnostic::error(format!(
                "cannot write {}: {err}",
                file.path
            ))])
        })?;
        let key = key(&file.path);
        now.insert(key.clone());
        if wrote {
            written.push(file.path.clone());
        }
        outputs.insert(key, (None, file.path));
    }
    let gone: Vec<String> = (outputs.keys())
        .filter(|k| k.starts_with("search ") && !now.contains(*k))
        .cloned()
        .collect();
    let mut removed = Vec::new();
    for key in gone {
        if let Some((_, path)) = outputs.remove(&key)
            && std::fs::remove_file(output.join(&path)).is_ok()
        {
            removed.push(path);
        }
    }
    Ok((written, removed))
}
