//! Rebuilding after an edit (`gazette::Session`, what `serve` calls): the
//! output after each edit must be byte for byte what a whole build of the
//! same files writes, while only the outputs the edit touches are rendered.

mod common;

use std::fs;
use std::path::PathBuf;

use common::session::{assert_same_as_whole_build, open, rebuild};
use common::{TestSite, render_errors, tree};

/// 24 articles in two categories (3 per list page), with tags, two of them
/// mentioning a directive, an alias, and a bundle with an image.
fn portal() -> TestSite {
    let site = TestSite::new();
    for n in 1..=24 {
        let category = if n % 3 == 0 {
            "cong-nghe-thong-tin"
        } else {
            "chuyen-doi-so"
        };
        let tags = match n % 4 {
            0 => "[Chính phủ số, Dữ liệu]",
            1 => "[Dữ liệu]",
            _ => "[]",
        };
        let mention = if n % 10 == 0 {
            "Thực hiện Quyết định 2016/QĐ-BTTTT của Bộ."
        } else {
            "Không nhắc văn bản nào."
        };
        site.article(
            &format!("bai-{n:02}"),
            &format!(
                "title: Bài số {n}\ndate: 2021-03-{n:02}T08:00:00+07:00\ncategory: {category}\ntags: {tags}"
            ),
            &format!("Đoạn đầu của bài {n}.\n\n## Phần hai\n\n{mention}\n"),
        );
    }
    site.write(
        "content/van-ban/quyet-dinh/index.md",
        "---\ntitle: Quyết định phê duyệt kế hoạch\ndocument:\n  number: 2016/QĐ-BTTTT\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2010-12-23\n  effective: 2010-12-23\n---\nNội dung.\n",
    );
    site.write(
        "content/tin-tuc/co-anh/index.md",
        "---\ntitle: Bài có ảnh\ndate: 2021-01-15T08:00:00+07:00\ncategory: chuyen-doi-so\naliases: [/tin-cu/co-anh.html]\n---\n![Toàn cảnh](anh.svg)\n",
    );
    site.write(
        "content/tin-tuc/co-anh/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

fn edit(site: &TestSite, name: &str, front_matter: &str, body: &str) -> PathBuf {
    site.article(name, front_matter, body);
    site.root().join(format!("content/tin-tuc/{name}.md"))
}

#[test]
fn a_body_edit_renders_only_what_shows_the_article() {
    let site = portal();
    let mut session = open(&site);
    let changed = edit(
        &site,
        "bai-05",
        "title: Bài số 5\ndate: 2021-03-05T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: []",
        "Đoạn đầu đã sửa của bài 5.\n\nThêm một đoạn mới.\n",
    );
    let report = rebuild(&mut session, &[changed]);
    assert!(!report.full, "{report:?}");
    assert!(
        report.rendered * 3 < report.outputs,
        "rendered {} of {} outputs",
        report.rendered,
        report.outputs
    );
    assert_same_as_whole_build(&site);
    let page = site.html("/tin-tuc/bai-05/");
    assert!(page.text("main").contains("Thêm một đoạn mới."));
    // Its list page shows the new summary.
    let pages: Vec<String> = (1..=6)
        .map(|n| {
            let url = if n == 1 {
                "/chuyen-muc/chuyen-doi-so/".to_string()
            } else {
                format!("/chuyen-muc/chuyen-doi-so/trang/{n}/")
            };
            fs::read_to_string(site.file(&url)).unwrap_or_default()
        })
        .collect();
    assert!(
        pages
            .iter()
            .any(|p| p.contains("Đoạn đầu đã sửa của bài 5."))
    );
}

#[test]
fn title_date_tag_and_category_edits_match_a_whole_build() {
    let site = portal();
    let mut session = open(&site);
    let steps = [
        // A new title: the same URL, the page shows the new title.
        (
            "bai-07",
            "title: Bài số bảy đổi tên\ndate: 2021-03-07T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: []",
        ),
        // A new slug: a new URL, the old page removed.
        (
            "bai-09",
            "title: Bài số 9\ndate: 2021-03-09T08:00:00+07:00\ncategory: cong-nghe-thong-tin\ntags: []\nslug: bai-chin",
        ),
        // An older date: it moves down every list it is on.
        (
            "bai-20",
            "title: Bài số 20\ndate: 2020-01-01T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: [Chính phủ số, Dữ liệu]",
        ),
        // A new tag (a new tag page) and another category.
        (
            "bai-11",
            "title: Bài số 11\ndate: 2021-03-11T08:00:00+07:00\ncategory: cong-nghe-thong-tin\ntags: [Thẻ mới]",
        ),
        // The last article with that tag leaves it: the tag page goes.
        (
            "bai-11",
            "title: Bài số 11\ndate: 2021-03-11T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: []",
        ),
        // A summary that mentions the directive.
        (
            "bai-03",
            "title: Bài số 3\ndate: 2021-03-03T08:00:00+07:00\ncategory: cong-nghe-thong-tin\nsummary: Theo Quyết định 2016/QĐ-BTTTT.",
        ),
    ];
    for (name, front_matter) in steps {
        let changed = edit(&site, name, front_matter, "Nội dung sau khi sửa.\n");
        let report = rebuild(&mut session, &[changed]);
        assert!(!report.full, "{name}: {report:?}");
        assert_same_as_whole_build(&site);
    }
    assert_eq!(
        site.html("/tin-tuc/bai-07/").text("h1"),
        "Bài số bảy đổi tên"
    );
    assert!(!site.exists("/tin-tuc/bai-so-bay-doi-ten/"));
    assert!(!site.exists("/tin-tuc/bai-09/"));
    assert!(site.exists("/tin-tuc/bai-chin/"));
    assert!(!site.exists("/tag/the-moi/"));
}

#[test]
fn new_deleted_and_moved_articles_are_read_alone() {
    let site = portal();
    let mut session = open(&site);
    let new = edit(
        &site,
        "bai-moi",
        "title: Bài mới\ndate: 2021-04-01T08:00:00+07:00\ncategory: chuyen-doi-so",
        "Mới.\n",
    );
    let report = rebuild(&mut session, std::slice::from_ref(&new));
    assert!(!report.full);
    // The newest article moves every list of its category and section and
    // their "Tin cùng chuyên mục"; the other category's pages stay.
    assert!(report.rendered < report.outputs, "{report:?}");
    assert!(
        !report
            .changed
            .iter()
            .any(|p| p.starts_with("chuyen-muc/cong-nghe-thong-tin/")),
        "{report:?}"
    );
    assert_same_as_whole_build(&site);
    assert!(site.exists("/tin-tuc/bai-moi/"));
    // Moved to another section: one page gone, one new.
    let moved = site.root().join("content/su-kien/bai-moi.md");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&new, &moved).unwrap();
    let report = rebuild(&mut session, &[new.clone(), moved.clone()]);
    assert!(!report.full);
    assert_same_as_whole_build(&site);
    assert!(!site.exists("/tin-tuc/bai-moi/") && site.exists("/su-kien/bai-moi/"));
    // Made a draft, then deleted.
    edit(
        &site,
        "bai-05",
        "title: Bài số 5\ndate: 2021-03-05T08:00:00+07:00\ncategory: chuyen-doi-so\ndraft: true",
        "Nháp.\n",
    );
    let report = rebuild(
        &mut session,
        &[site.root().join("content/tin-tuc/bai-05.md")],
    );
    assert!(!report.full);
    assert_same_as_whole_build(&site);
    assert!(!site.exists("/tin-tuc/bai-05/"));
    fs::remove_file(&moved).unwrap();
    let report = rebuild(&mut session, &[moved]);
    assert!(!report.full);
    assert_same_as_whole_build(&site);
    assert!(!site.exists("/su-kien/bai-moi/"));
    // Its folder goes with it, as a whole build would not make it.
    assert!(!site.public().join("su-kien/bai-moi").exists());
    assert!(!site.public().join("tin-tuc/bai-05").exists());
}

#[test]
fn bundle_files_and_directive_edits_are_read_alone() {
    let site = portal();
    let mut session = open(&site);
    let image = |name: &str| site.root().join(format!("content/tin-tuc/co-anh/{name}"));
    // A new image in a bundle is published beside its page.
    site.write(
        "content/tin-tuc/co-anh/anh-2.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>2</title></svg>",
    );
    let report = rebuild(&mut session, &[image("anh-2.svg")]);
    assert!(!report.full, "{report:?}");
    assert!(
        report
            .changed
            .iter()
            .any(|p| p == "tin-tuc/co-anh/anh-2.svg")
    );
    assert_same_as_whole_build(&site);
    // Replaced, then deleted: the copy follows.
    site.write(
        "content/tin-tuc/co-anh/anh-2.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>hai</title></svg>",
    );
    let report = rebuild(&mut session, &[image("anh-2.svg")]);
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
    fs::remove_file(image("anh-2.svg")).unwrap();
    let report = rebuild(&mut session, &[image("anh-2.svg")]);
    assert!(!report.full, "{report:?}");
    assert_eq!(report.removed, 1, "{report:?}");
    assert_same_as_whole_build(&site);
    assert!(!site.public().join("tin-tuc/co-anh/anh-2.svg").exists());

    // A directive's title and status: the register and the articles that
    // mention it show them, without a whole build.
    let directive = site.root().join("content/van-ban/quyet-dinh/index.md");
    let text = |title: &str, number: &str, status: &str| {
        format!(
            "---\ntitle: {title}\ndocument:\n  number: {number}\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2010-12-23\n  effective: 2010-12-23\n  status: {status}\n---\nNội dung.\n"
        )
    };
    site.write(
        "content/van-ban/quyet-dinh/index.md",
        &text(
            "Quyết định phê duyệt kế hoạch (sửa)",
            "2016/QĐ-BTTTT",
            "Hết hiệu lực một phần",
        ),
    );
    let report = rebuild(&mut session, std::slice::from_ref(&directive));
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
    assert!(
        site.html("/van-ban/")
            .text("main")
            .contains("Hết hiệu lực một phần")
    );
    assert_eq!(
        site.html("/van-ban/quyet-dinh/").text("h1"),
        "Quyết định phê duyệt kế hoạch (sửa)"
    );
    // A new number: the pages that mentioned the old one no longer link it;
    // the number given back, they do again; all read alone.
    let links = |site: &TestSite| {
        site.html("/tin-tuc/bai-10/")
            .texts("main a.document-link")
            .len()
    };
    assert_eq!(links(&site), 1);
    site.write(
        "content/van-ban/quyet-dinh/index.md",
        &text(
            "Quyết định phê duyệt kế hoạch",
            "2017/QĐ-BTTTT",
            "Hết hiệu lực",
        ),
    );
    let report = rebuild(&mut session, std::slice::from_ref(&directive));
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
    assert_eq!(links(&site), 0);
    site.write(
        "content/van-ban/quyet-dinh/index.md",
        &text(
            "Quyết định phê duyệt kế hoạch",
            "2016/QĐ-BTTTT",
            "Hết hiệu lực",
        ),
    );
    let report = rebuild(&mut session, std::slice::from_ref(&directive));
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
    assert_eq!(links(&site), 1);
    // A second directive, whose number an article already carries as text,
    // then deleted again.
    site.write(
        "content/van-ban/chi-thi/index.md",
        "---\ntitle: Chỉ thị về an toàn thông tin\ndocument:\n  number: 14/CT-BTTTT\n  type: Chỉ thị\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2019-06-07\n---\nNội dung.\n",
    );
    let article = edit(
        &site,
        "bai-12",
        "title: Bài số 12\ndate: 2021-03-12T08:00:00+07:00\ncategory: chuyen-doi-so\ntags: []",
        "Theo Chỉ thị 14/CT-BTTTT của Thủ tướng.\n",
    );
    let report = rebuild(&mut session, &[article]);
    assert!(!report.full, "{report:?}");
    let chi_thi = site.root().join("content/van-ban/chi-thi/index.md");
    let report = rebuild(&mut session, std::slice::from_ref(&chi_thi));
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
    let linked = site.html("/tin-tuc/bai-12/");
    assert_eq!(linked.texts("main a.document-link").len(), 1);
    fs::remove_dir_all(site.root().join("content/van-ban/chi-thi")).unwrap();
    let report = rebuild(&mut session, &[chi_thi]);
    assert!(!report.full, "{report:?}");
    assert_same_as_whole_build(&site);
}

#[test]
fn sections_are_renamed_without_reading_pages_and_config_rebuilds_the_whole_site() {
    let site = portal();
    let mut session = open(&site);
    // A section's own page, new, edited, then deleted; the register's and
    // the home page's.
    let steps = [
        ("content/tin-tuc/_index.md", Some("title: Tin tức mới")),
        (
            "content/tin-tuc/_index.md",
            Some("title: Tin hoạt động\ndescription: Tin của Bộ"),
        ),
        ("content/van-ban/_index.md", Some("title: Hệ thống văn bản")),
        ("content/_index.md", Some("title: Trang chủ cổng")),
        ("content/tin-tuc/_index.md", None),
        ("content/van-ban/_index.md", None),
    ];
    for (file, front_matter) in steps {
        match front_matter {
            Some(front_matter) => {
                site.write(file, &format!("---\n{front_matter}\n---\n"));
            }
            None => fs::remove_file(site.root().join(file)).unwrap(),
        }
        let report = rebuild(&mut session, &[site.root().join(file)]);
        assert!(!report.full, "{file}: {report:?}");
        // The register's name is in every page's menu: all are rendered
        // again (from what the session holds); a section's only where it shows.
        if !file.starts_with("content/van-ban/") {
            assert!(report.rendered < 40, "{file}: {report:?}");
        }
        assert_same_as_whole_build(&site);
        if file == "content/tin-tuc/_index.md" && front_matter.is_some() {
            let title = front_matter
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default();
            assert_eq!(
                format!("title: {}", site.html("/tin-tuc/").text("h1")),
                title
            );
        }
    }
    // config.yaml.
    let config = fs::read_to_string(site.root().join("config.yaml")).unwrap();
    site.write(
        "config.yaml",
        &config.replace("Cổng thông tin thử nghiệm", "Cổng mới"),
    );
    let report = rebuild(&mut session, &[site.root().join("config.yaml")]);
    assert!(report.full);
    assert_same_as_whole_build(&site);
}

#[test]
fn a_bad_edit_is_reported_in_its_file_and_writes_nothing() {
    let site = portal();
    let mut session = open(&site);
    let before = tree(&site.public());
    let changed = edit(
        &site,
        "bai-08",
        "title: [chưa đóng\ndate: 2021-03-08",
        "Nội dung.\n",
    );
    let err = session.rebuild(std::slice::from_ref(&changed)).unwrap_err();
    let shown = render_errors(&err);
    assert!(shown.contains("content/tin-tuc/bai-08.md:2"), "{shown}");
    assert!(
        tree(&site.public()) == before,
        "a failed rebuild wrote files"
    );
    // Fixed, it goes through as an edit.
    edit(
        &site,
        "bai-08",
        "title: Bài số 8 đã sửa\ndate: 2021-03-08T08:00:00+07:00\ncategory: chuyen-doi-so",
        "Nội dung.\n",
    );
    let report = rebuild(&mut session, &[changed]);
    assert!(!report.full);
    assert_same_as_whole_build(&site);
}

#[test]
fn full_content_feeds_follow_a_body_edit() {
    // With `feeds.content: full` a category's feed shows its articles'
    // bodies: a body edit must reach it as a whole build would.
    let site = portal();
    site.write(
        "config.yaml",
        &format!("{}feeds: {{ content: full, items: 5 }}\n", common::CONFIG),
    );
    let mut session = open(&site);
    let changed = edit(
        &site,
        "bai-24",
        "title: Bài số 24\ndate: 2021-03-24T08:00:00+07:00\ncategory: cong-nghe-thong-tin\ntags: [Dữ liệu]",
        "Thân bài đã sửa, chỉ có trong bản đầy đủ.\n\nĐoạn hai.\n",
    );
    let report = rebuild(&mut session, &[changed]);
    assert!(!report.full, "{report:?}");
    let feed = fs::read_to_string(site.file("/chuyen-muc/cong-nghe-thong-tin/atom.xml")).unwrap();
    assert!(feed.contains("Đoạn hai."), "{feed}");
    assert_same_as_whole_build(&site);
}
