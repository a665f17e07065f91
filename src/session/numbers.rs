//! A directive saved, new or deleted: when its number, its URL or its place
//! in the order may have changed, the index of numbers is made again from
//! the directives the session holds and those just read, and every page
//! that mentions the old number, or may mention the new one, is read again
//! with it. Which pages may mention a number is known without reading
//! them: each keeps its candidate numbers, hashed
//! ([`crate::markdown::Indexed::candidates`]).

use std::collections::HashSet;
use std::path::PathBuf;

use super::Session;
use super::reread::Plan;
use crate::BuildError;
use crate::content::Page;
use crate::register::{NumberIndex, key_hash, normalize};
use crate::site;

impl Session {
    /// When `plan` touches a directive in a way that moves links: the new
    /// index of numbers, and the files of the pages to read again with it.
    pub(super) fn renumber(
        &self,
        plan: &Plan,
    ) -> Result<Option<(NumberIndex, Vec<PathBuf>)>, BuildError> {
        let site = &self.prepared.site;
        let number = |page: &Page| page.document.as_ref().map(|d| normalize(&d.number));
        // The pages read again, as they were and as they are.
        let before = (plan.edits.iter().map(|(i, _, _)| *i))
            .chain(plan.removed.iter().copied())
            .map(|i| &site.pages[i]);
        let after = (plan.edits.iter().map(|(_, page, _)| page))
            .chain(plan.added.iter().map(|(page, _)| page));
        let mut keys: HashSet<String> = HashSet::new();
        let mut mentioners: Vec<usize> = Vec::new();
        for old in before.clone().filter(|p| p.page.document.is_some()) {
            let now = after.clone().find(|p| p.path == old.page.path);
            let same = now.is_some_and(|now| {
                number(now) == number(&old.page)
                    && now.url == old.url
                    && now.date == old.page.date
                    && now.title == old.page.title
            });
            if !same {
                keys.extend(number(&old.page));
                mentioners.extend(&old.mentioned_by);
            }
        }
        let known: HashSet<&PathBuf> = before.clone().map(|p| &p.page.path).collect();
        for page in after.clone() {
            let fresh = !known.contains(&page.path);
            let old = before.clone().find(|p| p.page.path == page.path);
            if fresh || old.is_some_and(|old| number(&old.page) != number(page)) {
                keys.extend(number(page));
            }
        }
        if keys.is_empty() && mentioners.is_empty() {
            return Ok(None);
        }
        let read: HashSet<&PathBuf> = known
            .iter()
            .copied()
            .chain(after.clone().map(|p| &p.path))
            .collect();
        let kept = (site.pages.iter())
            .filter(|p| !read.contains(&p.page.path))
            .map(|p| &p.page);
        let numbers = NumberIndex::build(kept.chain(after.clone()), site::page_url)?;
        let hashes: Vec<u64> = keys.iter().map(|key| key_hash(key)).collect();
        let may_mention = |page: &site::SitePage| {
            hashes
                .iter()
                .any(|hash| page.candidates.binary_search(hash).is_ok())
                || page
                    .page
                    .documents
                    .iter()
                    .any(|named| keys.contains(&normalize(&named.number)))
        };
        let mut again: Vec<PathBuf> = mentioners
            .into_iter()
            .map(|i| site.pages[i].page.path.clone())
            .collect();
        again.extend(
            (site.pages.iter())
                .filter(|p| !read.contains(&p.page.path) && may_mention(p))
                .map(|p| p.page.path.clone()),
        );
        Ok(Some((numbers, again)))
    }
}
