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
const MAX_PARTS: usize = 6;

/// `text` folded for search: "Đường  Hồ Chí Minh" → "duong ho chi minh";
/// every run of white space is one space, none at either end.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let spaced = space && !out.is_empty();
        if spaced {
            out.push(' ');
        }
        let before = out.len();
        push_folded(c, &mut out);
        if out.len() > before {
            space = false;
        } else if spaced {
            // A lone mark folds to nothing: the space waits for a letter.
            out.pop();
        }
    }
    out
}

/// The letters of Vietnamese and its neighbours (Latin-1 to Latin
/// Extended Additional), folded once: most of a Vietnamese text's
/// non-ASCII letters, looked up instead of decomposed one by one.
const LATIN: std::ops::RangeInclusive<u32> = 0xC0..=0x1EFF;

static FOLDED_LATIN: std::sync::LazyLock<Vec<[char; 2]>> = std::sync::LazyLock::new(|| {
    LATIN
        .map(|code| {
            let mut folded = String::new();
            if let Some(c) = char::from_u32(code) {
                push_decomposed(c, &mut folded);
            }
            let mut chars = folded.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (None, ..) => ['\0', '\0'],
                (Some(a), None, _) => [a, '\0'],
                (Some(a), Some(b), None) => [a, b],
                // Does not happen in this range; mark it for the slow path.
                _ => ['\u{1}', '\0'],
            }
        })
        .collect()
});

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if LATIN.contains(&(c as u32)) {
        let folded = FOLDED_LATIN[(c as u32 - LATIN.start()) as usize];
        if folded[0] != '\u{1}' {
            for part in folded.into_iter().filter(|&p| p != '\0') {
                out.push(part);
            }
            return;
        }
    }
    push_decomposed(c, out);
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
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    // About a word per five letters, and a pair for most of them.
    let mut out = Vec::with_capacity(chars.len() / 2);
    let end_of = |i: usize| chars.get(i).map_or(folded.len(), |&(at, _)| at);
    let mut i = 0;
    // Whether only spaces lie between the previous word and this one, and
    // where that word starts.
    let mut joined = false;
    let mut previous = 0;
    while i < chars.len() {
        if !is_word_char(chars[i].1) {
            if !chars[i].1.is_whitespace() {
                joined = false;
            }
            i += 1;
            continue;
        }
        // One run: words joined by single joiners.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut start = i;
        loop {
            while i < chars.len() && is_word_char(chars[i].1) {
                i += 1;
            }
            parts.push((start, i));
            let joiner = chars.get(i).map(|&(_, c)| c);
            let next = chars.get(i + 1).map(|&(_, c)| c);
            let before = chars[i - 1].1;
            let keeps = match (joiner, next) {
                (Some('/' | '-' | '.'), Some(n)) => is_word_char(n),
                (Some(','), Some(n)) => before.is_ascii_digit() && n.is_ascii_digit(),
                _ => false,
            };
            if !keeps {
                break;
            }
            i += 1;
            start = i;
        }
        let compound = parts.len() > 1;
        for (n, &(from, to)) in parts.iter().enumerate() {
            out.push(Term::Word(&folded[end_of(from)..end_of(to)]));
            if joined && !compound {
                out.push(Term::Pair(&folded[previous..end_of(to)]));
            }
            if n > 0 && n < MAX_PARTS {
                let text = &folded[end_of(parts[0].0)..end_of(to)];
                if text.len() <= MAX_TERM {
                    out.push(Term::Compound(text));
                }
            }
        }
        joined = !compound;
        previous = end_of(parts[0].0);
    }
    out
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
                let mut fast = String::new();
                push_folded(c, &mut fast);
                assert_eq!(fast, slow, "U+{code:04X}");
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
