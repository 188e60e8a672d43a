//! Phase 7b: the employer pool per arbeidsmarktregio (facts.md MC19, MC20).
//!
//! One month: a new year updates the gemeente's placement belief and adds banenafspraak
//! slots ([`new_year`]); placements break down unless every party keeps up its effort
//! ([`breakdowns`], MC20); willing employers with a free slot post vacancies ([`vacancies`]);
//! candidates are found in parallel and scored ([`score`], MC19); each region's vacancies are
//! filled by the best-scoring candidate above the employer's threshold ([`hire`]).

use super::hazards::monthly_prob;
use super::instrument::lks_cost;
use super::kinds::{Instrument, JobFlags, LabourStatus as S, Payer, PwFlags};
use super::rules::effective_loonwaarde;
use super::state::LabourState;
use crate::engine::{Month, Stream, StreamKey, map_chunks};
use crate::model::streams as ps;
use crate::model::world::CitizenFlags;
use crate::model::world::{ALIVE, Citizens, FEMALE, World};
use crate::scenario::params::{Params, ParticipatieParams};

/// Factor on the break rate of a regular placement for someone in the sheltered target group
/// (who can only work in adapted conditions). Assumption.
pub(super) const SHELTERED_IN_REGULAR: f64 = 3.0;
/// Factor on the break rate of a placement of someone with problematic debts (MC23: debts
/// undermine work). Assumption.
pub(super) const DEBT_BREAK_FACTOR: f64 = 1.5;
/// Score points an employer takes off for a candidate with problematic debts. Assumption.
pub(super) const DEBT_PENALTY: f64 = 10.0;
/// A cautious prior on the monthly placement chance of a mediated candidate, as (placements,
/// candidate-months): with no experience about 1% a month. Assumption.
pub(super) const BELIEF_PRIOR: (f64, f64) = (1.0, 100.0);

/// One candidate for a vacancy at a pool employer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Candidate {
    pub(super) score: f64,
    pub(super) agent: u32,
    pub(super) payer: Payer,
}

/// Phase 7b: the employer pool per arbeidsmarktregio (facts.md MC19, MC20).
pub fn employer_pool(world: &mut World, p: &Params, state: &mut LabourState, month: Month) {
    let pp = &p.participatie;
    if month.month_of_year() == 1 {
        new_year(state, pp, world.seed, world.scale, month);
    }
    breakdowns(world, pp, month);
    let vacancies = vacancies(world, pp, state, month);
    let candidates = candidates(world, pp, state, month);
    hire(world, pp, state, vacancies, candidates, month);
}

/// A new year: the gemeente learns the placement chance from last year's placements of
/// mediated candidates; banenafspraak slots are added at random willing employers.
fn new_year(state: &mut LabourState, pp: &ParticipatieParams, seed: u64, scale: f64, month: Month) {
    for (b, cnt) in state
        .placement_belief
        .iter_mut()
        .zip(&state.placement_count)
    {
        *b = (f64::from(cnt[1]) + BELIEF_PRIOR.0) / (f64::from(cnt[0]) + BELIEF_PRIOR.1);
    }
    state.placement_count = vec![[0; 2]; state.region_population.len()];
    let target = (pp.rules.banenafspraak_jobs.at(month).get() * scale).round() as u32;
    let willing: Vec<usize> = (0..state.employers.region.len())
        .filter(|&k| state.employers.willing[k])
        .collect();
    let mut rng = Stream::new(seed, ps::LABOUR_SLOTS, 0, month.0);
    while state.banen_added < target && !willing.is_empty() {
        let k = willing[rng.below(willing.len() as u64) as usize];
        state.employers.slots[k] = state.employers.slots[k].saturating_add(1);
        state.banen_added += 1;
    }
}

