//! The agency's pages: organisation, leaders and contacts built from the
//! front matter's lists, and their bad data as located errors.

mod common;

use common::{TestSite, render_errors};

const ORGANISATION: &str = "\
---
title: Cơ cấu tổ chức
units:
  - id: bo
    name: Bộ Thử nghiệm
    head: Nguyễn Văn A
  - name: Văn phòng Bộ
    parent: bo
    function: Tham mưu tổng hợp.
    url: /gioi-thieu/
  - name: Phòng Hành chính
    parent: Văn phòng Bộ
  - id: trung-tam
    name: Trung tâm Thông tin
    parent: bo
---
Giới thiệu chung.
";

const LEADERS: &str = "\
---
title: Lãnh đạo Bộ
leaders:
  - name: Nguyễn Văn A
    title: Bộ trưởng
    portfolio: Phụ trách chung.
    photo: a.svg
    bio: |
      Đoạn một.

      Đoạn hai.
  - name: Trần Thị B
    title: Thứ trưởng
---
";

const CONTACTS: &str = "\
---
title: Danh bạ liên hệ
contacts:
  - unit: Văn phòng Bộ
    person: Lê Văn C
    position: Chánh Văn phòng
    phone: (024) 3943.7260
    email: vanphong@example.gov.vn
  - unit: Bộ phận một cửa
    phone: +84 1900 1234
  - unit: Ban biên tập
    email: bbt@example.gov.vn
---
";

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";

#[test]
fn organisation_is_a_tree_in_the_order_written() {
    let site = TestSite::new();
    site.write("content/co-cau-to-chuc.md", ORGANISATION);
    site.build();
    let page = site.html("/co-cau-to-chuc/");
    // One unit at the top; two under it; one under the second.
    assert_eq!(
        page.texts(".unit-tree > li > .unit-name"),
        vec!["Bộ Thử nghiệm"]
    );
    assert_eq!(
        page.texts(".unit-tree > li > ul > li > .unit-name"),
        vec!["Văn phòng Bộ", "Trung tâm Thông tin"]
    );
    assert_eq!(
        page.texts("#don-vi-van-phong-bo > ul > li > .unit-name"),
        vec!["Phòng Hành chính"]
    );
    assert_eq!(
        page.text("#don-vi-bo > .unit-head"),
        "Người đứng đầu: Nguyễn Văn A"
    );
    assert_eq!(
        page.attr("#don-vi-van-phong-bo > .unit-name a", "href"),
        "/gioi-thieu/"
    );
    assert_eq!(
        page.text("#don-vi-van-phong-bo > .unit-function"),
        "Tham mưu tổng hợp."
    );
    assert_eq!(page.text(".article-body"), "Giới thiệu chung.");
}

#[test]
fn leaders_show_title_portfolio_photo_and_bio() {
    let site = TestSite::new();
    site.write("content/lanh-dao/index.md", LEADERS);
    site.write("content/lanh-dao/a.svg", SVG);
    site.build();
    let page = site.html("/lanh-dao/");
    assert_eq!(
        page.texts(".leader-name"),
        vec!["Nguyễn Văn A", "Trần Thị B"]
    );
    assert_eq!(page.texts(".leader-title"), vec!["Bộ trưởng", "Thứ trưởng"]);
    assert_eq!(page.attr(".leader-photo", "src"), "/lanh-dao/a.svg");
    assert_eq!(page.attr(".leader-photo", "alt"), "Nguyễn Văn A");
    assert!(site.exists("/lanh-dao/a.svg"));
    assert_eq!(page.texts(".leader-bio"), vec!["Đoạn một.", "Đoạn hai."]);
    assert_eq!(page.count(".leader-portfolio"), 1);
}

