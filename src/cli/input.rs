//! Reading arguments that name files or stdin.

use std::io::Read;

/// The contents of `path`, or of stdin when `path` is `-`.
pub(crate) fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

/// A token given inline, as `-` (stdin), or as `@file`; surrounding whitespace is dropped.
pub(crate) fn token(arg: &str) -> Result<String, String> {
    let text = match arg.strip_prefix('@') {
        Some(path) => read(path)?,
        None if arg == "-" => read("-")?,
        None => arg.to_owned(),
    };
    Ok(text.trim().to_owned())
}

/// Writes `text` to `path`, refusing to overwrite unless `force`.
pub(crate) fn write(path: &str, text: &str, force: bool) -> Result<(), String> {
    if !force && std::path::Path::new(path).exists() {
        return Err(format!("`{path}` exists; pass --force to overwrite it"));
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write `{path}`: {e}"))
}
