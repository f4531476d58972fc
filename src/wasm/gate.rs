//! The `WasmGate` class: every method forwards to [`Gate`] and passes its answers on as numbers
//! (see `src/gate/numbers.rs`); `js/gate.js` turns them into the documented objects.

use wasm_bindgen::prelude::*;

use super::convert::{error, misuse, status};
use super::json::to_js;
use super::options;
use crate::gate::Asked;
use crate::limits::{
    MAX_FILTER_RECORDS, MAX_LIST_DEPTH, MAX_LIST_ITEMS, MAX_MENU_DEPTH, MAX_QUESTION_CHARS,
    MAX_QUESTION_NUMBERS,
};
use crate::surfaces::ahead::{deny_word, ALLOW_BIT, NO_TEXT};
use crate::{Gate, Reason, Revocation};

/// The numbers a question's records and trees are written into, at first (it grows on request).
const SCRATCH: usize = 256;

/// The wasm side of a gate; `js/gate.js` wraps it as the public `Gate`.
#[wasm_bindgen]
pub struct WasmGate {
    inner: Gate,
    /// Where JavaScript writes a question's records and trees (src/surfaces/wire.rs).
    scratch: Vec<f64>,
    /// Where JavaScript writes a question's text (a path), as UTF-8.
    text: Vec<u8>,
    /// Where a question's list of answers is left for JavaScript to read: its length, then the
    /// answers (read in place from memory, so no array is made and freed per question).
    out: Vec<u32>,
}

/// A byte offset into the module's memory.
fn offset<T>(p: *const T) -> u32 {
    u32::try_from(p as usize).unwrap_or(0)
}

/// The constants js/gate.js reads once: `[allow bit, no-text index, list depth, list items, menu
/// depth, the word of a key that is not a string, interning limit reached, records per filter, longest
/// question text, most numbers per question, whether this module has the query planner (1: the
/// planner module, feature `query`)]`.
#[wasm_bindgen]
pub fn constants() -> Vec<u32> {
    vec![
        ALLOW_BIT,
        NO_TEXT,
        MAX_LIST_DEPTH,
        MAX_LIST_ITEMS,
        MAX_MENU_DEPTH,
        deny_word(Reason::NoGrant),
        u32::MAX,
        MAX_FILTER_RECORDS,
        MAX_QUESTION_CHARS,
        MAX_QUESTION_NUMBERS,
        u32::from(cfg!(feature = "query")),
    ]
}

/// For each reason, by its number: code, step and message, one after the other.
#[wasm_bindgen]
pub fn reasons() -> Vec<String> {
    let mut out = Vec::new();
    for r in Reason::ALL {
        let i = (*r as usize) * 3;
        if out.len() < i + 3 {
            out.resize(i + 3, String::new());
        }
        for (j, t) in [r.code(), r.step(), r.message()].into_iter().enumerate() {
            if let Some(slot) = out.get_mut(i + j) {
                t.clone_into(slot);
            }
        }
    }
    out
}

