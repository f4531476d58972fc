//! The checks a user record must pass before it is compiled.

use crate::error::{Error, Issue, Problem};
use crate::policy::{Policy, User};

fn fail(issue: Issue, at: &str, message: String) -> Result<(), Error> {
    Err(Error::User(Problem::new(issue, at, message)))
}

/// "unknown WHAT `name`", with a "did you mean" when a known name is close.
pub(super) fn unknown<'a>(what: &str, name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match crate::policy::did_you_mean(name, known) {
        Some(s) => format!("unknown {what} `{name}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{name}`"),
    }
}

/// Every check of a user record against the policy, the first failure returned.
pub(super) fn user(policy: &Policy, user: &User) -> Result<(), Error> {
    if user.id.is_empty() {
        return fail(Issue::BadUser, "/id", "the user id must not be empty".into());
    }
    if user.roles.is_empty() && !policy.allow_no_role {
        let msg = "the user holds no role (the policy's `allow_no_role` is off)".to_owned();
        return fail(Issue::NoRole, "/roles", msg);
    }
    for (i, role) in user.roles.iter().enumerate() {
        if !policy.roles.contains_key(role) {
            return fail(
                Issue::UnknownRole,
                &format!("/roles/{i}"),
                unknown("role", role, policy.roles.keys().map(String::as_str)),
            );
        }
    }
    families(policy, user)?;
    exclusive(policy, user)?;
    for (i, role) in user.roles.iter().enumerate() {
        let needs = policy.roles.get(role).and_then(|r| r.feature.as_deref());
        if let Some(f) = needs.filter(|f| !user.features.iter().any(|u| u == f)) {
            let msg = format!("role `{role}` needs feature `{f}`, which the tenant has not enabled");
            return fail(Issue::MissingFeature, &format!("/roles/{i}"), msg);
        }
    }
    for (name, value) in &user.settings {
        let at = format!("/settings/{name}");
        let Some(def) = policy.settings.get(name) else {
            return fail(
                Issue::UnknownName,
                &at,
                unknown("setting", name, policy.settings.keys().map(String::as_str)),
            );
        };
        if std::mem::discriminant(&def.default) != std::mem::discriminant(value) {
            return fail(
                Issue::BadUser,
                &at,
                format!("setting `{name}` must have the type of its default `{}`", def.default),
            );
        }
    }
    for (i, p) in user.platforms.iter().flatten().enumerate() {
        if !policy.platforms.contains(p) {
            let msg = unknown("platform", p, policy.platforms.iter().map(String::as_str));
            return fail(Issue::UnknownName, &format!("/platforms/{i}"), msg);
        }
    }
    for (i, f) in user.features.iter().enumerate() {
        if !policy.features.contains_key(f) {
            let msg = unknown("feature", f, policy.features.keys().map(String::as_str));
            return fail(Issue::UnknownName, &format!("/features/{i}"), msg);
        }
    }
    Ok(())
}

/// With families, the user has a known type and every role is of it.
fn families(policy: &Policy, user: &User) -> Result<(), Error> {
    if policy.families.is_empty() {
        return Ok(());
    }
    let Some(family) = &user.family else {
        return fail(
            Issue::BadUser,
            "/type",
            "the user needs a `type` (one of the policy's families)".into(),
        );
    };
    if !policy.families.contains(family) {
        return fail(
            Issue::UnknownName,
            "/type",
            unknown("family", family, policy.families.iter().map(String::as_str)),
        );
    }
    for (i, role) in user.roles.iter().enumerate() {
        let of = policy.roles.get(role).and_then(|r| r.family.as_deref()).unwrap_or("none");
        if of != family {
            let msg = format!("role `{role}` is for `{of}` users, but this user is `{family}`");
            return fail(Issue::WrongFamily, &format!("/roles/{i}"), msg);
        }
    }
    Ok(())
}

/// No exclusive set is broken.
fn exclusive(policy: &Policy, user: &User) -> Result<(), Error> {
    for set in &policy.exclusive {
        let held: Vec<&String> = user.roles.iter().filter(|r| set.roles.contains(r)).collect();
        if set.alone && !held.is_empty() && user.roles.len() > 1 {
            let role = held.first().map(|r| r.as_str()).unwrap_or_default();
            let msg = format!("role `{role}` cannot be combined with any other role");
            return fail(Issue::ExclusiveRoles, "/roles", msg);
        }
        if let [a, b, ..] = held.as_slice() {
            return fail(
                Issue::ExclusiveRoles,
                "/roles",
                format!("roles `{a}` and `{b}` cannot be combined"),
            );
        }
    }
    Ok(())
}
