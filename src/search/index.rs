//! The inverted index: for every term, the documents that hold it and how
//! much it weighs in each, built from the documents in their order.
//!
//! A posting's weight is worked out when its document is read, BM25F-style:
//! the term's counts in the title, lead and body, each weighted and
//! normalised by the field's length against a fixed pivot, saturated, and
//! quantised to 7 bits; the eighth bit says "in the title or number". The
//! browser multiplies it by the term's rarity (IDF, from the document
//! frequency stored with the term). Fixed pivots instead of the corpus's
//! average lengths keep every weight independent of the other documents,
//! so an edit changes only the postings of the document edited.

use rustc_hash::FxHashMap;

use super::fold::{MAX_TERM, Term, each_term, fold};

/// Title (and directive number and type), lead (summary, abstract, tags),
/// body (visible text, category, issuer, field).
pub const FIELDS: usize = 3;
const WEIGHT: [f64; FIELDS] = [6.0, 3.0, 1.0];
const B: [f64; FIELDS] = [0.3, 0.5, 0.75];
/// Typical lengths in words, for the length normalisation.
const PIVOT: [f64; FIELDS] = [12.0, 40.0, 600.0];
const K1: f64 = 1.2;
/// The weight's bit that marks a hit in the title.
pub const TITLE: u8 = 0x80;

/// One document's text, by field.
pub type Fields = [String; FIELDS];

/// Every this many documents a term's postings keep a mark, where reading
/// may start: finding a document costs at most about this many reads, not
/// the length of the list (what `serve` does for every term of a page it
/// reads again).
const STRIDE: u32 = 64;

/// Entry `i` of a term's postings starts at byte `at` of its deltas, and
/// the document before it is `before` (0 before the first).
#[derive(Debug, Default, Clone, Copy)]
struct Mark {
    i: u32,
    at: u32,
    before: u32,
}

/// A term's postings: document numbers as ascending deltas (LEB128) and
/// one weight byte per document.
#[derive(Debug, Default, Clone)]
pub struct Postings {
    pub count: u32,
    pub last: u32,
    pub deltas: Vec<u8>,
    pub weights: Vec<u8>,
    /// Ascending, kept by every change (none for postings read back from
    /// a shard: reading then starts at the beginning).
    marks: Vec<Mark>,
}

impl Postings {
    /// Postings read back from a shard.
    pub fn from_parts(count: u32, deltas: Vec<u8>, weights: Vec<u8>) -> Postings {
        Postings {
            count,
            last: 0,
            deltas,
            weights,
            marks: Vec::new(),
        }
    }

    /// Adds a document after the last.
    pub fn push(&mut self, doc: u32, weight: u8) {
        let delta = if self.count == 0 {
            doc
        } else {
            doc - self.last
        };
        if self.count > 0 && self.count.is_multiple_of(STRIDE) {
            self.marks.push(Mark {
                i: self.count,
                at: self.deltas.len() as u32,
                before: self.last,
            });
        }
        write_varint(&mut self.deltas, delta);
        self.weights.push(weight);
        self.last = doc;
        self.count += 1;
    }

    /// Where to start reading to find `doc`: an entry, its first byte and
    /// the document before it.
    fn seek(&self, doc: u32) -> (u32, usize, u32) {
        match self.marks.partition_point(|m| m.before < doc) {
            0 => (0, 0, 0),
            k => {
                let m = self.marks[k - 1];
                (m.i, m.at as usize, m.before)
            }
        }
    }

    /// The marks at or after entry `i`.
    fn marks_from(&mut self, i: u32) -> &mut [Mark] {
        let from = self.marks.partition_point(|m| m.i < i);
        &mut self.marks[from..]
    }

