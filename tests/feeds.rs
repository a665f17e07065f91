//! The RSS 2.0 and Atom 1.0 feeds, read back with a feed reader's parser
//! (`feed-rs`): valid for the site, each category and the register, with
//! absolute links and the site's +07:00 offset, hostile titles kept as
//! text, summary or full content as configured, and found from every page.

mod common;

use common::{CONFIG, TestSite};
use feed_rs::model::{Feed, FeedType};
use quick_xml::events::Event;

fn read(site: &TestSite, url: &str) -> String {
    let path = site.file(url);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(site: &TestSite, url: &str) -> Feed {
    let xml = read(site, url);
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{url}: {e}\n{xml}"))
}

/// The text of every element named `name` (`pubDate`, `updated`…), as
/// written in the file.
fn element_texts(xml: &str, name: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut texts = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == name.as_bytes() => inside = true,
            Event::Text(t) if inside => texts.push(t.decode().unwrap().into_owned()),
            Event::End(_) => inside = false,
            Event::Eof => return texts,
            _ => {}
        }
    }
}

fn title(feed: &Feed) -> String {
    feed.title.as_ref().unwrap().content.clone()
}

fn entry_titles(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

/// Two articles in two categories, one with an author, and a directive.
fn portal() -> TestSite {
    let site = TestSite::new();
    site.article(
        "chuyen-doi-so",
        "title: Đẩy mạnh chuyển đổi số\ndate: 2024-03-15T08:30:00+07:00\nupdated: 2024-03-16 09:00\n\
         summary: Bộ họp về chuyển đổi số.\ncategory: chuyen-doi-so\nauthor: Nguyễn Văn A",
        "Nội dung.\n",
    );
    site.article(
        "cntt",
        "title: Hội thảo công nghệ thông tin\ndate: 2024-03-10\ncategory: cong-nghe-thong-tin",
        "Đoạn đầu của bài.\n",
    );
    site.write(
        "content/van-ban/chi-thi/index.md",
        "---\ntitle: Chỉ thị về ứng dụng công nghệ thông tin\ndate: 2008-09-30\ndocument:\n  number: 07/2008/CT-BCA\n  type: Chỉ thị\n  issuer: Bộ Công an\n  signed: 2008-09-30\n---\nNội dung chỉ thị.\n",
    );
    site
}

#[test]
fn site_category_and_register_feeds_parse_in_both_formats() {
    let site = portal();
    site.build();
    let cases = [
        (
            "/",
            vec!["Đẩy mạnh chuyển đổi số", "Hội thảo công nghệ thông tin"],
        ),
        ("/chuyen-muc/chuyen-doi-so/", vec!["Đẩy mạnh chuyển đổi số"]),
        (
            "/chuyen-muc/cong-nghe-thong-tin/",
            vec!["Hội thảo công nghệ thông tin"],
        ),
        ("/van-ban/", vec!["Chỉ thị về ứng dụng công nghệ thông tin"]),
    ];
    for (list, titles) in cases {
        for (file, kind) in [("rss.xml", FeedType::RSS2), ("atom.xml", FeedType::Atom)] {
            let url = format!("{list}{file}");
            let feed = parse(&site, &url);
            assert_eq!(feed.feed_type, kind, "{url}");
            assert_eq!(entry_titles(&feed), titles, "{url}");
            assert_eq!(feed.language.as_deref(), Some("vi"), "{url}");
            let page = format!("https://example.gov.vn{list}");
            assert!(
                feed.links.iter().any(|l| l.href == page),
                "{url} links its page {page}: {:?}",
                feed.links
            );
            let own = format!("https://example.gov.vn{url}");
            assert!(
                feed.links
                    .iter()
                    .any(|l| l.href == own && l.rel.as_deref() == Some("self")),
                "{url} names itself: {:?}",
                feed.links
            );
            for entry in &feed.entries {
                assert!(
                    entry.links[0].href.starts_with("https://example.gov.vn/"),
                    "{url}: {}",
                    entry.links[0].href
                );
            }
        }
    }
    let site_title = title(&parse(&site, "/rss.xml"));
    assert_eq!(site_title, "Cổng thông tin thử nghiệm");
    let category = title(&parse(&site, "/chuyen-muc/chuyen-doi-so/atom.xml"));
    assert_eq!(category, "Chuyển đổi số – Cổng thông tin thử nghiệm");

    // Dates as the site's clock shows them, +07:00, in each format's form.
    let rss = read(&site, "/rss.xml");
    let dates = element_texts(&rss, "pubDate");
    assert_eq!(
        dates,
        [
            "Fri, 15 Mar 2024 08:30:00 +0700",
            "Fri, 15 Mar 2024 08:30:00 +0700",
            "Sun, 10 Mar 2024 00:00:00 +0700"
        ]
    );
    let atom = read(&site, "/atom.xml");
    assert_eq!(
        element_texts(&atom, "updated"),
        [
            "2024-03-16T09:00:00+07:00",
            "2024-03-16T09:00:00+07:00",
            "2024-03-10T00:00:00+07:00"
        ]
    );
    assert_eq!(
        element_texts(&atom, "published"),
        ["2024-03-15T08:30:00+07:00", "2024-03-10T00:00:00+07:00"]
    );
    let feed = parse(&site, "/atom.xml");
    let entry = &feed.entries[0];
    assert_eq!(entry.authors[0].name.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(entry.categories[0].term, "Chuyển đổi số");
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        "Bộ họp về chuyển đổi số."
    );
    assert!(entry.content.is_none(), "summaries only by default");
    let feed = parse(&site, "/rss.xml");
    assert_eq!(
        feed.entries[0].authors[0].name.as_deref(),
        Some("Nguyễn Văn A")
    );
}

#[test]
fn hostile_titles_and_summaries_stay_text() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{CONFIG}feeds: {{ content: full }}\nmarkdown: {{ unsafe_html: true }}\n"),
    );
    let hostile = [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("Điện & nước \\\"ngon\\\"", "Điện & nước \"ngon\""),
        ("a ]]> b <![CDATA[ c", "a ]]> b <![CDATA[ c"),
        (
            "chuông\\u0007 thoát\\u001b[31m đỏ\\u0000",
            "chuông thoát[31m đỏ",
        ),
    ];
    for (n, (written, _)) in hostile.iter().enumerate() {
        site.article(
            &format!("bai-{n}"),
            &format!(
                "title: \"{written}\"\nsummary: \"{written}\"\nauthor: \"{written}\"\ndate: 2024-03-0{}\ncategory: chuyen-doi-so",
                n + 1
            ),
            "Thân bài <b>]]></b> có <!-- ]]> --> cả hai.\n",
        );
    }
    site.build();
    let expected: Vec<String> = hostile
        .iter()
        .rev()
        .map(|(_, text)| text.to_string())
        .collect();
    for url in ["/rss.xml", "/atom.xml", "/chuyen-muc/chuyen-doi-so/rss.xml"] {
        let feed = parse(&site, url);
        assert_eq!(entry_titles(&feed), expected, "{url}");
        for (entry, text) in feed.entries.iter().zip(&expected) {
            assert_eq!(entry.authors[0].name.as_ref(), Some(text), "{url}");
            let body = entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .unwrap();
            assert!(
                body.contains("<!-- ]]> -->"),
                "{url}: the body as written: {body}"
            );
        }
    }
    // RSS descriptions are HTML to a reader: the summary is escaped there,
    // so the script is text, not a tag.
    let feed = parse(&site, "/rss.xml");
    let description = &feed.entries[3].summary.as_ref().unwrap().content;
    assert_eq!(description, "&lt;script&gt;alert(1)&lt;/script&gt;");
    // Atom says what its text is: plain text, as written.
    let feed = parse(&site, "/atom.xml");
    let summary = feed.entries[3].summary.as_ref().unwrap();
    assert_eq!(summary.content, "<script>alert(1)</script>");
    assert_eq!(summary.content_type.to_string(), "text/plain");
}

