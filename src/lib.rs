//! Gazette: a static site generator for a ministry's e-portal.
//!
//! A build is a straight line of stages, each a module with plain data in
//! and out: [`config`] → [`content`] (load) → [`markdown`] → [`site`]
//! (index) → [`render`] → [`output`] (write). [`build`] runs them; every
//! stage returns all of its problems as [`Diagnostic`]s, and nothing is
//! written to the output folder unless every stage succeeded.
//! [`scaffold`] writes the first text of a new page, for `gazette new`.
//! [`images`] plans and makes the photos' copies for phones between the
//! index and render stages.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
// Diagnostics are returned by value on purpose: they are the error path,
// rare, and boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod agency;
pub mod boundary;
pub mod check;
pub mod chrome;
pub mod config;
pub mod consultations;
pub mod content;
pub mod diagnostic;
pub mod highlight;
pub mod images;
pub mod lang;
pub mod markdown;
pub mod output;
pub mod permalink;
pub mod portable;
pub mod register;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
mod session;
pub mod site;
pub mod slug;
pub mod theme;
mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

pub use diagnostic::{Diagnostic, Severity};
pub use session::{RebuildReport, Session};

/// What `gazette build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Include drafts and items dated in the future.
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The moment that decides what is scheduled; defaults to now.
    pub now: Option<DateTime<FixedOffset>>,
    /// Fail on warnings too.
    pub strict: bool,
    /// Told what the build is doing, for a progress bar.
    pub progress: Progress,
    /// Replace an output folder that Gazette did not write (never the
    /// site's own folders; see [`output::claim`]).
    pub force: bool,
    /// Whether the build waits for missing photo copies or leaves them to
    /// be made later ([`images::Mode`]).
    pub images: images::Mode,
    /// Failures to pretend while writing, for tests.
    #[doc(hidden)]
    pub faults: output::Faults,
    /// URLs per sitemap file instead of the protocol's 50,000, for tests.
    #[doc(hidden)]
    pub sitemap_limit: Option<usize>,
}

impl BuildOptions {
    /// The moment that decides what is scheduled: `now`, else the clock in
    /// the site's time zone.
    fn now(&self, config: &config::Config) -> DateTime<FixedOffset> {
        self.now.unwrap_or_else(|| {
            chrono::Utc::now()
                .with_timezone(&config.timezone)
                .fixed_offset()
        })
    }
}

/// The stages a build reports to [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading config, theme and content; no count.
    Reading,
    /// Rendering and writing the output files; `total` of them.
    Rendering,
    /// Copying images and static files, then moving the new site into place.
    Finishing,
}

/// What a build tells its progress hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressEvent {
    Start {
        stage: Stage,
        total: usize,
    },
    /// `n` more items of the current stage are done.
    Advance(usize),
    /// Another Gazette process is writing the same output folder; this
    /// build waits for it (up to [`output::LOCK_WAIT`]).
    Waiting {
        holder: Option<u32>,
    },
}

type ProgressFn = dyn Fn(ProgressEvent) + Send + Sync;

/// A callback told about a build's stages; by default, nobody listens.
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<ProgressFn>>);

impl Progress {
    pub fn new(hook: impl Fn(ProgressEvent) + Send + Sync + 'static) -> Self {
        Progress(Some(std::sync::Arc::new(hook)))
    }

    fn tell(&self, event: ProgressEvent) {
        if let Some(hook) = &self.0 {
            hook(event);
        }
    }

    fn start(&self, stage: Stage, total: usize) {
        self.tell(ProgressEvent::Start { stage, total });
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(hook)"
        } else {
            "Progress(none)"
        })
    }
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub directives: usize,
    /// Drafts put out for comment ([`consultations`]).
    pub consultations: usize,
    pub pages: usize,
    pub categories: usize,
    pub tags: usize,
    pub files: usize,
    pub unchanged: usize,
    pub skipped: content::Skipped,
    pub warnings: Vec<Diagnostic>,
    /// The photos and the work done on them.
    pub images: images::Stats,
    pub elapsed: Duration,
}

impl BuildReport {
    /// Output files (written or unchanged) per second of the whole build,
    /// reading included, rounded; none for a build too quick for the clock.
    pub fn files_per_second(&self) -> Option<u64> {
        let seconds = self.elapsed.as_secs_f64();
        (seconds > 0.0).then(|| (self.files as f64 / seconds).round() as u64)
    }

