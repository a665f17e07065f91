//! Whole builds of small sites, read back as parsed HTML.

mod common;

use common::TestSite;

/// Five articles in one category, newest last by name.
fn category_site(count: usize) -> TestSite {
    let site = TestSite::new();
    for n in 1..=count {
        site.article(
            &format!("bai-{n}"),
            &format!("title: Bài số {n}\ndate: 2021-02-{n:02}T08:00:00+07:00\ncategory: chuyen-doi-so\nsummary: Tóm tắt {n}."),
            &format!("Nội dung bài {n}.\n"),
        );
    }
    site
}

#[test]
fn article_page_shows_title_date_sapo_rating_and_related() {
    let site = category_site(5);
    site.article(
        "to-lam",
        "title: Bộ trưởng Tô Lâm chủ trì cuộc họp\n\
         date: 2021-02-23T07:59:00+07:00\n\
         summary: Chiều 22/2, tại Hà Nội, Bộ trưởng chủ trì cuộc họp.\n\
         category: chuyen-doi-so\n\
         tags: [Bộ Công an, viễn thông]\n\
         author: ĐTT\n\
         source: { name: CAND, url: https://cand.example/bai }\n\
         rating: { count: 12, average: 4.5 }",
        "Đoạn thứ nhất.\n\n![Toàn cảnh](hop.svg)\n*Toàn cảnh cuộc họp.*\n",
    );
    site.build();
    let page = site.html("/tin-tuc/to-lam/");

    assert_eq!(page.count("h1"), 1);
    assert_eq!(page.text("h1"), "Bộ trưởng Tô Lâm chủ trì cuộc họp");
    assert_eq!(
        page.text(".article-meta time"),
        "Thứ Ba, 23/02/2021, 07:59 (GMT+7)"
    );
    assert_eq!(
        page.attr(".article-meta time", "datetime"),
        "2021-02-23T07:59:00+07:00"
    );
    assert_eq!(
        page.text(".sapo"),
        "Chiều 22/2, tại Hà Nội, Bộ trưởng chủ trì cuộc họp."
    );
    assert_eq!(page.text(".author"), "Tác giả: ĐTT");
    assert_eq!(page.text(".source"), "Theo CAND");
    assert_eq!(page.attr(".source a", "href"), "https://cand.example/bai");
    assert_eq!(page.texts(".tags a"), vec!["Bộ Công an", "viễn thông"]);
    assert_eq!(
        page.attrs(".tags a", "href"),
        vec!["/tu-khoa/bo-cong-an/", "/tu-khoa/vien-thong/"]
    );
    assert_eq!(
        page.text(".article-body figure figcaption"),
        "Toàn cảnh cuộc họp."
    );
    assert_eq!(page.attr(".article-body figure img", "alt"), "Toàn cảnh");

    // The rating box without an endpoint: the count and the average as a
    // display, and nothing to press that would do nothing.
    assert_eq!(page.text(".rating h2"), "ĐÁNH GIÁ BÀI VIẾT (12)");
    assert_eq!(page.count(".rating input, .rating button, .rating form"), 0);
    let id = page.attr("article[data-article-id]", "data-article-id");
    assert_eq!(id.len(), 16);
    assert!(page.text(".rating-summary").contains("4,5/5"));

    // "Tin cùng chuyên mục": the `related` (2) newest others, never itself.
    assert_eq!(page.text(".related h2"), "Tin cùng chuyên mục");
    assert_eq!(
        page.attrs(".related a", "href"),
        vec!["/tin-tuc/bai-5/", "/tin-tuc/bai-4/"]
    );
    let newest = site.html("/tin-tuc/bai-5/");
    assert_eq!(
        newest.attrs(".related a", "href"),
        vec!["/tin-tuc/to-lam/", "/tin-tuc/bai-4/"]
    );

    // The id and the URL are stable: a corrected title moves neither.
    site.article(
        "to-lam",
        "title: Tiêu đề mới\ndate: 2021-02-23T07:59:00+07:00\ncategory: chuyen-doi-so",
        "Đoạn.\n",
    );
    site.build();
    let page = site.html("/tin-tuc/to-lam/");
    assert_eq!(page.text("h1"), "Tiêu đề mới");
    assert_eq!(page.attr("article[data-article-id]", "data-article-id"), id);
    assert!(!site.exists("/tin-tuc/tieu-de-moi/"));
}

