//! Languages: the site's languages (`languages:` in config.yaml), the
//! translations of pages (a file `x.en.md` beside `x.md`, `index.en.md` in
//! a bundle), and the links between them.
//!
//! The site's own language (`language:`, default `vi`) publishes at the
//! root; every other language under `/<code>/`, with its own home page,
//! feeds, search index, menu and UI strings (`i18n/<code>.yaml`). A
//! translation is a page of its own (its own title, slug and body) that
//! knows its original by its file name: this module finds those names,
//! refuses a translation without an original or two translations of one
//! page into one language, and pairs the pages of the index so that each
//! links its translations (`hreflang`, the language switch, the sitemap).

mod files;
pub mod links;

use serde::{Deserialize, Serialize};

use crate::config::Organization;
use crate::diagnostic::Diagnostic;

pub use files::{check_files, split, translation_key};
pub use links::{Alternate, Links};

/// A language as written under `languages:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLanguage {
    /// Its name in itself, shown in the language switch ("English").
    pub name: String,
    /// The site's title and description in this language.
    pub title: String,
    pub description: String,
    /// The footer's organisation in this language (a key left out keeps
    /// the site's).
    pub organization: Option<Organization>,
    /// The menu of this language's pages (the site's own language has its
    /// categories).
    pub menu: Vec<MenuItem>,
    /// The footer's links and copyright line in this language; left out,
    /// the default group in this language's words (the site's own groups
    /// are in its own language).
    pub footer: Option<crate::chrome::Footer>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

/// A language of the site, validated. The first is the site's own.
#[derive(Debug, Clone, Serialize)]
pub struct Language {
    /// `vi`, `en`.
    pub code: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub organization: Organization,
    pub menu: Vec<MenuItem>,
    /// The footer of this language's pages (`None`: the site's own).
    pub footer: Option<crate::chrome::Footer>,
    /// `""` for the site's own language, `/en` for English.
    pub prefix: String,
    /// Its home page: `/` or `/en/`.
    pub home: String,
}

/// The name of a language the site does not name itself.
fn known_name(code: &str) -> &'static str {
    match code {
        "vi" => "Tiếng Việt",
        "en" => "English",
        "fr" => "Français",
        "zh" => "中文",
        "ja" => "日本語",
        "ko" => "한국어",
        "ru" => "Русский",
        "lo" => "ພາສາລາວ",
        "km" => "ភាសាខ្មែរ",
        _ => "",
    }
}

/// Whether `code` can be a language of the site: two or three lower-case
/// letters (ISO 639-1/2).
pub fn is_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase())
}

/// The site's languages from `language:` and `languages:`, the site's own
/// first (it may be listed to give its name); problems at the key.
pub fn languages(
    own: &str,
    title: &str,
    description: &str,
    organization: &Organization,
    raw: &[(String, RawLanguage)],
    at_key: &dyn Fn(String, &str) -> Diagnostic,
) -> (Vec<Language>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let own_raw = raw.iter().find(|(code, _)| code == own).map(|(_, r)| r);
    let mut list = vec![Language {
        code: own.to_string(),
        name: own_raw
            .map(|r| r.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| known_name(own).to_string()),
        title: title.to_string(),
        description: description.to_string(),
        organization: organization.clone(),
        menu: Vec::new(),
        footer: None,
        prefix: String::new(),
        home: "/".into(),
    }];
    for (code, language) in raw.iter().filter(|(code, _)| code != own) {
        if !is_code(code) {
            problems.push(
                at_key(
                    format!("`languages`: `{code}` is not a language code"),
                    code,
                )
                .with_hint("write the two-letter code of the language, e.g. `en`"),
            );
            continue;
        }
        for item in &language.menu {
            if !item.url.starts_with('/') && !item.url.starts_with("https://") {
                problems.push(
                    at_key(
                        format!("`languages: {code}: menu`: `{}` is not a link", item.url),
                        "url",
                    )
                    .with_hint(format!("write a site path such as `/{code}/…/`")),
                );
            }
        }
        let name = if language.name.is_empty() {
            known_name(code).to_string()
        } else {
            language.name.clone()
        };
        list.push(Language {
            code: code.clone(),
            name: if name.is_empty() { code.clone() } else { name },
            title: if language.title.is_empty() {
                title.to_string()
            } else {
                language.title.clone()
            },
            description: language.description.clone(),
            organization: language
                .organization
                .clone()
                .unwrap_or_else(|| organization.clone()),
            menu: language.menu.clone(),
            footer: Some(language.footer.clone().unwrap_or_default()),
            prefix: format!("/{code}"),
            home: format!("/{code}/"),
        });
    }
    (list, problems)
}

/// A translation in a bundle shows the bundle's files, which its original
/// publishes: its relative links resolve where the original's do.
pub fn share_bundles(pages: &mut [crate::content::Page]) {
    let originals: std::collections::HashMap<String, String> = pages
        .iter()
        .filter(|p| p.lang.is_none())
        .filter_map(|p| Some((p.translation_key.clone()?, p.asset_base.clone())))
        .collect();
    for page in pages.iter_mut().filter(|p| p.lang.is_some()) {
        if let Some(base) = page
            .translation_key
            .as_ref()
            .and_then(|key| originals.get(key))
        {
            page.asset_base = base.clone();
        }
    }
}

/// The own language's pages may not take a URL under another language's
/// prefix (`/en/…`), where that language's home page, feeds and search
/// are written, nor may a translation take another language's prefix.
pub fn check_urls(pages: &[crate::site::SitePage], languages: &[Language]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if languages.len() < 2 {
        return problems;
    }
    for page in pages {
        let own = page.page.lang.as_deref().unwrap_or(&languages[0].code);
        let taken = languages
            .iter()
            .skip(1)
            .filter(|l| l.code != own)
            .find(|l| page.url.starts_with(&l.home) || page.url == l.prefix);
        if let Some(language) = taken {
            let d = Diagnostic::error(format!(
                "the page's address `{}` is under `{}`, the {} pages' folder",
                page.url, language.home, language.name
            ))
            .in_file(&page.page.file)
            .with_hint(format!(
                "give the page another `slug:`; to write it in {}, name its file `….{}.md` beside the original",
                language.name, language.code
            ));
            problems.push(d);
        }
    }
    problems
}
