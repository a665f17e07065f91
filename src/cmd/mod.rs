//! Command-line arguments turned into library calls.
//!
//! Exit codes: 0 success, 1 a problem in the site (content, config,
//! templates), 2 a usage or I/O problem.

mod build;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gazette",
    version,
    about = "Static site generator for a ministry's e-portal"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into public/
    Build(build::Args),
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build::run(args),
    }
}
