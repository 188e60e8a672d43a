//! Gemeenten and their regions: a synthetic Netherlands, or rows from a user's CSV.

use super::streams as ps;
use crate::engine::{Purpose, Stream, largest_remainder};
use crate::scenario::netherlands::Profile;
use crate::scenario::params::GeographyParams;
use crate::scenario::{GemeenteRow, GeographySource};

/// Standard deviation, in units of `geography.size_spread`, of the seed's jitter on the
/// quantiles of the synthetic size distribution: each seed gives a slightly different
/// Netherlands with the same shape. Assumption.
pub const SIZE_JITTER: f64 = 0.05;

/// Regions drawn for each synthetic gemeente beyond the anchors; it joins the least populous
/// of them. More candidates give regions of more equal size. Assumption.
pub const REGION_CANDIDATES: usize = 3;

/// Index of a gemeente in [`Geography::gemeenten`].
pub type GemeenteId = u16;

/// One gemeente.
#[derive(Clone, Debug, PartialEq)]
pub struct Gemeente {
    /// CBS gemeente code (GM0363), empty for a synthetic gemeente or a file without codes.
    pub code: String,
    /// Name.
    pub name: String,
    /// Inhabitants at the start of the run (the national scale, not the sample).
    pub population: u64,
    /// Index into [`Geography::jeugdregios`].
    pub jeugdregio: u16,
    /// Index into [`Geography::arbeidsmarktregios`].
    pub arbeidsmarktregio: u16,
    /// Its make-up from CBS (the built-in Netherlands); `None`: the scenario's national one.
    pub profile: Option<Profile>,
}

/// The gemeenten and the names of their regions.
#[derive(Clone, Debug, PartialEq)]
pub struct Geography {
    /// All gemeenten.
    pub gemeenten: Vec<Gemeente>,
    /// Jeugdregio names.
    pub jeugdregios: Vec<String>,
    /// Arbeidsmarktregio names.
    pub arbeidsmarktregios: Vec<String>,
    /// The scenario's seed: what is drawn once for the country (a synthetic geography, each
    /// region's staffing, employers and places) comes from it, so that every replication of a
    /// scenario shares it and a gemeente's figures differ between replications by their people
    /// and draws only.
    pub seed: u64,
}

/// Below this many agents a gemeente's own figures (gemeenten.csv) are mostly sampling noise:
/// a count of 200 agents has a relative standard error of about 7%, a yearly flow of a few
/// agents far more.
pub const MIN_AGENTS_PER_GEMEENTE: f64 = 200.0;

impl Geography {
    /// Gemeenten with fewer than [`MIN_AGENTS_PER_GEMEENTE`] agents at `scale`.
    pub fn thin_gemeenten(&self, scale: f64) -> usize {
        self.gemeenten
            .iter()
            .filter(|g| (g.population as f64) * scale < MIN_AGENTS_PER_GEMEENTE)
            .count()
    }

    /// The nation's CBS make-up: the sum of the gemeenten's profiles (empty without any).
    pub fn national_profile(&self) -> Profile {
        Profile::total(self.gemeenten.iter().filter_map(|g| g.profile.as_ref()))
    }

    /// Each gemeente's factor (its value / the nation's)^`power`, scaled so that the mean
    /// weighted by inhabitants is 1: a local difference that leaves the national figure as it
    /// was. 1 for a gemeente without a value, and for all where the geography has no CBS
    /// profiles or `power` is 0.
    pub fn local_factors(&self, value: impl Fn(&Profile) -> Option<f64>, power: f64) -> Vec<f64> {
        let national = value(&self.national_profile()).filter(|v| *v > 0.0);
        let raw: Vec<f64> = self
            .gemeenten
            .iter()
            .map(|g| match (national, g.profile.as_ref().and_then(&value)) {
                // At least a tenth of the national value: a gemeente with none is not
                // infinitely far from it.
                (Some(n), Some(v)) if power != 0.0 => (v.max(0.1 * n) / n).powf(power),
                _ => 1.0,
            })
            .collect();
        let weight: f64 = self.gemeenten.iter().map(|g| g.population as f64).sum();
        let mean = raw
            .iter()
            .zip(&self.gemeenten)
            .map(|(f, g)| f * g.population as f64)
            .sum::<f64>()
            / weight.max(1.0);
        raw.into_iter()
            .map(|f| f / mean.max(f64::MIN_POSITIVE))
            .collect()
    }

    /// Total inhabitants.
    pub fn population(&self) -> u64 {
        self.gemeenten.iter().map(|g| g.population).sum()
    }

    /// The geography of a scenario's variant: built in, synthetic (from `p` and the scenario's
    /// `seed`) or from a CSV's rows; [`Geography::seed`] is `seed`.
    pub fn of(source: &GeographySource, p: &GeographyParams, seed: u64) -> Geography {
        match source {
            GeographySource::Synthetic => Geography::synthetic(p, seed),
            GeographySource::File { rows, .. } | GeographySource::Netherlands { rows } => {
                Geography {
                    seed,
                    ..Geography::from_rows(rows)
                }
            }
        }
    }

