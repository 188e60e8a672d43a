//! Phases 4-6 and 8 of a month for the Wmo 2015: seeking help, the keukentafelgesprek,
//! provision by capacity-limited providers with waiting lists, the Wlz boundary, and money
//! (spending and co-payments).
//!
//! Provision types (facts.md W1-W4, W8): the maatwerk provisions of [`Provision`]
//! (huishoudelijke hulp, ondersteuning thuis, hulpmiddelen en diensten, verblijf en opvang),
//! whose per-type rules live in `provision.rs`, and algemene voorzieningen. Providers are
//! pooled per type and purchasing region (the jeugdregio stands in for the Wmo purchasing
//! region); capacity, tariff and contract form are scenario parameters. The rules for one
//! citizen are plain functions of explicit inputs ([`apply_probability`], [`outcome`],
//! [`copay`], [`next_capacity`], ...), tested table by table below.

use super::gemeente::Gemeenten;
use super::indicators::GemeenteFlows;
use super::needs::{ADULT_AGE, need_hours};
use super::provision::{Cover, PerProvision, Provision, ProvisionSet, WmoState};
use super::streams as ps;
use super::world::{ALIVE, MENTAL, WLZ, WLZ_WAIT, World};
use crate::engine::{CHUNK, Month, Stream, StreamKey, Waiting, admit, map_chunks, survey};
use crate::model::world::CitizenFlags;
use crate::scenario::params::{
    CoPayRule, ContractForm, LightHelpEffect, Params, ProvisionParams, WmoParams,
};
use rayon::prelude::*;

/// Weeks in a month on average.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;
/// The income-dependent co-payment is billed per period of four weeks: 13 a year (CAK).
pub const PERIODS_PER_YEAR: f64 = 13.0;
/// A couple's income counts this many times a single person's for the co-payment (CBS
/// equivalence scale, rounded).
pub const COUPLE_EQUIVALENCE: f64 = 1.4;
/// `wmo.assessment_capacity` is per this many inhabitants.
pub const ASSESSMENT_CAPACITY_PER: f64 = 10_000.0;
/// A limitation of at least this severity counts (`persons_limited`, `wmo_unmet_need`).
pub const LIMITED_SEVERITY: u8 = 10;
/// Users aged this or over count in `wmo_users_65_plus`.
pub const OLD_USER_AGE: u32 = 65;

/// The severity thresholds of the maatwerk provisions in force in a month.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds(pub PerProvision<u8>);

impl Thresholds {
    /// The thresholds in force in `month`.
    pub fn at(p: &WmoParams, month: Month) -> Thresholds {
        Thresholds(PerProvision::from_fn(|k| {
            k.params(p).threshold.at(month).get()
        }))
    }

    /// The lowest of them.
    pub fn min(&self) -> u8 {
        self.0.values().iter().copied().min().unwrap_or(0)
    }
}

/// The maatwerk provisions a citizen needs, by severity, kind of limitation (`flags`) and
/// age: each provision's need rule ([`Provision::needed_by`]) at its threshold.
pub fn needed(th: &Thresholds, severity: u8, flags: CitizenFlags, age: u32) -> ProvisionSet {
    let mental = flags.contains(MENTAL);
    Provision::ALL
        .into_iter()
        .filter(|&k| k.needed_by(th.0[k], severity, mental, age))
        .fold(ProvisionSet::EMPTY, ProvisionSet::with)
}

/// Hours a week of need covered by the provisions held (and an algemene voorziening).
pub fn formal_hours(p: &WmoParams, state: WmoState, severity: u8) -> f64 {
    let need = need_hours(severity);
    let mut h = 0.0;
    for k in state.held().iter() {
        match k.cover() {
            Cover::All => return need,
            Cover::Hours => {
                let pp = k.params(p);
                h += pp.hours_per_week.get() * pp.contract.hours_factor();
            }
            Cover::ShareOfNeed => h += p.aids_need_share.get() * need,
        }
    }
    if state.algemeen() {
        h += p.algemeen.hours_per_week.get();
    }
    h
}

/// The cost price of one client of type `t` a month, as billed (a per-hour contract bills the
/// extra hours providers supply; a lump sum is paid per gemeente, not per client, so its
/// per-client cost is 0 here).
pub fn billed_cost(pp: &ProvisionParams) -> f64 {
    match pp.contract {
        ContractForm::LumpSum => 0.0,
        c => {
            unit_cost(pp)
                * if pp.hours_per_week.get() > 0.0 {
                    c.hours_factor()
                } else {
                    1.0
                }
        }
    }
}

/// The cost price of one client a month at per-trajectory hours: the basis of co-payments.
pub fn unit_cost(pp: &ProvisionParams) -> f64 {
    if pp.hours_per_week.get() > 0.0 {
        pp.hours_per_week.get() * WEEKS_PER_MONTH * pp.tariff_eur.get()
    } else {
        pp.tariff_eur.get()
    }
}

/// The household's income as the co-payment rule sees it: standardised income times an
/// equivalence factor (1 for one adult, [`COUPLE_EQUIVALENCE`] for two).
pub fn copay_income(equivalised: u32, adults: u8) -> f64 {
    f64::from(equivalised) * if adults >= 2 { COUPLE_EQUIVALENCE } else { 1.0 }
}

/// The most a household pays a month under the income-dependent rule.
pub fn income_dependent_max(p: &WmoParams, income: f64, aow: bool) -> f64 {
    let c = &p.copay;
    let threshold = if aow {
        c.income_threshold_aow_eur.get()
    } else {
        c.income_threshold_eur.get()
    };
    (c.minimum_per_period_eur.get() * PERIODS_PER_YEAR
        + c.marginal_rate.get() * (income - threshold).max(0.0))
        / 12.0
}

/// A household's co-payment a month for maatwerk costing `cost` (of which `verblijf` for
/// verblijf en opvang, which keeps an income-dependent contribution under both rules).
pub fn copay(p: &WmoParams, month: Month, cost: f64, verblijf: f64, income: f64, aow: bool) -> f64 {
    let other = (cost - verblijf).max(0.0);
    let max_inc = income_dependent_max(p, income, aow);
    let base = match p.copay.rule.at(month) {
        CoPayRule::IncomeDependent => other.min(max_inc),
        CoPayRule::Flat => other.min(p.copay.flat_monthly_eur.at(month).get()),
    };
    base + verblijf.min(max_inc)
}

/// Set-up for the Wmo that does not change month to month.
#[derive(Clone, Debug)]
pub struct WmoSetup {
    /// Inhabitants (national scale) of each purchasing region at the start.
    pub region_population: Vec<f64>,
    /// Upper bounds of household income quintiles 1-4 (persons weighted), euros.
    pub quintiles: [u32; 4],
}

