//! Gemeenten as actors: budgets and budget rules, the books every month, the yearly close and
//! policy adaptation, access organisation (wijkteam or loket, outreach), coordination costs,
//! and stacking of provisions across the three laws.
//!
//! Money. Each January the Rijk sets a budget per gemeente and law (Wmo, Jeugd, participation,
//! BUIG): a national pot (the historical basis, cut and grown; for the BUIG last year's national
//! bijstand) allocated partly by each gemeente's own history and partly by an objective model
//! (inhabitants by age and low incomes; facts.md F8, F10, MC41). Every month a twelfth of the
//! budget comes in and the month's spending goes out; the difference moves the reserves (per
//! law with schotten, one pool without, MC46), so per gemeente and month
//! `budget = spending + change in reserves` holds exactly (a safety net payment counts as
//! budget). In December the gemeente closes its books: a deficit with thin reserves makes it
//! act by its strategy (classic control: stricter access and lower tariffs, which providers
//! answer with less capacity, MC42; or investment in the wijkteam), a consistent steering
//! philosophy making the measures take full effect (MC45); a surplus relaxes a step.

// Per-gemeente and per-law books read most clearly with index loops.
#![allow(clippy::needless_range_loop)]

use super::indicators::GemeenteFlows;
use super::labour::{Instrument, LabourStatus};
use super::provision::{JeugdState, ProvisionSet, WmoState};
use super::streams as ps;
use super::world::{ALIVE, World};
use crate::engine::{CHUNK, Month, Stream, chunk_ranges, map_chunks};
use crate::scenario::params::{Params, Purchasing};
use rayon::prelude::*;

/// The accounts: Wmo, Jeugd, participation (reintegration and Wsw), BUIG (bijstand).
pub const LAWS: usize = 4;
/// Law bits of `Citizens::laws` (this month) and `laws << 3` (this year).
pub const WMO: u8 = 1;
/// Jeugdwet.
pub const JEUGD: u8 = 2;
/// Participatiewet (bijstand, reintegration instruments, Wsw, beschut werk).
pub const PARTICIPATIE: u8 = 4;
/// Year bit of `Citizens::laws`: used Wmo maatwerk other than hulpmiddelen this year. SCP's
/// stacking base leaves out persons whose only provision was transport (facts.md W9, S2); the
/// nearest in the model is a person whose only provision was Wmo hulpmiddelen.
pub const WMO_CORE: u8 = 1 << 6;

/// Per-gemeente policy, money and access state.
#[derive(Clone, Debug)]
pub struct Gemeenten {
    /// Extra points on the Wmo thresholds (stricter access).
    pub strictness: Vec<f64>,
    /// Factor on Wmo tariffs (1 = as purchased in 2015).
    pub wmo_tariff: Vec<f64>,
    /// Factor on specialist youth-care tariffs.
    pub jeugd_tariff: Vec<f64>,
    /// Assessment capacity relative to `wmo.assessment_capacity`.
    pub team_capacity: Vec<f64>,
    /// Points by which the light threshold is lower (providers in the team, MC3).
    pub light_offset: Vec<f64>,
    /// Works with a sociale wijkteam (else a loket).
    pub wijkteam: Vec<bool>,
    /// Answers a deficit with classic control (else invests).
    pub control: Vec<bool>,
    /// Consistent steering philosophy (MC45).
    pub consistent: Vec<bool>,
    /// Share of last month's assessment capacity left for outreach (wijkteams only).
    pub outreach: Vec<f64>,
    /// This month: assessment capacity and assessments held.
    pub assessed: Vec<[u32; 2]>,
    /// Historical basis per law: spending in the year before the start, euros (sample).
    pub base: Vec<[f64; LAWS]>,
    /// This year's budget per law, euros (sample).
    pub budget: Vec<[f64; LAWS]>,
    /// Budget and spending so far this year per law.
    pub ytd_budget: Vec<[f64; LAWS]>,
    /// Spending so far this year per law.
    pub ytd_spent: Vec<[f64; LAWS]>,
    /// Reserves per law (with schotten) or all in the first slot (ontschot), euros (sample).
    pub reserves: Vec<[f64; LAWS]>,
    /// Last year's result (budget minus spending, all laws).
    pub last_result: Vec<f64>,
    /// Relative coordination cost (fragmentation of the gemeente's provider region).
    pub coordination_factor: Vec<f64>,
    /// Wmo capacity factor per purchasing region (population-weighted tariffs).
    pub wmo_region_tariff: Vec<f64>,
    /// Specialist youth-care capacity factor per purchasing unit.
    pub jeugd_unit_tariff: Vec<f64>,
    /// National bijstand spending last year and so far this year (the BUIG macro budget).
    pub buig_last_year: f64,
    /// National bijstand spending so far this year.
    pub buig_this_year: f64,
    /// The first recorded year (budgets start then).
    pub start_year: u32,
    /// Year-to-date spending on persons using several laws this year, and in all.
    pub stacked_ytd: [f64; 2],
}

