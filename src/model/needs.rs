//! Phase 2 of a month: needs. Each adult's limitation severity (0-100) starts, progresses and
//! recovers; waiting for help and unmet need make it worse (facts.md MC57); light help may
//! slow it (MC1, "prevention"). Severity also raises mortality (frailty), normalised per age
//! and sex so that the life table still holds on average.
//!
//! Every citizen's update depends only on its own state and its own random stream, so the
//! update runs in parallel in place.

use super::lifetable::MAX_AGE;
use super::streams as ps;
use super::world::{ALIVE, LIFELONG, MENTAL, WLZ, World};
use crate::engine::{CHUNK, Month, Stream, StreamKey};
use crate::model::world::CitizenFlags;
use crate::scenario::params::{LightHelpEffect, NeedParams, Params, ParticipatieParams};
use rayon::prelude::*;

/// Youngest age at which a limitation counts for the Wmo (youth problems are the Jeugdwet's).
pub const ADULT_AGE: u32 = 18;

/// Severity from which a limitation calls for help (below it, no hours). Assumption.
pub const NEED_FROM_SEVERITY: f64 = 10.0;

/// Hours of help a week per severity point above [`NEED_FROM_SEVERITY`] (all kinds of help
/// together: 20 hours at severity 60, 36 at 100). Assumption.
pub const NEED_HOURS_PER_POINT: f64 = 0.4;

/// The age at which `needs.onset_rate_65` holds, years.
pub const ONSET_REFERENCE_AGE: f64 = 65.0;

/// The calendar year from which `needs.onset_trend` counts (the decentralisation).
pub const TREND_BASE_YEAR: f64 = 2015.0;

/// The age at which `needs.progression_80` holds, years.
pub const PROGRESSION_REFERENCE_AGE: f64 = 80.0;

/// Years of age over which progression doubles (half at 60, double at 100 with the
/// reference age 80). Assumption.
pub const PROGRESSION_DOUBLING_YEARS: f64 = 20.0;

/// Age from which `needs.mental_share_65_plus` applies rather than `mental_share_under_65`.
pub const MENTAL_SHARE_AGE: u32 = 65;

/// Lowest severity of a new limitation, points. Assumption.
pub const ONSET_SEVERITY_MIN: f64 = 8.0;

/// Points a new limitation may have above [`ONSET_SEVERITY_MIN`], skewed towards the low end
/// by [`ONSET_SEVERITY_SKEW`] (severities 8-33 at onset, mean 18). Assumption.
pub const ONSET_SEVERITY_SPAN: f64 = 25.0;

/// Power on the uniform draw of the onset severity (above 1: mostly light onsets).
/// Assumption.
pub const ONSET_SEVERITY_SKEW: f64 = 1.5;

/// A lifelong limitation's severity falls linearly with the loonwaarde down to this at
/// [`LIFELONG_LOONWAARDE_LIMIT`] (see `needs.early_disability_severity`). Assumption.
pub const LIFELONG_MIN_SEVERITY: f64 = 25.0;

/// Loonwaarde from which someone with a disability from birth or childhood has no lifelong
/// limitation (the early disabled draw a loonwaarde below 60, `labour::draw_loonwaarde`).
pub const LIFELONG_LOONWAARDE_LIMIT: u8 = 60;

/// Hours a week of need that may go uncovered (by informal and formal help together) before
/// need counts as unmet and drifts up (`needs.unmet_drift`). Assumption.
pub const UNMET_SLACK_HOURS: f64 = 0.5;

/// Hours of help a week a severity calls for (all kinds of help together).
#[inline]
pub fn need_hours(severity: u8) -> f64 {
    (f64::from(severity) - NEED_FROM_SEVERITY).max(0.0) * NEED_HOURS_PER_POINT
}

/// Yearly onset hazard at `age` in calendar `year`.
pub fn onset_yearly(p: &NeedParams, age: u32, year: u32) -> f64 {
    let h = p.onset_rate_65.get()
        * (p.onset_age_slope.get() * (f64::from(age) - ONSET_REFERENCE_AGE)).exp();
    let trend = (p.onset_trend * (f64::from(year) - TREND_BASE_YEAR)).exp();
    (h * trend).clamp(p.onset_rate_min.get(), p.onset_rate_max.get())
}

