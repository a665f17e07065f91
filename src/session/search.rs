//! The search index under `serve`: after a rebuild that changed pages, the
//! kept index ([`crate::search::live`]) is brought in step and what it
//! changed is written: `d/` files moved to their new numbers, files whose
//! bytes changed, and files the index no longer has removed.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::Config;
use crate::search::live::Live;
use crate::site::Site;
use crate::{BuildError, Diagnostic, output};

/// The key of a file of the search index among a session's outputs.
pub(super) fn key(path: &str) -> String {
    format!("search {path}")
}

fn failed(path: &str, err: std::io::Error) -> BuildError {
    BuildError::from(vec![Diagnostic::error(format!(
        "cannot write {path}: {err}"
    ))])
}

/// Updates `live` for the pages with ids in `edited` and writes what
/// changed into `output`, recording the files in `outputs`; returns the
/// paths written and the paths removed.
pub(super) fn refresh(
    live: &mut Live,
    site: &Site,
    config: &Config,
    output: &Path,
    outputs: &mut HashMap<String, (Option<u64>, String)>,
    edited: &HashSet<String>,
) -> Result<(Vec<String>, Vec<String>), BuildError> {
    let update = live.update(site, config, edited)?;
    let mut written = Vec::new();
    // Moves that cross are made in two steps, as one move's target may then
    // be another's source.
    let aside = |path: &str| format!("{path}.gazette-move");
    let source = |from: &str| {
        if update.crossed {
            aside(from)
        } else {
            from.to_string()
        }
    };
    if update.crossed {
        for (from, _) in &update.moves {
            std::fs::rename(output.join(from), output.join(aside(from)))
                .map_err(|err| failed(from, err))?;
        }
    }
    for (from, to) in &update.moves {
        std::fs::rename(output.join(source(from)), output.join(to))
            .map_err(|err| failed(to, err))?;
        outputs.insert(key(to), (None, to.clone()));
        written.push(to.clone());
    }
    for file in update.write {
        let wrote = output::replace_file(output, &file.path, &file.bytes)
            .map_err(|err| failed(&file.path, err))?;
        if wrote {
            written.push(file.path.clone());
        }
        outputs.insert(key(&file.path), (None, file.path));
    }
    let mut removed = Vec::new();
    for path in update.remove {
        outputs.remove(&key(&path));
        if std::fs::remove_file(output.join(&path)).is_ok() {
            removed.push(path);
        }
    }
    Ok((written, removed))
}

/// Makes the other languages' indexes again ([`crate::search::language_outputs`])
/// and writes the files whose bytes changed, recording them in `outputs`;
/// removes the files of theirs no longer made. Returns the paths written
/// and the paths removed.
pub(super) fn refresh_languages(
    site: &Site,
    config: &Config,
    output: &Path,
    outputs: &mut HashMap<String, (Option<u64>, String)>,
) -> Result<(Vec<String>, Vec<String>), BuildError> {
    let files = crate::search::language_outputs(site, config).map_err(BuildError::from)?;
    let mut written = Vec::new();
    let mut made: HashSet<String> = HashSet::with_capacity(files.len());
    for file in files {
        if output::replace_file(output, &file.path, &file.bytes)
            .map_err(|err| failed(&file.path, err))?
        {
            written.push(file.path.clone());
        }
        made.insert(key(&file.path));
        outputs.insert(key(&file.path), (None, file.path));
    }
    let folders: Vec<String> = (1..config.languages.len())
        .map(|l| key(&crate::search::language_folder(config, l)))
        .collect();
    let gone: Vec<String> = (outputs.keys())
        .filter(|k| !made.contains(*k) && folders.iter().any(|f| k.starts_with(f.as_str())))
        .cloned()
        .collect();
    let mut removed = Vec::new();
    for k in gone {
        if let Some((_, path)) = outputs.remove(&k)
            && std::fs::remove_file(output.join(&path)).is_ok()
        {
            removed.push(path);
        }
    }
    Ok((written, removed))
}
