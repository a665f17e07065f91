//! A page's place in the site's lists, one page at a time: the sections,
//! categories and tags it is on, the articles and featured lists, the
//! lists' order, and "Tin cùng chuyên mục". The whole build attaches every
//! page in order; an edit detaches a page and attaches it again, and a page
//! put in or taken out of the middle shifts the indexes after it. Either
//! way the lists come out as the whole build makes them.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{Listing, Site, SitePage};
use crate::config::Config;
use crate::content::PageKind;

/// The order of [`Site::pages`]: articles newest first, then plain pages;
/// equal dates by title, then by file, so the order never depends on the
/// file system or on the order pages were handed in.
pub fn order(a: &SitePage, b: &SitePage) -> Ordering {
    let plain = |p: &SitePage| p.page.kind == PageKind::Plain;
    plain(a)
        .cmp(&plain(b))
        .then_with(|| b.page.date.cmp(&a.page.date))
        .then_with(|| a.page.title.cmp(&b.page.title))
        .then_with(|| a.page.path.cmp(&b.page.path))
}

/// In "Tin cùng chuyên mục", a page taken out, until the list is filled
/// again.
const GONE: usize = usize::MAX;

/// Puts `index` into an ascending list of indexes.
pub fn insert_sorted(list: &mut Vec<usize>, index: usize) {
    let at = list.partition_point(|&x| x < index);
    list.insert(at, index);
}

/// Takes every `index` out of an ascending list.
pub fn remove_sorted(list: &mut Vec<usize>, index: usize) {
    let from = list.partition_point(|&x| x < index);
    let to = from + list[from..].iter().take_while(|&&x| x == index).count();
    list.drain(from..to);
}

/// Which of a site's lists a list is, to name it in messages and to find
/// its outputs again: its kind (`section`, `category`, `tag`) and URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListId {
    pub kind: &'static str,
    pub url: String,
}

/// The lists an edit changed, and how many items each had before.
pub type Changed = HashMap<ListId, usize>;

impl Site {
    /// Puts page `index` on the lists it belongs to. A tag seen for the
    /// first time is added at the end of [`Site::tags`]: call
    /// [`Site::order_tags`] once done.
    pub(super) fn attach(&mut self, config: &Config, index: usize, changed: &mut Changed) {
        let page = &self.pages[index];
        // Translations are in no list of the site's own language (crate::lang).
        if page.page.lang.is_some() {
            return;
        }
        if page.page.is_news() {
            insert_sorted(&mut self.articles, index);
            if page.page.featured {
                insert_sorted(&mut self.featured, index);
            }
        }
        // The registers take the place of their sections' plain lists.
        let registered = |name: &str| {
            (self.register.is_some() && name == config.paths.register)
                || (self.consultations.is_some() && name == config.paths.consultations)
        };
        if let Some(name) = page.page.section.clone().filter(|name| !registered(name)) {
            let at = self.sections.partition_point(|s| s.slug < name);
            if self.sections.get(at).is_none_or(|s| s.slug != name) {
                let listing = self.section_listing(name);
                self.sections.insert(at, listing);
            }
            let list = &mut self.sections[at];
            note(changed, "section", list);
            insert_sorted(&mut list.pages, index);
        }
        let mut categories = Vec::new();
        for slug in &self.pages[index].page.categories {
            if let Some(c) = self.categories.iter().position(|c| &c.slug == slug) {
                note(changed, "category", &self.categories[c]);
                insert_sorted(&mut self.categories[c].pages, index);
                categories.push(c);
            }
        }
        let mut tags = Vec::new();
        let page = &self.pages[index];
        for (name, slug) in page.page.tags.iter().zip(&page.tag_slugs) {
            let t = match self.tag_index.get(slug) {
                Some(&t) => t,
                None => {
                    self.tag_index.insert(slug.clone(), self.tags.len());
                    self.tags.push(Listing {
                        name: name.clone(),
                        url: format!("/{}/{}/", config.paths.tag, slug),
                        slug: slug.clone(),
                        description: String::new(),
                        pages: Vec::new(),
                        template: None,
                    });
                    self.tags.len() - 1
                }
            };
            let list = &mut self.tags[t];
            note(changed, "tag", list);
            // The newest page on a tag names it.
            if list.pages.first().is_some_and(|&first| index < first) {
                list.name = name.clone();
            }
            insert_sorted(&mut list.pages, index);
            tags.push(t);
        }
        let page = &mut self.pages[index];
        if categories.is_empty() {
            page.related.clear();
        }
        page.categories = categories;
        page.tags = tags;
    }

    /// Takes page `index` off every list [`Site::attach`] put it on. A
    /// section or tag left empty is gone.
    pub(super) fn detach(&mut self, index: usize, changed: &mut Changed) {
        remove_sorted(&mut self.articles, index);
        remove_sorted(&mut self.featured, index);
        if let Some(name) = &self.pages[index].page.section
            && let Ok(at) = self
                .sections
                .binary_search_by(|s| s.slug.as_str().cmp(name))
        {
            note(changed, "section", &self.sections[at]);
            remove_sorted(&mut self.sections[at].pages, index);
            if self.sections[at].pages.is_empty() {
                self.sections.remove(at);
            }
        }
        for c in std::mem::take(&mut self.pages[index].categories) {
            note(changed, "category", &self.categories[c]);
            remove_sorted(&mut self.categories[c].pages, index);
        }
        let mut emptied = false;
        for t in std::mem::take(&mut self.pages[index].tags) {
            let list = &mut self.tags[t];
            note(changed, "tag", list);
            let was_first = list.pages.first() == Some(&index);
            remove_sorted(&mut list.pages, index);
            match list.pages.first() {
                None => emptied = true,
                Some(&first) if was_first => {
                    let slug = list.slug.clone();
                    let named = &self.pages[first];
                    if let Some((name, _)) = named
                        .page
                        .tags
                        .iter()
                        .zip(&named.tag_slugs)
                        .find(|(_, s)| **s == slug)
                    {
                        self.tags[t].name = name.clone();
                    }
                }
                Some(_) => {}
            }
        }
        if emptied {
            self.drop_empty_tags();
        }
    }

