//! Translations under `serve` ([`crate::lang`]): a page and its
//! translations carry links to each other, and the other languages have
//! outputs of their own (home page, feeds, site map, 404, search). When a
//! batch holds a translation, or a page that has one, the pages paired
//! with it are rendered again, and so are the other languages' own outputs,
//! the sitemap (its `hreflang` links) and their search indexes; a file that
//! comes or goes is checked as a whole build checks it (an original for
//! every translation, one translation per language), on the folders it
//! sits in.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::{Session, changes::real};
use crate::render::{self, Job};
use crate::site::{Edit, Site};
use crate::{BuildError, content};

impl Session {
    /// Whether the Markdown file at `path` (real, maybe deleted) is a
    /// translation, or the original of one the site has: its edit changes
    /// the other's language links. Told from the names and the index alone,
    /// as `crate::lang` pairs them (folded), reading no folder.
    pub(super) fn translated(&self, path: &Path) -> bool {
        let codes = self.prepared.config.other_languages();
        if codes.is_empty() {
            return false;
        }
        let content = real(&self.options.root.join(content::DIR));
        let Some(rel) = path.strip_prefix(&content).ok().and_then(Path::to_str) else {
            return false;
        };
        let (original, lang) = crate::lang::split(rel, &codes);
        if lang.is_some() {
            return true;
        }
        let key = crate::lang::translation_key(&original);
        (self.prepared.site.pages.iter())
            .any(|p| p.page.lang.is_some() && p.page.translation_key.as_deref() == Some(&key))
    }

    /// The pairing of translations in the folders of `saved`, checked as a
    /// whole build checks every folder: pairs never cross folders, so the
    /// rest of the site cannot have changed.
    pub(super) fn check_translations(&self, saved: &[PathBuf]) -> Result<(), BuildError> {
        let config = &self.prepared.config;
        let codes = config.other_languages();
        let content_dir = self.options.root.join(content::DIR);
        let content = real(&content_dir);
        // A translation sits beside its original, or in the bundle folder
        // it translates: the folder of each file, and the one above it.
        let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
        for path in saved {
            for folder in path.ancestors().skip(1).take(2) {
                if folder.starts_with(&content) {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        let mut rels: BTreeSet<String> = BTreeSet::new();
        for folder in &folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if crate::content::is_ignored(&name) {
                    continue;
                }
                let files: Vec<PathBuf> = if path.is_dir() {
                    // A bundle's page and its translations.
                    std::fs::read_dir(&path)
                        .into_iter()
                        .flatten()
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| {
                            p.file_name()
                                .and_then(|n| n.to_str())
                                .is_some_and(|n| n.starts_with("index.") && n.ends_with(".md"))
                        })
                        .collect()
                } else {
                    vec![path]
                };
                for file in files {
                    let Some(rel) = file.strip_prefix(&content).ok().and_then(Path::to_str) else {
                        continue;
                    };
                    if rel.ends_with(".md") && !rel.ends_with("_index.md") {
                        rels.insert(rel.replace('\\', "/"));
                    }
                }
            }
        }
        let rels: Vec<&str> = rels.iter().map(String::as_str).collect();
        let file_of =
            |rel: &str| crate::diagnostic::display_path(&self.options.root, &content_dir.join(rel));
        let problems = crate::lang::check_files(&rels, &codes, &file_of);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.into())
        }
    }
}

/// What pairs the pages of `edits` with their translations, before and
/// after.
pub(super) fn keys(site: &Site, edits: &[Edit]) -> HashSet<String> {
    let old = (edits.iter())
        .filter_map(|e| e.old)
        .filter_map(|i| site.pages[i].page.translation_key.clone());
    let new = (edits.iter())
        .filter_map(|e| e.new.as_ref())
        .filter_map(|(page, _)| page.translation_key.clone());
    old.chain(new).collect()
}

/// The pages paired by `keys`, and every output of the other languages
/// of their own.
pub(super) fn jobs(
    site: &Site,
    config: &crate::config::Config,
    keys: &HashSet<String>,
) -> Vec<Job> {
    let paired = (0..site.pages.len())
        .filter(|&i| {
            (site.pages[i].page.translation_key.as_ref()).is_some_and(|key| keys.contains(key))
        })
        .map(Job::Page);
    paired.chain(render::language_jobs(site, config)).collect()
}

/// The keys of the other languages' JSON Feed pages made last time: those
/// not made again (the session skips the ones it renders) are gone.
pub(super) fn gone(
    config: &crate::config::Config,
    outputs: &std::collections::HashMap<String, (Option<u64>, String)>,
) -> Vec<String> {
    let mut gone = Vec::new();
    for l in 1..config.languages.len() {
        for page in 1.. {
            let json = Job::JsonFeed {
                category: None,
                page,
            };
            let key = format!("{:?}", Job::InLanguage(l, Box::new(json)));
            if !outputs.contains_key(&key) {
                break;
            }
            gone.push(key);
        }
    }
    gone
}
