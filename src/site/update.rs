//! The index brought up to date page by page after an edit, to what
//! [`super::build`] makes of the same pages, without building it again:
//! an edited page that keeps its place is swapped in where it is; a new,
//! moved or deleted page is put in or taken out, and the indexes after it
//! move by one. Only the lists the page was or is on are touched, and
//! "Tin cùng chuyên mục" only in its categories.
//!
//! A directive's number links every page that mentions it: when a
//! directive comes, goes, is renumbered or moves in the order, the caller
//! reads those pages again too and hands them in as edits (see
//! `session::numbers`). What this cannot do alone says so by returning
//! `None`, and the caller builds the whole index: a directive that moves
//! while pages not handed in still mention it, the first directive or the
//! last (the register takes the place of its section's list), the first
//! draft for comment or the last (so does the drafts' register), and an
//! edit that puts two things on one URL (the whole build names both the way a
//! clean build would).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::lists::{Changed, ListId, insert_sorted, order, remove_sorted};
use super::{Listing, Site, SitePage, asset_path, count_pages, site_page};
use crate::config::Config;
use crate::content::{Page, Section};
use crate::markdown::Indexed;
use crate::slug::slugify;
use crate::{consultations, register};

/// One page read again, new, or gone.
pub struct Edit {
    /// Its index in [`Site::pages`] before the update, if it was there.
    pub old: Option<usize>,
    /// The page now, if it is still published.
    pub new: Option<(Page, Indexed)>,
}

/// What an update changed, for the caller to render again only that.
#[derive(Debug, Default)]
pub struct Touched {
    /// Pages whose own output may have changed (indexes after the update):
    /// the edited ones, those whose "Tin cùng chuyên mục" or cross-links
    /// changed, and those that show an edited page.
    pub pages: Vec<usize>,
    /// The pages edited or new (indexes after the update).
    pub visited: Vec<usize>,
    /// Lists whose items may have changed, with their length before.
    pub lists: Changed,
    /// The site paths of pages that left them (deleted or moved).
    pub gone: Vec<String>,
    /// Ids of the pages changed in any way.
    pub edited: HashSet<String>,
    /// Of those, the ones changed in what other outputs show of them
    /// (title, date, summary, picture, categories…), not just the body.
    pub shown: HashSet<String>,
    /// A directive changed: the register's lists are made again.
    pub register: bool,
    /// The register's lists before, by URL, with their lengths.
    pub register_before: Vec<(String, String, usize)>,
    /// A draft for comment changed: the drafts' register is made again.
    pub consultations: bool,
    /// The drafts' lists before, by URL, with their lengths.
    pub consultations_before: Vec<(String, String, usize)>,
    /// A URL came, went or moved in the order, or a page's dates changed:
    /// the sitemap is made again.
    pub sitemap: bool,
    /// A page with aliases or bundle files changed: those lists are
    /// made again.
    pub aliases: bool,
    /// Output paths of the bundle files of the pages changed, before.
    pub files_before: Vec<String>,
    /// A page came, went, moved in the order or changed the lists it is
    /// on; when none did, every list holds the same items in the same
    /// order, and only the list pages showing an edited page change.
    pub moved: bool,
}

