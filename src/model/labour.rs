//! Phase 7 of a month: work and income (Participatiewet, Wajong, Wsw, beschut werk).
//!
//! Every citizen from 18 to the AOW age has a labour status and a loonwaarde (wage value).
//! One month runs in four steps:
//! 1. `transitions` (parallel, read-only, then applied): education, job loss and finding on
//!    the regular labour market (hazards that follow the macro unemployment rate and fall with
//!    the distance to the labour market), WW running out, the household means test for
//!    bijstand, debts, sanctions, and the gemeente's choice of instrument per client, which
//!    weighs its own cost against the bijstand it expects to save (facts.md MC15-MC17, MC21,
//!    MC23).
//! 2. `employer_pool` (sequential, per arbeidsmarktregio): placements break down unless every
//!    party keeps up its effort (MC20); willing employers with a free slot post vacancies; the
//!    best-scoring candidates (high loonwaarde, physical rather than psychological
//!    limitations, MC19) are hired, with a wage-cost subsidy (LKS) or via the Wajong; a
//!    young disabled person needs a UWV assessment (the doelgroepregister) before an LKS.
//! 3. `sheltered`: Wsw admissions from the waiting list while the Wsw is open, and the beschut
//!    werk places the gemeente must offer under the obligation.
//! 4. `money` and `measure`: bijstand, reintegration, Wsw and Wajong spending per gemeente;
//!    counts; and the cohorts of `cohorts.csv`.

use super::indicators::GemeenteFlows;
use super::streams as ps;
use super::world::{
    ADULT, ALIVE, LIFELONG, MENTAL, NONE, UNDRAWN, World, instrument as ins, labour_status as st,
    pw,
};
use crate::engine::{Month, Stream, StreamKey, map_chunks};
use crate::scenario::params::{Params, ParticipatieParams};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Yearly probability that someone whose loonwaarde fell below the sheltered line leaves a
/// regular job for a disability benefit (WIA, UWV). Assumption.
const HEALTH_EXIT: f64 = 0.2;
/// Yearly probability that a nugger stops looking (discouraged). Assumption.
const NUGGER_QUIT: f64 = 0.15;
/// Yearly probability of leaving the Wsw or beschut werk before the AOW age. Assumption.
const SHELTERED_EXIT: f64 = 0.02;
/// Factor on the break rate of a regular placement for someone in the sheltered target group
/// (who can only work in adapted conditions). Assumption.
const SHELTERED_IN_REGULAR: f64 = 3.0;
/// Score points a jobcoach adds for an employer. Assumption.
const COACH_BONUS: f64 = 10.0;
/// Immigrants (other than status holders) in work on arrival. Assumption.
const IMMIGRANT_EMPLOYED: f64 = 0.6;

/// Probability within a month of an event with yearly probability `yearly`, its hazard
/// multiplied by `factor`.
#[inline]
fn monthly_prob(yearly: f64, factor: f64) -> f64 {
    if yearly >= 1.0 {
        return 1.0;
    }
    1.0 - ((1.0 - yearly).ln() * factor / 12.0).exp()
}

/// A yearly hazard turned into monthly probabilities with its logarithm taken once a month:
/// [`Hazard::prob`] is bit for bit `monthly_prob(yearly, factor)`, without the `ln` (and,
/// at factor 1, without the `exp`) per citizen (issue #8: these were a seventh of a month).
/// The month's usual factor is computed once too.
#[derive(Clone, Copy, Debug)]
struct Hazard {
    yearly: f64,
    ln_keep: f64,
    /// The factor most citizens have this month, and the probability at it.
    usual: (f64, f64),
}

impl Hazard {
    fn new(yearly: f64, usual_factor: f64) -> Hazard {
        Hazard {
            yearly,
            ln_keep: if yearly >= 1.0 {
                0.0
            } else {
                (1.0 - yearly).ln()
            },
            usual: (usual_factor, monthly_prob(yearly, usual_factor)),
        }
    }

    /// `monthly_prob(yearly, factor)`.
    #[inline]
    fn prob(&self, factor: f64) -> f64 {
        if self.yearly >= 1.0 {
            return 1.0;
        }
        if factor == self.usual.0 {
            return self.usual.1;
        }
        1.0 - (self.ln_keep * factor / 12.0).exp()
    }
}

/// The month's hazards of the labour transitions.
struct Hazards {
    education_exit: f64,
    health_exit: f64,
    job_loss: Hazard,
    inactivity: f64,
    job_finding: Hazard,
    bijstand_other_exit: f64,
    nugger_quit: f64,
    sheltered_exit: f64,
    return_to_work: f64,
    debt_resolve: f64,
    debt_onset_low_income: f64,
    debt_onset_working: f64,
}

impl Hazards {
    /// `loss_factor`: the month's factor on the job-loss hazard (the macro economy).
    fn new(pp: &ParticipatieParams, loss_factor: f64) -> Hazards {
        let at_one = |yearly: f64| monthly_prob(yearly, 1.0);
        let d = &pp.debts;
        Hazards {
            education_exit: at_one(pp.education_exit_rate.get()),
            health_exit: at_one(HEALTH_EXIT),
            job_loss: Hazard::new(pp.job_loss_rate.get(), loss_factor),
            inactivity: at_one(pp.inactivity_rate.get()),
            job_finding: Hazard::new(pp.job_finding_rate.get(), 1.0),
            bijstand_other_exit: at_one(pp.bijstand_other_exit.get()),
            nugger_quit: at_one(NUGGER_QUIT),
            sheltered_exit: at_one(SHELTERED_EXIT),
            return_to_work: at_one(pp.return_rate.get()),
            debt_resolve: at_one(d.resolve_rate.get()),
            debt_onset_low_income: at_one(d.onset_low_income.get()),
            debt_onset_working: at_one(d.onset_working.get()),
        }
    }
}

/// Severity points above 10 that raise the job-loss hazard (`limitation_job_loss`); none for a
/// lifelong limitation, which the job was found with (the loonwaarde at 18 reflects it).
#[inline]
fn health_points(severity: u8, flags: u8) -> f64 {
    if flags & LIFELONG != 0 {
        0.0
    } else {
        (f64::from(severity) - 10.0).max(0.0)
    }
}

/// True for the statuses that are paid work.
#[inline]
pub fn working(status: u8) -> bool {
    matches!(status, st::EMPLOYED | st::WSW | st::BESCHUT)
}

/// True for the unemployed statuses the gemeente or UWV deal with.
#[inline]
fn unemployed(status: u8) -> bool {
    matches!(status, st::WW | st::BIJSTAND | st::NUGGER | st::WAJONG)
}

/// Effective loonwaarde: the value at 18 lowered by a limitation and a psychological problem
/// (not by a lifelong limitation from childhood, which the value at 18 already reflects).
#[inline]
pub fn effective_loonwaarde(p: &ParticipatieParams, base: u8, severity: u8, flags: u8) -> f64 {
    if base == UNDRAWN {
        return 100.0;
    }
    if flags & LIFELONG != 0 {
        return f64::from(base);
    }
    let l = &p.loonwaarde;
    let mut v = f64::from(base) - l.severity_effect.get() * (f64::from(severity) - 20.0).max(0.0);
    if flags & MENTAL != 0 {
        v -= l.mental_effect.get();
    }
    v.clamp(0.0, 100.0)
}

/// The pool of employers who could take on workers with a reduced loonwaarde.
#[derive(Clone, Debug, Default)]
pub struct Employers {
    /// Arbeidsmarktregio.
    pub region: Vec<u16>,
    /// Willing to employ the target groups (facts.md E12).
    pub willing: Vec<bool>,
    /// Slots for such workers.
    pub slots: Vec<u16>,
    /// Lowest score the employer accepts.
    pub threshold: Vec<u8>,
}