impl WmoSetup {
    /// Builds the set-up from the starting world.
    pub fn new(world: &World) -> WmoSetup {
        let geo = &world.geography;
        let mut region_population = vec![0.0; geo.jeugdregios.len()];
        for g in &geo.gemeenten {
            region_population[g.jeugdregio as usize] += g.population as f64;
        }
        let c = &world.citizens;
        let mut incomes: Vec<u32> = (0..c.len())
            .filter(|&i| c.alive(i))
            .map(|i| world.households.income[c.household[i] as usize])
            .collect();
        incomes.sort_unstable();
        let q = |f: f64| {
            incomes
                .get(((incomes.len() as f64 * f) as usize).min(incomes.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        WmoSetup {
            region_population,
            quintiles: [q(0.2), q(0.4), q(0.6), q(0.8)],
        }
    }

    /// The income quintile (0-4) of a household income.
    pub fn quintile(&self, income: u32) -> usize {
        self.quintiles.iter().filter(|&&b| income > b).count()
    }
}

/// A gap between need and help of at least this many hours a week is worth applying for, and
/// counts as unmet need (`wmo_unmet_need`). Assumption.
pub const GAP_HOURS: f64 = 1.0;

/// The AOW age in force in `month`, in months (`participatie.aow_age`, dated).
pub fn aow_age_months(p: &Params, month: Month) -> u32 {
    (p.participatie.aow_age.at(month).get() * 12.0) as u32
}

/// True if the head of household `hh` (or, without one, citizen `own`) has reached the AOW
/// age (`aow_months`): the co-payment's AOW threshold applies to the household.
fn head_at_aow_age(world: &World, hh: usize, month: Month, own: usize, aow_months: u32) -> bool {
    let head = world.households.adults[hh][0];
    let who = if head == super::world::NONE {
        own
    } else {
        head as usize
    };
    month.0.saturating_sub(u32::from(world.citizens.birth[who])) >= aow_months
}

/// The month's settings of the decision to apply.
struct SeekRules<'a> {
    w: &'a WmoParams,
    month: Month,
    th: Thresholds,
    /// Severity below which nobody applies (the lowest threshold).
    min_threshold: u8,
    /// Extra chance to apply for those with light help (the suction variant of the light-help
    /// effect), 0 otherwise.
    suction: f64,
    /// Rise of awareness per unit of the wijkteam's spare share (MC55).
    outreach_effect: f64,
    /// The AOW age in months.
    aow_months: u32,
}

/// The co-payment a household would pay a month for the provisions `wanted` (at least the
/// cost of an algemene voorziening): the price of applying.
pub fn price_of(w: &WmoParams, month: Month, wanted: ProvisionSet, income: f64, aow: bool) -> f64 {
    let cost: f64 = wanted
        .iter()
        .map(|k| unit_cost(k.params(w)))
        .sum::<f64>()
        .max(unit_cost(&w.algemeen));
    let income_dependent = wanted
        .iter()
        .filter(|k| k.always_income_dependent())
        .fold(0.0, |a, k| a + unit_cost(k.params(w)));
    copay(w, month, cost, income_dependent, income, aow)
}

/// What the help applied for is worth a month: the uncovered hours (`gap`, at most the `need`)
/// at the private price, or, for a need beyond what carers cover, at least the cost of such a
/// provision.
pub fn value_of(w: &WmoParams, wanted: ProvisionSet, gap: f64, need: f64) -> f64 {
    let hours = gap.min(need).max(0.0) * WEEKS_PER_MONTH * w.private_price_eur.get();
    (wanted & ProvisionSet::BEYOND_CARERS)
        .iter()
        .fold(hours, |v, k| v.max(unit_cost(k.params(w))))
}

/// The monthly chance to apply: the apply rate, times the urgency of the gap (0-1), the chance
/// of knowing the route (`awareness`, raised by the wijkteam's outreach, at most 1), and the
/// deterrence of the co-payment `price` against the `value` of the help (MC14).
pub fn apply_probability(
    w: &WmoParams,
    urgency: f64,
    awareness: f64,
    price: f64,
    value: f64,
) -> f64 {
    w.apply_rate.get()
        * urgency
        * awareness.min(1.0)
        * (-w.price_sensitivity.get() * price / value.max(1.0)).exp()
}

/// The chance that citizen `i` applies this month, or `None` if they cannot or need not: not
/// at home, under 18, already applied or waiting, recently decided, or no gap worth it.
fn apply_chance(world: &World, gem: &Gemeenten, r: &SeekRules<'_>, i: usize) -> Option<f64> {
    let (c, h, w) = (&world.citizens, &world.households, r.w);
    let f = c.flags[i];
    let s = c.severity[i];
    if !f.contains(ALIVE) || f.contains(WLZ) || s < r.min_threshold {
        return None;
    }
    let bits = c.wmo[i];
    if bits.in_queue() {
        return None;
    }
    if bits.decided()
        && r.month.0.saturating_sub(u32::from(c.wmo_month[i])) < u32::from(w.reapply_months)
    {
        return None;
    }
    let age = c.age(i, r.month);
    if age < ADULT_AGE {
        return None;
    }
    let need = need_hours(s);
    let gap = need - f64::from(c.informal[i]) - formal_hours(w, bits, s);
    let wanted = needed(&r.th, s, f, age) - bits.held();
    // A need that a carer's hours do not cover (aids and transport, facts.md W3, W9) is
    // applied for even when informal care covers the hours.
    let beyond = wanted.intersects(ProvisionSet::BEYOND_CARERS);
    if gap < GAP_HOURS && !beyond {
        return None;
    }
    let urgency = if beyond { 1.0 } else { (gap / need).min(1.0) };
    // The price to them: the co-payment against the value of the help (MC14).
    let hh = c.household[i] as usize;
    let income = copay_income(h.income[hh], h.n_adults(hh));
    let aow = head_at_aow_age(world, hh, r.month, i, r.aow_months);
    let price = price_of(w, r.month, wanted, income, aow);
    let value = value_of(w, wanted, gap, need);
    // Spare wijkteam time goes to outreach: more people know the route (MC55).
    let outreach = 1.0 + r.outreach_effect * gem.outreach[h.gemeente[hh] as usize];
    let mut prob = apply_probability(w, urgency, w.awareness.get() * outreach, price, value);
    if bits.light_help() {
        prob *= 1.0 + r.suction;
    }
    Some(prob)
}

/// Phase 4: citizens with unmet need decide whether to apply (melding).
pub fn seek(
    world: &mut World,
    p: &Params,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let th = Thresholds::at(w, month);
    let rules = SeekRules {
        w,
        month,
        th,
        min_threshold: w.eligibility_threshold.get().min(th.min()),
        suction: if p.needs.light_help_effect == LightHelpEffect::Suction {
            p.needs.light_help_strength.get()
        } else {
            0.0
        },
        outreach_effect: p.gemeente.outreach_effect.get(),
        aow_months: aow_age_months(p, month),
    };
    let key = StreamKey::new(world.seed, ps::WMO_APPLY, month.0);
    let applicants: Vec<Vec<u32>> = {
        let world = &*world;
        map_chunks(world.citizens.len(), |r| {
            r.filter(|&i| {
                apply_chance(world, gem, &rules, i)
                    .is_some_and(|prob| key.stream(u64::from(world.citizens.id[i])).chance(prob))
            })
            .map(|i| i as u32)
            .collect()
        })
    };
    let c = &mut world.citizens;
    for &i in applicants.iter().flatten() {
        let iu = i as usize;
        c.wmo[iu] = c.wmo[iu].apply();
        c.wmo_month[iu] = month.0 as u16;
        let g = world.households.gemeente[c.household[iu] as usize] as usize;
        flows[g].wmo_applications += 1;
    }
}

/// Keukentafelgesprekken a gemeente of `inhabitants` can hold this month on the sample
/// (expected; the fraction is drawn), with its team at `team_capacity`.
fn assessment_capacity(p: &Params, month: Month, inhabitants: u64, scale: f64, team: f64) -> f64 {
    p.wmo.assessment_capacity.get() / ASSESSMENT_CAPACITY_PER
        * inhabitants as f64
        * scale
        * team
        * p.gemeente.team_investment.at(month).get()
}

/// Phase 5: the keukentafelgesprek, for as many applicants as each gemeente can assess.
pub fn assess(
    world: &mut World,
    p: &Params,
    gem: &mut Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let seed = world.seed;
    let scale = world.scale;
    // Applicants by gemeente, then in order of application month and index.
    let mut queue: Vec<(u16, u16, u32)> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i].contains(ALIVE) && c.wmo[i].applied())
                .map(|i| {
                    (
                        h.gemeente[c.household[i] as usize],
                        c.wmo_month[i],
                        i as u32,
                    )
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    };
    queue.sort_unstable();
    let rules = Rules {
        w,
        th: Thresholds::at(w, month),
        strict: w.strictness.at(month).get(),
        month,
    };
    let k_reading = StreamKey::new(seed, ps::WMO_ASSESS, month.0);
    let k_burden = StreamKey::new(seed, ps::WMO_CARER_BURDEN, month.0);
    let inhabitants: Vec<u64> = world
        .geography
        .gemeenten
        .iter()
        .map(|g| g.population)
        .collect();
    for group in queue.chunk_by(|a, b| a.0 == b.0) {
        let gu = usize::from(group[0].0);
        let expected = assessment_capacity(p, month, inhabitants[gu], scale, gem.team_capacity[gu]);
        let mut rng = Stream::new(seed, ps::WMO_ASSESS_CAPACITY, gu as u64, month.0);
        let capacity = expected.floor() as usize + usize::from(rng.chance(expected.fract()));
        let local = Local {
            strict: gem.strictness[gu],
            light_offset: gem.light_offset[gu],
        };
        for &(_, _, i) in &group[..group.len().min(capacity)] {
            let id = u64::from(world.citizens.id[i as usize]);
            let draws = Conversation {
                reading: k_reading.stream(id).normal(),
                ignores_burden: k_burden.stream(id).chance(w.ignore_carer_burden.get()),
            };
            decide(world, &rules, &local, i as usize, draws, &mut flows[gu]);
        }
        gem.assessed[gu][1] = group.len().min(capacity) as u32;
    }
    // Capacity of every gemeente, also those without applicants (for outreach).
    for (g, &n) in inhabitants.iter().enumerate() {
        let expected = assessment_capacity(p, month, n, scale, gem.team_capacity[g]);
        gem.assessed[g][0] = expected.round().max(1.0) as u32;
    }
}

/// The gemeente's own policy at the keukentafelgesprek.
struct Local {
    /// Extra strictness points.
    strict: f64,
    /// Points off the light threshold (providers in the team).
    light_offset: f64,
}

/// What a keukentafelgesprek applies in one month.
struct Rules<'a> {
    w: &'a WmoParams,
    th: Thresholds,
    strict: f64,
    month: Month,
}

