//! A section's `_index.md` read again on its own, when an editor saves or
//! deletes it: the section's name, description and template.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::AtomicUsize;

use super::{DIR, Found, LoadOptions, Parsed, Section, parse_file, rel_path};
use crate::diagnostic::Diagnostic;

/// The section `path` (an `_index.md` as the walk of `content/` names it)
/// declares, or `None` when the file is gone.
pub fn read(options: &LoadOptions, path: &Path) -> Result<Option<Section>, Vec<Diagnostic>> {
    if !path.is_file() {
        return Ok(None);
    }
    let Some(rel) = rel_path(path, &options.root.join(DIR)) else {
        return Ok(None);
    };
    let found = Found {
        path: path.to_path_buf(),
        rel,
    };
    match parse_file(options, &found, &BTreeSet::new(), &AtomicUsize::new(0))? {
        Parsed::Section(section, _) => Ok(Some(section)),
        Parsed::Page(..) => Ok(None),
    }
}

/// The name of the section whose `_index.md` is at `rel` (relative to
/// `content/`): its folder, empty for the home page's.
pub fn name_of(rel: &str) -> Option<&str> {
    match rel.strip_suffix("_index.md")? {
        "" => Some(""),
        folder => folder.strip_suffix('/'),
    }
}
