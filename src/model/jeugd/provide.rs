//! Phase 6b: waiting lists admitted per purchasing unit and form, up to each unit's places.

use super::episodes::episodes;
use super::setup::JeugdSetup;
use crate::engine::{Month, Waiting, admit, survey, whole_places};
use crate::model::gemeente::Gemeenten;
use crate::model::provision::{Supplier, YouthForm};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;
use rayon::prelude::*;

/// Counts of one month that need the whole month (year-to-date protection counts).
#[derive(Clone, Copy, Debug, Default)]
pub struct JbYear {
    /// Protection measures started this year.
    pub started: u32,
    /// Of which within the in-time limit.
    pub in_time: u32,
    /// Protection orders that ended this year before a GI started them.
    pub never: u32,
}
/// Youths waiting for a GI are served in bands of this many severity points, then in order of
/// the court order. Assumption.
pub const GI_URGENCY_BAND: u8 = 64;
/// Phase 6b: waiting lists are admitted per purchasing unit and form, most severe first (GIs
/// by urgency band, then in order of the court order), up to each unit's places.
fn admit_to_care(
    world: &mut World,
    p: &Params,
    setup: &JeugdSetup,
    gem: &Gemeenten,
    month: Month,
    jb_year: &mut JbYear,
) {
    let jp = &p.jeugd;
    let m = month.0;
    let n_units = setup.unit_population.len();
    let (used, waiting) = {
        let c = &world.citizens;
        let h = &world.households;
        survey::<{ YouthForm::COUNT }, _>(c.len(), n_units, |i, used, waiting| {
            let bits = c.jeugd[i];
            if !c.flags[i].contains(ALIVE) || !bits.active() {
                return;
            }
            let g = h.gemeente[c.household[i] as usize] as usize;
            let u = setup.unit_of[g] as usize;
            for f in bits.received().iter() {
                used[u][f as usize] += 1;
            }
            for f in bits.waiting().iter() {
                waiting.push(Waiting {
                    pool: u as u32,
                    kind: f as u8,
                    priority: match f.supplier() {
                        Supplier::Gi => (255 - c.youth[i]) / GI_URGENCY_BAND,
                        Supplier::Wijkteam | Supplier::Provider => 255 - c.youth[i],
                    },
                    since: c.jeugd_month[i],
                    agent: i as u32,
                });
            }
        })
    };
    let scale = world.scale;
    // The places the purchasing unit chose to buy (`youth_places`, 1 = the norm).
    let bought =
        crate::model::gemeente::youth_place_factors(&world.geography, p, &setup.unit_of, month);
    let capacity = |u: usize, f: usize| -> f64 {
        let form = YouthForm::ALL[f];
        let per_1000 = form.params(jp).capacity_per_1000.at(month).get();
        if per_1000 <= 0.0 {
            return f64::INFINITY;
        }
        let staffing = match form.supplier() {
            Supplier::Gi => setup.gi_staffing[u],
            // Providers answer lower tariffs with less capacity (MC42).
            Supplier::Provider => gem.jeugd_unit_tariff[u] * bought[u],
            Supplier::Wijkteam => 1.0,
        };
        // Whole places, rounded at a fixed point per unit and form (unbiased over units).
        let cap = per_1000 * setup.unit_population[u] / 1000.0 * scale * staffing;
        whole_places(cap, setup.place_offset[u][form])
    };
    let c = &mut world.citizens;
    for a in admit(waiting, &used, capacity).admitted {
        let form = YouthForm::ALL[usize::from(a.kind)];
        let iu = a.agent as usize;
        c.jeugd[iu] = c.jeugd[iu].admitted(form);
        if form.is_hulp() {
            c.jeugd[iu] = c.jeugd[iu].with_this_year();
        }
        if form == YouthForm::Jeugdbescherming {
            jb_year.started += 1;
            if m.saturating_sub(u32::from(a.since)) <= u32::from(jp.jb_in_time_months) {
                jb_year.in_time += 1;
            }
        }
    }
}

/// Phase 6 (youth part): episodes end, youths turn 18, waiting lists are admitted per
/// purchasing unit and form.
pub fn provide(
    world: &mut World,
    p: &Params,
    setup: &JeugdSetup,
    gem: &Gemeenten,
    month: Month,
    jb_year: &mut JbYear,
) {
    if month.month_of_year() == 1 {
        *jb_year = JbYear::default();
        world
            .citizens
            .jeugd
            .par_iter_mut()
            .for_each(|b| *b = b.new_year());
    }
    jb_year.never += episodes(world, &p.jeugd, month);
    admit_to_care(world, p, setup, gem, month, jb_year);
}
