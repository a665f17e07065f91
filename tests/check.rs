//! `gazette check`: a build in memory that verifies every internal link.

mod common;

use std::process::Command;

use common::TestSite;

fn check(site: &TestSite, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn linked_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/bai-a/index.md",
        "---\ntitle: Bài A\ndate: 2021-01-01\ncategory: chuyen-doi-so\naliases: [/cu/a.html]\n---\n\
         Xem [bài B](/tin-tuc/bai-b/#muc-hai) và [tệp](tai-lieu.pdf).\n\n![Ảnh](anh.svg)\n",
    );
    site.write("content/tin-tuc/bai-a/tai-lieu.pdf", "%PDF");
    site.write(
        "content/tin-tuc/bai-a/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.article(
        "bai-b",
        "title: Bài B\ndate: 2021-01-02",
        "## Mục hai\n\nQuay lại [bài A](../bai-a/).\n",
    );
    site
}

#[test]
fn a_site_whose_links_resolve_passes_and_nothing_is_written() {
    let site = linked_site();
    let (code, _, stderr) = check(&site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nothing broken"), "{stderr}");
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn broken_links_anchors_and_images_fail_with_the_source_file_and_line() {
    let site = linked_site();
    site.article(
        "c",
        "title: Bài C\ndate: 2021-01-03",
        "Đoạn một.\n\nXem [trang không có](/khong-co/), [mục sai](/tin-tuc/bai-b/#muc-ba).\n\n![Thiếu](thieu.jpg)\n",
    );
    let (code, _, stderr) = check(&site, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken link: `/khong-co/`"), "{stderr}");
    assert!(stderr.contains("--> content/tin-tuc/c.md:7:"), "{stderr}");
    assert!(
        stderr.contains("broken anchor: `/tin-tuc/bai-b/#muc-ba`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken image or file: `thieu.jpg`"),
        "{stderr}"
    );
    assert!(stderr.contains("3 broken"), "{stderr}");

    let (code, stdout, _) = check(&site, &["--format", "short"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("content/tin-tuc/c.md:7:")
                || l.starts_with("content/tin-tuc/c.md:9:")),
        "{stdout}"
    );
}

#[test]
fn content_errors_fail_check_like_build() {
    let site = linked_site();
    site.article("loi", "title: [Hỏng\ndate: 2021-01-01", "x\n");
    let (code, stdout, _) = check(&site, &["--format", "short"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("content/tin-tuc/loi.md:2:"), "{stdout}");
}

#[test]
fn the_sample_portal_passes_check() {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("nothing broken"), "{stderr}");
}
