//! `gazette serve` over real HTTP on an ephemeral loopback port: what it
//! serves, what it refuses, and what an open page sees after each kind of
//! edit. The requests are written by hand on a socket so that paths reach
//! the server exactly as written (clients would tidy `..` away).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TestSite;

/// A running `gazette serve`, stopped with Ctrl-C (SIGINT) when dropped.
struct Server {
    child: Child,
    address: String,
    /// The private folder it serves from.
    folder: PathBuf,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, env: &[(&str, &Path)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = read_lines(child.stdout.take().unwrap());
        let started = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .expect("serve did not start");
            if line.starts_with("Serving at ") {
                break line;
            }
        };
        // "Serving at http://127.0.0.1:PORT/ from FOLDER (Ctrl-C to stop)"
        let rest = started.trim_start_matches("Serving at http://");
        let (address, rest) = rest.split_once("/ from ").unwrap();
        let folder = rest.trim_end_matches(" (Ctrl-C to stop)");
        Server {
            child,
            address: address.to_string(),
            folder: PathBuf::from(folder),
            lines,
        }
    }

    fn get(&self, path: &str) -> Response {
        request(&self.address, "GET", path)
    }

    /// Waits until `path` answers as `done` says, or fails after 15 s.
    fn wait_for(&self, path: &str, done: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{path} never became as expected; last: {} {}",
                response.status,
                response.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "serve did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.interrupt();
        }
    }
}

fn read_lines(out: ChildStdout) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

fn request(address: &str, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The events an open page receives, as `(event, data)`.
fn events(address: &str) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /__gazette/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && send.send((event.clone(), data.to_string())).is_err()
            {
                break;
            }
        }
    });
    receive
}

/// The next event named `name`, skipping others, within 15 s.
fn next_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let started = Instant::now();
    while let Some(left) = Duration::from_secs(15).checked_sub(started.elapsed()) {
        if let Ok((event, data)) = events.recv_timeout(left)
            && event == name
        {
            return data;
        }
    }
    panic!("no `{name}` event");
}

fn title(response: &Response) -> String {
    let page = scraper::Html::parse_document(&response.text());
    let h1 = scraper::Selector::parse("h1").unwrap();
    page.select(&h1)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_default()
}

#[test]
fn serves_every_page_of_the_sample_portal_as_a_build_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let published = root.join("public");
    let before = fs::metadata(&published).and_then(|m| m.modified()).ok();
    let server = Server::start(root);
    assert!(
        !server.folder.starts_with(root),
        "serves from a private folder"
    );
    // The sample portal has no photos, so the first build is the last (a
    // site with photos rebuilds once their copies are made: see below).
    server.wait_for("/tin-tuc/phe-duyet-ke-hoach-ung-dung-cntt/", |r| {
        r.status == 200
    });

    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&server.folder) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_file() || name.starts_with('.') {
            continue;
        }
        let rel = entry.path().strip_prefix(&server.folder).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel));
        let response = server.get(&url);
        assert_eq!(response.status, 200, "{url}");
        assert_eq!(response.header("cache-control"), "no-store", "{url}");
        let on_disk = fs::read(entry.path()).unwrap();
        if name.ends_with(".html") {
            pages += 1;
            assert_eq!(response.header("content-type"), "text/html; charset=utf-8");
            // The live-reload script, with the generation the page is at.
            let text = response.text();
            let start = text
                .find("<script src=\"/__gazette/live.js\" data-since=\"")
                .unwrap_or_else(|| panic!("{url}: no live-reload script"));
            let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
            let tag = &text[start..end];
            assert!(tag.ends_with("\" defer></script>"), "{tag}");
            let without = format!("{}{}", &text[..start], &text[end..]);
            assert_eq!(without.as_bytes(), on_disk, "{url}");
        } else {
            assert_eq!(response.body, on_disk, "{url}");
        }
    }
    assert!(pages > 30, "{pages} pages");
    for (path, kind) in [
        ("/css/portal.css", "text/css; charset=utf-8"),
        ("/rss.xml", "application/xml; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/js/portal.js", "text/javascript; charset=utf-8"),
    ] {
        assert_eq!(server.get(path).header("content-type"), kind, "{path}");
    }
    // Links and feeds point at the local server.
    let feed = server.get("/rss.xml").text();
    assert!(
        feed.contains(&format!("http://{}/tin-tuc/", server.address)),
        "{feed}"
    );

    let moved = server.get("/tin-tuc");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), "/tin-tuc/");
    let head = request(&server.address, "HEAD", "/tin-tuc/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let missing = server.get("/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert_eq!(title(&missing), title(&server.get("/404.html")));
    // An English address that leads nowhere gets the English page.
    let missing = server.get("/en/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(title(&missing), title(&server.get("/en/404.html")));
    assert_ne!(title(&missing), title(&server.get("/404.html")));
    assert_eq!(
        fs::metadata(&published).and_then(|m| m.modified()).ok(),
        before,
        "the published public/ was touched"
    );
}

/// Reads one response (headers and a `Content-Length` body) from a
/// connection that stays open; `None` if none came within 20 s.
fn read_response(stream: &mut TcpStream) -> Option<(u16, Vec<u8>)> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((status, body))
}

