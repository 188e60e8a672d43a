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
use super::provision::{FormSet, JeugdState, PerForm, Supplier, YouthForm};
use super::streams as ps;
use super::world::{ALIVE, MENTAL, World};
use crate::engine::{CHUNK, Month, Stream, StreamKey, Waiting, admit, map_chunks, survey};
use crate::model::labour::PwFlags;
use crate::scenario::params::{JeugdParams, Params, Purchasing};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// Oldest age (years) for youth care.
pub const MAX_YOUTH_AGE: u32 = 22;
/// A household below this share of the median income is income-insecure (60% of the median:
/// the usual low-income line, as CBS and Eurostat draw it).
pub const LOW_INCOME_SHARE: f64 = 0.6;
/// Local purchasing costs `jeugd.local_premium` more in a gemeente of this many inhabitants
/// ...
pub const PREMIUM_SIZE: f64 = 10_000.0;
/// ... and nothing from this many times that size (100 000 inhabitants), falling with the
/// square root of size (facts.md MC39; the shape is an assumption).
pub const PREMIUM_FREE_RATIO: f64 = 10.0;
/// The premium of the smallest gemeenten is at most this many times `jeugd.local_premium`.
/// Assumption.
pub const PREMIUM_MAX_MULTIPLE: f64 = 3.0;

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
                    let size = (gem.population as f64 / PREMIUM_SIZE).max(0.01);
                    let shortfall = ((PREMIUM_FREE_RATIO / size).sqrt() - 1.0)
                        / (PREMIUM_FREE_RATIO.sqrt() - 1.0);
                    1.0 + p.local_premium.get() * shortfall.clamp(0.0, PREMIUM_MAX_MULTIPLE)
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
            low_income: (f64::from(median) * LOW_INCOME_SHARE) as u32,
            top_quintile: quintiles[3],
            gi_staffing,
        }
    }
}

/// A youth whose problem is at least this severe marks the household as troubled: siblings
/// share causes (home situation, heredity), so problems cluster (`jeugd.sibling_risk`).
pub const SIBLING_SEVERITY: u8 = 20;
/// A share of the way a household's parenting stress moves to its target each month.
/// Assumption.
pub const STRESS_ADJUSTMENT: f64 = 0.1;
/// The parenting stress per which `jeugd.stress_effect` raises the onset hazard (and the
/// court rate's unit of stress).
pub const STRESS_UNIT: f64 = 50.0;
/// Relative onset hazard in infancy (ages 0-1) and after 18: problems show mostly at school
/// age. Assumption.
pub const ONSET_FACTOR_INFANT: f64 = 0.2;
/// See [`ONSET_FACTOR_INFANT`].
pub const ONSET_FACTOR_ADULT: f64 = 0.15;
/// A new problem starts at this severity, plus up to [`ONSET_SPREAD`]. Assumption.
pub const ONSET_SEVERITY: f64 = 10.0;
/// See [`ONSET_SEVERITY`].
pub const ONSET_SPREAD: f64 = 30.0;
/// Problems below this severity are mild: they can resolve without help
/// (`jeugd.recovery_rate`).
pub const MILD_SEVERITY: u8 = 40;
/// Help doubles the chance that a mild problem resolves. Assumption.
pub const HELPED_RECOVERY_FACTOR: f64 = 2.0;

/// The target parenting stress of a household with children: the base, plus income
/// insecurity and a parent's problematic debts (facts.md MC59).
pub fn stress_target(jp: &JeugdParams, low_income: bool, debt: bool) -> f64 {
    let mut target = jp.base_stress.get();
    if low_income {
        target += jp.low_income_stress.get();
    }
    if debt {
        target += jp.debt_stress.get();
    }
    target
}

/// Households with a youth with a problem of at least [`SIBLING_SEVERITY`].
fn troubled_households(world: &World) -> Vec<bool> {
    let c = &world.citizens;
    let mut troubled = vec![false; world.households.len()];
    let marks = map_chunks(c.len(), |r| {
        r.filter(|&i| c.flags[i].contains(ALIVE) && c.youth[i] >= SIBLING_SEVERITY)
            .map(|i| c.household[i])
            .collect::<Vec<_>>()
    });
    for h in marks.into_iter().flatten() {
        troubled[h as usize] = true;
    }
    troubled
}

