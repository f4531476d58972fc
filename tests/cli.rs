//! The `rolegate` command, run as a user runs it: success and failure paths, exit codes, `--json`.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

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
        r#"{"v":1,"k":["page.*","page.admin"],"g":[0],"d":[1],"rt":{"r":[["/admin",1,"logout"]]}}"#,
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
    // Times as ISO dates beside the seconds.
    let exp = v["times"]["exp"].as_str().unwrap();
    assert!(exp.len() == 20 && exp.ends_with('Z') && exp.as_bytes()[10] == b'T', "{exp}");
    // The body readable beside the signed claims: keys by name, members spelt out (issue 21, point 6).
    assert_eq!(v["body"]["allow"], serde_json::json!(["page.*"]));
    assert_eq!(v["body"]["deny"], serde_json::json!(["page.admin"]));
    assert_eq!(
        v["body"]["routes"]["rules"][0],
        serde_json::json!({"path": "/admin", "requires": "page.admin", "on_deny": "logout"})
    );
    let o = rolegate(&["inspect", &token]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("UNVERIFIED"), "inspect is labelled: {}", stdout(&o));
    let o = rolegate(&["--json", "inspect", &token]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verified"], false);
    assert_eq!(v["header"]["kid"], "k1");
    assert_eq!(v["times"]["exp"].as_str(), Some(exp));
    assert_eq!(v["body"]["deny"], serde_json::json!(["page.admin"]));
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
    for cmd in ["keygen", "sign", "verify", "inspect", "explain", "lint", "types", "may"] {
        let o = rolegate(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd}");
        assert!(stdout(&o).contains("Usage: rolegate"), "{cmd}");
    }
    let o = rolegate(&["keygen"]);
    assert_eq!(o.status.code(), Some(1));
}

