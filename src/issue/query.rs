//! A compiled user's query plans: the plan a gate holding the user's snapshot would give
//! ([`crate::Gate::query`]), for a server that has the user record rather than a snapshot.

use crate::compile::Compiler;
use crate::error::Error;
use crate::eval::{Context, Grants};
use crate::policy::User;
use crate::surfaces::query::{plan, Plan};

impl Compiler {
    /// Which records of `resource` `user` may see (`action` `None` or `"view"`) or act on (`"edit"`:
    /// the key `<resource keys>.edit`): the [`Plan`] of [`crate::Gate::query`] for the snapshot this
    /// compiler would issue them, with no platform given (the user must have some platform). An
    /// invalid user is an error, as for [`Compiler::body`].
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User, surfaces::query::Plan};
    /// let c = Compiler::from_json(include_str!("../../examples/policies/neptunecrm.json")).unwrap();
    /// let user = User::from_json(r#"{"id": "u-cons", "roles": ["consultant"], "tenant": "org-1"}"#).unwrap();
    /// let plan = c.query(&user, "proposal", None).unwrap();
    /// assert_eq!(plan, Plan::and(vec![Plan::eq("organisationId", "org-1"), Plan::holds("consultantId", &["u-cons"])]));
    /// assert!(plan.matches(&serde_json::json!({"organisationId": "org-1", "consultantId": "u-cons"})));
    /// assert_eq!(c.query(&user, "proposl", None).unwrap(), Plan::False);
    /// ```
    pub fn query(&self, user: &User, resource: &str, action: Option<&str>) -> Result<Plan, Error> {
        let grants = Grants::from_body(&self.body(user)?)?.for_user(&user.id, user.tenant.as_deref());
        Ok(plan(&grants, &Context::default(), resource, action))
    }
}
