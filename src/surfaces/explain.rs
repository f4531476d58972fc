//! Explanations: one question of any kind, answered with its code, step, rule and message.

use crate::eval::{Decision, Record};

/// A question a user interface can ask.
///
/// ```
/// use rolegate::surfaces::Question;
/// let q = Question::Key("page.jobs.view");
/// assert!(matches!(q, Question::Key(_)));
/// ```
#[derive(Clone, Copy)]
pub enum Question<'a> {
    /// May the user do `key`?
    Key(&'a str),
    /// May the user do `key` on this record?
    Record(&'a str, &'a dyn Record),
    /// May the user open this path?
    Route(&'a str),
    /// Is this menu item visible?
    Menu(&'a str),
    /// Is field `field` of resource type `resource` visible (on this record, if given)?
    Field {
        /// The resource type.
        resource: &'a str,
        /// The field.
        field: &'a str,
        /// The record, if any.
        record: Option<&'a dyn Record>,
    },
    /// May the user see this record of resource type `resource`?
    See(&'a str, &'a dyn Record),
}

/// An answer for support staff: allowed or not, the stable code, the step, the rule and a message.
///
/// ```
/// use rolegate::surfaces::Explanation;
/// use rolegate::{Decision, Reason};
/// let e = Explanation::from(&Decision::deny(Reason::Inactive));
/// assert_eq!((e.code, e.step), ("inactive", "active"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Whether the answer is yes.
    pub allow: bool,
    /// The reason code.
    pub code: &'static str,
    /// The step of the evaluation order that decided.
    pub step: &'static str,
    /// The rule that decided, if any.
    pub rule: Option<String>,
    /// A one-line human message.
    pub message: &'static str,
}

impl From<&Decision> for Explanation {
    fn from(d: &Decision) -> Explanation {
        Explanation {
            allow: d.allow,
            code: d.reason.code(),
            step: d.reason.step(),
            rule: d.rule.clone(),
            message: d.reason.message(),
        }
    }
}