#[wasm_bindgen]
impl WasmGate {
    /// `new WasmGate({ keys, audience, issuer?, clockSkewSec?, maxTokenBytes?, now?, platform?, offlineGraceSec? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<WasmGate, JsValue> {
        let inner = Gate::new(options::parse(&opts)?).map_err(|e| error(&e))?;
        Ok(WasmGate { inner, scratch: vec![0.0; SCRATCH], text: vec![0; SCRATCH], out: Vec::new() })
    }

    /// Verifies a token and puts it in force; returns the status or throws a `RolegateError`.
    pub fn load(&mut self, token: &str) -> Result<JsValue, JsValue> {
        self.inner.load(token).map(|s| status(&s)).map_err(|e| error(&e))
    }

    /// Drops the snapshot in force.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Sets a revocation floor for subject `id` (or tenant `id`, when `tenant`); returns whether the
    /// snapshot in force was dropped.
    pub fn revoke(&mut self, tenant: bool, id: &str, rev: f64) -> Result<bool, JsValue> {
        if !(rev.is_finite() && rev >= 0.0 && rev.fract() == 0.0) {
            return Err(misuse("`rev` must be a whole number from 0 to 2^53 - 1"));
        }
        let who = if tenant { Revocation::Tenant(id) } else { Revocation::Subject(id) };
        self.inner.revoke(who, rev as u64).map_err(|e| error(&e))
    }

    /// Reads the clock for this task's checks: 0 when a snapshot answers, else the deny word.
    pub fn tick(&mut self) -> u32 {
        self.inner.tick()
    }

    /// Seconds until the snapshot in force expires or its offline grace ends (−1: neither is ahead).
    #[wasm_bindgen(js_name = changesIn)]
    pub fn changes_in(&self) -> f64 {
        self.inner.changes_in()
    }

    /// Interns `key`; its answers are at `table() + 8 × id` (the answer) and `+ 4` (its slot list).
    pub fn id(&mut self, key: &str) -> u32 {
        self.inner.id(key)
    }

    /// The byte offset of the per-key table (it moves when a key is interned or a snapshot loads).
    pub fn table(&self) -> u32 {
        offset(self.inner.table().as_ptr())
    }

    /// The byte offset of at least `len` numbers for a question's records and trees.
    pub fn scratch(&mut self, len: u32) -> u32 {
        let len = len as usize;
        if self.scratch.len() < len {
            self.scratch.resize(len, 0.0);
        }
        offset(self.scratch.as_ptr())
    }

    /// The byte offset of at least `len` bytes for a question's text.
    #[wasm_bindgen(js_name = textScratch)]
    pub fn text_scratch(&mut self, len: u32) -> u32 {
        let len = len as usize;
        if self.text.len() < len {
            self.text.resize(len, 0);
        }
        offset(self.text.as_ptr())
    }

    /// Leaves `answers` in the answer list and returns its byte offset: the count, then the answers.
    fn answer(&mut self, answers: impl IntoIterator<Item = u32>) -> u32 {
        self.out.clear();
        self.out.push(0);
        self.out.extend(answers);
        let count = u32::try_from(self.out.len() - 1).unwrap_or(u32::MAX);
        if let Some(first) = self.out.first_mut() {
            *first = count;
        }
        offset(self.out.as_ptr())
    }

    /// The first `len` bytes of the text scratch (JavaScript's TextEncoder wrote valid UTF-8; anything
    /// else reads as the empty text, which no route or key matches).
    fn text(&self, len: u32) -> &str {
        self.text.get(..len as usize).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default()
    }

    /// The answer word for interned key `id` on the record in the scratch numbers.
    pub fn record(&self, id: u32) -> u32 {
        self.inner.record_word(id, &self.scratch)
    }

    /// `mask`: the visibility word plus 2^32 × what to copy (src/gate/numbers.rs).
    pub fn mask(&self, resource: i32) -> f64 {
        self.inner.mask_code(resource, &self.scratch)
    }

    /// `fields`: a word per governed field of `resource` (in the answer list; returns its offset).
    pub fn fields(&mut self, resource: i32) -> u32 {
        let words = self.inner.field_words(resource, &self.scratch);
        self.answer(words)
    }

    /// `filter`: 1 for each of the `count` records in the scratch numbers the user may see (in the
    /// answer list; returns its offset).
    pub fn filter(&mut self, resource: i32, count: u32) -> u32 {
        let flags = self.inner.filter_flags(resource, count as usize, &self.scratch);
        self.answer(flags.into_iter().map(u32::from))
    }

    /// `route`: the word plus 2^32 × the redirect code, for the path of `len` bytes in the text scratch.
    pub fn route(&self, len: u32) -> f64 {
        self.inner.route_code(self.text(len))
    }

    /// `platform`: the word plus 2^32 × the redirect code, as for `route`.
    pub fn platform(&self) -> f64 {
        self.inner.platform_code()
    }

    /// `keys`: the catalogue keys the snapshot in force grants, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.inner.key_list()
    }

    /// `menu()`: 1 for each item of the policy's menu (preorder) that stays (in the answer list;
    /// returns its offset).
    pub fn menu(&mut self) -> u32 {
        let flags = self.inner.policy_menu_flags();
        self.answer(flags.into_iter().map(u32::from))
    }

    /// `menu(tree)`: 1 for each node of the tree in the scratch numbers that stays (in the answer
    /// list; returns its offset).
    #[wasm_bindgen(js_name = menuFilter)]
    pub fn menu_filter(&mut self) -> Result<u32, JsValue> {
        let flags = self.inner.menu_flags(&self.scratch).map_err(|e| error(&e))?;
        Ok(self.answer(flags.into_iter().map(u32::from)))
    }

    /// Any question, by kind (js/gate.js reads it from the question's members): 0 `{ key: a }`,
    /// 1 `{ route: a }`, 2 `{ menu: a }`, 3 `{ resource: a, field: b }`, 4 `{ resource: a, see }`;
    /// its records already in the scratch numbers. Answered as a word.
    pub fn explain(&self, kind: u32, a: &str, b: &str) -> u32 {
        let asked = match kind {
            0 => Asked::Key(a),
            1 => Asked::Route(a),
            2 => Asked::Menu(a),
            3 => Asked::Field(a, b),
            _ => Asked::See(a),
        };
        self.inner.explain_word(&asked, &self.scratch)
    }

    /// The effective value of a user setting (for display), or `undefined`.
    pub fn setting(&self, name: &str) -> JsValue {
        self.inner.setting(name).map_or(JsValue::UNDEFINED, to_js)
    }

    /// `{ loaded, subject, tenant, rev, issuedAt, expiresAt, expiresIn, expired, inGrace }`.
    pub fn status(&self) -> JsValue {
        status(&self.inner.status())
    }

    /// The snapshot's strings, one list: its texts, facts, slots (each as its paths, see `layout`),
    /// resource names with their governed fields, and menu item ids.
    pub fn strings(&self) -> Vec<String> {
        self.inner.ahead().map(crate::surfaces::ahead::Answers::strings).unwrap_or_default()
    }

    /// How `strings` is cut, and the numbers that go with it (src/surfaces/ahead.rs `layout`), in the
    /// answer list; returns its offset.
    pub fn layout(&mut self) -> u32 {
        let words = self.inner.ahead().map(crate::surfaces::ahead::Answers::layout).unwrap_or_default();
        self.answer(words)
    }

    /// The placeholder of each resource type for hidden fields (`undefined`: the field is removed).
    pub fn placeholders(&self) -> Vec<JsValue> {
        let Some(a) = self.inner.ahead() else { return Vec::new() };
        a.resources.iter().map(|r| r.placeholder.as_ref().map_or(JsValue::UNDEFINED, to_js)).collect()
    }
}

/// The query planner, in the planner module only (`rolegate_query_bg.wasm`, built with feature
/// `query`): the browser module leaves it out to stay within its size budget (docs/records.md).
#[cfg(feature = "query")]
#[wasm_bindgen]
impl WasmGate {
    /// `query`: the query plan of the action of `len` bytes in the text scratch on records of
    /// resource type number `resource`, as its JSON form (src/surfaces/query/json.rs) made of plain
    /// JS values.
    pub fn query(&self, resource: i32, len: u32) -> JsValue {
        to_js(&self.inner.query_plan(resource, self.text(len)).to_json())
    }
}
