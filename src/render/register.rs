//! What directive pages and the register show: the metadata table, the
//! attachments, the related news, and the register's table and filters.

use chrono::Datelike;
use serde::Serialize;
use tera::Context;

use super::{DateView, Link, Pagination, Renderer};
use crate::content::document::{Attachment, Signer, Status};
use crate::register::{Filter, Register};
use crate::site::{Listing, SitePage, pager, pager_url, resolve_link};

#[derive(Serialize)]
pub(super) struct AttachmentView {
    pub title: String,
    pub url: String,
    /// "PDF", "DOCX"…
    kind: String,
    /// "1,2 MB"
    size: String,
}

#[derive(Serialize)]
pub(super) struct DocumentView<'a> {
    number: &'a str,
    kind: Option<&'a str>,
    issuer: Option<&'a str>,
    signer: Option<&'a Signer>,
    signed: Option<DateView>,
    effective: Option<DateView>,
    expires: Option<DateView>,
    field: Option<&'a str>,
    #[serde(rename = "abstract")]
    abstract_text: Option<&'a str>,
    /// The status label: derived, or as the editor wrote it.
    status: String,
    /// `status_in_force`, …: for styling.
    status_key: &'static str,
    attachments: Vec<AttachmentView>,
}

/// A directive as a row of the register or a "Văn bản liên quan" item.
#[derive(Serialize)]
pub(super) struct DirectiveRow<'a> {
    title: &'a str,
    url: &'a str,
    number: &'a str,
    kind: Option<&'a str>,
    signed: Option<DateView>,
    /// The year signed, for the register's filter script.
    year: Option<i32>,
    issuer: Option<&'a str>,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    status: String,
    status_key: &'static str,
    /// The attachments, for the register's download column.
    files: Vec<AttachmentView>,
}

/// A link to one of a register's filter pages.
#[derive(Serialize)]
pub(super) struct FilterLink<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
    pub current: bool,
}

#[derive(Serialize)]
struct Filters<'a> {
    all: FilterLink<'a>,
    types: Vec<FilterLink<'a>>,
    years: Vec<FilterLink<'a>>,
    issuers: Vec<FilterLink<'a>>,
}

#[derive(Serialize)]
struct RegisterView<'a> {
    name: &'a str,
    description: &'a str,
    url: &'a str,
    feed: String,
    /// The filter this page applies, if any: its kind and name.
    filter: Option<(&'static str, &'a str)>,
    rows: Vec<DirectiveRow<'a>>,
    /// Directives in the list, over all its pages.
    total: usize,
    filters: Filters<'a>,
    pagination: Pagination,
}

/// The files of a directive or a draft, as its page lists them.
pub(super) fn attachment_views(page: &SitePage, files: &[Attachment]) -> Vec<AttachmentView> {
    files
        .iter()
        .map(|a| AttachmentView {
            title: a.title.clone(),
            url: match &a.folder {
                Some(folder) => format!("{folder}{}", a.file),
                None => resolve_link(&page.page.asset_base, &a.file),
            },
            kind: a
                .file
                .rsplit_once('.')
                .map_or(String::new(), |(_, ext)| ext.to_uppercase()),
            size: file_size(a.size),
        })
        .collect()
}

/// "850 B", "12 KB", "1,2 MB".
fn file_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB).replace('.', ",")
    }
}

impl<'a> Renderer<'a> {
    pub(super) fn status_label(&self, status: &Status) -> String {
        match status {
            Status::Stated(text) => text.clone(),
            other => self.string(other.key()).to_string(),
        }
    }

    fn attachments(&self, page: &'a SitePage) -> Vec<AttachmentView> {
        let Some(document) = page.page.document.as_ref() else {
            return Vec::new();
        };
        attachment_views(page, &document.attachments)
    }

