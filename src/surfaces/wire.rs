//! What the JavaScript side writes for a question that needs more than a key: a record as the values
//! of the few fields the evaluator reads, and a menu tree as item numbers and child counts, as
//! numbers in one shared buffer (docs/api.md, "How answers cross into JavaScript").
//!
//! A record is its shape, then one value per slot of the slot list the question uses
//! ([`super::ahead::Answers::slot_lists`]). A value is a tag, then for some tags a payload:
//!
//! | tag | value | payload |
//! |---|---|---|
//! | 0 | absent (`undefined`, or reading it threw) | |
//! | 1 | `null` | |
//! | 2, 3 | `false`, `true` | |
//! | 4 | a number | the number |
//! | 5 | a string that is one of the snapshot's facts | its index |
//! | 6 | any other string (it matches nothing) | |
//! | 7 | anything else (an object, a function, a BigInt, a symbol) | |
//! | 8 | an array | its length, then that many values |
//!
//! Whatever is out of shape (a JavaScript bug, not a user's input) reads as a record with no fields,
//! which every scoped check denies.

use std::borrow::Cow;

use super::ahead::Answers;
use crate::eval::{FieldValue, Record};

use crate::limits::{MAX_LIST_DEPTH, MAX_LIST_ITEMS};

/// A record's shape: what the question passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Nothing (`undefined`): the question is about the key alone.
    Absent,
    /// An object (not an array).
    Object,
    /// An array (its fields are read like an object's).
    Array,
    /// Anything else (`null`, a number, a string …): a record with no fields.
    Other,
}

/// A cursor over the numbers JavaScript wrote.
pub(crate) struct Wire<'w> {
    data: &'w [f64],
    at: usize,
}

impl<'w> Wire<'w> {
    /// Reads `data` from the start.
    pub(crate) fn new(data: &'w [f64]) -> Wire<'w> {
        Wire { data, at: 0 }
    }

    fn next(&mut self) -> Option<f64> {
        let v = self.data.get(self.at).copied();
        self.at += 1;
        v
    }

    /// The next number as a whole number in `0..=max`, if it is one.
    fn count(&mut self, max: u32) -> Option<u32> {
        let v = self.next()?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "range checked first")]
        (v >= 0.0 && v <= f64::from(max) && v.fract() == 0.0).then_some(v as u32)
    }

    /// The next number as a signed whole number (item numbers and markers), if it is one.
    fn int(&mut self) -> Option<i64> {
        let v = self.next()?;
        #[allow(clippy::cast_possible_truncation, reason = "range checked first")]
        (v.fract() == 0.0 && v.abs() <= f64::from(u32::MAX)).then_some(v as i64)
    }
}

/// How many slots of a record [`record`] notes the start of (a resource's slot list is a handful
/// of fields: tenant, owners, team, area, client, shared-with); the values of later ones are found
/// by decoding the ones before.
const NOTED: usize = 8;

/// A record as JavaScript sent it: its shape and the values of the fields the question reads, in
/// the order of its slot list. A field is decoded when the evaluator asks for it (no allocation but
/// for arrays); [`record`] checked the values' shape first and noted where each value starts, so a
/// field is decoded once, not after every value before it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SlotRecord<'a> {
    pub(crate) shape: Shape,
    values: &'a [f64],
    slots: &'a [u32],
    ahead: Option<&'a Answers>,
    /// Where the value of each of the first [`NOTED`] slots starts in `values`.
    starts: [u32; NOTED],
}

impl Record for SlotRecord<'_> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        let ahead = self.ahead?;
        let at = self.slots.iter().position(|&s| ahead.slots.get(s as usize).is_some_and(|n| n == name))?;
        let mut wire = Wire::new(self.values);
        match self.starts.get(at) {
            Some(&start) => wire.at = start as usize,
            None => {
                wire.at = self.starts.last().map_or(0, |&s| s as usize);
                for _ in NOTED - 1..at {
                    value(&mut wire, &ahead.facts, 0)?;
                }
            }
        }
        value(&mut wire, &ahead.facts, 0)?
    }
}

impl<'a> SlotRecord<'a> {
    /// A record with no fields.
    pub(crate) fn empty(shape: Shape) -> SlotRecord<'a> {
        SlotRecord { shape, values: &[], slots: &[], ahead: None, starts: [0; NOTED] }
    }

    /// The record, or `None` when the question passed none.
    pub(crate) fn given(&self) -> Option<&dyn Record> {
        (self.shape != Shape::Absent).then_some(self as &dyn Record)
    }
}

/// Reads one record whose values are those of `slots` (a slot list of `ahead`). `None` when the
/// numbers are out of shape; the caller then answers as for a record with no fields.
pub(crate) fn record<'a>(
    wire: &mut Wire<'a>,
    ahead: &'a Answers,
    slots: &'a [u32],
) -> Option<SlotRecord<'a>> {
    let shape = match wire.count(3)? {
        0 => Shape::Absent,
        1 => Shape::Object,
        2 => Shape::Array,
        _ => return Some(SlotRecord::empty(Shape::Other)),
    };
    if shape == Shape::Absent {
        return Some(SlotRecord::empty(shape));
    }
    let base = wire.at;
    let values = wire.data.get(base..)?;
    let mut starts = [0; NOTED];
    for i in 0..slots.len() {
        if let Some(start) = starts.get_mut(i) {
            *start = u32::try_from(wire.at - base).ok()?;
        }
        value(wire, &ahead.facts, 0)?;
    }
    Some(SlotRecord { shape, values, slots, ahead: Some(ahead), starts })
}

