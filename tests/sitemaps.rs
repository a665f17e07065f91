//! Sitemaps and robots.txt: what search engines are told to crawl, the
//! split into a sitemap index beyond 50,000 URLs, and the HTML site map.

// Diagnostics are returned by value, as the library returns them.
#![allow(clippy::result_large_err)]

mod common;

use std::collections::BTreeMap;

use common::{CONFIG, TestSite};
use gazette::render::Job;
use quick_xml::events::Event;

/// A sitemap file read as XML: its root element and, per `<loc>`, its
/// `<lastmod>` if any.
struct Sitemap {
    root: String,
    entries: BTreeMap<String, Option<String>>,
    /// `<loc>`s in the order written.
    order: Vec<String>,
}

fn parse(xml: &str) -> Sitemap {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut root = None;
    let mut open = String::new();
    let mut loc = String::new();
    let mut sitemap = Sitemap {
        root: String::new(),
        entries: BTreeMap::new(),
        order: Vec::new(),
    };
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("{e}\n{xml}")) {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if root.is_none() {
                    assert_eq!(
                        e.try_get_attribute("xmlns")
                            .unwrap()
                            .unwrap()
                            .value
                            .as_ref(),
                        b"http://www.sitemaps.org/schemas/sitemap/0.9"
                    );
                    root = Some(name.clone());
                }
                open = name;
            }
            Event::Text(t) => {
                let text = t.decode().unwrap().into_owned();
                match open.as_str() {
                    "loc" => {
                        loc = text.clone();
                        let fresh = sitemap.entries.insert(text.clone(), None).is_none();
                        assert!(fresh, "{text} listed twice");
                        sitemap.order.push(text);
                    }
                    "lastmod" => {
                        sitemap.entries.insert(loc.clone(), Some(text));
                    }
                    _ => {}
                }
            }
            Event::End(_) => open.clear(),
            Event::Eof => break,
            _ => {}
        }
    }
    sitemap.root = root.unwrap();
    sitemap
}

fn read(site: &TestSite, url: &str) -> String {
    std::fs::read_to_string(site.file(url)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

const BASE: &str = "https://example.gov.vn";

#[test]
fn the_sitemap_lists_what_is_worth_finding_with_its_last_change() {
    let site = TestSite::new();
    site.article(
        "sua",
        "title: Bài đã sửa\ndate: 2024-03-15 08:30\nupdated: 2024-04-01 10:00\ncategory: chuyen-doi-so\naliases: [/tin-cu/sua.html]\ntags: [Dữ liệu]",
        "Nội dung.\n",
    );
    site.article(
        "moi",
        "title: Bài mới\ndate: 2024-03-20\ncategory: cong-nghe-thong-tin",
        "Nội dung.\n",
    );
    site.article(
        "nhap",
        "title: Bản nháp\ndate: 2024-03-21\ndraft: true",
        "Chưa đăng.\n",
    );
    site.write("content/tim-kiem.md", "---\ntitle: Tìm kiếm\n---\nTìm.\n");
    site.write(
        "content/gioi-thieu.md",
        "---\ntitle: Giới thiệu\n---\nTrang.\n",
    );
    site.write(
        "content/van-ban/qd/index.md",
        "---\ntitle: Quyết định\ndate: 2024-02-01\ndocument:\n  number: 15/2024/QĐ-BTTTT\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2024-02-01\n---\nX.\n",
    );
    // A preview build with drafts: the draft is published, not listed.
    let mut options = site.options();
    options.drafts = true;
    gazette::build(&options).unwrap();
    assert!(site.exists("/tin-tuc/nhap/"));
    let sitemap = parse(&read(&site, "/sitemap.xml"));
    assert_eq!(sitemap.root, "urlset");
    let lastmod = |path: &str| {
        sitemap
            .entries
            .get(&format!("{BASE}{path}"))
            .unwrap_or_else(|| panic!("{path} is not listed: {:?}", sitemap.order))
            .clone()
    };
    assert_eq!(
        lastmod("/tin-tuc/sua/").as_deref(),
        Some("2024-04-01T10:00:00+07:00")
    );
    assert_eq!(
        lastmod("/tin-tuc/moi/").as_deref(),
        Some("2024-03-20T00:00:00+07:00")
    );
    assert_eq!(lastmod("/").as_deref(), Some("2024-04-01T10:00:00+07:00"));
    assert_eq!(
        lastmod("/chuyen-muc/cong-nghe-thong-tin/").as_deref(),
        Some("2024-03-20T00:00:00+07:00")
    );
    assert_eq!(lastmod("/gioi-thieu/"), None);
    for listed in [
        "/tin-tuc/",
        "/chuyen-muc/chuyen-doi-so/",
        "/tu-khoa/du-lieu/",
        "/van-ban/",
        "/van-ban/qd/",
        "/van-ban/loai/quyet-dinh/",
        "/so-do-cong/",
    ] {
        lastmod(listed);
    }
    for left_out in [
        "/tin-tuc/nhap/",
        "/tim-kiem/",
        "/tin-cu/sua.html",
        "/404.html",
    ] {
        assert!(
            !sitemap.entries.contains_key(&format!("{BASE}{left_out}")),
            "{left_out} is listed"
        );
    }
    assert!(!site.exists("/sitemap-1.xml"), "one file while it fits");

    let robots = read(&site, "/robots.txt");
    let lines: Vec<&str> = robots.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "User-agent: *",
            "Disallow: /tim-kiem/",
            "",
            "Sitemap: https://example.gov.vn/sitemap.xml"
        ]
    );
}

