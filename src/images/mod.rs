//! Photos that load fast on a phone. Every JPEG, PNG and WebP file the site
//! publishes gets copies ("derivatives") at the widths of `images.widths`
//! (never wider than the original), in WebP and in its own format, upright
//! (EXIF orientation applied) and without metadata; pages offer them
//! through `<picture>`, `srcset` and `sizes` with the real width and height,
//! and the original stays published as uploaded.
//!
//! This module owns the whole of it, in two steps with plain data between:
//! - [`plan`] reads only headers (or nothing at all, when the cache's index
//!   knows the file) and decides every copy's size, name and cache entry:
//!   the [`Catalog`] that the markdown and render stages print from. It also
//!   refuses bad files: one that is not the image it claims to be, a
//!   damaged one, a decompression bomb (too many pixels declared, refused
//!   before any decoding), and an SVG that holds a script ([`svg`]).
//! - [`produce`] makes the copies the cache lacks ([`Work`]): in parallel,
//!   but never with more than `images.memory_mib` of images decoded at once
//!   ([`budget`]). A build waits for it; `gazette serve` runs it in the
//!   background and rebuilds when it is done.
//!
//! The output stage links the copies from the cache ([`cache`]) into the
//! new site, so a warm build decodes and encodes nothing.

mod budget;
mod cache;
mod encode;
pub mod filter;
mod markup;
mod probe;
mod settings;
mod svg;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use crate::diagnostic::{Diagnostic, display_path};
use crate::output::FileId;
use crate::site::CopyFile;
pub use markup::{PictureView, Sized};
pub use settings::ImagesConfig;

/// The entry of `map` (by output path) for the site path `site_path`
/// (`/tin-tuc/a/anh.jpg`), percent-encoded or not. Decoded only when it
/// holds a `%`: bodies link many images, and most are plain.
fn by_site_path<'m, V>(map: &'m HashMap<String, V>, site_path: &str) -> Option<&'m V> {
    let path = site_path.strip_prefix('/')?;
    map.get(path).or_else(|| {
        if !path.contains('%') {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        map.get(decoded.as_ref())
    })
}

/// How a build treats images whose copies are not in the cache yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Make them before the pages are written (`gazette build`).
    #[default]
    Wait,
    /// Leave them to [`produce`] later; pages show the original meanwhile
    /// (`gazette serve`).
    Later,
}

/// An image format Gazette reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    /// Lossy WebP: copies of photos, and WebP originals.
    Webp,
    /// Lossless WebP: copies of PNG screenshots and drawings, whose text a
    /// lossy encoding would blur.
    WebpLossless,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp | Format::WebpLossless => "webp",
        }
    }

    fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Webp | Format::WebpLossless => image::ImageFormat::WebP,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp | Format::WebpLossless => "WebP",
        }
    }

    /// The same file type (both WebPs are WebP).
    fn same_kind(self, other: Format) -> bool {
        self.extension() == other.extension()
    }
}

/// One copy of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivative {
    /// File name in the output, beside the original:
    /// `anh-720w-1a2b3c4d.webp`.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// File name in its cache entry: `720.webp`.
    file: String,
    /// That file's id as the cache's index last saw it, when the copies
    /// are there: the output keeps a spare tree's copy that is this file
    /// without asking for it again.
    cached: Option<FileId>,
}

/// A copy to publish: its output path, its file in the cache and that
/// file's id, when known.
pub type Copy = (String, PathBuf, Option<FileId>);

/// A published image and its copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub source: PathBuf,
    /// Output path of the original, `/`-separated: `tin-tuc/a/anh.jpg`.
    pub path: String,
    /// Its real format, whatever its name says.
    pub format: Format,
    /// As shown (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    /// The cache entry: a hash of the file's bytes and the settings.
    pub key: String,
    pub derivatives: Vec<Derivative>,
    /// Its copies are in the cache.
    pub ready: bool,
}

/// Every picture of a site, by output path, and where their copies are.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pictures: HashMap<String, Picture>,
    /// The size SVGs are drawn at, by output path: they get no copies, only
    /// their `width` and `height`.
    drawings: HashMap<String, (u32, u32)>,
    cache: Option<PathBuf>,
    body_sizes: String,
    quality: u8,
    memory: u64,
}

