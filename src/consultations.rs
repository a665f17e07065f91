//! The register of drafts put out for public comment (`/du-thao/`): every
//! page with a `consultation:` map ([`crate::content::consultation`]),
//! open ones first (soonest deadline first), then those still to open
//! (soonest first), then the closed ones (most recently closed first); and
//! the same split by status and by field, each a static page so the
//! filters work without JavaScript. Like the directives register, it takes
//! the place of its section's plain list.

use std::collections::BTreeMap;

use crate::config::Paths;
use crate::content::consultation::{STATUSES, Status};
use crate::site::{Listing, SitePage};
use crate::slug::slugify;

#[derive(Debug, Clone)]
pub struct Consultations {
    pub all: Listing,
    /// One list per status that has drafts, in [`STATUSES`]' order; each
    /// list's `slug` is its status's key.
    pub by_status: Vec<Listing>,
    pub by_field: Vec<Listing>,
    /// Every draft newest first (by the day comments open): its feed.
    pub newest: Listing,
}

/// Which of the register's lists a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Status(usize),
    Field(usize),
}

impl Consultations {
    pub fn list(&self, filter: Filter) -> &Listing {
        match filter {
            Filter::All => &self.all,
            Filter::Status(i) => &self.by_status[i],
            Filter::Field(i) => &self.by_field[i],
        }
    }

    /// Every list with the filter that selects it.
    pub fn filters(&self) -> impl Iterator<Item = (Filter, &Listing)> {
        let status = (self.by_status.iter().enumerate()).map(|(i, l)| (Filter::Status(i), l));
        let field = (self.by_field.iter().enumerate()).map(|(i, l)| (Filter::Field(i), l));
        std::iter::once((Filter::All, &self.all))
            .chain(status)
            .chain(field)
    }

    /// Every list, to move the page indexes they hold.
    pub fn lists_mut(&mut self) -> impl Iterator<Item = &mut Listing> {
        [&mut self.all, &mut self.newest]
            .into_iter()
            .chain(self.by_status.iter_mut())
            .chain(self.by_field.iter_mut())
    }

    /// The open drafts, soonest deadline first (the home page's block).
    pub fn open(&self) -> &[usize] {
        self.by_status
            .iter()
            .find(|l| l.slug == "open")
            .map_or(&[], |l| l.pages.as_slice())
    }
}

/// Builds the register from the site's pages, or `None` when no page is a
/// draft for comment. `title` and `description` are its own (from its
/// section's `_index.md`).
pub fn consultations(
    pages: &[SitePage],
    paths: &Paths,
    title: &str,
    description: &str,
) -> Option<Consultations> {
    let mut drafts: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].page.consultation.is_some() && pages[i].page.lang.is_none())
        .collect();
    if drafts.is_empty() {
        return None;
    }
    drafts.sort_by(|&a, &b| {
        let (Some(x), Some(y)) = (&pages[a].page.consultation, &pages[b].page.consultation) else {
            return std::cmp::Ordering::Equal;
        };
        let by_status = x.status.rank().cmp(&y.status.rank());
        let by_day = match x.status {
            Status::Open { .. } => x.deadline().cmp(&y.deadline()),
            Status::Upcoming { .. } => x.opens.cmp(&y.opens),
            Status::Closed => y.deadline().cmp(&x.deadline()),
        };
        by_status
            .then(by_day)
            .then_with(|| pages[a].page.title.cmp(&pages[b].page.title))
    });
    let base = format!("/{}/", paths.consultations);
    let listing = |name: &str, slug: String, url: String, pages: Vec<usize>| Listing {
        name: name.to_string(),
        slug,
        description: String::new(),
        url,
        pages,
        template: None,
    };
    let by_status = STATUSES
        .iter()
        .filter_map(|&key| {
            let shown: Vec<usize> = (drafts.iter().copied())
                .filter(|&i| {
                    (pages[i].page.consultation.as_ref()).is_some_and(|c| c.status.key() == key)
                })
                .collect();
            let url = format!("{base}{}/{}/", paths.consultation_status, status_slug(key));
            (!shown.is_empty()).then(|| listing(key, key.to_string(), url, shown))
        })
        .collect();
    let mut by_field: BTreeMap<String, Listing> = BTreeMap::new();
    for &i in &drafts {
        let Some(field) = (pages[i].page.consultation.as_ref()).and_then(|c| c.field.as_deref())
        else {
            continue;
        };
        let slug = slugify(field);
        // A field of no letters or digits makes no filter page.
        if slug.is_empty() {
            continue;
        }
        let url = format!("{base}{}/{slug}/", paths.consultation_field);
        by_field
            .entry(slug.clone())
            .or_insert_with(|| listing(field, slug, url, Vec::new()))
            .pages
            .push(i);
    }
    let mut newest = drafts.clone();
    newest.sort_by_key(|&i| std::cmp::Reverse(pages[i].page.date));
    let mut all = listing(title, paths.consultations.clone(), base, drafts);
    all.description = description.to_string();
    let newest = Listing {
        pages: newest,
        ..all.clone()
    };
    Some(Consultations {
        newest,
        all,
        by_status,
        by_field: by_field.into_values().collect(),
    })
}

/// The URL word of a status: `dang-lay-y-kien`, `sap-lay-y-kien`, `da-het-han`.
pub fn status_slug(key: &str) -> &'static str {
    match key {
        "open" => "dang-lay-y-kien",
        "upcoming" => "sap-lay-y-kien",
        _ => "da-het-han",
    }
}
