//! `gazette new`: each kind of page is created with front matter that
//! parses, at the name and URL it announces, and builds without a warning;
//! what it refuses, it refuses without writing anything.

mod common;

use std::fs;
use std::process::{Command, Output};

use common::TestSite;

const BASE: &str = "https://example.gov.vn";

/// Runs `gazette <args> --root <site>`.
fn gazette(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `gazette new <args>`, which must succeed, and returns the file and
/// the URL it printed.
fn new(site: &TestSite, args: &[&str]) -> (String, String) {
    let mut all = vec!["new"];
    all.extend(args);
    let output = gazette(site, &all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout.trim_end();
    let (file, url) = line
        .strip_prefix("Created ")
        .and_then(|rest| rest.split_once(" → "))
        .unwrap_or_else(|| panic!("unexpected output: {line}"));
    assert!(site.root().join(file).is_file(), "{file} was not written");
    (file.to_string(), url.to_string())
}

/// Runs `gazette new <args>`, which must fail with `code` and write
/// nothing in `content/`; returns its stderr.
fn refused(site: &TestSite, args: &[&str], code: i32) -> String {
    let before = files(site);
    let mut all = vec!["new"];
    all.extend(args);
    let output = gazette(site, &all);
    assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert_eq!(files(site), before, "something was written");
    stderr(&output)
}

/// Every file and folder under `content/` with its bytes.
fn files(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(site.root().join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = if e.file_type().is_file() {
                fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.path().display().to_string(), bytes)
        })
        .collect()
}

/// The front matter of a written file, parsed.
fn front_matter(site: &TestSite, file: &str) -> serde_yaml::Value {
    let text = fs::read_to_string(site.root().join(file)).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(yaml, _)| yaml)
        .unwrap_or_else(|| panic!("no front matter in {text}"));
    serde_yaml::from_str(yaml).unwrap()
}

fn text<'a>(value: &'a serde_yaml::Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string: {value:?}"))
}

/// Today in Vietnam, read before and after the command ran: either.
fn today() -> [String; 2] {
    let day = || {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
            .format("%Y-%m-%d")
            .to_string()
    };
    [day(), day()]
}

fn is_today(date: &str, before: &[String; 2]) {
    let after = today();
    assert!(
        before.iter().chain(&after).any(|day| date.starts_with(day)),
        "{date} is not today in Vietnam ({before:?})"
    );
}

/// Builds with `--strict` through the command, and returns the parsed
/// page at `url`, checking that it is the site's URL.
fn build_strict(site: &TestSite, url: &str) -> common::Page {
    let output = gazette(site, &["build", "--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("warning"),
        "a warning: {}",
        stderr(&output)
    );
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not on {BASE}"));
    assert!(site.exists(path), "the build wrote nothing at {path}");
    site.html(path)
}

#[test]
fn article_named_by_its_folded_title() {
    let site = TestSite::new();
    let day = today();
    let (file, url) = new(
        &site,
        &[
            "article",
            "Họp báo thường kỳ tháng 3/2024",
            "--category",
            "Chuyển đổi số",
        ],
    );
    assert_eq!(file, "content/tin-tuc/hop-bao-thuong-ky-thang-3-2024.md");
    assert_eq!(
        url,
        format!("{BASE}/tin-tuc/hop-bao-thuong-ky-thang-3-2024/")
    );
    let fm = front_matter(&site, &file);
    assert_eq!(text(&fm, "title"), "Họp báo thường kỳ tháng 3/2024");
    assert_eq!(text(&fm, "category"), "chuyen-doi-so");
    is_today(text(&fm, "date"), &day);
    for empty in ["summary", "author"] {
        assert!(fm[empty].is_null(), "{empty}: {:?}", fm[empty]);
    }
    assert_eq!(fm["tags"], serde_yaml::Value::Sequence(Vec::new()));
    let page = build_strict(&site, &url);
    assert_eq!(page.text("h1"), "Họp báo thường kỳ tháng 3/2024");
}

#[test]
fn article_bundle_in_another_section() {
    let site = TestSite::new();
    let (file, url) = new(
        &site,
        &[
            "article",
            "Thông báo tuyển dụng: \"công chức\" năm 2024",
            "--bundle",
            "--section",
            "thong-bao",
            "--category",
            "cong-nghe-thong-tin",
        ],
    );
    assert_eq!(
        file,
        "content/thong-bao/thong-bao-tuyen-dung-cong-chuc-nam-2024/index.md"
    );
    let fm = front_matter(&site, &file);
    assert_eq!(
        text(&fm, "title"),
        "Thông báo tuyển dụng: \"công chức\" năm 2024"
    );
    let page = build_strict(&site, &url);
    assert_eq!(
        url,
        format!("{BASE}/thong-bao/thong-bao-tuyen-dung-cong-chuc-nam-2024/")
    );
    assert_eq!(
        page.text("h1"),
        "Thông báo tuyển dụng: \"công chức\" năm 2024"
    );
}

#[test]
fn article_without_category_builds() {
    let site = TestSite::new();
    let (file, url) = new(&site, &["article", "Tin ngắn", "--bundle"]);
    assert_eq!(file, "content/tin-tuc/tin-ngan/index.md");
    assert!(front_matter(&site, &file)["category"].is_null());
    assert_eq!(build_strict(&site, &url).text("h1"), "Tin ngắn");
}

#[test]
fn url_follows_the_sites_permalinks_and_slug_max() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!(
            "{}permalinks:\n  tin-tuc: /tin-tuc/{{year}}/{{slug}}.html\nslug_max: 20\n",
            common::CONFIG
        ),
    );
    let (file, url) = new(&site, &["article", "Hội nghị tổng kết công tác năm 2024"]);
    // Cut at a word to at most 20 bytes.
    assert_eq!(file, "content/tin-tuc/hoi-nghi-tong-ket.md");
    let year = &today()[0][..4];
    assert_eq!(url, format!("{BASE}/tin-tuc/{year}/hoi-nghi-tong-ket.html"));
    assert_eq!(
        build_strict(&site, &url).text("h1"),
        "Hội nghị tổng kết công tác năm 2024"
    );
}

