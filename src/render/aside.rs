//! The side column of article and directive pages. Beside "Tin cùng
//! chuyên mục" (the page's own `related`), it shows "Tin mới", the newest
//! articles of the page's language, and "Văn bản mới", the register's
//! newest directives (the register is the site's own language's, so pages
//! in other languages get none). Neither shows the page itself, and "Tin
//! mới" skips the stories the column already shows ("Tin cùng chuyên mục"
//! of an article, "Tin bài liên quan" of a directive).
//!
//! Every such page shows these lists, so a new story, or a new title on
//! one of the newest, is written into every one of them: the price of the
//! column, paid as a dynamic portal pays it. `aside.latest: 0` and
//! `aside.documents: 0` leave the blocks out ([`crate::config::AsideConfig`]).

use serde_json::Value;
use tera::Context;

use crate::config::AsideConfig;
use crate::content::PageKind;
use crate::site::Site;

/// Indexes into [`Site::pages`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Aside {
    pub latest: Vec<usize>,
    pub documents: Vec<usize>,
}

/// Whether the page at `index` is rendered with the side column (its
/// template may still leave it out).
pub fn has_aside(site: &Site, index: usize) -> bool {
    let page = &site.pages[index].page;
    page.document.is_some() || (page.kind == PageKind::Article && page.agency.is_none())
}

/// The side column of the page at `index`, from `articles` (its language's,
/// newest first); `own`: the page is in the site's own language.
pub fn select(
    site: &Site,
    config: &AsideConfig,
    index: usize,
    articles: &[usize],
    own: bool,
) -> Aside {
    if !has_aside(site, index) {
        return Aside::default();
    }
    let page = &site.pages[index];
    let shown = match page.page.document {
        Some(_) => &page.mentioned_by,
        None => &page.related,
    };
    let latest = (articles.iter().copied())
        .filter(|&i| i != index && !shown.contains(&i))
        .take(config.latest)
        .collect();
    let documents = match &site.register {
        Some(register) if own => (register.all.pages.iter().copied())
            .filter(|&i| i != index)
            .take(config.documents)
            .collect(),
        _ => Vec::new(),
    };
    Aside { latest, documents }
}

/// The ids of every page an aside may show: the first articles of each
/// language's list and the first directives, as many as a page could reach
/// past itself and the stories its column already shows (an article's
/// related ones, at most `related`; a directive's mentions, any number).
/// When these or what they show change, every page with the column is
/// looked at again (`crate::session`).
pub fn reach(site: &Site, config: &crate::config::Config) -> Vec<String> {
    // A block left out shows nothing, whatever is published.
    let reach = |shown: usize, past: usize| if shown == 0 { 0 } else { shown + past };
    let mentions = (site.pages.iter())
        .filter(|p| p.page.document.is_some())
        .map(|p| p.mentioned_by.len())
        .max()
        .unwrap_or(0);
    let articles = reach(config.aside.latest, config.related.max(mentions) + 1);
    let documents = reach(config.aside.documents, 1);
    let mut ids = Vec::new();
    for l in 0..config.languages.len().max(1) {
        let list = super::languages::articles(site, config, l);
        ids.extend(
            list.iter()
                .take(articles)
                .map(|&i| site.pages[i].page.id.clone()),
        );
    }
    if let Some(register) = &site.register {
        ids.extend(
            (register.all.pages.iter())
                .take(documents)
                .map(|&i| site.pages[i].page.id.clone()),
        );
    }
    ids
}

/// The side column's values, moved from one page's context to the next
/// page's by the thread that renders both ([`super::render_each`] keeps one
/// per run of pages): most pages of a language show the same newest
/// stories and directives, and each such list, with its stories' photos,
/// cost a deep copy into every page's context and its drop after. Where
/// the next page's lists differ (the newest stories are its own, or in its
/// "Tin cùng chuyên mục"), the stories both show are moved too, and only
/// the others copied.
#[derive(Default)]
pub struct Held {
    /// The values of the last page's column, with its language and lists.
    held: Option<((usize, Aside), Value, Value)>,
    /// The language and lists of the values lent to the context being
    /// rendered.
    lent: Option<(usize, Aside)>,
    /// The last pages' "Tin cùng chuyên mục", by their stories, oldest
    /// first: the newest of a category, the same for nearly all its pages.
    related: Vec<(Vec<usize>, Value)>,
    /// The stories of the one lent to the context being rendered.
    lent_related: Option<Vec<usize>>,
}

