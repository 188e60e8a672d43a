//! Phases 4-6 and 8 of a month for the Wmo 2015: seeking help, the keukentafelgesprek,
//! provision by capacity-limited providers with waiting lists, the Wlz boundary, and money
//! (spending and co-payments).
//!
//! Provision types (facts.md W1-W4, W8): huishoudelijke hulp, ondersteuning thuis,
//! hulpmiddelen en diensten, verblijf en opvang, and algemene voorzieningen. Providers are
//! pooled per type and purchasing region (the jeugdregio stands in for the Wmo purchasing
//! region); capacity, tariff and contract form are scenario parameters.

use super::gemeente::Gemeenten;
use super::indicators::GemeenteFlows;
use super::needs::{ADULT_AGE, need_hours};
use super::provision::{Cover, PerProvision, Provision, ProvisionSet, WmoState};
use super::streams as ps;
use super::world::{ALIVE, MENTAL, WLZ, WLZ_WAIT, World};
use crate::engine::{Month, Stream, StreamKey, Waiting, admit, map_chunks, survey};
use crate::scenario::params::{
    CoPayRule, ContractForm, LightHelpEffect, Params, ProvisionParams, WmoParams,
};
use rayon::prelude::*;

/// Weeks in a month on average.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// The severity thresholds of the maatwerk provisions in force in a month.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds(pub PerProvision<u8>);

impl Thresholds {
    /// The thresholds in force in `month`.
    pub fn at(p: &WmoParams, month: Month) -> Thresholds {
        Thresholds(PerProvision::from_fn(|k| k.params(p).threshold.at(month)))
    }

    /// The lowest of them.
    pub fn min(&self) -> u8 {
        self.0.values().iter().copied().min().unwrap_or(0)
    }
}

