//! Phase 7b: the employer pool per arbeidsmarktregio (facts.md MC19, MC20).

use super::hazards::monthly_prob;
use super::instrument::lks_cost;
use super::rules::effective_loonwaarde;
use super::state::LabourState;
use crate::engine::{Month, Stream, StreamKey, map_chunks};
use crate::model::streams as ps;
use crate::model::world::{
    ALIVE, LIFELONG, MENTAL, World, instrument as ins, labour_status as st, pw,
};
use crate::scenario::params::Params;

/// Factor on the break rate of a regular placement for someone in the sheltered target group
/// (who can only work in adapted conditions). Assumption.
pub(super) const SHELTERED_IN_REGULAR: f64 = 3.0;
/// Score points a jobcoach adds for an employer. Assumption.
pub(super) const COACH_BONUS: f64 = 10.0;

/// One candidate for a vacancy at a pool employer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
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
