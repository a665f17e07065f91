//! Stage 3, markdown: a page body to HTML.
//!
//! On top of pulldown-cmark (tables, footnotes, strikethrough; smart
//! punctuation only when configured) it adds what a portal needs: heading
//! ids for anchors, fenced code highlighted as CSS classes, photos with a
//! caption turned into `<figure>`, and the summary used by lists and feeds.
//!
//! Editors paste HTML from word processors, so raw HTML is kept, but unless
//! `markdown.unsafe_html` is set, a body holding raw HTML or a `javascript:`
//! or `data:` link is passed through a sanitiser (ammonia) that removes
//! scripts, event-handler attributes, dangerous URLs and unknown embeds.
//! Bodies of plain Markdown skip it: pulldown-cmark's own output is safe.

mod visible;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::config::MarkdownConfig;
use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::highlight;
use crate::images::Catalog;
use crate::register::{self, NumberIndex, key_hash};
use crate::site::page_url;
use crate::slug::slugify;

/// A body rendered to HTML. Its summary and images without alt text were
/// found when the file was read ([`scan`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Keys ([`crate::register::normalize`]) of the directives the body
    /// mentions.
    pub mentions: Vec<String>,
}

/// Directive numbers to link, and the URL of the page being rendered (a
/// directive does not link to itself).
#[derive(Clone, Copy)]
pub struct Links<'a> {
    pub index: &'a NumberIndex,
    pub self_url: &'a str,
    /// The folder relative links and images are resolved against, when it
    /// is not the page's own URL: an ugly `/tin-tuc/a.html` has its bundle's
    /// files in `/tin-tuc/a/` ([`crate::permalink`]).
    pub base: Option<&'a str>,
    /// Photos with copies for phones: shown through `<picture>`.
    pub pictures: Option<&'a Catalog>,
}

impl Links<'_> {
    /// `<picture>` markup for the image at `src` (as the body links it),
    /// when it has copies.
    fn picture(&self, src: &str, alt: &str, title: &str) -> Option<String> {
        let catalog = self.pictures?;
        let site_path = crate::site::resolve_link(self.base.unwrap_or(self.self_url), src);
        catalog.body_html(&site_path, src, alt, title)
    }
}

const MORE: &str = "<!-- more -->";

pub fn render(body: &str, config: &MarkdownConfig, links: Option<Links>) -> Rendered {
    let events: Vec<Event> = Parser::new_ext(body, parser_options(config)).collect();
    let needs_cleaning = !config.unsafe_html && events.iter().any(is_risky);
    // Before figures are made, which turn images into raw HTML.
    let events = match links.and_then(|l| l.base) {
        Some(base) => rebase(events, base),
        None => events,
    };
    let events = transform(events, config.highlight, links);
    let (events, mut mentions) = match links.filter(|l| !l.index.is_empty()) {
        Some(links) => link_numbers(events, links),
        None => (events, Vec::new()),
    };
    mentions.sort();
    mentions.dedup();
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if needs_cleaning {
        out = drop_empty_iframes(sanitiser(&config.embed_hosts).clean(&out).to_string());
    }
    Rendered {
        html: out,
        mentions,
    }
}

/// What the index keeps of a page's Markdown, found by [`scan`] when the
/// file is read. The body itself is not kept: at 100,000 articles it is
/// most of a gigabyte. [`render_body`] reads and renders it again when its
/// page is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Plain text: the part before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// What may be directive numbers in the text: each one's keys, longest
    /// reading first ([`crate::register::Candidate`]).
    pub candidates: Vec<Vec<String>>,
    /// Byte offsets in the body of images without alt text.
    pub missing_alt: Vec<usize>,
    /// Where the body's images lead, as written: under `serve`, the pages
    /// to render again when a picture changes.
    pub images: Vec<String>,
}

