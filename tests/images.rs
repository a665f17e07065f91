//! Photos: every JPEG, PNG and WebP a site publishes gets smaller copies in
//! WebP and its own format, shown through `<picture>`; the copies are kept
//! in a cache outside the output, so a warm build makes none; bad images
//! are reported, never a panic.

mod common;

use std::fs;
use std::path::Path;

use common::pictures::{jpeg, srcset};
use common::{TestSite, render_errors};
use gazette::BuildOptions;
use gazette::images::Mode;

fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [200, (i % 256) as u8, 30, if i % 2 == 0 { 255 } else { 100 }])
        .collect();
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &pixels,
        width,
        height,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
    out
}

fn put(site: &TestSite, path: &str, bytes: &[u8]) {
    let path = site.root().join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A site with a bundle article whose lead photo is `anh.jpg` and whose
/// body shows `than.jpg` with a caption.
fn photo_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Cuộc họp\ndate: 2024-05-01\ncategory: chuyen-doi-so\nfeatured: true\n\
         image: { src: anh.jpg, alt: \"Toàn cảnh cuộc họp\", caption: \"Toàn cảnh.\" }\n---\n\
         Mở đầu.\n\n![Đại biểu phát biểu](than.jpg)\n*Đại biểu phát biểu.*\n\n\
         Ảnh trong dòng ![nhỏ](than.jpg) đây.\n",
    );
    put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(1600, 900, 1, true),
    );
    // Stored sideways by a phone, flagged to be shown turned: 900 × 1600 shown.
    put(
        &site,
        "content/tin-tuc/hop/than.jpg",
        &jpeg(1600, 900, 6, true),
    );
    site
}

fn decode(path: &Path) -> (image::ImageFormat, u32, u32) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = image::guess_format(&bytes).unwrap();
    let image = image::load_from_memory(&bytes).unwrap();
    (format, image.width(), image.height())
}

#[test]
fn photos_get_copies_at_each_width_in_webp_and_their_own_format() {
    let site = photo_site();
    let report = site.build();
    assert_eq!(report.images.pictures, 2);
    assert_eq!(report.images.decoded, 2);
    // anh.jpg: 360, 720, 1200 (1600 wide: no copy wider); than.jpg is 900
    // wide upright: 360, 720, 900. Each in JPEG and WebP.
    assert_eq!(report.images.encoded, 12);

    let page = site.html("/tin-tuc/hop/");
    let lead = "figure.lead-figure picture";
    assert_eq!(page.attr(&format!("{lead} source"), "type"), "image/webp");
    let webp = srcset(&page.attr(&format!("{lead} source"), "srcset"));
    let jpegs = srcset(&page.attr(&format!("{lead} img"), "srcset"));
    assert_eq!(
        webp.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [360, 720, 1200]
    );
    for ((url, width), format) in webp
        .iter()
        .map(|c| (c, image::ImageFormat::WebP))
        .chain(jpegs.iter().map(|c| (c, image::ImageFormat::Jpeg)))
        .map(|((u, w), f)| ((u.clone(), *w), f))
    {
        let (found, w, h) = decode(&site.file(&url));
        assert_eq!((found, w), (format, width), "{url}");
        assert_eq!(h, (900 * width + 800) / 1600, "{url} keeps the shape");
    }
    let img = format!("{lead} img");
    assert_eq!(page.attr(&img, "alt"), "Toàn cảnh cuộc họp");
    let fallback = page.attr(&img, "src");
    let (_, w, h) = decode(&site.file(&fallback));
    assert_eq!(
        (page.attr(&img, "width"), page.attr(&img, "height")),
        (w.to_string(), h.to_string()),
        "width and height are the fallback's real size"
    );
    assert!(page.attr(&img, "sizes").contains("100vw"));
    assert_eq!(page.text("figure.lead-figure figcaption"), "Toàn cảnh.");
    // The lead is the first thing seen: loaded at once, not lazily.
    assert_eq!(page.attrs(&img, "loading"), Vec::<String>::new());

    // Open Graph: the 1200 px JPEG, by its full address.
    let og = page.attr("meta[property='og:image']", "content");
    assert!(
        og.starts_with("https://example.gov.vn/tin-tuc/hop/anh-1200w-"),
        "{og}"
    );
    assert_eq!(
        page.attr("meta[property='og:image:width']", "content"),
        "1200"
    );
    assert_eq!(
        page.attr("meta[property='og:image:height']", "content"),
        "675"
    );

    // In the body: a figure with its caption, and the inline image, both
    // through <picture>, lazily.
    let body = ".article-body figure.figure picture img";
    assert_eq!(page.attr(body, "alt"), "Đại biểu phát biểu");
    assert_eq!(page.attr(body, "loading"), "lazy");
    assert_eq!(
        page.text(".article-body figure.figure figcaption"),
        "Đại biểu phát biểu."
    );
    assert_eq!(page.count(".article-body p picture img[alt='nhỏ']"), 1);
    let (_, w, h) = decode(
        &site
            .root()
            .join("public/tin-tuc/hop")
            .join(page.attr(body, "src")),
    );
    assert!(h > w, "the sideways photo is shown upright: {w} × {h}");

    // The original stays published as uploaded, for a download link.
    assert_eq!(
        fs::read(site.file("/tin-tuc/hop/anh.jpg")).unwrap(),
        fs::read(site.root().join("content/tin-tuc/hop/anh.jpg")).unwrap()
    );

    // Cards use the small copies with their own sizes.
    let home = site.html("/");
    let card = home.attr(".card-lead picture.card-image img", "srcset");
    assert!(srcset(&card).iter().any(|(_, w)| *w == 360), "{card}");
    assert!(
        home.attr(".card-lead picture.card-image img", "sizes")
            .contains("100vw")
    );
    // The lead story's picture is above the fold: fetched first, not lazy.
    assert_eq!(home.attr(".card-lead img", "fetchpriority"), "high");
    assert_eq!(home.count(".card-lead img[loading]"), 0);
    let size = |a: &str| home.attr(".card-lead img", a).parse::<u32>().unwrap();
    assert_eq!(
        size("width") * 9,
        size("height") * 16,
        "its real proportions"
    );
}