/// Set-up and state of the labour market that is not per citizen.
#[derive(Clone, Debug)]
pub struct LabourState {
    /// Arbeidsmarktregio of each gemeente.
    pub region_of: Vec<u16>,
    /// Inhabitants per arbeidsmarktregio at the start (national scale).
    pub region_population: Vec<f64>,
    /// Inhabitants per gemeente at the start (national scale).
    pub gemeente_population: Vec<f64>,
    /// The employer pool.
    pub employers: Employers,
    /// Banenafspraak slots added so far (agents).
    pub banen_added: u32,
    /// Per region: the gemeente's estimate of the monthly chance that a mediated candidate is
    /// placed (learned from last year's placements).
    pub placement_belief: Vec<f64>,
    /// Per region this year: mediated candidate-months, and their placements.
    pub placement_count: Vec<[u32; 2]>,
    /// Cohorts followed for `cohorts.csv`.
    pub cohorts: Cohorts,
    /// Pool placements this month (for the indicator).
    pub placed_this_month: u32,
}

impl LabourState {
    /// Builds the employer pool and regional figures.
    pub fn new(world: &World, p: &ParticipatieParams) -> LabourState {
        let geo = &world.geography;
        let n_r = geo.arbeidsmarktregios.len();
        let region_of: Vec<u16> = geo.gemeenten.iter().map(|g| g.arbeidsmarktregio).collect();
        let mut region_population = vec![0.0; n_r];
        for g in &geo.gemeenten {
            region_population[usize::from(g.arbeidsmarktregio)] += g.population as f64;
        }
        let gemeente_population = geo.gemeenten.iter().map(|g| g.population as f64).collect();
        let e = &p.employers;
        let mut employers = Employers::default();
        for (r, pop) in region_population.iter().enumerate() {
            let expected = e.per_1000.get() * pop / 1000.0 * world.scale;
            let mut rng = Stream::new(world.seed, ps::LABOUR_EMPLOYERS, r as u64, 0);
            let n = expected.floor() as u64 + u64::from(rng.chance(expected.fract()));
            for k in 0..n {
                let mut r2 = Stream::new(world.seed, ps::LABOUR_EMPLOYERS, (r as u64) << 32 | k, 1);
                let willing = r2.chance(e.willing_share.get());
                // Slots: geometric around the mean, so a few employers take most workers.
                let mut slots = 0u16;
                if willing {
                    let q = e.slots.get() / (1.0 + e.slots.get());
                    while slots < 50 && r2.chance(q) {
                        slots += 1;
                    }
                }
                employers.region.push(r as u16);
                employers.willing.push(willing);
                employers.slots.push(slots);
                employers.threshold.push((50.0 + 50.0 * r2.uniform()) as u8);
            }
        }
        LabourState {
            region_of,
            region_population,
            gemeente_population,
            employers,
            banen_added: 0,
            placement_belief: vec![0.01; n_r],
            placement_count: vec![[0; 2]; n_r],
            cohorts: Cohorts::default(),
            placed_this_month: 0,
        }
    }
}

/// Draws the loonwaarde at 18 and the LVB flag.
pub(crate) fn draw_loonwaarde(p: &ParticipatieParams, seed: u64, id: u32) -> (u8, bool) {
    let l = &p.loonwaarde;
    let mut rng = Stream::new(seed, ps::LABOUR_LOONWAARDE, u64::from(id), 0);
    let u = rng.uniform();
    if u < l.lvb_share.get() {
        let min = l.lvb_min.get().min(100.0);
        ((min + (100.0 - min) * rng.uniform()) as u8, true)
    } else if u < l.lvb_share.get() + l.early_disability_share.get() {
        ((60.0 * rng.uniform()) as u8, false)
    } else {
        (100, false)
    }
}

/// Gives every adult at the start of the warm-up a loonwaarde and a plausible status; the
/// warm-up then lets the labour market settle.
pub fn initialise(world: &mut World, p: &Params, month: Month) {
    let pp = &p.participatie;
    let aow = (pp.aow_age.at(month).get() * 12.0) as u32;
    let c = &mut world.citizens;
    for i in 0..c.len() {
        if c.flags[i] & ALIVE == 0 {
            continue;
        }
        let age_m = month.0.saturating_sub(u32::from(c.birth[i]));
        if u32::from(c.birth[i]) > month.0 || age_m < 18 * 12 {
            continue;
        }
        let id = c.id[i];
        let (lw, lvb) = draw_loonwaarde(pp, world.seed, id);
        c.loonwaarde[i] = lw;
        if lvb {
            c.pw[i] |= pw::LVB;
        }
        c.labour_month[i] = month.0 as u16;
        if age_m >= aow {
            c.labour[i] = st::PENSION;
            continue;
        }
        let eff = effective_loonwaarde(pp, lw, c.severity[i], c.flags[i]);
        let l = &pp.loonwaarde;
        let mut rng = Stream::new(world.seed, ps::LABOUR_MOVE, u64::from(id), 0);
        let age = age_m / 12;
        c.labour[i] = if eff < l.no_capacity.get() {
            c.pw[i] |= pw::WAJONG;
            st::INACTIVE
        } else if eff < l.sheltered.get() {
            c.pw[i] |= pw::SHELTERED;
            if rng.chance(0.8) {
                st::WSW
            } else {
                st::INACTIVE
            }
        } else if eff < l.regular.get() && lw < 80 {
            if rng.chance(0.4) {
                c.pw[i] |= pw::WAJONG;
                st::WAJONG
            } else {
                st::INACTIVE
            }
        } else if age < 25 && rng.chance(0.85 - 0.12 * f64::from(age - 18)) {
            st::EDUCATION
        } else {
            let u = rng.uniform();
            if u < 0.8 {
                st::EMPLOYED
            } else if u < 0.92 {
                st::INACTIVE
            } else if u < 0.97 {
                st::BIJSTAND
            } else {
                st::WW
            }
        };
    }
}

/// What the month changes for one citizen.
#[derive(Clone, Copy, Debug)]
struct Change {
    i: u32,
    labour: u8,
    instrument: u8,
    pw: u8,
    until: u16,
    /// The labour status is new: restart the spell clock.
    new_spell: bool,
    /// Entered the labour market this month.
    entered: bool,
    loonwaarde: u8,
}

/// Month-level values every citizen's update needs.
struct Ctx<'a> {
    p: &'a ParticipatieParams,
    m: u32,
    aow: u32,
    find_factor: f64,
    loss_factor: f64,
    wsw_open: bool,
    wajong_open: bool,
    belief: &'a [f64],
    region_of: &'a [u16],
    hz: Hazards,
}

impl Ctx<'_> {
    /// Distance to the labour market.
    fn distance(&self, age: u32, months_out: u32, flags: u8, pwf: u8) -> f64 {
        let d = &self.p.distance;
        let mut x = self.p.scarring.get() * f64::from(months_out) / 12.0;
        if age >= 55 {
            x += d.older.get();
        }
        if flags & (MENTAL | LIFELONG) == MENTAL {
            x += d.mental.get();
        }
        if pwf & pw::LVB != 0 {
            x += d.lvb.get();
        }
        if pwf & pw::DEBT != 0 {
            x += d.debt.get();
        }
        x
    }

    /// Monthly probability of finding a regular job with instrument `instr`.
    fn find_prob(&self, eff: f64, dist: f64, instr: u8, pwf: u8) -> f64 {
        if eff < self.p.loonwaarde.regular.get() {
            return 0.0;
        }
        let mut factor = self.find_factor * (-dist).exp();
        // Instruments work only once debts are sorted out (facts.md MC23).
        if pwf & pw::DEBT == 0 {
            let ins_p = &self.p.instruments;
            factor *= match instr {
                // Light instruments help those close to work (MC16).
                ins::LIGHT => 1.0 + ins_p.light.effect.get() * (-dist).exp(),
                ins::PARTICIPATIEPLAATS => 1.0 + ins_p.participatieplaats.effect.get(),
                _ => 1.0,
            };
        }
        self.hz.job_finding.prob(factor)
    }
}