    /// "Built 5 articles, 1 page, 3 categories in 41 ms (14 files,
    /// 0 unchanged; 341 files/s)".
    pub fn summary_line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let rate = self
            .files_per_second()
            .map_or_else(String::new, |rate| format!("; {rate} files/s"));
        let consultations = match self.consultations {
            0 => String::new(),
            n => format!(", {}", plural(n, "consultation", "consultations")),
        };
        let mut line = format!(
            "Built {}, {}{consultations}, {}, {}, {} in {} ms ({} files, {} unchanged{rate})",
            plural(self.articles, "article", "articles"),
            plural(self.directives, "directive", "directives"),
            plural(self.pages, "page", "pages"),
            plural(self.categories, "category", "categories"),
            plural(self.tags, "tag", "tags"),
            self.elapsed.as_millis(),
            self.files,
            self.unchanged,
        );
        let mut notes = Vec::new();
        if self.skipped.drafts > 0 {
            notes.push(format!(
                "{} skipped",
                plural(self.skipped.drafts, "draft", "drafts")
            ));
        }
        if self.skipped.scheduled > 0 {
            notes.push(format!(
                "{} scheduled for later",
                plural(self.skipped.scheduled, "item", "items")
            ));
        }
        if self.images.pictures > 0 {
            notes.push(format!(
                "{}, {} made",
                plural(self.images.pictures, "photo", "photos"),
                plural(self.images.encoded, "copy", "copies")
            ));
        }
        if !notes.is_empty() {
            line.push_str("; ");
            line.push_str(&notes.join(", "));
        }
        line
    }
}

/// Why a build failed: the problems, and whether they are the site's
/// (content, config, templates) or the machine's (I/O).
#[derive(Debug, Clone)]
pub struct BuildError {
    pub diagnostics: Vec<Diagnostic>,
    pub io: bool,
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildError {
            diagnostics,
            io: false,
        }
    }
}

fn io_error(what: &str, path: &Path, err: std::io::Error) -> BuildError {
    BuildError {
        diagnostics: vec![Diagnostic::error(format!(
            "{what} {}: {err}",
            path.display()
        ))],
        io: true,
    }
}

/// A site read, rendered to HTML bodies and indexed: everything but the
/// output files, shared by `build` and `check`.
struct Prepared {
    config: config::Config,
    theme: theme::Theme,
    site: site::Site,
    warnings: Vec<Diagnostic>,
    skipped: content::Skipped,
    /// The photos' copies ([`images`]).
    pictures: images::Catalog,
    images: images::Stats,
}

/// Stage 1: the site's config.
fn load_config(options: &BuildOptions) -> Result<config::Config, BuildError> {
    options.progress.start(Stage::Reading, 0);
    let mut config = config::load(&options.root, options.base_url.as_deref())?;
    if let Some(limit) = options.sitemap_limit {
        config.sitemap_limit = limit.max(1);
    }
    Ok(config)
}

/// Checks that the output folder may be replaced and locks it, before
/// anything else is read (see [`output::claim`]).
fn claim_output(
    options: &BuildOptions,
    config: &config::Config,
) -> Result<output::Claim, BuildError> {
    let output = output_dir(options);
    let on_wait = |holder| options.progress.tell(ProgressEvent::Waiting { holder });
    output::claim(&output::Request {
        root: &options.root,
        output: &output,
        linked: &config.linked_folders,
        force: options.force,
        on_wait: &on_wait,
    })
    .map_err(|refusal| BuildError {
        diagnostics: vec![Diagnostic::error(refusal.message).with_hint(refusal.hint)],
        io: true,
    })
}

/// Stages 2–4: load, markdown and index.
fn prepare(options: &BuildOptions, config: config::Config) -> Result<Prepared, BuildError> {
    let root = options.root.as_path();
    let now = options.now(&config);

    // The theme and the content do not depend on each other: load both, so
    // an editor sees the problems of both in one run.
    let (theme, content) = rayon::join(
        || theme::load(root, &config),
        || {
            content::load(&content::LoadOptions {
                root,
                config: &config,
                include_drafts: options.drafts,
                now,
            })
        },
    );
    let (theme, content) = match (theme, content) {
        (Ok(theme), Ok(content)) => (theme, content),
        (theme, content) => {
            let mut problems = theme.err().unwrap_or_default();
            problems.extend(content.err().unwrap_or_default());
            return Err(problems.into());
        }
    };
    let skipped = content.skipped;
    let mut content = content;
    if config.languages.len() > 1 {
        lang::share_bundles(&mut content.pages);
    }
    let numbers = register::NumberIndex::build(content.pages.iter(), site::page_url)?;
    let warnings = content.warnings;
    let indexed: Vec<_> = content
        .pages
        .into_par_iter()
        .map(|mut page| {
            let indexed = markdown::index_page(&mut page, &numbers);
            (page, indexed)
        })
        .collect();
    let site = site::build(&config, indexed, numbers, content.sections, content.files).map_err(
        |mut errors| {
            errors.extend(warnings.iter().cloned());
            BuildError::from(errors)
        },
    )?;
    let claimed = lang::check_urls(&site.pages, &config.languages);
    if !claimed.is_empty() {
        let mut errors = claimed;
        errors.extend(warnings.iter().cloned());
        return Err(errors.into());
    }
    let (pictures, image_warnings, images) =
        images::prepare(root, &config.images, &site.files, options.images).map_err(
            |mut errors| {
                errors.extend(warnings.iter().cloned());
                BuildError::from(errors)
            },
        )?;
    let mut warnings = warnings;
    warnings.extend(image_warnings);
    if options.strict && !warnings.is_empty() {
        return Err(warnings.into());
    }
    Ok(Prepared {
        config,
        theme,
        site,
        warnings,
        skipped,
        pictures,
        images,
    })
}

