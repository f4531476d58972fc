//! Shared fixtures for the integration tests: fixed keys, a fixed clock, a test-only JWS signer that
//! signs arbitrary header and payload bytes, and the runner of the bad-input corpus
//! (`tests/bad-inputs/*.json`).
//!
//! Everything here takes file contents as `&str` (the tests load them with `include_str!`) and uses
//! no file system or OS randomness, so the same runner can be compiled for wasm.
#![allow(dead_code, reason = "each test crate uses a different subset of the helpers")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use ed25519_dalek::Signer;
use std::sync::OnceLock;

use rolegate::issue::SigningKey;
use rolegate::{Claims, Clock, Gate, GateOptions, Keyring};
use serde_json::{json, Map, Value};

/// The time every fixed-clock gate in the tests reads: 2023-11-14T22:13:20Z.
pub const NOW: f64 = 1_700_000_000.0;
/// The audience of the test gates.
pub const AUD: &str = "app";
/// The issuer the test gates require.
pub const ISS: &str = "https://issuer.example";

/// The fixed seeds of the test keys. `k3` is never in the JWKS; `k1-impostor` uses kid `k1` with
/// another secret.
pub const SEED_K1: [u8; 32] = [1; 32];
pub const SEED_K2: [u8; 32] = [2; 32];
pub const SEED_K3: [u8; 32] = [3; 32];
pub const SEED_IMPOSTOR: [u8; 32] = [9; 32];

/// The canonical encoding of the small-order point "identity" (y = 1): a weak Ed25519 key.
pub const WEAK_X: &str = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
/// 32 bytes that do not decode to a point on the curve (y = 2 has no matching x).
pub const NOT_ON_CURVE_X: &str = "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const B64: GeneralPurpose =
    GeneralPurpose::new(&URL_SAFE, GeneralPurposeConfig::new().with_encode_padding(false));

/// Unpadded base64url.
pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn k1() -> SigningKey {
    SigningKey::from_seed("k1", SEED_K1)
}

pub fn k2() -> SigningKey {
    SigningKey::from_seed("k2", SEED_K2)
}

pub fn k3() -> SigningKey {
    SigningKey::from_seed("k3", SEED_K3)
}

/// The public `x` of a seed, base64url.
pub fn x_of(seed: [u8; 32]) -> String {
    b64(ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().as_bytes())
}

/// The JWKS trusted by the test gates: `k1` and `k2`.
pub fn jwks() -> String {
    SigningKey::jwks(&[&k1(), &k2()])
}

/// The keyring of [`jwks`], parsed once (decompressing points is slow in debug builds).
pub fn keyring() -> Keyring {
    static RING: OnceLock<Keyring> = OnceLock::new();
    RING.get_or_init(|| Keyring::from_jwks(&jwks()).unwrap()).clone()
}

/// Options for a gate trusting `k1` and `k2`, audience `app`, issuer [`ISS`], clock fixed at `now`.
pub fn options_at(now: f64) -> GateOptions {
    let mut o = GateOptions::new(keyring(), AUD);
    o.issuer = Some(ISS.to_owned());
    o.clock = Clock::fixed(now);
    o
}

pub fn gate_at(now: f64) -> Gate {
    Gate::new(options_at(now)).unwrap()
}

pub fn gate() -> Gate {
    gate_at(NOW)
}

/// Valid claims for `sub` at revision `rev`, issued at [`NOW`], expiring ten minutes later.
pub fn claims(sub: &str, rev: u64, allow: &[&str]) -> Claims {
    let mut c =
        Claims::new(sub, AUD, NOW, NOW + 600.0, rev, rolegate::eval::Body::from_keys(allow, &[]).to_value());
    c.iss = Some(ISS.to_owned());
    c.tenant = Some("acme".to_owned());
    c
}

/// A token for `sub` at `rev` signed with `k1`.
pub fn token(sub: &str, rev: u64, allow: &[&str]) -> String {
    k1().sign(&claims(sub, rev, allow)).unwrap()
}