/// A site of `n` articles, built with `limit` URLs per sitemap file.
fn split_site(n: usize) -> TestSite {
    let site = TestSite::new();
    for i in 1..=n {
        site.article(
            &format!("bai-{i:02}"),
            &format!(
                "title: Bài {i}\ndate: 2024-01-{:02}\ncategory: chuyen-doi-so",
                i % 28 + 1
            ),
            "X.\n",
        );
    }
    site
}

#[test]
fn beyond_the_limit_the_sitemap_is_an_index_of_parts() {
    let site = split_site(12);
    site.build();
    let whole = parse(&read(&site, "/sitemap.xml"));
    let count = whole.order.len();
    assert_eq!(
        count,
        1 + 12 + 1 + 2 + 1,
        "home, articles, section, categories, site map: {:?}",
        whole.order
    );

    let limit = 5;
    let mut options = site.options();
    options.sitemap_limit = Some(limit);
    gazette::build(&options).unwrap();
    let index = parse(&read(&site, "/sitemap.xml"));
    assert_eq!(index.root, "sitemapindex");
    let parts: Vec<String> = (1..=count.div_ceil(limit))
        .map(|n| format!("{BASE}/sitemap-{n}.xml"))
        .collect();
    assert_eq!(index.order, parts);
    let mut together = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let sitemap = parse(&read(&site, &format!("/sitemap-{}.xml", n + 1)));
        assert_eq!(sitemap.root, "urlset");
        assert!(
            sitemap.order.len() <= limit,
            "{part}: {}",
            sitemap.order.len()
        );
        // Each part's lastmod in the index is the newest of its URLs.
        let newest = sitemap.entries.values().flatten().max().cloned();
        assert_eq!(index.entries[part], newest, "{part}");
        together.extend(sitemap.order);
    }
    assert_eq!(
        together, whole.order,
        "the parts hold every URL once, in order"
    );
    assert!(!site.exists(&format!("/sitemap-{}.xml", parts.len() + 1)));

    // Back under the limit: one file again, and the parts are gone.
    site.build();
    assert_eq!(parse(&read(&site, "/sitemap.xml")).root, "urlset");
    assert!(!site.exists("/sitemap-1.xml"));
}

