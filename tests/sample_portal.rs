//! The repository's own sample portal builds and has every page type.

mod common;

use common::pictures::srcset;
use gazette::BuildOptions;
use scraper::Html;

/// The sample's one article with a picture: a guide to the register and
/// search, shown with a real screenshot of the portal (a PNG).
const GUIDE: &str = "/tin-tuc/huong-dan-tra-cuu-van-ban/";

#[test]
fn sample_portal_builds_with_one_page_per_seed() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let report = gazette::build(&BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        output: Some(output.clone()),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|err| panic!("{}", common::render_errors(&err)));
    assert_eq!(
        report.articles, 7,
        "one article per seed, the search guide, and the English version of one"
    );
    assert_eq!(report.directives, 2, "the two directives the seeds cite");
    assert_eq!(
        report.consultations, 2,
        "a draft open for comment, one closed"
    );
    assert_eq!(
        report.pages, 9,
        "about, organisation, leaders, functions and duties, contacts; \
         about, organisation, leaders, contacts in English"
    );
    assert_eq!(report.categories, 3);

    let read =
        |rel: &str| Html::parse_document(&std::fs::read_to_string(output.join(rel)).unwrap());
    let home = common::Page(read("index.html"));
    assert_eq!(home.count("h1"), 1);
    // A front page: the lead, the stories beside it, "Tin mới" and "Văn
    // bản mới", each of the six stories once; no fake photographs: the one
    // picture is the search guide's screenshot of the portal.
    assert_eq!(home.count(".card-lead"), 1);
    let stories = home.attrs("main a[href^='/tin-tuc/']", "href");
    let unique: std::collections::HashSet<&String> = stories.iter().collect();
    assert_eq!((stories.len(), unique.len()), (6, 6), "{stories:?}");
    assert_eq!(home.count(".new-documents .document-list li"), 2);
    let pictures = home.attrs("main img", "src");
    assert_eq!(pictures.len(), 1, "{pictures:?}");
    assert!(pictures[0].starts_with(&format!("{GUIDE}trang-van-ban-")));
    for slug in [
        "huong-dan-tra-cuu-van-ban",
        "bo-cong-an-day-manh-ung-dung",
        "quy-hoach-ung-dung-va-phat-trien",
        "ung-dung-co-hieu-qua-cong-nghe-thong-tin",
        "phe-duyet-ke-hoach-ung-dung-cntt",
        "thu-truong-bui-van-thanh-lam-viec",
    ] {
        let page = common::Page(read(&format!("tin-tuc/{slug}/index.html")));
        assert_eq!(page.count("h1"), 1, "{slug}");
        assert!(
            page.text(".rating h2").starts_with("ĐÁNH GIÁ BÀI VIẾT ("),
            "{slug}"
        );
        assert!(
            !page.text(".article-body").contains("Tin cùng chuyên mục"),
            "{slug}: scraping debris left"
        );
    }
    let seed_002 = common::Page(read(
        "tin-tuc/ung-dung-co-hieu-qua-cong-nghe-thong-tin/index.html",
    ));
    assert_eq!(
        seed_002.text(".article-meta time"),
        "Thứ Ba, 23/02/2021, 07:59 (GMT+7)"
    );
    assert_eq!(seed_002.count("main img"), 0, "no made-up photographs");
    for category in ["tin-hoat-dong", "chi-dao-dieu-hanh", "ung-dung-cntt"] {
        assert!(
            output
                .join(format!("chuyen-muc/{category}/index.html"))
                .is_file(),
            "{category}"
        );
    }
    assert!(output.join("tu-khoa/bo-cong-an/index.html").is_file());
    assert!(output.join("gioi-thieu/index.html").is_file());
    assert!(output.join("css/portal.css").is_file());

    // The agency's pages, from the lists in their front matter.
    let organisation = common::Page(read("co-cau-to-chuc/index.html"));
    assert_eq!(
        organisation.texts(".unit-tree > li > .unit-name"),
        vec!["Bộ Thông tin và Truyền thông"]
    );
    assert_eq!(organisation.count(".unit"), 7);
    let leaders = common::Page(read("lanh-dao/index.html"));
    assert_eq!(leaders.count(".leader"), 2);
    let contacts = common::Page(read("danh-ba/index.html"));
    assert_eq!(contacts.count(".contact-table a[href^='tel:']"), 4);
    assert!(output.join("chuc-nang-nhiem-vu/index.html").is_file());

    // The English about, organisation and contacts pages, linked both ways.
    for (vi, en) in [
        ("gioi-thieu", "about"),
        ("co-cau-to-chuc", "organisation"),
        ("danh-ba", "contacts"),
        ("lanh-dao", "leadership"),
    ] {
        let vi_page = common::Page(read(&format!("{vi}/index.html")));
        let en_page = common::Page(read(&format!("en/{en}/index.html")));
        let pair = vec![
            format!("https://example.gov.vn/{vi}/"),
            format!("https://example.gov.vn/en/{en}/"),
        ];
        assert_eq!(vi_page.attrs("link[hreflang]", "href"), pair, "{vi}");
        assert_eq!(en_page.attrs("link[hreflang]", "href"), pair, "{en}");
        assert_eq!(vi_page.attr(".lang-switch a", "href"), format!("/en/{en}/"));
        assert_eq!(en_page.attr(".lang-switch a", "href"), format!("/{vi}/"));
        assert_eq!(en_page.attr("html", "lang"), "en");
    }
    let organisation = common::Page(read("en/organisation/index.html"));
    assert_eq!(organisation.count(".unit"), 7);

    // The register lists both seed directives with every column, and the
    // news item about Chỉ thị 07/2008 links to it in its text and under
    // "Văn bản liên quan".
    let register = common::Page(read("van-ban/index.html"));
    assert_eq!(
        register.texts(".register-table tbody th"),
        vec!["2016/QĐ-BTTTT", "07/2008/CT-BCA(E11)"]
    );
    assert_eq!(register.count(".register-table tbody td"), 8);
    assert_eq!(
        register.texts(".register-table tbody .badge"),
        vec!["Còn hiệu lực", "Chưa xác định"]
    );
    let news = common::Page(read("tin-tuc/bo-cong-an-day-manh-ung-dung/index.html"));
    assert_eq!(
        news.attr(".sapo a.document-link", "href"),
        "/van-ban/chi-thi-07-2008-ct-bca-e11/"
    );
    assert_eq!(
        news.attrs(".related-documents a", "href"),
        vec!["/van-ban/chi-thi-07-2008-ct-bca-e11/"]
    );
    let directive = common::Page(read("van-ban/chi-thi-07-2008-ct-bca-e11/index.html"));
    assert_eq!(directive.count(".directive-meta tr"), 9);
    assert_eq!(
        directive.attrs(".related a", "href"),
        vec!["/tin-tuc/bo-cong-an-day-manh-ung-dung/"]
    );
}

