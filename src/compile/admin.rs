//! Who administers what (the policy's `admin` section): whether an actor holds the authority for an
//! action, on a target user read as a record, and whether a setting may be changed to a value.

use serde_json::{Map, Value};

use super::assign::{AssignReason, Assignment};
use super::{build, validate, Compiler};
use crate::error::{Error, Issue, Problem};
use crate::eval::{Context, Grants, Reason};
use crate::policy::{Admin, Authority, Owner, OwnerBy, User};

impl Compiler {
    /// May `actor` set `target`'s setting `name` to `value`? In order: the actor is active; `target`
    /// is of the actor's tenant (`tenant_mismatch`); the policy's `admin.settings` names who may
    /// change this setting (its own entry, else `*`) and the actor is one of them, reaching `target`
    /// (`no_authority`, `not_authorised`); `value` has the setting's type (`wrong_type`); no role of
    /// `target` forces another value (`setting_forced`, naming the role); the setting applies to
    /// `target`'s roles (`setting_not_applicable`). Then `settable`. An unknown setting, or an invalid
    /// `actor` or `target` record, is an error.
    ///
    /// NeptuneCRM: `canViewCosts` "is automatically disabled for the Coordinator role and cannot be
    /// enabled"; commission is "not applicable to Contractor role"; settings are changed by Admins.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// use serde_json::json;
    /// let c = Compiler::from_json(include_str!("../../examples/policies/neptunecrm.json")).unwrap();
    /// let user = |json| User::from_json(json).unwrap();
    /// let admin = user(r#"{"id": "a", "roles": ["admin"], "tenant": "org-1", "platforms": ["web"]}"#);
    /// let coordinator = user(r#"{"id": "c", "roles": ["coordinator"], "tenant": "org-1"}"#);
    /// let contractor = user(r#"{"id": "k", "roles": ["contractor"], "tenant": "org-1"}"#);
    /// let consultant = user(r#"{"id": "s", "roles": ["consultant"], "tenant": "org-1", "platforms": ["web"]}"#);
    /// assert!(c.may_set(&admin, &consultant, "canViewCosts", &json!(false)).unwrap().allow);
    /// let forced = c.may_set(&admin, &coordinator, "canViewCosts", &json!(true)).unwrap();
    /// assert_eq!((forced.reason.code(), forced.rule.as_deref()), ("setting_forced", Some("coordinator")));
    /// assert_eq!(c.may_set(&admin, &contractor, "commission", &json!(5)).unwrap().reason.code(), "setting_not_applicable");
    /// assert_eq!(c.may_set(&admin, &consultant, "commission", &json!("5")).unwrap().reason.code(), "wrong_type");
    /// assert_eq!(c.may_set(&consultant, &consultant, "color", &json!("#fff")).unwrap().reason.code(), "not_authorised");
    /// assert_eq!(c.may_set(&admin, &consultant, "colour", &json!("#fff")).unwrap_err().code(), "unknown_name");
    /// ```
    pub fn may_set(
        &self,
        actor: &User,
        target: &User,
        name: &str,
        value: &Value,
    ) -> Result<Assignment, Error> {
        let Some(def) = self.policy.settings.get(name) else {
            let msg = validate::unknown("setting", name, self.policy.settings.keys().map(String::as_str));
            return Err(Error::User(Problem::new(Issue::UnknownName, "", msg)));
        };
        validate::user(&self.policy, actor)?;
        validate::user(&self.policy, target)?;
        let named = |reason| Ok(Assignment::naming(reason, Some(name.to_owned())));
        if !actor.active {
            return Ok(Assignment::naming(AssignReason::Inactive, None));
        }
        if actor.tenant != target.tenant {
            return Ok(Assignment::naming(AssignReason::TenantMismatch, None));
        }
        let authority = self.admin(|a| a.setting(name));
        if let Some(refused) = self.authorise(actor, authority, Some(target)) {
            return Ok(refused);
        }
        if std::mem::discriminant(&def.default) != std::mem::discriminant(value) {
            return named(AssignReason::WrongType);
        }
        match build::setting(&self.policy, target, name) {
            Some(build::Setting::Forced(v, by)) if v != value => {
                Ok(Assignment::naming(AssignReason::SettingForced, Some(by.to_owned())))
            }
            Some(build::Setting::NotApplicable) => named(AssignReason::SettingNotApplicable),
            _ => named(AssignReason::Settable),
        }
    }