fn parser_options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Parses `body` without rendering it: its summary, its candidate directive
/// numbers (the same text runs [`render`] links) and its images without alt.
pub fn scan(body: &str, config: &MarkdownConfig) -> Scan {
    let (events, ranges): (Vec<Event>, Vec<std::ops::Range<usize>>) =
        Parser::new_ext(body, parser_options(config))
            .into_offset_iter()
            .unzip();
    let mut candidates = Vec::new();
    let mut take = |text: &str| {
        candidates.extend(
            register::candidates_in(text)
                .into_iter()
                .map(|c| c.readings.into_iter().map(|(_, key)| key).collect()),
        )
    };
    let mut pending = String::new();
    let mut images = Vec::new();
    for event in &events {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            images.push(dest_url.to_string());
        }
        match event {
            Event::Text(text) => pending.push_str(text),
            other => {
                if !pending.is_empty() {
                    take(&pending);
                    pending.clear();
                }
                if let Event::Code(code) = other {
                    take(code);
                }
            }
        }
    }
    if !pending.is_empty() {
        take(&pending);
    }
    Scan {
        summary: summary(&events),
        candidates,
        missing_alt: images_without_alt(&events, &ranges),
        images,
    }
}

/// A warning for each image without alt text, located in the page's file.
pub fn alt_warnings(
    body: &str,
    body_line: usize,
    file: &std::path::Path,
    missing_alt: &[usize],
) -> Vec<Diagnostic> {
    missing_alt
        .iter()
        .map(|&offset| {
            let before = &body[..offset.min(body.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut d = Diagnostic::warning("an image in the body has no alt text")
                .in_file(file)
                .at(body, line, column)
                .with_hint(
                    "describe the photo between the brackets: `![Toàn cảnh cuộc họp](anh.jpg)`",
                );
            d.line = Some(line + body_line - 1);
            d
        })
        .collect()
}

/// What the index keeps of a page once every directive number is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indexed {
    pub summary: String,
    /// Keys of the directives the body or the lead mentions, sorted.
    pub mentions: Vec<String>,
    /// The front-matter summary as HTML, escaped, with directive numbers
    /// linked: the article's lead (sapo); only when it mentions one.
    pub lead_html: Option<String>,
    /// Every reading of every candidate number in the body, hashed
    /// ([`key_hash`]), sorted: whether a number given to a directive later
    /// may be in this page, without reading it again.
    pub candidates: Vec<u64>,
}

/// Resolves a page's candidate numbers and links its lead; moves the
/// scan's summary and candidates out of the page, which are then done with.
pub fn index_page(page: &mut Page, index: &NumberIndex) -> Indexed {
    let candidates = std::mem::take(&mut page.scan.candidates);
    let mut hashes: Vec<u64> = candidates
        .iter()
        .flatten()
        .map(|key| key_hash(key))
        .collect();
    if let Some(summary) = &page.summary {
        let readings = crate::register::candidates_in(summary).into_iter();
        hashes.extend(
            readings
                .flat_map(|c| c.readings)
                .map(|(_, key)| key_hash(&key)),
        );
    }
    hashes.sort_unstable();
    hashes.dedup();
    let mut mentions = index.resolve(&candidates);
    let mut lead_html = None;
    if let Some(summary) = &page.summary {
        let (html, keys) = index.link(summary, &page_url(page));
        if !keys.is_empty() {
            mentions.extend(keys);
            lead_html = Some(html);
        }
    }
    mentions.sort();
    mentions.dedup();
    Indexed {
        summary: if page.summary.is_some() {
            String::new()
        } else {
            std::mem::take(&mut page.scan.summary)
        },
        mentions,
        lead_html,
        candidates: hashes,
    }
}

/// Reads a page's body again and renders it, linking directive numbers.
pub fn render_body(
    page: &Page,
    config: &MarkdownConfig,
    index: &NumberIndex,
    pictures: &Catalog,
) -> Result<String, Diagnostic> {
    let body = page.read_body()?;
    let url = page_url(page);
    let links = Links {
        index,
        self_url: &url,
        base: (page.asset_base != url).then_some(page.asset_base.as_str()),
        pictures: (!pictures.is_empty()).then_some(pictures),
    };
    Ok(render(&body, config, Some(links)).html)
}

/// Reads a page's body again and returns the text a reader sees of it
/// (for the search index): no markup, no hidden elements, no alt texts.
pub fn render_text(page: &Page, config: &MarkdownConfig) -> Result<String, Diagnostic> {
    let body = page.read_body()?;
    let events: Vec<Event> = Parser::new_ext(&body, parser_options(config)).collect();
    Ok(visible::raw_text(&events))
}

/// Relative links and images made site paths under `base`, so that they
/// lead where they would from a page at `base` itself.
fn rebase<'e>(events: Vec<Event<'e>>, base: &str) -> Vec<Event<'e>> {
    let relative =
        |url: &str| !url.is_empty() && !url.starts_with(['/', '#', '?']) && !url.contains(':');
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if relative(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: crate::site::resolve_link(base, &dest_url).into(),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if relative(&dest_url) => Event::Start(Tag::Image {
                link_type,
                dest_url: crate::site::resolve_link(base, &dest_url).into(),
                title,
                id,
            }),
            other => other,
        })
        .collect()
}

