//! Fixtures shared by the policy, eval and route targets: one signing key, a fixed clock, and
//! "compile → sign → load" as an application does it.
#![allow(dead_code)]

use rolegate::compile::Compiler;
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use rolegate::{Clock, Gate, GateOptions, Keyring};

pub const NOW: f64 = 1_700_000_000.0;
pub const AUD: &str = "fuzz";

pub fn key() -> &'static SigningKey {
    static KEY: std::sync::OnceLock<SigningKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| SigningKey::from_seed("fz", [5; 32]))
}

pub fn keyring() -> &'static Keyring {
    static RING: std::sync::OnceLock<Keyring> = std::sync::OnceLock::new();
    RING.get_or_init(|| Keyring::from_jwks(&SigningKey::jwks(&[key()])).expect("fixed JWKS"))
}

/// A gate trusting [`key`] at [`NOW`], on `platform`.
pub fn gate(platform: Option<&str>) -> Gate {
    let mut o = GateOptions::new(keyring().clone(), AUD);
    o.clock = Clock::fixed(NOW);
    o.platform = platform.map(str::to_owned);
    Gate::new(o).expect("fixed options")
}

/// Compiles `user`, signs the snapshot and loads it into a fresh gate on `platform`.
pub fn load(c: &Compiler, user: &User, platform: Option<&str>) -> Result<Gate, rolegate::Error> {
    let claims = c.claims(user, AUD, NOW, NOW + 600.0, 1)?;
    let token = key().sign(&claims)?;
    let mut g = gate(platform);
    g.load(&token)?;
    Ok(g)
}

/// Whether `id` is somewhere in `tree`.
pub fn contains(tree: &[rolegate::surfaces::MenuNode], id: &str) -> bool {
    tree.iter().any(|n| n.id == id || contains(&n.children, id))
}

/// Every id of `tree`.
pub fn ids(tree: &[rolegate::surfaces::MenuNode], out: &mut Vec<String>) {
    for n in tree {
        out.push(n.id.clone());
        ids(&n.children, out);
    }
}
