//! Where a page is published: the permalink patterns of `config.yaml`,
//! checked when the config is read and expanded for each page as it is
//! loaded.
//!
//! The default never puts two valid files on one URL and never moves an
//! article when its title is corrected: `/<section>/<folders>/<slug>/`,
//! where the slug is the front matter's `slug:` or else the file's (or
//! bundle folder's) name, folded like a slug. A site may choose other
//! patterns per section, title-derived ones included (`{title}`), and
//! "ugly" URLs ending in `.html`. A page's own files (a bundle's images)
//! are always published in a folder of their own, its [`PageUrl::asset_base`],
//! so they resolve and never collide whatever the pattern.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, locate_key};
use crate::portable;

/// The tokens a pattern may hold, as written.
pub const TOKENS: [&str; 9] = [
    "slug", "filename", "path", "year", "month", "day", "id", "title", "section",
];

/// The default maximum length of a slug made from a title, in bytes.
pub const SLUG_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Slug,
    Filename,
    Path,
    Year,
    Month,
    Day,
    Id,
    Title,
    Section,
}

impl Token {
    fn parse(name: &str) -> Option<Token> {
        Some(match name {
            "slug" => Token::Slug,
            "filename" => Token::Filename,
            "path" => Token::Path,
            "year" => Token::Year,
            "month" => Token::Month,
            "day" => Token::Day,
            "id" => Token::Id,
            "title" => Token::Title,
            "section" => Token::Section,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Token(Token),
}

/// A checked pattern: `/tin-tuc/{year}/{slug}/`.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    /// Each URL segment's pieces; `{path}` is always a segment alone.
    segments: Vec<Vec<Piece>>,
    /// Ends in `.html` rather than `/`.
    ugly: bool,
}

/// A section's pattern from `config.yaml`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    /// Reported when `content/` has no folder of that name.
    pub unknown: Diagnostic,
}

/// The URL settings, validated.
#[derive(Debug, Clone)]
pub struct Permalinks {
    /// By section folder.
    pub rules: BTreeMap<String, Rule>,
    /// Pages of sections without a rule, and plain pages, end in `.html`.
    pub ugly: bool,
    /// The longest slug made from a title, in bytes.
    pub slug_max: usize,
}

impl Default for Permalinks {
    fn default() -> Self {
        Permalinks {
            rules: BTreeMap::new(),
            ugly: false,
            slug_max: SLUG_MAX,
        }
    }
}

/// Where a page is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageUrl {
    /// Site path: `/tin-tuc/a/` or `/tin-tuc/a.html`.
    pub url: String,
    /// The folder its own files are published in, ending in `/`: the URL
    /// itself when it ends in `/`, else the URL without `.html`.
    pub asset_base: String,
    /// The URL holds the page's title (`{title}` without a `slug:`), so
    /// two pages with one title collide.
    pub from_title: bool,
}

/// What a page's URL is made of.
pub struct Fields<'a> {
    /// The section folder; `None` for a plain page at the content root.
    pub section: Option<&'a str>,
    /// The file's path inside `content/`, or its bundle folder's.
    pub rel: &'a str,
    /// The front matter's `slug:`.
    pub slug: Option<&'a str>,
    pub title: &'a str,
    pub id: &'a str,
    /// The page's date in the site's time zone.
    pub date: Option<NaiveDate>,
}

/// Which part of the page a bad URL segment came from, to locate the
/// problem there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    SlugKey,
    TitleKey,
    /// The file's name or its folders.
    FileName,
    /// The pattern itself or the page's date.
    Pattern,
}

/// A URL that cannot be made, and where the reason is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: Origin,
    pub message: String,
    pub hint: String,
}

