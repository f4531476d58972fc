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

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{json, Value};

use super::{Outcome, EXIT_FAILED, EXIT_REFUSED};
use crate::compile::Compiler;
use crate::issue::SigningKey;
use crate::policy::User;
use crate::Clock;

/// The longest request head read (request line and headers).
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The longest lifetime a caller may ask for with `&ttl=`.
const MAX_TTL_SEC: f64 = 86_400.0;
/// The most connections served at a time; past it, a connection gets 503 and is closed.
const MAX_CONNECTIONS: usize = 64;
/// The read and write timeout of every connection.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The read and write timeout of a connection refused as busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a connection is drained after its response, before it is closed.
const LINGER: Duration = Duration::from_millis(500);
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

/// Every product of the policy directory, with the files' modification times they were read at.
struct Catalogue {
    stamp: Vec<Stamp>,
    products: BTreeMap<String, Product>,
}

struct Product {
    compiler: Compiler,
    policy_text: String,
    /// Sample users in file order, by name.
    users: Vec<(String, User)>,
    /// The revision of every snapshot: the files' last modification, in seconds since the epoch.
    rev: u64,
}

/// A policy file with its modification time and size when it was read.
type Stamp = (PathBuf, Option<SystemTime>, u64);

/// The policy files of `dir` with their modification times and sizes, sorted.
fn stamp(dir: &Path) -> Result<Vec<Stamp>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let size = meta.map_or(0, |m| m.len());
            (p, modified, size)
        })
        .collect();
    files.sort();
    Ok(files)
}

