//! Stage 2, load: walk `content/`, split front matter from body, parse it
//! into typed pages and validate them. Files are read and parsed in
//! parallel; every problem in every file is returned, each located at its
//! file, line and column.
//!
//! The layout it understands:
//! - `content/<section>/…/<name>.md` is an article of that section;
//! - `content/<name>.md` is a plain page (about, contact);
//! - a folder holding `index.md` is a page bundle: the other files in it
//!   (images, PDF attachments) are the page's own and are published beside it;
//! - `_index.md` describes its folder: a section, or the home page at the root;
//! - any other file is published at the same path.

pub mod bundle;
pub mod consultation;
pub mod date;
pub mod document;
pub mod front_matter;
pub mod section;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::{Config, is_slug};
use crate::diagnostic::{Diagnostic, display_path, locate_key, locate_text};
use crate::slug::slugify;
use crate::yaml;
use date::Date;
use front_matter::{ImageInput, Rating, RawFrontMatter, SourceInput, SplitError};

pub const DIR: &str = "content";

/// Where a page sits in the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A dated item of a section: news, later directives.
    Article,
    /// A page at the root of `content/`: about, contact.
    Plain,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceRef {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Image {
    /// As written: relative to the page, site-absolute, or a full URL.
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
}

/// A file published beside the page that owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Path inside the bundle, `/`-separated.
    pub name: String,
}

/// One Markdown page with its validated front matter and raw body.
#[derive(Debug, Clone)]
pub struct Page {
    /// As shown in messages: relative to the site root.
    pub file: PathBuf,
    pub kind: PageKind,
    /// The section folder for articles (`tin-tuc`).
    pub section: Option<String>,
    pub id: String,
    pub title: String,
    /// Site path the page is published at: `/tin-tuc/<slug>/` by default
    /// ([`crate::permalink`]).
    pub url: String,
    /// The site folder its bundle's files are published in, ending in `/`.
    pub asset_base: String,
    /// The URL holds the title, so another page of that title collides.
    pub url_from_title: bool,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Declared category slugs; the first is the primary one.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub source: Option<SourceRef>,
    pub image: Option<Image>,
    pub draft: bool,
    pub featured: bool,
    /// Old site paths, normalised to start with `/`.
    pub aliases: Vec<String>,
    pub rating: Rating,
    pub template: Option<String>,
    /// The file as read from disk, to read the body again when the page is
    /// rendered ([`Page::read_body`]).
    pub path: PathBuf,
    /// The Markdown body, while the bodies kept fit in [`BODY_BUDGET`];
    /// beyond, it is read again from `path` when the page is rendered.
    pub body: Option<String>,
    /// Where the body starts in the file's text, and the text's length
    /// then (a file changed since is reported, not misread).
    pub body_start: usize,
    pub text_len: usize,
    /// The file line the body starts on, for messages about the body.
    pub body_line: usize,
    /// What lists and the index need from the body.
    pub scan: crate::markdown::Scan,
    pub assets: Vec<Asset>,
    /// Set on directives (văn bản).
    pub document: Option<document::Document>,
    /// Directives named in front matter `documents:`.
    pub documents: Vec<DocumentRef>,
    /// Set on drafts put out for comment.
    pub consultation: Option<consultation::Consultation>,
    /// On the agency's pages: its units, leaders or contacts.
    pub agency: Option<crate::agency::Agency>,
    /// The language of a translation (`x.en.md`); `None`: the site's own.
    pub lang: Option<String>,
    /// What pairs the page with its translations, on sites of more than
    /// one language ([`crate::lang::translation_key`]).
    pub translation_key: Option<String>,
    /// Problems in the page that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// A directive number named in front matter, with the error to report if
/// no directive of the site carries it (known only once every file is read).
#[derive(Debug, Clone)]
pub struct DocumentRef {
    pub number: String,
    pub unknown: Diagnostic,
}

/// A section's or the home page's own metadata, from `_index.md`.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub file: PathBuf,
    /// The folder name, which is also the URL prefix; empty for the home page.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub template: Option<String>,
}

/// A non-Markdown file outside any bundle, published at the same path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output path, `/`-separated, relative to the output root.
    pub path: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    pub drafts: usize,
    /// Dated in the future: published by the first build after that date.
    pub scheduled: usize,
}