/// Runs the tool with `input` on stdin.
fn rolegate_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolegate"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mode(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Issue 22, point 9: `keygen` wrote private keys 0644 (as the umask allowed).
#[cfg(unix)]
#[test]
fn keygen_writes_private_keys_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir("keygen-mode");
    let (private, jwks) = keys(&dir);
    assert_eq!(mode(&private), 0o600);
    assert_eq!(mode(&p(&dir, "key.pem")), 0o600);
    assert_eq!(mode(&jwks) & 0o600, 0o600, "the public JWKS keeps the umask's mode");
    // `--force` replaces a world-readable file by a new one, 0600.
    let old = p(&dir, "old.jwk");
    std::fs::write(&old, "old").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = rolegate(&["keygen", "--kid", "k2", "--private", &old, "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&old), 0o600);
    assert!(std::fs::read_to_string(&old).unwrap().contains("\"k2\""));
}

/// Issue 22, point 9: `keygen` checked for an existing file, then wrote through whatever was there
/// (a symlink too), and wrote the private key before refusing to overwrite the JWKS.
#[test]
fn keygen_refuses_to_overwrite_anything_without_force() {
    let dir = tmpdir("keygen-exists");
    let (private, jwks) = (p(&dir, "new.jwk"), p(&dir, "jwks.json"));
    std::fs::write(&jwks, "published").unwrap();
    let o = rolegate(&["keygen", "--kid", "k1", "--private", &private, "--jwks", &jwks]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim(), format!("rolegate: io: `{jwks}` exists; pass --force to overwrite it"));
    assert!(!Path::new(&private).exists(), "nothing is written when one file exists");
    assert_eq!(std::fs::read_to_string(&jwks).unwrap(), "published");
    let v = json_of(&rolegate(&["--json", "keygen", "--kid", "k1", "--private", &private, "--jwks", &jwks]));
    assert_eq!((v["ok"].as_bool(), v["code"].as_str()), (Some(false), Some("io")));
    #[cfg(unix)]
    {
        // A dangling symlink where the key goes: neither followed nor replaced without `--force`.
        let target = p(&dir, "elsewhere.jwk");
        std::os::unix::fs::symlink(&target, &private).unwrap();
        let o = rolegate(&["keygen", "--kid", "k1", "--private", &private]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
        assert!(!Path::new(&target).exists(), "the link was not followed");
        let o = rolegate(&["keygen", "--kid", "k1", "--private", &private, "--force"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!Path::new(&target).exists(), "the link was replaced, not followed");
        assert!(!std::fs::symlink_metadata(&private).unwrap().file_type().is_symlink());
        assert_eq!(mode(&private), 0o600);
    }
}

/// Issue 22, point 9: `verify` trimmed the token, so it accepted what a gate refuses as `malformed`.
#[test]
fn verify_takes_the_token_exactly_as_the_gate_does() {
    let dir = tmpdir("verify-exact");
    let (private, jwks) = keys(&dir);
    let body = r#"{"v":1,"k":["page.*"],"g":[0]}"#;
    let o = rolegate(&["sign", "--key", &private, "--sub", "alice", "--aud", "app", "--body", body]);
    let token = stdout(&o).trim().to_owned();
    let keyring = || rolegate::Keyring::from_jwks(&std::fs::read_to_string(&jwks).unwrap()).unwrap();
    let gate_code = |t: &str| {
        let mut gate = rolegate::Gate::new(rolegate::GateOptions::new(keyring(), "app")).unwrap();
        gate.load(t).err().map(|e| e.code())
    };
    let verify = |arg: &str| rolegate(&["verify", arg, "--jwks", &jwks, "--aud", "app"]);
    let (head, tail) = token.split_at(token.len() / 2);
    let refused = [
        format!(" {token}"),
        format!("{token} "),
        format!("\t{token}"),
        format!("{token}\n"),
        format!("{head} {tail}"),
        format!("{head}\n{tail}"),
    ];
    for bad in &refused {
        assert_eq!(gate_code(bad), Some("malformed"), "the gate refuses {bad:?}");
        let o = verify(bad);
        assert_eq!(o.status.code(), Some(3), "{bad:?}");
        assert!(stderr(&o).starts_with("rolegate: malformed: "), "{bad:?}: {}", stderr(&o));
        let v = json_of(&rolegate(&["--json", "verify", bad, "--jwks", &jwks, "--aud", "app"]));
        assert_eq!(v["code"], "malformed", "{bad:?}");
    }
    assert_eq!(gate_code(&token), None);
    assert_eq!(verify(&token).status.code(), Some(0));
    // From a file or stdin, one trailing line end is dropped, and nothing else.
    let file = p(&dir, "token.txt");
    for (text, code) in [
        (token.clone(), 0),
        (format!("{token}\n"), 0),
        (format!("{token}\r\n"), 0),
        (format!("{token}\n\n"), 3),
        (format!("{token}\r"), 3),
        (format!("{token} \n"), 3),
        (format!(" {token}\n"), 3),
        (format!("{head} {tail}\n"), 3),
    ] {
        std::fs::write(&file, &text).unwrap();
        let o = verify(&format!("@{file}"));
        assert_eq!(o.status.code(), Some(code), "@file {text:?}: {}", stderr(&o));
        let o = rolegate_with_stdin(&["verify", "-", "--jwks", &jwks, "--aud", "app"], &text);
        assert_eq!(o.status.code(), Some(code), "stdin {text:?}: {}", stderr(&o));
        if code == 3 {
            assert!(stderr(&o).starts_with("rolegate: malformed: "), "{}", stderr(&o));
        }
    }
}

const NEPTUNE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/neptunecrm.json");
const NEPTUNE_USERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/neptunecrm.users.json");
const PROPERTY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/property.json");
const PROPERTY_USERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/property.users.json");

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn sign_from_a_policy_and_a_user_record() {
    let dir = tmpdir("policy-sign");
    let (private, jwks) = keys(&dir);
    let user = p(&dir, "user.json");
    std::fs::write(&user, r#"{"id": "u-9", "roles": ["consultant"], "tenant": "org-1"}"#).unwrap();
    let sign = |extra: &[&str]| {
        let mut args = vec!["sign", "--key", &private, "--aud", "app", "--policy", NEPTUNE, "--rev", "3"];
        args.extend_from_slice(extra);
        rolegate(&args)
    };
    for (who, sub) in [
        (vec!["--user", user.as_str()], "u-9"),
        (vec!["--users", NEPTUNE_USERS, "--user-id", "admin"], "u-admin"),
        (vec!["--users", NEPTUNE_USERS, "--user-id", "u-cons"], "u-cons"),
        (vec!["--user", r#"{"id": "inline", "roles": ["admin"], "tenant": "org-1"}"#], "inline"),
    ] {
        let o = sign(&[&who[..], &["--iss", "https://auth.test", "--kid", "k1"]].concat());
        assert_eq!(o.status.code(), Some(0), "{who:?}: {}", stderr(&o));
        let token = stdout(&o).trim().to_owned();
        let o = rolegate(&[
            "--json",
            "verify",
            &token,
            "--jwks",
            &jwks,
            "--aud",
            "app",
            "--iss",
            "https://auth.test",
        ]);
        let v = json_of(&o);
        assert_eq!((v["claims"]["sub"].as_str(), v["claims"]["rev"].as_u64()), (Some(sub), Some(3)));
        assert_eq!(v["claims"]["tid"], "org-1", "the tenant is the user record's");
        assert!(v["claims"]["rg"]["k"].is_array(), "a compiled body");
    }
    let o =
        rolegate(&["--json", "sign", "--key", &private, "--aud", "a", "--policy", NEPTUNE, "--user", &user]);
    assert_eq!(json_of(&o)["ok"], true);
}

#[test]
fn sign_refuses_bad_modes_users_and_policies() {
    let dir = tmpdir("policy-sign-bad");
    let (private, _) = keys(&dir);
    let base = ["sign", "--key", private.as_str(), "--aud", "app"];
    let run = |extra: &[&str]| rolegate(&[&base[..], extra].concat());
    // Exactly one mode.
    assert_eq!(
        run(&["--policy", NEPTUNE, "--users", NEPTUNE_USERS, "--user-id", "admin", "--body", "{}"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(run(&["--policy", NEPTUNE, "--user-id", "admin", "--sub", "x"]).status.code(), Some(1));
    assert_eq!(run(&["--user", "u.json"]).status.code(), Some(1), "--user needs --policy");
    assert_eq!(run(&[]).status.code(), Some(1), "no mode");
    let o = run(&["--policy", NEPTUNE]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("rolegate: usage:"), "{}", stderr(&o));
    // A user id that is not in the file, with a suggestion.
    let o = run(&["--policy", NEPTUNE, "--users", NEPTUNE_USERS, "--user-id", "consultnt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown_user: no user `consultnt`")
            && stderr(&o).contains("did you mean `consultant`?")
    );
    // A user the policy refuses: exit 3 with the code and the pointer.
    let o = run(&["--json", "--policy", NEPTUNE, "--user", r#"{"id": "x", "roles": ["enginer"]}"#]);
    assert_eq!(o.status.code(), Some(3));
    let v = json_of(&o);
    assert_eq!((v["code"].as_str(), v["pointer"].as_str()), (Some("unknown_role"), Some("/roles/0")));
    let o = run(&["--policy", NEPTUNE, "--user", r#"{"id": "x", "rolez": []}"#]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("rolegate: bad_user:"), "{}", stderr(&o));
    // A policy that does not lint.
    let bad = p(&dir, "bad.json");
    std::fs::write(&bad, r#"{"product": "x", "keys": ["a"], "roles": {"r": {"allow": ["b"]}}}"#).unwrap();
    let o = run(&["--policy", &bad, "--user", r#"{"id": "x", "roles": ["r"]}"#]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o)
            .contains("rolegate: unknown_key: unknown key `b`; did you mean `a`? (at `/roles/r/allow/0`)"),
        "{}",
        stderr(&o)
    );
    // Missing files, a wrong kid.
    let o = run(&["--policy", "/nonexistent.json", "--user", "{}"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("rolegate: io:"));
    let o = run(&["--kid", "k2", "--sub", "a", "--body", "{}"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the key's kid is `k1`, not `k2`"));
}

fn may(args: &[&str]) -> Output {
    let mut all = vec!["may", "--policy", NEPTUNE, "--users", NEPTUNE_USERS];
    all.extend_from_slice(args);
    rolegate(&all)
}

#[test]
fn may_answers_administration_questions_with_exit_0_2_or_3() {
    let cases: [(&[&str], i32, &str); 7] = [
        (
            &["--user-id", "admin", "--set", "canViewCosts", "--target", "consultant", "--value", "false"],
            0,
            "allow: settable",
        ),
        (
            &["--user-id", "admin", "--set", "canViewCosts", "--target", "coordinator", "--value", "true"],
            2,
            "deny: setting_forced",
        ),
        (
            &["--user-id", "admin", "--set", "commission", "--target", "u-contr", "--value", "5"],
            2,
            "deny: setting_not_applicable",
        ),
        (
            &["--user-id", "consultant", "--assign", "admin", "--target", "consultant"],
            2,
            "deny: not_authorised",
        ),
        (
            &[
                "--user-id",
                "admin",
                "--assign",
                "consultant",
                "--target",
                r#"{"id": "n", "roles": [], "tenant": "org-1"}"#,
            ],
            0,
            "allow: assignable",
        ),
        (&["--user-id", "admin", "--edit", "consultant"], 2, "deny: no_authority"),
        (&["--user-id", "admin", "--delete", "nobody"], 2, "deny: unknown_role"),
    ];
    for (args, exit, start) in cases {
        let o = may(args);
        assert_eq!(o.status.code(), Some(exit), "{args:?}: {}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).starts_with(start), "{args:?}: {}", stdout(&o));
    }
    let o = may(&[
        "--user-id",
        "admin",
        "--set",
        "colour",
        "--target",
        "consultant",
        "--value",
        "\"#fff\"",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((v["code"].as_str(), v["ok"].as_bool()), (Some("unknown_name"), Some(false)));
    let o = may(&["--user-id", "admin", "--set", "color", "--target", "consultant", "--value", "red"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not JSON"), "{}", stderr(&o));
    let o = may(&["--user-id", "admin", "--set", "color", "--value", "\"red\""]);
    assert_eq!(o.status.code(), Some(1), "--set needs --target");
    // A Director edits the Finance role into `draft`.
    let edit = |draft: &str, json: bool| {
        let mut args = vec![
            "may",
            "--policy",
            PROPERTY,
            "--users",
            PROPERTY_USERS,
            "--user-id",
            "director",
            "--edit",
            "finance",
        ];
        args.extend(["--draft", draft]);
        if json {
            args.push("--json");
        }
        rolegate(&args)
    };
    let o = edit(
        r#"{"level": 30, "inherits": ["maintenance_coordinator"], "allow": ["api.sysops.web_push.test"]}"#,
        true,
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["rule"].as_str()),
        (Some("exceeds_own_access"), Some("api.sysops.web_push.test"))
    );
    let o = edit(r#"{"level": 30, "allow": [7]}"#, false);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("bad_policy"), "{}", stderr(&o));
}

fn explain(args: &[&str]) -> Output {
    let mut all = vec!["explain", "--policy", NEPTUNE, "--users", NEPTUNE_USERS, "--platform", "web"];
    all.extend_from_slice(args);
    rolegate(&all)
}

#[test]
fn explain_answers_every_kind_of_question_with_exit_0_or_2() {
    let cases: [(&[&str], i32, &str); 9] = [
        (&["--user-id", "admin", "--key", "page.admin.view"], 0, "granted"),
        (&["--user-id", "consultant", "--key", "page.admin.view"], 2, "explicit_deny"),
        (&["--user-id", "consultant", "--route", "/admin/users"], 2, "explicit_deny"),
        (&["--user-id", "admin", "--menu", "admin"], 0, "granted"),
        (&["--user-id", "consultant_nocosts", "--field", "proposal.cost"], 2, "setting_off"),
        (&["--user-id", "admin", "--field", "proposal.cost"], 0, "granted"),
        (
            &[
                "--user-id",
                "consultant",
                "--see",
                "job",
                "--record",
                r#"{"organisationId": "org-1", "jobManagerId": "u-x"}"#,
            ],
            2,
            "out_of_scope",
        ),
        (
            &[
                "--user-id",
                "consultant",
                "--key",
                "data.job.view",
                "--record",
                r#"{"organisationId": "org-2"}"#,
            ],
            2,
            "tenant_mismatch",
        ),
        (&["--user-id", "inactive_admin", "--key", "page.jobs.view"], 2, "inactive"),
    ];
    for (args, exit, code) in cases {
        let o = explain(args);
        assert_eq!(o.status.code(), Some(exit), "{args:?}: {}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).starts_with(&format!("{}: {code} (step `", if exit == 0 { "allow" } else { "deny" })),
            "{args:?}: {}",
            stdout(&o)
        );
        let v = json_of(&explain(&[&["--json"][..], args].concat()));
        assert_eq!((v["allow"].as_bool(), v["code"].as_str()), (Some(exit == 0), Some(code)), "{args:?}");
        for field in ["step", "rule", "message"] {
            assert!(v.get(field).is_some(), "{args:?}: no `{field}` in {v}");
        }
    }
    let v = json_of(&explain(&["--json", "--user-id", "consultant", "--route", "/admin/users"]));
    assert_eq!(
        (v["redirect"].as_str(), v["step"].as_str(), v["rule"].as_str()),
        (Some("home"), Some("deny"), Some("page.admin.*"))
    );
}

#[test]
fn explain_from_a_verified_token() {
    let dir = tmpdir("explain-token");
    let (private, jwks) = keys(&dir);
    let o = rolegate(&[
        "sign",
        "--key",
        &private,
        "--aud",
        "app",
        "--policy",
        NEPTUNE,
        "--users",
        NEPTUNE_USERS,
        "--user-id",
        "consultant",
    ]);
    let token = stdout(&o).trim().to_owned();
    let file = p(&dir, "token.jwt");
    std::fs::write(&file, &token).unwrap();
    let at = format!("@{file}");
    let o = rolegate(&[
        "explain",
        "--token",
        &at,
        "--jwks",
        &jwks,
        "--aud",
        "app",
        "--platform",
        "web",
        "--menu",
        "proposals",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = rolegate(&[
        "--json",
        "explain",
        "--token",
        &token,
        "--jwks",
        &jwks,
        "--aud",
        "app",
        "--key",
        "page.admin.view",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json_of(&o)["code"], "explicit_deny");
    // Refused tokens exit 3 with the error code.
    let o = rolegate(&["explain", "--token", &token, "--jwks", &jwks, "--aud", "other", "--key", "a"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("rolegate: wrong_audience:"));
    let o = rolegate(&[
        "explain", "--token", &token, "--jwks", &jwks, "--aud", "app", "--now", "1", "--key", "a",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("not_yet_valid"), "{}", stderr(&o));
}

#[test]
fn explain_usage_errors_exit_1() {
    for args in [
        &["--user-id", "admin"][..],                                  // no question
        &["--user-id", "admin", "--key", "a", "--menu", "b"],         // two questions
        &["--user-id", "admin", "--see", "job"],                      // --see needs --record
        &["--user-id", "admin", "--field", "nodot"],                  // RESOURCE.FIELD
        &["--user-id", "admin", "--key", "a", "--record", "{nope"],   // bad record JSON
        &["--user-id", "admin", "--key", "a", "--record", "[1]"],     // not an object
        &["--user-id", "admin", "--menu", "admin", "--record", "{}"], // record with a menu
        &["--user-id", "admin", "--key", "a", "--token", "t", "--jwks", "j", "--aud", "a"], // two sources
    ] {
        let o = explain(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}: an error on stderr");
    }
    let o = rolegate(&["explain", "--key", "a"]);
    assert_eq!(o.status.code(), Some(1), "no source");
    let o = explain(&["--json", "--user-id", "admin", "--field", "nodot"]);
    assert_eq!(json_of(&o)["code"], "usage");
}

#[test]
fn lint_lists_every_problem_with_its_pointer() {
    let dir = tmpdir("lint");
    let o = rolegate(&["lint", NEPTUNE]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json_of(&rolegate(&["--json", "lint", NEPTUNE])), serde_json::json!([]));
    let bad = p(&dir, "bad.json");
    std::fs::write(
        &bad,
        r#"{"product": "x", "keys": ["page.jobs.view"], "custom_roles": true,
            "roles": {"a": {"allow": ["page.job.view"], "inherits": ["b"]}, "b": {"inherits": ["a"]}}}"#,
    )
    .unwrap();
    let o = rolegate(&["lint", &bad]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stdout(&o).contains(
            "/roles/a/allow/0: unknown_key: unknown key `page.job.view`; did you mean `page.jobs.view`?"
        ),
        "{}",
        stdout(&o)
    );
    let v = json_of(&rolegate(&["--json", "lint", &bad]));
    let found: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap(), p["pointer"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("unknown_key", "/roles/a/allow/0")), "{found:?}");
    assert!(found.iter().any(|(c, _)| *c == "inheritance_cycle"), "{found:?}");
    assert!(v[0]["message"].is_string());
    // Custom roles: their problems point at `/roles/<id>`.
    let roles = p(&dir, "roles.json");
    std::fs::write(&roles, r#"{"a": {}, "mine": {"deny": ["nope"]}}"#).unwrap();
    let v = json_of(&rolegate(&["--json", "lint", &bad, "--roles", &roles]));
    let pointers: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["pointer"].as_str().unwrap()).collect();
    assert!(pointers.contains(&"/roles/a") && pointers.contains(&"/roles/mine/deny/0"), "{pointers:?}");
    // Not a policy at all; unreadable files.
    std::fs::write(&bad, "{").unwrap();
    let v = json_of(&rolegate(&["--json", "lint", &bad]));
    assert_eq!((v[0]["code"].as_str(), v[0]["pointer"].as_str()), (Some("bad_policy"), Some("")));
    assert_eq!(rolegate(&["lint", "/nonexistent.json"]).status.code(), Some(1));
    assert_eq!(rolegate(&["lint", NEPTUNE, "--roles", "/nonexistent.json"]).status.code(), Some(1));
}

#[test]
fn types_write_a_typescript_union_of_the_keys() {
    let dir = tmpdir("types");
    let o = rolegate(&["types", NEPTUNE]);
    assert_eq!(o.status.code(), Some(0));
    let ts = stdout(&o);
    assert!(ts.contains("export type PermissionKey =\n  | 'admin.organisation.manage'\n"), "{ts}");
    assert!(ts.contains("  | 'page.jobs.view'\n"));
    for name in ["RoutePattern", "MenuId", "RoleId", "FeatureName", "SettingName", "ResourceName"] {
        assert!(ts.contains(&format!("export type {name} =")), "{name}");
    }
    assert!(ts.contains("export interface ResourceFields {\n") && ts.contains("\n  'proposal':"), "{ts}");
    assert_eq!(ts.matches("export ").count(), 8);
    let out = p(&dir, "permissions.d.ts");
    let o = rolegate(&["types", NEPTUNE, "--out", &out]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), ts, "the same file");
    let v = json_of(&rolegate(&["--json", "types", NEPTUNE]));
    assert_eq!(v["product"], "neptunecrm");
    assert!(v["keys"].as_array().unwrap().contains(&"page.jobs.view".into()));
    assert_eq!(v["typescript"].as_str(), Some(ts.as_str()));
    let bad = p(&dir, "bad.json");
    std::fs::write(&bad, r#"{"product": "x", "keys": [], "roles": {"r": {"allow": ["b"]}}}"#).unwrap();
    let o = rolegate(&["types", &bad]);
    assert_eq!(o.status.code(), Some(3), "a policy that does not lint");
    assert!(stderr(&o).contains("rolegate: unknown_key:"));
    assert_eq!(rolegate(&["types", "/nonexistent.json"]).status.code(), Some(1));
    assert_eq!(rolegate(&["types", NEPTUNE, "--out", "/nonexistent/dir/x.d.ts"]).status.code(), Some(1));
}