    /// Moves every index at or after `from` by one: up after a page was put
    /// in at `from`, down after the page at `from` was taken out (and off
    /// every list).
    pub(super) fn shift(&mut self, from: usize, up: bool) {
        // Down, only "Tin cùng chuyên mục" can still hold `from` itself: it
        // is marked so that, filled again for the page's categories, it is
        // seen to have changed even when the page after takes its place.
        let moved = |i: &mut usize| {
            if *i == GONE {
            } else if up && *i >= from {
                *i += 1;
            } else if !up && *i == from {
                *i = GONE;
            } else if !up && *i > from {
                *i -= 1;
            }
        };
        let lists = self
            .sections
            .iter_mut()
            .chain(self.categories.iter_mut())
            .chain(self.tags.iter_mut())
            .chain(self.register.iter_mut().flat_map(|r| r.lists_mut()))
            .chain(self.consultations.iter_mut().flat_map(|c| c.lists_mut()));
        for list in lists {
            list.pages.iter_mut().for_each(moved);
        }
        self.articles.iter_mut().for_each(moved);
        self.featured.iter_mut().for_each(moved);
        for page in &mut self.pages {
            page.related.iter_mut().for_each(moved);
            page.documents.iter_mut().for_each(moved);
            page.mentioned_by.iter_mut().for_each(moved);
        }
    }

    /// Tags by name, as the menu of tags reads (ties by slug), with every
    /// page's tag indexes following.
    pub(super) fn order_tags(&mut self) {
        let mut by_name: Vec<usize> = (0..self.tags.len()).collect();
        let names: Vec<String> = self.tags.iter().map(|t| t.name.to_lowercase()).collect();
        by_name.sort_by(|&a, &b| {
            names[a]
                .cmp(&names[b])
                .then_with(|| self.tags[a].slug.cmp(&self.tags[b].slug))
        });
        if by_name.iter().enumerate().all(|(new, &old)| new == old) {
            return;
        }
        self.renumber_tags(&by_name);
    }

    fn drop_empty_tags(&mut self) {
        let kept: Vec<usize> = (0..self.tags.len())
            .filter(|&t| !self.tags[t].pages.is_empty())
            .collect();
        self.renumber_tags(&kept);
    }

    /// Keeps the tags `kept` (old indexes), in that order.
    fn renumber_tags(&mut self, kept: &[usize]) {
        let mut new_index = vec![usize::MAX; self.tags.len()];
        for (new, &old) in kept.iter().enumerate() {
            new_index[old] = new;
        }
        let mut old_tags: Vec<Option<Listing>> = std::mem::take(&mut self.tags)
            .into_iter()
            .map(Some)
            .collect();
        self.tags = kept
            .iter()
            .filter_map(|&old| old_tags[old].take())
            .collect();
        for page in &mut self.pages {
            for t in &mut page.tags {
                *t = new_index[*t];
            }
        }
        self.tag_index = self
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
    }

    pub(super) fn section_listing(&self, name: String) -> Listing {
        let meta = self.section_meta.iter().find(|s| s.name == name);
        Listing {
            name: meta.map_or_else(|| name.clone(), |s| s.title.clone()),
            url: format!("/{name}/"),
            description: meta.and_then(|s| s.description.clone()).unwrap_or_default(),
            template: meta.and_then(|s| s.template.clone()),
            slug: name,
            pages: Vec::new(),
        }
    }

    /// "Tin cùng chuyên mục" of every page whose primary category is one of
    /// `categories`: the newest others of that category. Returns the pages
    /// whose list changed.
    pub(super) fn fill_related(
        &mut self,
        config: &Config,
        categories: impl IntoIterator<Item = usize>,
    ) -> Vec<usize> {
        let mut changed = Vec::new();
        for c in categories {
            let list = &self.categories[c].pages;
            // Every page's are the newest of the list but itself: the same
            // few for all, compared in place (no list made per page).
            let newest: Vec<usize> = list.iter().copied().take(config.related + 1).collect();
            for &index in list {
                if self.pages[index].categories.first() != Some(&c) {
                    continue;
                }
                let related = (newest.iter().copied())
                    .filter(|&other| other != index)
                    .take(config.related);
                if !self.pages[index]
                    .related
                    .iter()
                    .copied()
                    .eq(related.clone())
                {
                    changed.push(index);
                    self.pages[index].related = related.collect();
                }
            }
        }
        changed
    }
}

/// Remembers a list's length before its first change in an edit.
fn note(changed: &mut Changed, kind: &'static str, list: &Listing) {
    changed
        .entry(ListId {
            kind,
            url: list.url.clone(),
        })
        .or_insert(list.pages.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lists_take_and_give_back_indexes() {
        let mut list = vec![1, 4, 4, 9];
        insert_sorted(&mut list, 5);
        insert_sorted(&mut list, 0);
        assert_eq!(list, vec![0, 1, 4, 4, 5, 9]);
        remove_sorted(&mut list, 4);
        remove_sorted(&mut list, 7);
        assert_eq!(list, vec![0, 1, 5, 9]);
    }
}
