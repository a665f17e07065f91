//! What pages tell search engines and the apps their links are shared in:
//! canonical addresses, descriptions, Open Graph and Twitter card tags,
//! and JSON-LD that parses, carries the required fields and cannot be
//! broken out of.

mod common;

use common::{CONFIG, Page, TestSite};
use serde_json::Value;

fn meta(page: &Page, property: &str) -> String {
    page.attr(&format!("meta[property=\"{property}\"]"), "content")
}

fn named(page: &Page, name: &str) -> String {
    page.attr(&format!("meta[name=\"{name}\"]"), "content")
}

/// Every JSON-LD document of the page, parsed.
fn json_ld(page: &Page) -> Vec<Value> {
    let selector = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    page.0
        .select(&selector)
        .map(|script| {
            let text: String = script.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

fn portal() -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{CONFIG}  email: banbientap@example.gov.vn\nsharing:\n  image: /anh/chia-se.png\n  logo: /anh/logo.png\n  twitter: \"@botn\"\n"),
    );
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Bộ họp về chuyển đổi số\ndate: 2024-03-15 08:30\nupdated: 2024-03-16 09:00\n\
         summary: Sáng 15/3, Bộ họp về chuyển đổi số.\ncategory: chuyen-doi-so\ntags: [Dữ liệu]\n\
         author: Nguyễn Văn A\nimage: { src: toan-canh.svg, alt: Toàn cảnh cuộc họp }\n---\nNội dung.\n",
    );
    site.write(
        "content/tin-tuc/hop/toan-canh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.article(
        "khong-anh",
        "title: Tin không ảnh\ndate: 2024-03-10\ncategory: cong-nghe-thong-tin",
        "Đoạn đầu.\n",
    );
    site.write(
        "content/van-ban/ct/index.md",
        "---\ntitle: Chỉ thị về ứng dụng công nghệ thông tin\ndate: 2008-10-01\ndocument:\n  number: 07/2008/CT-BCA(E11)\n  type: Chỉ thị\n  issuer: Bộ Công an\n  signer: { name: Lê Hồng Anh, title: Bộ trưởng }\n  signed: 2008-09-30\n  effective: 2008-09-30\n  expires: 2010-12-31\n---\nNội dung.\n",
    );
    site
}

#[test]
fn articles_carry_canonical_open_graph_twitter_and_news_article() {
    let site = portal();
    site.build();
    let page = site.html("/tin-tuc/hop/");
    let url = "https://example.gov.vn/tin-tuc/hop/";
    assert_eq!(page.attr("link[rel=canonical]", "href"), url);
    assert_eq!(
        named(&page, "description"),
        "Sáng 15/3, Bộ họp về chuyển đổi số."
    );
    assert_eq!(meta(&page, "og:type"), "article");
    assert_eq!(meta(&page, "og:title"), "Bộ họp về chuyển đổi số");
    assert_eq!(
        meta(&page, "og:description"),
        "Sáng 15/3, Bộ họp về chuyển đổi số."
    );
    assert_eq!(meta(&page, "og:url"), url);
    assert_eq!(meta(&page, "og:locale"), "vi_VN");
    assert_eq!(
        meta(&page, "og:image"),
        "https://example.gov.vn/tin-tuc/hop/toan-canh.svg"
    );
    assert_eq!(meta(&page, "og:image:alt"), "Toàn cảnh cuộc họp");
    assert_eq!(
        meta(&page, "article:published_time"),
        "2024-03-15T08:30:00+07:00"
    );
    assert_eq!(
        meta(&page, "article:modified_time"),
        "2024-03-16T09:00:00+07:00"
    );
    assert_eq!(meta(&page, "article:section"), "Chuyển đổi số");
    assert_eq!(meta(&page, "article:tag"), "Dữ liệu");
    assert_eq!(named(&page, "twitter:card"), "summary_large_image");
    assert_eq!(named(&page, "twitter:site"), "@botn");
    assert_eq!(named(&page, "twitter:image"), meta(&page, "og:image"));

    let data = json_ld(&page);
    assert_eq!(data.len(), 1);
    let article = &data[0];
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Bộ họp về chuyển đổi số");
    assert_eq!(article["datePublished"], "2024-03-15T08:30:00+07:00");
    assert_eq!(article["dateModified"], "2024-03-16T09:00:00+07:00");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "Nguyễn Văn A");
    assert_eq!(
        article["image"][0],
        "https://example.gov.vn/tin-tuc/hop/toan-canh.svg"
    );
    assert_eq!(article["mainEntityOfPage"], url);
    let publisher = &article["publisher"];
    assert_eq!(publisher["@type"], "GovernmentOrganization");
    assert_eq!(publisher["name"], "Bộ Thử nghiệm");
    assert_eq!(
        publisher["logo"]["url"],
        "https://example.gov.vn/anh/logo.png"
    );

    // Without a picture of its own: the site's, and the small card.
    let page = site.html("/tin-tuc/khong-anh/");
    assert_eq!(
        meta(&page, "og:image"),
        "https://example.gov.vn/anh/chia-se.png"
    );
    assert_eq!(page.count("meta[property=\"og:image:alt\"]"), 0);
    assert_eq!(named(&page, "twitter:card"), "summary_large_image");
    let article = &json_ld(&page)[0];
    assert_eq!(
        article["author"][0]["@type"], "GovernmentOrganization",
        "no author: the ministry"
    );
    assert_eq!(
        article["dateModified"], "2024-03-10T00:00:00+07:00",
        "no update: the date"
    );
}

