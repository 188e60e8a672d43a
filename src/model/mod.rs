//! The model: the Dutch social domain as state (`world`) plus rules (one module per phase).
//!
//! `Simulation::step_month` (the [`engine::Model`] impl) writes out the month's phases in
//! order; that order is the model (see ARCHITECTURE.md). Architecture invariant: nothing under
//! `model` does I/O, prints or returns `Result`: after scenario validation nothing here can
//! fail.

pub mod cohorts;
pub mod demography;
pub mod gemeente;
pub mod geography;
pub mod indicators;
pub mod invariants;
pub mod jeugd;
pub mod labour;
pub mod lifetable;
pub mod mantelzorg;
pub mod needs;
pub mod population;
pub mod provision;
mod soa;
pub mod streams;
pub mod wmo;
pub mod world;

use crate::engine::{self, Month, PhaseTimer};
use crate::scenario::{Params, Scenario, Variant};
use geography::Geography;
use indicators::{GemeenteFlows, Ind, MonthRecord};
use world::World;

/// One run of one variant: the world plus the parameters and set-up it runs with.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The state.
    pub world: World,
    /// The variant's parameters.
    pub params: Params,
    /// Demographic set-up (destinations of movers and immigrants).
    pub setup: demography::Setup,
    /// Wmo set-up (purchasing regions, income quintiles).
    pub wmo_setup: wmo::WmoSetup,
    /// Who can be asked to care, per gemeente (rebuilt yearly).
    pub pools: mantelzorg::CarePools,
    /// Wmo provider capacity per purchasing region and type, relative to the scenario's.
    pub provider_capacity: Vec<provision::PerProvision<f64>>,
    /// The Wlz places' growth so far, a factor on `wlz.places`.
    pub wlz_growth: f64,
    /// Jeugdwet set-up (purchasing units, prices, income lines).
    pub jeugd_setup: jeugd::JeugdSetup,
    /// Protection measures started this year, and in time.
    jb_year: jeugd::JbYear,
    /// The labour market beyond citizens: employers, beliefs, cohorts.
    pub labour: labour::LabourState,
    /// Gemeenten as actors: policy, budgets, reserves, access.
    pub gemeenten: gemeente::Gemeenten,
    /// Mean frailty by sex and age, from the previous month.
    frailty_norm: needs::FrailtyNorm,
    /// Reusable per-citizen buffer.
    scratch: Vec<u16>,
    /// Living citizens at the end of the previous month (throughput figures).
    last_population: u64,
    /// The end of the last recorded month (or the start), for the month-end invariants.
    last_end: Option<invariants::Snapshot>,
    /// How the month-end invariants are checked (always in debug and test builds).
    checks: invariants::Checks,
    /// The first invariant found violated; it halts the run.
    violation: Option<invariants::Violation>,
    /// A variant's own parameters and the month from which they apply (its branch); until
    /// then the run is the reference variant's.
    pending: Option<(Month, Box<Params>)>,
}

impl Simulation {
    /// Builds the geography and the starting population for one replication (its `seed`),
    /// draws limitation histories and warms up informal care and the Wmo. Every variant starts
    /// from the same state, the reference variant's (the scenario's first); `variant`'s own
    /// parameters take over in its branch month ([`Variant::branch`]).
    pub fn new(scenario: &Scenario, variant: &Variant, seed: u64) -> Simulation {
        let reference = scenario.variants.get(variant.group).unwrap_or(variant);
        Simulation::reference(scenario, reference, seed).into_variant(variant)
    }

    /// The state every variant of replication `seed` in `group` starts from: that variant's
    /// (the scenario's first for a scenario file, [`Variant::group`]) at the start, after the
    /// warm-up. [`Simulation::into_variant`] turns (a copy of) it into the run of any variant
    /// of the group.
    pub fn start(scenario: &Scenario, group: usize, seed: u64) -> Simulation {
        Simulation::reference(scenario, &scenario.variants[group], seed)
    }

    /// This (not yet stepped) reference run as `variant`'s: its own parameters take over in
    /// its branch month.
    pub fn into_variant(mut self, variant: &Variant) -> Simulation {
        self.pending = variant
            .branch
            .map(|b| (b, Box::new(variant.params.clone())));
        self
    }

