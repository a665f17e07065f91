//! Stage 4, index: the site model, built from the rendered pages without
//! any I/O. It decides every URL (and refuses two things on one), sorts
//! lists newest first, groups pages by section, category and tag, splits
//! lists into pages, and picks "Tin cùng chuyên mục" for each article.

mod claims;
mod lists;
mod statics;
mod update;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use claims::Claims;
pub use lists::ListId;
pub use update::{Edit, SectionShown, Touched, list_lengths};

use crate::config::Config;
use crate::content::{Page, Section, StaticFile};
use crate::diagnostic::Diagnostic;
use crate::markdown::Indexed;
use crate::register::{self, NumberIndex, Register};
use crate::slug::slugify;

/// A page and its place in the site. Its body is rendered when its own
/// page is written ([`crate::markdown::render_body`]).
#[derive(Debug, Clone)]
pub struct SitePage {
    pub page: Page,
    /// The summary found in the body, kept only when the front matter has
    /// none: see [`SitePage::summary`].
    pub body_summary: String,
    /// Site path: `/tin-tuc/<slug>/`, or `/tin-tuc/<slug>.html` for ugly
    /// URLs ([`crate::permalink`]).
    pub url: String,
    /// The lead image's site path or full URL.
    pub image_url: Option<String>,
    /// Indexes into [`Site::categories`], primary first.
    pub categories: Vec<usize>,
    /// Indexes into [`Site::tags`].
    pub tags: Vec<usize>,
    /// "Tin cùng chuyên mục": indexes into [`Site::pages`].
    pub related: Vec<usize>,
    /// The lead as escaped HTML with directive numbers linked; only when it
    /// mentions one, else templates print the summary.
    pub lead_html: Option<String>,
    /// Keys of the directive numbers the page mentions.
    pub mentions: Vec<String>,
    /// The candidate numbers in the body, hashed ([`Indexed::candidates`]).
    pub candidates: Vec<u64>,
    /// The slugs of `page.tags`, in their order.
    pub tag_slugs: Vec<String>,
    /// "Văn bản liên quan": the directives the page mentions or names.
    pub documents: Vec<usize>,
    /// On a directive, "Tin bài liên quan": the pages that refer to it.
    pub mentioned_by: Vec<usize>,
}

impl SitePage {
    /// The front matter's summary, else the one found in the body.
    pub fn summary(&self) -> &str {
        self.page.summary.as_deref().unwrap_or(&self.body_summary)
    }
}

/// A list of pages shown at one URL and its next pages.
#[derive(Debug, Clone)]
pub struct Listing {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// First page's path: `/chuyen-muc/<slug>/`.
    pub url: String,
    /// Indexes into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
    /// The file that declared it, if any (`_index.md`).
    pub template: Option<String>,
}

/// A copy of a file into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFile {
    pub source: PathBuf,
    /// Output path relative to the output root, `/`-separated.
    pub path: String,
}

/// An old URL that must keep working: a redirect page at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub path: String,
    pub target: String,
}

#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Articles newest first, then plain pages by title.
    pub pages: Vec<SitePage>,
    pub sections: Vec<Listing>,
    /// In the order of the menu in config.yaml.
    pub categories: Vec<Listing>,
    /// By name.
    pub tags: Vec<Listing>,
    /// Articles only, newest first.
    pub articles: Vec<usize>,
    pub featured: Vec<usize>,
    pub aliases: Vec<Alias>,
    pub files: Vec<CopyFile>,
    /// Home page metadata from `content/_index.md`.
    pub home: Option<Section>,
    /// The directives register, when the site has directives.
    pub register: Option<Register>,
    /// The drafts for comment, when the site has any.
    pub consultations: Option<crate::consultations::Consultations>,
    /// Every directive number, to link them in bodies as pages are written.
    pub numbers: NumberIndex,
    /// Every output path and who publishes it.
    claims: Claims,
    /// [`Site::tags`] by slug.
    tag_index: HashMap<String, usize>,
    /// The sections' `_index.md`, to name a section that appears.
    section_meta: Vec<Section>,
    /// The content's files outside bundles, published as they are.
    statics: Vec<CopyFile>,
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub items: Range<usize>,
}

/// Splits `count` items into pages of `per_page`; an empty list still has
/// one (empty) page, so its URL exists.
pub fn paginate(count: usize, per_page: usize) -> Vec<Pager> {
    let total = page_count(count, per_page);
    (1..=total)
        .map(|number| pager(count, per_page, number))
        .collect()
}

/// How many pages `count` items take, at least one.
pub fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page.max(1)).max(1)
}