/// Expected months out of work within `t` months at a monthly exit probability `h`.
fn months_out(h: f64, t: f64) -> f64 {
    if h <= 0.0 {
        return t;
    }
    (1.0 - (1.0 - h).powf(t)) / h
}

/// Wage-cost subsidy for a worker with effective loonwaarde `eff`, euros a month.
pub fn lks_cost(p: &ParticipatieParams, eff: f64) -> f64 {
    (100.0 - eff).max(0.0) / 100.0 * p.instruments.minimum_wage_eur.get()
}

/// The gemeente's choice of instrument for an unemployed client (facts.md MC15-MC17): the
/// option with the highest expected gain over the horizon (saved benefit and the value it puts
/// on work, minus its own cost), none if no option gains.
#[allow(clippy::too_many_arguments)]
fn choose(
    ctx: &Ctx,
    status: u8,
    eff: f64,
    dist: f64,
    pwf: u8,
    region: usize,
    find_none: f64,
    rng: &mut Stream,
) -> (u8, u16) {
    let p = ctx.p;
    let g = &p.gemeente;
    let ip = &p.instruments;
    let l = &p.loonwaarde;
    // UWV, not the gemeente, deals with WW and Wajong.
    if !matches!(status, st::BIJSTAND | st::NUGGER) {
        return (ins::NONE, 0);
    }
    let benefit = if status == st::BIJSTAND {
        ip.bijstand_eur.get() * g.buig_share.get()
    } else {
        0.0
    };
    let value = benefit + g.social_value_eur.get();
    let t = g.horizon_months.get();
    let base_out = months_out(find_none, t);
    let lks = p.rules.lks_entitlement.at(Month(ctx.m));
    let mut best = (0.0, ins::NONE, 0.0);
    // The professional's judgement of what an option brings varies between clients.
    let spread = g.judgement_spread.get();
    let mut consider = |benefit: f64, cost: f64, which: u8, months: f64| {
        let gain = benefit * (spread * rng.normal() - spread * spread / 2.0).exp() - cost;
        if gain > best.0 {
            best = (gain, which, months);
        }
    };
    if eff >= l.regular.get() {
        for (which, inst) in [
            (ins::LIGHT, &ip.light),
            (ins::PARTICIPATIEPLAATS, &ip.participatieplaats),
        ] {
            let h = ctx.find_prob(eff, dist, which, pwf);
            let out = months_out(h, t);
            let paid = months_out(h, inst.months.get().min(t));
            // Saved benefit and work, plus the client's participation while in it.
            consider(
                value * (base_out - out) + g.social_value_eur.get() * paid,
                inst.cost_eur.get() * paid,
                which,
                inst.months.get(),
            );
        }
    } else if eff >= l.sheltered.get() && lks {
        // Mediation to employers; once placed the gemeente pays the wage-cost subsidy.
        let h = ctx.belief[region];
        let out = months_out(h, t);
        let subsidy = lks_cost(p, eff);
        consider(
            (value - subsidy) * (t - out),
            ip.mediation_eur.get() * out,
            ins::LKS,
            12.0,
        );
        let hc = (h * 1.5).min(1.0);
        let outc = months_out(hc, t);
        consider(
            (value - subsidy - ip.jobcoach_eur.get()) * (t - outc),
            ip.mediation_eur.get() * outc,
            ins::JOBCOACH,
            12.0,
        );
    }
    if best.1 == ins::NONE {
        return (ins::NONE, (ctx.m + 12) as u16);
    }
    (best.1, (ctx.m as f64 + best.2) as u16)
}

