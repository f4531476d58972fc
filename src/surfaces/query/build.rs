//! A plan from grants: the evaluator's order (`Grants::verdict_planned`) with the record left open.
//!
//! Every step that does not read the record (active, platform, catalogue, feature, deny, grant) is
//! decided here; the steps that do (tenant, client, scope) become conditions. The conditions are
//! joined by `and`, as the order joins its steps: a record passes when no step denies it.

use super::Plan;
use crate::eval::{Context, Grants, KeyPlan, Resource, Scope, ScopeSet};
use crate::surfaces::fields;

/// The plan of `action` on records of `resource` for the user of `grants`, asked from `ctx`.
///
/// `action` `None` or `"view"` is the resource's view key, as [`crate::Gate::filter`] checks it (a
/// resource without one needs no key); any other action is the key `<resource keys>.<action>`, as
/// [`crate::Gate::can_record`] checks it. An unknown resource, or an action on a resource without
/// key prefix, is always-false.
pub(crate) fn plan(grants: &Grants, ctx: &Context<'_>, resource: &str, action: Option<&str>) -> Plan {
    let Some((index, res)) = grants.resource(resource) else { return Plan::False };
    if grants.admits(ctx).is_some() {
        return Plan::False;
    }
    let key: Option<KeyPlan> = match action {
        None | Some("view") => fields::view_plan(grants, index, res),
        Some(action) => match &res.raw.prefix {
            Some(prefix) => Some(grants.key_plan(&crate::text::cat(&[prefix, ".", action]), None)),
            None => return Plan::False,
        },
    };
    let Some(key) = key else { return record_step(grants, grants.resource_at(Some(index))) };
    let resource = grants.resource_at(key.resource);
    match key.granted() {
        None => Plan::False,
        Some(scopes) if scopes.has(Scope::All) => record_step(grants, resource),
        Some(scopes) => Plan::and(vec![record_step(grants, resource), reaches(grants, scopes, resource)]),
    }
}

/// The tenant and client steps (`Grants::record_step`): the record's tenant field holds the user's
/// tenant, one value (no list); under client isolation, its client field holds one of the user's
/// clients, one value.
fn record_step(grants: &Grants, resource: Option<&Resource>) -> Plan {
    let who = grants.subject();
    let tenant = grants
        .tenant_field_of(resource)
        .map_or(Plan::True, |field| Plan::within(field, who.tenant.as_slice()));
    let client =
        grants.isolated_client_field(resource).map_or(Plan::True, |field| Plan::within(field, who.clients));
    Plan::and(vec![tenant, client])
}

/// Whether a record is within one of `scopes` (`eval::scope::reaches`, without `all`).
fn reaches(grants: &Grants, scopes: ScopeSet, resource: Option<&Resource>) -> Plan {
    let Some(res) = resource else { return Plan::False };
    let f = grants.fields(res);
    let who = grants.subject();
    let mut parts = Vec::new();
    if scopes.has(Scope::Own) {
        if let Some(id) = who.id {
            parts.extend(f.owner.iter().map(|field| Plan::holds(field, &[id])));
        }
        if let Some(name) = who.name {
            parts.extend(f.owner_name.iter().map(|field| Plan::holds(field, &[name])));
        }
    }
    for (scope, field, ids) in [
        (Scope::Team, f.team, who.teams),
        (Scope::Area, f.area, who.areas),
        (Scope::Client, f.client, who.clients),
    ] {
        if let Some(field) = field.filter(|_| scopes.has(scope)) {
            parts.push(Plan::holds(field, ids));
        }
    }
    // The tenant scope reads the field the tenant step has already required to be the user's tenant,
    // and under client isolation the client scope the field the client step has required to be one
    // of the user's clients: every record that passes those steps is within them.
    let isolated = grants.isolated_client_field(Some(res));
    if (scopes.has(Scope::Tenant) && f.tenant.is_some() && who.tenant.is_some())
        || (scopes.has(Scope::Client) && isolated.is_some() && isolated == f.client)
    {
        parts.push(Plan::True);
    }
    if let Some((field, values)) = f.shared.filter(|_| scopes.has(Scope::Shared)) {
        parts.push(Plan::holds(field, values));
    }
    Plan::or(parts)
}
