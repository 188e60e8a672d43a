//! `sociaal calibrate`: fits chosen parameters to the validation targets, wave by wave
//! ([`super::calibrate`]), and writes what it found.
//!
//! Wave `w` runs as the scenario `wave-<w>` in `<out>/<name>-calibrate/` (a plan like any:
//! shards, run indices, MPI and a resumed run work on it; a wave already on disk is read, not
//! run). Written beside the waves once the search ends: `calibration.csv` (every point: its
//! values, loss and each target's miss), `calibration.md` (parameters and targets before and
//! after, the convergence) and `<name>-calibrated.toml`, a scenario file that extends the
//! input with the fitted values, each with a comment.

use super::calibrate::{Evaluated, State, wave_points};
use super::objective::{self, checks};
use super::{Factor, FactorKind, design_scenario, fmt_value, run_design};
use crate::error::Error;
use crate::report::validate::{Check, Target, target_text};
use crate::run::{Progress, RunOptions};
use crate::scenario::Scenario;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to fit and how.
#[derive(Clone, Debug)]
pub struct Request {
    /// The parameters fitted, with their ranges.
    pub factors: Vec<Factor>,
    /// The targets (those the scenario can be checked on).
    pub targets: Vec<Target>,
    /// Points per wave.
    pub points: usize,
    /// Most waves.
    pub waves: usize,
    /// Points kept as the elite.
    pub elite: usize,
    /// Replications per point.
    pub replications: u32,
}

/// One point of a wave, evaluated.
#[derive(Clone, Debug)]
pub struct Point {
    /// Unit coordinates.
    pub unit: Vec<f64>,
    /// The parameters' values.
    pub values: Vec<f64>,
    /// The targets checked.
    pub checks: Vec<Check>,
    /// The loss.
    pub loss: f64,
}

/// One finished wave.
#[derive(Clone, Debug)]
pub struct Wave {
    /// Its points.
    pub points: Vec<Point>,
    /// The search's state after it.
    pub state: State,
}

/// Where the search stands.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `<out>/<name>-calibrate`.
    pub dir: PathBuf,
    /// The finished waves.
    pub waves: Vec<Wave>,
    /// The wave waiting for runs of other processes (shards, ranks), if any.
    pub waiting: Option<usize>,
    /// Whether every spread fell below [`super::calibrate::CONVERGED_SPREAD`].
    pub converged: bool,
    /// Runs simulated by this process.
    pub ran: u64,
}

impl Outcome {
    /// The scenario's own values (wave 0, point 0).
    pub fn before(&self) -> Option<&Point> {
        self.waves.first().and_then(|w| w.points.first())
    }

    /// The best point of every wave: `(wave, point)`.
    pub fn best(&self) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize, f64)> = None;
        for (w, wave) in self.waves.iter().enumerate() {
            for (i, p) in wave.points.iter().enumerate() {
                if p.loss.is_finite() && best.is_none_or(|b| p.loss < b.2) {
                    best = Some((w, i, p.loss));
                }
            }
        }
        best.map(|(w, i, _)| (w, i))
    }

    fn point(&self, at: (usize, usize)) -> &Point {
        &self.waves[at.0].points[at.1]
    }
}

/// Runs the search on `base` (waves of `opts.selection`'s share; waves on disk are read).
/// `on_wave` hears of each finished wave.
pub fn calibrate(
    base: &Scenario,
    req: &Request,
    opts: &RunOptions,
    progress: &dyn Progress,
    mut on_wave: impl FnMut(usize, &Wave) -> Result<(), Error>,
) -> Result<Outcome, Error> {
    let dir = opts.out_dir.join(format!("{}-calibrate", base.name));
    let wave_opts = RunOptions {
        out_dir: dir.clone(),
        ..opts.clone()
    };
    let start: Vec<f64> = req.factors.iter().map(|f| f.unit(f.default)).collect();
    let mut state = State::start(&start);
    let mut out = Outcome {
        dir,
        waves: Vec::new(),
        waiting: None,
        converged: false,
        ran: 0,
    };
    for w in 0..req.waves {
        let unit = wave_points(&state, w, req.points, base.seed);
        let values: Vec<Vec<f64>> = unit
            .iter()
            .map(|u| req.factors.iter().zip(u).map(|(f, x)| f.at(*x)).collect())
            .collect();
        let design = design_scenario(
            base,
            &format!("wave-{w}"),
            &req.factors,
            &values,
            req.replications,
        )?;
        let (report, results) = run_design(&design.scenario, &wave_opts, progress)?;
        out.ran += report.runs;
        let Some(r) = results else {
            out.waiting = Some(w);
            return Ok(out);
        };
        let points: Vec<Point> = unit
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(i, (u, v))| {
                // A point that could not run has no loss (it ranks last).
                let (cs, loss) = if design.runs(i) {
                    let cs = checks(&r, base, i, &req.targets);
                    let loss = objective::loss(&cs);
                    (cs, loss)
                } else {
                    (Vec::new(), f64::NAN)
                };
                Point {
                    loss,
                    unit: u,
                    values: v,
                    checks: cs,
                }
            })
            .collect();
        let evaluated: Vec<Evaluated> = points
            .iter()
            .map(|p| Evaluated {
                unit: p.unit.clone(),
                loss: p.loss,
            })
            .collect();
        state = state.after(&evaluated, req.elite);
        let wave = Wave {
            points,
            state: state.clone(),
        };
        on_wave(w, &wave)?;
        out.waves.push(wave);
        if state.converged() {
            out.converged = true;
            break;
        }
    }
    Ok(out)
}