impl Catalog {
    /// The photos (drawings are not counted).
    pub fn len(&self) -> usize {
        self.pictures.len()
    }

    /// The size of the SVG published at `path` (`tin-tuc/a/so-do.svg`).
    pub fn drawing(&self, path: &str) -> Option<(u32, u32)> {
        self.drawings.get(path).copied()
    }

    /// No photo and no drawing whose size is known.
    pub fn is_empty(&self) -> bool {
        self.pictures.is_empty() && self.drawings.is_empty()
    }

    /// The picture published at the site path `site_path`
    /// (`/tin-tuc/a/anh.jpg`), percent-encoded or not.
    pub fn get(&self, site_path: &str) -> Option<&Picture> {
        by_site_path(&self.pictures, site_path)
    }

    /// The width and height the image at `site_path` is shown at, when the
    /// build knows them: a photo's (copies made or not) or an SVG's.
    pub fn size(&self, site_path: &str) -> Option<(u32, u32)> {
        if let Some(picture) = self.get(site_path) {
            return Some((picture.width, picture.height));
        }
        by_site_path(&self.drawings, site_path).copied()
    }

    /// What a page shows of the image at `site_path`, linked as `url`;
    /// `None` for images without copies (SVG, other hosts, not made yet).
    pub fn view(&self, site_path: &str, url: &str) -> Option<PictureView> {
        if url.contains(['?', '#']) {
            return None;
        }
        let picture = self.get(site_path).filter(|p| p.ready)?;
        Some(markup::view(picture, url))
    }

    /// `<picture>` markup for an image of a body, or an `<img>` with its
    /// size when it has no copies (an SVG, a photo whose copies are still
    /// being made); `None` to leave it as the `<img>` it is.
    pub fn body_html(&self, site_path: &str, url: &str, alt: &str, title: &str) -> Option<String> {
        match self.view(site_path, url) {
            Some(view) => Some(markup::body_html(&view, alt, title, &self.body_sizes)),
            None if url.contains(['?', '#']) => None,
            None => {
                let size = self.size(site_path)?;
                Some(markup::sized_img(url, size, alt, title))
            }
        }
    }

    /// Each copy to publish: its output path, its file in the cache and
    /// that file's id.
    pub fn copies(&self) -> Vec<Copy> {
        // In parallel: 12,000 paths made and sorted for 2,000 photos.
        let pictures: Vec<&Picture> = self.pictures.values().collect();
        let mut copies: Vec<Copy> = (pictures.par_chunks(64))
            .flat_map_iter(|chunk| self.copies_in(chunk.iter().copied()))
            .collect();
        copies.par_sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        copies
    }

    /// The copies of the pictures published at `paths`, as [`Catalog::copies`].
    pub fn copies_of(&self, paths: &HashSet<String>) -> Vec<Copy> {
        self.copies_in(paths.iter().filter_map(|path| self.pictures.get(path)))
    }

