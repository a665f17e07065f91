//! What the portal's header and footer carry beyond the organization's own
//! fields: the emblem, and the footer's groups of links.
//!
//! Both are settings of `config.yaml` (`emblem:` and `footer:`). The footer's
//! default group is made from the configuration alone — never from which
//! pages exist, so that an edit under `gazette serve` cannot change every
//! page's footer — and has no link that may lead nowhere: "Liên hệ" only
//! when the organization has an email address, the site map and the feed
//! always. A site with an about page names it in `footer.links`.

use serde::{Deserialize, Serialize};

use crate::config::{Config, FILE_NAME};
use crate::diagnostic::{Diagnostic, locate_key, locate_text};

/// The picture beside the portal's name in the header: a site path (a file
/// in the site's `static/`) or a full URL of the site's own host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Emblem {
    pub src: String,
    /// Its text for screen readers; empty: the name beside it says it all.
    pub alt: String,
}

impl Default for Emblem {
    fn default() -> Self {
        Emblem {
            src: "/emblem.svg".into(),
            alt: String::new(),
        }
    }
}

/// `footer:` in `config.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Footer {
    /// Groups of links shown side by side; `None` (not written): the
    /// defaults of [`Footer::groups`]. An empty list shows none.
    pub links: Option<Vec<LinkGroup>>,
    /// The copyright line; empty: "© {year} {organization}".
    pub copyright: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkGroup {
    pub title: String,
    pub links: Vec<FooterLink>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    pub name: String,
    pub url: String,
}

/// The UI words the default groups are made of.
pub struct Words<'a> {
    pub group: &'a str,
    pub contact: &'a str,
    pub site_map: &'a str,
    pub feed: &'a str,
}

impl Footer {
    /// The groups to show: those written, else one group of the contact
    /// address, the site map and the RSS feed.
    pub fn groups(&self, config: &Config, words: &Words) -> Vec<LinkGroup> {
        if let Some(groups) = &self.links {
            return groups.clone();
        }
        let link = |name: &str, url: String| FooterLink {
            name: name.to_string(),
            url,
        };
        let mut links = Vec::new();
        if !config.organization.email.is_empty() {
            links.push(link(
                words.contact,
                format!("mailto:{}", config.organization.email),
            ));
        }
        links.push(link(words.site_map, config.site_map_url()));
        // The feed of the page's language: `/rss.xml`, `/en/rss.xml`.
        let home = (config.languages.iter())
            .find(|l| l.code == config.language)
            .map_or("/", |l| l.home.as_str());
        links.push(link(words.feed, format!("{home}rss.xml")));
        vec![LinkGroup {
            title: words.group.to_string(),
            links,
        }]
    }
}

/// Problems of `emblem:` and `footer:`, located in the file's `text`.
pub fn problems(emblem: &Emblem, footer: &Footer, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if !(emblem.src.starts_with('/') || emblem.src.starts_with("https://")) {
        problems.push(
            located(
                text,
                format!("`emblem.src` is not a site path or URL: `{}`", emblem.src),
                &emblem.src,
            )
            .with_hint(
                "put the picture in the site's `static/` and write its path, e.g. `/logo.svg`",
            ),
        );
    }
    problems.extend(footer_problems(footer, &["footer"], text));
    problems
}

/// Problems of a footer's link groups, written under the keys `keys`
/// (`footer`, or `languages`, `en`, `footer` for another language's) and
/// located from there on.
pub fn footer_problems(footer: &Footer, keys: &[&str], text: &str) -> Vec<Diagnostic> {
    let key = keys.join(": ");
    let from = key_line(text, keys).unwrap_or(1);
    let located = |text: &str, message: String, needle: &str| {
        let d = Diagnostic::error(message).in_file(FILE_NAME);
        match locate_text(text, needle, from)
            .or_else(|| locate_text(text, keys[keys.len() - 1], from))
        {
            Some((line, column)) => d.at(text, line, column),
            None => d,
        }
    };
    let mut problems = Vec::new();
    for group in footer.links.iter().flatten() {
        if group.title.trim().is_empty() {
            problems.push(located(
                text,
                format!("a group of `{key}.links` has no title"),
                "title",
            ));
        }
        for link in &group.links {
            let url = link.url.trim();
            let fine = url.starts_with('/')
                || url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:")
                || url.starts_with("tel:");
            if !fine || link.name.trim().is_empty() {
                problems.push(
                    located(
                        text,
                        format!("`{key}` link `{}` → `{}` is not usable", link.name, url),
                        &link.url,
                    )
                    .with_hint(
                        "give each link a `name` and a `url` that is a site path (`/gioi-thieu/`), a web address, `mailto:` or `tel:`",
                    ),
                );
            }
        }
    }
    problems
}