/// The factor on a placement's monthly break rate (MC20): a jobcoach keeps it going; debts
/// and a worker who can only work in adapted conditions break it; an employer who lost the
/// wage-cost subsidy (no LKS entitlement) breaks one that costs more than the bijstand saved.
pub(super) fn break_factor(
    pp: &ParticipatieParams,
    c: &Citizens,
    w: usize,
    payer: Payer,
    lks_right: bool,
) -> f64 {
    let e = &pp.employers;
    let mut factor = 1.0;
    if c.instrument[w] == Instrument::Jobcoach {
        factor *= e.coach_factor.get();
    }
    if c.pw[w].contains(PwFlags::DEBT) {
        factor *= DEBT_BREAK_FACTOR;
    }
    // Someone who can only work in adapted conditions rarely lasts in a regular job.
    if c.pw[w].contains(PwFlags::SHELTERED) {
        factor *= SHELTERED_IN_REGULAR;
    }
    if payer == Payer::Gemeente && !lks_right {
        let bijstand_value = pp.instruments.bijstand_eur.get() * pp.gemeente.buig_share.get()
            + pp.gemeente.social_value_eur.get();
        let eff = effective_loonwaarde(pp, c.loonwaarde[w], c.severity[w], c.flags[w]);
        if lks_cost(pp, eff) > bijstand_value {
            factor *= e.unsupported_factor.get();
        }
    }
    factor
}

/// Placements end: the worker died, left, retired or lost the job another way; or one party
/// stopped its effort (MC20). A worker whose placement broke down goes back to the Wajong or
/// bijstand.
fn breakdowns(world: &mut World, pp: &ParticipatieParams, month: Month) {
    let m = month.0;
    let lks_right = pp.rules.lks_entitlement.at(month);
    let k_break = StreamKey::new(world.seed, ps::LABOUR_BREAK, m);
    let k_contract = StreamKey::new(world.seed, ps::LABOUR_PLACEMENT_CONTRACT, m);
    let contract = super::transitions::temporary_chances(pp);
    let c = &mut world.citizens;
    let jobs = &mut world.placements;
    let mut keep = vec![true; jobs.len()];
    for (k, kept) in keep.iter_mut().enumerate() {
        let w = jobs.worker[k] as usize;
        if !c.flags[w].contains(ALIVE)
            || c.labour[w] != S::Employed
            || !c.pw[w].contains(PwFlags::PLACED)
        {
            *kept = false;
            c.pw[w].remove(PwFlags::PLACED);
            continue;
        }
        let factor = break_factor(pp, c, w, jobs.payer[k], lks_right);
        let broke = k_break
            .stream(u64::from(c.id[w]))
            .chance(monthly_prob(pp.employers.break_rate.get(), factor));
        // A temporary contract ends, or becomes permanent.
        let mut ended = false;
        if !broke && c.job[w].contains(JobFlags::TEMPORARY) {
            let mut rng = k_contract.stream(u64::from(c.id[w]));
            if rng.chance(contract[0]) {
                ended = true;
            } else if rng.chance(contract[1]) {
                c.job[w].remove(JobFlags::TEMPORARY);
            }
        }
        if broke || ended {
            *kept = false;
            c.pw[w].remove(PwFlags::PLACED);
            c.labour[w] = if c.pw[w].contains(PwFlags::WAJONG) {
                S::Wajong
            } else {
                S::Bijstand
            };
            c.instrument[w] = Instrument::None;
            c.instrument_until[w] = 0;
            c.labour_month[w] = m as u16;
        }
    }
    jobs.retain(&keep);
}

/// Vacancies at willing employers with a free slot, more in a tight labour market; per region,
/// in employer order.
fn vacancies(
    world: &World,
    pp: &ParticipatieParams,
    state: &LabourState,
    month: Month,
) -> Vec<Vec<u32>> {
    let e = &pp.employers;
    let n_e = state.employers.region.len();
    let mut filled = vec![0u16; n_e];
    for &k in &world.placements.employer {
        filled[k as usize] += 1;
    }
    let u = pp.unemployment.at(month).get().max(0.001);
    let tight = (pp.reference_unemployment.get() / u).powf(pp.macro_elasticity.get());
    let k_vac = StreamKey::new(world.seed, ps::LABOUR_VACANCY, month.0);
    let mut vacancies: Vec<Vec<u32>> = vec![Vec::new(); state.region_population.len()];
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
    vacancies
}