    fn copies_in<'a>(&self, pictures: impl Iterator<Item = &'a Picture>) -> Vec<Copy> {
        let Some(cache) = &self.cache else {
            return Vec::new();
        };
        let mut copies = Vec::new();
        for picture in pictures.filter(|p| p.ready) {
            let folder = picture.path.rfind('/').map_or("", |i| &picture.path[..=i]);
            for d in &picture.derivatives {
                copies.push((
                    format!("{folder}{}", d.name),
                    cache.join(&picture.key).join(&d.file),
                    d.cached,
                ));
            }
        }
        copies
    }

    /// The pictures whose copies are still to be made.
    pub fn pending(&self, root: &Path) -> Work {
        let mut items: Vec<WorkItem> = self
            .pictures
            .values()
            .filter(|p| !p.ready)
            .map(|p| WorkItem {
                source: p.source.clone(),
                shown: display_path(root, &p.source),
                format: p.format,
                width: p.width,
                height: p.height,
                key: p.key.clone(),
                targets: p
                    .derivatives
                    .iter()
                    .map(|d| {
                        let target = encode::Target {
                            width: d.width,
                            height: d.height,
                            format: d.format,
                        };
                        (target, d.file.clone())
                    })
                    .collect(),
            })
            .collect();
        items.sort_by(|a, b| a.source.cmp(&b.source));
        Work {
            items,
            cache: self.cache.clone(),
            quality: self.quality,
            memory: self.memory,
        }
    }

    /// The entries of the published paths `changed` made again, as
    /// [`plan`] makes them, from those of `files` (what is published now
    /// at those paths); the other entries stay. With [`Mode::Wait`], the
    /// copies missing are made. Returns the output paths of the copies
    /// published before and no longer, and the warnings; or every error,
    /// and then nothing changed. What `serve` does for the pictures saved.
    pub fn replan(
        &mut self,
        root: &Path,
        config: &ImagesConfig,
        changed: &HashSet<String>,
        files: &[CopyFile],
        mode: Mode,
    ) -> Result<(Vec<String>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let Planned {
            mut catalog,
            mut problems,
            ..
        } = plan_files(root, config, files, false);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        if mode == Mode::Wait {
            let produced = produce(&catalog.pending(root));
            catalog.mark_ready(&produced.done);
            problems.extend(produced.problems);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(problems);
            }
        }
        let paths = |copies: Vec<Copy>| -> HashSet<String> {
            copies.into_iter().map(|(path, ..)| path).collect()
        };
        let before = paths(self.copies_of(changed));
        for path in changed {
            self.pictures.remove(path);
            self.drawings.remove(path);
        }
        self.pictures.extend(catalog.pictures);
        self.drawings.extend(catalog.drawings);
        let now = paths(self.copies_of(changed));
        let mut gone: Vec<String> = before.difference(&now).cloned().collect();
        gone.sort();
        Ok((gone, problems))
    }

    /// Marks the pictures of the entries `keys` as ready.
    pub fn mark_ready(&mut self, keys: &HashSet<String>) {
        for picture in self.pictures.values_mut() {
            if keys.contains(&picture.key) {
                picture.ready = true;
            }
        }
    }

    /// Removes the cache entries no picture of this site uses; returns
    /// how many went.
    pub fn sweep(&self) -> usize {
        let Some(dir) = &self.cache else { return 0 };
        let used = self.pictures.values().map(|p| p.key.clone()).collect();
        cache::Cache::without_index(dir.clone()).sweep(&used)
    }
}

/// Copies to make: plain data, so that it can be sent to another thread.
#[derive(Debug, Clone, Default)]
pub struct Work {
    items: Vec<WorkItem>,
    cache: Option<PathBuf>,
    quality: u8,
    memory: u64,
}

#[derive(Debug, Clone)]
struct WorkItem {
    source: PathBuf,
    shown: PathBuf,
    format: Format,
    width: u32,
    height: u32,
    key: String,
    targets: Vec<(encode::Target, String)>,
}

impl Work {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The source files, to tell a watcher they are done.
    pub fn sources(&self) -> Vec<PathBuf> {
        self.items.iter().map(|i| i.source.clone()).collect()
    }

    /// The cache entries it makes.
    pub fn keys(&self) -> Vec<String> {
        self.items.iter().map(|i| i.key.clone()).collect()
    }

    /// Only the items whose entries are not in `done`.
    pub fn without(mut self, done: &HashSet<String>) -> Work {
        self.items.retain(|item| !done.contains(&item.key));
        self
    }
}

/// What [`produce`] did: counted, so that tests can tell a warm build did
/// no image work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Published images that get copies.
    pub pictures: usize,
    /// Source images decoded.
    pub decoded: usize,
    /// Copies encoded.
    pub encoded: usize,
    /// Source images read whole (hashed, their header probed): those the
    /// cache's index did not know by size, time and inode.
    pub read: usize,
    /// Largest amount of the memory budget in use at once, in bytes.
    pub peak_budget: u64,
}

/// What [`produce`] made and could not make.
#[derive(Debug, Default)]
pub struct Produced {
    pub stats: Stats,
    /// The cache entries now complete.
    pub done: HashSet<String>,
    pub problems: Vec<Diagnostic>,
}

