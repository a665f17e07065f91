//! Building the index from documents in their order: the build's way
//! (`serve` updates a page at a time with [`super::index::weigh`]).
//!
//! A build cuts its documents into a few runs of consecutive documents,
//! one *segment* each, fills the segments in parallel and joins them.
//! A segment looks every term up once per occurrence, in the one map that
//! holds both the term's postings and its counts in the document being
//! read; and it folds and splits each piece of text between white space
//! once (Vietnamese repeats its syllables: most of a document is looked
//! up, not folded again). Its terms are exactly those of folding each
//! field whole and splitting it (the unit tests compare both ways).

use rustc_hash::FxHashMap;

use super::fold::{MAX_PARTS, MAX_TERM, fold, runs, space_at};
use super::index::{FIELDS, Fields, Index, Postings, factors, utf16_cmp, weight};

/// The index of the documents of `segments`, which follow one another
/// in this order.
pub fn join(segments: Vec<Segment>) -> Index {
    use rayon::prelude::*;
    let docs = segments.iter().map(|s| s.docs).sum();
    let sorted: Vec<Vec<(String, Postings)>> =
        segments.into_par_iter().map(Segment::into_sorted).collect();
    Index::from_sorted(docs, merge(sorted))
}

/// The postings of a run of consecutive documents, built as they are
/// read: a term is looked up once per occurrence, in the one map that
/// holds both its postings and its counts in the document being read, so
/// no document needs a map of its own. A build cuts its documents into a
/// few segments, fills them in parallel and joins them ([`join`]).
pub struct Segment {
    first: u32,
    docs: u32,
    /// Words and compounds.
    slots: FxHashMap<Box<str>, u32>,
    /// Pairs, by the slots of their two words (first in the high half):
    /// no pair's text is hashed.
    pairs: FxHashMap<u64, u32>,
    postings: Vec<Postings>,
    /// By slot: the term's counts by field in the document being read,
    /// and which document that is (its number in the segment plus one).
    counts: Vec<([u16; FIELDS], u32)>,
    /// The slots the document being read holds.
    touched: Vec<u32>,
    /// Every piece of text between white space read so far, as written,
    /// folded and split once: Vietnamese repeats its syllables, so most
    /// of a document is looked up here instead of folded again.
    chunks: Chunks,
}

/// The pieces of text read: those of up to 15 bytes (most syllables) by
/// their bytes in one number, so that a look-up compares no memory
/// elsewhere; the longer by their bytes.
#[derive(Default)]
struct Chunks {
    short: FxHashMap<u128, Chunk>,
    long: FxHashMap<Box<[u8]>, Chunk>,
}

/// The bytes `from..to` of `bytes` and their length as one number, if
/// they are 15 or fewer. Read with one load of the 16 bytes at `from`
/// where the text has them (most pieces), the bytes past `to` masked:
/// copying a short piece into a buffer byte by byte and reading the
/// buffer back as one number stalls the load (`Segment::add` was a
/// fifth faster this way).
fn short_key(bytes: &[u8], from: usize, to: usize) -> Option<u128> {
    let len = to.checked_sub(from)?;
    if len > 15 {
        return None;
    }
    let window = bytes
        .get(from..from + 16)
        .and_then(|w| <[u8; 16]>::try_from(w).ok());
    let number = match window {
        Some(window) => u128::from_le_bytes(window) & ((1u128 << (8 * len)) - 1),
        None => {
            let mut key = [0u8; 16];
            key.get_mut(..len)?.copy_from_slice(bytes.get(from..to)?);
            u128::from_le_bytes(key)
        }
    };
    Some(number | ((len as u128) << 120))
}

/// What a piece of text between white space gives ([`Segment::chunk`]).
#[derive(Default)]
struct Chunk {
    /// The slots of its words and compounds, and of the pairs inside it:
    /// the first two here (most pieces are a word), the rest in `more`.
    terms: [u32; 2],
    inline: u8,
    more: Box<[u32]>,
    /// How many words, long ones included.
    words: u32,
    /// Its first word, when it starts with one that pairs with the word
    /// before (a run of one word, nothing before it): slot and length
    /// (lengths past 255 are 255: only whether a pair is short enough to
    /// be a term is asked).
    lead: Option<(u32, u8)>,
    /// Its last word, when the next chunk's first may pair with it (a run
    /// of one word, nothing after it).
    tail: Option<(u32, u8)>,
    /// It folds to nothing (a lone mark) and changes nothing around it.
    empty: bool,
}

