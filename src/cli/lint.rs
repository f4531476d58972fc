//! `rolegate lint`: every problem of a policy (and a tenant's custom roles), each with its JSON pointer.

use super::{input, Host, Outcome, EXIT_FAILED, EXIT_REFUSED};

/// Lint a policy: every problem with its JSON pointer (exit 3 if any).
#[derive(clap::Args)]
#[command(after_help = "A custom role's problems point into the policy as if the role were in it \
    (`/roles/<id>/…`).\n\nExamples:\n  rolegate lint policy.json\n  \
    rolegate lint policy.json --roles acme-roles.json --json")]
pub(crate) struct Args {
    /// The policy file (JSON), or `-` for stdin.
    policy: String,
    /// The tenant's custom roles: a JSON object of role id to role, added to the policy's roles.
    #[arg(long, value_name = "FILE")]
    roles: Option<String>,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let io = |m: String| Outcome::error(EXIT_FAILED, "io", &m, json);
    let policy = match input::read(host, &a.policy) {
        Ok(t) => t,
        Err(m) => return io(m),
    };
    let custom = match a.roles.as_deref().map(|p| input::read(host, p)).transpose() {
        Ok(c) => c,
        Err(m) => return io(m),
    };
    let problems = crate::compile::problems(&policy, custom.as_deref());
    let code = if problems.is_empty() { 0 } else { EXIT_REFUSED };
    let stdout = if json {
        let list: Vec<_> = problems
            .iter()
            .map(
                |p| serde_json::json!({ "code": p.issue.code(), "pointer": p.pointer, "message": p.message }),
            )
            .collect();
        format!("{}\n", serde_json::Value::Array(list))
    } else if problems.is_empty() {
        format!("`{}`: no problems\n", a.policy)
    } else {
        let mut t = String::new();
        for p in &problems {
            let at = if p.pointer.is_empty() { "(document)" } else { &p.pointer };
            t.push_str(&format!("{at}: {}: {}\n", p.issue.code(), p.message));
        }
        t.push_str(&format!("{} problem{}\n", problems.len(), if problems.len() == 1 { "" } else { "s" }));
        t
    };
    Outcome { code, stdout, stderr: None }
}
