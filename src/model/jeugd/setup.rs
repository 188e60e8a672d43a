//! Set-up: purchasing units, the local purchasing premium, GI staffing, the low-income line.

use crate::engine::{Stream, place_offset};
use crate::model::provision::PerForm;
use crate::model::streams as ps;
use crate::model::world::World;
use crate::scenario::params::{JeugdParams, Purchasing};

/// Oldest age (years) for youth care.
pub const MAX_YOUTH_AGE: u32 = 22;
/// A household below this share of the median income is income-insecure (60% of the median:
/// the usual low-income line, as CBS and Eurostat draw it).
pub const LOW_INCOME_SHARE: f64 = 0.6;
/// Local purchasing costs `jeugd.local_premium` more in a gemeente of this many inhabitants
/// ...
pub const PREMIUM_SIZE: f64 = 10_000.0;
/// ... and nothing from this many times that size (100 000 inhabitants), falling with the
/// square root of size (facts.md MC39; the shape is an assumption).
pub const PREMIUM_FREE_RATIO: f64 = 10.0;
/// The premium of the smallest gemeenten is at most this many times `jeugd.local_premium`.
/// Assumption.
pub const PREMIUM_MAX_MULTIPLE: f64 = 3.0;
/// Set-up: purchasing units and their populations, the low-income line.
#[derive(Clone, Debug)]
pub struct JeugdSetup {
    /// Purchasing unit of each gemeente.
    pub unit_of: Vec<u32>,
    /// Inhabitants of each unit at the start (national scale).
    pub unit_population: Vec<f64>,
    /// Price factor of each gemeente's specialist care (local purchasing premium).
    pub price_factor: Vec<f64>,
    /// Household income below which a household is income-insecure: the low-income line
    /// (`participatie.income.low_income_median_share` of the median), set each month.
    pub low_income: u32,
    /// Income above which a household is in the top quintile.
    pub top_quintile: u32,
    /// Staffing of the GIs serving each unit relative to the norm (1 = as planned): GIs work
    /// over a jeugdregio, so under local purchasing a gemeente shares its region's draw.
    pub gi_staffing: Vec<f64>,
    /// Where each unit's places of each form are rounded to whole places
    /// ([`crate::engine::whole_places`]), drawn once per run.
    pub place_offset: Vec<PerForm<f64>>,
}

impl JeugdSetup {
    /// Builds the set-up for a world and parameters.
    /// `low_income` is the month's low-income line (`labour::income`), which the labour phase
    /// moves each month.
    pub fn new(world: &World, p: &JeugdParams, quintiles: [u32; 4], low_income: u32) -> JeugdSetup {
        let geo = &world.geography;
        let local = p.purchasing == Purchasing::Local;
        let unit_of: Vec<u32> = geo
            .gemeenten
            .iter()
            .enumerate()
            .map(|(g, gem)| {
                if local {
                    g as u32
                } else {
                    u32::from(gem.jeugdregio)
                }
            })
            .collect();
        let n_units = if local {
            geo.gemeenten.len()
        } else {
            geo.jeugdregios.len()
        };
        let mut unit_population = vec![0.0; n_units];
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            unit_population[unit_of[g] as usize] += gem.population as f64;
        }
        let price_factor = geo
            .gemeenten
            .iter()
            .map(|gem| {
                if local {
                    let size = (gem.population as f64 / PREMIUM_SIZE).max(0.01);
                    let shortfall = ((PREMIUM_FREE_RATIO / size).sqrt() - 1.0)
                        / (PREMIUM_FREE_RATIO.sqrt() - 1.0);
                    1.0 + p.local_premium.get() * shortfall.clamp(0.0, PREMIUM_MAX_MULTIPLE)
                } else {
                    1.0
                }
            })
            .collect();
        // GI staffing per jeugdregio: log-normal with mean 1 (staff shortages differ, WL3); a
        // region's own, shared by the replications.
        let spread = p.gi_staffing_spread.get();
        let region_staffing: Vec<f64> = (0..geo.jeugdregios.len())
            .map(|r| {
                let mut rng = Stream::new(geo.seed, ps::JEUGD_GI, r as u64, 0);
                (spread * rng.normal() - spread * spread / 2.0).exp()
            })
            .collect();
        let mut gi_staffing = vec![1.0; n_units];
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            gi_staffing[unit_of[g] as usize] = region_staffing[usize::from(gem.jeugdregio)];
        }
        let place_offset = (0..unit_population.len())
            .map(|u| PerForm::from_fn(|f| place_offset(world.seed, ps::JEUGD_CAP, u, f as usize)))
            .collect();
        JeugdSetup {
            unit_of,
            unit_population,
            price_factor,
            low_income,
            top_quintile: quintiles[3],
            gi_staffing,
            place_offset,
        }
    }
}
