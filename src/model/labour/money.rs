//! Phase 8 (work and income): spending per gemeente.

use super::instrument::lks_cost;
use super::kinds::{Instrument, JobFlags, LabourStatus as S, PwFlags};
use super::rules::effective_loonwaarde;
use crate::engine::{Month, map_chunks};
use crate::model::indicators::GemeenteFlows;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;

/// Phase 8 (work and income): spending per gemeente.
pub fn money(world: &World, p: &Params, month: Month, flows: &mut [GemeenteFlows]) {
    // Benefits, wages and instrument costs are in 2015 euros; paid in this year's.
    let index = p.prices.cost_index(month.year());
    let pp = &p.participatie;
    let ip = &pp.instruments;
    let c = &world.citizens;
    let h = &world.households;
    let n_g = flows.len();
    let parts = map_chunks(c.len(), |r| {
        let mut out = vec![[0.0f64; 6]; n_g];
        for i in r {
            if !c.flags[i].contains(ALIVE) || c.labour[i] == S::None {
                continue;
            }
            let before: f64 = out[h.gemeente[c.household[i] as usize] as usize][..3]
                .iter()
                .sum();
            let g = h.gemeente[c.household[i] as usize] as usize;
            let lab = c.labour[i];
            let o = &mut out[g];
            if lab == S::Bijstand {
                let cut = if c.pw[i].contains(PwFlags::SANCTION) {
                    pp.gemeente.sanction_cut.get()
                } else {
                    0.0
                };
                o[0] += ip.bijstand_eur.get() * (1.0 - cut);
            }
            o[1] += match (lab, c.instrument[i]) {
                (S::Beschut, _) => ip.beschut_eur.get(),
                (_, Instrument::Light) => ip.light.cost_eur.get(),
                (_, Instrument::Participatieplaats) => ip.participatieplaats.cost_eur.get(),
                (S::Employed, Instrument::Lks) => lks_cost(
                    pp,
                    effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]),
                ),
                (S::Employed, Instrument::Jobcoach) => {
                    lks_cost(
                        pp,
                        effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]),
                    ) + ip.jobcoach_eur.get()
                }
                (_, Instrument::Lks | Instrument::Jobcoach) => ip.mediation_eur.get(),
                _ => 0.0,
            };
            if lab == S::Wsw {
                o[2] += ip.wsw_eur.get();
            }
            if c.pw[i].contains(PwFlags::WAJONG) {
                o[3] += if lab == S::Employed {
                    // The supplement to a placed Wajonger's wage (`income::wajong_working`).
                    let hours = if c.job[i].contains(JobFlags::PART_TIME) {
                        pp.income.part_time_hours.get()
                    } else {
                        1.0
                    };
                    let eff = effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]);
                    let wage =
                        pp.income.minimum_wage_eur.get() * (eff / 100.0).clamp(0.0, 1.0) * hours;
                    (super::income::wajong_working(pp, wage) - wage) / 12.0
                } else {
                    ip.wajong_eur.get()
                };
            }
            // The gemeente's part (bijstand, reintegration, Wsw), for stacking.
            let mine = o[..3].iter().sum::<f64>() - before;
            o[4] += mine;
            if crate::model::gemeente::stacked(c.laws[i]) {
                o[5] += mine;
            }
        }
        out
    });
    for part in parts {
        for (f, x) in flows.iter_mut().zip(part) {
            f.bijstand_eur += index * x[0];
            f.reintegration_eur += index * x[1];
            f.wsw_eur += index * x[2];
            f.wajong_eur += index * x[3];
            f.law_spending_eur += index * x[4];
            f.stacked_eur += index * x[5];
        }
    }
}