/// The maatwerk provisions a citizen needs, by severity, kind of limitation (`flags`) and
/// age: each provision's need rule ([`Provision::needed_by`]) at its threshold.
pub fn needed(th: &Thresholds, severity: u8, flags: u8, age: u32) -> ProvisionSet {
    let mental = flags & MENTAL != 0;
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
            Cover::ShareOfNeed => h += 0.15 * need,
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
/// equivalence factor (1 for one adult, 1.4 for two; CBS equivalence scale, rounded).
pub fn copay_income(equivalised: u32, adults: u8) -> f64 {
    f64::from(equivalised) * if adults >= 2 { 1.4 } else { 1.0 }
}

/// The most a household pays a month under the income-dependent rule.
pub fn income_dependent_max(p: &WmoParams, income: f64, aow: bool) -> f64 {
    let c = &p.copay;
    let threshold = if aow {
        c.income_threshold_aow_eur.get()
    } else {
        c.income_threshold_eur.get()
    };
    (c.minimum_per_period_eur.get() * 13.0 + c.marginal_rate.get() * (income - threshold).max(0.0))
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

/// Phase 4: citizens with unmet need decide whether to apply (melding).
pub fn seek(
    world: &mut World,
    p: &Params,
    gem: &Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let outreach_effect = p.gemeente.outreach_effect.get();
    let seed = world.seed;
    let key = StreamKey::new(seed, ps::WMO_APPLY, month.0);
    let th = Thresholds::at(w, month);
    let min_threshold = w.eligibility_threshold.min(th.min());
    let suction = if p.needs.light_help_effect == LightHelpEffect::Suction {
        p.needs.light_help_strength.get()
    } else {
        0.0
    };
    let applicants: Vec<Vec<u32>> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                let f = c.flags[i];
                let s = c.severity[i];
                if f & ALIVE == 0 || f & WLZ != 0 || s < min_threshold {
                    continue;
                }
                let bits = c.wmo[i];
                if bits.in_queue() {
                    continue;
                }
                if bits.decided()
                    && month.0.saturating_sub(u32::from(c.wmo_month[i]))
                        < u32::from(w.reapply_months)
                {
                    continue;
                }
                let age = c.age(i, month);
                if age < ADULT_AGE {
                    continue;
                }
                let need = need_hours(s);
                let gap = need - f64::from(c.informal[i]) - formal_hours(w, bits, s);
                let wanted = needed(&th, s, f, age) - bits.held();
                // Aids and transport (a wheelchair, a stairlift, a regiotaxi pass) are a need
                // of their own that a carer's hours do not cover (facts.md W3, W9): someone
                // who needs them applies even when informal care covers the hours.
                let aids = wanted.intersects(ProvisionSet::BEYOND_CARERS);
                if gap < 1.0 && !aids {
                    continue;
                }
                let urgency = if aids { 1.0 } else { (gap / need).min(1.0) };
                // The price to them: the co-payment against the value of the help (MC14).
                let hh = c.household[i] as usize;
                let cost: f64 = wanted
                    .iter()
                    .map(|k| unit_cost(k.params(w)))
                    .sum::<f64>()
                    .max(unit_cost(&w.algemeen));
                let verblijf = wanted
                    .iter()
                    .filter(|k| k.always_income_dependent())
                    .fold(0.0, |a, k| a + unit_cost(k.params(w)));
                let head_age = if h.adults[hh][0] == super::world::NONE {
                    age
                } else {
                    c.age(h.adults[hh][0] as usize, month)
                };
                let income = copay_income(h.income[hh], h.n_adults(hh));
                let price = copay(w, month, cost, verblijf, income, head_age >= 67);
                let mut value =
                    gap.min(need).max(0.0) * WEEKS_PER_MONTH * w.private_price_eur.get();
                if aids {
                    value = value.max(unit_cost(&w.hulpmiddelen));
                }
                // Spare wijkteam time goes to outreach: more people know the route (MC55).
                let outreach = 1.0 + outreach_effect * gem.outreach[h.gemeente[hh] as usize];
                let mut prob = w.apply_rate.get()
                    * urgency
                    * (w.awareness.get() * outreach).min(1.0)
                    * (-w.price_sensitivity.get() * price / value.max(1.0)).exp();
                if bits.light_help() {
                    prob *= 1.0 + suction;
                }
                if key.stream(u64::from(c.id[i])).chance(prob) {
                    out.push(i as u32);
                }
            }
            out
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
    let mut queue: Vec<(u16, u16, u32)> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i] & ALIVE != 0 && c.wmo[i].applied())
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
    let key = StreamKey::new(seed, ps::WMO_ASSESS, month.0);
    let mut start = 0;
    while start < queue.len() {
        let g = queue[start].0;
        let end = start + queue[start..].iter().take_while(|q| q.0 == g).count();
        let gu = g as usize;
        let expected = w.assessment_capacity.get() / 10_000.0
            * world.geography.gemeenten[gu].population as f64
            * scale
            * gem.team_capacity[gu]
            * p.gemeente.team_investment.at(month).get();
        let mut rng = Stream::new(seed, ps::WMO_CAPACITY, u64::from(g), month.0);
        let capacity = expected.floor() as usize + usize::from(rng.chance(expected.fract()));
        let local = Local {
            strict: gem.strictness[gu],
            light_offset: gem.light_offset[gu],
        };
        for &(_, _, i) in &queue[start..end.min(start + capacity)] {
            decide(
                world,
                &rules,
                &local,
                i as usize,
                &mut key.stream(u64::from(world.citizens.id[i as usize])),
                &mut flows[gu],
            );
        }
        gem.assessed[gu][1] = (end - start).min(capacity) as u32;
        start = end;
    }
    // Capacity of every gemeente, also those without applicants (for outreach).
    for (g, gm) in world.geography.gemeenten.iter().enumerate() {
        let expected = w.assessment_capacity.get() / 10_000.0
            * gm.population as f64
            * scale
            * gem.team_capacity[g]
            * p.gemeente.team_investment.at(month).get();
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

fn decide(
    world: &mut World,
    rules: &Rules<'_>,
    local: &Local,
    i: usize,
    rng: &mut Stream,
    flow: &mut GemeenteFlows,
) {
    let Rules {
        w,
        th,
        strict,
        month,
    } = *rules;
    let th = &th;
    let age = world.citizens.age(i, month);
    let c = &mut world.citizens;
    let s = c.severity[i];
    let assessed = f64::from(s) + w.assessment_noise.get() * rng.normal() - strict - local.strict;
    let mut bits = c.wmo[i].taken_up();
    let informal = if rng.chance(w.ignore_carer_burden.get()) {
        c.informal[i]
    } else {
        c.informal_ok[i]
    };
    // Own strength and network first: where informal care covers enough of the need, the
    // help a network can give (household help, light support) is left to it; support it
    // cannot give (begeleiding, aids, sheltered housing) is still granted.
    let network = f64::from(informal) + formal_hours(w, bits, s)
        >= need_hours(s) * w.network_cover.at(month).get();
    if assessed < f64::from(w.eligibility_threshold) {
        bits = bits.with_decided();
        flow.wmo_rejections += 1;
    } else if assessed < f64::from(w.light_threshold.at(month)) - local.light_offset {
        bits = bits.with_decided().with_algemeen(!network);
    } else {
        let mut grant = needed(th, s, c.flags[i], age) - bits.held();
        if network {
            grant = grant - ProvisionSet::NETWORK;
        }
        if grant.is_empty() {
            bits = bits.with_decided().with_algemeen(!network);
        }
        for k in grant.iter() {
            bits = if k.params(w).capacity_per_1000.at(month).get() > 0.0 {
                bits.with_waiting(k)
            } else {
                bits.with_held(k)
            };
        }
    }
    c.wmo[i] = bits;
    if bits.decided() {
        c.wmo_month[i] = month.0 as u16;
    }
}

/// Phase 6: provision. Help ends where the need is gone; providers admit from their waiting
/// lists (most severe first, then longest waiting) as capacity frees up; the Wlz admits to
/// free places.
/// `capacity` holds each region's provider capacity per type relative to the scenario's
/// `capacity_per_1000`; providers adjust it each December (see `provider_growth`).
pub fn provide(
    world: &mut World,
    p: &Params,
    setup: &WmoSetup,
    gem: &Gemeenten,
    capacity: &mut [PerProvision<f64>],
    month: Month,
) {
    let w = &p.wmo;
    // a. End what is no longer needed; refer the heaviest cases to the Wlz.
    let wlz_threshold = p.wlz.threshold.at(month).get();
    let th = Thresholds::at(w, month);
    let th_end = Thresholds(th.0.map(|x| x.saturating_sub(5)));
    let strict = w.strictness.at(month).get();
    {
        let births = &world.citizens.birth;
        let ids = &world.citizens.id;
        let informal = &world.citizens.informal_ok;
        let network_cover = w.network_cover.at(month).get();
        let severity = &world.citizens.severity;
        let household = &world.citizens.household;
        let hh_gemeente = &world.households.gemeente;
        let c_flags = &mut world.citizens.flags;
        let wmo = &mut world.citizens.wmo;
        let wmo_month = &mut world.citizens.wmo_month;
        let k_exit = StreamKey::new(world.seed, ps::WMO_EXIT, month.0);
        let exit_m = super::demography::monthly(w.reassessment_rate.get());
        use rayon::prelude::*;
        wmo.par_chunks_mut(crate::engine::CHUNK)
            .zip(c_flags.par_chunks_mut(crate::engine::CHUNK))
            .zip(wmo_month.par_chunks_mut(crate::engine::CHUNK))
            .enumerate()
            .for_each(|(ci, ((wmo, flags), months))| {
                for j in 0..wmo.len() {
                    let i = ci * crate::engine::CHUNK + j;
                    let f = flags[j];
                    if f & ALIVE == 0 {
                        continue;
                    }
                    let s = severity[i];
                    if f & WLZ != 0 {
                        wmo[j] = WmoState::NONE;
                        continue;
                    }
                    if f64::from(s) >= wlz_threshold {
                        flags[j] |= WLZ_WAIT;
                    } else {
                        flags[j] &= !WLZ_WAIT;
                    }
                    let bits = wmo[j];
                    if bits.is_none() {
                        continue;
                    }
                    let age = month.0.saturating_sub(u32::from(births[i])) / 12;
                    // Help ends when need falls clearly below the thresholds (a margin of 5
                    // points), or at a reassessment when the assessor reads it below the
                    // thresholds in force now (so a tightening reaches existing users
                    // gradually, as gemeenten reassessed them).
                    let mut need = needed(&th_end, s, f, age);
                    let held = bits.held();
                    if !held.is_empty() {
                        let mut rng = k_exit.stream(u64::from(ids[i]));
                        if rng.chance(exit_m) {
                            let local = gem.strictness[hh_gemeente[household[i] as usize] as usize];
                            let assessed = (f64::from(s) + w.assessment_noise.get() * rng.normal()
                                - strict
                                - local)
                                .clamp(0.0, 100.0) as u8;
                            need = need & needed(&th, assessed, f, age);
                            // Own strength first also at reassessment: a network that covers
                            // enough of the need takes over household help.
                            if f64::from(informal[i]) >= need_hours(s) * network_cover {
                                need = need - ProvisionSet::NETWORK;
                            }
                            if (need & held).is_empty() || rng.chance(w.leave_share.get()) {
                                wmo[j] = WmoState::NONE.with_decided();
                                months[j] = month.0 as u16;
                                continue;
                            }
                        }
                    }
                    // What is still needed stays; an algemene voorziening stays while no
                    // maatwerk replaces it and the need is above the eligibility threshold.
                    let b = bits.restricted_to(need);
                    wmo[j] = b.with_algemeen(
                        bits.algemeen() && !b.has_maatwerk() && s >= w.eligibility_threshold,
                    );
                }
            });
    }
    // b. Capacity per purchasing region and type, and who is waiting for it.
    let n_regions = setup.region_population.len();
    let region_of = |world: &World, i: usize| -> usize {
        let g = world.households.gemeente[world.citizens.household[i] as usize] as usize;
        world.geography.gemeenten[g].jeugdregio as usize
    };
    let (used, waiting) = {
        let c = &world.citizens;
        survey::<{ Provision::COUNT }, _>(c.len(), n_regions, |i, used, waiting| {
            let bits = c.wmo[i];
            if c.flags[i] & ALIVE == 0 || (bits.held() | bits.waiting()).is_empty() {
                return;
            }
            let reg = region_of(world, i);
            for k in Provision::ALL {
                if bits.holds(k) {
                    used[reg][k as usize] += 1;
                }
                if bits.waits_for(k) {
                    waiting.push(Waiting {
                        pool: reg as u32,
                        kind: k as u8,
                        priority: 255 - c.severity[i],
                        since: c.wmo_month[i],
                        agent: i as u32,
                    });
                }
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
    for a in &adm.admitted {
        let k = Provision::ALL[usize::from(a.kind)];
        let c = &mut world.citizens;
        let i = a.agent as usize;
        c.wmo[i] = c.wmo[i].admitted(k);
    }
    // Providers follow demand once a year, within what staff shortages allow.
    if month.is_december() {
        let g = w.provider_growth.get();
        for reg in 0..n_regions {
            for k in Provision::ALL {
                let t = k as usize;
                let c = base_cap(reg, k) * capacity[reg][k];
                if !c.is_finite() {
                    continue;
                }
                if f64::from(adm.left[reg][t]) > 0.02 * c {
                    capacity[reg][k] *= 1.0 + g;
                } else if f64::from(used[reg][t] + adm.admitted_n[reg][t]) < 0.9 * c {
                    capacity[reg][k] = (capacity[reg][k] * (1.0 - g / 2.0)).max(0.5);
                }
            }
        }
    }
    // c. The Wlz admits to free places, heaviest first.
    let places = p.wlz.places.at(month).get() * world.scale;
    let (in_wlz, mut queue) = {
        let c = &world.citizens;
        let parts = map_chunks(c.len(), |r| {
            let mut n = 0u32;
            let mut q = Vec::new();
            for i in r {
                let f = c.flags[i];
                if f & ALIVE == 0 {
                    continue;
                }
                if f & WLZ != 0 {
                    n += 1;
                } else if f & WLZ_WAIT != 0 {
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
    for &(_, i) in queue.iter().take(free) {
        let c = &mut world.citizens;
        c.flags[i as usize] = (c.flags[i as usize] | WLZ) & !WLZ_WAIT;
        c.wmo[i as usize] = WmoState::NONE;
    }
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
            if f & ALIVE == 0 {
                continue;
            }
            let hh = c.household[i] as usize;
            let g = h.gemeente[hh] as usize;
            if f & WLZ != 0 {
                t.wlz += 1;
                t.per_gemeente[g][2] += 1;
                continue;
            }
            let s = c.severity[i];
            if s >= 10 {
                t.limited += 1;
                let gap = need_hours(s) - f64::from(c.informal[i]) - formal_hours(w, c.wmo[i], s);
                if gap >= 1.0 {
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
                if c.age(i, month) >= 65 {
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
    let c = &world.citizens;
    let h = &world.households;
    // A lump sum needs a capacity to be paid for; without one, clients are billed per month.
    let lump = |pp: &ProvisionParams| {
        pp.contract == ContractForm::LumpSum && pp.capacity_per_1000.at(month).get() > 0.0
    };
    let billed_of = |pp: &ProvisionParams| {
        if lump(pp) {
            0.0
        } else if pp.contract == ContractForm::LumpSum {
            unit_cost(pp)
        } else {
            billed_cost(pp)
        }
    };
    let billed = PerProvision::from_fn(|k| billed_of(k.params(w)));
    let billed_algemeen = billed_of(&w.algemeen);
    let unit = PerProvision::from_fn(|k| unit_cost(k.params(w)));
    // (household, provision state, cost price of maatwerk, of which always income-dependent,
    // stacked)
    let mut rows: Vec<(u32, WmoState, f64, f64, bool)> = map_chunks(c.len(), |r| {
        let mut out = Vec::new();
        for i in r {
            let bits = c.wmo[i];
            if c.flags[i] & ALIVE == 0 || (!bits.has_maatwerk() && !bits.algemeen()) {
                continue;
            }
            let price: f64 = bits.held().iter().map(|k| unit[k]).sum();
            let verblijf = bits
                .held()
                .iter()
                .filter(|k| k.always_income_dependent())
                .fold(0.0, |a, k| a + unit[k]);
            out.push((
                c.household[i],
                bits,
                price,
                verblijf,
                super::gemeente::stacked(c.laws[i]),
            ));
        }
        out
    })
    .into_iter()
    .flatten()
    .collect();
    rows.par_sort_by_key(|r| r.0);
    // Households: where each one's rows start; its gemeente and co-payment, in parallel.
    let starts: Vec<usize> = (0..rows.len())
        .filter(|&k| k == 0 || rows[k].0 != rows[k - 1].0)
        .collect();
    let households: Vec<(usize, Option<f64>)> = starts
        .par_iter()
        .enumerate()
        .map(|(n, &k0)| {
            let k1 = starts.get(n + 1).copied().unwrap_or(rows.len());
            let hh = rows[k0].0 as usize;
            let (mut price, mut verblijf) = (0.0, 0.0);
            for row in &rows[k0..k1] {
                price += row.2;
                verblijf += row.3;
            }
            let copay_eur = if price > 0.0 {
                let head = h.adults[hh][0];
                let aow = head != super::world::NONE && c.age(head as usize, month) >= 67;
                let income = copay_income(h.income[hh], h.n_adults(hh));
                Some(copay(w, month, price, verblijf, income, aow))
            } else {
                None
            };
            (h.gemeente[hh] as usize, copay_eur)
        })
        .collect();
    // Spending in household order (the sums are the same on any number of threads).
    for (n, &k0) in starts.iter().enumerate() {
        let k1 = starts.get(n + 1).copied().unwrap_or(rows.len());
        let (g, copay_eur) = households[n];
        let tariff = gem.wmo_tariff[g];
        let f = &mut flows[g];
        for &(_, bits, _, _, stacked) in &rows[k0..k1] {
            for k in bits.held().iter() {
                let cost = billed[k] * tariff;
                f.wmo_spending_by_provision[k] += cost;
                spend(f, cost, stacked);
            }
            if bits.algemeen() {
                let cost = billed_algemeen * tariff;
                f.wmo_spending_algemeen_eur += cost;
                spend(f, cost, stacked);
            }
        }
        if let Some(x) = copay_eur {
            flows[g].wmo_copay_eur += x;
        }
    }
    // Lump sums: paid per gemeente for the capacity, whatever the use.
    let lump_sums = Provision::ALL
        .into_iter()
        .map(|k| (Some(k), k.params(w)))
        .chain([(None, &w.algemeen)]);
    for (k, pp) in lump_sums {
        if !lump(pp) {
            continue;
        }
        let per_1000 = pp.capacity_per_1000.at(month).get();
        let unit_t = unit_cost(pp);
        for (g, gm) in world.geography.gemeenten.iter().enumerate() {
            let lump_sum = per_1000 * gm.population as f64 / 1000.0 * world.scale * unit_t;
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

/// Adds Wmo spending to a gemeente's flows (also to its stacked spending if `stacked`).
fn spend(f: &mut GemeenteFlows, cost: f64, stacked: bool) {
    f.wmo_spending_eur += cost;
    f.law_spending_eur += cost;
    if stacked {
        f.stacked_eur += cost;
    }
}