/// Phase 7a: the month's transitions on the regular labour market and the gemeente's choices.
pub fn transitions(world: &mut World, p: &Params, state: &mut LabourState, month: Month) {
    let pp = &p.participatie;
    let m = month.0;
    let u = pp.unemployment.at(month).get().max(0.001);
    let tight = (pp.reference_unemployment.get() / u).powf(pp.macro_elasticity.get());
    let ctx = Ctx {
        p: pp,
        m,
        aow: (pp.aow_age.at(month).get() * 12.0) as u32,
        find_factor: tight,
        loss_factor: 1.0 / tight,
        wsw_open: pp.rules.wsw_open.at(month),
        wajong_open: pp.rules.wajong_open.at(month),
        belief: &state.placement_belief,
        region_of: &state.region_of,
        hz: Hazards::new(pp, 1.0 / tight),
    };
    let hz = &ctx.hz;
    // The job-loss hazard by severity (limitations raise it), once a month: the same
    // expression as per citizen; `health_points` is 0 for lifelong limitations, as at 0.
    let job_loss: [f64; 256] = std::array::from_fn(|s| {
        hz.job_loss.prob(
            ctx.loss_factor
                * (1.0 + pp.limitation_job_loss.get() * health_points(s as u8, 0) / 10.0),
        )
    });
    let imm_bijstand = pp.immigrant_bijstand_share.at(month).get();
    let key = StreamKey::new(world.seed, ps::LABOUR_MOVE, m);
    let seed = world.seed;
    let l = &pp.loonwaarde;
    let changes: Vec<Change> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                let flags = c.flags[i];
                if flags & ALIVE == 0 || u32::from(c.birth[i]) > m {
                    continue;
                }
                let age_m = m - u32::from(c.birth[i]);
                if age_m < 18 * 12 {
                    continue;
                }
                let age = age_m / 12;
                let old = (c.labour[i], c.instrument[i], c.pw[i], c.instrument_until[i]);
                let (mut lab, mut instr, mut pwf, mut until) = old;
                let mut lw = c.loonwaarde[i];
                let mut new_spell = false;
                let entered = lab == st::NONE && age_m < ctx.aow;
                let mut rng = key.stream(u64::from(c.id[i]));
                let hh = c.household[i] as usize;
                // The household means test: a working partner's income, or parents' duty of
                // maintenance for a young adult at home, rule out bijstand.
                // Evaluated only where it matters (most adults work): it reads the household.
                let eligible = || {
                    let partner_income = flags & ADULT != 0
                        && h.adults[hh].iter().any(|&a| {
                            a != NONE
                                && a as usize != i
                                && (matches!(
                                    c.labour[a as usize],
                                    st::EMPLOYED | st::WW | st::WSW | st::BESCHUT | st::PENSION
                                ) || c.pw[a as usize] & pw::WAJONG != 0)
                        });
                    // A young adult at home whose parents work: the parents' duty of maintenance.
                    let parents_income = flags & ADULT == 0
                        && age < u32::from(pp.bijstand_own_age)
                        && h.adults[hh].iter().any(|&a| {
                            a != NONE
                                && matches!(
                                    c.labour[a as usize],
                                    st::EMPLOYED | st::WSW | st::BESCHUT
                                )
                        });
                    !partner_income && !parents_income
                };
                let region = usize::from(ctx.region_of[h.gemeente[hh] as usize]);
                // Where someone without work and without WW ends up.
                let fallback = |pwf: u8, rng: &mut Stream| -> u8 {
                    if pwf & pw::WAJONG != 0 {
                        st::WAJONG
                    } else if eligible() {
                        st::BIJSTAND
                    } else if pwf & pw::YOUNG_DISABLED != 0 || rng.chance(pp.nugger_share.get()) {
                        // The young disabled are registered with the gemeente (doelgroep).
                        st::NUGGER
                    } else {
                        st::INACTIVE
                    }
                };
                if age_m >= ctx.aow {
                    if lab != st::PENSION {
                        lab = st::PENSION;
                        instr = ins::NONE;
                        pwf &= !(pw::WAJONG | pw::WSW_WAIT | pw::SANCTION | pw::PLACED);
                        new_spell = true;
                    }
                } else if lab == st::NONE {
                    // Entering the labour market: at 18, or on arrival as an immigrant.
                    let (base, lvb) = if lw == UNDRAWN {
                        draw_loonwaarde(pp, seed, c.id[i])
                    } else {
                        (lw, pwf & pw::LVB != 0)
                    };
                    lw = base;
                    if lvb {
                        pwf |= pw::LVB;
                    }
                    let eff = effective_loonwaarde(pp, lw, c.severity[i], flags);
                    new_spell = true;
                    lab = if eff < l.no_capacity.get() {
                        // No capacity to work: the Wajong stays open for them.
                        pwf |= pw::WAJONG;
                        st::INACTIVE
                    } else if age <= 18 && eff < l.regular.get() {
                        pwf |= pw::YOUNG_DISABLED;
                        if ctx.wajong_open {
                            pwf |= pw::WAJONG;
                        }
                        fallback(pwf, &mut rng)
                    } else if age <= 18 {
                        if rng.chance(pp.education_at_18.get()) {
                            st::EDUCATION
                        } else {
                            fallback(pwf, &mut rng)
                        }
                    } else if rng.chance(imm_bijstand) {
                        st::BIJSTAND
                    } else if rng.chance(IMMIGRANT_EMPLOYED) && eff >= l.regular.get() {
                        st::EMPLOYED
                    } else {
                        fallback(pwf, &mut rng)
                    };
                } else {
                    let eff = effective_loonwaarde(pp, lw, c.severity[i], flags);
                    let months_in = m.saturating_sub(u32::from(c.labour_month[i]));
                    let dist = ctx.distance(age, months_in, flags, pwf);
                    let sheltered = eff < l.sheltered.get() && eff >= l.no_capacity.get();
                    if sheltered {
                        pwf |= pw::SHELTERED;
                    } else {
                        pwf &= !pw::SHELTERED;
                    }
                    if sheltered && ctx.wsw_open && lab != st::WSW && lab != st::EDUCATION {
                        pwf |= pw::WSW_WAIT;
                    } else if !ctx.wsw_open || !sheltered || lab == st::WSW {
                        pwf &= !pw::WSW_WAIT;
                    }
                    let next = match lab {
                        st::EDUCATION => {
                            if age >= 30 || rng.chance(hz.education_exit) {
                                if eff >= l.regular.get() && rng.chance(pp.school_to_job.get()) {
                                    st::EMPLOYED
                                } else {
                                    fallback(pwf, &mut rng)
                                }
                            } else {
                                lab
                            }
                        }
                        st::EMPLOYED => {
                            if pwf & pw::PLACED != 0 {
                                // Pool placements end in the employer step.
                                lab
                            } else if eff < l.sheltered.get() && rng.chance(hz.health_exit) {
                                st::INACTIVE
                            } else if rng.chance(
                                job_loss[usize::from(if flags & LIFELONG != 0 {
                                    0
                                } else {
                                    c.severity[i]
                                })],
                            ) {
                                st::WW
                            } else if rng.chance(hz.inactivity) {
                                st::INACTIVE
                            } else {
                                lab
                            }
                        }
                        st::WW => {
                            if rng.chance(ctx.find_prob(eff, dist, ins::NONE, pwf)) {
                                st::EMPLOYED
                            } else if rng.chance(1.0 / pp.ww_months.get().max(1.0)) {
                                fallback(pwf, &mut rng)
                            } else {
                                lab
                            }
                        }
                        st::BIJSTAND | st::NUGGER | st::WAJONG => {
                            if rng.chance(ctx.find_prob(eff, dist, instr, pwf)) {
                                st::EMPLOYED
                            } else if lab == st::BIJSTAND && !eligible() {
                                if rng.chance(pp.nugger_share.get()) {
                                    st::NUGGER
                                } else {
                                    st::INACTIVE
                                }
                            } else if lab == st::BIJSTAND && rng.chance(hz.bijstand_other_exit) {
                                // Other income: a disability benefit, maintenance, a partner.
                                st::INACTIVE
                            } else if lab == st::NUGGER && eligible() {
                                st::BIJSTAND
                            } else if lab == st::NUGGER && rng.chance(hz.nugger_quit) {
                                st::INACTIVE
                            } else {
                                lab
                            }
                        }
                        st::WSW | st::BESCHUT => {
                            if rng.chance(hz.sheltered_exit) {
                                fallback(pwf, &mut rng)
                            } else {
                                lab
                            }
                        }
                        st::INACTIVE => {
                            if eff >= l.no_capacity.get()
                                && pwf & pw::WAJONG == 0
                                && rng.chance(hz.return_to_work)
                            {
                                if eff >= l.regular.get() && rng.chance(pp.school_to_job.get()) {
                                    st::EMPLOYED
                                } else {
                                    fallback(pwf, &mut rng)
                                }
                            } else {
                                lab
                            }
                        }
                        _ => lab,
                    };
                    if next != lab {
                        // The spell clock counts time in or out of work.
                        new_spell = working(next) != working(lab);
                        lab = next;
                        if !unemployed(lab) || working(lab) {
                            instr = ins::NONE;
                        }
                    }
                    // Debts (facts.md MC23, MC59).
                    if pwf & pw::DEBT != 0 {
                        if rng.chance(hz.debt_resolve) {
                            pwf &= !pw::DEBT;
                        }
                    } else if unemployed(lab) {
                        if rng.chance(hz.debt_onset_low_income) {
                            pwf |= pw::DEBT;
                        }
                    } else if working(lab) && rng.chance(hz.debt_onset_working) {
                        pwf |= pw::DEBT;
                    }
                    // Sanctions: a benefit cut for about three months; it can push the
                    // household into debts (facts.md MC21).
                    let g = &pp.gemeente;
                    if pwf & pw::SANCTION != 0 {
                        if rng.chance(1.0 / 3.0) || lab != st::BIJSTAND {
                            pwf &= !pw::SANCTION;
                        }
                    } else if lab == st::BIJSTAND
                        && instr != ins::NONE
                        && rng.chance(g.sanction_rate.get())
                    {
                        pwf |= pw::SANCTION;
                        if rng.chance(g.sanction_debt_risk.get()) {
                            pwf |= pw::DEBT;
                        }
                    }
                    // The gemeente's choice: at the start of a spell and at each review.
                    if matches!(lab, st::BIJSTAND | st::NUGGER)
                        && (lab != old.0
                            || u32::from(until) <= m
                            || instr == ins::NONE && months_in % 12 == 0)
                    {
                        let d2 = if new_spell {
                            ctx.distance(age, 0, flags, pwf)
                        } else {
                            dist
                        };
                        let none = ctx.find_prob(eff, d2, ins::NONE, pwf);
                        let (ci, cu) = choose(&ctx, lab, eff, d2, pwf, region, none, &mut rng);
                        instr = ci;
                        until = cu;
                    }
                }
                if (lab, instr, pwf, until) != old || lw != c.loonwaarde[i] || new_spell {
                    out.push(Change {
                        i: i as u32,
                        labour: lab,
                        instrument: instr,
                        pw: pwf,
                        until,
                        new_spell,
                        entered,
                        loonwaarde: lw,
                    });
                }
            }
            out
        })
        .into_iter()
        .flatten()
        .collect()
    };
    // Participatieplaatsen need workplaces: a limited number per gemeente; clients beyond it
    // get a light instrument instead.
    let n_g = state.gemeente_population.len();
    let mut pp_free: Vec<i64> = state
        .gemeente_population
        .iter()
        .map(|pop| {
            (pp.instruments.participatieplaats_per_1000.get() * pop / 1000.0 * world.scale).round()
                as i64
        })
        .collect();
    {
        let c = &world.citizens;
        let taken = map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i] & ALIVE != 0 && c.instrument[i] == ins::PARTICIPATIEPLAATS)
                .map(|i| world.households.gemeente[c.household[i] as usize])
                .collect::<Vec<u16>>()
        });
        for &g in taken.iter().flatten() {
            pp_free[usize::from(g)] -= 1;
        }
    }
    debug_assert_eq!(pp_free.len(), n_g);
    let light_months = pp.instruments.light.months.get();
    let c = &mut world.citizens;
    for mut ch in changes {
        let i = ch.i as usize;
        if ch.instrument == ins::PARTICIPATIEPLAATS && c.instrument[i] != ins::PARTICIPATIEPLAATS {
            let g = world.households.gemeente[c.household[i] as usize] as usize;
            if pp_free[g] > 0 {
                pp_free[g] -= 1;
            } else {
                ch.instrument = ins::LIGHT;
                ch.until = (f64::from(m) + light_months) as u16;
            }
        } else if c.instrument[i] == ins::PARTICIPATIEPLAATS
            && ch.instrument != ins::PARTICIPATIEPLAATS
        {
            let g = world.households.gemeente[c.household[i] as usize] as usize;
            pp_free[g] += 1;
        }
        c.labour[i] = ch.labour;
        c.instrument[i] = ch.instrument;
        c.pw[i] = ch.pw;
        c.instrument_until[i] = ch.until;
        c.loonwaarde[i] = ch.loonwaarde;
        if ch.new_spell {
            c.labour_month[i] = m as u16;
        }
        if ch.entered && ch.pw & pw::YOUNG_DISABLED != 0 {
            state.cohorts.young_disabled_entered(c.id[i], month);
        }
    }
}