/// The "good snapshot" every negative test loads first: alice, rev 5.
pub fn good_token() -> String {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| token("alice", 5, &["page.jobs.view", "page.home"])).clone()
}

/// A gate with [`good_token`] in force.
pub fn loaded_gate() -> Gate {
    let mut g = gate();
    g.load(&good_token()).unwrap();
    g
}

/// What a gate answers, to compare before and after a failed load.
pub fn answers(g: &Gate) -> (bool, bool, bool, Option<String>, Option<u64>) {
    let s = g.status();
    (g.can("page.jobs.view"), g.can("page.home"), g.can("page.admin"), s.subject, s.rev)
}

/// The answers of [`loaded_gate`].
pub fn good_answers() -> (bool, bool, bool, Option<String>, Option<u64>) {
    (true, true, false, Some("alice".to_owned()), Some(5))
}

// ---------------------------------------------------------------------------------------------
// Test-only JWS signer: signs the exact segment text it is given, whatever it contains.
// ---------------------------------------------------------------------------------------------

/// Signs `header_b64 + "." + payload_b64` with the Ed25519 key of `seed`; returns the whole token.
/// The segments are used verbatim (they may be non-canonical base64url or not base64 at all).
pub fn sign_segments(seed: [u8; 32], header_b64: &str, payload_b64: &str) -> String {
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let input = format!("{header_b64}.{payload_b64}");
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}

/// Signs the exact header and payload bytes (base64url-encoding them first).
pub fn sign_bytes(seed: [u8; 32], header: &[u8], payload: &[u8]) -> String {
    sign_segments(seed, &b64(header), &b64(payload))
}

/// The default header for a key id.
pub fn default_header(kid: &str) -> Value {
    json!({ "alg": "EdDSA", "typ": "rolegate+jwt", "kid": kid })
}

/// The default payload of a corpus token: alice, rev 6, valid at [`NOW`].
pub fn default_payload() -> Value {
    json!({
        "sub": "alice", "aud": AUD, "iss": ISS, "iat": NOW, "exp": NOW + 600.0,
        "jti": "j-1", "rev": 6, "tid": "acme", "rg": { "v": 1, "k": ["page.jobs.view"], "g": [0] }
    })
}

/// Changes the data bits of the last character of `token` by XOR-ing its 6-bit value with `mask`.
pub fn xor_last_char(token: &str, mask: u8) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = token.as_bytes().to_vec();
    let last = bytes.last_mut().unwrap();
    let v = ALPHABET.iter().position(|c| c == last).unwrap() as u8;
    *last = ALPHABET[usize::from((v ^ mask) & 63)];
    String::from_utf8(bytes).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The bad-input corpus runner.
// ---------------------------------------------------------------------------------------------

/// The result of one corpus case.
#[derive(Debug)]
pub struct Outcome {
    pub name: String,
    pub kind: String,
    /// The code produced (`ok` for success).
    pub got: String,
}

