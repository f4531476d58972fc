//! A Rust back end that enforces with the same snapshot the browser holds (issue 19, docs/server.md):
//! an [axum](https://docs.rs/axum) server whose middleware reads `Authorization: Bearer <token>`,
//! verifies it with a [`Gate`] (the same keys and options as the browser's), and gives each handler
//! the gate, or answers 401 with the error's code. Handlers answer 403 with the reason code of a
//! denied route, list customers by the snapshot's query plan (here in memory, with the SQL a database
//! would run beside it), and mask cost fields.
//!
//! `cargo run --example axum_server --features axum-example` serves NeptuneCRM's sample data on
//! 127.0.0.1:8125 with a fixed demo key and prints a token for the Consultant to try with curl. Its
//! tests (`cargo test --example axum_server --features axum-example`) send real HTTP requests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use rolegate::compile::Compiler;
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use rolegate::surfaces::query::{ColumnKind, Columns, Dialect};
use rolegate::{Gate, GateOptions, Keyring};
use serde_json::{json, Value};

const POLICY: &str = include_str!("policies/neptunecrm.json");
const AUDIENCE: &str = "crm-api";

/// What every request shares: the trusted keys and the data.
struct App {
    keys: Keyring,
    customers: Vec<Value>,
    proposals: Vec<Value>,
}

/// The verified snapshot of one request, as its handlers see it.
#[derive(Clone)]
struct Verified(Arc<Gate>);

/// A refusal: the status and `{ code, message }`, never a page.
fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(json!({ "code": code, "message": message })))
        .into_response()
}

/// The bearer token of a request, if it has one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The middleware: a gate with the request's snapshot loaded, or 401 with the error's code.
async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let Some(token) = bearer(req.headers()) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "missing_token",
            "no snapshot: send `Authorization: Bearer <token>`",
        );
    };
    let loaded = Gate::new(GateOptions::new(app.keys.clone(), AUDIENCE)).and_then(|mut gate| {
        gate.load(token)?;
        Ok(gate)
    });
    match loaded {
        Ok(gate) => {
            req.extensions_mut().insert(Verified(Arc::new(gate)));
            next.run(req).await
        }
        Err(e) => refuse(StatusCode::UNAUTHORIZED, e.code(), &e.to_string()),
    }
}

/// `GET /api/admin/users`: the UI route `/admin/users` must be open to the user, else 403.
async fn admin_users(Extension(Verified(gate)): Extension<Verified>) -> Response {
    let d = gate.route("/admin/users");
    if !d.allow {
        return refuse(StatusCode::FORBIDDEN, d.decision.reason.code(), d.decision.reason.message());
    }
    Json(json!({ "users": ["u-admin", "u-cons", "u-coord"] })).into_response()
}

/// `GET /api/customers`: the customers the snapshot's query plan selects, with the SQL a PostgreSQL
/// database would be asked (`customers` table; ids only ever as parameters).
async fn customers(State(app): State<Arc<App>>, Extension(Verified(gate)): Extension<Verified>) -> Response {
    let plan = gate.query("customer", None);
    let columns = Columns::new()
        .with("organisationId", "organisation_id", ColumnKind::Text)
        .with("consultant.id", "consultant_id", ColumnKind::Text)
        .with("contractorIds", "contractor_ids", ColumnKind::TextList);
    let sql = match plan.to_sql(Dialect::Postgres, &columns) {
        Ok(sql) => sql,
        Err(e) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, e.code(), &e.to_string()),
    };
    let rows: Vec<&Value> = app.customers.iter().filter(|c| plan.matches(*c)).collect();
    let params: Vec<String> = sql.params.iter().map(|p| format!("{p:?}")).collect();
    Json(json!({ "where": sql.text, "params": params, "customers": rows })).into_response()
}