/// Where images with an empty alt text start.
fn images_without_alt(events: &[Event], ranges: &[std::ops::Range<usize>]) -> Vec<usize> {
    let mut found = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if let Event::Start(Tag::Image { .. }) = event {
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Image)))
                .map_or(events.len(), |offset| i + offset);
            if visible::text(&events[i + 1..end]).is_empty() {
                found.push(ranges[i].start);
            }
        }
    }
    found
}

/// Raw HTML, or a link whose URL could run script.
fn is_risky(event: &Event) -> bool {
    match event {
        Event::Html(_) | Event::InlineHtml(_) => !is_more(event),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let url = dest_url.trim_start().to_ascii_lowercase();
            ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|scheme| url.starts_with(scheme))
        }
        _ => false,
    }
}

/// The allow-list: ammonia's defaults (text, links, images, tables, lists)
/// plus figures, ids for anchors, classes for highlighted code, and
/// `<iframe>` players from the hosts in `markdown.embed_hosts` (over https).
/// Built only for the rare body that holds raw HTML.
fn sanitiser(embed_hosts: &[String]) -> ammonia::Builder<'static> {
    let hosts = embed_hosts.to_vec();
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["figure", "figcaption", "iframe", "picture", "source"])
        .add_generic_attributes(["id", "class"])
        // The photos' own markup ([`crate::images`]): copies only load images.
        .add_tag_attributes(
            "img",
            ["loading", "decoding", "srcset", "sizes", "width", "height"],
        )
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "title",
                "width",
                "height",
                "allowfullscreen",
                "loading",
            ],
        )
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" && !embed_allowed(value, &hosts) {
                return None;
            }
            Some(value.into())
        })
        .link_rel(None);
    builder
}

/// Whether `src` is an https URL on one of `hosts`.
fn embed_allowed(src: &str, hosts: &[String]) -> bool {
    let Some(rest) = src.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    hosts
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
}

/// Removes the iframes whose `src` the sanitiser dropped: an embed from an
/// unknown host goes away whole.
fn drop_empty_iframes(html: String) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<iframe") {
        let Some(close) = rest[start..].find("</iframe>") else {
            break;
        };
        let end = start + close + "</iframe>".len();
        out.push_str(&rest[..start]);
        let open_tag_end = rest[start..end].find('>').map_or(end, |i| start + i);
        if rest[start..open_tag_end].contains(" src=") {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn is_more(event: &Event) -> bool {
    matches!(event, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE)
}

/// The visible text before `<!-- more -->`, else of the first paragraph
/// that has any (one holding only a figure, a script or a comment has none).
fn summary(events: &[Event]) -> String {
    if let Some(cut) = events.iter().position(is_more) {
        return visible::text(&events[..cut]);
    }
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Paragraph)) {
            let end = paragraph_end(events, i);
            let inner = &events[i + 1..end];
            if figure_parts(inner).is_none() {
                let text = visible::text(inner);
                if !text.is_empty() {
                    return text;
                }
            }
            i = end;
        }
        i += 1;
    }
    String::new()
}