    /// Takes `doc` out; whether it was there.
    pub fn remove(&mut self, doc: u32) -> bool {
        let (first, mut at, mut current) = self.seek(doc);
        for i in first..self.count {
            let start = at;
            let Some(delta) = read_varint(&self.deltas, &mut at) else {
                return false;
            };
            current += delta;
            if current > doc {
                return false;
            }
            if current < doc {
                continue;
            }
            let before = current - delta;
            if i + 1 < self.count {
                // The next document's delta takes this one's.
                let mut end = at;
                let next = read_varint(&self.deltas, &mut end).unwrap_or(0);
                let mut merged = Vec::with_capacity(5);
                write_varint(&mut merged, delta + next);
                let shift = merged.len() as i64 - (end - start) as i64;
                self.deltas.splice(start..end, merged);
                // A mark on this entry now marks the next one, which took
                // its place; the marks after it move back.
                for m in self.marks_from(i + 1) {
                    if m.i == i + 1 {
                        *m = Mark {
                            i,
                            at: start as u32,
                            before,
                        };
                    } else {
                        m.i -= 1;
                        m.at = (i64::from(m.at) + shift) as u32;
                    }
                }
                self.marks.dedup_by_key(|m| m.i);
            } else {
                self.deltas.truncate(start);
                self.last = before;
                self.marks.retain(|m| m.i < i);
            }
            self.weights.remove(i as usize);
            self.count -= 1;
            if self.count == 0 {
                self.last = 0;
            }
            return true;
        }
        false
    }

    /// Puts `doc` in its place (or gives it a new weight); whether the
    /// postings changed.
    pub fn insert(&mut self, doc: u32, weight: u8) -> bool {
        if self.count == 0 || doc > self.last {
            self.push(doc, weight);
            return true;
        }
        let (first, mut at, mut current) = self.seek(doc);
        for i in first..self.count {
            let start = at;
            let Some(delta) = read_varint(&self.deltas, &mut at) else {
                return false;
            };
            let previous = current;
            current += delta;
            if current == doc {
                let changed = self.weights[i as usize] != weight;
                self.weights[i as usize] = weight;
                return changed;
            }
            if current > doc {
                let mut two = Vec::with_capacity(10);
                write_varint(&mut two, doc - previous);
                write_varint(&mut two, current - doc);
                let shift = two.len() as i64 - (at - start) as i64;
                self.deltas.splice(start..at, two);
                self.weights.insert(i as usize, weight);
                self.count += 1;
                // A mark on this entry now marks the new one, in its place
                // after the same document; the marks after it move on.
                for m in self.marks_from(i + 1) {
                    m.i += 1;
                    m.at = (i64::from(m.at) + shift) as u32;
                }
                return true;
            }
        }
        false
    }

    /// Adds the postings of later documents after the last.
    pub fn append(&mut self, later: &Postings) {
        if self.count == 0 {
            self.clone_from(later);
            return;
        }
        self.deltas.reserve(later.deltas.len());
        self.weights.reserve(later.weights.len());
        for (doc, weight) in later.iter() {
            self.push(doc, weight);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let mut at = 0;
        let mut doc = 0u32;
        self.weights.iter().enumerate().map(move |(i, &w)| {
            let delta = read_varint(&self.deltas, &mut at).unwrap_or(0);
            doc = if i == 0 { delta } else { doc + delta };
            (doc, w)
        })
    }
}

pub fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
    }
}

/// Every term of one document's folded fields, with its field, handed to
/// `each`; returns the fields' lengths in words. Terms longer than
/// [`MAX_TERM`] are counted in the lengths but not handed on (so a pair
/// handed on always follows the two words it is made of).
fn each_field_term<'a>(
    folded: &'a [String; FIELDS],
    mut each: impl FnMut(usize, Term<'a>),
) -> [usize; FIELDS] {
    let mut lengths = [0usize; FIELDS];
    for (field, text) in folded.iter().enumerate() {
        each_term(text, |term| {
            let text = match term {
                Term::Word(w) => {
                    lengths[field] += 1;
                    w
                }
                Term::Pair(p) => p,
                Term::Compound(c) => c,
            };
            if text.len() <= MAX_TERM {
                each(field, term);
            }
        });
    }
    lengths
}

fn text_of(term: Term<'_>) -> &str {
    match term {
        Term::Word(t) | Term::Pair(t) | Term::Compound(t) => t,
    }
}

