//! Answering one HTTP request from the served folder.
//!
//! The request's path is decoded and checked before it touches the file
//! system: `..` and `.` segments, backslashes, NUL, encoded slashes and
//! anything that does not decode to UTF-8 get 400; a file whose real path
//! (links resolved) lies outside the served folder gets 404. Nothing else
//! is ever read. Pages are served as a clean build writes them, with one
//! line added before `</body>`: the live-reload script.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use percent_encoding::percent_decode_str;

use super::live::{EVENTS_PATH, SCRIPT_PATH};

/// The script every served page gets, and nothing else.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What a request's path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file under the served folder.
    File(PathBuf),
    /// A folder asked for without its slash: send the browser there.
    Redirect(String),
    NotFound,
    /// A path no honest browser sends.
    BadRequest,
    Script,
    Events,
}

/// What a request gets.
pub enum Answer {
    Now(Response),
    /// The open page's event stream, which [`super::live`] answers.
    Events,
}

/// Answers a request for `url` (its path and query, as sent); files are
/// read holding `gate` for reading, which a rebuild holds for writing.
/// Blocking: it reads the file system.
/// `since`: the live-reload generation before any file is read, which
/// pages carry so that their event stream tells them of a rebuild that
/// came before it connected.
pub fn answer(method: &Method, url: &str, dir: &Path, gate: &RwLock<()>, since: u64) -> Answer {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(405, "method not allowed");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Answer::Now(response);
    }
    Answer::Now(match resolve(dir, url) {
        Target::Events if method == Method::HEAD => {
            response(200, "text/event-stream; charset=utf-8", Vec::new())
        }
        Target::Events => return Answer::Events,
        Target::Script => response(
            200,
            "text/javascript; charset=utf-8",
            LIVE_SCRIPT.as_bytes().to_vec(),
        ),
        Target::File(path) => {
            let read = {
                let _reading = gate.read().unwrap_or_else(|poisoned| poisoned.into_inner());
                fs::read(&path)
            };
            match read {
                Ok(bytes) => file_response(&path, bytes, 200, since),
                Err(_) => not_found(dir, url, gate, since),
            }
        }
        Target::Redirect(location) => {
            let mut moved = response(301, "text/plain; charset=utf-8", Vec::new());
            // The address is percent-encoded: always a valid header value.
            if let Ok(location) = HeaderValue::from_str(&location) {
                moved.headers_mut().insert(header::LOCATION, location);
            }
            moved
        }
        Target::NotFound => not_found(dir, url, gate, since),
        Target::BadRequest => plain(400, "bad request"),
    })
}

/// The site's own 404 page, with status 404: that of the language the
/// address is in (`/en/…` → `en/404.html`) when it has one, as
/// deploy/nginx.conf answers.
fn not_found(dir: &Path, url: &str, gate: &RwLock<()>, since: u64) -> Response {
    let language = url
        .strip_prefix('/')
        .and_then(|rest| rest.split_once('/'))
        .map(|(first, _)| first)
        .filter(|first| {
            (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_lowercase())
        });
    let _reading = gate.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    let own = language.map(|code| dir.join(code).join("404.html"));
    let (page, read) = match own.map(|page| (fs::read(&page), page)) {
        Some((Ok(bytes), page)) => (page, Ok(bytes)),
        _ => {
            let page = dir.join("404.html");
            let read = fs::read(&page);
            (page, read)
        }
    };
    match read {
        Ok(bytes) => file_response(&page, bytes, 404, since),
        Err(_) => plain(404, "not found"),
    }
}