/// `calibration.csv`: every point of every wave.
pub fn csv(req: &Request, out: &Outcome) -> String {
    let mut s = String::from("wave,point,loss");
    for f in &req.factors {
        let _ = write!(s, ",{}", f.key);
    }
    for t in &req.targets {
        let _ = write!(s, ",z_{}", t.id);
    }
    s.push('\n');
    for (w, wave) in out.waves.iter().enumerate() {
        for (i, p) in wave.points.iter().enumerate() {
            let _ = write!(s, "{w},{i},{}", p.loss);
            for v in &p.values {
                let _ = write!(s, ",{v}");
            }
            for c in &p.checks {
                let _ = write!(s, ",{}", objective::z(c));
            }
            s.push('\n');
        }
    }
    s
}

/// The text of a dated key's steps times `x`, as TOML.
fn scaled_steps(base: &Scenario, key: &str, x: f64, whole: bool) -> Option<String> {
    let v = serde_json::to_value(&base.variants[0].params).ok()?;
    let steps = key.split('.').try_fold(&v, |node, k| node.get(k))?;
    let Value::Array(steps) = steps else {
        return None;
    };
    let mut s = String::from("[\n");
    for st in steps {
        let from = st.get("from")?.as_str()?;
        let value = st.get("value")?.as_f64()? * x;
        let _ = writeln!(
            s,
            "  {{ from = \"{from}\", value = {} }},",
            toml_value(value, whole)
        );
    }
    s.push(']');
    Some(s)
}

/// A value as TOML: a whole number rounded for a `whole` key, else a float.
fn toml_value(x: f64, whole: bool) -> String {
    if whole {
        format!("{}", x.round() as i64)
    } else {
        toml_number(x)
    }
}

