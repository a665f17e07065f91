//! The portal theme as a ministry shows it: header and footer, the home
//! page as a front page with each story once, side blocks and sharing,
//! the honest rating box, the register's one filter system, pictures with
//! their sizes.

mod common;

use std::collections::HashSet;

use common::{CONFIG, TestSite};

/// Twelve articles over two categories, the second and fifth featured.
fn front_page_site() -> TestSite {
    let site = TestSite::new();
    for n in 1..=12 {
        let category = if n % 2 == 0 {
            "chuyen-doi-so"
        } else {
            "cong-nghe-thong-tin"
        };
        let featured = if n == 2 || n == 5 {
            "\nfeatured: true"
        } else {
            ""
        };
        site.article(
            &format!("bai-so-{n}"),
            &format!(
                "title: Bài số {n}\ndate: 2024-03-{n:02}\ncategory: {category}\nsummary: Tóm tắt {n}.{featured}"
            ),
            "Nội dung.\n",
        );
    }
    site
}

#[test]
fn the_home_page_shows_each_story_once_from_the_top_down() {
    let site = front_page_site();
    site.write(
        "config.yaml",
        &format!("{CONFIG}home: {{ featured: 3, latest: 4, per_category: 3 }}\n"),
    );
    site.build();
    let home = site.html("/");
    let stories: Vec<String> = home
        .attrs("main a[href^='/tin-tuc/']", "href")
        .into_iter()
        .collect();
    // The lead's picture-less card links once; no story anywhere twice.
    let unique: HashSet<&String> = stories.iter().collect();
    assert_eq!(
        unique.len(),
        stories.len(),
        "a story shown twice: {stories:?}"
    );
    // Lead and secondary: the featured ones newest first, then the newest.
    assert_eq!(
        home.attr(".card-lead .card-title a", "href"),
        "/tin-tuc/bai-so-5/"
    );
    assert_eq!(
        home.attrs(".secondary-stories .card-title a", "href"),
        ["/tin-tuc/bai-so-2/", "/tin-tuc/bai-so-12/"]
    );
    // "Tin mới" fills from the next newest, skipping those placed above.
    assert_eq!(
        home.attrs(".latest a", "href"),
        [
            "/tin-tuc/bai-so-11/",
            "/tin-tuc/bai-so-10/",
            "/tin-tuc/bai-so-9/",
            "/tin-tuc/bai-so-8/"
        ]
    );
    // Category blocks: what is left of each, newest first.
    let blocks = home.texts(".category-block .block-title");
    assert_eq!(blocks, ["Chuyển đổi số", "Công nghệ thông tin"]);
    let block = |n: usize| {
        home.attrs(
            &format!(".category-block:nth-of-type({n}) a[href^='/tin-tuc/']"),
            "href",
        )
    };
    assert_eq!(block(1), ["/tin-tuc/bai-so-6/", "/tin-tuc/bai-so-4/"]);
    assert_eq!(
        block(2),
        [
            "/tin-tuc/bai-so-7/",
            "/tin-tuc/bai-so-3/",
            "/tin-tuc/bai-so-1/"
        ]
    );
    // "Xem tất cả" sits in each block's heading row.
    assert_eq!(
        home.attrs(".category-block .block-head .see-all", "href"),
        [
            "/chuyen-muc/chuyen-doi-so/",
            "/chuyen-muc/cong-nghe-thong-tin/"
        ]
    );
}

#[test]
fn a_block_left_with_nothing_is_not_shown() {
    let site = TestSite::new();
    site.article(
        "mot",
        "title: Bài một\ndate: 2024-01-01\ncategory: chuyen-doi-so",
        "A.\n",
    );
    site.article(
        "hai",
        "title: Bài hai\ndate: 2024-01-02\ncategory: chuyen-doi-so",
        "B.\n",
    );
    site.build();
    let home = site.html("/");
    assert_eq!(home.count(".card-lead"), 1);
    assert_eq!(home.count(".secondary-stories .card"), 1);
    assert_eq!(home.count(".latest"), 0, "nothing left for Tin mới");
    assert_eq!(home.count(".category-block"), 0);
    // Without pictures, cards are laid out as text, with no empty box.
    assert_eq!(home.count(".card-text-only"), 2);
    assert_eq!(home.count("main img"), 0);
}