/// Severity points a year a limitation progresses at `age`.
pub fn progression_yearly(p: &NeedParams, age: u32) -> f64 {
    p.progression_80.get()
        * 2f64.powf((f64::from(age) - PROGRESSION_REFERENCE_AGE) / PROGRESSION_DOUBLING_YEARS)
}

fn mental_share(p: &NeedParams, age: u32) -> f64 {
    if age < MENTAL_SHARE_AGE {
        p.mental_share_under_65.get()
    } else {
        p.mental_share_65_plus.get()
    }
}

/// The lifelong limitation from 18 of someone with a disability from birth or childhood:
/// its severity and whether it is psychosocial or cognitive; `None` for everyone else. It
/// follows the loonwaarde drawn at 18 (`labour::draw_loonwaarde`, a function of the seed and
/// the citizen alone), so the two stay consistent whichever is drawn first.
pub fn lifelong_limitation(
    np: &NeedParams,
    pp: &ParticipatieParams,
    seed: u64,
    id: u32,
) -> Option<(u8, bool)> {
    let (lw, lvb) = super::labour::draw_loonwaarde(pp, seed, id);
    if lvb || lw >= LIFELONG_LOONWAARDE_LIMIT {
        return None;
    }
    let top = np.early_disability_severity.get();
    let s = LIFELONG_MIN_SEVERITY
        + (top - LIFELONG_MIN_SEVERITY)
            * (1.0 - f64::from(lw) / f64::from(LIFELONG_LOONWAARDE_LIMIT));
    let mut rng = Stream::new(seed, ps::NEEDS_LIFELONG, u64::from(id), 0);
    let mental = rng.chance(np.mental_share_under_65.get());
    Some((s.round().min(100.0) as u8, mental))
}

/// Gives `flags`/`severity` the lifelong limitation, if any (at 18).
#[inline]
fn start_lifelong(p: &Params, seed: u64, id: u32, sev: &mut u8, flags: &mut CitizenFlags) {
    if let Some((s, mental)) = lifelong_limitation(&p.needs, &p.participatie, seed, id) {
        *sev = (*sev).max(s);
        flags.insert(LIFELONG);
        if mental {
            flags.insert(MENTAL);
        }
    }
}

fn onset_severity(rng: &mut Stream) -> u8 {
    (ONSET_SEVERITY_MIN + ONSET_SEVERITY_SPAN * rng.uniform().powf(ONSET_SEVERITY_SKEW)) as u8
}

/// Adds `mean` points in expectation: the whole part always, the fraction by chance.
#[inline]
fn add_points(s: u8, mean: f64, rng: &mut Stream) -> u8 {
    let whole = mean.floor();
    let extra = f64::from(u8::from(rng.chance(mean - whole)));
    (f64::from(s) + whole + extra).min(100.0) as u8
}

/// Each gemeente's factor on the onset hazard: health differs between gemeenten as their
/// disability benefits do (`needs.local_health`; 1 everywhere without CBS profiles).
pub fn health_factors(geography: &super::geography::Geography, p: &NeedParams) -> Vec<f64> {
    geography.local_factors(|pr| Some(pr.disability_per_1000()), p.local_health.get())
}

/// A month's onset chances by gemeente, age and poverty.
struct OnsetTable {
    /// `[gemeente][age][poor]`, flat.
    chances: Vec<[f64; 2]>,
}

impl OnsetTable {
    /// The chance `1 - (1 - onset[a])^(health[g] * (1 + poverty if poor))`: the hazard scaled.
    fn new(health: &[f64], onset: &[f64; MAX_AGE + 1], poverty: f64) -> OnsetTable {
        let log_stay: [f64; MAX_AGE + 1] = std::array::from_fn(|a| (1.0 - onset[a]).ln());
        let chances = health
            .par_iter()
            .flat_map_iter(|h| {
                log_stay.iter().map(move |l| {
                    let rich = l * h;
                    [-rich.exp_m1(), -(rich * (1.0 + poverty)).exp_m1()]
                })
            })
            .collect();
        OnsetTable { chances }
    }

