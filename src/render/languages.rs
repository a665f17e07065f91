//! Rendering in each of the site's languages ([`crate::lang`]): a
//! renderer per language, with that language's title, menu, UI strings and
//! lists; the jobs of the other languages' home pages, feeds and search
//! pages; and the links to a page's translations every page carries.

use tera::Context;

use super::{Job, Link, Renderer, feeds::Format};
use crate::config::Config;
use crate::lang::{self, Alternate, Links};
use crate::search;
use crate::site::Site;

/// The site's config as each language shows it, the pages' translations,
/// and each language's articles and featured articles, newest first.
pub(super) struct Localized {
    pub configs: Vec<Config>,
    pub links: Links,
    pub lists: Vec<(Vec<usize>, Vec<usize>)>,
}

impl Localized {
    pub fn new(site: &Site, config: &Config) -> Self {
        let configs = config
            .languages
            .iter()
            .enumerate()
            .map(|(l, language)| {
                let mut localized = config.clone();
                if l > 0 {
                    localized.title = language.title.clone();
                    localized.description = language.description.clone();
                    localized.language = language.code.clone();
                    localized.organization = language.organization.clone();
                    if let Some(footer) = &language.footer {
                        localized.footer = footer.clone();
                    }
                    // The language's own site map, `/en/so-do-cong/`, which
                    // its footer links.
                    localized.paths.site_map =
                        format!("{}/{}", language.code, config.paths.site_map);
                }
                localized
            })
            .collect();
        let several = config.languages.len() > 1;
        let lists = (0..config.languages.len())
            .map(|l| {
                let articles = articles(site, config, l);
                let featured = (articles.iter().copied())
                    .filter(|&i| site.pages[i].page.featured)
                    .collect();
                (articles, featured)
            })
            .collect();
        Localized {
            configs,
            links: if several {
                Links::new(&site.pages)
            } else {
                Links::default()
            },
            lists,
        }
    }

    /// Which language's renderer renders `job`.
    pub fn language_of(&self, site: &Site, job: &Job) -> usize {
        match job {
            Job::Page(index) => {
                lang::links::language_of(&self.configs[0].languages, &site.pages[*index])
            }
            Job::InLanguage(l, _) => *l,
            _ => 0,
        }
    }
}

/// The articles of language `l`, newest first.
pub(super) fn articles(site: &Site, config: &Config, l: usize) -> Vec<usize> {
    if l == 0 {
        return site.articles.clone();
    }
    let code = config
        .languages
        .get(l)
        .map(|language| language.code.as_str());
    (0..site.pages.len())
        .filter(|&i| {
            let page = &site.pages[i].page;
            page.lang.as_deref() == code && page.is_news()
        })
        .collect()
}

/// The home page, feeds, search page, site map and not-found page of each
/// language but the site's.
pub(super) fn jobs(site: &Site, config: &Config) -> Vec<Job> {
    let mut jobs = Vec::new();
    for l in 1..config.languages.len() {
        let wrap = |job: Job| Job::InLanguage(l, Box::new(job));
        jobs.push(wrap(Job::Home));
        jobs.extend(Format::ALL.map(|format| wrap(Job::Feed(format))));
        let count = articles(site, config, l).len();
        let pages = super::open_data::feed_pages(count, config.feeds.page_size);
        jobs.extend((1..=pages).map(|page| {
            wrap(Job::JsonFeed {
                category: None,
                page,
            })
        }));
        jobs.push(wrap(Job::PortalMap));
        jobs.push(wrap(Job::NotFound));
        if config.search.enabled {
            jobs.push(wrap(Job::SearchPage));
        }
    }
    jobs
}

/// The menu of language `lang`: the categories in the site's own, the
/// configured pages in the others.
pub(super) fn menu<'a>(site: &'a Site, config: &'a Config, lang: usize) -> Vec<Link<'a>> {
    if lang == 0 {
        site.categories
            .iter()
            .map(|c| Link {
                name: &c.name,
                url: &c.url,
            })
            .collect()
    } else {
        config.languages[lang]
            .menu
            .iter()
            .map(|m| Link {
                name: &m.name,
                url: &m.url,
            })
            .collect()
    }
}

/// The header's search form in language `lang`: its own search page.
pub(super) fn search_form(config: &Config, lang: usize) -> Option<search::Form> {
    let mut form = search::form(config)?;
    if lang > 0 {
        let prefix = &config.languages[lang].prefix;
        if form.action == form.url {
            form.action = format!("{prefix}{}", form.action);
        }
        form.url = format!("{prefix}{}", form.url);
    }
    Some(form)
}

impl<'a> Renderer<'a> {
    /// This language's home page, `/` or `/en/`.
    pub(super) fn home_url(&self) -> &'a str {
        &self.config.languages[self.lang].home
    }

    /// `""`, or `/en` for English.
    pub(super) fn prefix(&self) -> &'a str {
        &self.config.languages[self.lang].prefix
    }

    /// This language's UI strings.
    pub(super) fn strings(&self) -> &'a serde_json::Value {
        self.theme
            .languages
            .get(self.lang)
            .map_or(&self.theme.strings, |l| &l.strings)
    }

    /// `languages` in the context of a site with more than one: each
    /// language's version of what `job` shows (its translation, else that
    /// language's home page), for `hreflang` and the language switch.
    pub(super) fn languages(&self, context: &mut Context, job: &Job) {
        let languages = &self.config.languages;
        if languages.len() < 2 {
            return;
        }
        let home = match job {
            Job::Home => true,
            Job::InLanguage(_, inner) => **inner == Job::Home,
            _ => false,
        };
        let mut alternates: Vec<Alternate> = match job {
            Job::Page(index) => self.links.of_page(&self.site.pages, languages, *index),
            // Home pages are each other's translations; other pages of
            // Gazette's own lead to the other languages' home pages.
            _ => lang::links::homes(languages, self.lang, home),
        };
        for alternate in &mut alternates {
            alternate.href = self.config.permalink(&alternate.url);
        }
        context.insert("languages", &alternates);
    }
}