/// Reads the `permalinks` map of `config.yaml`; `text` is the file, to
/// locate problems.
pub fn parse(
    raw: &BTreeMap<String, String>,
    ugly: bool,
    slug_max: usize,
    text: &str,
) -> (Permalinks, Vec<Diagnostic>) {
    let at_key = |message: String, key: &str| {
        let d = Diagnostic::error(message).in_file(crate::config::FILE_NAME);
        match locate_key(text, key) {
            Some((line, column)) => d.at(text, line, column),
            None => d,
        }
    };
    let mut problems = Vec::new();
    if !(1..=245).contains(&slug_max) {
        problems.push(
            at_key(
                format!("`slug_max` must be between 1 and 245 bytes, not {slug_max}"),
                "slug_max",
            )
            .with_hint(
                "255 bytes is the longest file name most file systems accept; the default is 100",
            ),
        );
    }
    let mut rules = BTreeMap::new();
    for (section, written) in raw {
        let key = locate_key(text, section)
            .map(|_| section.clone())
            .unwrap_or_else(|| format!("\"{section}\""));
        match parse_pattern(written) {
            Ok(pattern) => {
                let unknown = at_key(
                    format!(
                        "`permalinks` names the section `{section}`, but content/ has no such folder"
                    ),
                    &key,
                );
                rules.insert(section.clone(), Rule { pattern, unknown });
            }
            Err((message, hint)) => problems.push(
                at_key(
                    format!("permalink pattern `{written}` of `{section}`: {message}"),
                    &key,
                )
                .with_hint(hint),
            ),
        }
    }
    (
        Permalinks {
            rules,
            ugly,
            slug_max,
        },
        problems,
    )
}

/// Parses one pattern, or says what is wrong with it and how to mend it.
fn parse_pattern(written: &str) -> Result<Pattern, (String, String)> {
    let text = written.trim();
    let example = "e.g. `/tin-tuc/{year}/{slug}/` or `/van-ban/{slug}.html`";
    let Some(inner) = text.strip_prefix('/') else {
        return Err((
            "it must start with `/`".into(),
            format!("write a site path, {example}"),
        ));
    };
    let (inner, ugly) = if let Some(inner) = inner.strip_suffix(".html") {
        (inner, true)
    } else if let Some(inner) = inner.strip_suffix('/') {
        (inner, false)
    } else {
        return Err((
            "it must end in `/` (a folder with index.html) or `.html`".into(),
            format!("{example}; `ugly_urls: true` makes `.html` the default"),
        ));
    };
    let mut segments = Vec::new();
    for segment in inner.split('/') {
        if segment.is_empty() {
            return Err((
                "it makes an empty URL segment (`//`, or nothing before `.html`)".into(),
                format!("put a word or a token between the slashes, {example}"),
            ));
        }
        segments.push(parse_segment(segment)?);
    }
    let names_page = segments.iter().flatten().any(|piece| {
        matches!(
            piece,
            Piece::Token(Token::Slug | Token::Filename | Token::Title | Token::Id)
        )
    });
    if !names_page {
        return Err((
            "it gives every page of the section the same URL".into(),
            "put `{slug}`, `{filename}`, `{title}` or `{id}` in it".into(),
        ));
    }
    Ok(Pattern {
        text: text.to_string(),
        segments,
        ugly,
    })
}

fn parse_segment(segment: &str) -> Result<Vec<Piece>, (String, String)> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let Some((name, tail)) = after.split_once('}') else {
                return Err((
                    "a `{` is not closed".into(),
                    "write tokens as `{slug}`, `{year}`…".into(),
                ));
            };
            let Some(token) = Token::parse(name) else {
                return Err((format!("unknown token `{{{name}}}`"), token_hint(name)));
            };
            pieces.push(Piece::Token(token));
            rest = tail;
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            let word = &rest[..end];
            if word.contains('}')
                || !word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
            {
                return Err((
                    format!("`{word}` is not a URL word"),
                    "use lowercase letters without diacritics, digits, `-`, `_` and `.` between the tokens".into(),
                ));
            }
            pieces.push(Piece::Text(word.to_string()));
            rest = &rest[end..];
        }
    }
    if pieces.len() > 1 && pieces.contains(&Piece::Token(Token::Path)) {
        return Err((
            "`{path}` must be a segment of its own".into(),
            "write it between slashes: `/tin-tuc/{path}/{slug}/`".into(),
        ));
    }
    Ok(pieces)
}

