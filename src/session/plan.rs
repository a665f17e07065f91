//! Which outputs an edit may have changed, from what the index update
//! touched ([`site::Touched`]), without going through every output of the
//! site: the edited pages and those that show them, every page of the lists
//! they were or are on, the register when a directive changed, the aliases
//! when a page with aliases did, the few outputs made from the whole site
//! that the edit may change (home, feeds, 404, the site map page; the
//! sitemap when a URL or a date changed), and every page with a side column
//! when what its "Tin mới" and "Văn bản mới" may show changed
//! ([`render::aside`]). Of those, the ones whose inputs did not change are
//! not rendered ([`super::Session::rebuild`]). Also the outputs that may be
//! gone: the old URLs of moved and deleted pages, and the pages a list
//! shrank by.

use std::collections::HashMap;

use crate::config::Config;
use crate::render::{self, Job};
use crate::site::{self, ListId, Site, page_count};

/// The outputs to look at after an edit.
pub(super) struct Plan {
    pub jobs: Vec<Job>,
    /// Keys (as in the session's outputs) of outputs that may be gone; those
    /// not made again are deleted.
    pub gone: Vec<String>,
    /// The register's filters changed (a type, year or issuer came, went
    /// or changed its count): every page of the register shows them.
    pub filters: bool,
}

pub(super) fn plan(
    site: &Site,
    config: &Config,
    touched: &site::Touched,
    outputs: &HashMap<String, (Option<u64>, String)>,
    asides: bool,
) -> Plan {
    let mut gone: Vec<String> = (touched.gone.iter())
        .map(|url| format!("page {url}"))
        .collect();
    // The site map page counts every list's items.
    let mut jobs = vec![Job::Home, Job::NotFound, Job::PortalMap];
    jobs.extend(render::feed_jobs(Job::Feed));
    // The news's JSON Feed pages; those whose items did not change are
    // not rendered, those the archive shrank by are gone.
    let feed = render::json_feed_jobs(site, config, None);
    gone.extend(json_feed_gone(outputs, "/", feed.len()));
    jobs.extend(feed);
    if touched.sitemap {
        jobs.extend(render::sitemap_jobs(site, config));
        gone.extend(
            outputs
                .keys()
                .filter(|k| k.starts_with("SitemapPart("))
                .cloned(),
        );
    }
    if touched.aliases {
        jobs.push(Job::RedirectMap);
    }
    jobs.extend(touched.pages.iter().map(|&i| Job::Page(i)));
    if asides {
        jobs.extend(
            (0..site.pages.len())
                .filter(|&i| render::aside::has_aside(site, i))
                .map(Job::Page),
        );
    }
    let pages = |count: usize| page_count(count, config.paginate);
    let mut lists: Vec<(&ListId, &usize)> = touched.lists.iter().collect();
    lists.sort();
    for (id, &before) in lists {
        let before = match id.kind {
            "category" => pages(before),
            _ if before == 0 => 0,
            _ => pages(before),
        };
        let now = list_jobs(site, config, id, &mut jobs);
        if id.kind == "category" {
            let feed = (site.categories.iter().position(|c| c.url == id.url))
                .map(|c| render::json_feed_jobs(site, config, Some(c)))
                .unwrap_or_default();
            gone.extend(json_feed_gone(outputs, &id.url, feed.len()));
            jobs.extend(feed);
        }
        gone.extend((now + 1..=before).map(|n| format!("{} {} {n}", id.kind, id.url)));
    }
    let mut filters = false;
    if let Some(register) = &site.register
        && touched.register
    {
        jobs.extend(render::feed_jobs(Job::RegisterFeed));
        {
            for (filter, list) in register.filters() {
                jobs.extend(
                    (1..=pages(list.pages.len())).map(|page| Job::Register { filter, page }),
                );
            }
            for (url, _, count) in &touched.register_before {
                gone.extend((1..=pages(*count)).map(|n| format!("register {url} {n}")));
            }
            let now = register
                .filters()
                .map(|(_, l)| (l.url.clone(), l.name.clone(), l.pages.len()));
            filters = !now.eq(touched.register_before.iter().cloned());
        }
    }
    if touched.register {
        jobs.push(Job::OpenData(render::open_data::File::Register));
    }
    if touched.aliases {
        jobs.extend((0..site.aliases.len()).map(Job::Alias));
        gone.extend(outputs.keys().filter(|k| k.starts_with("alias ")).cloned());
    }
    Plan {
        jobs,
        gone,
        filters,
    }
}

/// The keys of the JSON Feed pages of the list at `url` beyond its `pages`.
fn json_feed_gone(
    outputs: &HashMap<String, (Option<u64>, String)>,
    url: &str,
    pages: usize,
) -> Vec<String> {
    let prefix = format!("jsonfeed {url} ");
    (outputs.keys())
        .filter(|key| {
            key.strip_prefix(&prefix)
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n > pages)
        })
        .cloned()
        .collect()
}

/// Adds the jobs of every page of the list `id`; returns how many pages
/// it has now (none when it is gone).
fn list_jobs(site: &Site, config: &Config, id: &ListId, jobs: &mut Vec<Job>) -> usize {
    let position = |lists: &[site::Listing]| lists.iter().position(|l| l.url == id.url);
    let (index, count) = match id.kind {
        "section" => match position(&site.sections) {
            Some(list) => (list, site.sections[list].pages.len()),
            None => return 0,
        },
        "category" => match position(&site.categories) {
            Some(list) => {
                jobs.extend(render::feed_jobs(|format| Job::CategoryFeed(list, format)));
                (list, site.categories[list].pages.len())
            }
            None => return 0,
        },
        _ => match position(&site.tags) {
            Some(list) => (list, site.tags[list].pages.len()),
            None => return 0,
        },
    };
    let total = page_count(count, config.paginate);
    for page in 1..=total {
        jobs.push(match id.kind {
            "section" => Job::Section { list: index, page },
            "category" => Job::Category { list: index, page },
            _ => Job::Tag { list: index, page },
        });
    }
    total
}