/// Runs every case of one corpus file and returns the outcomes; panics with the list of every case
/// whose code differs from its `expect`, or whose failure disturbed the snapshot in force.
///
/// File format (see `tests/bad-inputs/README.md`):
/// `{"format": "rolegate-bad-inputs/1", "cases": [{"name", "kind", "expect", "why"?, <kind's input>}]}`.
pub fn run_corpus(file: &str, text: &str) -> Vec<Outcome> {
    let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: not JSON: {e}"));
    assert_eq!(doc["format"], "rolegate-bad-inputs/1", "{file}: unknown format");
    let cases = doc["cases"].as_array().unwrap_or_else(|| panic!("{file}: no `cases` array"));
    let mut failures = Vec::new();
    let mut outcomes = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("<unnamed>").to_owned();
        let kind = case["kind"].as_str().unwrap_or("<none>").to_owned();
        let expect = case["expect"].as_str().unwrap_or("<none>");
        if !names.insert(name.clone()) {
            failures.push(format!("{file}: {name}: duplicate case name"));
        }
        // Records are answered with a decision, so their `expect` is a reason code.
        let known = if kind == "record" {
            rolegate::Reason::ALL.iter().any(|r| r.code() == expect)
        } else {
            expect == "ok" || rolegate::Error::CODES.contains(&expect)
        };
        if !known {
            failures.push(format!("{file}: {name}: `{expect}` is not a code for kind `{kind}`"));
            continue;
        }
        let result = match kind.as_str() {
            "token" => run_token_case(case),
            "jwks" => run_jwks_case(case),
            "policy" => run_policy_case(case),
            "user" => run_user_case(case),
            "record" => run_record_case(case),
            other => Err(format!("no runner for kind `{other}`")),
        };
        match result {
            Ok(got) => {
                if got != expect {
                    failures.push(format!("{file}: {name}: expected `{expect}`, got `{got}`"));
                }
                outcomes.push(Outcome { name, kind, got });
            }
            Err(e) => failures.push(format!("{file}: {name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} corpus failure(s):\n{}", failures.len(), failures.join("\n"));
    outcomes
}

/// Builds the token a case describes, loads it into a gate that already holds [`good_token`], and
/// returns the code (or `ok`). Fails if the good snapshot's answers changed after an error.
fn run_token_case(case: &Value) -> Result<String, String> {
    let token = build_token(&case["token"])?;
    let mut g = loaded_gate();
    match g.load(&token) {
        Ok(_) => Ok("ok".to_owned()),
        Err(e) => {
            if answers(&g) != good_answers() {
                return Err(format!("`{}` disturbed the snapshot in force", e.code()));
            }
            Ok(e.code().to_owned())
        }
    }
}

/// Builds the JWKS text a case describes and returns the code of `Keyring::from_jwks` (or `ok`).
fn run_jwks_case(case: &Value) -> Result<String, String> {
    let spec = &case["jwks"];
    let mut text = if let Some(t) = spec.get("text") {
        substitute(t.as_str().ok_or("`jwks.text` must be a string")?)
    } else if let Some(v) = spec.get("json") {
        substitute_value(v).to_string()
    } else if let Some(n) = spec.get("many_keys") {
        let n = n.as_u64().ok_or("`many_keys` must be a number")?;
        let keys: Vec<Value> = (0..n)
            .map(|i| json!({"kty":"OKP","crv":"Ed25519","kid": format!("k{i}"),"x": x_of(SEED_K1)}))
            .collect();
        json!({ "keys": keys }).to_string()
    } else {
        return Err("`jwks` needs `text`, `json` or `many_keys`".into());
    };
    if let Some(n) = spec.get("nest").and_then(Value::as_u64) {
        let n = usize::try_from(n).map_err(|_| "nest too deep")?;
        text = text.replace("${NEST}", &format!("{}{}", "[".repeat(n), "]".repeat(n)));
    }
    if let Some(n) = spec.get("pad_to").and_then(Value::as_u64) {
        while (text.len() as u64) < n {
            text.push(' ');
        }
    }
    let g = loaded_gate();
    let got = match Keyring::from_jwks(&text) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().to_owned(),
    };
    if answers(&g) != good_answers() {
        return Err("the gate's answers changed".into());
    }
    Ok(got)
}

/// Replaces `${X1}`, `${X2}`, `${D1}`, `${WEAK}`, `${NOT_ON_CURVE}` in JWKS texts.
fn substitute(s: &str) -> String {
    s.replace("${X1}", &x_of(SEED_K1))
        .replace("${X2}", &x_of(SEED_K2))
        .replace("${D1}", &b64(&SEED_K1))
        .replace("${WEAK}", WEAK_X)
        .replace("${NOT_ON_CURVE}", NOT_ON_CURVE_X)
}

fn substitute_value(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(substitute(s)),
        Value::Array(a) => Value::Array(a.iter().map(substitute_value).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), substitute_value(v))).collect()),
        other => other.clone(),
    }
}

