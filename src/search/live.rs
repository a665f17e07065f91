//! The index as `serve` keeps it: every term's postings in the order the
//! shards are cut in, so that an edit re-weighs only the pages it changed
//! and rewrites only the shards around the terms those pages touch.
//!
//! What an update gives back is plain data (files to write, `d/` files to
//! move, paths to remove); the session does the writing. The files are the
//! ones a whole build of the same site writes ([`super::build`]): the
//! postings are the same, the cut depends only on neighbouring terms
//! ([`shard::starts_shard`]), and documents keep their numbers, oldest
//! first, so a new article adds one at the end and moves no other.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::index::{Index, Postings, read_varint, utf16_cmp, write_varint};
use super::{File, Read, doc_path, folder, lists, numbers, read, shard};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// A term, ordered as the browser compares strings.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Key(Box<str>);

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        utf16_cmp(&self.0, &other.0)
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The index of a site being served.
pub struct Live {
    /// Every term, in shard order, with its slot in `slots`.
    order: BTreeMap<Key, u32>,
    slots: Vec<Slot>,
    /// Slots of terms gone, to be used again.
    free: Vec<u32>,
    /// By document number: the slots of its terms, ascending, as LEB128
    /// deltas; what an edit of the page takes out.
    docs: Vec<Box<[u8]>>,
    /// The first term of every shard.
    firsts: BTreeSet<Key>,
    /// The page id of every document, by number.
    ids: Vec<String>,
    /// What every page's index entry shows of other pages: the names of
    /// tags, categories and the register's lists.
    names: u64,
    /// The filter files written last (`f/…`).
    filters: BTreeSet<String>,
}

struct Slot {
    key: Key,
    postings: Postings,
}

/// What an update changes in the output.
#[derive(Default)]
pub struct Update {
    /// `d/` files moved to their new numbers, `(from, to)`, in an order in
    /// which no move overwrites a file still to be moved, unless `crossed`;
    /// applied before `write`.
    pub moves: Vec<(String, String)>,
    /// Some moves go up and others down (a page moved in the order): they
    /// must be made in two steps.
    pub crossed: bool,
    /// Files to write; only those whose bytes changed need reach the disk.
    pub write: Vec<File>,
    /// Files the index no longer has.
    pub remove: Vec<String>,
}

impl Live {
    /// The index a whole build made of `site`.
    pub fn new(site: &Site, config: &Config, index: Index) -> Live {
        let docs = index.docs as usize;
        let mut terms: Vec<(Key, Postings)> = (index.into_terms())
            .map(|(term, postings)| (Key(term.into_boxed_str()), postings))
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_doc: Vec<Vec<u32>> = vec![Vec::new(); docs];
        for (slot, (_, postings)) in terms.iter().enumerate() {
            for (doc, _) in postings.iter() {
                if let Some(list) = by_doc.get_mut(doc as usize) {
                    list.push(slot as u32);
                }
            }
        }
        let mut live = Live {
            order: (terms.iter().enumerate())
                .map(|(slot, (key, _))| (key.clone(), slot as u32))
                .collect(),
            slots: (terms.into_iter())
                .map(|(key, postings)| Slot { key, postings })
                .collect(),
            free: Vec::new(),
            docs: by_doc.into_iter().map(|list| encode_list(&list)).collect(),
            firsts: BTreeSet::new(),
            ids: ids(site),
            names: names(site),
            filters: BTreeSet::new(),
        };
        live.firsts = live.cut_all();
        let base = folder(config);
        live.filters = filter_paths(&lists(site, &base, &numbers(site), 0, Vec::new()));
        live
    }

    /// Whether the own language's pages of `site`, oldest first, are
    /// the documents the index numbers.
    fn same_ids(&self, site: &Site) -> bool {
        let mut own = site.pages.iter().rev().filter(|page| super::own(page));
        let mut ids = self.ids.iter();
        loop {
            match (own.next(), ids.next()) {
                (None, None) => return true,
                (Some(page), Some(id)) if page.page.id == *id => {}
                _ => return false,
            }
        }
    }

    fn postings(&self, key: &Key) -> Option<&Postings> {
        self.order
            .get(key)
            .map(|&slot| &self.slots[slot as usize].postings)
    }

