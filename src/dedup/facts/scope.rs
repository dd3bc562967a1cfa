//! What a commit must regroup, found from its own claims without reading the rest.
//!
//! Groups form within the sets that [`may_group`] (objects checked) connects. So the
//! claims a commit adds or replaces change the groups of the sets they fall in, and
//! nothing else: a fact's conflicts are not stored but found when it is read
//! ([`super::conflicts_among`]), so a new figure that conflicts with a fact leaves that
//! fact as it is. This is what keeps a commit's cost with its claims and the sets they
//! fall in.

use super::{ClaimRow, Reach, may_group, objects_compatible};
use std::collections::HashSet;

/// A claim with its reach, computed once.
type Reached = (ClaimRow, Reach);

/// The committed claims whose facts a commit rewrites, given the claims it adds and the
/// committed ones it replaces (`seeds`), and `near`, which lists the committed live
/// claims (less the replaced ones) that [`may_group`] with a claim, or more.
pub fn scope<E>(
    seeds: &[&ClaimRow],
    mut near: impl FnMut(&ClaimRow, &Reach) -> Result<Vec<Reached>, E>,
) -> Result<Vec<ClaimRow>, E> {
    let mut known: HashSet<String> = seeds.iter().map(|r| r.id.clone()).collect();
    let mut out = Vec::new();
    let mut queue: Vec<Reached> = seeds.iter().map(|r| ((*r).clone(), Reach::of(r))).collect();
    while let Some((r, reach)) = queue.pop() {
        for (c, c_reach) in near(&r, &reach)? {
            if !known.contains(&c.id)
                && may_group(&reach, &c_reach)
                && objects_compatible(&r.object, &c.object)
            {
                known.insert(c.id.clone());
                out.push(c.clone());
                queue.push((c, c_reach));
            }
        }
    }
    Ok(out)
}