/// Phase 2a: parenting stress moves a share ([`STRESS_ADJUSTMENT`]) of the way to its target
/// each month; rare shocks (a crisis at home). Households without children have none.
fn parenting_stress(world: &mut World, jp: &JeugdParams, setup: &JeugdSetup, month: Month) {
    let h = &mut world.households;
    let c = &world.citizens;
    let k = StreamKey::new(world.seed, ps::JEUGD_STRESS, month.0);
    let (members, adults, income) = (&h.members, &h.adults, &h.income);
    let none = super::world::NONE;
    h.stress
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(ci, stress)| {
            for (j, st) in stress.iter_mut().enumerate() {
                let hh = ci * CHUNK + j;
                let n_adults = u8::from(adults[hh][0] != none) + u8::from(adults[hh][1] != none);
                if members[hh] <= n_adults {
                    *st = 0;
                    continue;
                }
                let debt = adults[hh]
                    .iter()
                    .any(|&a| a != none && c.pw[a as usize].contains(PwFlags::DEBT));
                let target = stress_target(jp, income[hh] < setup.low_income, debt);
                let mut s = f64::from(*st) + STRESS_ADJUSTMENT * (target - f64::from(*st));
                let key = adults[hh][0].min(adults[hh][1]);
                let id = if key == none {
                    hh as u64
                } else {
                    u64::from(c.id[key as usize])
                };
                if k.stream(id).chance(jp.stress_shock_rate.get()) {
                    s += jp.stress_shock_points.get();
                }
                *st = s.clamp(0.0, 100.0) as u8;
            }
        });
}

/// The month's rules for youth problems.
pub struct ProblemRules<'a> {
    /// The Jeugdwet parameters.
    pub jp: &'a JeugdParams,
    /// Onset hazard a month at average stress.
    pub onset: f64,
    /// Chance a month that a mild problem resolves without help.
    pub recover: f64,
    /// The month's streams: onset, recovery, and the rounding of the drift.
    pub keys: ProblemKeys,
}

/// The streams of a month's youth-problem decisions, one purpose each.
#[derive(Clone, Copy, Debug)]
pub struct ProblemKeys {
    onset: StreamKey,
    recover: StreamKey,
    progress: StreamKey,
}

impl ProblemKeys {
    /// The streams of `month` (as `Month.0`) in the run with `seed`.
    pub fn new(seed: u64, month: u32) -> ProblemKeys {
        ProblemKeys {
            onset: StreamKey::new(seed, ps::JEUGD_ONSET, month),
            recover: StreamKey::new(seed, ps::JEUGD_RECOVER, month),
            progress: StreamKey::new(seed, ps::JEUGD_PROGRESS, month),
        }
    }
}

/// The onset hazard of a problem a month for a youth aged `age` (at most [`MAX_YOUTH_AGE`])
/// with household parenting `stress`, whose sibling has a problem if `troubled`.
pub fn onset_hazard(r: &ProblemRules<'_>, age: u32, stress: f64, troubled: bool) -> f64 {
    let jp = r.jp;
    // Problems show mostly at school age; fewer in infancy and after 18.
    let age_factor = match age {
        0..=1 => ONSET_FACTOR_INFANT,
        2..=17 => 1.0,
        _ => ONSET_FACTOR_ADULT,
    };
    // Siblings share causes (home situation, heredity): problems cluster.
    let sibling = if troubled {
        1.0 + jp.sibling_risk.get()
    } else {
        1.0
    };
    r.onset * age_factor * sibling * (1.0 + jp.stress_effect.get() * stress / STRESS_UNIT)
}

/// Severity points a month a problem `y` (above 0) moves, before rounding: it progresses
/// without jeugdhulp, faster while waiting (MC57) or with help too light for it (MC5), and each
/// form received takes its effect off, less when several laws' helpers must coordinate
/// (`quality`, MC50).
pub fn problem_drift(jp: &JeugdParams, y: u8, state: JeugdState, quality: f64) -> f64 {
    let mut drift = 0.0;
    if !state.in_hulp() {
        drift += jp.progression.get() / 12.0;
    }
    if !state.waiting().is_empty() {
        drift += jp.waiting_drift.get();
    }
    if state.received() & FormSet::HULP == FormSet::of(YouthForm::Wijkteam)
        && y >= jp.specialist_threshold
    {
        drift += jp.too_light_drift.get();
    }
    for f in state.received().iter() {
        drift -= f.params(jp).effect.get() * quality;
    }
    drift
}

