//! Search: the index the search page (`/tim-kiem/`) queries in the browser,
//! written at build time beside the page.
//!
//! It owns Vietnamese folding ([`fold`]), the weighing of every document's
//! terms ([`index`], built in segments of documents: [`segment`]), the cut of the index into shards the browser fetches
//! one query at a time ([`shard`]), and a reader that runs queries the way
//! the browser does ([`query`], for tests and the quality list).
//!
//! What is written, under `paths.search` (default `tim-kiem/`):
//!
//! - `meta.json`: how many documents, the first term of each shard, and the
//!   filters (categories; for directives type, year and issuer) with their
//!   files;
//! - `s/<hex>.bin`: the shards of the inverted index, each named by its
//!   first term (see [`shard`]);
//! - `f/<key>.bin`: the documents of each filter value;
//! - `d/<n>.json`: what a result shows of document `n` (URL, title, date,
//!   category, number, and the text its snippet is cut from).
//!
//! Documents are numbered oldest first, so a new article adds a number at
//! the end instead of moving every other, and "newest" is "highest".
//! [`build`] is the hook: the write stage hands it a [`Put`] that writes
//! each file beside the rendered pages as it is made (the index is read
//! while the pages are rendered: [`segment`]); `serve`'s session keeps the
//! index it returns ([`live`]) and updates it page by page.

pub mod fold;
pub mod index;
pub mod live;
pub mod query;
pub mod segment;
pub mod shard;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::site::{Site, SitePage};

/// What a result keeps of a body for its snippet.
const TEXT_BYTES: usize = 20_000;

/// A document read: its weighed terms and its `d/<n>.json`.
type Read = (index::Weighed, Vec<u8>);

/// A file of the index: its path in the output and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a result shows of a document (`d/<n>.json`).
#[derive(Serialize)]
struct Shown<'a> {
    /// URL
    u: &'a str,
    /// title
    t: &'a str,
    /// date, "23/02/2021"
    d: Option<String>,
    /// primary category
    c: Option<&'a str>,
    /// a directive's type and number, "Chỉ thị 07/2008/CT-BCA(E11)"
    k: Option<String>,
    /// lead and body text, for the snippet
    x: String,
}

#[derive(Serialize)]
struct Meta {
    v: u32,
    n: u32,
    shards: Vec<String>,
    filters: Filters,
}

/// Each filter value: its name, its file key and how many documents.
#[derive(Serialize, Default)]
struct Filters {
    category: Vec<(String, String, usize)>,
    #[serde(rename = "type")]
    kind: Vec<(String, String, usize)>,
    year: Vec<(String, String, usize)>,
    issuer: Vec<(String, String, usize)>,
}

/// The folder the index is written in, `tim-kiem/`.
pub fn folder(config: &Config) -> String {
    format!("{}/", config.paths.search.trim_matches('/'))
}

/// What the header's search form needs: the search page, and where the
/// form goes without JavaScript (the page itself, or `search.external`
/// with its query parameters as hidden fields).
#[derive(Serialize)]
pub struct Form {
    pub url: String,
    pub action: String,
    pub hidden: Vec<(String, String)>,
}

pub fn form(config: &Config) -> Option<Form> {
    if !config.search.enabled {
        return None;
    }
    let url = format!("/{}", folder(config));
    let (action, hidden) = match &config.search.external {
        Some(external) => {
            let (action, query) = external.split_once('?').unwrap_or((external, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let hidden = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(key), decode(value))
                })
                .filter(|(key, _)| key != "q")
                .collect();
            (action.to_string(), hidden)
        }
        None => (url.clone(), Vec::new()),
    };
    Some(Form {
        url,
        action,
        hidden,
    })
}

/// Where the index's files go, one at a time, as they are made: the
/// write stage's staging folder, or a list.
pub type Put<'a> = dyn Fn(File) -> Result<(), Diagnostic> + Sync + 'a;

/// The files `write` puts, in a list.
fn collected(
    write: impl FnOnce(&Put) -> Result<(), Vec<Diagnostic>>,
) -> Result<Vec<File>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    write(&|file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok(())
    })?;
    Ok(files.into_inner().unwrap_or_default())
}

/// Whether page `page` is in the index of the site's own language (the
/// one `serve` keeps); translations are in their language's.
pub fn own(page: &SitePage) -> bool {
    page.page.lang.is_none()
}

/// Every document's number, by its page's place in `site.pages`: oldest
/// first (`site.pages` is newest first, plain pages last); `u32::MAX` for
/// the pages of other languages, which are not in the own index.
pub fn numbers(site: &Site) -> Vec<u32> {
    let mut number = vec![u32::MAX; site.pages.len()];
    let mut n = 0;
    for i in (0..site.pages.len()).rev() {
        if own(&site.pages[i]) {
            number[i] = n;
            n += 1;
        }
    }
    number
}

