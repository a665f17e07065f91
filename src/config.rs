//! Stage 1: read and validate `config.yaml`.
//!
//! The raw file is deserialized with unknown keys refused, then checked and
//! turned into a [`Config`] whose values are ready to use (a parsed time zone,
//! a base URL without trailing slash). Every problem is reported at once.

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, locate_key, locate_text};
use crate::permalink::{self, Permalinks};
use crate::yaml;

/// The site's settings, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    #[serde(skip)]
    pub timezone: Tz,
    pub theme: String,
    /// Folders outside the site that links in it may lead into (a shared
    /// media mount), resolved by [`load`]; nothing else outside is read.
    #[serde(skip)]
    pub linked_folders: Vec<std::path::PathBuf>,
    pub paginate: usize,
    pub related: usize,
    pub home: HomeConfig,
    pub aside: AsideConfig,
    pub categories: Vec<Category>,
    pub organization: Organization,
    /// The header's emblem and the footer's links ([`crate::chrome`]).
    pub emblem: crate::chrome::Emblem,
    pub footer: crate::chrome::Footer,
    pub ratings: Ratings,
    pub markdown: MarkdownConfig,
    pub paths: Paths,
    pub feeds: Feeds,
    pub sharing: Sharing,
    /// Derivatives of photos ([`crate::images`]).
    pub images: crate::images::ImagesConfig,
    pub search: SearchConfig,
    /// The site's languages, its own first ([`crate::lang`]).
    pub languages: Vec<crate::lang::Language>,
    /// Where pages are published ([`crate::permalink`]).
    #[serde(skip)]
    pub permalinks: Permalinks,
    /// URLs per sitemap file: the protocol's 50,000, smaller only in tests
    /// (`BuildOptions::sitemap_limit`).
    #[serde(skip)]
    pub sitemap_limit: usize,
}

/// The protocol's limit of URLs in one sitemap file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// What the RSS and Atom feeds carry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Feeds {
    /// The newest items in each RSS and Atom feed.
    pub items: usize,
    pub content: FeedContent,
    /// Items per page of the JSON Feed, which pages through the whole
    /// archive (`/feed.json`, `/feed-2.json`…).
    pub page_size: usize,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            items: 20,
            content: FeedContent::Summary,
            page_size: 100,
        }
    }
}

/// `summary`: each item carries its lead; `full`: the whole body too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    Summary,
    Full,
}

/// What shared links and search engines are told beyond each page's own
/// title, summary and image.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sharing {
    /// The picture shown for pages without their own (`og:image`): a site
    /// path or a full URL.
    pub image: Option<String>,
    /// The organization's logo, for search engines: a site path or URL.
    pub logo: Option<String>,
    /// The portal's account on X (Twitter), `@…`, for `twitter:site`.
    pub twitter: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Organization {
    pub name: String,
    /// The managing agency (cơ quan chủ quản), when the portal's owner is
    /// a unit under another.
    pub agency: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub license: String,
    /// The person responsible for the content (người chịu trách nhiệm).
    pub responsible: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ratings {
    pub enabled: bool,
    /// Where a rating is posted as `{id, stars}`; `None` keeps the box an
    /// inert placeholder that sends nothing.
    pub endpoint: Option<String>,
    /// Whether directives (legal documents) carry the box too.
    pub directives: bool,
}

impl Default for Ratings {
    fn default() -> Self {
        Ratings {
            enabled: true,
            endpoint: None,
            directives: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub highlight: bool,
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Hosts whose `<iframe>` players editors may embed (over https).
    pub embed_hosts: Vec<String>,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight: true,
            unsafe_html: false,
            smart_punctuation: false,
            embed_hosts: [
                "www.youtube.com",
                "www.youtube-nocookie.com",
                "player.vimeo.com",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// The search page and its index ([`crate::search`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// false: no index, no search page, no search box.
    pub enabled: bool,
    /// Where the header's search form goes without JavaScript: a
    /// site-restricted search of another engine, e.g.
    /// `https://www.google.com/search?as_sitesearch=example.gov.vn` (the
    /// words go in `q`; its host must then be in the CSP's `form-action`).
    /// `None`: the form goes to the search page, which explains that
    /// search needs JavaScript and links the register and the categories.
    pub external: Option<String>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            external: None,
        }
    }
}

/// How many items the home page shows.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HomeConfig {
    pub latest: usize,
    /// The lead story and the secondary ones beside it.
    pub featured: usize,
    pub per_category: usize,
    /// Items in "Văn bản mới", from the register.
    pub documents: usize,
    /// Items in "Dự thảo đang lấy ý kiến": the drafts open for comment.
    pub consultations: usize,
}

impl Default for HomeConfig {
    fn default() -> Self {
        HomeConfig {
            latest: 8,
            featured: 3,
            per_category: 4,
            documents: 5,
            consultations: 3,
        }
    }
}

/// How many items the side column of article and directive pages shows
/// besides "Tin cùng chuyên mục" ([`crate::render`]'s `aside`); 0 leaves a
/// block out. Every article page shows them, so a new story is written
/// into every article page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AsideConfig {
    /// Items in "Tin mới": the newest articles of the page's language.
    pub latest: usize,
    /// Items in "Văn bản mới": the register's newest directives.
    pub documents: usize,
}

