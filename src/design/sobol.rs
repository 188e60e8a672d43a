//! Sobol indices from Saltelli sampling (Saltelli et al. 2010, "Variance based sensitivity
//! analysis of model output", estimators for first-order indices; Jansen 1999 for total
//! ones).
//!
//! Two independent samples `A` and `B` of `n` points (Latin hypercubes, unit coordinates)
//! and, for each factor `i`, `A` with column `i` from `B` (`A_B^i`): `n (k + 2)` points. With
//! `V` the variance of the output over `A` and `B`:
//! - first order `S_i = mean(f(B) (f(A_B^i) - f(A))) / V`: the share of the variance the
//!   factor explains alone;
//! - total `ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)`: its share with all its interactions.

use super::{DesignRng, latin_hypercube};
use serde::Serialize;

/// A seed's purpose for Sobol designs ([`DesignRng::new`]).
const PURPOSE: u64 = 0x534f_424c;

/// The `n (k + 2)` points: `A` (rows `0 .. n`), `B` (`n .. 2n`), then `A_B^i` for each factor
/// (`(2 + i) n .. (3 + i) n`).
pub fn points(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = DesignRng::new(seed, PURPOSE);
    let a = latin_hypercube(n, k, &mut rng);
    let b = latin_hypercube(n, k, &mut rng);
    let mut out = Vec::with_capacity(n * (k + 2));
    out.extend(a.iter().cloned());
    out.extend(b.iter().cloned());
    for i in 0..k {
        for (ra, rb) in a.iter().zip(&b) {
            let mut x = ra.clone();
            x[i] = rb[i];
            out.push(x);
        }
    }
    out
}

/// One factor's indices on one output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Indices {
    /// First-order index.
    pub first: f64,
    /// Total index.
    pub total: f64,
}

/// Each factor's indices from the outputs `y` at [`points`] (`n` per block). NaN where the
/// output does not vary or a value is missing.
pub fn indices(k: usize, n: usize, y: &[f64]) -> Vec<Indices> {
    let fa = &y[..n];
    let fb = &y[n..2 * n];
    let both: Vec<f64> = fa.iter().chain(fb).copied().collect();
    let mean = both.iter().sum::<f64>() / both.len() as f64;
    let var = both.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / both.len() as f64;
    (0..k)
        .map(|i| {
            let fab = &y[(2 + i) * n..(3 + i) * n];
            if var.is_nan() || var <= 0.0 || !y.iter().all(|x| x.is_finite()) {
                return Indices {
                    first: f64::NAN,
                    total: f64::NAN,
                };
            }
            let first = (0..n).map(|j| fb[j] * (fab[j] - fa[j])).sum::<f64>() / n as f64 / var;
            let total =
                (0..n).map(|j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / n as f64 / (2.0 * var);
            Indices { first, total }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_of_a_known_function() {
        // y = x0 + 2 x1 + x0 x2 (uniform inputs on 0..1): x1 carries most of the variance,
        // x2 acts mostly together with x0 (first order 0.04, total 0.05).
        let (k, n) = (3, 4000);
        let pts = points(k, n, 5);
        assert_eq!(pts.len(), n * (k + 2));
        let y: Vec<f64> = pts
            .iter()
            .map(|p| p[0] + 2.0 * p[1] + p[0] * p[2])
            .collect();
        let s = indices(k, n, &y);
        // Analytic: V = Var(1.5 x0) + Var(2 x1) + Var(0.5 x2) + Var(x0 x2 interaction).
        let v = 2.25 / 12.0 + 4.0 / 12.0 + 0.25 / 12.0 + 1.0 / 144.0;
        assert!((s[1].first - (4.0 / 12.0) / v).abs() < 0.05, "{:?}", s[1]);
        assert!(s[1].first > s[0].first && s[0].first > s[2].first);
        assert!(s[2].first.abs() < 0.05 && s[2].total > 0.005, "{:?}", s[2]);
        for x in &s {
            assert!(x.total >= x.first - 0.05);
        }
    }
}