#[test]
fn copies_are_upright_and_carry_no_metadata() {
    let site = photo_site();
    site.build();
    let folder = site.public().join("tin-tuc/hop");
    let copies: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("than-")
        })
        .collect();
    assert_eq!(copies.len(), 6);
    for copy in copies {
        let bytes = fs::read(&copy).unwrap();
        let (_, w, h) = decode(&copy);
        assert!(h > w, "{}: {w} × {h}", copy.display());
        for marker in [&b"Exif"[..], b"EXIF", b"GPS", b"II*\0"] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker),
                "{} holds {:?}",
                copy.display(),
                String::from_utf8_lossy(marker)
            );
        }
    }
}

#[test]
fn a_warm_build_makes_no_copies_and_writes_the_same_site() {
    let site = photo_site();
    site.build();
    let first = site.snapshot();
    let report = site.build();
    assert_eq!((report.images.decoded, report.images.encoded), (0, 0));
    assert_eq!(report.images.pictures, 2);
    assert_eq!(site.snapshot(), first);

    // A new photo in place of one: only it is made again.
    put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(1000, 500, 1, false),
    );
    let report = site.build();
    assert_eq!((report.images.decoded, report.images.encoded), (1, 6));
    let page = site.html("/tin-tuc/hop/");
    let widths: Vec<u32> = srcset(&page.attr("figure.lead-figure img", "srcset"))
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    assert_eq!(widths, [360, 720, 1000], "never wider than the photo");

    // Other settings are other copies.
    let config = fs::read_to_string(site.root().join("config.yaml")).unwrap();
    site.write("config.yaml", &format!("{config}images:\n  quality: 60\n"));
    let report = site.build();
    assert_eq!(report.images.decoded, 2);
}

