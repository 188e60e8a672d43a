//! Phase 8 (youth part): spending per gemeente by form.

use super::setup::JeugdSetup;
use crate::engine::Month;
use crate::engine::map_chunks;
use crate::model::gemeente::Gemeenten;
use crate::model::indicators::GemeenteFlows;
use crate::model::provision::{FormSet, Supplier};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;

/// Phase 8 (youth part): spending per gemeente by form.
pub fn money(
    world: &World,
    p: &Params,
    setup: &JeugdSetup,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let jp = &p.jeugd;
    // Tariffs are in 2015 euros; paid in this year's (the cost index).
    let index = p.prices.cost_index(month.year());
    let c = &world.citizens;
    let h = &world.households;
    let parts = map_chunks(c.len(), |r| {
        let mut out: Vec<(u16, FormSet, bool)> = Vec::new();
        for i in r {
            let forms = c.jeugd[i].received();
            if c.flags[i].contains(ALIVE) && !forms.is_empty() {
                let stacked = crate::model::gemeente::stacked(c.laws[i]);
                out.push((h.gemeente[c.household[i] as usize], forms, stacked));
            }
        }
        out
    });
    for (g, forms, stacked) in parts.into_iter().flatten() {
        let g = g as usize;
        for f in forms.iter() {
            // Specialist care: the local premium and the gemeente's tariff policy.
            let premium = match f.supplier() {
                Supplier::Wijkteam => 1.0,
                Supplier::Provider => setup.price_factor[g] * gem.jeugd_tariff[g],
                Supplier::Gi => setup.price_factor[g],
            };
            let cost = index * f.params(jp).tariff_eur.get() * premium;
            flows[g].jeugd_spending_by_form[f] += cost;
            flows[g].jeugd_spending_eur += cost;
            flows[g].law_spending_eur += cost;
            if stacked {
                flows[g].stacked_eur += cost;
            }
        }
    }
}