/// The line (1-based) of the nested key `keys` in a YAML text: the first at
/// the left margin, each next one on a later line.
fn key_line(text: &str, keys: &[&str]) -> Option<usize> {
    let mut from = 0;
    for (depth, key) in keys.iter().enumerate() {
        let found = (text.lines().enumerate().skip(from)).find(|(_, line)| {
            let trimmed = line.trim_start();
            (depth > 0 || trimmed.len() == line.len())
                && trimmed
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })?;
        from = found.0 + 1;
    }
    Some(from)
}

/// An error in config.yaml at the first place `needle` is written, else at
/// the `footer` key.
fn located(text: &str, message: String, needle: &str) -> Diagnostic {
    let d = Diagnostic::error(message).in_file(FILE_NAME);
    match locate_text(text, needle, 1).or_else(|| locate_key(text, "footer")) {
        Some((line, column)) => d.at(text, line, column),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: Words = Words {
        group: "Thông tin",
        contact: "Liên hệ",
        site_map: "Sơ đồ cổng",
        feed: "RSS",
    };

    fn config(extra: &str) -> Result<Config, Vec<Diagnostic>> {
        crate::config::parse(
            &format!("title: T\nbase_url: https://example.gov.vn\n{extra}"),
            None,
        )
    }

    #[test]
    fn default_group_links_only_what_surely_exists() {
        let c = config("organization: { email: a@example.gov.vn }\n").unwrap();
        let groups = c.footer.groups(&c, &WORDS);
        let urls: Vec<&str> = groups[0].links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["mailto:a@example.gov.vn", "/so-do-cong/", "/rss.xml"]
        );
        let bare = config("").unwrap();
        let groups = bare.footer.groups(&bare, &WORDS);
        let names: Vec<&str> = groups[0].links.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Sơ đồ cổng", "RSS"]);
    }

    #[test]
    fn written_groups_replace_the_defaults() {
        let c = config(
            "footer:\n  links:\n    - title: Liên kết\n      links:\n        - { name: Chính phủ, url: https://chinhphu.vn }\n",
        )
        .unwrap();
        let groups = c.footer.groups(&c, &WORDS);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].title, "Liên kết");
        assert_eq!(groups[0].links[0].url, "https://chinhphu.vn");
        let none = config("footer: { links: [] }\n").unwrap();
        assert!(none.footer.groups(&none, &WORDS).is_empty());
    }

    #[test]
    fn bad_links_and_emblems_are_located() {
        let errors = config(
            "emblem: { src: logo.svg }\nfooter:\n  links:\n    - title: A\n      links:\n        - { name: X, url: 'javascript:alert(1)' }\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("emblem.src"));
        assert_eq!(errors[0].line, Some(3));
        assert!(errors[1].message.contains("javascript:"));
        assert_eq!(errors[1].line, Some(8));
    }

    #[test]
    fn another_languages_footer_links_are_checked_too() {
        let errors = config(
            "footer:\n  links:\n    - title: A\n      links:\n        - { name: X, url: '/en/' }\nlanguages:\n  en:\n    footer:\n      links:\n        - title: ''\n          links:\n            - { name: Home, url: '/en/' }\n            - { name: X, url: 'javascript:alert(1)' }\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        // Found below `languages: en: footer`, not at the site's `title:`.
        assert!(errors[0].message.contains("has no title"), "{errors:?}");
        assert_eq!(errors[0].line, Some(12));
        assert!(
            errors[1].message.contains("languages: en: footer")
                && errors[1].message.contains("javascript:"),
            "{}",
            errors[1].message
        );
        assert_eq!(errors[1].line, Some(15));
    }
}