#[test]
fn header_and_footer_carry_the_organization_and_its_links() {
    let site = TestSite::with_good_article();
    site.write(
        "config.yaml",
        "title: Cổng thử\nbase_url: https://example.gov.vn\n\
         categories:\n  - { name: Chuyển đổi số, slug: chuyen-doi-so }\n\
         organization:\n  name: Cục Thử nghiệm\n  agency: Bộ Thử nghiệm\n  responsible: Nguyễn Văn A\n\
         \x20 license: Giấy phép số 1/GP-TTĐT\n  phone: 024 1234 5678\n  fax: 024 1234 5679\n\
         \x20 email: lienhe@example.gov.vn\n\
         emblem: { src: /logo.svg, alt: Biểu trưng Cục Thử nghiệm }\n\
         footer:\n  copyright: © Cục Thử nghiệm\n  links:\n    - title: Liên kết\n      links:\n\
         \x20       - { name: Chính phủ, url: https://chinhphu.vn }\n",
    );
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build();
    let page = site.html("/tin-tuc/tot/");
    assert_eq!(page.attr("header .emblem", "src"), "/logo.svg");
    assert_eq!(
        page.attr("header .emblem", "alt"),
        "Biểu trưng Cục Thử nghiệm"
    );
    assert_eq!(page.attr("header .emblem", "width"), "64");
    assert_eq!(page.text(".brand-agency"), "Bộ Thử nghiệm");
    // The date slot (filled by the script in the portal's zone) and the
    // language slot's neighbours; the search box posts to the search page.
    assert_eq!(
        page.attr("[data-today]", "data-timezone"),
        "Asia/Ho_Chi_Minh"
    );
    assert_eq!(
        page.attr("header form[role=search]", "action"),
        "/tim-kiem/"
    );
    // The menu folds on phones behind a checkbox: no script needed.
    assert_eq!(
        page.attr(".site-nav input.nav-toggle-input", "type"),
        "checkbox"
    );
    assert_eq!(page.attr(".site-nav label.nav-toggle", "for"), "mo-menu");
    assert_eq!(
        page.texts(".footer-contact dt"),
        [
            "Cơ quan chủ quản",
            "Chịu trách nhiệm chính",
            "Giấy phép",
            "Điện thoại",
            "Fax",
            "Thư điện tử"
        ]
    );
    assert_eq!(
        page.attr(".footer-contact a[href^='tel:']", "href"),
        "tel:02412345678"
    );
    assert_eq!(page.texts(".footer-links h2"), ["Liên kết"]);
    assert_eq!(
        page.attrs(".footer-links a", "href"),
        ["https://chinhphu.vn"]
    );
    assert_eq!(page.text(".copyright"), "© Cục Thử nghiệm");
}

#[test]
fn the_footer_shows_only_fields_that_are_set_and_default_links() {
    let site = TestSite::with_good_article();
    site.build();
    let page = site.html("/");
    // common::CONFIG sets a name and an address only.
    assert_eq!(page.texts(".footer-contact dt"), ["Địa chỉ"]);
    assert_eq!(page.attr("header .emblem", "src"), "/emblem.svg");
    assert!(site.exists("/emblem.svg"));
    assert_eq!(
        page.attrs(".footer-links a", "href"),
        ["/so-do-cong/", "/rss.xml"]
    );
    assert!(page.text(".copyright").starts_with('©'));
    assert!(page.text(".copyright").contains("Bộ Thử nghiệm"));
}

