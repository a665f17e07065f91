//! Languages: translations beside their originals, published under
//! `/en/`, linked both ways (hreflang, the language switch, the sitemap),
//! each language with its own home page, menu, feeds, strings, dates and
//! search index; and the errors of translations without an original.

mod common;

use common::{TestSite, render_errors};

const CONFIG: &str = "\
title: Cổng thông tin thử nghiệm
base_url: https://example.gov.vn
categories:
  - { name: Chuyển đổi số, slug: chuyen-doi-so }
organization:
  name: Bộ Thử nghiệm
languages:
  en:
    name: English
    title: Test Ministry portal
    organization: { name: Test Ministry }
    menu:
      - { name: About, url: /en/about/ }
";

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("config.yaml", CONFIG);
    site.write(
        "content/gioi-thieu.md",
        "---\ntitle: Giới thiệu\n---\nVề Bộ.\n",
    );
    site.write(
        "content/gioi-thieu.en.md",
        "---\ntitle: About us\nslug: about\n---\nAbout the Ministry.\n",
    );
    site.write(
        "content/tin-tuc/hop-bao/index.md",
        "---\ntitle: Họp báo\ndate: 2021-02-23T07:59:00+07:00\ncategory: chuyen-doi-so\n---\n![Toàn cảnh](anh.svg)\n\nNội dung.\n",
    );
    site.write(
        "content/tin-tuc/hop-bao/index.en.md",
        "---\ntitle: Press conference\nslug: press-conference\ndate: 2021-02-23T07:59:00+07:00\nrating: { count: 2, average: 4.5 }\n---\n![Overview](anh.svg)\n\nText.\n",
    );
    site.write(
        "content/tin-tuc/hop-bao/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
    );
    site.write(
        "content/tin-tuc/chi-tieng-viet.md",
        "---\ntitle: Chỉ có tiếng Việt\ndate: 2021-02-24\ncategory: chuyen-doi-so\n---\nNội dung.\n",
    );
    site
}

/// `(hreflang, href)` of a page's alternate links.
fn alternates(page: &common::Page) -> Vec<(String, String)> {
    let codes = page.attrs("link[rel=alternate][hreflang]", "hreflang");
    let hrefs = page.attrs("link[rel=alternate][hreflang]", "href");
    codes.into_iter().zip(hrefs).collect()
}

#[test]
fn translations_are_published_under_the_language_with_their_own_slug() {
    let site = site();
    site.build();
    let about = site.html("/en/about/");
    assert_eq!(about.text("h1"), "About us");
    assert_eq!(about.attr("html", "lang"), "en");
    assert_eq!(about.attrs(".breadcrumbs a", "href"), vec!["/en/"]);
    assert_eq!(about.attr("a.brand", "href"), "/en/");
    let article = site.html("/en/tin-tuc/press-conference/");
    assert_eq!(article.text("h1"), "Press conference");
    // The bundle's picture is the original's, published once.
    assert_eq!(
        article.attr(".article-body img", "src"),
        "/tin-tuc/hop-bao/anh.svg"
    );
    assert!(site.exists("/tin-tuc/hop-bao/anh.svg"));
    assert!(!site.exists("/en/tin-tuc/press-conference/anh.svg"));
}

#[test]
fn hreflang_pairs_are_consistent_both_ways() {
    let site = site();
    site.build();
    for (vi, en) in [
        ("/gioi-thieu/", "/en/about/"),
        ("/tin-tuc/hop-bao/", "/en/tin-tuc/press-conference/"),
        ("/", "/en/"),
    ] {
        let expected = vec![
            ("vi".to_string(), format!("https://example.gov.vn{vi}")),
            ("en".to_string(), format!("https://example.gov.vn{en}")),
        ];
        assert_eq!(alternates(&site.html(vi)), expected, "{vi}");
        assert_eq!(alternates(&site.html(en)), expected, "{en}");
    }
    // A page without a translation claims no alternate.
    assert!(alternates(&site.html("/tin-tuc/chi-tieng-viet/")).is_empty());
}

