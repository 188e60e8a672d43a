//! `sociaal validate`: the model against the validation targets (validation/targets.toml),
//! figures from ../shared/domain/facts.md with their year, tolerance and source.

use super::compare::human;
use super::results::{Results, band};
use crate::error::Error;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

/// How a target is checked.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The model's mean within `tolerance` (relative) of `value`.
    Level,
    /// The model's mean at least `value` (a lower bound).
    AtLeast,
    /// The sign of the change from `from_year` to `year`: `value` +1 up, -1 down, 0 flat
    /// within `tolerance` (relative).
    Direction,
    /// The change (in the indicator's unit) from `from_year` to `year` within `tolerance`
    /// (relative) of `value`: a flow that public figures give as a stock's growth (facts.md
    /// N10: LKS persons grew by 6 270 in 2017).
    Change,
}

/// One figure the model is checked against.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// facts.md item.
    pub id: String,
    /// An indicator, or a ratio `a / b` of two.
    pub indicator: String,
    /// The year (the cohort for `file = "cohorts"`).
    pub year: u32,
    /// For `direction`: the year the change is measured from.
    pub from_year: Option<u32>,
    /// The figure.
    pub value: f64,
    /// Relative tolerance.
    pub tolerance: f64,
    /// How it is checked.
    pub kind: TargetKind,
    /// Where the figure comes from.
    pub source: String,
    /// The shipped scenario to check it on (default `baseline`).
    #[serde(default = "baseline")]
    pub scenario: String,
    /// Its variant (default: the first).
    pub variant: Option<String>,
    /// `cohorts`: a cohort indicator of cohorts_summary.csv.
    pub file: Option<String>,
}

fn baseline() -> String {
    "baseline".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    target: Vec<Target>,
}

/// Reads a targets file; mistakes get an error naming the file, the line and the key.
pub fn load_targets(path: &Path) -> Result<Vec<Target>, Error> {
    let bytes = crate::scenario::read_limited(
        path,
        "a readable validation targets file",
        crate::scenario::MAX_SCENARIO_BYTES,
    )?;
    let text = crate::scenario::error::utf8(path, &bytes)?;
    let file: TargetsFile = toml::from_str(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start.min(text.len()));
        let mut line = text[..start].lines().count().max(1);
        // An unknown key: point at the key itself rather than its table.
        if let Some(key) = e
            .message()
            .strip_prefix("unknown field `")
            .and_then(|m| m.split('`').next())
            && let Some(k) = text
                .lines()
                .enumerate()
                .skip(line.saturating_sub(1))
                .find(|(_, l)| {
                    l.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|r| r.trim_start().starts_with('='))
                })
        {
            line = k.0 + 1;
        }
        Error::Results(format!(
            "{}:{line}: {}",
            path.display(),
            e.message().trim_end()
        ))
    })?;
    for t in &file.target {
        let bad =
            |what: String| Error::Results(format!("{}: target `{}`: {what}", path.display(), t.id));
        if !(t.tolerance.is_finite() && t.tolerance >= 0.0) {
            return Err(bad(format!(
                "tolerance = {}, expected a finite relative tolerance >= 0",
                t.tolerance
            )));
        }
        if !t.value.is_finite() {
            return Err(bad(format!(
                "value = {}, expected a finite number",
                t.value
            )));
        }
        if t.file.is_none() {
            for name in t.indicator.split(" / ") {
                if crate::model::indicators::by_name(name.trim()).is_none() {
                    return Err(bad(format!(
                        "indicator `{}` is not an indicator (`sociaal indicators` lists them; a ratio is written `a / b`)",
                        name.trim()
                    )));
                }
            }
        }
        if matches!(t.kind, TargetKind::Direction | TargetKind::Change) && t.from_year.is_none() {
            return Err(Error::Results(format!(
                "{}: target `{}`: kind = \"{}\" needs from_year",
                path.display(),
                t.id,
                kind_name(t.kind)
            )));
        }
        if let Some(f) = &t.file
            && f != "cohorts"
        {
            return Err(Error::Results(format!(
                "{}: target `{}`: file = \"{f}\", expected \"cohorts\" or no file key",
                path.display(),
                t.id
            )));
        }
    }
    Ok(file.target)
}

