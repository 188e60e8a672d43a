//! The Jeugdwet: youth problems (ages 0-22) and parenting stress (phase 2), routes in (phase
//! 4), referral and assessment (phase 5), jeugdhulp, jeugdbescherming and jeugdreclassering
//! with capacity-limited providers and gecertificeerde instellingen (phase 6), money (phase 8).
//!
//! Most trajectories start outside the gemeente's control (GP, school, specialist, court;
//! facts.md MC6, J9): those routes refer straight to specialist care, only the wijkteam route
//! can give light help. Specialist care and GIs are bought per jeugdregio or per gemeente; a
//! small gemeente buying alone has few places, so its waiting lists pool less and it pays a
//! premium (facts.md MC39).

use super::gemeente::Gemeenten;
use super::indicators::GemeenteFlows;
use super::provision::{FormSet, PerForm, Supplier, YouthForm};
use super::streams as ps;
use super::world::{ALIVE, MENTAL, World, pw};
use crate::engine::{CHUNK, Month, Stream, StreamKey, Waiting, admit, map_chunks, survey};
use crate::scenario::params::{JeugdParams, Params, Purchasing};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// Oldest age (years) for youth care.
pub const MAX_YOUTH_AGE: u32 = 22;

/// A route into youth care (facts.md MC6, J9: most trajectories start outside the gemeente's
/// control; only the wijkteam route is its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Route {
    /// The GP (huisarts).
    Gp,
    /// School (ages 4-17).
    School,
    /// A medical specialist.
    Specialist,
    /// The wijkteam (the gemeente's own route).
    Wijkteam,
    /// The court: a child protection order (OTS, voogdij).
    Court,
}

impl Route {
    /// Every route, in index order.
    pub const ALL: [Route; 5] = [
        Route::Gp,
        Route::School,
        Route::Specialist,
        Route::Wijkteam,
        Route::Court,
    ];
    /// How many there are.
    pub const COUNT: usize = Route::ALL.len();
    /// The routes by which a child is referred to jeugdhulp (not the court), in the order they
    /// are tried each month.
    pub const REFERRALS: [Route; 4] =
        [Route::Gp, Route::School, Route::Specialist, Route::Wijkteam];
}

/// What the referral phase decides for one youth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Intent {
    /// A referral to jeugdhulp by a route.
    Referral(Route),
    /// A child protection order (jeugdbescherming).
    Protection,
    /// A jeugdreclassering measure.
    Jeugdreclassering,
}

/// Set-up: purchasing units and their populations, the low-income line.
#[derive(Clone, Debug)]
pub struct JeugdSetup {
    /// Purchasing unit of each gemeente.
    pub unit_of: Vec<u32>,
    /// Inhabitants of each unit at the start (national scale).
    pub unit_population: Vec<f64>,
    /// Price factor of each gemeente's specialist care (local purchasing premium).
    pub price_factor: Vec<f64>,
    /// Household income below which a household is income-insecure (60% of the median).
    pub low_income: u32,
    /// Income above which a household is in the top quintile.
    pub top_quintile: u32,
    /// Staffing of the GIs serving each unit relative to the norm (1 = as planned): GIs work
    /// over a jeugdregio, so under local purchasing a gemeente shares its region's draw.
    pub gi_staffing: Vec<f64>,
}

impl JeugdSetup {
    /// Builds the set-up for a world and parameters.
    pub fn new(world: &World, p: &JeugdParams, quintiles: [u32; 4]) -> JeugdSetup {
        let geo = &world.geography;
        let local = p.purchasing == Purchasing::Local;
        let unit_of: Vec<u32> = geo
            .gemeenten
            .iter()
            .enumerate()
            .map(|(g, gem)| {
                if local {
                    g as u32
                } else {
                    u32::from(gem.jeugdregio)
                }
            })
            .collect();
        let n_units = if local {
            geo.gemeenten.len()
        } else {
            geo.jeugdregios.len()
        };
        let mut unit_population = vec![0.0; n_units];
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            unit_population[unit_of[g] as usize] += gem.population as f64;
        }
        let price_factor = geo
            .gemeenten
            .iter()
            .map(|gem| {
                if local {
                    let size = (gem.population as f64 / 10_000.0).max(0.01);
                    let shortfall = ((10.0 / size).sqrt() - 1.0) / (10f64.sqrt() - 1.0);
                    1.0 + p.local_premium.get() * shortfall.clamp(0.0, 3.0)
                } else {
                    1.0
                }
            })
            .collect();
        // GI staffing per jeugdregio: log-normal with mean 1 (staff shortages differ, WL3).
        let spread = p.gi_staffing_spread.get();
        let region_staffing: Vec<f64> = (0..geo.jeugdregios.len())
            .map(|r| {
                let mut rng = Stream::new(world.seed, ps::JEUGD_GI, r as u64, 0);
                (spread * rng.normal() - spread * spread / 2.0).exp()
            })
            .collect();
        let mut gi_staffing = vec![1.0; n_units];
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            gi_staffing[unit_of[g] as usize] = region_staffing[usize::from(gem.jeugdregio)];
        }
        let mut incomes = world.households.income.clone();
        incomes.sort_unstable();
        let median = incomes.get(incomes.len() / 2).copied().unwrap_or(0);
        JeugdSetup {
            unit_of,
            unit_population,
            price_factor,
            low_income: (f64::from(median) * 0.6) as u32,
            top_quintile: quintiles[3],
            gi_staffing,
        }
    }
}