/// Builds a token from a corpus token spec (see `tests/bad-inputs/README.md`).
pub fn build_token(spec: &Value) -> Result<String, String> {
    let (seed, kid) = match spec.get("sign_with").and_then(Value::as_str).unwrap_or("k1") {
        "k1" => (SEED_K1, "k1"),
        "k2" => (SEED_K2, "k2"),
        "k3" => (SEED_K3, "k3"),
        "k1-impostor" => (SEED_IMPOSTOR, "k1"),
        other => return Err(format!("unknown key `{other}`")),
    };
    let mut token = if let Some(raw) = spec.get("raw") {
        let raw = raw.as_str().ok_or("`raw` must be a string")?;
        let valid = sign_bytes(
            seed,
            default_header(kid).to_string().as_bytes(),
            default_payload().to_string().as_bytes(),
        );
        let mut parts = valid.split('.');
        let (h, p, s) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let mut other_payload = default_payload();
        other_payload["rev"] = json!(99);
        let other = sign_bytes(
            seed,
            default_header(kid).to_string().as_bytes(),
            other_payload.to_string().as_bytes(),
        );
        let other_sig = other.rsplit('.').next().unwrap_or("");
        let one = raw
            .replace("${VALID}", &valid)
            .replace("${S_OTHER}", other_sig)
            .replace("${H}", h)
            .replace("${P}", p)
            .replace("${S}", s);
        let times = spec.get("repeat").and_then(Value::as_u64).unwrap_or(1);
        one.repeat(usize::try_from(times).map_err(|_| "`repeat` too large")?)
    } else {
        let mut h = segment(spec, "header", default_header(kid))?;
        let mut p = segment(spec, "payload", default_payload())?;
        // Edits of one segment's text before signing (non-canonical base64url that is validly signed).
        let seg_edits =
            |name: &str| spec.get("segment_edits").and_then(|e| e.get(name)).and_then(Value::as_array);
        for edit in seg_edits("header").into_iter().flatten() {
            h = apply_edit(&h, edit)?;
        }
        for edit in seg_edits("payload").into_iter().flatten() {
            p = apply_edit(&p, edit)?;
        }
        match spec.get("signature") {
            Some(s) => format!("{h}.{p}.{}", s.as_str().ok_or("`signature` must be a string")?),
            None => sign_segments(seed, &h, &p),
        }
    };
    for edit in spec.get("edits").and_then(Value::as_array).into_iter().flatten() {
        token = apply_edit(&token, edit)?;
    }
    Ok(token)
}

/// One segment (`header` or `payload`) as base64url text: from `<name>_b64` verbatim, from
/// `<name>_json` (exact JSON text, may repeat keys), from `<name>` (a JSON value), or from the
/// default with `<name>_set` merged in and `<name>_remove` keys removed.
fn segment(spec: &Value, name: &str, default: Value) -> Result<String, String> {
    if let Some(s) = spec.get(format!("{name}_b64")) {
        return Ok(s.as_str().ok_or("`_b64` must be a string")?.to_owned());
    }
    if let Some(s) = spec.get(format!("{name}_json")) {
        let mut text = s.as_str().ok_or("`_json` must be a string")?.to_owned();
        if let Some(n) = spec.get(format!("{name}_nest")).and_then(Value::as_u64) {
            // `${NEST}` becomes n nested arrays: [[[...]]]
            let n = usize::try_from(n).map_err(|_| "nest too deep")?;
            text = text.replace("${NEST}", &format!("{}{}", "[".repeat(n), "]".repeat(n)));
        }
        return Ok(b64(text.as_bytes()));
    }
    if let Some(v) = spec.get(name) {
        return Ok(b64(v.to_string().as_bytes()));
    }
    let mut obj: Map<String, Value> = match default {
        Value::Object(o) => o,
        _ => return Err("default must be an object".into()),
    };
    if let Some(set) = spec.get(format!("{name}_set")).and_then(Value::as_object) {
        for (k, v) in set {
            obj.insert(k.clone(), v.clone());
        }
    }
    if let Some(remove) = spec.get(format!("{name}_remove")).and_then(Value::as_array) {
        for k in remove {
            obj.remove(k.as_str().ok_or("`_remove` must list strings")?);
        }
    }
    Ok(b64(Value::Object(obj).to_string().as_bytes()))
}