/// One candidate for a vacancy at a pool employer.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    score: f64,
    agent: u32,
    payer: u8,
}

/// Phase 7b: the employer pool per arbeidsmarktregio (facts.md MC19, MC20).
pub fn employer_pool(world: &mut World, p: &Params, state: &mut LabourState, month: Month) {
    let pp = &p.participatie;
    let e = &pp.employers;
    let l = &pp.loonwaarde;
    let m = month.0;
    let seed = world.seed;
    let n_r = state.region_population.len();
    let lks_right = pp.rules.lks_entitlement.at(month);
    // A new year: the gemeente learns the placement chance; banenafspraak slots are added.
    if month.month_of_year() == 1 {
        for (b, cnt) in state
            .placement_belief
            .iter_mut()
            .zip(&state.placement_count)
        {
            // A cautious prior: with no experience yet, about 1% a month.
            *b = (f64::from(cnt[1]) + 1.0) / (f64::from(cnt[0]) + 100.0);
        }
        state.placement_count = vec![[0; 2]; n_r];
        let target = (pp.rules.banenafspraak_jobs.at(month).get() * world.scale).round() as u32;
        let willing: Vec<usize> = (0..state.employers.region.len())
            .filter(|&k| state.employers.willing[k])
            .collect();
        let mut rng = Stream::new(seed, ps::LABOUR_SLOTS, 0, m);
        while state.banen_added < target && !willing.is_empty() {
            let k = willing[rng.below(willing.len() as u64) as usize];
            state.employers.slots[k] = state.employers.slots[k].saturating_add(1);
            state.banen_added += 1;
        }
    }
    let c = &mut world.citizens;
    let jobs = &mut world.placements;
    // Placements end: the worker died, left, retired or lost the job another way; or one party
    // stopped its effort (MC20).
    let k_break = StreamKey::new(seed, ps::LABOUR_BREAK, m);
    let bijstand_value = pp.instruments.bijstand_eur.get() * pp.gemeente.buig_share.get()
        + pp.gemeente.social_value_eur.get();
    let mut keep = vec![true; jobs.len()];
    for (k, kept) in keep.iter_mut().enumerate() {
        let w = jobs.worker[k] as usize;
        if c.flags[w] & ALIVE == 0 || c.labour[w] != st::EMPLOYED || c.pw[w] & pw::PLACED == 0 {
            *kept = false;
            c.pw[w] &= !pw::PLACED;
            continue;
        }
        let mut factor = 1.0;
        if c.instrument[w] == ins::JOBCOACH {
            factor *= e.coach_factor.get();
        }
        if c.pw[w] & pw::DEBT != 0 {
            factor *= 1.5;
        }
        // Someone who can only work in adapted conditions rarely lasts in a regular job.
        if c.pw[w] & pw::SHELTERED != 0 {
            factor *= SHELTERED_IN_REGULAR;
        }
        if jobs.payer[k] == 1 && !lks_right {
            let eff = effective_loonwaarde(pp, c.loonwaarde[w], c.severity[w], c.flags[w]);
            if lks_cost(pp, eff) > bijstand_value {
                factor *= e.unsupported_factor.get();
            }
        }
        if k_break
            .stream(u64::from(c.id[w]))
            .chance(monthly_prob(e.break_rate.get(), factor))
        {
            *kept = false;
            c.pw[w] &= !pw::PLACED;
            c.labour[w] = if c.pw[w] & pw::WAJONG != 0 {
                st::WAJONG
            } else {
                st::BIJSTAND
            };
            c.instrument[w] = ins::NONE;
            c.instrument_until[w] = 0;
            c.labour_month[w] = m as u16;
        }
    }
    jobs.retain(&keep);
    let n_e = state.employers.region.len();
    let mut filled = vec![0u16; n_e];
    for &k in &jobs.employer {
        filled[k as usize] += 1;
    }
    // Vacancies at willing employers with a free slot, more in a tight labour market.
    let u = pp.unemployment.at(month).get().max(0.001);
    let tight = (pp.reference_unemployment.get() / u).powf(pp.macro_elasticity.get());
    let k_vac = StreamKey::new(seed, ps::LABOUR_VACANCY, m);
    let mut vacancies: Vec<Vec<u32>> = vec![Vec::new(); n_r];
    for k in 0..n_e {
        if state.employers.willing[k]
            && filled[k] < state.employers.slots[k]
            && k_vac
                .stream(k as u64)
                .chance(monthly_prob(e.vacancy_rate.get(), tight))
        {
            vacancies[usize::from(state.employers.region[k])].push(k as u32);
        }
    }
    // Candidates: unemployed with a loonwaarde between the sheltered and the regular line.
    // Candidates: found in parallel, listed per region in citizen order.
    let h = &world.households;
    let mut candidates: Vec<Vec<Candidate>> = vec![Vec::new(); n_r];
    let k_search = StreamKey::new(seed, ps::LABOUR_SEARCH, m);
    let found: Vec<Vec<(usize, Candidate)>> = {
        let c = &*c;
        let region_of = &state.region_of;
        map_chunks(c.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                let lab = c.labour[i];
                if c.flags[i] & ALIVE == 0
                    || !matches!(lab, st::BIJSTAND | st::NUGGER | st::WAJONG | st::WW)
                {
                    continue;
                }
                let eff = effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]);
                if eff < l.no_capacity.get() || eff >= l.regular.get() {
                    continue;
                }
                let region = usize::from(region_of[h.gemeente[c.household[i] as usize] as usize]);
                let instr = c.instrument[i];
                let mediated = matches!(instr, ins::LKS | ins::JOBCOACH);
                let wajong = c.pw[i] & pw::WAJONG != 0;
                // UWV mediates Wajongers; others without mediation look on their own now and
                // then.
                if !mediated
                    && !wajong
                    && !k_search
                        .stream(u64::from(c.id[i]))
                        .chance(e.self_search.get())
                {
                    continue;
                }
                // The wage-cost subsidy needs a place in the doelgroepregister: the gemeente
                // mediates, or a young disabled person registered since the Wajong closed.
                let assessed = m.saturating_sub(u32::from(c.labour_month[i]))
                    >= u32::from(pp.rules.assessment_months);
                let registered = mediated || (c.pw[i] & pw::YOUNG_DISABLED != 0 && assessed);
                let payer = if wajong {
                    2
                } else if lks_right && registered {
                    1
                } else {
                    0
                };
                let mut score = eff;
                if payer > 0 {
                    score = 100.0;
                }
                if instr == ins::JOBCOACH {
                    score += COACH_BONUS;
                }
                if c.flags[i] & (MENTAL | LIFELONG) == MENTAL || c.pw[i] & pw::LVB != 0 {
                    score -= e.mental_penalty.get();
                }
                if c.pw[i] & pw::DEBT != 0 {
                    score -= 10.0;
                }
                // Employers prefer the higher loonwaarde even when it is compensated (MC19).
                score += eff / 10.0;
                out.push((
                    region,
                    Candidate {
                        score,
                        agent: i as u32,
                        payer,
                    },
                ));
            }
            out
        })
    };
    for &(region, cand) in found.iter().flatten() {
        if cand.payer == 1 {
            state.placement_count[region][0] += 1;
        }
        candidates[region].push(cand);
    }
    state.placed_this_month = 0;
    for r in 0..n_r {
        let cands = &mut candidates[r];
        cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.agent.cmp(&b.agent)));
        let mut taken = vec![false; cands.len()];
        for &k in &vacancies[r] {
            let threshold = f64::from(state.employers.threshold[k as usize]);
            let Some(j) = (0..cands.len()).find(|&j| !taken[j] && cands[j].score >= threshold)
            else {
                continue;
            };
            taken[j] = true;
            let cand = cands[j];
            let i = cand.agent as usize;
            c.labour[i] = st::EMPLOYED;
            c.pw[i] |= pw::PLACED;
            c.labour_month[i] = m as u16;
            if cand.payer == 1 && !matches!(c.instrument[i], ins::LKS | ins::JOBCOACH) {
                c.instrument[i] = ins::LKS;
            }
            if cand.payer != 1 {
                c.instrument[i] = ins::NONE;
            }
            jobs.push(cand.agent, k, m as u16, cand.payer);
            state.placed_this_month += 1;
            if cand.payer == 1 {
                state.placement_count[r][1] += 1;
            }
        }
    }
}