/// `GET /api/proposals`: the proposals the user may see, their cost fields masked as the UI masks them.
async fn proposals(State(app): State<Arc<App>>, Extension(Verified(gate)): Extension<Verified>) -> Response {
    let seen: Vec<Value> =
        gate.filter("proposal", &app.proposals).into_iter().map(|p| gate.mask("proposal", p).value).collect();
    Json(json!({ "proposals": seen })).into_response()
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api/admin/users", get(admin_users))
        .route("/api/customers", get(customers))
        .route("/api/proposals", get(proposals))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// The demo key (a fixed seed: never do this outside an example) and the sample data.
fn demo() -> Result<(SigningKey, Arc<App>), rolegate::Error> {
    let key = SigningKey::from_seed("demo-1", [42; 32]);
    let keys = Keyring::from_jwks(&SigningKey::jwks(&[&key]))?;
    let customers = vec![
        json!({"id": "C-1", "organisationId": "org-1", "consultant": {"id": "u-cons"}, "contractorIds": ["u-contr"]}),
        json!({"id": "C-2", "organisationId": "org-1", "consultant": {"id": "u-cons2"}, "contractorIds": []}),
        json!({"id": "C-9", "organisationId": "org-2", "consultant": {"id": "u-cons"}, "contractorIds": []}),
    ];
    let proposals = vec![
        json!({"id": "P-1", "organisationId": "org-1", "consultantId": "u-cons", "price": 1200, "cost": 800, "margin": 400}),
        json!({"id": "P-2", "organisationId": "org-1", "consultantId": "u-cons2", "price": 900, "cost": 600, "margin": 300}),
    ];
    Ok((key, Arc::new(App { keys, customers, proposals })))
}

/// A snapshot of `user` (a NeptuneCRM user record), signed with `key`, valid for ten minutes.
fn token(key: &SigningKey, user: &str) -> Result<String, rolegate::Error> {
    let compiler = Compiler::from_json(POLICY)?;
    let user = User::from_json(user)?;
    let now = rolegate::Clock::system().now().floor();
    key.sign(&compiler.claims(&user, AUDIENCE, now, now + 600.0, 1)?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (key, app) = demo()?;
    let addr = SocketAddr::from(([127, 0, 0, 1], 8125));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let consultant = token(&key, r#"{"id": "u-cons", "roles": ["consultant"], "tenant": "org-1"}"#)?;
    println!("http://{addr}/api/customers — try:\n  curl -H 'Authorization: Bearer {consultant}' http://{addr}/api/customers");
    axum::serve(listener, router(app)).await?;
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    /// Sends `GET path` with `token` (if any) to the server at `addr` over a real connection; returns
    /// the status and the JSON body.
    fn get(addr: SocketAddr, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
        let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    #[test]
    fn the_server_enforces_what_the_ui_hides() {
        let (key, app) = demo().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || runtime.block_on(async { axum::serve(listener, router(app)).await }));
        let consultant =
            token(&key, r#"{"id": "u-cons", "roles": ["consultant"], "tenant": "org-1"}"#).unwrap();
        let admin = token(&key, r#"{"id": "u-admin", "roles": ["admin"], "tenant": "org-1"}"#).unwrap();
        let nocosts = token(
            &key,
            r#"{"id": "u-cons2", "roles": ["consultant"], "tenant": "org-1", "settings": {"canViewCosts": false}}"#,
        )
        .unwrap();

        // 401 with the error's code: no token, garbage, a token signed by another key.
        assert_eq!(get(addr, "/api/customers", None).1["code"], "missing_token");
        let (status, body) = get(addr, "/api/customers", Some("not.a.token"));
        assert_eq!((status, body["code"].as_str()), (401, Some("malformed")));
        let stranger = token(
            &SigningKey::from_seed("demo-1", [7; 32]),
            r#"{"id": "u-admin", "roles": ["admin"], "tenant": "org-1"}"#,
        )
        .unwrap();
        assert_eq!(get(addr, "/api/customers", Some(&stranger)).1["code"], "bad_signature");

        // 403 with the reason code of the route the UI would not open.
        let (status, body) = get(addr, "/api/admin/users", Some(&consultant));
        assert_eq!((status, body["code"].as_str()), (403, Some("explicit_deny")));
        assert_eq!(get(addr, "/api/admin/users", Some(&admin)).0, 200);

        // The list by the query plan: the consultant's own customers of their organisation.
        let (status, body) = get(addr, "/api/customers", Some(&consultant));
        assert_eq!(status, 200);
        let ids: Vec<&str> =
            body["customers"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
        assert_eq!(ids, ["C-1"]);
        assert_eq!(
            body["where"],
            r#"("organisation_id" = $1 AND ("consultant_id" = $2 OR $3 = ANY("contractor_ids")))"#
        );
        let ids: Vec<String> = get(addr, "/api/customers", Some(&admin)).1["customers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(ids, ["C-1", "C-2"], "every customer of the organisation, none of another");

        // Masked as the UI masks: canViewCosts off hides cost and margin.
        let body = get(addr, "/api/proposals", Some(&nocosts)).1;
        assert_eq!(
            body["proposals"],
            json!([{"id": "P-2", "organisationId": "org-1", "consultantId": "u-cons2", "price": 900}])
        );
        let body = get(addr, "/api/proposals", Some(&consultant)).1;
        assert_eq!(body["proposals"][0]["cost"], 800);
    }
}
