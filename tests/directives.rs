//! Directives (văn bản): schema, status, the register and its filter pages,
//! and the cross-links between directives and news.

mod common;

use common::{TestSite, render_errors};

const CHI_THI: &str = "\
title: Chỉ thị về ứng dụng công nghệ thông tin
summary: Chỉ thị của Bộ trưởng.
document:
  number: 07/2008/CT-BCA(E11)
  type: Chỉ thị
  issuer: Bộ Công an
  signer: { name: Nguyễn Văn A, title: Bộ trưởng }
  signed: 30/09/2008
  effective: 2008-10-15
  field: Công nghệ thông tin
  attachments:
    - { file: toan-van.pdf, title: Toàn văn chỉ thị }";

fn directive(site: &TestSite, folder: &str, front_matter: &str) {
    site.write(
        &format!("content/van-ban/{folder}/index.md"),
        &format!("---\nslug: {folder}\n{front_matter}\n---\nNội dung văn bản.\n"),
    );
}

fn register_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/van-ban/_index.md",
        "---\ntitle: Văn bản chỉ đạo\n---\n",
    );
    directive(&site, "chi-thi", CHI_THI);
    site.write(
        "content/van-ban/chi-thi/toan-van.pdf",
        &"x".repeat(1_300_000),
    );
    directive(
        &site,
        "quyet-dinh",
        "title: Quyết định phê duyệt kế hoạch\ndocument:\n  number: 2016/QĐ-BTTTT\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2010-12-23\n  effective: 2010-12-23\n  abstract: Phê duyệt kế hoạch ứng dụng CNTT",
    );
    directive(
        &site,
        "quyet-dinh-moi",
        "title: Quyết định sắp có hiệu lực\ndocument:\n  number: 15/2025/QĐ-BTTTT\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2025-12-20\n  effective: 2026-02-01",
    );
    directive(
        &site,
        "thong-tu-cu",
        "title: Thông tư đã hết hiệu lực\ndocument:\n  number: 01/2009/TT-BTTTT\n  type: Thông tư\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2009-01-05\n  effective: 2009-02-20\n  expires: 2015-07-01",
    );
    directive(
        &site,
        "cong-van",
        "title: Công văn hướng dẫn\ndocument:\n  number: 99/BTTTT-CNTT\n  type: Công văn\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2012-03-01\n  status: Hết hiệu lực một phần",
    );
    site.article(
        "tin-chi-thi",
        "title: Bộ Công an đẩy mạnh ứng dụng CNTT\ndate: 2008-10-01\nsummary: Bộ trưởng đã ký chỉ thị số 07/2008/CT-BCA(E11) về CNTT.",
        "Theo Quyết định số 2016/ QĐ- BTTTT, và [đã là liên kết 01/2009/TT-BTTTT](/khac/).\n\n\
         ## Thông tư 01/2009/TT-BTTTT\n\n`01/2009/TT-BTTTT` trong mã.\n",
    );
    site.article(
        "tin-khong-nhac",
        "title: Tin không nhắc văn bản nào\ndate: 2011-01-01\ndocuments: [\"99/BTTTT-CNTT\"]",
        "Nội dung.\n",
    );
    site
}

