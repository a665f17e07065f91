//! `gazette serve`: one line when serving starts, one per rebuild, the
//! problems of a failed rebuild as `build` prints them; Ctrl-C stops.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use gazette::serve::{self, Event, ServeOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (holding config.yaml and content/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The address to listen on; anything but loopback lets others read the site
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Include drafts and items dated in the future
    #[arg(long)]
    drafts: bool,
    /// Open the site in the browser once it is built
    #[arg(long)]
    open: bool,
    /// Serve from this folder instead of a private one (never public/ unless named)
    #[arg(long)]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let styled = std::io::stderr().is_terminal();
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the site, drafts included",
            args.bind
        );
    }
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        output: args.output,
    };
    let open = args.open;
    let result = serve::run(
        &options,
        |stopper| {
            // Without a handler Ctrl-C would kill the process before the
            // private folder is removed.
            if let Err(err) = ctrlc::set_handler(move || stopper.stop()) {
                eprintln!("warning: Ctrl-C will not stop cleanly: {err}");
            }
        },
        |event| print(event, styled, open),
    );
    match result {
        Ok(()) => {
            println!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprintln!("{}", diagnostic.render(styled));
            ExitCode::from(2)
        }
    }
}

fn print(event: Event, styled: bool, open: bool) {
    match event {
        Event::Started {
            url,
            folder,
            report,
        } => {
            if let Some(report) = &report {
                println!("{}", report.summary_line());
            }
            println!(
                "Serving at {url}/ from {} (Ctrl-C to stop)",
                folder.display()
            );
            if open {
                let _ = std::process::Command::new("xdg-open")
                    .arg(format!("{url}/"))
                    .spawn();
            }
        }
        Event::Rebuilt { saved, report } => {
            let what = if report.full {
                "whole site built again".to_string()
            } else {
                format!(
                    "{} of {} outputs rendered, {} written, {} removed",
                    report.rendered, report.outputs, report.written, report.removed
                )
            };
            println!(
                "Rebuilt after {}: {what} in {} ms",
                saved.join(", "),
                report.elapsed.as_millis()
            );
            for warning in &report.warnings {
                eprint!("{}", warning.render(styled));
            }
        }
        Event::Failed(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{}", diagnostic.render(styled));
            }
            eprintln!(
                "The site does not build ({} problems); still serving the last good build.",
                diagnostics.len()
            );
        }
    }
}
