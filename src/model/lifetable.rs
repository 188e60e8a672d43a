//! Mortality and fertility schedules turned into monthly probabilities by single year of age.
//!
//! Mortality: a Gompertz-Makeham hazard `mu(x) = M + A * exp(B * x)` for ages 1 and over,
//! with the first-year death probability given directly (infant mortality). `B` is the
//! scenario's `mortality_slope`; `A` is solved so that the period life expectancy at birth
//! equals the scenario's value for that sex and month. So a scenario states life expectancy
//! (a published figure) rather than a table of rates.
//!
//! Fertility: age-specific rates for women 15-49 shaped as a normal curve around the mean
//! age at birth, scaled so they add up to the total fertility rate.

/// Oldest single year of age; everyone still alive at this age dies within the year.
pub const MAX_AGE: usize = 110;

/// The Makeham term: background mortality at all ages, per year. Assumption (accidents and
/// other causes not linked to age; about 2 per 10 000 at ages 10-30 in CBS life tables).
pub const MAKEHAM: f64 = 0.0002;

/// Yearly hazards by age `0..=MAX_AGE` for a Gompertz level `a`.
fn yearly_hazards(a: f64, slope: f64, infant: f64) -> [f64; MAX_AGE + 1] {
    let mut h = [0.0; MAX_AGE + 1];
    // Capped below 1 so the hazard stays finite (technical).
    h[0] = -(1.0 - infant.min(0.999)).ln();
    for (x, hx) in h.iter_mut().enumerate().skip(1) {
        // Integral of mu over [x, x + 1).
        let x = x as f64;
        *hx = MAKEHAM + a / slope * (slope * x).exp() * (slope.exp() - 1.0);
    }
    h[MAX_AGE] = f64::INFINITY;
    h
}

/// Life expectancy at birth implied by yearly hazards (deaths mid-year on average).
fn life_expectancy(h: &[f64; MAX_AGE + 1]) -> f64 {
    let mut s = 1.0;
    let mut e = 0.0;
    for &hx in h {
        let next = s * (-hx).exp();
        e += (s + next) / 2.0;
        s = next;
    }
    e
}

/// Monthly death probability by age for one sex, matching life expectancy `e0`.
pub fn monthly_death_probabilities(e0: f64, slope: f64, infant: f64) -> [f64; MAX_AGE + 1] {
    // Life expectancy falls as `a` rises: bisect on log(a), in a bracket (e^-30 to 1) wide
    // enough for every life expectancy the scenario allows (30-110).
    let (mut lo, mut hi) = (-30.0f64, 0.0f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if life_expectancy(&yearly_hazards(mid.exp(), slope, infant)) > e0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let h = yearly_hazards((0.5 * (lo + hi)).exp(), slope, infant);
    let mut q = [0.0; MAX_AGE + 1];
    for (qx, hx) in q.iter_mut().zip(h) {
        *qx = 1.0 - (-hx / 12.0).exp();
    }
    q[MAX_AGE] = 1.0;
    q
}

/// First and last age at which women give birth in the model (the ages of CBS's fertility
/// figures, 15-49).
pub const FERTILE_AGES: std::ops::RangeInclusive<usize> = 15..=49;

/// Monthly birth probability by age of the woman (zero outside 15-49).
pub fn monthly_birth_probabilities(tfr: f64, mean_age: f64, spread: f64) -> [f64; MAX_AGE + 1] {
    let mut f = [0.0; MAX_AGE + 1];
    let mut sum = 0.0;
    for a in FERTILE_AGES {
        let z = (a as f64 + 0.5 - mean_age) / spread;
        f[a] = (-0.5 * z * z).exp();
        sum += f[a];
    }
    for x in f.iter_mut() {
        *x = *x / sum * tfr / 12.0;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solved_table_reproduces_life_expectancy() {
        for e0 in [75.0, 79.9, 83.3, 86.0] {
            let q = monthly_death_probabilities(e0, 0.095, 0.0033);
            // Rebuild the survival curve from the monthly probabilities.
            let mut s = 1.0;
            let mut e = 0.0;
            for &qx in &q {
                let next = s * (1.0 - qx).powi(12);
                e += (s + next) / 2.0;
                s = next;
            }
            assert!((e - e0).abs() < 0.05, "e0 {e0} got {e}");
            assert!(q[80] > q[60] && q[60] > q[40], "mortality rises with age");
        }
    }

    #[test]
    fn fertility_adds_up_to_tfr() {
        let f = monthly_birth_probabilities(1.66, 31.2, 5.0);
        let tfr: f64 = f.iter().sum::<f64>() * 12.0;
        assert!((tfr - 1.66).abs() < 1e-9);
        assert_eq!(f[14], 0.0);
        assert_eq!(f[50], 0.0);
        assert!(f[31] > f[20]);
    }
}