impl Gemeenten {
    /// Draws each gemeente's access organisation and strategy.
    pub fn new(world: &World, p: &Params, start: Month) -> Gemeenten {
        let gp = &p.gemeente;
        let geo = &world.geography;
        let n = geo.gemeenten.len();
        let mut wijkteam = Vec::with_capacity(n);
        let mut control = Vec::with_capacity(n);
        let mut consistent = Vec::with_capacity(n);
        let mut light_offset = Vec::with_capacity(n);
        let mut team_capacity = Vec::with_capacity(n);
        for g in 0..n {
            let draw = |purpose, p: f64| Stream::new(world.seed, purpose, g as u64, 0).chance(p);
            let team = draw(ps::GEMEENTE_ACCESS, gp.wijkteam_share.get());
            wijkteam.push(team);
            team_capacity.push(if team { 1.0 } else { gp.loket_capacity.get() });
            let in_team = draw(
                ps::GEMEENTE_PROVIDERS_IN_TEAM,
                gp.providers_in_team_share.get(),
            );
            light_offset.push(if team && in_team {
                gp.providers_in_team_points.get()
            } else {
                0.0
            });
            control.push(draw(ps::GEMEENTE_STRATEGY, gp.control_share.get()));
            consistent.push(draw(ps::GEMEENTE_CONSISTENT, gp.consistent_share.get()));
        }
        // Fragmentation: gemeenten sharing the providers of a jeugdregio (MC36).
        let mut per_region = vec![0u32; geo.jeugdregios.len()];
        for gem in &geo.gemeenten {
            per_region[usize::from(gem.jeugdregio)] += 1;
        }
        let mean = n as f64 / geo.jeugdregios.len().max(1) as f64;
        let coordination_factor = geo
            .gemeenten
            .iter()
            .map(|gem| {
                let k = f64::from(per_region[usize::from(gem.jeugdregio)]);
                (1.0 + gp.fragmentation.get() * (k - mean)).max(MIN_COORDINATION_FACTOR)
            })
            .collect();
        Gemeenten {
            strictness: vec![0.0; n],
            wmo_tariff: vec![1.0; n],
            jeugd_tariff: vec![1.0; n],
            team_capacity,
            light_offset,
            wijkteam,
            control,
            consistent,
            outreach: vec![0.0; n],
            assessed: vec![[0; 2]; n],
            base: vec![[0.0; LAWS]; n],
            budget: vec![[0.0; LAWS]; n],
            ytd_budget: vec![[0.0; LAWS]; n],
            ytd_spent: vec![[0.0; LAWS]; n],
            reserves: vec![[0.0; LAWS]; n],
            last_result: vec![0.0; n],
            coordination_factor,
            wmo_region_tariff: vec![1.0; geo.jeugdregios.len()],
            jeugd_unit_tariff: vec![
                1.0;
                if p.jeugd.purchasing == Purchasing::Local {
                    n
                } else {
                    geo.jeugdregios.len()
                }
            ],
            buig_last_year: 0.0,
            buig_this_year: 0.0,
            start_year: start.year(),
            stacked_ytd: [0.0; 2],
        }
    }

    /// Outreach: the wijkteam's spare share of last month's capacity.
    pub fn end_of_assessments(&mut self) {
        for (o, (a, team)) in self
            .outreach
            .iter_mut()
            .zip(self.assessed.iter().zip(&self.wijkteam))
        {
            *o = if *team && a[0] > 0 {
                f64::from(a[0].saturating_sub(a[1])) / f64::from(a[0])
            } else {
                0.0
            };
        }
        self.assessed.iter_mut().for_each(|a| *a = [0; 2]);
    }
}

/// The laws a citizen uses this month (bits [`WMO`], [`JEUGD`], [`PARTICIPATIE`]).
#[inline]
pub fn laws_now(
    wmo: WmoState,
    jeugd: JeugdState,
    labour: LabourStatus,
    instrument: Instrument,
) -> u8 {
    let mut l = 0;
    if wmo.has_maatwerk() {
        l |= WMO;
    }
    if jeugd.in_care() {
        l |= JEUGD;
    }
    if matches!(
        labour,
        LabourStatus::Bijstand | LabourStatus::Wsw | LabourStatus::Beschut
    ) || (instrument != Instrument::None && labour != LabourStatus::None)
    {
        l |= PARTICIPATIE;
    }
    l
}

/// Phase 7b: which laws each citizen and household uses this month and this year.
///
/// A household's `laws` has the same bits as a citizen's, OR-ed over its living members: the
/// laws used now (bits 0-2), this year (bits 3-5) and the core Wmo this year ([`WMO_CORE`]).
pub fn stacking(world: &mut World, month: Month) {
    let january = month.month_of_year() == 1;
    let c = &mut world.citizens;
    let (wmo, jeugd, labour, instrument, flags, household) = (
        &c.wmo,
        &c.jeugd,
        &c.labour,
        &c.instrument,
        &c.flags,
        &c.household,
    );
    // Each chunk also lists the households of its citizens who use a law (a minority).
    let users: Vec<Vec<(u32, u8)>> = c
        .laws
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map(|(ci, laws)| {
            let mut out = Vec::new();
            for (j, l) in laws.iter_mut().enumerate() {
                let i = ci * CHUNK + j;
                let alive = flags[i].contains(ALIVE);
                let now = if alive {
                    laws_now(wmo[i], jeugd[i], labour[i], instrument[i])
                } else {
                    0
                };
                let core = if wmo[i].held().intersects(ProvisionSet::STACKING_BASE) && alive {
                    WMO_CORE
                } else {
                    0
                };
                let year = if january {
                    0
                } else {
                    *l & (0b111_000 | WMO_CORE)
                };
                *l = year | core | now << 3 | now;
                if alive && *l != 0 {
                    out.push((household[i], *l));
                }
            }
            out
        })
        .collect();
    let h = &mut world.households;
    h.laws.par_iter_mut().for_each(|l| *l = 0);
    for &(k, l) in users.iter().flatten() {
        h.laws[k as usize] |= l;
    }
}

/// The laws a household uses now (bits 0-2 of its `laws`).
#[inline]
pub fn household_laws_now(laws: u8) -> u8 {
    laws & 0b111
}

