//! Stage 5, render: every output file is a job rendered through Tera, in
//! parallel. Contexts are small: lists carry page summaries (title, URL,
//! date, summary, image), never whole pages or the whole site, and the parts
//! every page shares are serialised once.

use chrono::{Datelike, Timelike};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::PageKind;
use crate::content::date::Date;
use crate::diagnostic::Diagnostic;
use crate::register::Filter;
use crate::site::{Listing, Site, SitePage, output_path, pager_url, paginate};
use crate::theme::{Theme, template_error};

mod register;

/// Items in a feed.
const FEED_ITEMS: usize = 20;

/// What one output file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home,
    Page(usize),
    Section { list: usize, page: usize },
    Category { list: usize, page: usize },
    Tag { list: usize, page: usize },
    CategoryFeed(usize),
    Feed,
    Sitemap,
    NotFound,
    Alias(usize),
    Register { filter: Filter, page: usize },
    RegisterFeed,
}

/// Every job of a site, in a stable order.
pub fn jobs(site: &Site, config: &Config) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Feed, Job::Sitemap, Job::NotFound];
    jobs.extend((0..site.pages.len()).map(Job::Page));
    let pages = |list: &Listing| paginate(list.pages.len(), config.paginate).len();
    for (list, section) in site.sections.iter().enumerate() {
        jobs.extend((1..=pages(section)).map(|page| Job::Section { list, page }));
    }
    for (list, category) in site.categories.iter().enumerate() {
        jobs.extend((1..=pages(category)).map(|page| Job::Category { list, page }));
        jobs.push(Job::CategoryFeed(list));
    }
    for (list, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=pages(tag)).map(|page| Job::Tag { list, page }));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    if let Some(register) = &site.register {
        for (filter, list) in register.filters() {
            jobs.extend((1..=pages(list)).map(|page| Job::Register { filter, page }));
        }
        jobs.push(Job::RegisterFeed);
    }
    jobs
}

/// A rendered output file.
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The content file it was rendered from, if it is a page's.
    pub source: Option<std::path::PathBuf>,
}

/// Renders every job, calling `write` for each file as soon as it is ready;
/// returns every problem from rendering and writing.
pub fn render_all(
    site: &Site,
    config: &Config,
    theme: &Theme,
    jobs: &[Job],
    write: impl Fn(Output) -> Result<(), Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let renderer = Renderer::new(site, config, theme);
    jobs.par_iter()
        .filter_map(|job| renderer.render(job).and_then(&write).err())
        .collect()
}

#[derive(Serialize)]
struct Link<'a> {
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct DateView {
    /// "Thứ Ba, 23/02/2021, 07:59 (GMT+7)"
    display: String,
    /// "23/02/2021"
    short: String,
    iso: String,
    /// For RSS `pubDate`.
    rfc2822: String,
}

#[derive(Serialize)]
struct ImageView<'a> {
    src: &'a str,
    alt: &'a str,
    caption: Option<&'a str>,
}

/// What a list shows of a page.
#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    url: &'a str,
    date: Option<DateView>,
    summary: &'a str,
    image: Option<ImageView<'a>>,
    category: Option<Link<'a>>,
}

