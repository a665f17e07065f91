//! The feeds: RSS 2.0 and Atom 1.0 for the whole site (`/rss.xml`,
//! `/atom.xml`), for each category and for the directives register, and the
//! `<link rel="alternate">` lines that let browsers and readers find them.
//!
//! Feeds are machine formats whose validity Gazette owes to every reader,
//! so they are written through typed models (`rss`, `atom_syndication`)
//! rather than templates: every value is escaped by the XML writer, HTML is
//! split out of CDATA sections at `]]>`, and characters XML 1.0 forbids
//! (control characters a front matter escape can carry) are dropped first.
//! Links are absolute, dates carry the site's offset (`+07:00`), and
//! nothing depends on the clock, so a rebuild writes the same bytes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset, Offset};
use serde::Serialize;

use super::{Output, Renderer};
use crate::config::FeedContent;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::site::{Site, SitePage, output_path};

const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";

/// JSON Feed's media type ([`super::open_data`]).
pub(super) const JSON_FEED: &str = "application/feed+json";

/// The two formats every feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Rss,
    Atom,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Rss, Format::Atom];

    /// The file name beside the list's page: `rss.xml`, `atom.xml`.
    pub fn file(self) -> &'static str {
        match self {
            Format::Rss => "rss.xml",
            Format::Atom => "atom.xml",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
        }
    }

    /// "RSS", "Atom".
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
        }
    }
}

/// What a feed is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Site,
    Category(usize),
    Register,
    Consultations,
}

/// A feed's channel: the list it follows and its newest items.
struct Channel<'a> {
    title: String,
    description: &'a str,
    /// The site path of the list's HTML page (`/chuyen-muc/x/`).
    list_url: &'a str,
    pages: &'a [usize],
}

/// One feed item, as every format needs it.
pub(super) struct Item<'a> {
    pub page: &'a SitePage,
    pub link: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Category names, primary first.
    pub categories: Vec<&'a str>,
    /// The body's HTML with absolute links, when feeds carry full content.
    pub body: Option<String>,
}

/// An auto-discovery link for a page's `<head>`.
#[derive(Serialize)]
pub(super) struct FeedLink {
    pub title: String,
    pub href: String,
    pub media_type: &'static str,
}

impl<'a> Renderer<'a> {
    /// The site path of a feed: `/rss.xml`, `/chuyen-muc/x/atom.xml`.
    pub(super) fn feed_url(&self, scope: Scope, format: Format) -> Option<String> {
        let list = match scope {
            Scope::Site => self.home_url(),
            Scope::Category(c) => &self.site.categories.get(c)?.url,
            Scope::Register => &self.site.register.as_ref()?.all.url,
            Scope::Consultations => &self.site.consultations.as_ref()?.all.url,
        };
        Some(format!("{list}{}", format.file()))
    }