/// A warm build reads no photo, whichever way the site's folder is
/// written: the cache's index knows its photos by their path in the site,
/// not by the path the build was given.
#[test]
fn a_warm_build_reads_no_photo_however_the_root_is_written() {
    let site = photo_site();
    assert_eq!(site.build().images.read, 2);
    assert_eq!(site.build().images.read, 0);
    let mut options = site.options();
    options.root = site.root().join(".");
    let report = site.build_with(options).unwrap();
    assert_eq!((report.images.read, report.images.decoded), (0, 0));
    assert_eq!(site.build().images.read, 0);
    let index = fs::read_to_string(site.root().join(".gazette-cache/images/index.tsv")).unwrap();
    let mut keys: Vec<&str> = (index.lines())
        .filter(|l| !l.starts_with('\t'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "content/tin-tuc/hop/anh.jpg",
            "content/tin-tuc/hop/than.jpg"
        ]
    );

    // A photo replaced is read again, and only it.
    put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(1000, 500, 1, false),
    );
    assert_eq!(site.build().images.read, 1);
}

/// The cache's index keeps the device and inode of each entry's copies,
/// by which the next build keeps the spare tree's links to them without
/// asking for each: they are the cache's files, and the published copies
/// are those files.
#[test]
fn the_index_knows_the_copies_a_rebuild_keeps() {
    use std::os::unix::fs::MetadataExt;
    let site = photo_site();
    site.build();
    site.build();
    let dir = site.root().join(".gazette-cache/images");
    let index = fs::read_to_string(dir.join("index.tsv")).unwrap();
    let entries: Vec<&str> = index.lines().filter(|l| l.starts_with('\t')).collect();
    assert_eq!(entries.len(), 2, "{index}");
    let mut cached = std::collections::HashSet::new();
    for line in entries {
        let mut parts = line[1..].split('\t');
        let key = parts.next().unwrap();
        let files: Vec<&str> = parts.collect();
        assert_eq!(files.len(), 6, "{line}");
        for file in files {
            let (name, id) = file.split_once('=').unwrap();
            let meta = fs::metadata(dir.join(key).join(name)).unwrap();
            assert_eq!(id, format!("{}.{}", meta.dev(), meta.ino()));
            cached.insert((meta.dev(), meta.ino()));
        }
    }
    let before = site.snapshot();
    site.build();
    assert_eq!(site.snapshot(), before);
    let copies: Vec<_> = fs::read_dir(site.root().join("public/tin-tuc/hop"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().contains("w-"))
        .collect();
    assert_eq!(copies.len(), 12);
    for copy in copies {
        let meta = copy.metadata().unwrap();
        assert!(cached.contains(&(meta.dev(), meta.ino())), "{copy:?}");
    }
}

/// A photo named with spaces and a comma, as editors name them, gets a
/// `srcset` a browser can read: each candidate is one URL and one width
/// (white space and commas would end the URL), and each URL is a copy.
#[test]
fn photos_named_with_spaces_get_a_readable_srcset() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/le/index.md",
        "---\ntitle: Lễ ra mắt\ndate: 2024-05-01\ncategory: chuyen-doi-so\n\
         image: { src: \"ảnh lễ, 2024.jpg\", alt: \"Lễ ra mắt\" }\n---\n\
         Mở đầu.\n\n![Đại biểu](<ảnh lễ, 2024.jpg>)\n",
    );
    put(
        &site,
        "content/tin-tuc/le/ảnh lễ, 2024.jpg",
        &jpeg(1600, 900, 1, false),
    );
    site.build();
    let page = site.html("/tin-tuc/le/");
    let mut seen = 0;
    for (selector, attribute) in [("picture source", "srcset"), ("picture img", "srcset")] {
        for text in page.attrs(selector, attribute) {
            for candidate in text.split(',') {
                let tokens: Vec<&str> = candidate.split_ascii_whitespace().collect();
                assert_eq!(tokens.len(), 2, "{candidate:?} in {text:?}");
                assert!(tokens[1].ends_with('w'), "{candidate:?}");
                let url = percent_encoding::percent_decode_str(tokens[0])
                    .decode_utf8()
                    .unwrap();
                let file = match url.strip_prefix('/') {
                    Some(path) => site.public().join(path),
                    None => site.public().join("tin-tuc/le").join(url.as_ref()),
                };
                assert!(file.is_file(), "{} is not a copy", file.display());
                seen += 1;
            }
        }
    }
    // Lead and body: 3 widths in WebP and JPEG each.
    assert_eq!(seen, 12);
}