impl Catalogue {
    /// Reads and compiles every `<product>.json` of `dir` and its `<product>.users.json`; every sample
    /// user is compiled once, so a broken file is reported now rather than at the first request.
    fn load(dir: &Path) -> Result<Catalogue, String> {
        let stamp = stamp(dir)?;
        let mut products = BTreeMap::new();
        for (path, modified, _) in &stamp {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let Some(id) = name.strip_suffix(".json").filter(|s| !s.ends_with(".users")) else {
                continue;
            };
            let shown = path.display();
            let policy_text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
            let compiler = Compiler::from_json(&policy_text).map_err(|e| format!("`{shown}`: {e}"))?;
            let users_path = path.with_file_name(format!("{id}.users.json"));
            let users_modified = std::fs::metadata(&users_path).and_then(|m| m.modified()).ok();
            let users = match std::fs::read_to_string(&users_path) {
                Ok(text) => parse_users(&text).map_err(|e| format!("`{}`: {e}", users_path.display()))?,
                Err(_) => Vec::new(),
            };
            for (name, user) in &users {
                compiler
                    .body(user)
                    .map_err(|e| format!("`{}`: sample user `{name}`: {e}", users_path.display()))?;
            }
            let rev = [*modified, users_modified]
                .into_iter()
                .flatten()
                .filter_map(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
                .max()
                .unwrap_or(1);
            products.insert(id.to_owned(), Product { compiler, policy_text, users, rev });
        }
        if products.is_empty() {
            return Err(format!("no policy (`<product>.json`) in `{}`", dir.display()));
        }
        Ok(Catalogue { stamp, products })
    }
}

/// Sample users by name, in the order of the file (a JSON object).
fn parse_users(text: &str) -> Result<Vec<(String, User)>, String> {
    struct Ordered(Vec<(String, Value)>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object of sample users by name")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry::<String, Value>()? {
                        out.push(entry);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    let Ordered(entries) =
        serde_json::from_str(text).map_err(|e| format!("not a JSON object of users: {e}"))?;
    entries
        .into_iter()
        .map(|(name, v)| {
            let user = User::from_json(&v.to_string()).map_err(|e| format!("sample user `{name}`: {e}"))?;
            Ok((name, user))
        })
        .collect()
}

impl State {
    /// Runs `f` on the current catalogue, re-reading the policy directory first if a file changed.
    fn with_catalogue(&self, f: impl FnOnce(&Catalogue) -> Response) -> Response {
        let mut guard = self.catalogue.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = match (&*guard, stamp(&self.policies)) {
            (Ok(c), Ok(now)) => c.stamp != now,
            _ => true,
        };
        if changed {
            let reloaded = Catalogue::load(&self.policies);
            match &reloaded {
                Ok(_) => eprintln!("rolegate serve: reloaded `{}`", self.policies.display()),
                Err(e) => eprintln!("rolegate serve: bad_policy: {e}"),
            }
            *guard = reloaded;
        }
        match &*guard {
            Ok(c) => f(c),
            Err(e) => Response::error(500, "bad_policy", e),
        }
    }
}

/// An HTTP response.
struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn json(status: u16, value: &Value) -> Response {
        Response { status, content_type: "application/json", body: format!("{value}\n").into_bytes() }
    }

    fn error(status: u16, code: &str, message: &str) -> Response {
        Response::json(status, &json!({ "error": code, "message": message }))
    }

    fn reason(&self) -> &'static str {
        match self.status {
            200 => "OK",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            413 => "Content Too Large",
            503 => "Service Unavailable",
            _ => "Internal Server Error",
        }
    }
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

/// Writes `response` (without its body if `head_only`) and closes the connection.
fn send(stream: &mut TcpStream, head_only: bool, response: &Response) {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.status,
        response.reason(),
        response.content_type,
        response.body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(&response.body);
    }
    let _ = stream.flush();
    // Read what the client may still send (a cut-off head, a request not read yet) for a moment before
    // closing, so that closing does not reset the connection under the response.
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// The request line and the headers the server looks at.
struct Request {
    method: String,
    target: String,
    /// The `Host` header, if any.
    host: Option<String>,
    /// The `Origin` header, if any.
    origin: Option<String>,
}

/// Refuses a request whose `Host` is missing or does not name this server ([`is_local_host`]).
fn check_host(bound: IpAddr, host: Option<&str>) -> Result<(), Response> {
    match host {
        Some(h) if is_local_host(h, bound) => Ok(()),
        Some(h) => Err(Response::error(
            403,
            "host_not_allowed",
            &format!("`Host: {h}` does not name this server; use http://localhost or http://127.0.0.1"),
        )),
        None => Err(Response::error(
            403,
            "host_not_allowed",
            "a `Host` header naming this server (localhost, 127.0.0.1) is required",
        )),
    }
}

/// Whether `host` (a `Host` header, or the authority of an `Origin`) names this server: `localhost`,
/// a name under `.localhost`, `127.0.0.1`, `[::1]` or the `bound` address, with or without a port.
/// Any other name could be an attacker's, resolving to 127.0.0.1 (DNS rebinding).
fn is_local_host(host: &str, bound: IpAddr) -> bool {
    // `[v6]` or `[v6]:port`; `name` or `name:port`.
    let (name, port) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((ip, "")) => (ip, None),
            Some((ip, rest)) => match rest.strip_prefix(':') {
                Some(port) => (ip, Some(port)),
                None => return false,
            },
            None => return false,
        },
        None => host.split_once(':').map_or((host, None), |(name, port)| (name, Some(port))),
    };
    let port_ok = |p: &str| {
        (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
    };
    if !port.is_none_or(port_ok) {
        return false;
    }
    let ip = if host.starts_with('[') {
        match name.parse::<Ipv6Addr>() {
            Ok(ip) => IpAddr::V6(ip),
            Err(_) => return false,
        }
    } else if let Ok(ip) = name.parse::<Ipv4Addr>() {
        IpAddr::V4(ip)
    } else {
        let name = name.to_ascii_lowercase();
        let label_ok = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        return name == "localhost"
            || name.strip_suffix(".localhost").is_some_and(|s| s.split('.').all(label_ok));
    };
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST) || ip == bound
}

/// Whether an `Origin` header is a page of this server: `http://` or `https://` and a host
/// [`is_local_host`] accepts (`null`, another scheme or any path is not).
fn is_local_origin(origin: &str, bound: IpAddr) -> bool {
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|a| !a.contains(['/', '@', '?', '#']) && is_local_host(a, bound))
}

