//! Calibration by the cross-entropy method (Rubinstein 1999; de Boer et al. 2005, "A tutorial
//! on the cross-entropy method"): a derivative-free search that works in waves, each a design
//! of its own (so a wave is a plan that shards, merges and resumes like any scenario).
//!
//! Wave 0 holds the scenario's own values (the "before") and points drawn around them; every
//! later wave draws its points from a normal distribution per parameter (unit coordinates of
//! the ranges, clamped to them) whose mean and spread are those of the elite: the best
//! `elite` share of the points of the last wave together with the previous elite. The spread
//! is smoothed (`SMOOTHING` of the elite's, the rest the previous spread) and never below
//! `MIN_SPREAD`, so the search narrows without collapsing on one wave's noise. Every point
//! runs with the same seeds (common random numbers), so two points differ by their
//! parameters, not their luck. The search stops after the waves asked for or when every
//! parameter's spread is below `CONVERGED_SPREAD` of its range.

use super::DesignRng;

/// A seed's purpose for calibration designs ([`DesignRng::new`]).
const PURPOSE: u64 = 0x4341_4c49;

/// Spread of wave 0 around the scenario's values, unit coordinates.
pub const START_SPREAD: f64 = 0.25;

/// Weight of the elite's spread in the next spread (the rest is the previous spread).
pub const SMOOTHING: f64 = 0.7;

/// Smallest spread, unit coordinates.
pub const MIN_SPREAD: f64 = 0.01;

/// The search has converged when every spread is below this, unit coordinates.
pub const CONVERGED_SPREAD: f64 = 0.02;

/// One evaluated point: unit coordinates and loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    /// Unit coordinates.
    pub unit: Vec<f64>,
    /// Loss ([`super::objective::loss`]).
    pub loss: f64,
}

/// The search's state before a wave: the distribution the wave draws from and the elite.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Mean per parameter, unit coordinates.
    pub mean: Vec<f64>,
    /// Spread per parameter, unit coordinates.
    pub spread: Vec<f64>,
    /// The best points so far (at most the elite's size).
    pub elite: Vec<Evaluated>,
}

impl State {
    /// Before wave 0: around the scenario's own values `start` (unit coordinates).
    pub fn start(start: &[f64]) -> State {
        State {
            mean: start.to_vec(),
            spread: vec![START_SPREAD; start.len()],
            elite: Vec::new(),
        }
    }

    /// Whether every spread is below [`CONVERGED_SPREAD`].
    pub fn converged(&self) -> bool {
        self.spread.iter().all(|&s| s < CONVERGED_SPREAD)
    }

    /// The state after a wave whose points are `wave`: the elite of size `elite_size` from
    /// `wave` and the previous elite (ties kept in order), its mean and smoothed spread.
    pub fn after(&self, wave: &[Evaluated], elite_size: usize) -> State {
        let mut pool: Vec<Evaluated> = self.elite.iter().chain(wave).cloned().collect();
        // A missing loss (NaN) ranks last.
        pool.sort_by(|a, b| {
            let key = |x: f64| if x.is_nan() { f64::INFINITY } else { x };
            key(a.loss).total_cmp(&key(b.loss))
        });
        pool.truncate(elite_size.max(1));
        let k = self.mean.len();
        let n = pool.len() as f64;
        let mean: Vec<f64> = (0..k)
            .map(|j| pool.iter().map(|p| p.unit[j]).sum::<f64>() / n)
            .collect();
        let spread: Vec<f64> = (0..k)
            .map(|j| {
                let sd = (pool
                    .iter()
                    .map(|p| (p.unit[j] - mean[j]).powi(2))
                    .sum::<f64>()
                    / n)
                    .sqrt();
                (SMOOTHING * sd + (1.0 - SMOOTHING) * self.spread[j]).max(MIN_SPREAD)
            })
            .collect();
        State {
            mean,
            spread,
            elite: pool,
        }
    }

    /// The best point so far.
    pub fn best(&self) -> Option<&Evaluated> {
        self.elite.first()
    }
}

/// The `n` points of wave `wave` (unit coordinates) drawn from `state`; wave 0 begins with the
/// state's mean itself (the scenario's own values).
pub fn wave_points(state: &State, wave: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = DesignRng::new(seed ^ (wave as u64).wrapping_mul(0x1000_0001), PURPOSE);
    let mut out = Vec::with_capacity(n);
    if wave == 0 && n > 0 {
        out.push(state.mean.clone());
    }
    while out.len() < n {
        out.push(
            state
                .mean
                .iter()
                .zip(&state.spread)
                .map(|(m, s)| (m + s * rng.normal()).clamp(0.0, 1.0))
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the search on a known function: the waves find its minimum.
    #[test]
    fn the_waves_find_the_minimum_of_a_known_function() {
        let target = [0.8, 0.2, 0.55];
        let f = |u: &[f64]| -> f64 {
            u.iter()
                .zip(&target)
                .map(|(a, b)| ((a - b) / 0.05).powi(2))
                .sum::<f64>()
                / 3.0
        };
        let mut state = State::start(&[0.5, 0.5, 0.5]);
        for w in 0..12 {
            let pts = wave_points(&state, w, 12, 99);
            assert_eq!(pts.len(), 12);
            if w == 0 {
                assert_eq!(pts[0], vec![0.5, 0.5, 0.5]);
            }
            let wave: Vec<Evaluated> = pts
                .into_iter()
                .map(|u| Evaluated {
                    loss: f(&u),
                    unit: u,
                })
                .collect();
            state = state.after(&wave, 4);
        }
        let best = state.best().unwrap();
        for (a, b) in best.unit.iter().zip(&target) {
            assert!((a - b).abs() < 0.03, "{:?}", best.unit);
        }
        assert!(best.loss < 0.5);
        // Deterministic in the seed.
        let s0 = State::start(&[0.5; 3]);
        assert_eq!(wave_points(&s0, 3, 5, 1), wave_points(&s0, 3, 5, 1));
        assert_ne!(wave_points(&s0, 3, 5, 1), wave_points(&s0, 4, 5, 1));
    }
}