/// Coordination quality of help to a household using `laws` (a bit mask) this month: 1 for one
/// law, falling with each extra law (MC50), less with one plan per household.
#[inline]
pub fn coordination_quality(p: &Params, month: Month, laws: u8) -> f64 {
    let n = laws.count_ones();
    if n <= 1 {
        return 1.0;
    }
    let gp = &p.gemeente;
    let penalty = gp.coordination_penalty.get()
        * if gp.one_plan.at(month) {
            gp.one_plan_factor.get()
        } else {
            1.0
        };
    1.0 / (1.0 + penalty * f64::from(n - 1))
}

/// The age bands of the objective allocation model's criteria: the old from this age ...
const CRITERIA_OLD_AGE: u32 = 75;
/// ... children below this age, and working age from it up to [`CRITERIA_RETIRED_AGE`].
const CRITERIA_ADULT_AGE: u32 = 18;
/// See [`CRITERIA_ADULT_AGE`] (fixed bands, like the gemeentefonds' age criteria).
const CRITERIA_RETIRED_AGE: u32 = 67;
/// Weight of the share of low-income persons in each law's need (assumption).
const LOW_INCOME_WEIGHT: f64 = 2.0;
/// Weight of working-age inhabitants in the Wmo's need (assumption).
const WMO_WORKING_AGE_WEIGHT: f64 = 0.05;
/// Base weight of working-age inhabitants in participation's need (assumption).
const PARTICIPATION_BASE_WEIGHT: f64 = 0.5;
/// A gemeente without a consistent steering philosophy acts half as hard (facts.md MC45;
/// the size is an assumption).
const INCONSISTENT_EFFECT: f64 = 0.5;
/// Tariff factors never fall below this (providers would leave). Assumption.
const MIN_TARIFF_FACTOR: f64 = 0.5;
/// A result above this share of the budget counts as a surplus that relaxes policy.
/// Assumption.
const SURPLUS_SHARE: f64 = 0.01;
/// The coordination cost factor of a gemeente is at least this. Assumption.
const MIN_COORDINATION_FACTOR: f64 = 0.5;

/// Criteria of the objective allocation model per gemeente: inhabitants 75+, 0-17, 18-66, and
/// persons in low-income households (below 60% of the median).
fn criteria(world: &World, month: Month) -> Vec<[f64; 4]> {
    let c = &world.citizens;
    let h = &world.households;
    let n = world.geography.gemeenten.len();
    let mut incomes: Vec<u32> = h
        .income
        .iter()
        .zip(&h.members)
        .filter(|&(_, &m)| m > 0)
        .map(|(&x, _)| x)
        .collect();
    incomes.sort_unstable();
    let median = incomes.get(incomes.len() / 2).copied().unwrap_or(0);
    let low = (f64::from(median) * super::jeugd::LOW_INCOME_SHARE) as u32;
    let parts = map_chunks(c.len(), |r| {
        let mut out = vec![[0.0f64; 4]; n];
        for i in r {
            if !c.flags[i].contains(ALIVE) {
                continue;
            }
            let hh = c.household[i] as usize;
            let g = h.gemeente[hh] as usize;
            let a = c.age(i, month);
            if a >= CRITERIA_OLD_AGE {
                out[g][0] += 1.0;
            }
            if a < CRITERIA_ADULT_AGE {
                out[g][1] += 1.0;
            } else if a < CRITERIA_RETIRED_AGE {
                out[g][2] += 1.0;
            }
            if h.income[hh] < low {
                out[g][3] += 1.0;
            }
        }
        out
    });
    let mut t = vec![[0.0; 4]; n];
    for part in parts {
        for (a, b) in t.iter_mut().zip(part) {
            for k in 0..4 {
                a[k] += b[k];
            }
        }
    }
    t
}

/// Each law's need under the objective model, from the criteria (assumption in the spirit of
/// the gemeentefonds: older inhabitants for the Wmo, children for the Jeugdwet, working age for
/// participation, all weighted up by low incomes).
fn need(c: &[f64; 4], law: usize) -> f64 {
    let pop = c[0] + c[1] + c[2];
    let low = if pop > 0.0 { c[3] / pop } else { 0.0 };
    match law {
        0 => c[0] * (1.0 + LOW_INCOME_WEIGHT * low) + WMO_WORKING_AGE_WEIGHT * c[2],
        1 => c[1] * (1.0 + LOW_INCOME_WEIGHT * low),
        2 => c[2] * (PARTICIPATION_BASE_WEIGHT + LOW_INCOME_WEIGHT * low),
        _ => c[3],
    }
}

/// Spending per law of one gemeente in one month (before coordination), from its flows.
fn care_spending(f: &GemeenteFlows) -> [f64; LAWS] {
    [
        f.wmo_spending_eur - f.wmo_copay_eur + f.team_eur,
        f.jeugd_spending_eur,
        f.reintegration_eur + f.wsw_eur,
        f.bijstand_eur,
    ]
}

/// Wijkteam cost and coordination cost (MC36, F6), and one plan per household, into `flows`.
fn team_and_coordination(
    state: &Gemeenten,
    world: &World,
    p: &Params,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let gp = &p.gemeente;
    let scale = world.scale;
    let slots_per_person = p.wmo.assessment_capacity.get() / super::wmo::ASSESSMENT_CAPACITY_PER;
    let mut plans = vec![0u32; flows.len()];
    if gp.one_plan.at(month) {
        let h = &world.households;
        for k in 0..h.len() {
            if h.members[k] > 0 && household_laws_now(h.laws[k]).count_ones() >= 2 {
                plans[h.gemeente[k] as usize] += 1;
            }
        }
    }
    for (g, f) in flows.iter_mut().enumerate() {
        let pop = world.geography.gemeenten[g].population as f64 * scale;
        f.team_eur = gp.team_cost_eur.get()
            * slots_per_person
            * pop
            * state.team_capacity[g]
            * gp.team_investment.at(month).get();
        let care = f.wmo_spending_eur - f.wmo_copay_eur + f.team_eur + f.jeugd_spending_eur;
        f.coordination_eur = gp.coordination_share.get() * state.coordination_factor[g] * care
            + gp.plan_cost_eur.get() * f64::from(plans[g]);
    }
}