/// One chunk's part of the sheltered-work survey.
#[derive(Default)]
struct ShelteredSurvey {
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
    let m = month.0;
    let scale = world.scale;
    let total: f64 = state.gemeente_population.iter().sum();
    let n_r = state.region_population.len();
    let n_g = state.gemeente_population.len();
    let wsw_open = pp.rules.wsw_open.at(month);
    let obligation = pp.rules.beschut_obligation.at(month).get();
    // One parallel survey of who works sheltered and who waits or is indicated (chunks in
    // index order, so the lists come out as a sequential scan would make them).
    let survey = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            let mut s = ShelteredSurvey {
                wsw_used: vec![0; n_r],
                beschut_used: vec![0; n_g],
                ..Default::default()
            };
            for i in r {
                if c.flags[i] & ALIVE == 0 {
                    continue;
                }
                let g = h.gemeente[c.household[i] as usize] as usize;
                if wsw_open {
                    let r = usize::from(state.region_of[g]);
                    if c.labour[i] == st::WSW {
                        s.wsw_used[r] += 1;
                    } else if c.pw[i] & pw::WSW_WAIT != 0 {
                        s.waiting.push((c.labour_month[i], i as u32));
                    }
                }
                if obligation > 0.0 {
                    if c.labour[i] == st::BESCHUT {
                        s.beschut_used[g] += 1;
                    } else if c.pw[i] & pw::SHELTERED != 0
                        && matches!(c.labour[i], st::BIJSTAND | st::NUGGER)
                    {
                        s.indicated.push((c.labour_month[i], i as u32));
                    }
                }
            }
            s
        })
    };
    let c = &mut world.citizens;
    let h = &world.households;
    let mut left_beschut = vec![0u32; n_g];
    if wsw_open {
        let places = pp.rules.wsw_places.at(month).get();
        let mut used = vec![0u32; n_r];
        let mut waiting: Vec<(u16, u32)> = Vec::new();
        for part in &survey {
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
                let cap = cap.floor() + f64::from(u8::from(rng.chance(cap.fract())));
                cap as i64 - i64::from(used[r])
            })
            .collect();
        for (_, i) in waiting {
            let i = i as usize;
            let r = usize::from(state.region_of[h.gemeente[c.household[i] as usize] as usize]);
            if free[r] > 0 {
                free[r] -= 1;
                if c.labour[i] == st::BESCHUT {
                    // Leaves a beschut werk place (the survey counted it as used).
                    left_beschut[h.gemeente[c.household[i] as usize] as usize] += 1;
                }
                c.labour[i] = st::WSW;
                c.pw[i] &= !(pw::WSW_WAIT | pw::PLACED);
                c.instrument[i] = ins::NONE;
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
            .map(|&w| c.labour[w as usize] == st::EMPLOYED && c.pw[w as usize] & pw::PLACED != 0)
            .collect();
        if keep.contains(&false) {
            world.placements.retain(&keep);
        }
    }
    if obligation > 0.0 {
        let mut used = vec![0u32; n_g];
        let mut indicated: Vec<(u16, u32)> = Vec::new();
        for part in &survey {
            for (u, x) in used.iter_mut().zip(&part.beschut_used) {
                *u += x;
            }
            indicated.extend_from_slice(&part.indicated);
        }
        // The survey ran before the Wsw admissions: those admitted are no longer
        // indicated, and a beschut worker admitted left a place.
        indicated.retain(|&(_, i)| matches!(c.labour[i as usize], st::BIJSTAND | st::NUGGER));
        for (u, l) in used.iter_mut().zip(&left_beschut) {
            *u -= l;
        }
        indicated.sort_unstable();
        let mut free: Vec<i64> = (0..n_g)
            .map(|g| {
                let q = obligation * state.gemeente_population[g] / total * scale;
                let mut rng = Stream::new(
                    world.seed,
                    ps::LABOUR_QUOTA,
                    (1 << 40) | g as u64,
                    month.year(),
                );
                let q = q.floor() + f64::from(u8::from(rng.chance(q.fract())));
                q as i64 - i64::from(used[g])
            })
            .collect();
        for (_, i) in indicated {
            let i = i as usize;
            let g = h.gemeente[c.household[i] as usize] as usize;
            if free[g] > 0 {
                free[g] -= 1;
                c.labour[i] = st::BESCHUT;
                c.instrument[i] = ins::NONE;
                c.labour_month[i] = m as u16;
            }
        }
    }
}

