//! Edits a review found the session got wrong, each compared file by file
//! with a whole build of the same files: a tag respelled by its newest
//! page, a body edit under full-content feeds, a bundle's `index.md`
//! deleted or created beside files, a failed batch whose good edits must
//! not be lost, a register filter respelled, a new directive and a page
//! naming it saved together, an `id:` changed with the title, a
//! section's `_index.md` saved twice in one batch, a batch of several
//! kinds of files, and the side columns'
//! "Tin mới" after a new story, a retitled one and a deleted one.

mod common;

use std::fs;
use std::path::PathBuf;

use common::session::{differences, open, rebuild};
use common::{TestSite, render_errors};

fn art(
    site: &TestSite,
    name: &str,
    day: u32,
    cat: &str,
    tags: &str,
    extra: &str,
    body: &str,
) -> PathBuf {
    site.article(
        name,
        &format!("title: Bài {name}\ndate: 2021-03-{day:02}T08:00:00+07:00\ncategory: {cat}\ntags: {tags}{extra}"),
        body,
    );
    site.root().join(format!("content/tin-tuc/{name}.md"))
}

#[test]
fn a_tag_respelled_by_its_newest_page() {
    let site = TestSite::new();
    let a = art(&site, "a", 20, "chuyen-doi-so", "[Dữ liệu]", "", "Thân.\n");
    for n in 1..=5 {
        art(
            &site,
            &format!("b{n}"),
            n,
            "cong-nghe-thong-tin",
            "[Dữ liệu]",
            "",
            "Thân.\n",
        );
    }
    let mut session = open(&site);
    let _ = a;
    let a = art(&site, "a", 20, "chuyen-doi-so", "[dữ liệu]", "", "Thân.\n");
    let report = rebuild(&mut session, &[a]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

#[test]
fn a_body_edit_reaches_full_content_feeds() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{}feeds: {{ content: full, items: 5 }}\n", common::CONFIG),
    );
    art(
        &site,
        "a",
        20,
        "chuyen-doi-so",
        "[]",
        "\nsummary: Tóm tắt",
        "Đoạn một.\n\nĐoạn hai.\n",
    );
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    let mut session = open(&site);
    let a = art(
        &site,
        "a",
        20,
        "chuyen-doi-so",
        "[]",
        "\nsummary: Tóm tắt",
        "Đoạn một.\n\nĐoạn hai đã sửa.\n",
    );
    let report = rebuild(&mut session, &[a]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

/// A body edit under full-content feeds rewrites the JSON Feed page it is
/// on, the news's and its category's, and leaves the other pages alone.
#[test]
fn a_body_edit_reaches_the_json_feed_page_it_is_on() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!(
            "{}feeds: {{ content: full, items: 5, page_size: 2 }}\n",
            common::CONFIG
        ),
    );
    let summary = "\nsummary: Tóm tắt";
    for (name, day) in [("a", 20), ("b", 10), ("c", 8), ("d", 5), ("e", 2)] {
        art(
            &site,
            name,
            day,
            "chuyen-doi-so",
            "[]",
            summary,
            "Đoạn một.\n",
        );
    }
    let mut session = open(&site);
    // The fourth newest: on the second page of each JSON Feed. Its summary
    // is its own, so no list shows the edit.
    let d = art(
        &site,
        "d",
        5,
        "chuyen-doi-so",
        "[]",
        summary,
        "Đoạn đã sửa.\n",
    );
    let report = rebuild(&mut session, &[d]);
    assert!(!report.full, "{report:?}");
    let mut feeds: Vec<&String> = (report.changed.iter())
        .filter(|path| path.ends_with(".json") && path.contains("feed"))
        .collect();
    feeds.sort();
    assert_eq!(
        feeds,
        ["chuyen-muc/chuyen-doi-so/feed-2.json", "feed-2.json"],
        "{report:?}"
    );
    assert!(
        !report.changed.iter().any(|path| path.contains("/trang/")),
        "no list page changes: {report:?}"
    );
    let d = differences(&site);
    assert!(d.is_empty(), "differs: {d:?}");
}