/// What the index holds of page `i`: its weighed terms and its
/// `d/<n>.json`.
fn read(site: &Site, config: &Config, i: usize) -> Result<Read, Diagnostic> {
    let page = &site.pages[i];
    let body = markdown::render_text(&page.page, &config.markdown)?;
    let fields = fields_of(site, page, &body);
    let shown = shown(site, page, &body);
    Ok((index::weigh(&fields), shown))
}

/// The path of document `n`'s `d/<n>.json`.
fn doc_path(base: &str, n: u32) -> String {
    format!("{base}d/{n}.json")
}

/// Writes every file of the search indexes of `site` through `put`: one
/// per language ([`crate::lang`]), the site's own in `tim-kiem/`, the
/// others' in `<code>/tim-kiem/`, each of the pages in that language. Returns the own
/// language's index itself (which `serve` keeps to update; see [`live`];
/// the others' are made again whole, [`language_outputs`]).
pub fn build(site: &Site, config: &Config, put: &Put) -> Result<index::Index, Vec<Diagnostic>> {
    if !config.search.enabled {
        return Ok(index::Index::default());
    }
    let base = folder(config);
    let order: Vec<usize> = (0..site.pages.len())
        .rev()
        .filter(|&i| own(&site.pages[i]))
        .collect();
    let index = index_pages(site, config, &order, &base, put)?;
    let firsts = shard_files(&index, &base, put)?;
    for file in lists(site, &base, &numbers(site), index.docs, firsts) {
        put(file).map_err(|problem| vec![problem])?;
    }
    language_build(site, config, put)?;
    Ok(index)
}

/// Documents are read in about this many segments per thread, each
/// filled on its own and joined in order ([`segment`]).
const SEGMENTS_PER_THREAD: usize = 1;
/// A segment holds at least this many documents.
const SEGMENT_MIN: usize = 256;

