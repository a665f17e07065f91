//! What search engines are told to crawl: `sitemap.xml`, split into files
//! of at most 50,000 URLs under a sitemap index when the site has more (the
//! protocol's limit), and `robots.txt` naming it.
//!
//! A sitemap lists the pages worth finding: the home page, every published
//! page (not drafts shown by `--drafts`, not the search page), the first
//! page of every list, and the HTML site map. Redirect pages, the 404 page
//! and later pages of lists stay out. `<lastmod>` is a page's `updated`,
//! else its `date`; a list's is that of its newest item.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, FixedOffset};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{Output, Renderer};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site::{Listing, Site, SitePage};

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// Google's extension for a URL's versions in other languages.
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// One URL of the sitemap.
pub(super) struct Entry<'a> {
    pub path: Cow<'a, str>,
    pub lastmod: Option<DateTime<FixedOffset>>,
}

fn last_change(page: &SitePage) -> Option<DateTime<FixedOffset>> {
    page.page.updated.or(page.page.date).map(|d| d.at)
}

fn newest(site: &Site, pages: &[usize]) -> Option<DateTime<FixedOffset>> {
    pages
        .iter()
        .filter_map(|&i| last_change(&site.pages[i]))
        .max()
}

/// Every URL of the sitemap, in a stable order.
pub(super) fn entries<'a>(site: &'a Site, config: &Config) -> impl Iterator<Item = Entry<'a>> {
    let search = config.search_url();
    let lists = site
        .sections
        .iter()
        .chain(&site.categories)
        .chain(&site.tags)
        .chain(
            site.register
                .iter()
                .flat_map(|r| r.filters().map(|(_, list)| list)),
        )
        .chain((site.consultations.iter()).flat_map(|c| c.filters().map(|(_, list)| list)));
    let list_entry = move |list: &'a Listing| Entry {
        path: Cow::Borrowed(list.url.as_str()),
        lastmod: newest(site, &list.pages),
    };
    std::iter::once(Entry {
        path: Cow::Borrowed("/"),
        lastmod: newest(site, &site.articles),
    })
    // The other languages' home pages.
    .chain(config.languages.iter().skip(1).map(|l| Entry {
        path: Cow::Owned(l.home.clone()),
        lastmod: None,
    }))
    .chain(
        site.pages
            .iter()
            .filter(move |page| !page.page.draft && page.url != search)
            .map(|page| Entry {
                path: Cow::Borrowed(page.url.as_str()),
                lastmod: last_change(page),
            }),
    )
    .chain(lists.map(list_entry))
    .chain(std::iter::once(Entry {
        path: Cow::Owned(config.site_map_url()),
        lastmod: None,
    }))
    // And theirs: `/en/so-do-cong/`.
    .chain(config.languages.iter().skip(1).map(|l| Entry {
        path: Cow::Owned(format!("/{}/{}/", l.code, config.paths.site_map)),
        lastmod: None,
    }))
}

/// How many files `count` URLs take at `limit` per file: none beyond
/// `sitemap.xml` itself while they fit in one.
pub fn parts(count: usize, limit: usize) -> usize {
    if count <= limit {
        0
    } else {
        count.div_ceil(limit.max(1))
    }
}

/// The file of part `number` (1-based) of a split sitemap.
pub fn part_path(number: usize) -> String {
    format!("sitemap-{number}.xml")
}

