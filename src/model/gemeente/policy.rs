//! The yearly close in December: results, safety nets, and next year's policy by the
//! gemeente's strategy (MC41-MC45); capacity factors per purchasing unit from tariffs (MC42).

// Per-gemeente and per-law books read most clearly with index loops.
#![allow(clippy::needless_range_loop)]

use super::{Gemeenten, LAWS};
use crate::engine::Month;
use crate::model::indicators::GemeenteFlows;
use crate::model::world::World;
use crate::scenario::params::Params;

/// A gemeente without a consistent steering philosophy acts half as hard (facts.md MC45;
/// the size is an assumption).
const INCONSISTENT_EFFECT: f64 = 0.5;
/// Tariff factors never fall below this (providers would leave). Assumption.
const MIN_TARIFF_FACTOR: f64 = 0.5;
/// A result above this share of the budget counts as a surplus that relaxes policy.
/// Assumption.
const SURPLUS_SHARE: f64 = 0.01;

/// December: results, safety nets, and next year's policy (MC41-MC45).
pub(super) fn close_year(
    state: &mut Gemeenten,
    p: &Params,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let gp = &p.gemeente;
    let schotten = gp.schotten.at(month);
    let n = state.base.len();
    for g in 0..n {
        let result: [f64; LAWS] =
            std::array::from_fn(|law| state.ytd_budget[g][law] - state.ytd_spent[g][law]);
        // Safety nets pay the part of a deficit beyond the threshold (as budget).
        let mut nets = [false; LAWS];
        nets[3] = gp.vangnet_buig.at(month);
        nets[0] = gp.vangnet_sociaal_domein.at(month);
        nets[1] = nets[0];
        for law in 0..LAWS {
            let own = gp.vangnet_threshold.get() * state.ytd_budget[g][law];
            if nets[law] && -result[law] > own {
                let pay = -result[law] - own;
                extra_budget(state, g, law, pay, schotten, &mut flows[g]);
                flows[g].vangnet_eur += pay;
            }
        }
        if !schotten {
            // Ontschot: one pool.
            let total: f64 = state.reserves[g].iter().sum();
            state.reserves[g] = [total, 0.0, 0.0, 0.0];
        }
        state.last_result[g] = (0..LAWS)
            .map(|law| state.ytd_budget[g][law] - state.ytd_spent[g][law])
            .sum();
        let supervised = supervise(state, p, month, g);
        // Next year's policy: the Wmo and the Jeugd lever, each on its own account (schotten)
        // or both on the whole (ontschot). Under supervision at full strength, by control.
        let effect = if state.consistent[g] || supervised {
            1.0
        } else {
            INCONSISTENT_EFFECT
        };
        for (lever, law) in [(0usize, 0usize), (1, 1)] {
            let (res, budget, reserves) = if schotten {
                (
                    state.ytd_budget[g][law] - state.ytd_spent[g][law],
                    state.ytd_budget[g][law],
                    state.reserves[g][law],
                )
            } else {
                (
                    state.last_result[g],
                    state.ytd_budget[g].iter().sum(),
                    state.reserves[g][0],
                )
            };
            if budget <= 0.0 {
                continue;
            }
            let buffer = gp.reserve_buffer.get() * budget;
            if res < 0.0 && reserves < buffer {
                tighten(state, p, g, lever, effect, supervised);
            } else if res > SURPLUS_SHARE * budget && reserves > buffer {
                relax(state, p, g, lever);
            }
        }
        // Interne dekking: a gemeente whose social-domain reserves (with the part of its
        // general reserve that can absorb them) are used up covers the year's deficit from
        // its general funds, supervised or not (the social domain is paid from the general
        // fund; VNG 2019, facts.md F10: deficits cut into other tasks and reserves).
        if gp.supervision.at(month) && (supervised || reserves_with_general(state, g) < 0.0) {
            own_funds(state, p, g, schotten, &mut flows[g]);
        }
        // Supervised for article12_years and still short: the gemeentefonds pays the rest.
        let years = gp.article12_years;
        if supervised && years > 0 && state.supervised_years[g] >= years {
            for law in 0..LAWS {
                let short = state.ytd_spent[g][law] - state.ytd_budget[g][law];
                if short > 0.0 {
                    extra_budget(state, g, law, short, schotten, &mut flows[g]);
                    flows[g].article12_eur += short;
                }
            }
        }
    }
}

/// The province's preventive supervision of gemeente `g` at the year's close: counts its
/// deficit years, puts it under supervision when its reserves (with the part of the general
/// reserve that can absorb social-domain deficits) are below zero after `supervision_years` of
/// them, and ends supervision once they are above zero.
fn supervise(state: &mut Gemeenten, p: &Params, month: Month, g: usize) -> bool {
    let gp = &p.gemeente;
    state.deficit_years[g] = if state.last_result[g] < 0.0 {
        state.deficit_years[g].saturating_add(1)
    } else {
        0
    };
    let reserves = reserves_with_general(state, g);
    state.supervised[g] = gp.supervision.at(month)
        && reserves < 0.0
        && (state.supervised[g] || state.deficit_years[g] >= gp.supervision_years);
    state.supervised_years[g] = if state.supervised[g] {
        state.supervised_years[g].saturating_add(1)
    } else {
        0
    };
    state.supervised[g]
}

