//! Safe by default: what editors paste and type cannot run script in a
//! visitor's browser.

mod common;

use common::TestSite;
use scraper::{Html, Selector};

const PAYLOADS: [&str; 5] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "</title><script>alert(2)</script>",
];

/// Every element of every page: no script but the theme's own (and
/// JSON-LD data that parses), no event handler attribute, no `javascript:`/`data:` address.
fn assert_inert(html: &str, page: &str) {
    let document = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for element in document.select(&all) {
        let value = element.value();
        if value.name() == "script" && value.attr("type") == Some("application/ld+json") {
            // Structured data is inert: JSON that no payload broke out of.
            let text: String = element.text().collect();
            assert!(
                !text.contains(['<', '>']),
                "{page}: markup in JSON-LD: {text}"
            );
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
            assert!(parsed.is_ok(), "{page}: JSON-LD does not parse: {text}");
        } else if value.name() == "script" {
            assert!(
                matches!(value.attr("src"), Some("/js/portal.js" | "/js/search.js")),
                "{page}: a script slipped in:\n{html}"
            );
            assert!(element.text().next().is_none(), "{page}: inline script");
        }
        for (name, attribute) in value.attrs() {
            assert!(!name.starts_with("on"), "{page}: event handler `{name}`");
            let lowered = attribute.trim().to_ascii_lowercase();
            if ["href", "src", "action"].contains(&name) {
                assert!(
                    !lowered.starts_with("javascript:") && !lowered.starts_with("data:"),
                    "{page}: `{name}={attribute}`"
                );
            }
        }
        assert!(
            value.name() != "iframe"
                || value
                    .attr("src")
                    .is_some_and(|s| s.starts_with("https://www.youtube")),
            "{page}: iframe"
        );
    }
}

#[test]
fn payloads_in_every_field_and_in_the_body_stay_inert() {
    let site = TestSite::new();
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let quoted = serde_json::to_string(payload).unwrap();
        site.article(
            &format!("x{n}"),
            &format!(
                "title: {quoted}\ndate: 2021-01-0{}\nslug: xss-{n}\nsummary: {quoted}\ntags: [{quoted}]\nauthor: {quoted}\n\
                 source: {{ name: {quoted} }}\nimage: {{ src: anh.jpg, alt: {quoted}, caption: {quoted} }}\ncategory: chuyen-doi-so",
                n + 1
            ),
            &format!(
                "{payload}\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">bấm</a> [bấm](javascript:alert(3)) \
                 [dữ liệu](data:text/html;base64,PHNjcmlwdD4=)\n\n<div style=\"x\" onmouseover=\"y()\">ô</div>\n\n\
                 <iframe src=\"https://evil.example/\"></iframe><object data=\"x.swf\"></object><embed src=\"x\">\n\n\
                 ![{payload}](anh.jpg)\n*{payload}*\n"
            ),
        );
    }
    site.build();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert_inert(&html, &entry.path().display().to_string());
            checked += 1;
        }
    }
    assert!(checked > 10);
    // The text is still there, shown as text.
    let page = site.html("/tin-tuc/xss-0/");
    assert_eq!(page.text("h1"), "<script>alert(1)</script>");
}

#[test]
fn front_matter_addresses_must_be_web_links() {
    let site = TestSite::new();
    site.article(
        "a",
        "title: A\ndate: 2021-01-01\nsource: { name: CAND, url: \"javascript:alert(1)\" }",
        "x\n",
    );
    site.article("b", "title: B\ndate: 2021-01-01\nimage: { src: \"data:image/svg+xml,<svg onload=alert(1)>\", alt: x }", "x\n");
    let err = site.try_build().unwrap_err();
    let shown = common::render_errors(&err);
    assert!(
        shown.contains("the source address `javascript:alert(1)` is not a web link"),
        "{shown}"
    );
    assert!(
        shown.contains("is not a file of the page or a web address"),
        "{shown}"
    );
}

#[test]
fn unsafe_html_keeps_raw_html_when_the_site_asks() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{}markdown: {{ unsafe_html: true }}\n", common::CONFIG),
    );
    site.article(
        "a",
        "title: A\ndate: 2021-01-01",
        "<div data-widget=\"ban-do\">Bản đồ</div>\n\n<script src=\"/widget.js\"></script>\n",
    );
    site.build();
    let page = site.html("/tin-tuc/a/");
    assert_eq!(page.count("script[src='/widget.js']"), 1);
}