impl Renderer<'_> {
    /// `sitemap.xml`: every URL, or the index of the parts.
    pub(super) fn sitemap(&self) -> Result<Output, Diagnostic> {
        let limit = self.config.sitemap_limit;
        let count = entries(self.site, self.config).count();
        let bytes = match parts(count, limit) {
            0 => self.urlset(entries(self.site, self.config)),
            total => self.sitemap_index(total, limit),
        }
        .map_err(|err| Diagnostic::error(format!("cannot write the sitemap: {err}")))?;
        Ok(Output {
            path: "sitemap.xml".into(),
            bytes,
            source: None,
        })
    }

    /// Part `number` of a split sitemap.
    pub(super) fn sitemap_part(&self, number: usize) -> Result<Output, Diagnostic> {
        let path = part_path(number);
        if let Some(file) = self.site.files.iter().find(|f| f.path == path) {
            return Err(Diagnostic::error(format!(
                "two things on one URL `/{path}`: the file content/{} and a part of the sitemap",
                file.path
            ))
            .with_hint("rename or remove the file: Gazette writes the sitemap's parts"));
        }
        let limit = self.config.sitemap_limit;
        let part = entries(self.site, self.config)
            .skip((number - 1) * limit)
            .take(limit);
        let bytes = self
            .urlset(part)
            .map_err(|err| Diagnostic::error(format!("cannot write /{path}: {err}")))?;
        Ok(Output {
            path,
            bytes,
            source: None,
        })
    }

    fn urlset<'e>(&self, entries: impl Iterator<Item = Entry<'e>>) -> io::Result<Vec<u8>> {
        let mut writer = start(Vec::with_capacity(64 * 1024))?;
        let alternates = self.sitemap_alternates();
        let mut urlset = writer
            .create_element("urlset")
            .with_attribute(("xmlns", NAMESPACE));
        if self.config.languages.len() > 1 {
            urlset = urlset.with_attribute(("xmlns:xhtml", XHTML));
        }
        urlset.write_inner_content(|w| {
            for entry in entries {
                newline(w)?;
                let loc = self.config.permalink(&entry.path);
                let pairs = alternates.get(entry.path.as_ref());
                w.create_element("url").write_inner_content(|w| {
                    location(w, &loc, entry.lastmod)?;
                    for (code, path) in pairs.into_iter().flatten() {
                        w.create_element("xhtml:link")
                            .with_attributes([
                                ("rel", "alternate"),
                                ("hreflang", code.as_str()),
                                ("href", self.config.permalink(path).as_str()),
                            ])
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            }
            newline(w)
        })?;
        Ok(writer.into_inner())
    }

    fn sitemap_index(&self, total: usize, limit: usize) -> io::Result<Vec<u8>> {
        let mut lastmods = vec![None; total];
        for (i, entry) in entries(self.site, self.config).enumerate() {
            let part = &mut lastmods[(i / limit).min(total - 1)];
            *part = (*part).max(entry.lastmod);
        }
        let mut writer = start(Vec::new())?;
        writer
            .create_element("sitemapindex")
            .with_attribute(("xmlns", NAMESPACE))
            .write_inner_content(|w| {
                for (i, lastmod) in lastmods.into_iter().enumerate() {
                    newline(w)?;
                    let loc = self.config.permalink(&format!("/{}", part_path(i + 1)));
                    w.create_element("sitemap")
                        .write_inner_content(|w| location(w, &loc, lastmod))?;
                }
                newline(w)
            })?;
        Ok(writer.into_inner())
    }

    /// The versions of each page in every language, by site path (pages
    /// with translations, and the home pages), itself included.
    fn sitemap_alternates(&self) -> std::collections::HashMap<&str, Vec<(String, String)>> {
        let languages = &self.config.languages;
        let mut map = std::collections::HashMap::new();
        if languages.len() < 2 {
            return map;
        }
        let homes: Vec<(String, String)> = languages
            .iter()
            .map(|l| (l.code.clone(), l.home.clone()))
            .collect();
        for language in languages {
            map.insert(language.home.as_str(), homes.clone());
        }
        for (index, page) in self.site.pages.iter().enumerate() {
            let group = self.links.group(index);
            if group.is_empty() {
                continue;
            }
            let pairs = group
                .iter()
                .map(|&i| {
                    let l = crate::lang::links::language_of(languages, &self.site.pages[i]);
                    (languages[l].code.clone(), self.site.pages[i].url.clone())
                })
                .collect();
            map.insert(page.url.as_str(), pairs);
        }
        map
    }

    /// `robots.txt`: everything may be crawled but the search page (whose
    /// `?q=` URLs are endless), and the sitemap is named.
    pub(super) fn robots(&self) -> Output {
        let search = self.config.search_url();
        let disallow: String = self
            .config
            .languages
            .iter()
            .map(|l| format!("Disallow: {}{search}\n", l.prefix))
            .collect();
        let text = format!(
            "# Generated by Gazette.\nUser-agent: *\n{disallow}\nSitemap: {}\n",
            self.config.permalink("/sitemap.xml")
        );
        Output {
            path: ROBOTS.into(),
            bytes: text.into_bytes(),
            source: None,
        }
    }
}

/// The file a site may write itself (in `content/`), replacing Gazette's.
pub const ROBOTS: &str = "robots.txt";

fn start(buffer: Vec<u8>) -> io::Result<Writer<Vec<u8>>> {
    let mut writer = Writer::new(buffer);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    newline(&mut writer)?;
    Ok(writer)
}

fn newline(writer: &mut Writer<Vec<u8>>) -> io::Result<()> {
    writer.write_event(Event::Text(BytesText::from_escaped("\n")))
}

fn location(
    writer: &mut Writer<Vec<u8>>,
    loc: &str,
    lastmod: Option<DateTime<FixedOffset>>,
) -> io::Result<()> {
    writer
        .create_element("loc")
        .write_text_content(BytesText::new(loc))?;
    if let Some(lastmod) = lastmod {
        writer
            .create_element("lastmod")
            .write_text_content(BytesText::new(&lastmod.to_rfc3339()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_only_beyond_the_limit() {
        assert_eq!(parts(0, 50_000), 0);
        assert_eq!(parts(50_000, 50_000), 0);
        assert_eq!(parts(50_001, 50_000), 2);
        assert_eq!(parts(125_000, 50_000), 3);
        assert_eq!(parts(7, 3), 3);
    }
}