fn fold_fields(fields: &Fields) -> [String; FIELDS] {
    [fold(&fields[0]), fold(&fields[1]), fold(&fields[2])]
}

/// One document's folded fields and its terms, each a slice of them
/// (field, start, end) with its weight: no string is copied per term.
pub struct Weighed {
    folded: [String; FIELDS],
    terms: Vec<(u8, u32, u32, u8)>,
}

impl Weighed {
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.terms.iter().map(|&(field, start, end, weight)| {
            (
                &self.folded[field as usize][start as usize..end as usize],
                weight,
            )
        })
    }
}

/// The terms of one document and their weights (what `serve` weighs a
/// page it reads again with; a build uses [`super::segment`], which weighs
/// alike).
pub fn weigh(fields: &Fields) -> Weighed {
    let folded = fold_fields(fields);
    let mut counts: FxHashMap<&str, ([u16; FIELDS], u8, u32)> =
        FxHashMap::with_capacity_and_hasher(2048, Default::default());
    let lengths = each_field_term(&folded, |field, term| {
        let text = text_of(term);
        let start = (text.as_ptr() as usize - folded[field].as_ptr() as usize) as u32;
        let entry = counts
            .entry(text)
            .or_insert(([0; FIELDS], field as u8, start));
        entry.0[field] = entry.0[field].saturating_add(1);
    });
    let factors = factors(&lengths);
    let terms = counts
        .into_iter()
        .map(|(term, (tf, field, start))| {
            let end = start + term.len() as u32;
            (field, start, end, weight(&tf, &factors))
        })
        .collect();
    Weighed { folded, terms }
}

/// What a document's fields' lengths make of each hit: the field's weight
/// over its length normalisation (worked out once per document).
pub(super) fn factors(lengths: &[usize; FIELDS]) -> [f64; FIELDS] {
    std::array::from_fn(|f| WEIGHT[f] / (1.0 - B[f] + B[f] * lengths[f] as f64 / PIVOT[f]))
}

/// A term's weight in a document, from its counts by field and the
/// document's [`factors`].
pub(super) fn weight(tf: &[u16; FIELDS], factors: &[f64; FIELDS]) -> u8 {
    let pseudo = f64::from(tf[0]) * factors[0]
        + f64::from(tf[1]) * factors[1]
        + f64::from(tf[2]) * factors[2];
    // Rounded half up: the level is never negative.
    let level = (127.0 * pseudo / (K1 + pseudo) + 0.5).clamp(1.0, 127.0) as u8;
    if tf[0] > 0 { level | TITLE } else { level }
}

/// Every term with its postings, in the order the browser compares
/// strings (UTF-16 code units), which shards are cut along.
#[derive(Debug, Default)]
pub struct Index {
    pub docs: u32,
    terms: Vec<(String, Postings)>,
}

impl Index {
    /// The index of `docs` documents with these terms, in order.
    pub fn from_sorted(docs: u32, terms: Vec<(String, Postings)>) -> Index {
        Index { docs, terms }
    }

    /// Every term with its postings, in order.
    pub fn into_terms(self) -> impl Iterator<Item = (String, Postings)> {
        self.terms.into_iter()
    }

    pub fn get(&self, term: &str) -> Option<&Postings> {
        self.terms
            .binary_search_by(|(t, _)| utf16_cmp(t, term))
            .ok()
            .map(|i| &self.terms[i].1)
    }

    /// How many terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms in order.
    pub fn sorted(&self) -> Vec<(&str, &Postings)> {
        self.terms.iter().map(|(t, p)| (t.as_str(), p)).collect()
    }
}