    pub(super) fn document_view(&self, page: &'a SitePage) -> Option<DocumentView<'a>> {
        let document = page.page.document.as_ref()?;
        let attachments = self.attachments(page);
        Some(DocumentView {
            number: &document.number,
            kind: document.kind.as_deref(),
            issuer: document.issuer.as_deref(),
            signer: document.signer.as_ref(),
            signed: document.signed.as_ref().map(|d| self.date(d)),
            effective: document.effective.as_ref().map(|d| self.date(d)),
            expires: document.expires.as_ref().map(|d| self.date(d)),
            field: document.field.as_deref(),
            abstract_text: document.abstract_text.as_deref(),
            status: self.status_label(&document.status),
            status_key: document.status.key(),
            attachments,
        })
    }

    pub(super) fn directive_row(&self, index: usize) -> Option<DirectiveRow<'a>> {
        let page = &self.site.pages[index];
        let document = page.page.document.as_ref()?;
        let signed = document.signed.as_ref().or(page.page.date.as_ref());
        Some(DirectiveRow {
            title: &page.page.title,
            url: &page.url,
            number: &document.number,
            kind: document.kind.as_deref(),
            signed: signed.map(|d| self.date(d)),
            year: signed.map(|d| d.at.year()),
            issuer: document.issuer.as_deref(),
            abstract_text: document.abstract_text.as_deref().unwrap_or(page.summary()),
            status: self.status_label(&document.status),
            status_key: document.status.key(),
            files: self.attachments(page),
        })
    }

    /// "Văn bản liên quan" and "Tin bài liên quan" of a page.
    pub(super) fn cross_links(&self, context: &mut Context, page: &'a SitePage) {
        let documents: Vec<DirectiveRow> = page
            .documents
            .iter()
            .filter_map(|&i| self.directive_row(i))
            .collect();
        context.insert("documents", &documents);
        self.insert_summaries(context, "mentioned_by", &page.mentioned_by);
    }

    pub(super) fn register(
        &self,
        context: &mut Context,
        register: &'a Register,
        filter: Filter,
        number: usize,
    ) -> (String, String) {
        let list = register.list(filter);
        let pager = &pager(list.pages.len(), self.config.paginate, number);
        let word = &self.config.paths.page;
        let url_of = |n: usize| pager_url(&list.url, n, word);
        let link = |l: &'a Listing, current: bool| FilterLink {
            name: &l.name,
            url: &l.url,
            count: l.pages.len(),
            current,
        };
        let name = if register.all.name.is_empty() {
            self.string("register_title")
        } else {
            &register.all.name
        };
        let filter_name = match filter {
            Filter::All => None,
            Filter::Type(_) => Some(("type", list.name.as_str())),
            Filter::Year(_) => Some(("year", list.name.as_str())),
            Filter::Issuer(_) => Some(("issuer", list.name.as_str())),
        };
        let view = RegisterView {
            name,
            description: &register.all.description,
            url: &list.url,
            feed: format!("{}rss.xml", register.all.url),
            filter: filter_name,
            rows: list.pages[pager.items.clone()]
                .iter()
                .filter_map(|&i| self.directive_row(i))
                .collect(),
            total: list.pages.len(),
            filters: Filters {
                all: link(&register.all, filter == Filter::All),
                types: register
                    .by_type
                    .iter()
                    .enumerate()
                    .map(|(i, l)| link(l, filter == Filter::Type(i)))
                    .collect(),
                years: register
                    .by_year
                    .iter()
                    .enumerate()
                    .map(|(i, l)| link(l, filter == Filter::Year(i)))
                    .collect(),
                issuers: register
                    .by_issuer
                    .iter()
                    .enumerate()
                    .map(|(i, l)| link(l, filter == Filter::Issuer(i)))
                    .collect(),
            },
            pagination: Pagination::new(pager.number, pager.total, &url_of),
        };
        context.insert("register", &view);
        let filter = filter_name.map(|(_, value)| value);
        self.register_page(context, name, &register.all, filter, pager.number);
        ("register.html".into(), url_of(pager.number))
    }

    /// What every page of a register (directives, drafts) puts beside its
    /// own view: its title ("Name: filter – Trang 2"), a breadcrumb back to
    /// the whole list when filtered, its description and its menu item.
    pub(super) fn register_page(
        &self,
        context: &mut Context,
        name: &str,
        all: &Listing,
        filter: Option<&str>,
        page: usize,
    ) {
        let mut title = match filter {
            Some(value) => format!("{name}: {value}"),
            None => name.to_string(),
        };
        if page > 1 {
            title = format!("{title} – {} {page}", self.string("page"));
        }
        let crumbs: Vec<Link> = match filter {
            None => Vec::new(),
            Some(_) => vec![Link {
                name,
                url: &all.url,
            }],
        };
        context.insert("title", &title);
        context.insert("description", &all.description);
        context.insert("breadcrumbs", &crumbs);
        context.insert("menu_url", &all.url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_the_vietnamese_way() {
        assert_eq!(file_size(850), "850 B");
        assert_eq!(file_size(12 * 1024), "12 KB");
        assert_eq!(file_size(1_300_000), "1,2 MB");
    }
}