/// Gemeente `g`'s social-domain reserves with the part of its general reserve that can absorb
/// social-domain deficits: below zero, they are used up.
fn reserves_with_general(state: &Gemeenten, g: usize) -> f64 {
    state.reserves[g].iter().sum::<f64>() + state.general_reserve[g]
}

/// A gemeente whose reserves are used up (supervised or not) covers the year's deficit from its
/// general funds, up to `own_funds_share` of its budget, booked as budget to the laws in
/// deficit in proportion.
fn own_funds(
    state: &mut Gemeenten,
    p: &Params,
    g: usize,
    schotten: bool,
    flows: &mut GemeenteFlows,
) {
    let deficits: [f64; LAWS] =
        std::array::from_fn(|law| (state.ytd_spent[g][law] - state.ytd_budget[g][law]).max(0.0));
    let deficit: f64 = deficits.iter().sum();
    let budget: f64 = state.ytd_budget[g].iter().sum();
    let pay = deficit.min(p.gemeente.own_funds_share.get() * budget.max(0.0));
    if pay <= 0.0 {
        return;
    }
    for law in 0..LAWS {
        extra_budget(
            state,
            g,
            law,
            pay * deficits[law] / deficit,
            schotten,
            flows,
        );
    }
    flows.own_funds_eur += pay;
}

/// Money that comes in at the year's close (a safety net, own funds) counts as budget of
/// `law`: into the year's budget, the month's flows and the reserves (the law's with
/// schotten, the one pool without).
fn extra_budget(
    state: &mut Gemeenten,
    g: usize,
    law: usize,
    amount: f64,
    schotten: bool,
    flows: &mut GemeenteFlows,
) {
    let slot = if schotten { law } else { 0 };
    state.reserves[g][slot] += amount;
    state.ytd_budget[g][law] += amount;
    flows.budget_law[law] += amount;
}

fn tighten(state: &mut Gemeenten, p: &Params, g: usize, lever: usize, effect: f64, force: bool) {
    let gp = &p.gemeente;
    if state.control[g] || force {
        let cut = 1.0 - gp.tariff_step.get() * effect;
        if lever == 0 {
            state.strictness[g] = (state.strictness[g] + gp.strictness_step.get() * effect)
                .min(gp.max_strictness.get());
            state.wmo_tariff[g] = (state.wmo_tariff[g] * cut).max(MIN_TARIFF_FACTOR);
        } else {
            state.jeugd_tariff[g] = (state.jeugd_tariff[g] * cut).max(MIN_TARIFF_FACTOR);
        }
    } else if lever == 0 {
        state.team_capacity[g] *= 1.0 + gp.invest_step.get() * effect;
    }
}

fn relax(state: &mut Gemeenten, p: &Params, g: usize, lever: usize) {
    let gp = &p.gemeente;
    if lever == 0 {
        state.strictness[g] = (state.strictness[g] - gp.strictness_step.get()).max(0.0);
        state.wmo_tariff[g] = (state.wmo_tariff[g] * (1.0 + gp.tariff_step.get())).min(1.0);
    } else {
        state.jeugd_tariff[g] = (state.jeugd_tariff[g] * (1.0 + gp.tariff_step.get())).min(1.0);
    }
}

/// Recomputes the capacity factors per Wmo region and youth purchasing unit from the
/// gemeenten's tariffs (called after each close).
pub fn purchasing_factors(
    state: &mut Gemeenten,
    world: &World,
    wmo_region_of: impl Fn(usize) -> usize,
    jeugd_unit_of: &[u32],
) {
    let geo = &world.geography;
    let mut wmo = vec![[0.0f64; 2]; state.wmo_region_tariff.len()];
    let mut jeugd = vec![[0.0f64; 2]; state.jeugd_unit_tariff.len()];
    for (g, gem) in geo.gemeenten.iter().enumerate() {
        let pop = gem.population as f64;
        let r = wmo_region_of(g);
        wmo[r][0] += pop * state.wmo_tariff[g];
        wmo[r][1] += pop;
        let u = jeugd_unit_of[g] as usize;
        jeugd[u][0] += pop * state.jeugd_tariff[g];
        jeugd[u][1] += pop;
    }
    for (t, x) in state.wmo_region_tariff.iter_mut().zip(&wmo) {
        *t = if x[1] > 0.0 { x[0] / x[1] } else { 1.0 };
    }
    for (t, x) in state.jeugd_unit_tariff.iter_mut().zip(&jeugd) {
        *t = if x[1] > 0.0 { x[0] / x[1] } else { 1.0 };
    }
}
