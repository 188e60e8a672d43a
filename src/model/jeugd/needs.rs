//! Phase 2 (youth part): parenting stress and youth problems (onset, recovery, drift).

use super::refer::MAJORITY_AGE;
use super::setup::{JeugdSetup, MAX_YOUTH_AGE};
use crate::engine::{CHUNK, Month, StreamKey, map_chunks};
use crate::model::labour::PwFlags;
use crate::model::provision::{FormSet, JeugdState, YouthForm};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::{JeugdParams, Params};
use rayon::prelude::*;

/// A youth whose problem is at least this severe marks the household as troubled: siblings
/// share causes (home situation, heredity), so problems cluster (`jeugd.sibling_risk`).
pub const SIBLING_SEVERITY: u8 = 20;
/// A share of the way a household's parenting stress moves to its target each month.
/// Assumption.
pub const STRESS_ADJUSTMENT: f64 = 0.1;
/// The parenting stress per which `jeugd.stress_effect` raises the onset hazard (and the
/// court rate's unit of stress).
pub const STRESS_UNIT: f64 = 50.0;
/// Relative onset hazard in infancy (ages 0-1): problems show mostly at school age.
/// Assumption. From 18 no youth problem starts: a new problem of an adult is a limitation of
/// the adult domain (`needs`), not a matter for the Jeugdwet (art. 1.1 `jeugdige`).
pub const ONSET_FACTOR_INFANT: f64 = 0.2;
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
    let none = crate::model::world::NONE;
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
    // Problems show mostly at school age; fewer in infancy, and none start from 18.
    let age_factor = match age {
        0..=1 => ONSET_FACTOR_INFANT,
        2..=17 => 1.0,
        _ => 0.0,
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
        onset: crate::model::demography::monthly(jp.onset_rate.get()),
        recover: crate::model::demography::monthly(jp.recovery_rate.get()),
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
                // From 18 a youth problem stays a Jeugdwet matter only while the jeugdhulp
                // that began before 18 goes on (`jeugd.continue_after_18`; facts.md Y1); at 18
                // a serious one became adult need (MC53), and the rest leave the youth domain.
                if age > MAX_YOUTH_AGE || (age >= MAJORITY_AGE && !jeugd[i].in_hulp()) {
                    *yj = 0;
                    continue;
                }
                let hh = household[i] as usize;
                let stress = f64::from(h.stress[hh]);
                // Help works less when several helpers of several laws must coordinate (MC50).
                let laws = crate::model::gemeente::household_laws_now(h.laws[hh]);
                let quality = crate::model::gemeente::coordination_quality(p, month, laws);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::jeugd::close;
    use crate::model::provision::testing::{patched, reference};
    use serde_json::json;

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
            (19, 0.0, false, 0.0),
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
}