/// Page `number` of `count` items (clamped to the last page), without
/// building the others: rendering one list page costs the same on page 1
/// as on page 1,600.
pub fn pager(count: usize, per_page: usize, number: usize) -> Pager {
    let per_page = per_page.max(1);
    let total = page_count(count, per_page);
    let number = number.clamp(1, total);
    Pager {
        number,
        total,
        items: (number - 1) * per_page..(number * per_page).min(count),
    }
}

/// The path of page `number` of a list whose first page is `first`.
pub fn pager_url(first: &str, number: usize, page_word: &str) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}{page_word}/{number}/")
    }
}

/// The output file that serves a site path: `/a/` → `a/index.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else if trimmed
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    }
}

/// The index of every page: the whole build. [`Site::update`] brings it up
/// to date page by page after an edit, to the same result.
pub fn build(
    config: &Config,
    indexed: Vec<(Page, Indexed)>,
    numbers: NumberIndex,
    sections: Vec<Section>,
    files: Vec<StaticFile>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut site = Site {
        home: sections.iter().find(|s| s.name.is_empty()).cloned(),
        numbers,
        section_meta: sections,
        statics: files
            .into_iter()
            .map(|file| CopyFile {
                source: file.source,
                path: file.path,
            })
            .collect(),
        categories: category_listings(config),
        ..Site::default()
    };
    let mut pages: Vec<SitePage> = indexed
        .into_iter()
        .map(|(page, indexed)| site_page(page, indexed))
        .collect();
    pages.sort_by(lists::order);
    site.pages = pages;
    for index in 0..site.pages.len() {
        site.claim_page(config, index, &mut problems);
    }
    let mut changed = lists::Changed::new();
    for index in 0..site.pages.len() {
        site.attach(config, index, &mut changed);
    }
    site.order_tags();
    site.register = register::register(
        &site.pages,
        &config.paths,
        site.register_title(config).0,
        site.register_title(config).1,
    );
    if site.register.is_some() {
        site.sections.retain(|s| s.slug != config.paths.register);
    }
    let (title, description) = site.section_title(&config.paths.consultations);
    site.consultations =
        crate::consultations::consultations(&site.pages, &config.paths, title, description);
    if site.consultations.is_some() {
        site.sections
            .retain(|s| s.slug != config.paths.consultations);
    }
    site.claim_generated(config, &mut problems);
    for index in 0..site.pages.len() {
        site.claim_aliases(index, &mut problems);
    }
    for file in &site.statics {
        site.claims.claim(
            &mut problems,
            file.path.clone(),
            format!("the file content/{}", file.path),
            |d| d,
        );
    }
    site.collect_files_and_aliases();
    site.fill_related(config, 0..site.categories.len());
    register::cross_link(&mut site.pages);
    if problems.is_empty() {
        Ok(site)
    } else {
        Err(problems)
    }
}

fn category_listings(config: &Config) -> Vec<Listing> {
    config
        .categories
        .iter()
        .map(|c| Listing {
            name: c.name.clone(),
            slug: c.slug.clone(),
            description: c.description.clone(),
            url: format!("/{}/{}/", config.paths.category, c.slug),
            pages: Vec::new(),
            template: None,
        })
        .collect()
}

impl Site {
    /// The register's own name and description, from its `_index.md`.
    pub(super) fn register_title(&self, config: &Config) -> (&str, &str) {
        self.section_title(&config.paths.register)
    }

    /// A section's name and description from its `_index.md`, or nothing.
    pub(super) fn section_title(&self, name: &str) -> (&str, &str) {
        let meta = self.section_meta.iter().find(|s| s.name == name);
        (
            meta.map_or("", |s| s.title.as_str()),
            meta.and_then(|s| s.description.as_deref()).unwrap_or(""),
        )
    }

    /// The paths page `index` publishes itself: its own and its files'.
    fn claim_page(&mut self, config: &Config, index: usize, problems: &mut Vec<Diagnostic>) {
        let page = &self.pages[index];
        let file = page.page.file.display().to_string();
        let hint = || collision_hint(config, &page.page);
        self.claims
            .claim_with(problems, output_path(&page.url), file.clone(), hint, |d| {
                d.in_file(&page.page.file)
            });
        for asset in &page.page.assets {
            self.claims.claim(
                problems,
                asset_path(page, &asset.name),
                format!("the file {} of {file}", asset.name),
                |d| d.in_file(&page.page.file),
            );
        }
    }