    #[inline]
    fn chance(&self, gemeente: u16, age: usize, poor: bool) -> f64 {
        self.chances[usize::from(gemeente) * (MAX_AGE + 1) + age][usize::from(poor)]
    }
}

/// Draws each adult's limitation history up to `until` (yearly steps from age 18), so the
/// starting population carries severities consistent with the monthly process.
pub fn initialise(world: &mut World, p: &Params, until: Month) {
    let np = &p.needs;
    let seed = world.seed;
    let health = health_factors(&world.geography, np);
    let gemeente_of = &world.households.gemeente;
    let c = &mut world.citizens;
    let ids = &c.id;
    let births = &c.birth;
    let household = &c.household;
    c.severity
        .par_chunks_mut(CHUNK)
        .zip(c.flags.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, (sev, flags))| {
            for j in 0..sev.len() {
                let i = ci * CHUNK + j;
                let age_now = until.0.saturating_sub(u32::from(births[i])) / 12;
                if age_now < ADULT_AGE {
                    continue;
                }
                let mut rng = Stream::new(seed, ps::NEEDS_HISTORY, u64::from(ids[i]), 0);
                let mut s = 0u8;
                let h = health[usize::from(gemeente_of[household[i] as usize])];
                start_lifelong(p, seed, ids[i], &mut s, &mut flags[j]);
                for age in ADULT_AGE..age_now {
                    let year = until.year() - (age_now - age);
                    if s == 0 {
                        let onset = onset_yearly(np, age, year);
                        let onset = if h == 1.0 {
                            onset
                        } else {
                            1.0 - (1.0 - onset).powf(h)
                        };
                        if rng.chance(onset) {
                            s = onset_severity(&mut rng);
                            if rng.chance(mental_share(np, age)) {
                                flags[j].insert(MENTAL);
                            } else {
                                flags[j].remove(MENTAL);
                            }
                        }
                    } else if s < np.recovery_threshold
                        && !flags[j].contains(LIFELONG)
                        && rng.chance(np.recovery_rate.get())
                    {
                        s = 0;
                    } else {
                        // A year's progression: its mean, with a spread of its square root
                        // (as a count of points would have; assumption).
                        let mu = progression_yearly(np, age);
                        let sd = mu.sqrt();
                        s = (f64::from(s) + (mu + sd * rng.normal()).max(0.0))
                            .round()
                            .min(100.0) as u8;
                    }
                }
                sev[j] = s;
            }
        });
}

/// Mean frailty (exp(k * severity / 100)) of the living by sex and age: divides the death
/// probability so that the life table holds on average.
pub type FrailtyNorm = [[f64; MAX_AGE + 1]; 2];

/// Computes [`FrailtyNorm`] over the living.
pub fn frailty_norm(world: &World, month: Month, p: &NeedParams) -> FrailtyNorm {
    let table = Frailty::new(p);
    let parts = crate::engine::map_chunks(world.citizens.len(), |r| {
        frailty_count(world, month, &table, r)
    });
    frailty_sum(&parts)
}

/// The frailty weight `exp(k x severity / 100)` for every severity, with `k` the scenario's
/// `needs.frailty`; for a lifelong limitation, `k` times `needs.lifelong_frailty`.
pub struct Frailty {
    acquired: [f64; 256],
    lifelong: [f64; 256],
}

impl Frailty {
    /// The tables of the scenario's frailty.
    pub fn new(p: &NeedParams) -> Frailty {
        let table = |k: f64| std::array::from_fn(|s| (k * f64::from(s as u8) / 100.0).exp());
        let k = p.frailty.get();
        Frailty {
            acquired: table(k),
            lifelong: table(k * p.lifelong_frailty.get()),
        }
    }

    /// The weight of a citizen with `flags` and `severity`.
    #[inline]
    pub fn weight(&self, flags: CitizenFlags, severity: u8) -> f64 {
        if flags.contains(LIFELONG) {
            self.lifelong[usize::from(severity)]
        } else {
            self.acquired[usize::from(severity)]
        }
    }
}

