//! The labour market beyond citizens: the employer pool and regional figures.

use super::employers::BELIEF_PRIOR;
use crate::engine::Stream;
use crate::model::cohorts::Cohorts;
use crate::model::streams as ps;
use crate::model::world::World;
use crate::scenario::params::{EmployerParams, ParticipatieParams};

/// The pool of employers who could take on workers with a reduced loonwaarde.
#[derive(Clone, Debug, Default)]
pub struct Employers {
    /// Arbeidsmarktregio.
    pub region: Vec<u16>,
    /// Willing to employ the target groups (facts.md E12).
    pub willing: Vec<bool>,
    /// Slots for such workers.
    pub slots: Vec<u16>,
    /// Lowest score the employer accepts.
    pub threshold: Vec<u8>,
}

/// Set-up and state of the labour market that is not per citizen.
#[derive(Clone, Debug)]
pub struct LabourState {
    /// Arbeidsmarktregio of each gemeente.
    pub region_of: Vec<u16>,
    /// Each gemeente's labour market: the log of its persons with bijstand per 1 000 aged
    /// 15-64 against the nation's (CBS Kerncijfers wijken en buurten 2019, data/SOURCES.md),
    /// which times `participatie.distance.local_labour_market` is the distance to work it adds
    /// for its unemployed, so the chance of finding work there is the national one times
    /// (national rate / the gemeente's) to that power. Where bijstand is twice the national
    /// rate (Rotterdam, Groningen, Heerlen), work is found half as often at the default of 1;
    /// on the Wadden and in rich suburbs more often. Zero for gemeenten without a CBS profile
    /// (a synthetic or user geography). The level per gemeente is an input (the local labour
    /// market and the make-up of its people that the model does not represent otherwise, such
    /// as education and migration background), not a result; the model moves it.
    pub local_log_rate: Vec<f64>,
    /// Inhabitants per arbeidsmarktregio at the start (national scale).
    pub region_population: Vec<f64>,
    /// Inhabitants per gemeente at the start (national scale).
    pub gemeente_population: Vec<f64>,
    /// The employer pool.
    pub employers: Employers,
    /// Banenafspraak slots added so far (agents).
    pub banen_added: u32,
    /// Per region: the gemeente's estimate of the monthly chance that a mediated candidate is
    /// placed (learned from last year's placements).
    pub placement_belief: Vec<f64>,
    /// Per region this year: mediated candidate-months, and their placements.
    pub placement_count: Vec<[u32; 2]>,
    /// Cohorts followed for `cohorts.csv`.
    pub cohorts: Cohorts,
    /// Pool placements this month (for the indicator).
    pub placed_this_month: u32,
    /// Job offers at pool employers turned down this month (facts.md MC22).
    pub refused_this_month: u32,
    /// Wsw employees who left the Wsw this month: at the AOW age; for another reason (a
    /// disability benefit after two years of sickness, another job, resigned).
    pub wsw_left_this_month: [u32; 2],
    /// Adults who started work this calendar year, and the sum of their households' income
    /// change in the month they started (`income::update`; reset each January).
    pub work_entries: (u32, f64),
    /// The median standardised household income of persons this month (`income::update`).
    pub income_median: f64,
    /// Per gemeente, its draw for approaching the young disabled UWV signals (facts.md A13;
    /// `outreach_draws`): it does while the draw is below
    /// `participatie.gemeente.young_disabled_outreach`.
    pub outreach_draw: Vec<f64>,
    /// Each gemeente's factor on the earnings drawn there (`population::income_factors` of
    /// `population.income_housing`, a key every variant shares), set up with the population.
    pub earnings_factor: Vec<f64>,
}

/// Each gemeente's draw for approaching the young disabled UWV signals (facts.md A13: a
/// minority), from the scenario's `policy_seed`, the same in every replication: a gemeente
/// approaches them while its draw is below `participatie.gemeente.young_disabled_outreach` in
/// the month, so a larger share (later, or in a variant) keeps the gemeenten that did and adds
/// others.
pub fn outreach_draws(policy_seed: u64, gemeenten: usize) -> Vec<f64> {
    (0..gemeenten)
        .map(|g| Stream::new(policy_seed, ps::LABOUR_OUTREACH, g as u64, 0).uniform())
        .collect()
}

/// Most target-group slots one employer has at set-up (the geometric draw is cut here).
/// Assumption.
pub(super) const MAX_SLOTS: u16 = 50;
/// Employers' lowest acceptable score is uniform between this and 100 (a score is about the
/// loonwaarde, MC19). Assumption.
pub(super) const THRESHOLD_MIN: f64 = 50.0;

