//! Running a scenario: every variant times every replication, each on the caller's thread
//! count, written to disk through [`crate::output`].
//!
//! Replication `k` of every variant uses seed `seed + k` (common random numbers), so variant
//! differences are paired replication by replication. Runs execute one after another, each
//! parallel inside; memory stays that of one run.

use crate::engine::{self, PhaseTimer};
use crate::error::Error;
use crate::model::Simulation;
use crate::model::geography::Geography;
use crate::model::indicators::MonthRecord;
use crate::model::labour::CohortRow;
use crate::output::{self, Staging, YearAccumulator};
use crate::scenario::Scenario;
use crate::sysinfo;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Results go to `out_dir/<scenario name>`.
    pub out_dir: PathBuf,
    /// Worker threads (>= 1).
    pub threads: usize,
    /// Replace existing results.
    pub force: bool,
}

/// Receives progress; the CLI draws a bar with it. Library code never prints.
pub trait Progress: Sync {
    /// Called once before the first run with the number of runs and months per run.
    fn begin(&self, runs: u64, months_per_run: u64);
    /// Called after every simulated month.
    fn month_done(&self);
    /// Called after every run.
    fn run_done(&self, variant: &str, replication: u32);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: u64, _: u64) {}
    fn month_done(&self) {}
    fn run_done(&self, _: &str, _: u32) {}
}

/// The in-memory result of one run.
#[derive(Clone, Debug)]
pub struct RunOutput {
    /// Monthly records, unscaled (sample values).
    pub months: Vec<MonthRecord>,
    /// The geography the run used.
    pub geography: Geography,
    /// Agent-months and phase timings.
    pub stats: engine::SpanStats,
    /// Wall seconds of the whole run (set-up included).
    pub wall_seconds: f64,
    /// Agents at the start.
    pub agents_start: usize,
    /// Finished cohort figures: (cohort year, indicator, value).
    pub cohorts: Vec<CohortRow>,
}

/// Simulates one replication of one variant in memory on the current rayon pool.
pub fn simulate_run(
    scenario: &Scenario,
    variant: usize,
    replication: u32,
    tick: impl FnMut(),
) -> RunOutput {
    let t0 = Instant::now();
    let seed = scenario.seed.wrapping_add(u64::from(replication));
    let mut timer = PhaseTimer::new();
    let mut sim = timer.time("setup", || {
        Simulation::new(scenario, &scenario.variants[variant], seed)
    });
    let agents_start = sim.world.population();
    let mut months = Vec::with_capacity(scenario.n_months() as usize);
    let mut stats = engine::simulate(
        &mut sim,
        scenario.start,
        scenario.end,
        |r| months.push(r),
        tick,
    );
    timer.merge(&stats.timer);
    stats.timer = timer;
    RunOutput {
        months,
        geography: sim.world.geography.clone(),
        stats,
        wall_seconds: t0.elapsed().as_secs_f64(),
        agents_start,
        cohorts: sim.cohort_results().to_vec(),
    }
}

/// What a finished `run` command produced.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The results directory.
    pub dir: PathBuf,
    /// Number of runs (variants x replications).
    pub runs: u64,
    /// Wall seconds in all.
    pub wall_seconds: f64,
    /// Agent-months simulated in all.
    pub agent_months: u64,
    /// Wall time per phase, summed over runs.
    pub timer: PhaseTimer,
    /// Peak resident memory of the process, bytes.
    pub peak_rss_bytes: Option<u64>,
}

impl RunReport {
    /// Citizen-months simulated per wall second.
    pub fn citizen_months_per_second(&self) -> f64 {
        self.agent_months as f64 / self.wall_seconds.max(1e-9)
    }
}

/// Runs every variant and replication of `scenario` and writes the results atomically to
/// `opts.out_dir/<name>`.
pub fn execute(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunReport, Error> {
    let final_dir = opts.out_dir.join(&scenario.name);
    let staging = Staging::new(&final_dir, &scenario.name, opts.force)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| {
            Error::io(
                "start worker threads for",
                &opts.out_dir,
                std::io::Error::other(e),
            )
        })?;
    let t0 = Instant::now();
    let reps = scenario.replications;
    let runs = scenario.variants.len() as u64 * u64::from(reps);
    progress.begin(runs, u64::from(scenario.n_months()));
    let hash = scenario.hash();
    let mut total = engine::SpanStats::default();
    let mut yearly: Vec<Vec<output::YearlyValues>> = Vec::new();
    let mut cohorts: Vec<Vec<Vec<CohortRow>>> = Vec::new();
    for (vi, variant) in scenario.variants.iter().enumerate() {
        let mut per_rep = Vec::new();
        let mut cohorts_per_rep = Vec::new();
        for rep in 0..reps {
            let started = SystemTime::now();
            let out = pool.install(|| simulate_run(scenario, vi, rep, || progress.month_done()));
            let ended = SystemTime::now();
            let dir = staging.tmp.join(&variant.name).join(format!("rep-{rep}"));
            write_run(
                &dir,
                scenario,
                vi,
                rep,
                &out,
                &hash,
                opts.threads,
                started,
                ended,
            )?;
            let mut acc = YearAccumulator::default();
            for r in &out.months {
                acc.add(r);
            }
            let scaled: output::YearlyValues = acc
                .national
                .into_iter()
                .map(|(y, v)| {
                    let v = v
                        .iter()
                        .enumerate()
                        .map(|(i, &x)| output::written_value(i, x, scenario.scale))
                        .collect();
                    (y, v)
                })
                .collect();
            per_rep.push(scaled);
            cohorts_per_rep.push(out.cohorts.clone());
            total.agent_months += out.stats.agent_months;
            total.timer.merge(&out.stats.timer);
            progress.run_done(&variant.name, rep);
        }
        yearly.push(per_rep);
        cohorts.push(cohorts_per_rep);
    }
    let names: Vec<String> = scenario.variants.iter().map(|v| v.name.clone()).collect();
    output::write_file(
        &staging.tmp.join("summary.csv"),
        &output::summary_csv(&names, &yearly),
    )?;
    output::write_file(
        &staging.tmp.join("cohorts_summary.csv"),
        &output::cohorts_summary_csv(&names, &cohorts),
    )?;
    output::write_file(
        &staging.tmp.join("yearly.csv"),
        &output::yearly_csv(&names, &yearly),
    )?;
    output::write_file(
        &staging.tmp.join("scenario.json"),
        &(serde_json::to_string_pretty(&scenario_json(scenario, &hash)).unwrap_or_default() + "\n"),
    )?;
    let dir = staging.commit()?;
    Ok(RunReport {
        dir,
        runs,
        wall_seconds: t0.elapsed().as_secs_f64(),
        agent_months: total.agent_months,
        timer: total.timer,
        peak_rss_bytes: sysinfo::peak_rss_bytes(),
    })
}

