//! Designs over a scenario's parameters, for `sociaal sensitivity` and `sociaal calibrate`.
//!
//! - [`space`]: the numeric keys of a scenario with their ranges (around the default, within
//!   what the key's type and the cross-key rules allow).
//! - A design is a list of points; [`design_scenario`] turns it into one scenario whose
//!   variants are the points (times the input's own variants), each point starting from its
//!   own parameters ([`crate::scenario::Variant::group`]). So a design is a plan like any
//!   scenario's: `--shard`, `--run-index`, `merge`, MPI and resuming a killed run work on it,
//!   and replication `k` of every point uses seed `seed + k` (common random numbers).
//! - [`objective`]: the validation targets of a point and the loss over them.
//! - [`morris`] and [`sobol`]: global screening; [`calibrate`]: fitting to targets.

pub mod calibrate;
pub mod fit;
pub mod morris;
pub mod objective;
pub mod screen;
pub mod sobol;
pub mod space;

use crate::error::Error;
use crate::merge::{self, RunState};
use crate::plan::Selection;
use crate::report::results::Results;
use crate::run::{self, Progress, RunOptions, RunReport};
use crate::scenario::{Scenario, Variant};
pub use space::{Factor, FactorKind};

/// Runs the runs of `design` that `opts` selects (skipping those complete on disk, as `run`
/// does) and, once every run of the design is on disk (this process's or others': shards,
/// ranks), merges them and reads the results back; `None` while runs are missing.
pub fn run_design(
    design: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<(RunReport, Option<Results>), Error> {
    let report = run::execute(design, opts, progress)?;
    if !opts.simulate {
        return Ok((report, None));
    }
    if !report.merged {
        let all = RunOptions {
            selection: Selection::All,
            ..opts.clone()
        };
        let prepared = run::Prepared::new(design, &all)?;
        let binary = crate::sysinfo::binary_hash();
        let complete = prepared.plan.iter().all(|r| {
            matches!(
                merge::run_state(&r.dir, &prepared.identity, Some(binary)),
                RunState::Complete { .. }
            )
        });
        if !complete {
            return Ok((report, None));
        }
        merge::merge(&prepared.dir)?;
    }
    let results = Results::load(&report.dir)?;
    Ok((report, Some(results)))
}

/// The path to `target` from the directory `from` (both made absolute), for a scenario
/// file's `extends`; `target` as given where no relative path exists.
pub fn relative_path(from: &std::path::Path, target: &std::path::Path) -> std::path::PathBuf {
    let abs = |p: &std::path::Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (from, to) = (abs(from), abs(target));
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target.to_path_buf();
    }
    let mut out = std::path::PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// The random numbers of a design (SplitMix64): a function of the seed alone, so a design is
/// the same in every process that builds it (shards, ranks, a resumed run).
#[derive(Clone, Debug)]
pub struct DesignRng(u64);

impl DesignRng {
    /// The stream for `seed` and a design's `purpose` (distinct per method).
    pub fn new(seed: u64, purpose: u64) -> DesignRng {
        DesignRng(seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0 .. 1`.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0 .. n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }

    /// A random permutation of `0 .. n` (Fisher-Yates).
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            v.swap(i, self.below(i + 1));
        }
        v
    }
}

/// A Latin hypercube of `n` points in `k` dimensions, unit coordinates.
pub fn latin_hypercube(n: usize, k: usize, rng: &mut DesignRng) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    for j in 0..k {
        let order = rng.permutation(n);
        for (i, p) in points.iter_mut().enumerate() {
            p[j] = (order[i] as f64 + rng.uniform()) / n as f64;
        }
    }
    points
}

/// Variant name of point `i` of a design for the input's variant `name` (`None`: the input has
/// one variant).
pub fn point_name(i: usize, variant: Option<&str>) -> String {
    match variant {
        None => format!("p{i:04}"),
        Some(v) => format!("p{i:04}-{v}"),
    }
}

/// A design as one scenario, and which points it could not run.
#[derive(Clone, Debug)]
pub struct Design {
    /// The scenario: for every runnable point, every variant of the input.
    pub scenario: Scenario,
    /// Per point: `None` where it runs, or why it cannot (its values together break a rule
    /// between keys, such as an order of bounds; each value alone is in its range).
    pub infeasible: Vec<Option<String>>,
}

impl Design {
    /// Whether point `i` runs.
    pub fn runs(&self, i: usize) -> bool {
        self.infeasible.get(i).is_some_and(Option::is_none)
    }

    /// Points that cannot run.
    pub fn infeasible_count(&self) -> usize {
        self.infeasible.iter().filter(|x| x.is_some()).count()
    }

    /// The rules the points that cannot run break (the key each names), most often first,
    /// with how often.
    pub fn broken_rules(&self) -> Vec<(String, usize)> {
        let mut count: std::collections::BTreeMap<String, usize> = Default::default();
        for why in self.infeasible.iter().flatten() {
            let key = why.split(':').next().unwrap_or(why).to_string();
            *count.entry(key).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = count.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// The scenario that runs `points` (values of `factors`, one row per point) of `base`: for
/// every point, every variant of `base` with the point's values, the point's first variant
/// starting from its own state and the others branching from it as in `base`. Named `name`,
/// with `replications` replications. A point whose values break a rule between keys is left
/// out ([`Design::infeasible`]); an error when no point is left.
pub fn design_scenario(
    base: &Scenario,
    name: &str,
    factors: &[Factor],
    points: &[Vec<f64>],
    replications: u32,
) -> Result<Design, Error> {
    use rayon::prelude::*;
    let many = base.variants.len() > 1;
    // Each point's variants, made in parallel (a design may have thousands of points), or why
    // the point cannot run.
    let json: Vec<serde_json::Value> = base
        .variants
        .iter()
        .map(|v| serde_json::to_value(&v.params).expect("parameters serialise to JSON"))
        .collect();
    let made: Vec<Result<Vec<Variant>, String>> = points
        .par_iter()
        .enumerate()
        .map(|(i, point)| {
            let these = base
                .variants
                .iter()
                .zip(&json)
                .map(|(v, j)| Ok((v, space::assign_json(j.clone(), factors, point)?)))
                .collect::<Result<Vec<_>, String>>()?;
            let description = describe(factors, point);
            Ok(these
                .into_iter()
                .map(|(v, params)| Variant {
                    name: point_name(i, many.then_some(v.name.as_str())),
                    description: description.clone(),
                    params,
                    geography: v.geography.clone(),
                    // The point's variants differ where the base's do: the keys they differ
                    // in are never varied (`space::space` leaves them out).
                    branch: v.branch,
                    group: 0,
                })
                .collect())
        })
        .collect();
    let mut variants: Vec<Variant> = Vec::with_capacity(points.len() * base.variants.len());
    let mut infeasible = Vec::with_capacity(points.len());
    for m in made {
        match m {
            Ok(these) => {
                let group = variants.len();
                variants.extend(these.into_iter().map(|v| Variant { group, ..v }));
                infeasible.push(None);
            }
            Err(e) => infeasible.push(Some(e)),
        }
    }
    if variants.is_empty() {
        return Err(Error::Results(format!(
            "no point of the design of {} can run: {}",
            base.file.display(),
            infeasible
                .iter()
                .flatten()
                .next()
                .cloned()
                .unwrap_or_default()
        )));
    }
    let scenario = Scenario {
        file: base.file.clone(),
        name: name.to_string(),
        description: format!("{} ({} points)", base.description, points.len()),
        seed: base.seed,
        replications,
        start: base.start,
        end: base.end,
        warmup_months: base.warmup_months,
        scale: base.scale,
        variants,
    };
    Ok(Design {
        scenario,
        infeasible,
    })
}

/// `key = value, ...` for a point.
fn describe(factors: &[Factor], point: &[f64]) -> String {
    factors
        .iter()
        .zip(point)
        .map(|(f, x)| format!("{} = {}", f.label(), fmt_value(*x)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value with six significant digits, no trailing zeros.
pub fn fmt_value(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (6 - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_fills_every_stratum_once() {
        let mut rng = DesignRng::new(7, 1);
        let pts = latin_hypercube(10, 3, &mut rng);
        for j in 0..3 {
            let mut strata: Vec<usize> = pts.iter().map(|p| (p[j] * 10.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
        // The same seed, the same design.
        assert_eq!(pts, latin_hypercube(10, 3, &mut DesignRng::new(7, 1)));
    }

    #[test]
    fn values_print_short() {
        assert_eq!(fmt_value(0.0150000001), "0.015");
        assert_eq!(fmt_value(23500.0), "23500");
        assert_eq!(fmt_value(1.25), "1.25");
        assert_eq!(fmt_value(-0.5), "-0.5");
    }
}