#[test]
fn directives_carry_legislation() {
    let site = portal();
    site.build();
    let page = site.html("/van-ban/ct/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.gov.vn/van-ban/ct/"
    );
    assert_eq!(meta(&page, "og:type"), "article");
    assert_eq!(
        meta(&page, "article:published_time"),
        "2008-10-01T00:00:00+07:00"
    );
    let data = json_ld(&page);
    let law = &data[0];
    assert_eq!(law["@type"], "Legislation");
    assert_eq!(law["name"], "Chỉ thị về ứng dụng công nghệ thông tin");
    assert_eq!(law["legislationIdentifier"], "07/2008/CT-BCA(E11)");
    assert_eq!(law["legislationType"], "Chỉ thị");
    assert_eq!(law["legislationDate"], "2008-09-30");
    assert_eq!(law["legislationPassedBy"]["name"], "Bộ Công an");
    assert_eq!(
        law["legislationPassedBy"]["@type"],
        "GovernmentOrganization"
    );
    assert_eq!(law["legislationResponsible"]["name"], "Lê Hồng Anh");
    assert_eq!(
        law["legislationLegalForce"], "https://schema.org/NotInForce",
        "expired in 2010"
    );
}

#[test]
fn the_home_page_names_the_ministry_and_the_site_search() {
    let site = portal();
    site.build();
    let page = site.html("/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.gov.vn/"
    );
    assert_eq!(meta(&page, "og:type"), "website");
    let data = json_ld(&page);
    let graph = data[0]["@graph"].as_array().unwrap();
    let of_type = |kind: &str| graph.iter().find(|v| v["@type"] == kind).unwrap().clone();
    let organization = of_type("GovernmentOrganization");
    assert_eq!(organization["name"], "Bộ Thử nghiệm");
    assert_eq!(organization["url"], "https://example.gov.vn/");
    assert_eq!(
        organization["address"]["streetAddress"],
        "1 Phố Thử, Hà Nội"
    );
    assert_eq!(organization["email"], "banbientap@example.gov.vn");
    let website = of_type("WebSite");
    assert_eq!(website["name"], "Cổng thông tin thử nghiệm");
    assert_eq!(website["publisher"]["@id"], organization["@id"]);
    let action = &website["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    assert_eq!(
        action["target"]["urlTemplate"],
        "https://example.gov.vn/tim-kiem/?q={search_term_string}"
    );
    assert_eq!(action["query-input"], "required name=search_term_string");

    // The search page's path is the one configured.
    site.write(
        "config.yaml",
        &format!("{CONFIG}paths: {{ search: tra-cuu }}\n"),
    );
    site.build();
    let data = json_ld(&site.html("/"));
    let search = data[0]["@graph"][1]["potentialAction"]["target"]["urlTemplate"].clone();
    assert_eq!(
        search,
        "https://example.gov.vn/tra-cuu/?q={search_term_string}"
    );
}

