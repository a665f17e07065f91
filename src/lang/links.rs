//! The links between a page and its translations, from the index: each
//! page's group of translations, and what the head (`hreflang`), the
//! language switch and the sitemap show of them.

use std::collections::HashMap;

use serde::Serialize;

use super::Language;
use crate::site::SitePage;

/// The pages of the site grouped with their translations.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Per page (index into the site's pages), its group in `groups`.
    group_of: Vec<Option<usize>>,
    /// Pages that translate each other, two or more.
    groups: Vec<Vec<usize>>,
}

/// One language's version of the page being shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// `vi`, `en`: the `hreflang` and `lang` of the link.
    pub code: String,
    /// The language's name in itself, for the switch.
    pub name: String,
    /// Site path: the translation, else the language's home page.
    pub url: String,
    /// `url` as a full address, for `hreflang` links (set by the renderer).
    pub href: String,
    /// The page in that language exists (so it is an `hreflang` pair);
    /// false when the switch leads to that language's home page instead.
    pub translation: bool,
    /// The language of the page shown.
    pub current: bool,
}

impl Links {
    pub fn new(pages: &[SitePage]) -> Self {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, page) in pages.iter().enumerate() {
            if let Some(key) = &page.page.translation_key {
                by_key.entry(key).or_default().push(index);
            }
        }
        let mut links = Links {
            group_of: vec![None; pages.len()],
            groups: Vec::new(),
        };
        let mut groups: Vec<Vec<usize>> = by_key.into_values().filter(|g| g.len() > 1).collect();
        groups.sort();
        for group in groups {
            for &index in &group {
                links.group_of[index] = Some(links.groups.len());
            }
            links.groups.push(group);
        }
        links
    }

    /// The translations of page `index`, itself included; empty when it
    /// has none.
    pub fn group(&self, index: usize) -> &[usize] {
        self.group_of
            .get(index)
            .copied()
            .flatten()
            .map_or(&[], |g| self.groups[g].as_slice())
    }

    /// Each language's version of page `index`, in the site's order of
    /// languages.
    pub fn of_page(
        &self,
        pages: &[SitePage],
        languages: &[Language],
        index: usize,
    ) -> Vec<Alternate> {
        let own = language_of(languages, &pages[index]);
        let group = self.group(index);
        languages
            .iter()
            .enumerate()
            .map(|(l, language)| {
                let translation = group
                    .iter()
                    .find(|&&i| language_of(languages, &pages[i]) == l);
                Alternate {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    url: translation
                        .map_or_else(|| language.home.clone(), |&i| pages[i].url.clone()),
                    href: String::new(),
                    translation: translation.is_some(),
                    current: l == own,
                }
            })
            .collect()
    }
}

/// The index in `languages` of the language page `page` is written in.
pub fn language_of(languages: &[Language], page: &SitePage) -> usize {
    page.page
        .lang
        .as_deref()
        .and_then(|code| languages.iter().position(|l| l.code == code))
        .unwrap_or(0)
}

/// Each language's home page, `current` being the one shown; `paired`:
/// the pages are each other's translations (home pages are).
pub fn homes(languages: &[Language], current: usize, paired: bool) -> Vec<Alternate> {
    languages
        .iter()
        .enumerate()
        .map(|(l, language)| Alternate {
            code: language.code.clone(),
            name: language.name.clone(),
            url: language.home.clone(),
            href: String::new(),
            translation: paired,
            current: l == current,
        })
        .collect()
}