/// Everything `content/` holds.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub files: Vec<StaticFile>,
    pub skipped: Skipped,
    /// Problems that do not stop the build (unless `--strict`).
    pub warnings: Vec<Diagnostic>,
}

pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub include_drafts: bool,
    /// Items dated after this are scheduled, not published.
    pub now: DateTime<FixedOffset>,
}

/// How much Markdown body text a build keeps in memory between reading the
/// files and rendering their pages. A ministry's 10,000 articles (~70 MB)
/// fit, and are read once; beyond, bodies are read again when their page is
/// written, so 100,000 articles stay well under a gigabyte.
pub const BODY_BUDGET: usize = 160 << 20;

/// A Markdown file found by the walk, before it is read.
struct Found {
    path: PathBuf,
    /// Relative to `content/`, `/`-separated.
    rel: String,
}

pub fn load(options: &LoadOptions) -> Result<Content, Vec<Diagnostic>> {
    let content_dir = options.root.join(DIR);
    if !content_dir.is_dir() {
        return Err(vec![
            Diagnostic::error(format!("no `{DIR}/` folder in {}", options.root.display()))
                .with_hint("the site's Markdown lives in content/, one folder per section"),
        ]);
    }
    let mut problems = Vec::new();
    let boundary = crate::boundary::Boundary::new(options.root, &options.config.linked_folders);
    let (markdown, others) = walk(options.root, &content_dir, &boundary, &mut problems);
    problems.extend(
        options.config.permalinks.unknown_sections(
            markdown
                .iter()
                .filter_map(|f| f.rel.split_once('/').map(|(first, _)| first)),
        ),
    );

    let bundles: BTreeSet<String> = markdown
        .iter()
        .filter_map(|f| f.rel.strip_suffix("/index.md").map(str::to_string))
        .collect();
    let codes = options.config.other_languages();
    if !codes.is_empty() {
        let pages: Vec<&str> = markdown
            .iter()
            .map(|f| f.rel.as_str())
            .filter(|rel| !rel.ends_with("_index.md"))
            .collect();
        let file_of = |rel: &str| display_path(options.root, &content_dir.join(rel));
        problems.extend(crate::lang::check_files(&pages, &codes, &file_of));
    }

    let mut content = Content::default();
    // Assets by the bundle folder that owns them.
    let mut page_assets: BTreeMap<String, Vec<Asset>> = BTreeMap::new();
    for file in others {
        let bundle = owning_bundle(&bundles, &file.rel);
        let published = bundle.map_or(file.rel.as_str(), |b| &file.rel[b.len() + 1..]);
        if let Some(problem) =
            crate::portable::file_problem(published, display_path(options.root, &file.path))
        {
            problems.push(problem);
            continue;
        }
        match bundle {
            Some(bundle) => {
                let name = file.rel[bundle.len() + 1..].to_string();
                page_assets
                    .entry(bundle.to_string())
                    .or_default()
                    .push(Asset {
                        source: file.path,
                        name,
                    });
            }
            None => content.files.push(StaticFile {
                source: file.path,
                path: file.rel,
            }),
        }
    }

    let kept = AtomicUsize::new(0);
    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = markdown
        .par_iter()
        .map(|found| parse_file(options, found, &bundles, &kept))
        .collect();
    for result in parsed {
        match result {
            Ok(Parsed::Page(page, bundle)) => {
                let mut page = *page;
                content.warnings.append(&mut page.warnings);
                if let Some(assets) = bundle.and_then(|b| page_assets.remove(&b)) {
                    page.assets = assets;
                }
                let future = page.scheduled(options.now);
                if page.draft && !options.include_drafts {
                    content.skipped.drafts += 1;
                } else if future && !options.include_drafts {
                    content.skipped.scheduled += 1;
                } else {
                    content.pages.push(page);
                }
            }
            Ok(Parsed::Section(section, mut warnings)) => {
                content.warnings.append(&mut warnings);
                content.sections.push(section);
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(content)
}

/// Reads the Markdown file at `path` (as the walk of `content/` names it)
/// on its own, with `assets` as its bundle's files: the page, or `None`
/// when it is not published (gone, a draft, scheduled, a section's
/// `_index.md`).
pub fn read_page(
    options: &LoadOptions,
    path: &Path,
    assets: Vec<Asset>,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    if !path.is_file() {
        return Ok(None);
    }
    let Some(rel) = rel_path(path, &options.root.join(DIR)) else {
        return Ok(None);
    };
    let bundles: BTreeSet<String> = rel
        .strip_suffix("/index.md")
        .map(str::to_string)
        .into_iter()
        .collect();
    let found = Found {
        path: path.to_path_buf(),
        rel,
    };
    let Parsed::Page(page, _) = parse_file(options, &found, &bundles, &AtomicUsize::new(0))? else {
        return Ok(None);
    };
    let mut page = *page;
    page.assets = assets;
    let future = page.scheduled(options.now);
    if (page.draft || future) && !options.include_drafts {
        return Ok(None);
    }
    Ok(Some(page))
}

/// Lists `content/`, sorted so builds are deterministic, skipping hidden
/// files and editors' backups. Links are followed only where they lead
/// inside the site; every other one is a problem, where it is.
fn walk(
    root: &Path,
    content_dir: &Path,
    boundary: &crate::boundary::Boundary,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Found>, Vec<Found>) {
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    let walker = boundary.walk(content_dir, is_ignored, problems);
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let file = err.path().map(|p| display_path(root, p));
                let mut d = Diagnostic::error(format!("cannot read the content folder: {err}"));
                if let Some(file) = file {
                    d = d.in_file(file);
                }
                problems.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let Some(rel) = rel_path(&path, content_dir) else {
            continue;
        };
        let found = Found { path, rel };
        if found.rel.ends_with(".md") {
            markdown.push(found);
        } else {
            others.push(found);
        }
    }
    (markdown, others)
}

/// `path` relative to `content_dir`, `/`-separated.
fn rel_path(path: &Path, content_dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(content_dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with("#")
}

/// The innermost bundle folder that holds `rel`, if any.
fn owning_bundle<'a>(bundles: &'a BTreeSet<String>, rel: &str) -> Option<&'a str> {
    let mut dir = rel;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if let Some(bundle) = bundles.get(parent) {
            return Some(bundle);
        }
        dir = parent;
    }
    None
}

