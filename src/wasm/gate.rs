//! The `WasmGate` class: every method forwards to [`Gate`] and translates its answer.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use std::collections::HashMap;

use super::convert::{
    config_error, decision, error, field, get_cached, route, set, set_cached, status, N_CHILDREN, N_ID,
};
use super::json::{from_js, to_js};
use super::options;
use super::record::JsRecord;
use crate::surfaces::{MenuNode, Question};
use crate::{Gate, Revocation};

/// Menu trees deeper than this are refused.
const MAX_MENU_DEPTH: u8 = 32;

/// The wasm side of a gate; `js/gate.js` wraps it as the public `Gate`.
#[wasm_bindgen]
pub struct WasmGate {
    inner: Gate,
}

fn string_of(v: &JsValue, name: &str) -> Result<String, JsValue> {
    Reflect::get(v, &JsValue::from_str(name))
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| config_error(&format!("`{name}` must be a string")))
}

fn has(v: &JsValue, name: &str) -> bool {
    Reflect::get(v, &JsValue::from_str(name)).is_ok_and(|x| !x.is_undefined())
}

fn get(v: &JsValue, name: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// One node of an app's menu tree, read once: the JS object, its id and its children.
struct AppNode {
    node: JsValue,
    id: String,
    children: Vec<AppNode>,
}

/// An app's menu tree (`[{ id, children? }]`), read once.
fn menu_in(tree: &JsValue, depth: u8) -> Result<Vec<AppNode>, JsValue> {
    if !Array::is_array(tree) || depth > MAX_MENU_DEPTH {
        return Err(config_error("a menu tree must be an array of `{ id, children? }`, at most 32 deep"));
    }
    Array::from(tree)
        .iter()
        .map(|node| {
            let children = get_cached(&node, N_CHILDREN);
            let children = if children.is_undefined() || children.is_null() {
                Vec::new()
            } else {
                menu_in(&children, depth + 1)?
            };
            let id =
                get_cached(&node, N_ID).as_string().ok_or_else(|| config_error("`id` must be a string"))?;
            Ok(AppNode { node, id, children })
        })
        .collect()
}

/// The ids of an app's menu tree, for the evaluator.
fn menu_ids(nodes: &[AppNode]) -> Vec<MenuNode> {
    nodes.iter().map(|n| MenuNode { id: n.id.clone(), children: menu_ids(&n.children) }).collect()
}

/// The policy's menu as `[{ id, children? }]`.
fn menu_out(nodes: &[MenuNode]) -> Array {
    nodes
        .iter()
        .map(|n| {
            let o: JsValue = Object::new().into();
            set_cached(&o, N_ID, &n.id.as_str().into());
            if !n.children.is_empty() {
                set_cached(&o, N_CHILDREN, &menu_out(&n.children));
            }
            o
        })
        .collect()
}

/// Copies of the app's own nodes (all their properties kept) for the nodes `kept`, in order: each
/// kept id takes the first node with that id not taken yet.
fn menu_copy(app: &[AppNode], kept: &[MenuNode]) -> Array {
    let mut unused: HashMap<&str, Vec<&AppNode>> = HashMap::new();
    for n in app.iter().rev() {
        unused.entry(n.id.as_str()).or_default().push(n);
    }
    let out = Array::new();
    for k in kept {
        if let Some(n) = unused.get_mut(k.id.as_str()).and_then(Vec::pop) {
            let copy: JsValue = Object::assign(&Object::new(), &Object::from(n.node.clone())).into();
            if !k.children.is_empty() {
                set_cached(&copy, N_CHILDREN, &menu_copy(&n.children, &k.children));
            }
            out.push(&copy);
        }
    }
    out
}

#[wasm_bindgen]
impl WasmGate {
    /// `new WasmGate({ keys, audience, issuer?, clockSkewSec?, maxTokenBytes?, now?, platform?, offlineGraceSec? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<WasmGate, JsValue> {
        Gate::new(options::parse(&opts)?).map(|inner| WasmGate { inner }).map_err(|e| error(&e))
    }

    /// Verifies a token and puts it in force; returns the status or throws a `RolegateError`.
    pub fn load(&mut self, token: &str) -> Result<JsValue, JsValue> {
        self.inner.load(token).map(|s| status(&s)).map_err(|e| error(&e))
    }

    /// Drops the snapshot in force.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Sets a revocation floor for a subject or a tenant; returns whether the snapshot in force was dropped.
    pub fn revoke(
        &mut self,
        subject: Option<String>,
        tenant: Option<String>,
        rev: f64,
    ) -> Result<bool, JsValue> {
        if !(rev.is_finite() && rev >= 0.0 && rev.fract() == 0.0) {
            return Err(config_error("`rev` must be a whole number from 0 to 2^53 - 1"));
        }
        let who = match (&subject, &tenant) {
            (Some(s), None) => Revocation::Subject(s),
            (None, Some(t)) => Revocation::Tenant(t),
            _ => return Err(config_error("revoke takes exactly one of `subject` and `tenant`")),
        };
        self.inner.revoke(who, rev as u64).map_err(|e| error(&e))
    }

    /// Whether the user may do `key`.
    pub fn can(&self, key: &str) -> bool {
        self.inner.can(key)
    }

    /// Whether the user may do `key` on `record`.
    #[wasm_bindgen(js_name = canRecord)]
    pub fn can_record(&self, key: &str, record: &JsValue) -> bool {
        self.inner.can_record(key, &JsRecord(record))
    }

    /// The decision for `key`.
    pub fn check(&self, key: &str) -> JsValue {
        decision(&self.inner.check(key))
    }

    /// The decision for `key` on `record`.
    #[wasm_bindgen(js_name = checkRecord)]
    pub fn check_record(&self, key: &str, record: &JsValue) -> JsValue {
        decision(&self.inner.check_record(key, &JsRecord(record)))
    }

    /// Answers for many keys in one call (a key that is not a string is denied).
    #[wasm_bindgen(js_name = canMany)]
    pub fn can_many(&self, keys: &Array) -> Array {
        keys.iter().map(|k| JsValue::from_bool(k.as_string().is_some_and(|k| self.inner.can(&k)))).collect()
    }

    /// Interns `key`; the id answers through `canId` from a table computed at load.
    pub fn id(&mut self, key: &str) -> u32 {
        self.inner.id(key)
    }

    /// The answer for an id from `id`.
    #[wasm_bindgen(js_name = canId)]
    pub fn can_id(&self, id: u32) -> bool {
        self.inner.can_id(id)
    }

    /// `{ allow, redirect, code, step, rule, message }` for a path.
    pub fn route(&self, path: &str) -> JsValue {
        route(&self.inner.route(path))
    }

    /// The policy's home path.
    pub fn home(&self) -> Option<String> {
        self.inner.home().map(str::to_owned)
    }

    /// The policy's menu, filtered: `[{ id, children? }]`.
    pub fn menu(&self) -> Array {
        menu_out(&self.inner.menu())
    }

    /// The app's menu tree, filtered: copies of its nodes.
    #[wasm_bindgen(js_name = menuFilter)]
    pub fn menu_filter(&self, tree: &JsValue) -> Result<Array, JsValue> {
        let app = menu_in(tree, 0)?;
        let kept = self.inner.menu_filter(&menu_ids(&app));
        Ok(menu_copy(&app, &kept))
    }

    /// `[{ field, allow, code, step, rule, message }]` for the governed fields of `resource`.
    pub fn fields(&self, resource: &str, record: &JsValue) -> Array {
        let rec = JsRecord(record);
        let record = if record.is_object() { Some(&rec as &dyn crate::eval::Record) } else { None };
        self.inner.fields(resource, record).iter().map(field).collect()
    }

    /// `{ value, masked }`: a copy of `record` without the fields the user may not see.
    pub fn mask(&self, resource: &str, record: JsValue) -> Result<JsValue, JsValue> {
        let value =
            from_js(&record).ok_or_else(|| config_error("`mask` takes a plain object (JSON-like values)"))?;
        let masked = self.inner.mask(resource, &value);
        let out: JsValue = Object::new().into();
        set(&out, "value", &to_js(&masked.value));
        set(&out, "masked", &masked.masked.iter().map(field).collect::<Array>());
        Ok(out)
    }

    /// The records of `records` the user may see (the same objects).
    pub fn filter(&self, resource: &str, records: &Array) -> Array {
        let all: Vec<JsValue> = records.iter().collect();
        let wrapped: Vec<JsRecord<'_>> = all.iter().map(JsRecord).collect();
        self.inner.filter(resource, &wrapped).into_iter().map(|r| r.0.clone()).collect()
    }

    /// Any question: `{ key, record? }`, `{ route }`, `{ menu }`, `{ resource, field, record? }` or
    /// `{ resource, see }`; answered as `{ allow, code, step, rule, message }`.
    pub fn explain(&self, question: &JsValue) -> Result<JsValue, JsValue> {
        if !question.is_object() {
            return Err(config_error("a question is an object such as `{ key }` or `{ route }`"));
        }
        let record = get(question, "record");
        let rec = JsRecord(&record);
        let see = get(question, "see");
        let see_rec = JsRecord(&see);
        let q = if has(question, "key") {
            let key = string_of(question, "key")?;
            let d = if record.is_object() {
                self.inner.decide(Question::Record(&key, &rec))
            } else {
                self.inner.decide(Question::Key(&key))
            };
            return Ok(decision(&d));
        } else if has(question, "route") {
            return Ok(decision(&self.inner.decide(Question::Route(&string_of(question, "route")?))));
        } else if has(question, "menu") {
            return Ok(decision(&self.inner.decide(Question::Menu(&string_of(question, "menu")?))));
        } else if has(question, "field") {
            (string_of(question, "resource")?, Some(string_of(question, "field")?))
        } else if see.is_object() {
            (string_of(question, "resource")?, None)
        } else {
            return Err(config_error("a question needs `key`, `route`, `menu`, `field` or `see`"));
        };
        let d = match q {
            (resource, Some(f)) => self.inner.decide(Question::Field {
                resource: &resource,
                field: &f,
                record: if record.is_object() { Some(&rec) } else { None },
            }),
            (resource, None) => self.inner.decide(Question::See(&resource, &see_rec)),
        };
        Ok(decision(&d))
    }

    /// The effective value of a user setting (for display), or `undefined`.
    pub fn setting(&self, name: &str) -> JsValue {
        self.inner.setting(name).map_or(JsValue::UNDEFINED, to_js)
    }

    /// `{ loaded, subject, tenant, rev, issuedAt, expiresAt, expiresIn, expired, inGrace }`.
    pub fn status(&self) -> JsValue {
        status(&self.inner.status())
    }
}