#[test]
fn contacts_link_phones_and_addresses() {
    let site = TestSite::new();
    site.write("content/danh-ba.md", CONTACTS);
    site.build();
    let page = site.html("/danh-ba/");
    assert_eq!(
        page.texts(".contact-table tbody th[scope=row]"),
        vec!["Văn phòng Bộ", "Bộ phận một cửa", "Ban biên tập"]
    );
    assert_eq!(
        page.attrs(".contact-table a[href^='tel:']", "href"),
        vec!["tel:02439437260", "tel:+8419001234"]
    );
    assert_eq!(
        page.texts(".contact-table a[href^='tel:']"),
        vec!["(024) 3943.7260", "+84 1900 1234"]
    );
    assert_eq!(
        page.attrs(".contact-table a[href^='mailto:']", "href"),
        vec![
            "mailto:vanphong@example.gov.vn",
            "mailto:bbt@example.gov.vn"
        ]
    );
    // Each cell names its column, for the stacked layout on phones.
    assert_eq!(
        page.attrs(".contact-table tbody tr:first-child td", "data-label"),
        vec!["Người liên hệ", "Điện thoại", "Thư điện tử"]
    );
    assert_eq!(
        page.text(".contact-table tbody tr:first-child td:first-of-type"),
        "Lê Văn C, Chánh Văn phòng"
    );
}

#[test]
fn agency_data_is_escaped() {
    let site = TestSite::new();
    site.write(
        "content/danh-ba.md",
        "---\ntitle: Danh bạ\ncontacts:\n  - unit: \"<script>alert(1)</script>\"\n    phone: 024 3943 7260\n---\n",
    );
    site.build();
    let page = site.html("/danh-ba/");
    assert_eq!(page.count("main script"), 0);
    assert_eq!(
        page.text(".contact-table tbody th"),
        "<script>alert(1)</script>"
    );
}

/// The build fails at `line` of `file` with `message`, leaving the output
/// as it was.
fn fails_at(file: &str, text: &str, line: usize, message: &str) {
    let site = TestSite::with_good_article();
    site.build();
    let before = site.snapshot();
    site.write(file, text);
    let err = site.try_build().expect_err("the build should fail");
    let shown = render_errors(&err);
    let found = err.diagnostics.iter().find(|d| d.message.contains(message));
    let found = found.unwrap_or_else(|| panic!("no `{message}` in:\n{shown}"));
    assert_eq!(
        found.file.as_deref(),
        Some(std::path::Path::new(file)),
        "{shown}"
    );
    assert_eq!(found.line, Some(line), "{shown}");
    assert!(found.hint.is_some(), "{shown}");
    assert_eq!(site.snapshot(), before, "the output changed");
}

#[test]
fn a_unit_without_a_name_is_located_at_its_item() {
    let text = ORGANISATION.replace("  - name: Phòng Hành chính\n", "  - head: Ai đó\n");
    fails_at(
        "content/co-cau-to-chuc.md",
        &text,
        11,
        "`units` item 3: the unit has no `name`",
    );
}

#[test]
fn an_unknown_parent_is_located_at_it_and_names_the_nearest_unit() {
    let text = ORGANISATION.replace("parent: Văn phòng Bộ", "parent: Văn phòng Bo");
    fails_at(
        "content/co-cau-to-chuc.md",
        &text,
        12,
        "no unit has the id or name `Văn phòng Bo`",
    );
    let site = TestSite::new();
    site.write("content/co-cau-to-chuc.md", &text);
    let err = site.try_build().unwrap_err();
    assert!(
        render_errors(&err).contains("did you mean `Văn phòng Bộ`?"),
        "{}",
        render_errors(&err)
    );
}

#[test]
fn a_circle_of_parents_is_an_error() {
    let text = ORGANISATION.replace(
        "    name: Bộ Thử nghiệm\n",
        "    name: Bộ Thử nghiệm\n    parent: trung-tam\n",
    );
    fails_at(
        "content/co-cau-to-chuc.md",
        &text,
        6,
        "is placed under itself through its parents",
    );
}

