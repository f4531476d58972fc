//! Whether a record is within a grant's scopes ([`Scope`], the vocabulary, is in `crate::scope`).

use super::record::{FieldValue, Record};
use crate::scope::{Scope, ScopeSet};

/// The fields of one resource type that scopes read, and the user facts they compare with.
pub(crate) struct ScopeFields<'a> {
    pub(crate) tenant: Option<&'a str>,
    pub(crate) owner: &'a [Box<str>],
    pub(crate) owner_name: &'a [Box<str>],
    pub(crate) team: Option<&'a str>,
    pub(crate) area: Option<&'a str>,
    pub(crate) client: Option<&'a str>,
    pub(crate) shared: Option<(&'a str, &'a [Box<str>])>,
}

/// Who is asking.
pub(crate) struct Subject<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) tenant: Option<&'a str>,
    pub(crate) teams: &'a [Box<str>],
    pub(crate) areas: &'a [Box<str>],
    pub(crate) clients: &'a [Box<str>],
}

fn holds(record: &dyn Record, field: Option<&str>, ids: &[Box<str>]) -> bool {
    field.and_then(|f| record.field(f)).is_some_and(|v| v.is_any(ids))
}

fn shared(record: &dyn Record, spec: Option<(&str, &[Box<str>])>) -> bool {
    spec.is_some_and(|(f, values)| record.field(f).is_some_and(|v| v.is_any(values)))
}

/// Whether `record` is within one of `scopes` for `who`.
pub(crate) fn reaches(
    scopes: ScopeSet,
    fields: &ScopeFields<'_>,
    who: &Subject<'_>,
    record: &dyn Record,
) -> bool {
    let is = |scope| scopes.has(scope);
    let own_id =
        || who.id.is_some_and(|id| fields.owner.iter().any(|f| record.field(f).is_some_and(|v| v.is(id))));
    let own_name = || {
        who.name.is_some_and(|n| fields.owner_name.iter().any(|f| record.field(f).is_some_and(|v| v.is(n))))
    };
    let tenant = || match (fields.tenant, who.tenant) {
        (Some(f), Some(t)) => record.field(f).is_some_and(|v| v.is(t)),
        _ => false,
    };
    is(Scope::All)
        || (is(Scope::Own) && (own_id() || own_name()))
        || (is(Scope::Team) && holds(record, fields.team, who.teams))
        || (is(Scope::Area) && holds(record, fields.area, who.areas))
        || (is(Scope::Client) && holds(record, fields.client, who.clients))
        || (is(Scope::Tenant) && tenant())
        || (is(Scope::Shared) && shared(record, fields.shared))
}

/// The value of a record's field (tenant, client), `None` when the field is absent or null.
pub(crate) fn present_value<'r>(record: &'r dyn Record, field: &str) -> Option<FieldValue<'r>> {
    record.field(field).filter(|v| *v != FieldValue::Null)
}
