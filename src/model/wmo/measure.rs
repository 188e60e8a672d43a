//! National Wmo counts of a month (the tally for the indicators).

use super::rules::formal_hours;
use super::seek::GAP_HOURS;
use super::setup::WmoSetup;
use crate::engine::{Month, map_chunks};
use crate::model::needs::need_hours;
use crate::model::provision::PerProvision;
use crate::model::world::{ALIVE, WLZ, World};
use crate::scenario::params::Params;

/// A limitation of at least this severity counts (`persons_limited`).
pub const LIMITED_SEVERITY: u8 = 10;
/// Need counts as unmet (`wmo_unmet_need`) when at least this share of it is covered by
/// neither informal nor formal help, for someone with a need of at least
/// [`UNMET_SEVERITY`]. Counting every uncovered hour of everyone with a limitation, as before
/// issue #19, counted three quarters of them in every scenario: light needs that nobody helps
/// with under any policy.
pub const UNMET_SHARE: f64 = 0.5;
/// Severity from which unmet need is counted: a need of four hours a week or more (half a day
/// of help). Fixed, not a policy threshold, so that a stricter gemeente does not define need
/// away.
pub const UNMET_SEVERITY: u8 = 20;
/// Users aged this or over count in `wmo_users_65_plus`.
pub const OLD_USER_AGE: u32 = 65;

/// National Wmo counts of one month.
#[derive(Clone, Debug, Default)]
pub struct WmoTally {
    /// Users of any maatwerk.
    pub users: u32,
    /// Users per maatwerk provision.
    pub by_provision: PerProvision<u32>,
    /// Users of an algemene voorziening (after a referral).
    pub algemeen: u32,
    /// Maatwerk users aged 65+.
    pub users_65_plus: u32,
    /// Maatwerk users by household income quintile.
    pub by_quintile: [u32; 5],
    /// Waiting for assessment or a provider.
    pub waiting: u32,
    /// Sum of months waited by those waiting.
    pub wait_months: u64,
    /// Adults with a limitation whose need is not covered by informal and formal help.
    pub unmet: u32,
    /// Adults with a limitation (severity >= 10).
    pub limited: u32,
    /// In the Wlz.
    pub wlz: u32,
    /// Per gemeente: (maatwerk users, waiting, Wlz).
    pub per_gemeente: Vec<[u32; 3]>,
}

/// Counts users, waiting, unmet need and Wlz residents.
pub fn measure(world: &World, p: &Params, setup: &WmoSetup, month: Month) -> WmoTally {
    let parts = map_chunks(world.citizens.len(), |r| count(world, p, setup, month, r));
    sum(parts, world.geography.gemeenten.len())
}

/// The counts of [`measure`] over the citizens `r` (one chunk; the month's measurement pass
/// calls it beside the other laws' counts, `model::Simulation::measure`).
pub fn count(
    world: &World,
    p: &Params,
    setup: &WmoSetup,
    month: Month,
    r: std::ops::Range<usize>,
) -> WmoTally {
    let w = &p.wmo;
    let n_g = world.geography.gemeenten.len();
    let c = &world.citizens;
    let h = &world.households;
    {
        let mut t = WmoTally {
            per_gemeente: vec![[0; 3]; n_g],
            ..Default::default()
        };
        for i in r {
            let f = c.flags[i];
            if !f.contains(ALIVE) {
                continue;
            }
            let hh = c.household[i] as usize;
            let g = h.gemeente[hh] as usize;
            if f.contains(WLZ) {
                t.wlz += 1;
                t.per_gemeente[g][2] += 1;
                continue;
            }
            let s = c.severity[i];
            if s >= LIMITED_SEVERITY {
                t.limited += 1;
                if s >= UNMET_SEVERITY {
                    let need = need_hours(s);
                    let gap = need - f64::from(c.informal[i]) - formal_hours(w, c.wmo[i], s);
                    if gap >= GAP_HOURS.max(UNMET_SHARE * need) {
                        t.unmet += 1;
                    }
                }
            }
            let bits = c.wmo[i];
            if bits.is_none() {
                continue;
            }
            for k in bits.held().iter() {
                t.by_provision[k] += 1;
            }
            t.algemeen += u32::from(bits.algemeen());
            if bits.has_maatwerk() {
                t.users += 1;
                t.per_gemeente[g][0] += 1;
                if c.age(i, month) >= OLD_USER_AGE {
                    t.users_65_plus += 1;
                }
                t.by_quintile[setup.quintile(h.income[hh])] += 1;
            }
            if bits.in_queue() {
                t.waiting += 1;
                t.per_gemeente[g][1] += 1;
                t.wait_months += u64::from(month.0.saturating_sub(u32::from(c.wmo_month[i])));
            }
        }
        t
    }
}

/// The national tally from the chunks' counts (integers: the same in any order).
pub fn sum(parts: Vec<WmoTally>, n_g: usize) -> WmoTally {
    let mut t = WmoTally {
        per_gemeente: vec![[0; 3]; n_g],
        ..Default::default()
    };
    for x in parts {
        t.users += x.users;
        t.users_65_plus += x.users_65_plus;
        t.waiting += x.waiting;
        t.wait_months += x.wait_months;
        t.unmet += x.unmet;
        t.limited += x.limited;
        t.wlz += x.wlz;
        t.by_provision.add(&x.by_provision);
        t.algemeen += x.algemeen;
        for k in 0..5 {
            t.by_quintile[k] += x.by_quintile[k];
        }
        for (a, b) in t.per_gemeente.iter_mut().zip(&x.per_gemeente) {
            for k in 0..3 {
                a[k] += b[k];
            }
        }
    }
    t
}
