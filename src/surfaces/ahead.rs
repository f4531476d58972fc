//! Answers computed ahead, when a snapshot loads: every decision that depends on the user alone (not
//! on a record or a path) as a number, and the tables that turn those numbers back into the
//! documented objects. The JavaScript side reads them without asking; what it must ask (a record, a
//! path, a menu tree) costs one call that passes numbers and returns numbers (docs/api.md, "How
//! answers cross into JavaScript").

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use super::{fields, MenuIndex, Redirect, RouteDecision, RouteTable};
use crate::eval::{Context, Decision, Grants, KeyPlan, Reason, Verdict};

/// Bit 7 of a [`word`]: the decision allows.
pub(crate) const ALLOW_BIT: u32 = 0x80;

/// The text index of a decision that names no rule.
pub(crate) const NO_TEXT: u32 = 0x00FF_FFFF;

/// A decision as one number: bits 0–6 the reason ([`Reason`] in declaration order, as
/// [`Reason::ALL`] lists it), bit 7 whether it allows, bits 8–31 the index of its rule in the
/// snapshot's text table ([`NO_TEXT`] for none).
pub(crate) fn word(reason: Reason, allow: bool, text: Option<u32>) -> u32 {
    let text = text.map_or(NO_TEXT, |t| t.min(NO_TEXT));
    (reason as u32 & 0x7f) | if allow { ALLOW_BIT } else { 0 } | (text << 8)
}

/// A decision of a gate with nothing to answer from (no snapshot, expired), which names no rule.
pub(crate) fn deny_word(reason: Reason) -> u32 {
    word(reason, false, None)
}

/// The texts a decision of this snapshot can name, each once. The evaluator's rule texts come
/// first, so that a [`Verdict`]'s rule index is its text index.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    list: Vec<String>,
    /// Keyed by `Box<str>` like the evaluator's maps, so the module carries one map of that shape.
    index: HashMap<Box<str>, u32>,
}

impl Texts {
    fn add(&mut self, text: &str) {
        if self.index.contains_key(text) {
            return;
        }
        let Ok(i) = u32::try_from(self.list.len()) else { return };
        self.list.push(text.to_owned());
        self.index.insert(text.into(), i);
    }

    /// The texts, by index.
    pub(crate) fn list(&self) -> &[String] {
        &self.list
    }

    /// The index of `text`.
    pub(crate) fn of(&self, text: &str) -> Option<u32> {
        self.index.get(text).copied()
    }

    /// A decision as a [`word`].
    pub(crate) fn word(&self, d: &Decision) -> u32 {
        word(d.reason, d.allow, d.rule.as_deref().and_then(|r| self.of(r)))
    }
}

/// `2^32`: the factor of the second number packed into an answer beside a word.
pub(crate) const HIGH: f64 = 4_294_967_296.0;

/// A route decision as one number: its [`word`] plus 2^32 × where a denied route sends the user: 0
/// nowhere (allowed), 1 home, 2 log-out, 3 + i the path at index i of `texts` (`None`: no snapshot
/// answers, and there is no path to name).
pub(crate) fn route_code(r: &RouteDecision, texts: Option<&Texts>) -> f64 {
    let rule = r.decision.rule.as_deref().and_then(|t| texts.and_then(|x| x.of(t)));
    let to = match &r.redirect {
        None => 0,
        Some(Redirect::Home) => 1,
        Some(Redirect::Logout) => 2,
        Some(Redirect::To(p)) => texts.and_then(|t| t.of(p)).map_or(2, |i| i.saturating_add(3)),
    };
    f64::from(word(r.decision.reason, r.allow, rule)) + f64::from(to) * HIGH
}

/// A verdict of the evaluator as a [`word`] (its rule index is its text index).
pub(crate) fn verdict_word(v: Verdict) -> u32 {
    word(v.reason, v.allow(), v.rule)
}

/// One resource type, ahead: its name, its governed fields with the word each has once the record
/// is visible, and its placeholder for hidden fields.
#[derive(Debug)]
pub(crate) struct ResourceAhead {
    pub(crate) name: String,
    /// The plan of its view key.
    pub(crate) view: Option<KeyPlan>,
    pub(crate) fields: Vec<(String, u32)>,
    pub(crate) placeholder: Option<Value>,
}

/// One item of the policy's menu, in preorder: its id, its number of children, and whether its own
/// checks allow it.
#[derive(Debug)]
pub(crate) struct MenuAhead {
    pub(crate) id: String,
    pub(crate) children: usize,
    pub(crate) own: bool,
}

