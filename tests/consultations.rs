//! Drafts for public comment: their status on the day of the build, the
//! register at `/du-thao/` and its filters, the home page's block, the
//! feed, the open data file validated against its schema, the located
//! errors of bad front matter, and a `Session` edit of a draft.

mod common;

use chrono::{DateTime, FixedOffset};
use common::{TestSite, render_errors};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

const OPEN: &str = "\
title: Lấy ý kiến dự thảo Thông tư A
summary: Dự thảo Thông tư A.
consultation:
  title: Dự thảo Thông tư quy định A
  unit: Văn phòng Bộ
  field: Chuyển đổi số
  opens: 2026-12-01
  closes: 2026-12-15
  comments:
    email: gopy@example.gov.vn
    address: 1 Phố Thử, Hà Nội
    form: https://gopy.example.gov.vn/nhan
  attachments:
    - { file: du-thao.pdf, title: Dự thảo Thông tư }
    - { file: to-trinh.pdf, title: Tờ trình }";

/// A site with three drafts: one open from 1 to 15 December 2026, one that
/// opens on 1 February 2027, one that closed in 2025; and one news item.
fn site() -> TestSite {
    let site = TestSite::with_good_article();
    site.write(
        "content/du-thao/_index.md",
        "---\ntitle: Lấy ý kiến dự thảo\ndescription: Dự thảo đang lấy ý kiến.\n---\n",
    );
    site.write(
        "content/du-thao/a/index.md",
        &format!("---\n{OPEN}\n---\nNội dung dự thảo.\n"),
    );
    site.write("content/du-thao/a/du-thao.pdf", "%PDF-1.4 draft");
    site.write("content/du-thao/a/to-trinh.pdf", "%PDF-1.4 note");
    site.write(
        "content/du-thao/b.md",
        "---\ntitle: Lấy ý kiến dự thảo Quyết định B\nconsultation:\n  field: Công nghệ thông tin\n  opens: 2027-02-01\n  closes: 2027-03-01\n  comments: { email: gopy@example.gov.vn }\n---\nB.\n",
    );
    site.write(
        "content/du-thao/c.md",
        "---\ntitle: Lấy ý kiến dự thảo Nghị định C\nconsultation:\n  opens: 2025-01-01\n  closes: 2025-02-01 17:00\n  comments: { address: 1 Phố Thử }\n---\nC.\n",
    );
    site
}

fn build_at(site: &TestSite, now: &str) {
    let mut options = site.options();
    options.now = Some(at(now));
    if let Err(err) = gazette::build(&options) {
        panic!("build failed:\n{}", render_errors(&err));
    }
}

#[test]
fn the_status_follows_the_build_day_in_the_sites_time_zone() {
    let site = site();
    let status = |now: &str| {
        build_at(&site, now);
        let page = site.html("/du-thao/a/");
        let days = page.texts(".article-meta .consultation-days");
        (page.text(".article-meta .badge"), days.concat())
    };
    let text = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        status("2026-11-28T09:00:00+07:00"),
        text("Sắp lấy ý kiến", "mở sau 3 ngày")
    );
    assert_eq!(
        status("2026-12-01T00:00:00+07:00"),
        text("Đang lấy ý kiến", "còn 14 ngày")
    );
    // The last day, early and late, told by a clock in UTC as CI's is.
    assert_eq!(
        status("2026-12-14T17:30:00+00:00"),
        text("Đang lấy ý kiến", "hôm nay là ngày cuối")
    );
    assert_eq!(
        status("2026-12-15T16:59:00+00:00"),
        text("Đang lấy ý kiến", "hôm nay là ngày cuối")
    );
    assert_eq!(status("2026-12-15T17:00:00+00:00"), text("Đã hết hạn", ""));
}

