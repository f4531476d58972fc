//! `rolegate serve`: the development issuer behind the demo page.
//!
//! A small HTTP/1.1 server on the standard library (one thread per connection, at most
//! [`MAX_CONNECTIONS`] at a time, `Connection: close`), bound to 127.0.0.1 only. It serves a static
//! directory (`www/`), publishes the public key set, lists the seed products with their sample users,
//! and compiles and signs a snapshot for any of them on request. The signing key is created on first
//! run in a git-ignored directory (`.dev/`, mode 0700, the key 0600) and reused. Policies are re-read
//! when their files change, so an edited policy shows on the next refresh.
//!
//! | request | answer |
//! |---|---|
//! | `GET /api/jwks.json` | the public JWKS |
//! | `GET /api/products` | `{ audience, ttl, products: [{ id, platforms, users: [{ name, id, label, roles, platforms, active }] }] }`; a user's `platforms` are those they may use (`Compiler::platforms`), `null` when the policy has none |
//! | `GET /api/policy?product=P` | the policy file of product `P` |
//! | `GET /api/snapshot?product=P&user=U[&ttl=S]` | `{ token, product, user, sub, rev, iat, exp, bytes }` |
//! | `GET /api/users?product=P&setting=S[&value=JSON]` or `&role=R` | `{ users: [{ name, id, label }] }`: the sample users a list includes (`Compiler::list`), e.g. NeptuneCRM's consultant dropdown (`setting=canAssignCustomers`) |
//! | `GET /<path>` | a file under the static root (`/` and directories: `index.html`) |
//!
//! This is a development tool: it signs a snapshot for anyone who asks on this machine. So that nothing
//! else can ask (docs/security.md, "Dev server and CLI"):
//!
//! * the `Host` header must name this server: `localhost`, `*.localhost`, `127.0.0.1`, `[::1]` or the
//!   bound address, with or without a port; otherwise (a DNS-rebinding page, or no `Host` at all) the
//!   answer is 403 `host_not_allowed`;
//! * an `/api/` request with an `Origin` header must come from such a host too (`http://` or
//!   `https://`); otherwise 403 `origin_not_allowed`;
//! * a path with a segment starting with `.` (`/.dev/signing-key.json`, `/.git/config`) is not served
//!   (404), and the server refuses to start (`key_in_root`) when the key directory is inside the served
//!   root;
//! * connections past [`MAX_CONNECTIONS`] get 503 `busy` and are closed; every connection has read and
//!   write timeouts.
//!
//! Files: this one starts the server and routes each request; `http.rs` is the HTTP plumbing (request
//! head, `Host` and `Origin` checks, responses, static files); `catalogue.rs` holds the products and
//! builds the `/api/products`, `/api/policy`, `/api/snapshot` and `/api/users` answers.

mod catalogue;
mod http;

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Outcome, EXIT_FAILED, EXIT_REFUSED};
use crate::issue::SigningKey;

use catalogue::{policy, products, snapshot, users, Catalogue};
use http::{
    check_host, is_local_origin, parse_query, percent_decode, read_head, send, static_file, Request, Response,
};

/// The longest lifetime a caller may ask for with `&ttl=`.
const MAX_TTL_SEC: f64 = 86_400.0;
/// The most connections served at a time; past it, a connection gets 503 and is closed.
const MAX_CONNECTIONS: usize = 64;
/// The read and write timeout of every connection.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The read and write timeout of a connection refused as busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);
/// The address the server listens on.
const BIND: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Serve the demo: static files, the dev JWKS, and snapshots for the sample users of every policy.
///
/// For this machine only: the server listens on 127.0.0.1, answers requests whose `Host` is
/// `localhost`, `*.localhost`, `127.0.0.1` or `[::1]` (any port; others get 403, against DNS
/// rebinding), refuses `/api/` requests from a page of another origin (403), never serves a file or
/// directory whose name starts with `.`, and serves at most 64 connections at a time (503 past that).
/// The dev key directory must be outside `--root`: the server refuses to start otherwise
/// (`key_in_root`), e.g. for `--root .` with the default `--dev-dir .dev`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8123)]
    port: u16,
    /// Lifetime of each issued snapshot, in seconds.
    #[arg(long, default_value_t = 60.0)]
    ttl: f64,
    /// The directory served at `/` (names starting with `.` in it are never served).
    #[arg(long, default_value = "www")]
    root: PathBuf,
    /// The directory of `<product>.json` policies and `<product>.users.json` sample users.
    #[arg(long, default_value = "examples/policies")]
    policies: PathBuf,
    /// Where the dev signing key is kept (created on first run, mode 0700 and the key 0600; keep it out
    /// of version control). Must not be inside `--root`.
    #[arg(long, default_value = ".dev")]
    dev_dir: PathBuf,
    /// The audience (`aud`) of the snapshots.
    #[arg(long, default_value = "rolegate-demo")]
    audience: String,
}