fn token_hint(name: &str) -> String {
    let nearest = TOKENS
        .iter()
        .map(|known| (strsim::normalized_levenshtein(name, known), *known))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.5);
    let list = TOKENS.map(|t| format!("`{{{t}}}`")).join(", ");
    match nearest {
        Some((_, known)) => format!("did you mean `{{{known}}}`? The tokens are {list}"),
        None => format!("the tokens are {list}"),
    }
}

impl Permalinks {
    /// The pattern for pages of `section` (`None`: plain pages).
    fn pattern(&self, section: Option<&str>) -> Pattern {
        if let Some(rule) = section.and_then(|s| self.rules.get(s)) {
            return rule.pattern.clone();
        }
        let (text, segments) = match section {
            Some(_) => (
                "/{section}/{path}/{slug}",
                vec![
                    vec![Piece::Token(Token::Section)],
                    vec![Piece::Token(Token::Path)],
                    vec![Piece::Token(Token::Slug)],
                ],
            ),
            None => ("/{slug}", vec![vec![Piece::Token(Token::Slug)]]),
        };
        let end = if self.ugly { ".html" } else { "/" };
        Pattern {
            text: format!("{text}{end}"),
            segments,
            ugly: self.ugly,
        }
    }

    /// The rules naming a section none of `folders` (the first folders of
    /// the content's Markdown files) is.
    pub fn unknown_sections<'a>(&self, folders: impl Iterator<Item = &'a str>) -> Vec<Diagnostic> {
        let folders: std::collections::BTreeSet<&str> = folders.collect();
        let known = folders
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.rules
            .iter()
            .filter(|(section, _)| !folders.contains(section.as_str()))
            .map(|(_, rule)| {
                rule.unknown.clone().with_hint(if known.is_empty() {
                    "content/ has no section folders yet; remove the pattern or add the folder"
                        .to_string()
                } else {
                    format!("the sections of this site are {known}")
                })
            })
            .collect()
    }

    /// The pattern that decides a section's URLs, as written or by default,
    /// for messages.
    pub fn pattern_text(&self, section: Option<&str>) -> String {
        self.pattern(section).text
    }

    /// Where a page is published.
    pub fn expand(&self, fields: &Fields) -> Result<PageUrl, Problem> {
        let pattern = self.pattern(fields.section);
        let (folders, name) = place(fields.rel, fields.section.is_some());
        let mut url = String::from("/");
        let mut from_title = false;
        for (i, segment) in pattern.segments.iter().enumerate() {
            let mut out = String::new();
            let mut origin = Origin::Pattern;
            for piece in segment {
                let (value, from) = match piece {
                    Piece::Text(text) => (text.clone(), Origin::Pattern),
                    Piece::Token(token) => self.value(*token, fields, &folders, &name)?,
                };
                if from != Origin::Pattern {
                    origin = from;
                }
                from_title |= from == Origin::TitleKey;
                out.push_str(&value);
            }
            if out.is_empty() {
                if segment == &[Piece::Token(Token::Path)] {
                    // A file directly in its section.
                    continue;
                }
                return Err(Problem {
                    origin,
                    message: format!(
                        "the permalink pattern `{}` makes an empty URL segment for this page",
                        pattern.text
                    ),
                    hint: "add a `slug:` line, or change the pattern in config.yaml".into(),
                });
            }
            if pattern.ugly && i + 1 == pattern.segments.len() {
                out.push_str(".html");
            }
            for part in out.split('/') {
                check_segment(part, origin)?;
            }
            url.push_str(&out);
            url.push('/');
        }
        let asset_base = url.clone();
        if pattern.ugly {
            url.pop();
            let base = url.strip_suffix(".html").unwrap_or(&url).to_string();
            Ok(PageUrl {
                asset_base: format!("{base}/"),
                url,
                from_title,
            })
        } else {
            Ok(PageUrl {
                url,
                asset_base,
                from_title,
            })
        }
    }

    fn value(
        &self,
        token: Token,
        fields: &Fields,
        folders: &[String],
        name: &str,
    ) -> Result<(String, Origin), Problem> {
        let date = |f: fn(NaiveDate) -> String| {
            fields.date.map(f).ok_or_else(|| Problem {
                origin: Origin::Pattern,
                message: format!(
                    "the permalink pattern `{}` needs the page's date",
                    self.pattern(fields.section).text
                ),
                hint: "add a `date:` line to the front matter".into(),
            })
        };
        Ok(match token {
            Token::Slug => match fields.slug {
                Some(slug) => (slug.to_string(), Origin::SlugKey),
                None => (file_slug(name)?, Origin::FileName),
            },
            Token::Filename => (file_slug(name)?, Origin::FileName),
            Token::Path => (folders.join("/"), Origin::FileName),
            Token::Year => (date(|d| d.format("%Y").to_string())?, Origin::Pattern),
            Token::Month => (date(|d| d.format("%m").to_string())?, Origin::Pattern),
            Token::Day => (date(|d| d.format("%d").to_string())?, Origin::Pattern),
            Token::Id => (crate::slug::slugify(fields.id), Origin::Pattern),
            Token::Section => (fields.section.unwrap_or("").to_string(), Origin::Pattern),
            Token::Title => match fields.slug {
                Some(slug) => (slug.to_string(), Origin::SlugKey),
                None => {
                    let slug = title_slug(fields.title, self.slug_max);
                    if slug.is_empty() {
                        return Err(Problem {
                            origin: Origin::TitleKey,
                            message: "no URL can be made from this title".into(),
                            hint: "add a `slug:` line".into(),
                        });
                    }
                    (slug, Origin::TitleKey)
                }
            },
        })
    }
}