/// The year before the start: the month's spending adds to the historical basis (coordination
/// shared between Wmo and Jeugd by their spending).
fn historical_basis(state: &mut Gemeenten, flows: &[GemeenteFlows]) {
    for (g, f) in flows.iter().enumerate() {
        let s = care_spending(f);
        let coord = f.coordination_eur;
        let care = s[0] + s[1];
        for law in 0..LAWS {
            state.base[g][law] += s[law];
        }
        if care > 0.0 {
            state.base[g][0] += coord * s[0] / care;
            state.base[g][1] += coord * s[1] / care;
        }
        state.buig_last_year += s[3];
    }
}

/// The Wlz reward per gemeente: `gemeente.wlz_reward_eur` per resident fewer in the Wlz than expected
/// at the national rate among those 75+ (MC30; 0 everywhere without a reward).
fn wlz_reward(world: &World, p: &Params, month: Month) -> Vec<f64> {
    let n = world.geography.gemeenten.len();
    let wlz_reward = p.gemeente.wlz_reward_eur.get();
    let mut reward = vec![0.0; n];
    if wlz_reward > 0.0 {
        let crit = criteria(world, month);
        let c = &world.citizens;
        let h = &world.households;
        let mut wlz = vec![0.0; n];
        for i in 0..c.len() {
            if c.flags[i].contains(ALIVE | super::world::WLZ) {
                wlz[h.gemeente[c.household[i] as usize] as usize] += 1.0;
            }
        }
        let old: f64 = crit.iter().map(|x| x[0]).sum();
        let rate = wlz.iter().sum::<f64>() / old.max(1.0);
        for g in 0..n {
            reward[g] = wlz_reward * (rate * crit[g][0] - wlz[g]).max(0.0);
        }
    }
    reward
}

/// The month's books of every gemeente: a twelfth of each law's budget (plus the Wlz reward)
/// in, spending (coordination shared between Wmo and Jeugd) out, the difference into the
/// reserves (per law with schotten, one pool without).
fn book(state: &mut Gemeenten, flows: &mut [GemeenteFlows], reward: &[f64], schotten: bool) {
    for (g, f) in flows.iter_mut().enumerate() {
        let mut spend = care_spending(f);
        let care = spend[0] + spend[1];
        if care > 0.0 {
            spend[0] += f.coordination_eur * spend[0] / care;
            spend[1] += f.coordination_eur * spend[1] / care;
        } else {
            spend[0] += f.coordination_eur;
        }
        let mut budget: [f64; LAWS] = std::array::from_fn(|law| state.budget[g][law] / 12.0);
        budget[0] += reward[g];
        for law in 0..LAWS {
            state.ytd_budget[g][law] += budget[law];
            state.ytd_spent[g][law] += spend[law];
            let slot = if schotten { law } else { 0 };
            state.reserves[g][slot] += budget[law] - spend[law];
        }
        f.budget_eur = budget.iter().sum();
        f.spending_eur = spend.iter().sum();
        state.buig_this_year += spend[3];
    }
}

/// Phase 8 (gemeenten): the month's books. Adds wijkteam and coordination costs to the flows,
/// collects the historical basis in the year before the start, sets budgets each January,
/// moves reserves, and closes the year in December.
pub fn account(
    state: &mut Gemeenten,
    world: &World,
    p: &Params,
    month: Month,
    flows: &mut [GemeenteFlows],
    recording: bool,
) {
    team_and_coordination(state, world, p, month, flows);
    if !recording {
        if month.year() + 1 == state.start_year {
            historical_basis(state, flows);
        }
        return;
    }
    if month.month_of_year() == 1 {
        set_budgets(state, world, p, month);
    }
    let reward = wlz_reward(world, p, month);
    book(state, flows, &reward, p.gemeente.schotten.at(month));
    if month.is_december() {
        close_year(state, p, month, flows);
    }
    // Stacked spending share, year to date.
    if month.month_of_year() == 1 {
        state.stacked_ytd = [0.0; 2];
    }
    for f in flows.iter() {
        state.stacked_ytd[0] += f.stacked_eur;
        state.stacked_ytd[1] += f.law_spending_eur;
    }
}

/// Sets each gemeente's budgets for the year of `month` (a January).
fn set_budgets(state: &mut Gemeenten, world: &World, p: &Params, month: Month) {
    let gp = &p.gemeente;
    let n = state.base.len();
    let y = month.year();
    let years = f64::from(y.saturating_sub(state.start_year));
    let growth = (1.0 + gp.budget_growth.get()).powf(years);
    let obj = gp.objective_share.at(month).get();
    let crit = criteria(world, month);
    if y > state.start_year {
        state.buig_last_year = state.buig_this_year;
    }
    state.buig_this_year = 0.0;
    for law in 0..LAWS {
        let base_total: f64 = state.base.iter().map(|b| b[law]).sum();
        let need_total: f64 = crit.iter().map(|c| need(c, law)).sum();
        let pot = match law {
            0 | 1 => base_total * (1.0 - gp.transfer_cut.at(month).get()) * growth,
            2 => base_total * (1.0 - gp.participation_cut.at(month).get()) * growth,
            _ => state.buig_last_year,
        };
        for g in 0..n {
            let hist = if base_total > 0.0 {
                state.base[g][law] / base_total
            } else {
                0.0
            };
            let objective = if need_total > 0.0 {
                need(&crit[g], law) / need_total
            } else {
                0.0
            };
            state.budget[g][law] = pot * ((1.0 - obj) * hist + obj * objective);
        }
    }
    for g in 0..n {
        state.ytd_budget[g] = [0.0; LAWS];
        state.ytd_spent[g] = [0.0; LAWS];
    }
}

