//! `sociaal sensitivity`: global screening of a scenario's parameters against its validation
//! targets (and any indicators asked for), by Morris elementary effects or Sobol indices.
//!
//! The design's points run as one scenario ([`super::design_scenario`]) in
//! `<out>/<name>-sensitivity/`; once every run is there, each point's outputs are read back:
//! for a target its standardised miss ([`super::objective::z`], in tolerances), for an
//! indicator its mean over replications. The effects are per unit of each parameter's range.
//! Written beside the runs: `sensitivity.csv` (every parameter and output),
//! `sensitivity.md` (the rankings as tables) and `sensitivity.html` (ranked charts per output,
//! the overall ranking, and what moved nothing).

use super::objective::{self, checks};
use super::{Factor, morris, sobol, space::LeftOut};
use crate::error::Error;
use crate::report::html::esc;
use crate::report::results::Results;
use crate::report::validate::Target;
use crate::scenario::Scenario;
use std::fmt::Write as _;
use std::path::Path;

/// A factor whose largest effect, over every output, is below this share of the largest
/// effect of any factor on that output moved nothing.
pub const NOTHING_SHARE: f64 = 0.01;

/// Bars per output in the page.
const TOP: usize = 15;

/// The screening method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Morris elementary effects: `trajectories` through a grid of `levels`.
    Morris {
        /// Trajectories (r).
        trajectories: usize,
        /// Grid levels (even).
        levels: usize,
    },
    /// Sobol indices from Saltelli sampling with `samples` base points.
    Sobol {
        /// Base points (N).
        samples: usize,
    },
}

impl Method {
    /// The design's points in unit coordinates for `k` factors.
    pub fn points(&self, k: usize, seed: u64) -> Vec<Vec<f64>> {
        match *self {
            Method::Morris {
                trajectories,
                levels,
            } => morris::points(k, trajectories, levels, seed),
            Method::Sobol { samples } => sobol::points(k, samples, seed),
        }
    }

    /// How many points [`Method::points`] makes for `k` factors (saturating), known before
    /// they are made.
    pub fn count(&self, k: usize) -> u128 {
        match *self {
            Method::Morris { trajectories, .. } => {
                (trajectories as u128).saturating_mul(k as u128 + 1)
            }
            Method::Sobol { samples } => (samples as u128).saturating_mul(k as u128 + 2),
        }
    }

    /// `morris` or `sobol`.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Morris { .. } => "morris",
            Method::Sobol { .. } => "sobol",
        }
    }
}

/// One output screened: a target or an indicator in a year.
#[derive(Clone, Debug)]
pub enum Output {
    /// A validation target: its standardised miss.
    Target(Target),
    /// An indicator (or a ratio `a / b`) in a year: its mean over replications.
    Indicator {
        /// The indicator.
        name: String,
        /// The year.
        year: u32,
    },
}

impl Output {
    /// A short name: the target's id, or `indicator@year`.
    pub fn name(&self) -> String {
        match self {
            Output::Target(t) => t.id.clone(),
            Output::Indicator { name, year } => format!("{name}@{year}"),
        }
    }

    /// What it measures, for the page.
    pub fn describe(&self) -> String {
        match self {
            Output::Target(t) => {
                // A direction target's miss counts in units of at least DIRECTION_SCALE.
                let unit = if t.kind == crate::report::validate::TargetKind::Direction {
                    t.tolerance.max(super::objective::DIRECTION_SCALE)
                } else {
                    t.tolerance
                };
                format!(
                    "target {}: {} in {} ({}; miss in tolerances of {:.0}%)",
                    t.id,
                    t.indicator,
                    t.year,
                    crate::report::validate::target_text(t),
                    unit * 100.0
                )
            }
            Output::Indicator { name, year } => format!("{name} in {year}"),
        }
    }
}

