//! Bad input, case by case: each fixture breaks a good site in one way and
//! runs the `gazette` command on it. Every case must exit with the right
//! code, print the right message located at the right `file:line`, and leave
//! the published output byte-for-byte as it was.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::TestSite;

/// One way to break a site.
struct Case {
    name: &'static str,
    /// Files written over the good site: path and bytes.
    files: Vec<(&'static str, Vec<u8>)>,
    args: &'static [&'static str],
    exit: i32,
    /// `file:line` expected after `-->`, or just the file.
    at: &'static str,
    message: &'static str,
}

fn case(
    name: &'static str,
    path: &'static str,
    text: &str,
    at: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        files: vec![(path, text.as_bytes().to_vec())],
        args: &[],
        exit: 1,
        at,
        message,
    }
}

/// A case in a site whose news URLs come from titles.
fn titled(name: &'static str, text: &str, at: &'static str, message: &'static str) -> Case {
    let mut case = case(name, A, text, at, message);
    let config = format!(
        "{}permalinks:\n  tin-tuc: \"/tin-tuc/{{title}}/\"\n",
        common::CONFIG
    );
    case.files.push(("config.yaml", config.into_bytes()));
    case
}

/// An article file with `front` as its front matter.
fn article(front: &str) -> String {
    format!("---\n{front}\n---\nNội dung.\n")
}

const A: &str = "content/tin-tuc/loi.md";
const GOOD: &str = "title: Bài lỗi\ndate: 2021-01-01";