pub fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::segment::{Segment, join};

    fn fields(title: &str, lead: &str, body: &str) -> Fields {
        [title.into(), lead.into(), body.into()]
    }

    #[test]
    fn title_hits_weigh_most_and_carry_the_title_bit() {
        let weighed = weigh(&fields(
            "Công an tỉnh",
            "Tin về an ninh",
            "Một hai ba công an",
        ));
        let weighed: FxHashMap<&str, u8> = weighed.iter().collect();
        let title = weighed["cong an"];
        let body_only = weighed["hai ba"];
        assert!(title & TITLE != 0 && body_only & TITLE == 0);
        assert!(title & !TITLE > body_only);
        assert!(weighed["an ninh"] & !TITLE > body_only, "lead above body");
    }

    #[test]
    fn postings_take_documents_out_and_in_at_their_place() {
        let pairs = |p: &Postings| p.iter().collect::<Vec<_>>();
        let mut p = Postings::default();
        for (doc, w) in [(2, 1), (300, 2), (301, 3), (90_000, 4)] {
            p.push(doc, w);
        }
        assert!(p.remove(300));
        assert!(!p.remove(7));
        assert_eq!(pairs(&p), [(2, 1), (301, 3), (90_000, 4)]);
        assert!(p.remove(2));
        assert_eq!(pairs(&p), [(301, 3), (90_000, 4)]);
        assert!(p.remove(90_000));
        assert_eq!((pairs(&p), p.last), (vec![(301, 3)], 301));
        p.insert(5, 9);
        p.insert(400, 8);
        p.insert(301, 7);
        p.insert(200, 6);
        assert_eq!(pairs(&p), [(5, 9), (200, 6), (301, 7), (400, 8)]);
        let mut same = Postings::default();
        for (doc, w) in pairs(&p) {
            same.push(doc, w);
        }
        assert_eq!(
            (same.deltas, same.weights, same.last),
            (p.deltas.clone(), p.weights.clone(), p.last)
        );
        for doc in [5, 200, 301, 400] {
            assert!(p.remove(doc));
        }
        assert_eq!((p.count, p.last, p.deltas.len()), (0, 0, 0));
    }

    /// Inserts and removes anywhere in postings long enough to have marks
    /// agree with a plain sorted map, and leave marks that still find
    /// every document.
    #[test]
    fn marks_follow_inserts_and_removes() {
        let mut model = std::collections::BTreeMap::new();
        let mut p = Postings::default();
        for doc in (0..2_000u32).step_by(3) {
            p.push(doc, (doc % 100) as u8 + 1);
            model.insert(doc, (doc % 100) as u8 + 1);
        }
        let mut seed = 7u64;
        for step in 0..4_000u32 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            // Numbers past 128 and 16,384 take two and three bytes.
            let doc = ((seed >> 33) % 20_000) as u32;
            let weight = (step % 120) as u8 + 1;
            if seed & 1 == 0 {
                let changed = p.insert(doc, weight);
                assert_eq!(changed, model.insert(doc, weight) != Some(weight));
            } else {
                assert_eq!(p.remove(doc), model.remove(&doc).is_some(), "{doc}");
            }
        }
        let pairs: Vec<(u32, u8)> = p.iter().collect();
        let expected: Vec<(u32, u8)> = model.iter().map(|(&d, &w)| (d, w)).collect();
        assert_eq!(pairs, expected);
        assert_eq!(p.count as usize, model.len());
        assert!(p.marks.len() >= 5, "{}", p.marks.len());
        for &(doc, weight) in &expected {
            assert!(!p.insert(doc, weight), "{doc} found where it is");
        }
        for m in &p.marks {
            let mut at = m.at as usize;
            let delta = read_varint(&p.deltas, &mut at).unwrap();
            assert_eq!(expected[m.i as usize - 1].0, m.before);
            assert_eq!(expected[m.i as usize].0, m.before + delta);
        }
    }

    #[test]
    fn postings_round_trip() {
        let mut segment = Segment::new(0);
        segment.add_weighed([("a", 5)]);
        segment.add_weighed([("b", 6)]);
        segment.add_weighed([("a", 7), ("b", 200)]);
        let index = join(vec![segment]);
        let a: Vec<_> = index.get("a").unwrap().iter().collect();
        assert_eq!(a, [(0, 5), (2, 7)]);
        let mut bytes = Vec::new();
        write_varint(&mut bytes, 300_000);
        assert_eq!(read_varint(&bytes, &mut 0), Some(300_000));
    }
}
