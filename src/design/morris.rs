//! Morris elementary effects (Morris 1991; mu* after Campolongo, Cariboni and Saltelli 2007).
//!
//! `r` trajectories through a grid of `levels` values per factor (unit coordinates). A
//! trajectory starts at a random grid point and moves one factor at a time, in random order,
//! by `delta = levels / (2 (levels - 1))` (up where it can, down otherwise), so it has `k + 1`
//! points for `k` factors. Each move gives one elementary effect of its factor: the change of
//! the output over the move, per unit of the factor's range. Per factor and output: `mu` (the
//! mean effect: its sign), `mu*` (the mean absolute effect: how much the factor moves the
//! output) and `sigma` (their spread: interactions and non-linearity).

use super::DesignRng;
use serde::Serialize;

/// A seed's purpose for Morris designs ([`DesignRng::new`]).
const PURPOSE: u64 = 0x4d4f_5252;

/// The step through the grid, unit coordinates.
pub fn delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// The points of `r` trajectories for `k` factors on a grid of `levels` (even, at least 2),
/// unit coordinates: trajectory `t` is rows `t (k + 1) ..= t (k + 1) + k`.
pub fn points(k: usize, r: usize, levels: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = DesignRng::new(seed, PURPOSE);
    let d = delta(levels);
    let step = 1.0 / (levels as f64 - 1.0);
    let mut out = Vec::with_capacity(r * (k + 1));
    for _ in 0..r {
        let mut x: Vec<f64> = (0..k).map(|_| rng.below(levels) as f64 * step).collect();
        out.push(x.clone());
        for i in rng.permutation(k) {
            x[i] = if x[i] + d <= 1.0 + 1e-12 {
                x[i] + d
            } else {
                x[i] - d
            };
            x[i] = x[i].clamp(0.0, 1.0);
            out.push(x.clone());
        }
    }
    out
}

/// One factor's elementary effects on one output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Effects {
    /// Mean effect per unit of the range.
    pub mu: f64,
    /// Mean absolute effect.
    pub mu_star: f64,
    /// Standard deviation of the effects.
    pub sigma: f64,
    /// Effects counted (trajectories with a finite output at both ends).
    pub n: usize,
}

/// Each factor's effects on an output from the design's `unit` points (as [`points`] made
/// them) and the output `y` at each.
pub fn effects(k: usize, unit: &[Vec<f64>], y: &[f64]) -> Vec<Effects> {
    let mut ee: Vec<Vec<f64>> = vec![Vec::new(); k];
    for t in 0..unit.len() / (k + 1) {
        for s in 0..k {
            let (a, b) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            let Some(i) = (0..k).find(|&i| unit[a][i] != unit[b][i]) else {
                continue;
            };
            let dx = unit[b][i] - unit[a][i];
            let dy = y[b] - y[a];
            if dy.is_finite() {
                ee[i].push(dy / dx);
            }
        }
    }
    ee.iter()
        .map(|e| {
            let n = e.len();
            if n == 0 {
                return Effects::default();
            }
            let mu = e.iter().sum::<f64>() / n as f64;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n as f64;
            let var = if n > 1 {
                e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1) as f64
            } else {
                0.0
            };
            Effects {
                mu,
                mu_star,
                sigma: var.sqrt(),
                n,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_move_changes_one_factor_by_delta() {
        let (k, r) = (3, 5);
        let pts = points(k, r, 4, 11);
        assert_eq!(pts.len(), r * (k + 1));
        for t in 0..r {
            let mut moved = vec![false; k];
            for s in 0..k {
                let (a, b) = (&pts[t * (k + 1) + s], &pts[t * (k + 1) + s + 1]);
                let changed: Vec<usize> = (0..k).filter(|&i| a[i] != b[i]).collect();
                assert_eq!(changed.len(), 1);
                let i = changed[0];
                assert!(((a[i] - b[i]).abs() - delta(4)).abs() < 1e-12);
                moved[i] = true;
            }
            assert!(moved.iter().all(|&m| m), "every factor moves once");
        }
        for p in &pts {
            assert!(p.iter().all(|x| (0.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn effects_of_a_known_function() {
        // y = 3 x0 - x1^2 + 0 x2: factor 0 matters most and linearly (sigma 0), factor 2 not
        // at all.
        let (k, r) = (3, 20);
        let pts = points(k, r, 4, 3);
        let y: Vec<f64> = pts.iter().map(|p| 3.0 * p[0] - p[1] * p[1]).collect();
        let e = effects(k, &pts, &y);
        assert!((e[0].mu - 3.0).abs() < 1e-9 && e[0].sigma < 1e-9);
        assert!(e[1].mu_star > 0.0 && e[1].mu < 0.0);
        assert_eq!(e[2].mu_star, 0.0);
        assert!(e[0].mu_star > e[1].mu_star && e[1].mu_star > e[2].mu_star);
        assert!(e.iter().all(|x| x.n == r));
    }
}
