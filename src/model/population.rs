//! The starting population: households sampled per gemeente until the gemeente's share of
//! agents (`population * scale`) is reached.
//!
//! Household types and children per family come from the scenario (CBS 2015 shares). The age
//! of household heads within each type is a fixed mixture (assumption), tuned so that the
//! national age structure on 1 January 2015 comes out near CBS: 20% aged 0-17, 65% aged
//! 18-66 and 15-16% aged 67+ (a unit test checks this).

use super::geography::Geography;
use super::world::{ADULT, ALIVE, CareLinks, Citizens, FEMALE, Households, NONE, World};
use crate::engine::{Month, Purpose, Stream};
use crate::scenario::params::{Params, PopulationParams};
use rayon::prelude::*;

const P_POPULATION: Purpose = Purpose(0x909_0001);

/// One person of a sampled household: age in months, female, adult of the household.
#[derive(Clone, Copy, Debug)]
pub struct Person {
    /// Age in months on the start date.
    pub age_months: u32,
    /// Female.
    pub female: bool,
    /// Adult of the household (head or partner).
    pub adult: bool,
}

/// A sampled household before it is placed in the world.
#[derive(Clone, Debug)]
pub struct SampledHousehold {
    /// Head first, then partner, then children.
    pub people: Vec<Person>,
    /// Standardised disposable income, euros per year.
    pub income: u32,
}

fn years(rng: &mut Stream, years: f64) -> u32 {
    (years.max(0.0) * 12.0) as u32 + rng.below(12) as u32
}

fn old_age(rng: &mut Stream, mean_excess: f64) -> f64 {
    65.0 + (-(1.0 - rng.uniform()).ln() * mean_excess).min(39.0)
}

/// Income draw: log-normal around the median, lower for older households.
pub fn draw_income(rng: &mut Stream, p: &PopulationParams, head_age: f64) -> u32 {
    let median = p.income_median.get()
        * if head_age >= 65.0 {
            p.income_factor_65_plus.get()
        } else {
            1.0
        };
    (median * (p.income_spread.get() * rng.normal()).exp()).clamp(0.0, 4.0e9) as u32
}

fn n_children(rng: &mut Stream, p: &PopulationParams) -> usize {
    let u = rng.uniform();
    let c = &p.children;
    if u < c.one.get() {
        1
    } else if u < c.one.get() + c.two.get() {
        2
    } else {
        3
    }
}

/// Samples one household of the starting population.
pub fn sample_household(rng: &mut Stream, p: &PopulationParams) -> SampledHousehold {
    let s = &p.household_shares;
    let u = rng.uniform();
    let mut people = Vec::with_capacity(5);
    let adult = |age: f64, female: bool, rng: &mut Stream| Person {
        age_months: years(rng, age),
        female,
        adult: true,
    };
    let head_age;
    if u < s.single.get() {
        let v = rng.uniform();
        head_age = if v < 0.30 {
            18.0 + 17.0 * rng.uniform()
        } else if v < 0.63 {
            35.0 + 30.0 * rng.uniform()
        } else {
            old_age(rng, 11.0)
        };
        let female = rng.chance(if head_age >= 65.0 { 0.7 } else { 0.47 });
        people.push(adult(head_age, female, rng));
    } else if u < s.single.get() + s.couple.get() {
        let v = rng.uniform();
        head_age = if v < 0.15 {
            20.0 + 15.0 * rng.uniform()
        } else if v < 0.55 {
            35.0 + 30.0 * rng.uniform().sqrt()
        } else {
            old_age(rng, 9.5)
        };
        people.push(adult(head_age, false, rng));
        let partner = (head_age - 2.0 + 3.0 * rng.normal()).max(18.0);
        people.push(adult(partner, true, rng));
    } else {
        let couple = u < s.single.get() + s.couple.get() + s.couple_with_children.get();
        head_age = if couple {
            (45.0 + 7.0 * rng.normal()).clamp(24.0, 62.0)
        } else {
            (45.0 + 8.0 * rng.normal()).clamp(22.0, 64.0)
        };
        people.push(adult(head_age, !couple && rng.chance(0.85), rng));
        if couple {
            let partner = (head_age - 2.0 + 3.0 * rng.normal()).max(18.0);
            people.push(adult(partner, true, rng));
        }
        let oldest = (head_age - 20.0).clamp(0.0, 26.0);
        for _ in 0..n_children(rng, p) {
            let age = oldest * rng.uniform();
            let female = rng.chance(0.488);
            people.push(Person {
                age_months: years(rng, age),
                female,
                adult: false,
            });
        }
    }
    let income = draw_income(rng, p, head_age);
    SampledHousehold { people, income }
}

