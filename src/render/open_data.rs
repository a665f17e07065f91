//! Open data: the portal's information as static JSON, published with every
//! build for anyone to reuse — the directives register (`/api/van-ban.json`),
//! the drafts for comment (`/api/du-thao.json`), the news as a paginated
//! JSON Feed 1.1 (`/feed.json`, `/feed-2.json`…, and the same under each
//! category), and the JSON Schema of each (`/api/schema/…`).
//!
//! Like the XML feeds, these are written through typed models (`serde`),
//! carry absolute URLs and ISO 8601 dates with the site's offset, and do not
//! depend on the clock beyond the build's moment (a draft's status), so a
//! rebuild writes the same bytes. The schemas are versioned in their file
//! names: a change that breaks a reader gets a new version beside the old.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use super::register::{AttachmentView, attachment_views};
use super::{Output, Renderer};
use crate::content::date::Date;
use crate::diagnostic::Diagnostic;
use crate::site::{Site, output_path};

/// The version of the register's and the drafts' files and their schemas.
pub const VERSION: u32 = 1;

/// One file of open data under `/api/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Register,
    Consultations,
    /// The JSON Schema of a file, by [`SCHEMAS`] index.
    Schema(usize),
}

/// The schemas shipped, by file name.
pub const SCHEMAS: [(&str, &str); 3] = [
    (
        "van-ban.v1.json",
        include_str!("../../schemas/van-ban.v1.json"),
    ),
    (
        "du-thao.v1.json",
        include_str!("../../schemas/du-thao.v1.json"),
    ),
    ("feed.v1.json", include_str!("../../schemas/feed.v1.json")),
];

pub const REGISTER: &str = "api/van-ban.json";
pub const CONSULTATIONS: &str = "api/du-thao.json";

/// The files of `site`: the register's and the drafts' when it has them,
/// and every schema.
pub fn files(site: &Site) -> Vec<File> {
    let mut files = Vec::new();
    if site.register.is_some() {
        files.push(File::Register);
    }
    if site.consultations.is_some() {
        files.push(File::Consultations);
    }
    files.extend((0..SCHEMAS.len()).map(File::Schema));
    files
}

/// The site path of a JSON Feed page: `/feed.json`, then `/feed-2.json`…
/// beside the list's own page.
pub fn feed_path(list_url: &str, page: usize) -> String {
    match page {
        1 => format!("{list_url}feed.json"),
        n => format!("{list_url}feed-{n}.json"),
    }
}

/// The number of pages of a JSON Feed of a list of `count` items.
pub fn feed_pages(count: usize, page_size: usize) -> usize {
    count.div_ceil(page_size.max(1)).max(1)
}

/// The items of page `number` of a JSON Feed of `list`: a slice of it, so
/// that finding a page's items costs its length, not the list's. Drafts
/// of a `--drafts` preview are left out of the page they fall on (which
/// is then shorter), never moving the items of later pages.
pub fn feed_page(list: &[usize], page_size: usize, number: usize) -> &[usize] {
    let size = page_size.max(1);
    let start = (number.saturating_sub(1) * size).min(list.len());
    &list[start..(start + size).min(list.len())]
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    version: u32,
    #[serde(rename = "$schema")]
    schema: String,
    title: &'a str,
    home_page_url: String,
    items: Vec<T>,
}

#[derive(Serialize)]
struct FileItem {
    title: String,
    url: String,
    /// Bytes.
    size: u64,
}

#[derive(Serialize)]
struct Signer<'a> {
    name: Option<&'a str>,
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct Directive<'a> {
    number: &'a str,
    title: &'a str,
    url: String,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    issuer: Option<&'a str>,
    signer: Option<Signer<'a>>,
    signed: Option<String>,
    effective: Option<String>,
    expires: Option<String>,
    field: Option<&'a str>,
    /// `in_force`, `not_yet`, `expired`, `unknown`, or `stated`.
    status: &'static str,
    /// As the register shows it.
    status_label: String,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    attachments: Vec<FileItem>,
}

#[derive(Serialize)]
struct Comments<'a> {
    email: Option<&'a str>,
    address: Option<&'a str>,
    form: Option<&'a str>,
}

