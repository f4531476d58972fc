//! The `rolegate` command, run as a user runs it: success and failure paths, exit codes, `--json`.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code: a panic is a failed test")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rolegate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolegate")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rolegate-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn p(dir: &Path, f: &str) -> String {
    dir.join(f).to_string_lossy().into_owned()
}

/// keygen → sign → verify → inspect, with the files a back end would keep.
fn keys(dir: &Path) -> (String, String) {
    let (private, jwks) = (p(dir, "key.jwk"), p(dir, "jwks.json"));
    let o = rolegate(&[
        "keygen",
        "--kid",
        "k1",
        "--private",
        &private,
        "--jwks",
        &jwks,
        "--pem",
        &p(dir, "key.pem"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (private, jwks)
}

#[test]
fn keygen_sign_verify_inspect_round_trip() {
    let dir = tmpdir("round");
    let (private, jwks) = keys(&dir);
    assert!(std::fs::read_to_string(p(&dir, "key.pem")).unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
    let o = rolegate(&[
        "sign",
        "--key",
        &private,
        "--sub",
        "alice",
        "--aud",
        "app",
        "--tid",
        "acme",
        "--rev",
        "4",
        "--body",
        r#"{"v":1,"k":["page.*"],"g":[0]}"#,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let token = stdout(&o).trim().to_owned();
    let o = rolegate(&["verify", &token, "--jwks", &jwks, "--aud", "app"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["verified"].as_bool(), v["claims"]["sub"].as_str(), v["claims"]["rev"].as_u64()),
        (Some(true), Some("alice"), Some(4))
    );
    assert_eq!(v["claims"]["tid"], "acme");
    let o = rolegate(&["inspect", &token]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("UNVERIFIED"), "inspect is labelled: {}", stdout(&o));
    let o = rolegate(&["--json", "inspect", &token]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verified"], false);
    assert_eq!(v["header"]["kid"], "k1");
}

#[test]
fn verify_refusals_exit_3_with_the_error_code() {
    let dir = tmpdir("refuse");
    let (private, jwks) = keys(&dir);
    let sign = |extra: &[&str]| {
        let mut args = vec!["sign", "--key", &private, "--sub", "alice", "--aud", "app", "--body", "{}"];
        args.extend_from_slice(extra);
        stdout(&rolegate(&args)).trim().to_owned()
    };
    let good = sign(&["--now", "1700000000", "--ttl", "60"]);
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["verify", &good, "--jwks", &jwks, "--aud", "app"], "expired"),
        (vec!["verify", &good, "--jwks", &jwks, "--aud", "other", "--now", "1700000000"], "wrong_audience"),
        (
            vec!["verify", &good, "--jwks", &jwks, "--aud", "app", "--iss", "x", "--now", "1700000000"],
            "wrong_issuer",
        ),
        (vec!["verify", "x.y", "--jwks", &jwks, "--aud", "app"], "malformed"),
    ];
    for (args, code) in cases {
        let o = rolegate(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert!(stderr(&o).contains(&format!("rolegate: {code}: ")), "{}", stderr(&o));
        let mut json = vec!["--json"];
        json.extend(args);
        let v: serde_json::Value = serde_json::from_str(&stdout(&rolegate(&json))).unwrap();
        assert_eq!((v["ok"].as_bool(), v["code"].as_str()), (Some(false), Some(code)));
    }
}

#[test]
fn usage_and_file_errors_exit_1() {
    let dir = tmpdir("usage");
    let (private, _) = keys(&dir);
    assert_eq!(rolegate(&["nonsense"]).status.code(), Some(1));
    assert_eq!(rolegate(&["verify", "t"]).status.code(), Some(1), "missing --jwks and --aud");
    let o = rolegate(&["verify", "t", "--jwks", "/nonexistent/jwks.json", "--aud", "a"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("rolegate: io: cannot read `/nonexistent/jwks.json`"));
    let o = rolegate(&["keygen", "--kid", "k1", "--private", &private]);
    assert_eq!(o.status.code(), Some(1), "refuses to overwrite without --force");
    assert!(stderr(&o).contains("--force"));
    let o = rolegate(&["sign", "--key", &private, "--sub", "a", "--aud", "b", "--body", "{nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad_body"));
    let o = rolegate(&["inspect", "@/nonexistent"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn help_exists_for_every_command() {
    for cmd in ["keygen", "sign", "verify", "inspect"] {
        let o = rolegate(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd}");
        assert!(stdout(&o).contains("Usage: rolegate"), "{cmd}");
    }
    let o = rolegate(&["keygen"]);
    assert_eq!(o.status.code(), Some(1));
}