#[test]
fn without_an_endpoint_the_rating_box_shows_and_offers_nothing() {
    let site = TestSite::with_good_article();
    site.build();
    let page = site.html("/tin-tuc/tot/");
    assert_eq!(page.text(".rating h2"), "ĐÁNH GIÁ BÀI VIẾT (0)");
    assert_eq!(page.count(".rating input, .rating button, .rating form"), 0);
    assert_eq!(page.text(".rating-summary"), "Chưa có đánh giá.");
    assert!(!page.text(".rating").contains("hoàn thiện"));
}

#[test]
fn with_an_endpoint_the_rating_box_is_a_form_that_reports() {
    let site = TestSite::with_good_article();
    site.write(
        "config.yaml",
        &format!("{CONFIG}ratings: {{ endpoint: https://api.example.gov.vn/danh-gia }}\n"),
    );
    site.build();
    let page = site.html("/tin-tuc/tot/");
    assert_eq!(
        page.attr(".rating form", "action"),
        "https://api.example.gov.vn/danh-gia"
    );
    assert_eq!(page.count(".rating input[type=radio][name=stars]"), 5);
    assert_eq!(page.attr(".rating button", "type"), "submit");
    assert_eq!(page.attr(".rating .rating-status", "role"), "status");
    assert!(!page.attr(".rating form", "data-error").is_empty());
}

fn directive_site(extra_config: &str, attachment: bool) -> TestSite {
    let site = TestSite::new();
    site.write("config.yaml", &format!("{CONFIG}{extra_config}"));
    let files = if attachment {
        "\n  attachments: [{ file: van-ban.pdf, title: Toàn văn }]"
    } else {
        ""
    };
    site.write(
        "content/van-ban/ct-01/index.md",
        &format!(
            "---\ntitle: Chỉ thị về chuyển đổi số\ndate: 2024-01-05\ndocument:\n  number: 01/CT-BTN\n  type: Chỉ thị\n  issuer: Bộ Thử nghiệm\n  signed: 2024-01-05\n  effective: 2024-01-05{files}\n---\nNội dung.\n"
        ),
    );
    if attachment {
        site.write("content/van-ban/ct-01/van-ban.pdf", "%PDF-1.4\n");
    }
    site.write(
        "content/van-ban/qd-02.md",
        "---\ntitle: Quyết định thử\ndate: 2023-06-01\ndocument:\n  number: 02/QĐ-BTN\n  type: Quyết định\n  issuer: Cục Thử nghiệm\n  signed: 2023-06-01\n  effective: 2023-06-01\n  expires: 2023-12-31\n---\nNội dung.\n",
    );
    site
}

#[test]
fn directives_carry_no_rating_box_unless_configured() {
    let site = directive_site("", false);
    site.build();
    assert_eq!(site.html("/van-ban/ct-01/").count(".rating"), 0);
    let site = directive_site("ratings: { directives: true }\n", false);
    site.build();
    assert_eq!(site.html("/van-ban/ct-01/").count(".rating"), 1);
}

#[test]
fn the_directive_page_has_no_empty_attachments_block() {
    let site = directive_site("", false);
    site.build();
    let page = site.html("/van-ban/ct-01/");
    assert_eq!(page.count(".attachments"), 0);
    assert_eq!(page.text(".article-meta .badge"), "Còn hiệu lực");
    let site = directive_site("", true);
    site.build();
    let page = site.html("/van-ban/ct-01/");
    assert_eq!(
        page.attrs(".attachments a", "href"),
        ["/van-ban/ct-01/van-ban.pdf"]
    );
    assert_eq!(page.text(".attachments .file-kind"), "PDF");
}