/// What [`plan`] found.
#[derive(Debug, Default)]
pub struct Planned {
    pub catalog: Catalog,
    /// Errors (the build stops) and warnings.
    pub problems: Vec<Diagnostic>,
    /// Sources read whole ([`Stats::read`]).
    pub read: usize,
}

/// Reads what the site's published `files` are and plans their copies.
pub fn plan(root: &Path, config: &ImagesConfig, files: &[CopyFile]) -> Planned {
    plan_files(root, config, files, true)
}

/// Whether the file at `path` is a picture a build reads: a photo it makes
/// copies of, or a drawing it measures and checks.
pub fn is_picture(path: &str) -> bool {
    let extension = extension(path);
    Format::from_extension(extension).is_some() || extension.eq_ignore_ascii_case("svg")
}

/// The errors [`plan`] would find in the pictures at `sources` (a script
/// in a drawing, a damaged or oversized photo), found before anything
/// changes.
pub fn check(root: &Path, config: &ImagesConfig, sources: &[PathBuf]) -> Vec<Diagnostic> {
    let files: Vec<CopyFile> = (sources.iter())
        .filter(|source| source.is_file())
        .map(|source| CopyFile {
            source: source.clone(),
            path: source.to_string_lossy().replace('\\', "/"),
        })
        .collect();
    let planned = plan_files(root, config, &files, false);
    (planned.problems.into_iter())
        .filter(Diagnostic::is_error)
        .collect()
}

/// [`plan`], saving the cache's index of what it read when `files` are
/// every file of the site (the index of a few would forget the others).
fn plan_files(root: &Path, config: &ImagesConfig, files: &[CopyFile], whole: bool) -> Planned {
    let drawings: Vec<(String, Checked)> = files
        .par_iter()
        .filter(|f| extension(&f.path).eq_ignore_ascii_case("svg"))
        .map(|f| (f.path.clone(), check_svg(root, &f.source)))
        .collect();
    let mut planned = Planned::default();
    for (path, checked) in drawings {
        match checked {
            Ok(Some(size)) => {
                planned.catalog.drawings.insert(path, size);
            }
            Ok(None) => {}
            Err(problem) => planned.problems.push(problem),
        }
    }
    if !config.enabled {
        return planned;
    }
    let dir = root.join(&config.cache);
    let cache = cache::Cache::open(dir.clone());
    // Each photo's state in the cache is looked up here too, in parallel:
    // one `stat` each, which a warm build of thousands of photos would
    // otherwise make one after another; and the ids of its copies, from
    // the index (asked for only when the index lacks them).
    let ids_read = AtomicBool::new(false);
    let found: Vec<Result<(Found, Picture, cache::Entry), Diagnostic>> = files
        .par_iter()
        .filter_map(|f| {
            let format = Format::from_extension(extension(&f.path))?;
            Some(read_header(root, config, &cache, f, format).map(|found| {
                let mut picture = picture(config, &found.file, found.known);
                let entry = cache.entry(&picture.key);
                if entry == cache::Entry::Ready {
                    let names: Vec<&str> = (picture.derivatives.iter())
                        .map(|d| d.file.as_str())
                        .collect();
                    if let Some((ids, indexed)) = cache.files(&picture.key, &names) {
                        for (d, id) in picture.derivatives.iter_mut().zip(ids) {
                            d.cached = Some(id);
                        }
                        // The index is written again where it lacked them.
                        if !indexed {
                            ids_read.store(true, Ordering::Relaxed);
                        }
                    }
                }
                (found, picture, entry)
            }))
        })
        .collect();
    let mut index = Vec::new();
    let mut catalog = Catalog {
        drawings: std::mem::take(&mut planned.catalog.drawings),
        cache: Some(dir),
        body_sizes: config.body_sizes.clone(),
        quality: config.quality,
        memory: u64::from(config.memory_mib) << 20,
        ..Catalog::default()
    };
    for result in found {
        let (found, picture, entry) = match result {
            Ok(found) => found,
            Err(problem) => {
                planned.problems.push(problem);
                continue;
            }
        };
        planned.problems.extend(found.warning);
        planned.read += usize::from(found.read);
        let key = index_key(root, &found.file.source).to_path_buf();
        index.push((key, found.stat, found.known));
        match entry {
            cache::Entry::Failed(message) => {
                planned
                    .problems
                    .push(damaged(root, &picture.source, picture.format, &message));
                continue;
            }
            cache::Entry::Ready => {
                let mut picture = picture;
                picture.ready = true;
                catalog.pictures.insert(picture.path.clone(), picture);
            }
            cache::Entry::Missing => {
                catalog.pictures.insert(picture.path.clone(), picture);
            }
        }
    }
    index.sort_by(|a, b| a.0.cmp(&b.0));
    // The index only spares reading files again: a failure to save it
    // costs the next build time, nothing else.
    if whole {
        let with_ids: HashSet<&str> = (catalog.pictures.values())
            .filter(|p| p.derivatives.iter().all(|d| d.cached.is_some()))
            .map(|p| p.key.as_str())
            .collect();
        let unchanged =
            !ids_read.load(Ordering::Relaxed) && with_ids.len() == cache.entries_known();
        let _ = cache.save_index(&index, unchanged, || index_entries(&catalog));
    }
    planned.catalog = catalog;
    planned
}

