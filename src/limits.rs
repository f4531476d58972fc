//! Size and count limits applied to untrusted input before it is decoded.

/// The largest token a gate accepts by default: 256 KiB.
pub const MAX_TOKEN_BYTES: usize = 256 * 1024;

/// The largest JWKS document accepted: 64 KiB.
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// The most keys one JWKS may hold.
pub const MAX_KEYS: usize = 64;

/// The longest `kid`, `sub`, `iss`, `aud`, `jti` or tenant id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 256;

/// The most revocation floors one gate keeps (subjects and tenants each).
pub const MAX_FLOORS: usize = 4096;

/// The default allowance for clocks that disagree, in seconds.
pub const DEFAULT_CLOCK_SKEW_SEC: f64 = 60.0;

/// The largest revision number, so that it survives a round trip through a JavaScript number.
pub const MAX_REV: u64 = (1 << 53) - 1;

/// The most distinct keys a gate interns for [`crate::Gate::id`].
pub const MAX_INTERNED_KEYS: usize = 65_536;

/// The largest policy document the compiler reads: 1 MiB (the seed policies are about 10 KiB).
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// The largest user record the compiler reads: 64 KiB.
pub const MAX_USER_BYTES: usize = 64 * 1024;

/// The most parameters (`{name}`) one route pattern may have. matchit panics past 25, so patterns
/// are counted before they reach it (found by the `route` and `policy` fuzz targets); real routes
/// have a handful.
pub const MAX_ROUTE_PARAMS: usize = 16;