/// A float as TOML writes it (always with a decimal point or exponent).
fn toml_number(x: f64) -> String {
    let s = fmt_value(x);
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// `<name>-calibrated.toml`: extends `base`'s file with the values of the point `best`.
pub fn scenario_file(
    base: &Scenario,
    req: &Request,
    out: &Outcome,
    command: &str,
    target_file: &Path,
    written_to: &Path,
) -> Result<String, Error> {
    let best = out
        .best()
        .ok_or_else(|| Error::Results("no point of the calibration has a loss".into()))?;
    let p = out.point(best);
    let before = out.before().map_or(f64::NAN, |b| b.loss);
    let dir = written_to.parent().unwrap_or(Path::new("."));
    let extends = super::relative_path(dir, &base.file);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}: `{}` with {} parameter(s) fitted to {} target(s) of {} by\n# `{command}`\n# (cross-entropy method: {} wave(s) of {} points, {} replication(s) each at scale {}, seed {}).\n# Loss (mean squared miss in tolerances; 1 = every target at the edge of its tolerance):\n# {} before, {} after (wave {}, point {}). The fit is only as good as the targets and the\n# mechanisms behind the parameters: see calibration.md beside the runs.",
        written_to
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        base.file.display(),
        req.factors.len(),
        req.targets.len(),
        target_file.display(),
        out.waves.len(),
        req.points,
        req.replications,
        base.scale,
        base.seed,
        fmt_value(before),
        fmt_value(p.loss),
        best.0,
        best.1
    );
    let _ = writeln!(
        s,
        "extends = {}",
        toml_string(&extends.display().to_string())
    );
    // The same scenario, so its targets and results directory are the input's.
    let _ = writeln!(s, "name = {}", toml_string(&base.name));
    // Group the keys by table, in the order of the parameters.
    let mut tables: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (i, f) in req.factors.iter().enumerate() {
        let (table, leaf) = f.key.rsplit_once('.').unwrap_or(("", f.key.as_str()));
        match tables.iter_mut().find(|(t, _)| t == table) {
            Some((_, keys)) => keys.push((i, leaf.to_string())),
            None => tables.push((table.to_string(), vec![(i, leaf.to_string())])),
        }
    }
    for (table, keys) in tables {
        if !table.is_empty() {
            let _ = writeln!(s, "\n[{table}]");
        }
        for (i, leaf) in keys {
            let f = &req.factors[i];
            let x = p.values[i];
            match f.kind {
                FactorKind::Value => {
                    let _ = writeln!(
                        s,
                        "# Fitted by `sociaal calibrate` (range {} to {}; was {}).\n{leaf} = {}",
                        fmt_value(f.lo),
                        fmt_value(f.hi),
                        fmt_value(f.default),
                        toml_value(x, f.whole)
                    );
                }
                FactorKind::Factor => {
                    let steps = scaled_steps(base, &f.key, x, f.whole).ok_or_else(|| {
                        Error::Results(format!("`{}` has no dated steps to scale", f.key))
                    })?;
                    let _ = writeln!(
                        s,
                        "# Fitted by `sociaal calibrate`: every step times {} (range {} to {}).\n{leaf} = {steps}",
                        fmt_value(x),
                        fmt_value(f.lo),
                        fmt_value(f.hi)
                    );
                }
            }
        }
    }
    Ok(s)
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `calibration.md`: parameters and targets before and after, and the convergence.
pub fn markdown(base: &Scenario, req: &Request, out: &Outcome, command: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Calibration of `{}`\n", base.name);
    let _ = writeln!(
        s,
        "Made by `{command}`: {} parameter(s), {} target(s), cross-entropy method with {} point(s) per wave (elite {}), {} replication(s) per point at scale {} (seed {}, the same seeds for every point). {} wave(s){}.\n",
        req.factors.len(),
        req.targets.len(),
        req.points,
        req.elite,
        req.replications,
        base.scale,
        base.seed,
        out.waves.len(),
        if out.converged {
            ", converged (every spread below 2% of its range)"
        } else {
            ", stopped at the waves asked for"
        }
    );
    let (Some(before), Some(best)) = (out.before(), out.best()) else {
        s.push_str("No wave finished.\n");
        return s;
    };
    let after = out.point(best);
    let _ = writeln!(
        s,
        "Loss (mean squared miss in tolerances): {} before, {} after (wave {}, point {}).\n",
        fmt_value(before.loss),
        fmt_value(after.loss),
        best.0,
        best.1
    );
    s.push_str("## Parameters\n\n| key | range | before | after |\n|---|---|---:|---:|\n");
    for (i, f) in req.factors.iter().enumerate() {
        let _ = writeln!(
            s,
            "| `{}` | {} to {} | {} | {} |",
            f.label(),
            fmt_value(f.lo),
            fmt_value(f.hi),
            fmt_value(before.values[i]),
            fmt_value(after.values[i])
        );
    }
    s.push_str("\n## Targets\n\n| id | indicator | year | target | before | after |\n|---|---|---|---|---:|---:|\n");
    for (b, a) in before.checks.iter().zip(&after.checks) {
        let shown = |c: &Check| {
            if c.problem.is_some() {
                "n/a".to_string()
            } else {
                format!(
                    "{} ({}{:+.1}%)",
                    fmt_value(c.model[0]),
                    if c.pass { "pass, " } else { "FAIL, " },
                    c.deviation * 100.0
                )
            }
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            b.target.id,
            b.target.indicator,
            b.target.year,
            target_text(&b.target),
            shown(b),
            shown(a)
        );
    }
    let passed = |p: &super::fit::Point| p.checks.iter().filter(|c| c.pass).count();
    let _ = writeln!(
        s,
        "\nPassed: {} of {} before, {} after.\n",
        passed(before),
        before.checks.len(),
        passed(after)
    );
    s.push_str("## Convergence\n\n| wave | points | best in wave | best so far | mean loss | largest spread |\n|---:|---:|---:|---:|---:|---:|\n");
    let mut so_far = f64::INFINITY;
    for (w, wave) in out.waves.iter().enumerate() {
        let losses: Vec<f64> = wave
            .points
            .iter()
            .map(|p| p.loss)
            .filter(|l| l.is_finite())
            .collect();
        let best_here = losses.iter().copied().fold(f64::INFINITY, f64::min);
        so_far = so_far.min(best_here);
        let mean = losses.iter().sum::<f64>() / losses.len().max(1) as f64;
        let spread = wave.state.spread.iter().copied().fold(0.0f64, f64::max);
        let _ = writeln!(
            s,
            "| {w} | {} | {} | {} | {} | {} |",
            wave.points.len(),
            fmt_value(best_here),
            fmt_value(so_far),
            fmt_value(mean),
            fmt_value(spread)
        );
    }
    s
}

/// Writes `calibration.csv`, `calibration.md` and `<name>-calibrated.toml` into `out.dir`;
/// returns the scenario file's path.
pub fn write(
    base: &Scenario,
    req: &Request,
    out: &Outcome,
    command: &str,
    target_file: &Path,
) -> Result<PathBuf, Error> {
    let file = out.dir.join(format!("{}-calibrated.toml", base.name));
    let toml = scenario_file(base, req, out, command, target_file, &file)?;
    crate::output::write_file_atomic(&out.dir.join("calibration.csv"), csv(req, out).as_bytes())?;
    crate::output::write_file_atomic(
        &out.dir.join("calibration.md"),
        markdown(base, req, out, command).as_bytes(),
    )?;
    crate::output::write_file_atomic(&file, toml.as_bytes())?;
    Ok(file)
}
