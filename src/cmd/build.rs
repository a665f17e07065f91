//! `gazette build`.

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
}

pub fn run(args: Args) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        base_url: args.base_url,
        now: None,
    };
    match build(&options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprint!("{warning}");
            }
            if !args.quiet {
                println!("{}", report.summary_line());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            for diagnostic in &err.diagnostics {
                eprintln!("{diagnostic}");
            }
            let errors = err.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "Build failed with {errors} error{}; the output folder was left as it was.",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(if err.io { 2 } else { 1 })
        }
    }
}
