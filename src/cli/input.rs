//! Reading arguments that name files or stdin, and writing files.

use std::io::{Read, Write};

/// The contents of `path`, or of stdin when `path` is `-`.
pub(crate) fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

/// JSON text given inline, as `-` (stdin), or as `@file`; surrounding whitespace is dropped (a token
/// is read with [`exact_token`] instead, as a gate takes it).
pub(crate) fn text(arg: &str) -> Result<String, String> {
    let text = match arg.strip_prefix('@') {
        Some(path) => read(path)?,
        None if arg == "-" => read("-")?,
        None => arg.to_owned(),
    };
    Ok(text.trim().to_owned())
}

/// A token exactly as a gate would be given it: inline as it is; from `-` (stdin) or `@file` without
/// its one trailing line end (`\n` or `\r\n`), which `echo` and editors add. Nothing else is dropped,
/// so a token with any other whitespace is refused as the gate refuses it.
pub(crate) fn exact_token(arg: &str) -> Result<String, String> {
    let mut text = match arg.strip_prefix('@') {
        Some(path) => read(path)?,
        None if arg == "-" => read("-")?,
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
    paths: impl IntoIterator<Item = &'p str>,
    force: bool,
) -> Result<(), String> {
    match paths.into_iter().find(|p| !force && std::fs::symlink_metadata(p).is_ok()) {
        Some(path) => Err(exists(path)),
        None => Ok(()),
    }
}

fn exists(path: &str) -> String {
    format!("`{path}` exists; pass --force to overwrite it")
}

/// Writes `text` to a new file at `path`, refusing to overwrite unless `force`. The file is created
/// afresh (`O_EXCL`: never through a symlink, never reusing an existing file's permissions), with mode
/// `0600` on unix when it is [`Secrecy::Private`]; with `force`, an existing file is removed first.
pub(crate) fn write(path: &str, text: &str, force: bool, secrecy: Secrecy) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write `{path}`: {e}");
    if force {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(cannot(e)),
            _ => {}
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secrecy == Secrecy::Private {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    #[cfg(not(unix))]
    let _ = secrecy;
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => cannot(e),
    })?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(cannot)
}