#[test]
fn date_without_time_shows_no_time_and_summary_falls_back_to_the_body() {
    let site = TestSite::new();
    site.article(
        "a",
        "title: Một\ndate: 23/02/2021",
        "Đoạn **đầu** tiên.\n\nĐoạn hai.\n",
    );
    site.build();
    let page = site.html("/tin-tuc/a/");
    assert_eq!(page.text(".article-meta time"), "Thứ Ba, 23/02/2021");
    // No front-matter summary: no separate sapo, the body keeps its lead.
    assert_eq!(page.count(".sapo"), 0);
    let list = site.html("/tin-tuc/");
    assert_eq!(list.text(".card-summary"), "Đoạn đầu tiên.");
}

#[test]
fn category_pages_paginate_with_working_links() {
    let site = category_site(8);
    site.build();
    // paginate: 3 → 3 pages of 3, 3, 2.
    let first = site.html("/chuyen-muc/chuyen-doi-so/");
    assert_eq!(first.text("h1"), "Chuyển đổi số");
    assert_eq!(first.count(".card"), 3);
    assert_eq!(
        first.texts(".card-title"),
        vec!["Bài số 8", "Bài số 7", "Bài số 6"]
    );
    assert_eq!(first.count(".pagination [aria-current=page]"), 1);
    assert_eq!(
        first.attr(".pagination a[rel=next]", "href"),
        "/chuyen-muc/chuyen-doi-so/trang/2/"
    );
    assert_eq!(first.count(".pagination a[rel=prev]"), 0);
    let third = site.html("/chuyen-muc/chuyen-doi-so/trang/3/");
    assert_eq!(third.texts(".card-title"), vec!["Bài số 2", "Bài số 1"]);
    assert_eq!(
        third.attr(".pagination a[rel=prev]", "href"),
        "/chuyen-muc/chuyen-doi-so/trang/2/"
    );
    assert!(!site.exists("/chuyen-muc/chuyen-doi-so/trang/4/"));
    // Every pagination link resolves to a page that was written.
    for url in [
        "/chuyen-muc/chuyen-doi-so/",
        "/chuyen-muc/chuyen-doi-so/trang/2/",
        "/chuyen-muc/chuyen-doi-so/trang/3/",
    ] {
        for href in site.html(url).attrs(".pagination a", "href") {
            assert!(site.exists(&href), "{url} links to missing {href}");
        }
    }
    // An empty category still has its page.
    let empty = site.html("/chuyen-muc/cong-nghe-thong-tin/");
    assert_eq!(empty.count(".card"), 0);
    assert!(
        empty
            .texts("main p")
            .contains(&"Chưa có bài viết.".to_string())
    );
    // Its feed lists its items.
    let feed = std::fs::read_to_string(site.file("/chuyen-muc/chuyen-doi-so/rss.xml")).unwrap();
    assert_eq!(feed.matches("<item>").count(), 8);
}

#[test]
fn tag_pages_and_home_blocks() {
    let site = category_site(4);
    site.article(
        "noi-bat",
        "title: Tin nổi bật\ndate: 2020-01-01\ncategory: cong-nghe-thong-tin\nfeatured: true\ntags: [An toàn thông tin]",
        "Nội dung.\n",
    );
    site.write(
        "config.yaml",
        &format!("{}home: {{ featured: 1, latest: 1 }}\n", common::CONFIG),
    );
    site.build();
    let tag = site.html("/tu-khoa/an-toan-thong-tin/");
    assert_eq!(tag.text("h1"), "Từ khóa: An toàn thông tin");
    assert_eq!(tag.texts(".card-title"), vec!["Tin nổi bật"]);

    let home = site.html("/");
    assert_eq!(home.count("h1"), 1);
    // The featured story leads, the newest other follows in "Tin mới",
    // and the category blocks show only what is left: the featured
    // story's category has nothing more.
    assert_eq!(home.texts(".card-lead .card-title"), vec!["Tin nổi bật"]);
    assert_eq!(home.texts(".latest li a"), vec!["Bài số 4"]);
    assert_eq!(home.texts(".category-block h2"), vec!["Chuyển đổi số"]);
    assert_eq!(
        home.texts(".category-block .card-title, .category-block li a"),
        vec!["Bài số 3", "Bài số 2", "Bài số 1"]
    );
    assert_eq!(
        home.texts("nav.site-nav a"),
        vec!["Trang chủ", "Chuyển đổi số", "Công nghệ thông tin"]
    );
    assert_eq!(home.text(".footer-title"), "Bộ Thử nghiệm");
    assert!(home.text(".footer-contact").contains("1 Phố Thử, Hà Nội"));
}