#[derive(Serialize)]
struct RatingView {
    count: u32,
    average: f32,
    /// "4,5" – Vietnamese decimal comma.
    average_display: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: PageKind,
    id: &'a str,
    title: &'a str,
    url: &'a str,
    permalink: String,
    date: Option<DateView>,
    updated: Option<DateView>,
    summary: &'a str,
    /// True when the summary was written in front matter, so the page shows
    /// it as the lead (sapo) above a body that does not repeat it.
    sapo: bool,
    body: &'a str,
    author: Option<&'a str>,
    source: Option<&'a crate::content::SourceRef>,
    image: Option<ImageView<'a>>,
    categories: Vec<Link<'a>>,
    tags: Vec<Link<'a>>,
    rating: RatingView,
    featured: bool,
    /// The lead as escaped HTML with directive numbers linked.
    lead_html: Option<&'a str>,
    /// Set on directives: the metadata table.
    document: Option<register::DocumentView<'a>>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

impl Pagination {
    /// Links for page `current` of `total`, `url_of` giving each page's URL.
    fn new(current: usize, total: usize, url_of: &dyn Fn(usize) -> String) -> Self {
        Pagination {
            current,
            total,
            previous: (current > 1).then(|| url_of(current - 1)),
            next: (current < total).then(|| url_of(current + 1)),
            pages: (1..=total)
                .map(|n| PagerLink {
                    number: n,
                    url: url_of(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ListView<'a> {
    kind: &'a str,
    name: &'a str,
    description: &'a str,
    url: &'a str,
    feed: Option<String>,
    items: Vec<Summary<'a>>,
    pagination: Pagination,
}

#[derive(Serialize)]
struct Block<'a> {
    name: &'a str,
    url: &'a str,
    items: Vec<Summary<'a>>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    menu: Vec<Link<'a>>,
    organization: &'a crate::config::Organization,
    ratings: &'a crate::config::Ratings,
    year: i32,
    /// The directives register, when the site has one: a menu item.
    register: Option<Link<'a>>,
}

struct Renderer<'a> {
    site: &'a Site,
    config: &'a Config,
    theme: &'a Theme,
    /// `site` and `t`, serialised once and cloned into each context.
    base: Context,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, config: &'a Config, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        let menu = site
            .categories
            .iter()
            .map(|c| Link {
                name: &c.name,
                url: &c.url,
            })
            .collect();
        base.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: &config.description,
                base_url: &config.base_url,
                language: &config.language,
                menu,
                organization: &config.organization,
                ratings: &config.ratings,
                year: chrono::Utc::now().with_timezone(&config.timezone).year(),
                register: site.register.as_ref().map(|r| Link {
                    name: if r.all.name.is_empty() {
                        theme
                            .strings
                            .get("register_title")
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                    } else {
                        &r.all.name
                    },
                    url: &r.all.url,
                }),
            },
        );
        base.insert("t", &theme.strings);
        Renderer {
            site,
            config,
            theme,
            base,
        }
    }

    fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let mut context = self.base.clone();
        let (template, url, file) = match job {
            Job::Home => {
                self.home(&mut context);
                ("index.html".to_string(), "/".to_string(), None)
            }
            Job::Page(index) => {
                let page = &self.site.pages[*index];
                self.page(&mut context, page);
                let default = match page.page.kind {
                    _ if page.page.document.is_some() => "directive.html",
                    PageKind::Article => "article.html",
                    PageKind::Plain => "page.html",
                };
                let template = page.page.template.clone().unwrap_or_else(|| default.into());
                (template, page.url.clone(), Some(&page.page.file))
            }
            Job::Section { list, page } => {
                self.list(&mut context, "section", &self.site.sections[*list], *page)
            }
            Job::Category { list, page } => self.list(
                &mut context,
                "category",
                &self.site.categories[*list],
                *page,
            ),
            Job::Tag { list, page } => {
                self.list(&mut context, "tag", &self.site.tags[*list], *page)
            }
            Job::Feed => {
                let items: Vec<Summary> = self.summaries(&self.site.articles, FEED_ITEMS);
                context.insert("items", &items);
                context.insert(
                    "feed",
                    &Link {
                        name: &self.config.title,
                        url: "/",
                    },
                );
                ("rss.xml".into(), "/rss.xml".into(), None)
            }
            Job::CategoryFeed(list) => {
                let category = &self.site.categories[*list];
                let items: Vec<Summary> = self.summaries(&category.pages, FEED_ITEMS);
                context.insert("items", &items);
                context.insert(
                    "feed",
                    &Link {
                        name: &category.name,
                        url: &category.url,
                    },
                );
                ("rss.xml".into(), format!("{}rss.xml", category.url), None)
            }
            Job::Sitemap => {
                context.insert("urls", &self.sitemap_urls());
                ("sitemap.xml".into(), "/sitemap.xml".into(), None)
            }
            Job::NotFound => ("404.html".into(), "/404.html".into(), None),
            Job::Register { filter, page } => match &self.site.register {
                Some(register) => {
                    let (template, url) = self.register(&mut context, register, *filter, *page);
                    (template, url, None)
                }
                None => ("404.html".into(), "/404.html".into(), None),
            },
            Job::RegisterFeed => {
                let (items, name, url) = match &self.site.register {
                    Some(register) => (
                        self.summaries(&register.all.pages, FEED_ITEMS),
                        if register.all.name.is_empty() {
                            self.string("register_title")
                        } else {
                            &register.all.name
                        },
                        register.all.url.as_str(),
                    ),
                    None => (Vec::new(), "", "/"),
                };
                context.insert("items", &items);
                context.insert("feed", &Link { name, url });
                ("rss.xml".into(), format!("{url}rss.xml"), None)
            }
            Job::Alias(index) => {
                let alias = &self.site.aliases[*index];
                context.insert("target", &self.config.permalink(&alias.target));
                ("redirect.html".into(), format!("/{}", alias.path), None)
            }
        };
        context.insert("current_url", &url);
        let text = self.theme.tera.render(&template, &context).map_err(|err| {
            let mut d = template_error(&err, None, None);
            d.message = format!("{} (template `{template}`, rendering `{url}`)", d.message);
            match file {
                Some(file) => d.in_file(file),
                None => d,
            }
        })?;
        Ok(Output {
            path: output_path(&url),
            bytes: text.into_bytes(),
            source: file.cloned(),
        })
    }