/// Phase 8 (work and income): spending per gemeente.
pub fn money(world: &World, p: &Params, flows: &mut [GemeenteFlows]) {
    let pp = &p.participatie;
    let ip = &pp.instruments;
    let c = &world.citizens;
    let h = &world.households;
    let n_g = flows.len();
    let parts = map_chunks(c.len(), |r| {
        let mut out = vec![[0.0f64; 6]; n_g];
        for i in r {
            if c.flags[i] & ALIVE == 0 || c.labour[i] == st::NONE {
                continue;
            }
            let before: f64 = out[h.gemeente[c.household[i] as usize] as usize][..3]
                .iter()
                .sum();
            let g = h.gemeente[c.household[i] as usize] as usize;
            let lab = c.labour[i];
            let o = &mut out[g];
            if lab == st::BIJSTAND {
                let cut = if c.pw[i] & pw::SANCTION != 0 {
                    pp.gemeente.sanction_cut.get()
                } else {
                    0.0
                };
                o[0] += ip.bijstand_eur.get() * (1.0 - cut);
            }
            o[1] += match (lab, c.instrument[i]) {
                (st::BESCHUT, _) => ip.beschut_eur.get(),
                (_, ins::LIGHT) => ip.light.cost_eur.get(),
                (_, ins::PARTICIPATIEPLAATS) => ip.participatieplaats.cost_eur.get(),
                (st::EMPLOYED, ins::LKS) => lks_cost(
                    pp,
                    effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]),
                ),
                (st::EMPLOYED, ins::JOBCOACH) => {
                    lks_cost(
                        pp,
                        effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]),
                    ) + ip.jobcoach_eur.get()
                }
                (_, ins::LKS | ins::JOBCOACH) => ip.mediation_eur.get(),
                _ => 0.0,
            };
            if lab == st::WSW {
                o[2] += ip.wsw_eur.get();
            }
            if c.pw[i] & pw::WAJONG != 0 {
                o[3] += if lab == st::EMPLOYED {
                    0.5 * ip.wajong_eur.get()
                } else {
                    ip.wajong_eur.get()
                };
            }
            // The gemeente's part (bijstand, reintegration, Wsw), for stacking.
            let mine = o[..3].iter().sum::<f64>() - before;
            o[4] += mine;
            if super::gemeente::stacked(c.laws[i]) {
                o[5] += mine;
            }
        }
        out
    });
    for part in parts {
        for (f, x) in flows.iter_mut().zip(part) {
            f.bijstand_eur += x[0];
            f.reintegration_eur += x[1];
            f.wsw_eur += x[2];
            f.wajong_eur += x[3];
            f.law_spending_eur += x[4];
            f.stacked_eur += x[5];
        }
    }
}

/// National labour counts of one month.
#[derive(Clone, Debug, Default)]
pub struct LabourTally {
    /// Persons by labour status (index: the status).
    pub by_status: [u32; 11],
    /// Klassieke bijstand: bijstand, not young disabled nor in the sheltered target group.
    pub bijstand_klassiek: u32,
    /// Of which with an instrument.
    pub klassiek_in_trajectory: u32,
    /// Persons with a Wajong benefit.
    pub wajong: u32,
    /// On the Wsw waiting list.
    pub wsw_waitlist: u32,
    /// In a job with a wage-cost subsidy (LKS).
    pub lks: u32,
    /// In begeleid werk (a job with a jobcoach).
    pub begeleid: u32,
    /// In a participatieplaats.
    pub participatieplaats: u32,
    /// With a light instrument.
    pub light: u32,
    /// Nuggers with an instrument.
    pub nugger_in_trajectory: u32,
    /// With problematic debts (18 to AOW age).
    pub debts: u32,
    /// Young disabled (18 to AOW age).
    pub young_disabled: u32,
    /// Sheltered target group not in Wsw or beschut werk and not working.
    pub sheltered_not_working: u32,
    /// Per gemeente: persons in bijstand.
    pub bijstand_per_gemeente: Vec<u32>,
    /// Pool employers employing at least one target-group worker, and all pool employers.
    pub employers_employing: u32,
    /// All pool employers.
    pub employers: u32,
}

/// Counts the labour market at the end of the month.
pub fn measure(world: &World, state: &LabourState) -> LabourTally {
    let c = &world.citizens;
    let h = &world.households;
    let n_g = world.geography.gemeenten.len();
    let parts = map_chunks(c.len(), |r| {
        let mut t = LabourTally {
            bijstand_per_gemeente: vec![0; n_g],
            ..Default::default()
        };
        for i in r {
            if c.flags[i] & ALIVE == 0 {
                continue;
            }
            let lab = c.labour[i];
            let f = c.pw[i];
            t.by_status[usize::from(lab)] += 1;
            if lab == st::NONE || lab == st::PENSION {
                continue;
            }
            let instr = c.instrument[i];
            if lab == st::BIJSTAND {
                t.bijstand_per_gemeente[h.gemeente[c.household[i] as usize] as usize] += 1;
                if f & (pw::YOUNG_DISABLED | pw::SHELTERED) == 0 {
                    t.bijstand_klassiek += 1;
                    if instr != ins::NONE {
                        t.klassiek_in_trajectory += 1;
                    }
                }
            }
            if lab == st::NUGGER && instr != ins::NONE {
                t.nugger_in_trajectory += 1;
            }
            if f & pw::WAJONG != 0 {
                t.wajong += 1;
            }
            if f & pw::WSW_WAIT != 0 {
                t.wsw_waitlist += 1;
            }
            if f & pw::DEBT != 0 {
                t.debts += 1;
            }
            if f & pw::YOUNG_DISABLED != 0 {
                t.young_disabled += 1;
            }
            if f & pw::SHELTERED != 0 && !working(lab) {
                t.sheltered_not_working += 1;
            }
            match (lab, instr) {
                (st::EMPLOYED, ins::LKS) => t.lks += 1,
                (st::EMPLOYED, ins::JOBCOACH) => t.begeleid += 1,
                (_, ins::PARTICIPATIEPLAATS) => t.participatieplaats += 1,
                (_, ins::LIGHT) => t.light += 1,
                _ => {}
            }
        }
        t
    });
    let mut t = LabourTally {
        bijstand_per_gemeente: vec![0; n_g],
        ..Default::default()
    };
    for x in parts {
        for (a, b) in t.by_status.iter_mut().zip(&x.by_status) {
            *a += b;
        }
        t.bijstand_klassiek += x.bijstand_klassiek;
        t.klassiek_in_trajectory += x.klassiek_in_trajectory;
        t.wajong += x.wajong;
        t.wsw_waitlist += x.wsw_waitlist;
        t.lks += x.lks;
        t.begeleid += x.begeleid;
        t.participatieplaats += x.participatieplaats;
        t.light += x.light;
        t.nugger_in_trajectory += x.nugger_in_trajectory;
        t.debts += x.debts;
        t.young_disabled += x.young_disabled;
        t.sheltered_not_working += x.sheltered_not_working;
        for (a, b) in t
            .bijstand_per_gemeente
            .iter_mut()
            .zip(&x.bijstand_per_gemeente)
        {
            *a += b;
        }
    }
    let mut employing = vec![false; state.employers.region.len()];
    for &k in &world.placements.employer {
        employing[k as usize] = true;
    }
    t.employers = employing.len() as u32;
    t.employers_employing = employing.iter().filter(|&&x| x).count() as u32;
    t
}

/// One person followed in a cohort.
#[derive(Clone, Copy, Debug)]
struct Member {
    id: u32,
    /// Month of entry into the cohort.
    entry: u32,
    /// First month in work within the window (0 = none yet).
    first_work: u32,
    /// First month out of that first job (0 = not yet).
    first_end: u32,
    /// Working in the third year after entry (young disabled).
    working_y3: bool,
    /// Status at the end of the second calendar year (young disabled): bijstand, any benefit.
    bijstand_y2: bool,
    benefit_y2: bool,
}

impl Member {
    fn new(id: u32, entry: u32) -> Member {
        Member {
            id,
            entry,
            first_work: 0,
            first_end: 0,
            working_y3: false,
            bijstand_y2: false,
            benefit_y2: false,
        }
    }
}

/// The cohorts of `cohorts.csv` (see docs/indicators.md): the Wsw target group at the end of a
/// year, the young disabled entering at 18 in a year, and klassieke bijstand at its start.
#[derive(Clone, Debug, Default)]
pub struct Cohorts {
    wsw: BTreeMap<u32, Vec<Member>>,
    young: BTreeMap<u32, Vec<Member>>,
    bijstand: BTreeMap<u32, Vec<Member>>,
    /// Finished cohort figures: (cohort year, indicator, value).
    pub results: Vec<CohortRow>,
    /// First cohort year followed.
    pub first_year: u32,
}

