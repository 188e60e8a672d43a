//! Phase 8: Wmo spending per gemeente and the co-payments households pay.

use super::copay::{Payer, billed_cost, copay_under, unit_cost};
use super::seek::aow_age_months;
use crate::engine::{Month, map_chunks};
use crate::model::gemeente::Gemeenten;
use crate::model::indicators::GemeenteFlows;
use crate::model::provision::{PerProvision, Provision, WmoState};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::{CoPayRule, ContractForm, Params, ProvisionParams, WmoParams};
use rayon::prelude::*;

/// A lump sum is paid for the capacity (`lump_sum` contract with a capacity); without a
/// capacity to pay for, clients are billed per month at the cost price.
fn lump(pp: &ProvisionParams, month: Month) -> bool {
    pp.contract == ContractForm::LumpSum && pp.capacity_per_1000.at(month).get() > 0.0
}

/// What a provision's providers bill per client a month (0 under a lump sum).
fn billed_per_client(pp: &ProvisionParams, month: Month) -> f64 {
    if lump(pp, month) {
        0.0
    } else if pp.contract == ContractForm::LumpSum {
        unit_cost(pp)
    } else {
        billed_cost(pp)
    }
}

/// One Wmo user's costs in a month.
#[derive(Clone, Copy, Debug)]
struct UserCost {
    household: u32,
    state: WmoState,
    /// Cost price of the maatwerk held (the basis of the co-payment).
    cost: f64,
    /// Of which always income-dependent ([`Provision::always_income_dependent`]).
    income_dependent: f64,
    /// Uses two or more laws this year.
    stacked: bool,
}

/// Every user of maatwerk or an algemene voorziening, sorted by household.
fn user_costs(world: &World, unit: &PerProvision<f64>) -> Vec<UserCost> {
    let c = &world.citizens;
    let mut rows: Vec<UserCost> = map_chunks(c.len(), |r| {
        let mut out = Vec::new();
        for i in r {
            let state = c.wmo[i];
            if !c.flags[i].contains(ALIVE) || (!state.has_maatwerk() && !state.algemeen()) {
                continue;
            }
            out.push(UserCost {
                household: c.household[i],
                state,
                cost: state.held().iter().map(|k| unit[k]).sum(),
                income_dependent: state
                    .held()
                    .iter()
                    .filter(|k| k.always_income_dependent())
                    .fold(0.0, |a, k| a + unit[k]),
                stacked: crate::model::gemeente::stacked(c.laws[i]),
            });
        }
        out
    })
    .into_iter()
    .flatten()
    .collect();
    rows.par_sort_by_key(|r| r.household);
    rows
}

/// A household's co-payment a month: under the rule in force, and what the income-dependent
/// rule would collect beyond the flat one from the same household (facts.md N11).
#[derive(Clone, Copy, Debug)]
struct HouseholdCopay {
    paid: f64,
    rule_gap: f64,
}

/// The gemeente and the co-payment (`None` without maatwerk) of the household whose users are
/// `rows`.
fn household_copay(
    world: &World,
    w: &WmoParams,
    month: Month,
    aow_months: u32,
    rows: &[UserCost],
) -> (usize, Option<HouseholdCopay>) {
    let (c, h) = (&world.citizens, &world.households);
    let hh = rows[0].household as usize;
    let (mut cost, mut income_dependent) = (0.0, 0.0);
    for row in rows {
        cost += row.cost;
        income_dependent += row.income_dependent;
    }
    let copay_eur = if cost > 0.0 {
        let head = h.adults[hh][0];
        let aow = head != crate::model::world::NONE
            && month.0.saturating_sub(u32::from(c.birth[head as usize])) >= aow_months;
        let payer = Payer::of(h.income[hh], h.n_adults(hh), aow);
        let under = |rule| copay_under(w, rule, month, cost, income_dependent, payer);
        let (by_income, flat) = (under(CoPayRule::IncomeDependent), under(CoPayRule::Flat));
        Some(HouseholdCopay {
            paid: match w.copay.rule.at(month) {
                CoPayRule::IncomeDependent => by_income,
                CoPayRule::Flat => flat,
            },
            rule_gap: by_income - flat,
        })
    } else {
        None
    };
    (h.gemeente[hh] as usize, copay_eur)
}

/// Lump sums: paid per gemeente for the capacity, whatever the use.
fn lump_sums(world: &World, w: &WmoParams, month: Month, index: f64, flows: &mut [GemeenteFlows]) {
    let kinds = Provision::ALL
        .into_iter()
        .map(|k| (Some(k), k.params(w)))
        .chain([(None, &w.algemeen)]);
    for (k, pp) in kinds {
        if !lump(pp, month) {
            continue;
        }
        let per_1000 = pp.capacity_per_1000.at(month).get();
        let unit = index * unit_cost(pp);
        for (g, gm) in world.geography.gemeenten.iter().enumerate() {
            let lump_sum = per_1000 * gm.population as f64 / 1000.0 * world.scale * unit;
            let f = &mut flows[g];
            f.law_spending_eur += lump_sum;
            f.wmo_spending_eur += lump_sum;
            match k {
                Some(k) => f.wmo_spending_by_provision[k] += lump_sum,
                None => f.wmo_spending_algemeen_eur += lump_sum,
            }
        }
    }
}

/// Phase 8 (Wmo part): spending per gemeente (per-client billing, plus lump sums per
/// gemeente) and co-payments per household, added to `flows`.
pub fn money(
    world: &World,
    p: &Params,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let aow_months = aow_age_months(p, month);
    // Tariffs are in 2015 euros; paid in this year's (the cost index).
    let index = p.prices.cost_index(month.year());
    let billed = PerProvision::from_fn(|k| index * billed_per_client(k.params(w), month));
    let billed_algemeen = index * billed_per_client(&w.algemeen, month);
    let rows = user_costs(
        world,
        &PerProvision::from_fn(|k| index * unit_cost(k.params(w))),
    );
    // Households (runs of rows): their gemeente and co-payment, in parallel.
    let households: Vec<&[UserCost]> = rows.chunk_by(|a, b| a.household == b.household).collect();
    let copays: Vec<(usize, Option<HouseholdCopay>)> = households
        .par_iter()
        .map(|users| household_copay(world, w, month, aow_months, users))
        .collect();
    // Spending in household order (the sums are the same on any number of threads).
    for (users, &(g, copay_eur)) in households.iter().zip(&copays) {
        let tariff = gem.wmo_tariff[g];
        let f = &mut flows[g];
        for u in users.iter() {
            for k in u.state.held().iter() {
                let cost = billed[k] * tariff;
                f.wmo_spending_by_provision[k] += cost;
                spend(f, cost, u.stacked);
            }
            if u.state.algemeen() {
                let cost = billed_algemeen * tariff;
                f.wmo_spending_algemeen_eur += cost;
                spend(f, cost, u.stacked);
            }
        }
        if let Some(x) = copay_eur {
            f.wmo_copay_eur += x.paid;
            f.wmo_copay_rule_gap_eur += x.rule_gap;
        }
    }
    lump_sums(world, w, month, index, flows);
}

/// Adds Wmo spending to a gemeente's flows (also to its stacked spending if `stacked`).
fn spend(f: &mut GemeenteFlows, cost: f64, stacked: bool) {
    f.wmo_spending_eur += cost;
    f.law_spending_eur += cost;
    if stacked {
        f.stacked_eur += cost;
    }
}
