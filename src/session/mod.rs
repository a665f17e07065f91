//! Rebuilding after an edit: what `serve` calls when an editor saves a file.
//!
//! A [`Session`] is a whole build kept in memory: the config, the theme, the
//! index of every page and, for every output file, what it was made of
//! ([`render::inputs`]). When articles change, [`Session::rebuild`] reads
//! only those files again, builds the index again from what it already
//! holds, and renders only the outputs whose inputs changed: the article,
//! the pages that show it ("Tin cùng chuyên mục", directives it mentions),
//! the list pages it is on or moved off, and the few outputs made from the
//! whole site (home, feeds, sitemap). A template, UI string or static file
//! re-renders every output from what the session holds, reading no content
//! again ([`restyle`]). Anything else — config, a new or deleted file, an
//! edited directive, a draft, a section's `_index.md`, a bundle's image —
//! is a whole build again. [`changes`] sorts the saved files into these.

mod changes;
mod restyle;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Page};
use crate::markdown::{self, Indexed};
use crate::register::normalize;
use crate::render::{self, Job};
use crate::site::Site;
use crate::{
    BuildError, BuildOptions, BuildReport, Diagnostic, Prepared, claim_output, load_config, output,
    prepare, site, write_site,
};

/// A built site, kept to be rebuilt quickly after edits.
pub struct Session {
    options: BuildOptions,
    /// The output folder, locked while the session lives.
    claim: output::Claim,
    output: PathBuf,
    prepared: Prepared,
    /// Per output (by [`render::Inputs::key`], or the job itself for outputs
    /// made from the whole site): the fingerprint of its inputs, and the
    /// path it was written to.
    outputs: HashMap<String, (Option<u64>, String)>,
    /// A failed rebuild left the index out of step with the files: the next
    /// rebuild is a whole one.
    stale: bool,
}

