//! Bad input: a located message, a failed build, and the output untouched.

mod common;

use common::{TestSite, render_errors};

/// Builds `site` once cleanly, breaks it with `breaking`, and checks the
/// second build fails with a message naming `file:line` and leaves the
/// output byte-for-byte as it was.
fn fails_at(
    site: &TestSite,
    breaking: impl FnOnce(&TestSite),
    file: &str,
    line: usize,
    message: &str,
) -> String {
    site.build();
    let before = site.snapshot();
    breaking(site);
    let err = site.try_build().expect_err("the build should fail");
    let shown = render_errors(&err);
    assert!(!err.io, "a content problem is not an I/O problem:\n{shown}");
    let located = err
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(std::path::Path::new(file)));
    let located = located.unwrap_or_else(|| panic!("no diagnostic for {file}:\n{shown}"));
    assert_eq!(located.line, Some(line), "{shown}");
    assert!(
        located.message.contains(message),
        "expected `{message}` in:\n{shown}"
    );
    assert_eq!(site.snapshot(), before, "the output changed");
    let leftovers = site.leftovers();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    shown
}

fn good_site() -> TestSite {
    TestSite::with_good_article()
}

#[test]
fn broken_yaml_names_file_and_line_and_keeps_public() {
    let site = good_site();
    let shown = fails_at(
        &site,
        |s| {
            s.article(
                "hong",
                "title: Bài hỏng\ndate: 2021-01-01\ntags: [a, b\ncategory: chuyen-doi-so",
                "x\n",
            );
        },
        "content/tin-tuc/hong.md",
        5,
        "front matter",
    );
    assert!(shown.contains("--> content/tin-tuc/hong.md:5:"), "{shown}");
}

#[test]
fn wrong_type_is_located() {
    let site = good_site();
    fails_at(
        &site,
        |s| {
            s.article("kieu", "title:\n  vi: Tiêu đề\ndate: 2021-01-01", "x\n");
        },
        "content/tin-tuc/kieu.md",
        3,
        "invalid type: map",
    );
}

#[test]
fn unreadable_date_lists_the_accepted_forms() {
    let site = good_site();
    let shown = fails_at(
        &site,
        |s| {
            s.article("ngay", "title: Ngày sai\ndate: 30/02/2021", "x\n");
        },
        "content/tin-tuc/ngay.md",
        3,
        "`30/02/2021` is not a date",
    );
    assert!(shown.contains("2021-02-23T07:59:00+07:00"), "{shown}");
}

#[test]
fn undeclared_category_suggests_the_nearest() {
    let site = good_site();
    let shown = fails_at(
        &site,
        |s| {
            s.article(
                "cm",
                "title: Chuyên mục sai\ndate: 2021-01-01\ncategory: chuyen-doi",
                "x\n",
            );
        },
        "content/tin-tuc/cm.md",
        4,
        "undeclared category `chuyen-doi`",
    );
    assert!(shown.contains("did you mean `chuyen-doi-so`"), "{shown}");
}

#[test]
fn missing_title_and_date_and_unclosed_front_matter_all_reported_at_once() {
    let site = good_site();
    site.build();
    site.article("thieu", "author: Ai đó", "x\n");
    site.write("content/tin-tuc/mo.md", "---\ntitle: Không đóng\n");
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert!(shown.contains("the page has no `title`"), "{shown}");
    assert!(shown.contains("the article has no `date`"), "{shown}");
    assert!(shown.contains("front matter is not closed"), "{shown}");
    assert!(shown.contains("content/tin-tuc/mo.md:1:1"), "{shown}");
}

#[test]
fn two_pages_on_one_url_names_both_files() {
    let site = good_site();
    site.build();
    let before = site.snapshot();
    // Two explicit slugs, or a slug and a file name, on one URL.
    site.article(
        "trung",
        "title: Bài khác\ndate: 2021-01-02\nslug: tot",
        "x\n",
    );
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert_eq!(err.diagnostics.len(), 1, "{shown}");
    let message = &err.diagnostics[0].message;
    assert!(message.contains("`/tin-tuc/tot/`"), "{message}");
    assert!(
        message.contains("content/tin-tuc/trung.md") && message.contains("content/tin-tuc/tot.md"),
        "{message}"
    );
    assert_eq!(site.snapshot(), before);
}

#[test]
fn alias_colliding_with_a_page_is_an_error() {
    let site = good_site();
    site.article(
        "khac",
        "title: Bài khác\ndate: 2021-01-02\naliases: [/tin-tuc/tot/]",
        "x\n",
    );
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert!(
        shown.contains("two things on one URL `/tin-tuc/tot/`"),
        "{shown}"
    );
    assert!(
        shown.contains("the alias `/tin-tuc/tot/` of content/tin-tuc/khac.md"),
        "{shown}"
    );
}

#[test]
fn bad_config_is_located() {
    let site = good_site();
    fails_at(
        &site,
        |s| {
            s.write(
                "config.yaml",
                &common::CONFIG.replace("paginate: 3", "paginate: 3\nthem_sai: 1"),
            );
        },
        "config.yaml",
        4,
        "unknown field `them_sai`",
    );
}

#[test]
fn template_syntax_error_names_the_template_file() {
    let site = good_site();
    fails_at(
        &site,
        |s| {
            s.write("templates/page.html", "<h1>\n{{ page.title \n</h1>\n");
        },
        "templates/page.html",
        3,
        "template",
    );
}

#[test]
fn template_runtime_error_names_template_and_page() {
    let site = good_site();
    site.build();
    site.write("templates/article.html", "{{ khong_co }}");
    let err = site.try_build().unwrap_err();
    let d = &err.diagnostics[0];
    assert_eq!(
        d.file.as_deref(),
        Some(std::path::Path::new("content/tin-tuc/tot.md"))
    );
    assert!(d.message.contains("article.html"), "{}", d.message);
    assert!(d.message.contains("khong_co"), "{}", d.message);
}

#[test]
fn the_command_exits_1_with_file_and_line() {
    let site = good_site();
    site.article("hong", "title: [Hỏng\ndate: 2021-01-01", "x\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/tin-tuc/hong.md:2:"), "{stderr}");
    assert!(!site.public().exists());
}