/// One finished cohort figure: (cohort year, indicator, value).
pub type CohortRow = (u32, &'static str, f64);

/// Cohort indicators with their definitions (docs/indicators.md).
pub const COHORT_DEFINITIONS: [(&str, &str); 6] = [
    (
        COHORT_INDICATORS[0],
        "Of the sheltered (former Wsw) target group without work at the end of year Y (on the Wsw waiting list while it is open), the share with paid work, Wsw and beschut werk included, at some time in the next 48 months (facts.md E5).",
    ),
    (
        COHORT_INDICATORS[1],
        "Of those who found work, the share whose first job lasted 12 months or more (facts.md E6).",
    ),
    (
        COHORT_INDICATORS[2],
        "Of the young disabled with capacity to work entering at 18 in year Y, the share working at some time in the third year after entry (facts.md E7).",
    ),
    (
        COHORT_INDICATORS[3],
        "Of that cohort, the share with bijstand at the end of the second calendar year (December of Y + 1) (facts.md MC18, PW9).",
    ),
    (
        COHORT_INDICATORS[4],
        "Of that cohort, the share with any benefit (bijstand, WW or Wajong) at the end of the second calendar year.",
    ),
    (
        COHORT_INDICATORS[5],
        "Of klassieke bijstand recipients at the start of year Y, the share who found a job during Y (facts.md E4).",
    ),
];

/// Cohort indicator names, in the order they are written.
pub const COHORT_INDICATORS: [&str; 6] = [
    "wsw_target_work_within_4y",
    "wsw_target_job_1y_share",
    "young_disabled_working_y3",
    "young_disabled_bijstand_share",
    "young_disabled_any_benefit_share",
    "bijstand_job_chance",
];

impl Cohorts {
    fn young_disabled_entered(&mut self, id: u32, month: Month) {
        if self.first_year > 0 && month.year() >= self.first_year {
            self.young
                .entry(month.year())
                .or_default()
                .push(Member::new(id, month.0));
        }
    }

    /// Follows every open cohort through `month` (after all of the month's changes), opens new
    /// ones in December, and closes finished ones.
    pub fn step(&mut self, world: &World, month: Month) {
        if self.first_year == 0 {
            return;
        }
        let c = &world.citizens;
        let m = month.0;
        let index = |id: u32| -> Option<usize> {
            c.id.binary_search(&id)
                .ok()
                .filter(|&i| c.flags[i] & ALIVE != 0)
        };
        let status = |id: u32| index(id).map(|i| (c.labour[i], c.pw[i]));
        // Wsw target group: first work within 48 months after the end of the year; the first
        // job's duration (followed up to 12 months past the window).
        for (&y, members) in self.wsw.iter_mut() {
            let window_end = Month::new(y + 4, 12).0;
            members.par_iter_mut().for_each(|mem| {
                let w = status(mem.id).is_some_and(|(l, _)| working(l));
                if mem.first_work == 0 && w && m <= window_end {
                    mem.first_work = m;
                } else if mem.first_work > 0 && mem.first_end == 0 && !w {
                    mem.first_end = m;
                }
            });
        }
        // Young disabled: working in the third year after entry; benefits at the end of the
        // second calendar year.
        for (&y, members) in self.young.iter_mut() {
            members.par_iter_mut().for_each(|mem| {
                let s = status(mem.id);
                if (mem.entry + 24..mem.entry + 36).contains(&m)
                    && s.is_some_and(|(l, _)| working(l))
                {
                    mem.working_y3 = true;
                }
                if m == Month::new(y + 1, 12).0 {
                    if let Some((l, f)) = s {
                        mem.bijstand_y2 = l == st::BIJSTAND;
                        mem.benefit_y2 = l == st::BIJSTAND || l == st::WW || f & pw::WAJONG != 0;
                    }
                }
            });
        }
        // Klassieke bijstand at the start of the year: found a job during it.
        for (&y, members) in self.bijstand.iter_mut() {
            if month.year() == y {
                members.par_iter_mut().for_each(|mem| {
                    if mem.first_work == 0 && status(mem.id).is_some_and(|(l, _)| l == st::EMPLOYED)
                    {
                        mem.first_work = m;
                    }
                });
            }
        }
        if month.is_december() {
            let y = month.year();
            let mut wsw = Vec::new();
            let mut bij = Vec::new();
            for i in 0..c.len() {
                if c.flags[i] & ALIVE == 0 {
                    continue;
                }
                let (l, f) = (c.labour[i], c.pw[i]);
                if y >= self.first_year
                    && f & pw::SHELTERED != 0
                    && !working(l)
                    && !matches!(l, st::PENSION | st::NONE | st::EDUCATION)
                {
                    wsw.push(Member::new(c.id[i], m));
                }
                if y + 1 >= self.first_year
                    && l == st::BIJSTAND
                    && f & (pw::YOUNG_DISABLED | pw::SHELTERED) == 0
                {
                    bij.push(Member::new(c.id[i], m));
                }
            }
            if y >= self.first_year {
                self.wsw.insert(y, wsw);
            }
            if y + 1 >= self.first_year {
                self.bijstand.insert(y + 1, bij);
            }
            self.close(m);
        }
    }

    fn close(&mut self, m: u32) {
        let share = |n: usize, d: usize| if d > 0 { n as f64 / d as f64 } else { f64::NAN };
        for (y, members) in take_done(&mut self.wsw, m, 5) {
            let found: Vec<&Member> = members.iter().filter(|x| x.first_work > 0).collect();
            let long = found
                .iter()
                .filter(|x| {
                    let end = if x.first_end == 0 { m } else { x.first_end };
                    end - x.first_work >= 12
                })
                .count();
            self.results
                .push((y, COHORT_INDICATORS[0], share(found.len(), members.len())));
            self.results
                .push((y, COHORT_INDICATORS[1], share(long, found.len())));
        }
        for (y, members) in take_done(&mut self.young, m, 3) {
            let n = members.len();
            let count = |f: fn(&Member) -> bool| members.iter().filter(|x| f(x)).count();
            self.results
                .push((y, COHORT_INDICATORS[2], share(count(|x| x.working_y3), n)));
            self.results
                .push((y, COHORT_INDICATORS[3], share(count(|x| x.bijstand_y2), n)));
            self.results
                .push((y, COHORT_INDICATORS[4], share(count(|x| x.benefit_y2), n)));
        }
        for (y, members) in take_done(&mut self.bijstand, m, 0) {
            let f = members.iter().filter(|x| x.first_work > 0).count();
            self.results
                .push((y, COHORT_INDICATORS[5], share(f, members.len())));
        }
    }
}

/// Removes and returns the cohorts whose window closed by month `m`: those of a year `y` with
/// `m` at or after December of `y + years`.
fn take_done(
    cohorts: &mut BTreeMap<u32, Vec<Member>>,
    m: u32,
    years: u32,
) -> Vec<(u32, Vec<Member>)> {
    let done: Vec<u32> = cohorts
        .keys()
        .copied()
        .filter(|&y| m >= Month::new(y + years, 12).0)
        .collect();
    done.into_iter()
        .map(|y| (y, cohorts.remove(&y).unwrap_or_default()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_probability_compounds() {
        let p = monthly_prob(0.2, 1.0);
        assert!(((1.0 - p).powi(12) - 0.8).abs() < 1e-12);
        assert_eq!(monthly_prob(1.0, 0.5), 1.0);
        assert!(monthly_prob(0.2, 2.0) > p);
    }

    #[test]
    fn months_out_of_work() {
        assert_eq!(months_out(0.0, 24.0), 24.0);
        assert!((months_out(1.0, 24.0) - 1.0).abs() < 1e-12);
        let a = months_out(0.05, 24.0);
        let b = months_out(0.10, 24.0);
        assert!(a > b && b > 1.0);
    }
}