#[test]
fn more_than_fifty_thousand_urls_split_at_the_protocol_limit() {
    // 50,001 articles give 50,004 URLs (with the home page, the section
    // and the site map). A whole build of them takes over a minute in a
    // debug build, nearly all of it writing 52,000 pages that this test
    // does not read: the site is read and indexed as `build` does, and
    // only the sitemap's outputs are rendered. In memory where there is
    // /dev/shm: 50,001 small files cost seconds on a disk.
    let shm = std::path::Path::new("/dev/shm");
    let temp = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let root = temp.path();
    std::fs::write(
        root.join("config.yaml"),
        "title: Cổng lớn\nbase_url: https://example.gov.vn\n",
    )
    .unwrap();
    let dir = root.join("content/tin-tuc");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..50_001 {
        std::fs::write(
            dir.join(format!("b{i}.md")),
            format!("---\ntitle: B {i}\ndate: 2021-01-01\n---\nx\n"),
        )
        .unwrap();
    }
    let config = gazette::config::load(root, None).unwrap();
    assert_eq!(config.sitemap_limit, 50_000);
    let options = gazette::content::LoadOptions {
        root,
        config: &config,
        include_drafts: false,
        now: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap(),
    };
    let content = gazette::content::load(&options).unwrap_or_else(|e| panic!("{e:?}"));
    let numbers =
        gazette::register::NumberIndex::build(content.pages.iter(), gazette::site::page_url)
            .unwrap();
    let indexed = content
        .pages
        .into_iter()
        .map(|mut page| {
            let indexed = gazette::markdown::index_page(&mut page, &numbers);
            (page, indexed)
        })
        .collect();
    let model = gazette::site::build(&config, indexed, numbers, content.sections, content.files)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let theme = gazette::theme::load(root, &config).unwrap_or_else(|e| panic!("{e:?}"));
    let jobs: Vec<Job> = gazette::render::jobs(&model, &config)
        .into_iter()
        .filter(|job| matches!(job, Job::Sitemap | Job::SitemapPart(_)))
        .collect();
    assert_eq!(
        jobs,
        [Job::Sitemap, Job::SitemapPart(1), Job::SitemapPart(2)]
    );
    let outputs = std::sync::Mutex::new(BTreeMap::new());
    let pictures = gazette::images::Catalog::default();
    let problems = gazette::render::render_all(&model, &config, &theme, &pictures, &jobs, |out| {
        outputs.lock().unwrap().insert(out.path, out.bytes);
        Ok(())
    });
    assert!(problems.is_empty(), "{problems:?}");
    let outputs = outputs.into_inner().unwrap();
    let text = |path: &str| String::from_utf8(outputs[path].clone()).unwrap();
    let index = parse(&text("sitemap.xml"));
    assert_eq!(index.root, "sitemapindex");
    assert_eq!(
        index.order,
        [
            "https://example.gov.vn/sitemap-1.xml",
            "https://example.gov.vn/sitemap-2.xml"
        ]
    );
    let first = parse(&text("sitemap-1.xml"));
    let second = parse(&text("sitemap-2.xml"));
    assert_eq!(first.order.len(), 50_000);
    assert_eq!(second.order.len(), 4, "{:?}", second.order);
    assert!(
        first
            .entries
            .keys()
            .all(|loc| !second.entries.contains_key(loc))
    );
}

#[test]
fn a_site_may_keep_its_own_robots_txt() {
    let site = TestSite::with_good_article();
    site.write("content/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(read(&site, "/robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn a_file_on_a_sitemap_part_is_a_clear_error() {
    let site = split_site(4);
    site.write("content/sitemap-1.xml", "<urlset/>");
    let mut options = site.options();
    options.sitemap_limit = Some(3);
    let err = gazette::build(&options).unwrap_err();
    let message = &err.diagnostics[0].message;
    assert!(
        message.contains("two things on one URL `/sitemap-1.xml`"),
        "{message}"
    );
}

#[test]
fn the_html_site_map_lists_sections_categories_and_the_register() {
    let site = TestSite::new();
    site.article(
        "a",
        "title: Bài A\ndate: 2024-03-15\ncategory: chuyen-doi-so",
        "X.\n",
    );
    site.write("content/lien-he.md", "---\ntitle: Liên hệ\n---\nTrang.\n");
    site.write(
        "content/van-ban/ct/index.md",
        "---\ntitle: Chỉ thị\ndate: 2024-02-01\ndocument:\n  number: 07/2024/CT-BTTTT\n  type: Chỉ thị\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2024-02-01\n---\nX.\n",
    );
    site.build();
    let map = site.html("/so-do-cong/");
    assert_eq!(map.text("h1"), "Sơ đồ cổng thông tin");
    let links = map.attrs(".site-map a", "href");
    for expected in [
        "/",
        "/rss.xml",
        "/atom.xml",
        "/lien-he/",
        "/chuyen-muc/chuyen-doi-so/",
        "/chuyen-muc/chuyen-doi-so/rss.xml",
        "/chuyen-muc/chuyen-doi-so/atom.xml",
        "/chuyen-muc/cong-nghe-thong-tin/",
        "/tin-tuc/",
        "/van-ban/",
        "/van-ban/rss.xml",
        "/van-ban/loai/chi-thi/",
        "/van-ban/nam/2024/",
        "/van-ban/co-quan/bo-thong-tin-va-truyen-thong/",
    ] {
        assert!(
            links.iter().any(|l| l == expected),
            "{expected} in {links:?}"
        );
    }
    // Every page's footer leads to it.
    for url in ["/", "/tin-tuc/a/", "/van-ban/", "/404.html"] {
        let footer = site.html(url).attrs(".site-footer a", "href");
        assert!(
            footer.contains(&"/so-do-cong/".to_string()),
            "{url}: {footer:?}"
        );
    }

    // Its path is configurable.
    site.write(
        "config.yaml",
        &format!("{CONFIG}paths: {{ site_map: ban-do-trang }}\n"),
    );
    site.build();
    assert!(site.exists("/ban-do-trang/") && !site.exists("/so-do-cong/"));
    let footer = site.html("/").attrs(".site-footer a", "href");
    assert!(footer.contains(&"/ban-do-trang/".to_string()));
}
