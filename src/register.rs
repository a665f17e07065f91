//! The directives register: which directive carries which number, finding
//! those numbers in the text of articles, and the register's lists and
//! filters (by type, year and issuer).
//!
//! Numbers are compared without white space and case, so "2016/ QĐ- BTTTT"
//! in an article finds the directive numbered "2016/QĐ-BTTTT".

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use chrono::Datelike;
use regex::Regex;

use crate::config::Paths;
use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::site::{Listing, SitePage};
use crate::slug::slugify;

/// A number as compared: no white space, upper case.
pub fn normalize(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A normalised number, hashed, as pages keep their candidates.
pub fn key_hash(key: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// A directive a number leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub number: String,
}

/// Every directive number of the site.
#[derive(Debug, Clone, Default)]
pub struct NumberIndex {
    targets: HashMap<String, Target>,
}

/// A number found in a text: its bytes there and its normalised key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub range: Range<usize>,
    pub key: String,
}

/// What a directive number can look like: `07/2008/CT-BCA(E11)`,
/// `2016/QĐ-BTTTT`, `42/2022/NĐ-CP`, `36-NQ/TW`, with stray spaces around
/// `/` and `-`. Candidates are then looked up, so the pattern can be loose.
fn candidates() -> Option<&'static Regex> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            // Symbols start with an upper-case ASCII letter, Đ or a digit
            // and may go on in lower case (the Prime Minister's `TTg`);
            // spelling the classes out (no \p{..}, no \b) keeps the pattern
            // quick to compile.
            let seg = r"[A-ZĐ0-9&][A-Za-zĐđ0-9&]*(?:\([A-ZĐ0-9]+\))?";
            let sp = r"[ \t\u{A0}]*";
            Regex::new(&format!(
                r"[0-9]{{1,5}}(?:{sp}/{sp}(?:[0-9]{{4}}{sp}/{sp})?{seg}(?:{sp}-{sp}{seg})*|{sp}-{sp}{seg}(?:{sp}/{sp}{seg})+)"
            ))
            .ok()
        })
        .as_ref()
}

/// Something in a text that may be a directive number: where it starts and
/// its possible readings, longest first, as (length in bytes, key). Which
/// reading is a number of the site is known only once every file is read;
/// pages keep their candidates' keys until then, not their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub readings: Vec<(usize, String)>,
}

/// Every candidate in `text` with at least one reading.
pub fn candidates_in(text: &str) -> Vec<Candidate> {
    let Some(pattern) = candidates() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for candidate in pattern.find_iter(text) {
        // A number starts a word: not `12016/…` inside `112016/…`.
        if text[..candidate.start()]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        // The loose pattern may run on into the next words: the whole
        // candidate, then shorter ones cut at a separator.
        let matched = candidate.as_str();
        let mut ends: Vec<usize> = matched.match_indices(['-', '/']).map(|(i, _)| i).collect();
        ends.push(matched.len());
        let readings: Vec<(usize, String)> = ends
            .into_iter()
            .rev()
            .filter_map(|end| {
                let part = matched[..end].trim_end();
                let after = text[candidate.start() + part.len()..].chars().next();
                (!after.is_some_and(char::is_alphanumeric)).then(|| (part.len(), normalize(part)))
            })
            .collect();
        if !readings.is_empty() {
            found.push(Candidate {
                start: candidate.start(),
                readings,
            });
        }
    }
    found
}

