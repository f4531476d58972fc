//! Tests of `rolegate serve`: requests over real connections to a server on a free port, and the
//! HTTP helpers.

use std::io::Read;
use std::time::Instant;

use serde_json::{json, Value};

use super::http::is_local_host;
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
fn users_lists_the_sample_users_a_dropdown_shows() {
    let (addr, _) = start("users");
    let (status, body) = get_json(addr, "/api/users?product=neptunecrm&setting=canAssignCustomers");
    assert_eq!(status, 200);
    let ids: Vec<&str> = body["users"].as_array().unwrap().iter().filter_map(|u| u["id"].as_str()).collect();
    assert_eq!(ids, ["u-admin", "u-cons", "u-cons2", "u-coord"], "no Contractor, no inactive user");
    assert_eq!(body["users"][0]["label"], "Alice Admin");
    let (_, body) = get_json(addr, "/api/users?product=neptunecrm&setting=canAssignCustomers&value=false");
    assert_eq!(body["users"][0]["id"], "u-contr");
    let (_, body) = get_json(addr, "/api/users?product=neptunecrm&role=consultant");
    assert_eq!(body["users"].as_array().unwrap().len(), 2);
    let (status, body) = get_json(addr, "/api/users?product=neptunecrm&setting=canAssignCustomer");
    assert_eq!((status, body["error"].as_str()), (400, Some("unknown_name")));
    assert_eq!(get_json(addr, "/api/users?product=neptunecrm").0, 400);
    assert_eq!(get_json(addr, "/api/users?product=neptunecrm&setting=color&value=red").0, 400);
    assert_eq!(get_json(addr, "/api/users?product=nope&role=x").0, 404);
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
    let contractor = neptune["users"].as_array().unwrap().iter().find(|u| u["name"] == "contractor").unwrap();
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
            assert_eq!((status, body["error"].as_str()), (403, Some("host_not_allowed")), "{host} {target}");
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