/// Phase 2 (youth part): parenting stress per household, then each youth's problem severity.
pub fn needs(world: &mut World, p: &Params, setup: &JeugdSetup, month: Month) {
    let jp = &p.jeugd;
    let seed = world.seed;
    let m = month.0;
    // Households with a child with a problem: its siblings share its causes.
    let mut troubled = vec![false; world.households.len()];
    {
        let c = &world.citizens;
        let marks = map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i] & ALIVE != 0 && c.youth[i] >= 20)
                .map(|i| c.household[i])
                .collect::<Vec<_>>()
        });
        for h in marks.into_iter().flatten() {
            troubled[h as usize] = true;
        }
    }
    // Stress: moves a tenth of the way to its target a month; rare shocks (a crisis at home).
    {
        let h = &mut world.households;
        let c = &world.citizens;
        let k = StreamKey::new(seed, ps::JEUGD_STRESS, m);
        let (members, adults, income) = (&h.members, &h.adults, &h.income);
        h.stress
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(ci, stress)| {
                for (j, st) in stress.iter_mut().enumerate() {
                    let hh = ci * CHUNK + j;
                    let n_adults = u8::from(adults[hh][0] != super::world::NONE)
                        + u8::from(adults[hh][1] != super::world::NONE);
                    if members[hh] <= n_adults {
                        *st = 0;
                        continue;
                    }
                    let mut target = jp.base_stress.get();
                    if income[hh] < setup.low_income {
                        target += jp.low_income_stress.get();
                    }
                    // Problematic debts of a parent (facts.md MC59).
                    if adults[hh]
                        .iter()
                        .any(|&a| a != super::world::NONE && c.pw[a as usize] & pw::DEBT != 0)
                    {
                        target += jp.debt_stress.get();
                    }
                    let mut s = f64::from(*st) + 0.1 * (target - f64::from(*st));
                    let key = adults[hh][0].min(adults[hh][1]);
                    let id = if key == super::world::NONE {
                        hh as u64
                    } else {
                        u64::from(c.id[key as usize])
                    };
                    if k.stream(id).chance(0.01) {
                        s += 30.0;
                    }
                    *st = s.clamp(0.0, 100.0) as u8;
                }
            });
    }
    let onset_m = super::demography::monthly(jp.onset_rate.get());
    let recover_m = super::demography::monthly(jp.recovery_rate.get());
    let k = StreamKey::new(seed, ps::JEUGD_YOUTH, m);
    let c = &mut world.citizens;
    let h = &world.households;
    let (ids, births, flags, household, jeugd) =
        (&c.id, &c.birth, &c.flags, &c.household, &c.jeugd);
    c.youth
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(ci, youth)| {
            for (j, yj) in youth.iter_mut().enumerate() {
                let i = ci * CHUNK + j;
                // During the warm-up before the start, the youngest are not born yet.
                if flags[i] & ALIVE == 0 || u32::from(births[i]) > m {
                    continue;
                }
                let age = (m - u32::from(births[i])) / 12;
                if age > MAX_YOUTH_AGE {
                    *yj = 0;
                    continue;
                }
                let y = *yj;
                let mut rng = k.stream(u64::from(ids[i]));
                let stress = f64::from(h.stress[household[i] as usize]);
                if y == 0 {
                    // Problems show mostly at school age; fewer in infancy and after 18.
                    let age_factor = match age {
                        0..=1 => 0.2,
                        2..=17 => 1.0,
                        _ => 0.15,
                    };
                    // Siblings share causes (home situation, heredity): problems cluster.
                    let sibling = if troubled[household[i] as usize] {
                        1.0 + jp.sibling_risk.get()
                    } else {
                        1.0
                    };
                    let hazard = onset_m
                        * age_factor
                        * sibling
                        * (1.0 + jp.stress_effect.get() * stress / 50.0);
                    if rng.chance(hazard) {
                        *yj = (10.0 + 30.0 * rng.uniform().powf(1.5)) as u8;
                    }
                    continue;
                }
                let bits = jeugd[i];
                let helped = bits.in_care();
                let recover = if helped { 2.0 * recover_m } else { recover_m };
                if y < 40 && rng.chance(recover) {
                    *yj = 0;
                    continue;
                }
                let mut drift = 0.0;
                if !bits.in_hulp() {
                    drift += jp.progression.get() / 12.0;
                }
                if !bits.waiting().is_empty() {
                    drift += jp.waiting_drift.get();
                }
                if bits.received() & FormSet::HULP == FormSet::of(YouthForm::Wijkteam)
                    && y >= jp.specialist_threshold
                {
                    drift += jp.too_light_drift.get();
                }
                // Help works less when several helpers of several laws must coordinate (MC50).
                let quality = super::gemeente::coordination_quality(
                    p,
                    month,
                    super::gemeente::household_laws_now(h.laws[household[i] as usize]),
                );
                for f in bits.received().iter() {
                    drift -= f.params(jp).effect.get() * quality;
                }
                let next = f64::from(y)
                    + drift.trunc()
                    + if rng.chance(drift.fract().abs()) {
                        drift.signum()
                    } else {
                        0.0
                    };
                *yj = next.clamp(0.0, 100.0) as u8;
            }
        });
}