#[test]
fn the_switch_goes_to_the_translation_else_the_home_page() {
    let site = site();
    site.build();
    let switch = |url: &str| {
        let page = site.html(url);
        (
            page.attrs(".lang-switch a", "href"),
            page.texts(".lang-switch a"),
            page.attrs(".lang-switch a", "lang"),
        )
    };
    assert_eq!(
        switch("/gioi-thieu/"),
        (
            vec!["/en/about/".into()],
            vec!["English".into()],
            vec!["en".into()]
        )
    );
    assert_eq!(
        switch("/en/about/"),
        (
            vec!["/gioi-thieu/".into()],
            vec!["Tiếng Việt".into()],
            vec!["vi".into()]
        )
    );
    assert_eq!(switch("/tin-tuc/chi-tieng-viet/").0, vec!["/en/"]);
    assert_eq!(switch("/chuyen-muc/chuyen-doi-so/").0, vec!["/en/"]);
    assert_eq!(switch("/en/").0, vec!["/"]);
}

#[test]
fn each_language_has_its_home_menu_strings_and_lists() {
    let site = site();
    site.build();
    let home = site.html("/en/");
    assert_eq!(home.attr("html", "lang"), "en");
    assert_eq!(
        home.texts(".site-nav a"),
        vec!["Home".to_string(), "About".to_string()]
    );
    assert_eq!(home.attrs(".site-nav a", "href")[0], "/en/");
    // The one English article is the English home's lead story, in its
    // heading's English words.
    assert_eq!(home.text(".top-stories h2"), "Top story");
    assert_eq!(home.texts(".top-stories h3 a"), vec!["Press conference"]);
    assert_eq!(home.text(".footer-title"), "Test Ministry");
    // The utility row's feed link is the language's.
    let feed = ".utility-links > a[href$='rss.xml']";
    assert_eq!(home.attr(feed, "href"), "/en/rss.xml");
    assert_eq!(site.html("/").attr(feed, "href"), "/rss.xml");
    // The Vietnamese lists do not carry the translations.
    let vi = site.html("/");
    assert!(!vi.texts("a").iter().any(|t| t == "Press conference"));
    let category = site.html("/chuyen-muc/chuyen-doi-so/");
    assert!(
        !category
            .texts("a")
            .iter()
            .any(|t| t == "Press conference" || t == "About us")
    );
}

#[test]
fn dates_and_numbers_are_written_the_language_s_way() {
    let site = site();
    site.build();
    let en = site.html("/en/tin-tuc/press-conference/");
    assert_eq!(
        en.text(".article-meta time"),
        "Tuesday, 23 February 2021, 07:59 (GMT+7)"
    );
    assert!(en.text(".rating").contains("4.5"), "{}", en.text(".rating"));
    let vi = site.html("/tin-tuc/hop-bao/");
    assert_eq!(
        vi.text(".article-meta time"),
        "Thứ Ba, 23/02/2021, 07:59 (GMT+7)"
    );
}

#[test]
fn each_language_has_its_feeds_and_search_index() {
    let site = site();
    site.build();
    let feed = std::fs::read(site.file("/en/rss.xml")).unwrap();
    let feed = feed_rs::parser::parse(feed.as_slice()).unwrap();
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(titles, vec!["Press conference"]);
    let vi = std::fs::read(site.file("/rss.xml")).unwrap();
    let vi = feed_rs::parser::parse(vi.as_slice()).unwrap();
    assert!(
        vi.entries
            .iter()
            .all(|e| e.title.as_ref().unwrap().content != "Press conference")
    );
    let meta = |url: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(site.file(url)).unwrap()).unwrap()
    };
    // English: the two English pages; Vietnamese: its three.
    assert_eq!(meta("/en/tim-kiem/meta.json")["n"], 2);
    assert_eq!(meta("/tim-kiem/meta.json")["n"], 3);
    let shown: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file("/en/tim-kiem/d/0.json")).unwrap())
            .unwrap();
    assert!(shown["u"].as_str().unwrap().starts_with("/en/"));
    let search = site.html("/en/tim-kiem/");
    assert_eq!(
        search.attr("[data-search-app]", "data-index"),
        "/en/tim-kiem/"
    );
    assert_eq!(search.attr("form.site-search", "action"), "/en/tim-kiem/");
}