    /// Brings the index in step with `site` after the pages with ids in
    /// `edited` were read again (and others added or removed).
    pub fn update(
        &mut self,
        site: &Site,
        config: &Config,
        edited: &HashSet<String>,
    ) -> Result<Update, Vec<Diagnostic>> {
        let base = folder(config);
        let number = numbers(site);
        let names = names(site);
        let everything = names != self.names;
        // The documents to weigh again, by new number, the old numbers
        // whose postings go, and each old number's new one.
        let mut weigh: Vec<u32> = Vec::new();
        let mut strip: HashSet<u32> = HashSet::new();
        let new_ids = if self.same_ids(site) {
            // The usual edit: no page came, went or moved, so every
            // document keeps its number and no map of ids is needed.
            for (n, id) in self.ids.iter().enumerate() {
                if everything || edited.contains(id) {
                    weigh.push(n as u32);
                    strip.insert(n as u32);
                }
            }
            None
        } else {
            Some(ids(site))
        };
        let count = new_ids.as_ref().map_or(self.ids.len(), Vec::len);
        let mut new_of: Vec<Option<u32>> = (0..self.ids.len() as u32).map(Some).collect();
        if let Some(new_ids) = &new_ids {
            new_of = vec![None; self.ids.len()];
            let old: HashMap<&str, u32> = (self.ids.iter().enumerate())
                .map(|(n, id)| (id.as_str(), n as u32))
                .collect();
            for (n, id) in new_ids.iter().enumerate() {
                let before = old.get(id.as_str()).copied();
                if let Some(b) = before {
                    new_of[b as usize] = Some(n as u32);
                }
                if everything || before.is_none() || edited.contains(id) {
                    weigh.push(n as u32);
                    strip.extend(before);
                }
            }
            strip.extend((0..self.ids.len() as u32).filter(|&b| new_of[b as usize].is_none()));
        }
        let renumber = new_of
            .iter()
            .enumerate()
            .any(|(b, n)| n.is_some_and(|n| n as usize != b));
        // Read before anything changes: a page that fails changes nothing.
        let by_number: Vec<usize> = {
            let mut order = vec![0; number.len()];
            for (i, &n) in number.iter().enumerate() {
                // Other languages' pages are not in this index.
                if n != u32::MAX {
                    order[n as usize] = i;
                }
            }
            order
        };
        let read: Vec<Result<Read, Diagnostic>> = weigh
            .par_iter()
            .map(|&n| read(site, config, by_number[n as usize]))
            .collect();
        let mut problems = Vec::new();
        let mut weighed = Vec::with_capacity(read.len());
        for (&n, result) in weigh.iter().zip(read) {
            match result {
                Ok(read) => weighed.push((n, read)),
                Err(problem) => problems.push(problem),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        // The terms whose postings changed. A document weighed again under
        // its own number is changed in place below, so that only the terms
        // whose weight for it changed count (a body edit touches few).
        let mut changed: HashSet<u32> = HashSet::new();
        let in_place = |doc: u32| !renumber && strip.contains(&doc);
        let again: HashSet<u32> = weigh.iter().copied().filter(|&n| in_place(n)).collect();
        let mut stripped: Vec<u32> = (strip.iter().copied())
            .filter(|b| !again.contains(b))
            .collect();
        stripped.sort_unstable();
        for &b in &stripped {
            for slot in decode_list(&self.docs[b as usize]) {
                self.slots[slot as usize].postings.remove(b);
                changed.insert(slot);
            }
        }
        if renumber {
            let moved_from = (0..new_of.len())
                .find(|&b| new_of[b] != Some(b as u32))
                .unwrap_or(new_of.len()) as u32;
            self.slots.par_iter_mut().for_each(|slot| {
                if slot.postings.count > 0 && slot.postings.last >= moved_from {
                    let pairs: Vec<(u32, u8)> = (slot.postings.iter())
                        .filter_map(|(doc, w)| new_of[doc as usize].map(|n| (n, w)))
                        .collect();
                    slot.postings = from_pairs(pairs);
                }
            });
            let mut docs: Vec<Box<[u8]>> = vec![Box::default(); count];
            for (b, list) in std::mem::take(&mut self.docs).into_iter().enumerate() {
                if let Some(n) = new_of[b]
                    && !strip.contains(&(b as u32))
                {
                    docs[n as usize] = list;
                }
            }
            self.docs = docs;
        } else {
            self.docs.resize(count, Box::default());
        }
        let mut update = Update::default();
        for (n, (terms, shown)) in weighed {
            let old = if again.contains(&n) {
                decode_list(&self.docs[n as usize])
            } else {
                Vec::new()
            };
            let mut list = Vec::new();
            for (term, weight) in terms.iter() {
                let key = Key(term.into());
                let slot = match self.order.get(&key) {
                    Some(&slot) => slot,
                    None => {
                        let slot = Slot {
                            key: key.clone(),
                            postings: Postings::default(),
                        };
                        let at = match self.free.pop() {
                            Some(at) => {
                                self.slots[at as usize] = slot;
                                at
                            }
                            None => {
                                self.slots.push(slot);
                                (self.slots.len() - 1) as u32
                            }
                        };
                        self.order.insert(key, at);
                        at
                    }
                };
                if self.slots[slot as usize].postings.insert(n, weight) {
                    changed.insert(slot);
                }
                list.push(slot);
            }
            list.sort_unstable();
            // The terms the page no longer has.
            for slot in old {
                if list.binary_search(&slot).is_err() {
                    self.slots[slot as usize].postings.remove(n);
                    changed.insert(slot);
                }
            }
            self.docs[n as usize] = encode_list(&list);
            update.write.push(File {
                path: doc_path(&base, n),
                bytes: shown,
            });
        }
        let mut dirty: BTreeSet<Key> = BTreeSet::new();
        let emptied: Vec<u32> = if renumber {
            (0..self.slots.len() as u32).collect()
        } else {
            changed.iter().copied().collect()
        };
        for slot in emptied {
            let entry = &self.slots[slot as usize];
            // A slot freed before keeps its old key, which may since have
            // come back in another slot: only the slot the key is at now
            // empties it (and a free slot is never freed twice).
            if entry.postings.count == 0 && self.order.get(&entry.key) == Some(&slot) {
                self.order.remove(&entry.key);
                dirty.insert(entry.key.clone());
                self.free.push(slot);
            }
        }
        for slot in changed {
            let entry = &self.slots[slot as usize];
            if entry.postings.count > 0 {
                dirty.insert(entry.key.clone());
            }
        }

        // A term that became common, or stopped being, as documents came
        // or went, is stored otherwise ([`shard::common`]).
        let before = self.ids.len() as u32;
        if count as u32 != before && !renumber && !everything {
            for (key, &slot) in &self.order {
                let df = self.slots[slot as usize].postings.count;
                if shard::common(df, before) != shard::common(df, count as u32) {
                    dirty.insert(key.clone());
                }
            }
        }

        // The shards around the terms touched, cut again.
        let shards: Vec<Key> = if renumber || everything {
            let firsts = self.cut_all();
            update.remove.extend(
                (self.firsts.difference(&firsts))
                    .map(|f| format!("{base}{}", shard::file_name(&f.0))),
            );
            self.firsts = firsts;
            self.firsts.iter().cloned().collect()
        } else {
            self.recut(&dirty, &base, &mut update)
        };
        for first in shards {
            let terms: Vec<(&str, &Postings)> = (self.order.range(first.clone()..))
                .take_while(|(key, _)| **key == first || !self.firsts.contains(*key))
                .map(|(key, &slot)| (&*key.0, &self.slots[slot as usize].postings))
                .collect();
            if terms.is_empty() {
                continue;
            }
            update.write.push(File {
                path: format!("{base}{}", shard::file_name(&first.0)),
                bytes: shard::encode(&terms, count as u32),
            });
        }

        // Documents that only moved keep their bytes under a new number.
        let weighed: HashSet<u32> = weigh.iter().copied().collect();
        let mut moves: Vec<(u32, u32)> = (new_of.iter().enumerate())
            .filter_map(|(b, n)| n.map(|n| (b as u32, n)))
            .filter(|&(b, n)| n != b && !weighed.contains(&n))
            .collect();
        let up = moves.iter().any(|&(b, n)| n > b);
        let down = moves.iter().any(|&(b, n)| n < b);
        update.crossed = up && down;
        if up {
            // Highest first, so that each target is already vacated.
            moves.reverse();
        }
        update.moves = (moves.into_iter())
            .map(|(b, n)| (doc_path(&base, b), doc_path(&base, n)))
            .collect();
        update
            .remove
            .extend((count..self.ids.len()).map(|n| doc_path(&base, n as u32)));

        let firsts: Vec<String> = self.firsts.iter().map(|k| k.0.to_string()).collect();
        let listed = lists(site, &base, &number, count as u32, firsts);
        let filters = filter_paths(&listed);
        update
            .remove
            .extend(self.filters.difference(&filters).cloned());
        self.filters = filters;
        update.write.extend(listed);
        if let Some(new_ids) = new_ids {
            self.ids = new_ids;
        }
        self.names = names;
        Ok(update)
    }

    /// The first terms of all shards, cut from the start.
    fn cut_all(&self) -> BTreeSet<Key> {
        let mut firsts = BTreeSet::new();
        let mut before: Option<(&str, &Postings)> = None;
        for (key, &slot) in &self.order {
            let postings = &self.slots[slot as usize].postings;
            if shard::starts_shard(before, &key.0, postings) {
                firsts.insert(key.clone());
            }
            before = Some((&key.0, postings));
        }
        firsts
    }

    /// Whether a term starts a shard now is a matter of it and the one
    /// before it: only the terms touched and the ones after them are
    /// looked at again. Returns the shards to write; shards gone are put
    /// in `update.remove`.
    fn recut(&mut self, dirty: &BTreeSet<Key>, base: &str, update: &mut Update) -> Vec<Key> {
        let mut look: BTreeSet<Key> = BTreeSet::new();
        for key in dirty {
            if self.order.contains_key(key) {
                look.insert(key.clone());
            } else if self.firsts.remove(key) {
                update
                    .remove
                    .push(format!("{base}{}", shard::file_name(&key.0)));
            }
            use std::ops::Bound::{Excluded, Unbounded};
            if let Some((next, _)) = self.order.range((Excluded(key), Unbounded)).next() {
                look.insert(next.clone());
            }
        }
        let mut shards: BTreeSet<Key> = BTreeSet::new();
        for key in &look {
            let Some(postings) = self.postings(key) else {
                continue;
            };
            let before = (self.order.range(..key.clone()).next_back())
                .map(|(k, &slot)| (&*k.0, &self.slots[slot as usize].postings));
            let starts = shard::starts_shard(before, &key.0, postings);
            if starts && !self.firsts.contains(key) {
                self.firsts.insert(key.clone());
                // The shard before it lost its end.
                shards.extend(self.firsts.range(..key.clone()).next_back().cloned());
            } else if !starts && self.firsts.remove(key) {
                update
                    .remove
                    .push(format!("{base}{}", shard::file_name(&key.0)));
            }
        }
        for key in dirty.iter().chain(&look) {
            shards.extend(self.firsts.range(..=key.clone()).next_back().cloned());
        }
        // A first removed and then found to start a shard again is kept.
        let kept: HashSet<String> = (shards.iter())
            .map(|f| format!("{base}{}", shard::file_name(&f.0)))
            .collect();
        update.remove.retain(|path| !kept.contains(path));
        shards.into_iter().collect()
    }
}

/// Postings from (document, weight) pairs.
fn from_pairs(mut pairs: Vec<(u32, u8)>) -> Postings {
    if !pairs.is_sorted_by_key(|p| p.0) {
        pairs.sort_unstable_by_key(|p| p.0);
    }
    let mut postings = Postings::default();
    for (doc, weight) in pairs {
        postings.push(doc, weight);
    }
    postings
}

/// Ascending numbers as LEB128 deltas.
fn encode_list(list: &[u32]) -> Box<[u8]> {
    let mut bytes = Vec::with_capacity(list.len() * 2);
    let mut last = 0;
    for &n in list {
        write_varint(&mut bytes, n - last);
        last = n;
    }
    bytes.into_boxed_slice()
}

fn decode_list(bytes: &[u8]) -> Vec<u32> {
    let (mut at, mut n, mut list) = (0, 0, Vec::new());
    while let Some(delta) = read_varint(bytes, &mut at) {
        n += delta;
        list.push(n);
    }
    list
}

/// The page id of every document, by number.
fn ids(site: &Site) -> Vec<String> {
    site.pages
        .iter()
        .rev()
        .filter(|page| super::own(page))
        .map(|page| page.page.id.clone())
        .collect()
}

/// A print of the names a document's entry shows of other things.
fn names(site: &Site) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for tag in &site.tags {
        tag.name.hash(&mut hasher);
    }
    for category in &site.categories {
        category.name.hash(&mut hasher);
    }
    if let Some(register) = &site.register {
        for list in (register.by_type.iter())
            .chain(&register.by_year)
            .chain(&register.by_issuer)
        {
            list.name.hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn filter_paths(files: &[File]) -> BTreeSet<String> {
    files
        .iter()
        .filter(|f| f.path.contains("/f/") || f.path.starts_with("f/"))
        .map(|f| f.path.clone())
        .collect()
}