/// A page's folders below its section, folded, and its own name: the
/// file's without `.md`, or the bundle folder's.
fn place(rel: &str, in_section: bool) -> (Vec<String>, String) {
    let rel = rel.strip_suffix("/index.md").unwrap_or(rel);
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or("").to_string();
    if in_section && !parts.is_empty() {
        parts.remove(0);
    }
    let folders = parts
        .iter()
        .map(|folder| crate::slug::slugify(folder))
        .filter(|folder| !folder.is_empty())
        .collect();
    (folders, name)
}

fn file_slug(name: &str) -> Result<String, Problem> {
    let slug = crate::slug::slugify(name);
    if slug.is_empty() {
        return Err(Problem {
            origin: Origin::FileName,
            message: format!("no URL can be made from the file name `{name}`"),
            hint: "rename the file with letters or digits, or add a `slug:` line".into(),
        });
    }
    Ok(slug)
}

/// A title folded into a slug, cut at a word boundary to `max` bytes.
pub fn title_slug(title: &str, max: usize) -> String {
    cut_at_word(&crate::slug::slugify(title), max).to_string()
}

/// `slug` cut to at most `max` bytes, at a `-` when there is one, never
/// inside a character.
pub fn cut_at_word(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    let cut = if slug[end..].starts_with('-') {
        cut
    } else {
        cut.rsplit_once('-').map_or(cut, |(head, _)| head)
    };
    cut.trim_end_matches('-')
}