/// One record, or a record with no fields when the numbers are out of shape.
pub(crate) fn record_or_empty<'a>(
    wire: &mut Wire<'a>,
    ahead: &'a Answers,
    slots: &'a [u32],
) -> SlotRecord<'a> {
    record(wire, ahead, slots).unwrap_or_else(|| SlotRecord::empty(Shape::Other))
}

/// One value: `Some(None)` when absent, `None` when out of shape.
fn value<'a>(wire: &mut Wire<'_>, facts: &'a [String], depth: u32) -> Option<Option<FieldValue<'a>>> {
    Some(Some(match wire.count(8)? {
        0 => return Some(None),
        1 => FieldValue::Null,
        2 => FieldValue::Bool(false),
        3 => FieldValue::Bool(true),
        4 => FieldValue::Num(wire.next()?),
        5 => FieldValue::Str(Cow::Borrowed(facts.get(wire.count(u32::MAX)? as usize)?)),
        // Another string equals no fact, so it compares like a value the evaluator does not compare.
        6 | 7 => FieldValue::Other,
        _ if depth >= MAX_LIST_DEPTH => return None,
        _ => {
            let n = wire.count(MAX_LIST_ITEMS)?;
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(value(wire, facts, depth + 1)?.unwrap_or(FieldValue::Null));
            }
            FieldValue::List(items)
        }
    }))
}

/// A menu tree's nodes in preorder: each node's policy item (`None`: not in the policy) and number of children.
pub(crate) type MenuNodes = Vec<(Option<u32>, usize)>;

/// Why a menu tree was refused.
pub(crate) const MENU_SHAPE: &str = "a menu tree must be an array of `{ id, children? }`, at most 32 deep";
/// Why a menu tree was refused: a node's id.
pub(crate) const MENU_ID: &str = "`id` must be a string";

/// A menu tree: the number of top-level nodes, then each node in preorder as its policy item
/// number (−1: an id the policy does not have, −2: an id that is not a string, −3: deeper than
/// [`crate::limits::MAX_MENU_DEPTH`]) and its number of children (−1: none, −2: `children` is not an array). The
/// tree itself not being an array is a count of −2. Returns the number of top-level nodes and the
/// nodes, or why the tree is refused.
pub(crate) fn menu(wire: &mut Wire<'_>) -> Result<(usize, MenuNodes), &'static str> {
    let roots = wire.int().ok_or(MENU_SHAPE)?;
    let roots = usize::try_from(roots).map_err(|_| MENU_SHAPE)?;
    let mut nodes = Vec::new();
    let mut pending = roots;
    while pending > 0 {
        pending -= 1;
        let item = wire.int().ok_or(MENU_SHAPE)?;
        let children = wire.int().ok_or(MENU_SHAPE)?;
        let children = match children {
            -1 => 0,
            c => usize::try_from(c).map_err(|_| MENU_SHAPE)?,
        };
        let item = match item {
            -1 => None,
            -2 => return Err(MENU_ID),
            i => Some(u32::try_from(i).map_err(|_| MENU_SHAPE)?),
        };
        pending = pending.checked_add(children).ok_or(MENU_SHAPE)?;
        nodes.push((item, children));
    }
    Ok((roots, nodes))
}

#[cfg(test)]
mod tests {
    use super::super::ahead::Texts;
    use super::*;

    #[test]
    fn every_slot_of_a_long_record_reads_its_own_value() {
        // Many slots, with lists between them, so a value read from the wrong place shows.
        let n = 12;
        let ahead = Answers {
            texts: Texts::default(),
            facts: vec!["f0".into(), "f1".into()],
            slots: (0..n).map(|i| format!("s{i}")).collect(),
            slot_lists: vec![],
            resources: vec![],
            menu: vec![],
            menu_roots: 0,
            routes: vec![],
            home: 0,
            platform: 0.0,
        };
        let slots: Vec<u32> = (0..n as u32).collect();
        let mut numbers = vec![1.0]; // an object
        for i in 0..n {
            if i % 3 == 0 {
                numbers.extend([8.0, 2.0, 5.0, 1.0, 4.0, i as f64]); // [f1, i]
            } else {
                numbers.extend([4.0, i as f64]);
            }
        }
        let record = record(&mut Wire::new(&numbers), &ahead, &slots).unwrap();
        for i in 0..n {
            let want = if i % 3 == 0 {
                FieldValue::List(vec![FieldValue::Str(Cow::Borrowed("f1")), FieldValue::Num(i as f64)])
            } else {
                FieldValue::Num(i as f64)
            };
            assert_eq!(record.field(&format!("s{i}")), Some(want), "slot {i}");
        }
        assert_eq!(record.field("nope"), None);
    }

    #[test]
    fn menu_markers() {
        assert_eq!(menu(&mut Wire::new(&[1.0, 0.0, -1.0])), Ok((1, vec![(Some(0), 0)])));
        assert_eq!(menu(&mut Wire::new(&[-2.0])), Err(MENU_SHAPE));
        assert_eq!(menu(&mut Wire::new(&[1.0, -2.0, -1.0])), Err(MENU_ID));
        assert_eq!(menu(&mut Wire::new(&[1.0, -3.0, -1.0])), Err(MENU_SHAPE));
        assert_eq!(menu(&mut Wire::new(&[1.0, 0.0, -2.0])), Err(MENU_SHAPE));
        assert_eq!(menu(&mut Wire::new(&[2.0, 0.0, -1.0])), Err(MENU_SHAPE), "a node missing");
    }
}