#[test]
fn full_content_carries_the_body_with_absolute_links() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{CONFIG}feeds:\n  content: full\n  items: 2\n"),
    );
    site.write(
        "content/tin-tuc/co-anh/index.md",
        "---\ntitle: Bài có ảnh\ndate: 2024-03-15\ncategory: chuyen-doi-so\n---\n\
         ![Toàn cảnh](toan-canh.svg)\n\nXem [văn bản](/van-ban/) và [phần hai](#phan-hai).\n",
    );
    site.write(
        "content/tin-tuc/co-anh/toan-canh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    for n in 1..=3 {
        site.article(
            &format!("cu-{n}"),
            &format!("title: Bài cũ {n}\ndate: 2024-01-0{n}\ncategory: chuyen-doi-so"),
            "Cũ.\n",
        );
    }
    site.build();
    for url in ["/atom.xml", "/rss.xml"] {
        let feed = parse(&site, url);
        assert_eq!(
            entry_titles(&feed),
            ["Bài có ảnh", "Bài cũ 3"],
            "{url}: `items: 2`, newest first"
        );
        let body = feed.entries[0]
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap();
        let html = scraper::Html::parse_fragment(&body);
        let img = scraper::Selector::parse("img").unwrap();
        let a = scraper::Selector::parse("a").unwrap();
        let src = html
            .select(&img)
            .next()
            .unwrap()
            .value()
            .attr("src")
            .unwrap();
        assert_eq!(
            src, "https://example.gov.vn/tin-tuc/co-anh/toan-canh.svg",
            "{url}"
        );
        let links: Vec<_> = html
            .select(&a)
            .filter_map(|e| e.value().attr("href"))
            .collect();
        assert_eq!(
            links,
            [
                "https://example.gov.vn/van-ban/",
                "https://example.gov.vn/tin-tuc/co-anh/#phan-hai"
            ],
            "{url}"
        );
    }
}

