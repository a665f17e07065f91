//! `gazette build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use gazette::{BuildOptions, build};

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
}

pub fn run(args: Args) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        base_url: args.base_url,
        now: None,
        strict: args.strict,
        progress: Default::default(),
    };
    let styled = std::io::stderr().is_terminal();
    match build(&options) {
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