fn apply_edit(token: &str, edit: &Value) -> Result<String, String> {
    if let Some(s) = edit.get("append").and_then(Value::as_str) {
        return Ok(format!("{token}{s}"));
    }
    if let Some(s) = edit.get("prepend").and_then(Value::as_str) {
        return Ok(format!("{s}{token}"));
    }
    if let Some(n) = edit.get("truncate").and_then(Value::as_u64) {
        let keep = token.len().saturating_sub(usize::try_from(n).map_err(|_| "bad truncate")?);
        return Ok(token.get(..keep).ok_or("truncate inside a character")?.to_owned());
    }
    if let Some(n) = edit.get("last_bits_xor").and_then(Value::as_u64) {
        return Ok(xor_last_char(token, u8::try_from(n).map_err(|_| "bad mask")?));
    }
    if let Some([from, to]) = edit.get("replace").and_then(Value::as_array).map(Vec::as_slice) {
        let (from, to) = (from.as_str().ok_or("bad replace")?, to.as_str().ok_or("bad replace")?);
        if !token.contains(from) {
            return Err(format!("`{from}` not in token"));
        }
        return Ok(token.replacen(from, to, 1));
    }
    Err(format!("unknown edit {edit}"))
}

// ---------------------------------------------------------------------------------------------
// Policies, users and records (issuer side and evaluator).
// ---------------------------------------------------------------------------------------------

/// The seed products, embedded: `(product, policy, users)`.
pub const PRODUCTS: &[(&str, &str, &str)] = &[
    (
        "commusoft",
        include_str!("../../examples/policies/commusoft.json"),
        include_str!("../../examples/policies/commusoft.users.json"),
    ),
    (
        "neptunecrm",
        include_str!("../../examples/policies/neptunecrm.json"),
        include_str!("../../examples/policies/neptunecrm.users.json"),
    ),
    (
        "property",
        include_str!("../../examples/policies/property.json"),
        include_str!("../../examples/policies/property.users.json"),
    ),
    (
        "reconpro",
        include_str!("../../examples/policies/reconpro.json"),
        include_str!("../../examples/policies/reconpro.users.json"),
    ),
];

fn product(case: &Value) -> Result<(&'static str, &'static str), String> {
    let name = case["product"].as_str().ok_or("`product` must name a seed product")?;
    PRODUCTS
        .iter()
        .find(|(p, _, _)| *p == name)
        .map(|(_, policy, users)| (*policy, *users))
        .ok_or(format!("no seed product `{name}`"))
}

/// Replaces `${NEST}` with `nest` nested arrays and pads with spaces to `pad_to` bytes.
fn shape_text(case: &Value, mut text: String) -> Result<String, String> {
    if let Some(n) = case.get("nest").and_then(Value::as_u64) {
        let n = usize::try_from(n).map_err(|_| "nest too deep")?;
        text = text.replace("${NEST}", &format!("{}{}", "[".repeat(n), "]".repeat(n)));
    }
    if let Some(n) = case.get("pad_to").and_then(Value::as_u64) {
        let n = usize::try_from(n).map_err(|_| "pad_to too large")?;
        let body_end = text.rfind('}').ok_or("pad_to needs an object")?;
        let pad = n.saturating_sub(text.len());
        text.insert_str(body_end, &" ".repeat(pad));
    }
    Ok(text)
}