#[test]
fn every_page_announces_the_feeds_it_belongs_to() {
    let site = portal();
    site.write(
        "content/gioi-thieu.md",
        "---\ntitle: Giới thiệu\n---\nTrang.\n",
    );
    site.build();
    let alternates = |url: &str| {
        let page = site.html(url);
        let types = page.attrs("link[rel=alternate]", "type");
        let hrefs = page.attrs("link[rel=alternate]", "href");
        types.into_iter().zip(hrefs).collect::<Vec<_>>()
    };
    // RSS and Atom for every list, JSON Feed for the news's.
    let feeds = |list: &str, json: bool| {
        let mut feeds = vec![
            ("application/rss+xml".to_string(), format!("{list}rss.xml")),
            (
                "application/atom+xml".to_string(),
                format!("{list}atom.xml"),
            ),
        ];
        if json {
            feeds.push(("application/feed+json".into(), format!("{list}feed.json")));
        }
        feeds
    };
    let site_feeds = feeds("/", true);
    let with = |list: &str| {
        [
            site_feeds.clone(),
            feeds(list, !list.starts_with("/van-ban/")),
        ]
        .concat()
    };
    assert_eq!(alternates("/"), site_feeds);
    assert_eq!(alternates("/gioi-thieu/"), site_feeds);
    assert_eq!(alternates("/tin-tuc/"), site_feeds);
    assert_eq!(
        alternates("/chuyen-muc/chuyen-doi-so/"),
        with("/chuyen-muc/chuyen-doi-so/")
    );
    assert_eq!(
        alternates("/tin-tuc/chuyen-doi-so/"),
        with("/chuyen-muc/chuyen-doi-so/")
    );
    assert_eq!(alternates("/van-ban/"), with("/van-ban/"));
    assert_eq!(alternates("/van-ban/chi-thi/"), with("/van-ban/"));
    // Every advertised feed exists and parses (JSON Feed too).
    for (_, href) in alternates("/tin-tuc/chuyen-doi-so/") {
        parse(&site, &href);
    }
    for (_, href) in alternates("/van-ban/chi-thi/") {
        parse(&site, &href);
    }
}

#[test]
fn an_empty_category_still_has_valid_feeds_and_no_item_needs_the_clock() {
    let site = TestSite::new();
    site.build();
    let first = read(&site, "/chuyen-muc/chuyen-doi-so/atom.xml");
    let feed = parse(&site, "/chuyen-muc/chuyen-doi-so/atom.xml");
    assert!(feed.entries.is_empty());
    parse(&site, "/chuyen-muc/chuyen-doi-so/rss.xml");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build();
    assert_eq!(read(&site, "/chuyen-muc/chuyen-doi-so/atom.xml"), first);
}

#[test]
fn feed_settings_are_checked() {
    let site = TestSite::new();
    site.write("config.yaml", &format!("{CONFIG}feeds:\n  items: 0\n"));
    let err = site.try_build().unwrap_err();
    assert!(err.diagnostics[0].message.contains("`feeds.items`"));
    assert_eq!(err.diagnostics[0].line, Some(12));
    site.write(
        "config.yaml",
        &format!("{CONFIG}feeds:\n  content: whole\n"),
    );
    let err = site.try_build().unwrap_err();
    assert!(
        err.diagnostics[0]
            .message
            .contains("unknown variant `whole`"),
        "{}",
        err.diagnostics[0].message
    );
}

#[test]
fn a_drafts_preview_keeps_drafts_out_of_the_feeds() {
    let site = portal();
    site.article(
        "nhap",
        "title: Bản nháp\ndate: 2024-04-01\ncategory: chuyen-doi-so\ndraft: true",
        "Chưa đăng.\n",
    );
    let mut options = site.options();
    options.drafts = true;
    gazette::build(&options).unwrap();
    assert!(site.exists("/tin-tuc/nhap/"), "the preview shows the draft");
    for url in [
        "/rss.xml",
        "/atom.xml",
        "/chuyen-muc/chuyen-doi-so/atom.xml",
    ] {
        let titles = entry_titles(&parse(&site, url));
        assert!(
            !titles.contains(&"Bản nháp".to_string()),
            "{url}: {titles:?}"
        );
        assert!(
            titles.contains(&"Đẩy mạnh chuyển đổi số".to_string()),
            "{url}"
        );
    }
}