/// The outcome of a keukentafelgesprek.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Rejected (facts.md R1: about 3% of melders).
    Rejected,
    /// Sent back to the own network, which covers enough of the need.
    Network,
    /// Referred to an algemene voorziening.
    Algemeen,
    /// Granted these maatwerk provisions.
    Maatwerk(ProvisionSet),
}

/// The outcome of a keukentafelgesprek, from the `assessed` severity (the assessor's reading,
/// less strictness), the eligibility and light thresholds, the provisions needed and not yet
/// held (`open`), and whether the own network covers enough of the need. Own strength and
/// network first: where it does, the help a network can give (household help) is left to it;
/// support it cannot give (begeleiding, aids, sheltered housing) is still granted.
pub fn outcome(
    assessed: f64,
    eligibility: u8,
    light: f64,
    open: ProvisionSet,
    network: bool,
) -> Outcome {
    if assessed < f64::from(eligibility) {
        return Outcome::Rejected;
    }
    let grant = if assessed < light {
        ProvisionSet::EMPTY
    } else if network {
        open - ProvisionSet::NETWORK
    } else {
        open
    };
    match (grant.is_empty(), network) {
        (false, _) => Outcome::Maatwerk(grant),
        (true, true) => Outcome::Network,
        (true, false) => Outcome::Algemeen,
    }
}

/// The draws of one keukentafelgesprek.
#[derive(Clone, Copy, Debug)]
struct Conversation {
    /// The assessor's reading of severity: a standard normal draw, times `wmo.assessment_noise`.
    reading: f64,
    /// The conversation ignores the carer's burden (`wmo.ignore_carer_burden`, facts.md MC25).
    ignores_burden: bool,
}

/// One keukentafelgesprek: the assessor reads the severity (with noise, less strictness),
/// weighs the network (ignoring the carer's burden in some conversations) and decides; granted
/// provisions with a capacity-limited provider are waited for.
fn decide(
    world: &mut World,
    rules: &Rules<'_>,
    local: &Local,
    i: usize,
    draws: Conversation,
    flow: &mut GemeenteFlows,
) {
    let Rules {
        w,
        ref th,
        strict,
        month,
    } = *rules;
    let age = world.citizens.age(i, month);
    let c = &mut world.citizens;
    let s = c.severity[i];
    let assessed = f64::from(s) + w.assessment_noise.get() * draws.reading - strict - local.strict;
    let mut bits = c.wmo[i].taken_up();
    let informal = if draws.ignores_burden {
        c.informal[i]
    } else {
        c.informal_ok[i]
    };
    let network = f64::from(informal) + formal_hours(w, bits, s)
        >= need_hours(s) * w.network_cover.at(month).get();
    let light = f64::from(w.light_threshold.at(month)) - local.light_offset;
    let open = needed(th, s, c.flags[i], age) - bits.held();
    bits = match outcome(
        assessed,
        w.eligibility_threshold.get(),
        light,
        open,
        network,
    ) {
        Outcome::Rejected => {
            flow.wmo_rejections += 1;
            bits.with_decided()
        }
        Outcome::Network => bits.with_decided(),
        Outcome::Algemeen => bits.with_decided().with_algemeen(true),
        Outcome::Maatwerk(grant) => grant.iter().fold(bits, |b, k| {
            if k.params(w).capacity_per_1000.at(month).get() > 0.0 {
                b.with_waiting(k)
            } else {
                b.with_held(k)
            }
        }),
    };
    c.wmo[i] = bits;
    if bits.decided() {
        c.wmo_month[i] = month.0 as u16;
    }
}

