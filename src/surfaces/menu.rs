//! Menus: the policy's menu tree (or an application's tree of item ids) filtered for the user.

use rustc_hash::FxHashMap as HashMap;

use crate::error::Error;
use crate::eval::{BodyMenu, Context, Decision, Grants, Reason};

/// One item of a menu tree: an id and its children (a section when it has children).
///
/// ```
/// use rolegate::surfaces::MenuNode;
/// let tree = MenuNode::section("admin", vec![MenuNode::item("admin.users")]);
/// assert_eq!(tree.children[0].id, "admin.users");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuNode {
    /// The item id, as in the policy's menu.
    pub id: String,
    /// The children; a section is hidden when none is visible.
    pub children: Vec<MenuNode>,
}

impl MenuNode {
    /// A leaf item.
    ///
    /// ```
    /// assert!(rolegate::surfaces::MenuNode::item("jobs").children.is_empty());
    /// ```
    pub fn item(id: &str) -> MenuNode {
        MenuNode { id: id.to_owned(), children: Vec::new() }
    }

    /// A section with children.
    ///
    /// ```
    /// use rolegate::surfaces::MenuNode;
    /// assert_eq!(MenuNode::section("admin", vec![MenuNode::item("users")]).children.len(), 1);
    /// ```
    pub fn section(id: &str, children: Vec<MenuNode>) -> MenuNode {
        MenuNode { id: id.to_owned(), children }
    }
}

/// The menu of a snapshot, indexed by item id.
#[derive(Debug, Clone, Default)]
pub(crate) struct MenuIndex {
    /// Each item's index in `entries` (an index, like the evaluator's maps: one shape of map).
    items: HashMap<Box<str>, u32>,
    /// Each item with its parent's id.
    entries: Vec<(BodyMenu, Option<Box<str>>)>,
    roots: Vec<BodyMenu>,
}

impl MenuIndex {
    /// Indexes the menu of a body. Item ids must be unique: with a repeated id, an item's parent
    /// chain could lead back to itself (and `decide` would walk it forever), so such a body is
    /// refused.
    pub(crate) fn build(menu: &[BodyMenu]) -> Result<MenuIndex, Error> {
        let mut index = MenuIndex { items: HashMap::default(), entries: Vec::new(), roots: menu.to_vec() };
        fn walk(index: &mut MenuIndex, items: &[BodyMenu], parent: Option<&str>) -> Result<(), Error> {
            for item in items {
                let at = u32::try_from(index.entries.len()).unwrap_or(u32::MAX);
                index.entries.push((item.clone(), parent.map(Into::into)));
                if index.items.insert(item.id.as_str().into(), at).is_some() {
                    return Err(Error::BadClaim {
                        claim: "rg",
                        reason: "the permission body repeats a menu item id",
                    });
                }
                walk(index, &item.children, Some(&item.id))?;
            }
            Ok(())
        }
        walk(&mut index, menu, None)?;
        Ok(index)
    }

    /// The item's own checks: platform/activity, item platforms, feature, key.
    fn own(grants: &Grants, ctx: &Context<'_>, item: &BodyMenu) -> Decision {
        if let Some(v) = grants.admits(ctx) {
            return grants.decision(v);
        }
        if !Grants::on_platform(ctx, item.platforms.as_deref()) {
            return Decision::new(Reason::PlatformDenied, Some(&item.id));
        }
        if let Some(f) = item.feature.as_deref().filter(|f| grants.feature_off(f)) {
            return Decision::new(Reason::FeatureDisabled, Some(f));
        }
        match (item.key, grants.key(item.key)) {
            (_, Some(key)) => grants.decision(grants.verdict(ctx, key, None)),
            (Some(_), None) => Decision::deny(Reason::NoGrant),
            (None, None) => Decision::new(Reason::Public, Some(&item.id)),
        }
    }

    /// Whether a policy item (with its policy children) is visible, with the reason.
    fn visible(grants: &Grants, ctx: &Context<'_>, item: &BodyMenu) -> Decision {
        let own = Self::own(grants, ctx, item);
        if !own.allow || item.children.is_empty() {
            return own;
        }
        if item.children.iter().any(|c| Self::visible(grants, ctx, c).allow) {
            own
        } else {
            Decision::new(Reason::EmptySection, Some(&item.id))
        }
    }

    /// Item `id` with its parent's id.
    fn entry(&self, id: &str) -> Option<&(BodyMenu, Option<Box<str>>)> {
        self.items.get(id).and_then(|at| self.entries.get(*at as usize))
    }

    /// The decision for item `id`, its ancestors included.
    pub(crate) fn decide(&self, grants: &Grants, ctx: &Context<'_>, id: &str) -> Decision {
        let Some((item, parent)) = self.entry(id) else { return Decision::deny(Reason::UnknownItem) };
        let mut up = parent.clone();
        while let Some(p) = up {
            let Some((ancestor, next)) = self.entry(&p) else { break };
            let d = Self::own(grants, ctx, ancestor);
            if !d.allow {
                return d;
            }
            up = next.clone();
        }
        Self::visible(grants, ctx, item)
    }

    /// The policy's menu in preorder: each item's id, its number of children, and its own decision
    /// (activity, platform, feature, key; not its ancestors' or children's).
    pub(crate) fn flat(&self, grants: &Grants, ctx: &Context<'_>) -> Vec<(&str, usize, Decision)> {
        fn walk<'m>(
            items: &'m [BodyMenu],
            grants: &Grants,
            ctx: &Context<'_>,
            out: &mut Vec<(&'m str, usize, Decision)>,
        ) {
            for i in items {
                out.push((&i.id, i.children.len(), MenuIndex::own(grants, ctx, i)));
                walk(&i.children, grants, ctx, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.roots, grants, ctx, &mut out);
        out
    }

    /// The policy's menu, filtered.
    pub(crate) fn tree(&self, grants: &Grants, ctx: &Context<'_>) -> Vec<MenuNode> {
        fn keep(grants: &Grants, ctx: &Context<'_>, items: &[BodyMenu]) -> Vec<MenuNode> {
            items
                .iter()
                .filter(|i| MenuIndex::own(grants, ctx, i).allow)
                .filter_map(|i| {
                    let children = keep(grants, ctx, &i.children);
                    let section_empty = !i.children.is_empty() && children.is_empty();
                    (!section_empty).then(|| MenuNode { id: i.id.clone(), children })
                })
                .collect()
        }
        keep(grants, ctx, &self.roots)
    }

    /// An application's tree filtered: unknown ids are dropped, and sections left empty.
    pub(crate) fn filter(&self, grants: &Grants, ctx: &Context<'_>, tree: &[MenuNode]) -> Vec<MenuNode> {
        tree.iter()
            .filter(|n| self.entry(&n.id).is_some_and(|(i, _)| Self::own(grants, ctx, i).allow))
            .filter_map(|n| {
                let children = self.filter(grants, ctx, &n.children);
                let section_empty = !n.children.is_empty() && children.is_empty();
                (!section_empty).then(|| MenuNode { id: n.id.clone(), children })
            })
            .collect()
    }
}
