//! The `takedowns` binary: parse arguments, run, report the error once, exit 0/1/2.

mod cli;

/// jemalloc rather than the system's malloc: allocation was a sixth of an ingest's CPU
/// under glibc, and jemalloc cuts the ingest's CPU a page by about a tenth. mimalloc cut
/// as much but held 2.5 times the memory on hostile PDFs (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