    fn channel(&self, scope: Scope) -> Option<Channel<'a>> {
        let site_title = &self.config.title;
        let description = |own: &'a str| {
            if own.is_empty() {
                if self.config.description.is_empty() {
                    site_title.as_str()
                } else {
                    self.config.description.as_str()
                }
            } else {
                own
            }
        };
        Some(match scope {
            Scope::Site => Channel {
                title: site_title.clone(),
                description: description(""),
                list_url: self.home_url(),
                pages: self.articles,
            },
            Scope::Category(c) => {
                let category = self.site.categories.get(c)?;
                Channel {
                    title: format!("{} – {site_title}", category.name),
                    description: description(&category.description),
                    list_url: &category.url,
                    pages: &category.pages,
                }
            }
            Scope::Register => {
                let register = &self.site.register.as_ref()?.all;
                Channel {
                    title: format!("{} – {site_title}", self.register_name()),
                    description: description(&register.description),
                    list_url: &register.url,
                    pages: &register.pages,
                }
            }
            Scope::Consultations => {
                let register = self.site.consultations.as_ref()?;
                Channel {
                    title: format!("{} – {site_title}", self.consultations_name()),
                    description: description(&register.all.description),
                    list_url: &register.all.url,
                    pages: &register.newest.pages,
                }
            }
        })
    }

    /// The register's name: its `_index.md` title, else the theme's.
    pub(super) fn register_name(&self) -> &'a str {
        match &self.site.register {
            Some(register) if !register.all.name.is_empty() => &register.all.name,
            _ => self
                .strings()
                .get("register_title")
                .and_then(|v| v.as_str())
                .unwrap_or("register_title"),
        }
    }

    /// The feed of `scope` in `format`.
    pub(super) fn feed(&self, scope: Scope, format: Format) -> Result<Output, Diagnostic> {
        let (Some(channel), Some(url)) = (self.channel(scope), self.feed_url(scope, format)) else {
            return Err(Diagnostic::error(format!(
                "no feed of {scope:?}: the site has no such list"
            )));
        };
        let items = shown(self.site, channel.pages, self.config.feeds.items)
            .map(|i| self.item(i))
            .collect::<Result<Vec<_>, _>>()?;
        let self_url = self.config.permalink(&url);
        let bytes = match format {
            Format::Rss => self.rss(&channel, &items, &self_url),
            Format::Atom => self.atom(&channel, &items, &self_url),
        }
        .map_err(|err| Diagnostic::error(format!("cannot write the feed {url}: {err}")))?;
        Ok(Output {
            path: output_path(&url),
            bytes,
            source: None,
        })
    }

    pub(super) fn item(&self, index: usize) -> Result<Item<'a>, Diagnostic> {
        let page = &self.site.pages[index];
        let link = self.config.permalink(&page.url);
        let body = match self.config.feeds.content {
            FeedContent::Summary => None,
            FeedContent::Full => {
                let html = markdown::render_body(
                    &page.page,
                    &self.config.markdown,
                    &self.site.numbers,
                    self.pictures,
                )
                .map_err(|d| d.in_file(&page.page.file))?;
                Some(absolute_links(&html, &self.config.base_url, &link))
            }
        };
        let published = page.page.date.map(|d| d.at);
        Ok(Item {
            page,
            published,
            updated: page.page.updated.map(|d| d.at).or(published),
            categories: page
                .categories
                .iter()
                .map(|&c| self.site.categories[c].name.as_str())
                .collect(),
            link,
            body,
        })
    }

    fn rss(&self, channel: &Channel, items: &[Item], self_url: &str) -> Result<Vec<u8>, String> {
        let atom_link = rss::extension::Extension {
            name: "atom:link".into(),
            attrs: BTreeMap::from([
                ("href".into(), self_url.to_string()),
                ("rel".into(), "self".into()),
                ("type".into(), Format::Rss.media_type().into()),
            ]),
            ..Default::default()
        };
        let newest = items.iter().filter_map(|i| i.published).max();
        let feed = rss::Channel {
            title: xml_text(&channel.title).into(),
            link: self.config.permalink(channel.list_url),
            description: xml_text(channel.description).into(),
            language: Some(self.config.language.clone()),
            pub_date: newest.map(|d| d.to_rfc2822()),
            generator: Some("Gazette".into()),
            namespaces: BTreeMap::from([("atom".into(), ATOM_NAMESPACE.into())]),
            extensions: BTreeMap::from([(
                "atom".into(),
                BTreeMap::from([("link".into(), vec![atom_link])]),
            )]),
            items: items.iter().map(rss_item).collect(),
            ..Default::default()
        };
        feed.write_to(Vec::new()).map_err(|err| err.to_string())
    }

    fn atom(&self, channel: &Channel, items: &[Item], self_url: &str) -> Result<Vec<u8>, String> {
        let organization = &self.config.organization.name;
        let author = if organization.is_empty() {
            &self.config.title
        } else {
            organization
        };
        let updated = items
            .iter()
            .filter_map(|i| i.updated)
            .max()
            .unwrap_or_else(|| self.quiet_moment());
        let list_link = self.config.permalink(channel.list_url);
        let feed = atom::Feed {
            title: atom::Text::plain(xml_text(&channel.title)),
            id: list_link.clone(),
            updated,
            authors: vec![atom::Person {
                name: xml_text(author).into(),
                uri: Some(self.config.permalink("/")),
                ..Default::default()
            }],
            links: vec![
                atom::Link {
                    href: list_link,
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                },
                atom::Link {
                    href: self_url.to_string(),
                    rel: "self".into(),
                    mime_type: Some(Format::Atom.media_type().into()),
                    ..Default::default()
                },
            ],
            subtitle: Some(atom::Text::plain(xml_text(channel.description))),
            generator: Some(atom::Generator {
                value: "Gazette".into(),
                ..Default::default()
            }),
            lang: Some(self.config.language.clone()),
            entries: items.iter().map(|i| atom_entry(i, updated)).collect(),
            ..Default::default()
        };
        feed.write_to(Vec::new()).map_err(|err| err.to_string())
    }

    /// A feed's `updated` when it has no dated item: a fixed moment, not
    /// the clock, so that two builds of one site write the same bytes.
    fn quiet_moment(&self) -> DateTime<FixedOffset> {
        let offset = self
            .site
            .pages
            .iter()
            .find_map(|p| p.page.date.map(|d| *d.at.offset()))
            .unwrap_or_else(|| chrono::Utc.fix());
        DateTime::UNIX_EPOCH.with_timezone(&offset)
    }

    /// The site's feeds, then those of the list `scope` names, for a page's
    /// `<head>`.
    pub(super) fn feed_links(&self, scope: Option<Scope>) -> Vec<FeedLink> {
        let mut scopes = vec![Scope::Site];
        scopes.extend(scope.filter(|&s| s != Scope::Site));
        let mut links = Vec::new();
        for scope in scopes {
            let Some(channel) = self.channel(scope) else {
                continue;
            };
            for format in Format::ALL {
                if let Some(href) = self.feed_url(scope, format) {
                    links.push(FeedLink {
                        title: format!("{} ({})", channel.title, format.label()),
                        href,
                        media_type: format.media_type(),
                    });
                }
            }
            if let Some(href) = self.json_feed_url(scope) {
                links.push(FeedLink {
                    title: format!("{} (JSON Feed)", channel.title),
                    href,
                    media_type: JSON_FEED,
                });
            }
        }
        links
    }

    /// The first page of the JSON Feed of the site's or a category's news.
    pub(super) fn json_feed_url(&self, scope: Scope) -> Option<String> {
        let list = match scope {
            Scope::Site => self.home_url(),
            Scope::Category(c) => &self.site.categories.get(c)?.url,
            Scope::Register | Scope::Consultations => return None,
        };
        Some(super::open_data::feed_path(list, 1))
    }
}

