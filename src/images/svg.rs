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
    fn plain_drawings_pass() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Toàn cảnh</title><a href=\"/tin-tuc/\"><circle r=\"4\" fill=\"#c00\"/></a></svg>";
        assert_eq!(check(svg), None);
    }
}
