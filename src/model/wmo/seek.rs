//! Phase 4: citizens with a gap between need and help decide whether to apply.

use super::copay::{Payer, copay, unit_cost};
use super::rules::{Thresholds, WEEKS_PER_MONTH, formal_hours, needed};
use crate::engine::{Month, StreamKey, map_chunks};
use crate::model::gemeente::Gemeenten;
use crate::model::indicators::GemeenteFlows;
use crate::model::needs::{ADULT_AGE, need_hours};
use crate::model::provision::ProvisionSet;
use crate::model::streams as ps;
use crate::model::world::{ALIVE, NONE, WLZ, World};
use crate::scenario::params::{LightHelpEffect, Params, WmoParams};

/// A gap between need and help of at least this many hours a week is worth applying for, and
/// counts as unmet need (`wmo_unmet_need`). Assumption.
pub const GAP_HOURS: f64 = 1.0;

/// The AOW age in force in `month`, in months (`participatie.aow_age`, dated).
pub fn aow_age_months(p: &Params, month: Month) -> u32 {
    (p.participatie.aow_age.at(month).get() * 12.0) as u32
}

/// True if the head of household `hh` (or, without one, citizen `own`) has reached the AOW
/// age (`aow_months`): the co-payment's AOW threshold applies to the household.
fn head_at_aow_age(world: &World, hh: usize, month: Month, own: usize, aow_months: u32) -> bool {
    let head = world.households.adults[hh][0];
    let who = if head == NONE { own } else { head as usize };
    month.0.saturating_sub(u32::from(world.citizens.birth[who])) >= aow_months
}

/// The month's settings of the decision to apply.
struct SeekRules<'a> {
    w: &'a WmoParams,
    month: Month,
    th: Thresholds,
    /// Severity below which nobody applies (the lowest threshold).
    min_threshold: u8,
    /// Extra chance to apply for those with light help (the suction variant of the light-help
    /// effect), 0 otherwise.
    suction: f64,
    /// Rise of awareness per unit of the wijkteam's spare share (MC55).
    outreach_effect: f64,
    /// The AOW age in months.
    aow_months: u32,
}

/// The co-payment a household would pay a month for the provisions `wanted` (at least the
/// cost of an algemene voorziening): the price of applying.
pub fn price_of(w: &WmoParams, month: Month, wanted: ProvisionSet, payer: Payer) -> f64 {
    let cost: f64 = wanted
        .iter()
        .map(|k| unit_cost(k.params(w)))
        .sum::<f64>()
        .max(unit_cost(&w.algemeen));
    let income_dependent = wanted
        .iter()
        .filter(|k| k.always_income_dependent())
        .fold(0.0, |a, k| a + unit_cost(k.params(w)));
    copay(w, month, cost, income_dependent, payer)
}

/// What the help applied for is worth a month: the uncovered hours (`gap`, at most the `need`)
/// at the private price, or, for a need beyond what carers cover, at least the cost of such a
/// provision.
pub fn value_of(w: &WmoParams, wanted: ProvisionSet, gap: f64, need: f64) -> f64 {
    let hours = gap.min(need).max(0.0) * WEEKS_PER_MONTH * w.private_price_eur.get();
    (wanted & ProvisionSet::BEYOND_CARERS)
        .iter()
        .fold(hours, |v, k| v.max(unit_cost(k.params(w))))
}

/// The monthly chance to apply: the apply rate, times the urgency of the gap (0-1), the chance
/// of knowing the route (`awareness`, raised by the wijkteam's outreach, at most 1), and the
/// deterrence of the co-payment `price` against the `value` of the help (MC14).
pub fn apply_probability(
    w: &WmoParams,
    urgency: f64,
    awareness: f64,
    price: f64,
    value: f64,
) -> f64 {
    w.apply_rate.get()
        * urgency
        * awareness.min(1.0)
        * (-w.price_sensitivity.get() * price / value.max(1.0)).exp()
}

/// True if citizen `i` may apply this month at all: at home, 18 or over, severity at least
/// the lowest threshold, not applied or waiting, not recently decided. Cheap: read before the
/// chance ([`apply_chance`]) is worked out.
fn may_apply(world: &World, r: &SeekRules<'_>, i: usize) -> bool {
    let c = &world.citizens;
    let f = c.flags[i];
    if !f.contains(ALIVE) || f.contains(WLZ) || c.severity[i] < r.min_threshold {
        return false;
    }
    let bits = c.wmo[i];
    if bits.in_queue() {
        return false;
    }
    if bits.decided()
        && r.month.0.saturating_sub(u32::from(c.wmo_month[i])) < u32::from(r.w.reapply_months)
    {
        return false;
    }
    c.age(i, r.month) >= ADULT_AGE
}