impl Default for AsideConfig {
    fn default() -> Self {
        AsideConfig {
            latest: 5,
            documents: 5,
        }
    }
}

/// The Vietnamese words in list URLs: `/chuyen-muc/<slug>/trang/2/`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Paths {
    pub category: String,
    pub tag: String,
    pub page: String,
    /// The directives register and its filter pages:
    /// `/van-ban/loai/chi-thi/`, `/van-ban/nam/2008/`, `/van-ban/co-quan/bo-cong-an/`.
    pub register: String,
    pub register_type: String,
    pub register_year: String,
    pub register_issuer: String,
    /// The search page and its index: `/tim-kiem/`.
    pub search: String,
    /// The HTML site map, `/so-do-cong/`.
    pub site_map: String,
    /// The drafts for comment and their filter pages:
    /// `/du-thao/trang-thai/dang-lay-y-kien/`, `/du-thao/linh-vuc/chuyen-doi-so/`.
    pub consultations: String,
    pub consultation_status: String,
    pub consultation_field: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            category: "chuyen-muc".into(),
            tag: "tu-khoa".into(),
            page: "trang".into(),
            register: "van-ban".into(),
            register_type: "loai".into(),
            register_year: "nam".into(),
            register_issuer: "co-quan".into(),
            search: "tim-kiem".into(),
            site_map: "so-do-cong".into(),
            consultations: "du-thao".into(),
            consultation_status: "trang-thai".into(),
            consultation_field: "linh-vuc".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    linked_folders: Vec<String>,
    #[serde(default = "default_paginate")]
    paginate: usize,
    #[serde(default = "default_related")]
    related: usize,
    #[serde(default)]
    home: HomeConfig,
    #[serde(default)]
    aside: AsideConfig,
    #[serde(default)]
    categories: Vec<Category>,
    #[serde(default)]
    organization: Organization,
    #[serde(default)]
    emblem: crate::chrome::Emblem,
    #[serde(default)]
    footer: crate::chrome::Footer,
    #[serde(default)]
    ratings: Ratings,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    paths: Paths,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    sharing: Sharing,
    #[serde(default)]
    images: crate::images::ImagesConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    languages: BTreeMap<String, crate::lang::RawLanguage>,
    /// Section folder → pattern, e.g. `tin-tuc: /tin-tuc/{year}/{slug}/`.
    #[serde(default)]
    permalinks: BTreeMap<String, String>,
    #[serde(default)]
    ugly_urls: bool,
    #[serde(default = "default_slug_max")]
    slug_max: usize,
}

fn default_slug_max() -> usize {
    permalink::SLUG_MAX
}

fn default_language() -> String {
    "vi".into()
}
fn default_timezone() -> String {
    "Asia/Ho_Chi_Minh".into()
}
fn default_theme() -> String {
    "portal".into()
}
fn default_paginate() -> usize {
    20
}
fn default_related() -> usize {
    5
}

pub const FILE_NAME: &str = "config.yaml";

/// Reads `config.yaml` under `root`; `base_url` replaces the file's value
/// when given (the `--base-url` flag).
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        vec![
            Diagnostic::error(format!("cannot read {FILE_NAME}: {err}"))
                .in_file(FILE_NAME)
                .with_hint(
                    "every site has a config.yaml at its root with at least `title` and `base_url`",
                ),
        ]
    })?;
    let mut config = parse(&text, base_url)?;
    config.linked_folders = linked_folders(root, &config.linked_folders, &text)?;
    Ok(config)
}