impl NumberIndex {
    /// Indexes the directives among `pages`, whose URLs `url_of` gives.
    /// Two directives with one number, and front-matter `documents:` naming
    /// a number no directive has, are errors.
    pub fn build<'p>(
        pages: impl Iterator<Item = &'p Page> + Clone,
        url_of: impl Fn(&Page) -> String,
    ) -> Result<NumberIndex, Vec<Diagnostic>> {
        let mut index = NumberIndex::default();
        let mut owners: HashMap<String, &Page> = HashMap::new();
        let mut problems = Vec::new();
        for page in pages.clone() {
            let Some(document) = &page.document else {
                continue;
            };
            let key = normalize(&document.number);
            if let Some(first) = owners.get(&key) {
                problems.push(
                    Diagnostic::error(format!(
                        "two directives have the number `{}`: {} and {}",
                        document.number,
                        first.file.display(),
                        page.file.display()
                    ))
                    .in_file(&page.file)
                    .with_hint(
                        "each directive's number is unique; check the number against the document",
                    ),
                );
                continue;
            }
            owners.insert(key.clone(), page);
            index.targets.insert(
                key,
                Target {
                    url: url_of(page),
                    number: document.number.clone(),
                },
            );
        }
        for page in pages {
            for reference in &page.documents {
                if !index.targets.contains_key(&normalize(&reference.number)) {
                    problems.push(reference.unknown.clone());
                }
            }
        }
        if problems.is_empty() {
            Ok(index)
        } else {
            Err(problems)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Target> {
        self.targets.get(key)
    }

    /// The directive numbers of this site that `text` mentions.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        if self.is_empty() {
            return Vec::new();
        }
        candidates_in(text)
            .into_iter()
            .filter_map(|candidate| {
                candidate
                    .readings
                    .into_iter()
                    .find(|(_, key)| self.targets.contains_key(key))
                    .map(|(len, key)| Mention {
                        range: candidate.start..candidate.start + len,
                        key,
                    })
            })
            .collect()
    }

    /// The keys of this site's directives among candidates found earlier
    /// (see [`Candidate`]), as [`NumberIndex::find`] would have found them.
    pub fn resolve(&self, candidates: &[Vec<String>]) -> Vec<String> {
        candidates
            .iter()
            .filter_map(|keys| keys.iter().find(|key| self.targets.contains_key(*key)))
            .cloned()
            .collect()
    }

    /// `text` as HTML, escaped, with every mention of a directive other than
    /// the one at `self_url` linked to its page; and the keys it mentions.
    pub fn link(&self, text: &str, self_url: &str) -> (String, Vec<String>) {
        let mut html = String::with_capacity(text.len() + 64);
        let mut keys = Vec::new();
        let mut at = 0;
        for mention in self.find(text) {
            let Some(target) = self.targets.get(&mention.key) else {
                continue;
            };
            keys.push(mention.key.clone());
            if target.url == self_url {
                continue;
            }
            escape_into(&mut html, &text[at..mention.range.start]);
            html.push_str("<a class=\"document-link\" href=\"");
            escape_into(&mut html, &target.url);
            html.push_str("\">");
            escape_into(&mut html, &text[mention.range.clone()]);
            html.push_str("</a>");
            at = mention.range.end;
        }
        escape_into(&mut html, &text[at..]);
        (html, keys)
    }
}

fn escape_into(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_html_body_text(out, text);
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// An index of `numbers`, the i-th at `/van-ban/<i>/`.
    pub fn index(numbers: &[&str]) -> NumberIndex {
        NumberIndex {
            targets: numbers
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        normalize(n),
                        Target {
                            url: format!("/van-ban/{i}/"),
                            number: n.to_string(),
                        },
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::index;
    use super::*;

    #[test]
    fn finds_numbers_with_stray_spaces_and_stops_at_words() {
        let index = index(&["07/2008/CT-BCA(E11)", "2016/QĐ-BTTTT", "36-NQ/TW"]);
        let text = "đã ký chỉ thị số 07/2008/CT-BCA(E11) về CNTT; Quyết định số 2016/ QĐ- BTTTT phê duyệt; \
                    Nghị quyết số 36-NQ/TW ngày 01/7/2014; số 2016/QĐ-BTTTTX không; 12016/QĐ-BTTTT không";
        let found: Vec<&str> = index
            .find(text)
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect();
        assert_eq!(
            found,
            vec!["07/2008/CT-BCA(E11)", "2016/ QĐ- BTTTT", "36-NQ/TW"]
        );
    }

    #[test]
    fn finds_numbers_with_lower_case_symbols() {
        let index = index(&["749/QĐ-TTg", "14/CT-TTg"]);
        let text =
            "Quyết định số 749/QĐ-TTg ngày 03/6/2020 và Chỉ thị 14/CT-TTG; 749/QĐ-TTgx không";
        let found: Vec<&str> = index
            .find(text)
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect();
        assert_eq!(found, vec!["749/QĐ-TTg", "14/CT-TTG"]);
    }

    #[test]
    fn links_escape_and_skip_the_page_itself() {
        let index = index(&["2016/QĐ-BTTTT"]);
        let (html, keys) = index.link("<b> Quyết định 2016/QĐ-BTTTT - Bộ TT&TT", "/khac/");
        assert_eq!(
            html,
            "&lt;b&gt; Quyết định <a class=\"document-link\" href=\"/van-ban/0/\">2016/QĐ-BTTTT</a> - Bộ TT&amp;TT"
        );
        assert_eq!(keys, vec!["2016/QĐ-BTTTT"]);
        let (html, _) = index.link("Quyết định 2016/QĐ-BTTTT", "/van-ban/0/");
        assert!(!html.contains("<a"));
    }

    #[test]
    fn unknown_numbers_are_not_linked() {
        let index = index(&["2016/QĐ-BTTTT"]);
        assert!(index.find("Thông tư 32/2017/TT-BTTTT").is_empty());
        assert!(NumberIndex::default().find("2016/QĐ-BTTTT").is_empty());
    }
}

/// The register's lists: every directive newest signed first, and the same
/// split by type, by year signed and by issuer, each a static page so the
/// filters work without JavaScript.
#[derive(Debug, Clone)]
pub struct Register {
    pub all: Listing,
    pub by_type: Vec<Listing>,
    pub by_year: Vec<Listing>,
    pub by_issuer: Vec<Listing>,
}

/// Which of the register's lists a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Type(usize),
    Year(usize),
    Issuer(usize),
}

impl Register {
    pub fn list(&self, filter: Filter) -> &Listing {
        match filter {
            Filter::All => &self.all,
            Filter::Type(i) => &self.by_type[i],
            Filter::Year(i) => &self.by_year[i],
            Filter::Issuer(i) => &self.by_issuer[i],
        }
    }

    /// Every list, to move the page indexes they hold.
    pub fn lists_mut(&mut self) -> impl Iterator<Item = &mut Listing> {
        std::iter::once(&mut self.all)
            .chain(self.by_type.iter_mut())
            .chain(self.by_year.iter_mut())
            .chain(self.by_issuer.iter_mut())
    }

    /// Every list with the filter that selects it.
    pub fn filters(&self) -> impl Iterator<Item = (Filter, &Listing)> {
        std::iter::once((Filter::All, &self.all))
            .chain(
                self.by_type
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (Filter::Type(i), l)),
            )
            .chain(
                self.by_year
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (Filter::Year(i), l)),
            )
            .chain(
                self.by_issuer
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (Filter::Issuer(i), l)),
            )
    }
}

