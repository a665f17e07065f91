//! The HTTP server of `gazette serve`: axum on a small tokio runtime of its
//! own, on the listener `serve` bound, so the rest of `serve` stays
//! synchronous. Every request is answered by [`http::answer`] on a blocking
//! thread (it reads files, and may wait for a rebuild to finish); an open
//! page's event stream by [`Live::stream`].
//!
//! Stopping ends the event streams first, then lets answers in flight
//! finish for a moment, then drops whatever is left: Ctrl-C never waits for
//! a browser.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use tokio::sync::watch;

use super::http::{self, Answer};
use super::live::Live;

/// How long answers in flight may take to finish once serving stops.
const GRACE: Duration = Duration::from_secs(2);

/// What every request may read.
struct Served {
    folder: PathBuf,
    live: Arc<Live>,
    gate: Arc<RwLock<()>>,
}

/// The running server; [`Server::stop`] ends it.
pub struct Server {
    stop: watch::Sender<bool>,
    live: Arc<Live>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `folder` on `listener` until stopped.
    pub fn start(
        listener: TcpListener,
        folder: PathBuf,
        live: Arc<Live>,
        gate: Arc<RwLock<()>>,
    ) -> std::io::Result<Server> {
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gazette-http")
            .enable_io()
            .enable_time()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let served = Arc::new(Served {
            folder,
            live: Arc::clone(&live),
            gate,
        });
        let app = Router::new().fallback(answer).with_state(served);
        let (stop, stopped) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("gazette-http".into())
            .spawn(move || {
                runtime.block_on(run(listener, app, stopped));
                // Whatever did not finish in time (a browser that stopped
                // reading) is dropped, not waited for.
                runtime.shutdown_background();
            })?;
        Ok(Server {
            stop,
            live,
            thread: Some(thread),
        })
    }

    /// Stops it, as dropping it does: ends the event streams, stops
    /// accepting, and returns once the answers in flight finished (at most
    /// [`GRACE`]).
    pub fn stop(self) {}
}

impl Drop for Server {
    fn drop(&mut self) {
        self.live.close();
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn run(listener: tokio::net::TcpListener, app: Router, stopped: watch::Receiver<bool>) {
    let mut signal = stopped.clone();
    let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = signal.wait_for(|stop| *stop).await;
    });
    let serving = tokio::spawn(std::future::IntoFuture::into_future(serving));
    let mut stopped = stopped;
    let _ = stopped.wait_for(|stop| *stop).await;
    let _ = tokio::time::timeout(GRACE, serving).await;
}

async fn answer(State(served): State<Arc<Served>>, request: Request) -> Response {
    let method = request.method().clone();
    let uri = request.uri();
    let url = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    // Read before any file is: a page is at least this new.
    let since = served.live.generation();
    let since_asked = url
        .split_once("since=")
        .and_then(|(_, n)| n.split('&').next()?.parse().ok());
    let work = Arc::clone(&served);
    let answered = tokio::task::spawn_blocking(move || {
        http::answer(&method, &url, &work.folder, &work.gate, since)
    })
    .await;
    match answered {
        Ok(Answer::Now(response)) => response,
        Ok(Answer::Events) => served.live.stream(since_asked),
        Err(_) => http::plain(500, "internal error"),
    }
}