/// The names the theme reads the side column by.
const LATEST: &str = "aside_latest";
const DOCUMENTS: &str = "aside_documents";
const RELATED: &str = "related";
/// How many "Tin cùng chuyên mục" lists a thread holds.
const RELATED_HELD: usize = 16;

impl Held {
    /// Puts `aside`'s values into `context`: the ones held where they are
    /// for the same stories and directives, else those `summary` (of a
    /// story) and `documents` (of the directives) make.
    pub fn lend(
        &mut self,
        context: &mut Context,
        lang: usize,
        aside: Aside,
        summary: impl Fn(usize) -> Value,
        documents: impl FnOnce(&[usize]) -> Value,
    ) {
        let (latest, documents) = match self.held.take() {
            Some(((held_lang, held), latest, held_documents)) if held_lang == lang => (
                if held.latest == aside.latest {
                    latest
                } else {
                    reuse(&held.latest, latest, &aside.latest, summary)
                },
                if held.documents == aside.documents {
                    held_documents
                } else {
                    documents(&aside.documents)
                },
            ),
            _ => (
                Value::Array(aside.latest.iter().map(|&i| summary(i)).collect()),
                documents(&aside.documents),
            ),
        };
        let mut values = serde_json::Map::new();
        values.insert(LATEST.into(), latest);
        values.insert(DOCUMENTS.into(), documents);
        if let Ok(values) = Context::from_value(Value::Object(values)) {
            context.extend(values);
            self.lent = Some((lang, aside));
        }
    }

    /// Puts the summaries of the stories `ids` into `context` as
    /// `related`: the list held when one of the last pages showed the same,
    /// else the one `summary` makes.
    pub fn lend_related(
        &mut self,
        context: &mut Context,
        ids: &[usize],
        summary: impl Fn(usize) -> Value,
    ) {
        let value = match self.related.iter().position(|(held, _)| held == ids) {
            Some(p) => self.related.remove(p).1,
            None => Value::Array(ids.iter().map(|&i| summary(i)).collect()),
        };
        let mut values = serde_json::Map::new();
        values.insert(RELATED.into(), value);
        if let Ok(values) = Context::from_value(Value::Object(values)) {
            context.extend(values);
            self.lent_related = Some(ids.to_vec());
        }
    }

    /// Takes the values lent to `context` back, once its page is rendered.
    pub fn take_back(&mut self, context: &mut Context) {
        if let Some(key) = self.lent.take()
            && let (Some(latest), Some(documents)) =
                (context.remove(LATEST), context.remove(DOCUMENTS))
        {
            self.held = Some((key, latest, documents));
        }
        if let Some(ids) = self.lent_related.take()
            && let Some(value) = context.remove(RELATED)
        {
            if self.related.len() == RELATED_HELD {
                self.related.remove(0);
            }
            self.related.push((ids, value));
        }
    }
}

