//! Where pages are published (`permalinks`, `ugly_urls`, `slug_max` in
//! config.yaml): recurring titles, every token, ugly URLs with bundles,
//! stable URLs across title edits, collisions, and names every file
//! system accepts.

mod common;

use common::{TestSite, render_errors};
use gazette::Session;

/// A site whose config.yaml is the test config plus `extra`.
fn site_with(extra: &str) -> TestSite {
    let site = TestSite::new();
    site.write("config.yaml", &format!("{}{extra}", common::CONFIG));
    site
}

fn write_article(site: &TestSite, path: &str, front_matter: &str, body: &str) {
    site.write(
        &format!("content/{path}"),
        &format!("---\n{front_matter}\n---\n{body}"),
    );
}

fn errors_of(site: &TestSite) -> String {
    match site.try_build() {
        Ok(_) => panic!("the build should have failed"),
        Err(err) => render_errors(&err),
    }
}

#[test]
fn recurring_titles_across_years_get_two_urls() {
    let site = TestSite::new();
    for year in [2024, 2025] {
        write_article(
            &site,
            &format!("tin-tuc/{year}/03/hop-bao.md"),
            &format!(
                "title: Họp báo thường kỳ tháng 3\ndate: {year}-03-28\ncategory: chuyen-doi-so"
            ),
            &format!("Họp báo năm {year}.\n"),
        );
    }
    site.build();
    for year in [2024, 2025] {
        let page = site.html(&format!("/tin-tuc/{year}/03/hop-bao/"));
        assert_eq!(page.text("h1"), "Họp báo thường kỳ tháng 3");
        assert!(page.text("main").contains(&format!("Họp báo năm {year}.")));
    }
    // "Tin cùng chuyên mục" links the other one.
    assert_eq!(
        site.html("/tin-tuc/2025/03/hop-bao/")
            .attrs(".related a", "href"),
        vec!["/tin-tuc/2024/03/hop-bao/"]
    );
    let sitemap = std::fs::read_to_string(site.file("/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.gov.vn/tin-tuc/2024/03/hop-bao/</loc>"));
    assert!(sitemap.contains("<loc>https://example.gov.vn/tin-tuc/2025/03/hop-bao/</loc>"));
}

#[test]
fn file_and_folder_names_are_folded_like_slugs() {
    let site = TestSite::new();
    write_article(
        &site,
        "tin-tuc/Năm 2024/Họp Báo.md",
        "title: Họp báo\ndate: 2024-03-01",
        "x\n",
    );
    write_article(
        &site,
        "tin-tuc/Tin Mới Đây/index.md",
        "title: Tin mới\ndate: 2024-03-02",
        "x\n",
    );
    write_article(&site, "Giới Thiệu.md", "title: Về chúng tôi", "x\n");
    write_article(
        &site,
        "tin-tuc/khac.md",
        "title: Khác\ndate: 2024-03-03\nslug: duong-day-nong",
        "x\n",
    );
    site.build();
    assert!(site.exists("/tin-tuc/nam-2024/hop-bao/"));
    assert!(site.exists("/tin-tuc/tin-moi-day/"));
    assert!(site.exists("/gioi-thieu/"));
    assert!(site.exists("/tin-tuc/duong-day-nong/"));
    assert!(!site.exists("/tin-tuc/khac/"));
}

#[test]
fn every_token_expands() {
    let site = site_with(
        "permalinks:\n  tin-tuc: \"/{section}/{year}/{month}/{day}/{path}/{filename}-{title}/\"\n  \
         su-kien: /su-kien/{id}.html\n  thong-bao: /thong-bao/{slug}/\n",
    );
    // 20:00 UTC on 31 December is 1 January in Hanoi.
    write_article(
        &site,
        "tin-tuc/cu/Bài A.md",
        "title: Tiêu đề Một\ndate: 2024-12-31T20:00:00+00:00",
        "x\n",
    );
    write_article(
        &site,
        "su-kien/b.md",
        "title: Sự kiện\ndate: 2024-05-01\nid: ma-123",
        "x\n",
    );
    write_article(
        &site,
        "thong-bao/c.md",
        "title: Thông báo\ndate: 2024-05-02",
        "x\n",
    );
    site.build();
    assert_eq!(
        site.html("/tin-tuc/2025/01/01/cu/bai-a-tieu-de-mot/")
            .text("h1"),
        "Tiêu đề Một"
    );
    assert_eq!(site.html("/su-kien/ma-123.html").text("h1"), "Sự kiện");
    assert!(site.exists("/thong-bao/c/"));
    // Lists stay where they were.
    assert!(site.exists("/tin-tuc/"));
    assert!(site.exists("/su-kien/"));
}