impl LabourState {
    /// Builds the employer pool and regional figures.
    pub fn new(world: &World, p: &ParticipatieParams, policy_seed: u64) -> LabourState {
        let geo = &world.geography;
        let n_r = geo.arbeidsmarktregios.len();
        let region_of: Vec<u16> = geo.gemeenten.iter().map(|g| g.arbeidsmarktregio).collect();
        let mut region_population = vec![0.0; n_r];
        for g in &geo.gemeenten {
            region_population[usize::from(g.arbeidsmarktregio)] += g.population as f64;
        }
        let gemeente_population = geo.gemeenten.iter().map(|g| g.population as f64).collect();
        let national = geo.national_profile().bijstand_per_1000();
        let local_log_rate = geo
            .gemeenten
            .iter()
            .map(|g| match &g.profile {
                // At least one person per 10 000: a gemeente with none is not infinitely far.
                Some(own) if national > 0.0 => (own.bijstand_per_1000().max(0.1) / national).ln(),
                _ => 0.0,
            })
            .collect();
        let e = &p.employers;
        let mut employers = Employers::default();
        for (r, pop) in region_population.iter().enumerate() {
            let expected = e.per_1000.get() * pop / 1000.0 * world.scale;
            let mut rng = Stream::new(world.seed, ps::LABOUR_EMPLOYER_COUNT, r as u64, 0);
            let n = expected.floor() as u64 + u64::from(rng.chance(expected.fract()));
            for k in 0..n {
                let (willing, slots, threshold) = draw_employer(world.seed, r, k, e);
                employers.region.push(r as u16);
                employers.willing.push(willing);
                employers.slots.push(slots);
                employers.threshold.push(threshold);
            }
        }
        LabourState {
            region_of,
            local_log_rate,
            region_population,
            gemeente_population,
            employers,
            banen_added: 0,
            placement_belief: vec![BELIEF_PRIOR.0 / BELIEF_PRIOR.1; n_r],
            placement_count: vec![[0; 2]; n_r],
            cohorts: Cohorts::default(),
            placed_this_month: 0,
            refused_this_month: 0,
            wsw_left_this_month: [0; 2],
            work_entries: (0, 0.0),
            income_median: 0.0,
            outreach_draw: outreach_draws(policy_seed, geo.gemeenten.len()),
            earnings_factor: vec![1.0; geo.gemeenten.len()],
        }
    }

    /// A variant's employer parameters take over from `old` (its branch month): each employer
    /// of the pool (the same employers: their number is fixed at the start) draws its
    /// willingness and slots again under `new` with the same keyed draws, keeping the
    /// banenafspraak slots added since.
    pub fn redraw_employers(&mut self, seed: u64, old: &EmployerParams, new: &EmployerParams) {
        let e = &mut self.employers;
        let mut k_in_region = vec![0u64; self.region_population.len()];
        for i in 0..e.region.len() {
            let r = usize::from(e.region[i]);
            let k = k_in_region[r];
            k_in_region[r] += 1;
            let (_, was, _) = draw_employer(seed, r, k, old);
            let (willing, slots, _) = draw_employer(seed, r, k, new);
            let added = e.slots[i].saturating_sub(was);
            e.willing[i] = willing;
            e.slots[i] = slots.saturating_add(added);
        }
    }
}

/// One employer's willingness, slots and loonwaarde threshold: employer `k` of region `r`.
fn draw_employer(seed: u64, r: usize, k: u64, e: &EmployerParams) -> (bool, u16, u8) {
    let mut rng = Stream::new(seed, ps::LABOUR_EMPLOYERS, (r as u64) << 32 | k, 0);
    let willing = rng.chance(e.willing_share.get());
    // Slots: geometric around the mean, so a few employers take most workers.
    let mut slots = 0u16;
    if willing {
        let q = e.slots.get() / (1.0 + e.slots.get());
        while slots < MAX_SLOTS && rng.chance(q) {
            slots += 1;
        }
    }
    let threshold = (THRESHOLD_MIN + (100.0 - THRESHOLD_MIN) * rng.uniform()) as u8;
    (willing, slots, threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outreach_follows_its_share_and_keeps_the_gemeenten_that_did() {
        // facts.md A13: a minority of gemeenten approach the young disabled UWV signals.
        let draws = outreach_draws(3, 355);
        let at = |share: f64| -> Vec<bool> { draws.iter().map(|&d| d < share).collect() };
        let (none, some, more) = (at(0.0), at(0.3), at(0.6));
        assert!(none.iter().all(|&x| !x));
        assert!(at(1.0).iter().all(|&x| x));
        let n = some.iter().filter(|&&x| x).count();
        assert!((70..140).contains(&n), "{n} of 355");
        // The same draws: a larger share adds gemeenten, it does not swap them.
        assert!(some.iter().zip(&more).all(|(&a, &b)| !a || b));
        // From the scenario's seed: the same in every replication.
        assert_eq!(draws, outreach_draws(3, 355));
    }
}
