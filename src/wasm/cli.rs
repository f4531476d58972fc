//! The command-line tool for Node (cargo feature `commands`, in the issuer's wasm build): `js/cli.js`
//! (`npx rolegate`) passes the arguments and a host of `node:fs` calls; the subcommands are the
//! native tool's (src/cli). Every host call is a `catch` import, so nothing JavaScript throws unwinds
//! through wasm: a throw becomes the [`IoError`] the native tool would report.
#![cfg(feature = "commands")]

use wasm_bindgen::prelude::*;

use crate::cli::{Host, IoError};

#[wasm_bindgen]
extern "C" {
    /// `{ read(path), exists(path), create(path, text, replace, private), seed() }` (js/cli.js).
    pub type CliHost;

    #[wasm_bindgen(method, catch)]
    fn read(this: &CliHost, path: &str) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn exists(this: &CliHost, path: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn create(this: &CliHost, path: &str, text: &str, replace: bool, private: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn seed(this: &CliHost) -> Result<Vec<u8>, JsValue>;
}

/// A Node error (`err.code` such as `ENOENT`) as the native tool's [`IoError`].
fn io_error(thrown: &JsValue) -> IoError {
    let text = |name: &str| js_sys::Reflect::get(thrown, &name.into()).ok().and_then(|v| v.as_string());
    match text("code").as_deref() {
        Some("ENOENT") => IoError::NotFound,
        Some("EACCES" | "EPERM") => IoError::PermissionDenied,
        Some("EEXIST") => IoError::AlreadyExists,
        Some("EISDIR") => IoError::IsADirectory,
        _ => IoError::Other(text("message").unwrap_or_else(|| "the host failed".to_owned())),
    }
}

impl Host for CliHost {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        CliHost::read(self, path).map_err(|e| io_error(&e))
    }

    fn exists(&mut self, path: &str) -> bool {
        // A host that cannot tell says "exists": the tool then refuses to overwrite.
        CliHost::exists(self, path).unwrap_or(true)
    }

    fn create(&mut self, path: &str, text: &str, replace: bool, private: bool) -> Result<(), IoError> {
        CliHost::create(self, path, text, replace, private).map_err(|e| io_error(&e))
    }

    fn seed(&mut self) -> Result<[u8; 32], IoError> {
        let bytes = CliHost::seed(self).map_err(|e| io_error(&e))?;
        bytes.try_into().map_err(|_| IoError::Other("the random source gave the wrong length".to_owned()))
    }
}

/// Runs the tool on `args` (without the program name) with `host`: `[exit code, stdout, stderr]`,
/// stderr empty when there is nothing to print.
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, mut host: CliHost) -> Vec<JsValue> {
    let argv = std::iter::once("rolegate".to_owned()).chain(args);
    let out = crate::cli::run(argv, &mut host);
    vec![out.code.into(), out.stdout.into(), out.stderr.unwrap_or_default().into()]
}