#[test]
fn ugly_urls_keep_bundle_images_lists_feeds_aliases_and_links_working() {
    let site = site_with("ugly_urls: true\npermalinks:\n  van-ban: /van-ban/{slug}.html\n");
    for name in ["hop", "hop-2"] {
        site.write(
            &format!("content/tin-tuc/{name}/index.md"),
            &format!(
                "---\ntitle: Cuộc họp {name}\ndate: 2021-01-0{}\ncategory: chuyen-doi-so\n\
                 image: {{ src: anh.svg, alt: Ảnh }}\naliases: [/cu/{name}.aspx]\n---\n\
                 ![Toàn cảnh](anh.svg)\n*Toàn cảnh cuộc họp.*\n\n[Tài liệu](./tai-lieu.pdf), \
                 [mục](#muc) và [trang chủ](/).\n\n## Mục\n",
                if name == "hop" { 1 } else { 2 }
            ),
        );
        site.write(
            &format!("content/tin-tuc/{name}/anh.svg"),
            &format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{name}</title></svg>"),
        );
        site.write(&format!("content/tin-tuc/{name}/tai-lieu.pdf"), "%PDF");
    }
    site.write(
        "content/van-ban/chi-thi/index.md",
        "---\ntitle: Chỉ thị về CNTT\nslug: chi-thi-07\ndocument:\n  number: 07/2008/CT-BCA\n  type: Chỉ thị\n  \
         issuer: Bộ Công an\n  signed: 2008-09-01\n  attachments: [toan-van.pdf]\n---\nNội dung.\n",
    );
    site.write("content/van-ban/chi-thi/toan-van.pdf", "%PDF");
    write_article(&site, "gioi-thieu.md", "title: Giới thiệu", "x\n");

    let report = gazette::check(&site.options()).unwrap();
    assert!(
        report.problems.is_empty(),
        "{}",
        report
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(report.links > 10, "{} links checked", report.links);

    site.build();
    let page = site.html("/tin-tuc/hop.html");
    assert_eq!(page.text("h1"), "Cuộc họp hop");
    assert_eq!(page.attr(".lead-figure img", "src"), "/tin-tuc/hop/anh.svg");
    assert_eq!(
        page.attr(".article-body figure img", "src"),
        "/tin-tuc/hop/anh.svg"
    );
    assert!(
        page.attrs(".article-body a", "href")
            .contains(&"/tin-tuc/hop/tai-lieu.pdf".to_string())
    );
    // Each bundle's files in a folder of its own.
    let svg = |url: &str| std::fs::read_to_string(site.file(url)).unwrap();
    assert!(svg("/tin-tuc/hop/anh.svg").contains("<title>hop</title>"));
    assert!(svg("/tin-tuc/hop-2/anh.svg").contains("<title>hop-2</title>"));
    assert!(!site.exists("/tin-tuc/hop/index.html"));

    // The directive, its attachment and its register.
    let directive = site.html("/van-ban/chi-thi-07.html");
    assert_eq!(
        directive.attr(".attachments a", "href"),
        "/van-ban/chi-thi-07/toan-van.pdf"
    );
    assert!(site.exists("/van-ban/chi-thi-07/toan-van.pdf"));
    let register = site.html("/van-ban/");
    assert!(
        register
            .attrs("a", "href")
            .contains(&"/van-ban/chi-thi-07.html".to_string())
    );
    assert!(
        site.html("/van-ban/loai/chi-thi/")
            .attrs("a", "href")
            .contains(&"/van-ban/chi-thi-07.html".to_string())
    );

    // Lists stay pretty and link the .html pages; feeds, sitemap, aliases.
    let list = site.html("/chuyen-muc/chuyen-doi-so/");
    assert!(
        list.attrs(".card-title a", "href")
            .contains(&"/tin-tuc/hop.html".to_string())
    );
    assert_eq!(
        site.html("/tin-tuc/hop-2.html").attrs(".related a", "href"),
        vec!["/tin-tuc/hop.html"]
    );
    assert_eq!(site.html("/gioi-thieu.html").text("h1"), "Giới thiệu");
    let feed = std::fs::read_to_string(site.file("/rss.xml")).unwrap();
    assert!(feed.contains("<link>https://example.gov.vn/tin-tuc/hop.html</link>"));
    let sitemap = std::fs::read_to_string(site.file("/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.gov.vn/van-ban/chi-thi-07.html</loc>"));
    assert_eq!(
        site.html("/cu/hop.aspx")
            .attr("link[rel=canonical]", "href"),
        "https://example.gov.vn/tin-tuc/hop.html"
    );
}

#[test]
fn a_bundle_under_ugly_urls_with_a_broken_image_fails_check() {
    let site = site_with("ugly_urls: true\n");
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Cuộc họp\ndate: 2021-01-01\n---\n![Ảnh](thieu.svg)\n",
    );
    let report = gazette::check(&site.options()).unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0].message.contains("thieu.svg"),
        "{}",
        report.problems[0]
    );
}