/// A build that leaves out a scheduled item keeps its photo's copies: the
/// build that publishes it (`--drafts`, or another build of the site at
/// the same moment, linking them) still needs them.
#[test]
fn copies_of_a_scheduled_items_photo_are_not_swept_by_a_build_without_it() {
    let site = photo_site();
    site.write(
        "content/tin-tuc/sap-dang/index.md",
        "---\ntitle: Sắp đăng\ndate: 2999-01-01\ncategory: chuyen-doi-so\n\
         image: { src: anh.jpg, alt: \"Ảnh\" }\n---\nSau này.\n",
    );
    put(
        &site,
        "content/tin-tuc/sap-dang/anh.jpg",
        &jpeg(900, 600, 1, false),
    );
    let report = site
        .build_with(BuildOptions {
            drafts: true,
            ..site.options()
        })
        .unwrap();
    assert_eq!(report.images.pictures, 3);
    let cache = site.root().join(".gazette-cache/images");
    let entries = || {
        fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.len() == 32)
            .count()
    };
    assert_eq!(entries(), 3);
    let report = site.build();
    assert_eq!(report.images.pictures, 2, "the scheduled item is left out");
    assert_eq!(entries(), 3, "and its copies kept");
    let report = site
        .build_with(BuildOptions {
            drafts: true,
            ..site.options()
        })
        .unwrap();
    assert_eq!(report.images.encoded, 0, "nothing made again");
}

#[test]
fn the_cache_is_outside_the_output_and_only_its_own_files_are_swept() {
    let site = photo_site();
    site.build();
    let cache = site.root().join(".gazette-cache/images");
    assert_eq!(fs::read_to_string(cache.join(".gitignore")).unwrap(), "*\n");
    assert!(!site.public().join(".gazette-cache").exists());
    let entries = |cache: &Path| {
        fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.len() == 32)
            .count()
    };
    assert_eq!(entries(&cache), 2);
    // Someone else's files in the cache folder, and in an entry.
    fs::write(cache.join("ghi-chu.txt"), "của tôi").unwrap();
    let entry = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().len() == 32)
        .unwrap();
    fs::write(entry.join("ghi-chu.txt"), "của tôi").unwrap();

    // Both photos replaced: their old entries are no longer used.
    put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(800, 400, 1, false),
    );
    put(
        &site,
        "content/tin-tuc/hop/than.jpg",
        &jpeg(700, 400, 1, false),
    );
    site.build();
    assert_eq!(
        fs::read_to_string(cache.join("ghi-chu.txt")).unwrap(),
        "của tôi"
    );
    assert_eq!(
        fs::read_to_string(entry.join("ghi-chu.txt")).unwrap(),
        "của tôi"
    );
    let left: Vec<_> = fs::read_dir(&entry)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["ghi-chu.txt"],
        "only Gazette's files of a stale entry go"
    );
    assert_eq!(
        entries(&cache),
        3,
        "two new entries and the one kept for its foreign file"
    );
}

#[test]
fn screenshots_keep_their_alpha_and_get_lossless_webp() {
    let site = TestSite::new();
    site.article(
        "a",
        "title: Bài\ndate: 2024-01-01\ncategory: chuyen-doi-so",
        "![Ảnh chụp màn hình](/anh/man-hinh.png)\n",
    );
    put(&site, "content/anh/man-hinh.png", &png(500, 300));
    site.build();
    let page = site.html("/tin-tuc/a/");
    let webp = page.attr("picture source", "srcset");
    let (url, width) = srcset(&webp).pop().unwrap();
    assert_eq!(width, 500);
    let bytes = fs::read(site.file(&url)).unwrap();
    let image = image::load_from_memory(&bytes).unwrap();
    assert!(image.color().has_alpha());
    assert_eq!(
        image.to_rgba8().get_pixel(1, 0).0,
        [200, 1, 30, 100],
        "lossless"
    );
    let png_copy = srcset(&page.attr("picture img", "srcset")).pop().unwrap().0;
    assert_eq!(decode(&site.file(&png_copy)).0, image::ImageFormat::Png);
}

