//! A template, UI string or static file was saved: the theme is read
//! again and every output rendered from what the session holds, without
//! reading any content. Only the files whose bytes changed are written.

use std::collections::HashSet;
use std::time::Instant;

use super::{RebuildReport, Session};
use crate::render;
use crate::theme::{self, Source};
use crate::{BuildError, Diagnostic, output};

impl Session {
    pub(super) fn restyle(&mut self, started: Instant) -> Result<RebuildReport, BuildError> {
        let config = &self.prepared.config;
        let theme = theme::load(&self.options.root, config)?;
        let site = &self.prepared.site;
        let out_dir = &self.output;
        let jobs = render::jobs(site, config);
        let changed = std::sync::Mutex::new(Vec::new());
        let write = |path: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
            let wrote = output::replace_file(out_dir, path, bytes)
                .map_err(|err| Diagnostic::error(format!("cannot write {path}: {err}")))?;
            if wrote && let Ok(mut changed) = changed.lock() {
                changed.push(path.to_string());
            }
            Ok(())
        };
        let mut problems = render::render_each(
            site,
            config,
            &theme,
            &self.prepared.pictures,
            &jobs,
            |_, out| write(&out.path, &out.bytes),
        );
        for file in &theme.static_files {
            let written = match &file.source {
                Source::Embedded(bytes) => write(&file.path, bytes),
                Source::File(path) => std::fs::read(path)
                    .map_err(|err| {
                        Diagnostic::error(format!("cannot read {}: {err}", path.display()))
                    })
                    .and_then(|bytes| write(&file.path, &bytes)),
            };
            problems.extend(written.err());
        }
        if !problems.is_empty() {
            // Some outputs may be new and others old: the next rebuild is
            // a whole one.
            self.stale = true;
            return Err(problems.into());
        }
        let mut changed = changed.into_inner().unwrap_or_default();
        let written = changed.len();
        // A static file the theme no longer has, unless content/ has it.
        let now: HashSet<&str> = theme.static_files.iter().map(|f| f.path.as_str()).collect();
        let kept: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
        let mut removed = 0;
        for file in &self.prepared.theme.static_files {
            let path = file.path.as_str();
            if !now.contains(path)
                && !kept.contains(path)
                && std::fs::remove_file(out_dir.join(path)).is_ok()
            {
                removed += 1;
                changed.push(path.to_string());
                super::remove_empty_folders(out_dir, path);
            }
        }
        self.prepared.theme = theme;
        Ok(RebuildReport {
            full: false,
            rendered: jobs.len(),
            outputs: self.outputs.len(),
            written,
            removed,
            changed,
            warnings: Vec::new(),
            elapsed: started.elapsed(),
        })
    }
}
