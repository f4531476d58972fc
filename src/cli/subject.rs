//! The policy, the tenant's custom roles and the user record that `sign` and `explain` compile.

use std::collections::BTreeMap;

use super::{input, Host, Outcome, EXIT_FAILED, EXIT_REFUSED};
use crate::compile::Compiler;
use crate::policy::{did_you_mean, Policy, Role, User};

/// A policy and the user to compile under it.
#[derive(clap::Args, Debug)]
pub(crate) struct PolicyUser {
    /// The policy file (JSON).
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<String>,
    /// The tenant's custom roles: a JSON object of role id to role, added to the policy's roles.
    #[arg(long, value_name = "FILE", requires = "policy")]
    pub(crate) roles: Option<String>,
    /// The user record: a file, `-` for stdin, or inline JSON (`{"id": …}`).
    #[arg(long, value_name = "FILE", requires = "policy", conflicts_with = "users")]
    pub(crate) user: Option<String>,
    /// A users file (`*.users.json`: an object of name to user record); pick one with `--user-id`.
    #[arg(long, value_name = "FILE", requires_all = ["policy", "user_id"])]
    pub(crate) users: Option<String>,
    /// The user to pick from `--users`: its name in the file, or its `id`.
    #[arg(long, value_name = "ID", requires = "users")]
    pub(crate) user_id: Option<String>,
}

/// Reads a policy file and an optional custom roles file into a compiler: exit 1 when a file cannot be
/// read, exit 3 when the policy (or a custom role) does not lint.
pub(crate) fn compiler(
    policy: &str,
    roles: Option<&str>,
    json: bool,
    host: &mut dyn Host,
) -> Result<Compiler, Outcome> {
    let text = input::read(host, policy).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
    let custom = custom_roles(roles, json, host)?;
    Policy::from_json(&text)
        .and_then(|p| Compiler::new(p, custom))
        .map_err(|e| Outcome::from_error(EXIT_REFUSED, &e, json))
}

/// The custom roles file, if any, as role id to role.
pub(crate) fn custom_roles(
    roles: Option<&str>,
    json: bool,
    host: &mut dyn Host,
) -> Result<BTreeMap<String, Role>, Outcome> {
    let Some(path) = roles else { return Ok(BTreeMap::new()) };
    let text = input::read(host, path).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
    crate::compile::custom_roles_from_json(&text).map_err(|e| Outcome::from_error(EXIT_REFUSED, &e, json))
}

impl PolicyUser {
    /// The compiler for `policy` (the `--policy` file) and the user record.
    pub(crate) fn load(
        &self,
        policy: &str,
        json: bool,
        host: &mut dyn Host,
    ) -> Result<(Compiler, User), Outcome> {
        let compiler = compiler(policy, self.roles.as_deref(), json, host)?;
        Ok((compiler, self.load_user(json, host)?))
    }

    fn load_user(&self, json: bool, host: &mut dyn Host) -> Result<User, Outcome> {
        if let Some(arg) = &self.user {
            return user_arg(arg, json, host);
        }
        let (Some(path), Some(id)) = (&self.users, &self.user_id) else {
            let m = "`--policy` needs the user: `--user FILE` or `--users FILE --user-id ID`";
            return Err(Outcome::error(EXIT_FAILED, "usage", m, json));
        };
        from_users_file(path, id, json, host)
    }

    /// Another user than the subject (`rolegate may --target`): inline JSON, a file, or, with
    /// `--users`, a name or id of that file.
    pub(crate) fn other_user(&self, arg: &str, json: bool, host: &mut dyn Host) -> Result<User, Outcome> {
        match &self.users {
            Some(path)
                if !arg.trim_start().starts_with('{') && !arg.starts_with('@') && !host.exists(arg) =>
            {
                from_users_file(path, arg, json, host)
            }
            _ => user_arg(arg, json, host),
        }
    }
}

/// A user record given inline (`{"id": …}`), as a file, or as `@file`.
fn user_arg(arg: &str, json: bool, host: &mut dyn Host) -> Result<User, Outcome> {
    let io = |m: String| Outcome::error(EXIT_FAILED, "io", &m, json);
    let text = if arg.trim_start().starts_with('{') {
        arg.to_owned()
    } else {
        input::read(host, arg.strip_prefix('@').unwrap_or(arg)).map_err(io)?
    };
    User::from_json(&text).map_err(|e| Outcome::from_error(EXIT_REFUSED, &e, json))
}

/// The user named `id` (by name in the file, or by `id`) in the users file at `path`.
fn from_users_file(path: &str, id: &str, json: bool, host: &mut dyn Host) -> Result<User, Outcome> {
    let io = |m: String| Outcome::error(EXIT_FAILED, "io", &m, json);
    let text = input::read(host, path).map_err(io)?;
    let users: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
        let m = format!("`{path}` is not a users file (an object of name to user record): {e}");
        Outcome::error(EXIT_FAILED, "bad_user", &m.to_lowercase(), json)
    })?;
    let by_id = || users.values().find(|u| u.get("id").and_then(serde_json::Value::as_str) == Some(id));
    let Some(record) = users.get(id).or_else(by_id) else {
        let names = users.keys().map(String::as_str);
        let mut m = format!("no user `{id}` in `{path}`");
        if let Some(s) = did_you_mean(id, names) {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        return Err(Outcome::error(EXIT_FAILED, "unknown_user", &m, json));
    };
    User::from_json(&record.to_string()).map_err(|e| Outcome::from_error(EXIT_REFUSED, &e, json))
}
