//! `gazette build`.
//!
//! On a terminal, a build that takes a while shows what it is doing on
//! stderr: a spinner while it reads, a bar while it renders, a spinner while
//! it finishes. The display is cleared before anything else is printed, so
//! warnings, errors and the summary line read as they would without it.
//! Elsewhere (CI logs, pipes) nothing is drawn; the summary line carries the
//! build's rate instead.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use gazette::{BuildOptions, Progress, ProgressEvent, Stage, build};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (holding config.yaml and content/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include drafts and items dated in the future
    #[arg(long)]
    drafts: bool,
    /// Replace config.yaml's base_url, e.g. for a preview deploy
    #[arg(long)]
    base_url: Option<String>,
    /// Print nothing on success
    #[arg(long, short)]
    quiet: bool,
    /// Treat warnings (unknown keys, images without alt text) as errors
    #[arg(long)]
    strict: bool,
    /// DANGEROUS: replace the output folder even if Gazette did not write
    /// it, deleting every file in it (never the site's own folders)
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> ExitCode {
    let styled = std::io::stderr().is_terminal();
    let display = (styled && !args.quiet).then(ProgressDisplay::start);
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        base_url: args.base_url,
        now: None,
        strict: args.strict,
        progress: progress_hook(display.as_ref().map(|d| d.bar.clone())),
        force: args.force,
        images: gazette::images::Mode::Wait,
        faults: injected_faults(),
        ..BuildOptions::default()
    };
    let result = build(&options);
    if let Some(display) = display {
        display.clear();
    }
    match result {
        Ok(report) => {
            for warning in &report.warnings {
                eprint!("{}", warning.render(styled));
            }
            if !args.quiet {
                println!("{}", report.summary_line());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            for diagnostic in &err.diagnostics {
                eprintln!("{}", diagnostic.render(styled));
            }
            let errors = err.diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = err.diagnostics.len() - errors;
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            eprintln!(
                "Build failed with {errors} error{} and {warnings} warning{}; the output folder was left as it was.",
                plural(errors),
                plural(warnings),
            );
            ExitCode::from(if err.io { 2 } else { 1 })
        }
    }
}

/// The hook the library calls, from rayon's threads while rendering: it
/// draws on the progress bar, when there is one, and says always why a
/// build is waiting.
fn progress_hook(bar: Option<ProgressBar>) -> Progress {
    Progress::new(move |event| match (event, &bar) {
        (ProgressEvent::Waiting { holder }, bar) => {
            let who = holder.map_or_else(String::new, |pid| format!(" (pid {pid})"));
            let line = format!(
                "Another Gazette process{who} is writing this output folder; waiting for it to finish…"
            );
            match bar {
                Some(bar) => bar.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        }
        (ProgressEvent::Start { stage, total }, Some(bar)) => show_stage(bar, stage, total),
        (ProgressEvent::Advance(n), Some(bar)) => bar.inc(n as u64),
        _ => {}
    })
}

/// Test builds (debug) take failures to pretend from `GAZETTE_FAULTS`
/// (`full:N`, `mkdir`, `swap`), so the tests can run a full disk through
/// the command; release builds ignore it.
fn injected_faults() -> gazette::output::Faults {
    if cfg!(debug_assertions)
        && let Ok(text) = std::env::var("GAZETTE_FAULTS")
    {
        return gazette::output::Faults::parse(&text);
    }
    gazette::output::Faults::default()
}

/// How long a build runs before its progress is drawn: the sample portal
/// builds in about 13 ms, and a bar flashing for that long is only noise.
const SHOW_AFTER: Duration = Duration::from_millis(250);

/// How often the spinner turns and the bar is redrawn. Drawing only on
/// these ticks keeps the rendering threads from drawing at all.
const TICK: Duration = Duration::from_millis(100);

/// The progress drawn on stderr, hidden until the build has run for
/// [`SHOW_AFTER`].
struct ProgressDisplay {
    bar: ProgressBar,
    /// Dropped when the build ends, which tells `reveal` not to show the bar.
    done: mpsc::Sender<()>,
    reveal: thread::JoinHandle<()>,
}

impl ProgressDisplay {
    fn start() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let (done, build_ended) = mpsc::channel();
        let shown = bar.clone();
        let reveal = thread::spawn(move || {
            if build_ended.recv_timeout(SHOW_AFTER) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        ProgressDisplay { bar, done, reveal }
    }

    /// Erases whatever was drawn, and waits until nothing more can be.
    fn clear(self) {
        drop(self.done);
        // Had it panicked, there would be nothing more to clear than now.
        let _ = self.reveal.join();
        self.bar.disable_steady_tick();
        self.bar.finish_and_clear();
    }
}

/// Switches the display to `stage`. Every call but `set_style` may draw, so
/// the style changes where no half-switched state (a spinner with counts, a
/// bar with the last stage's name) can be drawn.
fn show_stage(bar: &ProgressBar, stage: Stage, total: usize) {
    match stage {
        Stage::Reading => show_spinner(bar, "Reading content"),
        Stage::Rendering => {
            bar.set_message("Rendering pages");
            bar.set_length(total as u64);
            // Restarts the position, the clock and the rate.
            bar.reset();
            bar.set_style(bar_style());
        }
        Stage::Finishing => show_spinner(bar, "Finishing"),
    }
}

fn show_spinner(bar: &ProgressBar, message: &'static str) {
    bar.set_style(ProgressStyle::default_spinner());
    bar.set_message(message);
    bar.unset_length();
    bar.reset();
}

/// "⠙ Rendering pages [=========>          ] 4120/10000, 6180 files/s": at
/// most 70 columns up to 100,000 files, so one line in an 80-column terminal.
const BAR_TEMPLATE: &str = "{spinner} {msg} [{bar:20}] {pos}/{len}, {rate}";

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(BAR_TEMPLATE)
        .map(|style| {
            style.progress_chars("=> ").with_key(
                "rate",
                |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = write!(out, "{:.0} files/s", state.per_sec());
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_has_a_style() {
        assert!(ProgressStyle::with_template(BAR_TEMPLATE).is_ok());
        let bar = ProgressBar::hidden();
        for (stage, total) in [
            (Stage::Reading, 0),
            (Stage::Rendering, 7),
            (Stage::Finishing, 0),
        ] {
            show_stage(&bar, stage, total);
        }
        assert!(bar.length().is_none());
        assert_eq!(bar.message(), "Finishing");
    }
}
