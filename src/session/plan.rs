//! Which outputs an edit may have changed, from what the index update
//! touched ([`site::Touched`]), without going through every output of the
//! site: the edited pages and those that show them; of the lists they were
//! or are on, every page when a page came, went, moved in the order or
//! changed lists, else only the list pages that hold an edited page, and
//! none when the edit changed nothing lists show (a body edit); the
//! register when a directive changed, the aliases when a page with aliases
//! did, the few outputs made from the whole site that the edit may change
//! (home, feeds, 404, the site map page; the sitemap when a URL or a date
//! changed), and every page with a side column when what its "Tin mới" and
//! "Văn bản mới" may show changed ([`render::aside`]). Of those, the ones
//! whose inputs did not change are not rendered
//! ([`super::Session::rebuild`]). Also the outputs that may be gone: the
//! old URLs of moved and deleted pages, and the pages a list shrank by.

use std::collections::HashMap;

use crate::config::{Config, FeedContent};
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
    // not rendered, those the archive shrank by are gone. When no page
    // came, went, moved or changed its lists, every list holds the same
    // items in the same order: only the pages (of lists and JSON Feeds)
    // that hold an edited page may change, and only when the edit changed
    // what lists show, or feeds carry whole bodies.
    let settled = !touched.moved;
    let shown = !touched.shown.is_empty();
    let bodies = config.feeds.content == FeedContent::Full;
    let size = config.feeds.page_size;
    if !settled {
        let feed = render::json_feed_jobs(site, config, None);
        gone.extend(json_feed_gone(outputs, "/", feed.len()));
        jobs.extend(feed);
    } else if shown || bodies {
        jobs.extend(
            holding(&site.articles, touched, size).map(|page| Job::JsonFeed {
                category: None,
                page,
            }),
        );
    }
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
        if settled {
            let Some((index, list)) = listing(site, id) else {
                continue;
            };
            if shown {
                jobs.extend(
                    holding(&list.pages, touched, config.paginate)
                        .map(|page| list_job(id.kind, index, page)),
                );
            }
            if id.kind == "category" && (shown || bodies) {
                jobs.extend(render::feed_jobs(|format| Job::CategoryFeed(index, format)));
                jobs.extend(
                    holding(&list.pages, touched, size).map(|page| Job::JsonFeed {
                        category: Some(index),
                        page,
                    }),
                );
            }
            continue;
        }
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
    // The drafts' register is small: every page of it is rendered again,
    // its filters' counts included.
    if let Some(drafts) = &site.consultations
        && touched.consultations
    {
        jobs.extend(render::feed_jobs(Job::ConsultationFeed));
        jobs.push(Job::OpenData(render::open_data::File::Consultations));
        for (filter, list) in drafts.filters() {
            jobs.extend(
                (1..=pages(list.pages.len())).map(|page| Job::Consultations { filter, page }),
            );
        }
        for (url, _, count) in &touched.consultations_before {
            gone.extend((1..=pages(*count)).map(|n| format!("consultations {url} {n}")));
        }
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

/// The numbers of the pages of `list` (page indexes, ascending), `per_page`
/// items each, that hold a page the edit read again.
fn holding(
    list: &[usize],
    touched: &site::Touched,
    per_page: usize,
) -> impl Iterator<Item = usize> {
    let mut pages: Vec<usize> = (touched.visited.iter())
        .filter_map(|i| list.binary_search(i).ok())
        .map(|at| at / per_page.max(1) + 1)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages.into_iter()
}

/// The keys of the JSON Feed pages of the list at `url` beyond its `pages`
/// (looked up one by one from there: pages are numbered without gaps).
fn json_feed_gone(
    outputs: &HashMap<String, (Option<u64>, String)>,
    url: &str,
    pages: usize,
) -> Vec<String> {
    ((pages + 1)..)
        .map(|n| format!("jsonfeed {url} {n}"))
        .take_while(|key| outputs.contains_key(key))
        .collect()
}

/// The list `id` names, and its index among the lists of its kind.
fn listing<'a>(site: &'a Site, id: &ListId) -> Option<(usize, &'a site::Listing)> {
    let lists = match id.kind {
        "section" => &site.sections,
        "category" => &site.categories,
        _ => &site.tags,
    };
    let index = lists.iter().position(|l| l.url == id.url)?;
    Some((index, &lists[index]))
}

/// The job of page `page` of list `index` of kind `kind`.
fn list_job(kind: &str, list: usize, page: usize) -> Job {
    match kind {
        "section" => Job::Section { list, page },
        "category" => Job::Category { list, page },
        _ => Job::Tag { list, page },
    }
}

/// Adds the jobs of every page of the list `id` (and a category's feeds);
/// returns how many pages it has now (none when it is gone).
fn list_jobs(site: &Site, config: &Config, id: &ListId, jobs: &mut Vec<Job>) -> usize {
    let Some((index, list)) = listing(site, id) else {
        return 0;
    };
    if id.kind == "category" {
        jobs.extend(render::feed_jobs(|format| Job::CategoryFeed(index, format)));
    }
    let total = page_count(list.pages.len(), config.paginate);
    jobs.extend((1..=total).map(|page| list_job(id.kind, index, page)));
    total
}