/// The request line and the `Host` and `Origin` headers (a repeated one is a bad request); other
/// headers are read and ignored.
fn read_head(stream: &mut TcpStream) -> Result<Request, Response> {
    let bad = |m: &str| Response::error(400, "bad_request", m);
    let mut reader = BufReader::new(Read::take(&mut *stream, MAX_HEAD_BYTES as u64));
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|_| bad("the request line is not UTF-8"))?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("the request line is not `METHOD TARGET HTTP/1.1`"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(bad("only HTTP/1.x is served"));
    }
    let mut request =
        Request { method: method.to_owned(), target: target.to_owned(), host: None, origin: None };
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) => {
                return Err(Response::error(413, "too_large", "the request head is too large or cut short"))
            }
            Ok(_) if header == "\r\n" || header == "\n" => return Ok(request),
            Ok(_) => {
                let line = header.trim_end_matches(['\r', '\n']);
                let Some((name, value)) = line.split_once(':') else {
                    return Err(bad("a header line has no `:`"));
                };
                if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
                    return Err(bad("a header name is empty or has whitespace"));
                }
                let slot = if name.eq_ignore_ascii_case("host") {
                    &mut request.host
                } else if name.eq_ignore_ascii_case("origin") {
                    &mut request.origin
                } else {
                    continue;
                };
                if slot.replace(value.trim_matches([' ', '\t']).to_owned()).is_some() {
                    return Err(bad(&format!("the `{name}` header is repeated")));
                }
            }
            Err(_) => return Err(bad("a header is not UTF-8")),
        }
    }
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
        "/api/policy" => state.with_catalogue(|c| match product(c, &params) {
            Ok((_, p)) => Response {
                status: 200,
                content_type: "application/json",
                body: p.policy_text.clone().into_bytes(),
            },
            Err(r) => r,
        }),
        "/api/snapshot" => state.with_catalogue(|c| snapshot(state, c, &params)),
        p if p.starts_with("/api/") => Response::error(404, "not_found", "no such API endpoint"),
        p => static_file(&state.root, p),
    }
}

fn products(state: &State, c: &Catalogue) -> Response {
    let list: Vec<Value> = c
        .products
        .iter()
        .map(|(id, p)| {
            let policy = p.compiler.policy();
            let users: Vec<Value> = p
                .users
                .iter()
                .map(|(name, u)| {
                    let roles: Vec<&str> = u
                        .roles
                        .iter()
                        .map(|r| policy.roles.get(r).and_then(|role| role.name.as_deref()).unwrap_or(r))
                        .collect();
                    let label = match &u.name {
                        Some(n) => format!("{} ({n})", roles.join(" + ")),
                        None => roles.join(" + "),
                    };
                    json!({ "name": name, "id": u.id, "label": label, "roles": u.roles,
                            "platforms": p.compiler.platforms(u), "active": u.active })
                })
                .collect();
            json!({ "id": id, "platforms": policy.platforms, "users": users })
        })
        .collect();
    Response::json(200, &json!({ "audience": state.audience, "ttl": state.ttl, "products": list }))
}

/// The product named by `?product=`.
fn product<'c>(
    c: &'c Catalogue,
    params: &BTreeMap<String, String>,
) -> Result<(&'c str, &'c Product), Response> {
    let id =
        params.get("product").ok_or_else(|| Response::error(400, "bad_request", "`product` is required"))?;
    c.products
        .get_key_value(id.as_str())
        .map(|(k, p)| (k.as_str(), p))
        .ok_or_else(|| Response::error(404, "unknown_product", &format!("no product `{id}`")))
}

fn snapshot(state: &State, c: &Catalogue, params: &BTreeMap<String, String>) -> Response {
    let (id, p) = match product(c, params) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Some(name) = params.get("user") else {
        return Response::error(400, "bad_request", "`user` is required");
    };
    let Some((name, user)) = p.users.iter().find(|(n, _)| n == name) else {
        return Response::error(404, "unknown_user", &format!("product `{id}` has no sample user `{name}`"));
    };
    let ttl = match params.get("ttl").map(|t| t.parse::<f64>()) {
        None => state.ttl,
        Some(Ok(t)) if t.is_finite() && (1.0..=MAX_TTL_SEC).contains(&t) => t,
        Some(_) => return Response::error(400, "bad_request", "`ttl` must be 1 to 86400 seconds"),
    };
    let now = Clock::system().now().floor();
    let signed = p
        .compiler
        .claims(user, &state.audience, now, now + ttl, p.rev)
        .and_then(|claims| state.key.sign(&claims).map(|token| (claims, token)));
    match signed {
        Ok((claims, token)) => {
            eprintln!(
                "rolegate serve: issued {id}/{name} (sub `{}`, rev {}, {} bytes, expires in {ttl} s)",
                claims.sub,
                p.rev,
                token.len()
            );
            Response::json(
                200,
                &json!({ "token": token, "product": id, "user": name, "sub": claims.sub, "rev": p.rev,
                         "iat": now, "exp": claims.exp, "bytes": token.len() }),
            )
        }
        Err(e) => Response::error(500, e.code(), &e.to_string()),
    }
}

