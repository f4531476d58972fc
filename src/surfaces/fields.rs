//! Fields and lists: which fields of a record the user sees, masked copies, and filtered lists.

use serde_json::{Map, Value};

use crate::eval::{
    BodyField, Context, Decision, Grants, KeyPlan, Reason, Record, Resource, Setting, Verdict,
};

/// A field and the decision about it.
///
/// ```
/// use rolegate::surfaces::FieldDecision;
/// use rolegate::{Decision, Reason};
/// let f = FieldDecision { field: "cost".into(), decision: Decision::deny(Reason::SettingOff) };
/// assert!(!f.decision.allow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDecision {
    /// The field name.
    pub field: String,
    /// Whether it is visible, and why.
    pub decision: Decision,
}

/// A record with its hidden fields removed or replaced, and the list of what was masked and why.
///
/// ```
/// use rolegate::surfaces::Masked;
/// let m = Masked { value: serde_json::json!({}), masked: vec![] };
/// assert!(m.masked.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Masked {
    /// The masked copy.
    pub value: Value,
    /// The fields masked, each with its decision.
    pub masked: Vec<FieldDecision>,
}

/// The verdict on the fields of a resource type the snapshot does not have (a typo): denied,
/// `unknown_resource` (an inactive user's snapshot has no resource types: `inactive` comes first, as
/// everywhere). [`fields`] gives it as one entry, field `*`, for every field.
pub(crate) fn unknown_resource(grants: &Grants, ctx: &Context<'_>) -> Verdict {
    grants.admits(ctx).unwrap_or(Verdict::of(Reason::UnknownResource))
}

/// Whether the user may see records of `resource` (a given one, or any when `record` is `None`).
pub(crate) fn record_visible(
    grants: &Grants,
    ctx: &Context<'_>,
    resource: &str,
    record: Option<&dyn Record>,
) -> Decision {
    let Some((index, res)) = grants.resource(resource) else {
        return Decision::deny(Reason::UnknownResource);
    };
    grants.decision(visible(grants, ctx, index, view_plan(grants, index, res), record))
}

/// The plan of the view key of resource type `index` (`None`: it has none, and its records need
/// no permission beyond activity, platform and tenant).
pub(crate) fn view_plan(grants: &Grants, index: u32, res: &Resource) -> Option<KeyPlan> {
    grants.key(res.raw.view).map(|key| grants.key_plan(key, Some(Some(index))))
}

/// Whether the user may see a record of resource type `index`, whose view key is planned as `view`.
pub(crate) fn visible(
    grants: &Grants,
    ctx: &Context<'_>,
    index: u32,
    view: Option<KeyPlan>,
    record: Option<&dyn Record>,
) -> Verdict {
    match view {
        Some(plan) => grants.verdict_planned(ctx, plan, record),
        None => grants.admits_record(ctx, Some(index), record),
    }
}

/// Whether one governed field is visible, once the record is.
fn field_rule(grants: &Grants, ctx: &Context<'_>, rule: &BodyField) -> Decision {
    let key = grants.key(rule.key);
    if let Some(key) = key {
        let d = grants.decision(grants.verdict(ctx, key, None));
        if !d.allow {
            return d;
        }
    }
    if let Some(name) = &rule.setting {
        let reason = match grants.setting(name) {
            Setting::Value(Value::Bool(true)) => None,
            Setting::Forced(Value::Bool(true)) => None,
            Setting::Forced(_) => Some(Reason::SettingForced),
            Setting::NotApplicable => Some(Reason::SettingNotApplicable),
            Setting::Value(_) | Setting::Unknown => Some(Reason::SettingOff),
        };
        if let Some(reason) = reason {
            return Decision::new(reason, Some(name));
        }
    }
    match key {
        Some(key) => Decision::new(Reason::Granted, Some(key)),
        None => Decision::new(Reason::Public, rule.setting.as_deref()),
    }
}

