//! Queries over the written index, ranked exactly as `search.js` ranks
//! them: what `cargo test` checks the quality list with, reading the very
//! files the browser fetches.
//!
//! A query is folded and split like the text ([`super::fold`]). Each word
//! (or document number, as a compound) is a *unit*; a unit the index lacks
//! is looked for as the start of longer terms (the word being typed), else
//! as a term one edit away in its shard (a typo; two letters swapped
//! first). Documents are ranked by: how many units they hold (those holding
//! all come first, and only the best tier is shown; words in more than half
//! of the documents, like "số", do not count here), how many of the query's
//! document numbers are their own (in the title), how many neighbouring
//! pairs of units they hold as a phrase ("công an" together beats
//! "công … an"), how many units are in the title, the BM25F score, and last
//! the newer document.

use rustc_hash::FxHashMap;

use super::fold::{Term, fold, terms};
use super::index::{Postings, TITLE, utf16_cmp};
use super::shard;

/// Prefix expansions kept per unit (the most frequent terms).
const EXPANSIONS: usize = 8;

/// One ranked result: a document number.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    /// Units held (common words aside).
    pub units: u32,
    /// Document numbers in the title (a directive's own number).
    pub numbers: u32,
    pub pairs: u32,
    pub titles: u32,
    pub score: f64,
}

/// What the index's `meta.json` says.
#[derive(Debug, serde::Deserialize)]
pub struct Meta {
    pub n: u32,
    pub shards: Vec<String>,
}

/// The index, read through `read(path)` (a path under the search folder:
/// `meta.json`, `s/3.bin`), with the shards read so far.
pub struct Reader<F: Fn(&str) -> Option<Vec<u8>>> {
    read: F,
    pub meta: Meta,
    shards: FxHashMap<usize, Vec<(String, Postings)>>,
}

impl<F: Fn(&str) -> Option<Vec<u8>>> Reader<F> {
    pub fn open(read: F) -> Option<Self> {
        let meta: Meta = serde_json::from_slice(&read("meta.json")?).ok()?;
        Some(Reader {
            read,
            meta,
            shards: FxHashMap::default(),
        })
    }

    /// The shard a term falls in.
    fn shard_of(&self, term: &str) -> usize {
        let after = self
            .meta
            .shards
            .partition_point(|first| utf16_cmp(first, term) != std::cmp::Ordering::Greater);
        after.saturating_sub(1)
    }

    fn shard(&mut self, k: usize) -> &[(String, Postings)] {
        if !self.shards.contains_key(&k) {
            let file = self.meta.shards.get(k).map(|first| shard::file_name(first));
            let terms = (file.and_then(|file| (self.read)(&file)))
                .and_then(|bytes| shard::decode(&bytes))
                .unwrap_or_default();
            self.shards.insert(k, terms);
        }
        self.shards.get(&k).map_or(&[], Vec::as_slice)
    }

    fn exact(&mut self, term: &str) -> Option<Postings> {
        let k = self.shard_of(term);
        self.shard(k)
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, p)| p.clone())
    }

    /// The postings a unit stands for: the term itself, else the terms it
    /// starts, else one a single edit away.
    fn unit(&mut self, term: &str) -> Vec<Postings> {
        if let Some(postings) = self.exact(term) {
            return vec![postings];
        }
        // A single letter starts too many words to be worth fetching them.
        if term.chars().count() < 2 {
            return Vec::new();
        }
        let first = self.shard_of(term);
        let mut starting: Vec<Postings> = Vec::new();
        for k in first..(first + 3).min(self.meta.shards.len()) {
            if k > first && !self.meta.shards[k].starts_with(term) {
                break;
            }
            starting.extend(
                self.shard(k)
                    .iter()
                    .filter(|(t, _)| t.starts_with(term) && !t.contains(' '))
                    .map(|(_, p)| p.clone()),
            );
        }
        if !starting.is_empty() {
            starting.sort_by_key(|p| std::cmp::Reverse(p.count));
            starting.truncate(EXPANSIONS);
            return starting;
        }
        if term.chars().count() < 4 {
            return Vec::new();
        }
        let near = self
            .shard(first)
            .iter()
            .filter(|(t, _)| !t.contains(' ') && one_edit(t, term))
            .max_by_key(|(t, p)| (same_letters(t, term), p.count))
            .map(|(_, p)| p.clone());
        near.into_iter().collect()
    }

    /// Every document the query finds, best first.
    pub fn search(&mut self, query: &str, only: Option<&[u32]>) -> Vec<Hit> {
        let units = units(query);
        if units.is_empty() {
            return Vec::new();
        }
        // Each unit's postings, and whether it is a number found whole.
        let mut found: Vec<(Vec<Postings>, bool)> = Vec::new();
        for unit in &units {
            match &unit.parts {
                Some(parts) => match self.exact(&unit.term) {
                    Some(p) => found.push((vec![p], true)),
                    // A number the index lacks whole: its parts, each.
                    None => found.extend(parts.iter().map(|part| (self.unit(part), false))),
                },
                None => found.push((self.unit(&unit.term), false)),
            }
        }
        let mut pairs = Vec::new();
        for pair in units.windows(2) {
            if pair[0].parts.is_none()
                && pair[1].parts.is_none()
                && pair[1].pairs
                && let Some(p) = self.exact(&format!("{} {}", pair[0].term, pair[1].term))
            {
                pairs.push(p);
            }
        }
        let n = self.meta.n;
        // Words in most documents ("số", "về") do not decide the tier,
        // unless the query has nothing else.
        let common = |postings: &[Postings]| postings.iter().any(|p| shard::common(p.count, n));
        let all_common = found.iter().all(|(p, _)| common(p));
        let mut hits: FxHashMap<u32, Hit> = FxHashMap::default();
        for (postings, number) in &found {
            let counts = all_common || !common(postings);
            add(
                &mut hits,
                n,
                postings,
                Kind::Unit {
                    counts,
                    number: *number,
                },
            );
        }
        for pair in pairs {
            add(&mut hits, n, &[pair], Kind::Pair);
        }
        let mut hits: Vec<Hit> = hits
            .into_values()
            .filter(|h| only.is_none_or(|docs| docs.binary_search(&h.doc).is_ok()))
            .collect();
        let most = hits.iter().map(|h| h.units).max().unwrap_or(0);
        hits.retain(|h| h.units == most);
        hits.sort_by(|a, b| {
            let key = |h: &Hit| {
                (
                    h.units,
                    h.numbers,
                    h.pairs,
                    h.titles,
                    (h.score * 1000.0).round() as i64,
                    h.doc,
                )
            };
            key(b).cmp(&key(a))
        });
        hits
    }
}