#[derive(Serialize)]
struct Draft<'a> {
    title: &'a str,
    url: String,
    draft_title: Option<&'a str>,
    unit: Option<&'a str>,
    field: Option<&'a str>,
    summary: &'a str,
    opens: String,
    /// The last moment comments are taken (a date without a time of day
    /// closes at its end).
    closes: String,
    /// `open`, `upcoming` or `closed`, on the day of the build.
    status: &'static str,
    /// Full days left after the build's day (0: it was the last); only
    /// while open.
    days_left: Option<i64>,
    comments: Comments<'a>,
    attachments: Vec<FileItem>,
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    items: Vec<FeedItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

/// What an address in the JSON may not hold as it is: besides every byte
/// beyond ASCII, which is always encoded (a file named `Tờ trình.pdf`).
const NOT_IN_URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

fn iso(date: &Date) -> String {
    date.at.to_rfc3339()
}

impl<'a> Renderer<'a> {
    /// The absolute URL of a site path or link, percent-encoded so that it
    /// is a URI (RFC 3986) whatever the file names hold.
    fn uri(&self, link: &str) -> String {
        utf8_percent_encode(&self.config.absolute(link), NOT_IN_URI).to_string()
    }

    fn files(&self, views: Vec<AttachmentView>, sizes: impl Iterator<Item = u64>) -> Vec<FileItem> {
        views
            .into_iter()
            .zip(sizes)
            .map(|(view, size)| FileItem {
                title: view.title,
                url: self.uri(&view.url),
                size,
            })
            .collect()
    }

    fn envelope<T: Serialize>(
        &self,
        path: &str,
        schema: &str,
        title: &str,
        list_url: &str,
        items: Vec<T>,
    ) -> Result<Output, Diagnostic> {
        let envelope = Envelope {
            version: VERSION,
            schema: self.config.permalink(&format!("/api/schema/{schema}")),
            title,
            home_page_url: self.config.permalink(list_url),
            items,
        };
        json_output(path, &envelope)
    }

    pub(super) fn open_data(&self, file: File) -> Result<Output, Diagnostic> {
        match file {
            File::Schema(i) => {
                let (name, text) = SCHEMAS.get(i).copied().unwrap_or(SCHEMAS[0]);
                Ok(Output {
                    path: format!("api/schema/{name}"),
                    bytes: text.as_bytes().to_vec(),
                    source: None,
                })
            }
            File::Register => {
                let register = self
                    .site
                    .register
                    .as_ref()
                    .ok_or_else(|| Diagnostic::error("the site has no directives"))?;
                let items = (register.all.pages.iter())
                    .filter_map(|&i| self.directive_item(i))
                    .collect();
                self.envelope(
                    REGISTER,
                    SCHEMAS[0].0,
                    self.register_name(),
                    &register.all.url,
                    items,
                )
            }
            File::Consultations => {
                let register = self
                    .site
                    .consultations
                    .as_ref()
                    .ok_or_else(|| Diagnostic::error("the site has no drafts for comment"))?;
                let items = (register.all.pages.iter())
                    .filter_map(|&i| self.draft_item(i))
                    .collect();
                self.envelope(
                    CONSULTATIONS,
                    SCHEMAS[1].0,
                    self.consultations_name(),
                    &register.all.url,
                    items,
                )
            }
        }
    }