impl Chunk {
    fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        let inline = self.terms.get(..usize::from(self.inline)).unwrap_or(&[]);
        inline.iter().chain(self.more.iter()).copied()
    }
}

fn short_len(len: usize) -> u8 {
    len.min(255) as u8
}

/// A word's slot, [`u32::MAX`] for a word too long to be a term.
const LONG: u32 = u32::MAX;

impl Segment {
    /// A segment whose first document is number `first`.
    pub fn new(first: u32) -> Segment {
        Segment {
            first,
            docs: 0,
            slots: FxHashMap::default(),
            pairs: FxHashMap::default(),
            postings: Vec::new(),
            counts: Vec::new(),
            touched: Vec::new(),
            chunks: Chunks::default(),
        }
    }

    fn new_slot(&mut self) -> u32 {
        self.postings.push(Postings::default());
        self.counts.push(([0; FIELDS], 0));
        (self.postings.len() - 1) as u32
    }

    fn slot(&mut self, term: &str) -> u32 {
        if let Some(&slot) = self.slots.get(term) {
            return slot;
        }
        let slot = self.new_slot();
        self.slots.insert(term.into(), slot);
        slot
    }

    fn pair_slot(&mut self, words: (u32, u32)) -> u32 {
        let key = (u64::from(words.0) << 32) | u64::from(words.1);
        if let Some(&slot) = self.pairs.get(&key) {
            return slot;
        }
        let slot = self.new_slot();
        self.pairs.insert(key, slot);
        slot
    }

    /// Adds the next document, weighed as [`super::index::weigh`] weighs it (the
    /// same terms as folding each field whole and splitting it, the
    /// chunks' terms end to end with the pairs across white space).
    pub fn add(&mut self, fields: &Fields) {
        let stamp = self.docs + 1;
        let mut lengths = [0usize; FIELDS];
        let mut chunks = std::mem::take(&mut self.chunks);
        for (field, text) in fields.iter().enumerate() {
            let bytes = text.as_bytes();
            // The word before, when only white space lies after it.
            let mut tail: Option<(u32, u8)> = None;
            let mut i = 0;
            while i < bytes.len() {
                let space = space_at(text, i);
                if space > 0 {
                    i += space;
                    continue;
                }
                let start = i;
                while let Some(&byte) = bytes.get(i) {
                    // Bytes that cannot start white space, skipped whole.
                    if byte > b' ' && byte < 0x80 {
                        i += 1;
                        continue;
                    }
                    if space_at(text, i) > 0 {
                        break;
                    }
                    i += match byte {
                        0xf0.. => 4,
                        0xe0.. => 3,
                        0xc0.. => 2,
                        _ => 1,
                    };
                }
                i = i.min(bytes.len());
                let Some(raw) = text.get(start..i) else {
                    break;
                };
                let chunk = match short_key(bytes, start, i) {
                    Some(key) => match chunks.short.get(&key) {
                        Some(chunk) => chunk,
                        None => {
                            let chunk = self.chunk(raw);
                            chunks.short.entry(key).or_insert(chunk)
                        }
                    },
                    None => match chunks.long.get(raw.as_bytes()) {
                        Some(chunk) => chunk,
                        None => {
                            let chunk = self.chunk(raw);
                            chunks.long.entry(raw.as_bytes().into()).or_insert(chunk)
                        }
                    },
                };
                if chunk.empty {
                    continue;
                }
                if let (Some(before), Some(first)) = (tail, chunk.lead)
                    && usize::from(before.1) + 1 + usize::from(first.1) <= MAX_TERM
                {
                    let slot = self.pair_slot((before.0, first.0));
                    self.count(slot, field, stamp);
                }
                for slot in chunk.slots() {
                    self.count(slot, field, stamp);
                }
                lengths[field] += chunk.words as usize;
                tail = chunk.tail;
            }
        }
        self.chunks = chunks;
        let doc = self.first + self.docs;
        let factors = factors(&lengths);
        for slot in self.touched.drain(..) {
            let tf = self.counts[slot as usize].0;
            self.postings[slot as usize].push(doc, weight(&tf, &factors));
        }
        self.docs += 1;
    }