/// The sample's drafts for comment on `/du-thao/` at fixed build moments,
/// and every open data file of the sample valid against its schema.
#[test]
fn the_sample_drafts_show_their_status_on_the_day_of_the_build() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let site = common::TestSite { dir: out };
    let build_at = |now: &str| {
        gazette::build(&BuildOptions {
            root: env!("CARGO_MANIFEST_DIR").into(),
            output: Some(output.clone()),
            now: Some(chrono::DateTime::parse_from_rfc3339(now).unwrap()),
            ..BuildOptions::default()
        })
        .unwrap_or_else(|err| panic!("{}", common::render_errors(&err)));
        let register = site.html("/du-thao/");
        let rows = register.attrs(".consultation-table tbody th a", "href");
        let statuses = register.texts(".consultation-table .cell-status");
        rows.into_iter().zip(statuses).collect::<Vec<_>>()
    };
    let open = "/du-thao/thong-tu-cung-cap-thong-tin-tren-cong/";
    let closed = "/du-thao/ke-hoach-ung-dung-cntt-2026-2030/";
    let row = |url: &str, status: &str| (url.to_string(), status.to_string());
    assert_eq!(
        build_at("2026-11-10T09:00:00+07:00"),
        vec![
            row(open, "Sắp lấy ý kiến mở sau 6 ngày"),
            row(closed, "Đã hết hạn")
        ]
    );
    assert_eq!(
        build_at("2026-12-02T09:00:00+07:00"),
        vec![
            row(open, "Đang lấy ý kiến còn 44 ngày"),
            row(closed, "Đã hết hạn")
        ]
    );
    assert_eq!(
        site.html("/").texts(".open-consultations li > a"),
        vec![
            "Lấy ý kiến dự thảo Thông tư quy định việc cung cấp thông tin và dữ liệu mở trên Cổng thông tin điện tử của Bộ"
        ]
    );
    for (path, schema) in [
        ("api/van-ban.json", "van-ban.v1.json"),
        ("api/du-thao.json", "du-thao.v1.json"),
        ("feed.json", "feed.v1.json"),
        ("chuyen-muc/tin-hoat-dong/feed.json", "feed.v1.json"),
        ("en/feed.json", "feed.v1.json"),
    ] {
        site.assert_valid(path, schema);
    }
    // The last day late in the evening in Hanoi, on CI's UTC clock.
    assert_eq!(
        build_at("2027-01-15T16:30:00+00:00")[0],
        row(open, "Đang lấy ý kiến hôm nay là ngày cuối")
    );
    assert_eq!(
        build_at("2027-01-15T17:00:00+00:00"),
        vec![row(open, "Đã hết hạn"), row(closed, "Đã hết hạn")]
    );
    assert_eq!(site.html("/").count(".open-consultations"), 0);
}

