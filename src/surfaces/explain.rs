//! Questions of any kind, for an explain panel or a support tool (`Gate::decide` answers each with
//! a [`crate::Decision`]: its code, step, rule and message).

use crate::eval::Record;

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
