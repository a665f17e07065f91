//! What open pages are told: reload after a rebuild that changed them, or
//! the diagnostics of a rebuild that failed, over server-sent events.
//!
//! The state is one value behind a lock, with a generation number that
//! every rebuild increments; each open page has a thread of its own
//! waiting for the next generation (a page that closes ends its thread at
//! the next write, at the latest at the next keep-alive).

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tiny_http::Request;

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
}

#[derive(Default)]
pub struct Live {
    news: Mutex<News>,
    changed: Condvar,
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

    fn publish(&self, change: impl FnOnce(&mut News)) {
        if let Ok(mut news) = self.news.lock() {
            news.generation += 1;
            change(&mut news);
        }
        self.changed.notify_all();
    }

    pub fn current(&self) -> News {
        self.news.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// Answers `/__gazette/events` on a thread of its own.
    pub fn stream(self: &Arc<Self>, request: Request) -> io::Result<()> {
        let live = Arc::clone(self);
        std::thread::spawn(move || {
            // An error is the page going away: the thread ends.
            let _ = live.stream_blocking(request);
        });
        Ok(())
    }

    fn stream_blocking(&self, request: Request) -> io::Result<()> {
        let mut writer = request.into_writer();
        // Written by hand: without a length tiny_http would send the
        // stream chunked, which browsers take badly for event streams.
        writer.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\r\n",
        )?;
        let mut seen = self.current();
        // A page opened while the site is broken shows it at once; else
        // there is nothing to tell until the next rebuild.
        if seen.errors.is_empty() {
            writer.write_all(b": connected\n\n")?;
        } else {
            writer.write_all(event(&seen).as_bytes())?;
        }
        writer.flush()?;
        loop {
            // The lock is let go before anything is written: a page that
            // stops reading must not hold up the rebuilds.
            let news = {
                let Ok(news) = self.news.lock() else {
                    return Ok(());
                };
                let (news, _) = self
                    .changed
                    .wait_timeout_while(news, KEEP_ALIVE, |n| n.generation == seen.generation)
                    .map_err(|_| io::Error::other("poisoned"))?;
                news.clone()
            };
            if news.generation == seen.generation {
                writer.write_all(b": keep-alive\n\n")?;
            } else {
                writer.write_all(event(&news).as_bytes())?;
                seen = news;
            }
            writer.flush()?;
        }
    }
}

/// The event for `news`: `errors` with the diagnostics as a JSON list, or
/// `reload` with the changed pages (`"*"`: all).
fn event(news: &News) -> String {
    if !news.errors.is_empty() {
        let data = serde_json::to_string(&news.errors).unwrap_or_else(|_| "[]".into());
        return format!("event: errors\ndata: {data}\n\n");
    }
    let data = match &news.pages {
        Some(pages) => serde_json::to_string(pages).unwrap_or_else(|_| "\"*\"".into()),
        None => "\"*\"".into(),
    };
    format!("event: reload\ndata: {data}\n\n")
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
        assert_eq!(event(&news), "event: reload\ndata: \"*\"\n\n");
        news.pages = Some(site_paths(&[
            "tin-tuc/a/index.html".into(),
            "rss.xml".into(),
        ]));
        assert_eq!(
            event(&news),
            "event: reload\ndata: [\"/tin-tuc/a/\",\"/rss.xml\"]\n\n"
        );
        news.errors = vec!["error: <b>\nline 2".into()];
        assert_eq!(
            event(&news),
            "event: errors\ndata: [\"error: <b>\\nline 2\"]\n\n"
        );
    }
}