/// One target checked.
#[derive(Clone, Debug)]
pub struct Check {
    /// The target.
    pub target: Target,
    /// The variant used.
    pub variant: String,
    /// The model: mean, p05, p95 (for `direction`: the relative change).
    pub model: [f64; 3],
    /// Relative deviation from the target (level and at_least), or the relative change.
    pub deviation: f64,
    /// Whether the target is met.
    pub pass: bool,
    /// Why it could not be checked, if so.
    pub problem: Option<String>,
}

/// Per-replication values of `indicator` (or `a / b`) in `year`.
pub fn values(r: &Results, variant: usize, indicator: &str, year: u32) -> Result<Vec<f64>, String> {
    let one = |name: &str| -> Result<Vec<f64>, String> {
        let i = r
            .indicator(name.trim())
            .ok_or_else(|| format!("no indicator `{}`", name.trim()))?;
        let v = r.reps(variant, i, year);
        if v.is_empty() {
            Err(format!("no year {year} in the results"))
        } else {
            Ok(v.to_vec())
        }
    };
    match indicator.split_once('/') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            Ok(a.iter()
                .zip(&b)
                .map(|(x, y)| if *y != 0.0 { x / y } else { f64::NAN })
                .collect())
        }
        None => one(indicator),
    }
}

/// Checks every target whose scenario is `r`'s.
pub fn check(r: &Results, targets: &[Target]) -> Vec<Check> {
    targets
        .iter()
        .filter(|t| t.scenario == r.name)
        .map(|t| check_one(r, t))
        .collect()
}

/// Checks one target on `r`, on its variant (the first when it names none).
pub fn check_one(r: &Results, t: &Target) -> Check {
    let variant = t.variant.clone().unwrap_or_else(|| {
        r.variants
            .first()
            .map(|v| v.name.clone())
            .unwrap_or_default()
    });
    let mut c = Check {
        target: t.clone(),
        variant: variant.clone(),
        model: [f64::NAN; 3],
        deviation: f64::NAN,
        pass: false,
        problem: None,
    };
    let Some(vi) = r.variant(&variant) else {
        c.problem = Some(format!(
            "no variant `{variant}` (the variants are {})",
            r.variant_names().join(", ")
        ));
        return c;
    };
    let result = if t.file.as_deref() == Some("cohorts") {
        r.cohorts
            .get(&(variant.clone(), t.year, t.indicator.clone()))
            .copied()
            .ok_or_else(|| format!("no cohort {} of `{}`", t.year, t.indicator))
    } else if t.kind == TargetKind::Change {
        let from = t.from_year.unwrap_or(t.year);
        values(r, vi, &t.indicator, from).and_then(|a| {
            values(r, vi, &t.indicator, t.year)
                .map(|b| band(&a.iter().zip(&b).map(|(x, y)| y - x).collect::<Vec<f64>>()))
        })
    } else if t.kind == TargetKind::Direction {
        let from = t.from_year.unwrap_or(t.year);
        values(r, vi, &t.indicator, from).and_then(|a| {
            values(r, vi, &t.indicator, t.year).map(|b| {
                let changes: Vec<f64> = a
                    .iter()
                    .zip(&b)
                    .map(|(x, y)| {
                        if *x != 0.0 {
                            (y - x) / x.abs()
                        } else {
                            f64::NAN
                        }
                    })
                    .collect();
                band(&changes)
            })
        })
    } else {
        values(r, vi, &t.indicator, t.year).map(|v| band(&v))
    };
    match result {
        Err(e) => c.problem = Some(e),
        Ok(m) => {
            c.model = m;
            let x = m[0];
            match t.kind {
                TargetKind::Level | TargetKind::Change => {
                    c.deviation = if t.value != 0.0 {
                        (x - t.value) / t.value.abs()
                    } else {
                        x
                    };
                    c.pass = c.deviation.abs() <= t.tolerance + 1e-12;
                }
                TargetKind::AtLeast => {
                    c.deviation = if t.value != 0.0 {
                        (x - t.value) / t.value.abs()
                    } else {
                        x
                    };
                    c.pass = x >= t.value * (1.0 - t.tolerance);
                }
                TargetKind::Direction => {
                    c.deviation = x;
                    c.pass = if t.value > 0.0 {
                        x > t.tolerance
                    } else if t.value < 0.0 {
                        x < -t.tolerance
                    } else {
                        x.abs() <= t.tolerance
                    };
                }
            }
        }
    }
    c
}

