//! What the agency templates are given: the units as a tree, leaders with
//! their photos' copies, contacts with the links a phone can follow.

use serde::Serialize;

use super::{Agency, Contact, Unit};
use crate::images::{Catalog, PictureView};

/// `agency` in the context of an agency page; one of the lists is filled.
#[derive(Debug, Default, Serialize)]
pub struct AgencyView<'a> {
    /// The units at the top, each with the units under it.
    pub units: Vec<UnitView<'a>>,
    /// How many units there are in all.
    pub unit_count: usize,
    pub leaders: Vec<LeaderView<'a>>,
    pub contacts: Vec<&'a Contact>,
}

#[derive(Debug, Serialize)]
pub struct UnitView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub head: Option<&'a str>,
    pub function: Option<&'a str>,
    pub url: Option<&'a str>,
    pub children: Vec<UnitView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct LeaderView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub portfolio: Option<&'a str>,
    pub photo: Option<PhotoView<'a>>,
    /// The biography's paragraphs (split at blank lines).
    pub bio: Vec<&'a str>,
}

/// Shaped like a page's image, so the theme's `picture` macro shows it.
#[derive(Debug, Serialize)]
pub struct PhotoView<'a> {
    pub src: String,
    pub alt: &'a str,
    pub picture: Option<PictureView>,
    /// Its size, when the build knows it (for an `<img>` without copies).
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl<'a> AgencyView<'a> {
    /// The view of `agency`; photos are resolved against `asset_base`,
    /// the site folder of the page's own files.
    pub fn new(agency: &'a Agency, asset_base: &str, pictures: &Catalog) -> Self {
        match agency {
            Agency::Units(units) => AgencyView {
                units: children(units, None),
                unit_count: units.len(),
                ..AgencyView::default()
            },
            Agency::Leaders(leaders) => AgencyView {
                leaders: leaders
                    .iter()
                    .map(|leader| LeaderView {
                        name: &leader.name,
                        title: &leader.title,
                        portfolio: leader.portfolio.as_deref(),
                        photo: leader.photo.as_deref().map(|photo| {
                            let src = crate::site::resolve_link(asset_base, photo);
                            let size = pictures.size(&src);
                            PhotoView {
                                picture: pictures.view(&src, &src),
                                width: size.map(|(w, _)| w),
                                height: size.map(|(_, h)| h),
                                src,
                                alt: &leader.name,
                            }
                        }),
                        bio: leader.bio.as_deref().map_or_else(Vec::new, |bio| {
                            bio.split("\n\n")
                                .map(str::trim)
                                .filter(|p| !p.is_empty())
                                .collect()
                        }),
                    })
                    .collect(),
                ..AgencyView::default()
            },
            Agency::Contacts(contacts) => AgencyView {
                contacts: contacts.iter().collect(),
                ..AgencyView::default()
            },
        }
    }
}

/// The units directly under `parent` (the top ones for `None`), in the
/// order written, each with its own. Validation refused circles, so this
/// ends.
fn children(units: &[Unit], parent: Option<usize>) -> Vec<UnitView<'_>> {
    units
        .iter()
        .enumerate()
        .filter(|(_, unit)| unit.parent == parent)
        .map(|(index, unit)| UnitView {
            id: &unit.id,
            name: &unit.name,
            head: unit.head.as_deref(),
            function: unit.function.as_deref(),
            url: unit.url.as_deref(),
            children: children(units, Some(index)),
        })
        .collect()
}