/// What a snapshot's answers need besides the per-key table: texts, the record fields checks read,
/// the texts records are compared with, resources, the menu.
#[derive(Debug)]
pub(crate) struct Answers {
    pub(crate) texts: Texts,
    /// The texts record values are compared with (see [`Grants::facts`]); a record's string is sent
    /// as its index here, or as "another string".
    pub(crate) facts: Vec<String>,
    /// The record fields checks read (dotted paths), each once.
    pub(crate) slots: Vec<String>,
    /// For each resource type, the slots its checks read; then those of a key with no resource type;
    /// then every slot.
    pub(crate) slot_lists: Vec<Vec<u32>>,
    pub(crate) resources: Vec<ResourceAhead>,
    pub(crate) menu: Vec<MenuAhead>,
    /// The number of top-level items of the policy's menu.
    pub(crate) menu_roots: usize,
    /// The [`route_code`] of a path that matches each route rule, then of one that matches none.
    pub(crate) routes: Vec<f64>,
    /// The text index of the user's home path.
    pub(crate) home: u32,
    /// The [`route_code`] of whether the session may start on the UI's platform at all.
    pub(crate) platform: f64,
}

impl Answers {
    /// Computes the answers of `grants` for a UI on `ctx`'s platform.
    pub(crate) fn build(
        grants: &Grants,
        ctx: &Context<'_>,
        routes: &RouteTable,
        menu: &MenuIndex,
    ) -> Answers {
        let mut texts = Texts::default();
        for r in grants.rules() {
            texts.add(r);
        }
        let body = grants.body();
        for k in &body.keys {
            texts.add(k);
        }
        for t in routes.texts() {
            texts.add(t);
        }
        texts.add(routes.home());
        let home = texts.of(routes.home()).unwrap_or(NO_TEXT);
        let flat = menu.flat(grants, ctx);
        let menu = flat
            .into_iter()
            .map(|(id, children, own)| {
                texts.add(id);
                if let Some(r) = &own.rule {
                    texts.add(r);
                }
                MenuAhead { id: id.to_owned(), children, own: own.allow }
            })
            .collect();
        let mut slots: Vec<String> = Vec::new();
        let mut slot_of = |name: &str| -> u32 {
            let i = slots.iter().position(|s| s == name).unwrap_or_else(|| {
                slots.push(name.to_owned());
                slots.len() - 1
            });
            u32::try_from(i).unwrap_or(u32::MAX)
        };
        let count = u32::try_from(grants.resource_count()).unwrap_or(u32::MAX);
        let mut slot_lists: Vec<Vec<u32>> = (0..count)
            .map(|i| grants.record_fields(Some(i)).into_iter().map(&mut slot_of).collect())
            .collect();
        slot_lists.push(grants.record_fields(None).into_iter().map(&mut slot_of).collect());
        slot_lists.push((0..u32::try_from(slots.len()).unwrap_or(0)).collect());
        let resources = (0..count)
            .filter_map(|i| {
                let name = grants.resource_name(i)?;
                let (_, res) = grants.resource(name)?;
                let plan = fields::plan(grants, ctx, name);
                for (_, d) in &plan {
                    if let Some(r) = &d.rule {
                        texts.add(r);
                    }
                }
                let fields = plan.into_iter().map(|(f, d)| (f, texts.word(&d))).collect();
                let view = fields::view_plan(grants, i, res);
                Some(ResourceAhead {
                    name: name.to_owned(),
                    view,
                    fields,
                    placeholder: res.raw.placeholder.clone(),
                })
            })
            .collect();
        let facts = grants.facts().into_iter().map(str::to_owned).collect();
        let decided: Vec<RouteDecision> = (0..routes.len())
            .map(Some)
            .chain([None])
            .map(|hit| routes.decide_rule(grants, ctx, hit))
            .collect();
        let platform = routes.platform(grants, ctx);
        for d in decided.iter().chain([&platform]) {
            if let Some(r) = &d.decision.rule {
                texts.add(r);
            }
        }
        let platform = route_code(&platform, Some(&texts));
        let routes = decided.iter().map(|d| route_code(d, Some(&texts))).collect();
        Answers {
            texts,
            facts,
            slots,
            slot_lists,
            resources,
            menu,
            menu_roots: body.menu.len(),
            routes,
            home,
            platform,
        }
    }

    /// Every string the JavaScript side needs, in one list: the texts, the facts, the steps of each
    /// slot's ways to be read (see [`paths`]), the resource names, each resource's governed field
    /// names, and the menu item ids. [`Answers::layout`] says how to cut it.
    pub(crate) fn strings(&self) -> Vec<String> {
        let mut out: Vec<String> = self.texts.list().to_vec();
        out.extend(self.facts.iter().cloned());
        for s in &self.slots {
            out.extend(paths(s).into_iter().flatten().map(str::to_owned));
        }
        out.extend(self.resources.iter().map(|r| r.name.clone()));
        for r in &self.resources {
            out.extend(r.fields.iter().map(|(f, _)| f.clone()));
        }
        out.extend(self.menu.iter().map(|m| m.id.clone()));
        out
    }