/// The decision for one field of `resource` (on `record`, if given).
pub(crate) fn field(
    grants: &Grants,
    ctx: &Context<'_>,
    resource: &str,
    name: &str,
    record: Option<&dyn Record>,
) -> Decision {
    let seen = record_visible(grants, ctx, resource, record);
    if !seen.allow {
        return seen;
    }
    match grants
        .resource(resource)
        .and_then(|(_, r)| r.raw.fields.iter().find(|(f, _)| f == name).map(|(_, rule)| rule))
    {
        Some(rule) => field_rule(grants, ctx, rule),
        None => seen,
    }
}

/// The governed fields of resource type `resource` (an index) with the decision each has once the
/// record is visible: these depend on the user only, so they are computed once per snapshot.
pub(crate) fn plan(grants: &Grants, ctx: &Context<'_>, resource: &str) -> Vec<(String, Decision)> {
    let Some((_, res)) = grants.resource(resource) else { return Vec::new() };
    res.raw.fields.iter().map(|(name, rule)| (name.clone(), field_rule(grants, ctx, rule))).collect()
}

/// Every governed field of `resource` with its decision.
pub(crate) fn fields(
    grants: &Grants,
    ctx: &Context<'_>,
    resource: &str,
    record: Option<&dyn Record>,
) -> Vec<FieldDecision> {
    let Some((_, res)) = grants.resource(resource) else {
        let decision = grants.decision(unknown_resource(grants, ctx));
        return vec![FieldDecision { field: "*".into(), decision }];
    };
    let seen = record_visible(grants, ctx, resource, record);
    res.raw
        .fields
        .iter()
        .map(|(name, rule)| FieldDecision {
            field: name.clone(),
            decision: if seen.allow { field_rule(grants, ctx, rule) } else { seen.clone() },
        })
        .collect()
}

/// A copy of `record` with the fields the user may not see removed (or replaced by the resource's
/// placeholder). When the record itself is not visible, every field is masked.
pub(crate) fn mask(grants: &Grants, ctx: &Context<'_>, resource: &str, record: &Value) -> Masked {
    let seen = record_visible(grants, ctx, resource, Some(record));
    let Some(object) = record.as_object().filter(|_| seen.allow) else { return mask_all(record, &seen) };
    let placeholder = grants.resource(resource).and_then(|(_, r)| r.raw.placeholder.as_ref());
    let hidden: Vec<FieldDecision> =
        fields(grants, ctx, resource, Some(record)).into_iter().filter(|d| !d.decision.allow).collect();
    // Built member by member (rather than a clone with members removed, whose map rebalancing cost
    // kilobytes of the browser module); both maps are ordered by name, and so is `masked`.
    let mut value = Map::new();
    let mut masked = Vec::new();
    for (name, v) in object {
        match hidden.iter().find(|d| d.field == *name) {
            Some(d) => {
                if let Some(p) = placeholder {
                    value.insert(name.clone(), p.clone());
                }
                masked.push(d.clone());
            }
            None => {
                value.insert(name.clone(), v.clone());
            }
        }
    }
    Masked { value: Value::Object(value), masked }
}

/// The records of `records` the user may see.
pub(crate) fn filter<'r, R: Record>(
    grants: &Grants,
    ctx: &Context<'_>,
    resource: &str,
    records: &'r [R],
) -> Vec<&'r R> {
    records.iter().filter(|r| record_visible(grants, ctx, resource, Some(*r as &dyn Record)).allow).collect()
}

/// Every field of `record` masked with `decision` (nothing may be seen).
pub(crate) fn mask_all(record: &Value, decision: &Decision) -> Masked {
    let masked = record
        .as_object()
        .map(|o| o.keys().map(|k| FieldDecision { field: k.clone(), decision: decision.clone() }).collect())
        .unwrap_or_default();
    Masked { value: Value::Object(Map::new()), masked }
}
