//! The text a reader sees, from Markdown events: what summaries, the
//! `<meta name="description">`, feeds and (later) the search index are
//! made of.
//!
//! Raw HTML in a body is never text: a block of it is one event, skipped
//! whole. Inline HTML comes as one event per tag, with the text between
//! tags as ordinary text events; the text inside an element a browser does
//! not show (`<script>`, `<style>`, `<template>`, anything `hidden` or
//! `display: none`…) is dropped here, up to the element's closing tag.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Elements whose content is not shown as text.
const UNSEEN: [&str; 9] = [
    "script", "style", "template", "noscript", "textarea", "title", "iframe", "object", "svg",
];

/// The text a reader would see, on one line.
pub fn text(events: &[Event]) -> String {
    raw_text(events)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`text`] with its white space as it comes (for the search index, which
/// folds it anyway).
pub fn raw_text(events: &[Event]) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    // Names of the unseen elements open around the current event.
    let mut unseen: Vec<String> = Vec::new();
    for event in events {
        match event {
            Event::InlineHtml(html) | Event::Html(html) => track(html, &mut unseen),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 && unseen.is_empty() => {
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Follows the tags of a piece of raw HTML: opening an unseen element
/// pushes its name, its closing tag pops it.
fn track(html: &str, unseen: &mut Vec<String>) {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if closing {
            if unseen.last() == Some(&name) {
                unseen.pop();
            }
        } else if !tag.ends_with('/') && (!unseen.is_empty() || hides(&name, tag)) {
            // Inside an unseen element every element is unseen, so that
            // its closing tags are matched in order.
            if !is_void(&name) {
                unseen.push(name);
            }
        }
    }
}

/// Whether the opening tag `<tag>` of element `name` hides its content.
fn hides(name: &str, tag: &str) -> bool {
    if UNSEEN.contains(&name) {
        return true;
    }
    let attributes = tag.to_ascii_lowercase();
    let squeezed: String = attributes.chars().filter(|c| !c.is_whitespace()).collect();
    attributes
        .split_whitespace()
        .skip(1)
        .any(|a| a == "hidden" || a.starts_with("hidden=") || a == "hidden/")
        || squeezed.contains("display:none")
        || squeezed.contains("visibility:hidden")
}

/// Elements that have no content and no closing tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn seen(markdown: &str) -> String {
        let events: Vec<Event> = Parser::new(markdown).collect();
        text(&events)
    }

    #[test]
    fn keeps_what_a_reader_sees_and_drops_the_rest() {
        assert_eq!(seen("Một <b>hai</b> ba."), "Một hai ba.");
        assert_eq!(seen("Tin <script>var secret = 1;</script>mới."), "Tin mới.");
        assert_eq!(seen("A <style>p { color: red }</style>B"), "A B");
        assert_eq!(seen("A <!-- ghi chú nội bộ --> B"), "A B");
        assert_eq!(seen("A <span hidden>ẩn</span> B"), "A B");
        assert_eq!(
            seen("A <span style=\"display: none\">ẩn <b>đậm</b></span> B"),
            "A B"
        );
        assert_eq!(seen("A <span style=\"color:red\">đỏ</span> B"), "A đỏ B");
        assert_eq!(seen("A<br>B <img src=x alt=y> C"), "AB C");
        assert_eq!(seen("<script>\nx()\n</script>\n\nĐoạn."), "Đoạn.");
    }
}