enum Parsed {
    /// The page, and the bundle folder it owns.
    Page(Box<Page>, Option<String>),
    /// A section, with the warnings about it.
    Section(Section, Vec<Diagnostic>),
}

/// Reads a Markdown file's bytes, refusing binary files.
fn read_file(path: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(format!("cannot read the file: {err}")).in_file(file))?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Diagnostic::error("the file is binary, not Markdown text")
            .in_file(file)
            .with_hint("only Markdown text files may end in `.md`; rename the file or replace it with the text"));
    }
    Ok(bytes)
}

/// A file's text: UTF-8, with a BOM dropped and CRLF made LF (line numbers
/// stay the same). Checked with simdutf8, several times faster than the
/// standard library on Vietnamese text (it was 5% of a build), and
/// borrowed from the bytes unless line endings change.
fn text_of<'a>(bytes: &'a [u8], file: &Path) -> Result<Cow<'a, str>, Diagnostic> {
    let text = simdutf8::compat::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        let good = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error(format!(
            "the file is not UTF-8 text (bad byte at offset {offset})"
        ))
        .in_file(file)
        .at(&good, line, column)
        .with_hint("save the file as UTF-8 in your editor")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

fn parse_file(
    options: &LoadOptions,
    found: &Found,
    bundles: &BTreeSet<String>,
    kept: &AtomicUsize,
) -> Result<Parsed, Vec<Diagnostic>> {
    let file = display_path(options.root, &found.path);
    let bytes = read_file(&found.path, &file).map_err(|d| vec![d])?;
    let text = text_of(&bytes, &file).map_err(|d| vec![d])?;
    let text: &str = &text;
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing) => {
            return Err(vec![
                Diagnostic::error("the file does not start with front matter")
                    .in_file(&file)
                    .at(text, 1, 1)
                    .with_hint("start the file with a line `---`, the page's `title:` and `date:`, then another `---`"),
            ]);
        }
        Err(SplitError::NotClosed) => {
            return Err(vec![
                Diagnostic::error("the front matter is not closed")
                    .in_file(&file)
                    .at(text, 1, 1)
                    .with_hint("end the front matter with a line `---` before the body"),
            ]);
        }
    };
    let raw: RawFrontMatter = yaml::from_str(split.yaml)
        .map_err(|err| vec![front_matter_error(&err, text, split.yaml_line, &file)])?;

    let unknown_keys: Vec<String> = yaml::keys(split.yaml)
        .into_iter()
        .filter(|key| !front_matter::KEYS.contains(&key.as_str()))
        .collect();
    // A translation (`x.en.md`) is placed as the file it translates.
    let codes = options.config.other_languages();
    let (original, lang) = crate::lang::split(&found.rel, &codes);
    let rel = original.as_str();
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let checker = Checker {
        text,
        yaml_line: split.yaml_line,
        file: &file,
        problems: Vec::new(),
    };
    let mut checker = checker;
    for key in &unknown_keys {
        checker.unknown_key(key);
    }
    if file_name == "_index.md" {
        if lang.is_some() {
            return Err(vec![
                Diagnostic::error("a section's `_index.md` has no translations")
                    .in_file(&file)
                    .at(text, 1, 1)
                    .with_hint("a language's home page takes its title from `languages:` in config.yaml; remove this file"),
            ]);
        }
        return checker.section(raw, dir);
    }
    let bundle = (file_name == "index.md")
        .then(|| dir.to_string())
        .filter(|d| bundles.contains(d));
    // The first folder is the section, unless the page is itself a bundle
    // at the root (`content/gioi-thieu/index.md`).
    let section = match rel.split_once('/') {
        Some((first, _)) if bundle.as_deref() != Some(first) => Some(first.to_string()),
        _ => None,
    };
    let id = raw.id.clone().unwrap_or_else(|| match lang {
        Some(_) => stable_id(&found.rel),
        None => stable_id(bundle.as_deref().unwrap_or(&found.rel)),
    });
    let place = document::Place {
        dir: found.path.parent().unwrap_or(options.root),
        rel_dir: rel.rsplit_once('/').map_or("", |(d, _)| d),
        bundle: bundle.is_some(),
    };
    checker
        .page(
            options,
            raw,
            Origin {
                section,
                rel,
                id,
                path: &found.path,
                body: split.body,
                keep_body: kept.fetch_add(split.body.len(), Ordering::Relaxed) + split.body.len()
                    <= BODY_BUDGET,
                text_len: text.len(),
                body_line: split.body_line,
                place,
            },
        )
        .map(|mut page| {
            if !codes.is_empty() {
                page.translation_key = Some(crate::lang::translation_key(rel));
            }
            match lang {
                // A translation lives at `/<code>/…`; its bundle's files
                // stay with the original, which publishes them.
                Some(code) => {
                    page.lang = Some(code.to_string());
                    page.document = None;
                    if !page.url.is_empty() {
                        page.url = format!("/{code}{}", page.url);
                    }
                    Parsed::Page(Box::new(page), None)
                }
                None => Parsed::Page(Box::new(page), bundle),
            }
        })
}

