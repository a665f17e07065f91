//! Rebuild after a one-article edit, through the library entry point
//! `serve` calls (`gazette::Session`). Run by `bench/run.sh`, or:
//!
//!     cargo bench --bench incremental -- SITE OUTPUT [RUNS]
//!
//! Builds SITE into OUTPUT once, then RUNS times (default 21) makes six
//! edits, rebuilding after each: the body of an article in the middle of
//! content/tin-tuc/, its title and summary (what a list shows), a new
//! article beside it (a copy under another slug, with its date), that new
//! article deleted, and the same new article dated now (the newest story:
//! at the top of every list and side column) and deleted again. Prints, per edit, the median, the fastest and the slowest
//! rebuild and how many outputs the last one rendered. The article is
//! restored at the end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use gazette::{BuildOptions, Session};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(site), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench incremental -- SITE OUTPUT [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(21);
    let root = PathBuf::from(site);
    let Some(article) = pick_article(&root) else {
        eprintln!("no article under {}/content/tin-tuc", root.display());
        return ExitCode::from(2);
    };
    let original = match std::fs::read_to_string(&article) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{}: {err}", article.display());
            return ExitCode::from(2);
        }
    };
    // Put the article back however the run ends.
    let _restore = Restore {
        path: article.clone(),
        text: original.clone(),
    };
    let options = BuildOptions {
        root,
        output: Some(PathBuf::from(output)),
        ..BuildOptions::default()
    };
    let (mut session, report) = match Session::open(options) {
        Ok(opened) => opened,
        Err(err) => {
            for d in &err.diagnostics {
                eprintln!("{d}");
            }
            return ExitCode::FAILURE;
        }
    };
    println!(
        "whole build: {} ms, {} files",
        report.elapsed.as_millis(),
        report.files
    );
    println!("edited: {}", article.display());
    // Per edit: its rebuild times, and how many outputs the last one
    // rendered.
    let mut times: [(Vec<Duration>, usize); 6] = Default::default();
    let mut outputs = 0;
    let fresh = article.with_file_name("bai-moi-cho-bench.md");
    let _remove_fresh = Remove(fresh.clone());
    for run in 0..runs {
        let edits: [(&Path, Option<String>); 6] = [
            (
                &article,
                Some(format!("{original}\nĐoạn thêm khi sửa lần {run}.\n")),
            ),
            (&article, Some(edit_title(&original, run))),
            (&fresh, Some(new_slug(&original, run))),
            (&fresh, None),
            // Published now, as an editor's new story is: at the top of
            // every list, and of every side column's "Tin mới".
            (&fresh, Some(dated_now(&new_slug(&original, run)))),
            (&fresh, None),
        ];
        for (kind, (path, text)) in edits.into_iter().enumerate() {
            let written = match text {
                Some(text) => std::fs::write(path, text),
                None => std::fs::remove_file(path),
            };
            if let Err(err) = written {
                eprintln!("{}: {err}", path.display());
                return ExitCode::from(2);
            }
            match session.rebuild(&[path.to_path_buf()]) {
                Ok(report) if !report.full => {
                    outputs = report.outputs;
                    times[kind].0.push(report.elapsed);
                    times[kind].1 = report.rendered;
                }
                Ok(report) => {
                    eprintln!("the edit was rebuilt whole: {report:?}");
                    return ExitCode::FAILURE;
                }
                Err(err) => {
                    for d in &err.diagnostics {
                        eprintln!("{d}");
                    }
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let _ = std::fs::write(&article, &original);
    let _ = session.rebuild(std::slice::from_ref(&article));
    println!(
        "peak RSS of this process: {} MB",
        peak_rss_kb().map_or("?".into(), |kb| (kb / 1024).to_string())
    );
    let names = [
        "body edit",
        "title+summary edit",
        "new article (mid-archive date)",
        "deleted article (mid-archive date)",
        "new article (dated now: the newest)",
        "deleted article (the newest)",
    ];
    for (name, (times, rendered)) in names.iter().zip(&mut times) {
        print_times(name, times, *rendered, outputs);
    }
    ExitCode::SUCCESS
}

/// The article in the middle of `content/tin-tuc/` by name.
fn pick_article(root: &Path) -> Option<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("content/tin-tuc"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_none_or(|n| n != "_index.md")
        })
        .collect();
    names.sort();
    names.get(names.len() / 2).cloned()
}

/// The article with " (sửa N)" added to its title and a new summary; an
/// explicit slug keeps its URL, as editors' slugs do.
fn edit_title(text: &str, run: usize) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("title: ") {
            let title = title.trim_matches('"');
            out.push_str(&format!("title: \"{title} (sửa {run})\"\n"));
            out.push_str(&format!("summary: Tóm tắt đã sửa lần {run}.\n"));
        } else if line.starts_with("summary: ") {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn print_times(what: &str, times: &mut [Duration], rendered: usize, outputs: usize) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms (fastest {:.1}, slowest {:.1}; {} runs), {rendered} of {outputs} outputs rendered",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len(),
    );
}

/// A copy of the article under another file name and `slug:`, so it
/// lands beside the original in every list.
fn new_slug(text: &str, run: usize) -> String {
    let slug = format!("slug: bai-moi-cho-bench-{run}");
    match text.lines().find(|l| l.starts_with("slug: ")) {
        Some(line) => text.replacen(line, &slug, 1),
        None => text.replacen("title: ", &format!("{slug}\ntitle: "), 1),
    }
}

/// The article dated a minute ago, in UTC.
fn dated_now(text: &str) -> String {
    let now = chrono::Utc::now() - chrono::Duration::minutes(1);
    let date = format!("date: {}", now.format("%Y-%m-%dT%H:%M:%S+00:00"));
    match text.lines().find(|l| l.starts_with("date: ")) {
        Some(line) => text.replacen(line, &date, 1),
        None => text.replacen("title: ", &format!("{date}\ntitle: "), 1),
    }
}

/// Deletes the new article however the run ends.
struct Remove(PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct Restore {
    path: PathBuf,
    text: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.text);
    }
}

/// VmHWM from /proc/self/status, in KB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
