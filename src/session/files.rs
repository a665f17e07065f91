//! The content's files that are not Markdown, under `serve`. The content's
//! own files (in no bundle) are published, replaced or taken out
//! ([`Site::set_static`]); a bundle's are read again with its page. The
//! photos and drawings among either have their catalog entries made again
//! ([`crate::images::Catalog::replan`]: sizes, copies, checks) and their
//! copies published; every page that shows one (its lead image, an image
//! of its body, a leader's photo) is rendered again, and so are the lists,
//! registers and side columns that show those pages.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Session, changes};
use crate::agency::Agency;
use crate::site::{ListId, Site, Touched, list_lengths, resolve_link};
use crate::{BuildError, Diagnostic, content};

/// A content file of no bundle: its path in `content/` (where it is
/// published) and its source, `None` when it is gone.
pub(super) type Static = (String, Option<PathBuf>);

/// Whether the file `path` names is a picture ([`crate::images::is_picture`]).
fn is_picture(path: &Path) -> bool {
    path.to_str().is_some_and(crate::images::is_picture)
}

impl Session {
    /// The content's own files among `files` (real paths, maybe gone),
    /// checked as the walk of `content/` checks them; `None` when one is
    /// a folder (created, renamed or deleted), which only the whole walk
    /// sorts out.
    pub(super) fn statics(&self, files: &[PathBuf]) -> Result<Option<Vec<Static>>, BuildError> {
        let config = &self.prepared.config;
        let content_dir = changes::real(&self.options.root.join(content::DIR));
        let boundary = crate::boundary::Boundary::new(&self.options.root, &config.linked_folders);
        let mut statics = Vec::new();
        let mut problems = Vec::new();
        for path in files {
            if changes::bundle_of(&content_dir, path).is_some() {
                continue;
            }
            let Some(rel) = path.strip_prefix(&content_dir).ok().and_then(Path::to_str) else {
                return Ok(None);
            };
            let rel = rel.replace('\\', "/");
            let known = self.prepared.site.static_file(&rel).is_some();
            if path.is_dir() || (!path.exists() && !known) {
                // A folder, or something gone that was none of the files.
                return Ok(None);
            }
            if !path.exists() {
                statics.push((rel, None));
                continue;
            }
            let shown = crate::diagnostic::display_path(&self.options.root, path);
            if let Err(refused) = boundary.check_folder(path) {
                problems.push(refused);
            } else if let Some(problem) = crate::portable::file_problem(&rel, shown) {
                problems.push(problem);
            } else {
                statics.push((rel, Some(path.clone())));
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems.into());
        }
        Ok(Some(statics))
    }

    /// The errors in the pictures among the saved `files`, found before
    /// anything changes.
    pub(super) fn check_pictures(&self, files: &[PathBuf]) -> Result<(), BuildError> {
        let pictures: Vec<PathBuf> = files.iter().filter(|p| is_picture(p)).cloned().collect();
        if pictures.is_empty() {
            return Ok(());
        }
        let config = &self.prepared.config.images;
        let problems = crate::images::check(&self.options.root, config, &pictures);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.into())
        }
    }

    /// Where the pictures among the saved `files` are published now.
    pub(super) fn pictures_published(&self, files: &[PathBuf]) -> HashSet<String> {
        let pictures: Vec<&PathBuf> = files.iter().filter(|p| is_picture(p)).collect();
        if pictures.is_empty() {
            return HashSet::new();
        }
        // Only files of the same name are resolved (a syscall each).
        let names: HashSet<_> = pictures.iter().filter_map(|p| p.file_name()).collect();
        (self.prepared.site.files.iter())
            .filter(|f| f.source.file_name().is_some_and(|n| names.contains(n)))
            .filter(|f| pictures.contains(&&changes::real(&f.source)))
            .map(|f| f.path.clone())
            .collect()
    }

    /// The catalog's entries of the pictures published at `paths` made
    /// again from the files published there now; returns the copies no
    /// longer published, and the warnings.
    pub(super) fn replan(
        &mut self,
        paths: &HashSet<String>,
    ) -> Result<(Vec<String>, Vec<Diagnostic>), BuildError> {
        let files: Vec<_> = (self.prepared.site.files.iter())
            .filter(|f| paths.contains(&f.path))
            .cloned()
            .collect();
        let config = &self.prepared.config.images;
        let (root, mode) = (&self.options.root, self.options.images);
        self.prepared
            .pictures
            .replan(root, config, paths, &files, mode)
            .map_err(BuildError::from)
    }
}