/// A YAML problem in front matter as an editor should see it: at the line
/// that holds it (the YAML crate reports some at the start of the mapping),
/// in words about the page rather than about Rust types.
fn front_matter_error(
    err: &yaml::YamlError,
    text: &str,
    yaml_line: usize,
    file: &Path,
) -> Diagnostic {
    let quoted = err.message.split('`').nth(1).unwrap_or("");
    let untagged = [
        ("SourceInput", "source"),
        ("ImageInput", "image"),
        ("SignerInput", "signer"),
        ("AttachmentInput", "attachments"),
    ]
    .into_iter()
    .find(|(name, _)| err.message.contains("untagged enum") && err.message.ends_with(name));
    let (message, position) = if let Some((_, key)) = untagged {
        let shape = match key {
            "source" => "a name, or `{ name: …, url: … }`",
            "image" => "a file name, or `{ src: …, alt: …, caption: … }`",
            "signer" => "a name, or `{ name: …, title: … }`",
            _ => "a list of file names, or of `{ file: …, title: … }`",
        };
        (
            format!("`{key}` must be {shape}"),
            locate_text(text, &format!("{key}:"), yaml_line),
        )
    } else if err.message.contains("is not a date") {
        (err.message.clone(), locate_text(text, quoted, yaml_line))
    } else if err.message.starts_with("duplicate field") {
        // The second time the key is written is the one to remove.
        let key = format!("{quoted}:");
        let second = text
            .lines()
            .enumerate()
            .skip(yaml_line - 1)
            .filter(|(_, line)| line.trim_start().starts_with(&key))
            .nth(1)
            .map(|(i, line)| (i + 1, line.len() - line.trim_start().len() + 1));
        (format!("`{quoted}` is written twice"), second)
    } else {
        (err.message.clone(), None)
    };
    let position = position.or_else(|| Some((err.line? + yaml_line - 1, err.column?)));
    let d = Diagnostic::error(format!("front matter: {message}")).in_file(file);
    let d = match position {
        Some((line, column)) => d.at(text, line, column),
        None => d,
    };
    d.with_hint(yaml_hint(&err.message))
}

