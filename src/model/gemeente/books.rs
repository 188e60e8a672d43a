//! Phase 8: the month's books of every gemeente: spending per law, wijkteam and coordination
//! costs (MC36, F6), the historical basis in the year before the start, budget in, spending
//! out, reserves (per law with schotten, one pool without, MC46).

// Per-gemeente and per-law books read most clearly with index loops.
#![allow(clippy::needless_range_loop)]

use super::budget::{set_budgets, wlz_reward};
use super::policy::close_year;
use super::{Gemeenten, LAWS, household_laws_now};
use crate::engine::Month;
use crate::model::indicators::GemeenteFlows;
use crate::model::world::World;
use crate::scenario::params::Params;

/// Spending per law of one gemeente in one month (before coordination), from its flows. The
/// Wsw subsidy is not the gemeente's: the Rijk pays it per employee through the gemeente
/// (issue #19), so it is in neither the participation budget nor its spending.
fn care_spending(f: &GemeenteFlows) -> [f64; LAWS] {
    [
        f.wmo_spending_eur - f.wmo_copay_eur + f.team_eur,
        f.jeugd_spending_eur,
        f.reintegration_eur,
        f.bijstand_eur,
    ]
}

/// Wijkteam cost and coordination cost (MC36, F6), and one plan per household, into `flows`.
fn team_and_coordination(
    state: &Gemeenten,
    world: &World,
    p: &Params,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let gp = &p.gemeente;
    let scale = world.scale;
    // Costs are in 2015 euros; paid in this year's (the cost index).
    let index = state.price_index[0];
    let slots_per_person =
        p.wmo.assessment_capacity.get() / crate::model::wmo::ASSESSMENT_CAPACITY_PER;
    let mut plans = vec![0u32; flows.len()];
    if gp.one_plan.at(month) {
        let h = &world.households;
        for k in 0..h.len() {
            if h.members[k] > 0 && household_laws_now(h.laws[k]).count_ones() >= 2 {
                plans[h.gemeente[k] as usize] += 1;
            }
        }
    }
    for (g, f) in flows.iter_mut().enumerate() {
        let pop = world.geography.gemeenten[g].population as f64 * scale;
        f.team_eur = index
            * gp.team_cost_eur.get()
            * slots_per_person
            * pop
            * state.capacity_factor(g, month)
            * gp.team_investment.at(month).get();
        // On the care bought, before co-payments: administration follows the volume of care
        // and contracts (facts.md F6), not what clients pay back (before issue #24 a lower
        // co-payment raised it by a quarter of the co-payments lost).
        let care = f.wmo_spending_eur + f.team_eur + f.jeugd_spending_eur;
        f.coordination_eur = gp.coordination_share.get() * state.coordination_factor[g] * care
            + index * gp.plan_cost_eur.get() * f64::from(plans[g]);
    }
}

/// The year before the start: the month's spending adds to the historical basis (coordination
/// shared between Wmo and Jeugd by their spending).
fn historical_basis(state: &mut Gemeenten, flows: &[GemeenteFlows]) {
    for (g, f) in flows.iter().enumerate() {
        let s = care_spending(f);
        let coord = f.coordination_eur;
        let care = s[0] + s[1];
        for law in 0..LAWS {
            state.base[g][law] += s[law];
        }
        if care > 0.0 {
            state.base[g][0] += coord * s[0] / care;
            state.base[g][1] += coord * s[1] / care;
        }
        state.buig_last_year += s[3];
    }
}

/// The month's books of every gemeente: a twelfth of each law's budget (plus the Wlz reward)
/// in, spending (coordination shared between Wmo and Jeugd) out, the difference into the
/// reserves (per law with schotten, one pool without).
fn book(state: &mut Gemeenten, flows: &mut [GemeenteFlows], reward: &[f64], schotten: bool) {
    for (g, f) in flows.iter_mut().enumerate() {
        let mut spend = care_spending(f);
        let care = spend[0] + spend[1];
        if care > 0.0 {
            spend[0] += f.coordination_eur * spend[0] / care;
            spend[1] += f.coordination_eur * spend[1] / care;
        } else {
            spend[0] += f.coordination_eur;
        }
        let mut budget: [f64; LAWS] = std::array::from_fn(|law| state.budget[g][law] / 12.0);
        budget[0] += reward[g];
        for law in 0..LAWS {
            state.ytd_budget[g][law] += budget[law];
            state.ytd_spent[g][law] += spend[law];
            let slot = if schotten { law } else { 0 };
            state.reserves[g][slot] += budget[law] - spend[law];
        }
        f.budget_law = budget;
        f.spending_law = spend;
        state.buig_this_year += spend[3];
    }
}

/// Phase 8 (gemeenten): the month's books. Adds wijkteam and coordination costs to the flows,
/// collects the historical basis in the year before the start, sets budgets each January,
/// moves reserves, and closes the year in December.
pub fn account(
    state: &mut Gemeenten,
    world: &World,
    p: &Params,
    month: Month,
    flows: &mut [GemeenteFlows],
    recording: bool,
) {
    state.price_index = [
        p.prices.cost_index(month.year()),
        p.prices.consumer_index(month.year()),
    ];
    team_and_coordination(state, world, p, month, flows);
    if !recording {
        if month.year() + 1 == state.start_year {
            historical_basis(state, flows);
        }
        return;
    }
    if month.month_of_year() == 1 {
        set_budgets(state, world, p, month);
    }
    let reward = wlz_reward(world, p, month);
    book(state, flows, &reward, p.gemeente.schotten.at(month));
    if month.is_december() {
        close_year(state, p, month, flows);
    }
    // Stacked spending share, year to date.
    if month.month_of_year() == 1 {
        state.stacked_ytd = [0.0; 2];
    }
    for f in flows.iter() {
        state.stacked_ytd[0] += f.stacked_eur;
        state.stacked_ytd[1] += f.law_spending_eur;
    }
}
