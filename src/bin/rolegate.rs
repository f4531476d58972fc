//! The `rolegate` command: parses the command line and dispatches to `rolegate::cli`.

fn main() -> std::process::ExitCode {
    rolegate::cli::main(std::env::args_os())
}