/// The pages of a JSON Feed from `first`, following `next_url`, as
/// (page path, item URLs), each validated against the published schema.
fn json_feed_pages(site: &TestSite, first: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut path = Some(first.to_string());
    while let Some(at) = path {
        assert!(pages.len() < 100, "next_url goes round in circles");
        site.assert_valid(&at, "feed.v1.json");
        let feed = site.json(&at);
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(feed["feed_url"], format!("https://example.gov.vn/{at}"));
        let urls = (feed["items"].as_array().unwrap().iter())
            .map(|i| i["url"].as_str().unwrap().to_string())
            .collect();
        path = feed["next_url"].as_str().map(|u| {
            u.strip_prefix("https://example.gov.vn/")
                .unwrap()
                .to_string()
        });
        pages.push((at, urls));
    }
    pages
}

#[test]
fn the_json_feed_pages_through_the_whole_archive() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{CONFIG}feeds:\n  items: 2\n  page_size: 2\n"),
    );
    for n in 1..=5 {
        let category = if n % 2 == 0 {
            "chuyen-doi-so"
        } else {
            "cong-nghe-thong-tin"
        };
        site.article(
            &format!("bai-{n}"),
            &format!("title: Bài {n}\ndate: 2024-03-{n:02}T08:00:00+07:00\ncategory: {category}\ntags: [Thẻ {n}]\nauthor: Tác giả {n}"),
            "Nội dung.\n",
        );
    }
    site.build();
    let url = |n: u32| format!("https://example.gov.vn/tin-tuc/bai-{n}/");
    let pages = json_feed_pages(&site, "feed.json");
    assert_eq!(
        pages,
        vec![
            ("feed.json".to_string(), vec![url(5), url(4)]),
            ("feed-2.json".to_string(), vec![url(3), url(2)]),
            ("feed-3.json".to_string(), vec![url(1)]),
        ]
    );
    let first = &site.json("feed.json")["items"][0];
    assert_eq!(first["date_published"], "2024-03-05T08:00:00+07:00");
    assert_eq!(first["authors"][0]["name"], "Tác giả 5");
    assert_eq!(
        first["tags"],
        serde_json::json!(["Công nghệ thông tin", "Thẻ 5"])
    );
    assert!(first["content_text"].is_string());
    let category = json_feed_pages(&site, "chuyen-muc/chuyen-doi-so/feed.json");
    assert_eq!(
        category,
        vec![(
            "chuyen-muc/chuyen-doi-so/feed.json".to_string(),
            vec![url(4), url(2)]
        )]
    );
}

#[test]
fn the_register_is_published_as_open_data() {
    let site = portal();
    site.write("content/van-ban/chi-thi/toan-van.pdf", "%PDF-1.4 toan van");
    site.write(
        "content/van-ban/chi-thi/index.md",
        "---\ntitle: Chỉ thị về ứng dụng công nghệ thông tin\ndocument:\n  number: 07/2008/CT-BCA\n  type: Chỉ thị\n  issuer: Bộ Công an\n  signer: { name: Nguyễn Văn B, title: Bộ trưởng }\n  signed: 2008-09-30\n  effective: 2008-10-15\n  field: Công nghệ thông tin\n  attachments: [{ file: toan-van.pdf, title: Toàn văn }]\n---\nNội dung chỉ thị.\n",
    );
    site.build();
    site.assert_valid("api/van-ban.json", "van-ban.v1.json");
    let data = site.json("api/van-ban.json");
    assert_eq!(data["version"], 1);
    assert_eq!(data["home_page_url"], "https://example.gov.vn/van-ban/");
    let item = &data["items"][0];
    assert_eq!(item["number"], "07/2008/CT-BCA");
    assert_eq!(item["url"], "https://example.gov.vn/van-ban/chi-thi/");
    assert_eq!(item["signed"], "2008-09-30T00:00:00+07:00");
    assert_eq!(item["status"], "in_force");
    assert_eq!(item["signer"]["title"], "Bộ trưởng");
    assert_eq!(
        item["attachments"][0],
        serde_json::json!({
            "title": "Toàn văn",
            "url": "https://example.gov.vn/van-ban/chi-thi/toan-van.pdf",
            "size": 17
        })
    );
    // A site with no directive and no draft publishes neither file, but
    // its schemas.
    let plain = TestSite::with_good_article();
    plain.build();
    assert!(!plain.public().join("api/van-ban.json").exists());
    assert!(!plain.public().join("api/du-thao.json").exists());
    assert!(plain.public().join("api/schema/van-ban.v1.json").is_file());
}