    /// The authority `pick` chooses from the policy's `admin` section, if the policy has one.
    pub(super) fn admin<'s>(
        &'s self,
        pick: impl Fn(&'s Admin) -> Option<&'s Authority>,
    ) -> Option<&'s Authority> {
        self.policy.admin.as_ref().and_then(pick)
    }

    /// `None` when `actor` holds `authority` (over `target`, when given), else the refusal:
    /// `no_authority` when the policy names none, `tenant_mismatch` when the key's check fails on the
    /// target's tenant, `not_authorised` otherwise.
    pub(super) fn authorise(
        &self,
        actor: &User,
        authority: Option<&Authority>,
        target: Option<&User>,
    ) -> Option<Assignment> {
        let Some(authority) = authority else {
            return Some(Assignment::naming(AssignReason::NoAuthority, None));
        };
        let reason = match authority {
            Authority::Roles { roles } => {
                if actor.roles.iter().any(|r| roles.contains(r)) {
                    return None;
                }
                Reason::NoGrant
            }
            Authority::Key(key) => {
                let d = self.check_key(actor, key, target);
                if d.allow {
                    return None;
                }
                d.reason
            }
        };
        Some(match reason {
            Reason::TenantMismatch | Reason::TenantMissing => {
                Assignment::naming(AssignReason::TenantMismatch, None)
            }
            _ => Assignment::naming(AssignReason::NotAuthorised, Some(authority.name())),
        })
    }

    /// `actor`'s decision on `key`, as a gate holding their snapshot would answer it: on `target`
    /// read as a record ([`Compiler::user_record`]) when given, else without a record (a scoped grant
    /// then allows: the key is held for some users).
    fn check_key(&self, actor: &User, key: &str, target: Option<&User>) -> crate::eval::Decision {
        let body = build::body(&self.policy, &self.effective, actor).to_value();
        let Ok(grants) = Grants::from_body(&body) else {
            return crate::eval::Decision::deny(Reason::NoGrant);
        };
        let grants = grants.for_user(&actor.id, actor.tenant.as_deref());
        match target {
            None => grants.decide(key),
            Some(t) => grants.decide_record(&Context::default(), key, &self.user_record(key, t)),
        }
    }

    /// `user` as a record of the resource type `key` belongs to (the policy resource whose `keys`
    /// prefix is the longest one of `key`): its owner fields hold the user's id (or name, for
    /// `by: name`), its team, area and client fields the user's teams, areas and clients, and its
    /// tenant field (or the policy's) the user's tenant.
    fn user_record(&self, key: &str, user: &User) -> Value {
        let mut record = Map::new();
        let resource = self
            .policy
            .resources
            .values()
            .filter(|r| key.strip_prefix(r.keys.as_str()).is_some_and(|rest| rest.starts_with('.')))
            .max_by_key(|r| r.keys.len());
        let list = |v: &[String]| Value::from(v.to_vec());
        let tenant_field =
            resource.and_then(|r| r.tenant_field.as_ref()).or(self.policy.tenant_field.as_ref());
        if let (Some(field), Some(tenant)) = (tenant_field, &user.tenant) {
            record.insert(field.clone(), Value::from(tenant.as_str()));
        }
        let Some(r) = resource else { return Value::Object(record) };
        for owner in &r.owner {
            let value = match owner {
                Owner::By { by: OwnerBy::Name, .. } => user.name.clone().map_or(Value::Null, Value::from),
                Owner::Id(_) | Owner::By { .. } => Value::from(user.id.as_str()),
            };
            record.insert(owner.field().to_owned(), value);
        }
        for (field, values) in [(&r.team, &user.teams), (&r.area, &user.areas), (&r.client, &user.clients)] {
            if let Some(f) = field {
                record.insert(f.clone(), list(values));
            }
        }
        Value::Object(record)
    }
}
