//! Rebuilding after an edit: what `serve` calls when an editor saves a file.
//!
//! A [`Session`] is a whole build kept in memory: the config, the theme, the
//! index of every page and, for every output file, what it was made of
//! ([`render::inputs`]). When Markdown pages are saved, created, deleted or
//! moved, [`Session::rebuild`] reads only those files ([`reread`]), builds
//! the index again from what it already holds, and renders only the
//! outputs whose inputs changed: the pages themselves, the pages that show
//! them ("Tin cùng chuyên mục", directives they mention), the list pages
//! they are on or moved off, and the few outputs made from the whole site
//! (home, feeds, sitemap); outputs no longer made are deleted. A template,
//! UI string or static file re-renders every output from what the session
//! holds, reading no content again ([`restyle`]). Config, a directive, a
//! section's `_index.md` or a bundle's files are a whole build again.
//! [`changes`] sorts the saved files into these.

mod changes;
mod reread;
mod restyle;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::Page;
use crate::markdown::Indexed;
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
        let Some(plan) = self.reread(&changed)? else {
            return self.rebuild_whole(started);
        };
        let warnings = plan.warnings();
        if self.options.strict && !warnings.is_empty() {
            return Err(warnings.into());
        }
        let changed_ids: HashSet<String> = plan.ids(&self.prepared.site).into_iter().collect();
        // From here on, a failure leaves the session out of step.
        self.stale = true;
        let old = std::mem::take(&mut self.prepared.site);
        let numbers = old.numbers;
        let mut inputs: Vec<Option<(Page, Indexed)>> = old
            .pages
            .into_iter()
            .map(|page| {
                let indexed = Indexed {
                    summary: page.body_summary,
                    mentions: page.mentions,
                    lead_html: page.lead_html,
                };
                Some((page.page, indexed))
            })
            .collect();
        for (index, page, indexed) in plan.edits {
            inputs[index] = Some((page, indexed));
        }
        for index in plan.removed {
            inputs[index] = None;
        }
        let mut inputs: Vec<(Page, Indexed)> = inputs.into_iter().flatten().collect();
        inputs.extend(plan.added);
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
        let mut written = written.into_inner().unwrap_or_default();
        // The search index is made from every page: written again whole,
        // but only the files whose bytes changed reach the disk.
        for file in crate::search::outputs(&new, config)? {
            let wrote = output::replace_file(output, &file.path, &file.bytes).map_err(|err| {
                BuildError::from(vec![Diagnostic::error(format!(
                    "cannot write {}: {err}",
                    file.path
                ))])
            })?;
            next.insert(search_key(&file.path), (None, file.path.clone()));
            if wrote {
                written.push((usize::MAX, file.path, true));
            }
        }
        let mut changed: Vec<String> = written
            .iter()
            .filter(|(_, _, wrote)| *wrote)
            .map(|(_, path, _)| path.clone())
            .collect();
        let changed_files = changed.len();
        for (job, path, _) in written {
            if let Some(entry) = dirty_keys.get(job).and_then(|key| next.get_mut(key)) {
                entry.1 = path;
            }
        }
        let kept: HashSet<&str> = next.values().map(|(_, path)| path.as_str()).collect();
        let mut removed = 0;
        for (_, path) in self.outputs.values() {
            if !kept.contains(path.as_str()) && std::fs::remove_file(output.join(path)).is_ok() {
                removed += 1;
                changed.push(path.clone());
                remove_empty_folders(output, path);
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
}

/// The folders of a removed output file left empty (`tin-tuc/a/` of
/// `tin-tuc/a/index.html`), as a whole build would not have them.
fn remove_empty_folders(output: &Path, path: &str) {
    let mut folder = output.join(path);
    while folder.pop() && folder.starts_with(output) && folder != output {
        // Fails, and so stops, at the first folder that is not empty.
        if std::fs::remove_dir(&folder).is_err() {
            break;
        }
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
        let (jobs, paths, search) = recorded.unwrap_or_default();
        let mut outputs: HashMap<String, (Option<u64>, String)> = jobs
            .iter()
            .zip(paths)
            .map(|(job, path)| {
                let inputs = render::inputs(&prepared.site, &prepared.config, job);
                let (key, fingerprint) = identify(&prepared.site, job, inputs.as_ref());
                (key, (fingerprint, path))
            })
            .collect();
        outputs.extend(
            search
                .into_iter()
                .map(|path| (search_key(&path), (None, path))),
        );
        Ok((Built { prepared, outputs }, report))
    }
}

/// The key of a file of the search index among a session's outputs.
fn search_key(path: &str) -> String {
    format!("search {path}")
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
