//! Injected time. Every time in rolegate is seconds since the Unix epoch as an `f64`, the unit that
//! crosses into JavaScript without BigInt.

use std::fmt;

/// A clock function. Natively it must be `Send + Sync` so that a gate can be shared across threads;
/// in WebAssembly (single-threaded) it may wrap a JavaScript function.
#[cfg(not(target_arch = "wasm32"))]
type ClockFn = std::sync::Arc<dyn Fn() -> f64 + Send + Sync>;
#[cfg(target_arch = "wasm32")]
type ClockFn = std::rc::Rc<dyn Fn() -> f64>;

/// A source of the current time, in seconds since the Unix epoch.
///
/// The default reads the system clock (in WebAssembly, `Date.now()`); tests fix it or move it by hand.
///
/// ```
/// use rolegate::Clock;
/// let clock = Clock::fixed(1_700_000_000.0);
/// assert_eq!(clock.now(), 1_700_000_000.0);
/// ```
#[derive(Clone)]
pub struct Clock(ClockKind);

#[derive(Clone)]
enum ClockKind {
    System,
    Fixed(f64),
    Custom(ClockFn),
}

impl Clock {
    /// The platform's wall clock.
    pub fn system() -> Clock {
        Clock(ClockKind::System)
    }

    /// A clock that always reads `seconds`.
    pub fn fixed(seconds: f64) -> Clock {
        Clock(ClockKind::Fixed(seconds))
    }

    /// A clock that calls `f` each time it is read.
    ///
    /// ```
    /// let clock = rolegate::Clock::from_fn(|| 42.0);
    /// assert_eq!(clock.now(), 42.0);
    /// ```
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_fn(f: impl Fn() -> f64 + Send + Sync + 'static) -> Clock {
        Clock(ClockKind::Custom(std::sync::Arc::new(f)))
    }

    /// A clock that calls `f` each time it is read (WebAssembly: `f` need not be `Send`).
    #[cfg(target_arch = "wasm32")]
    pub fn from_fn(f: impl Fn() -> f64 + 'static) -> Clock {
        Clock(ClockKind::Custom(std::rc::Rc::new(f)))
    }

    /// The current time in seconds since the Unix epoch.
    pub fn now(&self) -> f64 {
        match &self.0 {
            ClockKind::System => system_now(),
            ClockKind::Fixed(t) => *t,
            ClockKind::Custom(f) => f(),
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            ClockKind::System => f.write_str("Clock::system"),
            ClockKind::Fixed(t) => write!(f, "Clock::fixed({t})"),
            ClockKind::Custom(_) => f.write_str("Clock::from_fn"),
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn system_now() -> f64 {
    js_sys::Date::now() / 1000.0
}

#[cfg(not(target_arch = "wasm32"))]
fn system_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}