#[test]
fn a_leader_without_a_title_is_an_error() {
    let text = LEADERS.replace("    title: Thứ trưởng\n", "");
    fails_at(
        "content/lanh-dao.md",
        &text,
        12,
        "`leaders` item 2: the leader has no `title`",
    );
}

#[test]
fn a_malformed_phone_is_located_at_its_value() {
    let text = CONTACTS.replace("+84 1900 1234", "1900 12x4");
    fails_at(
        "content/danh-ba.md",
        &text,
        10,
        "`contacts` item 2: `1900 12x4` is not a phone number",
    );
}

#[test]
fn a_malformed_email_is_located_at_its_value() {
    let text = CONTACTS.replace("bbt@example.gov.vn", "bbt.example.gov.vn");
    fails_at(
        "content/danh-ba.md",
        &text,
        12,
        "`contacts` item 3: `bbt.example.gov.vn` is not an email address",
    );
}

#[test]
fn a_contact_without_a_way_to_reach_it_is_an_error() {
    let text = CONTACTS.replace("    email: bbt@example.gov.vn\n", "");
    fails_at(
        "content/danh-ba.md",
        &text,
        11,
        "the contact has neither `phone` nor `email`",
    );
}

#[test]
fn an_unknown_field_of_an_item_is_an_error() {
    let text = CONTACTS.replace("    person: Lê Văn C", "    persn: Lê Văn C");
    let site = TestSite::new();
    site.write("content/danh-ba.md", &text);
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert!(shown.contains("unknown field `persn`"), "{shown}");
    assert!(shown.contains("content/danh-ba.md:"), "{shown}");
}

#[test]
fn two_lists_on_one_page_is_an_error() {
    let text = CONTACTS.replace(
        "contacts:",
        "leaders:\n  - { name: A, title: B }\ncontacts:",
    );
    fails_at(
        "content/danh-ba.md",
        &text,
        5,
        "one page lists either `leaders` or `contacts`, not both",
    );
}

#[test]
fn every_bad_item_is_reported_at_once() {
    let text = CONTACTS
        .replace("(024) 3943.7260", "abc")
        .replace("bbt@example.gov.vn", "bbt@");
    let site = TestSite::new();
    site.write("content/danh-ba.md", &text);
    let err = site.try_build().unwrap_err();
    let lines: Vec<_> = err.diagnostics.iter().filter_map(|d| d.line).collect();
    assert_eq!(lines, vec![7, 12], "{}", render_errors(&err));
}

/// `gazette serve` re-reads an edited agency page alone; what it writes is
/// what a whole build of the same files writes, and a bad edit is
/// reported without writing anything.
#[test]
fn agency_edits_in_a_session_match_a_whole_build() {
    let site = TestSite::with_good_article();
    site.write("content/danh-ba.md", CONTACTS);
    site.write("content/co-cau-to-chuc.md", ORGANISATION);
    let (mut session, _) = gazette::Session::open(site.options()).unwrap();
    let contacts = site.root().join("content/danh-ba.md");
    site.write(
        "content/danh-ba.md",
        &CONTACTS.replace("1900 1234", "1900 12x4"),
    );
    let err = session
        .rebuild(std::slice::from_ref(&contacts))
        .unwrap_err();
    assert!(render_errors(&err).contains("is not a phone number"));
    site.write(
        "content/danh-ba.md",
        &CONTACTS.replace("1900 1234", "1900 5678"),
    );
    session.rebuild(std::slice::from_ref(&contacts)).unwrap();
    assert_eq!(
        site.html("/danh-ba/").attrs("a[href^='tel:']", "href")[1],
        "tel:+8419005678"
    );
    let organisation = site.root().join("content/co-cau-to-chuc.md");
    site.write(
        "content/co-cau-to-chuc.md",
        &ORGANISATION.replace("    parent: bo\n---", "    parent: Văn phòng Bộ\n---"),
    );
    session.rebuild(&[organisation]).unwrap();
    common::session::assert_same_as_whole_build(&site);
}
