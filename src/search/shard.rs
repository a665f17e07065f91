//! The index as files the browser fetches piece by piece.
//!
//! Terms are sorted (as the browser compares strings) and cut into shards
//! of about [`SHARD_BYTES`]; `meta.json` lists the first term of each, so a
//! query fetches only the shards its words fall in (a very common word,
//! whose postings alone pass the size, has a shard to itself). A shard is
//! binary, read in `search.js` and [`super::query`]:
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

use super::index::{Postings, read_varint, write_varint};

/// The size a shard is cut at, before compression.
pub const SHARD_BYTES: usize = 16 * 1024;

/// The shards' first terms and their bytes.
pub fn cut(terms: &[(&str, &Postings)]) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut firsts = Vec::new();
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (term, postings)) in terms.iter().enumerate() {
        size += term.len() + postings.deltas.len() + postings.weights.len() + 6;
        if size >= SHARD_BYTES || i + 1 == terms.len() {
            firsts.push(terms[start].0.to_string());
            shards.push(encode(&terms[start..=i]));
            start = i + 1;
            size = 0;
        }
    }
    (firsts, shards)
}

fn encode(terms: &[(&str, &Postings)]) -> Vec<u8> {
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
        out.extend_from_slice(&postings.weights);
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
        let postings = Postings {
            count: df,
            last: 0,
            deltas: bytes.get(at..at + deltas)?.to_vec(),
            weights: bytes.get(weights_at..weights_at + df as usize)?.to_vec(),
        };
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
    use crate::search::index::Index;

    #[test]
    fn shards_round_trip_and_cover_every_term() {
        let mut index = Index::default();
        for doc in 0..3000u32 {
            let own = format!("từ{}", doc % 700);
            index.add([("chung", 3), (own.as_str(), 9)]);
        }
        let sorted = index.sorted();
        let (firsts, shards) = cut(&sorted);
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
            assert_eq!(
                postings.iter().collect::<Vec<_>>(),
                original.iter().collect::<Vec<_>>()
            );
        }
        assert_eq!(
            decode_docs(&encode_docs(&[3, 9, 400])),
            Some(vec![3, 9, 400])
        );
    }
}
