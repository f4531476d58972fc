//! The products `rolegate serve` knows: every policy of the policy directory with its sample users,
//! read again when a file changes, and the answers built from them (`/api/products`, `/api/policy`,
//! `/api/snapshot`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{json, Value};

use super::http::Response;
use super::{State, MAX_TTL_SEC};
use crate::compile::{Compiler, Listing};
use crate::policy::User;
use crate::Clock;

/// Every product of the policy directory, with the files' modification times they were read at.
pub(super) struct Catalogue {
    stamp: Vec<Stamp>,
    products: BTreeMap<String, Product>,
}

struct Product {
    compiler: Compiler,
    policy_text: String,
    /// Sample users in file order, by name.
    users: Vec<(String, User)>,
    /// The revision of every snapshot: the files' last modification, in seconds since the epoch.
    rev: u64,
}

/// A policy file with its modification time and size when it was read.
type Stamp = (PathBuf, Option<SystemTime>, u64);

/// The policy files of `dir` with their modification times and sizes, sorted.
fn stamp(dir: &Path) -> Result<Vec<Stamp>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let size = meta.map_or(0, |m| m.len());
            (p, modified, size)
        })
        .collect();
    files.sort();
    Ok(files)
}

impl Catalogue {
    /// Reads and compiles every `<product>.json` of `dir` and its `<product>.users.json`; every sample
    /// user is compiled once, so a broken file is reported now rather than at the first request.
    pub(super) fn load(dir: &Path) -> Result<Catalogue, String> {
        let stamp = stamp(dir)?;
        let mut products = BTreeMap::new();
        for (path, modified, _) in &stamp {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let Some(id) = name.strip_suffix(".json").filter(|s| !s.ends_with(".users")) else {
                continue;
            };
            let shown = path.display();
            let policy_text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
            let compiler = Compiler::from_json(&policy_text).map_err(|e| format!("`{shown}`: {e}"))?;
            let users_path = path.with_file_name(format!("{id}.users.json"));
            let users_modified = std::fs::metadata(&users_path).and_then(|m| m.modified()).ok();
            let users = match std::fs::read_to_string(&users_path) {
                Ok(text) => parse_users(&text).map_err(|e| format!("`{}`: {e}", users_path.display()))?,
                Err(_) => Vec::new(),
            };
            for (name, user) in &users {
                compiler
                    .body(user)
                    .map_err(|e| format!("`{}`: sample user `{name}`: {e}", users_path.display()))?;
            }
            let rev = [*modified, users_modified]
                .into_iter()
                .flatten()
                .filter_map(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
                .max()
                .unwrap_or(1);
            products.insert(id.to_owned(), Product { compiler, policy_text, users, rev });
        }
        if products.is_empty() {
            return Err(format!("no policy (`<product>.json`) in `{}`", dir.display()));
        }
        Ok(Catalogue { stamp, products })
    }
}

/// Sample users by name, in the order of the file (a JSON object).
fn parse_users(text: &str) -> Result<Vec<(String, User)>, String> {
    struct Ordered(Vec<(String, Value)>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object of sample users by name")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry::<String, Value>()? {
                        out.push(entry);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    let Ordered(entries) =
        serde_json::from_str(text).map_err(|e| format!("not a JSON object of users: {e}"))?;
    entries
        .into_iter()
        .map(|(name, v)| {
            let user = User::from_json(&v.to_string()).map_err(|e| format!("sample user `{name}`: {e}"))?;
            Ok((name, user))
        })
        .collect()
}

impl State {
    /// Runs `f` on the current catalogue, re-reading the policy directory first if a file changed.
    pub(super) fn with_catalogue(&self, f: impl FnOnce(&Catalogue) -> Response) -> Response {
        let mut guard = self.catalogue.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = match (&*guard, stamp(&self.policies)) {
            (Ok(c), Ok(now)) => c.stamp != now,
            _ => true,
        };
        if changed {
            let reloaded = Catalogue::load(&self.policies);
            match &reloaded {
                Ok(_) => eprintln!("rolegate serve: reloaded `{}`", self.policies.display()),
                Err(e) => eprintln!("rolegate serve: bad_policy: {e}"),
            }
            *guard = reloaded;
        }
        match &*guard {
            Ok(c) => f(c),
            Err(e) => Response::error(500, "bad_policy", e),
        }
    }
}

/// The `/api/products` answer: every product with its platforms and sample users.
pub(super) fn products(state: &State, c: &Catalogue) -> Response {
    let list: Vec<Value> = c
        .products
        .iter()
        .map(|(id, p)| {
            let policy = p.compiler.policy();
            let users: Vec<Value> = p
                .users
                .iter()
                .map(|(name, u)| {
                    let roles: Vec<&str> = u
                        .roles
                        .iter()
                        .map(|r| policy.roles.get(r).and_then(|role| role.name.as_deref()).unwrap_or(r))
                        .collect();
                    let label = match &u.name {
                        Some(n) => format!("{} ({n})", roles.join(" + ")),
                        None => roles.join(" + "),
                    };
                    json!({ "name": name, "id": u.id, "label": label, "roles": u.roles,
                            "platforms": p.compiler.platforms(u), "active": u.active })
                })
                .collect();
            json!({ "id": id, "platforms": policy.platforms, "users": users })
        })
        .collect();
    Response::json(200, &json!({ "audience": state.audience, "ttl": state.ttl, "products": list }))
}

/// The `/api/policy` answer: the policy file of the product named by `?product=`.
pub(super) fn policy(c: &Catalogue, params: &BTreeMap<String, String>) -> Response {
    match product(c, params) {
        Ok((_, p)) => Response {
            status: 200,
            content_type: "application/json",
            body: p.policy_text.clone().into_bytes(),
        },
        Err(r) => r,
    }
}

/// The `/api/users` answer: the sample users of `?product=` a list includes, as an admin screen's
/// dropdown shows them: `?setting=S` (with `&value=JSON`, default `true`) or `?role=R`
/// (`Compiler::list`): `{ users: [{ name, id, label }] }`.
pub(super) fn users(c: &Catalogue, params: &BTreeMap<String, String>) -> Response {
    let (_, p) = match product(c, params) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let by = match (params.get("setting"), params.get("role")) {
        (Some(name), None) => {
            let value = match params.get("value").map(|v| serde_json::from_str::<Value>(v)) {
                None => Value::Bool(true),
                Some(Ok(v)) => v,
                Some(Err(_)) => return Response::error(400, "bad_request", "`value` must be JSON"),
            };
            Listing::Setting { name: name.clone(), value }
        }
        (None, Some(role)) => Listing::Role(role.clone()),
        _ => return Response::error(400, "bad_request", "give `setting` (and `value`) or `role`"),
    };
    let records: Vec<User> = p.users.iter().map(|(_, u)| u.clone()).collect();
    match p.compiler.list(&records, &by) {
        Ok(included) => {
            let users: Vec<Value> = included
                .into_iter()
                .filter_map(|i| p.users.get(i))
                .map(|(name, u)| json!({ "name": name, "id": u.id, "label": u.name.as_deref().unwrap_or(&u.id) }))
                .collect();
            Response::json(200, &json!({ "users": users }))
        }
        Err(e) => Response::error(400, e.code(), &e.to_string()),
    }
}

/// The product named by `?product=`.
fn product<'c>(
    c: &'c Catalogue,
    params: &BTreeMap<String, String>,
) -> Result<(&'c str, &'c Product), Response> {
    let id =
        params.get("product").ok_or_else(|| Response::error(400, "bad_request", "`product` is required"))?;
    c.products
        .get_key_value(id.as_str())
        .map(|(k, p)| (k.as_str(), p))
        .ok_or_else(|| Response::error(404, "unknown_product", &format!("no product `{id}`")))
}

/// The `/api/snapshot` answer: a snapshot of the sample user `?user=` of `?product=`, signed.
pub(super) fn snapshot(state: &State, c: &Catalogue, params: &BTreeMap<String, String>) -> Response {
    let (id, p) = match product(c, params) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Some(name) = params.get("user") else {
        return Response::error(400, "bad_request", "`user` is required");
    };
    let Some((name, user)) = p.users.iter().find(|(n, _)| n == name) else {
        return Response::error(404, "unknown_user", &format!("product `{id}` has no sample user `{name}`"));
    };
    let ttl = match params.get("ttl").map(|t| t.parse::<f64>()) {
        None => state.ttl,
        Some(Ok(t)) if t.is_finite() && (1.0..=MAX_TTL_SEC).contains(&t) => t,
        Some(_) => return Response::error(400, "bad_request", "`ttl` must be 1 to 86400 seconds"),
    };
    let now = Clock::system().now().floor();
    let signed = p
        .compiler
        .claims(user, &state.audience, now, now + ttl, p.rev)
        .and_then(|claims| state.key.sign(&claims).map(|token| (claims, token)));
    match signed {
        Ok((claims, token)) => {
            eprintln!(
                "rolegate serve: issued {id}/{name} (sub `{}`, rev {}, {} bytes, expires in {ttl} s)",
                claims.sub,
                p.rev,
                token.len()
            );
            Response::json(
                200,
                &json!({ "token": token, "product": id, "user": name, "sub": claims.sub, "rev": p.rev,
                         "iat": now, "exp": claims.exp, "bytes": token.len() }),
            )
        }
        Err(e) => Response::error(500, e.code(), &e.to_string()),
    }
}
