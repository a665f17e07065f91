//! What open pages are told: reload after a rebuild that changed them, or
//! the diagnostics of a rebuild that failed, over server-sent events.
//!
//! The state is one value in a [`watch`] channel, with a generation number
//! that every rebuild increments; each open page's stream waits for the
//! next value (a page that closes ends its stream at the next write, at the
//! latest at the next keep-alive). [`Live::close`] ends every stream, so
//! that stopping the server does not wait for open pages.

use std::convert::Infallible;
use std::time::Duration;

use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::watch;

pub const SCRIPT_PATH: &str = "/__gazette/live.js";
pub const EVENTS_PATH: &str = "/__gazette/events";

/// How often an idle stream is written to, to notice closed pages.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the last rebuild changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct News {
    pub generation: u64,
    /// Site paths of the pages written or removed (`/tin-tuc/a/`); `None`
    /// when any page may have changed (a whole build, a stylesheet).
    pub pages: Option<Vec<String>>,
    /// The last rebuild's problems, as the terminal shows them; empty when
    /// the site builds.
    pub errors: Vec<String>,
    /// Serving stops: streams end.
    pub closing: bool,
}

pub struct Live {
    news: watch::Sender<News>,
}

impl Default for Live {
    fn default() -> Live {
        Live {
            news: watch::Sender::new(News::default()),
        }
    }
}

impl Live {
    /// A rebuild succeeded: pages showing `changed` output files reload.
    pub fn rebuilt(&self, changed: Option<&[String]>) {
        self.publish(|news| {
            news.pages = changed.map(site_paths);
            news.errors.clear();
        });
    }

    /// A rebuild failed: open pages show `errors` over the last good site.
    pub fn failed(&self, errors: Vec<String>) {
        self.publish(|news| {
            news.pages = Some(Vec::new());
            news.errors = errors;
        });
    }

    /// Serving stops: every open stream ends.
    pub fn close(&self) {
        self.publish(|news| news.closing = true);
    }

    fn publish(&self, change: impl FnOnce(&mut News)) {
        self.news.send_modify(|news| {
            news.generation += 1;
            change(news);
        });
    }

    /// The current generation, which served pages carry.
    pub fn generation(&self) -> u64 {
        self.news.borrow().generation
    }

    /// The answer to `/__gazette/events`: a page opened while the site is
    /// broken is told at once, and so is a page older than the last
    /// rebuild (`since`, the generation it was served at: a rebuild that
    /// came before its stream connected is not missed); else nothing comes
    /// until the next rebuild.
    pub fn stream(&self, since: Option<u64>) -> Response {
        let mut changes = self.news.subscribe();
        let now = changes.borrow_and_update().clone();
        if now.closing {
            // Serving stops: a page that reconnects gets an empty stream.
            return Sse::new(futures_util::stream::empty::<Result<Event, Infallible>>())
                .into_response();
        }
        let first = match (message(&now), since) {
            (("errors", data), _) => Event::default().event("errors").data(data),
            // One rebuild since: it says which pages changed.
            ((name, data), Some(since)) if since + 1 == now.generation => {
                Event::default().event(name).data(data)
            }
            // More: any page may have.
            (_, Some(since)) if since < now.generation => {
                Event::default().event("reload").data("\"*\"")
            }
            _ => Event::default().comment("connected"),
        };
        let later = futures_util::stream::unfold(changes, |mut changes| async move {
            changes.changed().await.ok()?;
            let news = changes.borrow_and_update().clone();
            if news.closing {
                return None;
            }
            let (name, data) = message(&news);
            Some((Event::default().event(name).data(data), changes))
        });
        let events = futures_util::stream::once(async { first })
            .chain(later)
            .map(Ok::<_, Infallible>);
        let mut response = Sse::new(events)
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream; charset=utf-8"),
        );
        response
    }
}

/// The event for `news`, as its name and data: `errors` with the
/// diagnostics as a JSON list, or `reload` with the changed pages (`"*"`:
/// all).
fn message(news: &News) -> (&'static str, String) {
    if !news.errors.is_empty() {
        let data = serde_json::to_string(&news.errors).unwrap_or_else(|_| "[]".into());
        return ("errors", data);
    }
    let data = match &news.pages {
        Some(pages) => serde_json::to_string(pages).unwrap_or_else(|_| "\"*\"".into()),
        None => "\"*\"".into(),
    };
    ("reload", data)
}

/// Output files as the site paths a page is at: `tin-tuc/a/index.html` →
/// `/tin-tuc/a/`; `None`-like (all pages) is decided by the caller when a
/// stylesheet or script changed, as every page uses them.
fn site_paths(files: &[String]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            let path = format!("/{f}");
            match path.strip_suffix("index.html") {
                Some(folder) => folder.to_string(),
                None => path,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_say_what_changed_or_what_is_wrong() {
        let mut news = News::default();
        assert_eq!(message(&news), ("reload", "\"*\"".into()));
        news.pages = Some(site_paths(&[
            "tin-tuc/a/index.html".into(),
            "rss.xml".into(),
        ]));
        assert_eq!(
            message(&news),
            ("reload", "[\"/tin-tuc/a/\",\"/rss.xml\"]".into())
        );
        news.errors = vec!["error: <b>\nline 2".into()];
        assert_eq!(
            message(&news),
            ("errors", "[\"error: <b>\\nline 2\"]".into())
        );
    }
}
