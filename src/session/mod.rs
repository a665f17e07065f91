//! Rebuilding after an edit: what `serve` calls when an editor saves a file.
//!
//! A [`Session`] is a whole build kept in memory: the config, the theme, the
//! index of every page and, for every output file, what it was made of
//! ([`render::inputs`]). When Markdown pages are saved, created, deleted or
//! moved, [`Session::rebuild`] reads only those files ([`reread`]), updates
//! the index page by page, and renders only the outputs whose inputs
//! changed: the pages themselves, the pages that show them ("Tin cùng
//! chuyên mục", directives they mention, their translations), the list
//! pages they are on or moved off, and the few outputs made from the whole
//! site (home, feeds, sitemap); outputs no longer made are deleted. The
//! content's other files and the pictures among them are [`files`]'s;
//! translations [`translations`]'s; a section's `_index.md` [`sections`]'s.
//! A template, UI string or static file re-renders every output from what
//! the session holds, reading no content again ([`restyle`]). A batch of
//! several kinds is rebuilt kind by kind. Only the config is a whole build
//! again, and what the index cannot follow alone (see
//! [`crate::site::Site::update`]). [`changes`] sorts the saved files.

mod changes;
mod files;
mod numbers;
mod plan;
mod reread;
mod restyle;
mod search;
mod sections;
mod translations;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::render::{self, Job};
use crate::site::{Edit, Site};
use crate::{
    BuildError, BuildOptions, BuildReport, Diagnostic, Prepared, claim_output, load_config, output,
    prepare, write_site,
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
    /// The search index, kept to be updated page by page (`None` when
    /// search is off).
    search: Option<crate::search::live::Live>,
    /// A failed rebuild left the index out of step with the files: the next
    /// rebuild is a whole one.
    stale: bool,
    /// The files of a batch that failed: saved again or not, they are read
    /// again with the next one (the good edits of a failed batch are not
    /// lost).
    retry: Vec<PathBuf>,
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

impl RebuildReport {
    /// Counts in what a later step of the same batch did.
    fn add(&mut self, step: RebuildReport) {
        self.full |= step.full;
        self.rendered += step.rendered;
        self.outputs = step.outputs;
        self.removed += step.removed;
        for path in step.changed {
            if !self.changed.contains(&path) {
                self.changed.push(path);
            }
        }
        self.written = self.changed.len() - self.removed.min(self.changed.len());
        self.warnings.extend(step.warnings);
    }
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
            search: built.search,
            stale: false,
            retry: Vec::new(),
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

    /// The photo copies the last whole build left to be made
    /// ([`crate::images::Mode::Later`]).
    pub fn pending_images(&self) -> crate::images::Work {
        self.prepared.pictures.pending(&self.options.root)
    }

    /// Brings the output up to date after the files at `changed` were
    /// saved. On an error (a bad edit), nothing is written and the session
    /// keeps the site as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<RebuildReport, BuildError> {
        let mut batch = std::mem::take(&mut self.retry);
        batch.extend(changed.iter().cloned());
        let rebuilt = self.rebuild_batch(&batch);
        if rebuilt.is_err() {
            self.retry = batch;
        }
        rebuilt
    }

    fn rebuild_batch(&mut self, changed: &[PathBuf]) -> Result<RebuildReport, BuildError> {
        let started = Instant::now();
        if self.stale {
            return self.rebuild_whole(started);
        }
        match changes::scope(&self.options.root, &self.output, changed) {
            changes::Scope::Nothing => Ok(RebuildReport {
                outputs: self.outputs.len(),
                elapsed: started.elapsed(),
                ..RebuildReport::default()
            }),
            changes::Scope::Pages { pages, files } => self.repage(pages, files, started),
            changes::Scope::Theme => self.restyle(started),
            changes::Scope::Sections(saved) => self.resection(&saved, started),
            changes::Scope::Steps {
                pages,
                files,
                sections,
                theme,
            } => self.in_steps(pages, files, sections, theme, started),
            changes::Scope::Whole => self.rebuild_whole(started),
        }
    }

    /// A batch of several kinds of files, rebuilt kind by kind: the pages,
    /// then the sections' `_index.md` (which may name a section a page just
    /// moved into), then the theme, which renders everything again. Each
    /// step leaves the session in step with the files it read, so a step
    /// that fails leaves the batch to be tried again whole
    /// ([`Session::rebuild`]) with nothing lost.
    fn in_steps(
        &mut self,
        pages: Vec<PathBuf>,
        files: Vec<PathBuf>,
        sections: Vec<PathBuf>,
        theme: bool,
        started: Instant,
    ) -> Result<RebuildReport, BuildError> {
        let mut report = RebuildReport {
            outputs: self.outputs.len(),
            ..RebuildReport::default()
        };
        if !(pages.is_empty() && files.is_empty()) {
            report.add(self.repage(pages, files, started)?);
        }
        if !sections.is_empty() && !report.full {
            report.add(self.resection(&sections, started)?);
        }
        if theme && !report.full {
            report.add(self.restyle(started)?);
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Saved, new or deleted Markdown pages, and the content's other files
    /// (see [`files`]).
    fn repage(
        &mut self,
        changed: Vec<PathBuf>,
        files: Vec<PathBuf>,
        started: Instant,
    ) -> Result<RebuildReport, BuildError> {
        let Some(statics) = self.statics(&files)? else {
            return self.rebuild_whole(started);
        };
        self.check_pictures(&files)?;
        let pictures_before = self.pictures_published(&files);
        let paired = changed.iter().any(|path| self.translated(path));
        let Some(mut plan) = self.reread(&changed, &self.prepared.site.numbers)? else {
            return self.rebuild_whole(started);
        };
        if paired && !(plan.added.is_empty() && plan.removed.is_empty()) {
            self.check_translations(&changed)?;
        }
        let mut numbers = None;
        if let Some((renumbered, again)) = self.renumber(&plan)? {
            let all: Vec<PathBuf> = changed.into_iter().chain(again).collect();
            let Some(replanned) = self.reread(&all, &renumbered)? else {
                return self.rebuild_whole(started);
            };
            plan = replanned;
            numbers = Some(renumbered);
        }
        if !plan.unknown.is_empty() {
            return Err(std::mem::take(&mut plan.unknown).into());
        }
        let warnings = plan.warnings();
        if self.options.strict && !warnings.is_empty() {
            return Err(warnings.into());
        }
        // From here on, a failure leaves the session out of step.
        self.stale = true;
        if let Some(numbers) = numbers {
            self.prepared.site.numbers = numbers;
        }
        let edits: Vec<Edit> = (plan.edits.into_iter())
            .map(|(i, page, indexed)| Edit {
                old: Some(i),
                new: Some((page, indexed)),
            })
            .chain(plan.removed.into_iter().map(|i| Edit {
                old: Some(i),
                new: None,
            }))
            .chain(plan.added.into_iter().map(|added| Edit {
                old: None,
                new: Some(added),
            }))
            .collect();
        let config = &self.prepared.config;
        let keys = match paired {
            true => translations::keys(&self.prepared.site, &edits),
            false => HashSet::new(),
        };
        let reach_before = render::aside::reach(&self.prepared.site, config);
        let mut problems = Vec::new();
        for (path, source) in &statics {
            if let Err(mut found) = self.prepared.site.set_static(path, source.clone()) {
                problems.append(&mut found);
            }
        }
        if !problems.is_empty() {
            return Err(problems.into());
        }
        let config = &self.prepared.config;
        let Some(mut touched) = self.prepared.site.update(config, edits) else {
            return self.rebuild_whole(started);
        };
        // The sitemap links each page to its translations.
        touched.sitemap |= paired;
        // Pictures: their entries made again, and the pages that show them
        // count as changed.
        let mut pictures = pictures_before;
        pictures.extend(self.pictures_published(&files));
        let mut warnings = warnings;
        let mut copies_gone = Vec::new();
        if !pictures.is_empty() {
            let (gone, found) = self.replan(&pictures)?;
            if self.options.strict && !found.is_empty() {
                return Err(found.into());
            }
            warnings.extend(found);
            copies_gone = gone;
            let site = &self.prepared.site;
            files::touch(site, &files::showing(site, &pictures), &mut touched);
        }
        let config = &self.prepared.config;
        let site = &self.prepared.site;
        // Every side column shows the newest stories and directives.
        let reach = render::aside::reach(site, config);
        let asides = reach != reach_before || reach.iter().any(|id| touched.shown.contains(id));
        let mut plan = plan::plan(site, config, &touched, &self.outputs, asides);
        if paired {
            plan.jobs.extend(translations::jobs(site, config, &keys));
            plan.gone.extend(translations::gone(config, &self.outputs));
        }

        let mut produced: HashSet<String> = HashSet::with_capacity(plan.jobs.len());
        let mut dirty = Vec::new();
        for job in plan.jobs {
            let inputs = render::inputs(site, config, &job);
            let (key, fingerprint) = identify(site, &job, inputs.as_ref());
            if !produced.insert(key.clone()) {
                continue;
            }
            let own = match job {
                // A page paired with one of the batch shows its links.
                Job::Page(i) => {
                    let page = &site.pages[i].page;
                    touched.edited.contains(&page.id)
                        || (page.translation_key.as_ref()).is_some_and(|key| keys.contains(key))
                }
                Job::Register { .. } => plan.filters,
                Job::Consultations { .. } => true,
                _ => false,
            };
            // Feeds with whole bodies show a body edit too.
            let full = matches!(job, Job::CategoryFeed(..) | Job::JsonFeed { .. })
                && config.feeds.content == crate::config::FeedContent::Full;
            let shown = if full {
                &touched.edited
            } else {
                &touched.shown
            };
            let shows_edit = inputs.is_some_and(|inputs| {
                inputs
                    .pages
                    .iter()
                    .any(|&i| shown.contains(&site.pages[i].page.id))
            });
            match self.outputs.get(&key) {
                Some((Some(old), _)) if fingerprint == Some(*old) && !own && !shows_edit => {}
                _ => dirty.push((key, fingerprint, job)),
            }
        }
        let output = &self.output;
        let written = write_jobs(&self.prepared, output, &dirty)?;
        let mut problems = Vec::new();
        let mut copied = copy_bundle_files(site, &touched, output, &mut problems);
        let catalog = &self.prepared.pictures;
        copied.extend(files::publish(
            catalog,
            &statics,
            &pictures,
            output,
            &mut problems,
        ));
        if !problems.is_empty() {
            return Err(problems.into());
        }
        let (mut searched, mut unsearched) = match &mut self.search {
            Some(live) => search::refresh(
                live,
                site,
                config,
                output,
                &mut self.outputs,
                &touched.edited,
            )?,
            None => Default::default(),
        };
        if paired {
            let (written, removed) =
                search::refresh_languages(site, config, output, &mut self.outputs)?;
            searched.extend(written);
            unsearched.extend(removed);
        }
        let mut changed: Vec<String> = written
            .iter()
            .filter(|(_, _, wrote)| *wrote)
            .map(|(_, path, _)| path.clone())
            .chain(copied)
            .chain(searched)
            .collect();
        let changed_files = changed.len();
        let mut fresh: HashSet<String> = HashSet::with_capacity(written.len());
        for (job, path, _) in written {
            let (key, fingerprint, _) = &dirty[job];
            fresh.insert(path.clone());
            self.outputs.insert(key.clone(), (*fingerprint, path));
        }
        let mut removed = unsearched.len();
        changed.extend(unsearched);
        let mut gone_paths: Vec<String> = (plan.gone.iter())
            .filter(|key| !produced.contains(*key))
            .filter_map(|key| self.outputs.remove(key).map(|(_, path)| path))
            .collect();
        gone_paths.extend(copies_gone);
        gone_paths.extend(
            (statics.into_iter())
                .filter(|(_, source)| source.is_none())
                .map(|(path, _)| path),
        );
        // Folded, as Windows and macOS take `Anh.JPG` and `anh.jpg` for one
        // file: a file renamed only in case is not deleted.
        let files: HashSet<String> = if touched.aliases {
            site.files.iter().map(|f| f.path.to_lowercase()).collect()
        } else {
            HashSet::new()
        };
        gone_paths.extend(
            (touched.files_before.iter())
                .filter(|path| !files.contains(&path.to_lowercase()))
                .cloned(),
        );
        let fresh: HashSet<String> = fresh.iter().map(|p| p.to_lowercase()).collect();
        for path in gone_paths {
            if !fresh.contains(&path.to_lowercase())
                && std::fs::remove_file(output.join(&path)).is_ok()
            {
                removed += 1;
                changed.push(path.clone());
                remove_empty_folders(output, &path);
            }
        }
        self.stale = false;
        Ok(RebuildReport {
            full: false,
            rendered: dirty.len(),
            outputs: self.outputs.len(),
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
        self.search = built.search;
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
    search: Option<crate::search::live::Live>,
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
        let (jobs, paths, (search, index)) = recorded.unwrap_or_default();
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
                .map(|path| (search::key(&path), (None, path))),
        );
        let search = (prepared.config.search.enabled)
            .then(|| crate::search::live::Live::new(&prepared.site, &prepared.config, index));
        Ok((
            Built {
                prepared,
                outputs,
                search,
            },
            report,
        ))
    }
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

/// An output to render again: its key, the fingerprint of its inputs, its job.
type Dirty = (String, Option<u64>, Job);

/// Renders `dirty` into `output`, writing only the files whose bytes
/// changed; returns, for each file, the index of its job in `dirty`, its
/// path and whether it was written.
fn write_jobs(
    prepared: &Prepared,
    output: &Path,
    dirty: &[Dirty],
) -> Result<Vec<(usize, String, bool)>, BuildError> {
    // One job per output: a file saved twice in a batch must not have its
    // outputs written twice at once (both would use one temporary name).
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<usize> = (0..dirty.len())
        .filter(|&i| seen.insert(dirty[i].0.as_str()))
        .collect();
    let jobs: Vec<Job> = unique.iter().map(|&i| dirty[i].2.clone()).collect();
    let written = std::sync::Mutex::new(Vec::new());
    let (site, config) = (&prepared.site, &prepared.config);
    let (theme, pictures) = (&prepared.theme, &prepared.pictures);
    let problems = render::render_each(site, config, theme, pictures, &jobs, |job, out| {
        let wrote = output::replace_file(output, &out.path, &out.bytes)
            .map_err(|err| Diagnostic::error(format!("cannot write {}: {err}", out.path)))?;
        if let Ok(mut written) = written.lock() {
            written.push((unique[job], out.path, wrote));
        }
        Ok(())
    });
    if problems.is_empty() {
        Ok(written.into_inner().unwrap_or_default())
    } else {
        Err(problems.into())
    }
}

/// Copies the files of the bundles of the pages an edit touched, when
/// they changed; returns the output paths written.
fn copy_bundle_files(
    site: &Site,
    touched: &crate::site::Touched,
    output: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut written = Vec::new();
    if !touched.aliases {
        return written;
    }
    for &index in &touched.visited {
        let page = &site.pages[index];
        for asset in &page.page.assets {
            let path = format!(
                "{}{}",
                page.page.asset_base.trim_start_matches('/'),
                asset.name
            );
            let copied = std::fs::read(&asset.source)
                .map_err(|err| format!("cannot read {}: {err}", asset.source.display()))
                .and_then(|bytes| {
                    output::replace_file(output, &path, &bytes)
                        .map_err(|err| format!("cannot write {path}: {err}"))
                });
            match copied {
                Ok(true) => written.push(path),
                Ok(false) => {}
                Err(message) => problems.push(Diagnostic::error(message).in_file(&page.page.file)),
            }
        }
    }
    written
}
