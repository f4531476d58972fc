//! `rolegate may`: may this user assign, edit, create or delete a role, or change a user's setting?
//! The issuer's administration answers (`Compiler::may` and its siblings), for scripts and support.

use clap::ArgGroup;
use serde_json::Value;

use super::subject::PolicyUser;
use super::{input, Host, Outcome, EXIT_DENY, EXIT_FAILED, EXIT_REFUSED};
use crate::compile::{Assignment, RoleAction};

/// May the user (the actor) administer this (exit 0 allow, 2 deny, 3 refused input)?
///
/// Prints `{allow, code, step, rule, message}`, as `Compiler.may` answers in Node.
#[derive(clap::Args)]
#[command(
    group(ArgGroup::new("action").required(true).args(["assign", "edit", "delete", "create", "set"])),
    after_help = "USER arguments (the actor's --user, and --target) are inline JSON, a file, or, with \
        --users, a name or id of that file.\n\nExamples:\n  \
        rolegate may --policy policy.json --users users.json --user-id admin --assign consultant --target contractor\n  \
        rolegate may --policy policy.json --users users.json --user-id admin --set canViewCosts --target coordinator --value true\n  \
        rolegate may --policy policy.json --user director.json --edit finance --draft @finance-draft.json\n  \
        rolegate may --policy policy.json --user director.json --create auditor --draft '{\"level\": 45}'"
)]
pub(crate) struct Args {
    #[command(flatten)]
    subject: PolicyUser,
    /// Give this role (to `--target`, when given: their tenant, family, exclusive sets and features too).
    #[arg(long, value_name = "ROLE")]
    assign: Option<String>,
    /// Change this role (into `--draft`, its new definition, when given).
    #[arg(long, value_name = "ROLE")]
    edit: Option<String>,
    /// Delete this role.
    #[arg(long, value_name = "ROLE")]
    delete: Option<String>,
    /// Create the custom role with this id, defined by `--draft`.
    #[arg(long, value_name = "ROLE", requires = "draft")]
    create: Option<String>,
    /// Change this setting of `--target` to `--value`.
    #[arg(long, value_name = "SETTING", requires_all = ["target", "value"])]
    set: Option<String>,
    /// The user acted on (USER: inline JSON, a file, or a name or id of `--users`).
    #[arg(long, value_name = "USER")]
    target: Option<String>,
    /// A role definition, in the policy's role format: inline JSON, `-` for stdin, or `@file`.
    #[arg(long, value_name = "JSON")]
    draft: Option<String>,
    /// The setting's new value, as JSON (`true`, `5`, `"#ff0000"`).
    #[arg(long, value_name = "JSON", requires = "set")]
    value: Option<String>,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let usage = |m: &str| Outcome::error(EXIT_FAILED, "usage", m, json);
    let refused = |e: crate::Error| Outcome::from_error(EXIT_REFUSED, &e, json);
    let Some(policy) = &a.subject.policy else {
        return usage("give `--policy` and the acting user (`--user`, or `--users` and `--user-id`)");
    };
    if a.target.is_some() && a.assign.is_none() && a.set.is_none() {
        return usage("`--target` goes with `--assign` or `--set`");
    }
    if a.draft.is_some() && a.edit.is_none() && a.create.is_none() {
        return usage("`--draft` goes with `--edit` or `--create`");
    }
    let (compiler, actor) = match a.subject.load(policy, json, host) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let target = match a.target.as_deref().map(|t| a.subject.other_user(t, json, host)).transpose() {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let draft = |id: &str, host: &mut dyn Host| -> Result<Option<crate::policy::Role>, Outcome> {
        let Some(arg) = &a.draft else { return Ok(None) };
        let text = input::text(host, arg).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
        crate::compile::role_from_json(id, &text).map(Some).map_err(refused)
    };
    let answer: Result<Assignment, crate::Error> = if let Some(role) = &a.assign {
        match &target {
            Some(t) => compiler.may_assign(&actor, role, t),
            None => Ok(compiler.may(&actor, RoleAction::Assign, role)),
        }
    } else if let Some(role) = &a.edit {
        match draft(role, host) {
            Ok(Some(d)) => compiler.may_edit(&actor, role, &d),
            Ok(None) => Ok(compiler.may(&actor, RoleAction::Edit, role)),
            Err(outcome) => return outcome,
        }
    } else if let Some(role) = &a.delete {
        Ok(compiler.may(&actor, RoleAction::Delete, role))
    } else if let Some(id) = &a.create {
        match draft(id, host) {
            Ok(Some(d)) => compiler.may_create(&actor, id, &d),
            Ok(None) => return usage("`--create` needs `--draft`"),
            Err(outcome) => return outcome,
        }
    } else if let (Some(name), Some(t), Some(v)) = (&a.set, &target, &a.value) {
        let Ok(value) = serde_json::from_str::<Value>(v) else {
            let m = format!("`--value {v}` is not JSON (write strings quoted: '\"{v}\"')");
            return Outcome::error(EXIT_FAILED, "usage", &m, json);
        };
        compiler.may_set(&actor, t, name, &value)
    } else {
        return usage("ask one question: `--assign`, `--edit`, `--delete`, `--create` or `--set`");
    };
    match answer {
        Ok(d) => report(&d, json),
        Err(e) => refused(e),
    }
}

fn report(d: &Assignment, json: bool) -> Outcome {
    let (code, step, message) = (d.reason.code(), d.reason.step(), d.reason.message());
    let text = if json {
        let out = serde_json::json!({
            "allow": d.allow, "code": code, "step": step, "rule": d.rule, "message": message,
        });
        format!("{out}\n")
    } else {
        let mut t = format!("{}: {code} (step `{step}`)\n", if d.allow { "allow" } else { "deny" });
        if let Some(rule) = &d.rule {
            t.push_str(&format!("rule: `{rule}`\n"));
        }
        t.push_str(&format!("{message}\n"));
        t
    };
    Outcome { code: if d.allow { 0 } else { EXIT_DENY }, stdout: text, stderr: None }
}