/// The month's rules for help in place.
struct Review<'a> {
    w: &'a WmoParams,
    /// The thresholds in force.
    th: Thresholds,
    /// The thresholds less `wmo.end_margin`.
    th_end: Thresholds,
    /// Strictness points of the national rules.
    strict: f64,
    network_cover: f64,
    /// Chance a month of a reassessment.
    reassess: f64,
    /// Whether a user is reassessed this month.
    k_reassess: StreamKey,
    /// The assessor's reading at a reassessment.
    k_reading: StreamKey,
    /// Whether a reassessed user leaves anyway.
    k_leave: StreamKey,
}

/// What the review of help in place reads of a citizen.
#[derive(Clone, Copy, Debug)]
pub struct Person {
    /// Limitation severity, 0-100.
    pub severity: u8,
    /// Citizen flags (the kind of limitation).
    pub flags: CitizenFlags,
    /// Age in years.
    pub age: u32,
    /// Informal care from carers who are not overloaded, hours a week.
    pub informal_ok: u8,
}

/// Help in place after this month's review of one citizen (`state` not empty): what is no
/// longer needed ends (below the thresholds by `wmo.end_margin`); at a reassessment (herindicatie,
/// MC13), what the assessor reads below the thresholds in force ends too (so a tightening
/// reaches existing users gradually), household help ends where the network covers enough of
/// the need, and some users leave anyway. Returns the new state and whether the help ended at
/// a reassessment (a decision, dated this month).
fn review_help(
    r: &Review<'_>,
    state: WmoState,
    person: Person,
    local_strictness: f64,
    id: u64,
) -> (WmoState, bool) {
    let w = r.w;
    let Person {
        severity,
        flags,
        age,
        informal_ok,
    } = person;
    let mut need = needed(&r.th_end, severity, flags, age);
    let held = state.held();
    if !held.is_empty() && r.k_reassess.stream(id).chance(r.reassess) {
        let noise = w.assessment_noise.get() * r.k_reading.stream(id).normal();
        let assessed =
            (f64::from(severity) + noise - r.strict - local_strictness).clamp(0.0, 100.0) as u8;
        need = need & needed(&r.th, assessed, flags, age);
        // Own strength first also at reassessment: a network that covers enough of the need
        // takes over household help.
        if f64::from(informal_ok) >= need_hours(severity) * r.network_cover {
            need = need - ProvisionSet::NETWORK;
        }
        if (need & held).is_empty() || r.k_leave.stream(id).chance(w.leave_share.get()) {
            return (WmoState::NONE.with_decided(), true);
        }
    }
    // What is still needed stays; an algemene voorziening stays while no maatwerk replaces it
    // and the need is above the eligibility threshold.
    let kept = state.restricted_to(need);
    let algemeen = state.algemeen() && !kept.has_maatwerk() && severity >= w.eligibility_threshold;
    (kept.with_algemeen(algemeen), false)
}

/// Phase 6a: help in place is reviewed; the heaviest cases are referred to the Wlz (and wait
/// for a place), Wlz residents leave the Wmo.
fn review(world: &mut World, p: &Params, gem: &Gemeenten, month: Month) {
    let w = &p.wmo;
    let wlz_threshold = p.wlz.threshold.at(month).get();
    let th = Thresholds::at(w, month);
    let rules = Review {
        w,
        th,
        th_end: Thresholds(th.0.map(|x| x.saturating_sub(w.end_margin))),
        strict: w.strictness.at(month).get(),
        network_cover: w.network_cover.at(month).get(),
        reassess: super::demography::monthly(w.reassessment_rate.get()),
        k_reassess: StreamKey::new(world.seed, ps::WMO_REASSESS, month.0),
        k_reading: StreamKey::new(world.seed, ps::WMO_REASSESS_READING, month.0),
        k_leave: StreamKey::new(world.seed, ps::WMO_LEAVE, month.0),
    };
    let c = &mut world.citizens;
    let (births, ids, informal, severity, household) =
        (&c.birth, &c.id, &c.informal_ok, &c.severity, &c.household);
    let hh_gemeente = &world.households.gemeente;
    c.wmo
        .par_chunks_mut(CHUNK)
        .zip(c.flags.par_chunks_mut(CHUNK))
        .zip(c.wmo_month.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, ((wmo, flags), months))| {
            for j in 0..wmo.len() {
                let i = ci * CHUNK + j;
                let f = flags[j];
                if !f.contains(ALIVE) {
                    continue;
                }
                if f.contains(WLZ) {
                    wmo[j] = WmoState::NONE;
                    continue;
                }
                let s = severity[i];
                if f64::from(s) >= wlz_threshold {
                    flags[j].insert(WLZ_WAIT);
                } else {
                    flags[j].remove(WLZ_WAIT);
                }
                if wmo[j].is_none() {
                    continue;
                }
                let age = month.0.saturating_sub(u32::from(births[i])) / 12;
                let local = gem.strictness[hh_gemeente[household[i] as usize] as usize];
                let person = Person {
                    severity: s,
                    flags: f,
                    age,
                    informal_ok: informal[i],
                };
                let (state, ended) = review_help(&rules, wmo[j], person, local, u64::from(ids[i]));
                wmo[j] = state;
                if ended {
                    months[j] = month.0 as u16;
                }
            }
        });
}

/// Providers never shrink below this share of the scenario's capacity. Assumption.
pub const MIN_CAPACITY_FACTOR: f64 = 0.5;