    /// The numbers that cut [`Answers::strings`] and go with it: the counts of texts, facts and
    /// slots; for each slot, its number of ways and each way's number of steps; the number of slot
    /// lists and each list (its length, then its slots); the number of resources and for each its
    /// number of governed fields, then their words; the number of menu items, the number of top-level
    /// items, then each item's number of children (preorder); the text index of the home path.
    pub(crate) fn layout(&self) -> Vec<u32> {
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let mut out = vec![n(self.texts.list().len()), n(self.facts.len()), n(self.slots.len())];
        for s in &self.slots {
            let ways = paths(s);
            out.push(n(ways.len()));
            out.extend(ways.iter().map(|w| n(w.len())));
        }
        out.push(n(self.slot_lists.len()));
        for list in &self.slot_lists {
            out.push(n(list.len()));
            out.extend(list);
        }
        out.push(n(self.resources.len()));
        for r in &self.resources {
            out.push(n(r.fields.len()));
            out.extend(r.fields.iter().map(|(_, w)| *w));
        }
        out.push(n(self.menu.len()));
        out.push(n(self.menu_roots));
        out.extend(self.menu.iter().map(|m| n(m.children)));
        out.push(self.home);
        out
    }

    /// The slot list of a key's resource type (or of keys with no resource type).
    pub(crate) fn key_slots(&self, resource: Option<u32>) -> u32 {
        let none = self.slot_lists.len().saturating_sub(2);
        let i = resource.map_or(none, |r| (r as usize).min(none));
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    /// The slot list with every slot (for questions whose resource type is not known up front).
    pub(crate) fn all_slots(&self) -> &[u32] {
        self.slot_lists.last().map_or(&[], Vec::as_slice)
    }

    /// Slot list `i`.
    pub(crate) fn slot_list(&self, i: u32) -> &[u32] {
        self.slot_lists.get(i as usize).map_or(&[], Vec::as_slice)
    }

    /// Which nodes of a menu tree to keep. `nodes` is the tree in preorder: each node's policy item
    /// (`None` for an id the policy does not have) and number of children; `roots` is the number of
    /// top-level nodes. A node is kept when its item is known and its own checks allow it, and, when
    /// it has children, at least one child is kept (a section left empty is dropped).
    pub(crate) fn menu_keep(&self, roots: usize, nodes: &[(Option<u32>, usize)]) -> Vec<u8> {
        let mut keep = vec![0; nodes.len()];
        let mut at = 0;
        self.keep_level(roots, nodes, &mut at, &mut keep);
        keep
    }

    fn keep_level(
        &self,
        count: usize,
        nodes: &[(Option<u32>, usize)],
        at: &mut usize,
        keep: &mut [u8],
    ) -> bool {
        let mut any = false;
        for _ in 0..count {
            let i = *at;
            let Some(&(item, children)) = nodes.get(i) else { return any };
            *at += 1;
            let own = item.and_then(|m| self.menu.get(m as usize)).is_some_and(|m| m.own);
            let some_child = self.keep_level(children, nodes, at, keep);
            let kept = own && (children == 0 || some_child);
            if let Some(k) = keep.get_mut(i) {
                *k = u8::from(kept);
            }
            any |= kept;
        }
        any
    }
}

/// The ways to read a record field named by a dotted path, in the order the evaluator tries them
/// ([`crate::eval::Record`]): the whole path as one member name, then the first segment and the
/// rest, and so on (`a.b.c`: `["a.b.c"]`, `["a", "b.c"]`, `["a", "b", "c"]`). The first way that
/// gives a value other than `undefined` is the field's value.
pub(crate) fn paths(path: &str) -> Vec<Vec<&str>> {
    let mut ways = vec![vec![path]];
    let mut steps = Vec::new();
    let mut start = 0;
    for (i, _) in path.match_indices('.') {
        steps.push(path.get(start..i).unwrap_or_default());
        start = i + 1;
        let mut way = steps.clone();
        way.push(path.get(start..).unwrap_or_default());
        ways.push(way);
    }
    ways
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_the_evaluators_order() {
        assert_eq!(paths("id"), [vec!["id"]]);
        assert_eq!(paths("a.b.c"), [vec!["a.b.c"], vec!["a", "b.c"], vec!["a", "b", "c"]]);
        assert_eq!(paths("a..b"), [vec!["a..b"], vec!["a", ".b"], vec!["a", "", "b"]]);
    }

    #[test]
    fn words_round_trip() {
        let w = word(Reason::OutOfScope, false, Some(5));
        assert_eq!((w & 0x7f, w & ALLOW_BIT, w >> 8), (Reason::OutOfScope as u32, 0, 5));
        assert_eq!(deny_word(Reason::Expired) >> 8, NO_TEXT);
        assert!(Reason::ALL.iter().all(|r| (*r as u32) < 0x80));
    }
}
