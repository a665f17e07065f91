//! The HTML site map (`/so-do-cong/`, "Sơ đồ cổng"): every section,
//! category and the directives register with its filters, the plain pages
//! and the feeds, on one page linked from every footer — the way through
//! the portal for a visitor who does not search.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::feeds::{FeedLink, Format, Scope};
use crate::content::PageKind;
use crate::site::Listing;

#[derive(Serialize)]
struct MapLink<'a> {
    name: &'a str,
    url: &'a str,
    description: &'a str,
    /// Items in the list; none for a page.
    count: Option<usize>,
    feeds: Vec<FeedLink>,
}

#[derive(Serialize)]
struct RegisterMap<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
    feeds: Vec<FeedLink>,
    types: Vec<MapLink<'a>>,
    years: Vec<MapLink<'a>>,
    issuers: Vec<MapLink<'a>>,
}

#[derive(Serialize)]
struct PortalMap<'a> {
    sections: Vec<MapLink<'a>>,
    categories: Vec<MapLink<'a>>,
    register: Option<RegisterMap<'a>>,
    /// The drafts for comment and the open data files.
    consultations: Option<MapLink<'a>>,
    open_data: Vec<MapLink<'a>>,
    pages: Vec<MapLink<'a>>,
    feeds: Vec<FeedLink>,
}

fn list_link(list: &Listing) -> MapLink<'_> {
    MapLink {
        name: &list.name,
        url: &list.url,
        description: &list.description,
        count: Some(list.pages.len()),
        feeds: Vec::new(),
    }
}

impl<'a> Renderer<'a> {
    /// The feeds of one list, both formats, named by format only.
    fn own_feeds(&self, scope: Scope) -> Vec<FeedLink> {
        Format::ALL
            .into_iter()
            .filter_map(|format| {
                Some(FeedLink {
                    title: format.label().into(),
                    href: self.feed_url(scope, format)?,
                    media_type: format.media_type(),
                })
            })
            .chain(self.json_feed_url(scope).map(|href| FeedLink {
                title: "JSON Feed".into(),
                href,
                media_type: super::feeds::JSON_FEED,
            }))
            .collect()
    }

    /// Fills the site map page's context; returns its template and URL.
    /// Another language's shows its own pages and feeds only: the lists,
    /// registers and open data are the site's own language's.
    pub(super) fn portal_map(&self, context: &mut Context) -> (String, String) {
        let own = self.lang == 0;
        let categories = self
            .site
            .categories
            .iter()
            .enumerate()
            .map(|(i, list)| MapLink {
                feeds: self.own_feeds(Scope::Category(i)),
                ..list_link(list)
            })
            .collect();
        let register = self.site.register.as_ref().map(|r| RegisterMap {
            name: self.register_name(),
            url: &r.all.url,
            count: r.all.pages.len(),
            feeds: self.own_feeds(Scope::Register),
            types: r.by_type.iter().map(list_link).collect(),
            years: r.by_year.iter().map(list_link).collect(),
            issuers: r.by_issuer.iter().map(list_link).collect(),
        });
        let pages = self
            .site
            .pages
            .iter()
            .filter(|p| {
                p.page.kind == PageKind::Plain
                    && !p.page.draft
                    && crate::lang::links::language_of(&self.config.languages, p) == self.lang
            })
            .map(|p| MapLink {
                name: &p.page.title,
                url: &p.url,
                description: "",
                count: None,
                feeds: Vec::new(),
            })
            .collect();
        let consultations = self.site.consultations.as_ref().map(|c| MapLink {
            name: self.consultations_name(),
            feeds: self.own_feeds(Scope::Consultations),
            ..list_link(&c.all)
        });
        let open_data = super::open_data::files(self.site)
            .into_iter()
            .filter_map(|file| {
                let (name, url) = match file {
                    super::open_data::File::Register => (self.register_name(), "/api/van-ban.json"),
                    super::open_data::File::Consultations => {
                        (self.consultations_name(), "/api/du-thao.json")
                    }
                    super::open_data::File::Schema(_) => return None,
                };
                Some(MapLink {
                    name,
                    url,
                    description: "",
                    count: None,
                    feeds: Vec::new(),
                })
            })
            .collect();
        let view = PortalMap {
            sections: (self.site.sections.iter())
                .filter(|_| own)
                .map(list_link)
                .collect(),
            categories: if own { categories } else { Vec::new() },
            register: register.filter(|_| own),
            consultations: consultations.filter(|_| own),
            open_data: if own { open_data } else { Vec::new() },
            pages,
            feeds: self.own_feeds(Scope::Site),
        };
        let title = self.string("site_map");
        context.insert("map", &view);
        context.insert("title", title);
        context.insert("description", &self.config.description);
        context.insert("breadcrumbs", &Vec::<super::Link>::new());
        ("site-map.html".into(), self.config.site_map_url())
    }
}