/// Next year's capacity `factor` (relative to the scenario's) of a region's providers of one
/// type: with `clients` places this year, `left` still waiting after admission and `in_use`
/// places taken, providers grow by `wmo.provider_growth` when the waiting list left is more
/// than `wmo.provider_waiting_trigger` of their capacity, and shrink by half that when they
/// use less than `wmo.provider_spare_trigger` of it (providers follow demand, within what staff
/// shortages allow), never below [`MIN_CAPACITY_FACTOR`].
pub fn next_capacity(w: &WmoParams, factor: f64, clients: f64, left: u32, in_use: u32) -> f64 {
    let growth = w.provider_growth.get();
    if !clients.is_finite() {
        factor
    } else if f64::from(left) > w.provider_waiting_trigger.get() * clients {
        factor * (1.0 + growth)
    } else if f64::from(in_use) < w.provider_spare_trigger.get() * clients {
        (factor * (1.0 - growth / 2.0)).max(MIN_CAPACITY_FACTOR)
    } else {
        factor
    }
}

/// Phase 6b: providers per purchasing region and type admit from their waiting lists (most
/// severe first, then longest waiting) up to capacity; each December they adjust it.
fn admit_to_providers(
    world: &mut World,
    p: &Params,
    setup: &WmoSetup,
    gem: &Gemeenten,
    capacity: &mut [PerProvision<f64>],
    month: Month,
) {
    let w = &p.wmo;
    let n_regions = setup.region_population.len();
    let region_of = |world: &World, i: usize| -> usize {
        let g = world.households.gemeente[world.citizens.household[i] as usize] as usize;
        world.geography.gemeenten[g].jeugdregio as usize
    };
    let (used, waiting) = {
        let c = &world.citizens;
        survey::<{ Provision::COUNT }, _>(c.len(), n_regions, |i, used, waiting| {
            let bits = c.wmo[i];
            if !c.flags[i].contains(ALIVE) || (bits.held() | bits.waiting()).is_empty() {
                return;
            }
            let reg = region_of(world, i);
            for k in bits.held().iter() {
                used[reg][k as usize] += 1;
            }
            for k in bits.waiting().iter() {
                waiting.push(Waiting {
                    pool: reg as u32,
                    kind: k as u8,
                    priority: 255 - c.severity[i],
                    since: c.wmo_month[i],
                    agent: i as u32,
                });
            }
        })
    };
    let scale = world.scale;
    let base_cap = |reg: usize, k: Provision| {
        capacity_clients(k.params(w), month, setup.region_population[reg], scale)
    };
    // Providers answer lower tariffs with less capacity (budget ceilings, MC42).
    let adm = admit(waiting, &used, |reg, t| {
        let k = Provision::ALL[t];
        base_cap(reg, k) * capacity[reg][k] * gem.wmo_region_tariff[reg]
    });
    let c = &mut world.citizens;
    for a in &adm.admitted {
        let i = a.agent as usize;
        c.wmo[i] = c.wmo[i].admitted(Provision::ALL[usize::from(a.kind)]);
    }
    if month.is_december() {
        for (reg, factors) in capacity.iter_mut().enumerate() {
            for k in Provision::ALL {
                let t = k as usize;
                let clients = base_cap(reg, k) * factors[k];
                let in_use = used[reg][t] + adm.admitted_n[reg][t];
                factors[k] = next_capacity(w, factors[k], clients, adm.left[reg][t], in_use);
            }
        }
    }
}

/// Phase 6c: the Wlz admits to free places, heaviest first.
fn admit_to_wlz(world: &mut World, p: &Params, month: Month) {
    let places = p.wlz.places.at(month).get() * world.scale;
    let (in_wlz, mut queue) = {
        let c = &world.citizens;
        let parts = map_chunks(c.len(), |r| {
            let mut n = 0u32;
            let mut q = Vec::new();
            for i in r {
                let f = c.flags[i];
                if !f.contains(ALIVE) {
                    continue;
                }
                if f.contains(WLZ) {
                    n += 1;
                } else if f.contains(WLZ_WAIT) {
                    q.push((255 - c.severity[i], i as u32));
                }
            }
            (n, q)
        });
        let n: u32 = parts.iter().map(|x| x.0).sum();
        (n, parts.into_iter().flat_map(|x| x.1).collect::<Vec<_>>())
    };
    queue.sort_unstable();
    let free = (places - f64::from(in_wlz)).max(0.0).floor() as usize;
    let c = &mut world.citizens;
    for &(_, i) in queue.iter().take(free) {
        c.flags[i as usize].insert(WLZ);
        c.flags[i as usize].remove(WLZ_WAIT);
        c.wmo[i as usize] = WmoState::NONE;
    }
}

/// Phase 6: provision. Help ends where the need is gone; providers admit from their waiting
/// lists as capacity frees up; the Wlz admits to free places.
/// `capacity` holds each region's provider capacity per type relative to the scenario's
/// `capacity_per_1000`; providers adjust it each December (see [`next_capacity`]).
pub fn provide(
    world: &mut World,
    p: &Params,
    setup: &WmoSetup,
    gem: &Gemeenten,
    capacity: &mut [PerProvision<f64>],
    month: Month,
) {
    review(world, p, gem, month);
    admit_to_providers(world, p, setup, gem, capacity, month);
    admit_to_wlz(world, p, month);
}

/// Clients (at per-trajectory hours) a region's providers of one type can serve this month;
/// infinite when the capacity is 0 (not limited). Per-hour contracts supply more hours per
/// client, so the same staff serve fewer clients (facts.md MC34).
pub fn capacity_clients(
    pp: &ProvisionParams,
    month: Month,
    region_population: f64,
    scale: f64,
) -> f64 {
    let per_1000 = pp.capacity_per_1000.at(month).get();
    if per_1000 <= 0.0 {
        return f64::INFINITY;
    }
    let hours_factor = if pp.hours_per_week.get() > 0.0 {
        pp.contract.hours_factor()
    } else {
        1.0
    };
    per_1000 * region_population / 1000.0 * scale / hours_factor
}

/// National Wmo counts of one month.
#[derive(Clone, Debug, Default)]
pub struct WmoTally {
    /// Users of any maatwerk.
    pub users: u32,
    /// Users per maatwerk provision.
    pub by_provision: PerProvision<u32>,
    /// Users of an algemene voorziening (after a referral).
    pub algemeen: u32,
    /// Maatwerk users aged 65+.
    pub users_65_plus: u32,
    /// Maatwerk users by household income quintile.
    pub by_quintile: [u32; 5],
    /// Waiting for assessment or a provider.
    pub waiting: u32,
    /// Sum of months waited by those waiting.
    pub wait_months: u64,
    /// Adults with a limitation whose need is not covered by informal and formal help.
    pub unmet: u32,
    /// Adults with a limitation (severity >= 10).
    pub limited: u32,
    /// In the Wlz.
    pub wlz: u32,
    /// Per gemeente: (maatwerk users, waiting, Wlz).
    pub per_gemeente: Vec<[u32; 3]>,
}