pub(crate) fn run(a: Args, json: bool) -> Outcome {
    let server = match Server::bind(&a) {
        Ok(s) => s,
        Err(e) => return Outcome::error(e.exit, e.code, &e.message, json),
    };
    let addr = server.addr();
    eprintln!(
        "rolegate serve: http://{addr}/ (static `{}`, policies `{}`, key `{}`, ttl {} s); Ctrl-C stops it",
        a.root.display(),
        a.policies.display(),
        server.state.key.kid(),
        a.ttl
    );
    server.run();
    Outcome::ok(String::new())
}

/// Why the server did not start.
#[derive(Debug)]
pub(crate) struct StartError {
    exit: u8,
    code: &'static str,
    message: String,
}

impl StartError {
    fn failed(code: &'static str, message: String) -> StartError {
        StartError { exit: EXIT_FAILED, code, message }
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// A bound server, ready to [`Server::run`].
pub(crate) struct Server {
    listener: TcpListener,
    state: Arc<State>,
    /// The connections being served.
    active: Arc<AtomicUsize>,
}

impl Server {
    /// Loads the policies and the key, then binds the port.
    pub(crate) fn bind(a: &Args) -> Result<Server, StartError> {
        if !(a.ttl.is_finite() && a.ttl >= 1.0 && a.ttl <= MAX_TTL_SEC) {
            return Err(StartError::failed("bad_config", "`--ttl` must be 1 to 86400 seconds".to_owned()));
        }
        let root = a
            .root
            .canonicalize()
            .map_err(|e| StartError::failed("io", format!("cannot serve `{}`: {e}", a.root.display())))?;
        let dev_dir = resolve(&a.dev_dir).map_err(|e| {
            StartError::failed("io", format!("cannot resolve `{}`: {e}", a.dev_dir.display()))
        })?;
        if dev_dir.starts_with(&root) {
            return Err(StartError::failed(
                "key_in_root",
                format!(
                    "the dev key directory `{}` is inside the served root `{}`; pass a `--dev-dir` outside it",
                    a.dev_dir.display(),
                    a.root.display()
                ),
            ));
        }
        let catalogue = Catalogue::load(&a.policies).map_err(|message| StartError {
            exit: EXIT_REFUSED,
            code: "bad_policy",
            message,
        })?;
        let key = dev_key(&a.dev_dir).map_err(|m| StartError::failed("io", m))?;
        let listener = TcpListener::bind((BIND, a.port)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                StartError::failed(
                    "port_busy",
                    format!("port {} is busy: {e}; stop what uses it or pass another `--port`", a.port),
                )
            } else {
                StartError::failed("io", format!("cannot listen on {BIND}:{}: {e}", a.port))
            }
        })?;
        let state = State {
            bound: IpAddr::V4(BIND),
            root,
            policies: a.policies.clone(),
            jwks: SigningKey::jwks(&[&key]),
            key,
            audience: a.audience.clone(),
            ttl: a.ttl,
            catalogue: Mutex::new(Ok(catalogue)),
        };
        Ok(Server { listener, state: Arc::new(state), active: Arc::new(AtomicUsize::new(0)) })
    }

    /// The address the server listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from((BIND, 0)))
    }

    /// Accepts connections until the process ends, one thread each, at most [`MAX_CONNECTIONS`] at a
    /// time. Past that, one thread answers 503 to the others in turn; when it falls behind, its queue
    /// fills and further connections are closed unanswered.
    pub(crate) fn run(self) {
        let (busy_queue, busy_streams) = std::sync::mpsc::sync_channel::<TcpStream>(MAX_CONNECTIONS);
        // If this thread cannot start, the queue is closed and busy connections are dropped.
        let _ = std::thread::Builder::new().spawn(move || busy_streams.into_iter().for_each(busy));
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            let Some(slot) = Slot::take(&self.active) else {
                let _ = busy_queue.try_send(stream);
                continue;
            };
            let state = Arc::clone(&self.state);
            // A connection whose thread cannot start is dropped (its slot with it); the client sees it
            // closed.
            let _ = std::thread::Builder::new().spawn(move || {
                connection(&state, stream);
                drop(slot);
            });
        }
    }
}