/// Samples the starting population of every gemeente (in parallel, one random stream per
/// gemeente and household, so the result does not depend on the thread count).
pub fn generate(
    geography: Geography,
    params: &Params,
    seed: u64,
    scale: f64,
    start: Month,
) -> World {
    let per_gemeente: Vec<Vec<SampledHousehold>> = geography
        .gemeenten
        .par_iter()
        .enumerate()
        .map(|(g, gem)| {
            let target = ((gem.population as f64 * scale).round() as u64).max(1);
            let mut out = Vec::new();
            let mut agents = 0u64;
            let mut k = 0u64;
            while agents < target {
                let mut rng = Stream::new(seed, P_POPULATION, (g as u64) << 32 | k, 0);
                let hh = sample_household(&mut rng, &params.population);
                agents += hh.people.len() as u64;
                out.push(hh);
                k += 1;
            }
            out
        })
        .collect();

    let mut citizens = Citizens::default();
    let mut households = Households::default();
    let mut next_id = 0u32;
    for (g, hhs) in per_gemeente.into_iter().enumerate() {
        for hh in hhs {
            let h = households.len() as u32;
            let mut adults = [NONE; 2];
            let mut slot = 0;
            for person in &hh.people {
                let birth = Month(start.0.saturating_sub(person.age_months));
                let flags = ALIVE
                    | if person.female { FEMALE } else { 0 }
                    | if person.adult { ADULT } else { 0 };
                let c = citizens.push(next_id, birth, flags, h);
                next_id += 1;
                if person.adult {
                    adults[slot] = c;
                    slot += 1;
                }
            }
            households.push(adults, hh.people.len() as u8, g as u16, hh.income);
        }
    }
    World {
        citizens,
        households,
        care: CareLinks::default(),
        geography,
        next_id,
        scale,
        seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn starting_population_matches_cbs_2015_shape() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        let s = scenario::load(&path).unwrap();
        let p = &s.variants[0].params;
        let geo = Geography::synthetic(&p.geography, 1);
        let w = generate(geo, p, 1, 0.01, s.start);
        w.check().unwrap();
        let n = w.population() as f64;
        assert!((n - 169_000.0).abs() < 1_000.0, "agents {n}");
        let mut groups = [0f64; 3];
        for i in 0..w.citizens.len() {
            let a = w.citizens.age(i, s.start);
            groups[if a < 18 {
                0
            } else if a < 67 {
                1
            } else {
                2
            }] += 1.0;
        }
        let shares = groups.map(|g| g / n);
        // CBS 1 January 2015: 0-17 20.3%, 18-66 64.2%, 67+ 15.5%.
        assert!((shares[0] - 0.203).abs() < 0.02, "0-17 {shares:?}");
        assert!((shares[1] - 0.642).abs() < 0.025, "18-66 {shares:?}");
        assert!((shares[2] - 0.155).abs() < 0.02, "67+ {shares:?}");
        // About 7,7 miljoen households for 16,9 miljoen people.
        let hh = w.households.len() as f64 / 0.01;
        assert!((7.3e6..8.1e6).contains(&hh), "households {hh}");
    }
}