/// One factor's effect on one output.
#[derive(Clone, Debug)]
pub struct Row {
    /// Output index.
    pub output: usize,
    /// Factor index.
    pub factor: usize,
    /// Morris effects (zeros for Sobol).
    pub morris: morris::Effects,
    /// Sobol indices (NaN for Morris).
    pub sobol: sobol::Indices,
    /// What ranks it: mu* (Morris) or the total index (Sobol).
    pub importance: f64,
    /// Rank among the factors for this output (1 = most important).
    pub rank: usize,
}

/// A finished screening.
#[derive(Clone, Debug)]
pub struct Screening {
    /// The method.
    pub method: Method,
    /// The factors.
    pub factors: Vec<Factor>,
    /// Keys left out, with the reason.
    pub left_out: Vec<LeftOut>,
    /// The outputs.
    pub outputs: Vec<Output>,
    /// Every factor on every output.
    pub rows: Vec<Row>,
    /// Output values per point (`[point][output]`).
    pub values: Vec<Vec<f64>>,
}

/// The value of every output at every point of a design of `base` whose results are `r`.
pub fn output_values(
    r: &Results,
    base: &Scenario,
    outputs: &[Output],
    points: usize,
) -> Vec<Vec<f64>> {
    let targets: Vec<Target> = outputs
        .iter()
        .filter_map(|o| match o {
            Output::Target(t) => Some(t.clone()),
            Output::Indicator { .. } => None,
        })
        .collect();
    let many = base.variants.len() > 1;
    (0..points)
        .map(|p| {
            let cs = checks(r, base, p, &targets);
            let mut next = cs.iter();
            outputs
                .iter()
                .map(|o| match o {
                    Output::Target(_) => next.next().map_or(f64::NAN, objective::z),
                    Output::Indicator { name, year } => {
                        let v =
                            super::point_name(p, many.then_some(base.variants[0].name.as_str()));
                        indicator_mean(r, &v, name, *year)
                    }
                })
                .collect()
        })
        .collect()
}

/// The mean over replications of `name` (or `a / b`) in `year` for `variant`.
fn indicator_mean(r: &Results, variant: &str, name: &str, year: u32) -> f64 {
    match r
        .variant(variant)
        .map(|v| crate::report::validate::values(r, v, name, year))
    {
        Some(Ok(xs)) if !xs.is_empty() => xs.iter().sum::<f64>() / xs.len() as f64,
        _ => f64::NAN,
    }
}

/// The screening from the design's unit points and the outputs' values there.
pub fn analyse(
    method: Method,
    factors: Vec<Factor>,
    left_out: Vec<LeftOut>,
    outputs: Vec<Output>,
    unit: &[Vec<f64>],
    values: Vec<Vec<f64>>,
) -> Screening {
    let k = factors.len();
    let mut rows = Vec::new();
    for o in 0..outputs.len() {
        let y: Vec<f64> = values.iter().map(|v| v[o]).collect();
        let mut these: Vec<Row> = match method {
            Method::Morris { .. } => morris::effects(k, unit, &y)
                .into_iter()
                .enumerate()
                .map(|(f, e)| Row {
                    output: o,
                    factor: f,
                    morris: e,
                    sobol: sobol::Indices {
                        first: f64::NAN,
                        total: f64::NAN,
                    },
                    importance: e.mu_star,
                    rank: 0,
                })
                .collect(),
            Method::Sobol { samples } => sobol::indices(k, samples, &y)
                .into_iter()
                .enumerate()
                .map(|(f, s)| Row {
                    output: o,
                    factor: f,
                    morris: morris::Effects::default(),
                    sobol: s,
                    importance: s.total,
                    rank: 0,
                })
                .collect(),
        };
        let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        these.sort_by(|a, b| key(b.importance).total_cmp(&key(a.importance)));
        for (i, r) in these.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        rows.extend(these);
    }
    Screening {
        method,
        factors,
        left_out,
        outputs,
        rows,
        values,
    }
}