/// One of the [`MAX_CONNECTIONS`] connection slots, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// A free slot, if there is one.
    fn take(active: &Arc<AtomicUsize>) -> Option<Slot> {
        active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_CONNECTIONS).then_some(n + 1))
            .ok()
            .map(|_| Slot(Arc::clone(active)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// `path` made absolute, with its existing part resolved (symlinks, `..`) even if the rest does not
/// exist yet: the longest existing ancestor is canonicalised and the other components put after it.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    for ancestor in absolute.ancestors() {
        let Ok(mut real) = ancestor.canonicalize() else { continue };
        for part in absolute.strip_prefix(ancestor).unwrap_or(Path::new("")).components() {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::Normal(name) => real.push(name),
                _ => {}
            }
        }
        return Ok(real);
    }
    Ok(absolute)
}

/// Reads or creates the dev signing key `<dir>/signing-key.json`.
fn dev_key(dir: &Path) -> Result<SigningKey, String> {
    let path = dir.join("signing-key.json");
    if path.exists() {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        return SigningKey::from_jwk(&text).map_err(|e| format!("`{}`: {e}", path.display()));
    }
    let key = SigningKey::generate("dev-1").map_err(|e| e.to_string())?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&path)
        .and_then(|mut f| f.write_all(key.private_jwk().as_bytes()))
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    eprintln!("rolegate serve: created a dev signing key in `{}`", path.display());
    Ok(key)
}

struct State {
    /// The address listened on: a `Host` naming it is accepted beside the loopback names.
    bound: IpAddr,
    root: PathBuf,
    policies: PathBuf,
    key: SigningKey,
    jwks: String,
    audience: String,
    ttl: f64,
    /// The products, or why the policy directory no longer loads (after an edit).
    catalogue: Mutex<Result<Catalogue, String>>,
}

fn connection(state: &State, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let (head_only, response) = match read_head(&mut stream) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            let response = if let Err(refused) = check_host(state.bound, request.host.as_deref()) {
                refused
            } else if request.method == "GET" || head_only {
                respond(state, &request)
            } else {
                Response::error(405, "method_not_allowed", "only GET and HEAD are served")
            };
            (head_only, response)
        }
        Err(response) => (false, response),
    };
    send(&mut stream, head_only, &response);
}

/// Answers a connection past [`MAX_CONNECTIONS`]: 503, without reading the request first.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(BUSY_TIMEOUT));
    let _ = stream.set_write_timeout(Some(BUSY_TIMEOUT));
    let message = format!("the dev server is serving {MAX_CONNECTIONS} connections; try again");
    send(&mut stream, false, &Response::error(503, "busy", &message));
}

fn respond(state: &State, request: &Request) -> Response {
    let target = request.target.as_str();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some(path) = percent_decode(path, false) else {
        return Response::error(400, "bad_request", "the path is not valid percent-encoded UTF-8");
    };
    if let Some(origin) = request.origin.as_deref().filter(|o| !is_local_origin(o, state.bound)) {
        if path.starts_with("/api/") {
            let m =
                format!("a page of `{origin}` may not call the dev issuer; open it from http://localhost");
            return Response::error(403, "origin_not_allowed", &m);
        }
    }
    let Some(params) = parse_query(query) else {
        return Response::error(400, "bad_request", "the query is not valid percent-encoded UTF-8");
    };
    match path.as_str() {
        "/api/jwks.json" => {
            Response { status: 200, content_type: "application/json", body: state.jwks.clone().into_bytes() }
        }
        "/api/products" => state.with_catalogue(|c| products(state, c)),
        "/api/policy" => state.with_catalogue(|c| policy(c, &params)),
        "/api/snapshot" => state.with_catalogue(|c| snapshot(state, c, &params)),
        "/api/users" => state.with_catalogue(|c| users(c, &params)),
        p if p.starts_with("/api/") => Response::error(404, "not_found", "no such API endpoint"),
        p => static_file(&state.root, p),
    }
}

#[cfg(test)]
mod tests;