#[test]
fn directive_in_the_register_signed_today() {
    let site = TestSite::new();
    let day = today();
    let (file, url) = new(
        &site,
        &[
            "directive",
            "Quy định về quản lý dữ liệu số",
            "--number",
            "12/2024/TT-BTTTT",
            "--type",
            "Thông tư",
        ],
    );
    assert_eq!(
        file,
        "content/van-ban/quy-dinh-ve-quan-ly-du-lieu-so/index.md"
    );
    let fm = front_matter(&site, &file);
    let document = &fm["document"];
    assert_eq!(text(document, "number"), "12/2024/TT-BTTTT");
    assert_eq!(text(document, "type"), "Thông tư");
    assert_eq!(text(document, "issuer"), "Bộ Thử nghiệm");
    is_today(text(document, "signed"), &day);
    let page = build_strict(&site, &url);
    assert_eq!(
        url,
        format!("{BASE}/van-ban/quy-dinh-ve-quan-ly-du-lieu-so/")
    );
    assert_eq!(page.text("h1"), "Quy định về quản lý dữ liệu số");
    let register = site.html("/van-ban/").0.html();
    assert!(register.contains("12/2024/TT-BTTTT"));
}

#[test]
fn directive_issuer_flag_and_register_path() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{}paths:\n  register: van-ban-chi-dao\n", common::CONFIG),
    );
    let (file, url) = new(
        &site,
        &[
            "directive",
            "Chỉ thị về chuyển đổi số",
            "--number",
            "05/CT-BTTTT",
            "--type",
            "Chỉ thị",
            "--issuer",
            "Bộ Thông tin và Truyền thông",
        ],
    );
    assert_eq!(
        file,
        "content/van-ban-chi-dao/chi-thi-ve-chuyen-doi-so/index.md"
    );
    let fm = front_matter(&site, &file);
    assert_eq!(
        text(&fm["document"], "issuer"),
        "Bộ Thông tin và Truyền thông"
    );
    let page = build_strict(&site, &url);
    assert_eq!(page.text("h1"), "Chỉ thị về chuyển đổi số");
    assert!(site.exists("/van-ban-chi-dao/co-quan/bo-thong-tin-va-truyen-thong/"));
}

#[test]
fn plain_page_at_the_content_root() {
    let site = TestSite::new();
    let (file, url) = new(&site, &["page", "Liên hệ"]);
    assert_eq!(file, "content/lien-he.md");
    assert_eq!(url, format!("{BASE}/lien-he/"));
    assert_eq!(text(&front_matter(&site, &file), "title"), "Liên hệ");
    assert_eq!(build_strict(&site, &url).text("h1"), "Liên hệ");
}

#[test]
fn never_overwrites_a_file_or_a_bundle() {
    let site = TestSite::new();
    site.article(
        "bai-viet",
        "title: Bài cũ\ndate: 2021-01-01",
        "Nội dung cũ.\n",
    );
    let message = refused(&site, &["article", "Bài viết"], 1);
    assert!(message.contains("content/tin-tuc/bai-viet.md"), "{message}");
    assert!(message.contains("already exists"), "{message}");
    // A bundle would take the same URL.
    let message = refused(&site, &["article", "Bài viết", "--bundle"], 1);
    assert!(message.contains("content/tin-tuc/bai-viet.md"), "{message}");

    site.write(
        "content/gioi-thieu/index.md",
        "---\ntitle: Giới thiệu\n---\n",
    );
    let message = refused(&site, &["page", "Giới thiệu"], 1);
    assert!(message.contains("content/gioi-thieu"), "{message}");

    // Its own file, the second time.
    let (file, _) = new(&site, &["page", "Liên hệ"]);
    fs::write(site.root().join(&file), "đã sửa").unwrap();
    refused(&site, &["page", "Liên hệ"], 1);
    assert_eq!(
        fs::read_to_string(site.root().join(&file)).unwrap(),
        "đã sửa"
    );
}

