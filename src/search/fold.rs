//! Vietnamese folding and the split of text into search terms.
//!
//! The browser runs the same two functions (`search.js`: `fold` and
//! `terms`), and `tests/search.rs` runs both over one list of strings, so a
//! word is folded and split alike when it is indexed and when it is typed.
//!
//! **Folding**: lower case, then canonical decomposition (NFD), then every
//! combining mark dropped, then `đ` → `d` (U+0111 has no decomposition,
//! which is why NFD alone never finds "đường" from "duong"), and the Greek
//! final sigma made an ordinary one (JavaScript lowers a whole string with
//! the final-sigma rule; Rust's per-letter lowering does not).
//!
//! **Words**: a run of letters and digits, where `/`, `-` and `.` between
//! two of them, and `,` between two digits, keep the run together, so that
//! document numbers stay whole: "07/2008/CT-BCA(E11)" is the words `07`,
//! `2008`, `ct`, `bca` (then `e11`), and also the *compounds* `07/2008`,
//! `07/2008/ct`, `07/2008/ct-bca`: what a citizen types ("chi thi 07/2008",
//! "2016/QĐ-BTTTT") is a term of the index as written.
//!
//! **Phrases**: Vietnamese words are made of syllables written apart
//! ("công an" is one word), so two syllables next to each other, with only
//! spaces between them, are also indexed together as a *pair* term
//! (`cong an`). Punctuation between them (a comma, a full stop) breaks the
//! pair; the parts of a compound make no pairs.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Terms longer than this (in bytes) are not indexed: long runs are URLs,
/// hashes and code, not words anyone searches for.
pub const MAX_TERM: usize = 40;
/// A compound of more parts than this gives compounds of its first parts
/// only.
pub const MAX_PARTS: usize = 6;

