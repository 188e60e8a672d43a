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

//!
//! One file per concern:
//! - `stacking` (phase 7b): the laws each citizen and household uses, coordination quality;
//! - `budget`: the objective allocation model, the Wlz reward, January's budgets;
//! - `books` (phase 8): spending, wijkteam and coordination costs, reserves each month;
//! - `policy`: the yearly close and the strategies' answer to a deficit or surplus;
//! - `measure`: the month's national counts.

mod books;
mod budget;
pub mod measure;
mod policy;
mod stacking;

pub use books::account;
pub use measure::{
    GemeenteTally, HELP_CHANCE_AGE, HELP_CHANCE_MIN_BASE, HELP_CHANCE_SEVERITY, help_chance_spread,
    measure,
};
pub use policy::purchasing_factors;
pub use stacking::{
    coordination_quality, household_laws_now, in_stacking_base, laws_now, stacked, stacking,
};

use super::geography::Geography;
use super::streams as ps;
use super::world::World;
use crate::engine::{Month, Stream};
use crate::scenario::params::{LocalPolicy, Params, Purchasing, Strategy};
use crate::scenario::types::{Dated, Positive};

/// The accounts: Wmo, Jeugd, participation (reintegration and Wsw), BUIG (bijstand).
pub const LAWS: usize = 4;
/// The accounts' names in column names, in the order of [`LAWS`].
pub const LAW_NAMES: [&str; LAWS] = ["wmo", "jeugd", "participatie", "buig"];
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

/// The coordination cost factor of a gemeente is at least this. Assumption.
const MIN_COORDINATION_FACTOR: f64 = 0.5;

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
    /// Keukentafelgesprekken the team could have held but had no applicant for, carried to
    /// the next month (at most one month's capacity): a fraction of a conversation a month is
    /// not lost, and a quiet month lets the team catch up the next.
    pub assessment_credit: Vec<f64>,
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
    /// This month's cost index and consumer price index (2015 = 1).
    pub price_index: [f64; 2],
    /// Years running that ended in a deficit (all laws).
    pub deficit_years: Vec<u8>,
    /// The part of the general reserve that can absorb social-domain deficits, euros (set
    /// with the first budgets).
    pub general_reserve: Vec<f64>,
    /// Under the province's preventive supervision.
    pub supervised: Vec<bool>,
    /// Years running under supervision.
    pub supervised_years: Vec<u8>,
    /// The seed of the draws of [`Gemeenten::new`] (the scenario's).
    pub seed: u64,
    /// Per gemeente, its own factor on the team's capacity (`local.<gemeente>.team_capacity`).
    pub local_capacity: Vec<Option<Dated<Positive>>>,
}

/// Each gemeente's choices: its entry in `[local]` (by name or CBS code), each unset key taken
/// from its jeugdregio's entry, then from its arbeidsmarktregio's; `None` where none names it.
pub fn local_policies(geo: &Geography, p: &Params) -> Vec<Option<LocalPolicy>> {
    geo.gemeenten
        .iter()
        .map(|g| {
            let own = p
                .local
                .get(&g.name)
                .or_else(|| (!g.code.is_empty()).then(|| p.local.get(&g.code)).flatten());
            let jr = geo
                .jeugdregios
                .get(usize::from(g.jeugdregio))
                .and_then(|n| p.jeugdregio.get(n));
            let ar = geo
                .arbeidsmarktregios
                .get(usize::from(g.arbeidsmarktregio))
                .and_then(|n| p.arbeidsmarktregio.get(n));
            [own, jr, ar]
                .into_iter()
                .flatten()
                .fold(None, |acc: Option<LocalPolicy>, next| {
                    Some(acc.map_or_else(|| next.clone(), |a| a.or(next)))
                })
        })
        .collect()
}

/// Whether the scenario sets any local or regional choice.
pub fn any_local(p: &Params) -> bool {
    !(p.local.is_empty() && p.jeugdregio.is_empty() && p.arbeidsmarktregio.is_empty())
}

/// The factor in `month` on each gemeente's beschut werk places (`beschut_werk`; 1 unset).
pub fn beschut_factors(geo: &Geography, p: &Params, month: Month) -> Vec<f64> {
    if !any_local(p) {
        return vec![1.0; geo.gemeenten.len()];
    }
    local_policies(geo, p)
        .iter()
        .map(|l| {
            l.as_ref()
                .and_then(|l| l.beschut_werk.as_ref())
                .map_or(1.0, |d| d.at(month).get())
        })
        .collect()
}

