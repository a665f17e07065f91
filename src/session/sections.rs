//! A section's `_index.md` saved or deleted: its name, description and
//! template change where they show, without reading any page again. The
//! home page's shows on the home page; a section's on its list pages and,
//! in breadcrumbs, on its pages; the register's in the menu of every page,
//! so that one renders everything again from what the session holds
//! ([`super::restyle`]). The home page, the 404 page (which lists the
//! sections) and the site map page are rendered again in every case.

use std::path::PathBuf;
use std::time::Instant;

use super::{Dirty, RebuildReport, Session, changes::real, identify, write_jobs};
use crate::content::{self, section};
use crate::render::{self, Job};
use crate::site::{SectionShown, page_count};
use crate::{BuildError, Diagnostic};

impl Session {
    pub(super) fn resection(
        &mut self,
        saved: &[PathBuf],
        started: Instant,
    ) -> Result<RebuildReport, BuildError> {
        let config = &self.prepared.config;
        let load = content::LoadOptions {
            root: &self.options.root,
            config,
            include_drafts: self.options.drafts,
            now: self.options.now(config),
        };
        let root = real(&self.options.root).join(content::DIR);
        let content_dir = self.options.root.join(content::DIR);
        // Every file read before anything changes: a bad one changes nothing.
        let mut read = Vec::new();
        let mut problems: Vec<Diagnostic> = Vec::new();
        for path in saved {
            let path = real(path);
            let Some(rel) = path.strip_prefix(&root).ok().and_then(|r| r.to_str()) else {
                continue;
            };
            let rel = rel.replace('\\', "/");
            let Some(name) = section::name_of(&rel) else {
                continue;
            };
            match section::read(&load, &content_dir.join(&rel)) {
                Ok(meta) => read.push((name.to_string(), meta)),
                Err(mut found) => problems.append(&mut found),
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems.into());
        }
        let site = &mut self.prepared.site;
        let mut jobs = vec![Job::Home, Job::PortalMap, Job::NotFound];
        let mut everywhere = false;
        for (name, meta) in read {
            let pages_of = |site: &crate::site::Site| -> Vec<Job> {
                (0..site.pages.len())
                    .filter(|&i| site.pages[i].page.section.as_deref() == Some(name.as_str()))
                    .map(Job::Page)
                    .collect()
            };
            match site.set_section(config, &name, meta) {
                SectionShown::Home | SectionShown::Nowhere => {}
                SectionShown::List(list) => {
                    let count = page_count(site.sections[list].pages.len(), config.paginate);
                    jobs.extend((1..=count).map(|page| Job::Section { list, page }));
                    jobs.extend(pages_of(site));
                }
                SectionShown::Register => everywhere = true,
            }
        }
        if everywhere {
            return self.restyle(started);
        }
        let site = &self.prepared.site;
        let dirty: Vec<Dirty> = jobs
            .into_iter()
            .map(|job| {
                let inputs = render::inputs(site, config, &job);
                let (key, fingerprint) = identify(site, &job, inputs.as_ref());
                (key, fingerprint, job)
            })
            .collect();
        // Rendered, some outputs may be new and others old: until all are
        // written, the next rebuild is a whole one.
        self.stale = true;
        let written = write_jobs(&self.prepared, &self.output, &dirty)?;
        let changed: Vec<String> = (written.iter())
            .filter(|(_, _, wrote)| *wrote)
            .map(|(_, path, _)| path.clone())
            .collect();
        for (job, path, _) in written {
            let (key, fingerprint, _) = &dirty[job];
            self.outputs.insert(key.clone(), (*fingerprint, path));
        }
        self.stale = false;
        Ok(RebuildReport {
            full: false,
            rendered: dirty.len(),
            outputs: self.outputs.len(),
            written: changed.len(),
            removed: 0,
            changed,
            warnings: Vec::new(),
            elapsed: started.elapsed(),
        })
    }
}
