//! What the tool does outside itself — read files and stdin, create files, draw a key's randomness —
//! behind one trait, so that the same subcommands run natively ([`System`]) and, through the
//! issuer's wasm build, on Node's file system (`npx rolegate`, `js/cli.js`).

use std::fmt;

/// Why a file could not be read or written, without the platform's wording, so that the native
/// tool and the npm one print the same line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IoError {
    /// Nothing is at the path.
    NotFound,
    /// The file exists but may not be read or written.
    PermissionDenied,
    /// Something is at a path that must be new.
    AlreadyExists,
    /// The path is a directory.
    IsADirectory,
    /// Any other failure, in the platform's words.
    Other(String),
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoError::NotFound => "no such file or directory",
            IoError::PermissionDenied => "permission denied",
            IoError::AlreadyExists => "file exists",
            IoError::IsADirectory => "is a directory",
            IoError::Other(m) => m,
        })
    }
}

/// The tool's window on the machine: every file, stdin and random byte it uses goes through here.
///
/// ```
/// use rolegate::cli::{Host, IoError};
/// /// A host with no files, for a test: every read fails, every write is refused.
/// struct Empty;
/// impl Host for Empty {
///     fn read(&mut self, _path: &str) -> Result<Vec<u8>, IoError> { Err(IoError::NotFound) }
///     fn exists(&mut self, _path: &str) -> bool { false }
///     fn create(&mut self, _: &str, _: &str, _: bool, _: bool) -> Result<(), IoError> {
///         Err(IoError::PermissionDenied)
///     }
///     fn seed(&mut self) -> Result<[u8; 32], IoError> { Ok([7; 32]) }
/// }
/// let out = rolegate::cli::run(["rolegate", "lint", "missing.json"].map(String::from), &mut Empty);
/// assert_eq!(out.code, 1);
/// assert_eq!(out.stderr.as_deref(), Some("rolegate: io: cannot read `missing.json`: no such file or directory"));
/// ```
pub trait Host {
    /// The bytes of the file at `path`, or of stdin when `path` is `-`.
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError>;
    /// Whether anything (a file, a directory, a dangling symlink) is at `path`.
    fn exists(&mut self, path: &str) -> bool;
    /// Creates a new file at `path` holding `text`, never through a symlink nor reusing an existing
    /// file: with `replace`, whatever is at `path` is removed first; without, an existing path is
    /// [`IoError::AlreadyExists`]. A `private` file is readable by its owner only (mode `0600` on unix).
    fn create(&mut self, path: &str, text: &str, replace: bool, private: bool) -> Result<(), IoError>;
    /// 32 bytes from a cryptographically secure random source (a new key's secret).
    fn seed(&mut self) -> Result<[u8; 32], IoError>;
}

/// The machine the native binary runs on: its files, stdin and the operating system's random source.
///
/// ```no_run
/// let out = rolegate::cli::run(["rolegate", "keygen", "--kid", "k1"].map(String::from), &mut rolegate::cli::System);
/// print!("{}", out.stdout);
/// ```
#[cfg(feature = "cli")]
pub struct System;

#[cfg(feature = "cli")]
impl From<std::io::Error> for IoError {
    fn from(e: std::io::Error) -> IoError {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::NotFound => IoError::NotFound,
            ErrorKind::PermissionDenied => IoError::PermissionDenied,
            ErrorKind::AlreadyExists => IoError::AlreadyExists,
            ErrorKind::IsADirectory => IoError::IsADirectory,
            _ => IoError::Other(e.to_string()),
        }
    }
}

#[cfg(feature = "cli")]
impl Host for System {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, IoError> {
        use std::io::Read;
        if path == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            return Ok(bytes);
        }
        Ok(std::fs::read(path)?)
    }

    fn exists(&mut self, path: &str) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn create(&mut self, path: &str, text: &str, replace: bool, private: bool) -> Result<(), IoError> {
        use std::io::Write;
        if replace {
            match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut file = options.open(path)?;
        file.write_all(text.as_bytes())?;
        Ok(file.sync_all()?)
    }

    fn seed(&mut self) -> Result<[u8; 32], IoError> {
        crate::issue::os_seed().map_err(IoError::Other)
    }
}