impl Site {
    /// Applies `edits`; `None` when only a whole build can (see the module
    /// documentation), and then the index is not to be used.
    pub fn update(&mut self, config: &Config, edits: Vec<Edit>) -> Option<Touched> {
        let mut touched = Touched::default();
        for edit in &edits {
            let old = edit.old.map(|i| &self.pages[i].page);
            let new = edit.new.as_ref().map(|(page, _)| page);
            touched.register |= old.into_iter().chain(new).any(|p| p.document.is_some());
            touched.consultations |= old.into_iter().chain(new).any(|p| p.consultation.is_some());
        }
        let had_register = self.register.is_some();
        let had_drafts = self.consultations.is_some();
        if touched.consultations
            && let Some(drafts) = &self.consultations
        {
            touched.consultations_before = list_lengths(drafts.filters().map(|(_, l)| l));
        }
        if touched.register
            && let Some(register) = &self.register
        {
            touched.register_before = list_lengths(register.filters().map(|(_, l)| l));
        }
        // A tag is named by its newest page: a new spelling shows on every
        // page that carries it, which only a whole build renders.
        let tag_names: Vec<(String, Option<String>)> = edits
            .iter()
            .flat_map(|e| {
                let old = e.old.map(|i| self.pages[i].tag_slugs.clone());
                let new =
                    (e.new.as_ref()).map(|(p, _)| p.tags.iter().map(|n| slugify(n)).collect());
                old.into_iter().chain(new).flatten()
            })
            .map(|slug| {
                let name = self
                    .tag_index
                    .get(&slug)
                    .map(|&t| self.tags[t].name.clone());
                (slug, name)
            })
            .collect();
        let mut problems = Vec::new();
        // Indexes still to visit, and those visited, moved as pages come
        // and go.
        let mut pending: Vec<Option<usize>> = edits.iter().map(|e| e.old).collect();
        let mut visited: Vec<usize> = Vec::new();
        // Cross-links first, for every page: a directive may move or go.
        for &i in pending.iter().flatten() {
            self.unlink(i, &mut touched.pages);
        }
        for (k, edit) in edits.into_iter().enumerate() {
            let mut new = edit.new.map(|(page, indexed)| site_page(page, indexed));
            let mut at = None;
            if let Some(i) = pending[k] {
                let old = &self.pages[i];
                touched.edited.insert(old.page.id.clone());
                let alike = new.as_ref().is_some_and(|new| shown_alike(old, new));
                // An `id:` edit: pages that show it know it by either.
                for id in std::iter::once(&old.page.id).chain(new.as_ref().map(|n| &n.page.id)) {
                    touched.edited.insert(id.clone());
                    if !alike {
                        touched.shown.insert(id.clone());
                    }
                }
                touched.gone.push(old.url.clone());
                touched.aliases |= !old.page.aliases.is_empty() || !old.page.assets.is_empty();
                touched
                    .files_before
                    .extend(old.page.assets.iter().map(|a| asset_path(old, &a.name)));
                // The pages that mention a directive that moves or goes are
                // edits of their own (read again with the new numbers),
                // else their links would be lost.
                let mentioned = !old.mentioned_by.is_empty();
                self.release_page(i);
                self.detach(i, &mut touched.lists);
                match new.take() {
                    Some(mut page) if self.fits_at(i, &page) => {
                        // The pages that mention a directive still do.
                        page.mentioned_by = std::mem::take(&mut self.pages[i].mentioned_by);
                        let old = &self.pages[i];
                        touched.moved |= old.page.section != page.page.section
                            || old.page.categories != page.page.categories
                            || old.tag_slugs != page.tag_slugs
                            || old.page.kind != page.page.kind
                            || old.page.featured != page.page.featured
                            || old.page.is_news() != page.page.is_news()
                            || old.page.lang != page.page.lang;
                        // Lists are dated by their newest item.
                        touched.sitemap |= old.url != page.url
                            || old.page.date != page.page.date
                            || old.page.updated != page.page.updated
                            || old.page.categories != page.page.categories
                            || old.tag_slugs != page.tag_slugs
                            || old.page.section != page.page.section
                            || old.page.kind != page.page.kind
                            || old.page.draft != page.page.draft
                            || old
                                .page
                                .document
                                .as_ref()
                                .map(|d| (&d.kind, &d.issuer, d.signed))
                                != page
                                    .page
                                    .document
                                    .as_ref()
                                    .map(|d| (&d.kind, &d.issuer, d.signed));
                        self.pages[i] = page;
                        at = Some(i);
                    }
                    _ if mentioned => return None,
                    page => {
                        touched.sitemap = true;
                        touched.moved = true;
                        new = page;
                        self.pages.remove(i);
                        self.shift(i, false);
                        for index in pending.iter_mut().flatten().chain(&mut visited) {
                            moved(index, i, false);
                        }
                        touched.pages.iter_mut().for_each(|x| moved(x, i, false));
                    }
                }
            }
            let index = match (at, new) {
                (Some(i), _) => i,
                (None, Some(page)) => {
                    touched.sitemap = true;
                    touched.moved = true;
                    let p = self
                        .pages
                        .partition_point(|x| order(x, &page) == Ordering::Less);
                    touched.edited.insert(page.page.id.clone());
                    touched.shown.insert(page.page.id.clone());
                    self.pages.insert(p, page);
                    self.shift(p, true);
                    for index in pending.iter_mut().flatten().chain(&mut visited) {
                        moved(index, p, true);
                    }
                    touched.pages.iter_mut().for_each(|x| moved(x, p, true));
                    p
                }
                (None, None) => continue,
            };
            let page = &self.pages[index];
            touched.aliases |= !page.page.aliases.is_empty() || !page.page.assets.is_empty();
            self.claim_page(config, index, &mut problems);
            self.claim_aliases(index, &mut problems);
            self.attach(config, index, &mut touched.lists);
            visited.push(index);
        }
        let mut keys = None;
        for &index in &visited {
            self.link(index, &mut keys, &mut touched.pages);
        }
        self.order_tags();
        for (slug, before) in &tag_names {
            let now = self.tag_index.get(slug).map(|&t| &self.tags[t].name);
            if before.is_some() && now.is_some() && before.as_ref() != now {
                return None;
            }
        }
        if touched.register {
            for (url, _, count) in &touched.register_before {
                self.release_pagers(config, url, 0..count_pages(config, *count));
            }
            let (title, description) = self.register_title(config);
            self.register = register::register(&self.pages, &config.paths, title, description);
            // The register's section list goes or comes back with it.
            if self.register.is_some() != had_register {
                return None;
            }
            let lists: Vec<(String, String, usize)> = self
                .register
                .iter()
                .flat_map(|r| r.filters())
                .map(|(_, l)| (l.url.clone(), l.name.clone(), l.pages.len()))
                .collect();
            for (url, name, count) in lists {
                let pages = 0..count_pages(config, count);
                self.claim_pagers(config, &mut problems, "register", &url, &name, pages);
            }
        }
        if touched.consultations {
            for (url, _, count) in &touched.consultations_before {
                self.release_pagers(config, url, 0..count_pages(config, *count));
            }
            let (title, description) = self.section_title(&config.paths.consultations);
            let (title, description) = (title.to_string(), description.to_string());
            self.consultations =
                consultations::consultations(&self.pages, &config.paths, &title, &description);
            // The drafts' section list and menu item go or come back.
            if self.consultations.is_some() != had_drafts {
                return None;
            }
            let lists = list_lengths(
                self.consultations
                    .iter()
                    .flat_map(|c| c.filters().map(|(_, l)| l)),
            );
            for (url, name, count) in lists {
                let pages = 0..count_pages(config, count);
                self.claim_pagers(config, &mut problems, "consultations", &url, &name, pages);
            }
        }
        touched.sitemap |= touched.register || touched.consultations;
        touched.sitemap |= self.claim_changed_lists(config, &touched.lists, &mut problems);
        let categories: Vec<usize> = (0..self.categories.len())
            .filter(|&c| {
                touched.lists.contains_key(&ListId {
                    kind: "category",
                    url: self.categories[c].url.clone(),
                })
            })
            .collect();
        touched
            .pages
            .extend(self.fill_related(config, categories.iter().copied()));
        // The pages that show an edited one: its categories' pages when it
        // is among the newest, and its cross-links.
        for &index in &visited {
            let page = &self.pages[index];
            touched.pages.push(index);
            if !touched.shown.contains(&page.page.id) {
                continue;
            }
            touched.pages.extend(&page.documents);
            touched.pages.extend(&page.mentioned_by);
            for &c in &page.categories {
                let list = &self.categories[c].pages;
                if list.iter().take(config.related + 1).any(|&x| x == index) {
                    let holders = list
                        .iter()
                        .filter(|&&x| self.pages[x].categories.first() == Some(&c));
                    touched.pages.extend(holders);
                }
            }
        }
        if touched.aliases {
            self.collect_files_and_aliases();
        }
        touched.visited = visited;
        let count = self.pages.len();
        touched.pages.retain(|&i| i < count);
        touched.pages.sort_unstable();
        touched.pages.dedup();
        problems.is_empty().then_some(touched)
    }

