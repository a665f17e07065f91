//! A bundle's files read again on their own, when an editor saves, adds
//! or deletes one of them (or its `index.md`), as the whole walk of
//! `content/` would give them to the bundle's page.

use std::path::Path;

use super::{Asset, walk};
use crate::boundary::Boundary;
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// The files of the bundle whose `index.md` is at `index`, in the walk's
/// order; `None` when the folder holds other Markdown files (pages of
/// their own, or bundles inside the bundle), which only the whole walk
/// sorts out.
pub fn assets(
    root: &Path,
    config: &Config,
    index: &Path,
) -> Result<Option<Vec<Asset>>, Vec<Diagnostic>> {
    let Some(folder) = index.parent() else {
        return Ok(None);
    };
    let mut problems = Vec::new();
    let boundary = Boundary::new(root, &config.linked_folders);
    let (markdown, others) = walk(root, folder, &boundary, &mut problems);
    if markdown.iter().any(|found| found.rel != "index.md") {
        return Ok(None);
    }
    let mut assets = Vec::with_capacity(others.len());
    for found in others {
        let shown = crate::diagnostic::display_path(root, &found.path);
        if let Some(problem) = crate::portable::file_problem(&found.rel, shown) {
            problems.push(problem);
            continue;
        }
        assets.push(Asset {
            source: found.path,
            name: found.rel,
        });
    }
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok(Some(assets))
    }
}