/// The folders of `linked_folders:`, relative to the site's folder unless
/// absolute, with links resolved; each must exist.
fn linked_folders(
    root: &Path,
    written: &[std::path::PathBuf],
    text: &str,
) -> Result<Vec<std::path::PathBuf>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut resolved = Vec::new();
    for folder in written {
        match root.join(folder).canonicalize() {
            Ok(real) if real.is_dir() => resolved.push(real),
            _ => {
                let shown = folder.display().to_string();
                let mut d = Diagnostic::error(format!("`linked_folders`: no folder `{shown}`"))
                    .in_file(FILE_NAME)
                    .with_hint(
                        "name a folder that exists, absolute or relative to the site's folder",
                    );
                if let Some((line, column)) = locate_text(text, &shown, 1) {
                    d = d.at(text, line, column);
                }
                problems.push(d);
            }
        }
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(problems)
    }
}

/// Parses and validates the text of a `config.yaml`.
pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawConfig = yaml::from_str(text).map_err(|err| {
        let mut d = Diagnostic::error(format!("config.yaml: {}", err.message)).in_file(FILE_NAME);
        if let (Some(line), Some(column)) = (err.line, err.column) {
            d = d.at(text, line, column);
        }
        vec![d]
    })?;
    validate(raw, text, base_url)
}