/// The ids of every entry's copies, for the cache's index, by entry.
fn index_entries(catalog: &Catalog) -> Vec<(String, cache::Files)> {
    let mut entries: Vec<(String, cache::Files)> = (catalog.pictures.values())
        .filter_map(|p| {
            let files = (p.derivatives.iter())
                .map(|d| Some((d.file.clone(), d.cached?)))
                .collect::<Option<cache::Files>>()?;
            Some((p.key.clone(), files))
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
}

fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// A raster file read as far as its header.
struct Found {
    file: CopyFile,
    stat: cache::Stat,
    known: cache::Known,
    /// Read whole: the index did not know it.
    read: bool,
    warning: Option<Diagnostic>,
}

/// A source's name in the cache's index: its path in the site, so that
/// the same site built as `--root .` and as `--root /srv/cong` (or after
/// its folder was moved) finds what it knew instead of reading and
/// hashing every photo again, and writing the index anew for the next
/// build to miss in turn.
fn index_key<'p>(root: &Path, source: &'p Path) -> &'p Path {
    source.strip_prefix(root).unwrap_or(source)
}

fn read_header(
    root: &Path,
    config: &ImagesConfig,
    cache: &cache::Cache,
    file: &CopyFile,
    named: Format,
) -> Result<Found, Diagnostic> {
    let shown = display_path(root, &file.source);
    let unreadable = |err: std::io::Error| {
        Diagnostic::error(format!("cannot read {}: {err}", shown.display())).in_file(&shown)
    };
    let meta = std::fs::metadata(&file.source).map_err(unreadable)?;
    let stat = cache::Stat::of(&meta);
    let mut read = false;
    let known = match cache.known(index_key(root, &file.source), stat) {
        Some(known) => known,
        None => {
            let bytes = std::fs::read(&file.source).map_err(unreadable)?;
            let max_pixels = u64::from(config.max_megapixels) * 1_000_000;
            read = true;
            let header = probe::header(&bytes, max_pixels)
                .map_err(|refusal| refused(&shown, named, refusal, config))?;
            cache::Known {
                hash: xxh3_128(&bytes),
                header,
            }
        }
    };
    let real = known.header.format;
    let warning = (!real.same_kind(named)).then(|| {
        let name = shown
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        Diagnostic::warning(format!(
            "`{name}` is a {} image, though its name says {}",
            real.name(),
            named.name()
        ))
        .in_file(&shown)
        .with_hint(format!(
            "rename it `{stem}.{}` (and the links to it); its copies are made as {}",
            real.extension(),
            real.name()
        ))
    });
    Ok(Found {
        file: file.clone(),
        stat,
        known,
        read,
        warning,
    })
}

