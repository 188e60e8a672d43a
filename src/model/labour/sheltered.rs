//! Phase 7c: Wsw admissions and the beschut werk obligation (facts.md PW4, G27).

use super::kinds::{Instrument, LabourStatus as S, PwFlags};
use super::state::LabourState;
use crate::engine::{Month, Stream, map_chunks};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;

/// One chunk's part of the sheltered-work survey.
#[derive(Default)]
pub(super) struct ShelteredSurvey {
    /// Wsw workers per arbeidsmarktregio.
    wsw_used: Vec<u32>,
    /// Waiting for the Wsw: (since, citizen).
    waiting: Vec<(u16, u32)>,
    /// Beschut werk places used per gemeente.
    beschut_used: Vec<u32>,
    /// Indicated for beschut werk: (since, citizen).
    indicated: Vec<(u16, u32)>,
}

/// Phase 7c: Wsw admissions from the waiting list (while open) and the beschut werk
/// obligation (facts.md PW4, G27).
pub fn sheltered(world: &mut World, p: &Params, state: &LabourState, month: Month) {
    let pp = &p.participatie;
    let wsw_open = pp.rules.wsw_open.at(month);
    let obligation = pp.rules.beschut_obligation.at(month).get();
    // One parallel survey of who works sheltered and who waits or is indicated (chunks in
    // index order, so the lists come out as a sequential scan would make them).
    let survey = survey(world, state, wsw_open, obligation > 0.0);
    let mut left_beschut = vec![0u32; state.gemeente_population.len()];
    if wsw_open {
        left_beschut = admit_wsw(world, p, state, &survey, month);
    }
    if obligation > 0.0 {
        let chosen = crate::model::gemeente::beschut_factors(&world.geography, p, month);
        fill_beschut(
            world,
            state,
            &survey,
            &left_beschut,
            obligation,
            &chosen,
            month,
        );
    }
}

/// A quota in whole places: `x` rounded down or up with the probability of its fraction.
fn round_at_random(x: f64, rng: &mut Stream) -> i64 {
    (x.floor() + f64::from(u8::from(rng.chance(x.fract())))) as i64
}

/// Who works in the Wsw (per region) and waits for it, who works in beschut werk (per
/// gemeente) and is indicated for it; one part per chunk, in index order.
fn survey(
    world: &World,
    state: &LabourState,
    wsw_open: bool,
    obligation: bool,
) -> Vec<ShelteredSurvey> {
    let n_r = state.region_population.len();
    let n_g = state.gemeente_population.len();
    let c = &world.citizens;
    let h = &world.households;
    map_chunks(c.len(), |r| {
        let mut s = ShelteredSurvey {
            wsw_used: vec![0; n_r],
            beschut_used: vec![0; n_g],
            ..Default::default()
        };
        for i in r {
            if !c.flags[i].contains(ALIVE) {
                continue;
            }
            let g = h.gemeente[c.household[i] as usize] as usize;
            if wsw_open {
                let r = usize::from(state.region_of[g]);
                if c.labour[i] == S::Wsw {
                    s.wsw_used[r] += 1;
                } else if c.pw[i].contains(PwFlags::WSW_WAIT) {
                    s.waiting.push((c.labour_month[i], i as u32));
                }
            }
            if obligation {
                if c.labour[i] == S::Beschut {
                    s.beschut_used[g] += 1;
                } else if c.pw[i].contains(PwFlags::SHELTERED)
                    && matches!(c.labour[i], S::Bijstand | S::Nugger)
                {
                    s.indicated.push((c.labour_month[i], i as u32));
                }
            }
        }
        s
    })
}

