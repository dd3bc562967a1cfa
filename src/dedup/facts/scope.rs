//! What a commit must regroup, found from its own claims without reading the rest.
//!
//! Groups form within the sets that [`may_group`] (objects checked) connects, and a
//! fact's conflicts come from the groups whose founders conflict with its own. So the
//! claims a commit adds or replaces change the groups of the sets they fall in
//! (*changed*) and the conflict lists of the groups that conflict with those
//! (*touched*); rewriting a touched fact needs the groups that conflict with it
//! (*context*), whose own facts do not change. Nothing else can change: this is what
//! keeps a commit's cost with its claims and the blocks they fall in.

use super::{ClaimRow, Reach, Relation, may_group, objects_compatible, relate};
use std::collections::HashSet;

/// How a committed claim enters a commit's regrouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// In a set the commit's claims change: its fact is rewritten.
    Changed,
    /// In a group that may conflict with a changed one: its fact is rewritten.
    Touched,
    /// In a group that may conflict with a touched one: read, its fact unchanged.
    Context,
}

impl Role {
    /// Whether the facts holding a claim of this role are written again.
    pub fn rewrites(self) -> bool {
        self != Role::Context
    }
}

/// A claim with its reach, computed once.
type Reached = (ClaimRow, Reach);

/// The committed claims a commit must read, each with its role, given the claims it
/// adds and the committed ones it replaces (`seeds`), and `near`, which lists the
/// committed live claims (less the replaced ones) that [`super::may_meet`] a claim.
pub fn scope<E>(
    seeds: &[&ClaimRow],
    near: impl FnMut(&ClaimRow, &Reach) -> Result<Vec<Reached>, E>,
) -> Result<Vec<(ClaimRow, Role)>, E> {
    let mut walk = Walk {
        near,
        known: HashSet::new(),
        out: Vec::new(),
    };
    let mut next = Vec::new();
    let start = seeds.iter().map(|r| ((*r).clone(), Reach::of(r))).collect();
    walk.spread(start, Role::Changed, &mut next)?;
    for role in [Role::Touched, Role::Context] {
        let start = walk.adopt(std::mem::take(&mut next), role);
        walk.spread(start, role, &mut next)?;
    }
    Ok(walk.out)
}

/// A walk over the committed claims.
struct Walk<F> {
    near: F,
    known: HashSet<String>,
    out: Vec<(ClaimRow, Role)>,
}

impl<F> Walk<F> {
    /// Takes in the claims not yet known, in a role; returns them to spread from.
    fn adopt(&mut self, found: Vec<Reached>, role: Role) -> Vec<Reached> {
        let mut start = Vec::new();
        for (c, reach) in found {
            if self.known.insert(c.id.clone()) {
                self.out.push((c.clone(), role));
                start.push((c, reach));
            }
        }
        start
    }

    /// Takes in, in a role, every claim the `start` ones reach through grouping, and
    /// puts the ones that conflict with them in `next`.
    fn spread<E>(
        &mut self,
        start: Vec<Reached>,
        role: Role,
        next: &mut Vec<Reached>,
    ) -> Result<(), E>
    where
        F: FnMut(&ClaimRow, &Reach) -> Result<Vec<Reached>, E>,
    {
        let mut queue = start;
        while let Some((r, reach)) = queue.pop() {
            for (c, c_reach) in (self.near)(&r, &reach)? {
                if self.known.contains(&c.id) {
                    continue;
                }
                if may_group(&reach, &c_reach) && objects_compatible(&r.object, &c.object) {
                    self.known.insert(c.id.clone());
                    self.out.push((c.clone(), role));
                    queue.push((c, c_reach));
                } else if relate(&r, &c) == Relation::Conflict {
                    next.push((c, c_reach));
                }
            }
        }
        Ok(())
    }
}