/// December: results, safety nets, and next year's policy (MC41-MC45).
fn close_year(state: &mut Gemeenten, p: &Params, month: Month, flows: &mut [GemeenteFlows]) {
    let gp = &p.gemeente;
    let schotten = gp.schotten.at(month);
    let n = state.base.len();
    for g in 0..n {
        let result: [f64; LAWS] =
            std::array::from_fn(|law| state.ytd_budget[g][law] - state.ytd_spent[g][law]);
        // Safety nets pay the part of a deficit beyond the threshold (as budget).
        let mut nets = [false; LAWS];
        nets[3] = gp.vangnet_buig.at(month);
        nets[0] = gp.vangnet_sociaal_domein.at(month);
        nets[1] = nets[0];
        for law in 0..LAWS {
            let own = gp.vangnet_threshold.get() * state.ytd_budget[g][law];
            if nets[law] && -result[law] > own {
                let pay = -result[law] - own;
                let slot = if schotten { law } else { 0 };
                state.reserves[g][slot] += pay;
                state.ytd_budget[g][law] += pay;
                flows[g].budget_eur += pay;
                flows[g].vangnet_eur += pay;
            }
        }
        if !schotten {
            // Ontschot: one pool.
            let total: f64 = state.reserves[g].iter().sum();
            state.reserves[g] = [total, 0.0, 0.0, 0.0];
        }
        state.last_result[g] = (0..LAWS)
            .map(|law| state.ytd_budget[g][law] - state.ytd_spent[g][law])
            .sum();
        // Next year's policy: the Wmo and the Jeugd lever, each on its own account (schotten)
        // or both on the whole (ontschot).
        let effect = if state.consistent[g] {
            1.0
        } else {
            INCONSISTENT_EFFECT
        };
        for (lever, law) in [(0usize, 0usize), (1, 1)] {
            let (res, budget, reserves) = if schotten {
                (
                    state.ytd_budget[g][law] - state.ytd_spent[g][law],
                    state.ytd_budget[g][law],
                    state.reserves[g][law],
                )
            } else {
                (
                    state.last_result[g],
                    state.ytd_budget[g].iter().sum(),
                    state.reserves[g][0],
                )
            };
            if budget <= 0.0 {
                continue;
            }
            let buffer = gp.reserve_buffer.get() * budget;
            if res < 0.0 && reserves < buffer {
                tighten(state, p, g, lever, effect);
            } else if res > SURPLUS_SHARE * budget && reserves > buffer {
                relax(state, p, g, lever);
            }
        }
    }
}

fn tighten(state: &mut Gemeenten, p: &Params, g: usize, lever: usize, effect: f64) {
    let gp = &p.gemeente;
    if state.control[g] {
        let cut = 1.0 - gp.tariff_step.get() * effect;
        if lever == 0 {
            state.strictness[g] = (state.strictness[g] + gp.strictness_step.get() * effect)
                .min(gp.max_strictness.get());
            state.wmo_tariff[g] = (state.wmo_tariff[g] * cut).max(MIN_TARIFF_FACTOR);
        } else {
            state.jeugd_tariff[g] = (state.jeugd_tariff[g] * cut).max(MIN_TARIFF_FACTOR);
        }
    } else if lever == 0 {
        state.team_capacity[g] *= 1.0 + gp.invest_step.get() * effect;
    }
}

fn relax(state: &mut Gemeenten, p: &Params, g: usize, lever: usize) {
    let gp = &p.gemeente;
    if lever == 0 {
        state.strictness[g] = (state.strictness[g] - gp.strictness_step.get()).max(0.0);
        state.wmo_tariff[g] = (state.wmo_tariff[g] * (1.0 + gp.tariff_step.get())).min(1.0);
    } else {
        state.jeugd_tariff[g] = (state.jeugd_tariff[g] * (1.0 + gp.tariff_step.get())).min(1.0);
    }
}

/// Recomputes the capacity factors per Wmo region and youth purchasing unit from the
/// gemeenten's tariffs (called after each close).
pub fn purchasing_factors(
    state: &mut Gemeenten,
    world: &World,
    wmo_region_of: impl Fn(usize) -> usize,
    jeugd_unit_of: &[u32],
) {
    let geo = &world.geography;
    let mut wmo = vec![[0.0f64; 2]; state.wmo_region_tariff.len()];
    let mut jeugd = vec![[0.0f64; 2]; state.jeugd_unit_tariff.len()];
    for (g, gem) in geo.gemeenten.iter().enumerate() {
        let pop = gem.population as f64;
        let r = wmo_region_of(g);
        wmo[r][0] += pop * state.wmo_tariff[g];
        wmo[r][1] += pop;
        let u = jeugd_unit_of[g] as usize;
        jeugd[u][0] += pop * state.jeugd_tariff[g];
        jeugd[u][1] += pop;
    }
    for (t, x) in state.wmo_region_tariff.iter_mut().zip(&wmo) {
        *t = if x[1] > 0.0 { x[0] / x[1] } else { 1.0 };
    }
    for (t, x) in state.jeugd_unit_tariff.iter_mut().zip(&jeugd) {
        *t = if x[1] > 0.0 { x[0] / x[1] } else { 1.0 };
    }
}

