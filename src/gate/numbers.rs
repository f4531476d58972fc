//! The gate's answers as numbers, for the JavaScript bindings (`src/wasm/gate.rs`, `js/gate.js`):
//! the clock read once per task ([`Gate::tick`]), the per-key table read straight from memory, and
//! one call per question that needs a record, a path or a menu tree, which passes numbers in (see
//! [`crate::surfaces::wire`]) and returns numbers ([`ahead::word`]s). Every decision is the
//! evaluator's, the same as the methods of [`Gate`] give; only its encoding differs.

use super::{Gate, Loaded};
use crate::error::Error;
use crate::eval::{Reason, Verdict};
use crate::surfaces::ahead::{self, deny_word, verdict_word, Answers, HIGH};
use crate::surfaces::fields;
use crate::surfaces::wire::{self, Shape, SlotRecord, Wire};
use crate::surfaces::Question;

/// A question of `explain` once its strings are read; the records come from the wire.
pub(crate) enum Asked<'a> {
    /// `{ key, record? }`.
    Key(&'a str),
    /// `{ route }`.
    Route(&'a str),
    /// `{ menu }`.
    Menu(&'a str),
    /// `{ resource, field, record? }`.
    Field(&'a str, &'a str),
    /// `{ resource, see }`.
    See(&'a str),
}

impl Gate {
    /// Reads the clock for the checks that follow (the bindings call this at most once per task)
    /// and returns 0 when a snapshot answers them, or else the word every check is denied with.
    pub(crate) fn tick(&mut self) -> u32 {
        self.ticked_at = self.options.clock.now();
        match self.valid_at(self.ticked_at) {
            Ok(_) => 0,
            Err(reason) => deny_word(reason),
        }
    }

    /// Seconds from now until the snapshot in force stops answering or changes how: when it expires
    /// (beyond the clock skew) or, expired but in its offline grace, when the grace ends; −1 when
    /// nothing is loaded or the snapshot answers nothing already (for the bindings' expiry timer).
    pub(crate) fn changes_in(&self) -> f64 {
        let Some(l) = &self.current else { return -1.0 };
        let now = self.options.clock.now();
        let end = l.claims.exp + self.options.clock_skew_sec;
        if now < end {
            end - now
        } else if now < end + self.options.offline_grace_sec {
            end + self.options.offline_grace_sec - now
        } else {
            -1.0
        }
    }

    /// The snapshot in force at the last tick.
    fn live(&self) -> Result<&Loaded, Reason> {
        self.valid_at(self.ticked_at)
    }

    /// The per-key table: for each id of [`Gate::id`], its answer without a record and the slot list
    /// a check on a record reads. Empty with nothing loaded.
    pub(crate) fn table(&self) -> &[u32] {
        self.current.as_ref().map_or(&[], |l| l.answers.as_slice())
    }

    /// The tables of the snapshot in force (expired or not).
    pub(crate) fn ahead(&self) -> Option<&Answers> {
        self.current.as_ref().map(|l| &l.ahead)
    }

    /// The answer for interned key `id` on the record in `wire` (a key past the interning limit is
    /// asked through [`Gate::explain_word`] instead).
    pub(crate) fn record_word(&self, id: u32, wire: &[f64]) -> u32 {
        let l = match self.live() {
            Ok(l) => l,
            Err(reason) => return deny_word(reason),
        };
        let i = id as usize;
        let (Some(&plan), Some(&slots)) =
            (l.plans.get(i), l.answers.get(i.saturating_mul(2).saturating_add(1)))
        else {
            return deny_word(Reason::NoGrant);
        };
        let record = wire::record_or_empty(&mut Wire::new(wire), &l.ahead, l.ahead.slot_list(slots));
        verdict_word(l.grants.verdict_planned(&self.context(), plan, record.given()))
    }

    /// For `mask`: whether the record in `wire` of resource type `resource` (an index of
    /// [`Answers::resources`]; −1 for a name the snapshot does not have) is visible, as a word, plus
    /// 2^32 × what to return: 0 = a copy without the hidden fields, 1 = an empty object with every
    /// member of the record masked with that decision, 2 = an empty object and nothing masked (the
    /// record is not an object).
    pub(crate) fn mask_code(&self, resource: i32, wire: &[f64]) -> f64 {
        let object = wire.first() == Some(&1.0);
        let (word, allow) = match self.live() {
            Err(reason) => (deny_word(reason), false),
            Ok(l) => {
                let v = self.seen(l, resource, &mut Wire::new(wire));
                (verdict_word(v), v.allow())
            }
        };
        let copy = match (object, allow) {
            (true, true) => 0.0,
            (true, false) => 1.0,
            (false, _) => 2.0,
        };
        f64::from(word) + copy * HIGH
    }

    /// Whether the next record in `wire` of resource type `resource` is visible.
    fn seen<'a>(&self, l: &'a Loaded, resource: i32, wire: &mut Wire<'a>) -> Verdict {
        let Some((index, res)) =
            u32::try_from(resource).ok().and_then(|i| Some((i, l.ahead.resources.get(i as usize)?)))
        else {
            return Verdict::of(Reason::UnknownResource);
        };
        let record = wire::record_or_empty(wire, &l.ahead, l.ahead.slot_list(index));
        fields::visible(&l.grants, &self.context(), index, res.view, Some(&record))
    }

    /// For `fields`: the word of each governed field of resource type `resource` (on the record in
    /// `wire`, if one is given), in the order of [`Answers::resources`]' fields.
    pub(crate) fn field_words(&self, resource: i32, wire: &[f64]) -> Vec<u32> {
        let Ok(l) = self.live() else { return Vec::new() };
        let Some(res) = usize::try_from(resource).ok().and_then(|i| l.ahead.resources.get(i)) else {
            // js/gate.js names it '*', every field (see fields::fields).
            return vec![verdict_word(fields::unknown_resource(&l.grants, &self.context()))];
        };
        let slots = l.ahead.slot_list(u32::try_from(resource).unwrap_or(u32::MAX));
        let record = wire::record_or_empty(&mut Wire::new(wire), &l.ahead, slots);
        let all = fields::fields(&l.grants, &self.context(), &res.name, record.given());
        all.iter().map(|f| l.ahead.texts.word(&f.decision)).collect()
    }

    /// For `filter`: 1 for each of the `count` records in `wire` the user may see, 0 for the others.
    pub(crate) fn filter_flags(&self, resource: i32, count: usize, wire: &[f64]) -> Vec<u8> {
        let Ok(l) = self.live() else { return vec![0; count] };
        let mut wire = Wire::new(wire);
        (0..count).map(|_| u8::from(self.seen(l, resource, &mut wire).allow())).collect()
    }

    /// For `route`: the decision as a [`ahead::route_code`], computed at load for each route rule.
    pub(crate) fn route_code(&self, path: &str) -> f64 {
        match self.live() {
            Ok(l) => {
                let hit = l.routes.find(path).unwrap_or(l.routes.len());
                l.ahead.routes.get(hit).copied().unwrap_or_else(|| {
                    ahead::route_code(
                        &l.routes.decide(&l.grants, &self.context(), path),
                        Some(&l.ahead.texts),
                    )
                })
            }
            Err(reason) => ahead::route_code(&self.route_in(Err(reason), path), None),
        }
    }

    /// For `platform`: whether the session may start on the UI's platform, as a
    /// [`ahead::route_code`] computed at load.
    pub(crate) fn platform_code(&self) -> f64 {
        match self.live() {
            Ok(l) => l.ahead.platform,
            Err(reason) => ahead::route_code(&self.route_in(Err(reason), ""), None),
        }
    }

    /// For `query`: the query plan of `action` on records of resource type number `resource` (as
    /// `filter` and `mask` number them; −1, an unknown type, is always-false), from the snapshot in
    /// force at the last tick (see [`Gate::query`]).
    #[cfg(feature = "query")]
    pub(crate) fn query_plan(&self, resource: i32, action: &str) -> crate::surfaces::query::Plan {
        let Ok(l) = self.live() else { return crate::surfaces::query::Plan::False };
        let name = usize::try_from(resource).ok().and_then(|i| l.ahead.resources.get(i));
        name.map_or(crate::surfaces::query::Plan::False, |r| {
            crate::surfaces::query::plan(&l.grants, &self.context(), &r.name, Some(action))
        })
    }

    /// For `keys`: the catalogue keys the snapshot in force grants (see [`Gate::keys`]), unsorted
    /// (js/gate.js sorts them: the browser module has no string sort to spare).
    pub(crate) fn key_list(&self) -> Vec<String> {
        self.live().map(|l| l.grants.granted(&self.context())).unwrap_or_default()
    }

    /// For `menu(tree)`: 1 for each node of the tree in `wire` (see [`wire::menu`]) that stays, 0 for
    /// the others; a tree of the wrong shape is a `bad_argument` error.
    pub(crate) fn menu_flags(&self, wire: &[f64]) -> Result<Vec<u8>, Error> {
        let (roots, nodes) = wire::menu(&mut Wire::new(wire))
            .map_err(|reason| Error::BadArgument { reason: reason.to_owned() })?;
        Ok(match self.live() {
            Ok(l) => l.ahead.menu_keep(roots, &nodes),
            Err(_) => vec![0; nodes.len()],
        })
    }

    /// For `menu()`: 1 for each item of the policy's menu (in the preorder of [`Answers::menu`]) that
    /// stays, 0 for the others.
    pub(crate) fn policy_menu_flags(&self) -> Vec<u8> {
        match self.live() {
            Ok(l) => {
                let nodes: Vec<(Option<u32>, usize)> =
                    (0u32..).zip(&l.ahead.menu).map(|(i, m)| (Some(i), m.children)).collect();
                l.ahead.menu_keep(l.ahead.menu_roots, &nodes)
            }
            Err(_) => Vec::new(),
        }
    }

    /// For `explain`: the word of the answer to `asked`, whose records (`record`, then `see`, each
    /// with every slot) are in `wire`.
    pub(crate) fn explain_word(&self, asked: &Asked<'_>, wire: &[f64]) -> u32 {
        let live = self.live();
        let (record, see) = match &live {
            Ok(l) => {
                let mut w = Wire::new(wire);
                let record = wire::record_or_empty(&mut w, &l.ahead, l.ahead.all_slots());
                (record, wire::record_or_empty(&mut w, &l.ahead, l.ahead.all_slots()))
            }
            Err(_) => (SlotRecord::empty(Shape::Absent), SlotRecord::empty(Shape::Absent)),
        };
        let question = match *asked {
            Asked::Key(key) => match record.given() {
                Some(r) => Question::Record(key, r),
                None => Question::Key(key),
            },
            Asked::Route(path) => Question::Route(path),
            Asked::Menu(id) => Question::Menu(id),
            Asked::Field(resource, field) => Question::Field { resource, field, record: record.given() },
            Asked::See(resource) => Question::See(resource, &see),
        };
        let texts = live.as_ref().ok().map(|l| &l.ahead.texts);
        let d = self.decide_in(live, question);
        texts.map_or_else(|| deny_word(d.reason), |t| t.word(&d))
    }
}