fn yaml_hint(message: &str) -> String {
    if message.starts_with("unknown field") {
        "check the spelling of the key; the README lists every front-matter key".into()
    } else if message.contains("not a date") {
        date::ACCEPTED_FORMS.into()
    } else if message.starts_with("duplicate field") {
        "keep one of the two lines".into()
    } else if message.contains("expected a sequence") {
        "write a list as `[a, b]`, or one item per line starting with `- `".into()
    } else if message.contains("expected a boolean") {
        "write `true` or `false`".into()
    } else if message.contains("expected u32") || message.contains("expected f32") {
        "write a number, e.g. `count: 12`, `average: 4.5`".into()
    } else if message.contains("invalid type") {
        "a text value is written on one line after the key, e.g. `title: Tiêu đề`".into()
    } else {
        "put values containing `:` or starting with `[`, `{`, `*`, `&` or `#` in double quotes"
            .into()
    }
}

/// An id that survives edits to the title and slug: FNV-1a of the file's
/// path inside `content/`.
pub fn stable_id(rel: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rel.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Page {
    /// Dated after `now`, so published by the first build after that date.
    /// A draft for comment dated by the day it opens is published at once:
    /// citizens are told of a consultation before it opens.
    pub fn scheduled(&self, now: chrono::DateTime<chrono::FixedOffset>) -> bool {
        let by_opening = (self.consultation.as_ref()).is_some_and(|c| Some(c.opens) == self.date);
        self.date.is_some_and(|d| d.at > now) && !by_opening
    }

    /// A news item: an article that is neither a directive nor a draft for
    /// comment, which have registers of their own.
    pub fn is_news(&self) -> bool {
        self.kind == PageKind::Article && self.document.is_none() && self.consultation.is_none()
    }

    /// The Markdown body: the one kept, else read from the file again.
    pub fn read_body(&self) -> Result<Cow<'_, str>, Diagnostic> {
        if let Some(body) = &self.body {
            return Ok(Cow::Borrowed(body));
        }
        let bytes = read_file(&self.path, &self.file)?;
        let text = text_of(&bytes, &self.file)?;
        match text.get(self.body_start..) {
            Some(body) if text.len() == self.text_len => Ok(Cow::Owned(body.to_string())),
            _ => Err(
                Diagnostic::error("the file changed while the site was being built")
                    .in_file(&self.file)
                    .with_hint("build again"),
            ),
        }
    }
}

/// Where a page comes from: its section, id, body and place on disk.
struct Origin<'a> {
    section: Option<String>,
    /// The file's path in `content/`, `/`-separated.
    rel: &'a str,
    id: String,
    path: &'a Path,
    body: &'a str,
    keep_body: bool,
    text_len: usize,
    body_line: usize,
    place: document::Place<'a>,
}