    fn claim_aliases(&mut self, index: usize, problems: &mut Vec<Diagnostic>) {
        let page = &self.pages[index];
        for alias in &page.page.aliases {
            let file = &page.page.file;
            let owner = format!("the alias `{alias}` of {}", file.display());
            self.claims
                .claim(problems, output_path(alias), owner, |d| d.in_file(file));
        }
    }

    /// Hands back what [`Site::claim_page`] and [`Site::claim_aliases`]
    /// claimed for page `index`.
    fn release_page(&mut self, index: usize) {
        let page = &self.pages[index];
        self.claims.release(&output_path(&page.url));
        for asset in &page.page.assets {
            self.claims.release(&asset_path(page, &asset.name));
        }
        for alias in &page.page.aliases {
            self.claims.release(&output_path(alias));
        }
    }

    /// The outputs Gazette makes of its own: list pages, feeds, the home
    /// page, the sitemap.
    fn claim_generated(&mut self, config: &Config, problems: &mut Vec<Diagnostic>) {
        if let Some(register) = &self.register {
            let base = register.all.url.trim_start_matches('/').to_string();
            for feed in ["rss.xml", "atom.xml"] {
                let path = format!("{base}{feed}");
                let owner = "the register's feed".to_string();
                self.claims.claim(problems, path, owner, |d| d);
            }
        }
        if let Some(drafts) = &self.consultations {
            let base = drafts.all.url.trim_start_matches('/').to_string();
            for feed in ["rss.xml", "atom.xml"] {
                let owner = "the feed of the drafts for comment".to_string();
                self.claims
                    .claim(problems, format!("{base}{feed}"), owner, |d| d);
            }
        }
        for file in crate::render::open_data::files(self) {
            let path = match file {
                crate::render::open_data::File::Register => {
                    crate::render::open_data::REGISTER.to_string()
                }
                crate::render::open_data::File::Consultations => {
                    crate::render::open_data::CONSULTATIONS.to_string()
                }
                crate::render::open_data::File::Schema(i) => {
                    format!("api/schema/{}", crate::render::open_data::SCHEMAS[i].0)
                }
            };
            self.claims.claim(
                problems,
                path,
                "open data Gazette generates".to_string(),
                |d| d,
            );
        }
        let feed_lists: Vec<(String, usize)> =
            std::iter::once(("/".to_string(), self.articles.len()))
                .chain(
                    self.categories
                        .iter()
                        .map(|c| (c.url.clone(), c.pages.len())),
                )
                .collect();
        for (url, count) in feed_lists {
            let pages = crate::render::open_data::feed_pages(count, config.feeds.page_size);
            for page in 1..=pages {
                let path = crate::render::open_data::feed_path(&url, page);
                let path = path.trim_start_matches('/').to_string();
                self.claims
                    .claim(problems, path, format!("the JSON Feed of {url}"), |d| d);
            }
        }
        let lists: Vec<(&str, String, String, usize)> = self
            .sections
            .iter()
            .map(|l| ("section", l))
            .chain(self.categories.iter().map(|l| ("category", l)))
            .chain(self.tags.iter().map(|l| ("tag", l)))
            .chain(
                self.register
                    .iter()
                    .flat_map(|r| r.filters().map(|(_, l)| ("register", l))),
            )
            .chain(
                self.consultations
                    .iter()
                    .flat_map(|c| c.filters().map(|(_, l)| ("consultations", l))),
            )
            .map(|(kind, l)| (kind, l.url.clone(), l.name.clone(), l.pages.len()))
            .collect();
        for (kind, url, name, count) in lists {
            let pages = 0..count_pages(config, count);
            self.claim_pagers(config, problems, kind, &url, &name, pages);
        }
        let site_map = output_path(&config.site_map_url());
        for fixed in [
            "index.html",
            "404.html",
            "rss.xml",
            "atom.xml",
            "sitemap.xml",
            "redirects.map",
            &site_map,
        ] {
            let owner = "a page Gazette generates".to_string();
            self.claims.claim(problems, fixed.into(), owner, |d| d);
        }
        for c in 0..self.categories.len() {
            let category = &self.categories[c];
            for feed in ["rss.xml", "atom.xml"] {
                let (path, owner) = (
                    format!("{}{feed}", category.url.trim_start_matches('/')),
                    format!("the feed of `{}`", category.name),
                );
                self.claims.claim(problems, path, owner, |d| d);
            }
        }
    }