/// The frailty weights and heads of the living among the citizens `r` (one chunk), by sex and
/// age in `month`.
pub type FrailtyPart = ([[f64; MAX_AGE + 1]; 2], [[u32; MAX_AGE + 1]; 2]);

/// The sums of [`frailty_norm`] over the citizens `r` (one chunk; the month's measurement
/// pass counts them beside the laws' tallies).
pub fn frailty_count(
    world: &World,
    month: Month,
    table: &Frailty,
    r: std::ops::Range<usize>,
) -> FrailtyPart {
    let c = &world.citizens;
    let mut sum = [[0.0f64; MAX_AGE + 1]; 2];
    let mut n = [[0u32; MAX_AGE + 1]; 2];
    for i in r {
        let f = c.flags[i];
        if !f.contains(ALIVE) {
            continue;
        }
        let sex = usize::from(f.contains(super::world::FEMALE));
        let age = (c.age(i, month) as usize).min(MAX_AGE);
        sum[sex][age] += table.weight(f, c.severity[i]);
        n[sex][age] += 1;
    }
    (sum, n)
}

/// The norm from the chunks' sums, added in chunk order.
pub fn frailty_sum(parts: &[FrailtyPart]) -> FrailtyNorm {
    let mut sum = [[0.0f64; MAX_AGE + 1]; 2];
    let mut n = [[0u32; MAX_AGE + 1]; 2];
    for (s, c) in parts {
        for sex in 0..2 {
            for a in 0..=MAX_AGE {
                sum[sex][a] += s[sex][a];
                n[sex][a] += c[sex][a];
            }
        }
    }
    let mut norm = [[1.0; MAX_AGE + 1]; 2];
    for sex in 0..2 {
        for a in 0..=MAX_AGE {
            if n[sex][a] > 0 {
                norm[sex][a] = sum[sex][a] / f64::from(n[sex][a]);
            }
        }
    }
    norm
}

