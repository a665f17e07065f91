//! Command-line arguments turned into library calls.
//!
//! Exit codes: 0 success, 1 a problem in the site (content, config,
//! templates), 2 a usage or I/O problem.

mod build;
mod check;
mod new;
mod serve;

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
    /// Build in memory, write nothing, and verify every internal link
    Check(check::Args),
    /// Build into a private folder, serve it, and rebuild on every save
    Serve(serve::Args),
    /// Create an article, directive or page with complete front matter;
    /// never overwrites
    New(new::Args),
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
        Command::New(args) => new::run(args),
    }
}