/// Counts users, waiting, unmet need and Wlz residents.
pub fn measure(world: &World, p: &Params, setup: &WmoSetup, month: Month) -> WmoTally {
    let w = &p.wmo;
    let n_g = world.geography.gemeenten.len();
    let c = &world.citizens;
    let h = &world.households;
    let parts = map_chunks(c.len(), |r| {
        let mut t = WmoTally {
            per_gemeente: vec![[0; 3]; n_g],
            ..Default::default()
        };
        for i in r {
            let f = c.flags[i];
            if !f.contains(ALIVE) {
                continue;
            }
            let hh = c.household[i] as usize;
            let g = h.gemeente[hh] as usize;
            if f.contains(WLZ) {
                t.wlz += 1;
                t.per_gemeente[g][2] += 1;
                continue;
            }
            let s = c.severity[i];
            if s >= LIMITED_SEVERITY {
                t.limited += 1;
                let gap = need_hours(s) - f64::from(c.informal[i]) - formal_hours(w, c.wmo[i], s);
                if gap >= GAP_HOURS {
                    t.unmet += 1;
                }
            }
            let bits = c.wmo[i];
            if bits.is_none() {
                continue;
            }
            for k in bits.held().iter() {
                t.by_provision[k] += 1;
            }
            t.algemeen += u32::from(bits.algemeen());
            if bits.has_maatwerk() {
                t.users += 1;
                t.per_gemeente[g][0] += 1;
                if c.age(i, month) >= OLD_USER_AGE {
                    t.users_65_plus += 1;
                }
                t.by_quintile[setup.quintile(h.income[hh])] += 1;
            }
            if bits.in_queue() {
                t.waiting += 1;
                t.per_gemeente[g][1] += 1;
                t.wait_months += u64::from(month.0.saturating_sub(u32::from(c.wmo_month[i])));
            }
        }
        t
    });
    let mut t = WmoTally {
        per_gemeente: vec![[0; 3]; n_g],
        ..Default::default()
    };
    for x in parts {
        t.users += x.users;
        t.users_65_plus += x.users_65_plus;
        t.waiting += x.waiting;
        t.wait_months += x.wait_months;
        t.unmet += x.unmet;
        t.limited += x.limited;
        t.wlz += x.wlz;
        t.by_provision.add(&x.by_provision);
        t.algemeen += x.algemeen;
        for k in 0..5 {
            t.by_quintile[k] += x.by_quintile[k];
        }
        for (a, b) in t.per_gemeente.iter_mut().zip(&x.per_gemeente) {
            for k in 0..3 {
                a[k] += b[k];
            }
        }
    }
    t
}

/// A lump sum is paid for the capacity (`lump_sum` contract with a capacity); without a
/// capacity to pay for, clients are billed per month at the cost price.
fn lump(pp: &ProvisionParams, month: Month) -> bool {
    pp.contract == ContractForm::LumpSum && pp.capacity_per_1000.at(month).get() > 0.0
}

/// What a provision's providers bill per client a month (0 under a lump sum).
fn billed_per_client(pp: &ProvisionParams, month: Month) -> f64 {
    if lump(pp, month) {
        0.0
    } else if pp.contract == ContractForm::LumpSum {
        unit_cost(pp)
    } else {
        billed_cost(pp)
    }
}

/// One Wmo user's costs in a month.
#[derive(Clone, Copy, Debug)]
struct UserCost {
    household: u32,
    state: WmoState,
    /// Cost price of the maatwerk held (the basis of the co-payment).
    cost: f64,
    /// Of which always income-dependent ([`Provision::always_income_dependent`]).
    income_dependent: f64,
    /// Uses two or more laws this year.
    stacked: bool,
}

/// Every user of maatwerk or an algemene voorziening, sorted by household.
fn user_costs(world: &World, unit: &PerProvision<f64>) -> Vec<UserCost> {
    let c = &world.citizens;
    let mut rows: Vec<UserCost> = map_chunks(c.len(), |r| {
        let mut out = Vec::new();
        for i in r {
            let state = c.wmo[i];
            if !c.flags[i].contains(ALIVE) || (!state.has_maatwerk() && !state.algemeen()) {
                continue;
            }
            out.push(UserCost {
                household: c.household[i],
                state,
                cost: state.held().iter().map(|k| unit[k]).sum(),
                income_dependent: state
                    .held()
                    .iter()
                    .filter(|k| k.always_income_dependent())
                    .fold(0.0, |a, k| a + unit[k]),
                stacked: super::gemeente::stacked(c.laws[i]),
            });
        }
        out
    })
    .into_iter()
    .flatten()
    .collect();
    rows.par_sort_by_key(|r| r.household);
    rows
}

/// The gemeente and the co-payment (`None` without maatwerk) of the household whose users are
/// `rows`.
fn household_copay(
    world: &World,
    w: &WmoParams,
    month: Month,
    aow_months: u32,
    rows: &[UserCost],
) -> (usize, Option<f64>) {
    let (c, h) = (&world.citizens, &world.households);
    let hh = rows[0].household as usize;
    let (mut cost, mut income_dependent) = (0.0, 0.0);
    for row in rows {
        cost += row.cost;
        income_dependent += row.income_dependent;
    }
    let copay_eur = if cost > 0.0 {
        let head = h.adults[hh][0];
        let aow = head != super::world::NONE
            && month.0.saturating_sub(u32::from(c.birth[head as usize])) >= aow_months;
        let income = copay_income(h.income[hh], h.n_adults(hh));
        Some(copay(w, month, cost, income_dependent, income, aow))
    } else {
        None
    };
    (h.gemeente[hh] as usize, copay_eur)
}

/// Lump sums: paid per gemeente for the capacity, whatever the use.
fn lump_sums(world: &World, w: &WmoParams, month: Month, flows: &mut [GemeenteFlows]) {
    let kinds = Provision::ALL
        .into_iter()
        .map(|k| (Some(k), k.params(w)))
        .chain([(None, &w.algemeen)]);
    for (k, pp) in kinds {
        if !lump(pp, month) {
            continue;
        }
        let per_1000 = pp.capacity_per_1000.at(month).get();
        let unit = unit_cost(pp);
        for (g, gm) in world.geography.gemeenten.iter().enumerate() {
            let lump_sum = per_1000 * gm.population as f64 / 1000.0 * world.scale * unit;
            let f = &mut flows[g];
            f.law_spending_eur += lump_sum;
            f.wmo_spending_eur += lump_sum;
            match k {
                Some(k) => f.wmo_spending_by_provision[k] += lump_sum,
                None => f.wmo_spending_algemeen_eur += lump_sum,
            }
        }
    }
}