/// The factor in `month` on each purchasing unit's youth-care places from providers
/// (`youth_places`; 1 unset): the jeugdregio's under regional purchasing, the gemeente's (or,
/// unset, its jeugdregio's) under local purchasing; `unit_of` maps gemeenten to units.
pub fn youth_place_factors(geo: &Geography, p: &Params, unit_of: &[u32], month: Month) -> Vec<f64> {
    let n_units = unit_of.iter().map(|&u| u as usize + 1).max().unwrap_or(0);
    let mut out = vec![1.0; n_units];
    if !any_local(p) {
        return out;
    }
    let at = |l: Option<&LocalPolicy>| {
        l.and_then(|l| l.youth_places.as_ref())
            .map(|d| d.at(month).get())
    };
    if p.jeugd.purchasing == Purchasing::Local {
        for (g, l) in local_policies(geo, p).iter().enumerate() {
            if let Some(f) = at(l.as_ref()) {
                out[unit_of[g] as usize] = f;
            }
        }
    } else {
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            let name = &geo.jeugdregios[usize::from(gem.jeugdregio)];
            if let Some(f) = at(p.jeugdregio.get(name)) {
                out[unit_of[g] as usize] = f;
            }
        }
    }
    out
}

impl Gemeenten {
    /// Draws each gemeente's access organisation and strategy from `seed`: the scenario's seed,
    /// not the replication's, so that a gemeente is the same gemeente in every replication (a
    /// wijkteam or a loket, steering by control or by investment) as its inhabitants and
    /// geography are, and per-gemeente figures differ between replications only by the
    /// chances of its people (issue #22).
    pub fn new(world: &World, p: &Params, start: Month, seed: u64) -> Gemeenten {
        let gp = &p.gemeente;
        let geo = &world.geography;
        let n = geo.gemeenten.len();
        let mut wijkteam = Vec::with_capacity(n);
        let mut control = Vec::with_capacity(n);
        let mut consistent = Vec::with_capacity(n);
        let mut light_offset = Vec::with_capacity(n);
        let mut team_capacity = Vec::with_capacity(n);
        let local = local_policies(geo, p);
        for (g, own) in local.iter().enumerate() {
            let draw = |purpose, p: f64| Stream::new(seed, purpose, g as u64, 0).chance(p);
            // Every draw is made, local choice or not, so that naming a gemeente in [local]
            // changes no other gemeente.
            let mut team = draw(ps::GEMEENTE_ACCESS, gp.wijkteam_share.get());
            if let Some(w) = own.as_ref().and_then(|l| l.wijkteam) {
                team = w;
            }
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
            let drawn = draw(ps::GEMEENTE_STRATEGY, gp.control_share.get());
            control.push(match own.as_ref().and_then(|l| l.strategy) {
                Some(Strategy::Control) => true,
                Some(Strategy::Invest) => false,
                None => drawn,
            });
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
            assessment_credit: vec![0.0; n],
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
            price_index: [1.0; 2],
            deficit_years: vec![0; n],
            general_reserve: vec![0.0; n],
            supervised: vec![false; n],
            supervised_years: vec![0; n],
            seed,
            local_capacity: local
                .into_iter()
                .map(|l| l.and_then(|l| l.team_capacity))
                .collect(),
        }
    }

    /// The factor on gemeente `g`'s assessment capacity and team cost in `month`: its
    /// capacity as drawn and adapted, times its local choice (`local.<gemeente>.team_capacity`).
    pub fn capacity_factor(&self, g: usize, month: Month) -> f64 {
        self.team_capacity[g]
            * self.local_capacity[g]
                .as_ref()
                .map_or(1.0, |d| d.at(month).get())
    }