    /// The reference variant's run up to the start.
    fn reference(scenario: &Scenario, variant: &Variant, seed: u64) -> Simulation {
        let params = variant.params.clone();
        // One synthetic Netherlands for every replication, drawn from the scenario's seed:
        // replications differ in their people and their draws, not in their gemeenten, so a
        // gemeente's figures have intervals over replications (issue #19).
        let geography = Geography::of(&variant.geography, &params.geography, scenario.seed);
        let mut world =
            population::generate(geography, &params, seed, scenario.scale, scenario.start);
        // Months simulated before the start (without demography or recording) so that
        // informal care, Wmo use and waiting lists start from a state the model itself
        // produces: the scenario's `warmup_months`.
        let warm_start = Month(scenario.start.0 - scenario.warmup_months);
        needs::initialise(&mut world, &params, warm_start);
        // Statuses and earnings first: incomes follow them (`labour::income`), and the Wmo
        // quintiles and the youth low-income line are read from those incomes.
        labour::initialise(&mut world, &params, warm_start);
        let earnings_factor = population::income_factors(&world.geography, &params.population);
        labour::income::draw_missing(
            &mut world,
            &params.participatie.income,
            &earnings_factor,
            warm_start.0,
        );
        let income_median =
            labour::income::update(&mut world, &params.participatie, warm_start.0, None);
        let setup = demography::Setup::new(&world, &params);
        let wmo_setup = wmo::WmoSetup::new(&world);
        let pools = mantelzorg::CarePools::build(&world, warm_start);
        let provider_capacity =
            vec![provision::PerProvision::splat(1.0); wmo_setup.region_population.len()];
        let jeugd_setup = jeugd::JeugdSetup::new(
            &world,
            &params.jeugd,
            wmo_setup.quintiles,
            (params.participatie.income.low_income_median_share.get() * income_median) as u32,
        );
        let mut labour = labour::LabourState::new(&world, &params.participatie, scenario.seed);
        labour.earnings_factor = earnings_factor;
        labour.income_median = income_median;
        // Cohorts from the year before the start (the pre-reform cohort under the default
        // rules), followed through the warm-up's last months.
        labour.cohorts.first_year = scenario.start.year() - 1;
        let gemeenten = gemeente::Gemeenten::new(&world, &params, scenario.start, scenario.seed);
        let last_population = world.population() as u64;
        let mut sim = Simulation {
            world,
            params,
            setup,
            wmo_setup,
            pools,
            provider_capacity,
            wlz_growth: 1.0,
            jeugd_setup,
            jb_year: jeugd::JbYear::default(),
            labour,
            gemeenten,
            frailty_norm: [[1.0; lifetable::MAX_AGE + 1]; 2],
            scratch: Vec::new(),
            last_population,
            last_end: None,
            checks: invariants::Checks::for_build(),
            violation: None,
            pending: None,
        };
        let n_g = sim.world.geography.gemeenten.len();
        let basis_year = Month::new(scenario.start.year() - 1, 1);
        for m in warm_start.range_inclusive(Month(scenario.start.0 - 1)) {
            if m == basis_year {
                // Incomes have settled with the statuses: the quintiles follow them.
                sim.wmo_setup.quintiles = wmo::WmoSetup::quintiles_of(&sim.world);
                sim.jeugd_setup.top_quintile = sim.wmo_setup.quintiles[3];
            }
            let mut flows = vec![GemeenteFlows::default(); n_g];
            let mut timer = PhaseTimer::new();
            sim.care_and_support(m, &mut flows, &mut timer);
            sim.work_and_income(m, &mut timer);
            gemeente::stacking(&mut sim.world, m);
            // The year before the start gives the historical basis of the budgets.
            if m.year() + 1 == scenario.start.year() {
                sim.money(m, &mut flows, &mut timer, false);
            }
        }
        sim.frailty_norm = needs::frailty_norm(&sim.world, scenario.start, &sim.params.needs);
        sim
    }

    /// Phases 2-6: needs, informal care, seeking help, assessment, provision.
    fn care_and_support(
        &mut self,
        month: Month,
        flows: &mut [GemeenteFlows],
        timer: &mut PhaseTimer,
    ) {
        let (w, p) = (&mut self.world, &self.params);
        timer.time("needs", || needs::step(w, p, month));
        timer.time("jeugd", || jeugd::needs(w, p, &self.jeugd_setup, month));
        timer.time("mantelzorg", || mantelzorg::step(w, p, &self.pools, month));
        let gem = &mut self.gemeenten;
        timer.time("wmo", || {
            wmo::seek(w, p, gem, month, flows);
            wmo::assess(w, p, gem, month, flows);
            gem.end_of_assessments();
            wmo::provide(
                w,
                p,
                &self.wmo_setup,
                gem,
                &mut self.provider_capacity,
                &mut self.wlz_growth,
                month,
            );
        });
        timer.time("jeugd", || {
            jeugd::refer(w, p, &self.jeugd_setup, month, flows);
            jeugd::provide(w, p, &self.jeugd_setup, gem, month, &mut self.jb_year);
        });
    }