#[test]
fn a_title_edit_keeps_the_url_in_a_whole_build_and_a_session() {
    let site = TestSite::new();
    site.article(
        "hop-bao",
        "title: Họp báo thường kì\ndate: 2024-03-01\ncategory: chuyen-doi-so",
        "x\n",
    );
    site.article("khac", "title: Bài khác\ndate: 2024-03-02", "y\n");
    site.build();
    site.article(
        "hop-bao",
        "title: Họp báo thường kỳ\ndate: 2024-03-01\ncategory: chuyen-doi-so",
        "x\n",
    );
    site.build();
    assert_eq!(
        site.html("/tin-tuc/hop-bao/").text("h1"),
        "Họp báo thường kỳ"
    );

    let (mut session, _) = Session::open(site.options()).unwrap();
    site.article(
        "hop-bao",
        "title: Họp báo thường kỳ tháng 3\ndate: 2024-03-01\ncategory: chuyen-doi-so",
        "x\n",
    );
    let changed = site.root().join("content/tin-tuc/hop-bao.md");
    let report = session.rebuild(&[changed]).unwrap();
    assert!(!report.full, "{report:?}");
    // No page went: what the rebuild removed is only search shards whose
    // first term changed with the new title.
    let removed: Vec<&String> = (report.changed.iter())
        .filter(|path| !site.public().join(path).exists())
        .collect();
    assert_eq!(removed.len(), report.removed, "{report:?}");
    assert!(
        removed.iter().all(|path| path.starts_with("tim-kiem/s/")),
        "{report:?}"
    );
    assert_eq!(
        site.html("/tin-tuc/hop-bao/").text("h1"),
        "Họp báo thường kỳ tháng 3"
    );
    assert!(!site.exists("/tin-tuc/hop-bao-thuong-ky-thang-3/"));
}

#[test]
fn under_title_urls_a_title_edit_moves_the_page() {
    let site = site_with("permalinks:\n  tin-tuc: \"/tin-tuc/{title}/\"\n");
    site.article("a", "title: Tên cũ\ndate: 2024-03-01", "x\n");
    let (mut session, _) = Session::open(site.options()).unwrap();
    assert!(site.exists("/tin-tuc/ten-cu/"));
    site.article("a", "title: Tên mới\ndate: 2024-03-01", "x\n");
    let report = session
        .rebuild(&[site.root().join("content/tin-tuc/a.md")])
        .unwrap();
    assert!(!report.full, "{report:?}");
    assert!(site.exists("/tin-tuc/ten-moi/"));
    assert!(!site.exists("/tin-tuc/ten-cu/"));
}