#[test]
fn the_sitemap_carries_the_alternates() {
    let site = site();
    site.build();
    let xml = std::fs::read_to_string(site.file("/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let xhtml = "http://www.w3.org/1999/xhtml";
    let alternates_of = |loc: &str| -> Vec<(String, String)> {
        let url = doc
            .descendants()
            .find(|n| {
                n.has_tag_name("url")
                    && n.children()
                        .any(|c| c.has_tag_name("loc") && c.text() == Some(loc))
            })
            .unwrap_or_else(|| panic!("no {loc} in the sitemap"));
        let mut pairs: Vec<_> = url
            .children()
            .filter(|c| c.has_tag_name((xhtml, "link")))
            .map(|c| {
                (
                    c.attribute("hreflang").unwrap().to_string(),
                    c.attribute("href").unwrap().to_string(),
                )
            })
            .collect();
        pairs.sort();
        pairs
    };
    let pair = vec![
        (
            "en".to_string(),
            "https://example.gov.vn/en/about/".to_string(),
        ),
        (
            "vi".to_string(),
            "https://example.gov.vn/gioi-thieu/".to_string(),
        ),
    ];
    assert_eq!(alternates_of("https://example.gov.vn/gioi-thieu/"), pair);
    assert_eq!(alternates_of("https://example.gov.vn/en/about/"), pair);
    assert_eq!(alternates_of("https://example.gov.vn/en/").len(), 2);
    assert!(alternates_of("https://example.gov.vn/tin-tuc/chi-tieng-viet/").is_empty());
}

#[test]
fn a_translation_without_an_original_is_a_located_error() {
    let site = site();
    site.build();
    let before = site.snapshot();
    site.write("content/lien-he.en.md", "---\ntitle: Contact\n---\nText.\n");
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    let d = err
        .diagnostics
        .iter()
        .find(|d| d.message.contains("which does not exist"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(
        d.file.as_deref(),
        Some(std::path::Path::new("content/lien-he.en.md"))
    );
    assert_eq!(d.line, Some(1));
    assert!(d.message.contains("`lien-he.md`"), "{shown}");
    assert_eq!(site.snapshot(), before);
}

#[test]
fn a_page_of_the_own_language_under_en_is_an_error() {
    let site = site();
    site.write("content/en.md", "---\ntitle: Tiếng Anh\n---\nx\n");
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    let d = err
        .diagnostics
        .iter()
        .find(|d| d.message.contains("is under `/en/`"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(
        d.file.as_deref(),
        Some(std::path::Path::new("content/en.md"))
    );
}

#[test]
fn two_translations_into_one_language_are_an_error() {
    let site = site();
    site.write(
        "content/tin-tuc/hop-bao.en.md",
        "---\ntitle: Press\ndate: 2021-02-23\n---\nText.\n",
    );
    let err = site.try_build().unwrap_err();
    let shown = render_errors(&err);
    assert!(
        shown.contains("two translations (en) of one page"),
        "{shown}"
    );
    assert!(shown.contains("content/tin-tuc/hop-bao"), "{shown}");
}

#[test]
fn a_site_of_one_language_has_no_switch_and_keeps_x_en_md_as_a_page() {
    let site = TestSite::new();
    site.write("content/bao-cao.en.md", "---\ntitle: Báo cáo\n---\nx\n");
    site.build();
    let page = site.html("/bao-cao-en/");
    assert_eq!(page.count(".lang-switch"), 0);
    assert_eq!(page.count("link[hreflang]"), 0);
    assert!(!site.exists("/en/"));
}

#[test]
fn an_unknown_language_code_in_config_is_an_error() {
    let site = site();
    site.write("config.yaml", &CONFIG.replace("  en:\n", "  English:\n"));
    let err = site.try_build().unwrap_err();
    assert!(
        render_errors(&err).contains("`English` is not a language code"),
        "{}",
        render_errors(&err)
    );
}

/// Under `gazette serve`, a translation, its original, a new translation
/// and a deleted one are each rebuilt without a whole build, and what is
/// served equals a whole build after each; a translation without an
/// original is a located error that writes nothing.
#[test]
fn session_edits_of_translations_match_a_whole_build() {
    let site = site();
    let (mut session, _) = gazette::Session::open(site.options()).unwrap();
    let matches_a_whole_build = |site: &TestSite, step: &str| {
        let differ = common::session::differences(site);
        assert!(differ.is_empty(), "after {step}: {differ:?}");
    };
    let edits = [
        // Read alone: the page has no translation.
        (
            "content/tin-tuc/chi-tieng-viet.md",
            Some(
                "---\ntitle: Chỉ có tiếng Việt (sửa)\ndate: 2021-02-24\ncategory: chuyen-doi-so\n---\nNội dung mới.\n",
            ),
        ),
        // An original: its translation's links follow its new address.
        (
            "content/gioi-thieu.md",
            Some("---\ntitle: Giới thiệu\nslug: ve-bo\n---\nVề Bộ.\n"),
        ),
        // A translation: its original's links follow.
        (
            "content/gioi-thieu.en.md",
            Some("---\ntitle: About the Ministry\nslug: about-us\n---\nAbout.\n"),
        ),
        // A new translation: a new English story, on the English home
        // page, feeds and search.
        (
            "content/tin-tuc/chi-tieng-viet.en.md",
            Some("---\ntitle: Only Vietnamese no more\ndate: 2021-02-24\n---\nText.\n"),
        ),
        // And gone again.
        ("content/tin-tuc/chi-tieng-viet.en.md", None),
    ];
    for (file, text) in edits {
        match text {
            Some(text) => {
                site.write(file, text);
            }
            None => std::fs::remove_file(site.root().join(file)).unwrap(),
        }
        let report = session
            .rebuild(&[site.root().join(file)])
            .unwrap_or_else(|err| panic!("{}", render_errors(&err)));
        assert!(!report.full, "{file}: {report:?}");
        if file.ends_with(".en.md") {
            assert!(
                (report.changed.iter()).any(|path| path.starts_with("en/tim-kiem/")),
                "the English index follows: {report:?}"
            );
        }
        matches_a_whole_build(&site, file);
    }
    assert_eq!(
        site.html("/ve-bo/").attrs(".lang-switch a", "href"),
        vec!["/en/about-us/"]
    );
    // A translation of nothing: an error at the file, and nothing written.
    let before = site.snapshot();
    site.write(
        "content/tin-tuc/khong-co.en.md",
        "---\ntitle: Orphan\ndate: 2021-02-24\n---\nText.\n",
    );
    let err = session
        .rebuild(&[site.root().join("content/tin-tuc/khong-co.en.md")])
        .unwrap_err();
    let problems = render_errors(&err);
    assert!(problems.contains("khong-co.en.md"), "{problems}");
    assert!(problems.contains("which does not exist"), "{problems}");
    assert!(site.snapshot() == before, "nothing written");
    std::fs::remove_file(site.root().join("content/tin-tuc/khong-co.en.md")).unwrap();
    let report = session
        .rebuild(&[site.root().join("content/tin-tuc/khong-co.en.md")])
        .unwrap_or_else(|err| panic!("{}", render_errors(&err)));
    assert!(!report.full, "{report:?}");
    matches_a_whole_build(&site, "the orphan removed");
}

/// Every label the theme's Vietnamese strings have, its English ones have
/// too: a label missing from `en.yaml` fails every English page's render.
#[test]
fn the_theme_s_english_strings_have_every_vietnamese_label() {
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/portal/i18n");
    let keys = |name: &str| -> Vec<String> {
        let text = std::fs::read_to_string(theme.join(name)).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let map = value.as_mapping().unwrap();
        map.keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect()
    };
    let english = keys("en.yaml");
    let missing: Vec<String> = (keys("vi.yaml").into_iter())
        .filter(|k| !english.contains(k))
        .collect();
    assert!(missing.is_empty(), "missing from en.yaml: {missing:?}");
}

/// The footer of an English page is in English: the default group in the
/// language's words with its own feed, unless `languages: en: footer:`
/// writes its groups; the site's own groups stay on its own pages.
#[test]
fn each_language_has_its_footer() {
    let site = site();
    let config = CONFIG.to_string()
        + "footer:\n  links:\n    - title: Thông tin\n      links:\n        - { name: Giới thiệu, url: /gioi-thieu/ }\n";
    site.write("config.yaml", &config);
    site.build();
    let texts = |path: &str| site.html(path).texts(".footer-links a");
    assert_eq!(texts("/"), vec!["Giới thiệu"]);
    let en = site.html("/en/");
    assert_eq!(en.text(".footer-heading"), "Information");
    assert_eq!(
        en.attrs(".footer-links a", "href")
            .last()
            .map(String::as_str),
        Some("/en/rss.xml")
    );
    assert!(!texts("/en/").contains(&"Giới thiệu".to_string()));

    let written = config.replace(
        "  en:\n",
        "  en:\n    footer:\n      links:\n        - title: About\n          links:\n            - { name: About us, url: /en/about/ }\n",
    );
    assert_ne!(written, config, "the test's config names `en:`");
    site.write("config.yaml", &written);
    site.build();
    assert_eq!(texts("/en/"), vec!["About us"]);
    assert_eq!(texts("/"), vec!["Giới thiệu"]);
}

#[test]
fn a_translated_draft_for_comment_is_not_english_news() {
    let site = site();
    let draft = "title: {T}\nconsultation:\n  opens: 2025-12-20\n  closes: 2026-02-01\n  comments: { email: gopy@example.gov.vn }";
    site.write(
        "content/du-thao/a.md",
        &format!("---\n{}\n---\nx\n", draft.replace("{T}", "Dự thảo A")),
    );
    site.write(
        "content/du-thao/a.en.md",
        &format!(
            "---\n{}\nslug: draft-a\n---\nx\n",
            draft.replace("{T}", "Draft A")
        ),
    );
    site.build();
    let page = site.html("/en/du-thao/draft-a/");
    assert_eq!(page.text(".article-meta .badge"), "Open for comment");
    let home = site.html("/en/");
    assert!(
        !home
            .attrs("main a", "href")
            .contains(&"/en/du-thao/draft-a/".to_string())
    );
    let feed = site.json("en/feed.json");
    assert!(!feed.to_string().contains("draft-a"), "{feed}");
}

#[test]
fn each_language_has_its_site_map_and_not_found_page() {
    let site = site();
    site.build();
    let map = site.html("/en/so-do-cong/");
    assert_eq!(map.attr("html", "lang"), "en");
    assert_eq!(map.text("h1"), "Site map");
    // Its own pages and feeds; the Vietnamese lists and register are not
    // English pages.
    let links = map.attrs("main a", "href");
    assert!(links.contains(&"/en/about/".to_string()), "{links:?}");
    assert!(links.contains(&"/en/rss.xml".to_string()), "{links:?}");
    assert!(
        !links
            .iter()
            .any(|l| l == "/gioi-thieu/" || l.starts_with("/chuyen-muc/")),
        "{links:?}"
    );
    // The Vietnamese one lists no English page.
    let own = site.html("/so-do-cong/").attrs("main a", "href");
    assert!(
        own.contains(&"/gioi-thieu/".to_string()) && !own.contains(&"/en/about/".to_string()),
        "{own:?}"
    );
    // Every English page's footer leads to the English map.
    let about = site.html("/en/about/");
    assert!(
        about
            .attrs("footer a", "href")
            .contains(&"/en/so-do-cong/".to_string())
    );
    assert!(
        !about
            .attrs("footer a", "href")
            .contains(&"/so-do-cong/".to_string())
    );

    let missing = site.html("/en/404.html");
    assert_eq!(missing.attr("html", "lang"), "en");
    assert_eq!(missing.text("h1"), "Page not found");
    assert_eq!(
        missing.attrs(".not-found-links a", "href"),
        vec!["/en/", "/en/so-do-cong/"]
    );
    assert_eq!(site.html("/404.html").text("h1"), "Không tìm thấy trang");

    let locs = site.sitemap_locs();
    assert!(
        locs.iter()
            .any(|l| l == "https://example.gov.vn/en/so-do-cong/"),
        "{locs:?}"
    );
}
