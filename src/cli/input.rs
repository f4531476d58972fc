//! Reading arguments that name files or stdin, and writing files, through the [`Host`].

use super::host::{Host, IoError};

/// The contents of `path`, or of stdin when `path` is `-`, as UTF-8 text.
pub(crate) fn read(host: &mut dyn Host, path: &str) -> Result<String, String> {
    let what = if path == "-" { "stdin".to_owned() } else { format!("`{path}`") };
    let bytes = host.read(path).map_err(|e| format!("cannot read {what}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("cannot read {what}: it is not UTF-8 text"))
}

/// JSON text given inline, as `-` (stdin), or as `@file`; surrounding whitespace is dropped (a token
/// is read with [`exact_token`] instead, as a gate takes it).
pub(crate) fn text(host: &mut dyn Host, arg: &str) -> Result<String, String> {
    let text = match arg.strip_prefix('@') {
        Some(path) => read(host, path)?,
        None if arg == "-" => read(host, "-")?,
        None => arg.to_owned(),
    };
    Ok(text.trim().to_owned())
}

/// A token exactly as a gate would be given it: inline as it is; from `-` (stdin) or `@file` without
/// its one trailing line end (`\n` or `\r\n`), which `echo` and editors add. Nothing else is dropped,
/// so a token with any other whitespace is refused as the gate refuses it. An inline argument that
/// names an existing file is an error that says to write `@file` (it was never meant as a token).
pub(crate) fn exact_token(host: &mut dyn Host, arg: &str) -> Result<String, String> {
    let mut text = match arg.strip_prefix('@') {
        Some(path) => read(host, path)?,
        None if arg == "-" => read(host, "-")?,
        None if host.exists(arg) => {
            return Err(format!("`{arg}` is a file, not a token; to read the token from it, write `@{arg}`"))
        }
        None => return Ok(arg.to_owned()),
    };
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// Whether a file written by [`write`] holds a secret (then, on unix, only its owner may read it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secrecy {
    /// Readable as the umask allows (a public key set).
    Public,
    /// Mode `0600` on unix, whatever the umask (a private key).
    Private,
}

/// Fails if one of `paths` exists and `force` is not given: checked before any file is written, so a
/// refusal leaves nothing half-written.
pub(crate) fn refuse_existing<'p>(
    host: &mut dyn Host,
    paths: impl IntoIterator<Item = &'p str>,
    force: bool,
) -> Result<(), String> {
    match paths.into_iter().find(|p| !force && host.exists(p)) {
        Some(path) => Err(exists(path)),
        None => Ok(()),
    }
}

fn exists(path: &str) -> String {
    format!("`{path}` exists; pass --force to overwrite it")
}

/// Writes `text` to a new file at `path`, refusing to overwrite unless `force` (see [`Host::create`]).
pub(crate) fn write(
    host: &mut dyn Host,
    path: &str,
    text: &str,
    force: bool,
    secrecy: Secrecy,
) -> Result<(), String> {
    host.create(path, text, force, secrecy == Secrecy::Private).map_err(|e| match e {
        IoError::AlreadyExists => exists(path),
        e => format!("cannot write `{path}`: {e}"),
    })
}