/// Phases 4-5 (youth part): routes in, court orders and jeugdreclassering, referral decisions.
pub fn refer(
    world: &mut World,
    p: &Params,
    setup: &JeugdSetup,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let jp = &p.jeugd;
    let seed = world.seed;
    let m = month.0;
    let years = f64::from(month.year()) - 2015.0;
    let drift = (1.0 + jp.referral_drift.get()).powf(years);
    // Normative drift (MC9): what counts as a problem needing help gets lighter each year.
    let threshold =
        (f64::from(jp.referral_threshold) - jp.threshold_drift * years).clamp(10.0, 100.0);
    let marketing = jp.marketing.at(month).get();
    let jr_rate = jp.jr_rate.get() * (jp.jr_trend * years).exp();
    let k_route = StreamKey::new(seed, ps::JEUGD_ROUTE, m);
    let k_court = StreamKey::new(seed, ps::JEUGD_COURT, m);
    // Households with a child in jeugdhulp: the helpers see the siblings too.
    let mut in_care = vec![false; world.households.len()];
    {
        let c = &world.citizens;
        let marks = map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i] & ALIVE != 0 && c.jeugd[i].in_hulp())
                .map(|i| c.household[i])
                .collect::<Vec<_>>()
        });
        for h in marks.into_iter().flatten() {
            in_care[h as usize] = true;
        }
    }
    let in_care = &in_care;
    let intents: Vec<(u32, Intent)> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                let y = c.youth[i];
                let hh = c.household[i] as usize;
                // Siblings of a child in care are seen with lighter problems too.
                let floor = if in_care[hh] { 10.0 } else { threshold };
                if c.flags[i] & ALIVE == 0 || f64::from(y) < floor || u32::from(c.birth[i]) > m {
                    continue;
                }
                let age = c.age(i, month);
                if age > MAX_YOUTH_AGE {
                    continue;
                }
                let bits = c.jeugd[i];
                let id = u64::from(c.id[i]);
                let mut court = k_court.stream(id);
                // Safety concerns weigh heavier in stressed households.
                let stress = f64::from(h.stress[hh]) / 50.0;
                if age < 18
                    && y >= jp.safety_threshold
                    && !bits.receives_or_waits(YouthForm::Jeugdbescherming)
                    && court.chance(jp.court_rate.get() * stress * stress)
                {
                    out.push((i as u32, Intent::Protection));
                }
                if (12..=MAX_YOUTH_AGE).contains(&age)
                    && y >= jp.specialist_threshold
                    && !bits.receives_or_waits(YouthForm::Jeugdreclassering)
                    && court.chance(jr_rate)
                {
                    out.push((i as u32, Intent::Jeugdreclassering));
                }
                if (bits.received() | bits.waiting()).intersects(FormSet::HULP) {
                    continue;
                }
                let mut rng = k_route.stream(id);
                let top = h.income[hh] > setup.top_quintile;
                let school = if (4..18).contains(&age) {
                    jp.referral_school.get() * (1.0 + marketing * if top { 2.0 } else { 1.0 })
                } else {
                    0.0
                };
                // A sibling in care brings the child into view of the specialist helpers.
                let sibling = if in_care[hh] {
                    jp.sibling_referral.get()
                } else {
                    0.0
                };
                let routes = if f64::from(y) >= threshold {
                    [
                        jp.referral_gp.get(),
                        school,
                        jp.referral_specialist.get() + sibling,
                        jp.referral_wijkteam.get(),
                    ]
                } else {
                    [0.0, 0.0, sibling, 0.0]
                };
                for (route, &prob) in Route::REFERRALS.iter().zip(&routes) {
                    if rng.chance(prob * drift) {
                        out.push((i as u32, Intent::Referral(*route)));
                        break;
                    }
                }
            }
            out
        })
        .into_iter()
        .flatten()
        .collect()
    };
    let c = &mut world.citizens;
    for (i, intent) in intents {
        let iu = i as usize;
        let mut placement = Stream::new(seed, ps::JEUGD_COURT, u64::from(c.id[iu]) ^ 0xABCD, m);
        let g = world.households.gemeente[c.household[iu] as usize] as usize;
        let y = c.youth[iu];
        let mut bits = c.jeugd[iu];
        match intent {
            Intent::Protection => {
                bits = bits.with_waiting(YouthForm::Jeugdbescherming);
                flows[g].jeugd_referrals[Route::Court as usize] += 1;
                // Some protection orders come with a placement outside the home (foster care
                // or residential youth care counts as jeugdhulp met verblijf).
                if !bits.receives(YouthForm::Verblijf) && placement.chance(jp.placement_share.get())
                {
                    bits = bits.with_waiting(YouthForm::Verblijf);
                }
            }
            Intent::Jeugdreclassering => bits = bits.with_waiting(YouthForm::Jeugdreclassering),
            Intent::Referral(r) => {
                flows[g].jeugd_referrals[r as usize] += 1;
                if y >= jp.verblijf_threshold {
                    bits = bits.with_waiting(YouthForm::Verblijf);
                } else if r == Route::Wijkteam && y < jp.specialist_threshold {
                    // Only the wijkteam route gives light help first.
                    bits = bits.with(YouthForm::Wijkteam).with_this_year();
                } else {
                    bits = bits.with_waiting(YouthForm::Ambulant);
                }
            }
        }
        if bits.waiting() != c.jeugd[iu].waiting() {
            c.jeugd_month[iu] = month.0 as u16;
        }
        c.jeugd[iu] = bits;
    }
}

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
    let jp = &p.jeugd;
    let seed = world.seed;
    let m = month.0;
    if month.month_of_year() == 1 {
        *jb_year = JbYear::default();
        world
            .citizens
            .jeugd
            .par_iter_mut()
            .for_each(|b| *b = b.new_year());
    }
    let ends = PerForm::from_fn(|f| 1.0 / f.params(jp).duration_months.get().max(1.0));
    let k_end = StreamKey::new(seed, ps::JEUGD_END, m);
    // Protection orders that end before a GI started them (never seen in time).
    let lapsed = AtomicU32::new(0);
    {
        let c = &mut world.citizens;
        let (ids, births, youth) = (&c.id, &c.birth, &c.youth);
        c.jeugd
            .par_chunks_mut(CHUNK)
            .zip(c.flags.par_chunks_mut(CHUNK))
            .zip(c.severity.par_chunks_mut(CHUNK))
            .enumerate()
            .for_each(|(ci, ((jeugd, flags), severity))| {
                for j in 0..jeugd.len() {
                    let i = ci * CHUNK + j;
                    let mut bits = jeugd[j];
                    if flags[j] & ALIVE == 0 || !bits.active() {
                        continue;
                    }
                    let age_m = m.saturating_sub(u32::from(births[i]));
                    let mut rng = k_end.stream(u64::from(ids[i]));
                    for f in YouthForm::ALL {
                        if bits.receives(f)
                            && (rng.chance(ends[f]) || (f.is_hulp() && youth[i] < 10))
                        {
                            bits = bits.without(f);
                        }
                        // A court order runs its term whether or not the GI has started it.
                        if f.supplier() == Supplier::Gi && bits.waits_for(f) && rng.chance(ends[f])
                        {
                            bits = bits.without_waiting(f);
                            if f == YouthForm::Jeugdbescherming {
                                lapsed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    // Up-scaling: help that has become too light for the problem is followed
                    // by a referral to heavier care (after the delay it took; MC5).
                    let y = youth[i];
                    if bits.receives(YouthForm::Wijkteam) && y >= jp.specialist_threshold {
                        bits = bits
                            .without(YouthForm::Wijkteam)
                            .with_waiting(YouthForm::Ambulant);
                    }
                    // (Not for someone already in verblijf: found by the month-end invariant
                    // `queue.jeugd`; such a youth used to take a second verblijf place.)
                    if bits.receives(YouthForm::Ambulant)
                        && !bits.receives(YouthForm::Verblijf)
                        && y >= jp.verblijf_threshold
                    {
                        bits = bits.with_waiting(YouthForm::Verblijf);
                    }
                    if age_m == 18 * 12 {
                        // Turning 18: protection ends; jeugdhulp continues for some; a share
                        // of those with problems moves on to adult (Wmo) need (MC53).
                        bits = bits.without_forms(FormSet::of(YouthForm::Jeugdbescherming));
                        if bits.in_hulp() && !rng.chance(jp.continue_after_18.get()) {
                            bits = bits.without_forms(FormSet::HULP);
                        }
                        if youth[i] >= 40 {
                            severity[j] = severity[j].max((f64::from(youth[i]) * 0.8) as u8);
                            flags[j] |= MENTAL;
                        }
                    }
                    if age_m >= (MAX_YOUTH_AGE + 1) * 12 {
                        bits = bits.only_this_year();
                    }
                    if bits.in_hulp() {
                        bits = bits.with_this_year();
                    }
                    jeugd[j] = bits;
                }
            });
    }
    jb_year.never += lapsed.into_inner();
    // Capacity per purchasing unit and form; waiting lists admitted most severe first.
    let n_units = setup.unit_population.len();
    let (used, waiting) = {
        let c = &world.citizens;
        let h = &world.households;
        survey::<{ YouthForm::COUNT }, _>(c.len(), n_units, |i, used, waiting| {
            let bits = c.jeugd[i];
            if c.flags[i] & ALIVE == 0 || !bits.active() {
                return;
            }
            let g = h.gemeente[c.household[i] as usize] as usize;
            let u = setup.unit_of[g] as usize;
            for f in YouthForm::ALL {
                if bits.receives(f) {
                    used[u][f as usize] += 1;
                }
                if bits.waits_for(f) {
                    waiting.push(Waiting {
                        pool: u as u32,
                        kind: f as u8,
                        // Care: most severe first. GIs: by coarse urgency band, then in
                        // order of the court order.
                        priority: match f.supplier() {
                            Supplier::Gi => (255 - c.youth[i]) / 64,
                            Supplier::Wijkteam | Supplier::Provider => 255 - c.youth[i],
                        },
                        since: c.jeugd_month[i],
                        agent: i as u32,
                    });
                }
            }
        })
    };
    let scale = world.scale;
    let capacity = |u: usize, f: usize| -> f64 {
        let form = YouthForm::ALL[f];
        let per_1000 = form.params(jp).capacity_per_1000.at(month).get();
        if per_1000 <= 0.0 {
            return f64::INFINITY;
        }
        // Fractional places are there part of the time: a small unit's capacity is lumpy.
        let staffing = match form.supplier() {
            Supplier::Gi => setup.gi_staffing[u],
            // Providers answer lower tariffs with less capacity (MC42).
            Supplier::Provider => gem.jeugd_unit_tariff[u],
            Supplier::Wijkteam => 1.0,
        };
        let cap = per_1000 * setup.unit_population[u] / 1000.0 * scale * staffing;
        let mut rng = Stream::new(seed, ps::JEUGD_CAP, (u as u64) << 8 | f as u64, m);
        cap.floor() + f64::from(u8::from(rng.chance(cap.fract())))
    };
    for a in admit(waiting, &used, capacity).admitted {
        let form = YouthForm::ALL[usize::from(a.kind)];
        let c = &mut world.citizens;
        let iu = a.agent as usize;
        let since = a.since;
        c.jeugd[iu] = c.jeugd[iu].admitted(form);
        if form.is_hulp() {
            c.jeugd[iu] = c.jeugd[iu].with_this_year();
        }
        if form == YouthForm::Jeugdbescherming {
            jb_year.started += 1;
            if m.saturating_sub(u32::from(since)) <= u32::from(jp.jb_in_time_months) {
                jb_year.in_time += 1;
            }
        }
    }
}

/// Phase 8 (youth part): spending per gemeente by form.
pub fn money(
    world: &World,
    p: &Params,
    setup: &JeugdSetup,
    gem: &Gemeenten,
    flows: &mut [GemeenteFlows],
) {
    let jp = &p.jeugd;
    let c = &world.citizens;
    let h = &world.households;
    let parts = map_chunks(c.len(), |r| {
        let mut out: Vec<(u16, FormSet, bool)> = Vec::new();
        for i in r {
            let forms = c.jeugd[i].received();
            if c.flags[i] & ALIVE != 0 && !forms.is_empty() {
                let stacked = super::gemeente::stacked(c.laws[i]);
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
            let cost = f.params(jp).tariff_eur.get() * premium;
            flows[g].jeugd_spending_by_form[f] += cost;
            flows[g].jeugd_spending_eur += cost;
            flows[g].law_spending_eur += cost;
            if stacked {
                flows[g].stacked_eur += cost;
            }
        }
    }
}

/// National youth counts of one month.
#[derive(Clone, Debug, Default)]
pub struct JeugdTally {
    /// Youths with jeugdhulp (any form) at the end of the month.
    pub users: u32,
    /// Households with at least one such youth.
    pub households: u32,
    /// Per form: youths receiving it.
    pub by_form: PerForm<u32>,
    /// Youths who had jeugdhulp so far this year.
    pub users_year: u32,
    /// Households with a youth who had jeugdhulp so far this year.
    pub households_year: u32,
    /// Waiting for jeugdhulp (wijkteam, ambulant, verblijf).
    pub waiting: u32,
    /// Per form: youths waiting for it (for a GI's measures: after the court order).
    pub waiting_for: PerForm<u32>,
    /// Children aged 0-17 with jeugdhulp so far this year.
    pub users_year_0_17: u32,
    /// Per gemeente: youths with jeugdhulp, and waiting for it.
    pub per_gemeente: Vec<[u32; 2]>,
}

/// Counts youth care users, households and waiting.
pub fn measure(world: &World, month: Month) -> JeugdTally {
    let c = &world.citizens;
    let h = &world.households;
    let n_g = world.geography.gemeenten.len();
    let parts = map_chunks(c.len(), |r| {
        let mut t = JeugdTally {
            per_gemeente: vec![[0; 2]; n_g],
            ..Default::default()
        };
        let mut hh_now = Vec::new();
        let mut hh_year = Vec::new();
        for i in r {
            let bits = c.jeugd[i];
            if c.flags[i] & ALIVE == 0 || bits.is_none() {
                continue;
            }
            let hh = c.household[i];
            if bits.in_hulp() {
                t.users += 1;
                hh_now.push(hh);
                t.per_gemeente[h.gemeente[hh as usize] as usize][0] += 1;
            }
            if bits.this_year() {
                t.users_year += 1;
                hh_year.push(hh);
                if c.age(i, month) < 18 {
                    t.users_year_0_17 += 1;
                }
            }
            for f in bits.received().iter() {
                t.by_form[f] += 1;
            }
            for f in bits.waiting().iter() {
                t.waiting_for[f] += 1;
            }
            if bits.waiting().intersects(FormSet::HULP) {
                t.waiting += 1;
                t.per_gemeente[h.gemeente[hh as usize] as usize][1] += 1;
            }
        }
        (t, hh_now, hh_year)
    });
    let mut t = JeugdTally {
        per_gemeente: vec![[0; 2]; n_g],
        ..Default::default()
    };
    let mut hh_now = Vec::new();
    let mut hh_year = Vec::new();
    for (x, a, b) in parts {
        t.users += x.users;
        t.users_year += x.users_year;
        t.users_year_0_17 += x.users_year_0_17;
        t.waiting += x.waiting;
        t.by_form.add(&x.by_form);
        t.waiting_for.add(&x.waiting_for);
        for (p, q) in t.per_gemeente.iter_mut().zip(&x.per_gemeente) {
            p[0] += q[0];
            p[1] += q[1];
        }
        hh_now.extend(a);
        hh_year.extend(b);
    }
    hh_now.sort_unstable();
    hh_now.dedup();
    hh_year.sort_unstable();
    hh_year.dedup();
    t.households = hh_now.len() as u32;
    t.households_year = hh_year.len() as u32;
    t
}