/// The index of the pages `order` (numbered by their place in it), each
/// page's `d/<n>.json` put under `base` as it is read.
fn index_pages(
    site: &Site,
    config: &Config,
    order: &[usize],
    base: &str,
    put: &Put,
) -> Result<index::Index, Vec<Diagnostic>> {
    let segments = rayon::current_num_threads() * SEGMENTS_PER_THREAD;
    let size = order.len().div_ceil(segments).max(SEGMENT_MIN);
    let read: Vec<(segment::Segment, Vec<Diagnostic>)> = order
        .par_chunks(size)
        .enumerate()
        .map(|(k, chunk)| {
            let first = (k * size) as u32;
            let mut segment = segment::Segment::new(first);
            let mut problems = Vec::new();
            for (j, &i) in chunk.iter().enumerate() {
                let page = &site.pages[i];
                let body = match markdown::render_text(&page.page, &config.markdown) {
                    Ok(body) => body,
                    Err(problem) => {
                        problems.push(problem);
                        continue;
                    }
                };
                segment.add(&fields_of(site, page, &body));
                let file = File {
                    path: doc_path(base, first + j as u32),
                    bytes: shown(site, page, &body),
                };
                if let Err(problem) = put(file) {
                    problems.push(problem);
                }
            }
            (segment, problems)
        })
        .collect();
    let mut segments = Vec::with_capacity(read.len());
    let mut problems = Vec::new();
    for (segment, found) in read {
        segments.push(segment);
        problems.extend(found);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(segment::join(segments))
}

/// The folder of the index of `config.languages[l]` (`l` > 0).
pub fn language_folder(config: &Config, l: usize) -> String {
    format!("{}/{}", config.languages[l].code, folder(config))
}

/// Every file of the indexes of the languages but the site's own (small:
/// `serve` makes them again whole when a translation changes).
pub fn language_outputs(site: &Site, config: &Config) -> Result<Vec<File>, Vec<Diagnostic>> {
    collected(|put| language_build(site, config, put))
}

fn language_build(site: &Site, config: &Config, put: &Put) -> Result<(), Vec<Diagnostic>> {
    if !config.search.enabled {
        return Ok(());
    }
    for l in 1..config.languages.len() {
        let base = language_folder(config, l);
        let code = Some(config.languages[l].code.as_str());
        let order: Vec<usize> = (0..site.pages.len())
            .rev()
            .filter(|&i| site.pages[i].page.lang.as_deref() == code)
            .collect();
        // Without filters: categories and the register are the own
        // language's.
        let index = index_pages(site, config, &order, &base, put)?;
        let firsts = shard_files(&index, &base, put)?;
        put(meta_file(&base, index.docs, firsts, Filters::default())).map_err(|p| vec![p])?;
    }
    Ok(())
}

/// The index's shards as files under `base`; returns each shard's first
/// term, for the meta file.
fn shard_files(
    index: &index::Index,
    base: &str,
    put: &Put,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let sorted = index.sorted();
    let (firsts, shards) = shard::cut(&sorted, index.docs);
    let problems: Vec<Diagnostic> = firsts
        .par_iter()
        .zip(shards.into_par_iter())
        .filter_map(|(first, bytes)| {
            put(File {
                path: format!("{base}{}", shard::file_name(first)),
                bytes,
            })
            .err()
        })
        .collect();
    if problems.is_empty() {
        Ok(firsts)
    } else {
        Err(problems)
    }
}

/// The files made from the site's lists and the shards' first terms: a
/// filter's documents (`f/<key>.bin`) and `meta.json`.
fn lists(site: &Site, base: &str, number: &[u32], docs: u32, firsts: Vec<String>) -> Vec<File> {
    let mut files = Vec::new();
    let mut filters = Filters::default();
    let mut filter =
        |list: &mut Vec<(String, String, usize)>, key: String, name: &str, pages: &[usize]| {
            let mut docs: Vec<u32> = pages.iter().map(|&i| number[i]).collect();
            docs.sort_unstable();
            list.push((name.to_string(), key.clone(), docs.len()));
            files.push(File {
                path: format!("{base}f/{key}.bin"),
                bytes: shard::encode_docs(&docs),
            });
        };
    for (k, category) in site.categories.iter().enumerate() {
        if !category.pages.is_empty() {
            filter(
                &mut filters.category,
                format!("c{k}"),
                &category.name,
                &category.pages,
            );
        }
    }
    if let Some(register) = &site.register {
        for (k, list) in register.by_type.iter().enumerate() {
            filter(&mut filters.kind, format!("t{k}"), &list.name, &list.pages);
        }
        for (k, list) in register.by_year.iter().enumerate() {
            filter(&mut filters.year, format!("y{k}"), &list.name, &list.pages);
        }
        for (k, list) in register.by_issuer.iter().enumerate() {
            filter(
                &mut filters.issuer,
                format!("i{k}"),
                &list.name,
                &list.pages,
            );
        }
    }
    files.push(meta_file(base, docs, firsts, filters));
    files
}

/// `meta.json` of an index under `base`.
fn meta_file(base: &str, docs: u32, firsts: Vec<String>, filters: Filters) -> File {
    let meta = Meta {
        v: 2,
        n: docs,
        shards: firsts,
        filters,
    };
    File {
        path: format!("{base}meta.json"),
        bytes: serde_json::to_vec(&meta).unwrap_or_default(),
    }
}

/// The text of a document's three fields (see [`index::FIELDS`]).
fn fields_of(site: &Site, page: &SitePage, body: &str) -> index::Fields {
    let p = &page.page;
    let mut title = p.title.clone();
    let mut lead = page.summary().to_string();
    let mut rest = String::new();
    for &t in &page.tags {
        lead.push_str(" \n");
        lead.push_str(&site.tags[t].name);
    }
    for &c in &page.categories {
        rest.push_str(&site.categories[c].name);
        rest.push_str(" \n");
    }
    if let Some(doc) = &p.document {
        title.push_str(" \n");
        title.push_str(&doc.number);
        if let Some(kind) = &doc.kind {
            title.push_str(" \n");
            title.push_str(kind);
        }
        if let Some(text) = &doc.abstract_text {
            lead.push_str(" \n");
            lead.push_str(text);
        }
        for part in [&doc.issuer, &doc.field].into_iter().flatten() {
            rest.push_str(part);
            rest.push_str(" \n");
        }
    }
    rest.push_str(body);
    [title, lead, rest]
}

/// `d/<n>.json` of a page.
fn shown(site: &Site, page: &SitePage, body: &str) -> Vec<u8> {
    let p = &page.page;
    let mut text = page.summary().to_string();
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(body);
    if text.len() > TEXT_BYTES {
        let cut = (0..=TEXT_BYTES)
            .rev()
            .find(|&n| text.is_char_boundary(n))
            .unwrap_or(0);
        text.truncate(cut);
    }
    let shown = Shown {
        u: &page.url,
        t: &p.title,
        d: p.date.as_ref().map(|d| {
            let at = d.at;
            format!("{:02}/{:02}/{}", at.day(), at.month(), at.year())
        }),
        c: page
            .categories
            .first()
            .map(|&c| site.categories[c].name.as_str()),
        k: p.document.as_ref().map(|d| match &d.kind {
            Some(kind) => format!("{kind} {}", d.number),
            None => d.number.clone(),
        }),
        x: text,
    };
    serde_json::to_vec(&shown).unwrap_or_default()
}
