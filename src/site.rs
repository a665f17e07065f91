//! Stage 4, index: the site model, built from the rendered pages without
//! any I/O. It decides every URL (and refuses two things on one), sorts
//! lists newest first, groups pages by section, category and tag, splits
//! lists into pages, and picks "Tin cùng chuyên mục" for each article.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::{Page, PageKind, Section, StaticFile};
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
    /// Every directive number, to link them in bodies as pages are written.
    pub numbers: NumberIndex,
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

/// Who claimed an output path first, to name both sides of a collision.
struct Claims {
    /// By the path lowercased, as Windows and macOS take `Anh.jpg` and
    /// `anh.jpg` for one file: the path as claimed, and who claimed it.
    owners: BTreeMap<String, (String, String)>,
    problems: Vec<Diagnostic>,
}

impl Claims {
    fn claim(
        &mut self,
        path: String,
        owner: String,
        located: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        self.claim_with(
            path,
            owner,
            || "give one of them another `slug:` (or remove the alias)".into(),
            located,
        );
    }

    /// Claims `path` for `owner`; `hint` is made only for a collision.
    fn claim_with(
        &mut self,
        path: String,
        owner: String,
        hint: impl FnOnce() -> String,
        located: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        let folded = path.to_lowercase();
        match self.owners.get(&folded) {
            Some((claimed, first)) if *claimed == path => {
                let url = format!("/{}", path.trim_end_matches("index.html"));
                self.problems.push(
                    located(Diagnostic::error(format!(
                        "two things on one URL `{url}`: {first} and {owner}"
                    )))
                    .with_hint(hint()),
                );
            }
            Some((_, first)) => {
                self.problems.push(
                    located(Diagnostic::error(format!(
                        "two files whose names differ only in case, `{path}`: {first} and {owner}"
                    )))
                    .with_hint("Windows and macOS take them for one file: rename one of them"),
                );
            }
            None => {
                self.owners.insert(folded, (path, owner));
            }
        }
    }
}

