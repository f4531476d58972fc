//! The crate's layers and the directions their dependencies may point (docs/architecture.md): a test
//! that reads every `crate::…` path in `src/` (comments aside) and fails on one a layer may not use,
//! and on a cycle between the files of one layer. Run with `cargo test --test layers`.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test over the source tree: a file it cannot read should fail it"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The shared ground every layer may use: errors, the JSON reader, limits, texts, the clock, and the
/// vocabulary both sides of the wire speak (record scopes, route path patterns).
const BASE: &[&str] = &["clock", "error", "json", "limits", "text", "scope", "pattern"];

/// Each layer and the layers it may use besides BASE, inside out.
const ALLOWED: &[(&str, &[&str])] = &[
    ("envelope", &[]),
    ("policy", &[]),
    ("eval", &[]),
    ("surfaces", &["eval"]),
    ("revocation", &["envelope"]),
    ("gate", &["envelope", "eval", "surfaces", "revocation"]),
    ("compile", &["policy", "eval"]),
    ("issue", &["envelope", "policy", "compile", "eval", "surfaces"]),
];

/// The outer edges: the command-line tool, the bindings and the binary may use every layer.
const OUTER: &[&str] = &["cli", "wasm", "bin", "lib"];

/// What the crate root re-exports, by the layer each name comes from.
const ROOT_NAMES: &[(&str, &str)] = &[
    ("Clock", "clock"),
    ("Claims", "envelope"),
    ("Keyring", "envelope"),
    ("unverified", "envelope"),
    ("Error", "error"),
    ("Issue", "error"),
    ("Malformed", "error"),
    ("Problem", "error"),
    ("Decision", "eval"),
    ("Grants", "eval"),
    ("Reason", "eval"),
    ("Gate", "gate"),
    ("GateOptions", "gate"),
    ("Status", "gate"),
    ("Revocation", "revocation"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments; the crate has no block
/// comments outside strings).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `src/eval/body.rs` → ("eval", "eval::body"); `src/json.rs` → ("json", "json"); `src/lib.rs` → ("lib", "lib").
fn module_of(src: &Path, file: &Path) -> (String, String) {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut path: Vec<&str> = parts.iter().map(String::as_str).collect();
    if path.last() == Some(&"mod") {
        path.pop();
    }
    (path[0].to_string(), path.join("::"))
}

/// The layer each `crate::x` path of `code` names, with the path's first two segments.
fn uses(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::` in a macro, or part of a longer name
        }
        let segs: Vec<&str> = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or("")
            .split("::")
            .filter(|s| !s.is_empty())
            .collect();
        let Some(first) = segs.first() else {
            // `crate::{a::x, b::y}`: each member of the group.
            let group = rest.strip_prefix('{').and_then(|g| g.split('}').next()).unwrap_or("");
            for member in group.split(',').map(str::trim).filter(|m| !m.is_empty()) {
                let name = member.split("::").next().unwrap_or(member);
                out.push((layer_of(name), member.to_string()));
            }
            continue;
        };
        out.push((layer_of(first), segs.iter().take(2).copied().collect::<Vec<_>>().join("::")));
    }
    out
}

fn layer_of(first: &str) -> String {
    ROOT_NAMES.iter().find(|(n, _)| *n == first).map_or(first, |(_, l)| l).to_string()
}

#[test]
fn dependencies_point_inward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for file in &files {
        let (layer, _) = module_of(&src, file);
        if OUTER.contains(&layer.as_str()) {
            continue;
        }
        let may: Vec<&str> = match allowed.get(layer.as_str()) {
            Some(m) => m.to_vec(),
            None if BASE.contains(&layer.as_str()) => BASE.to_vec(),
            None => panic!("{}: layer `{layer}` is in no table of tests/layers.rs", file.display()),
        };
        for (used, path) in uses(&code(&fs::read_to_string(file).unwrap())) {
            if used != layer && !BASE.contains(&used.as_str()) && !may.contains(&used.as_str()) {
                wrong.push(format!("{}: `{layer}` uses `crate::{path}` (layer `{used}`)", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies that point the wrong way:\n{}", wrong.join("\n"));
}

#[test]
fn no_cycle_between_the_files_of_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // file module → the sibling modules it names through `super::x` or `crate::layer::x`.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f).1).collect();
    for file in &files {
        let (layer, module) = module_of(&src, file);
        let text = code(&fs::read_to_string(file).unwrap());
        let body = text.split("#[cfg(test)]").next().unwrap_or(""); // unit tests may use anything
        let parent = module.rsplit_once("::").map_or(layer.as_str(), |(p, _)| p).to_string();
        let mut named = BTreeSet::new();
        for (prefix, base) in [("super::", parent.clone()), (&*format!("crate::{layer}::"), layer.clone())] {
            for piece in body.split(prefix).skip(1) {
                let name: String = piece.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let target = format!("{base}::{name}");
                if modules.contains(&target) && target != module {
                    named.insert(target);
                }
            }
        }
        edges.insert(module, named);
    }
    let cycle = edges.keys().find_map(|start| cycle_from(&edges, start, &mut vec![start.clone()]));
    assert!(cycle.is_none(), "a module cycle: {}", cycle.unwrap_or_default().join(" → "));
}

/// A path from the last module of `path` back to its first, if there is one (depth first).
fn cycle_from(
    edges: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let last = path.last()?.clone();
    for next in edges.get(&last).into_iter().flatten() {
        if next == start {
            return Some([path.as_slice(), std::slice::from_ref(next)].concat());
        }
        if !path.contains(next) && next.as_str() > start {
            path.push(next.clone());
            if let Some(c) = cycle_from(edges, start, path) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn the_checks_find_what_they_look_for() {
    let graph = |pairs: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    let g = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]);
    assert_eq!(cycle_from(&g, "a", &mut vec!["a".into()]).unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(cycle_from(&graph(&[("a", "b"), ("b", "c")]), "a", &mut vec!["a".into()]), None);
    let found = uses(&code("use crate::eval::Scope; // crate::gate::Gate\nlet c = crate::Claims::new();\nuse crate::{policy::User, json};"));
    let layers: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(layers, ["eval", "envelope", "policy", "json"]);
}
