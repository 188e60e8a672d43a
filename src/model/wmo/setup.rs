//! Set-up for the Wmo that does not change month to month (regions, income quintiles).

use crate::engine::place_offset;
use crate::model::provision::PerProvision;
use crate::model::streams as ps;
use crate::model::world::World;

/// Set-up for the Wmo that does not change month to month.
#[derive(Clone, Debug)]
pub struct WmoSetup {
    /// Inhabitants (national scale) of each purchasing region at the start.
    pub region_population: Vec<f64>,
    /// Upper bounds of household income quintiles 1-4 (persons weighted), euros: at the start
    /// of the warm-up, again at the start of the year before the run's start (incomes follow
    /// the statuses the warm-up settles).
    pub quintiles: [u32; 4],
    /// Where each region's provider capacity of each type is rounded to whole places
    /// ([`crate::engine::whole_places`]), drawn once per run.
    pub capacity_offset: Vec<PerProvision<f64>>,
}

impl WmoSetup {
    /// Builds the set-up from the starting world.
    pub fn new(world: &World) -> WmoSetup {
        let geo = &world.geography;
        let mut region_population = vec![0.0; geo.jeugdregios.len()];
        for g in &geo.gemeenten {
            region_population[g.jeugdregio as usize] += g.population as f64;
        }
        let capacity_offset = (0..region_population.len())
            .map(|reg| {
                PerProvision::from_fn(|k| {
                    place_offset(world.seed, ps::WMO_CAPACITY_ROUNDING, reg, k as usize)
                })
            })
            .collect();
        WmoSetup {
            region_population,
            quintiles: WmoSetup::quintiles_of(world),
            capacity_offset,
        }
    }

    /// Upper bounds of the household income quintiles 1-4 of the persons in `world` now.
    pub fn quintiles_of(world: &World) -> [u32; 4] {
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
        [q(0.2), q(0.4), q(0.6), q(0.8)]
    }

    /// The income quintile (0-4) of a household income.
    pub fn quintile(&self, income: u32) -> usize {
        self.quintiles.iter().filter(|&&b| income > b).count()
    }
}