/// The pages a feed of `list` shows: its newest `limit`, drafts (of a
/// `--drafts` preview) left out.
pub fn shown<'a>(
    site: &'a Site,
    list: &'a [usize],
    limit: usize,
) -> impl Iterator<Item = usize> + 'a {
    list.iter()
        .copied()
        .filter(|&i| !site.pages[i].page.draft)
        .take(limit)
}

fn rss_item(item: &Item) -> rss::Item {
    let page = &item.page.page;
    rss::Item {
        title: Some(xml_text(&page.title).into()),
        link: Some(item.link.clone()),
        // RSS readers take a description as HTML: the summary is text,
        // so it is escaped as HTML before the XML writer escapes it again.
        description: Some(escape_html(&xml_text(item.page.summary()))),
        guid: Some(rss::Guid {
            value: item.link.clone(),
            permalink: true,
        }),
        pub_date: item.published.map(|d| d.to_rfc2822()),
        categories: item
            .categories
            .iter()
            .map(|name| rss::Category {
                name: xml_text(name).into(),
                domain: None,
            })
            .collect(),
        content: item.body.as_deref().map(|b| xml_text(b).into()),
        dublin_core_ext: page.author.as_deref().map(|author| {
            rss::extension::dublincore::DublinCoreExtension {
                creators: vec![xml_text(author).into()],
                ..Default::default()
            }
        }),
        ..Default::default()
    }
}