fn validate(raw: RawConfig, text: &str, base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let at_key = |message: String, key: &str| {
        let d = Diagnostic::error(message).in_file(FILE_NAME);
        match locate_key(text, key) {
            Some((line, column)) => d.at(text, line, column),
            None => d,
        }
    };

    let from_flag = base_url.is_some();
    let base_url = base_url.map_or(raw.base_url.clone(), str::to_string);
    let base_url = base_url.trim().trim_end_matches('/').to_string();
    if !valid_base_url(&base_url) {
        let hint = "write it with its scheme and host, e.g. `https://example.gov.vn`";
        problems.push(if from_flag {
            Diagnostic::error(format!("`--base-url` is not a web address: `{base_url}`"))
                .with_hint(hint)
        } else {
            at_key(
                format!("`base_url` is not a web address: `{base_url}`"),
                "base_url",
            )
            .with_hint(hint)
        });
    }
    if raw.title.trim().is_empty() {
        problems.push(at_key("`title` is empty".into(), "title"));
    }
    let languages: Vec<_> = raw.languages.clone().into_iter().collect();
    let (languages, mut language_problems) = crate::lang::languages(
        &raw.language,
        &raw.title,
        &raw.description,
        &raw.organization,
        &languages,
        &at_key,
    );
    problems.append(&mut language_problems);
    let timezone: Option<Tz> = raw.timezone.parse().ok();
    if timezone.is_none() {
        problems.push(
            at_key(format!("unknown time zone `{}`", raw.timezone), "timezone")
                .with_hint("Vietnam's is `Asia/Ho_Chi_Minh`"),
        );
    }
    if raw.paginate == 0 {
        problems.push(at_key("`paginate` must be at least 1".into(), "paginate"));
    }
    for (key, word) in [
        ("category", &raw.paths.category),
        ("tag", &raw.paths.tag),
        ("page", &raw.paths.page),
        ("register", &raw.paths.register),
        ("register_type", &raw.paths.register_type),
        ("register_year", &raw.paths.register_year),
        ("register_issuer", &raw.paths.register_issuer),
        ("search", &raw.paths.search),
        ("site_map", &raw.paths.site_map),
        ("consultations", &raw.paths.consultations),
        ("consultation_status", &raw.paths.consultation_status),
        ("consultation_field", &raw.paths.consultation_field),
    ] {
        if !is_slug(word) {
            problems.push(at_key(
                format!(
                    "`paths.{key}` must be a lowercase URL word like `chuyen-muc`, not `{word}`"
                ),
                key,
            ));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for category in &raw.categories {
        let at = |message: String| {
            let d = Diagnostic::error(message).in_file(FILE_NAME);
            match locate_text(text, &category.slug, 1)
                .or_else(|| locate_text(text, &category.name, 1))
            {
                Some((line, column)) => d.at(text, line, column),
                None => d,
            }
        };
        if !is_slug(&category.slug) {
            problems.push(
                at(format!(
                    "category slug `{}` is not a URL word",
                    category.slug
                ))
                .with_hint(format!(
                    "use lowercase letters without diacritics, digits and `-`, e.g. `{}`",
                    crate::slug::slugify(&category.name)
                )),
            );
        }
        if seen.contains(&category.slug.as_str()) {
            problems.push(at(format!(
                "category slug `{}` is declared twice",
                category.slug
            )));
        }
        seen.push(&category.slug);
    }
    if let Some(endpoint) = &raw.ratings.endpoint
        && !(endpoint.starts_with('/') || valid_base_url(endpoint))
    {
        problems.push(
            at_key(format!("`ratings.endpoint` is not a web address: `{endpoint}`"), "endpoint")
                .with_hint("write `null` for an inert placeholder, or a URL such as `https://api.example.gov.vn/danh-gia`"),
        );
    }
    if let Some(external) = &raw.search.external
        && !valid_base_url(external)
    {
        problems.push(
            at_key(format!("`search.external` is not a web address: `{external}`"), "external")
                .with_hint("write `null` to send the form to the search page, or a URL such as `https://www.google.com/search?as_sitesearch=example.gov.vn`"),
        );
    }

    if raw.feeds.items == 0 {
        problems.push(
            at_key("`feeds.items` must be at least 1".into(), "items")
                .with_hint("20 is the usual number of items in a feed"),
        );
    }
    if raw.feeds.page_size == 0 {
        problems.push(
            at_key("`feeds.page_size` must be at least 1".into(), "page_size")
                .with_hint("100 items per page of the JSON Feed is the default"),
        );
    }
    if let Some(twitter) = &raw.sharing.twitter
        && !(twitter.starts_with('@')
            && twitter.len() > 1
            && !twitter.contains(char::is_whitespace))
    {
        problems.push(
            at_key(
                format!("`sharing.twitter` is not an account name: `{twitter}`"),
                "twitter",
            )
            .with_hint("write the account as `@name`"),
        );
    }

    problems.extend(raw.images.problems(text));
    problems.extend(crate::chrome::problems(&raw.emblem, &raw.footer, text));
    for (code, language) in &raw.languages {
        if let Some(footer) = &language.footer {
            let keys = ["languages", code.as_str(), "footer"];
            problems.extend(crate::chrome::footer_problems(footer, &keys, text));
        }
    }
    let (permalinks, mut found) =
        permalink::parse(&raw.permalinks, raw.ugly_urls, raw.slug_max, text);
    problems.append(&mut found);

    match timezone {
        Some(timezone) if problems.is_empty() => Ok(Config {
            languages,
            title: raw.title,
            description: raw.description,
            base_url,
            language: raw.language,
            timezone,
            theme: raw.theme,
            linked_folders: raw.linked_folders.iter().map(Into::into).collect(),
            paginate: raw.paginate,
            related: raw.related,
            home: raw.home,
            aside: raw.aside,
            categories: raw.categories,
            organization: raw.organization,
            emblem: raw.emblem,
            footer: raw.footer,
            ratings: raw.ratings,
            markdown: raw.markdown,
            paths: raw.paths,
            feeds: raw.feeds,
            sharing: raw.sharing,
            images: raw.images,
            search: raw.search,
            permalinks,
            sitemap_limit: SITEMAP_LIMIT,
        }),
        _ => Err(problems),
    }
}

fn valid_base_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    !host.is_empty() && !rest.contains(char::is_whitespace)
}

/// A URL word: lowercase ASCII letters, digits and single dashes.
pub fn is_slug(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !word.starts_with('-')
        && !word.ends_with('-')
}

impl Config {
    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.slug == slug)
    }

    /// The declared category a page means by `written`, its slug or its
    /// name (in any case, with or without diacritics); else a hint naming
    /// the nearest declared one, or all of them.
    pub fn find_category(&self, written: &str) -> Result<&Category, String> {
        let folded = crate::slug::slugify(written);
        let found = self.categories.iter().find(|c| {
            c.slug == written
                || c.name.to_lowercase() == written.trim().to_lowercase()
                || c.slug == folded
        });
        if let Some(category) = found {
            return Ok(category);
        }
        let nearest = self
            .categories
            .iter()
            .map(|c| (strsim::normalized_levenshtein(&folded, &c.slug), c))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Err(match nearest {
            Some((score, c)) if score >= 0.4 => format!("did you mean `{}` ({})?", c.slug, c.name),
            _ if self.categories.is_empty() => {
                "declare categories under `categories:` in config.yaml".into()
            }
            _ => format!(
                "the declared categories are: {}",
                self.categories
                    .iter()
                    .map(|c| format!("`{}`", c.slug))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    /// The absolute URL of a site path such as `/tin-tuc/a/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// An absolute URL for a link written in config or front matter: a site
    /// path gets the base URL, a full URL stays as written.
    pub fn absolute(&self, link: &str) -> String {
        if link.contains("://") {
            link.to_string()
        } else if let Some(rest) = link.strip_prefix("//") {
            format!("https://{rest}")
        } else {
            self.permalink(&format!("/{}", link.trim_start_matches(['/', '.'])))
        }
    }

    /// The search page's site path, `/tim-kiem/`: left out of sitemaps,
    /// named by the home page's `SearchAction`.
    pub fn search_url(&self) -> String {
        format!("/{}/", self.paths.search)
    }

    /// The HTML site map's site path, `/so-do-cong/`.
    /// The codes of the site's languages but its own (`en`).
    pub fn other_languages(&self) -> Vec<&str> {
        self.languages[1..]
            .iter()
            .map(|l| l.code.as_str())
            .collect()
    }

    pub fn site_map_url(&self) -> String {
        format!("/{}/", self.paths.site_map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: Cổng\nbase_url: https://example.gov.vn/\n";

    #[test]
    fn defaults_fill_everything_but_title_and_base_url() {
        let config = parse(MINIMAL, None).unwrap();
        assert_eq!(config.base_url, "https://example.gov.vn");
        assert_eq!(config.timezone, chrono_tz::Asia::Ho_Chi_Minh);
        assert_eq!(config.paginate, 20);
        assert_eq!(config.paths.category, "chuyen-muc");
        assert!(config.ratings.enabled && config.ratings.endpoint.is_none());
    }

    #[test]
    fn unknown_key_is_located() {
        let errors = parse(&format!("{MINIMAL}paginat: 3\n"), None).unwrap_err();
        assert_eq!(errors[0].line, Some(3));
        assert!(
            errors[0].message.contains("unknown field `paginat`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn category_without_slug_is_an_error() {
        let text = format!("{MINIMAL}categories:\n  - name: Tin tức\n");
        let errors = parse(&text, None).unwrap_err();
        assert!(
            errors[0].message.contains("missing field `slug`"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].line.is_some());
    }

    #[test]
    fn bad_base_url_and_timezone_reported_together() {
        let text = "title: A\nbase_url: example.gov.vn\ntimezone: Hanoi\n";
        let errors = parse(text, None).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[1].line, Some(3));
    }

    #[test]
    fn categories_are_found_by_slug_or_name() {
        let text = format!(
            "{MINIMAL}categories:\n  - {{ name: Chuyển đổi số, slug: chuyen-doi-so }}\n  - {{ name: Tin hoạt động, slug: tin-hoat-dong }}\n"
        );
        let config = parse(&text, None).unwrap();
        for written in [
            "chuyen-doi-so",
            "Chuyển đổi số",
            "chuyển đổi SỐ",
            "Chuyen doi so",
        ] {
            assert_eq!(config.find_category(written).unwrap().slug, "chuyen-doi-so");
        }
        let hint = config.find_category("tin-hoat-dongg").unwrap_err();
        assert!(hint.contains("`tin-hoat-dong`"), "{hint}");
        let hint = config.find_category("xyz").unwrap_err();
        assert!(hint.contains("the declared categories are"), "{hint}");
    }

    #[test]
    fn base_url_flag_overrides_the_file() {
        let config = parse(MINIMAL, Some("http://127.0.0.1:1111")).unwrap();
        assert_eq!(config.base_url, "http://127.0.0.1:1111");
        let errors = parse(MINIMAL, Some("ftp:x")).unwrap_err();
        assert!(
            errors[0].message.starts_with("`--base-url`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].file, None);
    }
}