    /// Phase 7: work and income.
    fn work_and_income(&mut self, month: Month, timer: &mut PhaseTimer) {
        let (w, p) = (&mut self.world, &self.params);
        timer.time("labour", || {
            labour::transitions(w, p, &mut self.labour, month);
            labour::employer_pool(w, p, &mut self.labour, month);
            labour::sheltered(w, p, &self.labour, month);
        });
        timer.time("income", || {
            if month.month_of_year() == 1 {
                self.labour.work_entries = (0, 0.0);
            }
            self.labour.income_median = labour::income::update(
                w,
                &p.participatie,
                month.0,
                Some(&mut self.labour.work_entries),
            );
            // Parenting stress reads the same low-income line as the poverty shares.
            self.jeugd_setup.low_income = (p.participatie.income.low_income_median_share.get()
                * self.labour.income_median) as u32;
        });
        timer.time("labour", || {
            self.labour.cohorts.step(w, &p.participatie, month)
        });
    }

    /// A variant's own parameters take over (its branch month). Set-up that parameters shape
    /// is rebuilt under them: youth-care purchasing units, prices and GI staffing; the
    /// gemeenten's access organisation, strategy and coordination costs; employers'
    /// willingness and slots. The state carries on.
    fn adopt(&mut self, params: Params) {
        let old = std::mem::replace(&mut self.params, params);
        // Incomes are worked out again under the new parameters at the end of phase 7.
        labour::income::reset_income_keys(&mut self.world);
        let (oj, nj) = (&old.jeugd, &self.params.jeugd);
        let purchasing = oj.purchasing != nj.purchasing;
        if purchasing
            || oj.local_premium.get() != nj.local_premium.get()
            || oj.gi_staffing_spread.get() != nj.gi_staffing_spread.get()
        {
            self.jeugd_setup = jeugd::JeugdSetup::new(
                &self.world,
                nj,
                self.wmo_setup.quintiles,
                self.jeugd_setup.low_income,
            );
        }
        self.gemeenten.reorganise(&self.world, &old, &self.params);
        let (oe, ne) = (
            &old.participatie.employers,
            &self.params.participatie.employers,
        );
        if oe.willing_share.get() != ne.willing_share.get() || oe.slots.get() != ne.slots.get() {
            self.labour.redraw_employers(self.world.seed, oe, ne);
        }
        if purchasing {
            let w = &self.world;
            gemeente::purchasing_factors(
                &mut self.gemeenten,
                w,
                |g| usize::from(w.geography.gemeenten[g].jeugdregio),
                &self.jeugd_setup.unit_of,
            );
        }
    }

    /// Phase 8: spending per law, then the gemeente's books (`recording`: budgets and reserves
    /// run; before the start only the historical basis is collected).
    fn money(
        &mut self,
        month: Month,
        flows: &mut [GemeenteFlows],
        timer: &mut PhaseTimer,
        recording: bool,
    ) {
        let (w, p, gem) = (&self.world, &self.params, &mut self.gemeenten);
        timer.time("money", || {
            wmo::money(w, p, gem, month, flows);
            jeugd::money(w, p, &self.jeugd_setup, gem, month, flows);
            labour::money(w, p, month, flows);
            gemeente::account(gem, w, p, month, flows, recording);
            if month.is_december() {
                gemeente::purchasing_factors(
                    gem,
                    w,
                    |g| usize::from(w.geography.gemeenten[g].jeugdregio),
                    &self.jeugd_setup.unit_of,
                );
            }
        });
    }