/// The chance that citizen `i`, who [`may_apply`], applies this month, or `None` if there is
/// no gap worth it.
fn apply_chance(world: &World, gem: &Gemeenten, r: &SeekRules<'_>, i: usize) -> Option<f64> {
    let (c, h, w) = (&world.citizens, &world.households, r.w);
    let f = c.flags[i];
    let s = c.severity[i];
    let bits = c.wmo[i];
    let age = c.age(i, r.month);
    let need = need_hours(s);
    let gap = need - f64::from(c.informal[i]) - formal_hours(w, bits, s);
    let wanted = needed(&r.th, s, f, age) - bits.held();
    // A need that a carer's hours do not cover (aids and transport, facts.md W3, W9) is
    // applied for even when informal care covers the hours.
    let beyond = wanted.intersects(ProvisionSet::BEYOND_CARERS);
    if gap < GAP_HOURS && !beyond {
        return None;
    }
    let urgency = if beyond { 1.0 } else { (gap / need).min(1.0) };
    // The price to them: the co-payment against the value of the help (MC14).
    let hh = c.household[i] as usize;
    let aow = head_at_aow_age(world, hh, r.month, i, r.aow_months);
    let payer = Payer::of(h.income[hh], h.n_adults(hh), aow);
    let price = price_of(w, r.month, wanted, payer);
    let value = value_of(w, wanted, gap, need);
    // Spare wijkteam time goes to outreach: more people know the route (MC55).
    let outreach = 1.0 + r.outreach_effect * gem.outreach[h.gemeente[hh] as usize];
    let mut prob = apply_probability(w, urgency, w.awareness.get() * outreach, price, value);
    if bits.light_help() {
        prob *= 1.0 + r.suction;
    }
    Some(prob)
}

/// The highest chance to apply anyone can have this month: [`apply_probability`] at full
/// urgency, no co-payment (a price is never negative), the most outreach of any gemeente,
/// and the suction of light help.
fn chance_bound(w: &WmoParams, r: &SeekRules<'_>, gem: &Gemeenten) -> f64 {
    let outreach = gem.outreach.iter().fold(0.0f64, |a, &x| a.max(x));
    apply_probability(
        w,
        1.0,
        w.awareness.get() * (1.0 + r.outreach_effect * outreach),
        0.0,
        1.0,
    ) * (1.0 + r.suction)
}

/// Phase 4: citizens with unmet need decide whether to apply (melding).
pub fn seek(
    world: &mut World,
    p: &Params,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let th = Thresholds::at(w, month);
    let rules = SeekRules {
        w,
        month,
        th,
        min_threshold: w.eligibility_threshold.get().min(th.min()),
        suction: if p.needs.light_help_effect == LightHelpEffect::Suction {
            p.needs.light_help_strength.get()
        } else {
            0.0
        },
        outreach_effect: p.gemeente.outreach_effect.get(),
        aow_months: aow_age_months(p, month),
    };
    let key = StreamKey::new(world.seed, ps::WMO_APPLY, month.0);
    // No one's chance exceeds this bound (urgency and the price's deterrence are at most 1),
    // so a draw at or above it decides "no" before the chance is worked out: the same draw
    // and the same decision, at a fraction of the cost (most who may apply draw above it).
    let bound = chance_bound(w, &rules, gem);
    let applicants: Vec<Vec<u32>> = {
        let world = &*world;
        map_chunks(world.citizens.len(), |r| {
            r.filter(|&i| {
                if !may_apply(world, &rules, i) {
                    return false;
                }
                let u = key.stream(u64::from(world.citizens.id[i])).uniform();
                if u >= bound {
                    return false;
                }
                apply_chance(world, gem, &rules, i).is_some_and(|prob| {
                    debug_assert!(prob <= bound, "chance {prob} above its bound {bound}");
                    u < prob
                })
            })
            .map(|i| i as u32)
            .collect()
        })
    };
    let c = &mut world.citizens;
    for &i in applicants.iter().flatten() {
        let iu = i as usize;
        c.wmo[iu] = c.wmo[iu].apply();
        c.wmo_month[iu] = month.0 as u16;
        let g = world.households.gemeente[c.household[iu] as usize] as usize;
        flows[g].wmo_applications += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use crate::model::wmo::close;
    use serde_json::json;

    #[test]
    fn the_co_payment_deters_applying() {
        let w = patched(
            &reference().wmo,
            json!({ "apply_rate": 0.1, "price_sensitivity": 2.0 }),
        );
        // (urgency, awareness, co-payment, value of the help, chance a month); facts.md MC14.
        let rows = [
            (1.0, 1.0, 0.0, 100.0, 0.1),
            (0.5, 0.5, 0.0, 100.0, 0.025),
            // Awareness is a chance: at most 1 however much outreach raises it.
            (1.0, 1.5, 0.0, 100.0, 0.1),
            (1.0, 1.0, 50.0, 100.0, 0.1 * (-1.0f64).exp()),
            // Help worth less than a euro is weighed as a euro.
            (1.0, 1.0, 1.0, 0.0, 0.1 * (-2.0f64).exp()),
        ];
        for (urgency, awareness, price, value, want) in rows {
            let got = apply_probability(&w, urgency, awareness, price, value);
            assert!(
                close(got, want),
                "{urgency} {awareness} {price} {value}: {got}"
            );
        }
    }
}