#[test]
fn every_page_has_its_canonical_address_but_the_404_page() {
    let site = portal();
    site.build();
    for (url, canonical) in [
        ("/chuyen-muc/chuyen-doi-so/", "/chuyen-muc/chuyen-doi-so/"),
        ("/van-ban/", "/van-ban/"),
        ("/tin-tuc/", "/tin-tuc/"),
        ("/so-do-cong/", "/so-do-cong/"),
    ] {
        let page = site.html(url);
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            format!("https://example.gov.vn{canonical}"),
            "{url}"
        );
        assert_eq!(page.count("link[rel=canonical]"), 1, "{url}");
    }
    let missing = site.html("/404.html");
    assert_eq!(missing.count("link[rel=canonical]"), 0);
    assert_eq!(missing.count("meta[property=\"og:type\"]"), 0);
}

#[test]
fn hostile_titles_cannot_break_out_of_the_json_ld() {
    let site = TestSite::new();
    let title = "</script><script>alert(1)</script><!-- & -->";
    site.article(
        "x",
        &format!(
            "title: {}\ndate: 2024-01-01\nsummary: \"<!--\"\nauthor: \"</SCRIPT>\"\ncategory: chuyen-doi-so",
            serde_json::to_string(title).unwrap()
        ),
        "X.\n",
    );
    site.build();
    let text = std::fs::read_to_string(site.file("/tin-tuc/x/")).unwrap();
    let start = text.find("<script type=\"application/ld+json\">").unwrap();
    let body = &text[start + "<script type=\"application/ld+json\">".len()..];
    let end = body.find("</script>").unwrap();
    let json = &body[..end];
    assert!(!json.contains(['<', '>', '&']), "{json}");
    assert!(!json.to_lowercase().contains("script>"), "{json}");
    let value: Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["headline"], title);
    assert_eq!(value["description"], "<!--");
    assert_eq!(value["author"][0]["name"], "</SCRIPT>");
    // The parser agrees: one data script, no other script but the theme's
    // two (the portal's and the search box's).
    let page = site.html("/tin-tuc/x/");
    assert_eq!(page.count("script[type=\"application/ld+json\"]"), 1);
    assert_eq!(page.count("script"), 3);
    assert_eq!(page.count("script[src=\"/js/portal.js\"]"), 1);
    assert_eq!(page.count("script[src=\"/js/search.js\"]"), 1);
}

#[test]
fn a_preview_address_replaces_the_base_url_everywhere() {
    // `gazette serve` and `--base-url` build for another address: canonical
    // addresses, Open Graph, JSON-LD and feeds follow it.
    let site = portal();
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:1111".into());
    gazette::build(&options).unwrap();
    let page = site.html("/tin-tuc/hop/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "http://127.0.0.1:1111/tin-tuc/hop/"
    );
    assert_eq!(meta(&page, "og:url"), "http://127.0.0.1:1111/tin-tuc/hop/");
    assert_eq!(
        json_ld(&page)[0]["url"],
        "http://127.0.0.1:1111/tin-tuc/hop/"
    );
    let xml = std::fs::read_to_string(site.file("/atom.xml")).unwrap();
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert!(
        feed.entries[0].links[0]
            .href
            .starts_with("http://127.0.0.1:1111/")
    );
    let robots = std::fs::read_to_string(site.file("/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: http://127.0.0.1:1111/sitemap.xml"));
}

#[test]
fn sharing_settings_are_checked() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        &format!("{CONFIG}sharing:\n  twitter: botn\n"),
    );
    let err = site.try_build().unwrap_err();
    assert!(
        err.diagnostics[0].message.contains("`sharing.twitter`"),
        "{}",
        err.diagnostics[0].message
    );
    assert_eq!(err.diagnostics[0].line, Some(12));
}
