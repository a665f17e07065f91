//! `gazette check`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use gazette::{BuildOptions, Diagnostic, check};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Like a compiler, with the offending line
    Human,
    /// One problem per line: `file:line:column: message`, for CI
    Short,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (holding config.yaml and content/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts and items dated in the future
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors
    #[arg(long)]
    strict: bool,
    /// Replace config.yaml's base_url, as for the build being checked
    #[arg(long)]
    base_url: Option<String>,
    /// How to print problems
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

fn print(diagnostic: &Diagnostic, format: Format, styled: bool) {
    match format {
        Format::Human => eprintln!("{}", diagnostic.render(styled)),
        Format::Short => {
            let location = diagnostic.location().unwrap_or_else(|| "-".into());
            let level = if diagnostic.is_error() {
                "error"
            } else {
                "warning"
            };
            println!("{location}: {level}: {}", diagnostic.message);
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        strict: args.strict,
        base_url: args.base_url,
        ..BuildOptions::default()
    };
    let styled = std::io::stderr().is_terminal();
    match check(&options) {
        Ok(report) => {
            for diagnostic in report.warnings.iter().chain(&report.problems) {
                print(diagnostic, args.format, styled);
            }
            let broken = report.problems.len();
            if args.format == Format::Human {
                eprintln!(
                    "Checked {} pages and {} links: {}.",
                    report.pages,
                    report.links,
                    match broken {
                        0 => "nothing broken".to_string(),
                        1 => "1 broken".to_string(),
                        n => format!("{n} broken"),
                    }
                );
            }
            if broken == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            for diagnostic in &err.diagnostics {
                print(diagnostic, args.format, styled);
            }
            ExitCode::from(if err.io { 2 } else { 1 })
        }
    }
}