    /// A section's `_index.md` saved (`meta`) or deleted (`None`): its
    /// name, description and template where lists and the register show
    /// them. Returns the section's list, when the site has one.
    pub fn set_section(
        &mut self,
        config: &Config,
        name: &str,
        meta: Option<Section>,
    ) -> SectionShown {
        let at = self.section_meta.iter().position(|s| s.name == name);
        match (at, meta) {
            (Some(at), Some(meta)) => self.section_meta[at] = meta,
            (Some(at), None) => {
                self.section_meta.remove(at);
            }
            (None, Some(meta)) => self.section_meta.push(meta),
            (None, None) => {}
        }
        if name.is_empty() {
            self.home = self
                .section_meta
                .iter()
                .find(|s| s.name.is_empty())
                .cloned();
            return SectionShown::Home;
        }
        if name == config.paths.register && self.register.is_some() {
            let (title, description) = self.register_title(config);
            let (title, description) = (title.to_string(), description.to_string());
            if let Some(register) = &mut self.register {
                register.all.name = title;
                register.all.description = description;
            }
            return SectionShown::Register;
        }
        if name == config.paths.consultations && self.consultations.is_some() {
            let (title, description) = self.section_title(name);
            let (title, description) = (title.to_string(), description.to_string());
            if let Some(drafts) = &mut self.consultations {
                for list in [&mut drafts.all, &mut drafts.newest] {
                    list.name = title.clone();
                    list.description = description.clone();
                }
            }
            // Shown wherever the register is: everything again.
            return SectionShown::Register;
        }
        match self.sections.iter().position(|s| s.slug == name) {
            Some(at) => {
                let fresh = self.section_listing(name.to_string());
                let list = &mut self.sections[at];
                list.name = fresh.name;
                list.description = fresh.description;
                list.template = fresh.template;
                SectionShown::List(at)
            }
            None => SectionShown::Nowhere,
        }
    }