/// The plan of one picture: its copies' sizes, names and cache entry.
fn picture(config: &ImagesConfig, file: &CopyFile, known: cache::Known) -> Picture {
    let header = known.header;
    let key = format!(
        "{:032x}",
        xxh3_128(format!("{:032x} {}", known.hash, config.fingerprint()).as_bytes())
    );
    let mut formats = vec![header.format];
    if config.webp {
        match header.format {
            Format::Jpeg => formats.push(Format::Webp),
            Format::Png => formats.push(Format::WebpLossless),
            Format::Webp | Format::WebpLossless => {}
        }
    }
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut derivatives = Vec::new();
    for width in config.widths_for(header.width) {
        let height = ((u64::from(header.height) * u64::from(width) + u64::from(header.width) / 2)
            / u64::from(header.width))
        .max(1) as u32;
        for &format in &formats {
            derivatives.push(Derivative {
                name: format!("{stem}-{width}w-{}.{}", &key[..8], format.extension()),
                width,
                height,
                format,
                file: format!("{width}.{}", format.extension()),
                cached: None,
            });
        }
    }
    Picture {
        source: file.source.clone(),
        path: file.path.clone(),
        format: header.format,
        width: header.width,
        height: header.height,
        key,
        derivatives,
        ready: false,
    }
}

fn refused(
    shown: &Path,
    named: Format,
    refusal: probe::Refusal,
    config: &ImagesConfig,
) -> Diagnostic {
    let name = shown.display();
    match refusal {
        probe::Refusal::NotAnImage { found } => {
            let looks = found.map_or_else(String::new, |kind| {
                format!(" (it looks like a {} file)", kind.to_uppercase())
            });
            Diagnostic::error(format!(
                "{name} is not a JPEG, PNG or WebP image{looks}, though its name says {}",
                named.name()
            ))
            .in_file(shown)
            .with_hint(
                "save photos as JPEG and screenshots as PNG; a document belongs in a link (`[Tải về](van-ban.pdf)`), not an image",
            )
        }
        probe::Refusal::Corrupt(err) => damaged(Path::new(""), shown, named, &err),
        probe::Refusal::TooLarge { width, height } => Diagnostic::error(format!(
            "{name} declares {width} × {height} pixels ({} megapixels), more than `images.max_megapixels` ({}): it is not decoded",
            u64::from(width) * u64::from(height) / 1_000_000,
            config.max_megapixels
        ))
        .in_file(shown)
        .with_hint(
            "resize the photo to a few thousand pixels wide before uploading; if it is genuine, raise `images.max_megapixels` in config.yaml",
        ),
    }
}

/// An image whose data cannot be decoded.
fn damaged(root: &Path, source: &Path, format: Format, err: &str) -> Diagnostic {
    let shown = display_path(root, source);
    Diagnostic::error(format!(
        "{} cannot be read as a {} image: {err}",
        shown.display(),
        format.name()
    ))
    .in_file(&shown)
    .with_hint("the file may be cut short or damaged: copy or export it again from the original")
}

/// An SVG's size as drawn (`None` when it does not say), or why it is
/// not published.
type Checked = Result<Option<(u32, u32)>, Diagnostic>;

/// [`check_svg`], for a session that reads a saved SVG again.
pub fn measure_svg(root: &Path, source: &Path) -> Checked {
    check_svg(root, source)
}

fn check_svg(root: &Path, source: &Path) -> Checked {
    let shown = display_path(root, source);
    let text = match std::fs::read(source) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) => {
            return Err(
                Diagnostic::error(format!("cannot read {}: {err}", shown.display()))
                    .in_file(&shown),
            );
        }
    };
    let Some(finding) = svg::check(&text) else {
        return Ok(svg::size(&text));
    };
    Err(
        Diagnostic::error(finding.message)
            .in_file(&shown)
            .at(&text, finding.line, finding.column)
            .with_hint(
                "SVGs are published only without scripts: remove it, or export the drawing again as a plain SVG (or PNG)",
            ),
    )
}