/// Who pays a candidate's placement: UWV for a Wajonger; the gemeente (LKS) for someone in
/// the doelgroepregister while the entitlement holds; else the employer.
pub(super) fn payer(wajong: bool, lks_right: bool, registered: bool) -> Payer {
    if wajong {
        Payer::Uwv
    } else if lks_right && registered {
        Payer::Gemeente
    } else {
        Payer::Employer
    }
}

/// An employer's score of a candidate (MC19): the loonwaarde, or full value when the wage is
/// compensated; a jobcoach adds; psychological problems, an LVB and debts take off; and
/// employers prefer the higher loonwaarde even when it is compensated.
pub(super) fn score(
    pp: &ParticipatieParams,
    eff: f64,
    payer: Payer,
    instr: Instrument,
    flags: CitizenFlags,
    pwf: PwFlags,
) -> f64 {
    let mut score = if payer == Payer::Employer { eff } else { 100.0 };
    if instr == Instrument::Jobcoach {
        score += pp.employers.coach_bonus.get();
    }
    if flags.mental_not_lifelong() || pwf.contains(PwFlags::LVB) {
        score -= pp.employers.mental_penalty.get();
    }
    if pwf.contains(PwFlags::DEBT) {
        score -= DEBT_PENALTY;
    }
    score + eff / 10.0
}

/// Candidates: the unemployed with a loonwaarde between no capacity and the regular line who
/// are mediated, in the Wajong, or look on their own this month; found in parallel, listed
/// per region in citizen order. Counts mediated candidate-months for the belief.
fn candidates(
    world: &World,
    pp: &ParticipatieParams,
    state: &mut LabourState,
    month: Month,
) -> Vec<Vec<Candidate>> {
    let (l, e) = (&pp.loonwaarde, &pp.employers);
    let m = month.0;
    let lks_right = pp.rules.lks_entitlement.at(month);
    let k_search = StreamKey::new(world.seed, ps::LABOUR_SEARCH, m);
    let c = &world.citizens;
    let h = &world.households;
    let region_of = &state.region_of;
    let (outreach, share) = (
        &state.outreach_draw,
        pp.gemeente.young_disabled_outreach.at(month).get(),
    );
    let found: Vec<Vec<(usize, Candidate)>> = map_chunks(c.len(), |r| {
        let mut out = Vec::new();
        for i in r {
            if !c.flags[i].contains(ALIVE) || !c.labour[i].is_unemployed() {
                continue;
            }
            let eff = effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], c.flags[i]);
            if eff < l.no_capacity.get() || eff >= l.regular.get() {
                continue;
            }
            let instr = c.instrument[i];
            let mediated = instr.is_mediation();
            let wajong = c.pw[i].contains(PwFlags::WAJONG);
            // UWV puts Wajongers forward; others without mediation look on their own now and
            // then, more often without a benefit to fall back on (facts.md E7, MC18).
            let looks = mediated || {
                let mut rng = k_search.stream(u64::from(c.id[i]));
                let j = &pp.jobs;
                if wajong {
                    rng.chance(j.uwv_mediation.get()) || rng.chance(e.self_search.get())
                } else if c.labour[i] == S::Nugger {
                    rng.chance(j.search_without_benefit.get())
                } else {
                    rng.chance(e.self_search.get())
                }
            };
            if !looks {
                continue;
            }
            // The wage-cost subsidy needs a place in the doelgroepregister: the gemeente
            // mediates, or a young disabled person registered since the Wajong closed.
            let assessed = m.saturating_sub(u32::from(c.labour_month[i]))
                >= u32::from(pp.rules.assessment_months);
            let g = h.gemeente[c.household[i] as usize] as usize;
            // A gemeente that approaches the young disabled UWV signals registers them at
            // once (facts.md A13).
            let registered = mediated
                || (c.pw[i].contains(PwFlags::YOUNG_DISABLED) && (assessed || outreach[g] < share));
            let payer = payer(wajong, lks_right, registered);
            let region = usize::from(region_of[h.gemeente[c.household[i] as usize] as usize]);
            out.push((
                region,
                Candidate {
                    score: score(pp, eff, payer, instr, c.flags[i], c.pw[i]),
                    agent: i as u32,
                    payer,
                },
            ));
        }
        out
    });
    let mut candidates: Vec<Vec<Candidate>> = vec![Vec::new(); state.region_population.len()];
    for &(region, cand) in found.iter().flatten() {
        if cand.payer == Payer::Gemeente {
            state.placement_count[region][0] += 1;
        }
        candidates[region].push(cand);
    }
    candidates
}

