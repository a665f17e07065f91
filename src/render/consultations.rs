//! What drafts for comment show: a draft's own page (its dates, status,
//! how to send comments, its files), the register at `/du-thao/` with its
//! status and field filters, and the home page's "Dự thảo đang lấy ý
//! kiến" block ([`crate::consultations`]).

use serde::Serialize;
use tera::Context;

use super::register::{AttachmentView, FilterLink, attachment_views};
use super::{DateView, Link, Pagination, Renderer};
use crate::consultations::{Consultations, Filter};
use crate::content::consultation::{Consultation, Status};
use crate::site::{Listing, SitePage, pager, pager_url};

/// A draft as its page, a register row or a home block item shows it.
#[derive(Serialize)]
pub(super) struct ConsultationView<'a> {
    /// The page's title and address.
    title: &'a str,
    url: &'a str,
    /// The draft's own title, when it differs from the page's.
    draft: Option<&'a str>,
    unit: Option<&'a str>,
    field: Option<&'a str>,
    summary: &'a str,
    opens: DateView,
    closes: DateView,
    /// The last moment comments are taken, ISO 8601, for `<time>`.
    deadline: String,
    /// `open`, `upcoming`, `closed`: for styling and the form.
    status_key: &'static str,
    /// "Đang lấy ý kiến", …
    status: &'a str,
    /// "còn 5 ngày", "hôm nay là ngày cuối", "mở sau 3 ngày"; none once closed.
    days: Option<String>,
    email: Option<&'a str>,
    address: Option<&'a str>,
    form: Option<&'a str>,
    files: Vec<AttachmentView>,
}

#[derive(Serialize)]
struct RegisterView<'a> {
    name: &'a str,
    description: &'a str,
    url: &'a str,
    feed: String,
    /// The filter this page applies, if any: its kind and name.
    filter: Option<(&'static str, &'a str)>,
    rows: Vec<ConsultationView<'a>>,
    total: usize,
    all: FilterLink<'a>,
    statuses: Vec<FilterLink<'a>>,
    fields: Vec<FilterLink<'a>>,
    pagination: Pagination,
}

impl<'a> Renderer<'a> {
    /// The register's name: its `_index.md` title, else the theme's.
    pub(super) fn consultations_name(&self) -> &'a str {
        match &self.site.consultations {
            Some(c) if !c.all.name.is_empty() => &c.all.name,
            _ => self.word("consultations_title"),
        }
    }

    /// A UI string for `'a`, the key itself when the theme lacks it.
    fn word(&self, key: &'static str) -> &'a str {
        self.strings()
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
    }

    fn status_word(&self, status: Status) -> &'a str {
        self.word(match status {
            Status::Open { .. } => "consultation_open",
            Status::Upcoming { .. } => "consultation_upcoming",
            Status::Closed => "consultation_closed",
        })
    }

    fn days(&self, status: Status) -> Option<String> {
        let count = |key: &'static str, n: i64| self.word(key).replace("{n}", &n.to_string());
        match status {
            Status::Open { days: 0 } => Some(self.word("consultation_last_day").to_string()),
            Status::Open { days } => Some(count("consultation_days_left", days)),
            Status::Upcoming { days: 0 } => Some(self.word("consultation_opens_today").to_string()),
            Status::Upcoming { days } => Some(count("consultation_opens_in", days)),
            Status::Closed => None,
        }
    }

    pub(super) fn consultation_view(&self, page: &'a SitePage) -> Option<ConsultationView<'a>> {
        let c: &'a Consultation = page.page.consultation.as_ref()?;
        Some(ConsultationView {
            title: &page.page.title,
            url: &page.url,
            draft: c.title.as_deref().filter(|t| *t != page.page.title),
            unit: c.unit.as_deref(),
            field: c.field.as_deref(),
            summary: page.summary(),
            opens: self.date(&c.opens),
            closes: self.date(&c.closes),
            deadline: c.deadline().to_rfc3339(),
            status_key: c.status.key(),
            status: self.status_word(c.status),
            days: self.days(c.status),
            email: c.comments.email.as_deref(),
            address: c.comments.address.as_deref(),
            form: c.comments.form.as_deref(),
            files: attachment_views(page, &c.attachments),
        })
    }

    /// The home page's block: the drafts open for comment, soonest
    /// deadline first.
    pub(super) fn open_consultations(&self, context: &mut Context) {
        let rows: Vec<ConsultationView> = match (&self.site.consultations, self.lang) {
            (Some(c), 0) => (c.open().iter())
                .take(self.config.home.consultations)
                .filter_map(|&i| self.consultation_view(&self.site.pages[i]))
                .collect(),
            _ => Vec::new(),
        };
        context.insert("consultations", &rows);
        let link = self.site.consultations.as_ref().map(|c| Link {
            name: self.consultations_name(),
            url: &c.all.url,
        });
        context.insert("consultations_link", &link);
    }

    /// The breadcrumb and menu item of a draft's own page.
    pub(super) fn consultation_crumb(&self, context: &mut Context) -> Option<Link<'a>> {
        // The register is the site's own language's.
        let c = self
            .site
            .consultations
            .as_ref()
            .filter(|_| self.lang == 0)?;
        context.insert("menu_url", &c.all.url);
        Some(Link {
            name: self.consultations_name(),
            url: &c.all.url,
        })
    }

    pub(super) fn consultations(
        &self,
        context: &mut Context,
        register: &'a Consultations,
        filter: Filter,
        number: usize,
    ) -> (String, String) {
        let list = register.list(filter);
        let pager = &pager(list.pages.len(), self.config.paginate, number);
        let word = &self.config.paths.page;
        let url_of = |n: usize| pager_url(&list.url, n, word);
        let status_name = |l: &'a Listing| match l.slug.as_str() {
            "open" => self.word("consultation_open"),
            "upcoming" => self.word("consultation_upcoming"),
            _ => self.word("consultation_closed"),
        };
        let link = |name: &'a str, l: &'a Listing, current: bool| FilterLink {
            name,
            url: &l.url,
            count: l.pages.len(),
            current,
        };
        let name = self.consultations_name();
        let filter_name = match filter {
            Filter::All => None,
            Filter::Status(_) => Some(("status", status_name(list))),
            Filter::Field(_) => Some(("field", list.name.as_str())),
        };
        let view = RegisterView {
            name,
            description: &register.all.description,
            url: &list.url,
            feed: format!("{}rss.xml", register.all.url),
            filter: filter_name,
            rows: list.pages[pager.items.clone()]
                .iter()
                .filter_map(|&i| self.consultation_view(&self.site.pages[i]))
                .collect(),
            total: list.pages.len(),
            all: link(
                self.word("filter_all"),
                &register.all,
                filter == Filter::All,
            ),
            statuses: (register.by_status.iter().enumerate())
                .map(|(i, l)| link(status_name(l), l, filter == Filter::Status(i)))
                .collect(),
            fields: (register.by_field.iter().enumerate())
                .map(|(i, l)| link(&l.name, l, filter == Filter::Field(i)))
                .collect(),
            pagination: Pagination::new(pager.number, pager.total, &url_of),
        };
        context.insert("register", &view);
        let filter = filter_name.map(|(_, value)| value);
        self.register_page(context, name, &register.all, filter, pager.number);
        ("consultations.html".into(), url_of(pager.number))
    }
}
