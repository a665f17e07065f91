//! The `gazette` command: parse arguments, dispatch, return an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

/// A build allocates and frees millions of small strings and Tera values
/// across threads; glibc's allocator spent ~18% of a 10,000-article build
/// in malloc/free (perf), mimalloc a fraction of that (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