#[test]
fn unknown_category_suggests_the_nearest() {
    let site = TestSite::new();
    let message = refused(&site, &["article", "Bài", "--category", "chuyen-doi"], 1);
    assert!(
        message.contains("undeclared category `chuyen-doi`"),
        "{message}"
    );
    assert!(
        message.contains("did you mean `chuyen-doi-so`"),
        "{message}"
    );
    assert!(!site.root().join("content/tin-tuc").exists());
}

#[test]
fn duplicate_directive_number_in_another_spelling() {
    let site = TestSite::new();
    site.write(
        "content/van-ban/cu/index.md",
        "---\ntitle: Thông tư cũ\ndocument:\n  number: 12/2024/TT-BTTTT\n  type: Thông tư\n  signed: 2024-01-02\n---\n",
    );
    let message = refused(
        &site,
        &[
            "directive",
            "Thông tư mới",
            "--number",
            " 12 / 2024/tt-btttt ",
            "--type",
            "Thông tư",
        ],
        1,
    );
    assert!(message.contains("already taken"), "{message}");
    assert!(message.contains("content/van-ban/cu/index.md"), "{message}");
}

#[test]
fn directive_without_number_is_a_usage_error() {
    let site = TestSite::new();
    let message = refused(&site, &["directive", "Thông tư", "--type", "Thông tư"], 2);
    assert!(message.contains("--number"), "{message}");
    let message = refused(
        &site,
        &[
            "directive",
            "Thông tư",
            "--number",
            "  ",
            "--type",
            "Thông tư",
        ],
        2,
    );
    assert!(message.contains("`--number` is empty"), "{message}");
}

#[test]
fn consultation_open_from_today_for_sixty_days() {
    let site = TestSite::new();
    let day = today();
    let (file, url) = new(
        &site,
        &[
            "consultation",
            "Dự thảo Thông tư quy định về dữ liệu mở",
            "--email",
            "gopy@example.gov.vn",
        ],
    );
    assert_eq!(
        file,
        "content/du-thao/du-thao-thong-tu-quy-dinh-ve-du-lieu-mo/index.md"
    );
    let fm = front_matter(&site, &file);
    assert_eq!(
        text(&fm, "title"),
        "Lấy ý kiến dự thảo Thông tư quy định về dữ liệu mở"
    );
    let consultation = &fm["consultation"];
    assert_eq!(
        text(consultation, "title"),
        "Dự thảo Thông tư quy định về dữ liệu mở"
    );
    is_today(text(consultation, "opens"), &day);
    let opens = chrono::NaiveDate::parse_from_str(text(consultation, "opens"), "%Y-%m-%d").unwrap();
    let closes =
        chrono::NaiveDate::parse_from_str(text(consultation, "closes"), "%Y-%m-%d").unwrap();
    assert_eq!((closes - opens).num_days(), 60);
    assert_eq!(
        text(&consultation["comments"], "email"),
        "gopy@example.gov.vn"
    );
    let page = build_strict(&site, &url);
    assert_eq!(
        url,
        format!("{BASE}/du-thao/du-thao-thong-tu-quy-dinh-ve-du-lieu-mo/")
    );
    assert_eq!(page.text(".article-meta .badge"), "Đang lấy ý kiến");
    assert_eq!(
        site.html("/du-thao/")
            .attrs(".consultation-table tbody th a", "href"),
        vec!["/du-thao/du-thao-thong-tu-quy-dinh-ve-du-lieu-mo/"]
    );
}

#[test]
fn consultation_without_an_email_builds_only_once_one_is_written() {
    let site = TestSite::new();
    let (file, _) = new(
        &site,
        &["consultation", "Dự thảo Quyết định A", "--days", "30"],
    );
    let fm = front_matter(&site, &file);
    let opens =
        chrono::NaiveDate::parse_from_str(text(&fm["consultation"], "opens"), "%Y-%m-%d").unwrap();
    let closes =
        chrono::NaiveDate::parse_from_str(text(&fm["consultation"], "closes"), "%Y-%m-%d").unwrap();
    assert_eq!((closes - opens).num_days(), 30);
    // The test site's organization has no email: the build says what to add.
    let output = gazette(&site, &["build"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("says nowhere to send comments"),
        "{}",
        stderr(&output)
    );
    let message = refused(&site, &["consultation", "Dự thảo B", "--days", "0"], 2);
    assert!(message.contains("--days"), "{message}");
}
