//! What a page shows of a picture: the `srcset`s (WebP and the original
//! format), the fallback `src` with its real width and height, and the
//! Open Graph copy; as data for templates ([`PictureView`]) and as HTML
//! for bodies ([`body_html`]). Which `sizes` apply is the placement's
//! business: templates pass their own, bodies use `images.body_sizes`.

use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use super::settings::within_a_tenth;
use super::{Format, Picture};

/// The fallback `<img>` is the largest copy at most this wide (or a tenth
/// more, as [`view`]'s `pick` allows): browsers
/// that read `srcset` never load it, the rest get a middling size.
const FALLBACK_MAX: u32 = 800;
/// Open Graph (link previews) asks for 1200 px.
const OPEN_GRAPH: u32 = 1200;

/// A copy's address and size.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Sized {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// A picture as templates print it (see `macros.html`, `picture`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PictureView {
    /// The fallback copy, in the original's format.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `url 360w, url 720w, …` in the original's format.
    pub srcset: String,
    /// The same in WebP; empty when WebP is off or the original is WebP.
    pub webp_srcset: String,
    /// For `og:image`: the copy nearest 1200 px wide (or up to a tenth
    /// wider), in the original's
    /// format (link previews read JPEG and PNG everywhere).
    pub og: Sized,
    /// The file as uploaded, for a "download the original" link.
    pub original: String,
}

/// The view of `picture`, whose original is linked as `url` (relative or
/// not, as the page wrote it: copies sit beside it).
pub fn view(picture: &Picture, url: &str) -> PictureView {
    let folder = url.rfind('/').map_or("", |slash| &url[..=slash]);
    let address = |name: &str| format!("{folder}{name}");
    let main: Vec<_> = picture
        .derivatives
        .iter()
        .filter(|d| d.format.same_kind(picture.format))
        .collect();
    let srcset = |format_matches: &dyn Fn(Format) -> bool| {
        picture
            .derivatives
            .iter()
            .filter(|d| format_matches(d.format))
            .map(|d| format!("{} {}w", srcset_url(&address(&d.name)), d.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Up to a tenth wider: a width that near the photo's own is made at
    // the photo's own (`widths_for`).
    let pick = |limit: u32| {
        main.iter()
            .filter(|d| d.width <= limit || within_a_tenth(limit, d.width))
            .max_by_key(|d| d.width)
            .or_else(|| main.iter().min_by_key(|d| d.width))
            .map(|d| Sized {
                url: address(&d.name),
                width: d.width,
                height: d.height,
            })
            .unwrap_or_else(|| Sized {
                url: url.to_string(),
                width: picture.width,
                height: picture.height,
            })
    };
    let fallback = pick(FALLBACK_MAX);
    let webp = !picture.format.same_kind(Format::Webp);
    PictureView {
        src: fallback.url,
        width: fallback.width,
        height: fallback.height,
        srcset: srcset(&|f| f.same_kind(picture.format)),
        webp_srcset: if webp {
            srcset(&|f| f.same_kind(Format::Webp))
        } else {
            String::new()
        },
        og: pick(OPEN_GRAPH),
        original: url.to_string(),
    }
}

/// A URL as a `srcset` candidate can hold it: white space and commas
/// end a candidate there, so they are percent-encoded (`ảnh lễ.jpg` is
/// `ảnh%20lễ.jpg`), as a browser reads them in `src`. Editors name photos
/// with spaces; their copies' `srcset` was unreadable until this.
fn srcset_url(url: &str) -> std::borrow::Cow<'_, str> {
    if !url.contains(|c: char| c.is_ascii_whitespace() || c == ',') {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            ',' => out.push_str("%2C"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            '\x0c' => out.push_str("%0C"),
            c => out.push(c),
        }
    }
    out.into()
}

/// A plain `<img>` in a body with its width and height, lazy.
pub fn sized_img(url: &str, (width, height): (u32, u32), alt: &str, title: &str) -> String {
    let mut html = String::from("<img src=\"");
    let _ = escape_href(&mut html, url);
    html.push_str(&format!("\" width=\"{width}\" height=\"{height}\""));
    push_img_end(&mut html, alt, title);
    html
}

/// The end of a body's `<img>`: `alt`, `title` when there is one, lazy.
fn push_img_end(html: &mut String, alt: &str, title: &str) {
    html.push_str(" alt=\"");
    let _ = escape_html(&mut *html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut *html, title);
        html.push('"');
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
}

/// The attributes of a `<picture>`, each already escaped as its caller
/// escapes (bodies as Markdown does, templates as Tera does).
pub(super) struct Parts<'a> {
    /// Empty for none.
    pub class: &'a str,
    /// Empty for no WebP `<source>`.
    pub webp_srcset: &'a str,
    pub src: &'a str,
    pub srcset: &'a str,
    pub sizes: &'a str,
    pub width: &'a str,
    pub height: &'a str,
}

/// `<picture>` of `parts`, its `<img>` ended by `img_end` (`alt`, how it
/// loads, `>`): the one markup of a photo with copies, in bodies and in
/// templates ([`super::filter`]).
pub(super) fn push_picture(html: &mut String, parts: &Parts, img_end: impl FnOnce(&mut String)) {
    html.push_str("<picture");
    if !parts.class.is_empty() {
        html.push_str(" class=\"");
        html.push_str(parts.class);
        html.push('"');
    }
    html.push('>');
    if !parts.webp_srcset.is_empty() {
        for piece in [
            "<source type=\"image/webp\" srcset=\"",
            parts.webp_srcset,
            "\" sizes=\"",
            parts.sizes,
            "\">",
        ] {
            html.push_str(piece);
        }
    }
    for piece in [
        "<img src=\"",
        parts.src,
        "\" srcset=\"",
        parts.srcset,
        "\" sizes=\"",
        parts.sizes,
        "\" width=\"",
        parts.width,
        "\" height=\"",
        parts.height,
        "\"",
    ] {
        html.push_str(piece);
    }
    img_end(html);
    html.push_str("</picture>");
}

/// `<picture>` for an image in a body: lazy, with the body's `sizes`.
pub fn body_html(view: &PictureView, alt: &str, title: &str, sizes: &str) -> String {
    let escaped = |text: &str| {
        let mut out = String::new();
        let _ = escape_html(&mut out, text);
        out
    };
    let mut src = String::new();
    let _ = escape_href(&mut src, &view.src);
    let parts = Parts {
        class: "",
        webp_srcset: &escaped(&view.webp_srcset),
        src: &src,
        srcset: &escaped(&view.srcset),
        sizes: &escaped(sizes),
        width: &view.width.to_string(),
        height: &view.height.to_string(),
    };
    let mut html = String::new();
    push_picture(&mut html, &parts, |html| push_img_end(html, alt, title));
    html
}
