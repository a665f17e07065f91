//! SVG files are XML that a browser runs as a document when one is opened
//! at its own address: a script in it would run on the portal's origin.
//! Gazette publishes SVGs as they are only when they hold nothing that can
//! run (no `<script>`, no event-handler attribute, no `javascript:` URL, no
//! embedded HTML); anything else is an error naming the line and column,
//! and the file is not published. (deploy/nginx.conf also sends SVGs with
//! a Content-Security-Policy that forbids scripts, as a second guard.)

/// What may run in an SVG, found at `line`, `column` (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Elements that run code or embed documents that may.
const ACTIVE_ELEMENTS: [&str; 7] = [
    "script",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// The first thing in `text` that could run, or why it is not XML.
pub fn check(text: &str) -> Option<Finding> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let document = match roxmltree::Document::parse_with_options(text, options) {
        Ok(document) => document,
        Err(err) => {
            let pos = err.pos();
            return Some(Finding {
                line: pos.row as usize,
                column: pos.col as usize,
                message: format!("the SVG is not well-formed XML: {err}"),
            });
        }
    };
    let at = |offset: usize, message: String| {
        let pos = document.text_pos_at(offset);
        Finding {
            line: pos.row as usize,
            column: pos.col as usize,
            message,
        }
    };
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if ACTIVE_ELEMENTS
            .iter()
            .any(|active| active.eq_ignore_ascii_case(name))
        {
            return Some(at(
                node.range().start,
                format!("the SVG holds a `<{name}>` element, which can run code"),
            ));
        }
        for attribute in node.attributes() {
            let attr = attribute.name();
            if attr.len() > 2 && attr[..2].eq_ignore_ascii_case("on") {
                return Some(at(
                    attribute.range_qname().start,
                    format!("the SVG has an event handler `{attr}`, which runs code"),
                ));
            }
            if runs_code(attribute.value()) {
                return Some(at(
                    attribute.range_qname().start,
                    format!("the SVG's `{attr}` holds a script URL"),
                ));
            }
        }
    }
    None
}

/// The size the drawing in `text` is drawn at, in CSS pixels: its root's
/// `width` and `height` when both are plain lengths (`px` or no unit),
/// else its `viewBox`; `None` when it says neither (or in other units).
pub fn size(text: &str) -> Option<(u32, u32)> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
    let root = document.root_element();
    let length = |name: &str| -> Option<f64> {
        let value = root.attribute(name)?.trim();
        let number = value.strip_suffix("px").unwrap_or(value).trim();
        number
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0)
    };
    let (width, height) = match (length("width"), length("height")) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let numbers: Vec<f64> = (root.attribute("viewBox")?)
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|part| !part.is_empty())
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            match numbers[..] {
                [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => (w, h),
                _ => return None,
            }
        }
    };
    let pixels = |n: f64| (n.round() as u32).max(1);
    Some((pixels(width), pixels(height)))
}

/// A `javascript:`-like URL, however spaced or cased.
fn runs_code(value: &str) -> bool {
    let folded: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|scheme| folded.starts_with(scheme))
        || value.to_ascii_lowercase().contains(";javascript:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_runs_and_where() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"1\"/>\n  <script>alert(1)</script>\n</svg>";
        let found = check(svg).unwrap();
        assert_eq!((found.line, found.column), (3, 3));
        let handler = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>";
        assert!(check(handler).unwrap().message.contains("onload"));
        let link = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\" JavaScript:alert(1)\"><text>x</text></a></svg>";
        assert!(check(link).is_some());
        assert!(check("<svg><g>").unwrap().message.contains("well-formed"));
    }

    #[test]
    fn the_size_is_the_root_length_or_the_view_box() {
        let svg =
            |attributes: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attributes}/>");
        assert_eq!(
            size(&svg("width=\"120\" height=\"160px\"")),
            Some((120, 160))
        );
        assert_eq!(size(&svg("viewBox=\"0 0 240, 320.4\"")), Some((240, 320)));
        assert_eq!(
            size(&svg("width=\"100%\" height=\"10em\" viewBox=\"0 0 48 48\"")),
            Some((48, 48))
        );
        assert_eq!(size(&svg("width=\"-3\" height=\"4\"")), None);
        assert_eq!(size(&svg("viewBox=\"0 0 0 10\"")), None);
        assert_eq!(size("<svg><g>"), None);
    }

    #[test]
    fn plain_drawings_pass() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Toàn cảnh</title><a href=\"/tin-tuc/\"><circle r=\"4\" fill=\"#c00\"/></a></svg>";
        assert_eq!(check(svg), None);
    }
}
