//! National youth counts of a month (the tally for the indicators).

use super::refer::MAJORITY_AGE;
use crate::engine::{Month, map_chunks};
use crate::model::provision::{FormSet, PerForm};
use crate::model::world::{ALIVE, World};

/// National youth counts of one month.
#[derive(Clone, Debug, Default)]
pub struct JeugdTally {
    /// Youths with jeugdhulp (any form) at the end of the month.
    pub users: u32,
    /// Households with at least one such youth.
    pub households: u32,
    /// Per form: youths receiving it.
    pub by_form: PerForm<u32>,
    /// Youths who had jeugdhulp so far this year.
    pub users_year: u32,
    /// Households with a youth who had jeugdhulp so far this year.
    pub households_year: u32,
    /// Waiting for jeugdhulp (wijkteam, ambulant, verblijf).
    pub waiting: u32,
    /// Per form: youths waiting for it (for a GI's measures: after the court order).
    pub waiting_for: PerForm<u32>,
    /// Children aged 0-17 with jeugdhulp so far this year.
    pub users_year_0_17: u32,
    /// Per form: youths who received it so far this year (CBS's yearly counts by form).
    pub year_by_form: PerForm<u32>,
    /// Per gemeente: youths with jeugdhulp, and waiting for it.
    pub per_gemeente: Vec<[u32; 2]>,
}

/// Counts youth care users, households and waiting.
pub fn measure(world: &World, month: Month) -> JeugdTally {
    let parts = map_chunks(world.citizens.len(), |r| count(world, month, r));
    sum(parts, world.geography.gemeenten.len())
}

/// The counts of one chunk of citizens: the tally and the households with a user now and
/// this year (deduplicated over all chunks by [`sum`]).
pub type JeugdPart = (JeugdTally, Vec<u32>, Vec<u32>);

/// The counts of [`measure`] over the citizens `r` (one chunk).
pub fn count(world: &World, month: Month, r: std::ops::Range<usize>) -> JeugdPart {
    let c = &world.citizens;
    let h = &world.households;
    let n_g = world.geography.gemeenten.len();
    {
        let mut t = JeugdTally {
            per_gemeente: vec![[0; 2]; n_g],
            ..Default::default()
        };
        let mut hh_now = Vec::new();
        let mut hh_year = Vec::new();
        for i in r {
            if !c.flags[i].contains(ALIVE) {
                continue;
            }
            for f in c.jeugd_year[i].iter() {
                t.year_by_form[f] += 1;
            }
            let bits = c.jeugd[i];
            if bits.is_none() {
                continue;
            }
            let hh = c.household[i];
            if bits.in_hulp() {
                t.users += 1;
                hh_now.push(hh);
                t.per_gemeente[h.gemeente[hh as usize] as usize][0] += 1;
            }
            if bits.this_year() {
                t.users_year += 1;
                hh_year.push(hh);
                if c.age(i, month) < MAJORITY_AGE {
                    t.users_year_0_17 += 1;
                }
            }
            for f in bits.received().iter() {
                t.by_form[f] += 1;
            }
            for f in bits.waiting().iter() {
                t.waiting_for[f] += 1;
            }
            if bits.waiting().intersects(FormSet::HULP) {
                t.waiting += 1;
                t.per_gemeente[h.gemeente[hh as usize] as usize][1] += 1;
            }
        }
        (t, hh_now, hh_year)
    }
}

/// The national tally from the chunks' counts.
pub fn sum(parts: Vec<JeugdPart>, n_g: usize) -> JeugdTally {
    let mut t = JeugdTally {
        per_gemeente: vec![[0; 2]; n_g],
        ..Default::default()
    };
    let mut hh_now = Vec::new();
    let mut hh_year = Vec::new();
    for (x, a, b) in parts {
        t.users += x.users;
        t.users_year += x.users_year;
        t.users_year_0_17 += x.users_year_0_17;
        t.waiting += x.waiting;
        t.by_form.add(&x.by_form);
        t.year_by_form.add(&x.year_by_form);
        t.waiting_for.add(&x.waiting_for);
        for (p, q) in t.per_gemeente.iter_mut().zip(&x.per_gemeente) {
            p[0] += q[0];
            p[1] += q[1];
        }
        hh_now.extend(a);
        hh_year.extend(b);
    }
    hh_now.sort_unstable();
    hh_now.dedup();
    hh_year.sort_unstable();
    hh_year.dedup();
    t.households = hh_now.len() as u32;
    t.households_year = hh_year.len() as u32;
    t
}