#[test]
fn an_open_draft_says_where_to_send_comments_and_a_closed_one_does_not() {
    let site = site();
    build_at(&site, "2026-12-10T10:00:00+07:00");
    let page = site.html("/du-thao/a/");
    assert_eq!(page.text(".directive-meta caption"), "Thông tin dự thảo");
    assert_eq!(
        page.attrs(".consultation-ways a", "href"),
        vec![
            "mailto:gopy@example.gov.vn?subject=D%E1%BB%B1%20th%E1%BA%A3o%20Th%C3%B4ng%20t%C6%B0%20quy%20%C4%91%E1%BB%8Bnh%20A"
        ]
    );
    assert_eq!(
        page.attr(".consultation-form", "action"),
        "https://gopy.example.gov.vn/nhan"
    );
    assert_eq!(page.attr(".consultation-form", "method"), "post");
    assert_eq!(
        page.attr(".consultation-form input[name=draft]", "value"),
        "https://example.gov.vn/du-thao/a/"
    );
    assert_eq!(
        page.attrs(".attachment-list a", "href"),
        vec!["/du-thao/a/du-thao.pdf", "/du-thao/a/to-trinh.pdf"]
    );
    assert!(site.exists("/du-thao/a/du-thao.pdf"));
    assert_eq!(
        page.texts(".breadcrumbs a")[1..],
        ["Lấy ý kiến dự thảo".to_string()]
    );

    build_at(&site, "2026-12-16T10:00:00+07:00");
    let page = site.html("/du-thao/a/");
    assert_eq!(page.count(".consultation-form"), 0);
    assert_eq!(page.count(".consultation-ways"), 0);
    assert_eq!(
        page.text(".consultation-note"),
        "Đã hết thời hạn lấy ý kiến đối với dự thảo này."
    );
}

#[test]
fn the_register_lists_open_drafts_first_with_status_and_field_filters() {
    let site = site();
    build_at(&site, "2026-12-10T10:00:00+07:00");
    let register = site.html("/du-thao/");
    assert_eq!(register.text("h1"), "Lấy ý kiến dự thảo");
    assert_eq!(
        register.attrs(".consultation-table tbody th a", "href"),
        vec!["/du-thao/a/", "/du-thao/b/", "/du-thao/c/"]
    );
    assert_eq!(
        register.texts(".consultation-table .cell-status .badge"),
        vec!["Đang lấy ý kiến", "Sắp lấy ý kiến", "Đã hết hạn"]
    );
    assert_eq!(
        register.attrs("#loc-tinh-trang ~ ul a", "href"),
        vec![
            "/du-thao/",
            "/du-thao/trang-thai/dang-lay-y-kien/",
            "/du-thao/trang-thai/sap-lay-y-kien/",
            "/du-thao/trang-thai/da-het-han/"
        ]
    );
    let open = site.html("/du-thao/trang-thai/dang-lay-y-kien/");
    assert_eq!(open.text("h1"), "Lấy ý kiến dự thảo: Đang lấy ý kiến");
    assert_eq!(
        open.attrs(".consultation-table tbody th a", "href"),
        vec!["/du-thao/a/"]
    );
    let field = site.html("/du-thao/linh-vuc/cong-nghe-thong-tin/");
    assert_eq!(
        field.attrs(".consultation-table tbody th a", "href"),
        vec!["/du-thao/b/"]
    );
    // Drafts are not news.
    let home = site.html("/");
    assert!(
        !home
            .attrs(".latest a", "href")
            .iter()
            .any(|h| h.starts_with("/du-thao/"))
    );
    assert_eq!(
        home.attrs(".open-consultations li > a", "href"),
        vec!["/du-thao/a/"]
    );
    assert_eq!(home.text(".open-consultations .badge"), "còn 5 ngày");

    // Once every draft has closed, the home page has no block.
    build_at(&site, "2027-06-01T10:00:00+07:00");
    assert_eq!(site.html("/").count(".open-consultations"), 0);
    assert!(!site.exists("/du-thao/trang-thai/dang-lay-y-kien/"));
}