    #[inline]
    fn count(&mut self, slot: u32, field: usize, stamp: u32) {
        let counts = &mut self.counts[slot as usize];
        if counts.1 != stamp {
            *counts = ([0; FIELDS], stamp);
            self.touched.push(slot);
        }
        counts.0[field] = counts.0[field].saturating_add(1);
    }

    /// A piece of text between white space, folded and split.
    fn chunk(&mut self, raw: &str) -> Chunk {
        let folded = fold(raw);
        if folded.is_empty() {
            return Chunk {
                empty: true,
                ..Chunk::default()
            };
        }
        let mut terms = Vec::new();
        let mut words = 0;
        let mut lead = None;
        // The previous run's word when it was one alone, and where the
        // last run ended.
        let mut previous: Option<(u32, usize)> = None;
        let mut end = (0, false);
        runs(&folded, |parts, joined| {
            let single = parts.len() == 1;
            let first = parts[0].0;
            for (n, &(from, to)) in parts.iter().enumerate() {
                words += 1;
                let word = &folded[from..to];
                let slot = if word.len() <= MAX_TERM {
                    let slot = self.slot(word);
                    terms.push(slot);
                    slot
                } else {
                    LONG
                };
                if single {
                    if joined
                        && let Some(before) = previous
                        && before.1 + 1 + word.len() <= MAX_TERM
                    {
                        terms.push(self.pair_slot((before.0, slot)));
                    }
                    if from == 0 {
                        lead = Some((slot, word.len()));
                    }
                    previous = Some((slot, word.len()));
                }
                if n > 0 && n < MAX_PARTS && to - first <= MAX_TERM {
                    terms.push(self.slot(&folded[first..to]));
                }
            }
            if !single {
                previous = None;
            }
            end = (parts[parts.len() - 1].1, single);
        });
        let tail = if end == (folded.len(), true) {
            previous
        } else {
            None
        };
        let inline = terms.len().min(2);
        let mut first = [0u32; 2];
        first[..inline].copy_from_slice(&terms[..inline]);
        Chunk {
            terms: first,
            inline: inline as u8,
            more: terms[inline..].into(),
            words,
            lead: lead.map(|(slot, len)| (slot, short_len(len))),
            tail: tail.map(|(slot, len)| (slot, short_len(len))),
            empty: false,
        }
    }

    /// Adds the next document with terms already weighed.
    pub fn add_weighed<'t>(&mut self, terms: impl IntoIterator<Item = (&'t str, u8)>) {
        let doc = self.first + self.docs;
        for (term, weight) in terms {
            let slot = self.slot(term) as usize;
            self.postings[slot].push(doc, weight);
        }
        self.docs += 1;
    }

    /// How many documents it holds.
    pub fn len(&self) -> u32 {
        self.docs
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Its terms with their postings, in the index's order.
    fn into_sorted(self) -> Vec<(String, Postings)> {
        let mut names: Vec<String> = vec![String::new(); self.postings.len()];
        for (term, slot) in self.slots {
            names[slot as usize] = term.into_string();
        }
        for (key, slot) in self.pairs {
            let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
            // A pair always follows its two words ([`each_field_term`]).
            let word = |w: usize| names.get(w).map_or("", String::as_str);
            let pair = format!("{} {}", word(a), word(b));
            names[slot as usize] = pair;
        }
        let mut terms: Vec<(String, Postings)> = names.into_iter().zip(self.postings).collect();
        terms.sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));
        terms
    }
}