#[test]
fn recurring_titles_under_title_urls_collide_with_a_hint() {
    let site = site_with("permalinks:\n  tin-tuc: \"/tin-tuc/{title}/\"\n");
    write_article(
        &site,
        "tin-tuc/2024/hop-bao.md",
        "title: Họp báo thường kỳ\ndate: 2024-03-01",
        "x\n",
    );
    write_article(
        &site,
        "tin-tuc/2025/hop-bao.md",
        "title: Họp báo thường kỳ\ndate: 2025-03-01",
        "x\n",
    );
    let shown = errors_of(&site);
    assert!(
        shown.contains("two things on one URL `/tin-tuc/hop-bao-thuong-ky/`"),
        "{shown}"
    );
    assert!(
        shown.contains("content/tin-tuc/2024/hop-bao.md")
            && shown.contains("content/tin-tuc/2025/hop-bao.md"),
        "{shown}"
    );
    assert!(
        shown.contains("give one of them a `slug:`") && shown.contains("`{year}` or `{id}`"),
        "{shown}"
    );

    // Either way out builds.
    write_article(
        &site,
        "tin-tuc/2025/hop-bao.md",
        "title: Họp báo thường kỳ\ndate: 2025-03-01\nslug: hop-bao-2025",
        "x\n",
    );
    site.build();
    assert!(site.exists("/tin-tuc/hop-bao-2025/"));
    site.write(
        "config.yaml",
        &format!(
            "{}permalinks:\n  tin-tuc: \"/tin-tuc/{{year}}/{{title}}/\"\n",
            common::CONFIG
        ),
    );
    write_article(
        &site,
        "tin-tuc/2025/hop-bao.md",
        "title: Họp báo thường kỳ\ndate: 2025-03-01",
        "x\n",
    );
    site.build();
    assert!(site.exists("/tin-tuc/2024/hop-bao-thuong-ky/"));
    assert!(site.exists("/tin-tuc/2025/hop-bao-thuong-ky/"));
}

#[test]
fn two_explicit_slugs_on_one_url_name_both_files() {
    let site = TestSite::new();
    site.article("a", "title: Một\ndate: 2024-03-01\nslug: trung", "x\n");
    site.article("b", "title: Hai\ndate: 2024-03-02\nslug: trung", "x\n");
    let shown = errors_of(&site);
    assert!(
        shown.contains("two things on one URL `/tin-tuc/trung/`"),
        "{shown}"
    );
    assert!(
        shown.contains("content/tin-tuc/a.md") && shown.contains("content/tin-tuc/b.md"),
        "{shown}"
    );
    assert!(shown.contains("another `slug:`"), "{shown}");
}

#[test]
fn bad_patterns_are_located_config_errors() {
    let site = site_with("permalinks:\n  tin-tuc: /tin-tuc/{year}/{slg}/\n");
    site.article("a", "title: Một\ndate: 2024-03-01", "x\n");
    let shown = errors_of(&site);
    assert!(shown.contains("--> config.yaml:12:"), "{shown}");
    assert!(shown.contains("unknown token `{slg}`"), "{shown}");
    assert!(shown.contains("did you mean `{slug}`"), "{shown}");

    let site = site_with("permalinks:\n  su-kien: /su-kien/{slug}/\n");
    site.article("a", "title: Một\ndate: 2024-03-01", "x\n");
    let shown = errors_of(&site);
    assert!(shown.contains("--> config.yaml:12:"), "{shown}");
    assert!(shown.contains("no such folder"), "{shown}");
    assert!(
        shown.contains("the sections of this site are `tin-tuc`"),
        "{shown}"
    );
}