/// A URL segment every file system accepts as a file or folder name.
fn check_segment(segment: &str, origin: Origin) -> Result<(), Problem> {
    let Some(reason) = portable::segment_problem(segment) else {
        return Ok(());
    };
    let hint = match origin {
        Origin::SlugKey => "choose another `slug:`",
        Origin::TitleKey => "add a `slug:` line",
        Origin::FileName => "rename the file or its folder, or add a `slug:` line",
        Origin::Pattern => "change the permalink pattern in config.yaml",
    };
    Err(Problem {
        origin,
        message: format!("the URL segment `{segment}` {reason}"),
        hint: hint.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(rel: &'a str, slug: Option<&'a str>) -> Fields<'a> {
        Fields {
            section: rel.split_once('/').map(|(s, _)| s),
            rel,
            slug,
            title: "Họp báo thường kỳ",
            id: "00ab",
            date: NaiveDate::from_ymd_opt(2024, 3, 5),
        }
    }

    fn rules(pairs: &[(&str, &str)], ugly: bool) -> Permalinks {
        let raw = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (permalinks, problems) = parse(&raw, ugly, SLUG_MAX, "");
        assert!(problems.is_empty(), "{problems:?}");
        permalinks
    }

    #[test]
    fn default_keeps_folders_and_file_names() {
        let p = Permalinks::default();
        let url = p
            .expand(&fields("tin-tuc/2024/03/Họp Báo.md", None))
            .unwrap();
        assert_eq!(url.url, "/tin-tuc/2024/03/hop-bao/");
        assert_eq!(url.asset_base, url.url);
        let url = p.expand(&fields("tin-tuc/a/index.md", Some("b"))).unwrap();
        assert_eq!(url.url, "/tin-tuc/b/");
        let plain = Fields {
            section: None,
            ..fields("gioi-thieu.md", None)
        };
        assert_eq!(p.expand(&plain).unwrap().url, "/gioi-thieu/");
    }

    #[test]
    fn ugly_urls_keep_assets_in_a_folder() {
        let p = rules(&[], true);
        let url = p.expand(&fields("tin-tuc/x/index.md", None)).unwrap();
        assert_eq!(url.url, "/tin-tuc/x.html");
        assert_eq!(url.asset_base, "/tin-tuc/x/");
    }

    #[test]
    fn every_token() {
        let p = rules(
            &[(
                "tin-tuc",
                "/{section}/{year}/{month}/{day}/{path}/{id}-{filename}-{title}.html",
            )],
            false,
        );
        let url = p.expand(&fields("tin-tuc/cu/Bài.md", None)).unwrap();
        assert_eq!(
            url.url,
            "/tin-tuc/2024/03/05/cu/00ab-bai-hop-bao-thuong-ky.html"
        );
        assert!(url.from_title);
    }

    #[test]
    fn bad_patterns_say_why() {
        for (pattern, words) in [
            ("/tin-tuc/{slg}/", "unknown token `{slg}`"),
            ("/tin-tuc//{slug}/", "empty URL segment"),
            ("tin-tuc/{slug}/", "start with `/`"),
            ("/tin-tuc/{slug}", "must end in"),
            ("/tin-tuc/{year}/", "same URL"),
            ("/tin-tuc/x{path}/{slug}/", "segment of its own"),
            ("/Tin Tuc/{slug}/", "not a URL word"),
        ] {
            let raw = [("tin-tuc".to_string(), pattern.to_string())].into();
            let (_, problems) = parse(&raw, false, SLUG_MAX, "");
            assert_eq!(problems.len(), 1, "{pattern}");
            assert!(
                problems[0].message.contains(words),
                "{pattern}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn title_slugs_are_cut_at_a_word() {
        assert_eq!(cut_at_word("mot-hai-ba", 7), "mot-hai");
        assert_eq!(cut_at_word("mot-hai-ba", 8), "mot-hai");
        assert_eq!(cut_at_word("mot-hai-ba", 6), "mot");
        assert_eq!(cut_at_word("abcdef", 3), "abc");
        assert_eq!(cut_at_word("mot-hai", 100), "mot-hai");
        let long = title_slug(&"Thông tin ".repeat(40), SLUG_MAX);
        assert!(long.len() <= SLUG_MAX && long.ends_with("tin"), "{long}");
    }
}