/// True if a person or household with year bits `laws` (as `Citizens::laws`) counts as a user
/// in SCP's stacking base: any provision this year, unless Wmo hulpmiddelen was the only one
/// (facts.md S2, W9).
#[inline]
pub fn in_stacking_base(laws: u8) -> bool {
    let year = (laws >> 3) & 0b111;
    year != 0 && (year != WMO || laws & WMO_CORE != 0)
}

/// National gemeente counts of one month.
#[derive(Clone, Debug, Default)]
pub struct GemeenteTally {
    /// Persons who used a provision of any law this year (SCP's base: see [`in_stacking_base`]).
    pub user_persons: u32,
    /// Of those, users of each law (Wmo, Jeugd, Participatiewet) this year.
    pub user_persons_law: [u32; 3],
    /// Households in the base, and of those, with a user of each law this year.
    pub user_households_law: [u32; 3],
    /// Wmo maatwerk users this year, all; of which with hulpmiddelen only (no other provision).
    pub wmo_year: [u32; 2],
    /// Persons with bijstand this month; of which Wmo maatwerk users this year (facts.md O16).
    pub bijstand_wmo: [u32; 2],
    /// Households with a jeugdzorg user this year; of which also using another law (O5).
    pub jeugd_households_other: [u32; 2],
    /// Of which of two or more laws; of all three.
    pub stacked_persons: [u32; 2],
    /// Households with a user this year; of which using two or more laws.
    pub user_households: u32,
    /// See `user_households`.
    pub stacked_households: u32,
    /// Gemeenten whose result so far this year is negative.
    pub in_deficit: u32,
    /// Reserves, all gemeenten.
    pub reserves: f64,
    /// Outreach share: spare wijkteam capacity, inhabitant-weighted.
    pub outreach_share: f64,
    /// Spread (p90 - p10 across gemeenten) of the chance that a citizen aged 65+ with a
    /// limitation of severity 40-59 has Wmo maatwerk.
    pub help_chance_spread: f64,
    /// Stacked spending share, year to date.
    pub stacked_spending_share: f64,
    /// Per gemeente: reserves.
    pub reserves_per_gemeente: Vec<f64>,
    /// Inhabitant-weighted mean extra strictness points, Wmo tariff factor, team capacity.
    pub policy: [f64; 3],
}

/// Citizens aged this or over with a limitation in [`HELP_CHANCE_SEVERITY`] make the base of
/// `wmo_help_chance_spread`.
pub const HELP_CHANCE_AGE: u32 = 65;
/// See [`HELP_CHANCE_AGE`].
pub const HELP_CHANCE_SEVERITY: std::ops::Range<u8> = 40..60;
/// Gemeenten with fewer such citizens (on the sample) are left out of the spread.
pub const HELP_CHANCE_MIN_BASE: u32 = 10;

/// Persons: the stacking base, Wmo use this year, bijstand with Wmo, and per gemeente the Wmo
/// help chance (with maatwerk, in the base). Integer counts, so the sum is the same in any
/// order.
fn count_persons(world: &World, month: Month) -> (GemeenteTally, Vec<[u32; 2]>) {
    let c = &world.citizens;
    let h = &world.households;
    let n = world.geography.gemeenten.len();
    let persons = || (GemeenteTally::default(), vec![[0u32; 2]; n]);
    chunk_ranges(c.len())
        .fold(persons, |(mut t, mut chance), r| {
            for i in r {
                if !c.flags[i].contains(ALIVE) {
                    continue;
                }
                let laws = c.laws[i];
                let year = (laws >> 3) & 0b111;
                let k = year.count_ones();
                if in_stacking_base(laws) {
                    t.user_persons += 1;
                    for (law, n) in t.user_persons_law.iter_mut().enumerate() {
                        *n += u32::from(year & (1 << law) != 0);
                    }
                    if k >= 2 {
                        t.stacked_persons[0] += 1;
                    }
                    if k == 3 {
                        t.stacked_persons[1] += 1;
                    }
                }
                if year & WMO != 0 {
                    t.wmo_year[0] += 1;
                    t.wmo_year[1] += u32::from(!in_stacking_base(laws));
                }
                if c.labour[i] == LabourStatus::Bijstand {
                    t.bijstand_wmo[0] += 1;
                    t.bijstand_wmo[1] += u32::from(year & WMO != 0);
                }
                if HELP_CHANCE_SEVERITY.contains(&c.severity[i])
                    && !c.flags[i].contains(super::world::WLZ)
                    && c.age(i, month) >= HELP_CHANCE_AGE
                {
                    let g = h.gemeente[c.household[i] as usize] as usize;
                    chance[g][1] += 1;
                    if c.wmo[i].has_maatwerk() {
                        chance[g][0] += 1;
                    }
                }
            }
            (t, chance)
        })
        .reduce(persons, |(mut a, mut ca), (b, cb)| {
            a.user_persons += b.user_persons;
            add_counts(&mut a.user_persons_law, &b.user_persons_law);
            add_counts(&mut a.stacked_persons, &b.stacked_persons);
            add_counts(&mut a.wmo_year, &b.wmo_year);
            add_counts(&mut a.bijstand_wmo, &b.bijstand_wmo);
            for (x, y) in ca.iter_mut().zip(&cb) {
                add_counts(x, y);
            }
            (a, ca)
        })
}