impl Screening {
    /// The largest importance on each output (0 where none is finite).
    fn strongest(&self) -> Vec<f64> {
        let mut top = vec![0.0f64; self.outputs.len()];
        for r in &self.rows {
            if r.importance.is_finite() {
                top[r.output] = top[r.output].max(r.importance);
            }
        }
        top
    }

    /// Each factor's overall importance: the mean over outputs of its importance relative to
    /// the largest on that output (1 = the strongest everywhere), highest first.
    pub fn overall(&self) -> Vec<(usize, f64)> {
        let n_o = self.outputs.len().max(1);
        let top = self.strongest();
        let mut score = vec![0.0; self.factors.len()];
        for r in &self.rows {
            if top[r.output] > 0.0 && r.importance.is_finite() {
                score[r.factor] += r.importance / top[r.output] / n_o as f64;
            }
        }
        let mut out: Vec<(usize, f64)> = score.into_iter().enumerate().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    /// The factors that moved no output by more than [`NOTHING_SHARE`] of the largest effect
    /// on it: candidates for removal.
    pub fn moved_nothing(&self) -> Vec<usize> {
        let top = self.strongest();
        (0..self.factors.len())
            .filter(|&f| {
                self.rows.iter().filter(|r| r.factor == f).all(|r| {
                    !(r.importance.is_finite() && r.importance > NOTHING_SHARE * top[r.output])
                })
            })
            .collect()
    }

    /// `sensitivity.csv`: one row per output and factor, by output then rank.
    pub fn csv(&self) -> String {
        let mut s = String::from(
            "method,output,rank,key,kind,basis,low,high,default,mu,mu_star,sigma,effects,first_order,total_order\n",
        );
        for r in &self.rows {
            let f = &self.factors[r.factor];
            let kind = match f.kind {
                super::FactorKind::Value => "value",
                super::FactorKind::Factor => "factor",
            };
            let num = |x: f64| {
                if x.is_finite() {
                    format!("{x}")
                } else {
                    String::new()
                }
            };
            let (mu, mu_star, sigma, n) = match self.method {
                Method::Morris { .. } => (
                    num(r.morris.mu),
                    num(r.morris.mu_star),
                    num(r.morris.sigma),
                    r.morris.n.to_string(),
                ),
                Method::Sobol { .. } => Default::default(),
            };
            let _ = writeln!(
                s,
                "{},{},{},{},{kind},{},{},{},{},{mu},{mu_star},{sigma},{n},{},{}",
                self.method.name(),
                self.outputs[r.output].name(),
                r.rank,
                f.key,
                if f.assumption {
                    "assumption"
                } else {
                    "sourced"
                },
                f.lo,
                f.hi,
                f.default,
                num(r.sobol.first),
                num(r.sobol.total)
            );
        }
        s
    }

    /// `sensitivity.md`: the overall ranking, the strongest parameters per output, what moved
    /// nothing and what was left out, as Markdown.
    pub fn markdown(&self, title: &str, command: &str, infeasible: usize) -> String {
        let mut s = format!(
            "# {title}\n\nMade by `{command}`: {} parameters, {} outputs, {} points ({infeasible} could not run: their values together break a rule between keys). ",
            self.factors.len(),
            self.outputs.len(),
            self.values.len()
        );
        s.push_str(match self.method {
            Method::Morris { .. } => "Effects are Morris mu* (the mean absolute elementary effect over a parameter's whole range); a target's output is its miss in tolerances, so an effect of 1 moves the target by one tolerance.\n\n",
            Method::Sobol { .. } => "Effects are total Sobol indices; a target's output is its miss in tolerances.\n\n",
        });
        s.push_str("## Overall ranking\n\nEach parameter's effect relative to the strongest on each output, averaged over the outputs. Basis: what `reference.toml` says of the default (an assumption ranges widely, a sourced figure narrowly).\n\n| rank | parameter | basis | range | overall | moves most |\n|---:|---|---|---|---:|---|\n");
        for (i, (f, score)) in self.overall().iter().enumerate().take(40) {
            let fa = &self.factors[*f];
            let mut mine: Vec<&Row> = self.rows.iter().filter(|r| r.factor == *f).collect();
            mine.sort_by_key(|r| r.rank);
            let most: Vec<String> = mine
                .iter()
                .take(3)
                .filter(|r| r.importance > 0.0)
                .map(|r| format!("{} (#{})", self.outputs[r.output].name(), r.rank))
                .collect();
            let _ = writeln!(
                s,
                "| {} | `{}` | {} | {} to {} | {:.3} | {} |",
                i + 1,
                fa.label(),
                if fa.assumption {
                    "assumption"
                } else {
                    "sourced"
                },
                super::fmt_value(fa.lo),
                super::fmt_value(fa.hi),
                score,
                most.join(", ")
            );
        }
        s.push_str("\n## What moves each output\n\n| output | what | strongest three (effect) |\n|---|---|---|\n");
        for (o, out) in self.outputs.iter().enumerate() {
            let mut rows: Vec<&Row> = self.rows.iter().filter(|r| r.output == o).collect();
            rows.sort_by_key(|r| r.rank);
            let top: Vec<String> = rows
                .iter()
                .take(3)
                .filter(|r| r.importance > 0.0)
                .map(|r| {
                    format!(
                        "`{}` ({})",
                        self.factors[r.factor].key,
                        super::fmt_value(r.importance)
                    )
                })
                .collect();
            let top = if top.is_empty() {
                "none: no key changed it over its range".to_string()
            } else {
                top.join(", ")
            };
            let _ = writeln!(s, "| {} | {} | {top} |", out.name(), out.describe());
        }
        let nothing = self.moved_nothing();
        let _ = writeln!(
            s,
            "\n## Moved nothing\n\n{} of {} parameters moved no output by more than {:.0}% of the largest effect on it: candidates for removal, or keys whose mechanism these outputs do not see.\n",
            nothing.len(),
            self.factors.len(),
            NOTHING_SHARE * 100.0
        );
        for f in nothing {
            let _ = writeln!(s, "- `{}`", self.factors[f].label());
        }
        if !self.left_out.is_empty() {
            s.push_str("\n## Left out\n\n| key | why |\n|---|---|\n");
            for l in &self.left_out {
                let _ = writeln!(s, "| `{}` | {} |", l.key, l.why);
            }
        }
        s
    }

    /// `sensitivity.html`: a self-contained page.
    pub fn html(&self, title: &str, command: &str) -> String {
        let measure = match self.method {
            Method::Morris { .. } => {
                "mu* (mean absolute elementary effect per range; the line: sigma)"
            }
            Method::Sobol { .. } => "total Sobol index (the darker part: first order)",
        };
        let mut h = String::new();
        let _ = write!(
            h,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>\
             body{{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}}\
             table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:13px}}\
             .note{{color:#555;font-size:13px}}</style></head><body><h1>{t}</h1>\
             <p class=\"note\">Made by <code>{c}</code>. {n} parameters, {o} outputs, {p} points. \
             Bars: {measure}. An output that is a target counts its miss in tolerances, so one \
             unit is one tolerance.</p>",
            t = esc(title),
            c = esc(command),
            n = self.factors.len(),
            o = self.outputs.len(),
            p = self.values.len(),
        );
        h.push_str("<h2>Overall</h2><p class=\"note\">Each parameter's importance relative to the strongest on each output, averaged over the outputs.</p><table><tr><th>rank</th><th>parameter</th><th>range</th><th>overall</th></tr>");
        for (i, (f, score)) in self.overall().iter().enumerate() {
            let fa = &self.factors[*f];
            let _ = write!(
                h,
                "<tr><td>{}</td><td><code>{}</code></td><td>{} to {}</td><td>{:.3}</td></tr>",
                i + 1,
                esc(&fa.label()),
                super::fmt_value(fa.lo),
                super::fmt_value(fa.hi),
                score
            );
        }
        h.push_str("</table>");
        let nothing = self.moved_nothing();
        let _ = write!(
            h,
            "<h2>Moved nothing</h2><p class=\"note\">Below {:.0}% of the largest effect on every output: candidates for removal.</p><p>{}</p>",
            NOTHING_SHARE * 100.0,
            if nothing.is_empty() {
                "none".to_string()
            } else {
                nothing
                    .iter()
                    .map(|&f| format!("<code>{}</code>", esc(&self.factors[f].label())))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        if !self.left_out.is_empty() {
            h.push_str("<h2>Left out</h2><table><tr><th>key</th><th>why</th></tr>");
            for l in &self.left_out {
                let _ = write!(
                    h,
                    "<tr><td><code>{}</code></td><td>{}</td></tr>",
                    esc(&l.key),
                    esc(&l.why)
                );
            }
            h.push_str("</table>");
        }
        h.push_str("<h2>Per output</h2>");
        for (o, out) in self.outputs.iter().enumerate() {
            let mut rows: Vec<&Row> = self.rows.iter().filter(|r| r.output == o).collect();
            rows.sort_by_key(|r| r.rank);
            rows.truncate(TOP);
            let _ = write!(
                h,
                "<h3>{}</h3><p class=\"note\">{}</p>",
                esc(&out.name()),
                esc(&out.describe())
            );
            h.push_str(&self.bars(&rows));
        }
        h.push_str("</body></html>\n");
        h
    }

    /// A horizontal bar chart of `rows` (ranked), inline SVG.
    fn bars(&self, rows: &[&Row]) -> String {
        let (label_w, bar_w, row_h) = (330.0, 560.0, 18.0);
        let top = rows
            .iter()
            .map(|r| match self.method {
                Method::Morris { .. } => r.morris.mu_star + r.morris.sigma,
                Method::Sobol { .. } => r.sobol.total.max(r.sobol.first),
            })
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let scale = if top > 0.0 { bar_w / top } else { 0.0 };
        let height = row_h * rows.len() as f64 + 24.0;
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">",
            label_w + bar_w + 90.0
        );
        for (i, r) in rows.iter().enumerate() {
            let y = 4.0 + row_h * i as f64;
            let f = &self.factors[r.factor];
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                label_w - 6.0,
                y + 12.0,
                esc(&f.label())
            );
            let (main, extra) = match self.method {
                Method::Morris { .. } => (r.morris.mu_star, r.morris.sigma),
                Method::Sobol { .. } => (r.sobol.total, r.sobol.first),
            };
            let w = if main.is_finite() {
                (main * scale).max(0.0)
            } else {
                0.0
            };
            let _ = write!(
                s,
                "<rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#6a9fcf\"/>",
                y + 2.0,
                row_h - 5.0
            );
            match self.method {
                Method::Morris { .. } if extra.is_finite() => {
                    let _ = write!(
                        s,
                        "<line x1=\"{label_w}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#1f3f5f\"/>",
                        label_w + extra * scale,
                        y + row_h - 2.0,
                        y + row_h - 2.0
                    );
                }
                Method::Sobol { .. } if extra.is_finite() => {
                    let _ = write!(
                        s,
                        "<rect x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"#1f3f5f\"/>",
                        y + 2.0,
                        (extra * scale).max(0.0),
                        row_h - 5.0
                    );
                }
                _ => {}
            }
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\">{}</text>",
                label_w + w + 4.0,
                y + 12.0,
                if main.is_finite() {
                    super::fmt_value(main)
                } else {
                    "n/a".into()
                }
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// What to screen and how.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The parameters varied, with their ranges.
    pub factors: Vec<Factor>,
    /// Keys left out of the space, with the reason (for the page).
    pub left_out: Vec<LeftOut>,
    /// The outputs.
    pub outputs: Vec<Output>,
    /// Replications per point.
    pub replications: u32,
}

/// The design of a screening of `base`: `<name>-sensitivity`, and its points' unit
/// coordinates.
pub fn design(base: &Scenario, req: &Request) -> Result<(super::Design, Vec<Vec<f64>>), Error> {
    let unit = req.method.points(req.factors.len(), base.seed);
    let values: Vec<Vec<f64>> = unit
        .iter()
        .map(|u| req.factors.iter().zip(u).map(|(f, x)| f.at(*x)).collect())
        .collect();
    let d = super::design_scenario(
        base,
        &format!("{}-sensitivity", base.name),
        &req.factors,
        &values,
        req.replications,
    )?;
    Ok((d, unit))
}

/// The screening once every run of the design is on disk (see [`super::run_design`]).
///
/// The outputs of points that could not run are missing (NaN), and so are the effects that
/// need them.
pub fn finish(
    base: &Scenario,
    req: &Request,
    design: &super::Design,
    unit: &[Vec<f64>],
    r: &Results,
) -> Screening {
    let mut values = output_values(r, base, &req.outputs, unit.len());
    for (i, v) in values.iter_mut().enumerate() {
        if !design.runs(i) {
            v.iter_mut().for_each(|x| *x = f64::NAN);
        }
    }
    analyse(
        req.method,
        req.factors.clone(),
        req.left_out.clone(),
        req.outputs.clone(),
        unit,
        values,
    )
}

/// Writes `sensitivity.csv`, `sensitivity.md` and `sensitivity.html` into `dir` (atomically
/// each); `infeasible` points could not run.
pub fn write(
    dir: &Path,
    s: &Screening,
    title: &str,
    command: &str,
    infeasible: usize,
) -> Result<(), Error> {
    crate::output::write_file_atomic(&dir.join("sensitivity.csv"), s.csv().as_bytes())?;
    crate::output::write_file_atomic(
        &dir.join("sensitivity.md"),
        s.markdown(title, command, infeasible).as_bytes(),
    )?;
    crate::output::write_file_atomic(
        &dir.join("sensitivity.html"),
        s.html(title, command).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::FactorKind;

    #[test]
    fn the_count_of_points_is_known_before_they_are_made() {
        for m in [
            Method::Morris {
                trajectories: 3,
                levels: 4,
            },
            Method::Sobol { samples: 8 },
        ] {
            assert_eq!(m.count(5), m.points(5, 7).len() as u128, "{}", m.name());
        }
    }

    #[test]
    fn a_screening_ranks_and_flags() {
        let factors: Vec<Factor> = ["a", "b", "c"]
            .iter()
            .map(|k| Factor {
                key: (*k).into(),
                kind: FactorKind::Value,
                default: 1.0,
                lo: 0.5,
                hi: 1.5,
                whole: false,
                assumption: true,
            })
            .collect();
        let method = Method::Morris {
            trajectories: 8,
            levels: 4,
        };
        let unit = method.points(3, 1);
        let values: Vec<Vec<f64>> = unit
            .iter()
            .map(|u| vec![5.0 * u[1] + 0.1 * u[0], u[1] * u[1]])
            .collect();
        let outputs = vec![
            Output::Indicator {
                name: "x".into(),
                year: 2016,
            },
            Output::Indicator {
                name: "y".into(),
                year: 2016,
            },
        ];
        let s = analyse(method, factors, Vec::new(), outputs, &unit, values);
        assert_eq!(s.overall()[0].0, 1, "b matters most");
        assert_eq!(s.moved_nothing(), vec![2], "c moves nothing");
        let csv = s.csv();
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("morris,x@2016,1,b,")
        );
        let md = s.markdown("t", "sociaal sensitivity x", 0);
        assert!(
            md.contains("| 1 | `b` | assumption |") && md.contains("- `c`"),
            "{md}"
        );
        let page = s.html("t", "sociaal sensitivity x");
        assert!(page.contains("<svg") && page.contains("Moved nothing"));
    }
}
