//! The `gazette` command: parse arguments, dispatch, return an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

/// A build allocates and frees millions of small strings and Tera values
/// across threads; glibc's allocator spent ~18% of a 10,000-article build
/// in malloc/free (perf), mimalloc a fraction of that. Its `no_thp` feature
/// keeps it from asking for transparent huge pages, which cost ~30% more
/// peak memory for no measurable speed (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
