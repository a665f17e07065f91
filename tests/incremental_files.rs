//! The content's files that are not Markdown, under `serve`: the content's
//! own files (in no bundle) and photos, in bundles or not, new, replaced
//! and deleted, each rebuilt without a whole build, and each step compared
//! file by file with a whole build of the same files.

mod common;

use std::fs;
use std::path::PathBuf;

use common::pictures::jpeg;
use common::session::{differences, open, rebuild};
use common::{TestSite, render_errors};

fn put(site: &TestSite, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = site.root().join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn assert_rebuilt_alone(site: &TestSite, report: &gazette::RebuildReport, step: &str) {
    assert!(!report.full, "{step}: {report:?}");
    let d = differences(site);
    assert!(
        d.is_empty(),
        "{step}: not as a whole build writes it: {d:?}"
    );
}

/// A file of the content's own is published, replaced and taken out; a
/// new one on a page's address is an error that writes nothing; one that
/// leads out of the site is refused.
#[test]
fn the_contents_own_files_come_change_and_go() {
    let site = TestSite::new();
    site.article(
        "a",
        "title: Bài a\ndate: 2021-03-01\ncategory: chuyen-doi-so",
        "[Mẫu đơn](/bieu-mau/don.txt)\n",
    );
    let mut session = open(&site);

    let form = put(&site, "content/bieu-mau/don.txt", b"Don 1\n");
    let report = rebuild(&mut session, std::slice::from_ref(&form));
    assert_rebuilt_alone(&site, &report, "a new file");
    assert_eq!(
        fs::read(site.public().join("bieu-mau/don.txt")).unwrap(),
        b"Don 1\n"
    );

    put(&site, "content/bieu-mau/don.txt", b"Don 2\n");
    let report = rebuild(&mut session, std::slice::from_ref(&form));
    assert_rebuilt_alone(&site, &report, "the file replaced");
    assert_eq!(report.changed, ["bieu-mau/don.txt"]);

    fs::remove_file(&form).unwrap();
    let report = rebuild(&mut session, std::slice::from_ref(&form));
    assert_rebuilt_alone(&site, &report, "the file deleted");
    assert!(
        !site.public().join("bieu-mau").exists(),
        "its folder went with it"
    );

    // On the address of the article's page.
    let before = common::tree(&site.public());
    let clash = put(&site, "content/tin-tuc/a/index.html", b"<p>x</p>");
    let err = session
        .rebuild(std::slice::from_ref(&clash))
        .expect_err("two outputs on one path");
    assert!(
        render_errors(&err).contains("tin-tuc/a/index.html"),
        "{}",
        render_errors(&err)
    );
    assert!(common::tree(&site.public()) == before, "nothing written");
    fs::remove_dir_all(site.root().join("content/tin-tuc/a")).unwrap();
    rebuild(&mut session, &[clash]);

    // A link to a file outside the site's folder.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("mat.txt"), "secret").unwrap();
    let link = site.root().join("content/bieu-mau/mat.txt");
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(outside.path().join("mat.txt"), &link).unwrap();
    let err = session
        .rebuild(std::slice::from_ref(&link))
        .expect_err("a file outside the site published");
    assert!(
        render_errors(&err).contains("outside the site"),
        "{}",
        render_errors(&err)
    );
    assert!(!site.public().join("bieu-mau/mat.txt").exists());
}

/// A photo of a bundle, new, replaced by one of another size, and deleted:
/// its copies are made and published, the pages that show it (its own,
/// the lists it leads and a page whose body shows it from elsewhere) are
/// rendered again, and the copies of the old one are taken out.
#[test]
fn a_photo_saved_reaches_every_page_that_shows_it() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Cuộc họp\ndate: 2024-05-01\ncategory: chuyen-doi-so\n\
         image: { src: anh.jpg, alt: \"Toàn cảnh\" }\n---\nMở đầu.\n",
    );
    site.article(
        "khac",
        "title: Bài khác\ndate: 2024-04-01\ncategory: chuyen-doi-so",
        "![Toàn cảnh](/tin-tuc/hop/anh.jpg)\n",
    );
    let mut session = open(&site);
    let copies = |site: &TestSite| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(site.public().join("tin-tuc/hop"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("anh-"))
            .collect();
        names.sort();
        names
    };

    let photo = put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(1600, 900, 1, false),
    );
    let report = rebuild(&mut session, std::slice::from_ref(&photo));
    assert_rebuilt_alone(&site, &report, "a new photo");
    let first = copies(&site);
    assert!(!first.is_empty(), "copies published");
    let other = |site: &TestSite| fs::read(site.public().join("tin-tuc/khac/index.html")).unwrap();
    let shown = other(&site);
    assert!(
        !site
            .html("/tin-tuc/khac/")
            .attrs(".article-body picture source", "srcset")
            .is_empty(),
        "the other page shows the copies"
    );

    put(
        &site,
        "content/tin-tuc/hop/anh.jpg",
        &jpeg(800, 600, 1, false),
    );
    let report = rebuild(&mut session, std::slice::from_ref(&photo));
    assert_rebuilt_alone(&site, &report, "the photo replaced");
    assert_eq!(
        site.html("/tin-tuc/khac/")
            .attr(".article-body img", "width"),
        "800"
    );
    assert!(
        other(&site) != shown,
        "the other page follows the new photo"
    );
    assert!(copies(&site) != first, "the old copies are gone");

    // Gone: the pages show the bare link, as a whole build makes them.
    fs::remove_file(&photo).unwrap();
    let report = rebuild(&mut session, std::slice::from_ref(&photo));
    assert_rebuilt_alone(&site, &report, "the photo deleted");
    assert!(
        copies(&site).is_empty(),
        "no copy left: {:?}",
        copies(&site)
    );
}

/// A photo in no bundle, shown by a page as its lead image: new and
/// replaced, it reaches the page and the lists it is on.
#[test]
fn a_photo_of_the_contents_own_reaches_the_lists() {
    let site = TestSite::new();
    for n in 1..=4 {
        site.article(
            &format!("b{n}"),
            &format!("title: Bài {n}\ndate: 2024-05-0{n}\ncategory: chuyen-doi-so"),
            "Thân.\n",
        );
    }
    site.article(
        "co-anh",
        "title: Có ảnh\ndate: 2024-05-09\ncategory: chuyen-doi-so\nimage: { src: /anh/chung.jpg, alt: Ảnh chung }",
        "Thân.\n",
    );
    put(&site, "content/anh/chung.jpg", &jpeg(1200, 800, 1, false));
    let mut session = open(&site);
    let photo = put(&site, "content/anh/chung.jpg", &jpeg(640, 480, 1, false));
    let report = rebuild(&mut session, std::slice::from_ref(&photo));
    assert_rebuilt_alone(&site, &report, "the photo replaced");
    assert!(
        report
            .changed
            .iter()
            .any(|p| p == "chuyen-muc/chuyen-doi-so/index.html"),
        "the category's first page shows it: {report:?}"
    );
}
