//! The `takedowns` binary: parse arguments, run, report the error once, exit 0/1/2.

mod cli;

/// mimalloc rather than the system's malloc: allocation was a sixth of an ingest's CPU
/// under glibc, and mimalloc cut the ingest's CPU a page by a tenth (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
