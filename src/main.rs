//! The `takedowns` binary: parse arguments, run, report the error once, exit 0/1/2.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