pub fn build(
    config: &Config,
    indexed: Vec<(Page, Indexed)>,
    numbers: NumberIndex,
    sections: Vec<Section>,
    files: Vec<StaticFile>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut claims = Claims {
        owners: BTreeMap::new(),
        problems: Vec::new(),
    };
    let mut site = Site {
        home: sections.iter().find(|s| s.name.is_empty()).cloned(),
        numbers,
        ..Site::default()
    };

    let mut pages: Vec<SitePage> = indexed
        .into_iter()
        .map(|(page, indexed)| site_page(page, indexed))
        .collect();
    // Newest first; equal dates by title, then by file, so the order never
    // depends on the file system.
    pages.sort_by(|a, b| {
        let kind = |p: &SitePage| p.page.kind == PageKind::Plain;
        kind(a)
            .cmp(&kind(b))
            .then_with(|| b.page.date.cmp(&a.page.date))
            .then_with(|| a.page.title.cmp(&b.page.title))
            // The file's path last, as the walk of content/ reads them:
            // the order never depends on how the pages were handed in (a
            // rebuild after an edit hands them in another order).
            .then_with(|| a.page.path.cmp(&b.page.path))
    });
    for page in &pages {
        let file = page.page.file.display().to_string();
        let hint = || collision_hint(config, &page.page);
        claims.claim_with(output_path(&page.url), file.clone(), hint, |d| {
            d.in_file(&page.page.file)
        });
        for asset in &page.page.assets {
            let path = format!(
                "{}{}",
                page.page.asset_base.trim_start_matches('/'),
                asset.name
            );
            claims.claim(
                path.clone(),
                format!("the file {} of {file}", asset.name),
                |d| d.in_file(&page.page.file),
            );
            site.files.push(CopyFile {
                source: asset.source.clone(),
                path,
            });
        }
    }

    site.categories = config
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
        .collect();
    let mut tags: BTreeMap<String, Listing> = BTreeMap::new();
    let mut section_pages: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Each page's tag slugs, in its order: slugified once.
    let mut tag_slugs: Vec<Vec<String>> = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter_mut().enumerate() {
        if page.page.kind == PageKind::Article && page.page.document.is_none() {
            site.articles.push(index);
            if page.page.featured {
                site.featured.push(index);
            }
        }
        if let Some(section) = &page.page.section {
            section_pages
                .entry(section.clone())
                .or_default()
                .push(index);
        }
        for slug in &page.page.categories {
            if let Some(c) = site.categories.iter().position(|c| &c.slug == slug) {
                site.categories[c].pages.push(index);
                page.categories.push(c);
            }
        }
        let slugs: Vec<String> = page.page.tags.iter().map(|name| slugify(name)).collect();
        for (name, slug) in page.page.tags.iter().zip(&slugs) {
            let slug = slug.clone();
            tags.entry(slug.clone())
                .or_insert_with(|| Listing {
                    name: name.clone(),
                    url: format!("/{}/{}/", config.paths.tag, slug),
                    slug,
                    description: String::new(),
                    pages: Vec::new(),
                    template: None,
                })
                .pages
                .push(index);
        }
        tag_slugs.push(slugs);
    }
    site.tags = tags.into_values().collect();
    site.tags.sort_by_key(|t| t.name.to_lowercase());
    let tag_index: BTreeMap<&str, usize> = site
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    for (page, slugs) in pages.iter_mut().zip(tag_slugs) {
        page.tags = slugs
            .iter()
            .filter_map(|slug| tag_index.get(slug.as_str()).copied())
            .collect();
    }

    site.sections = section_pages
        .into_iter()
        .map(|(name, list)| {
            let meta = sections.iter().find(|s| s.name == name);
            Listing {
                name: meta.map_or_else(|| name.clone(), |s| s.title.clone()),
                url: format!("/{name}/"),
                description: meta.and_then(|s| s.description.clone()).unwrap_or_default(),
                template: meta.and_then(|s| s.template.clone()),
                slug: name,
                pages: list,
            }
        })
        .collect();

    // The register replaces the plain list of its own section (`/van-ban/`).
    let register_meta = sections.iter().find(|s| s.name == config.paths.register);
    site.register = register::register(
        &pages,
        &config.paths,
        register_meta.map_or("", |s| s.title.as_str()),
        register_meta
            .and_then(|s| s.description.as_deref())
            .unwrap_or(""),
    );
    if site.register.is_some() {
        site.sections.retain(|s| s.slug != config.paths.register);
    }
    if let Some(register) = &site.register {
        for feed in ["rss.xml", "atom.xml"] {
            claims.claim(
                format!("{}{feed}", register.all.url.trim_start_matches('/')),
                "the register's feed".into(),
                |d| d,
            );
        }
    }

    let lists = (site.sections.iter().map(|l| ("section", l)))
        .chain(site.categories.iter().map(|l| ("category", l)))
        .chain(site.tags.iter().map(|l| ("tag", l)))
        .chain(
            site.register
                .iter()
                .flat_map(|r| r.filters().map(|(_, l)| ("register", l))),
        );
    for (kind, list) in lists {
        for pager in paginate(list.pages.len(), config.paginate) {
            let url = pager_url(&list.url, pager.number, &config.paths.page);
            claims.claim(
                output_path(&url),
                format!("the {kind} page of `{}`", list.name),
                |d| d,
            );
        }
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
        claims.claim(fixed.into(), "a page Gazette generates".into(), |d| d);
    }
    for category in &site.categories {
        for feed in ["rss.xml", "atom.xml"] {
            claims.claim(
                format!("{}{feed}", category.url.trim_start_matches('/')),
                format!("the feed of `{}`", category.name),
                |d| d,
            );
        }
    }

    for page in &pages {
        for alias in &page.page.aliases {
            let path = output_path(alias);
            let file = &page.page.file;
            let owner = format!("the alias `{alias}` of {}", file.display());
            claims.claim(path.clone(), owner, |d| d.in_file(file));
            site.aliases.push(Alias {
                path,
                target: page.url.clone(),
            });
        }
    }
    for file in files {
        claims.claim(
            file.path.clone(),
            format!("the file content/{}", file.path),
            |d| d,
        );
        site.files.push(CopyFile {
            source: file.source,
            path: file.path,
        });
    }

    let related: Vec<Vec<usize>> = (0..pages.len())
        .map(|index| match pages[index].categories.first() {
            Some(&c) => site.categories[c]
                .pages
                .iter()
                .copied()
                .filter(|&other| other != index)
                .take(config.related)
                .collect(),
            None => Vec::new(),
        })
        .collect();
    for (page, related) in pages.iter_mut().zip(related) {
        page.related = related;
    }
    register::cross_link(&mut pages);
    site.pages = pages;

    if claims.problems.is_empty() {
        Ok(site)
    } else {
        Err(claims.problems)
    }
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
        related: Vec::new(),
        lead_html: indexed.lead_html,
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