/// Makes the copies of `work` in the cache: in parallel, within its
/// memory budget.
pub fn produce(work: &Work) -> Produced {
    let Some(dir) = work.cache.as_ref().filter(|_| !work.items.is_empty()) else {
        return Produced::default();
    };
    let cache = cache::Cache::without_index(dir.clone());
    let budget = budget::Budget::new(work.memory);
    let results: Vec<Result<(String, usize), Diagnostic>> = work
        .items
        .par_iter()
        .map(|item| make(item, &cache, &budget, work))
        .collect();
    let mut produced = Produced::default();
    for result in results {
        match result {
            Ok((key, encoded)) => {
                produced.stats.decoded += 1;
                produced.stats.encoded += encoded;
                produced.done.insert(key);
            }
            Err(problem) => produced.problems.push(problem),
        }
    }
    produced.stats.peak_budget = budget.peak();
    produced
}

fn make(
    item: &WorkItem,
    cache: &cache::Cache,
    budget: &budget::Budget,
    work: &Work,
) -> Result<(String, usize), Diagnostic> {
    let cannot = |what: &str, err: std::io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {err}", item.shown.display()))
            .in_file(&item.shown)
    };
    // Decoded pixels (4 bytes each at most), and room for the copies.
    let pixels = u64::from(item.width) * u64::from(item.height);
    let _share = budget.take(pixels * 4 + (16 << 20));
    let bytes = std::fs::read(&item.source).map_err(|err| cannot("read", err))?;
    let targets: Vec<encode::Target> = item.targets.iter().map(|(t, _)| *t).collect();
    match encode::derive(
        &bytes,
        item.format,
        &targets,
        work.quality,
        work.memory.max(1 << 26),
    ) {
        Ok(encoded) => {
            let files: Vec<(String, Vec<u8>)> = item
                .targets
                .iter()
                .map(|(_, file)| file.clone())
                .zip(encoded)
                .collect();
            let count = files.len();
            cache
                .store(&item.key, &files)
                .map_err(|err| cannot("keep the copies of", err))?;
            Ok((item.key.clone(), count))
        }
        Err(err) => {
            // Only a fault of the file: the same bytes fail the same way.
            let _ = cache.store_failure(&item.key, &err);
            Err(damaged(Path::new(""), &item.shown, item.format, &err))
        }
    }
}

/// The images stage of a build: [`plan`], then in [`Mode::Wait`]
/// [`produce`] what the cache lacks. Returns the catalog, the warnings and
/// what was done; or every error.
pub fn prepare(
    root: &Path,
    config: &ImagesConfig,
    files: &[CopyFile],
    mode: Mode,
) -> Result<(Catalog, Vec<Diagnostic>, Stats), Vec<Diagnostic>> {
    let Planned {
        mut catalog,
        mut problems,
        read,
    } = plan(root, config, files);
    let mut stats = Stats::default();
    if mode == Mode::Wait && !problems.iter().any(Diagnostic::is_error) {
        let produced = produce(&catalog.pending(root));
        catalog.mark_ready(&produced.done);
        problems.extend(produced.problems);
        stats = produced.stats;
    }
    stats.pictures = catalog.len();
    stats.read = read;
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok((catalog, problems, stats))
}

#[cfg(test)]
mod tests {
    use super::by_site_path;
    use std::collections::HashMap;

    /// A body may link a photo by its name as written or percent-encoded
    /// (`ảnh lễ.jpg` as `%E1%BA%A3nh%20l%E1%BB%85.jpg`); both find it.
    #[test]
    fn site_paths_find_entries_encoded_or_not() {
        let map: HashMap<String, u32> = [
            ("tin-tuc/a/ảnh lễ.jpg".to_string(), 1),
            ("anh/b.jpg".to_string(), 2),
        ]
        .into();
        assert_eq!(by_site_path(&map, "/anh/b.jpg"), Some(&2));
        assert_eq!(by_site_path(&map, "/tin-tuc/a/ảnh lễ.jpg"), Some(&1));
        assert_eq!(
            by_site_path(&map, "/tin-tuc/a/%E1%BA%A3nh%20l%E1%BB%85.jpg"),
            Some(&1)
        );
        assert_eq!(by_site_path(&map, "/anh/%62.jpg"), Some(&2));
        assert_eq!(by_site_path(&map, "/anh/c.jpg"), None);
        assert_eq!(by_site_path(&map, "anh/b.jpg"), None);
        assert_eq!(by_site_path(&map, "/anh/%FF.jpg"), None);
    }
}
