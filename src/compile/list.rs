//! Users listed by a setting or a role, as admin screens need them (NeptuneCRM's consultant dropdown
//! shows the users whose `canAssignCustomers` is on).

use serde_json::Value;

use super::{build, validate, Compiler};
use crate::error::{Error, Issue, Problem};
use crate::policy::User;

/// What a list of users selects on.
///
/// ```
/// let by = rolegate::compile::Listing::Setting { name: "canAssignCustomers".into(), value: serde_json::json!(true) };
/// assert!(matches!(by, rolegate::compile::Listing::Setting { .. }));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Users whose setting `name` is in effect with `value` (forced, their own, a role default or
    /// the policy default; never where it does not apply to their roles).
    Setting {
        /// The setting.
        name: String,
        /// The value it must have.
        value: Value,
    },
    /// Users who hold the role themselves (not through a ladder or inheritance).
    Role(String),
}

impl Compiler {
    /// The indices of `users` that a list selecting `by` includes, in order: active users only (an
    /// inactive account is in no list). An unknown setting or role is `unknown_name` or
    /// `unknown_role` (with a "did you mean"); an invalid user record is its error, its pointer
    /// prefixed with the record's index (`/2/roles/0`).
    ///
    /// ```
    /// use rolegate::{compile::{Compiler, Listing}, policy::User};
    /// let c = Compiler::from_json(include_str!("../../examples/policies/neptunecrm.json")).unwrap();
    /// let users: Vec<User> = [
    ///     r#"{"id": "a", "roles": ["admin"]}"#,
    ///     r#"{"id": "b", "roles": ["consultant"], "settings": {"canAssignCustomers": false}}"#,
    ///     r#"{"id": "c", "roles": ["consultant"], "active": false}"#,
    ///     r#"{"id": "d", "roles": ["consultant"]}"#,
    /// ].iter().map(|u| User::from_json(u).unwrap()).collect();
    /// let on = Listing::Setting { name: "canAssignCustomers".into(), value: serde_json::json!(true) };
    /// assert_eq!(c.list(&users, &on).unwrap(), [0, 3]);
    /// assert_eq!(c.list(&users, &Listing::Role("consultant".into())).unwrap(), [1, 3]);
    /// assert_eq!(c.list(&users, &Listing::Role("consultnt".into())).unwrap_err().code(), "unknown_role");
    /// ```
    pub fn list(&self, users: &[User], by: &Listing) -> Result<Vec<usize>, Error> {
        match by {
            Listing::Setting { name, .. } if !self.policy.settings.contains_key(name) => {
                let known = self.policy.settings.keys().map(String::as_str);
                return Err(Error::User(Problem::new(
                    Issue::UnknownName,
                    "",
                    validate::unknown("setting", name, known),
                )));
            }
            Listing::Role(role) if !self.policy.roles.contains_key(role) => {
                let known = self.policy.roles.keys().map(String::as_str);
                return Err(Error::User(Problem::new(
                    Issue::UnknownRole,
                    "",
                    validate::unknown("role", role, known),
                )));
            }
            _ => {}
        }
        let mut out = Vec::new();
        for (i, user) in users.iter().enumerate() {
            validate::user(&self.policy, user).map_err(|e| at_index(e, i))?;
            let included = user.active
                && match by {
                    Listing::Setting { name, value } => match build::setting(&self.policy, user, name) {
                        Some(build::Setting::Forced(v, _) | build::Setting::Value(v)) => v == value,
                        Some(build::Setting::NotApplicable) | None => false,
                    },
                    Listing::Role(role) => user.roles.iter().any(|r| r == role),
                };
            if included {
                out.push(i);
            }
        }
        Ok(out)
    }
}

/// `e` with its pointer prefixed by `/i` (the user record's place in the list).
fn at_index(e: Error, i: usize) -> Error {
    match e {
        Error::User(mut p) => {
            p.pointer = format!("/{i}{}", p.pointer);
            Error::User(p)
        }
        other => other,
    }
}
