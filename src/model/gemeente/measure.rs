//! The month's national gemeente counts: the stacking base, Wmo use, bijstand with Wmo, the
//! spread of the Wmo help chance, policy levers and books.

use super::{Gemeenten, JEUGD, LAWS, WMO, WMO_CORE, in_stacking_base};
use crate::engine::{Month, chunk_ranges, map_chunks};
use crate::model::labour::LabourStatus;
use crate::model::provision::PerProvision;
use crate::model::world::{ALIVE, World};
use rayon::prelude::*;

/// National gemeente counts of one month.
#[derive(Clone, Debug, Default)]
pub struct GemeenteTally {
    /// Persons who used a provision of any law this year (SCP's base: see [`in_stacking_base`]).
    pub user_persons: u32,
    /// Of those, users of each law (Wmo, Jeugd, Participatiewet) this year.
    pub user_persons_law: [u32; 3],
    /// Households in the base, and of those, with a user of each law this year.
    pub user_households_law: [u32; 3],
    /// Wmo maatwerk users this year, all; of which with hulpmiddelen only (no other provision).
    pub wmo_year: [u32; 2],
    /// Wmo maatwerk users this year per provision type (CBS's yearly counts by type).
    pub wmo_year_by_provision: PerProvision<u32>,
    /// Persons with bijstand this month; of which Wmo maatwerk users this year (facts.md O16).
    pub bijstand_wmo: [u32; 2],
    /// Households with a jeugdzorg user this year; of which also using another law (O5).
    pub jeugd_households_other: [u32; 2],
    /// Of which of two or more laws; of all three.
    pub stacked_persons: [u32; 2],
    /// Households with a user this year; of which using two or more laws.
    pub user_households: u32,
    /// See `user_households`.
    pub stacked_households: u32,
    /// Gemeenten whose result so far this year is negative.
    pub in_deficit: u32,
    /// Gemeenten in deficit so far this year, per law.
    pub in_deficit_law: [u32; LAWS],
    /// The month's cost index and consumer price index (2015 = 1).
    pub price_index: [f64; 2],
    /// Gemeenten under preventive supervision.
    pub supervised: u32,
    /// Reserves, all gemeenten.
    pub reserves: f64,
    /// Outreach share: spare wijkteam capacity, inhabitant-weighted.
    pub outreach_share: f64,
    /// Spread (p90 - p10 across gemeenten) of the chance that a citizen aged 65+ with a
    /// limitation of severity 40-59 has Wmo maatwerk.
    pub help_chance_spread: f64,
    /// Stacked spending share, year to date.
    pub stacked_spending_share: f64,
    /// Per gemeente: reserves.
    pub reserves_per_gemeente: Vec<f64>,
    /// Inhabitant-weighted mean extra strictness points, Wmo tariff factor, team capacity.
    pub policy: [f64; 3],
}

/// Citizens aged this or over with a limitation in [`HELP_CHANCE_SEVERITY`] make the base of
/// `wmo_help_chance_spread`.
pub const HELP_CHANCE_AGE: u32 = 65;
/// See [`HELP_CHANCE_AGE`].
pub const HELP_CHANCE_SEVERITY: std::ops::Range<u8> = 40..60;
/// Gemeenten with fewer such citizens (on the sample) are left out of the spread.
pub const HELP_CHANCE_MIN_BASE: u32 = 10;

/// The persons' counts of one chunk: the tally's person fields, and per gemeente the Wmo
/// help chance (with maatwerk, in the base).
pub type PersonsPart = (GemeenteTally, Vec<[u32; 2]>);

/// Persons among the citizens `r` (one chunk): the stacking base, Wmo use this year, bijstand
/// with Wmo, and per gemeente the Wmo help chance (with maatwerk, in the base). Integer
/// counts, so the sum is the same in any order.
pub fn count_persons(world: &World, month: Month, r: std::ops::Range<usize>) -> PersonsPart {
    let c = &world.citizens;
    let h = &world.households;
    let n = world.geography.gemeenten.len();
    let (mut t, mut chance) = (GemeenteTally::default(), vec![[0u32; 2]; n]);
    for i in r {
        if !c.flags[i].contains(ALIVE) {
            continue;
        }
        let laws = c.laws[i];
        let year = (laws >> 3) & 0b111;
        let k = year.count_ones();
        if in_stacking_base(laws) {
            t.user_persons += 1;
            for (law, n) in t.user_persons_law.iter_mut().enumerate() {
                *n += u32::from(year & (1 << law) != 0);
            }
            if k >= 2 {
                t.stacked_persons[0] += 1;
            }
            if k == 3 {
                t.stacked_persons[1] += 1;
            }
        }
        for k in c.wmo_year[i].iter() {
            t.wmo_year_by_provision[k] += 1;
        }
        if year & WMO != 0 {
            t.wmo_year[0] += 1;
            t.wmo_year[1] += u32::from(!in_stacking_base(laws));
        }
        if c.labour[i] == LabourStatus::Bijstand {
            t.bijstand_wmo[0] += 1;
            t.bijstand_wmo[1] += u32::from(year & WMO != 0);
        }
        if HELP_CHANCE_SEVERITY.contains(&c.severity[i])
            && !c.flags[i].contains(crate::model::world::WLZ)
            && c.age(i, month) >= HELP_CHANCE_AGE
        {
            let g = h.gemeente[c.household[i] as usize] as usize;
            chance[g][1] += 1;
            if c.wmo[i].has_maatwerk() {
                chance[g][0] += 1;
            }
        }
    }
    (t, chance)
}