/// The summaries of the pages `wanted`, moved out of `values` (those of
/// the pages `ids`) where they are there, else made by `summary`.
fn reuse(
    ids: &[usize],
    values: Value,
    wanted: &[usize],
    summary: impl Fn(usize) -> Value,
) -> Value {
    let mut old: Vec<Option<Value>> = match values {
        Value::Array(items) if items.len() == ids.len() => items.into_iter().map(Some).collect(),
        _ => Vec::new(),
    };
    let items = wanted.iter().map(|&i| {
        let held = (ids.iter().position(|&j| j == i)).and_then(|p| old.get_mut(p)?.take());
        held.unwrap_or_else(|| summary(i))
    });
    Value::Array(items.collect())
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde_json::json;

    use super::*;

    /// A page's column lends the stories the page before held, and makes
    /// only the others; another language makes them all.
    #[test]
    fn a_column_moves_what_the_last_one_showed_and_makes_the_rest() {
        let made = RefCell::new(Vec::new());
        let summary = |i: usize| {
            made.borrow_mut().push(i);
            json!({ "story": i })
        };
        let documents = |ids: &[usize]| json!(ids);
        let aside = |latest: &[usize], documents: &[usize]| Aside {
            latest: latest.to_vec(),
            documents: documents.to_vec(),
        };
        let mut held = Held::default();
        let shown = |held: &mut Held, lang, latest: &[usize]| {
            let mut context = Context::new();
            held.lend(&mut context, lang, aside(latest, &[9]), summary, documents);
            let value = context.get(LATEST).cloned();
            assert_eq!(context.get(DOCUMENTS), Some(&json!([9])));
            held.take_back(&mut context);
            assert!(context.get(LATEST).is_none());
            value
        };
        assert_eq!(
            shown(&mut held, 0, &[1, 2, 3]),
            Some(json!([{"story": 1}, {"story": 2}, {"story": 3}]))
        );
        assert_eq!(made.take(), [1, 2, 3]);
        assert_eq!(
            shown(&mut held, 0, &[1, 2, 3]),
            Some(json!([{"story": 1}, {"story": 2}, {"story": 3}]))
        );
        assert_eq!(made.take(), Vec::<usize>::new());
        assert_eq!(
            shown(&mut held, 0, &[3, 4, 1]),
            Some(json!([{"story": 3}, {"story": 4}, {"story": 1}]))
        );
        assert_eq!(made.take(), [4]);
        assert_eq!(
            shown(&mut held, 1, &[3, 4]),
            Some(json!([{"story": 3}, {"story": 4}]))
        );
        assert_eq!(made.take(), [3, 4]);
    }

    /// "Tin cùng chuyên mục" is lent again to a later page that shows the
    /// same stories, among the last few lists, and made for another list.
    #[test]
    fn a_related_list_is_lent_again_to_a_page_showing_the_same() {
        let made = RefCell::new(Vec::new());
        let summary = |i: usize| {
            made.borrow_mut().push(i);
            json!({ "story": i })
        };
        let mut held = Held::default();
        let shown = |held: &mut Held, ids: &[usize]| {
            let mut context = Context::new();
            held.lend_related(&mut context, ids, summary);
            let value = context.get(RELATED).cloned();
            held.take_back(&mut context);
            value
        };
        let stories = |ids: &[usize]| {
            Some(json!(
                ids.iter()
                    .map(|i| json!({ "story": i }))
                    .collect::<Vec<_>>()
            ))
        };
        for made_now in [vec![1, 2, 3, 4], vec![]] {
            for ids in [[1, 2], [3, 4]] {
                assert_eq!(shown(&mut held, &ids), stories(&ids));
            }
            assert_eq!(made.take(), made_now);
        }
        for i in 10..10 + RELATED_HELD {
            shown(&mut held, &[i]);
        }
        made.take();
        assert_eq!(
            shown(&mut held, &[1, 2]),
            Some(json!([{"story": 1}, {"story": 2}]))
        );
        assert_eq!(made.take(), [1, 2], "the oldest lists are let go");
    }

    /// A story asked for twice is made the second time, never left empty.
    #[test]
    fn a_story_held_once_is_moved_once() {
        let values = json!([{"story": 1}, {"story": 2}]);
        let made = reuse(&[1, 2], values, &[2, 2, 5], |i| json!({ "made": i }));
        assert_eq!(made, json!([{"story": 2}, {"made": 2}, {"made": 5}]));
        let made = reuse(
            &[1, 2],
            json!([{"story": 1}]),
            &[1],
            |i| json!({ "made": i }),
        );
        assert_eq!(
            made,
            json!([{"made": 1}]),
            "values not of those ids are not used"
        );
    }
}
