//! `gazette serve`: the editor's loop. The site is built into a private
//! folder (never the published `public/`, unless `--output` says so),
//! served over HTTP on loopback, and rebuilt through a [`Session`] when a
//! file of the site is saved; open pages reload when a rebuild changed
//! them, and show the problems of a rebuild that failed over the last good
//! site, which goes on being served.
//!
//! It owns the pieces around the session: [`watch`] (which files), [`http`]
//! (which bytes a request gets), [`live`] (what open pages are told) and
//! [`server`] (the HTTP server that asks them).
//! The session alone decides what a change rebuilds.

mod http;
mod live;
mod server;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, RwLock};

use crate::session::{RebuildReport, Session};
use crate::{BuildError, BuildOptions, BuildReport, Diagnostic};

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub drafts: bool,
    /// Serve from this folder (claimed as a build's output is); by default
    /// a private folder that is removed when serving stops.
    pub output: Option<PathBuf>,
}

/// What happens while serving, for the terminal.
#[derive(Debug)]
pub enum Event {
    /// Serving at `url` from `folder`; `report` is the first build's, or
    /// `None` when it failed (its problems come as [`Event::Failed`]).
    Started {
        url: String,
        folder: PathBuf,
        report: Option<BuildReport>,
    },
    Rebuilt {
        /// The saved files, relative to the site's folder.
        saved: Vec<String>,
        report: RebuildReport,
    },
    Failed(Vec<Diagnostic>),
}

/// Ends [`run`] from another thread (Ctrl-C).
#[derive(Clone)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

enum Message {
    Saved(Vec<PathBuf>),
    Stop,
}

/// Serves until stopped: builds, starts the server and the watcher, hands
/// `ready` the way to stop, then rebuilds after every batch of saves.
pub fn run(
    options: &ServeOptions,
    ready: impl FnOnce(Stopper),
    tell: impl Fn(Event),
) -> Result<(), Diagnostic> {
    let listener = bind(options)?;
    let address = listener
        .local_addr()
        .map_err(|err| Diagnostic::error(format!("cannot start the server: {err}")))?;
    let url = site_url(address);
    let private = match &options.output {
        Some(_) => None,
        None => Some(private_folder().map_err(|err| {
            Diagnostic::error(format!(
                "cannot make a folder to serve from in {}: {err}",
                std::env::temp_dir().display()
            ))
        })?),
    };
    let output = match (&options.output, &private) {
        (Some(output), _) => output.clone(),
        (None, Some(folder)) => folder.join("public"),
        (None, None) => return Err(Diagnostic::error("no folder to serve from")),
    };
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: Some(output.clone()),
        drafts: options.drafts,
        base_url: Some(url.clone()),
        // Pages show a new photo as it is until its copies are made in the
        // background ([`photos`]); the text is never kept waiting.
        images: crate::images::Mode::Later,
        ..BuildOptions::default()
    };
    let (send, receive) = mpsc::channel();
    let result = serve(
        &build_options,
        listener,
        &url,
        (send, receive),
        ready,
        &tell,
    );
    if let Some(folder) = private {
        // The session, and with it the lock, is gone: nothing of serving
        // is left behind.
        let _ = std::fs::remove_dir_all(folder);
    }
    result
}