fn atom_entry(item: &Item, fallback: DateTime<FixedOffset>) -> atom::Entry {
    let page = &item.page.page;
    let summary = xml_text(item.page.summary());
    atom::Entry {
        title: atom::Text::plain(xml_text(&page.title)),
        id: item.link.clone(),
        updated: item.updated.unwrap_or(fallback),
        published: item.published,
        authors: page
            .author
            .iter()
            .map(|name| atom::Person {
                name: xml_text(name).into(),
                ..Default::default()
            })
            .collect(),
        categories: item
            .categories
            .iter()
            .map(|name| atom::Category {
                term: xml_text(name).into(),
                ..Default::default()
            })
            .collect(),
        links: vec![atom::Link {
            href: item.link.clone(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        }],
        summary: (!summary.is_empty()).then(|| atom::Text::plain(summary)),
        content: item.body.as_deref().map(|body| atom::Content {
            value: Some(xml_text(body).into()),
            content_type: Some("html".into()),
            base: Some(item.link.clone()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `text` without the characters XML 1.0 does not allow (control
/// characters but tab and line breaks, U+FFFE, U+FFFF): a reader refuses
/// the whole feed for one of them.
pub(super) fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text).ok();
    escaped
}

/// `html` with the links and images of a page at `page` (an absolute URL)
/// made absolute: feed readers show the body away from the site, where
/// `/tin-tuc/a/anh.jpg` and `anh.jpg` lead nowhere.
pub(super) fn absolute_links(html: &str, base_url: &str, page: &str) -> String {
    let folder = match page.rfind('/') {
        Some(slash) => &page[..=slash],
        None => page,
    };
    let absolute = |link: &str| -> String {
        let link = link.trim();
        if link.is_empty() || link.starts_with("//") || has_scheme(link) {
            link.to_string()
        } else if link.starts_with('/') {
            format!("{base_url}{link}")
        } else if link.starts_with(['#', '?']) {
            format!("{page}{link}")
        } else {
            format!("{folder}{}", link.trim_start_matches("./"))
        }
    };
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, name)) = next_link_attribute(rest) {
        let value_start = at + name.len();
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..];
        let end = value.find('"').unwrap_or(value.len());
        let written = &value[..end];
        if name.contains("srcset") {
            let candidates: Vec<String> = written
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    match candidate.split_once(char::is_whitespace) {
                        Some((url, size)) => format!("{} {}", absolute(url), size.trim()),
                        None => absolute(candidate),
                    }
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&absolute(written));
        }
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

/// The next ` href="`, ` src="` or ` srcset="` in `html`: where it starts
/// and the attribute text up to the value.
fn next_link_attribute(html: &str) -> Option<(usize, &'static str)> {
    [" href=\"", " src=\"", " srcset=\""]
        .into_iter()
        .filter_map(|name| html.find(name).map(|at| (at, name)))
        .min_by_key(|&(at, _)| at)
}

/// `mailto:x`, `https://x`, `tel:x`: a link with a scheme stays as written.
fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(colon) => {
            let scheme = &link[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_dropped() {
        assert_eq!(xml_text("a\u{1}b\u{1b}c\td\ne\u{FFFF}"), "abc\td\ne");
        assert!(matches!(xml_text("Bộ Công an"), Cow::Borrowed(_)));
    }

    #[test]
    fn links_become_absolute() {
        let html = r##"<p><a href="/van-ban/a/">A</a> <img src="anh.jpg" alt=""> <a href="https://x.vn/">x</a> <a href="mailto:a@b.vn">m</a> <a href="#phan-hai">#</a> <img srcset="/a-480.jpg 480w, b.jpg 960w" src="//cdn.vn/c.jpg"></p>"##;
        let out = absolute_links(html, "https://e.vn", "https://e.vn/tin-tuc/bai/");
        assert_eq!(
            out,
            r##"<p><a href="https://e.vn/van-ban/a/">A</a> <img src="https://e.vn/tin-tuc/bai/anh.jpg" alt=""> <a href="https://x.vn/">x</a> <a href="mailto:a@b.vn">m</a> <a href="https://e.vn/tin-tuc/bai/#phan-hai">#</a> <img srcset="https://e.vn/a-480.jpg 480w, https://e.vn/tin-tuc/bai/b.jpg 960w" src="//cdn.vn/c.jpg"></p>"##
        );
        let ugly = absolute_links(
            r#"<img src="anh.jpg">"#,
            "https://e.vn",
            "https://e.vn/tin-tuc/bai.html",
        );
        assert_eq!(ugly, r#"<img src="https://e.vn/tin-tuc/anh.jpg">"#);
    }
}