/// Phase 8 (Wmo part): spending per gemeente (per-client billing, plus lump sums per
/// gemeente) and co-payments per household, added to `flows`.
pub fn money(
    world: &World,
    p: &Params,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let aow_months = aow_age_months(p, month);
    let billed = PerProvision::from_fn(|k| billed_per_client(k.params(w), month));
    let billed_algemeen = billed_per_client(&w.algemeen, month);
    let rows = user_costs(world, &PerProvision::from_fn(|k| unit_cost(k.params(w))));
    // Households (runs of rows): their gemeente and co-payment, in parallel.
    let households: Vec<&[UserCost]> = rows.chunk_by(|a, b| a.household == b.household).collect();
    let copays: Vec<(usize, Option<f64>)> = households
        .par_iter()
        .map(|users| household_copay(world, w, month, aow_months, users))
        .collect();
    // Spending in household order (the sums are the same on any number of threads).
    for (users, &(g, copay_eur)) in households.iter().zip(&copays) {
        let tariff = gem.wmo_tariff[g];
        let f = &mut flows[g];
        for u in users.iter() {
            for k in u.state.held().iter() {
                let cost = billed[k] * tariff;
                f.wmo_spending_by_provision[k] += cost;
                spend(f, cost, u.stacked);
            }
            if u.state.algemeen() {
                let cost = billed_algemeen * tariff;
                f.wmo_spending_algemeen_eur += cost;
                spend(f, cost, u.stacked);
            }
        }
        if let Some(x) = copay_eur {
            f.wmo_copay_eur += x;
        }
    }
    lump_sums(world, w, month, flows);
}