/// A browser opens several connections at once and keeps them open; with
/// open pages' event streams beside them, every one must still be
/// answered, twice over (tiny_http's thread pool, used before, lost
/// wake-ups in such a burst and left a connection unread for good).
#[test]
fn a_burst_of_kept_alive_connections_is_answered_on_each() {
    let site = TestSite::with_good_article();
    let server = Server::start(site.root());
    let _open_pages: Vec<_> = (0..3).map(|_| events(&server.address)).collect();
    let mut connections: Vec<TcpStream> = (0..16)
        .map(|_| TcpStream::connect(&server.address).unwrap())
        .collect();
    for round in 0..2 {
        for stream in &mut connections {
            write!(
                stream,
                "GET /tin-tuc/ HTTP/1.1\r\nHost: {}\r\n\r\n",
                server.address
            )
            .unwrap();
        }
        for (n, stream) in connections.iter_mut().enumerate() {
            let (status, body) = read_response(stream)
                .unwrap_or_else(|| panic!("connection {n} got no answer in round {round}"));
            assert_eq!(status, 200, "connection {n}");
            assert!(String::from_utf8_lossy(&body).contains("</html>"));
        }
    }
}

#[test]
fn paths_out_of_the_served_folder_are_refused_in_every_spelling() {
    let site = TestSite::with_good_article();
    fs::write(site.root().join("bi-mat.txt"), "KHONG-DUOC-LO").unwrap();
    let server = Server::start(site.root());
    for (path, status) in [
        ("/../bi-mat.txt", 400),
        ("/../../../../etc/passwd", 400),
        ("/%2e%2e/bi-mat.txt", 400),
        ("/%2E%2E/%2E%2E/etc/passwd", 400),
        ("/tin-tuc%2f..%2f..%2fbi-mat.txt", 400),
        ("/..%5cbi-mat.txt", 400),
        ("/..\\bi-mat.txt", 400),
        ("/index.html%00.txt", 400),
        ("/%c0%ae%c0%ae/bi-mat.txt", 400),
        ("//etc/passwd", 404),
        ("/etc/passwd", 404),
        ("/.gazette-output/../../bi-mat.txt", 400),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, status, "{path}");
        let text = response.text();
        assert!(
            !text.contains("KHONG-DUOC-LO") && !text.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn edits_show_up_in_open_pages_without_a_restart() {
    let site = TestSite::with_good_article();
    let server = Server::start(site.root());
    let page = server.wait_for("/tin-tuc/tot/", |r| r.status == 200);
    assert_eq!(title(&page), "Bài tốt");
    let events = events(&server.address);

    // An edit in place.
    site.article(
        "tot",
        "title: Bài tốt đã sửa\ndate: 2021-01-01\ncategory: chuyen-doi-so",
        "Nội dung mới.\n",
    );
    let changed = next_event(&events, "reload");
    assert!(changed.contains("\"/tin-tuc/tot/\""), "{changed}");
    server.wait_for("/tin-tuc/tot/", |r| title(r) == "Bài tốt đã sửa");

    // Saved through a temporary file renamed over it, as vim and VS Code do.
    let temporary = site.root().join("content/tin-tuc/.tot.md.tmp");
    fs::write(
        &temporary,
        "---\ntitle: Lưu bằng đổi tên\ndate: 2021-01-01\ncategory: chuyen-doi-so\n---\nX.\n",
    )
    .unwrap();
    fs::rename(&temporary, site.root().join("content/tin-tuc/tot.md")).unwrap();
    server.wait_for("/tin-tuc/tot/", |r| title(r) == "Lưu bằng đổi tên");

    // A new article, listed on its category page.
    site.article(
        "moi",
        "title: Bài mới\ndate: 2021-03-01\ncategory: chuyen-doi-so",
        "Mới.\n",
    );
    server.wait_for("/tin-tuc/moi/", |r| r.status == 200);
    // Requests wait while a rebuild writes: once the page is served, so
    // is the list that shows it, never a site half written.
    let list = server.get("/chuyen-muc/chuyen-doi-so/").text();
    assert!(list.contains("Bài mới"), "the category page lists it");

    // Moved to another section, then deleted.
    fs::create_dir_all(site.root().join("content/su-kien")).unwrap();
    fs::rename(
        site.root().join("content/tin-tuc/moi.md"),
        site.root().join("content/su-kien/moi.md"),
    )
    .unwrap();
    server.wait_for("/su-kien/moi/", |r| r.status == 200);
    server.wait_for("/tin-tuc/moi/", |r| r.status == 404);
    fs::remove_file(site.root().join("content/su-kien/moi.md")).unwrap();
    server.wait_for("/su-kien/moi/", |r| r.status == 404);
    server.wait_for("/chuyen-muc/chuyen-doi-so/", |r| {
        !r.text().contains("Bài mới")
    });

    // A template of the site's own, and a static file.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Không thấy trang</h1>{% endblock content %}",
    );
    server.wait_for("/khong-co/", |r| {
        r.status == 404 && title(r) == "Không thấy trang"
    });
    site.write("static/tai-lieu/huong-dan.txt", "hướng dẫn");
    let file = server.wait_for("/tai-lieu/huong-dan.txt", |r| r.status == 200);
    assert_eq!(file.text(), "hướng dẫn");
    assert_eq!(file.header("content-type"), "text/plain; charset=utf-8");

    // A folder of images copied in at once.
    for n in 0..20 {
        site.write(
            &format!("content/anh/{n}.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    }
    server.wait_for("/anh/19.svg", |r| r.status == 200);
}

#[test]
fn a_photo_copied_in_is_shown_at_once_and_its_copies_follow() {
    let site = TestSite::new();
    site.write(
        "content/tin-tuc/hop/index.md",
        "---\ntitle: Cuộc họp\ndate: 2024-05-01\ncategory: chuyen-doi-so\n---\n![Toàn cảnh](anh.jpg)\n",
    );
    let server = Server::start(site.root());
    let page = server.wait_for("/tin-tuc/hop/", |r| r.status == 200);
    assert!(!page.text().contains("<picture"));

    let (width, height) = (1000, 600);
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 241) as u8).collect();
    let mut jpeg = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85),
        &pixels,
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let path = site.root().join("content/tin-tuc/hop/anh.jpg");
    fs::write(&path, &jpeg).unwrap();
    // The original is served as soon as the page is rebuilt; the copies
    // are made in the background and the page then offers them.
    server.wait_for("/tin-tuc/hop/anh.jpg", |r| r.status == 200);
    let page = server.wait_for("/tin-tuc/hop/", |r| r.text().contains("<picture"));
    let text = page.text();
    let webp = text
        .split(['"', ' ', ','])
        .find(|part| part.ends_with(".webp") && part.contains("-360w-"))
        .expect("a 360 px WebP in the page")
        .to_string();
    let copy = server.get(&format!("/tin-tuc/hop/{webp}"));
    assert_eq!(copy.status, 200, "{webp}");
    assert_eq!(copy.header("content-type"), "image/webp");
    assert_eq!(image::load_from_memory(&copy.body).unwrap().width(), 360);
}

#[test]
fn a_broken_edit_shows_its_problems_and_the_last_good_page_stays() {
    let site = TestSite::with_good_article();
    let server = Server::start(site.root());
    let events = events(&server.address);
    site.write(
        "content/tin-tuc/tot.md",
        "---\ntitle: [<b>hỏng</b>\ndate: 2021-01-01\n---\nX.\n",
    );
    let errors = next_event(&events, "errors");
    let errors: Vec<String> = serde_json::from_str(&errors).unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("--> content/tin-tuc/tot.md:2:")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("help:")), "{errors:?}");
    // The last good site goes on being served.
    let page = server.get("/tin-tuc/tot/");
    assert_eq!((page.status, title(&page)), (200, "Bài tốt".to_string()));
    // A page opened now learns of the problem at once.
    let late = self::events(&server.address);
    assert!(next_event(&late, "errors").contains("tot.md:2:"));

    site.article(
        "tot",
        "title: Đã sửa lỗi\ndate: 2021-01-01\ncategory: chuyen-doi-so",
        "X.\n",
    );
    next_event(&events, "reload");
    server.wait_for("/tin-tuc/tot/", |r| title(r) == "Đã sửa lỗi");
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_no_folder_behind() {
    let site = TestSite::with_good_article();
    let mut server = Server::start(site.root());
    let folder = server.folder.clone();
    assert!(folder.join("index.html").is_file());
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(
        !folder.parent().unwrap().exists(),
        "{} was left behind",
        folder.display()
    );
    assert!(!site.public().exists(), "the published public/ was written");
    let said: Vec<String> = server.lines.try_iter().collect();
    assert!(said.iter().any(|l| l == "Stopped."), "{said:?}");
}

#[test]
fn private_folders_of_killed_servers_are_removed_and_no_other() {
    let site = TestSite::with_good_article();
    let temp = tempfile::tempdir().unwrap();
    let make = |name: &str, stamped: bool| {
        let folder = temp.path().join(name);
        fs::create_dir_all(folder.join("public")).unwrap();
        fs::write(folder.join(".public.lock"), "1").unwrap();
        if stamped {
            fs::write(folder.join("public").join(gazette::output::STAMP), "x").unwrap();
        }
        folder
    };
    let killed = make("gazette-serve-4000001", true);
    let running = make("gazette-serve-4000002", true);
    let foreign = make("gazette-serve-4000003", false);
    let held = fs::File::open(running.join(".public.lock")).unwrap();
    held.lock().unwrap();
    let server = Server::start_with(site.root(), &[("TMPDIR", temp.path())]);
    assert!(server.folder.starts_with(temp.path()));
    assert!(!killed.exists(), "a killed server's folder is removed");
    assert!(running.exists(), "a running server's folder is kept");
    assert!(foreign.exists(), "a folder without Gazette's stamp is kept");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let site = TestSite::with_good_article();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("--port"), "{said}");
}