    /// A variant's parameters take over from `old` (its branch month): the access organisation,
    /// strategy, steering and coordination are drawn again under `new` (with the same keyed
    /// draws, so a gemeente changes only where the new shares move it across its draw), the
    /// assessment capacity keeps what the gemeente has invested since, and the youth-care
    /// capacity factors start afresh if the purchasing units changed. Money and policy levers
    /// carry on.
    pub fn reorganise(&mut self, world: &World, old: &Params, new: &Params) {
        let start = Month::new(self.start_year, 1);
        let (was, now) = (
            Gemeenten::new(world, old, start, self.seed),
            Gemeenten::new(world, new, start, self.seed),
        );
        for g in 0..self.team_capacity.len() {
            self.team_capacity[g] *= now.team_capacity[g] / was.team_capacity[g];
        }
        self.wijkteam = now.wijkteam;
        self.control = now.control;
        self.consistent = now.consistent;
        self.light_offset = now.light_offset;
        self.local_capacity = now.local_capacity;
        self.coordination_factor = now.coordination_factor;
        if self.jeugd_unit_tariff.len() != now.jeugd_unit_tariff.len() {
            self.jeugd_unit_tariff = now.jeugd_unit_tariff;
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
#[cfg(test)]
mod tests {
    use super::policy::close_year;
    use super::*;
    use crate::model::indicators::GemeenteFlows;
    use crate::model::labour::{Instrument, LabourStatus};
    use crate::model::provision::{JeugdState, Provision, WmoState, YouthForm};
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
        let mut g = Gemeenten::new(w, p, Month::new(2015, 1), w.seed);
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
        // A general reserve that keeps the gemeente out of its own funds (interne dekking).
        g.general_reserve[0] = 50.0;
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
        g.general_reserve[0] = 50.0;
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
    fn the_province_supervises_after_deficit_years_and_own_funds_cover_part() {
        let p = params();
        let w = world();
        let mut flows = vec![GemeenteFlows::default(); w.geography.gemeenten.len()];
        // Gemeente 0: an investor with consistent steering, in deficit with negative reserves.
        let mut g = books(&p, &w);
        g.control[0] = false;
        let years = p.gemeente.supervision_years;
        let mut supervised_from = None;
        for k in 0..u32::from(years) + 1 {
            g.ytd_budget[0] = [100.0, 100.0, 0.0, 0.0];
            g.ytd_spent[0] = [130.0, 110.0, 0.0, 0.0];
            g.reserves[0] = [-30.0, -10.0, 0.0, 0.0];
            flows[0] = GemeenteFlows::default();
            close_year(&mut g, &p, Month::new(2016 + k, 12), &mut flows);
            if g.supervised[0] && supervised_from.is_none() {
                supervised_from = Some(k + 1);
            }
        }
        assert_eq!(
            supervised_from,
            Some(u32::from(years)),
            "after {years} deficit years"
        );
        // Under supervision it controls although it invests by strategy, and its own funds
        // cover the deficit up to own_funds_share of the budget, per law in proportion.
        assert!(g.strictness[0] > 0.0);
        let share = p.gemeente.own_funds_share.get();
        let pay = (40.0f64).min(share * 200.0);
        assert!((flows[0].own_funds_eur - pay).abs() < 1e-9);
        assert!((flows[0].budget_law[0] - pay * 30.0 / 40.0).abs() < 1e-9);
        assert!((g.reserves[0][1] - (-10.0 + pay * 10.0 / 40.0)).abs() < 1e-9);
        assert_eq!(
            flows[0].article12_eur, 0.0,
            "not yet an article-12 gemeente"
        );
        // Supervised for article12_years and still short: the gemeentefonds pays the rest
        // (Financiële-verhoudingswet art. 12), so its reserves stop falling.
        let a12 = p.gemeente.article12_years;
        assert!(a12 > 0);
        for k in 0..u32::from(a12) {
            g.ytd_budget[0] = [100.0, 100.0, 0.0, 0.0];
            g.ytd_spent[0] = [130.0, 110.0, 0.0, 0.0];
            g.reserves[0] = [-30.0, -10.0, 0.0, 0.0];
            flows[0] = GemeenteFlows::default();
            close_year(&mut g, &p, Month::new(2020 + k, 12), &mut flows);
        }
        assert!(g.supervised[0]);
        assert!((flows[0].own_funds_eur + flows[0].article12_eur - 40.0).abs() < 1e-9);
        assert!(
            (g.reserves[0][0] - (-30.0 + 30.0)).abs() < 1e-9,
            "{:?}",
            g.reserves[0]
        );
        // Reserves back above zero end it.
        g.ytd_spent[0] = [50.0, 50.0, 0.0, 0.0];
        g.reserves[0] = [60.0, 60.0, 0.0, 0.0];
        close_year(&mut g, &p, Month::new(2030, 12), &mut flows);
        assert!(!g.supervised[0]);
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
        let g = Gemeenten::new(&w, &p, Month::new(2015, 1), w.seed);
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