    fn directive_item(&self, index: usize) -> Option<Directive<'a>> {
        let page = &self.site.pages[index];
        let document = page.page.document.as_ref()?;
        Some(Directive {
            number: &document.number,
            title: &page.page.title,
            url: self.uri(&page.url),
            kind: document.kind.as_deref(),
            issuer: document.issuer.as_deref(),
            signer: document.signer.as_ref().map(|s| Signer {
                name: s.name.as_deref(),
                title: s.title.as_deref(),
            }),
            signed: document.signed.as_ref().map(iso),
            effective: document.effective.as_ref().map(iso),
            expires: document.expires.as_ref().map(iso),
            field: document.field.as_deref(),
            status: document.status.key().trim_start_matches("status_"),
            status_label: self.status_label(&document.status),
            abstract_text: document.abstract_text.as_deref().unwrap_or(page.summary()),
            attachments: self.files(
                attachment_views(page, &document.attachments),
                document.attachments.iter().map(|a| a.size),
            ),
        })
    }

    fn draft_item(&self, index: usize) -> Option<Draft<'a>> {
        let page = &self.site.pages[index];
        let c = page.page.consultation.as_ref()?;
        Some(Draft {
            title: &page.page.title,
            url: self.uri(&page.url),
            draft_title: c.title.as_deref(),
            unit: c.unit.as_deref(),
            field: c.field.as_deref(),
            summary: page.summary(),
            opens: iso(&c.opens),
            closes: c.deadline().to_rfc3339(),
            status: c.status.key(),
            days_left: match c.status {
                crate::content::consultation::Status::Open { days } => Some(days),
                _ => None,
            },
            comments: Comments {
                email: c.comments.email.as_deref(),
                address: c.comments.address.as_deref(),
                form: c.comments.form.as_deref(),
            },
            attachments: self.files(
                attachment_views(page, &c.attachments),
                c.attachments.iter().map(|a| a.size),
            ),
        })
    }

    /// The list a JSON Feed follows: the language's news, or a category's.
    fn json_feed_list(
        &self,
        category: Option<usize>,
    ) -> Option<(String, &'a str, &'a str, &'a [usize])> {
        match category {
            None => Some((
                self.config.title.clone(),
                self.config.description.as_str(),
                self.home_url(),
                self.articles,
            )),
            Some(c) => {
                let list = self.site.categories.get(c)?;
                Some((
                    format!("{} – {}", list.name, self.config.title),
                    list.description.as_str(),
                    list.url.as_str(),
                    list.pages.as_slice(),
                ))
            }
        }
    }

    /// Page `number` of the JSON Feed of the site's news or of a category.
    pub(super) fn json_feed(
        &self,
        category: Option<usize>,
        number: usize,
    ) -> Result<Output, Diagnostic> {
        let (title, description, list_url, pages) = self
            .json_feed_list(category)
            .ok_or_else(|| Diagnostic::error("no such category for a JSON Feed"))?;
        let size = self.config.feeds.page_size;
        let total = feed_pages(pages.len(), size);
        let page = feed_page(pages, size, number);
        let items = super::feeds::shown(self.site, page, usize::MAX)
            .map(|i| self.feed_item(i))
            .collect::<Result<Vec<_>, _>>()?;
        let path = feed_path(list_url, number);
        let feed = JsonFeed {
            version: "https://jsonfeed.org/version/1.1",
            title,
            home_page_url: self.config.permalink(list_url),
            feed_url: self.config.permalink(&path),
            description: if description.is_empty() {
                &self.config.description
            } else {
                description
            },
            language: &self.config.language,
            next_url: (number < total)
                .then(|| self.config.permalink(&feed_path(list_url, number + 1))),
            items,
        };
        json_output(&path, &feed)
    }

    fn feed_item(&self, index: usize) -> Result<FeedItem<'a>, Diagnostic> {
        let item = self.item(index)?;
        let page = &self.site.pages[index];
        let summary = page.summary();
        let mut tags = item.categories;
        tags.extend(page.page.tags.iter().map(String::as_str));
        Ok(FeedItem {
            id: item.link.clone(),
            url: item.link,
            title: &page.page.title,
            summary,
            content_text: item.body.is_none().then_some(if summary.is_empty() {
                page.page.title.as_str()
            } else {
                summary
            }),
            content_html: item.body,
            date_published: item.published.map(|d| d.to_rfc3339()),
            date_modified: page.page.updated.map(|d| d.at.to_rfc3339()),
            image: page
                .image_url
                .as_deref()
                .map(|src| self.config.absolute(src)),
            authors: page
                .page
                .author
                .as_deref()
                .map(|name| Author { name })
                .into_iter()
                .collect(),
            tags,
        })
    }
}

fn json_output(path: &str, value: &impl Serialize) -> Result<Output, Diagnostic> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|err| Diagnostic::error(format!("cannot write {path}: {err}")))?;
    bytes.push(b'\n');
    Ok(Output {
        path: output_path(path.trim_start_matches('/')),
        bytes,
        source: None,
    })
}
