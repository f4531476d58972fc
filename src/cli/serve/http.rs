//! The HTTP plumbing of `rolegate serve`: reading a request head, checking that its `Host` and
//! `Origin` name this server, decoding paths and queries, writing a response, and static files. It
//! knows nothing of policies or keys.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, TcpStream};
use std::path::{Component, Path};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The longest request head read (request line and headers).
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a connection is drained after its response, before it is closed.
const LINGER: Duration = Duration::from_millis(500);

/// The request line and the headers the server looks at.
pub(super) struct Request {
    pub(super) method: String,
    pub(super) target: String,
    /// The `Host` header, if any.
    pub(super) host: Option<String>,
    /// The `Origin` header, if any.
    pub(super) origin: Option<String>,
}

/// The request line and the `Host` and `Origin` headers (a repeated one is a bad request); other
/// headers are read and ignored.
pub(super) fn read_head(stream: &mut TcpStream) -> Result<Request, Response> {
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

/// Refuses a request whose `Host` is missing or does not name this server ([`is_local_host`]).
pub(super) fn check_host(bound: IpAddr, host: Option<&str>) -> Result<(), Response> {
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
pub(super) fn is_local_host(host: &str, bound: IpAddr) -> bool {
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
pub(super) fn is_local_origin(origin: &str, bound: IpAddr) -> bool {
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|a| !a.contains(['/', '@', '?', '#']) && is_local_host(a, bound))
}

/// Decodes `%XX` escapes (and `+` as a space in queries); `None` if invalid or not UTF-8.
pub(super) fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
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

/// The `key=value` pairs of a query (a key alone has the value `""`), decoded; `None` if one is invalid.
pub(super) fn parse_query(query: &str) -> Option<BTreeMap<String, String>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

/// An HTTP response.
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub(super) fn json(status: u16, value: &Value) -> Response {
        Response { status, content_type: "application/json", body: format!("{value}\n").into_bytes() }
    }

    /// A JSON error: `{ error: code, message }`.
    pub(super) fn error(status: u16, code: &str, message: &str) -> Response {
        Response::json(status, &json!({ "error": code, "message": message }))
    }

    /// The reason phrase of the status line.
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

/// Writes `response` (without its body if `head_only`) and closes the connection.
pub(super) fn send(stream: &mut TcpStream, head_only: bool, response: &Response) {
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

/// A file under `root`, or 404. Only plain path segments are followed (no `..`, `.`, empty or
/// backslash segments, and none starting with `.`: no dotfile such as `.dev/signing-key.json`), and the
/// resolved file must still be inside `root` with no name starting with `.` on the way (no symlink
/// escape, no link to a dotfile).
pub(super) fn static_file(root: &Path, path: &str) -> Response {
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

/// Whether `real` is inside `root` and no name after `root` starts with `.`.
fn inside_without_dotfiles(real: &Path, root: &Path) -> bool {
    real.strip_prefix(root)
        .is_ok_and(|rest| rest.components().all(|c| c.as_os_str().as_encoded_bytes().first() != Some(&b'.')))
}