/// Each region's vacancies, in employer order, go to the best-scoring candidate at or above
/// the employer's threshold (ties by citizen order).
fn hire(
    world: &mut World,
    pp: &ParticipatieParams,
    state: &mut LabourState,
    vacancies: Vec<Vec<u32>>,
    mut candidates: Vec<Vec<Candidate>>,
    month: Month,
) {
    let m = month.0;
    let k_accept = StreamKey::new(world.seed, ps::LABOUR_ACCEPT, m);
    let seed = world.seed;
    let c = &mut world.citizens;
    let h = &world.households;
    state.placed_this_month = 0;
    state.refused_this_month = 0;
    for (r, cands) in candidates.iter_mut().enumerate() {
        cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.agent.cmp(&b.agent)));
        let mut taken = vec![false; cands.len()];
        for &k in &vacancies[r] {
            let threshold = f64::from(state.employers.threshold[k as usize]);
            // The best candidates in turn are offered the job until one takes it; one who
            // turns it down is not asked again this month (facts.md MC22).
            let mut hired = None;
            for j in 0..cands.len() {
                if cands[j].score < threshold {
                    break;
                }
                if taken[j] {
                    continue;
                }
                taken[j] = true;
                let i = cands[j].agent as usize;
                let job =
                    super::income::draw_job(pp, seed, c.id[i], m, c.flags[i].contains(FEMALE));
                let now = super::income::own_income(c, h, pp, i, m, None);
                let then = super::income::own_income(
                    c,
                    h,
                    pp,
                    i,
                    m,
                    Some((S::Employed, c.pw[i] | PwFlags::PLACED, job)),
                );
                let p = super::income::acceptance(
                    pp,
                    then - now,
                    job.contains(JobFlags::TEMPORARY),
                    c.labour[i] == S::Bijstand,
                );
                if p >= 1.0 || k_accept.stream(u64::from(c.id[i])).chance(p) {
                    hired = Some((j, job));
                    break;
                }
                state.refused_this_month += 1;
            }
            let Some((j, job)) = hired else {
                continue;
            };
            let cand = cands[j];
            let i = cand.agent as usize;
            c.job[i] = job;
            c.labour[i] = S::Employed;
            c.pw[i].insert(PwFlags::PLACED);
            c.labour_month[i] = m as u16;
            if cand.payer == Payer::Gemeente {
                if !c.instrument[i].is_mediation() {
                    c.instrument[i] = Instrument::Lks;
                }
            } else {
                c.instrument[i] = Instrument::None;
            }
            world.placements.push(cand.agent, k, m as u16, cand.payer);
            state.placed_this_month += 1;
            if cand.payer == Payer::Gemeente {
                state.placement_count[r][1] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labour::reference_params;
    use crate::model::world::{LIFELONG, MENTAL};

    #[test]
    fn who_pays_a_placement() {
        // (wajong, LKS entitlement, in the doelgroepregister) -> payer (Participatiewet art.
        // 10d; Wajong 2015 for those placed via UWV).
        let rows = [
            (true, true, true, Payer::Uwv),
            (true, false, false, Payer::Uwv),
            (false, true, true, Payer::Gemeente),
            (false, true, false, Payer::Employer),
            (false, false, true, Payer::Employer),
        ];
        for (wajong, right, registered, want) in rows {
            assert_eq!(
                payer(wajong, right, registered),
                want,
                "{wajong} {right} {registered}"
            );
        }
    }

    /// facts.md MC20: a placement lasts only while every party keeps up its effort: a
    /// jobcoach keeps it going; debts, a worker who can only work in adapted conditions and a
    /// gemeente that stops paying a subsidy which costs it more than the bijstand saved break
    /// it sooner.
    #[test]
    fn placements_last_while_every_party_keeps_up_its_effort() {
        use crate::model::world::{ADULT, ALIVE};
        let p = reference_params().participatie;
        let mut c = Citizens::default();
        let w = c.push(0, Month::new(1990, 1), ALIVE | ADULT, 0) as usize;
        c.loonwaarde[w] = 60;
        c.labour[w] = S::Employed;
        let base = break_factor(&p, &c, w, Payer::Gemeente, true);
        assert_eq!(base, 1.0);
        c.instrument[w] = Instrument::Jobcoach;
        assert!(break_factor(&p, &c, w, Payer::Gemeente, true) < base);
        c.instrument[w] = Instrument::Lks;
        c.pw[w].insert(PwFlags::DEBT);
        assert!(break_factor(&p, &c, w, Payer::Gemeente, true) > base);
        c.pw[w] = PwFlags::SHELTERED;
        assert!(break_factor(&p, &c, w, Payer::Gemeente, true) > base);
        // The gemeente stops the subsidy (no LKS entitlement): a worker whose subsidy costs
        // more than the bijstand saved loses the job sooner; one who costs less does not.
        c.pw[w] = PwFlags::EMPTY;
        c.loonwaarde[w] = 10;
        assert!(break_factor(&p, &c, w, Payer::Gemeente, false) > base);
        c.loonwaarde[w] = 95;
        assert_eq!(break_factor(&p, &c, w, Payer::Gemeente, false), base);
        // The employer pays in full: the gemeente's choice does not matter.
        c.loonwaarde[w] = 10;
        assert_eq!(break_factor(&p, &c, w, Payer::Employer, false), base);
    }

    #[test]
    fn employers_score_candidates() {
        let p = reference_params().participatie;
        let pen = p.employers.mental_penalty.get();
        let coach = p.employers.coach_bonus.get();
        // MC19: compensated candidates count as full value, yet the higher loonwaarde is
        // preferred; psychological limitations and debts take off.
        let rows = [
            (
                "unsubsidised, 70",
                70.0,
                Payer::Employer,
                Instrument::None,
                CitizenFlags::EMPTY,
                PwFlags::EMPTY,
                77.0,
            ),
            (
                "with LKS, 70",
                70.0,
                Payer::Gemeente,
                Instrument::Lks,
                CitizenFlags::EMPTY,
                PwFlags::EMPTY,
                107.0,
            ),
            (
                "with LKS, 40",
                40.0,
                Payer::Gemeente,
                Instrument::Lks,
                CitizenFlags::EMPTY,
                PwFlags::EMPTY,
                104.0,
            ),
            (
                "jobcoach",
                40.0,
                Payer::Gemeente,
                Instrument::Jobcoach,
                CitizenFlags::EMPTY,
                PwFlags::EMPTY,
                104.0 + coach,
            ),
            (
                "psychological",
                70.0,
                Payer::Employer,
                Instrument::None,
                MENTAL,
                PwFlags::EMPTY,
                77.0 - pen,
            ),
            (
                "lifelong is not psychological",
                70.0,
                Payer::Employer,
                Instrument::None,
                MENTAL | LIFELONG,
                PwFlags::EMPTY,
                77.0,
            ),
            (
                "LVB",
                70.0,
                Payer::Employer,
                Instrument::None,
                CitizenFlags::EMPTY,
                PwFlags::LVB,
                77.0 - pen,
            ),
            (
                "debts",
                70.0,
                Payer::Employer,
                Instrument::None,
                CitizenFlags::EMPTY,
                PwFlags::DEBT,
                77.0 - DEBT_PENALTY,
            ),
        ];
        for (case, eff, payer, instr, flags, pwf, want) in rows {
            let got = score(&p, eff, payer, instr, flags, pwf);
            assert!((got - want).abs() < 1e-9, "{case}: {got} != {want}");
        }
    }
}