#[test]
fn the_feed_and_the_open_data_carry_every_draft() {
    let site = site();
    build_at(&site, "2026-12-14T20:00:00+00:00");
    let feed = std::fs::read(site.public().join("du-thao/rss.xml")).unwrap();
    let feed = feed_rs::parser::parse(&feed[..]).unwrap();
    let links: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    // Newest first, by the day comments open.
    assert_eq!(
        links,
        vec![
            "https://example.gov.vn/du-thao/b/",
            "https://example.gov.vn/du-thao/a/",
            "https://example.gov.vn/du-thao/c/"
        ]
    );

    site.assert_valid("api/du-thao.json", "du-thao.v1.json");
    let data = site.json("api/du-thao.json");
    assert_eq!(data["version"], 1);
    assert_eq!(
        data["$schema"],
        "https://example.gov.vn/api/schema/du-thao.v1.json"
    );
    let first = &data["items"][0];
    assert_eq!(first["url"], "https://example.gov.vn/du-thao/a/");
    assert_eq!(first["status"], "open");
    // 03:00 on the last day in Hanoi.
    assert_eq!(first["days_left"], 0);
    assert_eq!(first["opens"], "2026-12-01T00:00:00+07:00");
    assert_eq!(first["closes"], "2026-12-15T23:59:59+07:00");
    assert_eq!(
        first["comments"]["form"],
        "https://gopy.example.gov.vn/nhan"
    );
    assert_eq!(
        first["attachments"][0]["url"],
        "https://example.gov.vn/du-thao/a/du-thao.pdf"
    );
    assert_eq!(first["attachments"][0]["size"], 14);
    let statuses: Vec<&str> = (data["items"].as_array().unwrap().iter())
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["open", "upcoming", "closed"]);
    assert_eq!(data["items"][2]["closes"], "2025-02-01T17:00:00+07:00");
    assert!(data["items"][1]["days_left"].is_null());
}

/// Builds a site whose draft has `front_matter`, expecting an error
/// containing `message` at `line` of that file, and no output.
fn draft_error(front_matter: &str, message: &str, line: usize) {
    let d = TestSite::new().located_error("content/du-thao/d.md", front_matter, message, line);
    assert!(d.column.is_some(), "{d:?}");
}

#[test]
fn bad_drafts_are_located_errors() {
    let good = "  comments: { email: gopy@example.gov.vn }";
    draft_error(
        &format!("title: A\nconsultation:\n  opens: 2026-12-10\n  closes: 2026-12-01\n{good}"),
        "comments close (`closes`) before they open",
        5,
    );
    draft_error(
        &format!("title: A\nconsultation:\n  closes: 2026-12-01\n{good}"),
        "has no `opens` date",
        3,
    );
    draft_error(
        "title: A\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10",
        "says nowhere to send comments",
        3,
    );
    draft_error(
        "title: A\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10\n  comments:\n    email: gopy-at-example",
        "`gopy-at-example` is not an email address",
        7,
    );
    draft_error(
        "title: A\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10\n  comments:\n    form: javascript:alert(1)",
        "is not a web link",
        7,
    );
    draft_error(
        &format!(
            "title: A\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10\n{good}\n  attachments: [khong-co.pdf]"
        ),
        "attachment `khong-co.pdf` does not exist",
        7,
    );
    draft_error(
        &format!(
            "title: A\ndocument: {{ number: 1/QĐ }}\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10\n{good}"
        ),
        "cannot be both a directive",
        4,
    );
    draft_error(
        &format!(
            "title: A\nconsultation:\n  opens: 2026-12-01\n  closes: 2026-12-10\n  deadline: 2026-12-20\n{good}"
        ),
        "deadline",
        6,
    );
}