#[test]
fn a_300_character_title_builds_under_the_default_and_under_title() {
    let title = "Hội nghị trực tuyến toàn quốc ".repeat(10);
    assert_eq!(title.trim().chars().count(), 299);
    let site = site_with(
        "permalinks:\n  tin-tuc: \"/tin-tuc/{title}/\"\n  thong-bao: /thong-bao/{slug}/\n",
    );
    site.article("dai", &format!("title: {title}\ndate: 2024-03-01"), "x\n");
    write_article(
        &site,
        "thong-bao/dai.md",
        &format!("title: {title}\ndate: 2024-03-01"),
        "x\n",
    );
    site.build();
    assert!(site.exists("/thong-bao/dai/"));
    let dirs: Vec<String> = std::fs::read_dir(site.public().join("tin-tuc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("hoi-nghi"))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let slug = &dirs[0];
    assert!(slug.len() <= 100, "{} bytes: {slug}", slug.len());
    // Cut between words: the slug is a prefix of whole words.
    let full = "hoi-nghi-truc-tuyen-toan-quoc-".repeat(10);
    assert!(full.starts_with(&format!("{slug}-")), "{slug}");
    assert_eq!(
        site.html(&format!("/tin-tuc/{slug}/")).text("h1"),
        title.trim()
    );

    // A shorter maximum.
    site.write(
        "config.yaml",
        &format!(
            "{}slug_max: 20\npermalinks:\n  tin-tuc: \"/tin-tuc/{{title}}/\"\n",
            common::CONFIG
        ),
    );
    site.build();
    assert!(site.exists("/tin-tuc/hoi-nghi-truc-tuyen/"));
}

#[test]
fn names_windows_refuses_are_located_errors() {
    let site = site_with("permalinks:\n  tin-tuc: \"/tin-tuc/{title}/\"\n");
    site.article("a", "title: Con\ndate: 2024-03-01", "x\n");
    let shown = errors_of(&site);
    assert!(shown.contains("--> content/tin-tuc/a.md:2:"), "{shown}");
    assert!(shown.contains("`con`"), "{shown}");
    assert!(shown.contains("add a `slug:`"), "{shown}");

    let site = TestSite::new();
    site.article("LPT1", "title: Máy in\ndate: 2024-03-01", "x\n");
    site.write(
        "content/tin-tuc/tot/index.md",
        "---\ntitle: Tốt\ndate: 2024-03-01\n---\nx\n",
    );
    site.write("content/tin-tuc/tot/Nul.txt", "x");
    site.write("content/tai-lieu/bang:gia.pdf", "%PDF");
    let shown = errors_of(&site);
    assert!(shown.contains("--> content/tin-tuc/LPT1.md:1:1"), "{shown}");
    assert!(shown.contains("content/tin-tuc/tot/Nul.txt"), "{shown}");
    assert!(shown.contains("content/tai-lieu/bang:gia.pdf"), "{shown}");
    assert!(shown.contains("rename the file"), "{shown}");
    assert!(!site.public().exists(), "a failed build wrote the site");
}

#[test]
fn file_names_that_differ_only_in_case_are_an_error() {
    let site = TestSite::new();
    site.write("content/tai-lieu/Bao-cao.pdf", "%PDF");
    site.write("content/tai-lieu/bao-cao.pdf", "%PDF");
    let shown = errors_of(&site);
    assert!(shown.contains("differ only in case"), "{shown}");
    assert!(
        shown.contains("content/tai-lieu/Bao-cao.pdf")
            && shown.contains("content/tai-lieu/bao-cao.pdf"),
        "{shown}"
    );
}

#[test]
fn a_name_too_long_for_a_file_system_is_a_located_error() {
    let site = site_with("ugly_urls: true\n");
    let folder = "a".repeat(252);
    site.write(
        &format!("content/tin-tuc/{folder}/index.md"),
        "---\ntitle: Dài\ndate: 2024-03-01\n---\nx\n",
    );
    let shown = errors_of(&site);
    assert!(
        shown.contains(&format!("content/tin-tuc/{folder}/index.md:1:1")),
        "{shown}"
    );
    assert!(shown.contains("257 bytes long"), "{shown}");
}