/// Builds the register from the site's pages, or `None` when the site has
/// no directive. `title` is the register's own name (from `_index.md`).
pub fn register(
    pages: &[SitePage],
    paths: &Paths,
    title: &str,
    description: &str,
) -> Option<Register> {
    let mut directives: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].page.document.is_some())
        .collect();
    if directives.is_empty() {
        return None;
    }
    let signed = |i: usize| {
        let page = &pages[i].page;
        page.document.as_ref().and_then(|d| d.signed).or(page.date)
    };
    directives.sort_by(|&a, &b| {
        signed(b)
            .cmp(&signed(a))
            .then_with(|| pages[a].page.title.cmp(&pages[b].page.title))
    });
    let base = format!("/{}/", paths.register);
    let listing = |name: String, slug: String, url: String| Listing {
        name,
        slug,
        description: String::new(),
        url,
        pages: Vec::new(),
        template: None,
    };
    // Files directive `i` under the list named `name` in `lists`, keyed by
    // the name's slug, at `/<register>/<word>/<slug>/`.
    let file_under = |lists: &mut BTreeMap<String, Listing>, word: &str, name: &str, i: usize| {
        let slug = slugify(name);
        let url = format!("{base}{word}/{slug}/");
        lists
            .entry(slug.clone())
            .or_insert_with(|| listing(name.to_string(), slug, url))
            .pages
            .push(i);
    };
    let mut by_type: BTreeMap<String, Listing> = BTreeMap::new();
    let mut by_year: BTreeMap<String, Listing> = BTreeMap::new();
    let mut by_issuer: BTreeMap<String, Listing> = BTreeMap::new();
    for &i in &directives {
        let Some(document) = &pages[i].page.document else {
            continue;
        };
        if let Some(kind) = document.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            file_under(&mut by_type, &paths.register_type, kind, i);
        }
        if let Some(date) = signed(i) {
            file_under(
                &mut by_year,
                &paths.register_year,
                &date.at.year().to_string(),
                i,
            );
        }
        if let Some(issuer) = document.issuer.as_deref().filter(|k| !k.trim().is_empty()) {
            file_under(&mut by_issuer, &paths.register_issuer, issuer, i);
        }
    }
    let mut all = listing(title.to_string(), paths.register.clone(), base);
    all.description = description.to_string();
    all.pages = directives;
    Some(Register {
        all,
        by_type: by_type.into_values().collect(),
        // Newest year first, as the register reads.
        by_year: by_year.into_values().rev().collect(),
        by_issuer: by_issuer.into_values().collect(),
    })
}

/// Fills each page's `documents` (the directives it mentions or names in
/// front matter) and each directive's `mentioned_by` (the other pages that
/// do), both newest first.
pub fn cross_link(pages: &mut [SitePage]) {
    let by_key = directives_by_key(pages);
    let mut mentioned_by: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (i, page) in pages.iter_mut().enumerate() {
        let documents = documents_of(page, i, &by_key);
        for &d in &documents {
            mentioned_by[d].push(i);
        }
        page.documents = documents;
    }
    // Pages are sorted newest first, so indexes pushed in order already are.
    for (page, by) in pages.iter_mut().zip(mentioned_by) {
        page.mentioned_by = by;
    }
}

/// Every directive of `pages` by its number's key.
pub fn directives_by_key(pages: &[SitePage]) -> HashMap<String, usize> {
    pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.page.document.as_ref().map(|d| (normalize(&d.number), i)))
        .collect()
}

/// The directives page `index` mentions or names (not itself), ascending.
pub fn documents_of(page: &SitePage, index: usize, by_key: &HashMap<String, usize>) -> Vec<usize> {
    let named = page.page.documents.iter().map(|r| normalize(&r.number));
    let mut documents: Vec<usize> = page
        .mentions
        .iter()
        .cloned()
        .chain(named)
        .filter_map(|key| by_key.get(&key).copied())
        .filter(|&d| d != index)
        .collect();
    documents.sort_unstable();
    documents.dedup();
    documents
}