/// Households in the stacking base (`laws` holds the members' laws of the year, from
/// [`stacking`]): in all, per law, with a jeugdzorg user and another law, with two or more
/// laws. The counts go into a fresh tally.
fn count_households(world: &World) -> GemeenteTally {
    let h = &world.households;
    chunk_ranges(h.len())
        .fold(GemeenteTally::default, |mut t, r| {
            for k in r {
                let m = h.laws[k] & (0b111_000 | WMO_CORE);
                if h.members[k] == 0 || !in_stacking_base(m) {
                    continue;
                }
                t.user_households += 1;
                let year = (m >> 3) & 0b111;
                for (law, n) in t.user_households_law.iter_mut().enumerate() {
                    *n += u32::from(year & (1 << law) != 0);
                }
                if year & JEUGD != 0 {
                    t.jeugd_households_other[0] += 1;
                    t.jeugd_households_other[1] += u32::from(year != JEUGD);
                }
                if year.count_ones() >= 2 {
                    t.stacked_households += 1;
                }
            }
            t
        })
        .reduce(GemeenteTally::default, |mut a, b| {
            a.user_households += b.user_households;
            add_counts(&mut a.user_households_law, &b.user_households_law);
            add_counts(&mut a.jeugd_households_other, &b.jeugd_households_other);
            a.stacked_households += b.stacked_households;
            a
        })
}

/// The spread (p90 - p10 across gemeenten with a base of at least [`HELP_CHANCE_MIN_BASE`])
/// of the help chance, from per-gemeente (with maatwerk, base) counts.
pub fn help_chance_spread(chance: &[[u32; 2]]) -> f64 {
    let mut shares: Vec<f64> = chance
        .iter()
        .filter(|x| x[1] >= HELP_CHANCE_MIN_BASE)
        .map(|x| f64::from(x[0]) / f64::from(x[1]))
        .collect();
    shares.sort_by(f64::total_cmp);
    if shares.len() >= 2 {
        crate::output::quantile(&shares, 0.9) - crate::output::quantile(&shares, 0.1)
    } else {
        0.0
    }
}

/// Policy, deficits, outreach, reserves and stacked spending, into `t`.
fn policy_and_books(state: &Gemeenten, world: &World, t: &mut GemeenteTally) {
    let mut pop = 0.0;
    let mut all = 0.0;
    for (g, gem) in world.geography.gemeenten.iter().enumerate() {
        let w = gem.population as f64;
        all += w;
        t.policy[0] += w * state.strictness[g];
        t.policy[1] += w * state.wmo_tariff[g];
        t.policy[2] += w * state.team_capacity[g];
        if state.ytd_budget[g].iter().sum::<f64>() < state.ytd_spent[g].iter().sum::<f64>() {
            t.in_deficit += 1;
        }
        if state.wijkteam[g] {
            t.outreach_share += state.outreach[g] * gem.population as f64;
            pop += gem.population as f64;
        }
    }
    if pop > 0.0 {
        t.outreach_share /= pop;
    }
    if all > 0.0 {
        t.policy.iter_mut().for_each(|x| *x /= all);
    }
    t.reserves_per_gemeente = state.reserves.iter().map(|r| r.iter().sum()).collect();
    t.reserves = t.reserves_per_gemeente.iter().sum();
    t.stacked_spending_share = if state.stacked_ytd[1] > 0.0 {
        state.stacked_ytd[0] / state.stacked_ytd[1]
    } else {
        0.0
    };
}

/// Counts stacking, deficits, reserves, outreach and inequality at the end of the month.
pub fn measure(state: &Gemeenten, world: &World, month: Month) -> GemeenteTally {
    let (mut t, chance) = count_persons(world, month);
    let households = count_households(world);
    t.user_households = households.user_households;
    t.user_households_law = households.user_households_law;
    t.jeugd_households_other = households.jeugd_households_other;
    t.stacked_households = households.stacked_households;
    t.help_chance_spread = help_chance_spread(&chance);
    policy_and_books(state, world, &mut t);
    t
}

