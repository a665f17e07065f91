//! The home page as a news front page: which stories go where, each shown
//! once.
//!
//! Blocks are filled from the top of the page down — the lead story, the
//! secondary ones beside it, "Tin mới", then each category's block — and a
//! story already placed higher is skipped lower down, the block filling
//! from the next ones in its list. A block left with nothing is not shown.
//! The home page is rendered again after every edit under `gazette serve`,
//! so depending on every list costs nothing there.

use std::collections::HashSet;

use crate::config::HomeConfig;
use crate::site::Site;

/// Indexes into [`Site::pages`] (and, for blocks, [`Site::categories`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FrontPage {
    pub lead: Option<usize>,
    pub secondary: Vec<usize>,
    pub latest: Vec<usize>,
    /// A category and its stories not shown above; only categories with
    /// some.
    pub blocks: Vec<(usize, Vec<usize>)>,
    /// The newest directives of the register.
    pub documents: Vec<usize>,
}

/// Places the site's stories: the lead and secondary ones are the featured
/// (`featured: true`) stories, newest first, made up to `home.featured`
/// from the newest articles when fewer are featured. `lists` are the
/// articles and the featured ones of the home page's language; the
/// category blocks and the register's documents are the site's own
/// language's (`own`), and other languages' home pages have none.
pub fn select(site: &Site, home: &HomeConfig, lists: (&[usize], &[usize]), own: bool) -> FrontPage {
    let (articles, featured) = lists;
    let mut shown: HashSet<usize> = HashSet::new();
    let mut take = |list: &[usize], limit: usize| -> Vec<usize> {
        let picked: Vec<usize> = list
            .iter()
            .copied()
            .filter(|i| !shown.contains(i))
            .take(limit)
            .collect();
        shown.extend(&picked);
        picked
    };
    let mut top = take(featured, home.featured);
    if top.len() < home.featured {
        let more = take(articles, home.featured - top.len());
        top.extend(more);
    }
    let mut top = top.into_iter();
    let lead = top.next();
    let secondary = top.collect();
    let latest = take(articles, home.latest);
    if !own {
        return FrontPage {
            lead,
            secondary,
            latest,
            ..FrontPage::default()
        };
    }
    let blocks = (site.categories.iter().enumerate())
        .map(|(c, category)| (c, take(&category.pages, home.per_category)))
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let documents = match &site.register {
        Some(register) => (register.all.pages.iter().copied())
            .take(home.documents)
            .collect(),
        None => Vec::new(),
    };
    FrontPage {
        lead,
        secondary,
        latest,
        blocks,
        documents,
    }
}