fn cases() -> Vec<Case> {
    let mut cases = vec![
        case(
            "front matter not closed",
            A,
            "---\ntitle: A\ndate: 2021-01-01\nNội dung.\n",
            "content/tin-tuc/loi.md:1:1",
            "front matter is not closed",
        ),
        case(
            "no front matter",
            A,
            "Chỉ có nội dung.\n",
            "content/tin-tuc/loi.md:1:1",
            "does not start with front matter",
        ),
        case(
            "empty file",
            A,
            "",
            "content/tin-tuc/loi.md",
            "does not start with front matter",
        ),
        case(
            "unclosed list",
            A,
            &article("title: A\ntags: [a, b\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:4:",
            "front matter",
        ),
        case(
            "tab indentation",
            A,
            &article("title: A\ndate: 2021-01-01\nsource:\n\tname: CAND"),
            "content/tin-tuc/loi.md:5:",
            "front matter",
        ),
        case(
            "duplicate key",
            A,
            &article("title: A\ntitle: B\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:3:1",
            "`title` is written twice",
        ),
        case(
            "title is a map",
            A,
            &article("title:\n  vi: A\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:3:",
            "invalid type: map",
        ),
        case(
            "title is a list",
            A,
            &article("title: [A, B]\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:2:",
            "invalid type: sequence",
        ),
        case(
            "tags is a map",
            A,
            &article(&format!("{GOOD}\ntags: {{a: b}}")),
            "content/tin-tuc/loi.md:4:",
            "invalid type: map, expected a sequence",
        ),
        case(
            "date is a list",
            A,
            &article("title: A\ndate: [2021, 1, 1]"),
            "content/tin-tuc/loi.md:3:",
            "invalid type: sequence",
        ),
        case(
            "unparseable date",
            A,
            &article("title: A\ndate: hôm qua"),
            "content/tin-tuc/loi.md:3:7",
            "`hôm qua` is not a date",
        ),
        case(
            "impossible date",
            A,
            &article("title: A\ndate: 30/02/2021"),
            "content/tin-tuc/loi.md:3:7",
            "`30/02/2021` is not a date",
        ),
        case(
            "impossible time",
            A,
            &article("title: A\ndate: 2021-02-03 25:00"),
            "content/tin-tuc/loi.md:3:7",
            "is not a date",
        ),
        case(
            "impossible updated date",
            A,
            &article(&format!("{GOOD}\nupdated: 2021-13-01")),
            "content/tin-tuc/loi.md:4:10",
            "is not a date",
        ),
        case(
            "missing title",
            A,
            &article("date: 2021-01-01"),
            "content/tin-tuc/loi.md:1:",
            "no `title`",
        ),
        case(
            "empty title",
            A,
            &article("title: \"  \"\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:2:",
            "no `title`",
        ),
        case(
            "missing date",
            A,
            &article("title: Không ngày"),
            "content/tin-tuc/loi.md:1:",
            "no `date`",
        ),
        case(
            "undeclared category",
            A,
            &article(&format!("{GOOD}\ncategory: chuyen-doi")),
            "content/tin-tuc/loi.md:4:11",
            "undeclared category `chuyen-doi`",
        ),
        case(
            "undeclared second category",
            A,
            &article(&format!("{GOOD}\ncategories: [chuyen-doi-so, khoa-hoc]")),
            "content/tin-tuc/loi.md:4:",
            "undeclared category `khoa-hoc`",
        ),
        case(
            "bad slug",
            A,
            &article(&format!("{GOOD}\nslug: Có dấu")),
            "content/tin-tuc/loi.md:4:7",
            "`slug` must be a URL word",
        ),
        titled(
            "title without letters, under {title}",
            &article("title: \"!!!\"\ndate: 2021-01-01"),
            "content/tin-tuc/loi.md:2:",
            "no URL can be made",
        ),
        case(
            "file name without letters",
            "content/tin-tuc/!!!.md",
            &article(GOOD),
            "content/tin-tuc/!!!.md:1:1",
            "no URL can be made from the file name `!!!`",
        ),
        titled(
            "same title, same URL, under {title}",
            &article("title: Bài tốt\ndate: 2021-02-01"),
            "content/tin-tuc/",
            "two things on one URL `/tin-tuc/bai-tot/`",
        ),
        case(
            "file names that fold alike",
            "content/tin-tuc/Tốt.md",
            &article(GOOD),
            "content/tin-tuc/",
            "two things on one URL `/tin-tuc/tot/`",
        ),
        case(
            "explicit slug collides",
            A,
            &article(&format!("{GOOD}\nslug: tot")),
            "content/tin-tuc/",
            "two things on one URL `/tin-tuc/tot/`",
        ),
        case(
            "slug is a reserved Windows name",
            A,
            &article(&format!("{GOOD}\nslug: con")),
            "content/tin-tuc/loi.md:4:",
            "a device name Windows reserves",
        ),
        case(
            "slug longer than a file name may be",
            A,
            &article(&format!("{GOOD}\nslug: {}", "a".repeat(256))),
            "content/tin-tuc/loi.md:4:",
            "256 bytes long",
        ),
        case(
            "file name is a reserved Windows name",
            "content/tin-tuc/aux.md",
            &article(GOOD),
            "content/tin-tuc/aux.md:1:1",
            "a device name Windows reserves",
        ),
        case(
            "static file name Windows refuses",
            "content/tai-lieu/bao-cao?.pdf",
            "%PDF",
            "content/tai-lieu/bao-cao?.pdf",
            "holds `?`",
        ),
        case(
            "file name ending in a dot",
            "content/tin-tuc/tot/anh.",
            "x",
            "content/tin-tuc/tot/anh.",
            "ends in a dot",
        ),
        case(
            "permalink with an unknown token",
            "config.yaml",
            &format!(
                "{}permalinks:\n  tin-tuc: /tin-tuc/{{nam}}/{{slug}}/\n",
                common::CONFIG
            ),
            "config.yaml:12:",
            "unknown token `{nam}`",
        ),
        case(
            "permalink with an empty segment",
            "config.yaml",
            &format!(
                "{}permalinks:\n  tin-tuc: /tin-tuc//{{slug}}/\n",
                common::CONFIG
            ),
            "config.yaml:12:",
            "empty URL segment",
        ),
        case(
            "permalink for an unknown section",
            "config.yaml",
            &format!(
                "{}permalinks:\n  tin-tu: /tin-tu/{{slug}}/\n",
                common::CONFIG
            ),
            "config.yaml:12:",
            "no such folder",
        ),
        case(
            "slug_max of nothing",
            "config.yaml",
            &format!("{}slug_max: 0\n", common::CONFIG),
            "config.yaml:11:",
            "`slug_max` must be between 1 and 245",
        ),
        case(
            "alias collides with a page",
            A,
            &article(&format!("{GOOD}\naliases: [/tin-tuc/tot/]")),
            "content/tin-tuc/loi.md",
            "the alias `/tin-tuc/tot/`",
        ),
        case(
            "alias is not a path",
            A,
            &article(&format!("{GOOD}\naliases: [\"https://cu.gov.vn/a\"]")),
            "content/tin-tuc/loi.md:4:",
            "is not a path on this site",
        ),
        case(
            "draft is not yes/no",
            A,
            &article(&format!("{GOOD}\ndraft: có lẽ")),
            "content/tin-tuc/loi.md:4:",
            "expected a boolean",
        ),
        case(
            "featured is a number",
            A,
            &article(&format!("{GOOD}\nfeatured: 3")),
            "content/tin-tuc/loi.md:4:",
            "expected a boolean",
        ),
        case(
            "rating count negative",
            A,
            &article(&format!("{GOOD}\nrating: {{ count: -1 }}")),
            "content/tin-tuc/loi.md:4:",
            "expected u32",
        ),
        case(
            "source is a list",
            A,
            &article(&format!("{GOOD}\nsource: [a, b]")),
            "content/tin-tuc/loi.md:4:1",
            "`source` must be a name",
        ),
        case(
            "image is a list",
            A,
            &article(&format!("{GOOD}\nimage: [a.jpg]")),
            "content/tin-tuc/loi.md:4:1",
            "`image` must be a file name",
        ),
        case(
            "section without title",
            "content/tin-tuc/_index.md",
            "---\ndescription: Tin\n---\n",
            "content/tin-tuc/_index.md:1:",
            "no `title`",
        ),
        case(
            "directive without number",
            "content/van-ban/a/index.md",
            &article("title: Văn bản\ndate: 2021-01-01\ndocument:\n  type: Chỉ thị"),
            "content/van-ban/a/index.md:4:",
            "no `number`",
        ),
        case(
            "directive effective before signed",
            "content/van-ban/a/index.md",
            &article(
                "title: Văn bản\ndocument:\n  number: 1/CT\n  signed: 2021-02-01\n  effective: 2021-01-01",
            ),
            "content/van-ban/a/index.md:6:",
            "before it was signed",
        ),
        case(
            "directive attachment missing",
            "content/van-ban/a/index.md",
            &article(
                "title: Văn bản\ndocument:\n  number: 1/CT\n  signed: 2021-02-01\n  attachments: [toan-van.pdf]",
            ),
            "content/van-ban/a/index.md:6:",
            "attachment `toan-van.pdf` does not exist",
        ),
        case(
            "unknown document number",
            A,
            &article(&format!("{GOOD}\ndocuments: [\"9/2020/QĐ-X\"]")),
            "content/tin-tuc/loi.md:4:",
            "no directive of this site has the number",
        ),
        case(
            "template syntax error",
            "templates/article.html",
            "<h1>\n{{ page.title \n</h1>\n",
            "templates/article.html:3:",
            "Failed to parse 'article.html'",
        ),
        case(
            "template extends a missing parent",
            "templates/page.html",
            "{% extends \"khong-co.html\" %}\n",
            "",
            "khong-co.html",
        ),
        case(
            "template runtime error",
            "templates/article.html",
            "{{ khong_co_bien }}",
            "content/tin-tuc/tot.md",
            "khong_co_bien",
        ),
        case(
            "missing theme",
            "config.yaml",
            &format!("{}theme: khong-co\n", common::CONFIG),
            "config.yaml",
            "theme `khong-co` not found",
        ),
        case(
            "broken config YAML",
            "config.yaml",
            "title: [A\nbase_url: https://a.vn\n",
            "config.yaml:",
            "config.yaml",
        ),
        case(
            "config unknown key",
            "config.yaml",
            &format!("{}tieu_de: A\n", common::CONFIG),
            "config.yaml:",
            "unknown field `tieu_de`",
        ),
        case(
            "config category without slug",
            "config.yaml",
            "title: A\nbase_url: https://a.vn\ncategories:\n  - name: Tin\n",
            "config.yaml:4:",
            "missing field `slug`",
        ),
        case(
            "config bad base_url",
            "config.yaml",
            "title: A\nbase_url: a.vn\n",
            "config.yaml:2:11",
            "`base_url` is not a web address",
        ),
        case(
            "config without title",
            "config.yaml",
            "base_url: https://a.vn\n",
            "config.yaml",
            "missing field `title`",
        ),
        case(
            "config bad timezone",
            "config.yaml",
            &format!("{}timezone: Hanoi\n", common::CONFIG),
            "config.yaml:",
            "unknown time zone `Hanoi`",
        ),
    ];
    cases.push(Case {
        name: "not UTF-8",
        files: vec![(A, b"---\ntitle: Ti\xeau \xf0\xe8\n---\n".to_vec())],
        args: &[],
        exit: 1,
        at: "content/tin-tuc/loi.md:2:10",
        message: "not UTF-8 text (bad byte at offset 13)",
    });
    cases.push(Case {
        name: "binary file named .md",
        files: vec![(A, vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0])],
        args: &[],
        exit: 1,
        at: "content/tin-tuc/loi.md",
        message: "the file is binary",
    });
    cases.push(Case {
        name: "unknown key is an error with --strict",
        files: vec![(
            A,
            article(&format!("{GOOD}\ncatgory: chuyen-doi-so")).into_bytes(),
        )],
        args: &["--strict"],
        exit: 1,
        at: "content/tin-tuc/loi.md:4:1",
        message: "unknown front-matter key `catgory`",
    });
    cases.push(Case {
        name: "image without alt is an error with --strict",
        files: vec![(
            A,
            format!("---\n{GOOD}\n---\nĐoạn.\n\n![](anh.jpg)\n").into_bytes(),
        )],
        args: &["--strict"],
        exit: 1,
        at: "content/tin-tuc/loi.md:7:1",
        message: "no alt text",
    });
    cases.push(Case {
        name: "output folder cannot be written",
        files: vec![("public-blocked", b"a file, not a folder".to_vec())],
        args: &["--output", "public-blocked/public"],
        exit: 2,
        at: "",
        message: "cannot read the output folder",
    });
    cases
}

fn good_site() -> TestSite {
    TestSite::with_good_article()
}

fn run(site: &TestSite, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .current_dir(site.root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_bad_input_is_located_fails_and_leaves_public_untouched() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} fixtures", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let site = good_site();
        site.build();
        let before = site.snapshot();
        for (path, bytes) in &case.files {
            let path = site.root().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let (code, stderr) = run(&site, case.args);
        let located = case.at.is_empty() || stderr.contains(&format!("--> {}", case.at));
        if code != case.exit || !located || !stderr.contains(case.message) {
            failures.push(format!(
                "{}: exit {code} (want {}), want `--> {}` and `{}` in:\n{stderr}",
                case.name, case.exit, case.at, case.message
            ));
        }
        if site.snapshot() != before {
            failures.push(format!("{}: the output changed", case.name));
        }
        let leftovers = site.leftovers().len();
        if leftovers > 0 {
            failures.push(format!("{}: a staging folder was left behind", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn bom_and_crlf_build_fine() {
    let site = good_site();
    site.write(
        "content/tin-tuc/windows.md",
        "\u{feff}---\r\ntitle: Soạn trên Windows\r\ndate: 2021-03-01\r\n---\r\nĐoạn một.\r\n\r\nĐoạn hai.\r\n",
    );
    site.build();
    let page = site.html("/tin-tuc/windows/");
    assert_eq!(page.text("h1"), "Soạn trên Windows");
    assert_eq!(
        page.texts(".article-body p"),
        vec!["Đoạn một.", "Đoạn hai."]
    );
}

#[test]
fn warnings_do_not_fail_the_build_without_strict() {
    let site = good_site();
    site.article(
        "canh-bao",
        "title: Cảnh báo\ndate: 2021-01-02\ncatgory: x\nimage: anh.jpg",
        "![](b.jpg)\n",
    );
    let report = site.build();
    let shown: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(report.warnings.len(), 3, "{shown:#?}");
    assert!(
        shown[0].contains("did you mean `category`?"),
        "{}",
        shown[0]
    );
    assert!(site.exists("/tin-tuc/canh-bao/"));
}

#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let site = good_site();
    std::os::unix::fs::symlink("..", site.root().join("content/tin-tuc/vong")).unwrap();
    let (code, stderr) = run(&site, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("loop"), "{stderr}");
    assert!(stderr.contains("content/tin-tuc/vong"), "{stderr}");
}

#[test]
fn an_unreadable_file_is_reported() {
    // Tests run as root, which reads any file whatever its mode; a link to
    // nowhere is the unreadable file every user gets.
    let site = good_site();
    std::os::unix::fs::symlink(
        "/khong/co/tep.md",
        site.root().join("content/tin-tuc/mat.md"),
    )
    .unwrap();
    let (code, stderr) = run(&site, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("content/tin-tuc/mat.md"), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn a_yaml_alias_bomb_is_refused_fast() {
    // "Billion laughs": nine anchors, each nine times the one before.
    let site = good_site();
    let mut yaml = String::from(
        "title: Bom\ndate: 2021-01-01\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        yaml.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml.push_str("tags: *i\n");
    site.write("content/tin-tuc/bom.md", &format!("---\n{yaml}---\nx\n"));
    let started = Instant::now();
    let (code, stderr) = run(&site, &[]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--> content/tin-tuc/bom.md:"), "{stderr}");
}