/// The kind as written in a targets file.
fn kind_name(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Level => "level",
        TargetKind::AtLeast => "at_least",
        TargetKind::Direction => "direction",
        TargetKind::Change => "change",
    }
}

/// How the target reads, for tables.
pub fn target_text(t: &Target) -> String {
    match t.kind {
        TargetKind::Level => format!("{} ±{:.0}%", human(t.value), 100.0 * t.tolerance),
        TargetKind::AtLeast => format!(">= {}", human(t.value)),
        TargetKind::Change => format!(
            "{}{} from {} ±{:.0}%",
            if t.value >= 0.0 { "+" } else { "" },
            human(t.value),
            t.from_year.unwrap_or(0),
            100.0 * t.tolerance
        ),
        TargetKind::Direction => {
            let word = if t.value > 0.0 {
                "up"
            } else if t.value < 0.0 {
                "down"
            } else {
                "flat"
            };
            format!("{word} {}-{}", t.from_year.unwrap_or(0), t.year)
        }
    }
}

fn model_text(c: &Check) -> String {
    if let Some(p) = &c.problem {
        return format!("not checked: {p}");
    }
    let [m, lo, hi] = c.model;
    if c.target.kind == TargetKind::Direction {
        format!(
            "{:+.1}% [{:+.1}%, {:+.1}%]",
            100.0 * m,
            100.0 * lo,
            100.0 * hi
        )
    } else {
        format!("{} [{}, {}]", human(m), human(lo), human(hi))
    }
}

fn deviation_text(c: &Check) -> String {
    if c.problem.is_some() || !c.deviation.is_finite() || c.target.kind == TargetKind::Direction {
        "".into()
    } else {
        format!("{:+.1}%", 100.0 * c.deviation)
    }
}

fn status(c: &Check) -> &'static str {
    match (c.problem.is_some(), c.pass) {
        (true, _) => "n/a",
        (false, true) => "pass",
        (false, false) => "FAIL",
    }
}

/// A Markdown table of the checks.
pub fn table(checks: &[Check]) -> String {
    let mut s = String::from(
        "| id | scenario / variant | indicator | year | target | model mean [p05, p95] | deviation | result |\n|---|---|---|---|---|---|---:|---|\n",
    );
    for c in checks {
        let _ = writeln!(
            s,
            "| {} | {} / {} | {} | {} | {} | {} | {} | {} |",
            c.target.id,
            c.target.scenario,
            c.variant,
            c.target.indicator,
            c.target.year,
            target_text(&c.target),
            model_text(c),
            deviation_text(c),
            status(c)
        );
    }
    s
}

/// `validation.csv`.
pub fn csv(checks: &[Check]) -> String {
    let mut s = String::from(
        "id,scenario,variant,indicator,kind,from_year,year,target,tolerance,model_mean,model_p05,model_p95,deviation,result,source\n",
    );
    let q = crate::output::csv_field;
    let f = |v: f64| crate::output::fmt_num(v, 6);
    for c in checks {
        let t = &c.target;
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            q(&t.id),
            q(&t.scenario),
            q(&c.variant),
            q(&t.indicator),
            kind_name(t.kind),
            t.from_year.map(|y| y.to_string()).unwrap_or_default(),
            t.year,
            f(t.value),
            f(t.tolerance),
            f(c.model[0]),
            f(c.model[1]),
            f(c.model[2]),
            f(c.deviation),
            status(c),
            q(&t.source)
        );
    }
    s
}

/// Counts: (passed, failed, not checked).
pub fn counts(checks: &[Check]) -> (usize, usize, usize) {
    let na = checks.iter().filter(|c| c.problem.is_some()).count();
    let pass = checks
        .iter()
        .filter(|c| c.problem.is_none() && c.pass)
        .count();
    (pass, checks.len() - pass - na, na)
}