/// The pages that show a picture published at one of `paths`.
pub(super) fn showing(site: &Site, paths: &HashSet<String>) -> Vec<usize> {
    let hit = |site_path: &str| {
        let path = site_path.trim_start_matches('/');
        paths.contains(path)
            || percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .is_ok_and(|decoded| paths.contains(decoded.as_ref()))
    };
    let shows = |i: usize| {
        let page = &site.pages[i];
        let base = &page.page.asset_base;
        let body = page.page.scan.images.iter().map(String::as_str);
        let photos: Vec<&str> = match &page.page.agency {
            Some(Agency::Leaders(leaders)) => (leaders.iter())
                .filter_map(|l| l.photo.as_deref())
                .collect(),
            _ => Vec::new(),
        };
        page.image_url.as_deref().is_some_and(hit)
            || body
                .chain(photos)
                .any(|src| hit(&resolve_link(base, src)) || hit(&resolve_link(&page.url, src)))
    };
    (0..site.pages.len()).filter(|&i| shows(i)).collect()
}

/// Counts `pages` as changed in what other outputs show of them: they are
/// rendered again, and so is every page of theirs that lists or shows
/// them.
pub(super) fn touch(site: &Site, pages: &[usize], touched: &mut Touched) {
    for &i in pages {
        let page = &site.pages[i];
        touched.edited.insert(page.page.id.clone());
        touched.shown.insert(page.page.id.clone());
        touched.pages.push(i);
        touched.visited.push(i);
        let mut note = |kind: &'static str, list: &crate::site::Listing| {
            let id = ListId {
                kind,
                url: list.url.clone(),
            };
            touched.lists.entry(id).or_insert(list.pages.len());
        };
        for &c in &page.categories {
            note("category", &site.categories[c]);
        }
        for &t in &page.tags {
            note("tag", &site.tags[t]);
        }
        if let Some(section) = &page.page.section
            && let Some(list) = site.sections.iter().find(|s| &s.slug == section)
        {
            note("section", list);
        }
        if page.page.document.is_some()
            && let Some(register) = &site.register
            && !touched.register
        {
            touched.register = true;
            touched.register_before = list_lengths(register.filters().map(|(_, l)| l));
        }
        if page.page.consultation.is_some()
            && let Some(drafts) = &site.consultations
            && !touched.consultations
        {
            touched.consultations = true;
            touched.consultations_before = list_lengths(drafts.filters().map(|(_, l)| l));
        }
    }
    touched.visited.sort_unstable();
    touched.visited.dedup();
}

/// Writes the content's own files saved and the copies of the pictures
/// published at `pictures`, where their bytes changed; returns the output
/// paths written.
pub(super) fn publish(
    catalog: &crate::images::Catalog,
    statics: &[Static],
    pictures: &HashSet<String>,
    output: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let saved = (statics.iter()).filter_map(|(path, source)| Some((path.clone(), source.clone()?)));
    let copies = (catalog.copies_of(pictures).into_iter()).map(|(path, file, _)| (path, file));
    let mut written = Vec::new();
    for (path, source) in saved.chain(copies) {
        let copied = std::fs::read(&source)
            .map_err(|err| format!("cannot read {}: {err}", source.display()))
            .and_then(|bytes| {
                crate::output::replace_file(output, &path, &bytes)
                    .map_err(|err| format!("cannot write {path}: {err}"))
            });
        match copied {
            Ok(true) => written.push(path),
            Ok(false) => {}
            Err(message) => problems.push(Diagnostic::error(message)),
        }
    }
    written
}