/// Adds Wmo spending to a gemeente's flows (also to its stacked spending if `stacked`).
fn spend(f: &mut GemeenteFlows, cost: f64, stacked: bool) {
    f.wmo_spending_eur += cost;
    f.law_spending_eur += cost;
    if stacked {
        f.stacked_eur += cost;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use crate::scenario::types::Dated;
    use serde_json::json;

    fn close(got: f64, want: f64) -> bool {
        (got - want).abs() < 1e-9
    }

    /// The CAK schedule of 2017 (rounded) and the abonnementstarief of 2020, as in the
    /// reference scenario (Wmo 2015 art. 2.1.4; Uitvoeringsbesluit Wmo 2015, ch. 3).
    fn copay_params(rule: &str) -> WmoParams {
        patched(
            &reference().wmo,
            json!({ "copay": {
                "rule": rule,
                "flat_monthly_eur": 19.0,
                "minimum_per_period_eur": 17.5,
                "income_threshold_eur": 22500.0,
                "income_threshold_aow_eur": 17000.0,
                "marginal_rate": 0.15,
            }}),
        )
    }

    /// The minimum a month: EUR 17,50 per four weeks, 13 periods a year.
    const MINIMUM: f64 = 17.5 * 13.0 / 12.0;

    #[test]
    fn income_dependent_max_follows_the_cak_schedule() {
        let w = copay_params("income_dependent");
        // (yearly income, head at the AOW age, most a month)
        let rows = [
            // Incomes up to the threshold pay the minimum per four weeks (CAK 2015-2018).
            (0.0, false, MINIMUM),
            (22_500.0, false, MINIMUM),
            // Above it, 15% of the income above the threshold is added to the yearly maximum.
            (32_500.0, false, (227.5 + 1_500.0) / 12.0),
            // From the AOW age the threshold is lower (CAK: separate thresholds for 65+/AOW).
            (17_000.0, true, MINIMUM),
            (32_500.0, true, (227.5 + 0.15 * 15_500.0) / 12.0),
        ];
        for (income, aow, want) in rows {
            let got = income_dependent_max(&w, income, aow);
            assert!(close(got, want), "{income} {aow}: {got} != {want}");
        }
    }

    #[test]
    fn copay_under_both_rules() {
        let income_dependent = copay_params("income_dependent");
        let flat = copay_params("flat");
        let month = Month::new(2020, 6);
        // (rule, cost price a month, of which always income-dependent, income, AOW, co-payment)
        let rows = [
            // Income-dependent (2015-2018): the CAK maximum, never more than the cost price.
            (&income_dependent, 300.0, 0.0, 20_000.0, false, MINIMUM),
            (
                &income_dependent,
                300.0,
                0.0,
                32_500.0,
                false,
                1_727.5 / 12.0,
            ),
            (&income_dependent, 50.0, 0.0, 32_500.0, false, 50.0),
            (&income_dependent, 300.0, 0.0, 20_000.0, true, 677.5 / 12.0),
            // Abonnementstarief (from 2019, facts.md AB1): one amount whatever the income
            // (EUR 19 a month from 2020), never more than the cost price.
            (&flat, 300.0, 0.0, 60_000.0, false, 19.0),
            (&flat, 300.0, 0.0, 0.0, false, 19.0),
            (&flat, 10.0, 0.0, 60_000.0, false, 10.0),
            // Beschermd wonen and opvang keep an income-dependent contribution under both
            // rules (the abonnementstarief does not cover them).
            (&flat, 3_000.0, 3_000.0, 32_500.0, false, 1_727.5 / 12.0),
            (&flat, 3_300.0, 3_000.0, 20_000.0, false, 19.0 + MINIMUM),
            (
                &income_dependent,
                3_300.0,
                3_000.0,
                20_000.0,
                false,
                2.0 * MINIMUM,
            ),
        ];
        for (w, cost, stay, income, aow, want) in rows {
            let got = copay(w, month, cost, stay, income, aow);
            assert!(close(got, want), "{cost} {stay} {income}: {got} != {want}");
        }
        // The rule in force is dated: the reference switches on 1 January 2019 (AB1).
        let mut w = copay_params("flat");
        w.copay.rule = reference().wmo.copay.rule;
        let december = |w: &WmoParams| copay(w, Month::new(2018, 12), 300.0, 0.0, 20_000.0, false);
        assert!(close(december(&w), MINIMUM));
        w.copay.rule = Dated::constant(CoPayRule::Flat);
        assert!(close(december(&w), 19.0));
    }

    #[test]
    fn copay_income_is_equivalised() {
        // CBS equivalence scale (rounded): a couple needs 1.4 times a single person's income.
        for (income, adults, want) in [(20_000, 1, 20_000.0), (20_000, 2, 28_000.0)] {
            assert!(close(copay_income(income, adults), want));
        }
    }

    #[test]
    fn needed_by_limitation_and_age() {
        use Provision::*;
        // Thresholds hh 55, thuis 38, hulpmiddelen 23, verblijf 65 (the reference from 2015).
        let th = Thresholds(PerProvision([55, 38, 23, 65]));
        let set = |ks: &[Provision]| ks.iter().fold(ProvisionSet::EMPTY, |s, &k| s.with(k));
        // (severity, psychosocial or cognitive, age, provisions needed)
        let rows: [(u8, bool, u32, &[Provision]); 10] = [
            // No need below every threshold.
            (10, false, 50, &[]),
            // Aids, housing and transport for physical limitations (facts.md W3).
            (30, false, 50, &[Hulpmiddelen]),
            // Household help for heavier physical limitations (W1).
            (60, false, 50, &[Hh, Hulpmiddelen]),
            // Begeleiding for psychosocial or cognitive limitations (W2).
            (40, true, 40, &[Thuis]),
            // Beschermd wonen for severe psychosocial problems (W4) ...
            (70, true, 40, &[Thuis, Verblijf]),
            // ... below 65 (older people go to the Wlz; assumption).
            (70, true, 70, &[Thuis]),
            // Household help for the very old whatever the limitation (assumption).
            (60, true, 76, &[Hh, Thuis]),
            (60, true, 74, &[Thuis]),
            // Ondersteuning thuis at old age for heavy physical limitations (dementia,
            // frailty; assumption): from 80, at 60 points or the threshold if higher.
            (60, false, 82, &[Hh, Thuis, Hulpmiddelen]),
            (59, false, 82, &[Hh, Hulpmiddelen]),
        ];
        for (severity, mental, age, want) in rows {
            let flags = if mental { MENTAL } else { CitizenFlags::EMPTY };
            assert_eq!(
                needed(&th, severity, flags, age),
                set(want),
                "severity {severity}, mental {mental}, age {age}"
            );
        }
    }

    #[test]
    fn formal_hours_by_provision() {
        use Provision::*;
        let w = patched(
            &reference().wmo,
            json!({
                "hh": { "hours_per_week": 2.5, "contract": "per_hour" },
                "thuis": { "hours_per_week": 2.0, "contract": "per_trajectory" },
                "algemeen": { "hours_per_week": 1.0 },
                "aids_need_share": 0.15,
            }),
        );
        let none = WmoState::NONE;
        let per_hour = ContractForm::PerHour.hours_factor();
        // Severity 60: a need of 20 hours a week.
        assert!(close(need_hours(60), 20.0));
        // (state, hours a week covered)
        let rows = [
            (none, 0.0),
            // Per-hour contracts supply more hours per client (facts.md MC34).
            (none.with_held(Hh), 2.5 * per_hour),
            (none.with_held(Thuis), 2.0),
            (none.with_held(Hh).with_held(Thuis), 2.5 * per_hour + 2.0),
            // Aids take over a share of the tasks (assumption).
            (none.with_held(Hulpmiddelen), 0.15 * 20.0),
            // A stay covers the whole need (beschermd wonen, W4).
            (none.with_held(Verblijf).with_held(Thuis), 20.0),
            // An algemene voorziening's hours (W8).
            (none.with_algemeen(true), 1.0),
            (none.with_held(Hh).with_algemeen(true), 2.5 * per_hour + 1.0),
            // Waiting for help covers nothing.
            (none.with_waiting(Hh), 0.0),
        ];
        for (state, want) in rows {
            let got = formal_hours(&w, state, 60);
            assert!(close(got, want), "{state:?}: {got} != {want}");
        }
    }

    #[test]
    fn keukentafelgesprek_outcomes() {
        use Provision::*;
        let set = |ks: &[Provision]| ks.iter().fold(ProvisionSet::EMPTY, |s, &k| s.with(k));
        let (eligibility, light) = (16, 26.0);
        // (assessed severity, needed and not held, network covers enough, outcome)
        let rows = [
            // Below the eligibility threshold: rejected (facts.md R1: about 3%).
            (10.0, set(&[Hh]), false, Outcome::Rejected),
            // Light cases: an algemene voorziening (ZL1) ...
            (20.0, set(&[Hh]), false, Outcome::Algemeen),
            // ... or back to the network, own strength first (MC24).
            (20.0, set(&[Hh]), true, Outcome::Network),
            // Maatwerk for what is needed ...
            (
                40.0,
                set(&[Hh, Thuis]),
                false,
                Outcome::Maatwerk(set(&[Hh, Thuis])),
            ),
            // ... less what the network can give (household help), not begeleiding.
            (
                40.0,
                set(&[Hh, Thuis]),
                true,
                Outcome::Maatwerk(set(&[Thuis])),
            ),
            (40.0, set(&[Hh]), true, Outcome::Network),
            // Nothing more needed: an algemene voorziening.
            (40.0, ProvisionSet::EMPTY, false, Outcome::Algemeen),
        ];
        for (assessed, open, network, want) in rows {
            assert_eq!(
                outcome(assessed, eligibility, light, open, network),
                want,
                "{assessed} {open:?} {network}"
            );
        }
    }

    #[test]
    fn providers_follow_demand() {
        // The reference's triggers (assumptions): grow 3% a year with a waiting list beyond 2%
        // of capacity, shrink 1.5% when less than 90% is used.
        let w = patched(
            &reference().wmo,
            json!({
                "provider_growth": 0.03,
                "provider_waiting_trigger": 0.02,
                "provider_spare_trigger": 0.9,
            }),
        );
        // (factor, clients, left waiting, in use, next factor)
        let rows = [
            // No capacity limit: nothing to adjust.
            (1.0, f64::INFINITY, 5, 0, 1.0),
            // A waiting list beyond 2% of capacity: grow by the yearly growth.
            (1.0, 100.0, 3, 100, 1.03),
            (1.0, 100.0, 2, 100, 1.0),
            // Less than 90% used: shrink by half the growth ...
            (1.0, 100.0, 0, 80, 0.985),
            // ... never below half the scenario's capacity.
            (0.5, 100.0, 0, 10, 0.5),
            (1.0, 100.0, 0, 95, 1.0),
        ];
        for (factor, clients, left, in_use, want) in rows {
            let got = next_capacity(&w, factor, clients, left, in_use);
            assert!(
                close(got, want),
                "{factor} {clients} {left} {in_use}: {got}"
            );
        }
    }

    #[test]
    fn the_co_payment_deters_applying() {
        let w = patched(
            &reference().wmo,
            json!({ "apply_rate": 0.1, "price_sensitivity": 2.0 }),
        );
        // (urgency, awareness, co-payment, value of the help, chance a month); facts.md MC14.
        let rows = [
            (1.0, 1.0, 0.0, 100.0, 0.1),
            (0.5, 0.5, 0.0, 100.0, 0.025),
            // Awareness is a chance: at most 1 however much outreach raises it.
            (1.0, 1.5, 0.0, 100.0, 0.1),
            (1.0, 1.0, 50.0, 100.0, 0.1 * (-1.0f64).exp()),
            // Help worth less than a euro is weighed as a euro.
            (1.0, 1.0, 1.0, 0.0, 0.1 * (-2.0f64).exp()),
        ];
        for (urgency, awareness, price, value, want) in rows {
            let got = apply_probability(&w, urgency, awareness, price, value);
            assert!(
                close(got, want),
                "{urgency} {awareness} {price} {value}: {got}"
            );
        }
    }
}
