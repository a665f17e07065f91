//! Who publishes what: every output path of the site and its owner, kept
//! between rebuilds, so that two things on one URL, or two file names that
//! differ only in case, are refused, and a page's paths are handed back
//! when it goes.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Default)]
pub struct Claims {
    /// By the path lowercased, as Windows and macOS take `Anh.jpg` and
    /// `anh.jpg` for one file: the path as claimed, and who claimed it.
    owners: HashMap<String, (String, String)>,
}

impl Claims {
    /// Claims `path` for `owner`; a collision is pushed to `problems`.
    pub fn claim(
        &mut self,
        problems: &mut Vec<Diagnostic>,
        path: String,
        owner: String,
        located: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        self.claim_with(
            problems,
            path,
            owner,
            || "give one of them another `slug:` (or remove the alias)".into(),
            located,
        );
    }

    /// [`Claims::claim`], with `hint` made only for a collision.
    pub fn claim_with(
        &mut self,
        problems: &mut Vec<Diagnostic>,
        path: String,
        owner: String,
        hint: impl FnOnce() -> String,
        located: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        let folded = path.to_lowercase();
        match self.owners.get(&folded) {
            Some((claimed, first)) if *claimed == path => {
                let url = format!("/{}", path.trim_end_matches("index.html"));
                problems.push(
                    located(Diagnostic::error(format!(
                        "two things on one URL `{url}`: {first} and {owner}"
                    )))
                    .with_hint(hint()),
                );
            }
            Some((_, first)) => {
                problems.push(
                    located(Diagnostic::error(format!(
                        "two files whose names differ only in case, `{path}`: {first} and {owner}"
                    )))
                    .with_hint("Windows and macOS take them for one file: rename one of them"),
                );
            }
            None => {
                self.owners.insert(folded, (path, owner));
            }
        }
    }

    /// Hands `path` back, when it is claimed as spelled.
    pub fn release(&mut self, path: &str) {
        let folded = path.to_lowercase();
        if self.owners.get(&folded).is_some_and(|(p, _)| p == path) {
            self.owners.remove(&folded);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_second_owner_and_a_case_twin_until_released() {
        let mut claims = Claims::default();
        let mut problems = Vec::new();
        claims.claim(&mut problems, "a/index.html".into(), "one".into(), |d| d);
        claims.claim(&mut problems, "a/index.html".into(), "two".into(), |d| d);
        claims.claim(&mut problems, "A/index.html".into(), "three".into(), |d| d);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("one and two"));
        assert!(problems[1].message.contains("differ only in case"));
        // Released under another spelling: still held.
        claims.release("A/index.html");
        claims.claim(&mut problems, "a/index.html".into(), "four".into(), |d| d);
        assert_eq!(problems.len(), 3);
        claims.release("a/index.html");
        claims.claim(&mut problems, "A/index.html".into(), "five".into(), |d| d);
        assert_eq!(problems.len(), 3);
    }
}