/// Builds the site at `options.root` into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let config = load_config(options)?;
    let claim = claim_output(options, &config)?;
    let prepared = prepare(options, config)?;
    let (report, _) = write_site(options, &prepared, &claim, started, false)?;
    // Copies no page uses go, but not while drafts or scheduled items are
    // left out: their photos are not in this build, and the build that
    // publishes them (`--drafts`, `serve`, the day they are due, another
    // build running at once) would make their copies again, or find them
    // gone while linking them.
    let skipped = prepared.skipped.drafts + prepared.skipped.scheduled;
    if options.images == images::Mode::Wait && skipped == 0 {
        prepared.pictures.sweep();
    }
    Ok(report)
}

fn output_dir(options: &BuildOptions) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"))
}

/// Every job of a build, the output path each was written to, and the
/// paths of the search index's files with the index itself.
type Written = (
    Vec<render::Job>,
    Vec<String>,
    (Vec<String>, search::index::Index),
);

/// Stages 5 and 6: renders every job into a staging folder and swaps it in.
/// With `record`, also returns the jobs and the path each was written to.
fn write_site(
    options: &BuildOptions,
    prepared: &Prepared,
    claim: &output::Claim,
    started: Instant,
    record: bool,
) -> Result<(BuildReport, Option<Written>), BuildError> {
    let Prepared {
        config,
        theme,
        site,
        warnings,
        skipped,
        ..
    } = prepared;
    let output_dir = claim.path();
    let staging = output::Staging::new(claim, options.faults)
        .map_err(|err| io_error("cannot create a staging folder beside", output_dir, err))?;
    let jobs = render::jobs(site, config);
    let paths = std::sync::Mutex::new(if record {
        vec![String::new(); jobs.len()]
    } else {
        Vec::new()
    });
    let write_failed = |path: &str, err: std::io::Error| write_error(output_dir, path, &err);
    options.progress.start(Stage::Rendering, jobs.len());
    let pictures = &prepared.pictures;
    // The search index is read from the pages while they are rendered,
    // and its files written as they are made.
    let search_paths = std::sync::Mutex::new(Vec::new());
    let put_search = |file: search::File| {
        staging
            .put(&file.path, &file.bytes)
            .map_err(|err| write_failed(&file.path, err))?;
        if record && let Ok(mut paths) = search_paths.lock() {
            paths.push(file.path);
        }
        Ok(())
    };
    let (mut problems, searched) = rayon::join(
        || {
            render::render_each(site, config, theme, pictures, &jobs, |job, out| {
                let written = staging
                    .put(&out.path, &out.bytes)
                    .map_err(|err| write_failed(&out.path, err));
                if record && let Ok(mut paths) = paths.lock() {
                    paths[job] = out.path;
                }
                options.progress.tell(ProgressEvent::Advance(1));
                written
            })
        },
        || search::build(site, config, &put_search),
    );
    let search_index = match searched {
        Ok(index) if record => index,
        Ok(_) => search::index::Index::default(),
        Err(found) => {
            problems.extend(found);
            search::index::Index::default()
        }
    };
    let search_paths = search_paths.into_inner().unwrap_or_default();
    options.progress.start(Stage::Finishing, 0);
    let mut io_failed = !problems.is_empty()
        && problems
            .iter()
            .all(|d| d.message.starts_with("cannot write"));
    let copies: Vec<Diagnostic> = site
        .files
        .par_iter()
        .filter_map(|file| {
            staging
                .copy(&file.path, &file.source)
                .err()
                .map(|err| write_failed(&file.path, err))
        })
        .chain(
            pictures
                .copies()
                .par_iter()
                .filter_map(|(path, cached, id)| {
                    staging
                        .link(path, cached, *id)
                        .err()
                        .map(|err| write_failed(path, err))
                }),
        )
        .chain(theme.static_files.par_iter().filter_map(|file| {
            let result = match &file.source {
                theme::Source::Embedded(bytes) => staging.put(&file.path, bytes),
                theme::Source::File(path) => staging.copy(&file.path, path),
            };
            result.err().map(|err| write_failed(&file.path, err))
        }))
        .collect();
    io_failed |= !copies.is_empty();
    problems.extend(copies);
    if io_failed {
        problems = first_of_many(problems);
    }
    if !problems.is_empty() {
        // Dropping the staging folder removes it; the output is untouched.
        return Err(BuildError {
            diagnostics: problems,
            io: io_failed,
        });
    }
    let stats = staging
        .commit()
        .map_err(|err| io_error("cannot move the new site into", output_dir, err))?;

    // Every language's: `site.articles` lists the own language's only.
    let articles = site.pages.iter().filter(|p| p.page.is_news()).count();
    let directives = site.register.as_ref().map_or(0, |r| r.all.pages.len());
    let consultations = (site.consultations.as_ref()).map_or(0, |c| c.all.pages.len());
    let report = BuildReport {
        articles,
        directives,
        consultations,
        pages: site.pages.len() - articles - directives - consultations,
        categories: site.categories.len(),
        tags: site.tags.len(),
        files: stats.written + stats.unchanged,
        unchanged: stats.unchanged,
        skipped: *skipped,
        warnings: warnings.clone(),
        images: prepared.images.clone(),
        elapsed: started.elapsed(),
    };
    let recorded = record.then(|| {
        let paths = paths.into_inner().unwrap_or_default();
        (jobs, paths, (search_paths, search_index))
    });
    Ok((report, recorded))
}

