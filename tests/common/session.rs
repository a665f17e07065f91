//! A `Session` over a [`TestSite`], and its output compared file by file
//! with a whole build of the same files.

use std::path::PathBuf;

use gazette::{RebuildReport, Session};

use super::{TestSite, render_errors, tree};

pub fn open(site: &TestSite) -> Session {
    match Session::open(site.options()) {
        Ok((session, _)) => session,
        Err(err) => panic!("build failed:\n{}", render_errors(&err)),
    }
}

pub fn rebuild(session: &mut Session, changed: &[PathBuf]) -> RebuildReport {
    match session.rebuild(changed) {
        Ok(report) => report,
        Err(err) => panic!("rebuild failed:\n{}", render_errors(&err)),
    }
}

/// The output files that differ from a whole build of the same files, as
/// `missing x`, `extra x` or `differs x`; empty when there are none.
pub fn differences(site: &TestSite) -> Vec<String> {
    let whole = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.output = Some(whole.path().join("out"));
    if let Err(err) = gazette::build(&options) {
        panic!("whole build failed:\n{}", render_errors(&err));
    }
    let expected = tree(&whole.path().join("out"));
    let actual = tree(&site.public());
    let keys: std::collections::BTreeSet<_> = expected.keys().chain(actual.keys()).collect();
    keys.into_iter()
        .filter(|k| expected.get(*k) != actual.get(*k))
        .map(|k| {
            let tag = match (expected.contains_key(k), actual.contains_key(k)) {
                (true, false) => "missing",
                (false, true) => "extra",
                _ => "differs",
            };
            format!("{tag} {}", k.display())
        })
        .collect()
}

/// Asserts the session's output equals a whole build of the same files.
pub fn assert_same_as_whole_build(site: &TestSite) {
    let differences = differences(site);
    assert!(
        differences.is_empty(),
        "not as a whole build writes it: {differences:?}"
    );
}