fn paragraph_end(events: &[Event], start: usize) -> usize {
    events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .map_or(events.len(), |offset| start + offset)
}

fn transform<'e>(events: Vec<Event<'e>>, highlight: bool, links: Option<Links>) -> Vec<Event<'e>> {
    let picture =
        |src: &str, alt: &str, title: &str| links.and_then(|l| l.picture(src, alt, title));
    let mut out = Vec::with_capacity(events.len());
    let mut used_ids: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = i + events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .unwrap_or(0);
                let id = match id {
                    Some(id) => id.to_string(),
                    None => unique_id(
                        &slugify(&visible::text(&events[i + 1..end.max(i + 1)])),
                        &used_ids,
                    ),
                };
                used_ids.push(id.clone());
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) if highlight => {
                let end = i + events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::CodeBlock)))
                    .unwrap_or(0);
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let code: String = events[i + 1..end.max(i + 1)]
                    .iter()
                    .filter_map(|e| {
                        if let Event::Text(t) = e {
                            Some(t.as_ref())
                        } else {
                            None
                        }
                    })
                    .collect();
                match highlight::highlight(&code, &language) {
                    Some(highlighted) if end > i => {
                        let mut html = String::from("<pre class=\"code\"><code class=\"language-");
                        let _ = escape_html(&mut html, &language);
                        html.push_str("\">");
                        html.push_str(&highlighted);
                        html.push_str("</code></pre>\n");
                        out.push(Event::Html(html.into()));
                        i = end;
                    }
                    _ => out.push(events[i].clone()),
                }
            }
            Event::Start(Tag::Paragraph) => {
                let end = paragraph_end(&events, i);
                let inner = &events[i + 1..end];
                if let Some((image, caption)) = figure_parts(inner) {
                    // A lone image followed by a paragraph that is only
                    // italic text: that paragraph is its caption.
                    let next = end + 1;
                    let caption_below = if caption.is_none() && image.title.is_empty() {
                        caption_paragraph(&events, next)
                    } else {
                        None
                    };
                    let caption_html = match (caption, caption_below) {
                        (Some(events), _) | (None, Some((events, _))) => Some(inline_html(events)),
                        (None, None) if !image.title.is_empty() => {
                            let mut text = String::new();
                            let _ = escape_html(&mut text, image.title);
                            Some(text)
                        }
                        _ => None,
                    };
                    match caption_html {
                        Some(caption) => {
                            let shown = picture(image.src, &image.alt, "");
                            out.push(Event::Html(
                                figure_html(&image, &caption, shown.as_deref()).into(),
                            ));
                            i = caption_below.map_or(end, |(_, after)| after);
                        }
                        None => out.push(events[i].clone()),
                    }
                } else {
                    out.push(events[i].clone());
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if links.is_some_and(|l| l.pictures.is_some()) => {
                let end = i + events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Image)))
                    .unwrap_or(0);
                let alt = visible::text(&events[i + 1..end.max(i + 1)]);
                match picture(dest_url, &alt, title) {
                    Some(html) if end > i => {
                        out.push(Event::InlineHtml(html.into()));
                        i = end;
                    }
                    _ => out.push(events[i].clone()),
                }
            }
            event if is_more(event) => {}
            event => out.push(event.clone()),
        }
        i += 1;
    }
    out
}

