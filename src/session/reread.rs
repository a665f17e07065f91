//! Reading the saved Markdown files again: which pages changed, which are
//! new, which are gone (deleted, moved away, made a draft or scheduled).
//! A move is a page gone and a page new. What only a whole build can get
//! right is said by returning `None`: a directive (its number links every
//! page that mentions it), a bundle's files (they are published beside the
//! page), a file outside the site, and a page gone from a site with
//! permalink patterns (a pattern may then name a section no longer there).

use std::path::{Path, PathBuf};

use super::{Session, changes::real};
use crate::content::{self, Page};
use crate::markdown::{self, Indexed};
use crate::register::normalize;
use crate::{BuildError, Diagnostic};

/// What the saved files change in the site's pages.
#[derive(Default)]
pub(super) struct Plan {
    /// Pages read again, by their index in [`Site::pages`].
    pub edits: Vec<(usize, Page, Indexed)>,
    pub added: Vec<(Page, Indexed)>,
    /// Indexes in [`Site::pages`] of the pages no longer published.
    pub removed: Vec<usize>,
}

impl Plan {
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let edited = self.edits.iter().map(|(_, page, _)| page);
        let added = self.added.iter().map(|(page, _)| page);
        edited
            .chain(added)
            .flat_map(|page| page.warnings.iter().cloned())
            .collect()
    }
}

impl Session {
    /// Reads the saved pages; `None` when they need a whole build.
    pub(super) fn reread(&self, saved: &[PathBuf]) -> Result<Option<Plan>, BuildError> {
        let site = &self.prepared.site;
        let config = &self.prepared.config;
        let root = real(&self.options.root);
        let content_dir = self.options.root.join(content::DIR);
        let load = content::LoadOptions {
            root: &self.options.root,
            config,
            include_drafts: self.options.drafts,
            now: self.options.now(config),
        };
        let mut plan = Plan::default();
        let mut problems = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        for path in saved {
            let path = real(path);
            if seen.contains(&path) {
                continue;
            }
            seen.push(path.clone());
            let Ok(rel) = path.strip_prefix(root.join(content::DIR)) else {
                return Ok(None);
            };
            // The page as the site's walk named it.
            let walked = content_dir.join(rel);
            let index = site.pages.iter().position(|p| p.page.path == walked);
            let exists = path.is_file();
            let old = index.map(|i| &site.pages[i].page);
            if old.is_some_and(|old| old.document.is_some() || !old.assets.is_empty()) {
                return Ok(None);
            }
            if !exists {
                if let Some(i) = index {
                    if !config.permalinks.rules.is_empty() {
                        return Ok(None);
                    }
                    plan.removed.push(i);
                }
                continue;
            }
            if index.is_none() && !fits_in_place(&walked) {
                return Ok(None);
            }
            let read = content::read_page(&load, &walked, Vec::new());
            let mut page = match read {
                Ok(Some(page)) => page,
                // Now a draft, or scheduled: gone from the site.
                Ok(None) => {
                    if let Some(i) = index {
                        plan.removed.push(i);
                    }
                    continue;
                }
                Err(mut found) => {
                    problems.append(&mut found);
                    continue;
                }
            };
            if page.document.is_some() {
                return Ok(None);
            }
            for reference in &page.documents {
                if site.numbers.get(&normalize(&reference.number)).is_none() {
                    problems.push(reference.unknown.clone());
                }
            }
            let indexed = markdown::index_page(&mut page, &site.numbers);
            match index {
                Some(i) => plan.edits.push((i, page, indexed)),
                None => plan.added.push((page, indexed)),
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems.into());
        }
        Ok(Some(plan))
    }
}

/// Whether a new Markdown file can join the site on its own: a new
/// bundle's `index.md` cannot when its folder holds other files (they
/// become its own, published beside it).
fn fits_in_place(path: &Path) -> bool {
    let is_bundle = path.file_name().is_some_and(|n| n == "index.md");
    let Some(folder) = path.parent().filter(|_| is_bundle) else {
        return true;
    };
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.filter_map(Result::ok).all(|e| {
            e.file_name() == "index.md" || content::is_ignored(&e.file_name().to_string_lossy())
        })
    })
}