#[test]
fn the_register_has_one_filter_system_badges_and_a_download_column() {
    let site = directive_site("", true);
    site.build();
    let register = site.html("/van-ban/");
    // One set of controls: links to the static filter pages, issuer too;
    // no second form.
    assert_eq!(register.count("main form"), 0);
    assert_eq!(
        register.texts(".register-filters .filter-title"),
        ["Loại văn bản", "Năm ban hành", "Cơ quan ban hành"]
    );
    assert!(
        register
            .attrs(".register-filters a", "href")
            .contains(&"/van-ban/co-quan/cuc-thu-nghiem/".to_string())
    );
    // Folded behind one "Lọc văn bản" control on phones.
    assert_eq!(
        register.attr(".register-side .filter-toggle", "for"),
        "mo-loc"
    );
    assert_eq!(
        register.texts(".register-table thead th"),
        [
            "Số/Ký hiệu",
            "Ngày ban hành",
            "Trích yếu",
            "Cơ quan ban hành",
            "Tải về"
        ]
    );
    assert_eq!(
        register.texts(".register-table tbody .badge"),
        ["Còn hiệu lực", "Hết hiệu lực"]
    );
    assert_eq!(
        register.attrs(".register-table .file-link", "href"),
        ["/van-ban/ct-01/van-ban.pdf"]
    );
    assert_eq!(register.text(".register-table .file-kind"), "PDF");
    assert_eq!(register.text(".register-count"), "2 văn bản");
    // A filter page says what it filters by, and marks its control.
    let issuer = site.html("/van-ban/co-quan/cuc-thu-nghiem/");
    assert_eq!(issuer.text(".filter-current"), ": Cục Thử nghiệm");
    assert_eq!(
        issuer.text(".register-filters [aria-current]"),
        "Cục Thử nghiệm (1)"
    );
}

/// The side column of an article and of a directive: "Tin mới" (the
/// newest stories, never the page itself nor one the column already
/// shows) and "Văn bản mới"; `aside:` sizes or removes them.
#[test]
fn the_side_column_carries_the_newest_stories_and_directives() {
    let site = front_page_site();
    for (name, number, day) in [("ct-01", "01/CT-BTN", 5), ("ct-02", "02/CT-BTN", 6)] {
        site.write(
            &format!("content/van-ban/{name}.md"),
            &format!(
                "---\ntitle: Chỉ thị {number}\ndate: 2024-01-{day:02}\ndocument:\n  number: {number}\n  type: Chỉ thị\n  issuer: Bộ Thử nghiệm\n  signed: 2024-01-{day:02}\n---\nNội dung.\n"
            ),
        );
    }
    site.build();
    let newest_first: Vec<String> = (1..=12)
        .rev()
        .map(|n| format!("/tin-tuc/bai-so-{n}/"))
        .collect();
    let page = site.html("/tin-tuc/bai-so-12/");
    let related = page.attrs(".article-aside .related a", "href");
    assert!(!related.is_empty(), "the sample has related stories");
    let latest = page.attrs(".article-aside .aside-latest a", "href");
    let expected: Vec<String> = (newest_first.iter())
        .filter(|url| *url != "/tin-tuc/bai-so-12/" && !related.contains(url))
        .take(5)
        .cloned()
        .collect();
    assert_eq!(latest, expected);
    assert_eq!(
        page.texts(".article-aside .aside-latest .block-title"),
        ["Tin mới"]
    );
    assert_eq!(
        page.attrs(".article-aside .aside-documents .document-list a", "href"),
        ["/van-ban/ct-02/", "/van-ban/ct-01/"]
    );

    let directive = site.html("/van-ban/ct-02/");
    assert_eq!(
        directive.attrs(".article-aside .aside-documents .document-list a", "href"),
        ["/van-ban/ct-01/"],
        "a directive's column does not list itself"
    );
    assert_eq!(
        directive.attrs(".article-aside .aside-latest a", "href"),
        newest_first[..5]
    );

    site.write(
        "config.yaml",
        &format!("{CONFIG}aside: {{ latest: 0, documents: 0 }}\n"),
    );
    site.build();
    let page = site.html("/tin-tuc/bai-so-12/");
    assert_eq!(page.count(".aside-latest, .aside-documents"), 0);
    assert_eq!(page.attrs(".article-aside .related a", "href"), related);
}
