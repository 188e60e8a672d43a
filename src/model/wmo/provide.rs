//! Phase 6: capacity-limited providers per purchasing region admit from their waiting lists.

use super::review::review;
use super::setup::WmoSetup;
use super::wlz::admit_to_wlz;
use crate::engine::{Month, Waiting, admit, survey, whole_places};
use crate::model::gemeente::Gemeenten;
use crate::model::provision::{PerProvision, Provision};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::{Params, ProvisionParams, WmoParams};

/// Providers never shrink below this share of the scenario's capacity. Assumption.
pub const MIN_CAPACITY_FACTOR: f64 = 0.5;

/// Next year's capacity `factor` (relative to the scenario's) of a region's providers of one
/// type: with `clients` places this year, `left` still waiting after admission and `in_use`
/// places taken, providers grow by `wmo.provider_growth` when the waiting list left is more
/// than `wmo.provider_waiting_trigger` of their capacity, and shrink by half that when they
/// use less than `wmo.provider_spare_trigger` of it (providers follow demand, within what staff
/// shortages allow), never below [`MIN_CAPACITY_FACTOR`].
pub fn next_capacity(w: &WmoParams, factor: f64, clients: f64, left: u32, in_use: u32) -> f64 {
    let growth = w.provider_growth.get();
    if !clients.is_finite() {
        factor
    } else if f64::from(left) > w.provider_waiting_trigger.get() * clients {
        factor * (1.0 + growth)
    } else if f64::from(in_use) < w.provider_spare_trigger.get() * clients {
        (factor * (1.0 - growth / 2.0)).max(MIN_CAPACITY_FACTOR)
    } else {
        factor
    }
}

/// Phase 6b: providers per purchasing region and type admit from their waiting lists (most
/// severe first, then longest waiting) up to capacity; each December they adjust it.
fn admit_to_providers(
    world: &mut World,
    p: &Params,
    setup: &WmoSetup,
    gem: &Gemeenten,
    capacity: &mut [PerProvision<f64>],
    month: Month,
) {
    let w = &p.wmo;
    let n_regions = setup.region_population.len();
    let region_of = |world: &World, i: usize| -> usize {
        let g = world.households.gemeente[world.citizens.household[i] as usize] as usize;
        world.geography.gemeenten[g].jeugdregio as usize
    };
    let (used, waiting) = {
        let c = &world.citizens;
        survey::<{ Provision::COUNT }, _>(c.len(), n_regions, |i, used, waiting| {
            let bits = c.wmo[i];
            if !c.flags[i].contains(ALIVE) || (bits.held() | bits.waiting()).is_empty() {
                return;
            }
            let reg = region_of(world, i);
            for k in bits.held().iter() {
                used[reg][k as usize] += 1;
            }
            for k in bits.waiting().iter() {
                waiting.push(Waiting {
                    pool: reg as u32,
                    kind: k as u8,
                    priority: 255 - c.severity[i],
                    since: c.wmo_month[i],
                    agent: i as u32,
                });
            }
        })
    };
    let scale = world.scale;
    let base_cap = |reg: usize, k: Provision| {
        capacity_clients(k.params(w), month, setup.region_population[reg], scale)
    };
    // Providers answer lower tariffs with less capacity (budget ceilings, MC42); whole places,
    // rounded at a fixed point per region and type (unbiased over regions).
    let adm = admit(waiting, &used, |reg, t| {
        let k = Provision::ALL[t];
        whole_places(
            base_cap(reg, k) * capacity[reg][k] * gem.wmo_region_tariff[reg],
            setup.capacity_offset[reg][k],
        )
    });
    let c = &mut world.citizens;
    for a in &adm.admitted {
        let i = a.agent as usize;
        c.wmo[i] = c.wmo[i].admitted(Provision::ALL[usize::from(a.kind)]);
    }
    if month.is_december() {
        for (reg, factors) in capacity.iter_mut().enumerate() {
            for k in Provision::ALL {
                let t = k as usize;
                let clients = base_cap(reg, k) * factors[k];
                let in_use = used[reg][t] + adm.admitted_n[reg][t];
                factors[k] = next_capacity(w, factors[k], clients, adm.left[reg][t], in_use);
            }
        }
    }
}

/// Phase 6: provision. Help ends where the need is gone; providers admit from their waiting
/// lists as capacity frees up; the Wlz admits to free places.
/// `capacity` holds each region's provider capacity per type relative to the scenario's
/// `capacity_per_1000`; providers adjust it each December (see [`next_capacity`]);
/// `wlz_growth` is the Wlz places' growth so far.
pub fn provide(
    world: &mut World,
    p: &Params,
    setup: &WmoSetup,
    gem: &Gemeenten,
    capacity: &mut [PerProvision<f64>],
    wlz_growth: &mut f64,
    month: Month,
) {
    review(world, p, gem, month);
    admit_to_providers(world, p, setup, gem, capacity, month);
    admit_to_wlz(world, p, month, wlz_growth);
}

/// Clients (at per-trajectory hours) a region's providers of one type can serve this month;
/// infinite when the capacity is 0 (not limited). Per-hour contracts supply more hours per
/// client, so the same staff serve fewer clients (facts.md MC34).
pub fn capacity_clients(
    pp: &ProvisionParams,
    month: Month,
    region_population: f64,
    scale: f64,
) -> f64 {
    let per_1000 = pp.capacity_per_1000.at(month).get();
    if per_1000 <= 0.0 {
        return f64::INFINITY;
    }
    let hours_factor = if pp.hours_per_week.get() > 0.0 {
        pp.contract.hours_factor()
    } else {
        1.0
    };
    per_1000 * region_population / 1000.0 * scale / hours_factor
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use crate::model::wmo::close;
    use serde_json::json;

    #[test]
    fn providers_follow_demand() {
        // The reference's triggers (assumptions): grow 3% a year with a waiting list beyond 2%
        // of capacity, shrink 1.5% when less than 90% is used.
        let w = patched(
            &reference().wmo,
            json!({
                "provider_growth": 0.03,
                "provider_waiting_trigger": 0.02,
                "provider_spare_trigger": 0.9,
            }),
        );
        // (factor, clients, left waiting, in use, next factor)
        let rows = [
            // No capacity limit: nothing to adjust.
            (1.0, f64::INFINITY, 5, 0, 1.0),
            // A waiting list beyond 2% of capacity: grow by the yearly growth.
            (1.0, 100.0, 3, 100, 1.03),
            (1.0, 100.0, 2, 100, 1.0),
            // Less than 90% used: shrink by half the growth ...
            (1.0, 100.0, 0, 80, 0.985),
            // ... never below half the scenario's capacity.
            (0.5, 100.0, 0, 10, 0.5),
            (1.0, 100.0, 0, 95, 1.0),
        ];
        for (factor, clients, left, in_use, want) in rows {
            let got = next_capacity(&w, factor, clients, left, in_use);
            assert!(
                close(got, want),
                "{factor} {clients} {left} {in_use}: {got}"
            );
        }
    }
}