#[test]
fn images_can_be_published_as_they_are() {
    let site = photo_site();
    let config = fs::read_to_string(site.root().join("config.yaml")).unwrap();
    site.write(
        "config.yaml",
        &format!("{config}images:\n  enabled: false\n"),
    );
    let report = site.build();
    assert_eq!(report.images.pictures, 0);
    let page = site.html("/tin-tuc/hop/");
    assert_eq!(page.count("picture"), 0);
    assert_eq!(
        page.attr("figure.lead-figure img", "src"),
        "/tin-tuc/hop/anh.jpg"
    );
}

#[test]
fn decoding_stays_within_the_memory_budget() {
    let site = TestSite::new();
    let config = fs::read_to_string(site.root().join("config.yaml")).unwrap();
    site.write(
        "config.yaml",
        &format!("{config}images:\n  memory_mib: 64\n"),
    );
    for n in 0..6 {
        put(
            &site,
            &format!("content/anh/{n}.jpg"),
            &jpeg(1500, 1000 + n, 1, false),
        );
    }
    let report = site.build();
    assert_eq!(report.images.decoded, 6);
    // Each takes 1500 × 1000 × 4 bytes and 16 MiB for its copies: three fit.
    assert!(
        report.images.peak_budget <= 64 << 20,
        "{}",
        report.images.peak_budget
    );
    assert!(report.images.peak_budget >= 22 << 20);
}

#[test]
fn copies_can_be_left_for_later_and_pages_show_the_original_meanwhile() {
    let site = photo_site();
    let options = gazette::BuildOptions {
        images: Mode::Later,
        ..site.options()
    };
    let report = site.build_with(options.clone()).unwrap();
    assert_eq!(report.images.encoded, 0);
    let page = site.html("/tin-tuc/hop/");
    assert_eq!(page.count("picture"), 0);
    let img = page.attr("figure.lead-figure img", "src");
    assert_eq!(img, "/tin-tuc/hop/anh.jpg");
    assert!(site.exists(&img));
    // Their sizes are known already: nothing moves when the copies come.
    assert_eq!(page.attr("figure.lead-figure img", "width"), "1600");
    assert_eq!(page.attr("figure.lead-figure img", "height"), "900");
    assert_eq!(page.attrs(".article-body img", "width"), ["900", "900"]);
    assert_eq!(page.attrs(".article-body img", "height"), ["1600", "1600"]);
    // Made later, the next build shows them without making any.
    site.build();
    let later = site.build_with(options).unwrap();
    assert_eq!(later.images.decoded, 0);
    assert_eq!(site.html("/tin-tuc/hop/").count("picture"), 2 + 1);
}

// --- bad images ---------------------------------------------------------------------------

/// Builds `site` after a good build, expecting it to fail: the messages,
/// with the published site untouched.
fn fails(site: &TestSite) -> String {
    let before = site.snapshot();
    let err = site.try_build().expect_err("the build should fail");
    assert_eq!(site.snapshot(), before, "public/ is left as it was");
    render_errors(&err)
}

fn good_site() -> TestSite {
    let site = TestSite::with_good_article();
    site.build();
    site
}

#[test]
fn a_photo_cut_short_is_an_error_naming_it() {
    let site = good_site();
    let whole = jpeg(800, 600, 1, false);
    put(&site, "content/anh/cat.jpg", &whole[..whole.len() * 2 / 3]);
    let errors = fails(&site);
    assert!(errors.contains("content/anh/cat.jpg"), "{errors}");
    assert!(errors.contains("cut short"), "{errors}");
}