    /// Claims pages `numbers` (0-based: page 1 is 0) of the list at `url`.
    fn claim_pagers(
        &mut self,
        config: &Config,
        problems: &mut Vec<Diagnostic>,
        kind: &str,
        url: &str,
        name: &str,
        numbers: Range<usize>,
    ) {
        for number in numbers {
            let url = pager_url(url, number + 1, &config.paths.page);
            self.claims.claim(
                problems,
                output_path(&url),
                format!("the {kind} page of `{name}`"),
                |d| d,
            );
        }
    }

    fn release_pagers(&mut self, config: &Config, url: &str, numbers: Range<usize>) {
        for number in numbers {
            self.claims.release(&output_path(&pager_url(
                url,
                number + 1,
                &config.paths.page,
            )));
        }
    }

    /// The copies and redirect pages of every page, in the pages' order,
    /// then the content's other files.
    fn collect_files_and_aliases(&mut self) {
        self.files.clear();
        self.aliases.clear();
        for page in &self.pages {
            for asset in &page.page.assets {
                self.files.push(CopyFile {
                    source: asset.source.clone(),
                    path: asset_path(page, &asset.name),
                });
            }
            for alias in &page.page.aliases {
                self.aliases.push(Alias {
                    path: output_path(alias),
                    target: page.url.clone(),
                });
            }
        }
        self.files.extend(self.statics.iter().cloned());
    }
}

/// How many pages a list of `count` items takes.
fn count_pages(config: &Config, count: usize) -> usize {
    page_count(count, config.paginate)
}

/// Where a bundle's file is published.
fn asset_path(page: &SitePage, name: &str) -> String {
    format!("{}{name}", page.page.asset_base.trim_start_matches('/'))
}

/// How two pages on one URL can be told apart: by a `slug:`, or, when
/// the URL comes from the title, by a pattern with the date or the id.
fn collision_hint(config: &Config, page: &Page) -> String {
    if page.url_from_title {
        let section = page.section.as_deref().unwrap_or("tin-tuc");
        format!(
            "two pages with one title: give one of them a `slug:`, or put `{{year}}` or `{{id}}` \
             in the pattern `{}`, e.g. `permalinks: {{ {section}: \"/{section}/{{year}}/{{title}}/\" }}`",
            config.permalinks.pattern_text(page.section.as_deref())
        )
    } else {
        "give one of them another `slug:`, or rename its file".into()
    }
}

fn site_page(page: Page, indexed: Indexed) -> SitePage {
    let url = page_url(&page);
    let image_url = page
        .image
        .as_ref()
        .map(|image| resolve_link(&page.asset_base, &image.src));
    SitePage {
        body_summary: indexed.summary,
        url,
        image_url,
        categories: Vec::new(),
        tags: Vec::new(),
        tag_slugs: page.tags.iter().map(|name| slugify(name)).collect(),
        related: Vec::new(),
        lead_html: indexed.lead_html,
        candidates: indexed.candidates,
        mentions: indexed.mentions,
        documents: Vec::new(),
        mentioned_by: Vec::new(),
        page,
    }
}

/// Where a page is published, as its permalink pattern decided when it
/// was loaded.
pub fn page_url(page: &Page) -> String {
    page.url.clone()
}

/// A link written in a page, as a site path: relative links are relative
/// to the folder of the page's own files (its bundle,
/// [`Page::asset_base`]); absolute paths and full URLs stay.
pub fn resolve_link(base: &str, link: &str) -> String {
    if link.starts_with('/') || link.contains("://") || link.starts_with("data:") {
        link.to_string()
    } else {
        format!("{base}{}", link.trim_start_matches("./"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginates_with_a_last_short_page_and_one_empty_page() {
        let pages = paginate(45, 20);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].items, 40..45);
        assert_eq!(pages[0].total, 3);
        assert_eq!(
            paginate(0, 20),
            vec![Pager {
                number: 1,
                total: 1,
                items: 0..0
            }]
        );
    }

    #[test]
    fn urls_and_output_paths() {
        assert_eq!(pager_url("/chuyen-muc/a/", 1, "trang"), "/chuyen-muc/a/");
        assert_eq!(
            pager_url("/chuyen-muc/a/", 3, "trang"),
            "/chuyen-muc/a/trang/3/"
        );
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/tin-tuc/a/"), "tin-tuc/a/index.html");
        assert_eq!(output_path("/tin-tuc/123.html"), "tin-tuc/123.html");
        assert_eq!(output_path("/cu/bai"), "cu/bai/index.html");
        assert_eq!(resolve_link("/tin-tuc/a/", "anh.svg"), "/tin-tuc/a/anh.svg");
        assert_eq!(resolve_link("/tin-tuc/a/", "/anh.svg"), "/anh.svg");
    }
}
