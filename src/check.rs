//! `gazette check`: every internal link, image, attachment, anchor and
//! alias of every generated page must lead somewhere the build generated.
//!
//! It reads the HTML Gazette itself wrote, whose attributes are always
//! double-quoted, so a small scanner is enough; no HTML parser is needed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, locate_text};
use crate::render::Output;

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub pages: usize,
    pub links: usize,
    /// One per broken link, located in the page's source file when known.
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A link found in a generated page.
struct Link<'a> {
    attribute: &'static str,
    value: String,
    page: &'a Output,
}

/// Checks the links of every HTML file in `outputs`; `files` are the other
/// published paths (assets, theme files).
pub fn links(
    root: &Path,
    base_url: &str,
    outputs: &[Output],
    files: impl Iterator<Item = String>,
) -> CheckReport {
    let pages: HashMap<&str, &Output> = outputs.iter().map(|o| (o.path.as_str(), o)).collect();
    let files: HashSet<String> = files.collect();
    let html: Vec<&Output> = outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .collect();
    let anchors: HashMap<&str, HashSet<String>> = html
        .par_iter()
        .map(|o| (o.path.as_str(), attribute_values(&o.bytes, "id").collect()))
        .collect();

    let found: Vec<(usize, Vec<Diagnostic>)> = html
        .par_iter()
        .map(|page| {
            let mut count = 0;
            let mut problems = Vec::new();
            for attribute in ["href", "src"] {
                for value in attribute_values(&page.bytes, attribute) {
                    count += 1;
                    let link = Link {
                        attribute,
                        value,
                        page,
                    };
                    if let Some(problem) = verify(&link, base_url, &pages, &files, &anchors) {
                        problems.push(located(root, &link, problem));
                    }
                }
            }
            (count, problems)
        })
        .collect();
    let mut report = CheckReport {
        pages: html.len(),
        ..CheckReport::default()
    };
    for (count, mut problems) in found {
        report.links += count;
        report.problems.append(&mut problems);
    }
    report
}

/// Why `link` is broken, or `None` when it resolves.
fn verify(
    link: &Link,
    base_url: &str,
    pages: &HashMap<&str, &Output>,
    files: &HashSet<String>,
    anchors: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    let value = link.value.trim();
    let internal = if let Some(rest) = value
        .strip_prefix(base_url)
        .filter(|r| r.is_empty() || r.starts_with(['/', '#', '?']))
    {
        if rest.is_empty() { "/" } else { rest }
    } else if value.starts_with("//") || value.contains(':') && !value.starts_with(['/', '.', '#'])
    {
        // Another site, or mailto:, tel:…: not ours to check.
        return None;
    } else {
        value
    };
    let (without_fragment, fragment) = match internal.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (internal, None),
    };
    let path = without_fragment.split('?').next().unwrap_or("");
    let page_url = format!("/{}", link.page.path.trim_end_matches("index.html"));
    let target = if path.is_empty() {
        link.page.path.clone()
    } else {
        let absolute = if path.starts_with('/') {
            path.to_string()
        } else {
            let dir = page_url.rsplit_once('/').map_or("/", |(dir, _)| dir);
            format!("{dir}/{path}")
        };
        match resolve(&normalise(&percent_decode(&absolute)), pages, files) {
            Some(target) => target,
            None => {
                return Some(format!(
                    "broken {}: `{value}` leads to no page or file of the site",
                    kind(link)
                ));
            }
        }
    };
    let fragment = fragment.map(percent_decode).filter(|f| !f.is_empty())?;
    let ids = anchors.get(target.as_str());
    match ids {
        Some(ids) if ids.contains(&fragment) => None,
        Some(_) => Some(format!(
            "broken anchor: `{value}` – the page has no element with id `{fragment}`"
        )),
        None => None,
    }
}

fn kind(link: &Link) -> &'static str {
    if link.attribute == "src" {
        "image or file"
    } else {
        "link"
    }
}