/// What a list of postings stands for in a query.
#[derive(Clone, Copy)]
enum Kind {
    /// A unit: whether it counts for the tier, whether it is a number.
    Unit { counts: bool, number: bool },
    /// Two neighbouring units as a phrase.
    Pair,
}

fn add(hits: &mut FxHashMap<u32, Hit>, n: u32, postings: &[Postings], kind: Kind) {
    let n = f64::from(n);
    let idf = |df: u32| {
        let df = f64::from(df);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    };
    // Over a unit's expansions, a document counts once, at its best.
    let mut best: FxHashMap<u32, (u8, f64)> = FxHashMap::default();
    for p in postings {
        let rarity = idf(p.count) / 127.0;
        for (doc, weight) in p.iter() {
            let score = rarity * f64::from(weight & !TITLE);
            let entry = best.entry(doc).or_insert((0, 0.0));
            entry.0 |= weight & TITLE;
            entry.1 = entry.1.max(score);
        }
    }
    for (doc, (title, score)) in best {
        let hit = hits.entry(doc).or_insert(Hit {
            doc,
            units: 0,
            numbers: 0,
            pairs: 0,
            titles: 0,
            score: 0.0,
        });
        match kind {
            Kind::Unit { counts, number } => {
                hit.units += u32::from(counts);
                hit.titles += u32::from(title != 0);
                hit.numbers += u32::from(number && title != 0);
            }
            Kind::Pair => hit.pairs += 1,
        }
        hit.score += score;
    }
}

/// One word or number of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub term: String,
    /// A compound's words, tried each when the index lacks it whole.
    pub parts: Option<Vec<String>>,
    /// Only spaces between this unit and the one before (a phrase).
    pub pairs: bool,
}

/// The units of a query, in order.
pub fn units(query: &str) -> Vec<Unit> {
    let folded = fold(query);
    let mut units: Vec<Unit> = Vec::new();
    for term in terms(&folded) {
        match term {
            Term::Word(w) => units.push(Unit {
                term: w.to_string(),
                parts: None,
                pairs: false,
            }),
            Term::Pair(_) => {
                if let Some(last) = units.last_mut() {
                    last.pairs = true;
                }
            }
            Term::Compound(c) => {
                // The compound takes the place of the words it is made of:
                // its last part, and the compound before it in the run (or
                // the run's first word).
                let Some(last) = units.pop() else { continue };
                let mut parts = match units.pop() {
                    Some(Unit {
                        term,
                        parts: Some(parts),
                        ..
                    }) if c.starts_with(term.as_str()) => parts,
                    Some(first) => vec![first.term],
                    None => Vec::new(),
                };
                parts.push(last.term);
                units.push(Unit {
                    term: c.to_string(),
                    parts: Some(parts),
                    pairs: false,
                });
            }
        }
    }
    units
}

/// Whether `a` and `b` are made of the same letters (two swapped: the
/// likeliest typo, preferred over other words one edit away).
fn same_letters(a: &str, b: &str) -> bool {
    let mut a: Vec<char> = a.chars().collect();
    let mut b: Vec<char> = b.chars().collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Whether `a` and `b` differ by one letter added, removed or changed, or
/// two neighbours swapped.
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short == long || long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let swapped = prefix + 1 < short.len()
            && short[prefix] == long[prefix + 1]
            && short[prefix + 1] == long[prefix]
            && short[prefix + 2..] == long[prefix + 2..];
        swapped || short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_words_and_numbers() {
        let u = units("chi thi 07/2008");
        assert_eq!(u.len(), 3);
        assert_eq!(u[2].term, "07/2008");
        assert_eq!(
            u[2].parts.as_deref(),
            Some(&["07".to_string(), "2008".to_string()][..])
        );
        assert!(u[1].pairs && !u[0].pairs);
        let u = units("Quyết định số 2016/QĐ-BTTTT");
        assert_eq!(u.last().unwrap().term, "2016/qd-btttt");
        assert!(!units("cong, an")[1].pairs);
        let u = units("so 07/2008/CT-BCA(E11)");
        let terms: Vec<&str> = u.iter().map(|u| u.term.as_str()).collect();
        assert_eq!(terms, ["so", "07/2008/ct-bca", "e11"]);
        assert_eq!(u[1].parts.as_ref().unwrap().len(), 4);
    }

    #[test]
    fn one_edit_away() {
        assert!(one_edit("hoach", "hoachh"));
        assert!(one_edit("hoach", "hoch"));
        assert!(one_edit("hoach", "hoaxh"));
        assert!(!one_edit("hoach", "hoach"));
        assert!(one_edit("huong", "huogn"));
        assert!(!one_edit("hoach", "hxaxh"));
    }
}