#[test]
fn directive_page_has_its_metadata_table_attachments_and_related_news() {
    let site = register_site();
    site.build();
    let page = site.html("/van-ban/chi-thi/");
    let rows: Vec<(String, String)> = page
        .texts(".directive-meta th")
        .into_iter()
        .zip(page.texts(".directive-meta td"))
        .collect();
    let row = |label: &str| {
        rows.iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(row("Số/Ký hiệu"), "07/2008/CT-BCA(E11)");
    assert_eq!(row("Loại văn bản"), "Chỉ thị");
    assert_eq!(row("Cơ quan ban hành"), "Bộ Công an");
    assert_eq!(row("Người ký"), "Bộ trưởng Nguyễn Văn A");
    assert_eq!(row("Ngày ban hành"), "30/09/2008");
    assert_eq!(row("Ngày hiệu lực"), "15/10/2008");
    assert_eq!(row("Tình trạng hiệu lực"), "Còn hiệu lực");
    assert_eq!(row("Lĩnh vực"), "Công nghệ thông tin");
    // The abstract defaults to the summary.
    assert_eq!(row("Trích yếu"), "Chỉ thị của Bộ trưởng.");
    assert_eq!(
        page.attr(".attachments a", "href"),
        "/van-ban/chi-thi/toan-van.pdf"
    );
    assert_eq!(page.text(".attachments li"), "Toàn văn chỉ thị PDF 1,2 MB");
    assert!(site.exists("/van-ban/chi-thi/toan-van.pdf"));
    // "Tin bài liên quan": the news item that mentions it in its lead.
    assert_eq!(page.text(".related h2"), "Tin bài liên quan");
    assert_eq!(
        page.attrs(".related a", "href"),
        vec!["/tin-tuc/tin-chi-thi/"]
    );
    assert_eq!(page.attrs(".breadcrumbs a", "href"), vec!["/", "/van-ban/"]);
}

#[test]
fn status_is_derived_at_build_time_or_stated() {
    let site = register_site();
    site.build(); // "now" is 2026-01-01
    let status = |url: &str| site.html(url).text(".directive-meta .badge");
    assert_eq!(status("/van-ban/quyet-dinh/"), "Còn hiệu lực");
    assert_eq!(status("/van-ban/quyet-dinh-moi/"), "Chưa có hiệu lực");
    assert_eq!(status("/van-ban/thong-tu-cu/"), "Hết hiệu lực");
    assert_eq!(status("/van-ban/cong-van/"), "Hết hiệu lực một phần");

    let mut later = site.options();
    later.now = Some(chrono::DateTime::parse_from_rfc3339("2026-02-01T00:00:00+07:00").unwrap());
    site.build_with(later).unwrap();
    assert_eq!(status("/van-ban/quyet-dinh-moi/"), "Còn hiệu lực");
}

#[test]
fn register_lists_directives_newest_signed_first_with_all_columns() {
    let site = register_site();
    site.build();
    let register = site.html("/van-ban/");
    assert_eq!(register.text("h1"), "Văn bản chỉ đạo");
    assert_eq!(
        register.texts(".register-table thead th"),
        vec![
            "Số/Ký hiệu",
            "Ngày ban hành",
            "Trích yếu",
            "Cơ quan ban hành",
            "Tải về"
        ]
    );
    // paginate: 3 in the test config.
    assert_eq!(
        register.texts(".register-table tbody th"),
        vec!["15/2025/QĐ-BTTTT", "99/BTTTT-CNTT", "2016/QĐ-BTTTT"]
    );
    assert_eq!(
        site.html("/van-ban/trang/2/")
            .texts(".register-table tbody th"),
        vec!["01/2009/TT-BTTTT", "07/2008/CT-BCA(E11)"]
    );
    let first_row = register.texts(".register-table tbody tr:first-child td");
    assert_eq!(first_row[0], "Ngày ban hành: 20/12/2025");
    assert!(first_row[1].starts_with("Quyết định "), "{}", first_row[1]);
    assert_eq!(
        first_row[2],
        "Cơ quan ban hành: Bộ Thông tin và Truyền thông"
    );
    assert_eq!(
        register.attr(".register-table tbody tr:first-child th a", "href"),
        "/van-ban/quyet-dinh-moi/"
    );
    // The menu leads to it, and its feed exists.
    assert!(
        register
            .attrs("nav.site-nav a", "href")
            .contains(&"/van-ban/".to_string())
    );
    let feed = std::fs::read_to_string(site.file("/van-ban/rss.xml")).unwrap();
    assert_eq!(feed.matches("<item>").count(), 5);
    // Directives are not news: the home page's latest items are articles only.
    let home = site.html("/");
    assert!(
        home.texts(".latest a")
            .iter()
            .all(|t| !t.starts_with("Quyết định"))
    );
}

#[test]
fn filter_pages_by_type_year_and_issuer_work_without_javascript() {
    let site = register_site();
    site.build();
    let numbers = |url: &str| site.html(url).texts(".register-table tbody th");
    assert_eq!(
        numbers("/van-ban/loai/quyet-dinh/"),
        vec!["15/2025/QĐ-BTTTT", "2016/QĐ-BTTTT"]
    );
    assert_eq!(
        numbers("/van-ban/loai/chi-thi/"),
        vec!["07/2008/CT-BCA(E11)"]
    );
    assert_eq!(numbers("/van-ban/nam/2008/"), vec!["07/2008/CT-BCA(E11)"]);
    assert_eq!(
        numbers("/van-ban/co-quan/bo-cong-an/"),
        vec!["07/2008/CT-BCA(E11)"]
    );
    assert_eq!(
        site.html("/van-ban/nam/2008/").text("h1"),
        "Văn bản chỉ đạo: 2008"
    );
    let register = site.html("/van-ban/");
    let links = register.attrs(".register-filters a", "href");
    for url in [
        "/van-ban/loai/chi-thi/",
        "/van-ban/nam/2010/",
        "/van-ban/co-quan/bo-thong-tin-va-truyen-thong/",
    ] {
        assert!(links.contains(&url.to_string()), "filter bar lacks {url}");
    }
    for href in links {
        assert!(site.exists(&href), "filter link {href} has no page");
    }
    let filtered = site.html("/van-ban/loai/chi-thi/");
    assert_eq!(
        filtered.attr(".register-filters a[aria-current=page]", "href"),
        "/van-ban/loai/chi-thi/"
    );
    // One filter system: the script loads these same links in place; there
    // is no second form.
    assert_eq!(register.count("main form"), 0);
}

#[test]
fn numbers_in_news_are_linked_except_in_links_code_and_headings() {
    let site = register_site();
    site.build();
    let page = site.html("/tin-tuc/tin-chi-thi/");
    // In the lead (front-matter summary) and in the body, with stray spaces.
    assert_eq!(page.attr(".sapo a", "href"), "/van-ban/chi-thi/");
    assert_eq!(page.text(".sapo a"), "07/2008/CT-BCA(E11)");
    let body_links: Vec<(String, String)> = page
        .texts(".article-body a.document-link")
        .into_iter()
        .zip(page.attrs(".article-body a.document-link", "href"))
        .collect();
    assert_eq!(
        body_links,
        vec![(
            "2016/ QĐ- BTTTT".to_string(),
            "/van-ban/quyet-dinh/".to_string()
        )]
    );
    assert_eq!(
        page.attr(".article-body a[href='/khac/']", "href"),
        "/khac/"
    );
    assert_eq!(page.count(".article-body h2 a"), 0);
    assert_eq!(page.count(".article-body code a"), 0);
    // "Văn bản liên quan": the directives it mentions, linked or not.
    assert_eq!(page.text(".related-documents h2"), "Văn bản liên quan");
    let mut related = page.attrs(".related-documents a", "href");
    related.sort();
    assert_eq!(
        related,
        vec![
            "/van-ban/chi-thi/",
            "/van-ban/quyet-dinh/",
            "/van-ban/thong-tu-cu/"
        ]
    );
    // Front matter `documents:` counts too.
    let named = site.html("/tin-tuc/tin-khong-nhac/");
    assert_eq!(
        named.attrs(".related-documents a", "href"),
        vec!["/van-ban/cong-van/"]
    );
    assert_eq!(
        site.html("/van-ban/cong-van/").attrs(".related a", "href"),
        vec!["/tin-tuc/tin-khong-nhac/"]
    );
}

/// Builds a site whose directive has `front_matter`, expecting one error
/// containing `message` located at `line` of that file.
fn schema_error(front_matter: &str, message: &str, line: usize) {
    TestSite::new().located_error("content/van-ban/vb/index.md", front_matter, message, line);
}

#[test]
fn directive_schema_errors_are_located() {
    schema_error(
        "title: A\ndate: 2020-01-01\ndocument:\n  type: Chỉ thị",
        "has no `number`",
        4,
    );
    schema_error(
        "title: A\ndocument:\n  number: 1/QĐ\n  signed: 31/02/2020",
        "`31/02/2020` is not a date",
        5,
    );
    schema_error(
        "title: A\ndocument:\n  number: 1/QĐ\n  signed: 2020-03-01\n  effective: 2020-02-01",
        "takes effect (`effective`) before it was signed",
        6,
    );
    schema_error(
        "title: A\ndocument:\n  number: 1/QĐ\n  signed: 2020-03-01\n  attachments: [khong-co.pdf]",
        "attachment `khong-co.pdf` does not exist",
        6,
    );
    schema_error(
        "title: A\ndocument:\n  number: 1/QĐ\n  signed: 2020-03-01\n  so_hieu: x",
        "unknown field `so_hieu`",
        6,
    );
    schema_error(
        "title: A\ndate: 2020-01-01\ndocuments: [\"9/QĐ-KHONG\"]",
        "no directive of this site has the number `9/QĐ-KHONG`",
        4,
    );
}

#[test]
fn two_directives_with_one_number_name_both_files() {
    let site = register_site();
    directive(
        &site,
        "trung",
        "title: Trùng số\ndocument:\n  number: \"2016/QĐ- BTTTT\"\n  signed: 2010-12-24",
    );
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert!(
        shown.contains("two directives have the number `2016/QĐ- BTTTT`"),
        "{shown}"
    );
    assert!(
        shown.contains("content/van-ban/quyet-dinh/index.md")
            && shown.contains("content/van-ban/trung/index.md"),
        "{shown}"
    );
}