/// Lists of terms, each sorted, of documents that follow one another:
/// one sorted list, where a term in several has their postings end to end.
fn merge(mut lists: Vec<Vec<(String, Postings)>>) -> Vec<(String, Postings)> {
    if lists.len() == 1 {
        return lists.pop().unwrap_or_default();
    }
    let total = lists.iter().map(Vec::len).max().unwrap_or(0);
    let mut out: Vec<(String, Postings)> = Vec::with_capacity(total + total / 4);
    // Where each list is read up to.
    let mut at = vec![0usize; lists.len()];
    loop {
        // The least term at the head of a list; lists are in document
        // order, so the first holding it comes first.
        let mut least: Option<(usize, &str)> = None;
        for (k, list) in lists.iter().enumerate() {
            let Some((term, _)) = list.get(at[k]) else {
                continue;
            };
            if least.is_none_or(|(_, best)| utf16_cmp(term, best) == std::cmp::Ordering::Less) {
                least = Some((k, term));
            }
        }
        let Some((first, _)) = least else {
            return out;
        };
        let (term, mut postings) = std::mem::take(&mut lists[first][at[first]]);
        at[first] += 1;
        for k in first + 1..lists.len() {
            if let Some((t, more)) = lists[k].get(at[k])
                && *t == term
            {
                postings.append(more);
                at[k] += 1;
            }
        }
        out.push((term, postings));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::weigh;

    fn fields(title: &str, lead: &str, body: &str) -> Fields {
        [title.into(), lead.into(), body.into()]
    }

    /// A piece's key is its bytes and its length, read in one load or
    /// copied (at the end of the text) alike.
    #[test]
    fn short_keys_are_the_bytes_and_the_length() {
        let bytes = "Công an tỉnh Đồng Nai, 07/2008/CT-BCA".as_bytes();
        for from in 0..bytes.len() {
            for to in from..=bytes.len() {
                let expected = (to - from <= 15).then(|| {
                    let mut key = [0u8; 16];
                    key[..to - from].copy_from_slice(&bytes[from..to]);
                    key[15] = (to - from) as u8;
                    u128::from_le_bytes(key)
                });
                assert_eq!(short_key(bytes, from, to), expected, "{from}..{to}");
            }
        }
    }

    /// Documents read in segments give the index one segment would, with
    /// the weights [`weigh`] gives each document alone.
    #[test]
    fn segments_join_as_one_and_weigh_as_weigh() {
        let docs: Vec<Fields> = (0..300)
            .map(|n| {
                fields(
                    &format!("Công an tỉnh {n}"),
                    if n % 3 == 0 {
                        "Đường Hồ Chí Minh"
                    } else {
                        ""
                    },
                    &format!("Số {n}/2024/QĐ-BCA về an ninh. Từ {} và {}", n % 7, n % 11),
                )
            })
            .collect();
        let mut whole = Segment::new(0);
        for doc in &docs {
            whole.add(doc);
        }
        let mut parts = Vec::new();
        for (k, chunk) in docs.chunks(70).enumerate() {
            let mut segment = Segment::new(70 * k as u32);
            for doc in chunk {
                segment.add(doc);
            }
            parts.push(segment);
        }
        let whole = join(vec![whole]);
        let joined = join(parts);
        assert_eq!(whole.docs, 300);
        assert_eq!(joined.docs, 300);
        let pairs = |index: &Index| -> Vec<(String, Vec<(u32, u8)>)> {
            index
                .sorted()
                .into_iter()
                .map(|(t, p)| (t.to_string(), p.iter().collect()))
                .collect()
        };
        assert_eq!(pairs(&whole), pairs(&joined));
        for (n, doc) in docs.iter().enumerate() {
            for (term, weight) in weigh(doc).iter() {
                let postings = joined.get(term).unwrap();
                assert!(postings.iter().any(|p| p == (n as u32, weight)), "{term}");
            }
        }
        // Marks of joined postings find every document.
        let common = joined.get("cong an").unwrap().clone();
        let mut copy = common.clone();
        for (doc, weight) in common.iter() {
            assert!(!copy.insert(doc, weight));
        }
        assert!(copy.remove(299) && copy.remove(64) && copy.remove(0));
        assert_eq!(copy.count, 297);
    }
}