/// Wsw admissions from the waiting list, longest waiting first, up to each region's share of
/// the Rijk's places. Returns per gemeente the beschut werk places left by those admitted.
fn admit_wsw(
    world: &mut World,
    p: &Params,
    state: &LabourState,
    survey: &[ShelteredSurvey],
    month: Month,
) -> Vec<u32> {
    let (m, scale) = (month.0, world.scale);
    let total: f64 = state.gemeente_population.iter().sum();
    let n_r = state.region_population.len();
    let places = p.participatie.rules.wsw_places.at(month).get();
    let c = &mut world.citizens;
    let h = &world.households;
    let mut left_beschut = vec![0u32; state.gemeente_population.len()];
    let mut used = vec![0u32; n_r];
    let mut waiting: Vec<(u16, u32)> = Vec::new();
    for part in survey {
        for (u, x) in used.iter_mut().zip(&part.wsw_used) {
            *u += x;
        }
        waiting.extend_from_slice(&part.waiting);
    }
    waiting.sort_unstable();
    let mut free: Vec<i64> = (0..n_r)
        .map(|r| {
            let cap = places * state.region_population[r] / total * scale;
            let mut rng = Stream::new(world.seed, ps::LABOUR_QUOTA, r as u64, m);
            round_at_random(cap, &mut rng) - i64::from(used[r])
        })
        .collect();
    for (_, i) in waiting {
        let i = i as usize;
        let r = usize::from(state.region_of[h.gemeente[c.household[i] as usize] as usize]);
        if free[r] > 0 {
            free[r] -= 1;
            if c.labour[i] == S::Beschut {
                // Leaves a beschut werk place (the survey counted it as used).
                left_beschut[h.gemeente[c.household[i] as usize] as usize] += 1;
            }
            c.labour[i] = S::Wsw;
            c.pw[i].remove(PwFlags::WSW_WAIT | PwFlags::PLACED);
            c.instrument[i] = Instrument::None;
            c.labour_month[i] = m as u16;
        }
    }
    // A worker placed at a pool employer who is admitted to the Wsw leaves that job now
    // (found by the month-end invariant `labour.placements`: the job used to linger until
    // next month's breakdown step, counting its employer as employing for a month).
    let keep: Vec<bool> = world
        .placements
        .worker
        .iter()
        .map(|&w| c.labour[w as usize] == S::Employed && c.pw[w as usize].contains(PwFlags::PLACED))
        .collect();
    if keep.contains(&false) {
        world.placements.retain(&keep);
    }
    left_beschut
}

/// Beschut werk places up to each gemeente's share of the national obligation times its own
/// choice (`chosen`, `local.<gemeente>.beschut_werk`), for those indicated (the sheltered
/// target group in bijstand or registered), longest first.
fn fill_beschut(
    world: &mut World,
    state: &LabourState,
    survey: &[ShelteredSurvey],
    left_beschut: &[u32],
    obligation: f64,
    chosen: &[f64],
    month: Month,
) {
    let (m, scale) = (month.0, world.scale);
    let total: f64 = state.gemeente_population.iter().sum();
    let n_g = state.gemeente_population.len();
    let c = &mut world.citizens;
    let h = &world.households;
    let mut used = vec![0u32; n_g];
    let mut indicated: Vec<(u16, u32)> = Vec::new();
    for part in survey {
        for (u, x) in used.iter_mut().zip(&part.beschut_used) {
            *u += x;
        }
        indicated.extend_from_slice(&part.indicated);
    }
    // The survey ran before the Wsw admissions: those admitted are no longer
    // indicated, and a beschut worker admitted left a place.
    indicated.retain(|&(_, i)| matches!(c.labour[i as usize], S::Bijstand | S::Nugger));
    for (u, l) in used.iter_mut().zip(left_beschut) {
        *u -= l;
    }
    indicated.sort_unstable();
    let mut free: Vec<i64> = (0..n_g)
        .map(|g| {
            let q = obligation * chosen[g] * state.gemeente_population[g] / total * scale;
            let mut rng = Stream::new(world.seed, ps::LABOUR_BESCHUT_QUOTA, g as u64, month.year());
            round_at_random(q, &mut rng) - i64::from(used[g])
        })
        .collect();
    for (_, i) in indicated {
        let i = i as usize;
        let g = h.gemeente[c.household[i] as usize] as usize;
        if free[g] > 0 {
            free[g] -= 1;
            c.labour[i] = S::Beschut;
            c.instrument[i] = Instrument::None;
            c.labour_month[i] = m as u16;
        }
    }
}