/// The persons' chunks summed.
fn sum_persons(parts: Vec<PersonsPart>, n: usize) -> PersonsPart {
    let mut a = GemeenteTally::default();
    let mut ca = vec![[0u32; 2]; n];
    for (b, cb) in parts {
        a.user_persons += b.user_persons;
        add_counts(&mut a.user_persons_law, &b.user_persons_law);
        add_counts(&mut a.stacked_persons, &b.stacked_persons);
        add_counts(&mut a.wmo_year, &b.wmo_year);
        a.wmo_year_by_provision.add(&b.wmo_year_by_provision);
        add_counts(&mut a.bijstand_wmo, &b.bijstand_wmo);
        for (x, y) in ca.iter_mut().zip(&cb) {
            add_counts(x, y);
        }
    }
    (a, ca)
}

/// Households in the stacking base (`laws` holds the members' laws of the year, from
/// [`stacking`]): in all, per law, with a jeugdzorg user and another law, with two or more
/// laws. The counts go into a fresh tally.
fn count_households(world: &World) -> GemeenteTally {
    let h = &world.households;
    chunk_ranges(h.len())
        .fold(GemeenteTally::default, |mut t, r| {
            for k in r {
                let m = h.laws[k] & (0b111_000 | WMO_CORE);
                if h.members[k] == 0 || !in_stacking_base(m) {
                    continue;
                }
                t.user_households += 1;
                let year = (m >> 3) & 0b111;
                for (law, n) in t.user_households_law.iter_mut().enumerate() {
                    *n += u32::from(year & (1 << law) != 0);
                }
                if year & JEUGD != 0 {
                    t.jeugd_households_other[0] += 1;
                    t.jeugd_households_other[1] += u32::from(year != JEUGD);
                }
                if year.count_ones() >= 2 {
                    t.stacked_households += 1;
                }
            }
            t
        })
        .reduce(GemeenteTally::default, |mut a, b| {
            a.user_households += b.user_households;
            add_counts(&mut a.user_households_law, &b.user_households_law);
            add_counts(&mut a.jeugd_households_other, &b.jeugd_households_other);
            a.stacked_households += b.stacked_households;
            a
        })
}

/// The spread (p90 - p10 across gemeenten with a base of at least [`HELP_CHANCE_MIN_BASE`])
/// of the help chance, from per-gemeente (with maatwerk, base) counts.
pub fn help_chance_spread(chance: &[[u32; 2]]) -> f64 {
    let mut shares: Vec<f64> = chance
        .iter()
        .filter(|x| x[1] >= HELP_CHANCE_MIN_BASE)
        .map(|x| f64::from(x[0]) / f64::from(x[1]))
        .collect();
    shares.sort_by(f64::total_cmp);
    if shares.len() >= 2 {
        crate::output::quantile(&shares, 0.9) - crate::output::quantile(&shares, 0.1)
    } else {
        0.0
    }
}

/// Policy, deficits, outreach, reserves and stacked spending, into `t`.
fn policy_and_books(state: &Gemeenten, world: &World, t: &mut GemeenteTally) {
    let mut pop = 0.0;
    let mut all = 0.0;
    for (g, gem) in world.geography.gemeenten.iter().enumerate() {
        let w = gem.population as f64;
        all += w;
        t.policy[0] += w * state.strictness[g];
        t.policy[1] += w * state.wmo_tariff[g];
        t.policy[2] += w * state.team_capacity[g];
        if state.ytd_budget[g].iter().sum::<f64>() < state.ytd_spent[g].iter().sum::<f64>() {
            t.in_deficit += 1;
        }
        for law in 0..LAWS {
            if state.ytd_budget[g][law] < state.ytd_spent[g][law] {
                t.in_deficit_law[law] += 1;
            }
        }
        if state.wijkteam[g] {
            t.outreach_share += state.outreach[g] * gem.population as f64;
            pop += gem.population as f64;
        }
    }
    if pop > 0.0 {
        t.outreach_share /= pop;
    }
    if all > 0.0 {
        t.policy.iter_mut().for_each(|x| *x /= all);
    }
    t.reserves_per_gemeente = state.reserves.iter().map(|r| r.iter().sum()).collect();
    t.reserves = t.reserves_per_gemeente.iter().sum();
    t.price_index = state.price_index;
    t.supervised = state.supervised.iter().filter(|&&s| s).count() as u32;
    t.stacked_spending_share = if state.stacked_ytd[1] > 0.0 {
        state.stacked_ytd[0] / state.stacked_ytd[1]
    } else {
        0.0
    };
}

/// Counts stacking, deficits, reserves, outreach and inequality at the end of the month.
pub fn measure(state: &Gemeenten, world: &World, month: Month) -> GemeenteTally {
    let parts = map_chunks(world.citizens.len(), |r| count_persons(world, month, r));
    finish(state, world, parts)
}

/// The tally from the persons' chunks ([`count_persons`]), with the households, the help
/// chance spread, policy and books counted here.
pub fn finish(state: &Gemeenten, world: &World, persons: Vec<PersonsPart>) -> GemeenteTally {
    let (mut t, chance) = sum_persons(persons, world.geography.gemeenten.len());
    let households = count_households(world);
    t.user_households = households.user_households;
    t.user_households_law = households.user_households_law;
    t.jeugd_households_other = households.jeugd_households_other;
    t.stacked_households = households.stacked_households;
    t.help_chance_spread = help_chance_spread(&chance);
    policy_and_books(state, world, &mut t);
    t
}

fn add_counts<const N: usize>(a: &mut [u32; N], b: &[u32; N]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}
