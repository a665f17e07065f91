//! Rebuild after a one-article edit, through the library entry point
//! `serve` calls (`gazette::Session`). Run by `bench/run.sh`, or:
//!
//!     cargo bench --bench incremental -- SITE OUTPUT [RUNS]
//!
//! Builds SITE into OUTPUT once, then RUNS times (default 21) edits one
//! article — alternately its body, and its title and summary (what a list
//! shows) — and rebuilds; prints the median, the fastest and the slowest
//! rebuild and how many outputs each rendered. The article is restored at
//! the end.

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
    let mut body_times = Vec::new();
    let mut title_times = Vec::new();
    let mut rendered = (0, 0);
    let mut outputs = 0;
    for run in 0..runs {
        let title_edit = run % 2 == 1;
        let text = if title_edit {
            edit_title(&original, run)
        } else {
            format!("{original}\nĐoạn thêm khi sửa lần {run}.\n")
        };
        if let Err(err) = std::fs::write(&article, text) {
            eprintln!("{}: {err}", article.display());
            return ExitCode::from(2);
        }
        match session.rebuild(std::slice::from_ref(&article)) {
            Ok(report) if !report.full => {
                outputs = report.outputs;
                if title_edit {
                    title_times.push(report.elapsed);
                    rendered.1 = report.rendered;
                } else {
                    body_times.push(report.elapsed);
                    rendered.0 = report.rendered;
                }
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
    let _ = std::fs::write(&article, &original);
    let _ = session.rebuild(std::slice::from_ref(&article));
    println!(
        "peak RSS of this process: {} MB",
        peak_rss_kb().map_or("?".into(), |kb| (kb / 1024).to_string())
    );
    print_times("body edit", &mut body_times, rendered.0, outputs);
    print_times("title+summary edit", &mut title_times, rendered.1, outputs);
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