/// A youth's problem severity next month, from this month's `y`: a problem starts (at
/// [`onset_hazard`]), a mild one resolves, or it moves by its [`problem_drift`] (the fraction
/// drawn). `id` keys the youth's streams.
#[allow(clippy::too_many_arguments)]
pub fn next_problem(
    r: &ProblemRules<'_>,
    y: u8,
    age: u32,
    state: JeugdState,
    stress: f64,
    troubled: bool,
    quality: f64,
    id: u64,
) -> u8 {
    if y == 0 {
        let mut rng = r.keys.onset.stream(id);
        if rng.chance(onset_hazard(r, age, stress, troubled)) {
            return (ONSET_SEVERITY + ONSET_SPREAD * rng.uniform().powf(1.5)) as u8;
        }
        return 0;
    }
    let recover = if state.in_care() {
        HELPED_RECOVERY_FACTOR * r.recover
    } else {
        r.recover
    };
    if y < MILD_SEVERITY && r.keys.recover.stream(id).chance(recover) {
        return 0;
    }
    let drift = problem_drift(r.jp, y, state, quality);
    let next = f64::from(y)
        + drift.trunc()
        + if r.keys.progress.stream(id).chance(drift.fract().abs()) {
            drift.signum()
        } else {
            0.0
        };
    next.clamp(0.0, 100.0) as u8
}

/// Phase 2 (youth part): parenting stress per household, then each youth's problem severity.
pub fn needs(world: &mut World, p: &Params, setup: &JeugdSetup, month: Month) {
    let jp = &p.jeugd;
    let m = month.0;
    // Households with a child with a problem: its siblings share its causes.
    let troubled = troubled_households(world);
    parenting_stress(world, jp, setup, month);
    let rules = ProblemRules {
        jp,
        onset: super::demography::monthly(jp.onset_rate.get()),
        recover: super::demography::monthly(jp.recovery_rate.get()),
        keys: ProblemKeys::new(world.seed, m),
    };
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
                if !flags[i].contains(ALIVE) || u32::from(births[i]) > m {
                    continue;
                }
                let age = (m - u32::from(births[i])) / 12;
                if age > MAX_YOUTH_AGE {
                    *yj = 0;
                    continue;
                }
                let hh = household[i] as usize;
                let stress = f64::from(h.stress[hh]);
                // Help works less when several helpers of several laws must coordinate (MC50).
                let laws = super::gemeente::household_laws_now(h.laws[hh]);
                let quality = super::gemeente::coordination_quality(p, month, laws);
                *yj = next_problem(
                    &rules,
                    *yj,
                    age,
                    jeugd[i],
                    stress,
                    troubled[hh],
                    quality,
                    u64::from(ids[i]),
                );
            }
        });
}

/// Age of majority: protection orders are for children under it; at it, protection ends and
/// some jeugdhulp continues (`jeugd.continue_after_18`).
pub const MAJORITY_AGE: u32 = 18;
/// Youngest age for jeugdreclassering (the age of criminal responsibility, Wetboek van
/// Strafrecht art. 486).
pub const JR_MIN_AGE: u32 = 12;
/// School ages: the school route refers children from 4 up to 18 (leerplicht from 5; most go
/// to school from 4).
pub const SCHOOL_AGES: std::ops::Range<u32> = 4..18;
/// The year from which the normative drift and the jeugdreclassering trend are counted (the
/// decentralisation, facts.md MC9).
pub const DRIFT_BASE_YEAR: f64 = 2015.0;
/// The referral threshold never drifts below this severity. Assumption.
pub const MIN_REFERRAL_THRESHOLD: f64 = 10.0;
/// Siblings of a child in jeugdhulp are seen from this severity on (the helpers see the whole
/// family). Assumption.
pub const SIBLING_FLOOR: f64 = 10.0;
/// Marketing through schools works this many times as strongly for the top income quintile
/// (facts.md MC8). Assumption.
pub const TOP_QUINTILE_MARKETING: f64 = 2.0;

/// The month's referral rules.
struct ReferRules<'a> {
    jp: &'a JeugdParams,
    /// Severity from which a problem can be referred this year (after the normative drift).
    threshold: f64,
    /// Factor on every referral route (the yearly referral drift).
    drift: f64,
    /// Providers' marketing through schools.
    marketing: f64,
    /// Monthly chance of a jeugdreclassering measure (after its trend).
    jr_rate: f64,
    /// Income above which a household is in the top quintile.
    top_quintile: u32,
}

