//! The model: the Dutch social domain as state (`world`) plus rules (one module per phase).
//!
//! `Simulation::step_month` (the [`engine::Model`] impl) writes out the month's phases in order; that order is the
//! model (see ARCHITECTURE.md). Architecture invariant: nothing under `model` does I/O,
//! prints or returns `Result`: after scenario validation nothing here can fail.

pub mod demography;
pub mod geography;
pub mod indicators;
pub mod lifetable;
pub mod population;
pub mod world;

use crate::engine::{self, Month, PhaseTimer};
use crate::scenario::{GeographySource, Params, Scenario, Variant};
use geography::Geography;
use indicators::{GemeenteFlows, MonthRecord};
use world::World;

/// One run of one variant: the world plus the parameters and set-up it runs with.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The state.
    pub world: World,
    /// The variant's parameters.
    pub params: Params,
    /// Set-up that does not change month to month.
    pub setup: demography::Setup,
    /// Living citizens at the end of the previous month (for the conservation check).
    last_population: u64,
}

impl Simulation {
    /// Builds the geography and the starting population for one replication (its `seed`).
    pub fn new(scenario: &Scenario, variant: &Variant, seed: u64) -> Simulation {
        let params = variant.params.clone();
        let geography = match &variant.geography {
            GeographySource::Synthetic => Geography::synthetic(&params.geography, seed),
            GeographySource::File { rows, .. } => Geography::from_rows(rows),
        };
        let world = population::generate(geography, &params, seed, scenario.scale, scenario.start);
        let setup = demography::Setup::new(&world);
        let last_population = world.population() as u64;
        Simulation {
            world,
            params,
            setup,
            last_population,
        }
    }
}

impl engine::Model for Simulation {
    type Record = MonthRecord;

    fn agents(&self) -> usize {
        self.last_population as usize
    }

    fn step_month(&mut self, month: Month, timer: &mut PhaseTimer) -> MonthRecord {
        let n_g = self.world.geography.gemeenten.len();
        let mut flows = vec![GemeenteFlows::default(); n_g];
        let rates = timer.time("rates", || {
            demography::Rates::for_month(&self.params, month, self.world.scale)
        });
        // 1. Demography: ageing is implicit (age = month - birth month); deaths, emigration,
        //    births, leaving home, separation, partnering, moves, immigration.
        timer.time("demography", || {
            demography::step(
                &mut self.world,
                &self.params,
                &self.setup,
                &rates,
                month,
                &mut flows,
            )
        });
        // 2-8 (needs, informal care, seeking help, access, provision, work and income, money)
        // come with the Wmo, Jeugdwet, Participatiewet and gemeente issues.
        // 9. Measurement.
        let record = timer.time("measure", || indicators::measure(&self.world, month, flows));
        let pop = record.national[indicators::Ind::Population as usize] as u64;
        let f = |i: indicators::Ind| record.national[i as usize] as u64;
        use indicators::Ind;
        debug_assert_eq!(
            self.last_population + f(Ind::Births) + f(Ind::Immigrants),
            pop + f(Ind::Deaths) + f(Ind::Emigrants),
            "people are conserved in {month}"
        );
        debug_assert_eq!(self.world.check(), Ok(()), "world consistent in {month}");
        self.last_population = pop;
        if month.is_december() {
            timer.time("compact", || self.world.compact());
        }
        record
    }
}
