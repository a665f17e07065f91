//! The content's own files (those of no bundle, `content/van-ban/mau.docx`)
//! under `serve`: one saved, new or deleted is put in or taken out of the
//! index without walking the content again.

use std::path::{Path, PathBuf};

use super::{CopyFile, Site};
use crate::diagnostic::Diagnostic;

impl Site {
    /// Publishes the content's file at `path` (its path in `content/`,
    /// which is where it is published) from `source`, or takes it out
    /// (`None`). A new file must not take another output's path.
    pub fn set_static(
        &mut self,
        path: &str,
        source: Option<PathBuf>,
    ) -> Result<(), Vec<Diagnostic>> {
        let at = self.statics.iter().position(|f| f.path == path);
        match (at, source) {
            (Some(_), Some(_)) => return Ok(()),
            (None, None) => return Ok(()),
            (Some(at), None) => {
                self.statics.remove(at);
                self.claims.release(path);
            }
            (None, Some(source)) => {
                let mut problems = Vec::new();
                let owner = format!("the file content/{path}");
                self.claims
                    .claim(&mut problems, path.to_string(), owner, |d| d);
                if !problems.is_empty() {
                    return Err(problems);
                }
                // In the walk's order: by folder and name.
                let place =
                    (self.statics).partition_point(|f| Path::new(&f.path) < Path::new(path));
                let path = path.to_string();
                self.statics.insert(place, CopyFile { source, path });
            }
        }
        self.collect_files_and_aliases();
        Ok(())
    }

    /// The content's own file published at `path`, if there is one.
    pub fn static_file(&self, path: &str) -> Option<&CopyFile> {
        self.statics.iter().find(|f| f.path == path)
    }
}
