//! `scripts/setup.sh` names what it cannot install itself (Rust, Node.js ≥ 20.19 with npm) and how to
//! get it, before doing anything (issue 21: the README's set-up assumed both were there).
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "test fixtures: a failure should fail the test")]

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

/// Runs setup.sh with a PATH holding only the shell tools it needs and `extra` (name, script).
fn setup_with(extra: &[(&str, &str)]) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("rolegate-setup-{}-{}", std::process::id(), extra.len()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for tool in ["bash", "dirname", "cat", "printf"] {
        let found = ["/usr/bin", "/bin"].iter().map(|d| Path::new(d).join(tool)).find(|p| p.exists());
        if let Some(found) = found {
            symlink(found, dir.join(tool)).unwrap();
        }
    }
    for (name, script) in extra {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let out = Command::new(dir.join("bash"))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/setup.sh"))
        .env_clear()
        .env("PATH", &dir)
        .env("HOME", &dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn missing_rust_and_node_are_named_with_what_to_install() {
    let (code, err) = setup_with(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing prerequisites"), "{err}");
    assert!(err.contains("https://sh.rustup.rs"), "{err}");
    assert!(err.contains("Node.js 20.19 or newer") && err.contains("found: none"), "{err}");
}

#[test]
fn an_old_node_is_named_with_its_version() {
    let node = r#"if [ "$1" = "--version" ]; then echo v18.19.0; else echo false; fi"#;
    let (code, err) =
        setup_with(&[("node", node), ("npm", "exit 0"), ("rustup", "exit 0"), ("cargo", "exit 0")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("found: v18.19.0"), "{err}");
    assert!(!err.contains("rustup.rs"), "Rust is there: {err}");
}