impl<'a> ReferRules<'a> {
    fn at(jp: &'a JeugdParams, setup: &JeugdSetup, month: Month) -> ReferRules<'a> {
        let years = f64::from(month.year()) - DRIFT_BASE_YEAR;
        ReferRules {
            jp,
            // Normative drift (MC9): what counts as a problem needing help gets lighter.
            threshold: (f64::from(jp.referral_threshold) - jp.threshold_drift * years)
                .clamp(MIN_REFERRAL_THRESHOLD, 100.0),
            drift: (1.0 + jp.referral_drift.get()).powf(years),
            marketing: jp.marketing.at(month).get(),
            jr_rate: jp.jr_rate.get() * (jp.jr_trend * years).exp(),
            top_quintile: setup.top_quintile,
        }
    }
}

/// The chance a month that each route of [`Route::REFERRALS`] refers a youth with problem `y`
/// aged `age` (tried in that order, before the referral drift): above the referral threshold
/// every route, the school route raised by providers' marketing (more for the top income
/// quintile, MC7, MC8); a sibling in jeugdhulp brings the child into view of the specialist
/// helpers, also below the threshold.
fn route_chances(r: &ReferRules<'_>, y: u8, age: u32, top: bool, sibling: bool) -> [f64; 4] {
    let jp = r.jp;
    let school = if SCHOOL_AGES.contains(&age) {
        let marketing = if top { TOP_QUINTILE_MARKETING } else { 1.0 };
        jp.referral_school.get() * (1.0 + r.marketing * marketing)
    } else {
        0.0
    };
    let sibling = if sibling {
        jp.sibling_referral.get()
    } else {
        0.0
    };
    if f64::from(y) >= r.threshold {
        [
            jp.referral_gp.get(),
            school,
            jp.referral_specialist.get() + sibling,
            jp.referral_wijkteam.get(),
        ]
    } else {
        [0.0, 0.0, sibling, 0.0]
    }
}

/// Households with a child in jeugdhulp.
fn households_in_hulp(world: &World) -> Vec<bool> {
    let c = &world.citizens;
    let mut in_hulp = vec![false; world.households.len()];
    let marks = map_chunks(c.len(), |r| {
        r.filter(|&i| c.flags[i].contains(ALIVE) && c.jeugd[i].in_hulp())
            .map(|i| c.household[i])
            .collect::<Vec<_>>()
    });
    for h in marks.into_iter().flatten() {
        in_hulp[h as usize] = true;
    }
    in_hulp
}

/// The streams of the month's referral decisions, one purpose each.
struct ReferKeys {
    route: StreamKey,
    court: StreamKey,
    jr: StreamKey,
}

/// This month's court orders and referral for youth `i` (none, one or more), onto `out`.
fn intents_of(
    world: &World,
    r: &ReferRules<'_>,
    sibling_in_hulp: &[bool],
    month: Month,
    i: usize,
    keys: &ReferKeys,
    out: &mut Vec<(u32, Intent)>,
) {
    let (c, h, jp) = (&world.citizens, &world.households, r.jp);
    let y = c.youth[i];
    let hh = c.household[i] as usize;
    // Siblings of a child in care are seen with lighter problems too.
    let floor = if sibling_in_hulp[hh] {
        SIBLING_FLOOR
    } else {
        r.threshold
    };
    if !c.flags[i].contains(ALIVE) || f64::from(y) < floor || u32::from(c.birth[i]) > month.0 {
        return;
    }
    let age = c.age(i, month);
    if age > MAX_YOUTH_AGE {
        return;
    }
    let bits = c.jeugd[i];
    let id = u64::from(c.id[i]);
    // Safety concerns weigh heavier in stressed households.
    let stress = f64::from(h.stress[hh]) / STRESS_UNIT;
    if age < MAJORITY_AGE
        && y >= jp.safety_threshold
        && !bits.receives_or_waits(YouthForm::Jeugdbescherming)
        && keys
            .court
            .stream(id)
            .chance(jp.court_rate.get() * stress * stress)
    {
        out.push((i as u32, Intent::Protection));
    }
    if (JR_MIN_AGE..=MAX_YOUTH_AGE).contains(&age)
        && y >= jp.specialist_threshold
        && !bits.receives_or_waits(YouthForm::Jeugdreclassering)
        && keys.jr.stream(id).chance(r.jr_rate)
    {
        out.push((i as u32, Intent::Jeugdreclassering));
    }
    if (bits.received() | bits.waiting()).intersects(FormSet::HULP) {
        return;
    }
    let mut rng = keys.route.stream(id);
    let top = h.income[hh] > r.top_quintile;
    let chances = route_chances(r, y, age, top, sibling_in_hulp[hh]);
    for (route, &prob) in Route::REFERRALS.iter().zip(&chances) {
        if rng.chance(prob * r.drift) {
            out.push((i as u32, Intent::Referral(*route)));
            break;
        }
    }
}

/// A youth's state after a court order or referral (`intent`), with problem `y`: a protection
/// order waits for a GI and, if `placed()` (drawn only for a youth not in verblijf yet), for a
/// placement outside the home (foster or residential care counts as jeugdhulp met verblijf); a
/// referral leads to verblijf from its threshold, light help from the wijkteam when the
/// wijkteam referred a problem below the specialist threshold (only that route gives light help
/// first), and ambulant care otherwise.
fn after_intent(
    jp: &JeugdParams,
    state: JeugdState,
    intent: Intent,
    y: u8,
    placed: impl FnOnce() -> bool,
) -> JeugdState {
    match intent {
        Intent::Protection => {
            let state = state.with_waiting(YouthForm::Jeugdbescherming);
            if !state.receives(YouthForm::Verblijf) && placed() {
                state.with_waiting(YouthForm::Verblijf)
            } else {
                state
            }
        }
        Intent::Jeugdreclassering => state.with_waiting(YouthForm::Jeugdreclassering),
        Intent::Referral(r) => {
            if y >= jp.verblijf_threshold {
                state.with_waiting(YouthForm::Verblijf)
            } else if r == Route::Wijkteam && y < jp.specialist_threshold {
                state.with(YouthForm::Wijkteam).with_this_year()
            } else {
                state.with_waiting(YouthForm::Ambulant)
            }
        }
    }
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
    let rules = ReferRules::at(jp, setup, month);
    let keys = ReferKeys {
        route: StreamKey::new(seed, ps::JEUGD_ROUTE, m),
        court: StreamKey::new(seed, ps::JEUGD_COURT, m),
        jr: StreamKey::new(seed, ps::JEUGD_JR, m),
    };
    let k_placement = StreamKey::new(seed, ps::JEUGD_PLACEMENT, m);
    // Households with a child in jeugdhulp: the helpers see the siblings too.
    let in_hulp = households_in_hulp(world);
    let intents: Vec<(u32, Intent)> = {
        let world = &*world;
        map_chunks(world.citizens.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                intents_of(world, &rules, &in_hulp, month, i, &keys, &mut out);
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
        let mut placement = k_placement.stream(u64::from(c.id[iu]));
        let g = world.households.gemeente[c.household[iu] as usize] as usize;
        let route = match intent {
            Intent::Protection => Some(Route::Court),
            Intent::Referral(r) => Some(r),
            Intent::Jeugdreclassering => None,
        };
        if let Some(r) = route {
            flows[g].jeugd_referrals[r as usize] += 1;
        }
        let before = c.jeugd[iu];
        let after = after_intent(jp, before, intent, c.youth[iu], || {
            placement.chance(jp.placement_share.get())
        });
        if after.waiting() != before.waiting() {
            c.jeugd_month[iu] = month.0 as u16;
        }
        c.jeugd[iu] = after;
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

/// Jeugdhulp ends when the problem falls below this severity (it is gone). Assumption.
pub const PROBLEM_GONE: u8 = 10;
/// A youth turning 18 with a problem at least this severe moves on to adult need (MC53) ...
/// Assumption.
pub const ADULT_NEED_SEVERITY: u8 = 40;
/// ... with a psychosocial limitation of this share of the youth problem's severity.
/// Assumption.
pub const ADULT_NEED_SHARE: f64 = 0.8;
/// Youths waiting for a GI are served in bands of this many severity points, then in order of
/// the court order. Assumption.
pub const GI_URGENCY_BAND: u8 = 64;

/// One youth's episodes after this month's ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Episodes {
    /// The new state.
    pub state: JeugdState,
    /// A protection order ended before a GI started it (never seen).
    pub lapsed: bool,
    /// Turning 18 with a serious problem: the adult limitation severity it becomes (MC53).
    pub adult_need: Option<u8>,
}

/// The streams of the month's episode decisions, one purpose each; the ends and lapses of
/// each form are keyed by youth and form.
#[derive(Clone, Copy, Debug)]
pub struct EpisodeKeys {
    end: StreamKey,
    lapse: StreamKey,
    after_18: StreamKey,
}

impl EpisodeKeys {
    /// The streams of `month` (as `Month.0`) in the run with `seed`.
    pub fn new(seed: u64, month: u32) -> EpisodeKeys {
        EpisodeKeys {
            end: StreamKey::new(seed, ps::JEUGD_END, month),
            lapse: StreamKey::new(seed, ps::JEUGD_LAPSE, month),
            after_18: StreamKey::new(seed, ps::JEUGD_AFTER_18, month),
        }
    }
}

/// The stream key of a decision about form `f` of the youth with persistent id `id`.
fn form_key(id: u32, f: YouthForm) -> u64 {
    u64::from(id) << 8 | f as u64
}

/// One youth's episodes this month (`state` active, problem `y`, age `age_m` in months; `ends`:
/// each form's chance a month to end; `id` keys the youth's streams): help and measures end (jeugdhulp also when the problem
/// is gone), a waiting court order runs its term whether or not the GI has started it, help
/// too light for the problem is followed by a referral to heavier care (MC5), and at 18
/// protection ends, jeugdhulp continues for some, and serious problems become adult need.
pub fn end_episodes(
    jp: &JeugdParams,
    ends: &PerForm<f64>,
    keys: &EpisodeKeys,
    id: u32,
    state: JeugdState,
    y: u8,
    age_m: u32,
) -> Episodes {
    let mut bits = state;
    let mut lapsed = false;
    for f in YouthForm::ALL {
        let key = form_key(id, f);
        if bits.receives(f)
            && (keys.end.stream(key).chance(ends[f]) || (f.is_hulp() && y < PROBLEM_GONE))
        {
            bits = bits.without(f);
        }
        // A court order runs its term whether or not the GI has started it.
        if f.supplier() == Supplier::Gi
            && bits.waits_for(f)
            && keys.lapse.stream(key).chance(ends[f])
        {
            bits = bits.without_waiting(f);
            lapsed |= f == YouthForm::Jeugdbescherming;
        }
    }
    // Up-scaling: help that has become too light for the problem is followed by a referral
    // to heavier care (after the delay it took; MC5).
    if bits.receives(YouthForm::Wijkteam) && y >= jp.specialist_threshold {
        bits = bits
            .without(YouthForm::Wijkteam)
            .with_waiting(YouthForm::Ambulant);
    }
    // (Not for someone already in verblijf: found by the month-end invariant `queue.jeugd`;
    // such a youth used to take a second verblijf place.)
    if bits.receives(YouthForm::Ambulant)
        && !bits.receives(YouthForm::Verblijf)
        && y >= jp.verblijf_threshold
    {
        bits = bits.with_waiting(YouthForm::Verblijf);
    }
    let mut adult_need = None;
    if age_m == MAJORITY_AGE * 12 {
        // Turning 18: protection ends; jeugdhulp continues for some; a share of those with
        // problems moves on to adult (Wmo) need (MC53).
        bits = bits.without_forms(FormSet::of(YouthForm::Jeugdbescherming));
        let stays = |p: f64| keys.after_18.stream(u64::from(id)).chance(p);
        if bits.in_hulp() && !stays(jp.continue_after_18.get()) {
            bits = bits.without_forms(FormSet::HULP);
        }
        if y >= ADULT_NEED_SEVERITY {
            adult_need = Some((f64::from(y) * ADULT_NEED_SHARE) as u8);
        }
    }
    if age_m >= (MAX_YOUTH_AGE + 1) * 12 {
        bits = bits.only_this_year();
    }
    if bits.in_hulp() {
        bits = bits.with_this_year();
    }
    Episodes {
        state: bits,
        lapsed,
        adult_need,
    }
}

/// Phase 6a: every youth's episodes end or move on ([`end_episodes`]); returns the protection
/// orders that lapsed before a GI started them.
fn episodes(world: &mut World, jp: &JeugdParams, month: Month) -> u32 {
    let m = month.0;
    let ends = PerForm::from_fn(|f| 1.0 / f.params(jp).duration_months.get().max(1.0));
    let keys = EpisodeKeys::new(world.seed, m);
    let lapsed = AtomicU32::new(0);
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
                if !flags[j].contains(ALIVE) || !jeugd[j].active() {
                    continue;
                }
                let age_m = m.saturating_sub(u32::from(births[i]));
                let e = end_episodes(jp, &ends, &keys, ids[i], jeugd[j], youth[i], age_m);
                if e.lapsed {
                    lapsed.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(s) = e.adult_need {
                    severity[j] = severity[j].max(s);
                    flags[j].insert(MENTAL);
                }
                jeugd[j] = e.state;
            }
        });
    lapsed.into_inner()
}

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
    let (seed, m) = (world.seed, month.0);
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
    let capacity = |u: usize, f: usize| -> f64 {
        let form = YouthForm::ALL[f];
        let per_1000 = form.params(jp).capacity_per_1000.at(month).get();
        if per_1000 <= 0.0 {
            return f64::INFINITY;
        }
        let staffing = match form.supplier() {
            Supplier::Gi => setup.gi_staffing[u],
            // Providers answer lower tariffs with less capacity (MC42).
            Supplier::Provider => gem.jeugd_unit_tariff[u],
            Supplier::Wijkteam => 1.0,
        };
        // Fractional places are there part of the time: a small unit's capacity is lumpy.
        let cap = per_1000 * setup.unit_population[u] / 1000.0 * scale * staffing;
        let mut rng = Stream::new(seed, ps::JEUGD_CAP, (u as u64) << 8 | f as u64, m);
        cap.floor() + f64::from(u8::from(rng.chance(cap.fract())))
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
            if c.flags[i].contains(ALIVE) && !forms.is_empty() {
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
            if !c.flags[i].contains(ALIVE) || bits.is_none() {
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
                if c.age(i, month) < MAJORITY_AGE {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use serde_json::json;

    fn close(got: f64, want: f64) -> bool {
        (got - want).abs() < 1e-9
    }

    #[test]
    fn parenting_stress_targets() {
        let jp = patched(
            &reference().jeugd,
            json!({ "base_stress": 25.0, "low_income_stress": 30.0, "debt_stress": 15.0 }),
        );
        // (below 60% of the median income, a parent with problematic debts, target);
        // income insecurity and debts raise parenting stress (facts.md MC59).
        let rows = [
            (false, false, 25.0),
            (true, false, 55.0),
            (false, true, 40.0),
            (true, true, 70.0),
        ];
        for (low, debt, want) in rows {
            assert!(close(stress_target(&jp, low, debt), want), "{low} {debt}");
        }
    }

    #[test]
    fn onset_by_age_stress_and_siblings() {
        let jp = patched(
            &reference().jeugd,
            json!({ "sibling_risk": 4.0, "stress_effect": 3.0 }),
        );
        let r = ProblemRules {
            jp: &jp,
            onset: 0.01,
            recover: 0.0,
            keys: ProblemKeys::new(1, 1),
        };
        // (age, parenting stress, a sibling with a problem, hazard a month)
        let rows = [
            // Problems show mostly at school age (assumption).
            (0, 0.0, false, 0.01 * ONSET_FACTOR_INFANT),
            (10, 0.0, false, 0.01),
            (19, 0.0, false, 0.01 * ONSET_FACTOR_ADULT),
            // Parenting stress raises the risk (facts.md MC59) ...
            (10, 50.0, false, 0.01 * 4.0),
            // ... and problems cluster in families (J2: 1,24 children per household).
            (10, 0.0, true, 0.01 * 5.0),
        ];
        for (age, stress, sibling, want) in rows {
            let got = onset_hazard(&r, age, stress, sibling);
            assert!(close(got, want), "{age} {stress} {sibling}: {got}");
        }
    }

    #[test]
    fn problems_drift_by_help_and_waiting() {
        let jp = patched(
            &reference().jeugd,
            json!({
                "progression": 12.0,
                "waiting_drift": 0.5,
                "too_light_drift": 0.5,
                "specialist_threshold": 45,
                "wijkteam": { "effect": 1.0 },
                "ambulant": { "effect": 2.0 },
            }),
        );
        let none = JeugdState::NONE;
        // (problem, state, coordination quality, points a month)
        let rows = [
            // Untreated problems progress (a point a month here).
            (30, none, 1.0, 1.0),
            // Waiting makes it worse (facts.md MC57).
            (30, none.with_waiting(YouthForm::Ambulant), 1.0, 1.5),
            // Help takes its effect off ...
            (30, none.with(YouthForm::Wijkteam), 1.0, -1.0),
            // ... but help too light for the problem lets it escalate (MC5) ...
            (50, none.with(YouthForm::Wijkteam), 1.0, 0.5 - 1.0),
            // ... and works less when several laws' helpers must coordinate (MC50).
            (30, none.with(YouthForm::Ambulant), 0.5, -1.0),
        ];
        for (y, state, quality, want) in rows {
            let got = problem_drift(&jp, y, state, quality);
            assert!(close(got, want), "{y} {state:?}: {got}");
        }
    }

    #[test]
    fn referrals_and_orders_lead_to_forms() {
        let jp = patched(
            &reference().jeugd,
            json!({ "verblijf_threshold": 50, "specialist_threshold": 45 }),
        );
        let none = JeugdState::NONE;
        let w = |f| none.with_waiting(f);
        use YouthForm::*;
        // (state, intent, problem, placed outside the home, state after)
        let rows = [
            // Only the wijkteam route gives light help first (facts.md MC6) ...
            (
                none,
                Intent::Referral(Route::Wijkteam),
                30,
                false,
                none.with(Wijkteam).with_this_year(),
            ),
            // ... the GP, school and specialist refer to specialist care (J9).
            (none, Intent::Referral(Route::Gp), 30, false, w(Ambulant)),
            (
                none,
                Intent::Referral(Route::Wijkteam),
                46,
                false,
                w(Ambulant),
            ),
            (
                none,
                Intent::Referral(Route::School),
                55,
                false,
                w(Verblijf),
            ),
            // A protection order waits for a GI, some with a placement (jeugdhulp met
            // verblijf).
            (none, Intent::Protection, 60, false, w(Jeugdbescherming)),
            (
                none,
                Intent::Protection,
                60,
                true,
                w(Jeugdbescherming).with_waiting(Verblijf),
            ),
            (
                none.with(Verblijf),
                Intent::Protection,
                60,
                true,
                none.with(Verblijf).with_waiting(Jeugdbescherming),
            ),
            (
                none,
                Intent::Jeugdreclassering,
                60,
                false,
                w(Jeugdreclassering),
            ),
        ];
        for (state, intent, y, placed, want) in rows {
            let got = after_intent(&jp, state, intent, y, || placed);
            assert_eq!(got, want, "{state:?} {intent:?} {y}");
        }
    }

    #[test]
    fn episodes_end_and_move_on() {
        let jp = patched(
            &reference().jeugd,
            json!({
                "verblijf_threshold": 50,
                "specialist_threshold": 45,
                "continue_after_18": 1.0,
            }),
        );
        let never = PerForm::splat(0.0);
        let mut jb_ends = PerForm::splat(0.0);
        jb_ends[YouthForm::Jeugdbescherming] = 1.0;
        let none = JeugdState::NONE;
        use YouthForm::*;
        let at = |years: u32| years * 12;
        // (form end chances, state, problem, age in months, state after, lapsed, adult need)
        let rows = [
            // Help too light for the problem: up-scaled to ambulant care (facts.md MC5).
            (
                never,
                none.with(Wijkteam).with_this_year(),
                50,
                at(10),
                none.with_waiting(Ambulant).with_this_year(),
                false,
                None,
            ),
            (
                never,
                none.with(Ambulant),
                55,
                at(10),
                none.with(Ambulant).with_waiting(Verblijf).with_this_year(),
                false,
                None,
            ),
            // Jeugdhulp ends when the problem is gone (assumption).
            (never, none.with(Ambulant), 5, at(10), none, false, None),
            // A waiting protection order runs its term without a GI (never seen, WL2).
            (
                jb_ends,
                none.with_waiting(Jeugdbescherming),
                30,
                at(10),
                none,
                true,
                None,
            ),
            // At 18 protection ends (a measure for minors); jeugdhulp may continue (Y1);
            // serious problems become adult need (MC53).
            (
                never,
                none.with(Jeugdbescherming).with(Ambulant),
                44,
                at(18),
                none.with(Ambulant).with_this_year(),
                false,
                Some(35),
            ),
            // After 22 youth care ends (the Jeugdwet's upper age with continued help).
            (
                never,
                none.with(Ambulant).with_this_year(),
                30,
                at(23),
                none.with_this_year(),
                false,
                None,
            ),
        ];
        for (ends, state, y, age_m, want, lapsed, adult) in rows {
            let e = end_episodes(&jp, &ends, &EpisodeKeys::new(1, 1), 1, state, y, age_m);
            assert_eq!(
                (e.state, e.lapsed, e.adult_need),
                (want, lapsed, adult),
                "{state:?} {y} {age_m}"
            );
        }
    }
}