/// Under `serve`, a draft edited, new or deleted is rebuilt without a
/// whole build, and what is served equals one.
#[test]
fn a_session_edit_of_a_draft_is_as_a_whole_build() {
    let site = site();
    let mut session = common::session::open(&site);
    let path = site.root().join("content/du-thao/b.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("2027-02-01", "2026-01-01")).unwrap();
    let report = common::session::rebuild(&mut session, std::slice::from_ref(&path));
    assert!(!report.full, "{report:?}");
    common::session::assert_same_as_whole_build(&site);
    assert_eq!(
        site.html("/du-thao/")
            .texts(".consultation-table .cell-status .badge"),
        vec!["Đang lấy ý kiến", "Sắp lấy ý kiến", "Đã hết hạn"]
    );
    // A new draft in a field of its own: a filter page of its own.
    let fresh = site.root().join("content/du-thao/moi.md");
    std::fs::write(
        &fresh,
        text.replace("2027-02-01", "2026-01-01")
            .replace("title: ", "title: Mới "),
    )
    .unwrap();
    let report = common::session::rebuild(&mut session, std::slice::from_ref(&fresh));
    assert!(!report.full, "{report:?}");
    common::session::assert_same_as_whole_build(&site);
    let data = site.json("api/du-thao.json");
    assert_eq!(data["items"].as_array().map(Vec::len), Some(4));
    assert!(
        site.exists("/du-thao/trang/2/"),
        "a second page of the register"
    );
    std::fs::remove_file(&path).unwrap();
    let report = common::session::rebuild(&mut session, &[path]);
    assert!(!report.full, "{report:?}");
    common::session::assert_same_as_whole_build(&site);
    // An edit of a news item leaves the drafts as they were.
    let news = site.root().join("content/tin-tuc/tot.md");
    std::fs::write(
        &news,
        "---\ntitle: Bài tốt hơn\ndate: 2021-01-01\ncategory: chuyen-doi-so\n---\nx\n",
    )
    .unwrap();
    common::session::rebuild(&mut session, &[news]);
    common::session::assert_same_as_whole_build(&site);
}

#[test]
fn a_one_day_draft_and_files_named_in_vietnamese() {
    let site = TestSite::new();
    site.write(
        "content/du-thao/mot-ngay/index.md",
        "---\ntitle: Một ngày\nconsultation:\n  opens: 2026-12-01 08:00\n  closes: 2026-12-01\n  comments: { email: gopy@example.gov.vn }\n  attachments: [{ file: Tờ trình số 1.pdf, title: Tờ trình }]\n---\nx\n",
    );
    site.write("content/du-thao/mot-ngay/Tờ trình số 1.pdf", "%PDF");
    build_at(&site, "2026-12-01T10:00:00+07:00");
    let data = site.json("api/du-thao.json");
    assert_eq!(data["items"][0]["status"], "open");
    assert_eq!(data["items"][0]["closes"], "2026-12-01T23:59:59+07:00");
    assert_eq!(
        data["items"][0]["attachments"][0]["url"],
        "https://example.gov.vn/du-thao/mot-ngay/T%E1%BB%9D%20tr%C3%ACnh%20s%E1%BB%91%201.pdf"
    );
    site.assert_valid("api/du-thao.json", "du-thao.v1.json");
    // The register and its filters are in the sitemap.
    let locs = site.sitemap_locs();
    assert!(
        locs.iter().any(|l| l == "https://example.gov.vn/du-thao/"),
        "{locs:?}"
    );
    assert!(
        locs.iter()
            .any(|l| l == "https://example.gov.vn/du-thao/trang-thai/dang-lay-y-kien/"),
        "{locs:?}"
    );
}

#[test]
fn a_session_edit_of_the_registers_index_is_as_a_whole_build() {
    let site = site();
    let mut session = common::session::open(&site);
    let index = site.root().join("content/du-thao/_index.md");
    std::fs::write(&index, "---\ntitle: Góp ý dự thảo\n---\n").unwrap();
    common::session::rebuild(&mut session, std::slice::from_ref(&index));
    common::session::assert_same_as_whole_build(&site);
    assert_eq!(site.html("/du-thao/").text("h1"), "Góp ý dự thảo");
}