/// The content type served for a file name.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file under `root`, or 404. Only plain path segments are followed (no `..`, `.`, empty or
/// backslash segments, and none starting with `.`: no dotfile such as `.dev/signing-key.json`), and the
/// resolved file must still be inside `root` with no name starting with `.` on the way (no symlink
/// escape, no link to a dotfile).
fn static_file(root: &Path, path: &str) -> Response {
    let not_found = || Response::error(404, "not_found", "no such file");
    let mut file = root.to_path_buf();
    for segment in path.split('/').skip(1) {
        if segment.is_empty() {
            continue;
        }
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(_)), None)
                if !segment.starts_with('.') && !segment.contains(['\\', '\0']) =>
            {
                file.push(segment)
            }
            _ => return not_found(),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    match file.canonicalize() {
        Ok(real) if inside_without_dotfiles(&real, root) && real.is_file() => match std::fs::read(&real) {
            Ok(body) => Response { status: 200, content_type: content_type(&real), body },
            Err(_) => not_found(),
        },
        _ => not_found(),
    }
}

/// Whether `real` is inside `root` and no name after `root` starts with `.`.
fn inside_without_dotfiles(real: &Path, root: &Path) -> bool {
    real.strip_prefix(root)
        .is_ok_and(|rest| rest.components().all(|c| c.as_os_str().as_encoded_bytes().first() != Some(&b'.')))
}

/// Decodes `%XX` escapes (and `+` as a space in queries); `None` if invalid or not UTF-8.
fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