fn serve(
    options: &BuildOptions,
    listener: TcpListener,
    url: &str,
    (send, receive): (Sender<Message>, mpsc::Receiver<Message>),
    ready: impl FnOnce(Stopper),
    tell: &dyn Fn(Event),
) -> Result<(), Diagnostic> {
    let mut watcher = watch::Watcher::start(
        &options.root,
        watch::to_channel(send.clone(), Message::Saved),
    )
    .map_err(|err| Diagnostic::error(format!("cannot watch the site's folders: {err}")))?;
    let photos = Photos::start(send.clone());
    ready(Stopper(send));

    let live = Arc::new(live::Live::default());
    // Held for writing while a rebuild writes, so that a request never
    // reads a site half written: it waits, then gets the new bytes.
    let gate = Arc::new(RwLock::new(()));
    let mut session = open(options, &live, tell);
    photos.make(session.as_ref().map(|(s, _)| s));
    let folder = match &session {
        Some((session, _)) => session.output().to_path_buf(),
        None => options.output.clone().unwrap_or_default(),
    };
    tell(Event::Started {
        url: url.to_string(),
        folder: folder.clone(),
        report: session.as_ref().map(|(_, report)| report.clone()),
    });
    let server = server::Server::start(listener, folder, Arc::clone(&live), Arc::clone(&gate))
        .map_err(|err| Diagnostic::error(format!("cannot start the server: {err}")))?;

    while let Ok(message) = receive.recv() {
        let Message::Saved(mut saved) = message else {
            break;
        };
        // Saves that arrived meanwhile join this rebuild.
        let mut stop = false;
        while let Ok(more) = receive.try_recv() {
            match more {
                Message::Saved(paths) => saved.extend(paths),
                Message::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        watcher.watch_new_folders();
        match &mut session {
            Some((session, _)) => {
                let rebuilt = {
                    let _writing = gate
                        .write()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    session.rebuild(&saved)
                };
                rebuilt_or_failed(rebuilt, &options.root, &saved, &live, tell);
            }
            None => {
                let _writing = gate
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                session = open(options, &live, tell);
            }
        }
        photos.make(session.as_ref().map(|(s, _)| s));
    }
    server.stop();
    Ok(())
}

/// Makes photo copies on a thread of their own, one batch after another;
/// when a batch is done, its photos come back as saved files, so the
/// session builds again and pages reload with the copies. Each cache
/// entry is tried once per serve: a photo that cannot be decoded is
/// reported by the rebuild (from the cache's note), not tried forever.
struct Photos {
    work: Sender<crate::images::Work>,
    tried: std::cell::RefCell<std::collections::HashSet<String>>,
}

impl Photos {
    fn start(done: Sender<Message>) -> Photos {
        let (work, batches) = mpsc::channel::<crate::images::Work>();
        std::thread::spawn(move || {
            for batch in batches {
                crate::images::produce(&batch);
                if done.send(Message::Saved(batch.sources())).is_err() {
                    break;
                }
            }
        });
        Photos {
            work,
            tried: Default::default(),
        }
    }

    /// Hands over what the session's last whole build left to make.
    fn make(&self, session: Option<&Session>) {
        let Some(session) = session else { return };
        let mut tried = self.tried.borrow_mut();
        let batch = session.pending_images().without(&tried);
        if !batch.is_empty() {
            tried.extend(batch.keys());
            let _ = self.work.send(batch);
        }
    }
}

/// The first build, or a later try after it failed.
fn open(
    options: &BuildOptions,
    live: &live::Live,
    tell: &dyn Fn(Event),
) -> Option<(Session, BuildReport)> {
    match Session::open(options.clone()) {
        Ok((session, report)) => {
            live.rebuilt(None);
            Some((session, report))
        }
        Err(err) => {
            failed(err, live, tell);
            None
        }
    }
}

/// Tells the terminal and the open pages what a rebuild did.
fn rebuilt_or_failed(
    rebuilt: Result<RebuildReport, BuildError>,
    root: &Path,
    saved: &[PathBuf],
    live: &live::Live,
    tell: &dyn Fn(Event),
) {
    match rebuilt {
        Ok(report) if report.rendered == 0 && !report.full && report.changed.is_empty() => {}
        Ok(report) => {
            // A stylesheet, script or picture may be on any page.
            let pages_only = !report.full && !report.changed.iter().any(|p| loaded_by_pages(p));
            live.rebuilt(pages_only.then_some(report.changed.as_slice()));
            let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            let mut saved: Vec<String> = saved
                .iter()
                .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                .collect();
            saved.sort();
            saved.dedup();
            tell(Event::Rebuilt { saved, report });
        }
        Err(err) => failed(err, live, tell),
    }
}

/// Whether an output file is something pages load (a stylesheet, script,
/// picture or font) rather than a page, feed or sitemap.
fn loaded_by_pages(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        extension.to_ascii_lowercase().as_str(),
        "css"
            | "js"
            | "svg"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "ico"
            | "woff"
            | "woff2"
    )
}

fn failed(err: BuildError, live: &live::Live, tell: &dyn Fn(Event)) {
    live.failed(err.diagnostics.iter().map(|d| d.render(false)).collect());
    tell(Event::Failed(err.diagnostics));
}

fn bind(options: &ServeOptions) -> Result<TcpListener, Diagnostic> {
    let address = SocketAddr::new(options.bind, options.port);
    TcpListener::bind(address).map_err(|err| {
        let d = Diagnostic::error(format!("cannot serve on {address}: {err}"));
        if err.kind() == std::io::ErrorKind::AddrInUse {
            d.with_hint(format!(
                "another program uses port {}; choose another with --port, e.g. --port {}",
                options.port,
                options.port.wrapping_add(1).max(1024)
            ))
        } else {
            d.with_hint("check --bind and --port")
        }
    })
}

/// The site's address while serving: links, feeds and canonical addresses
/// point at the local server.
fn site_url(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", address.port())
}

/// A folder of this process's own under the system's temporary folder,
/// made here (`mkdir` fails on anything already there, a link included),
/// so that removing it at the end removes only what serving wrote.
fn private_folder() -> std::io::Result<PathBuf> {
    remove_stale_private_folders();
    let temp = std::env::temp_dir();
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let name = match n {
            0 => format!("{PRIVATE_PREFIX}{pid}"),
            n => format!("{PRIVATE_PREFIX}{pid}-{n}"),
        };
        let folder = temp.join(name);
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => last = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free name")))
}

const PRIVATE_PREFIX: &str = "gazette-serve-";

/// Removes the private folders of `serve` processes that were killed
/// before they could remove their own: those whose output lock nobody
/// holds and whose output carries Gazette's stamp.
fn remove_stale_private_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PRIVATE_PREFIX) {
            continue;
        }
        let folder = entry.path();
        let stamped = folder.join("public").join(crate::output::STAMP).is_file();
        let abandoned = std::fs::File::open(folder.join(".public.lock"))
            .is_ok_and(|lock| lock.try_lock().is_ok());
        if stamped && abandoned {
            let _ = std::fs::remove_dir_all(&folder);
        }
    }
}