/// A file of the new site that could not be written, named as it would be
/// published.
fn write_error(output: &Path, path: &str, err: &std::io::Error) -> Diagnostic {
    let d = Diagnostic::error(format!(
        "cannot write {}: {err}",
        output.join(path).display()
    ));
    if err.kind() == std::io::ErrorKind::StorageFull {
        d.with_hint("the disk is full: free some space on it and build again")
    } else {
        d
    }
}

/// A full disk fails every write after the first: the first few name the
/// problem, the rest only bury it.
fn first_of_many(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    const SHOWN: usize = 5;
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        problems.truncate(SHOWN);
        problems.push(Diagnostic::error(format!(
            "… and {more} more files could not be written"
        )));
    }
    problems
}

/// Builds the site in memory, writes nothing, and verifies that every link,
/// image, attachment, anchor and alias of every generated page resolves.
pub fn check(options: &BuildOptions) -> Result<check::CheckReport, BuildError> {
    // In memory: the copies already made are checked, none is made.
    let options = &BuildOptions {
        images: images::Mode::Later,
        ..options.clone()
    };
    let Prepared {
        config,
        theme,
        site,
        warnings,
        pictures,
        ..
    } = prepare(options, load_config(options)?)?;
    let jobs = render::jobs(&site, &config);
    let outputs = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    let problems = render::render_all(&site, &config, &theme, &pictures, &jobs, |out| {
        if let Ok(mut outputs) = outputs.lock() {
            outputs.push(out);
        }
        Ok(())
    });
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let outputs = outputs.into_inner().unwrap_or_default();
    let files = site
        .files
        .iter()
        .map(|f| f.path.clone())
        .chain(theme.static_files.iter().map(|f| f.path.clone()))
        .chain(pictures.copies().into_iter().map(|(path, ..)| path));
    let mut report = check::links(&options.root, &config.base_url, &outputs, files);
    report.warnings = warnings;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(files: usize, elapsed_ms: u64) -> BuildReport {
        BuildReport {
            files,
            elapsed: Duration::from_millis(elapsed_ms),
            ..BuildReport::default()
        }
    }

    #[test]
    fn rate_counts_files_per_second_of_the_whole_build() {
        assert_eq!(report(14, 41).files_per_second(), Some(341));
        assert_eq!(report(0, 5).files_per_second(), Some(0));
        assert_eq!(report(3, 0).files_per_second(), None);
    }

    #[test]
    fn rate_goes_beside_the_file_counts_and_before_the_notes() {
        let line = report(14, 41).summary_line();
        assert!(
            line.ends_with("in 41 ms (14 files, 0 unchanged; 341 files/s)"),
            "{line}"
        );
        let mut with_drafts = report(10, 500);
        with_drafts.skipped.drafts = 2;
        let line = with_drafts.summary_line();
        assert!(
            line.ends_with("(10 files, 0 unchanged; 20 files/s); 2 drafts skipped"),
            "{line}"
        );
        assert!(
            report(3, 0)
                .summary_line()
                .ends_with("(3 files, 0 unchanged)")
        );
    }
}