/// `scenario.json`: what a reader of the results needs to know about the scenario (its
/// settings, its variants and how each differs from the reference variant).
fn scenario_json(scenario: &Scenario, hash: &str) -> serde_json::Value {
    let params: Vec<serde_json::Value> = scenario
        .variants
        .iter()
        .map(|v| serde_json::to_value(&v.params).unwrap_or(serde_json::Value::Null))
        .collect();
    serde_json::json!({
        "name": scenario.name,
        "description": scenario.description,
        "file": scenario.file.display().to_string(),
        "scenario_hash": hash,
        "crate_version": sysinfo::VERSION,
        "git_commit": sysinfo::GIT_COMMIT,
        "binary_hash": sysinfo::binary_hash(),
        "seed": scenario.seed,
        "replications": scenario.replications,
        "start": scenario.start.to_string(),
        "end": scenario.end.to_string(),
        "scale": scenario.scale,
        "variants": scenario.variants.iter().zip(&params).map(|(v, p)| {
            let diffs: Vec<serde_json::Value> = output::parameter_differences(&params[0], p)
                .into_iter()
                .map(|(k, a, b)| serde_json::json!({"key": k, "reference": a, "value": b}))
                .collect();
            serde_json::json!({
                "name": v.name,
                "description": v.description,
                "differences": diffs,
            })
        }).collect::<Vec<_>>(),
    })
}

#[allow(clippy::too_many_arguments)]
fn write_run(
    dir: &Path,
    scenario: &Scenario,
    vi: usize,
    rep: u32,
    out: &RunOutput,
    hash: &str,
    threads: usize,
    started: SystemTime,
    ended: SystemTime,
) -> Result<(), Error> {
    let months: Vec<String> = out.months.iter().map(|r| r.month.to_string()).collect();
    let national: Vec<Vec<f64>> = out.months.iter().map(|r| r.national.clone()).collect();
    output::write_file(
        &dir.join("national.csv"),
        &output::national_csv(&national, &months, scenario.scale),
    )?;
    let mut acc = YearAccumulator::default();
    for r in &out.months {
        acc.add(r);
    }
    output::write_file(
        &dir.join("gemeenten.csv"),
        &output::gemeenten_csv(&acc.gemeenten, &out.geography, scenario.scale),
    )?;
    output::write_file(&dir.join("cohorts.csv"), &output::cohorts_csv(&out.cohorts))?;
    let variant = &scenario.variants[vi];
    let timings: serde_json::Map<String, serde_json::Value> = out
        .stats
        .timer
        .seconds()
        .into_iter()
        .map(|(p, s)| (p.to_string(), serde_json::json!(s)))
        .collect();
    let manifest = serde_json::json!({
        "scenario": scenario.name,
        "scenario_file": scenario.file.display().to_string(),
        "scenario_hash": hash,
        "variant": variant.name,
        "replication": rep,
        "seed": scenario.seed.wrapping_add(u64::from(rep)),
        "scale": scenario.scale,
        "replications": scenario.replications,
        "threads": threads,
        "start_month": scenario.start.to_string(),
        "end_month": scenario.end.to_string(),
        "crate_version": sysinfo::VERSION,
        "git_commit": sysinfo::GIT_COMMIT,
        "started_at": sysinfo::iso8601(started),
        "ended_at": sysinfo::iso8601(ended),
        "wall_seconds": out.wall_seconds,
        "agents_start": out.agents_start,
        "citizen_months": out.stats.agent_months,
        "citizen_months_per_second": out.stats.agent_months as f64 / out.wall_seconds.max(1e-9),
        "peak_rss_bytes": sysinfo::peak_rss_bytes(),
        "timings_seconds": timings,
        "resolved": serde_json::to_value(&variant.params).unwrap_or(serde_json::Value::Null),
    });
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    output::write_file(&dir.join("manifest.json"), &text)
}
