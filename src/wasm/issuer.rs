//! Issuer bindings for Node back ends (cargo feature `issuer`): the second wasm build, published as
//! `rolegate/issuer`. Compile users under a policy, sign snapshots, lint policies and make keys with
//! the same Rust code as the CLI and the native crate. They translate; they decide nothing.
#![cfg(feature = "issuer")]

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{config_error, error, misuse};
use crate::compile::{custom_roles_from_json, role_from_json, Assignment, Compiler, Listing, RoleAction};
use crate::issue::SigningKey;
use crate::limits::MAX_REV;
use crate::policy::{Policy, User};
use crate::surfaces::query::{Columns, Dialect, Plan, SqlParam};
use crate::{Claims, Problem};

/// A serialisable value as a plain JS value (objects, not Maps).
fn to_value<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

#[derive(Serialize)]
struct JsProblem<'a> {
    code: &'static str,
    pointer: &'a str,
    message: &'a str,
}

impl<'a> From<&'a Problem> for JsProblem<'a> {
    fn from(p: &'a Problem) -> Self {
        JsProblem { code: p.issue.code(), pointer: &p.pointer, message: &p.message }
    }
}

#[derive(Serialize)]
struct JsDecision<'a> {
    allow: bool,
    code: &'static str,
    step: &'static str,
    rule: Option<&'a str>,
    message: &'static str,
}

impl<'a> From<&'a Assignment> for JsDecision<'a> {
    fn from(d: &'a Assignment) -> Self {
        JsDecision {
            allow: d.allow,
            code: d.reason.code(),
            step: d.reason.step(),
            rule: d.rule.as_deref(),
            message: d.reason.message(),
        }
    }
}

/// Every problem of a policy (JSON text) with a tenant's custom roles (JSON text) added:
/// `[{ code, pointer, message }]`, empty when the policy is fit to compile.
#[wasm_bindgen(js_name = lintPolicy)]
pub fn lint_policy(policy: &str, custom_roles: Option<String>) -> JsValue {
    let problems = crate::compile::problems(policy, custom_roles.as_deref());
    to_value(&problems.iter().map(JsProblem::from).collect::<Vec<_>>())
}

/// The claims of a snapshot that grants exactly `allow` (keys or patterns such as `page.*`) and
/// denies `deny`, without a policy: no routes, menus or fields (`rolegate/testing` uses it for
/// ad-hoc grants). `tenant` becomes `tid` when given.
#[wasm_bindgen(js_name = grantClaims)]
#[allow(clippy::too_many_arguments, reason = "a flat signature is what wasm-bindgen exports to JS")]
pub fn grant_claims(
    sub: &str,
    tenant: Option<String>,
    allow: Vec<String>,
    deny: Vec<String>,
    audience: &str,
    iat: f64,
    exp: f64,
    rev: f64,
) -> Result<JsValue, JsValue> {
    let rev = whole_rev(rev)?;
    let allow: Vec<&str> = allow.iter().map(String::as_str).collect();
    let deny: Vec<&str> = deny.iter().map(String::as_str).collect();
    let body = crate::eval::Body::from_keys(&allow, &deny).to_value();
    let mut claims = Claims::new(sub, audience, iat, exp, rev, body);
    claims.tenant = tenant;
    // `SigningKey.sign` checks the claims exactly as a gate reads them.
    Ok(to_value(&claims))
}

/// `rev` as a whole number from 0 to 2^53 - 1 (JS numbers are exact up to there).
fn whole_rev(rev: f64) -> Result<u64, JsValue> {
    if !(rev.is_finite() && rev.fract() == 0.0 && (0.0..=MAX_REV as f64).contains(&rev)) {
        return Err(config_error("`rev` must be an integer from 0 to 2^53 - 1"));
    }
    // Checked just above: a whole number within 0..=2^53 - 1 converts exactly.
    Ok(rev as u64)
}

/// A plan's JSON form (text) and a column map (JSON text, or none).
fn plan_and_columns(plan_json: &str, columns_json: Option<String>) -> Result<(Plan, Columns), JsValue> {
    let plan = Plan::from_json(plan_json).map_err(|e| error(&e))?;
    let columns = match columns_json {
        Some(c) => Columns::from_json(&c).map_err(|e| error(&e))?,
        None => Columns::new(),
    };
    Ok((plan, columns))
}

/// A plan (JSON text) as a parameterised SQL condition for `dialect` (`postgres` or `sqlite`):
/// `{ text, params }`, integers as numbers (ids are safe integers).
#[wasm_bindgen(js_name = planToSql)]
pub fn plan_to_sql(plan_json: &str, dialect: &str, columns_json: Option<String>) -> Result<JsValue, JsValue> {
    let dialect = match dialect {
        "postgres" => Dialect::Postgres,
        "sqlite" => Dialect::Sqlite,
        _ => return Err(misuse("`dialect` must be `postgres` or `sqlite`")),
    };
    let (plan, columns) = plan_and_columns(plan_json, columns_json)?;
    let sql = plan.to_sql(dialect, &columns).map_err(|e| error(&e))?;
    let params: Vec<serde_json::Value> = sql
        .params
        .into_iter()
        .map(|p| match p {
            SqlParam::Text(t) => serde_json::Value::from(t),
            SqlParam::Int(i) => serde_json::Value::from(i as f64),
        })
        .collect();
    Ok(to_value(&serde_json::json!({ "text": sql.text, "params": params })))
}

