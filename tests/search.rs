//! Search (issue 13): the index a build writes, read back the way the
//! browser reads it (src/search/query.rs), and the browser's own script
//! (themes/portal/static/js/search.js, run under node) agreeing with it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestSite;
use gazette::search::fold::{Term, fold, terms};
use gazette::search::query::{Reader, units};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A reader over the index a build wrote into `public`.
fn reader(public: &Path) -> Reader<impl Fn(&str) -> Option<Vec<u8>>> {
    let dir = public.join("tim-kiem");
    Reader::open(move |path: &str| std::fs::read(dir.join(path)).ok()).expect("meta.json")
}

/// The URLs of the first results of `query`.
fn top(public: &Path, query: &str, n: usize) -> Vec<String> {
    let mut index = reader(public);
    index
        .search(query, None)
        .into_iter()
        .take(n)
        .map(|hit| url_of(public, hit.doc))
        .collect()
}

fn url_of(public: &Path, doc: u32) -> String {
    let shown: Value = serde_json::from_slice(
        &std::fs::read(public.join(format!("tim-kiem/d/{doc}.json"))).unwrap(),
    )
    .unwrap();
    shown["u"].as_str().unwrap().to_string()
}

/// search.js under node (`tests/search/cli.mjs`): node is required, as for
/// the browser suites.
fn node(args: &[&str], input: &Value) -> Value {
    let mut child = Command::new("node")
        .arg(repo().join("tests/search/cli.mjs"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node is needed to run search.js (apt-get install nodejs)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn rust_and_the_browser_fold_and_split_alike() {
    let strings = [
        "Đường Hồ Chí Minh",
        "ĐƯỜNG LỐI",
        "đường",
        "Bộ Công an",
        "chỉ thị số 07/2008/CT-BCA(E11)",
        "Quyết định số 2016/QĐ-BTTTT ngày 15/11/2016",
        "2016/ QĐ- BTTTT",
        "Thủ tướng Chính phủ",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "tăng 1,2% so với năm 2020; đạt 99.5 điểm",
        "COVID-19, 5G và IPv6",
        "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân",
        "Cu\u{0302}\u{0301}c An toa\u{300}n thông tin (NFD)",
        "a \u{301} b",
        "  nhiều   khoảng\u{a0}trắng\t\nvà\u{2003}dòng  ",
        "ΟΔΟΣ ΣΟΦΟΣ",
        "İstanbul ﬁ ß",
        "https://lgsp.example.gov.vn/api/v1/health?x=1",
        "a.b.c.d.e.f.g.h.i.j",
        "mười hai – mười ba — «trích dẫn» “ngoặc kép”",
        "١٢٣ ٤٥٦ 一二三 日本語",
        "cong an",
        "",
    ];
    let browser = node(&["fold"], &json!(strings));
    for (i, s) in strings.iter().enumerate() {
        let folded = fold(s);
        let split: Vec<Value> = terms(&folded)
            .into_iter()
            .map(|t| match t {
                Term::Word(w) => json!(["w", w]),
                Term::Pair(p) => json!(["p", p]),
                Term::Compound(c) => json!(["c", c]),
            })
            .collect();
        let query: Vec<Value> = units(s)
            .into_iter()
            .map(|u| json!([u.term, u.parts, u.pairs]))
            .collect();
        assert_eq!(browser[i], json!([folded, split, query]), "for {s:?}");
    }
    assert_eq!(fold("Đường"), "duong");
}

#[test]
fn the_sample_portal_finds_what_citizens_type() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    gazette::build(&gazette::BuildOptions {
        root: repo(),
        output: Some(public.clone()),
        ..Default::default()
    })
    .unwrap();
    let cases = [
        ("cong an", "/tin-tuc/bo-cong-an-day-manh-ung-dung/"),
        ("Công an", "/tin-tuc/bo-cong-an-day-manh-ung-dung/"),
        ("chi thi 07/2008", "/van-ban/chi-thi-07-2008-ct-bca-e11/"),
        (
            "chỉ thị số 07/2008/CT-BCA(E11)",
            "/van-ban/chi-thi-07-2008-ct-bca-e11/",
        ),
        ("quy hoach", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"),
        ("quy hoạch", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"),
        ("2016/QĐ-BTTTT", "/van-ban/quyet-dinh-2016-qd-btttt/"),
        ("2016/qd-btttt", "/van-ban/quyet-dinh-2016-qd-btttt/"),
        ("duong", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"),
    ];
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let browser = node(
        &["search", public.join("tim-kiem").to_str().unwrap()],
        &json!(queries),
    );
    for (i, (query, want)) in cases.iter().enumerate() {
        let found = top(&public, query, 10);
        assert_eq!(
            found.first().map(String::as_str),
            Some(*want),
            "{query}: {found:?}"
        );
        assert_eq!(
            browser[i]["urls"],
            json!(found),
            "{query}: the browser ranks alike"
        );
    }
    // Every result of "cong an" holds the words; the phrase comes first.
    let mut index = reader(&public);
    let hits = index.search("cong an", None);
    assert!(hits[0].pairs > 0);
}

#[test]
fn phrases_titles_and_recency_decide_the_order() {
    let site = TestSite::new();
    let body = |words: &str| format!("{words}\n\nMột đoạn văn khác về thời tiết và giao thông.\n");
    site.article(
        "apart",
        "title: Thông báo mới\ndate: 2024-05-01",
        &body("Công tác tuyên truyền được đẩy mạnh, an ninh được bảo đảm."),
    );
    site.article(
        "together",
        "title: Tin cũ hơn\ndate: 2020-01-01",
        &body("Lực lượng công an đã có mặt."),
    );
    site.article(
        "in-title",
        "title: Hội nghị giao ban\ndate: 2019-01-01",
        "Nội dung.\n",
    );
    site.article(
        "in-body",
        "title: Tin khác\ndate: 2023-01-01",
        "Sáng nay diễn ra hội nghị giao ban.\n",
    );
    site.article(
        "old-twin",
        "title: Bản tin sáng\ndate: 2018-01-01",
        "Lịch tiếp dân.\n",
    );
    site.article(
        "new-twin",
        "title: Bản tin sáng\ndate: 2022-01-01",
        "Lịch tiếp dân.\n",
    );
    site.build();
    let public = site.public();
    assert_eq!(
        top(&public, "cong an", 2),
        ["/tin-tuc/together/", "/tin-tuc/apart/"],
        "the words together beat the newer page with them apart"
    );
    assert_eq!(
        top(&public, "hoi nghi giao ban", 2),
        ["/tin-tuc/in-title/", "/tin-tuc/in-body/"],
        "a title hit beats a newer body hit"
    );
    assert_eq!(
        top(&public, "ban tin sang", 2),
        ["/tin-tuc/new-twin/", "/tin-tuc/old-twin/"],
        "the newer of two equal pages first"
    );
    // The word being typed, and a typo.
    assert_eq!(top(&public, "giao ba", 1), ["/tin-tuc/in-title/"]);
    assert_eq!(top(&public, "giaoo ban", 1), ["/tin-tuc/in-title/"]);
    assert!(top(&public, "khongcotu", 5).is_empty());
}

#[test]
fn filters_page_and_results_hold_what_the_site_holds() {
    let site = TestSite::new();
    let hostile = "<script>alert(1)</script> \"&' Tin";
    site.article(
        "a",
        &format!(
            "title: {}\ndate: 2024-01-02\ncategory: chuyen-doi-so",
            serde_json::to_string(hostile).unwrap()
        ),
        "Thân bài có <b>chữ đậm</b> và <script>var bi_mat = 1;</script> văn bản.\n",
    );
    site.article(
        "b",
        "title: Tin hai\ndate: 2024-01-03\ncategory: cong-nghe-thong-tin",
        "Nội dung.\n",
    );
    site.write(
        "content/van-ban/ct-1/index.md",
        "---\ntitle: Chỉ thị về an toàn\ndocument:\n  number: 1/2024/CT-BTT\n  type: Chỉ thị\n  issuer: Bộ Thử nghiệm\n  signed: 2024-02-01\n---\nNội dung chỉ thị.\n",
    );
    site.build();
    let public = site.public();
    let meta: Value =
        serde_json::from_slice(&std::fs::read(public.join("tim-kiem/meta.json")).unwrap()).unwrap();
    assert_eq!(meta["n"], 3);
    let filters = &meta["filters"];
    assert_eq!(filters["category"][0][0], "Chuyển đổi số");
    assert_eq!(filters["type"][0][0], "Chỉ thị");
    assert_eq!(filters["year"][0][0], "2024");
    assert_eq!(filters["issuer"][0][0], "Bộ Thử nghiệm");
    let key = filters["category"][0][1].as_str().unwrap();
    let docs = gazette::search::shard::decode_docs(
        &std::fs::read(public.join(format!("tim-kiem/f/{key}.bin"))).unwrap(),
    )
    .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(url_of(&public, docs[0]), "/tin-tuc/a/");
    let mut index = reader(&public);
    assert_eq!(
        index.search("tin", Some(&docs)).len(),
        1,
        "a filter narrows"
    );
    // Titles are data, kept as typed; hidden text is not indexed.
    let shown: Value = serde_json::from_slice(
        &std::fs::read(public.join(format!("tim-kiem/d/{}.json", docs[0]))).unwrap(),
    )
    .unwrap();
    assert_eq!(shown["t"], hostile);
    assert!(!shown["x"].as_str().unwrap().contains("bi_mat"));
    assert!(top(&public, "bi_mat", 1).is_empty());
    assert_eq!(top(&public, "1/2024/ct-btt", 1), ["/van-ban/ct-1/"]);
    // The page and the header's box.
    let page = site.html("/tim-kiem/");
    assert_eq!(page.text("h1"), "Tìm kiếm");
    assert_eq!(page.attr("main form[role=search]", "action"), "/tim-kiem/");
    assert_eq!(page.count("main input[name=q]"), 1);
    assert!(page.text("[data-search-nojs]").contains("JavaScript"));
    assert_eq!(page.attrs("[data-search-nojs] a", "href")[0], "/van-ban/");
    let home = site.html("/");
    assert_eq!(
        home.attr("header form[role=search]", "action"),
        "/tim-kiem/"
    );
    assert_eq!(home.attr("header form input[type=search]", "name"), "q");
    assert_eq!(home.count("script[src='/js/search.js']"), 1);
}

#[test]
fn search_can_move_be_sent_elsewhere_without_js_or_be_off() {
    let site = TestSite::with_good_article();
    site.write(
        "config.yaml",
        &format!(
            "{}paths: {{ search: tra-cuu }}\nsearch:\n  external: https://www.google.com/search?as_sitesearch=example.gov.vn&hl=vi\n",
            common::CONFIG
        ),
    );
    site.build();
    assert!(site.exists("/tra-cuu/"));
    assert!(site.public().join("tra-cuu/meta.json").is_file());
    let home = site.html("/");
    assert_eq!(
        home.attr("header form[role=search]", "action"),
        "https://www.google.com/search"
    );
    assert_eq!(
        home.attr("header form[role=search]", "data-search-page"),
        "/tra-cuu/"
    );
    let hidden = home.attrs("header form input[type=hidden]", "value");
    assert_eq!(hidden, ["example.gov.vn", "vi"]);

    site.write(
        "config.yaml",
        &format!("{}search: {{ enabled: false }}\n", common::CONFIG),
    );
    site.build();
    assert!(!site.exists("/tim-kiem/"));
    assert!(!site.public().join("tim-kiem").exists());
    assert_eq!(site.html("/").count("form[role=search]"), 0);

    site.write(
        "config.yaml",
        &format!("{}search: {{ external: 'nope' }}\n", common::CONFIG),
    );
    let err = site.try_build().unwrap_err();
    assert!(common::render_errors(&err).contains("search.external"));
}

/// The quality list over the generated 1,000-item portal: the expected
/// first result for every query, from the index and from search.js.
#[test]
fn the_quality_list_finds_its_first_results() {
    let work = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(repo().join("bench/generate.py"))
        .arg("1000")
        .arg(work.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/generate.py");
    assert!(status.success());
    let public = work.path().join("public");
    gazette::build(&gazette::BuildOptions {
        root: work.path().join("gazette"),
        output: Some(public.clone()),
        ..Default::default()
    })
    .unwrap();
    let list = std::fs::read_to_string(repo().join("tests/search/quality.tsv")).unwrap();
    let cases: Vec<(&str, &str, &str)> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            (
                cols.next().unwrap(),
                cols.next().unwrap(),
                cols.next().unwrap_or(""),
            )
        })
        .collect();
    assert!(cases.len() >= 30);
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let browser = node(
        &["search", public.join("tim-kiem").to_str().unwrap()],
        &json!(queries),
    );
    let mut misses = Vec::new();
    for (i, (query, want, kind)) in cases.iter().enumerate() {
        let found = top(&public, query, 10);
        if found.first().map(String::as_str) != Some(*want) {
            misses.push(format!(
                "{query:?} ({kind}): wanted {want}, got {:?}",
                found.first()
            ));
        }
        assert_eq!(
            browser[i]["urls"],
            json!(found),
            "{query}: the browser ranks alike"
        );
    }
    assert!(
        misses.is_empty(),
        "{} of {} missed:\n{}",
        misses.len(),
        cases.len(),
        misses.join("\n")
    );
}

/// The weights a shard of the index in `public` stores for `term`.
fn stored_weights(public: &Path, term: &str) -> Vec<u8> {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(public.join("tim-kiem/meta.json")).unwrap()).unwrap();
    let firsts: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let at = firsts.partition_point(|first| {
        gazette::search::index::utf16_cmp(first, term) != std::cmp::Ordering::Greater
    });
    let file = gazette::search::shard::file_name(firsts[at - 1]);
    let bytes = std::fs::read(public.join("tim-kiem").join(file)).unwrap();
    let terms = gazette::search::shard::decode(&bytes).unwrap();
    let (_, postings) = terms.iter().find(|(t, _)| t == term).unwrap();
    postings.weights.clone()
}

/// A word in more than half of the pages keeps only its title bit in its
/// shard. Under `serve`, pages added and taken away make a word common
/// and then no longer, though no page holding it changed: its shard must
/// follow, as a whole build writes it.
#[test]
fn a_word_that_stops_or_starts_being_common_under_serve_is_stored_as_a_whole_build_stores_it() {
    let site = TestSite::new();
    // Words enough around "hiem" that its shard holds none of the added
    // pages' words.
    let filler: Vec<String> = (0..400).map(|k| format!("h{k:03}")).collect();
    for (name, date) in [("mot", "2021-01-01"), ("hai", "2021-01-02")] {
        site.article(
            name,
            &format!("title: Tin {name}\ndate: {date}"),
            &format!(
                "Hiếm có ngày hội hiếm hoi như vậy.\n\n{}\n",
                filler.join(", ")
            ),
        );
    }
    let mut session = common::session::open(&site);
    let public = site.public();
    let common_now = |site: &TestSite| {
        stored_weights(&site.public(), "hiem")
            .iter()
            .all(|&w| w == 1)
    };
    assert!(
        common_now(&site),
        "in every page: {:?}",
        stored_weights(&public, "hiem")
    );
    // Pages without the word, each newer than the last: numbers at the end.
    let mut added = Vec::new();
    for k in 0..4 {
        let name = format!("them-{k}");
        site.article(
            &name,
            &format!("title: Xuân {k}\ndate: 2022-0{}-01", k + 1),
            "Yên vui.\n",
        );
        let path = site.root().join(format!("content/tin-tuc/{name}.md"));
        common::session::rebuild(&mut session, std::slice::from_ref(&path));
        common::session::assert_same_as_whole_build(&site);
        added.push(path);
    }
    assert!(
        !common_now(&site),
        "in 2 of 6 pages: {:?}",
        stored_weights(&public, "hiem")
    );
    // The newest taken away again, one by one, until the word is common.
    for path in added.iter().rev() {
        std::fs::remove_file(path).unwrap();
        common::session::rebuild(&mut session, std::slice::from_ref(path));
        common::session::assert_same_as_whole_build(&site);
    }
    assert!(common_now(&site));
}
