//! The `rolegate` command-line tool: one file per subcommand. Cargo feature `commands` has the
//! subcommands, which reach files only through a [`Host`] and so also run in the issuer's wasm build
//! (`npx rolegate`); feature `cli` adds the native binary's [`System`] host and `serve`.
//!
//! Exit codes: `0` success (or *allow*), `1` failure (bad arguments, unreadable files), `2` *deny*
//! (from `explain` and `may`), `3` refused input (a token that does not verify, a policy that does not lint).
//! Errors go to stderr; `--json` prints machine-readable output on stdout instead.

mod explain;
mod host;
mod input;
mod inspect;
mod keygen;
mod lint;
mod may;
mod readable;
#[cfg(feature = "cli")]
mod serve;
mod sign;
mod subject;
mod times;
mod types;
mod verify;

use clap::{Parser, Subcommand};

#[cfg(feature = "cli")]
pub use host::System;
pub use host::{Host, IoError};

/// Exit code: the command failed (arguments, files).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: the answer is *deny*.
pub const EXIT_DENY: u8 = 2;
/// Exit code: the input was refused (token, policy).
pub const EXIT_REFUSED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "rolegate",
    version,
    about = "Issue, verify, inspect and explain rolegate role snapshots; lint policies and generate their types; answer administration questions",
    after_help = "Exit codes: 0 success or allow, 1 failed (arguments, files), 2 deny, 3 refused input."
)]
struct Cli {
    /// Print machine-readable JSON on stdout (errors too).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Keygen(keygen::Args),
    Sign(sign::Args),
    Verify(verify::Args),
    Inspect(inspect::Args),
    Explain(explain::Args),
    Lint(lint::Args),
    May(may::Args),
    Types(types::Args),
    #[cfg(feature = "cli")]
    Serve(serve::Args),
}

/// What a run of the tool reports: its exit code, the text for stdout, and a line for stderr.
///
/// ```
/// # use rolegate::cli::{run, System};
/// let out = run(["rolegate", "--version"].map(String::from), &mut System);
/// assert_eq!((out.code, out.stderr), (0, None));
/// assert!(out.stdout.starts_with("rolegate "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exit code: 0, [`EXIT_FAILED`], [`EXIT_DENY`] or [`EXIT_REFUSED`].
    pub code: u8,
    /// Everything for stdout.
    pub stdout: String,
    /// The line for stderr (without its line end), if any.
    pub stderr: Option<String>,
}

impl Outcome {
    pub(crate) fn ok(stdout: String) -> Outcome {
        Outcome { code: 0, stdout, stderr: None }
    }

    /// A failure with a stable `code`: JSON on stdout with `--json`, one line on stderr otherwise.
    pub(crate) fn error(exit: u8, code: &str, message: &str, json: bool) -> Outcome {
        if json {
            let body = serde_json::json!({ "ok": false, "code": code, "message": message });
            Outcome { code: exit, stdout: format!("{body}\n"), stderr: None }
        } else {
            Outcome {
                code: exit,
                stdout: String::new(),
                stderr: Some(format!("rolegate: {code}: {message}")),
            }
        }
    }

    /// A rolegate error; policy and user problems also give their JSON pointer (`"pointer"` with `--json`).
    pub(crate) fn from_error(exit: u8, e: &crate::Error, json: bool) -> Outcome {
        match e {
            crate::Error::Policy(p) | crate::Error::User(p) if json => {
                let body = serde_json::json!({
                    "ok": false, "code": e.code(), "pointer": p.pointer, "message": p.message,
                });
                Outcome { code: exit, stdout: format!("{body}\n"), stderr: None }
            }
            _ => Outcome::error(exit, e.code(), &e.to_string(), json),
        }
    }
}

/// Runs the tool on `args` (the first item is the program name) on this machine and returns its exit
/// code (cargo feature `cli`).
///
/// ```no_run
/// let code = rolegate::cli::main(["rolegate", "keygen", "--kid", "k1"].map(Into::into));
/// ```
#[cfg(feature = "cli")]
pub fn main(args: impl IntoIterator<Item = std::ffi::OsString>) -> std::process::ExitCode {
    let outcome = dispatch(Cli::try_parse_from(args), &mut System);
    print!("{}", outcome.stdout);
    if let Some(line) = outcome.stderr {
        eprintln!("{line}");
    }
    std::process::ExitCode::from(outcome.code)
}

/// Runs the tool on `args` (the first item is the program name) with `host` for its files, stdin and
/// randomness; nothing is printed (see [`Host`] for an example).
pub fn run(args: impl IntoIterator<Item = String>, host: &mut dyn Host) -> Outcome {
    dispatch(Cli::try_parse_from(args), host)
}

fn dispatch(parsed: Result<Cli, clap::Error>, host: &mut dyn Host) -> Outcome {
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => return Outcome::ok(e.to_string()), // --help, --version
        Err(e) => return Outcome { code: EXIT_FAILED, stdout: String::new(), stderr: Some(e.to_string()) },
    };
    match cli.command {
        Command::Keygen(a) => keygen::run(a, cli.json, host),
        Command::Sign(a) => sign::run(a, cli.json, host),
        Command::Verify(a) => verify::run(a, cli.json, host),
        Command::Inspect(a) => inspect::run(a, cli.json, host),
        Command::Explain(a) => explain::run(a, cli.json, host),
        Command::Lint(a) => lint::run(a, cli.json, host),
        Command::May(a) => may::run(a, cli.json, host),
        Command::Types(a) => types::run(a, cli.json, host),
        #[cfg(feature = "cli")]
        Command::Serve(a) => serve::run(a, cli.json),
    }
}
