//! Phase 7a: the month's transitions on the regular labour market and the gemeente's choices.

use super::hazards::Hazards;
use super::init::draw_loonwaarde;
use super::instrument::choose;
use super::rules::health_points;
use super::rules::{effective_loonwaarde, unemployed, working};
use super::state::LabourState;
use crate::engine::{Month, Stream, StreamKey, map_chunks};
use crate::model::streams as ps;
use crate::model::world::{
    ADULT, ALIVE, LIFELONG, MENTAL, NONE, UNDRAWN, World, instrument as ins, labour_status as st,
    pw,
};
use crate::scenario::params::{Params, ParticipatieParams};

/// Immigrants (other than status holders) in work on arrival. Assumption.
pub(super) const IMMIGRANT_EMPLOYED: f64 = 0.6;

/// What the month changes for one citizen.
#[derive(Clone, Copy, Debug)]
pub(super) struct Change {
    pub(super) i: u32,
    pub(super) labour: u8,
    pub(super) instrument: u8,
    pub(super) pw: u8,
    pub(super) until: u16,
    /// The labour status is new: restart the spell clock.
    pub(super) new_spell: bool,
    /// Entered the labour market this month.
    pub(super) entered: bool,
    pub(super) loonwaarde: u8,
}

/// Month-level values every citizen's update needs.
pub(super) struct Ctx<'a> {
    pub(super) p: &'a ParticipatieParams,
    pub(super) m: u32,
    pub(super) aow: u32,
    pub(super) find_factor: f64,
    pub(super) loss_factor: f64,
    pub(super) wsw_open: bool,
    pub(super) wajong_open: bool,
    pub(super) belief: &'a [f64],
    pub(super) region_of: &'a [u16],
    pub(super) hz: Hazards,
}

impl Ctx<'_> {
    /// Distance to the labour market.
    pub(super) fn distance(&self, age: u32, months_out: u32, flags: u8, pwf: u8) -> f64 {
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
    pub(super) fn find_prob(&self, eff: f64, dist: f64, instr: u8, pwf: u8) -> f64 {
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
