//! The user record the compiler turns into a snapshot body.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Issue};
use crate::limits::MAX_USER_BYTES;

fn yes() -> bool {
    true
}

/// A user as the server knows them.
///
/// ```
/// let u = rolegate::policy::User::from_json(r#"{"id": "u1", "roles": ["admin"], "tenant": "org1"}"#).unwrap();
/// assert!(u.active);
/// assert_eq!(u.platforms, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct User {
    /// A free comment (for sample users).
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The user's id.
    pub id: String,
    /// The user's display name (matched by owner fields `by: name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's principal type (family), when the policy has families.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The user's role ids.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The user's own setting values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, Value>,
    /// Team ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// Area ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// Client ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<String>,
    /// The platforms the user may log into (absent: the policy's `platform_default`, which is none
    /// unless the policy says otherwise; empty: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// Whether the account is active.
    #[serde(default = "yes")]
    pub active: bool,
    /// The user's tenant (organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The features the tenant has enabled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

impl User {
    /// Parses a user record (at most [`MAX_USER_BYTES`], no repeated member in any object).
    ///
    /// ```
    /// assert_eq!(rolegate::policy::User::from_json("{}").unwrap_err().code(), "bad_user");
    /// ```
    pub fn from_json(json: &str) -> Result<User, Error> {
        if json.len() > MAX_USER_BYTES {
            return Err(Error::TooLarge { what: "user", size: json.len(), limit: MAX_USER_BYTES });
        }
        let bad = |e: serde_json::Error| {
            Error::User(super::locate::problem(Issue::BadUser, "the user record is not valid", json, &e))
        };
        super::unique::check(json).map_err(bad)?;
        serde_json::from_str(json).map_err(bad)
    }

    /// Parses a JSON array of user records, each as [`User::from_json`] reads one (at most
    /// [`MAX_USER_BYTES`] each, no repeated member anywhere); a problem is located by the record's
    /// index (`/2/roles`).
    ///
    /// ```
    /// use rolegate::policy::User;
    /// assert_eq!(User::list_from_json(r#"[{"id": "a", "roles": ["x"]}, {"id": "b"}]"#).unwrap().len(), 2);
    /// let e = User::list_from_json(r#"[{"id": "a"}, {"roles": []}]"#).unwrap_err();
    /// assert!(e.to_string().contains("`/1`"), "{e}");
    /// assert_eq!(User::list_from_json(r#"[{"id": "a", "id": "b"}]"#).unwrap_err().code(), "bad_user");
    /// assert_eq!(User::list_from_json("{}").unwrap_err().code(), "bad_user");
    /// ```
    pub fn list_from_json(json: &str) -> Result<Vec<User>, Error> {
        let bad = |e: serde_json::Error| {
            Error::User(super::locate::problem(
                Issue::BadUser,
                "the users are not a list of user records",
                json,
                &e,
            ))
        };
        super::unique::check(json).map_err(bad)?;
        let list: Vec<Value> = serde_json::from_str(json).map_err(bad)?;
        let at = |i: usize, e: Error| match e {
            Error::User(mut p) => {
                p.pointer = format!("/{i}{}", p.pointer);
                Error::User(p)
            }
            other => other,
        };
        list.iter().enumerate().map(|(i, u)| User::from_json(&u.to_string()).map_err(|e| at(i, e))).collect()
    }
}