/// Where `url` (as sent: path and query) leads inside `dir`.
pub fn resolve(dir: &Path, url: &str) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let query = &url[raw.len()..];
    if !raw.starts_with('/') || raw.contains('\\') {
        return Target::BadRequest;
    }
    let lowered = raw.to_ascii_lowercase();
    if lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00") {
        return Target::BadRequest;
    }
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Target::BadRequest;
    };
    if path.contains('\0') || path.contains('\\') {
        return Target::BadRequest;
    }
    match path.as_ref() {
        SCRIPT_PATH => return Target::Script,
        EVENTS_PATH => return Target::Events,
        _ => {}
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Target::BadRequest;
    }
    let mut target = dir.to_path_buf();
    target.extend(&segments);
    if target.is_dir() {
        if !path.ends_with('/') {
            // Built from the segments: `//x` must not become `//x/`, which
            // a browser reads as another host.
            let path = format!("/{}", segments.join("/"));
            let path = percent_encoding::utf8_percent_encode(&path, PATH_KEEPS);
            return Target::Redirect(format!("{path}/{query}"));
        }
        target.push("index.html");
    }
    // A link in the served folder must not lead out of it.
    let (Ok(real), Ok(served)) = (target.canonicalize(), dir.canonicalize()) else {
        return Target::NotFound;
    };
    if real.starts_with(&served) && real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

fn file_response(path: &Path, mut bytes: Vec<u8>, status: u16, since: u64) -> Response {
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        bytes = with_live_script(bytes, since);
    }
    response(status, kind, bytes)
}

/// The page with the live-reload script loaded before `</body>`, told the
/// generation `since` the page is at least as new as.
fn with_live_script(bytes: Vec<u8>, since: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-since=\"{since}\" defer></script>");
    let at = bytes
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(bytes.len() + tag.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The type of a file a site publishes, by its extension.
fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "txt" | "map" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/vnd.microsoft.icon",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

pub fn plain(status: u16, text: &str) -> Response {
    response(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

/// A whole body of known length (sent with `Content-Length`), never cached.
fn response(status: u16, kind: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Characters a path keeps as they are in a `Location`.
const PATH_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_languages_404_is_read_from_its_own_folder_never_from_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fs::create_dir_all(dir.join("en")).unwrap();
        fs::write(dir.join("404.html"), "vi").unwrap();
        fs::write(dir.join("en/404.html"), "en").unwrap();
        // A foreign 404 page beside the served folder.
        fs::write(tmp.path().join("404.html"), "outside").unwrap();
        let gate = RwLock::new(());
        let body = |url: &str| {
            let response = not_found(&dir, url, &gate, 0);
            assert_eq!(response.status(), 404, "{url}");
            let bytes = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
                response.into_body(),
                1 << 20,
            ))
            .unwrap()
            .unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        assert!(body("/en/no-such-page/").starts_with("en"));
        assert!(body("/khong-co/").starts_with("vi"));
        // A folder with no 404 page of its own, and names that are not a
        // language code, get the site's.
        assert!(body("/fr/x/").starts_with("vi"));
        for url in ["/../x/", "/%2e%2e/x/", "/..%2f/x", "/EN/x/", "//x/"] {
            assert!(body(url).starts_with("vi"), "{url}");
        }
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused_in_every_spelling() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fs::create_dir_all(dir.join("tin-tuc/a")).unwrap();
        fs::write(dir.join("tin-tuc/a/index.html"), "a").unwrap();
        fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        let real = dir.canonicalize().unwrap();
        assert_eq!(
            resolve(&dir, "/tin-tuc/a/"),
            Target::File(real.join("tin-tuc/a/index.html"))
        );
        assert_eq!(
            resolve(&dir, "/tin-tuc/a?x=1"),
            Target::Redirect("/tin-tuc/a/?x=1".into())
        );
        for bad in [
            "/../secret.txt",
            "/tin-tuc/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/tin-tuc%2f..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/a%00.html",
            "/%ff",
            "secret.txt",
            "//etc/passwd/..",
        ] {
            assert_eq!(resolve(&dir, bad), Target::BadRequest, "{bad}");
        }
        assert_eq!(resolve(&dir, "//etc/passwd"), Target::NotFound);
        assert_eq!(
            resolve(&dir, "//tin-tuc"),
            Target::Redirect("/tin-tuc/".into())
        );
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), dir.join("lo.txt")).unwrap();
        assert_eq!(resolve(&dir, "/lo.txt"), Target::NotFound);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = with_live_script(b"<body><p>x</p></BODY></html>".to_vec(), 7);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            format!(
                "<body><p>x</p><script src=\"{SCRIPT_PATH}\" data-since=\"7\" defer></script></BODY></html>"
            )
        );
    }
}