/// The guide's screenshot (1280 × 900 px) reaches a phone as a small WebP
/// and a desktop as a larger one, each at its real size.
#[test]
fn the_sample_screenshot_is_a_small_webp_on_a_phone_and_a_larger_one_on_a_desktop() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    gazette::build(&BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        output: Some(output.clone()),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|err| panic!("{}", common::render_errors(&err)));
    let html = std::fs::read_to_string(output.join("tin-tuc/huong-dan-tra-cuu-van-ban/index.html"))
        .unwrap();
    let page = common::Page(Html::parse_document(&html));
    let source = "figure.lead-figure picture source[type='image/webp']";
    let img = "figure.lead-figure picture img";
    // On a phone the image spans the screen less the margins; beside the
    // column on a desktop, 46rem (736 px).
    let sizes = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";
    assert_eq!(page.attr(source, "sizes"), sizes);
    assert_eq!(page.attr(img, "sizes"), sizes);
    let webp = srcset(&page.attr(source, "srcset"));
    let fallback = srcset(&page.attr(img, "srcset"));
    // 1200 px is within a tenth of the screenshot's own 1280: made at 1280.
    let widths = |set: &[(String, u32)]| set.iter().map(|c| c.1).collect::<Vec<_>>();
    assert_eq!(widths(&webp), [360, 720, 1280]);
    assert_eq!(widths(&fallback), [360, 720, 1280]);
    let file = |url: &str| output.join(url.trim_start_matches('/'));
    for (set, format) in [
        (&webp, image::ImageFormat::WebP),
        (&fallback, image::ImageFormat::Png),
    ] {
        for (url, width) in set {
            let bytes = std::fs::read(file(url)).unwrap();
            assert_eq!(image::guess_format(&bytes).unwrap(), format, "{url}");
            let decoded = image::load_from_memory(&bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (*width, (900 * width + 640) / 1280),
                "{url} is as wide as it says and keeps the shape"
            );
        }
    }
    // What a browser picks: the smallest candidate at least as wide as the
    // slot in device pixels.
    let pick = |slot: u32| {
        webp.iter()
            .find(|c| c.1 >= slot)
            .unwrap_or(&webp[webp.len() - 1])
            .clone()
    };
    let phone = pick(360 - 32);
    let phone_2x = pick((360 - 32) * 2);
    let desktop = pick(736);
    assert_eq!((phone.1, phone_2x.1, desktop.1), (360, 720, 1280));
    let original = std::fs::metadata(file(&format!("{GUIDE}trang-van-ban.png")))
        .unwrap()
        .len();
    let size = |c: &(String, u32)| std::fs::metadata(file(&c.0)).unwrap().len();
    assert!(
        size(&phone) * 3 < original && size(&desktop) < original,
        "phone {}, desktop {} bytes, original {original}",
        size(&phone),
        size(&desktop)
    );
    assert!(size(&phone) < size(&desktop));
    // The fallback `<img>` carries its own real size; link previews get the
    // largest copy, in PNG.
    let src = page.attr(img, "src");
    let decoded = image::load_from_memory(&std::fs::read(file(&src)).unwrap()).unwrap();
    assert_eq!(
        (page.attr(img, "width"), page.attr(img, "height")),
        (decoded.width().to_string(), decoded.height().to_string())
    );
    let og = page.attr("meta[property='og:image']", "content");
    assert!(
        og.ends_with(".png") && og.contains("trang-van-ban-1280w-"),
        "{og}"
    );
    assert_eq!(
        page.attr("meta[property='og:image:width']", "content"),
        "1280"
    );
}
