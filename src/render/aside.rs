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
/// cost a deep copy into every page's context and its drop after.
#[derive(Default)]
pub struct Held {
    /// The values of the last page's column, with its language and lists.
    held: Option<((usize, Aside), Value, Value)>,
    /// The language and lists of the values lent to the context being
    /// rendered.
    lent: Option<(usize, Aside)>,
}

/// The names the theme reads the side column by.
const LATEST: &str = "aside_latest";
const DOCUMENTS: &str = "aside_documents";

impl Held {
    /// Puts `aside`'s values into `context`: the ones held when they are
    /// for the same lists, else those `make` makes.
    pub fn lend(
        &mut self,
        context: &mut Context,
        lang: usize,
        aside: Aside,
        make: impl FnOnce(&Aside) -> (Value, Value),
    ) {
        let key = (lang, aside);
        let (latest, documents) = match self.held.take() {
            Some((held, latest, documents)) if held == key => (latest, documents),
            _ => make(&key.1),
        };
        let mut values = serde_json::Map::new();
        values.insert(LATEST.into(), latest);
        values.insert(DOCUMENTS.into(), documents);
        if let Ok(values) = Context::from_value(Value::Object(values)) {
            context.extend(values);
            self.lent = Some(key);
        }
    }

    /// Takes the values lent to `context` back, once its page is rendered.
    pub fn take_back(&mut self, context: &mut Context) {
        let Some(key) = self.lent.take() else {
            return;
        };
        if let (Some(latest), Some(documents)) = (context.remove(LATEST), context.remove(DOCUMENTS))
        {
            self.held = Some((key, latest, documents));
        }
    }
}