    /// The month's measurement pass over citizens: every law's counts, the population's and
    /// the frailty sums of next month's death rates, chunk by chunk in one pass (each chunk
    /// read once while it is in cache, instead of one pass per law), in chunk order.
    fn count_citizens(&self, month: Month) -> CitizenCounts {
        let (w, p) = (&self.world, &self.params);
        let frail = needs::Frailty::new(&p.needs);
        let parts = engine::map_chunks(w.citizens.len(), |r| {
            (
                wmo::measure::count(w, p, &self.wmo_setup, month, r.clone()),
                jeugd::measure::count(w, month, r.clone()),
                labour::measure::count(w, &p.participatie, self.labour.income_median, r.clone()),
                gemeente::measure::count_persons(w, month, r.clone()),
                indicators::count_people(w, month, r.clone()),
                needs::frailty_count(w, month.next(), &frail, r),
            )
        });
        let mut counts = CitizenCounts::default();
        for (a, b, c, d, e, f) in parts {
            counts.wmo.push(a);
            counts.jeugd.push(b);
            counts.labour.push(c);
            counts.persons.push(d);
            counts.people.push(e);
            counts.frailty.push(f);
        }
        counts
    }

    /// Finished cohort figures: (cohort year, indicator, value).
    pub fn cohort_results(&self) -> &[cohorts::CohortRow] {
        &self.labour.cohorts.results
    }
}

/// The chunks' counts of the month's measurement pass over citizens, per law.
#[derive(Default)]
struct CitizenCounts {
    wmo: Vec<wmo::WmoTally>,
    jeugd: Vec<jeugd::measure::JeugdPart>,
    labour: Vec<labour::LabourTally>,
    persons: Vec<gemeente::measure::PersonsPart>,
    people: Vec<Vec<indicators::GemeenteStocks>>,
    frailty: Vec<needs::FrailtyPart>,
}

impl engine::Model for Simulation {
    type Record = MonthRecord;

    fn agents(&self) -> usize {
        self.last_population as usize
    }

    fn halted(&self) -> bool {
        self.violation.is_some()
    }

    fn step_month(&mut self, month: Month, timer: &mut PhaseTimer) -> MonthRecord {
        if self.pending.as_ref().is_some_and(|(m, _)| *m == month) {
            let (_, params) = self.pending.take().expect("checked above");
            self.adopt(*params);
        }
        let n_g = self.world.geography.gemeenten.len();
        // The end of the last month, which the invariants are checked against.
        let before = self.invariants_before();
        let mut flows = vec![GemeenteFlows::default(); n_g];
        let rates = timer.time("rates", || {
            demography::Rates::for_month(&self.params, month, self.setup.immigrant_scale)
        });
        // 1. Demography: ageing is implicit (age = month - birth month); deaths (by age, sex
        //    and frailty), emigration, births, leaving home, separation, partnering, moves,
        //    immigration.
        timer.time("demography", || {
            demography::step(
                &mut self.world,
                &self.params,
                &self.setup,
                &rates,
                &self.frailty_norm,
                month,
                &mut flows,
            )
        });
        // 2. Needs, 3. informal care, 4. seeking help, 5. the keukentafelgesprek,
        // 6. provision and the Wlz.
        self.care_and_support(month, &mut flows, timer);
        // 7. Work and income: the labour market, the gemeente's instruments, employers,
        //    sheltered work.
        self.work_and_income(month, timer);
        // Which laws each citizen and household uses (stacking).
        timer.time("gemeente", || gemeente::stacking(&mut self.world, month));
        // 8. Money: spending per law; the gemeente's books, its December close and next
        //    year's policy.
        self.money(month, &mut flows, timer, true);
        // 9. Measurement.
        let mut counts_frailty = Vec::new();
        let record = timer.time("measure", || {
            let mut counts = self.count_citizens(month);
            counts_frailty = std::mem::take(&mut counts.frailty);
            let care = mantelzorg::stats(
                &self.world,
                &self.params.mantelzorg,
                month,
                &mut self.scratch,
            );
            let tally = wmo::measure::sum(counts.wmo, n_g);
            let youth = jeugd::measure::sum(counts.jeugd, n_g);
            let work = labour::measure::sum(counts.labour, &self.world, &self.labour);
            let gem = gemeente::measure::finish(&self.gemeenten, &self.world, counts.persons);
            indicators::measure(
                &self.world,
                month,
                counts.people,
                flows,
                &tally,
                &care,
                &youth,
                &self.jb_year,
                &work,
                self.labour.placed_this_month,
                &gem,
            )
        });
        self.frailty_norm = needs::frailty_sum(&counts_frailty);
        self.invariants_after(before, month, &record);
        self.last_population = record.national[Ind::Population as usize] as u64;
        if month.is_december() {
            timer.time("compact", || {
                self.world.compact();
                self.pools = mantelzorg::CarePools::build(&self.world, month);
            });
        }
        record
    }
}