/// A plan (JSON text) as a Prisma `where` object (`to = "prisma"`) or a MongoDB filter (`"mongo"`).
#[wasm_bindgen(js_name = planToDocument)]
pub fn plan_to_document(plan_json: &str, to: &str, columns_json: Option<String>) -> Result<JsValue, JsValue> {
    let (plan, columns) = plan_and_columns(plan_json, columns_json)?;
    let doc = match to {
        "prisma" => plan.to_prisma(&columns),
        "mongo" => plan.to_mongo(&columns),
        _ => return Err(misuse("the form must be `prisma` or `mongo`")),
    }
    .map_err(|e| error(&e))?;
    Ok(to_value(&doc))
}

/// A linted policy ready to compile users; `js/issuer.js` wraps it as `Compiler`.
#[wasm_bindgen(js_name = WasmCompiler)]
pub struct JsCompiler {
    inner: Compiler,
}

fn user(json: &str) -> Result<User, JsValue> {
    User::from_json(json).map_err(|e| error(&e))
}

#[wasm_bindgen(js_class = WasmCompiler)]
impl JsCompiler {
    /// Parses and lints `policy` (JSON text) with the tenant's custom roles (JSON text of role id to
    /// role), or throws the first problem.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, custom_roles: Option<String>) -> Result<JsCompiler, JsValue> {
        let policy = Policy::from_json(policy).map_err(|e| error(&e))?;
        let custom = match custom_roles.as_deref().map(custom_roles_from_json).transpose() {
            Ok(c) => c.unwrap_or_default(),
            Err(e) => return Err(error(&e)),
        };
        Compiler::new(policy, custom).map(|inner| JsCompiler { inner }).map_err(|e| error(&e))
    }

    /// The policy's product name.
    #[wasm_bindgen(getter)]
    pub fn product(&self) -> String {
        self.inner.policy().product.clone()
    }

    /// The snapshot body (`rg`) of a user record (JSON text), or throws why the user is invalid.
    pub fn body(&self, user_json: &str) -> Result<JsValue, JsValue> {
        let body = self.inner.body(&user(user_json)?).map_err(|e| error(&e))?;
        Ok(to_value(&body))
    }

    /// The effective value of setting `name` for a user (JSON text), `null` where it does not apply.
    pub fn setting(&self, user_json: &str, name: &str) -> Result<JsValue, JsValue> {
        let value = self.inner.setting(&user(user_json)?, name).map_err(|e| error(&e))?;
        Ok(value.map_or(JsValue::NULL, |v| to_value(&v)))
    }

    /// The claims of a user's snapshot: `sub` and `tid` from the record, `rg` the compiled body.
    pub fn claims(
        &self,
        user_json: &str,
        audience: &str,
        iat: f64,
        exp: f64,
        rev: f64,
    ) -> Result<JsValue, JsValue> {
        let rev = whole_rev(rev)?;
        let claims = self.inner.claims(&user(user_json)?, audience, iat, exp, rev).map_err(|e| error(&e))?;
        Ok(to_value(&claims))
    }

    /// May `actor` (a user record, JSON text) `action` (`assign`, `edit`, `delete`) role `role`, or
    /// `create` the custom role `role` (JSON text of one `{ id: role }` entry, as a tenant's custom
    /// roles are written)? `extra` (JSON text): for `assign`, the user who would get the role; for
    /// `edit`, the role's new definition. `{ allow, code, step, rule, message }`.
    pub fn may(
        &self,
        actor_json: &str,
        action: &str,
        role: &str,
        extra: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let actor = user(actor_json)?;
        let answer = |d: Result<Assignment, crate::Error>| {
            d.map(|d| to_value(&JsDecision::from(&d))).map_err(|e| error(&e))
        };
        match (action, extra.as_deref()) {
            ("create", None) => {
                let drafts = custom_roles_from_json(role).map_err(|e| error(&e))?;
                let mut drafts = drafts.iter();
                let (Some((id, draft)), None) = (drafts.next(), drafts.next()) else {
                    return Err(misuse("a role to create is one `{ id: role }` entry"));
                };
                answer(self.inner.may_create(&actor, id, draft))
            }
            ("assign", Some(target)) => answer(self.inner.may_assign(&actor, role, &user(target)?)),
            ("edit", Some(draft)) => {
                let draft = role_from_json(role, draft).map_err(|e| error(&e))?;
                answer(self.inner.may_edit(&actor, role, &draft))
            }
            ("assign" | "edit" | "delete", None) => {
                let action = match action {
                    "assign" => RoleAction::Assign,
                    "edit" => RoleAction::Edit,
                    _ => RoleAction::Delete,
                };
                answer(Ok(self.inner.may(&actor, action, role)))
            }
            ("delete" | "create", Some(_)) => {
                Err(misuse("only `assign` (a user) and `edit` (a draft role) take a fourth argument"))
            }
            _ => Err(misuse("`action` must be `assign`, `edit`, `delete`, `create` or `set`")),
        }
    }

    /// May `actor` set `target`'s setting `name` to `value` (each JSON text)?
    /// `{ allow, code, step, rule, message }`.
    #[wasm_bindgen(js_name = maySet)]
    pub fn may_set(
        &self,
        actor_json: &str,
        target_json: &str,
        name: &str,
        value_json: &str,
    ) -> Result<JsValue, JsValue> {
        let value: serde_json::Value = serde_json::from_str(value_json)
            .map_err(|_| misuse("a setting's value must be JSON (a boolean, number or string)"))?;
        let d = self
            .inner
            .may_set(&user(actor_json)?, &user(target_json)?, name, &value)
            .map_err(|e| error(&e))?;
        Ok(to_value(&JsDecision::from(&d)))
    }

    /// The indices of `users` (JSON text of an array of user records) that a list includes: with
    /// `role`, the users who hold it; else those whose setting `name` is in effect with `value` (JSON
    /// text). Active users only.
    pub fn list(
        &self,
        users_json: &str,
        name: Option<String>,
        value_json: Option<String>,
        role: Option<String>,
    ) -> Result<Vec<u32>, JsValue> {
        let users = User::list_from_json(users_json).map_err(|e| error(&e))?;
        let by = match (role, name, value_json) {
            (Some(role), None, None) => Listing::Role(role),
            (None, Some(name), Some(value)) => {
                let value =
                    serde_json::from_str(&value).map_err(|_| misuse("a setting's value must be JSON"))?;
                Listing::Setting { name, value }
            }
            _ => return Err(misuse("a list selects by `{ setting, value? }` or by `{ role }`")),
        };
        let included = self.inner.list(&users, &by).map_err(|e| error(&e))?;
        Ok(included.into_iter().map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect())
    }

    /// The query plan of the snapshot a user record (JSON text) would get, for `resource` and
    /// `action` (`view` when absent): `{ v: 1, plan }` (docs/records.md).
    pub fn query(&self, user_json: &str, resource: &str, action: Option<String>) -> Result<JsValue, JsValue> {
        let plan = self.inner.query(&user(user_json)?, resource, action.as_deref()).map_err(|e| error(&e))?;
        Ok(to_value(&plan.to_json()))
    }

    /// As `body`, and every role of the user must be one `assigner` (a user record) may assign.
    #[wasm_bindgen(js_name = bodyAssignedBy)]
    pub fn body_assigned_by(&self, user_json: &str, assigner_json: &str) -> Result<JsValue, JsValue> {
        let body =
            self.inner.body_assigned_by(&user(user_json)?, &user(assigner_json)?).map_err(|e| error(&e))?;
        Ok(to_value(&body))
    }
}