fn parse_query(query: &str) -> Option<BTreeMap<String, String>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rolegate-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn policies_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies")
    }

    fn args(dir: &Path, policies: &Path, port: u16) -> Args {
        Args {
            port,
            ttl: 60.0,
            root: dir.join("www"),
            policies: policies.to_path_buf(),
            dev_dir: dir.join(".dev"),
            audience: "rolegate-demo".to_owned(),
        }
    }

    /// A server on a free port over a small static tree; returns its address and the temp dir.
    fn start(name: &str) -> (SocketAddr, PathBuf) {
        let dir = tmpdir(name);
        std::fs::create_dir_all(dir.join("www/pkg")).unwrap();
        std::fs::write(dir.join("www/index.html"), "<!doctype html><title>demo</title>").unwrap();
        std::fs::write(dir.join("www/app.js"), "export {};").unwrap();
        std::fs::write(dir.join("www/style.css"), "body {}").unwrap();
        std::fs::write(dir.join("www/pkg/rolegate_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("www/pkg/index.html"), "pkg index").unwrap();
        std::fs::write(dir.join("secret.txt"), "TOP SECRET").unwrap();
        let server = Server::bind(&args(&dir, &policies_dir(), 0)).unwrap();
        let addr = server.addr();
        std::thread::spawn(move || server.run());
        (addr, dir)
    }

    /// Sends `request` raw and returns (status, headers, body).
    fn raw(addr: SocketAddr, request: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(out[..split].to_vec()).unwrap();
        let status = head[9..12].parse().unwrap();
        (status, head, out[split + 4..].to_vec())
    }

    fn get(addr: SocketAddr, target: &str) -> (u16, String, Vec<u8>) {
        raw(addr, &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"))
    }

    fn get_json(addr: SocketAddr, target: &str) -> (u16, Value) {
        let (status, head, body) = get(addr, target);
        assert!(head.contains("Content-Type: application/json"), "{head}");
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn serves_static_files_with_their_types() {
        let (addr, _) = start("static");
        let cases = [
            ("/", "text/html; charset=utf-8"),
            ("/index.html", "text/html; charset=utf-8"),
            ("/app.js", "text/javascript; charset=utf-8"),
            ("/style.css", "text/css; charset=utf-8"),
            ("/pkg/rolegate_bg.wasm", "application/wasm"),
            ("/pkg/", "text/html; charset=utf-8"),
            ("/api/jwks.json", "application/json"),
        ];
        for (path, ty) in cases {
            let (status, head, _) = get(addr, path);
            assert_eq!(status, 200, "{path}");
            assert!(head.contains(&format!("\r\nContent-Type: {ty}\r\n")), "{path}: {head}");
        }
        let (_, _, body) = get(addr, "/pkg/rolegate_bg.wasm");
        assert_eq!(body, b"\0asm\x01\0\0\0");
        let (status, head, body) = raw(addr, "HEAD /app.js HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_eq!((status, body.len()), (200, 0));
        assert!(head.contains("Content-Length: 10"), "{head}");
        assert_eq!(get(addr, "/missing.js").0, 404);
    }

    #[test]
    fn refuses_directory_traversal() {
        let (addr, dir) = start("traversal");
        assert!(dir.join("secret.txt").exists());
        for path in [
            "/../secret.txt",
            "/pkg/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/pkg/%2E%2E/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..%5csecret.txt",
            "/./index.html",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/..",
            "/pkg/..",
            "/index.html%00.js",
        ] {
            let (status, _, body) = get(addr, path);
            assert_eq!(status, 404, "{path}");
            assert!(!String::from_utf8_lossy(&body).contains("TOP SECRET"), "{path}");
            assert!(!String::from_utf8_lossy(&body).contains("root:"), "{path}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("www/link.txt")).unwrap();
            assert_eq!(get(addr, "/link.txt").0, 404);
        }
    }

    #[test]
    fn bad_requests_get_4xx_never_a_panic() {
        let (addr, _) = start("bad");
        assert_eq!(raw(addr, "POST /api/snapshot HTTP/1.1\r\nHost: localhost\r\n\r\n").0, 405);
        assert_eq!(raw(addr, "garbage\r\n\r\n").0, 400);
        assert_eq!(raw(addr, "GET / SPDY/3\r\n\r\n").0, 400);
        assert_eq!(raw(addr, "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n").0, 400);
        assert_eq!(raw(addr, "GET /%ff HTTP/1.1\r\nHost: localhost\r\n\r\n").0, 400);
        assert_eq!(raw(addr, "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n").0, 400);
        assert_eq!(raw(addr, "GET / HTTP/1.1\r\nno colon\r\n\r\n").0, 400);
        assert_eq!(raw(addr, &format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(20_000))).0, 413);
        assert_eq!(get(addr, "/api/nope").0, 404);
        assert_eq!(get_json(addr, "/api/snapshot").0, 400);
        assert_eq!(get_json(addr, "/api/snapshot?product=commusoft").0, 400);
        let (status, body) = get_json(addr, "/api/snapshot?product=nope&user=x");
        assert_eq!((status, body["error"].as_str()), (404, Some("unknown_product")));
        let (status, body) = get_json(addr, "/api/snapshot?product=commusoft&user=nobody");
        assert_eq!((status, body["error"].as_str()), (404, Some("unknown_user")));
        assert_eq!(get_json(addr, "/api/snapshot?product=commusoft&user=engineer&ttl=0").0, 400);
        assert_eq!(get_json(addr, "/api/snapshot?product=commusoft&user=engineer&ttl=x").0, 400);
        // Still serving.
        assert_eq!(get(addr, "/").0, 200);
    }

    #[test]
    fn lists_products_and_issues_snapshots_that_verify() {
        let (addr, dir) = start("issue");
        let (status, list) = get_json(addr, "/api/products");
        assert_eq!(status, 200);
        let ids: Vec<&str> =
            list["products"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["commusoft", "neptunecrm", "property", "reconpro"]);
        let neptune = &list["products"][1];
        assert_eq!(neptune["platforms"], json!(["web", "mobile"]));
        assert_eq!(neptune["users"][0]["name"], "admin", "file order is kept");
        assert_eq!(neptune["users"][1]["label"], "Consultant (Carl Consultant)");
        let contractor =
            neptune["users"].as_array().unwrap().iter().find(|u| u["name"] == "contractor").unwrap();
        assert_eq!(contractor["platforms"], json!(["mobile"]), "the platforms the user may use, compiled");
        assert_eq!(list["ttl"], 60.0);

        let jwks = String::from_utf8(get(addr, "/api/jwks.json").2).unwrap();
        assert!(dir.join(".dev/signing-key.json").exists(), "the dev key is created on first run");

        let (status, s) = get_json(addr, "/api/snapshot?product=neptunecrm&user=consultant&ttl=30");
        assert_eq!(status, 200, "{s}");
        assert_eq!((s["sub"].as_str(), s["user"].as_str()), (Some("u-cons"), Some("consultant")));
        assert_eq!(s["exp"].as_f64().unwrap() - s["iat"].as_f64().unwrap(), 30.0);
        let token = s["token"].as_str().unwrap();
        assert_eq!(s["bytes"].as_u64(), Some(token.len() as u64));
        let mut options = crate::GateOptions::new(crate::Keyring::from_jwks(&jwks).unwrap(), "rolegate-demo");
        options.platform = Some("web".to_owned());
        let mut gate = crate::Gate::new(options).unwrap();
        gate.load(token).unwrap();
        assert!(gate.can("page.customers.view"));
        assert_eq!(gate.check("page.admin.view").reason.code(), "explicit_deny");

        let (status, policy) = get_json(addr, "/api/policy?product=reconpro");
        assert_eq!((status, policy["product"].as_str()), (200, Some("reconpro")));
    }

    #[test]
    fn the_key_is_reused_across_starts() {
        let (addr, dir) = start("reuse");
        let first = get(addr, "/api/jwks.json").2;
        let again = Server::bind(&args(&dir, &policies_dir(), 0)).unwrap();
        assert_eq!(again.state.jwks.as_bytes(), first.as_slice());
    }

    #[test]
    fn a_busy_port_is_a_clear_error() {
        let dir = tmpdir("busy");
        std::fs::create_dir_all(dir.join("www")).unwrap();
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let e = Server::bind(&args(&dir, &policies_dir(), port)).err().unwrap();
        assert_eq!((e.exit, e.code), (EXIT_FAILED, "port_busy"));
        assert!(e.message.starts_with(&format!("port {port} is busy: ")), "{e}");
        let path = |p: PathBuf| p.to_string_lossy().into_owned();
        let o = super::super::run(
            ["rolegate", "serve", "--port", &port.to_string(), "--root"].into_iter().map(Into::into).chain([
                path(dir.join("www")),
                "--dev-dir".into(),
                path(dir.join(".dev")),
                "--policies".into(),
                path(policies_dir()),
            ]),
            &mut super::super::System,
        );
        assert_eq!(o.code, EXIT_FAILED);
        assert!(o.stderr.unwrap().contains(&format!("port {port} is busy")));
    }

    #[test]
    fn a_broken_policy_names_its_file_and_pointer() {
        let dir = tmpdir("broken");
        std::fs::create_dir_all(dir.join("www")).unwrap();
        let policies = dir.join("policies");
        std::fs::create_dir_all(&policies).unwrap();
        let text = std::fs::read_to_string(policies_dir().join("commusoft.json")).unwrap();
        let broken = text.replacen(
            r#""ladders": {
    "jobs": ["engineer","#,
            r#""ladders": {
    "jobs": ["enginer","#,
            1,
        );
        assert_ne!(broken, text);
        std::fs::write(policies.join("commusoft.json"), broken).unwrap();
        let e = Server::bind(&args(&dir, &policies, 0)).err().unwrap();
        assert_eq!((e.exit, e.code), (EXIT_REFUSED, "bad_policy"));
        assert!(e.message.contains("commusoft.json`: unknown role `enginer`"), "{e}");
        assert!(e.message.contains("(at `/ladders/jobs/0`)"), "{e}");

        std::fs::write(policies.join("commusoft.json"), "{\"product\": ").unwrap();
        let e = Server::bind(&args(&dir, &policies, 0)).err().unwrap();
        assert!(e.message.contains("commusoft.json`: "), "{e}");

        std::fs::write(policies.join("commusoft.json"), &text).unwrap();
        std::fs::write(policies.join("commusoft.users.json"), r#"{"x": {"id": "x", "roles": ["nope"]}}"#)
            .unwrap();
        let e = Server::bind(&args(&dir, &policies, 0)).err().unwrap();
        assert!(e.message.contains("commusoft.users.json`: sample user `x`: unknown role `nope`"), "{e}");
    }

    #[test]
    fn an_edited_policy_is_reloaded_and_a_broken_edit_is_reported() {
        let dir = tmpdir("reload");
        std::fs::create_dir_all(dir.join("www")).unwrap();
        let policies = dir.join("policies");
        std::fs::create_dir_all(&policies).unwrap();
        for f in ["property.json", "property.users.json"] {
            std::fs::copy(policies_dir().join(f), policies.join(f)).unwrap();
        }
        let server = Server::bind(&args(&dir, &policies, 0)).unwrap();
        let addr = server.addr();
        std::thread::spawn(move || server.run());
        assert_eq!(get_json(addr, "/api/snapshot?product=property&user=finance").0, 200);
        std::fs::write(policies.join("property.json"), "[]").unwrap();
        let (status, body) = get_json(addr, "/api/snapshot?product=property&user=finance");
        assert_eq!((status, body["error"].as_str()), (500, Some("bad_policy")));
        assert!(body["message"].as_str().unwrap().contains("property.json"), "{body}");
    }

    #[test]
    fn refuses_dotfiles_and_links_to_them() {
        let (addr, dir) = start("dotfiles");
        let www = dir.join("www");
        for (path, text) in [
            (".dev/signing-key.json", "PRIVATE KEY"),
            (".git/config", "PRIVATE KEY"),
            (".env", "PRIVATE KEY"),
            ("pkg/.secret.js", "PRIVATE KEY"),
            (".well-known/x.json", "PRIVATE KEY"),
        ] {
            std::fs::create_dir_all(www.join(path).parent().unwrap()).unwrap();
            std::fs::write(www.join(path), text).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(www.join(".dev/signing-key.json"), www.join("key.json")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(www.join(".dev"), www.join("dev")).unwrap();
        for path in [
            "/.dev/signing-key.json",
            "/%2edev/signing-key.json",
            "/.dev/",
            "/.git/config",
            "/.env",
            "/pkg/.secret.js",
            "/.well-known/x.json",
            "/key.json",
            "/dev/signing-key.json",
        ] {
            let (status, _, body) = get(addr, path);
            assert_eq!(status, 404, "{path}");
            assert!(!String::from_utf8_lossy(&body).contains("PRIVATE KEY"), "{path}");
        }
        assert_eq!(get(addr, "/app.js").0, 200, "plain files are still served");
    }

    #[test]
    fn refuses_to_start_with_the_key_inside_the_root() {
        let dir = tmpdir("key-in-root");
        std::fs::create_dir_all(dir.join("www/sub")).unwrap();
        let with = |root: PathBuf, dev_dir: PathBuf| Args { root, dev_dir, ..args(&dir, &policies_dir(), 0) };
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("www"), dir.join("link")).unwrap();
        let mut cases = vec![
            // `--root .` with the default `--dev-dir .dev`.
            with(dir.clone(), dir.join(".dev")),
            with(dir.join("www"), dir.join("www/.dev")),
            with(dir.join("www"), dir.join("www")),
            with(dir.join("www"), dir.join("www/sub/../.dev")),
            with(dir.join("www"), dir.join("www/new/deeper/.dev")),
            with(dir.join("www/sub/.."), dir.join("www/.dev")),
        ];
        #[cfg(unix)]
        cases.push(with(dir.join("www"), dir.join("link/.dev")));
        for a in cases {
            let e = Server::bind(&a).err().unwrap();
            assert_eq!((e.exit, e.code), (EXIT_FAILED, "key_in_root"), "{:?}: {e}", a.dev_dir);
            assert!(e.message.contains("pass a `--dev-dir` outside it"), "{e}");
        }
        assert!(!dir.join(".dev").exists() && !dir.join("www/.dev").exists(), "no key was created");
        assert!(Server::bind(&with(dir.join("www"), dir.join("www-keys"))).is_ok(), "a sibling is fine");
    }

    #[cfg(unix)]
    #[test]
    fn the_dev_key_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_, dir) = start("key-mode");
        let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(".dev/signing-key.json"), 0o600);
        assert_eq!(mode(".dev"), 0o700);
    }

    fn with_host(addr: SocketAddr, target: &str, headers: &str) -> (u16, Value) {
        let (status, head, body) = raw(addr, &format!("GET {target} HTTP/1.1\r\n{headers}\r\n"));
        assert!(head.contains("Content-Type: application/json"), "{head}");
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn only_loopback_host_names_are_answered() {
        let (addr, _) = start("host");
        let port = addr.port();
        let snapshot = "/api/snapshot?product=commusoft&user=owner_manager&ttl=86400";
        for host in [
            "evil.example".to_owned(),
            format!("evil.example:{port}"),
            "localhost.evil.example".to_owned(),
            "127.0.0.1.nip.io".to_owned(),
            "127.0.0.2".to_owned(),
            "0.0.0.0".to_owned(),
            "[::2]".to_owned(),
            "[::1".to_owned(),
            "::1".to_owned(),
            "localhost:".to_owned(),
            "localhost:99999".to_owned(),
            "localhost:80:80".to_owned(),
            "localhost.".to_owned(),
            "a..localhost".to_owned(),
            "a_b.localhost".to_owned(),
            String::new(),
        ] {
            for target in [snapshot, "/api/jwks.json", "/"] {
                let (status, body) = with_host(addr, target, &format!("Host: {host}\r\n"));
                assert_eq!(
                    (status, body["error"].as_str()),
                    (403, Some("host_not_allowed")),
                    "{host} {target}"
                );
                assert!(body.get("token").is_none());
            }
        }
        // HTTP/1.0 without a Host header.
        let (status, head, body) = raw(addr, &format!("GET {snapshot} HTTP/1.0\r\n\r\n"));
        assert_eq!(status, 403, "{head}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"], "host_not_allowed");
        // Two Host headers.
        assert_eq!(with_host(addr, snapshot, "Host: localhost\r\nHost: evil.example\r\n").0, 400);
        for host in [
            "localhost".to_owned(),
            "LocalHost".to_owned(),
            format!("localhost:{port}"),
            "127.0.0.1".to_owned(),
            format!("127.0.0.1:{port}"),
            "[::1]".to_owned(),
            format!("[::1]:{port}"),
            format!("demo.localhost:{port}"),
            "a.b-c.localhost".to_owned(),
        ] {
            let (status, body) = with_host(addr, snapshot, &format!("host:  {host} \r\n"));
            assert_eq!(status, 200, "{host}: {body}");
        }
    }

    #[test]
    fn a_non_loopback_bound_address_is_accepted_beside_the_loopback_names() {
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5));
        let loopback = IpAddr::V4(BIND);
        assert!(is_local_host("192.168.1.5:8123", lan));
        assert!(is_local_host("localhost:8123", lan));
        assert!(!is_local_host("192.168.1.6", lan));
        assert!(!is_local_host("192.168.1.5", loopback));
        let v6 = IpAddr::V6("fd00::5".parse().unwrap());
        assert!(is_local_host("[fd00::5]:8123", v6));
        assert!(!is_local_host("[fd00::5]:8123", loopback));
    }

    #[test]
    fn api_requests_from_other_origins_are_refused() {
        let (addr, _) = start("origin");
        let port = addr.port();
        let snapshot = "/api/snapshot?product=commusoft&user=owner_manager";
        for origin in [
            "http://evil.example".to_owned(),
            format!("http://evil.example:{port}"),
            "null".to_owned(),
            "file://".to_owned(),
            format!("ftp://localhost:{port}"),
            format!("http://localhost:{port}/path"),
            format!("http://user@localhost:{port}"),
            String::new(),
        ] {
            for target in [snapshot, "/api/products", "/%61pi/jwks.json"] {
                let headers = format!("Host: localhost:{port}\r\nOrigin: {origin}\r\n");
                let (status, body) = with_host(addr, target, &headers);
                assert_eq!((status, body["error"].as_str()), (403, Some("origin_not_allowed")), "{origin}");
            }
        }
        for origin in [
            format!("http://localhost:{port}"),
            format!("http://127.0.0.1:{port}"),
            format!("https://[::1]:{port}"),
            format!("http://demo.localhost:{port}"),
        ] {
            let headers = format!("Host: localhost:{port}\r\nOrigin: {origin}\r\n");
            assert_eq!(with_host(addr, snapshot, &headers).0, 200, "{origin}");
        }
        // Static files are not the API: a page elsewhere may load them (they hold no secret).
        let request = "GET /app.js HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n\r\n";
        assert_eq!(raw(addr, request).0, 200);
    }

    #[test]
    fn connections_past_the_limit_get_503() {
        let (addr, _) = start("limit");
        let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let (status, head, body) = get(addr, "/api/jwks.json");
        assert_eq!(status, 503, "{head}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"], "busy");
        drop(idle);
        // The slots come back as the idle connections close.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = get(addr, "/api/jwks.json").0;
            if status == 200 {
                break;
            }
            assert!(Instant::now() < deadline, "still {status}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn percent_decoding_and_queries() {
        assert_eq!(percent_decode("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%", false), None);
        assert_eq!(percent_decode("%4", false), None);
        let q = parse_query("product=neptune%63rm&user=a+b&flag").unwrap();
        assert_eq!(q.get("product").map(String::as_str), Some("neptunecrm"));
        assert_eq!(q.get("user").map(String::as_str), Some("a b"));
        assert_eq!(q.get("flag").map(String::as_str), Some(""));
    }
}
