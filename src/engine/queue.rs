//! Capacity-limited waiting lists: who gets a place when places are scarce.
//!
//! Admission order is fixed by the data (pool, kind, priority, waiting since, agent index),
//! never by thread timing, so the same state always admits the same agents.

/// One agent waiting for a kind of place in a pool (a purchasing region, a gemeente, ...).
/// Ordered by pool, kind, priority (lower first), month waiting since, agent index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Waiting {
    /// The pool whose capacity is used.
    pub pool: u32,
    /// The kind of place.
    pub kind: u8,
    /// Lower is served first (for example 255 minus severity).
    pub priority: u8,
    /// Month the wait started.
    pub since: u16,
    /// Agent index.
    pub agent: u32,
}

/// Adds per-pool counts of several chunks together.
pub fn sum_pools<const K: usize>(
    parts: impl IntoIterator<Item = Vec<[u32; K]>>,
    n_pools: usize,
) -> Vec<[u32; K]> {
    let mut total = vec![[0u32; K]; n_pools];
    for part in parts {
        for (a, b) in total.iter_mut().zip(part) {
            for k in 0..K {
                a[k] += b[k];
            }
        }
    }
    total
}

/// One parallel pass over `n_agents`: `visit(i, used, waiting)` adds agent `i`'s places in use
/// (per pool and kind) and its waiting entries. Returns the summed use and all entries.
pub fn survey<const K: usize, F>(
    n_agents: usize,
    n_pools: usize,
    visit: F,
) -> (Vec<[u32; K]>, Vec<Waiting>)
where
    F: Fn(usize, &mut [[u32; K]], &mut Vec<Waiting>) + Sync + Send,
{
    let parts = super::map_chunks(n_agents, |r| {
        let mut used = vec![[0u32; K]; n_pools];
        let mut waiting = Vec::new();
        for i in r {
            visit(i, &mut used, &mut waiting);
        }
        (used, waiting)
    });
    let (used, waiting): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    (
        sum_pools(used, n_pools),
        waiting.into_iter().flatten().collect(),
    )
}

/// Whole places from an expected capacity `cap`, rounded at a fixed `offset` in [0, 1) drawn
/// once per pool and kind: `floor(cap + offset)`. Over pools this is unbiased (rounding down
/// everywhere loses half a place per pool, a fixed number of agents that scaled back grows as
/// 1/scale), and it does not ratchet as a monthly draw does (a place drawn one month and not
/// the next keeps the client admitted to it, so monthly draws hold places at the ceiling).
pub fn whole_places(cap: f64, offset: f64) -> f64 {
    if cap.is_finite() {
        (cap + offset).floor()
    } else {
        cap
    }
}

/// The fixed rounding point in [0, 1) of pool `pool` and kind `kind` for [`whole_places`]:
/// drawn once per run from `purpose`, the same whatever the month.
pub fn place_offset(seed: u64, purpose: super::Purpose, pool: usize, kind: usize) -> f64 {
    super::Stream::new(seed, purpose, (pool as u64) << 8 | kind as u64, 0).uniform()
}

/// What [`admit`] decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Admission<const K: usize> {
    /// The admitted entries, in admission order.
    pub admitted: Vec<Waiting>,
    /// Per pool and kind: how many were admitted.
    pub admitted_n: Vec<[u32; K]>,
    /// Per pool and kind: how many are left waiting.
    pub left: Vec<[u32; K]>,
}

/// Admits waiting agents in order while `used + admitted + 1 <= capacity(pool, kind)`.
pub fn admit<const K: usize>(
    mut waiting: Vec<Waiting>,
    used: &[[u32; K]],
    capacity: impl Fn(usize, usize) -> f64,
) -> Admission<K> {
    waiting.sort_unstable();
    let mut admitted_n = vec![[0u32; K]; used.len()];
    let mut left = vec![[0u32; K]; used.len()];
    let mut admitted = Vec::new();
    let mut cap_cache: Option<(usize, usize, f64)> = None;
    for w in waiting {
        let (p, k) = (w.pool as usize, usize::from(w.kind));
        let cap = match cap_cache {
            Some((cp, ck, c)) if cp == p && ck == k => c,
            _ => {
                let c = capacity(p, k);
                cap_cache = Some((p, k, c));
                c
            }
        };
        if f64::from(used[p][k] + admitted_n[p][k]) + 1.0 <= cap {
            admitted_n[p][k] += 1;
            admitted.push(w);
        } else {
            left[p][k] += 1;
        }
    }
    Admission {
        admitted,
        admitted_n,
        left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_by_priority_then_waiting_time_up_to_capacity() {
        let w = |pool, priority, since, agent| Waiting {
            pool,
            kind: 0,
            priority,
            since,
            agent,
        };
        let waiting = vec![
            w(0, 5, 3, 10),
            w(0, 1, 9, 11),
            w(0, 5, 1, 12),
            w(1, 0, 0, 13),
        ];
        let used = vec![[1u32], [0]];
        let a = admit(waiting, &used, |p, _| if p == 0 { 3.0 } else { 0.5 });
        let agents: Vec<u32> = a.admitted.iter().map(|a| a.agent).collect();
        assert_eq!(agents, vec![11, 12], "most urgent, then longest waiting");
        assert_eq!(a.left, vec![[1], [1]]);
        assert_eq!(a.admitted_n, vec![[2], [0]]);
        assert_eq!(sum_pools([vec![[1u32, 2]], vec![[3, 4]]], 1), vec![[4, 6]]);
    }

    #[test]
    fn whole_places_are_unbiased_over_pools() {
        let n = 1000;
        let total: f64 = (0..n)
            .map(|i| whole_places(3.3, (f64::from(i) + 0.5) / f64::from(n)))
            .sum();
        assert!((total / f64::from(n) - 3.3).abs() < 1e-9, "{total}");
        assert_eq!(whole_places(f64::INFINITY, 0.7), f64::INFINITY);
    }
}