/// An Ed25519 signing key; `js/issuer.js` wraps it as `SigningKey`.
#[wasm_bindgen(js_name = WasmSigningKey)]
pub struct JsSigningKey {
    inner: SigningKey,
}

#[wasm_bindgen(js_class = WasmSigningKey)]
impl JsSigningKey {
    /// The key whose secret seed is `seed` (32 bytes; `issuer.js` draws them from
    /// `crypto.getRandomValues`). The key id must be 1 to 256 bytes.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(kid: &str, seed: &[u8]) -> Result<JsSigningKey, JsValue> {
        let seed: [u8; 32] = seed.try_into().map_err(|_| misuse("a key seed must be 32 bytes"))?;
        SigningKey::with_seed(kid, seed).map(|inner| JsSigningKey { inner }).map_err(|e| error(&e))
    }

    /// Reads a private JWK (JSON text).
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(jwk: &str) -> Result<JsSigningKey, JsValue> {
        SigningKey::from_jwk(jwk).map(|inner| JsSigningKey { inner }).map_err(|e| error(&e))
    }

    /// The key id.
    #[wasm_bindgen(getter)]
    pub fn kid(&self) -> String {
        self.inner.kid().to_owned()
    }

    /// The private JWK as JSON text (a secret).
    #[wasm_bindgen(js_name = privateJwk)]
    pub fn private_jwk(&self) -> String {
        self.inner.private_jwk()
    }

    /// The public JWK as JSON text.
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self) -> String {
        self.inner.public_jwk().to_string()
    }

    /// Signs claims (JSON text), checked exactly as a gate reads them, into a compact JWS.
    pub fn sign(&self, claims_json: &str) -> Result<String, JsValue> {
        let claims = Claims::parse(claims_json.as_bytes()).map_err(|e| error(&e))?;
        self.inner.sign(&claims).map_err(|e| error(&e))
    }
}
