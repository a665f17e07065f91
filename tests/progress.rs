//! What `gazette build` shows while it runs: a progress display on a
//! terminal, cleared before the summary line; elsewhere (CI logs, pipes)
//! only the summary line, carrying the build's rate in files per second.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use common::TestSite;

/// Runs `gazette build` with stdout and stderr piped, as in CI.
fn build_piped(root: &Path, output: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(args)
        .output()
        .unwrap()
}

/// The sample portal in the repository's root.
fn sample_portal() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The numbers of "… in 41 ms (14 files, 0 unchanged; 341 files/s)…":
/// milliseconds, files and files per second.
fn timing(line: &str) -> (u64, u64, u64) {
    let pattern =
        regex::Regex::new(r" in (\d+) ms \((\d+) files, \d+ unchanged; (\d+) files/s\)").unwrap();
    let found = pattern
        .captures(line)
        .unwrap_or_else(|| panic!("no timing in {line:?}"));
    let number = |i: usize| found[i].parse::<u64>().unwrap();
    (number(1), number(2), number(3))
}

/// Fails if `text` holds anything only a progress display would print:
/// carriage returns, escape sequences, spinner frames (Braille patterns) or
/// a stage's name.
fn assert_no_progress(text: &str) {
    let spinner = '\u{2800}'..='\u{28ff}';
    assert!(
        !text.contains(|c| c == '\r' || c == '\x1b' || spinner.contains(&c)),
        "{text:?}"
    );
    for stage in ["Reading content", "Rendering pages", "Finishing"] {
        assert!(!text.contains(stage), "{text:?}");
    }
}

#[test]
fn a_ci_log_gets_one_summary_line_with_the_rate() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = build_piped(sample_portal(), &out_dir.path().join("public"), &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout:?}");
    assert!(stdout.ends_with('\n'));
    let (ms, files, rate) = timing(lines[0]);
    assert!(files > 0, "{stdout}");
    // The rate is files over the unrounded time, which lies in [ms, ms + 1):
    // it may be anywhere from files/(ms + 1) to files/ms, rounded.
    let slowest = (files * 1000) as f64 / (ms + 1) as f64;
    assert!(rate as f64 >= slowest - 0.5, "{stdout}");
    if ms > 0 {
        let fastest = (files * 1000) as f64 / ms as f64;
        assert!(rate as f64 <= fastest + 0.5, "{stdout}");
    }

    assert_no_progress(&stderr);
}

#[test]
fn quiet_prints_nothing() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = build_piped(
        sample_portal(),
        &out_dir.path().join("public"),
        &["--quiet"],
    );
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_no_progress(&String::from_utf8_lossy(&out.stderr));
}

/// Held by each test of a terminal: what a build shows there depends on how
/// long it takes, so they must not slow each other down.
static TERMINAL: Mutex<()> = Mutex::new(());

/// Runs `gazette build` in a pseudo-terminal through util-linux's `script`
/// and returns everything it printed there (stdout and stderr, in order);
/// `None` when `script` is missing.
fn build_in_terminal(root: &Path, output: &Path) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        println!("skipped: util-linux `script` is not installed, so no pseudo-terminal");
        return None;
    }
    let quote = |arg: &str| format!("'{}'", arg.replace('\'', r"'\''"));
    let command = [
        env!("CARGO_BIN_EXE_gazette"),
        "build",
        "--root",
        &root.to_string_lossy(),
        "--output",
        &output.to_string_lossy(),
    ]
    .map(quote)
    .join(" ");
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        // An unset or dumb TERM would hide the display.
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{shown}");
    Some(shown)
}

/// The summary line, which must come last and whole: nothing drawn after
/// it, and whatever was drawn before it erased ("\r\x1b[2K").
fn summary_after_display(shown: &str) -> &str {
    let start = shown
        .find("Built ")
        .unwrap_or_else(|| panic!("no summary line in {shown:?}"));
    let (display, summary) = shown.split_at(start);
    assert!(
        display.is_empty() || display.ends_with("\r\x1b[2K"),
        "the display was not cleared before the summary line: {shown:?}"
    );
    let summary = summary
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("the summary line is not last: {shown:?}"));
    assert!(!summary.contains(['\r', '\n', '\x1b']), "{shown:?}");
    summary
}

#[test]
fn a_quick_build_on_a_terminal_draws_nothing() {
    let _alone = TERMINAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let out_dir = tempfile::tempdir().unwrap();
    let Some(shown) = build_in_terminal(sample_portal(), &out_dir.path().join("public")) else {
        return;
    };
    let summary = summary_after_display(&shown);
    let (ms, _, _) = timing(summary);
    // The display waits a quarter of a second before it draws; on a machine
    // slow enough to take most of that, this test proves nothing.
    if ms >= 150 {
        println!("skipped: the sample portal took {ms} ms to build");
        return;
    }
    assert!(shown.starts_with("Built "), "{shown:?}");
}

#[test]
fn a_long_build_on_a_terminal_shows_progress_then_clears_it() {
    let _alone = TERMINAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let site = TestSite::new();
    let body =
        "Đoạn văn có **chữ đậm**, [một liên kết](https://example.gov.vn/) và `mã`.\n\n".repeat(20);
    for i in 0..500 {
        site.article(
            &format!("bai-{i}"),
            &format!(
                "title: Bài số {i}\ndate: 2021-01-01\ncategory: chuyen-doi-so\ntags: [thu-{}]",
                i % 50
            ),
            &body,
        );
    }
    let Some(shown) = build_in_terminal(site.root(), &site.public()) else {
        return;
    };
    let summary = summary_after_display(&shown);
    let (ms, _, _) = timing(summary);
    // Drawn from a quarter of a second on, every tenth of a second.
    if ms < 400 {
        println!("skipped: the site built in {ms} ms, too quickly to show progress");
        return;
    }
    assert!(
        shown.contains("Reading content") || shown.contains("Rendering pages"),
        "{shown:?}"
    );
}