    /// A UI string of the theme, or the key itself when the theme lacks it.
    fn string(&self, key: &'static str) -> &str {
        self.theme
            .strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
    }

    fn date(&self, date: &Date) -> DateView {
        let at = date.at;
        let weekday = self
            .theme
            .weekdays
            .get(at.weekday().num_days_from_sunday() as usize)
            .map_or("", String::as_str);
        let short = format!("{:02}/{:02}/{}", at.day(), at.month(), at.year());
        let display = if date.has_time {
            format!(
                "{weekday}, {short}, {:02}:{:02} ({})",
                at.hour(),
                at.minute(),
                gmt(at.offset().local_minus_utc())
            )
        } else {
            format!("{weekday}, {short}")
        };
        DateView {
            display,
            short,
            iso: at.to_rfc3339(),
            rfc2822: at.to_rfc2822(),
        }
    }

    fn image(page: &'a SitePage) -> Option<ImageView<'a>> {
        let image = page.page.image.as_ref()?;
        Some(ImageView {
            src: page.image_url.as_deref().unwrap_or(&image.src),
            alt: &image.alt,
            caption: image.caption.as_deref(),
        })
    }

    fn summary(&self, index: usize) -> Summary<'a> {
        let page = &self.site.pages[index];
        Summary {
            title: &page.page.title,
            url: &page.url,
            date: page.page.date.as_ref().map(|d| self.date(d)),
            summary: &page.summary,
            image: Self::image(page),
            category: page.categories.first().map(|&c| {
                let c = &self.site.categories[c];
                Link {
                    name: &c.name,
                    url: &c.url,
                }
            }),
        }
    }

