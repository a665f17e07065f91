//! The index as files the browser fetches piece by piece.
//!
//! Terms are sorted (as the browser compares strings) and cut into shards
//! at terms chosen by their own bytes ([`starts_shard`]): a term whose hash
//! falls in one of [`CUT_EVERY`] buckets starts a shard, and a very common
//! word, whose postings alone pass [`OWN_SHARD_BYTES`], has a shard to
//! itself. Whether a term starts a shard depends only on it and the term
//! before it, never on the rest of the index, so an edit under `serve`
//! changes the shards around the terms it touched and no other
//! ([`super::live`]), and gives the same files a whole build would.
//! `meta.json` lists the first term of each shard; the shard's file is
//! `s/<first term's UTF-8 bytes in hex>.bin` ([`file_name`]), so a query
//! fetches only the shards its words fall in. A shard is binary, read in
//! `search.js` and [`super::query`]:
//!
//! ```text
//! count                                   LEB128
//! count × (shared, suffix length, suffix bytes, df, deltas length)
//! count × deltas                          document numbers, ascending, as deltas
//! count × weights                         one byte per posting (see index.rs)
//! ```
//!
//! Terms are front-coded against the one before; postings are stored
//! column by column so that gzip (nginx `gzip_types`) finds the runs.

use std::fmt::Write;

use super::index::{Postings, TITLE, read_varint, write_varint};

/// On average one term in this many starts a shard: about 16 KiB of
/// postings before compression at 10,000 articles.
pub const CUT_EVERY: u64 = 48;
/// A term whose postings pass this has a shard to itself.
pub const OWN_SHARD_BYTES: usize = 8 * 1024;

/// Whether a term is in more than half of the documents (as "số", "về",
/// "của" are): such a term does not decide which results come first (see
/// [`super::query`]), and its shard keeps of its weights only whether each
/// hit is in the title, at level 1. Its rarity weighs it near nothing in
/// any score, and a constant column is what gzip shrinks most: a common
/// word's postings at 100,000 documents cross the wire in a fifth of the
/// bytes.
pub fn common(df: u32, docs: u32) -> bool {
    u64::from(df) * 2 > u64::from(docs)
}

/// A weight as a shard holds it (see [`common`]).
fn stored(weight: u8, common: bool) -> u8 {
    if common { (weight & TITLE) | 1 } else { weight }
}

/// The bytes a term's postings take in a shard.
fn size(postings: &Postings) -> usize {
    postings.deltas.len() + postings.weights.len()
}

/// Whether `term` starts a shard, given the term before it.
pub fn starts_shard(before: Option<(&str, &Postings)>, term: &str, postings: &Postings) -> bool {
    let Some((_, before)) = before else {
        return true;
    };
    if size(postings) >= OWN_SHARD_BYTES || size(before) >= OWN_SHARD_BYTES {
        return true;
    }
    xxhash_rust::xxh3::xxh3_64(term.as_bytes()).is_multiple_of(CUT_EVERY)
}

/// The file of the shard that starts at `first`, under the search folder.
pub fn file_name(first: &str) -> String {
    let mut name = String::with_capacity(first.len() * 2 + 6);
    name.push_str("s/");
    for byte in first.bytes() {
        let _ = write!(name, "{byte:02x}");
    }
    name.push_str(".bin");
    name
}

/// The shards' first terms and their bytes, for an index of `docs`
/// documents.
pub fn cut(terms: &[(&str, &Postings)], docs: u32) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut firsts = Vec::new();
    let mut shards = Vec::new();
    let mut start = 0;
    for i in 0..terms.len() {
        let before = i.checked_sub(1).map(|b| terms[b]);
        if i > start && starts_shard(before, terms[i].0, terms[i].1) {
            firsts.push(terms[start].0.to_string());
            shards.push(encode(&terms[start..i], docs));
            start = i;
        }
    }
    if start < terms.len() {
        firsts.push(terms[start].0.to_string());
        shards.push(encode(&terms[start..], docs));
    }
    (firsts, shards)
}