/// The output file a site path names: `/a/` and `/a` → `a/index.html`,
/// `/a/b.pdf` → `a/b.pdf`.
fn resolve(path: &str, pages: &HashMap<&str, &Output>, files: &HashSet<String>) -> Option<String> {
    let rel = path.trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    candidates
        .into_iter()
        .find(|c| pages.contains_key(c.as_str()) || files.contains(c))
}

/// Removes `.` and `..` segments.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let trailing = if path.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{trailing}", parts.join("/"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The values of every ` name="…"` attribute in `html`, entities decoded.
fn attribute_values<'h>(html: &'h [u8], name: &str) -> impl Iterator<Item = String> + 'h {
    let text = String::from_utf8_lossy(html);
    let needle = format!(" {name}=\"");
    let values: Vec<String> = text
        .match_indices(&needle)
        .filter_map(|(at, _)| {
            let start = at + needle.len();
            let end = text[start..].find('"')?;
            Some(unescape(&text[start..start + end]))
        })
        .collect();
    values.into_iter()
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// A broken link as a diagnostic in the page's source file, at the line that
/// holds the link when it is written there.
fn located(root: &Path, link: &Link, problem: String) -> Diagnostic {
    let page_url = format!("/{}", link.page.path.trim_end_matches("index.html"));
    let d = Diagnostic::error(format!("{problem} (on {page_url})"));
    let Some(source) = &link.page.source else {
        return d
            .in_file(PathBuf::from(format!("(generated) {page_url}")))
            .with_hint("the link comes from a template or the site's lists");
    };
    let d = d
        .in_file(source)
        .with_hint("fix the address, or add the page or file it should lead to");
    match std::fs::read_to_string(root.join(source)) {
        Ok(text) => match locate_text(&text, link.value.trim(), 1) {
            Some((line, column)) => d.at(&text, line, column),
            None => d,
        },
        Err(_) => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str, html: &str, source: Option<&str>) -> Output {
        Output {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
            source: source.map(PathBuf::from),
        }
    }

    #[test]
    fn finds_broken_links_anchors_and_images() {
        let outputs = vec![
            output(
                "tin-tuc/a/index.html",
                "<a href=\"/tin-tuc/b/\">b</a> <a href=\"../b/#muc\">b</a> <a href=\"/khong-co/\">x</a> \
                 <img src=\"anh.svg\"> <img src=\"thieu.jpg\"> <a href=\"#khong\">x</a> <a href=\"https://khac.vn/\">x</a> \
                 <a href=\"https://example.gov.vn/tin-tuc/b/\">b</a> <a href=\"mailto:a@b.vn\">m</a> <h2 id=\"co\">",
                Some("content/tin-tuc/a.md"),
            ),
            output("tin-tuc/b/index.html", "<h2 id=\"muc\">M</h2>", None),
        ];
        let files = ["tin-tuc/a/anh.svg".to_string()];
        let report = links(
            Path::new("/nonexistent"),
            "https://example.gov.vn",
            &outputs,
            files.into_iter(),
        );
        let messages: Vec<&str> = report.problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(report.pages, 2);
        assert_eq!(report.links, 9);
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].contains("`/khong-co/`"));
        assert!(messages[1].contains("`#khong`"));
        assert!(messages[2].contains("`thieu.jpg`"));
        assert_eq!(
            report.problems[0].file.as_deref(),
            Some(Path::new("content/tin-tuc/a.md"))
        );
    }

    #[test]
    fn paths_normalise_and_decode() {
        assert_eq!(normalise("/tin-tuc/a/../b/./c"), "/tin-tuc/b/c");
        assert_eq!(normalise("/a/"), "/a/");
        assert_eq!(
            percent_decode("/t%C3%A0i-li%E1%BB%87u.pdf"),
            "/tài-liệu.pdf"
        );
    }
}