#[test]
fn a_deleted_bundle_index_leaves_its_files_published() {
    let site = TestSite::new();
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    site.write(
        "content/tin-tuc/goi/index.md",
        "---\ntitle: Gói\ndate: 2021-03-05T08:00:00+07:00\ncategory: chuyen-doi-so\n---\nThân.\n",
    );
    site.write(
        "content/tin-tuc/goi/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut session = open(&site);
    let index = site.root().join("content/tin-tuc/goi/index.md");
    fs::remove_file(&index).unwrap();
    let report = rebuild(&mut session, &[index]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

#[test]
fn a_bundle_index_created_beside_files_takes_them() {
    let site = TestSite::new();
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    site.write(
        "content/tin-tuc/goi/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut session = open(&site);
    site.write("content/tin-tuc/goi/index.md", "---\ntitle: Gói\nslug: khac\ndate: 2021-03-05T08:00:00+07:00\ncategory: chuyen-doi-so\n---\nThân.\n");
    let index = site.root().join("content/tin-tuc/goi/index.md");
    let report = rebuild(&mut session, &[index]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

#[test]
fn a_failed_batch_keeps_its_good_edits() {
    let site = TestSite::new();
    art(&site, "a", 20, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    let mut session = open(&site);
    let a = art(
        &site,
        "a",
        20,
        "chuyen-doi-so",
        "[]",
        "",
        "Đoạn một đã sửa.\n",
    );
    let bad = site.root().join("content/tin-tuc/b.md");
    site.write("content/tin-tuc/b.md", "no front matter\n");
    assert!(session.rebuild(&[a, bad.clone()]).is_err());
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    let report = rebuild(&mut session, &[bad]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

#[test]
fn a_register_filter_respelled() {
    let site = TestSite::new();
    let dir = |n: &str, kind: &str, issuer: &str, signed: &str| {
        format!(
            "---\ntitle: Văn bản {n}\ndocument:\n  number: {n}/QĐ-BTTTT\n  type: {kind}\n  issuer: {issuer}\n  signed: {signed}\n---\nNội dung.\n"
        )
    };
    site.write(
        "content/van-ban/a/index.md",
        &dir("10", "Quyết định", "Bộ A", "2020-05-01"),
    );
    site.write(
        "content/van-ban/b/index.md",
        &dir("11", "Quyết định", "Bộ B", "2019-05-01"),
    );
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    let mut session = open(&site);
    site.write(
        "content/van-ban/a/index.md",
        &dir("10", "quyết định", "Bộ A", "2020-05-01"),
    );
    let report = rebuild(
        &mut session,
        &[site.root().join("content/van-ban/a/index.md")],
    );
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

#[test]
fn a_new_directive_and_a_page_naming_it_in_one_batch() {
    let site = TestSite::new();
    let dir = |n: &str| {
        format!(
            "---\ntitle: Văn bản {n}\ndocument:\n  number: {n}/QĐ-BTTTT\n  type: Quyết định\n  issuer: Bộ A\n  signed: 2020-05-01\n---\nNội dung.\n"
        )
    };
    site.write("content/van-ban/a/index.md", &dir("10"));
    let p = art(&site, "p", 10, "chuyen-doi-so", "[]", "", "Đoạn một.\n");
    let mut session = open(&site);
    site.write("content/van-ban/b/index.md", &dir("11"));
    let p2 = art(
        &site,
        "p",
        10,
        "chuyen-doi-so",
        "[]",
        "\ndocuments: [\"11/QĐ-BTTTT\"]",
        "Đoạn một.\n",
    );
    let _ = p;
    let d = site.root().join("content/van-ban/b/index.md");
    match session.rebuild(&[d, p2]) {
        Ok(report) => {
            let diffs = differences(&site);
            assert!(diffs.is_empty(), "full={} differs: {diffs:?}", report.full);
        }
        Err(err) => panic!(
            "incremental rebuild refused a batch a clean build accepts:\n{}",
            render_errors(&err)
        ),
    }
}

#[test]
fn an_id_changed_with_the_title() {
    let site = TestSite::new();
    art(&site, "a", 20, "chuyen-doi-so", "[]", "\nid: cu", "Đoạn.\n");
    art(&site, "b", 10, "chuyen-doi-so", "[]", "", "Đoạn.\n");
    art(&site, "c", 9, "chuyen-doi-so", "[]", "", "Đoạn.\n");
    let mut session = open(&site);
    site.article("a", "title: Tên mới\ndate: 2021-03-20T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: []\nid: moi", "Đoạn.\n");
    let report = rebuild(&mut session, &[site.root().join("content/tin-tuc/a.md")]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

/// The CI run that found this: `_index.md` deleted and written again in
/// one batch reaches the session twice; its list pages were then written
/// twice at once through one temporary name, and one write failed.
#[test]
fn a_section_index_saved_twice_in_one_batch() {
    let site = TestSite::new();
    for n in 1..=12 {
        art(
            &site,
            &format!("a{n}"),
            n,
            "chuyen-doi-so",
            "[]",
            "",
            "Đoạn.\n",
        );
    }
    let index = site.root().join("content/tin-tuc/_index.md");
    site.write("content/tin-tuc/_index.md", "---\ntitle: Tin tức 1\n---\n");
    let mut session = open(&site);
    site.write("content/tin-tuc/_index.md", "---\ntitle: Tin tức 2\n---\n");
    let report = rebuild(&mut session, &[index.clone(), index]);
    let d = differences(&site);
    assert!(d.is_empty(), "full={} differs: {d:?}", report.full);
}

/// A batch of several kinds is rebuilt kind by kind, never whole: a page
/// with a static file, then a page moved into a section whose `_index.md`
/// is new in the same batch.
#[test]
fn a_batch_of_several_kinds_is_rebuilt_kind_by_kind() {
    let site = TestSite::new();
    for n in 1..=5 {
        art(
            &site,
            &format!("a{n}"),
            n,
            "chuyen-doi-so",
            "[]",
            "",
            "Đoạn.\n",
        );
    }
    let mut session = open(&site);
    site.write("static/ghi-chu.txt", "Ghi chú\n");
    site.article(
        "a1",
        "title: Bài a1 đã sửa\ndate: 2021-03-01T08:00:00+07:00\ncategory: chuyen-doi-so",
        "Đoạn.\n",
    );
    let a1 = site.root().join("content/tin-tuc/a1.md");
    let report = rebuild(&mut session, &[site.root().join("static/ghi-chu.txt"), a1]);
    assert!(!report.full, "{report:?}");
    assert!(
        report.changed.contains(&"ghi-chu.txt".to_string()),
        "{report:?}"
    );
    let d = differences(&site);
    assert!(d.is_empty(), "after a page and a static file: {d:?}");

    let old = site.root().join("content/tin-tuc/a2.md");
    let text = fs::read_to_string(&old).unwrap();
    fs::remove_file(&old).unwrap();
    site.write("content/thong-bao/a2.md", &text);
    site.write(
        "content/thong-bao/_index.md",
        "---\ntitle: Thông báo của Bộ\n---\n",
    );
    let batch = [
        old,
        site.root().join("content/thong-bao/a2.md"),
        site.root().join("content/thong-bao/_index.md"),
    ];
    let report = rebuild(&mut session, &batch);
    assert!(!report.full, "{report:?}");
    let d = differences(&site);
    assert!(d.is_empty(), "after a move into a new section: {d:?}");
    assert_eq!(site.html("/thong-bao/").text("h1"), "Thông báo của Bộ");
}

/// Every article's side column lists the newest stories: a new story, a
/// new title on one of them and a deleted one reach every article page
/// (and a body edit reaches none but its own).
#[test]
fn the_side_columns_follow_the_newest_stories() {
    let site = TestSite::new();
    for n in 1..=20 {
        art(
            &site,
            &format!("b{n}"),
            n,
            "cong-nghe-thong-tin",
            "[]",
            "",
            "Thân.\n",
        );
    }
    let mut session = open(&site);
    let latest = |site: &TestSite, url: &str| site.html(url).attrs(".aside-latest a", "href");

    let new = art(&site, "moi", 20, "chuyen-doi-so", "[]", "", "Thân.\n");
    let report = rebuild(&mut session, std::slice::from_ref(&new));
    assert!(!report.full, "{report:?}");
    assert_eq!(latest(&site, "/tin-tuc/b1/")[0], "/tin-tuc/moi/");
    assert_eq!(differences(&site), Vec::<String>::new());

    let retitled = art(&site, "b20", 20, "cong-nghe-thong-tin", "[]", "", "Thân.\n");
    fs::write(
        &retitled,
        fs::read_to_string(&retitled)
            .unwrap()
            .replace("title: Bài b20", "title: Tựa mới"),
    )
    .unwrap();
    rebuild(&mut session, &[retitled]);
    // b20 is among b1's related stories, not the new one's (another category).
    assert!(
        site.html("/tin-tuc/moi/")
            .text(".aside-latest")
            .contains("Tựa mới")
    );
    assert_eq!(differences(&site), Vec::<String>::new());

    // An old story's body: not in any "Tin mới", nor related to the new one.
    let body = art(
        &site,
        "b2",
        2,
        "cong-nghe-thong-tin",
        "[]",
        "",
        "Thân khác.\n",
    );
    let report = rebuild(&mut session, &[body]);
    assert!(
        !report
            .changed
            .contains(&"tin-tuc/moi/index.html".to_string()),
        "{:?}",
        report.changed
    );
    assert_eq!(differences(&site), Vec::<String>::new());

    fs::remove_file(&new).unwrap();
    rebuild(&mut session, &[new]);
    assert!(!latest(&site, "/tin-tuc/b1/").contains(&"/tin-tuc/moi/".to_string()));
    assert_eq!(differences(&site), Vec::<String>::new());
}

/// A directive's side column skips the stories that mention it, however
/// many: a retitled story further down is still its "Tin mới".
#[test]
fn a_directive_mentioned_by_the_newest_stories_follows_older_ones() {
    let site = TestSite::new();
    site.write(
        "content/van-ban/ct-01.md",
        "---\ntitle: Chỉ thị thử\ndate: 2021-01-01\ndocument:\n  number: 01/CT-BTN\n  type: Chỉ thị\n  issuer: Bộ Thử nghiệm\n  signed: 2021-01-01\n---\nNội dung.\n",
    );
    for n in 1..=12 {
        let body = if n > 4 {
            "Thực hiện Chỉ thị số 01/CT-BTN.\n"
        } else {
            "Thân.\n"
        };
        art(
            &site,
            &format!("a{n}"),
            n,
            "cong-nghe-thong-tin",
            "[]",
            "",
            body,
        );
    }
    let mut session = open(&site);
    let directive = site.html("/van-ban/ct-01/");
    assert_eq!(
        directive.count(".article-aside .related a"),
        8,
        "mentioned by the eight newest"
    );
    assert!(directive.text(".aside-latest").contains("Bài a2"));
    let a2 = art(&site, "a2", 2, "cong-nghe-thong-tin", "[]", "", "Thân.\n");
    fs::write(
        &a2,
        fs::read_to_string(&a2)
            .unwrap()
            .replace("title: Bài a2", "title: Tựa mới của a2"),
    )
    .unwrap();
    rebuild(&mut session, &[a2]);
    assert!(
        site.html("/van-ban/ct-01/")
            .text(".aside-latest")
            .contains("Tựa mới của a2")
    );
    assert_eq!(differences(&site), Vec::<String>::new());
}

/// A saved SVG of a bundle is checked and measured again: a new size is
/// printed where it is shown, and a script in it is an error.
#[test]
fn a_bundle_svg_is_measured_and_checked_again() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/so-do/index.md",
        "---\ntitle: Sơ đồ\ndate: 2021-03-01\ncategory: chuyen-doi-so\n---\n![Sơ đồ](so-do.svg)\n",
    );
    let svg = |view_box: &str, inside: &str| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\">{inside}</svg>")
    };
    site.write("content/tin-tuc/so-do/so-do.svg", &svg("0 0 40 30", ""));
    let mut session = open(&site);
    let path = site.root().join("content/tin-tuc/so-do/so-do.svg");
    let width = |site: &TestSite| {
        site.html("/tin-tuc/so-do/")
            .attr(".article-body img", "width")
    };
    assert_eq!(width(&site), "40");

    site.write("content/tin-tuc/so-do/so-do.svg", &svg("0 0 80 60", ""));
    rebuild(&mut session, std::slice::from_ref(&path));
    assert_eq!(width(&site), "80");
    assert_eq!(differences(&site), Vec::<String>::new());

    site.write(
        "content/tin-tuc/so-do/so-do.svg",
        &svg("0 0 80 60", "<script>fetch('/x')</script>"),
    );
    let Err(err) = session.rebuild(std::slice::from_ref(&path)) else {
        panic!("an SVG with a script was published");
    };
    assert!(
        render_errors(&err).contains("so-do.svg"),
        "{}",
        render_errors(&err)
    );

    site.write(
        "content/tin-tuc/so-do/so-do.svg",
        &svg("0 0 80 60", "<title>Sơ đồ</title>"),
    );
    let report = rebuild(&mut session, &[path]);
    assert!(!report.full, "same size: read alone ({report:?})");
    assert_eq!(differences(&site), Vec::<String>::new());
}