    /// Builds the geography from CSV rows; regions are numbered in order of first appearance.
    /// Its seed is 0.
    pub fn from_rows(rows: &[GemeenteRow]) -> Geography {
        let mut jr: Vec<String> = Vec::new();
        let mut ar: Vec<String> = Vec::new();
        let index = |names: &mut Vec<String>, n: &str| -> u16 {
            match names.iter().position(|x| x == n) {
                Some(i) => i as u16,
                None => {
                    names.push(n.to_string());
                    (names.len() - 1) as u16
                }
            }
        };
        let gemeenten = rows
            .iter()
            .map(|r| Gemeente {
                code: r.code.clone(),
                name: r.name.clone(),
                population: r.population,
                jeugdregio: index(&mut jr, &r.jeugdregio),
                arbeidsmarktregio: index(&mut ar, &r.arbeidsmarktregio),
                profile: r.profile,
            })
            .collect();
        Geography {
            gemeenten,
            jeugdregios: jr,
            arbeidsmarktregios: ar,
            seed: 0,
        }
    }

    /// A synthetic Netherlands, deterministic in `seed`.
    ///
    /// Sizes: the quantiles of a log-normal with spread `size_spread`, jittered a little by the
    /// seed, scaled to add up to `population` exactly (largest remainder). The real size
    /// distribution of Dutch gemeenten is close to log-normal: a median near 25 000, a few
    /// cities of several hundred thousand and islands of about a thousand.
    ///
    /// Regions: the largest gemeenten anchor one region each (as the centrumgemeenten do);
    /// every other gemeente joins the least populous of three regions drawn by the seed, which
    /// gives regions of comparable size without geography.
    pub fn synthetic(p: &GeographyParams, seed: u64) -> Geography {
        let n = p.gemeenten as usize;
        let sigma = p.size_spread.get();
        let mut rng = Stream::new(seed, ps::GEOGRAPHY_SIZE, 0, 0);
        let mut weights: Vec<f64> = (0..n)
            .map(|i| {
                let q = (i as f64 + 0.5) / n as f64;
                (sigma * (inverse_normal_cdf(q) + SIZE_JITTER * rng.normal())).exp()
            })
            .collect();
        weights.sort_by(|a, b| b.total_cmp(a));
        let sizes = apportion(&weights, p.population);
        let names: Vec<String> = (1..=n).map(|i| format!("gemeente-{i:03}")).collect();
        let jr = assign_regions(
            &sizes,
            p.jeugdregios as usize,
            seed,
            ps::GEOGRAPHY_JEUGDREGIO,
        );
        let ar = assign_regions(
            &sizes,
            p.arbeidsmarktregios as usize,
            seed,
            ps::GEOGRAPHY_ARBEIDSMARKTREGIO,
        );
        Geography {
            gemeenten: (0..n)
                .map(|i| Gemeente {
                    code: String::new(),
                    name: names[i].clone(),
                    population: sizes[i],
                    jeugdregio: jr[i],
                    arbeidsmarktregio: ar[i],
                    profile: None,
                })
                .collect(),
            jeugdregios: (1..=p.jeugdregios)
                .map(|i| format!("jeugdregio-{i:02}"))
                .collect(),
            arbeidsmarktregios: (1..=p.arbeidsmarktregios)
                .map(|i| format!("arbeidsmarktregio-{i:02}"))
                .collect(),
            seed,
        }
    }
}

/// Integer sizes >= 1 proportional to `weights` that add up to `total` (largest remainder).
fn apportion(weights: &[f64], total: u64) -> Vec<u64> {
    let n = weights.len() as u64;
    // Every gemeente gets at least 1.
    largest_remainder(weights, total - n)
        .into_iter()
        .map(|s| s + 1)
        .collect()
}

