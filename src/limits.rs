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

/// The most subjects whose highest loaded revision a gate remembers (anti-rollback across users).
pub const MAX_SEEN: usize = 64;

/// Arrays nested deeper than this in a record's field read as "anything else" (JS arrays can hold
/// themselves).
pub const MAX_LIST_DEPTH: u32 = 32;

/// Arrays longer than this in a record's field read as "anything else" (a sparse JS array of length
/// 2^32 − 1 is not walked), and so do a record's lists once they hold this many items together (a
/// cyclic `[a, a]` would be 2^depth); a menu tree with more nodes is refused.
pub const MAX_LIST_ITEMS: u32 = 1 << 16;

/// Menu trees deeper than this are refused.
pub const MAX_MENU_DEPTH: u32 = 32;

/// The most records one `filter` call reads; a longer list is a `bad_argument` error.
pub const MAX_FILTER_RECORDS: u32 = 1 << 20;

/// The most numbers one question writes into wasm memory for the gate to read (its records or menu
/// tree, 8 bytes each: 32 MiB); a larger one is a `bad_argument` error, so that no question can
/// exhaust wasm memory.
pub const MAX_QUESTION_NUMBERS: u32 = 1 << 22;

/// The longest text a question may carry across into the gate, in UTF-16 units as JavaScript counts
/// them (a key, a route path, a resource, field or setting name): longer ones are denied (or refused,
/// for `id`) without being copied into wasm memory.
pub const MAX_QUESTION_CHARS: u32 = 4096;

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
