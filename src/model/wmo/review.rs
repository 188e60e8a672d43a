//! Phase 6a: help in place is reviewed; the heaviest cases are referred to the Wlz.

use super::rules::{Thresholds, needed};
use crate::engine::{CHUNK, Month, StreamKey};
use crate::model::gemeente::Gemeenten;
use crate::model::needs::need_hours;
use crate::model::provision::{ProvisionSet, WmoState};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, CitizenFlags, WLZ, WLZ_WAIT, World};
use crate::scenario::params::{Params, WmoParams};
use rayon::prelude::*;

/// The month's rules for help in place.
struct Review<'a> {
    w: &'a WmoParams,
    /// The thresholds in force.
    th: Thresholds,
    /// The thresholds less `wmo.end_margin`.
    th_end: Thresholds,
    /// Strictness points of the national rules.
    strict: f64,
    network_cover: f64,
    /// Chance a month of a reassessment.
    reassess: f64,
    /// Whether a user is reassessed this month.
    k_reassess: StreamKey,
    /// The assessor's reading at a reassessment.
    k_reading: StreamKey,
    /// Whether a reassessed user leaves anyway.
    k_leave: StreamKey,
}

/// What the review of help in place reads of a citizen.
#[derive(Clone, Copy, Debug)]
pub struct Person {
    /// Limitation severity, 0-100.
    pub severity: u8,
    /// Citizen flags (the kind of limitation).
    pub flags: CitizenFlags,
    /// Age in years.
    pub age: u32,
    /// Informal care from carers who are not overloaded, hours a week.
    pub informal_ok: u8,
}

/// Help in place after this month's review of one citizen (`state` not empty): what is no
/// longer needed ends (below the thresholds by `wmo.end_margin`); at a reassessment (herindicatie,
/// MC13), what the assessor reads below the thresholds in force ends too (so a tightening
/// reaches existing users gradually), household help ends where the network covers enough of
/// the need, and some users leave anyway. Returns the new state and whether the help ended at
/// a reassessment (a decision, dated this month).
fn review_help(
    r: &Review<'_>,
    state: WmoState,
    person: Person,
    local_strictness: f64,
    id: u64,
) -> (WmoState, bool) {
    let w = r.w;
    let Person {
        severity,
        flags,
        age,
        informal_ok,
    } = person;
    let mut need = needed(&r.th_end, severity, flags, age);
    let held = state.held();
    if !held.is_empty() && r.k_reassess.stream(id).chance(r.reassess) {
        let noise = w.assessment_noise.get() * r.k_reading.stream(id).normal();
        let assessed =
            (f64::from(severity) + noise - r.strict - local_strictness).clamp(0.0, 100.0) as u8;
        need = need & needed(&r.th, assessed, flags, age);
        // Own strength first also at reassessment: a network that covers enough of the need
        // takes over household help.
        if f64::from(informal_ok) >= need_hours(severity) * r.network_cover {
            need = need - ProvisionSet::NETWORK;
        }
        if (need & held).is_empty() || r.k_leave.stream(id).chance(w.leave_share.get()) {
            return (WmoState::NONE.with_decided(), true);
        }
    }
    // What is still needed stays; an algemene voorziening stays while no maatwerk replaces it
    // and the need is above the eligibility threshold.
    let kept = state.restricted_to(need);
    let algemeen = state.algemeen() && !kept.has_maatwerk() && severity >= w.eligibility_threshold;
    (kept.with_algemeen(algemeen), false)
}

/// Phase 6a: help in place is reviewed; the heaviest cases are referred to the Wlz (and wait
/// for a place), Wlz residents leave the Wmo.
pub(super) fn review(world: &mut World, p: &Params, gem: &Gemeenten, month: Month) {
    let w = &p.wmo;
    let wlz_threshold = p.wlz.threshold.at(month).get();
    let th = Thresholds::at(w, month);
    let rules = Review {
        w,
        th,
        th_end: Thresholds(th.0.map(|x| x.saturating_sub(w.end_margin))),
        strict: w.strictness.at(month).get(),
        network_cover: w.network_cover.at(month).get(),
        reassess: crate::model::demography::monthly(w.reassessment_rate.get()),
        k_reassess: StreamKey::new(world.seed, ps::WMO_REASSESS, month.0),
        k_reading: StreamKey::new(world.seed, ps::WMO_REASSESS_READING, month.0),
        k_leave: StreamKey::new(world.seed, ps::WMO_LEAVE, month.0),
    };
    let c = &mut world.citizens;
    let (births, ids, informal, severity, household) =
        (&c.birth, &c.id, &c.informal_ok, &c.severity, &c.household);
    let hh_gemeente = &world.households.gemeente;
    c.wmo
        .par_chunks_mut(CHUNK)
        .zip(c.flags.par_chunks_mut(CHUNK))
        .zip(c.wmo_month.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, ((wmo, flags), months))| {
            for j in 0..wmo.len() {
                let i = ci * CHUNK + j;
                let f = flags[j];
                if !f.contains(ALIVE) {
                    continue;
                }
                if f.contains(WLZ) {
                    wmo[j] = WmoState::NONE;
                    continue;
                }
                let s = severity[i];
                if f64::from(s) >= wlz_threshold {
                    flags[j].insert(WLZ_WAIT);
                } else {
                    flags[j].remove(WLZ_WAIT);
                }
                if wmo[j].is_none() {
                    continue;
                }
                let age = month.0.saturating_sub(u32::from(births[i])) / 12;
                let local = gem.strictness[hh_gemeente[household[i] as usize] as usize];
                let person = Person {
                    severity: s,
                    flags: f,
                    age,
                    informal_ok: informal[i],
                };
                let (state, ended) = review_help(&rules, wmo[j], person, local, u64::from(ids[i]));
                wmo[j] = state;
                if ended {
                    months[j] = month.0 as u16;
                }
            }
        });
}