/// Runs the needs phase for `month`.
pub fn step(world: &mut World, p: &Params, month: Month) {
    let np = &p.needs;
    let seed = world.seed;
    let m = month.0;
    let k_onset = StreamKey::new(seed, ps::NEEDS_ONSET, m);
    let k_kind = StreamKey::new(seed, ps::NEEDS_ONSET_KIND, m);
    let k_progress = StreamKey::new(seed, ps::NEEDS_PROGRESS, m);
    let k_recover = StreamKey::new(seed, ps::NEEDS_RECOVER, m);
    let recover_m = super::demography::monthly(np.recovery_rate.get());
    let mut onset_m = [0.0; MAX_AGE + 1];
    let mut progress_m = [0.0; MAX_AGE + 1];
    for a in 0..=MAX_AGE {
        onset_m[a] = super::demography::monthly(onset_yearly(np, a as u32, month.year()));
        progress_m[a] = progression_yearly(np, a as u32) / 12.0;
    }
    let prevention = if np.light_help_effect == LightHelpEffect::Prevention {
        np.light_help_strength.get()
    } else {
        0.0
    };
    let poverty = np.poverty_effect.get();
    // The month's onset chance by gemeente, age and poverty: the hazard times the gemeente's
    // health factor, and times 1 + poverty_effect for the poor.
    let onset_table = OnsetTable::new(&health_factors(&world.geography, np), &onset_m, poverty);
    let gemeente_of = &world.households.gemeente;
    let c = &mut world.citizens;
    let (ids, births, wmo, informal, labour) = (&c.id, &c.birth, &c.wmo, &c.informal, &c.labour);
    let household = &c.household;
    c.severity
        .par_chunks_mut(CHUNK)
        .zip(c.flags.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, (sev, flags))| {
            for j in 0..sev.len() {
                let f = flags[j];
                if !f.contains(ALIVE) {
                    continue;
                }
                let i = ci * CHUNK + j;
                let age = m.saturating_sub(u32::from(births[i])) / 12;
                if age < ADULT_AGE {
                    continue;
                }
                let a = (age as usize).min(MAX_AGE);
                let id = u64::from(ids[i]);
                if m.saturating_sub(u32::from(births[i])) == ADULT_AGE * 12 {
                    start_lifelong(p, seed, ids[i], &mut sev[j], &mut flags[j]);
                }
                let f = flags[j];
                let s = sev[j];
                if s == 0 {
                    // The social gradient: limitations start earlier in poverty.
                    let poor = matches!(
                        labour[i],
                        super::labour::LabourStatus::Bijstand | super::labour::LabourStatus::Nugger
                    );
                    let g = gemeente_of[household[i] as usize];
                    let onset = onset_table.chance(g, a, poor);
                    if k_onset.stream(id).chance(onset) {
                        let mut rng = k_kind.stream(id);
                        sev[j] = onset_severity(&mut rng);
                        if rng.chance(mental_share(np, age)) {
                            flags[j].insert(MENTAL);
                        } else {
                            flags[j].remove(MENTAL);
                        }
                    }
                    continue;
                }
                if s < np.recovery_threshold
                    && !f.intersects(WLZ | LIFELONG)
                    && k_recover.stream(id).chance(recover_m)
                {
                    sev[j] = 0;
                    continue;
                }
                let bits = wmo[i];
                let mut mu = progress_m[a];
                if bits.light_help() {
                    mu *= 1.0 - prevention;
                }
                if bits.in_queue() {
                    mu += np.waiting_drift.get();
                }
                if !f.contains(WLZ)
                    && need_hours(s)
                        > f64::from(informal[i])
                            + super::wmo::formal_hours(&p.wmo, bits, s)
                            + UNMET_SLACK_HOURS
                {
                    mu += np.unmet_drift.get();
                }
                sev[j] = add_points(s, mu, &mut k_progress.stream(id));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        crate::scenario::load(&path).unwrap().variants[0]
            .params
            .clone()
    }

    /// A lifelong limitation counts `lifelong_frailty` of its severity for mortality: less
    /// than an acquired one of the same severity, the same at 1 (facts.md N7: the Wsw's deaths).
    #[test]
    fn lifelong_limitations_raise_mortality_less() {
        let mut p = params().needs;
        let f = Frailty::new(&p);
        let (acquired, lifelong) = (f.weight(ALIVE, 50), f.weight(ALIVE | LIFELONG, 50));
        assert!((acquired - (p.frailty.get() * 0.5).exp()).abs() < 1e-12);
        assert!(
            1.0 < lifelong && lifelong < acquired,
            "{lifelong} {acquired}"
        );
        assert_eq!(f.weight(ALIVE | LIFELONG, 0), 1.0);
        p.lifelong_frailty = crate::scenario::types::Share(1.0);
        let f = Frailty::new(&p);
        assert_eq!(f.weight(ALIVE | LIFELONG, 50), f.weight(ALIVE, 50));
    }

    #[test]
    fn lifelong_limitation_follows_the_loonwaarde() {
        let p = params();
        let (np, pp) = (&p.needs, &p.participatie);
        let n = 200_000u32;
        let mut with = 0;
        for id in 0..n {
            let (lw, lvb) = crate::model::labour::draw_loonwaarde(pp, 7, id);
            match lifelong_limitation(np, pp, 7, id) {
                Some((s, _)) => {
                    with += 1;
                    assert!(!lvb && lw < 60, "only the early disabled");
                    assert!((25..=60).contains(&s), "severity {s}");
                    // Lower loonwaarde, heavier limitation.
                    let expect = 25.0 + 35.0 * (1.0 - f64::from(lw) / 60.0);
                    assert!((f64::from(s) - expect).abs() <= 0.5);
                }
                None => assert!(lvb || lw >= 60),
            }
        }
        let share = f64::from(with) / f64::from(n);
        let want = pp.loonwaarde.early_disability_share.get();
        assert!((share - want).abs() < 0.002, "{share} vs {want}");
    }

    #[test]
    fn hours_rise_with_severity() {
        assert_eq!(need_hours(5), 0.0);
        assert!(need_hours(60) > need_hours(30));
        assert!((need_hours(60) - 20.0).abs() < 1e-9);
    }
}
