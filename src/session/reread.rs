//! Reading the saved Markdown files again: which pages changed, which are
//! new, which are gone (deleted, moved away, made a draft or scheduled).
//! A move is a page gone and a page new; a bundle's page is read with its
//! folder's files ([`content::bundle`]). What only a whole build can get
//! right is said by returning `None`: a file outside the site, a bundle
//! that holds other Markdown files, and a page gone from a site with
//! permalink patterns (a pattern may then name a section no longer there).

use std::path::PathBuf;

use super::{Session, changes::real};
use crate::content::{self, Page};
use crate::markdown::{self, Indexed};
use crate::register::{NumberIndex, normalize};
use crate::{BuildError, Diagnostic};

/// What the saved files change in the site's pages.
#[derive(Default)]
pub(super) struct Plan {
    /// Pages read again, by their index in [`Site::pages`].
    pub edits: Vec<(usize, Page, Indexed)>,
    pub added: Vec<(Page, Indexed)>,
    /// Indexes in [`Site::pages`] of the pages no longer published.
    pub removed: Vec<usize>,
    /// Directive numbers named in front matter that no directive has.
    pub unknown: Vec<Diagnostic>,
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
    /// Reads the saved pages, finding directive numbers with `numbers`;
    /// `None` when they need a whole build.
    pub(super) fn reread(
        &self,
        saved: &[PathBuf],
        numbers: &NumberIndex,
    ) -> Result<Option<Plan>, BuildError> {
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
            // By bytes: the walk joined the names as `walked` does, and
            // comparing paths component by component costs more than the
            // rest of a one-page rebuild at 100,000 pages.
            let index =
                (site.pages.iter()).position(|p| p.page.path.as_os_str() == walked.as_os_str());
            let exists = path.is_file();
            let is_bundle = walked.file_name().is_some_and(|n| n == "index.md");
            if !exists {
                if let Some(i) = index {
                    if !config.permalinks.rules.is_empty() {
                        return Ok(None);
                    }
                    // A bundle's files left behind become the content's own.
                    let folder = walked.parent().filter(|f| f.exists());
                    if is_bundle && !site.pages[i].page.assets.is_empty() && folder.is_some() {
                        return Ok(None);
                    }
                    plan.removed.push(i);
                }
                continue;
            }
            let assets = if is_bundle {
                match content::bundle::assets(&self.options.root, config, &walked) {
                    // The content's own files become the new bundle's.
                    Ok(Some(assets)) if index.is_none() && !assets.is_empty() => {
                        return Ok(None);
                    }
                    Ok(Some(assets)) => assets,
                    Ok(None) => return Ok(None),
                    Err(mut found) => {
                        problems.append(&mut found);
                        continue;
                    }
                }
            } else {
                Vec::new()
            };
            let read = content::read_page(&load, &walked, assets);
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
            // Known only once the batch's own directives are counted in
            // (`Session::renumber`).
            for reference in &page.documents {
                if numbers.get(&normalize(&reference.number)).is_none() {
                    plan.unknown.push(reference.unknown.clone());
                }
            }
            let indexed = markdown::index_page(&mut page, numbers);
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