#[test]
fn a_damaged_image_is_an_error_and_is_not_decoded_twice() {
    let site = good_site();
    // A sound header, then image data that is not there.
    put(&site, "content/anh/hong.png", &png_declaring(400, 300));
    let first = fails(&site);
    assert!(first.contains("content/anh/hong.png"), "{first}");
    assert!(first.contains("cannot be read as a PNG image"), "{first}");
    // Reported again from the cache's note, the same way.
    assert_eq!(fails(&site), first);
    let notes = walkdir::WalkDir::new(site.root().join(".gazette-cache"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_name() == "failed")
        .count();
    assert_eq!(notes, 1);
}

#[test]
fn a_file_whose_name_lies_is_a_warning_and_gets_copies_of_what_it_is() {
    let site = TestSite::with_good_article();
    put(&site, "content/anh/chup.jpg", &png(500, 250));
    let report = site.build();
    let warning = report
        .warnings
        .iter()
        .map(ToString::to_string)
        .find(|w| w.contains("chup.jpg"))
        .expect("a warning");
    assert!(warning.contains("is a PNG image"), "{warning}");
    assert!(warning.contains("chup.png"), "{warning}");
    assert_eq!(report.images.encoded, 4);
    let pngs = fs::read_dir(site.public().join("anh"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_str()
                .unwrap()
                .ends_with(".png")
        })
        .count();
    assert_eq!(pngs, 2);
}

#[test]
fn a_document_named_as_a_photo_is_an_error() {
    let site = good_site();
    put(&site, "content/anh/van-ban.jpg", b"%PDF-1.7\n...");
    let errors = fails(&site);
    assert!(
        errors.contains("van-ban.jpg is not a JPEG, PNG or WebP image"),
        "{errors}"
    );
    assert!(errors.contains("PDF"), "{errors}");
}

/// A PNG that declares `width` × `height` pixels and holds almost none.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_decoded() {
    let site = good_site();
    put(&site, "content/anh/bom.png", &png_declaring(50_000, 50_000));
    let started = std::time::Instant::now();
    let errors = fails(&site);
    assert!(errors.contains("content/anh/bom.png"), "{errors}");
    assert!(
        errors.contains("50000 × 50000 pixels (2500 megapixels)"),
        "{errors}"
    );
    assert!(errors.contains("images.max_megapixels"), "{errors}");
    // Not a speed target: a decoded bomb would take minutes and 7 GB.
    assert!(started.elapsed().as_secs() < 30);
}

/// An SVG gets no copies, but its `width` and `height` (from its own, or
/// its `viewBox`), as a lead image and in a body, so nothing moves while
/// a page loads.
#[test]
fn drawings_are_shown_at_their_own_size() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/so-do/index.md",
        "---\ntitle: Sơ đồ tổ chức\ndate: 2024-05-01\ncategory: chuyen-doi-so\n\
         image: { src: so-do.svg, alt: \"Sơ đồ tổ chức\" }\n---\n\
         Mở đầu.\n\n![Quy trình](quy-trinh.svg)\n",
    );
    site.write(
        "content/tin-tuc/so-do/so-do.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"360\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    site.write(
        "content/tin-tuc/so-do/quy-trinh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 500\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    site.build();
    let page = site.html("/tin-tuc/so-do/");
    assert_eq!(page.attr("figure.lead-figure img", "width"), "640");
    assert_eq!(page.attr("figure.lead-figure img", "height"), "360");
    assert_eq!(page.attr(".article-body img", "src"), "quy-trinh.svg");
    assert_eq!(page.attr(".article-body img", "width"), "300");
    assert_eq!(page.attr(".article-body img", "height"), "500");
    assert_eq!(page.attr(".article-body img", "alt"), "Quy trình");
    assert_eq!(page.count("picture"), 0);
}

#[test]
fn an_svg_with_a_script_is_an_error_at_its_line() {
    let site = good_site();
    site.write(
        "content/anh/so-do.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <circle r=\"4\"/>\n  <script>fetch('/x')</script>\n</svg>\n",
    );
    let errors = fails(&site);
    assert!(errors.contains("content/anh/so-do.svg:3:3"), "{errors}");
    assert!(errors.contains("`<script>`"), "{errors}");
    site.write(
        "content/anh/so-do.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\" onclick=\"x()\"/></svg>",
    );
    assert!(fails(&site).contains("onclick"));
    site.write(
        "content/anh/so-do.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>",
    );
    site.build();
    assert!(
        site.exists("/anh/so-do.svg"),
        "a plain drawing is published as it is"
    );
}