/// Validates one file's front matter, collecting every problem.
struct Checker<'a> {
    text: &'a str,
    yaml_line: usize,
    file: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// A warning for a key no page has, suggesting the nearest known one.
    fn unknown_key(&mut self, key: &str) {
        let nearest = front_matter::KEYS
            .iter()
            .map(|known| (strsim::normalized_levenshtein(key, known), *known))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score >= 0.5);
        let hint = match nearest {
            Some((_, known)) => format!("did you mean `{known}`? The key is ignored as written"),
            None => "the key is ignored; the README lists every front-matter key".into(),
        };
        let (line, column) =
            locate_text(self.text, &format!("{key}:"), self.yaml_line).unwrap_or((1, 1));
        self.problems.push(
            Diagnostic::warning(format!("unknown front-matter key `{key}`"))
                .in_file(self.file)
                .at(self.text, line, column)
                .with_hint(hint),
        );
    }

    /// A problem at the value of front-matter `key`, or at the top when the
    /// key is absent.
    fn at_key(&mut self, key: &str, message: String, hint: Option<String>) {
        let (line, column) =
            locate_key(self.text, key).unwrap_or((self.yaml_line.saturating_sub(1).max(1), 1));
        let mut d = Diagnostic::error(message)
            .in_file(self.file)
            .at(self.text, line, column);
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.problems.push(d);
    }

    /// The value and its warnings, or every problem when one is an error.
    fn done<T>(self, value: T) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        if self.problems.iter().any(Diagnostic::is_error) {
            Err(self.problems)
        } else {
            Ok((value, self.problems))
        }
    }

    fn title(&mut self, raw: Option<String>) -> String {
        match raw.map(|t| t.trim().to_string()) {
            Some(title) if !title.is_empty() => title,
            _ => {
                self.at_key(
                    "title",
                    "the page has no `title`".into(),
                    Some("add a line `title: …` to the front matter".into()),
                );
                String::new()
            }
        }
    }

    fn section(mut self, raw: RawFrontMatter, dir: &str) -> Result<Parsed, Vec<Diagnostic>> {
        let title = self.title(raw.title);
        let section = Section {
            file: self.file.to_path_buf(),
            name: dir.to_string(),
            title,
            description: raw.description.or(raw.summary),
            template: raw.template,
        };
        self.done(section)
            .map(|(section, warnings)| Parsed::Section(section, warnings))
    }

    fn page(
        mut self,
        options: &LoadOptions,
        raw: RawFrontMatter,
        origin: Origin,
    ) -> Result<Page, Vec<Diagnostic>> {
        let Origin {
            section,
            rel,
            id,
            path,
            body,
            keep_body,
            text_len,
            body_line,
            place,
        } = origin;
        let place = &place;
        let config = options.config;
        let kind = if section.is_some() {
            PageKind::Article
        } else {
            PageKind::Plain
        };
        let summary = raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let document = raw.document.and_then(|d| {
            self.document(d, summary.as_deref(), place, config.timezone, options.now)
        });
        let consultation = raw
            .consultation
            .and_then(|c| self.consultation(c, place, config.timezone, options.now));
        if document.is_some() && consultation.is_some() {
            self.at_key(
                "consultation",
                "a page cannot be both a directive (`document:`) and a draft for comment (`consultation:`)".into(),
                Some("a draft is published as a directive on a page of its own once it is signed".into()),
            );
        }
        let title = self.title(raw.title);
        // A directive is dated by its signing, a draft by the day comments
        // open, unless they say otherwise.
        let date = raw
            .date
            .map(|d| d.resolve(config.timezone))
            .or_else(|| document.as_ref().and_then(|d| d.signed))
            .or_else(|| consultation.as_ref().map(|c| c.opens));
        if kind == PageKind::Article && date.is_none() {
            self.at_key(
                "date",
                "the article has no `date`".into(),
                Some(format!(
                    "add a line such as `date: 2021-02-23T07:59:00+07:00`; {}",
                    date::ACCEPTED_FORMS
                )),
            );
        }
        let slug = raw.slug.filter(|slug| self.slug(slug));
        // Without a title or an article's date, that is the error reported.
        let url = if title.is_empty() || (kind == PageKind::Article && date.is_none()) {
            None
        } else {
            let fields = crate::permalink::Fields {
                section: section.as_deref(),
                rel,
                slug: slug.as_deref(),
                title: &title,
                id: &id,
                date: date.map(|d| d.at.with_timezone(&config.timezone).date_naive()),
            };
            self.url(config.permalinks.expand(&fields))
        };
        let mut names: Vec<String> = raw.category.into_iter().collect();
        names.extend(raw.categories.unwrap_or_default());
        let categories = names
            .iter()
            .filter_map(|name| self.category(config, name))
            .collect();
        let aliases = raw
            .aliases
            .iter()
            .filter_map(|alias| self.alias(alias))
            .collect();
        let image = raw.image.map(|image| match image {
            ImageInput::Src(src) => Image {
                src,
                alt: String::new(),
                caption: None,
            },
            ImageInput::Full { src, alt, caption } => Image {
                src,
                alt: alt.or_else(|| caption.clone()).unwrap_or_default(),
                caption,
            },
        });
        let source = raw.source.map(|s| match s {
            SourceInput::Name(name) => SourceRef { name, url: None },
            SourceInput::Full { name, url } => SourceRef { name, url },
        });
        let source_url = source
            .as_ref()
            .and_then(|s| s.url.as_deref())
            .filter(|u| !u.trim().is_empty());
        if let Some(url) = source_url.filter(|u| !is_web_link(u)) {
            self.at_key(
                "url",
                format!("the source address `{url}` is not a web link"),
                Some("write it as `https://…`".into()),
            );
        }
        if let Some(src) = image
            .as_ref()
            .map(|i| i.src.as_str())
            .filter(|s| s.contains(':') && !is_web_link(s))
        {
            self.at_key(
                "image",
                format!("the image `{src}` is not a file of the page or a web address"),
                Some("write a file name beside the page, e.g. `anh.jpg`, or `https://…`".into()),
            );
        }
        if image.as_ref().is_some_and(|i| i.alt.trim().is_empty()) {
            let (line, column) = locate_key(self.text, "image").unwrap_or((1, 1));
            self.problems.push(
                Diagnostic::warning("the lead image has no alt text")
                    .in_file(self.file)
                    .at(self.text, line, column)
                    .with_hint("describe the photo for readers who cannot see it: `image: { src: …, alt: \"Toàn cảnh cuộc họp\" }`"),
            );
        }
        let documents = raw
            .documents
            .iter()
            .map(|number| {
                let (line, column) =
                    locate_text(self.text, number, self.yaml_line).unwrap_or((1, 1));
                DocumentRef {
                    number: number.clone(),
                    unknown: Diagnostic::error(format!(
                        "no directive of this site has the number `{number}`"
                    ))
                    .in_file(self.file)
                    .at(self.text, line, column)
                    .with_hint(
                        "write the number exactly as in the directive's `document: number:`",
                    ),
                }
            })
            .collect();
        let agency = self.agency(crate::agency::RawAgency {
            units: raw.units,
            leaders: raw.leaders,
            contacts: raw.contacts,
        });
        let page = Page {
            file: self.file.to_path_buf(),
            kind,
            section,
            id,
            title,
            url: url.as_ref().map_or_else(String::new, |u| u.url.clone()),
            asset_base: url
                .as_ref()
                .map_or_else(String::new, |u| u.asset_base.clone()),
            url_from_title: url.is_some_and(|u| u.from_title),
            date,
            updated: raw.updated.map(|d| d.resolve(config.timezone)),
            summary,
            description: raw.description,
            categories,
            tags: dedup_tags(raw.tags),
            author: raw.author.filter(|a| !a.trim().is_empty()),
            source,
            image,
            draft: raw.draft,
            featured: raw.featured,
            aliases,
            rating: raw.rating.unwrap_or_default(),
            template: raw.template,
            path: path.to_path_buf(),
            body: keep_body.then(|| body.to_string()),
            body_start: text_len - body.len(),
            text_len,
            body_line,
            scan: crate::markdown::scan(body, &config.markdown),
            assets: Vec::new(),
            document,
            documents,
            consultation,
            agency,
            lang: None,
            translation_key: None,
            warnings: Vec::new(),
        };
        self.done(page).map(|(mut page, mut warnings)| {
            warnings.extend(crate::markdown::alt_warnings(
                body,
                body_line,
                &page.file,
                &page.scan.missing_alt,
            ));
            page.warnings = warnings;
            page
        })
    }

    /// The agency list of the page, if it has one ([`crate::agency`]).
    fn agency(&mut self, raw: crate::agency::RawAgency) -> Option<crate::agency::Agency> {
        let source = crate::agency::Source {
            text: self.text,
            yaml_line: self.yaml_line,
            file: self.file,
        };
        let (agency, mut problems) = crate::agency::validate(raw, &source);
        self.problems.append(&mut problems);
        agency
    }

    /// Whether an explicit `slug:` can be a URL segment; reports it if not.
    fn slug(&mut self, slug: &str) -> bool {
        let problem = if !is_slug(slug) {
            Some((
                format!("`slug` must be a URL word, not `{slug}`"),
                format!(
                    "write it as `{}`, or leave it out to use the file's name",
                    slugify(slug)
                ),
            ))
        } else {
            crate::portable::segment_problem(slug).map(|reason| {
                (
                    format!("the slug `{slug}` {reason}"),
                    "choose a shorter or another slug, or leave it out to use the file's name"
                        .to_string(),
                )
            })
        };
        match problem {
            Some((message, hint)) => {
                self.at_key("slug", message, Some(hint));
                false
            }
            None => true,
        }
    }

    /// The page's URL, or `None` after reporting why it cannot be made.
    fn url(
        &mut self,
        url: Result<crate::permalink::PageUrl, crate::permalink::Problem>,
    ) -> Option<crate::permalink::PageUrl> {
        use crate::permalink::Origin;
        let problem = match url {
            Ok(url) => return Some(url),
            Err(problem) => problem,
        };
        match problem.origin {
            Origin::SlugKey => self.at_key("slug", problem.message, Some(problem.hint)),
            Origin::TitleKey => self.at_key("title", problem.message, Some(problem.hint)),
            Origin::FileName => self.problems.push(
                Diagnostic::error(format!("{} (from the file's name)", problem.message))
                    .in_file(self.file)
                    .at(self.text, 1, 1)
                    .with_hint(problem.hint),
            ),
            Origin::Pattern => self.at_key("date", problem.message, Some(problem.hint)),
        }
        None
    }

    /// Resolves a category written as its slug or its name; an undeclared
    /// one is an error suggesting the nearest declared category.
    fn category(&mut self, config: &Config, written: &str) -> Option<String> {
        let hint = match config.find_category(written) {
            Ok(category) => return Some(category.slug.clone()),
            Err(hint) => hint,
        };
        let (line, column) = locate_text(self.text, written, self.yaml_line).unwrap_or((1, 1));
        self.problems.push(
            Diagnostic::error(format!("undeclared category `{written}`"))
                .in_file(self.file)
                .at(self.text, line, column)
                .with_hint(hint),
        );
        None
    }

    fn alias(&mut self, alias: &str) -> Option<String> {
        let trimmed = alias.trim();
        if trimmed.is_empty()
            || trimmed.contains("://")
            || trimmed.contains("..")
            || trimmed.contains(char::is_whitespace)
        {
            let (line, column) = locate_text(self.text, alias, self.yaml_line).unwrap_or((1, 1));
            self.problems.push(
                Diagnostic::error(format!("alias `{alias}` is not a path on this site"))
                    .in_file(self.file)
                    .at(self.text, line, column)
                    .with_hint("write old addresses as site paths, e.g. `/tin-tuc/12345.html`"),
            );
            return None;
        }
        let path = format!("/{}", trimmed.trim_start_matches('/'));
        if let Some((name, reason)) =
            crate::portable::path_problem(&crate::site::output_path(&path))
        {
            let (line, column) = locate_text(self.text, alias, self.yaml_line).unwrap_or((1, 1));
            self.problems.push(
                Diagnostic::error(format!("alias `{alias}`: the name `{name}` {reason}"))
                    .in_file(self.file)
                    .at(self.text, line, column)
                    .with_hint("a redirect is a file of the published site; write the old address without such characters"),
            );
            return None;
        }
        Some(path)
    }
}