/// `text` folded for search: "Đường  Hồ Chí Minh" → "duong ho chi minh";
/// every run of white space is one space, none at either end.
pub fn fold(text: &str) -> String {
    let bytes = text.as_bytes();
    let latin = &*FOLDED_LATIN;
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        // ASCII, most of any text, a byte at a time.
        if byte < 0x80 {
            i += 1;
            if matches!(byte, b' ' | b'\t'..=b'\r') {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(byte.to_ascii_lowercase());
            continue;
        }
        let (code, width) = decode(bytes, i);
        i += width;
        // Vietnamese letters: looked up, and never white space.
        if LATIN.contains(&code)
            && code != 0x1680
            && let Some(&(len, folded)) = latin.get((code - LATIN.start()) as usize)
            && len <= 2
        {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            match len {
                1 => {
                    out.push(folded[0]);
                    space = false;
                }
                2 => {
                    out.extend_from_slice(&folded[..2]);
                    space = false;
                }
                // A mark alone: nothing, and the space waits for a letter.
                _ => {
                    if space && !out.is_empty() {
                        out.pop();
                    }
                }
            }
            continue;
        }
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let before = out.len();
        if space && before > 0 {
            out.push(b' ');
        }
        let letter = out.len();
        push_folded(c, &mut out, latin);
        if out.len() > letter {
            space = false;
        } else {
            // A lone mark folds to nothing: the space waits for a letter.
            out.truncate(before);
        }
    }
    // Only whole characters were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// The code point of the character starting at byte `at` of valid UTF-8,
/// and its length.
fn decode(bytes: &[u8], at: usize) -> (u32, usize) {
    let byte = |k: usize| u32::from(bytes.get(at + k).copied().unwrap_or(0) & 0x3f);
    let first = u32::from(bytes.get(at).copied().unwrap_or(0));
    match first {
        0..=0x7f => (first, 1),
        0x80..=0xdf => (((first & 0x1f) << 6) | byte(1), 2),
        0xe0..=0xef => (((first & 0x0f) << 12) | (byte(1) << 6) | byte(2), 3),
        _ => (
            ((first & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
            4,
        ),
    }
}

/// The letters of Vietnamese and its neighbours (Latin-1 to Latin
/// Extended Additional), folded once: most of a Vietnamese text's
/// non-ASCII letters, looked up instead of decomposed one by one.
const LATIN: std::ops::RangeInclusive<u32> = 0xC0..=0x1EFF;

/// A Latin letter folded, as UTF-8: its length and bytes.
type Folded = (u8, [u8; 8]);

static FOLDED_LATIN: std::sync::LazyLock<Vec<Folded>> = std::sync::LazyLock::new(|| {
    LATIN
        .map(|code| {
            let mut folded = String::new();
            if let Some(c) = char::from_u32(code) {
                push_decomposed(c, &mut folded);
            }
            let mut bytes = [0u8; 8];
            match bytes.get_mut(..folded.len()) {
                Some(room) => {
                    room.copy_from_slice(folded.as_bytes());
                    (folded.len() as u8, bytes)
                }
                // Does not happen in this range; marked for the slow path.
                None => (u8::MAX, bytes),
            }
        })
        .collect()
});

fn push_folded(c: char, out: &mut Vec<u8>, latin: &[Folded]) {
    let code = c as u32;
    if LATIN.contains(&code)
        && let Some(&(len, bytes)) = latin.get((code - LATIN.start()) as usize)
        && let Some(folded) = bytes.get(..usize::from(len))
    {
        out.extend_from_slice(folded);
        return;
    }
    let mut folded = String::new();
    push_decomposed(c, &mut folded);
    out.extend_from_slice(folded.as_bytes());
}

fn push_decomposed(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        decompose_canonical(lower, |part| {
            if !is_combining_mark(part) {
                out.push(match part {
                    'đ' => 'd',
                    'ς' => 'σ',
                    other => other,
                });
            }
        });
    }
}

/// A letter or a digit: JavaScript's `[\p{Alphabetic}\p{N}]`.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// What [`terms`] finds in a text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term<'a> {
    Word(&'a str),
    /// The word just before and this one, as one term: "cong an".
    Pair(&'a str),
    /// A compound of the words just before it ("07/2008", "2016/qd-btttt").
    Compound(&'a str),
}

/// Splits folded text into its words, pairs and compounds. Call it on
/// the output of [`fold`] (pairs are slices of it: one space between).
pub fn terms(folded: &str) -> Vec<Term<'_>> {
    let mut out = Vec::with_capacity(folded.len() / 3);
    each_term(folded, |term| out.push(term));
    out
}

/// The character at byte `at` of `text` and its length in bytes; folded
/// text is mostly ASCII, read a byte at a time.
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte < 0x80 {
        return Some((char::from(byte), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

fn is_word_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => char_at(text, at).is_some_and(|(c, _)| is_word_char(c)),
        None => false,
    }
}

/// What [`terms`] returns, handed to `each` one by one, in order, with no
/// list made: what the index is built with.
pub fn each_term<'a>(folded: &'a str, mut each: impl FnMut(Term<'a>)) {
    // Where the previous run's word starts.
    let mut previous = 0;
    runs(folded, |parts, joined| {
        let compound = parts.len() > 1;
        let first = parts[0].0;
        for (n, &(from, to)) in parts.iter().enumerate() {
            each(Term::Word(&folded[from..to]));
            if joined && !compound {
                each(Term::Pair(&folded[previous..to]));
            }
            if n > 0 && n < MAX_PARTS && to - first <= MAX_TERM {
                each(Term::Compound(&folded[first..to]));
            }
        }
        previous = first;
    });
}

/// Every *run* of folded text, in order: words joined by single joiners
/// (`/`, `-`, `.`, and `,` between digits), as the byte ranges of its
/// words, with whether only spaces lie between it and the run before,
/// and that run was a single word (so that the two make a pair).
pub fn runs(folded: &str, mut each: impl FnMut(&[(usize, usize)], bool)) {
    // The parts of the current run, kept between runs so that no run
    // allocates.
    let mut parts: Vec<(usize, usize)> = Vec::with_capacity(8);
    let mut i = 0;
    let mut joined = false;
    while let Some((c, width)) = char_at(folded, i) {
        if !is_word_char(c) {
            if !c.is_whitespace() {
                joined = false;
            }
            i += width;
            continue;
        }
        parts.clear();
        let mut start = i;
        loop {
            let mut last = i;
            while let Some(&byte) = folded.as_bytes().get(i) {
                let width = if byte < 0x80 {
                    if !byte.is_ascii_alphanumeric() {
                        break;
                    }
                    1
                } else {
                    match char_at(folded, i) {
                        Some((c, width)) if is_word_char(c) => width,
                        _ => break,
                    }
                };
                last = i;
                i += width;
            }
            parts.push((start, i));
            let keeps = match folded.as_bytes().get(i) {
                Some(b'/' | b'-' | b'.') => is_word_at(folded, i + 1),
                Some(b',') => {
                    folded.as_bytes().get(last).is_some_and(u8::is_ascii_digit)
                        && folded.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit)
                }
                _ => false,
            };
            if !keeps {
                break;
            }
            i += 1;
            start = i;
        }
        each(&parts, joined);
        joined = parts.len() == 1;
    }
}

/// The length of the white space starting at byte `at` of `text` (as
/// [`char::is_whitespace`] has it), 0 if there is none.
pub fn space_at(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let next = |k: usize| bytes.get(at + k).copied().unwrap_or(0);
    match bytes.get(at) {
        Some(b' ' | b'\t'..=b'\r') => 1,
        // U+0085, U+00A0
        Some(0xc2) if matches!(next(1), 0x85 | 0xa0) => 2,
        // U+1680
        Some(0xe1) if next(1) == 0x9a && next(2) == 0x80 => 3,
        // U+2000…U+200A, U+2028, U+2029, U+202F; U+205F
        Some(0xe2) => match (next(1), next(2)) {
            (0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0x81, 0x9f) => 3,
            _ => 0,
        },
        // U+3000
        Some(0xe3) if next(1) == 0x80 && next(2) == 0x80 => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let folded = fold(text);
        terms(&folded)
            .into_iter()
            .map(|t| match t {
                Term::Word(text) => text.to_string(),
                Term::Pair(pair) => format!("<{pair}>"),
                Term::Compound(c) => format!("[{c}]"),
            })
            .collect()
    }

    #[test]
    fn white_space_is_chars_white_space() {
        for code in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(code) {
                let text = format!("{c}x");
                let want = if c.is_whitespace() { c.len_utf8() } else { 0 };
                assert_eq!(space_at(&text, 0), want, "U+{code:04X}");
            }
        }
    }

    #[test]
    fn folds_vietnamese_with_d() {
        assert_eq!(fold("Đường Hồ Chí Minh"), "duong ho chi minh");
        assert_eq!(fold("ĐÁNH GIÁ BÀI VIẾT"), "danh gia bai viet");
        assert_eq!(fold("Quyết định 2016/QĐ-BTTTT"), "quyet dinh 2016/qd-btttt");
        assert_eq!(fold("Ứng dụng"), "ung dung");
        // Decomposed input folds like precomposed input.
        assert_eq!(fold("Cu\u{0302}\u{0301}c"), fold("Cục"));
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
        assert_eq!(fold("a \u{301} b"), "a b");
        // The table of Latin letters folds as the slow path does.
        for code in LATIN {
            if let Some(c) = char::from_u32(code) {
                let mut slow = String::new();
                push_decomposed(c, &mut slow);
                let mut fast = Vec::new();
                push_folded(c, &mut fast, &FOLDED_LATIN);
                assert_eq!(String::from_utf8(fast).unwrap(), slow, "U+{code:04X}");
            }
        }
    }

    #[test]
    fn splits_words_pairs_and_document_numbers() {
        assert_eq!(
            words("Bộ  Công\nan"),
            ["bo", "cong", "<bo cong>", "an", "<cong an>"]
        );
        assert_eq!(
            words("an ninh, trật tự"),
            ["an", "ninh", "<an ninh>", "trat", "tu", "<trat tu>"]
        );
        assert_eq!(
            words("chỉ thị số 07/2008/CT-BCA(E11)"),
            [
                "chi",
                "thi",
                "<chi thi>",
                "so",
                "<thi so>",
                "07",
                "2008",
                "[07/2008]",
                "ct",
                "[07/2008/ct]",
                "bca",
                "[07/2008/ct-bca]",
                "e11"
            ]
        );
        assert_eq!(words("1,2 MB"), ["1", "2", "[1,2]", "mb"]);
        assert_eq!(words("a, b. c"), ["a", "b", "c"]);
        assert_eq!(words("Kết thúc."), ["ket", "thuc", "<ket thuc>"]);
        assert_eq!(fold("  Hà   Nội \t"), "ha noi");
    }
}