fn assign_regions(sizes: &[u64], k: usize, seed: u64, purpose: Purpose) -> Vec<u16> {
    let k = k.min(sizes.len()).max(1);
    let mut region = vec![0u16; sizes.len()];
    let mut pop = vec![0u64; k];
    for i in 0..k {
        region[i] = i as u16;
        pop[i] = sizes[i];
    }
    for i in k..sizes.len() {
        let mut rng = Stream::new(seed, purpose, i as u64, 0);
        let best = (0..REGION_CANDIDATES)
            .map(|_| rng.below(k as u64) as usize)
            .min_by_key(|&r| (pop[r], r))
            .unwrap_or(0);
        region[i] = best as u16;
        pop[best] += sizes[i];
    }
    region
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    // Acklam's break points between the tail and central approximations.
    const P_LOW: f64 = 0.02425;
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let plow = P_LOW;
    if p < plow {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_factors_keep_the_national_mean() {
        let geo = Geography::from_rows(&crate::scenario::netherlands::rows(16_900_000));
        let health = geo.local_factors(|p| Some(p.disability_per_1000()), 0.5);
        let mean = |f: &[f64]| {
            f.iter()
                .zip(&geo.gemeenten)
                .map(|(f, g)| f * g.population as f64)
                .sum::<f64>()
                / geo.population() as f64
        };
        assert!((mean(&health) - 1.0).abs() < 1e-12);
        let of =
            |f: &[f64], name: &str| f[geo.gemeenten.iter().position(|g| g.name == name).unwrap()];
        // Heerlen has about twice the national rate of disability benefits, Bloemendaal about
        // half: a square root apart each way.
        assert!(of(&health, "Heerlen") > 1.2, "{}", of(&health, "Heerlen"));
        assert!(of(&health, "Bloemendaal") < 0.85);
        // Incomes follow the WOZ value; a gemeente without one is at the national level.
        let income = geo.local_factors(|p| p.woz, 0.35);
        assert!((mean(&income) - 1.0).abs() < 1e-12);
        assert!(of(&income, "Bloemendaal") > 1.25);
        assert!(of(&income, "Pekela") < 0.9);
        let groningen = of(&income, "Groningen");
        assert_eq!(groningen, of(&income, "Sint Anthonis"));
        // Power 0, or no CBS profiles: all alike.
        assert!(geo.local_factors(|p| p.woz, 0.0).iter().all(|&f| f == 1.0));
        let synthetic = Geography::synthetic(&params(), 7);
        assert!(
            synthetic
                .local_factors(|p| p.woz, 0.35)
                .iter()
                .all(|&f| f == 1.0)
        );
    }
    use crate::scenario::types::Positive;

    fn params() -> GeographyParams {
        GeographyParams {
            kind: crate::scenario::params::GeographyKind::Synthetic,
            file: None,
            gemeenten: 355,
            population: 16_900_000,
            size_spread: Positive(1.13),
            jeugdregios: 42,
            arbeidsmarktregios: 35,
        }
    }

    #[test]
    fn synthetic_netherlands_has_the_real_shape() {
        let g = Geography::synthetic(&params(), 7);
        assert_eq!(g.gemeenten.len(), 355);
        assert_eq!(g.population(), 16_900_000);
        let mut sizes: Vec<u64> = g.gemeenten.iter().map(|x| x.population).collect();
        sizes.sort();
        let median = sizes[177];
        assert!((20_000..32_000).contains(&median), "median {median}");
        let largest = *sizes.last().unwrap();
        assert!((500_000..1_200_000).contains(&largest), "largest {largest}");
        assert!(sizes[0] >= 1 && sizes[0] < 5_000, "smallest {}", sizes[0]);
        assert!(
            sizes.iter().rev().nth(3).unwrap() > &250_000,
            "a few big cities"
        );
        // Every region has at least one gemeente.
        for r in 0..42u16 {
            assert!(g.gemeenten.iter().any(|x| x.jeugdregio == r));
        }
        for r in 0..35u16 {
            assert!(g.gemeenten.iter().any(|x| x.arbeidsmarktregio == r));
        }
        assert_eq!(
            g,
            Geography::synthetic(&params(), 7),
            "deterministic in the seed"
        );
        assert_ne!(g, Geography::synthetic(&params(), 8));
    }

    #[test]
    fn inverse_normal_is_accurate() {
        assert!(inverse_normal_cdf(0.5).abs() < 1e-9);
        assert!((inverse_normal_cdf(0.975) - 1.959964).abs() < 1e-5);
        assert!((inverse_normal_cdf(0.001) + 3.090232).abs() < 1e-5);
    }

    #[test]
    fn rows_become_regions_in_order() {
        let rows = vec![
            GemeenteRow {
                code: String::new(),
                name: "A".into(),
                population: 10,
                jeugdregio: "J2".into(),
                arbeidsmarktregio: "R".into(),
                profile: None,
            },
            GemeenteRow {
                code: String::new(),
                name: "B".into(),
                population: 20,
                jeugdregio: "J1".into(),
                arbeidsmarktregio: "R".into(),
                profile: None,
            },
            GemeenteRow {
                code: String::new(),
                name: "C".into(),
                population: 30,
                jeugdregio: "J2".into(),
                arbeidsmarktregio: "S".into(),
                profile: None,
            },
        ];
        let g = Geography::from_rows(&rows);
        assert_eq!(g.jeugdregios, vec!["J2", "J1"]);
        assert_eq!(g.gemeenten[2].jeugdregio, 0);
        assert_eq!(g.gemeenten[2].arbeidsmarktregio, 1);
        assert_eq!(g.population(), 60);
    }
}