    /// Whether `page` sorts between the neighbours of index `i`.
    fn fits_at(&self, i: usize, page: &SitePage) -> bool {
        let after_previous = i == 0 || order(&self.pages[i - 1], page) == Ordering::Less;
        let before_next = self
            .pages
            .get(i + 1)
            .is_none_or(|next| order(page, next) == Ordering::Less);
        after_previous && before_next
    }

    /// Takes page `index` out of the "Tin bài liên quan" of the directives
    /// it mentions; they are to be rendered again.
    fn unlink(&mut self, index: usize, touched: &mut Vec<usize>) {
        for d in std::mem::take(&mut self.pages[index].documents) {
            remove_sorted(&mut self.pages[d].mentioned_by, index);
            touched.push(d);
        }
    }

    /// Finds the directives page `index` mentions or names, and puts it in
    /// their "Tin bài liên quan", as [`register::cross_link`] does.
    fn link(
        &mut self,
        index: usize,
        keys: &mut Option<HashMap<String, usize>>,
        touched: &mut Vec<usize>,
    ) {
        let page = &self.pages[index];
        if page.mentions.is_empty() && page.page.documents.is_empty() {
            return;
        }
        let by_key = keys.get_or_insert_with(|| register::directives_by_key(&self.pages));
        let documents = register::documents_of(page, index, by_key);
        for &d in &documents {
            insert_sorted(&mut self.pages[d].mentioned_by, index);
            touched.push(d);
        }
        self.pages[index].documents = documents;
    }

    /// Claims the pages a list grew by, and hands back those it shrank by;
    /// whether a list came or went.
    fn claim_changed_lists(
        &mut self,
        config: &Config,
        changed: &Changed,
        problems: &mut Vec<crate::Diagnostic>,
    ) -> bool {
        let mut came_or_went = false;
        for (id, &before) in changed {
            let (name, now) = match self.list(id) {
                Some(list) => (list.name.clone(), list.pages.len()),
                None => (String::new(), 0),
            };
            // Sections and tags exist only while they have pages;
            // categories always, with at least one (empty) page.
            let pages = |count: usize| match id.kind {
                "category" => count_pages(config, count),
                _ if count == 0 => 0,
                _ => count_pages(config, count),
            };
            let (before, now) = (pages(before), pages(now));
            came_or_went |= (before == 0) != (now == 0);
            if now > before {
                self.claim_pagers(config, problems, id.kind, &id.url, &name, before..now);
            } else {
                self.release_pagers(config, &id.url, now..before);
            }
        }
        came_or_went
    }

    /// The list `id` names, if the site has it now.
    pub fn list(&self, id: &ListId) -> Option<&super::Listing> {
        let lists = match id.kind {
            "section" => &self.sections,
            "category" => &self.categories,
            "tag" => &self.tags,
            _ => return None,
        };
        lists.iter().find(|l| l.url == id.url)
    }
}

/// Where a section's `_index.md` shows ([`Site::set_section`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionShown {
    /// `content/_index.md`: the home page.
    Home,
    /// The register's own section: its pages.
    Register,
    /// A section's list, by its index in [`Site::sections`].
    List(usize),
    /// No page shows it (a section with no pages, a folder deeper down).
    Nowhere,
}

/// `index` as it is after a page was put in (`up`) or taken out at `at`.
fn moved(index: &mut usize, at: usize, up: bool) {
    if up && *index >= at {
        *index += 1;
    } else if !up && *index > at {
        *index -= 1;
    }
}

/// Whether other outputs show `a` and `b` alike: they differ at most in
/// the body (and not in the summary lists take from it).
/// Each list's URL, name and length.
pub fn list_lengths<'a>(lists: impl Iterator<Item = &'a Listing>) -> Vec<(String, String, usize)> {
    lists
        .map(|l| (l.url.clone(), l.name.clone(), l.pages.len()))
        .collect()
}

fn shown_alike(a: &SitePage, b: &SitePage) -> bool {
    let (p, q) = (&a.page, &b.page);
    a.url == b.url
        && a.summary() == b.summary()
        && a.image_url == b.image_url
        && a.lead_html == b.lead_html
        && a.mentions == b.mentions
        && p.kind == q.kind
        && p.section == q.section
        && p.title == q.title
        && p.date == q.date
        && p.updated == q.updated
        && p.description == q.description
        && p.categories == q.categories
        && p.tags == q.tags
        && p.author == q.author
        && p.source == q.source
        && p.image == q.image
        && p.featured == q.featured
        && p.rating == q.rating
        && p.document == q.document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_move_past_a_page_put_in_or_taken_out() {
        let mut at = vec![0, 3, 5];
        at.iter_mut().for_each(|x| moved(x, 3, true));
        assert_eq!(at, vec![0, 4, 6]);
        at.iter_mut().for_each(|x| moved(x, 4, false));
        assert_eq!(at, vec![0, 4, 5]);
    }
}