    /// Summaries of the first `limit` pages of a list.
    fn summaries(&self, list: &[usize], limit: usize) -> Vec<Summary<'a>> {
        list.iter().take(limit).map(|&i| self.summary(i)).collect()
    }

    fn home(&self, context: &mut Context) {
        let home = &self.config.home;
        let featured: Vec<Summary> = self.summaries(&self.site.featured, home.featured);
        let latest: Vec<Summary> = self.summaries(&self.site.articles, home.latest);
        let blocks: Vec<Block> = self
            .site
            .categories
            .iter()
            .filter(|c| !c.pages.is_empty())
            .map(|c| Block {
                name: &c.name,
                url: &c.url,
                items: self.summaries(&c.pages, home.per_category),
            })
            .collect();
        context.insert("featured", &featured);
        context.insert("latest", &latest);
        context.insert("blocks", &blocks);
        let (title, description) = match &self.site.home {
            Some(home) => (
                home.title.as_str(),
                home.description
                    .as_deref()
                    .unwrap_or(&self.config.description),
            ),
            None => (self.config.title.as_str(), self.config.description.as_str()),
        };
        context.insert("title", title);
        context.insert("description", description);
    }

    fn page(&self, context: &mut Context, page: &'a SitePage) {
        let link = |c: &'a Listing| Link {
            name: &c.name,
            url: &c.url,
        };
        let categories: Vec<Link> = page
            .categories
            .iter()
            .map(|&c| link(&self.site.categories[c]))
            .collect();
        let rating = page.page.rating;
        let view = PageView {
            kind: page.page.kind,
            id: &page.page.id,
            title: &page.page.title,
            url: &page.url,
            permalink: self.config.permalink(&page.url),
            date: page.page.date.as_ref().map(|d| self.date(d)),
            updated: page.page.updated.as_ref().map(|d| self.date(d)),
            summary: &page.summary,
            sapo: page.page.summary.is_some(),
            body: &page.html,
            author: page.page.author.as_deref(),
            source: page.page.source.as_ref(),
            image: Self::image(page),
            tags: page
                .tags
                .iter()
                .map(|&t| link(&self.site.tags[t]))
                .collect(),
            rating: RatingView {
                count: rating.count,
                average: rating.average,
                average_display: format!("{:.1}", rating.average).replace('.', ","),
            },
            featured: page.page.featured,
            lead_html: page.lead_html.as_deref(),
            document: self.document_view(page),
            categories,
        };
        self.cross_links(context, page);
        let related: Vec<Summary> = page.related.iter().map(|&i| self.summary(i)).collect();
        let mut crumbs = Vec::new();
        if let Some(&c) = page.categories.first() {
            crumbs.push(link(&self.site.categories[c]));
        } else if let (Some(register), true) = (&self.site.register, page.page.document.is_some()) {
            let name = if register.all.name.is_empty() {
                self.string("register_title")
            } else {
                &register.all.name
            };
            crumbs.push(Link {
                name,
                url: &register.all.url,
            });
            context.insert("menu_url", &register.all.url);
        } else if let Some(section) = page
            .page
            .section
            .as_ref()
            .and_then(|s| self.site.sections.iter().find(|l| &l.slug == s))
        {
            crumbs.push(link(section));
        }
        // The menu marks the article's primary category as active.
        if let Some(&c) = page.categories.first() {
            context.insert("menu_url", &self.site.categories[c].url);
        }
        context.insert("page", &view);
        context.insert("related", &related);
        context.insert("breadcrumbs", &crumbs);
        context.insert("title", &page.page.title);
        context.insert("description", &page.summary);
    }

    fn list(
        &self,
        context: &mut Context,
        kind: &str,
        list: &'a Listing,
        number: usize,
    ) -> (String, String, Option<&'a std::path::PathBuf>) {
        let pagers = paginate(list.pages.len(), self.config.paginate);
        let pager = &pagers[(number - 1).min(pagers.len() - 1)];
        let word = &self.config.paths.page;
        let url_of = |n: usize| pager_url(&list.url, n, word);
        let items = list.pages[pager.items.clone()]
            .iter()
            .map(|&i| self.summary(i))
            .collect();
        let view = ListView {
            kind,
            name: &list.name,
            description: &list.description,
            url: &list.url,
            feed: (kind == "category").then(|| format!("{}rss.xml", list.url)),
            items,
            pagination: Pagination::new(pager.number, pager.total, &url_of),
        };
        let title = if pager.number > 1 {
            format!("{} – {} {}", list.name, self.string("page"), pager.number)
        } else {
            list.name.clone()
        };
        context.insert("list", &view);
        context.insert("title", &title);
        context.insert("description", &list.description);
        context.insert("breadcrumbs", &Vec::<Link>::new());
        let template = list.template.clone().unwrap_or_else(|| "list.html".into());
        (template, url_of(pager.number), None)
    }

    fn sitemap_urls(&self) -> Vec<SitemapUrl> {
        let mut urls = vec![SitemapUrl {
            loc: self.config.permalink("/"),
            lastmod: self
                .site
                .articles
                .first()
                .and_then(|&i| self.site.pages[i].page.date)
                .map(|d| d.at.to_rfc3339()),
        }];
        for page in &self.site.pages {
            let last = page.page.updated.or(page.page.date);
            urls.push(SitemapUrl {
                loc: self.config.permalink(&page.url),
                lastmod: last.map(|d| d.at.to_rfc3339()),
            });
        }
        for list in self
            .site
            .sections
            .iter()
            .chain(&self.site.categories)
            .chain(&self.site.tags)
            .chain(
                self.site
                    .register
                    .iter()
                    .flat_map(|r| r.filters().map(|(_, list)| list)),
            )
        {
            urls.push(SitemapUrl {
                loc: self.config.permalink(&list.url),
                lastmod: None,
            });
        }
        urls
    }
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// "GMT+7", "GMT+5:30", "GMT-3".
fn gmt(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    match minutes % 60 {
        0 => format!("GMT{sign}{}", minutes / 60),
        m => format!("GMT{sign}{}:{m:02}", minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmt_offsets() {
        assert_eq!(gmt(7 * 3600), "GMT+7");
        assert_eq!(gmt(5 * 3600 + 1800), "GMT+5:30");
        assert_eq!(gmt(-3 * 3600), "GMT-3");
        assert_eq!(gmt(0), "GMT+0");
    }
}