/// A shard's bytes, for an index of `docs` documents.
pub fn encode(terms: &[(&str, &Postings)], docs: u32) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, terms.len() as u32);
    let mut previous: &str = "";
    for (term, postings) in terms {
        let shared = previous
            .bytes()
            .zip(term.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Never split a character: the browser decodes each suffix alone.
        let shared = (0..=shared)
            .rev()
            .find(|&n| term.is_char_boundary(n))
            .unwrap_or(0);
        write_varint(&mut out, shared as u32);
        write_varint(&mut out, (term.len() - shared) as u32);
        out.extend_from_slice(&term.as_bytes()[shared..]);
        write_varint(&mut out, postings.count);
        write_varint(&mut out, postings.deltas.len() as u32);
        previous = term;
    }
    for (_, postings) in terms {
        out.extend_from_slice(&postings.deltas);
    }
    for (_, postings) in terms {
        let common = common(postings.count, docs);
        out.extend(postings.weights.iter().map(|&w| stored(w, common)));
    }
    out
}

/// A shard read back: its terms and their postings.
pub fn decode(bytes: &[u8]) -> Option<Vec<(String, Postings)>> {
    let mut at = 0;
    let count = read_varint(bytes, &mut at)? as usize;
    let mut heads = Vec::with_capacity(count);
    let mut previous = String::new();
    for _ in 0..count {
        let shared = read_varint(bytes, &mut at)? as usize;
        let length = read_varint(bytes, &mut at)? as usize;
        let suffix = std::str::from_utf8(bytes.get(at..at + length)?).ok()?;
        at += length;
        let mut term = previous.get(..shared)?.to_string();
        term.push_str(suffix);
        let df = read_varint(bytes, &mut at)?;
        let deltas = read_varint(bytes, &mut at)? as usize;
        previous = term.clone();
        heads.push((term, df, deltas));
    }
    let mut out = Vec::with_capacity(count);
    let mut weights_at = at + heads.iter().map(|h| h.2).sum::<usize>();
    for (term, df, deltas) in heads {
        let postings = Postings::from_parts(
            df,
            bytes.get(at..at + deltas)?.to_vec(),
            bytes.get(weights_at..weights_at + df as usize)?.to_vec(),
        );
        at += deltas;
        weights_at += df as usize;
        out.push((term, postings));
    }
    Some(out)
}

/// A list of document numbers (a filter's): count, then ascending deltas.
pub fn encode_docs(docs: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, docs.len() as u32);
    let mut last = 0;
    for (i, &doc) in docs.iter().enumerate() {
        write_varint(&mut out, if i == 0 { doc } else { doc - last });
        last = doc;
    }
    out
}

pub fn decode_docs(bytes: &[u8]) -> Option<Vec<u32>> {
    let mut at = 0;
    let count = read_varint(bytes, &mut at)?;
    let mut docs = Vec::with_capacity(count as usize);
    let mut doc = 0;
    for i in 0..count {
        let delta = read_varint(bytes, &mut at)?;
        doc = if i == 0 { delta } else { doc + delta };
        docs.push(doc);
    }
    Some(docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::segment::{Segment, join};

    #[test]
    fn shards_round_trip_and_cover_every_term() {
        let mut segment = Segment::new(0);
        for doc in 0..3000u32 {
            let own = format!("từ{}", doc % 700);
            let common = if doc % 10 == 0 { TITLE | 40 } else { 3 };
            segment.add_weighed([("chung", common), (own.as_str(), 9)]);
        }
        let index = join(vec![segment]);
        let sorted = index.sorted();
        let (firsts, shards) = cut(&sorted, 3000);
        assert!(shards.len() > 1, "{} shards", shards.len());
        let mut back = Vec::new();
        for (first, shard) in firsts.iter().zip(&shards) {
            let terms = decode(shard).unwrap();
            assert_eq!(&terms[0].0, first);
            back.extend(terms);
        }
        assert_eq!(back.len(), sorted.len());
        for ((term, postings), (want, original)) in back.iter().zip(&sorted) {
            assert_eq!(term, want);
            // A word in every document keeps only its title bit.
            let common = term == "chung";
            let stored: Vec<(u32, u8)> = if common {
                original.iter().map(|(d, w)| (d, (w & TITLE) | 1)).collect()
            } else {
                original.iter().collect()
            };
            assert_eq!(postings.iter().collect::<Vec<_>>(), stored);
            assert_eq!(common, super::common(postings.count, 3000));
        }
        let chung = back.iter().find(|(t, _)| t == "chung").unwrap();
        assert_eq!(chung.1.iter().filter(|&(_, w)| w == TITLE | 1).count(), 300);
        assert_eq!(
            decode_docs(&encode_docs(&[3, 9, 400])),
            Some(vec![3, 9, 400])
        );
    }
}