/// An http(s) address: the only kind a page may link to from front matter
/// (no `javascript:` or `data:`).
pub(crate) fn is_web_link(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://")
}

/// Drops empty and repeated tags, keeping the first spelling.
fn dedup_tags(tags: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(slugify(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_id_depends_only_on_the_path() {
        assert_eq!(stable_id("tin-tuc/a"), stable_id("tin-tuc/a"));
        assert_ne!(stable_id("tin-tuc/a"), stable_id("tin-tuc/b"));
        assert_eq!(stable_id("tin-tuc/a").len(), 16);
    }

    #[test]
    fn finds_the_owning_bundle() {
        let bundles: BTreeSet<String> = ["tin-tuc/a".to_string()].into();
        assert_eq!(
            owning_bundle(&bundles, "tin-tuc/a/anh.jpg"),
            Some("tin-tuc/a")
        );
        assert_eq!(
            owning_bundle(&bundles, "tin-tuc/a/img/anh.jpg"),
            Some("tin-tuc/a")
        );
        assert_eq!(owning_bundle(&bundles, "tin-tuc/b.jpg"), None);
    }

    #[test]
    fn tags_keep_the_first_spelling() {
        let tags = dedup_tags(vec![
            "CNTT".into(),
            "cntt".into(),
            " ".into(),
            "Bộ Công an".into(),
        ]);
        assert_eq!(tags, vec!["CNTT", "Bộ Công an"]);
    }
}