/// What [`Session::rebuild`] did.
#[derive(Debug, Clone, Default)]
pub struct RebuildReport {
    /// The whole site was built again (see the module's documentation).
    pub full: bool,
    /// Outputs rendered again, out of `outputs`.
    pub rendered: usize,
    pub outputs: usize,
    /// Of those rendered, the files whose bytes changed and were written.
    pub written: usize,
    /// Output files no longer produced, deleted.
    pub removed: usize,
    /// The output paths (`tin-tuc/a/index.html`) written or removed; after
    /// a whole build (`full`), empty: any file may have changed.
    pub changed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Session {
    /// Builds the whole site, as [`crate::build`] does, and keeps it. The
    /// output folder stays locked for this process until the session is
    /// dropped.
    pub fn open(options: BuildOptions) -> Result<(Session, BuildReport), BuildError> {
        let started = Instant::now();
        let config = load_config(&options)?;
        let claim = claim_output(&options, &config)?;
        let (built, report) = Built::whole(&options, config, &claim, started)?;
        let session = Session {
            output: claim.path().to_path_buf(),
            claim,
            options,
            prepared: built.prepared,
            outputs: built.outputs,
            stale: false,
        };
        Ok((session, report))
    }

    /// The output folder, links resolved.
    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn site(&self) -> &Site {
        &self.prepared.site
    }

    /// Brings the output up to date after the files at `changed` were
    /// saved. On an error (a bad edit), nothing is written and the session
    /// keeps the site as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<RebuildReport, BuildError> {
        let started = Instant::now();
        if self.stale {
            return self.rebuild_whole(started);
        }
        let changed = match changes::scope(&self.options.root, &self.output, changed) {
            changes::Scope::Nothing => {
                return Ok(RebuildReport {
                    outputs: self.outputs.len(),
                    elapsed: started.elapsed(),
                    ..RebuildReport::default()
                });
            }
            changes::Scope::Pages(pages) => pages,
            changes::Scope::Theme => return self.restyle(started),
            changes::Scope::Whole => return self.rebuild_whole(started),
        };
        let Some(edits) = self.reload(&changed)? else {
            return self.rebuild_whole(started);
        };
        let warnings: Vec<Diagnostic> = edits
            .iter()
            .flat_map(|edit| edit.page.warnings.iter().cloned())
            .collect();
        if self.options.strict && !warnings.is_empty() {
            return Err(warnings.into());
        }
        // From here on, a failure leaves the session out of step.
        self.stale = true;
        let old = std::mem::take(&mut self.prepared.site);
        let changed_ids: HashSet<String> = edits
            .iter()
            .flat_map(|edit| [edit.page.id.clone(), old.pages[edit.index].page.id.clone()])
            .collect();
        let numbers = old.numbers;
        let mut inputs: Vec<(Page, Indexed)> = old
            .pages
            .into_iter()
            .map(|page| {
                let indexed = Indexed {
                    summary: page.body_summary,
                    mentions: page.mentions,
                    lead_html: page.lead_html,
                };
                (page.page, indexed)
            })
            .collect();
        for edit in edits {
            inputs[edit.index] = (edit.page, edit.indexed);
        }
        let config = &self.prepared.config;
        let new = site::build(
            config,
            inputs,
            numbers,
            self.prepared.sections.clone(),
            self.prepared.files.clone(),
        )?;

        let jobs = render::jobs(&new, config);
        let mut next: HashMap<String, (Option<u64>, String)> = HashMap::with_capacity(jobs.len());
        let mut dirty = Vec::new();
        for job in jobs {
            let inputs = render::inputs(&new, config, &job);
            let (key, fingerprint) = identify(&new, &job, inputs.as_ref());
            let shows_edit = inputs.is_some_and(|inputs| {
                inputs
                    .pages
                    .iter()
                    .any(|&i| changed_ids.contains(&new.pages[i].page.id))
            });
            match self.outputs.get(&key) {
                Some((Some(old), path)) if fingerprint == Some(*old) && !shows_edit => {
                    next.insert(key, (fingerprint, path.clone()));
                }
                _ => {
                    next.insert(key.clone(), (fingerprint, String::new()));
                    dirty.push((key, job));
                }
            }
        }
        let outputs = next.len();
        let (dirty_keys, dirty_jobs): (Vec<String>, Vec<Job>) = dirty.into_iter().unzip();
        let written = std::sync::Mutex::new(Vec::new());
        let output = &self.output;
        let problems = render::render_each(
            &new,
            config,
            &self.prepared.theme,
            &dirty_jobs,
            |job, out| {
                let wrote = output::replace_file(output, &out.path, &out.bytes).map_err(|err| {
                    Diagnostic::error(format!("cannot write {}: {err}", out.path))
                })?;
                if let Ok(mut written) = written.lock() {
                    written.push((job, out.path, wrote));
                }
                Ok(())
            },
        );
        if !problems.is_empty() {
            return Err(problems.into());
        }
        let written = written.into_inner().unwrap_or_default();
        let mut changed: Vec<String> = written
            .iter()
            .filter(|(_, _, wrote)| *wrote)
            .map(|(_, path, _)| path.clone())
            .collect();
        let changed_files = changed.len();
        for (job, path, _) in written {
            if let Some(entry) = next.get_mut(&dirty_keys[job]) {
                entry.1 = path;
            }
        }
        let kept: HashSet<&str> = next.values().map(|(_, path)| path.as_str()).collect();
        let mut removed = 0;
        for (_, path) in self.outputs.values() {
            if !kept.contains(path.as_str()) && std::fs::remove_file(output.join(path)).is_ok() {
                removed += 1;
                changed.push(path.clone());
            }
        }
        self.outputs = next;
        self.prepared.site = new;
        self.stale = false;
        Ok(RebuildReport {
            full: false,
            rendered: dirty_jobs.len(),
            outputs,
            written: changed_files,
            removed,
            changed,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    fn rebuild_whole(&mut self, started: Instant) -> Result<RebuildReport, BuildError> {
        let config = load_config(&self.options)?;
        let (built, report) = Built::whole(&self.options, config, &self.claim, started)?;
        self.prepared = built.prepared;
        self.outputs = built.outputs;
        self.stale = false;
        Ok(RebuildReport {
            full: true,
            rendered: self.outputs.len(),
            outputs: self.outputs.len(),
            written: report.files - report.unchanged,
            removed: 0,
            changed: Vec::new(),
            warnings: report.warnings,
            elapsed: started.elapsed(),
        })
    }

    /// Reads the changed pages again; `None` when an edit needs a whole
    /// build.
    fn reload(&self, changed: &[PathBuf]) -> Result<Option<Vec<Edit>>, BuildError> {
        let site = &self.prepared.site;
        let config = &self.prepared.config;
        let content_dir = self.options.root.join("content");
        let Ok(content_real) = content_dir.canonicalize() else {
            return Ok(None);
        };
        let now = self.options.now(config);
        let load = content::LoadOptions {
            root: &self.options.root,
            config,
            include_drafts: self.options.drafts,
            now,
        };
        let mut edits: Vec<Edit> = Vec::new();
        let mut problems = Vec::new();
        for path in changed {
            let Some(index) = find_page(site, &content_dir, &content_real, path) else {
                return Ok(None);
            };
            if edits.iter().any(|e| e.index == index) {
                continue;
            }
            let old = &site.pages[index].page;
            let mut page = match content::reload(&load, old) {
                Ok(Some(page)) => page,
                Ok(None) => return Ok(None),
                Err(mut found) => {
                    problems.append(&mut found);
                    continue;
                }
            };
            // Directive numbers link every page that mentions them; a new
            // URL moves a bundle's images: both are whole builds.
            let moved = site::page_url(&page) != site.pages[index].url;
            if page.document.is_some()
                || old.document.is_some()
                || (moved && !old.assets.is_empty())
            {
                return Ok(None);
            }
            for reference in &page.documents {
                if site.numbers.get(&normalize(&reference.number)).is_none() {
                    problems.push(reference.unknown.clone());
                }
            }
            let indexed = markdown::index_page(&mut page, &site.numbers);
            edits.push(Edit {
                index,
                page,
                indexed,
            });
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems.into());
        }
        Ok(Some(edits))
    }
}

/// A whole build and, for every output, what it was made of.
struct Built {
    prepared: Prepared,
    outputs: HashMap<String, (Option<u64>, String)>,
}

impl Built {
    fn whole(
        options: &BuildOptions,
        config: crate::config::Config,
        claim: &output::Claim,
        started: Instant,
    ) -> Result<(Built, BuildReport), BuildError> {
        let prepared = prepare(options, config)?;
        let (report, recorded) = write_site(options, &prepared, claim, started, true)?;
        let (jobs, paths) = recorded.unwrap_or_default();
        let outputs = jobs
            .iter()
            .zip(paths)
            .map(|(job, path)| {
                let inputs = render::inputs(&prepared.site, &prepared.config, job);
                let (key, fingerprint) = identify(&prepared.site, job, inputs.as_ref());
                (key, (fingerprint, path))
            })
            .collect();
        Ok((Built { prepared, outputs }, report))
    }
}

/// A page read again.
struct Edit {
    /// In [`Site::pages`] before the edit.
    index: usize,
    page: Page,
    indexed: Indexed,
}

/// The page of `site` read from `path`, which may be given in any form
/// that names the same file.
fn find_page(site: &Site, content_dir: &Path, content_real: &Path, path: &Path) -> Option<usize> {
    let real = path.canonicalize().ok()?;
    let rel = real.strip_prefix(content_real).ok()?;
    let walked = content_dir.join(rel);
    site.pages.iter().position(|p| p.page.path == walked)
}

/// A job's key and the fingerprint of its inputs (`None`: made from the
/// whole site, always rendered again).
fn identify(site: &Site, job: &Job, inputs: Option<&render::Inputs>) -> (String, Option<u64>) {
    match inputs {
        Some(inputs) => {
            let mut hasher = DefaultHasher::new();
            for &i in &inputs.pages {
                site.pages[i].page.id.hash(&mut hasher);
            }
            inputs.count.hash(&mut hasher);
            (inputs.key.clone(), Some(hasher.finish()))
        }
        None => (format!("{job:?}"), None),
    }
}