fn add_counts<const N: usize>(a: &mut [u32; N], b: &[u32; N]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// True if the citizen used two or more laws this year (for stacked spending).
#[inline]
pub fn stacked(laws: u8) -> bool {
    ((laws >> 3) & 0b111).count_ones() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::{Provision, YouthForm};
    use crate::scenario::{self, types::Dated};

    fn params() -> Params {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        scenario::load(&path).unwrap().variants[0].params.clone()
    }

    fn world() -> World {
        let p = params();
        let geo = super::super::geography::Geography::synthetic(&p.geography, 3);
        super::super::population::generate(geo, &p, 3, 0.0005, Month::new(2015, 1))
    }

    /// One gemeente with a Wmo surplus of 20 and a Jeugd deficit of 30 this year.
    fn books(p: &Params, w: &World) -> Gemeenten {
        let mut g = Gemeenten::new(w, p, Month::new(2015, 1));
        for k in 0..g.base.len() {
            g.control[k] = true;
            g.consistent[k] = true;
            g.ytd_budget[k] = [100.0, 100.0, 0.0, 0.0];
            g.ytd_spent[k] = [80.0, 130.0, 0.0, 0.0];
            g.reserves[k] = [20.0, -30.0, 0.0, 0.0];
        }
        g
    }

    #[test]
    fn schotten_keep_each_law_on_its_own_account() {
        let mut p = params();
        let w = world();
        let dec = Month::new(2016, 12);
        p.gemeente.schotten = Dated::constant(true);
        let mut g = books(&p, &w);
        let mut flows = vec![GemeenteFlows::default(); g.base.len()];
        close_year(&mut g, &p, dec, &mut flows);
        // The Wmo surplus does not cover the Jeugd deficit: Jeugd tightens, Wmo does not.
        assert_eq!(g.reserves[0], [20.0, -30.0, 0.0, 0.0]);
        assert!(g.jeugd_tariff[0] < 1.0);
        assert_eq!(g.strictness[0], 0.0);
        assert_eq!(g.wmo_tariff[0], 1.0);
        // Ontschot: one pool, the net deficit drives both levers.
        p.gemeente.schotten = Dated::constant(false);
        let mut g = books(&p, &w);
        close_year(&mut g, &p, dec, &mut flows);
        assert_eq!(g.reserves[0], [-10.0, 0.0, 0.0, 0.0]);
        assert!(g.strictness[0] > 0.0 && g.wmo_tariff[0] < 1.0 && g.jeugd_tariff[0] < 1.0);
    }

    #[test]
    fn deficits_trigger_the_gemeentes_strategy() {
        let p = params();
        let w = world();
        let dec = Month::new(2016, 12);
        let mut flows = vec![GemeenteFlows::default(); w.geography.gemeenten.len()];
        // An investor raises its team; an inconsistent controller acts half as hard.
        let mut g = books(&p, &w);
        g.control[0] = false;
        g.control[1] = true;
        g.consistent[1] = false;
        g.ytd_spent[0] = [130.0, 130.0, 0.0, 0.0];
        g.reserves[0] = [-30.0, -30.0, 0.0, 0.0];
        g.ytd_spent[1] = [130.0, 80.0, 0.0, 0.0];
        g.reserves[1] = [-30.0, 20.0, 0.0, 0.0];
        g.ytd_spent[2] = [130.0, 80.0, 0.0, 0.0];
        g.reserves[2] = [-30.0, 20.0, 0.0, 0.0];
        let team = g.team_capacity[0];
        close_year(&mut g, &p, dec, &mut flows);
        assert!(g.team_capacity[0] > team && g.strictness[0] == 0.0);
        let step = p.gemeente.strictness_step.get();
        assert_eq!(g.strictness[1], 0.5 * step);
        assert_eq!(g.strictness[2], step);
    }

    #[test]
    fn stacking_counts_match_a_recount() {
        let p = params();
        let mut w = world();
        let month = Month::new(2016, 1);
        let n = w.citizens.len();
        for i in 0..n {
            let mut rng = Stream::new(9, crate::engine::Purpose(1), i as u64, 0);
            let c = &mut w.citizens;
            if rng.chance(0.2) {
                c.wmo[i] = WmoState::NONE.with_held(Provision::Thuis);
            }
            if rng.chance(0.15) {
                c.wmo[i] = c.wmo[i].with_held(Provision::Hulpmiddelen);
            }
            if rng.chance(0.1) {
                c.jeugd[i] = JeugdState::NONE.with(YouthForm::Ambulant);
            }
            if rng.chance(0.1) {
                c.labour[i] = LabourStatus::Bijstand;
            }
        }
        stacking(&mut w, month);
        let g = Gemeenten::new(&w, &p, Month::new(2015, 1));
        let t = measure(&g, &w, month);
        // Brute force: the laws of every person, and of every household by its members.
        let c = &w.citizens;
        // Persons whose only provision is Wmo hulpmiddelen are left out (SCP's base).
        let mut persons = [0u32; 3];
        let mut households: std::collections::BTreeMap<u32, (u8, bool)> = Default::default();
        for i in 0..n {
            if !c.alive(i) {
                continue;
            }
            let mut l = 0u8;
            let core = c.wmo[i].holds(Provision::Thuis);
            if !c.wmo[i].is_none() {
                l |= 1;
            }
            if !c.jeugd[i].is_none() {
                l |= 2;
            }
            if c.labour[i] == LabourStatus::Bijstand {
                l |= 4;
            }
            let k = l.count_ones();
            let counted = k >= 2 || (k == 1 && (l != 1 || core));
            persons[0] += u32::from(counted);
            persons[1] += u32::from(k >= 2);
            persons[2] += u32::from(k == 3);
            let e = households.entry(c.household[i]).or_default();
            e.0 |= l;
            e.1 |= counted;
        }
        assert_eq!(t.user_persons, persons[0]);
        assert_eq!(t.stacked_persons, [persons[1], persons[2]]);
        assert_eq!(
            t.user_households,
            households.values().filter(|&&(_, counted)| counted).count() as u32
        );
        assert_eq!(
            t.stacked_households,
            households
                .values()
                .filter(|&&(l, _)| l.count_ones() >= 2)
                .count() as u32
        );
        let aids_only = (0..n)
            .filter(|&i| {
                c.alive(i)
                    && c.wmo[i] == WmoState::NONE.with_held(Provision::Hulpmiddelen)
                    && c.jeugd[i].is_none()
            })
            .filter(|&i| c.labour[i] != LabourStatus::Bijstand)
            .count();
        assert!(persons[1] > 0 && persons[2] > 0 && aids_only > 0);
    }

    #[test]
    fn laws_from_states() {
        let (no_wmo, no_jeugd) = (WmoState::NONE, JeugdState::NONE);
        assert_eq!(
            laws_now(no_wmo, no_jeugd, LabourStatus::Employed, Instrument::None),
            0
        );
        let hh = WmoState::NONE.with_held(Provision::Hh);
        assert_eq!(
            laws_now(hh, no_jeugd, LabourStatus::None, Instrument::None),
            WMO
        );
        let algemeen = WmoState::NONE.with_algemeen(true);
        assert_eq!(
            laws_now(algemeen, no_jeugd, LabourStatus::None, Instrument::None),
            0
        );
        let ambulant = JeugdState::NONE.with(YouthForm::Ambulant);
        assert_eq!(
            laws_now(no_wmo, ambulant, LabourStatus::Bijstand, Instrument::None),
            JEUGD | PARTICIPATIE
        );
        assert_eq!(
            laws_now(no_wmo, no_jeugd, LabourStatus::Nugger, Instrument::Light),
            PARTICIPATIE
        );
    }
}