/// Links directive numbers in running text, never inside links, images,
/// headings or code; a number there still counts as a mention.
fn link_numbers<'e>(events: Vec<Event<'e>>, links: Links) -> (Vec<Event<'e>>, Vec<String>) {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut mentions = Vec::new();
    let mut blocked = 0usize;
    let mut pending = String::new();
    let flush = |pending: &mut String,
                 out: &mut Vec<Event<'e>>,
                 mentions: &mut Vec<String>,
                 blocked: usize| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        if blocked > 0 {
            // Not linked, but still a mention for "Văn bản liên quan".
            mentions.extend(links.index.find(&text).into_iter().map(|m| m.key));
            out.push(Event::Text(text.into()));
            return;
        }
        let (html, keys) = links.index.link(&text, links.self_url);
        if keys.is_empty() {
            out.push(Event::Text(text.into()));
        } else {
            mentions.extend(keys);
            out.push(Event::InlineHtml(html.into()));
        }
    };
    for event in events {
        // pulldown-cmark may split one run of text into several events;
        // join them so a number is seen whole.
        if let Event::Text(text) = &event {
            pending.push_str(text);
            continue;
        }
        flush(&mut pending, &mut out, &mut mentions, blocked);
        if let Event::Code(code) = &event {
            mentions.extend(links.index.find(code).into_iter().map(|m| m.key));
        }
        match &event {
            Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::CodeBlock(_),
            ) => blocked += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                blocked = blocked.saturating_sub(1)
            }
            _ => {}
        }
        out.push(event);
    }
    flush(&mut pending, &mut out, &mut mentions, blocked);
    (out, mentions)
}

fn unique_id(base: &str, used: &[String]) -> String {
    let base = if base.is_empty() { "muc" } else { base };
    if !used.iter().any(|u| u == base) {
        return base.to_string();
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !used.contains(candidate))
        .unwrap_or_else(|| base.to_string())
}

struct ImageParts<'e> {
    src: &'e str,
    title: &'e str,
    alt: String,
}

/// A paragraph that is an image alone, optionally followed on the next line
/// by an italic caption: the image and the caption's inner events.
fn figure_parts<'e>(inner: &'e [Event<'e>]) -> Option<(ImageParts<'e>, Option<&'e [Event<'e>]>)> {
    let inner = trim_blank(inner);
    let Some(Event::Start(Tag::Image {
        dest_url, title, ..
    })) = inner.first()
    else {
        return None;
    };
    let image_end = inner
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    let image = ImageParts {
        src: dest_url,
        title,
        alt: visible::text(&inner[1..image_end]),
    };
    let rest = trim_blank(&inner[image_end + 1..]);
    if rest.is_empty() {
        return Some((image, None));
    }
    let rest = match rest.first() {
        Some(Event::SoftBreak | Event::HardBreak) => &rest[1..],
        _ => return None,
    };
    emphasis_only(trim_blank(rest)).map(|caption| (image, Some(caption)))
}

/// The inner events of `*…*` when `events` is exactly one emphasis.
fn emphasis_only<'e>(events: &'e [Event<'e>]) -> Option<&'e [Event<'e>]> {
    match (events.first(), events.last()) {
        (Some(Event::Start(Tag::Emphasis)), Some(Event::End(TagEnd::Emphasis)))
            if events.len() >= 2 =>
        {
            let inner = &events[1..events.len() - 1];
            // `*a* and *b*` is not one emphasis.
            let nested_close = inner
                .iter()
                .any(|e| matches!(e, Event::End(TagEnd::Emphasis)));
            let nested_open = inner
                .iter()
                .any(|e| matches!(e, Event::Start(Tag::Emphasis)));
            (nested_close == nested_open && !nested_close).then_some(inner)
        }
        _ => None,
    }
}

/// A paragraph starting at `start` that is only italic text: its inner
/// events and the index of its end.
fn caption_paragraph<'e>(
    events: &'e [Event<'e>],
    start: usize,
) -> Option<(&'e [Event<'e>], usize)> {
    if !matches!(events.get(start), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let end = paragraph_end(events, start);
    let inner = trim_blank(events.get(start + 1..end)?);
    emphasis_only(inner).map(|caption| (caption, end))
}

fn trim_blank<'e>(mut events: &'e [Event<'e>]) -> &'e [Event<'e>] {
    let blank = |e: &Event| matches!(e, Event::Text(t) if t.trim().is_empty());
    while events.first().is_some_and(blank) {
        events = &events[1..];
    }
    while events.last().is_some_and(blank) {
        events = &events[..events.len() - 1];
    }
    events
}

fn inline_html(events: &[Event]) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events.iter().cloned());
    out.trim().to_string()
}