#[test]
fn file_names_fold_vietnamese_and_explicit_slugs_win() {
    let site = TestSite::new();
    site.article(
        "Bộ Công an đẩy mạnh ứng dụng",
        "title: Bộ Công an đẩy mạnh ứng dụng\ndate: 2021-01-01",
        "x\n",
    );
    site.article(
        "b",
        "title: Đường dây nóng\ndate: 2021-01-02\nslug: duong-day-nong-1",
        "x\n",
    );
    site.build();
    assert!(site.exists("/tin-tuc/bo-cong-an-day-manh-ung-dung/"));
    assert!(site.exists("/tin-tuc/duong-day-nong-1/"));
}

#[test]
fn drafts_and_scheduled_items_are_left_out_unless_asked() {
    let site = TestSite::new();
    site.article("da-dang", "title: Đã đăng\ndate: 2021-01-01", "x\n");
    site.article(
        "nhap",
        "title: Bản nháp\ndate: 2021-01-01\ndraft: true",
        "x\n",
    );
    site.article(
        "hen-gio",
        "title: Hẹn giờ\ndate: 2030-01-01T08:00:00+07:00",
        "x\n",
    );
    let report = site.build();
    assert!(site.exists("/tin-tuc/da-dang/"));
    assert!(!site.exists("/tin-tuc/nhap/"));
    assert!(!site.exists("/tin-tuc/hen-gio/"));
    assert_eq!((report.skipped.drafts, report.skipped.scheduled), (1, 1));
    assert!(
        report
            .summary_line()
            .contains("1 draft skipped, 1 item scheduled for later"),
        "{}",
        report.summary_line()
    );
    assert!(
        !site
            .html("/")
            .texts(".latest a")
            .contains(&"Hẹn giờ".to_string())
    );

    let mut options = site.options();
    options.drafts = true;
    site.build_with(options).unwrap();
    assert!(site.exists("/tin-tuc/nhap/"));
    assert!(site.exists("/tin-tuc/hen-gio/"));
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = category_site(1);
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"rieng\">{{ page.title }}</h1>{% endblock content %}",
    );
    site.build();
    let page = site.html("/tin-tuc/bai-1/");
    assert_eq!(page.text("h1.rieng"), "Bài số 1");
    // The rest of the theme is still the theme's.
    assert_eq!(page.count("nav.site-nav"), 1);
    assert_eq!(site.html("/chuyen-muc/chuyen-doi-so/").count("h1.rieng"), 0);
}

#[test]
fn bundle_assets_are_copied_beside_the_page_and_other_files_mirrored() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Cuộc họp\ndate: 2021-01-01\nimage: { src: anh.svg, alt: Ảnh cuộc họp }\n---\n[Tải văn bản](van-ban.pdf)\n",
    );
    site.write(
        "content/tin-tuc/hop/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("content/tin-tuc/hop/van-ban.pdf", "%PDF-1.4");
    site.write("content/tai-lieu/mau.pdf", "%PDF-1.4 mẫu");
    site.build();
    assert!(site.exists("/tin-tuc/hop/anh.svg"));
    assert!(site.exists("/tin-tuc/hop/van-ban.pdf"));
    assert!(site.exists("/tai-lieu/mau.pdf"));
    let page = site.html("/tin-tuc/hop/");
    assert_eq!(page.attr(".lead-figure img", "src"), "/tin-tuc/hop/anh.svg");
    assert_eq!(page.attr(".lead-figure img", "alt"), "Ảnh cuộc họp");
}

#[test]
fn ratings_can_be_disabled_or_sent_to_an_endpoint() {
    let site = category_site(1);
    site.write(
        "config.yaml",
        &format!("{}ratings: {{ enabled: false }}\n", common::CONFIG),
    );
    site.build();
    assert_eq!(site.html("/tin-tuc/bai-1/").count(".rating"), 0);

    site.write(
        "config.yaml",
        &format!(
            "{}ratings: {{ endpoint: https://api.example.gov.vn/danh-gia }}\n",
            common::CONFIG
        ),
    );
    site.build();
    let page = site.html("/tin-tuc/bai-1/");
    assert_eq!(
        page.attr(".rating form", "action"),
        "https://api.example.gov.vn/danh-gia"
    );
    assert_eq!(page.attr(".rating form", "method"), "post");
    assert_eq!(page.count(".rating form button[type=submit]"), 1);
}