/// A `policy` case: `policy` (a JSON value), `policy_json` (exact text; `${NEST}` with `nest`), or
/// `many_keys: N` (a catalogue of N keys, one role granting them all); `pad_to: N` pads with spaces.
/// Returns the code of `Compiler::from_json` (or `ok`).
fn run_policy_case(case: &Value) -> Result<String, String> {
    let text = if let Some(v) = case.get("policy") {
        v.to_string()
    } else if let Some(t) = case.get("policy_json") {
        t.as_str().ok_or("`policy_json` must be a string")?.to_owned()
    } else if let Some(n) = case.get("many_keys").and_then(Value::as_u64) {
        let keys: Vec<String> = (0..n).map(|i| format!("k.{i:05}.view")).collect();
        json!({"product": "many", "keys": keys, "roles": {"all": {"allow": ["k.*"]}}}).to_string()
    } else {
        return Err("a `policy` case needs `policy`, `policy_json` or `many_keys`".into());
    };
    let text = shape_text(case, text)?;
    Ok(match rolegate::compile::Compiler::from_json(&text) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().to_owned(),
    })
}

/// A `user` case: `product` (a seed product) and `user` (a JSON value) or `user_json` (exact text;
/// `${NEST}` with `nest`). Returns the code of parsing and compiling the user (or `ok`).
fn run_user_case(case: &Value) -> Result<String, String> {
    let (policy, _) = product(case)?;
    let compiler = rolegate::compile::Compiler::from_json(policy).map_err(|e| e.to_string())?;
    let text = match (case.get("user"), case.get("user_json")) {
        (Some(v), None) => v.to_string(),
        (None, Some(t)) => t.as_str().ok_or("`user_json` must be a string")?.to_owned(),
        _ => return Err("a `user` case needs `user` or `user_json`".into()),
    };
    let text = shape_text(case, text)?;
    let result = rolegate::policy::User::from_json(&text).and_then(|u| compiler.body(&u));
    Ok(match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().to_owned(),
    })
}

/// A `record` case: `product`, `user` (a sample user's name, or a user record), `record` (a JSON
/// value) or `record_json` (exact text), and `key` (asked with `check_record`) or `see` (a resource
/// type, asked with `decide(See)` and `filter`). Returns the decision's reason code; `can_record`
/// and `filter` must agree with it, and a denied record must be masked whole.
fn run_record_case(case: &Value) -> Result<String, String> {
    use rolegate::surfaces::Question;
    let (policy, users) = product(case)?;
    let compiler = rolegate::compile::Compiler::from_json(policy).map_err(|e| e.to_string())?;
    let user: Value = match &case["user"] {
        Value::String(name) => {
            let users: Value = serde_json::from_str(users).map_err(|e| e.to_string())?;
            users.get(name).cloned().ok_or(format!("no sample user `{name}`"))?
        }
        v @ Value::Object(_) => v.clone(),
        _ => return Err("`user` must be a sample user's name or a user record".into()),
    };
    let user = rolegate::policy::User::from_json(&user.to_string()).map_err(|e| e.to_string())?;
    let mut claims = compiler.claims(&user, AUD, NOW, NOW + 600.0, 1).map_err(|e| e.to_string())?;
    claims.iss = Some(ISS.to_owned());
    let mut g = gate();
    g.load(&k1().sign(&claims).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let record: Value = match (case.get("record"), case.get("record_json")) {
        (Some(v), None) => v.clone(),
        (None, Some(t)) => serde_json::from_str(t.as_str().ok_or("`record_json` must be a string")?)
            .map_err(|e| format!("`record_json`: {e}"))?,
        _ => return Err("a `record` case needs `record` or `record_json`".into()),
    };
    let decision = match (case["key"].as_str(), case["see"].as_str()) {
        (Some(key), None) => {
            let d = g.check_record(key, &record);
            if g.can_record(key, &record) != d.allow {
                return Err("`can_record` and `check_record` disagree".into());
            }
            d
        }
        (None, Some(resource)) => {
            let d = g.decide(Question::See(resource, &record));
            let kept = g.filter(resource, std::slice::from_ref(&record)).len() == 1;
            if kept != d.allow {
                return Err("`filter` and `see` disagree".into());
            }
            if !d.allow && g.mask(resource, &record).value != json!({}) {
                return Err("a record that may not be seen was not masked whole".into());
            }
            d
        }
        _ => return Err("a `record` case needs `key` or `see`".into()),
    };
    Ok(decision.reason.code().to_owned())
}
