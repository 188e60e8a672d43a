//! Budgets: the objective allocation model's criteria and need per law (facts.md F8, F10,
//! MC41), the Wlz reward (MC30), and each January's budgets per gemeente and law.

// Per-gemeente and per-law books read most clearly with index loops.
#![allow(clippy::needless_range_loop)]

use super::{Gemeenten, LAWS};
use crate::engine::{Month, map_chunks};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;

/// The age bands of the objective allocation model's criteria: the old from this age ...
const CRITERIA_OLD_AGE: u32 = 75;
/// ... children below this age, and working age from it up to [`CRITERIA_RETIRED_AGE`].
const CRITERIA_ADULT_AGE: u32 = 18;
/// See [`CRITERIA_ADULT_AGE`] (fixed bands, like the gemeentefonds' age criteria).
const CRITERIA_RETIRED_AGE: u32 = 67;
/// Weight of the share of low-income persons in each law's need (assumption).
const LOW_INCOME_WEIGHT: f64 = 2.0;
/// Weight of working-age inhabitants in the Wmo's need (assumption).
const WMO_WORKING_AGE_WEIGHT: f64 = 0.05;
/// Base weight of working-age inhabitants in participation's need (assumption).
const PARTICIPATION_BASE_WEIGHT: f64 = 0.5;

/// Criteria of the objective allocation model per gemeente: inhabitants 75+, 0-17, 18-66, and
/// persons in low-income households (below 60% of the median).
fn criteria(world: &World, month: Month) -> Vec<[f64; 4]> {
    let c = &world.citizens;
    let h = &world.households;
    let n = world.geography.gemeenten.len();
    let mut incomes: Vec<u32> = h
        .income
        .iter()
        .zip(&h.members)
        .filter(|&(_, &m)| m > 0)
        .map(|(&x, _)| x)
        .collect();
    incomes.sort_unstable();
    let median = incomes.get(incomes.len() / 2).copied().unwrap_or(0);
    let low = (f64::from(median) * crate::model::jeugd::LOW_INCOME_SHARE) as u32;
    let parts = map_chunks(c.len(), |r| {
        let mut out = vec![[0.0f64; 4]; n];
        for i in r {
            if !c.flags[i].contains(ALIVE) {
                continue;
            }
            let hh = c.household[i] as usize;
            let g = h.gemeente[hh] as usize;
            let a = c.age(i, month);
            if a >= CRITERIA_OLD_AGE {
                out[g][0] += 1.0;
            }
            if a < CRITERIA_ADULT_AGE {
                out[g][1] += 1.0;
            } else if a < CRITERIA_RETIRED_AGE {
                out[g][2] += 1.0;
            }
            if h.income[hh] < low {
                out[g][3] += 1.0;
            }
        }
        out
    });
    let mut t = vec![[0.0; 4]; n];
    for part in parts {
        for (a, b) in t.iter_mut().zip(part) {
            for k in 0..4 {
                a[k] += b[k];
            }
        }
    }
    t
}

/// Each law's need under the objective model, from the criteria (assumption in the spirit of
/// the gemeentefonds: older inhabitants for the Wmo, children for the Jeugdwet, working age for
/// participation, all weighted up by low incomes).
fn need(c: &[f64; 4], law: usize) -> f64 {
    let pop = c[0] + c[1] + c[2];
    let low = if pop > 0.0 { c[3] / pop } else { 0.0 };
    match law {
        0 => c[0] * (1.0 + LOW_INCOME_WEIGHT * low) + WMO_WORKING_AGE_WEIGHT * c[2],
        1 => c[1] * (1.0 + LOW_INCOME_WEIGHT * low),
        2 => c[2] * (PARTICIPATION_BASE_WEIGHT + LOW_INCOME_WEIGHT * low),
        _ => c[3],
    }
}

/// The Wlz reward per gemeente: `gemeente.wlz_reward_eur` per resident fewer in the Wlz than expected
/// at the national rate among those 75+ (MC30; 0 everywhere without a reward).
pub(super) fn wlz_reward(world: &World, p: &Params, month: Month) -> Vec<f64> {
    let n = world.geography.gemeenten.len();
    let wlz_reward = p.gemeente.wlz_reward_eur.get() * p.prices.cost_index(month.year());
    let mut reward = vec![0.0; n];
    if wlz_reward > 0.0 {
        let crit = criteria(world, month);
        let c = &world.citizens;
        let h = &world.households;
        let mut wlz = vec![0.0; n];
        for i in 0..c.len() {
            if c.flags[i].contains(ALIVE | crate::model::world::WLZ) {
                wlz[h.gemeente[c.household[i] as usize] as usize] += 1.0;
            }
        }
        let old: f64 = crit.iter().map(|x| x[0]).sum();
        let rate = wlz.iter().sum::<f64>() / old.max(1.0);
        for g in 0..n {
            reward[g] = wlz_reward * (rate * crit[g][0] - wlz[g]).max(0.0);
        }
    }
    reward
}

/// Sets each gemeente's budgets for the year of `month` (a January).
pub(super) fn set_budgets(state: &mut Gemeenten, world: &World, p: &Params, month: Month) {
    let gp = &p.gemeente;
    let n = state.base.len();
    let y = month.year();
    let years = f64::from(y.saturating_sub(state.start_year));
    // The historical basis is the spending of the year before the start, in that year's
    // euros: the pot follows the cost index from then on, plus the real growth.
    let indexation = p.prices.cost_index(y) / p.prices.cost_index(state.start_year - 1);
    let growth = (1.0 + gp.budget_growth.get()).powf(years) * indexation;
    let obj = gp.objective_share.at(month).get();
    let crit = criteria(world, month);
    if y > state.start_year {
        state.buig_last_year = state.buig_this_year;
    }
    state.buig_this_year = 0.0;
    for law in 0..LAWS {
        let base_total: f64 = state.base.iter().map(|b| b[law]).sum();
        let need_total: f64 = crit.iter().map(|c| need(c, law)).sum();
        let pot = match law {
            0 | 1 => base_total * (1.0 - gp.transfer_cut.at(month).get()) * growth,
            2 => base_total * (1.0 - gp.participation_cut.at(month).get()) * growth,
            // The BUIG: last year's national bijstand, indexed to this year's euros.
            _ => state.buig_last_year * p.prices.cost_index(y) / p.prices.cost_index(y - 1),
        };
        for g in 0..n {
            let hist = if base_total > 0.0 {
                state.base[g][law] / base_total
            } else {
                0.0
            };
            let objective = if need_total > 0.0 {
                need(&crit[g], law) / need_total
            } else {
                0.0
            };
            state.budget[g][law] = pot * ((1.0 - obj) * hist + obj * objective);
        }
    }
    if y == state.start_year {
        let share = gp.general_reserve_share.get();
        for g in 0..n {
            state.general_reserve[g] = share * state.budget[g].iter().sum::<f64>();
        }
    }
    for g in 0..n {
        state.ytd_budget[g] = [0.0; LAWS];
        state.ytd_spent[g] = [0.0; LAWS];
    }
}