/// A photo and its caption; `picture` is the photo's `<picture>` markup
/// when it has copies.
fn figure_html(image: &ImageParts, caption: &str, picture: Option<&str>) -> String {
    let mut html = String::from("<figure class=\"figure\">");
    if let Some(picture) = picture {
        html.push_str(picture);
    } else {
        html.push_str("<img src=\"");
        let _ = escape_href(&mut html, image.src);
        html.push_str("\" alt=\"");
        let _ = escape_html(&mut html, &image.alt);
        html.push_str("\" loading=\"lazy\" decoding=\"async\">");
    }
    html.push_str("<figcaption>");
    html.push_str(caption);
    html.push_str("</figcaption></figure>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Rendered {
        render(body, &MarkdownConfig::default(), None)
    }

    #[test]
    fn headings_get_unique_folded_ids() {
        let html = md("## Mục tiêu cụ thể\n\n## Mục tiêu cụ thể\n\n## Khác {#rieng}\n").html;
        assert!(html.contains("<h2 id=\"muc-tieu-cu-the\">"), "{html}");
        assert!(html.contains("<h2 id=\"muc-tieu-cu-the-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"rieng\">"), "{html}");
    }

    #[test]
    fn image_with_italic_line_below_is_a_figure() {
        let html = md("![Toàn cảnh](a.svg)\n*Toàn cảnh cuộc họp.*\n\nSau.\n").html;
        assert!(
            html.contains("<figure class=\"figure\"><img src=\"a.svg\" alt=\"Toàn cảnh\""),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Toàn cảnh cuộc họp.</figcaption></figure>"),
            "{html}"
        );
        assert!(!html.contains("<em>"), "{html}");
    }

    #[test]
    fn caption_in_next_paragraph_or_title() {
        let html = md("![A](a.svg)\n\n*Chú thích.*\n\n![B](b.svg \"Tiêu đề ảnh\")\n").html;
        assert!(
            html.contains("<figcaption>Chú thích.</figcaption>"),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Tiêu đề ảnh</figcaption>"),
            "{html}"
        );
    }

    #[test]
    fn image_without_caption_stays_plain() {
        let html = md("![A](a.svg)\n\nVăn bản *nghiêng* thường.\n").html;
        assert!(!html.contains("<figure"), "{html}");
        assert!(html.contains("<em>nghiêng</em>"), "{html}");
    }

    #[test]
    fn summary_from_more_marker_or_first_paragraph() {
        let summary = |body: &str| scan(body, &MarkdownConfig::default()).summary;
        assert_eq!(
            summary("![A](a.svg)\n*Ảnh.*\n\nĐoạn **đầu**.\n\nĐoạn hai.\n"),
            "Đoạn đầu."
        );
        assert_eq!(
            summary("Một.\n\nHai.\n\n<!-- more -->\n\nBa.\n"),
            "Một. Hai."
        );
        assert!(!md("Một.\n\n<!-- more -->\n\nBa.\n").html.contains("more"));
    }

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_language_escaped() {
        let html = md("```rust\nfn main() {}\n```\n\n```khong-ro\n<b>\n```\n").html;
        assert!(
            html.contains("<pre class=\"code\"><code class=\"language-rust\">"),
            "{html}"
        );
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn raw_html_is_kept_but_scripts_and_handlers_removed() {
        let body = "<table><tr><td onclick=\"x()\">Ô</td></tr></table>\n\n<script>alert(1)</script>\n\n[bấm](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example\"></iframe>\n";
        let html = md(body).html;
        assert!(html.contains("<td>Ô</td>"), "{html}");
        for bad in ["<script", "onclick", "javascript:", "onerror", "<iframe"] {
            assert!(!html.contains(bad), "{bad} left in {html}");
        }
        let unsafe_config = MarkdownConfig {
            unsafe_html: true,
            ..MarkdownConfig::default()
        };
        assert!(
            render(body, &unsafe_config, None)
                .html
                .contains("<script>alert(1)</script>")
        );
    }

    #[test]
    fn embeds_from_listed_hosts_stay_others_go() {
        let body = "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\" onload=\"a()\"></iframe>\n\n\
                    <iframe src=\"https://evil.example/x\"></iframe>\n\n<iframe src=\"http://www.youtube.com/embed/y\"></iframe>\n";
        let html = md(body).html;
        assert_eq!(html.matches("<iframe").count(), 1, "{html}");
        assert!(
            html.contains("src=\"https://www.youtube-nocookie.com/embed/x\""),
            "{html}"
        );
        assert!(!html.contains("onload"), "{html}");
        let none = MarkdownConfig {
            embed_hosts: Vec::new(),
            ..MarkdownConfig::default()
        };
        assert!(!render(body, &none, None).html.contains("<iframe"));
    }

    #[test]
    fn sanitising_keeps_figures_ids_and_highlighting() {
        let html =
            md("## Mục\n\n![A](a.svg)\n*Chú thích.*\n\n```rust\nfn a() {}\n```\n\n<b>đậm</b>\n")
                .html;
        assert!(html.contains("<h2 id=\"muc\">"), "{html}");
        assert!(html.contains("<figure class=\"figure\">"), "{html}");
        assert!(html.contains("<figcaption>"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("<b>đậm</b>"), "{html}");
    }

    #[test]
    fn directive_numbers_are_linked_in_text_only() {
        let index = crate::register::tests_support::index(&["2016/QĐ-BTTTT"]);
        let links = Some(Links {
            index: &index,
            self_url: "/tin-tuc/a/",
            base: None,
            pictures: None,
        });
        let body = "Theo Quyết định số 2016/ QĐ- BTTTT ngày 23/12/2010.\n\n\
                    ## Quyết định 2016/QĐ-BTTTT\n\n\
                    [đã có liên kết 2016/QĐ-BTTTT](/khac/) và `2016/QĐ-BTTTT`\n\n\
                    ```\n2016/QĐ-BTTTT\n```\n";
        let rendered = render(body, &MarkdownConfig::default(), links);
        let html = &rendered.html;
        assert_eq!(html.matches("class=\"document-link\"").count(), 1, "{html}");
        assert!(
            html.contains("<a class=\"document-link\" href=\"/van-ban/0/\">2016/ QĐ- BTTTT</a>"),
            "{html}"
        );
        assert!(
            html.contains("<h2 id=\"quyet-dinh-2016-qd-btttt\">Quyết định 2016/QĐ-BTTTT</h2>"),
            "{html}"
        );
        assert_eq!(rendered.mentions, vec!["2016/QĐ-BTTTT"]);
    }

    #[test]
    fn tables_footnotes_strikethrough_no_smart_quotes() {
        let html =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~bỏ~~ \"x\"[^1]\n\n[^1]: Chú thích.\n").html;
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>bỏ</del>"));
        assert!(html.contains("&quot;x&quot;") || html.contains("\"x\""));
        assert!(html.contains("footnote-definition"));
    }
}