#[test]
fn plain_pages_sections_404_feed_sitemap_and_aliases() {
    let site = category_site(2);
    site.write(
        "content/gioi-thieu.md",
        "---\ntitle: Giới thiệu\n---\nĐịa chỉ: 1 Phố Thử.\n",
    );
    site.write(
        "content/tin-tuc/_index.md",
        "---\ntitle: Tin tức\ndescription: Mọi tin bài.\n---\n",
    );
    site.article(
        "cu",
        "title: Bài cũ\ndate: 2019-01-01\naliases: [/Pages/tin-tuc/123.aspx, /tin-cu/]",
        "x\n",
    );
    site.build();
    assert_eq!(site.html("/gioi-thieu/").text("h1"), "Giới thiệu");
    let section = site.html("/tin-tuc/");
    assert_eq!(section.text("h1"), "Tin tức");
    assert_eq!(section.count(".card"), 3);
    assert_eq!(site.html("/404.html").count("h1"), 1);
    let map = std::fs::read_to_string(site.file("/redirects.map")).unwrap();
    assert!(
        map.contains("\"/Pages/tin-tuc/123.aspx\" \"/tin-tuc/cu/\";"),
        "{map}"
    );
    assert!(map.contains("\"/tin-cu/\" \"/tin-tuc/cu/\";"), "{map}");
    let redirect = site.html("/Pages/tin-tuc/123.aspx");
    assert_eq!(
        redirect.attr("link[rel=canonical]", "href"),
        "https://example.gov.vn/tin-tuc/cu/"
    );
    assert!(site.exists("/tin-cu/"));
    let sitemap = std::fs::read_to_string(site.file("/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.gov.vn/gioi-thieu/</loc>"));
    let feed = std::fs::read_to_string(site.file("/rss.xml")).unwrap();
    assert!(feed.contains("<link>https://example.gov.vn/tin-tuc/bai-2/</link>"));
    assert!(
        feed.contains("<pubDate>Tue, 2 Feb 2021 08:00:00 +0700</pubDate>"),
        "{feed}"
    );
}

#[test]
fn front_matter_values_are_escaped() {
    let site = TestSite::new();
    site.article(
        "xss",
        "title: \"<script>alert(1)</script> Tin\"\ndate: 2021-01-01\nsummary: \"<img src=x onerror=alert(1)>\"\ntags: [\"<b>đậm</b>\"]",
        "x\n",
    );
    site.build();
    let text = std::fs::read_to_string(site.file("/tin-tuc/xss/")).unwrap();
    assert!(!text.contains("<script>alert"), "title printed raw");
    assert!(!text.contains("<img src=x"), "summary printed raw");
    assert!(!text.contains("<b>đậm</b>"), "tag printed raw");
    let page = site.html("/tin-tuc/xss/");
    assert_eq!(page.text("h1"), "<script>alert(1)</script> Tin");
}

#[test]
fn unchanged_files_are_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let site = category_site(2);
    site.build();
    let inode = |url: &str| std::fs::metadata(site.file(url)).unwrap().ino();
    let before = (inode("/tin-tuc/bai-1/"), inode("/tin-tuc/bai-2/"));
    site.article("bai-1", "title: Bài số 1\ndate: 2021-02-01T08:00:00+07:00\ncategory: chuyen-doi-so\nsummary: Tóm tắt 1.", "Đã sửa.\n");
    let report = site.build();
    assert_eq!(
        inode("/tin-tuc/bai-2/"),
        before.1,
        "an untouched page was rewritten"
    );
    assert_ne!(
        inode("/tin-tuc/bai-1/"),
        before.0,
        "the edited page was not rewritten"
    );
    assert!(report.unchanged > 0 && report.unchanged < report.files);
}

#[test]
fn the_menu_marks_the_current_category_and_an_articles_category() {
    let site = category_site(2);
    site.build();
    // (page, the menu link marked current, the one marked active)
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "/chuyen-muc/chuyen-doi-so/",
            &["/chuyen-muc/chuyen-doi-so/"],
            &[],
        ),
        ("/tin-tuc/bai-1/", &[], &["/chuyen-muc/chuyen-doi-so/"]),
        ("/", &["/"], &[]),
        (
            "/chuyen-muc/cong-nghe-thong-tin/",
            &["/chuyen-muc/cong-nghe-thong-tin/"],
            &[],
        ),
    ];
    for (url, current, active) in cases {
        let page = site.html(url);
        assert_eq!(
            page.attrs(".site-nav a[aria-current=page]", "href"),
            current,
            "current on {url}"
        );
        assert_eq!(
            page.attrs(".site-nav a.active", "href"),
            active,
            "active on {url}"
        );
    }
}
