//! A compiled user's claims, ready to sign: signing-side work on the compiler's body, so that the
//! compiler knows nothing of the envelope.

use crate::compile::Compiler;
use crate::envelope::Claims;
use crate::error::Error;
use crate::policy::User;

impl Compiler {
    /// The claims of `user`'s snapshot, ready to sign: `sub` is the user's id and `tid` their tenant
    /// (the body does not repeat them), `rg` the body.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, issue::SigningKey, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a"], "roles": {"r": {"allow": ["a"]}}}"#).unwrap();
    /// let user = User::from_json(r#"{"id": "u1", "roles": ["r"], "tenant": "org-1"}"#).unwrap();
    /// let claims = c.claims(&user, "my-app", 1_700_000_000.0, 1_700_000_900.0, 1).unwrap();
    /// assert_eq!((claims.sub.as_str(), claims.tenant.as_deref()), ("u1", Some("org-1")));
    /// let token = SigningKey::from_seed("k1", [7; 32]).sign(&claims).unwrap();
    /// assert_eq!(token.split('.').count(), 3);
    /// ```
    pub fn claims(&self, user: &User, audience: &str, iat: f64, exp: f64, rev: u64) -> Result<Claims, Error> {
        let mut claims = Claims::new(&user.id, audience, iat, exp, rev, self.body(user)?);
        claims.tenant = user.tenant.clone();
        Ok(claims)
    }
}
