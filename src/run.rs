//! Running a scenario: the runs of its plan ([`crate::plan`]: every variant times every
//! replication, or the part one process was given), each on the caller's thread count, each
//! written atomically to its own directory, then merged into the summary files
//! ([`crate::merge`]).
//!
//! Replication `k` of every variant uses seed `seed + k` (common random numbers), so variant
//! differences are paired replication by replication. Runs execute one after another, each
//! parallel inside; memory stays that of one run. Runs already complete on disk (same
//! scenario, same build) are skipped, so an interrupted sweep resumes where it stopped.

use crate::engine::{self, PhaseTimer};
use crate::error::Error;
use crate::merge::{self, Identity, RunState};
use crate::model::Simulation;
use crate::model::cohorts::CohortRow;
use crate::model::geography::Geography;
use crate::model::indicators::MonthRecord;
use crate::model::invariants::Violation;
use crate::output::{self, YearAccumulator};
use crate::plan::{self, PlannedRun, Selection};
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
    /// Replace existing results: with [`Selection::All`] the scenario's results directory is
    /// removed first; with a part of the plan, the selected runs are done again.
    pub force: bool,
    /// Which runs of the plan to do.
    pub selection: Selection,
    /// Check the model's month-end invariants in every run (`--check-invariants`; debug and
    /// test builds always do). A violation stops the command with [`Error::Invariant`]; a
    /// complete run on disk whose manifest does not say it was checked is done again.
    pub check_invariants: bool,
    /// Simulate the selected runs (always, but for the command-line fuzz target: without,
    /// the results directory is prepared and the runs to do chosen, and nothing is
    /// simulated, written or merged).
    pub simulate: bool,
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
    /// Whether the month-end invariants were checked (and held) every month.
    pub invariants_checked: bool,
}

/// Simulates one replication of one variant in memory on the current rayon pool; the
/// month-end invariants are checked in debug and test builds only.
///
/// # Panics
///
/// On a violated invariant (a bug in the model), with its message; [`simulate_checked`]
/// returns it instead.
pub fn simulate_run(
    scenario: &Scenario,
    variant: usize,
    replication: u32,
    tick: impl FnMut(),
) -> RunOutput {
    simulate_checked(scenario, variant, replication, false, tick).unwrap_or_else(|v| panic!("{v}"))
}

/// Simulates one replication of one variant in memory on the current rayon pool; checks the
/// month-end invariants when `check_invariants` (debug and test builds always do). A
/// violation stops the run at the end of the month that found it and is returned.
pub fn simulate_checked(
    scenario: &Scenario,
    variant: usize,
    replication: u32,
    check_invariants: bool,
    tick: impl FnMut(),
) -> Result<RunOutput, Violation> {
    let t0 = Instant::now();
    let seed = scenario.seed.wrapping_add(u64::from(replication));
    let mut timer = PhaseTimer::new();
    let sim = timer.time("setup", || {
        Simulation::new(scenario, &scenario.variants[variant], seed)
    });
    finish(scenario, sim, check_invariants, timer, t0, tick)
}

/// Simulates replication `replication` of every variant in memory, in variant order: the
/// starting state (population and warm-up, the reference variant's) is built once and each
/// variant runs on from a copy of it. The runs equal [`simulate_run`]'s one by one; this only
/// saves the repeated set-up (tests and in-process comparisons).
pub fn simulate_variants(scenario: &Scenario, replication: u32) -> Vec<RunOutput> {
    let t0 = Instant::now();
    let seed = scenario.seed.wrapping_add(u64::from(replication));
    let mut timer = PhaseTimer::new();
    let start = timer.time("setup", || Simulation::start(scenario, seed));
    scenario
        .variants
        .iter()
        .map(|v| {
            let sim = start.clone().into_variant(v);
            finish(scenario, sim, false, timer.clone(), t0, || {}).unwrap_or_else(|v| panic!("{v}"))
        })
        .collect()
}

/// Runs a set-up simulation from the start to the end and collects its output.
fn finish(
    scenario: &Scenario,
    mut sim: Simulation,
    check_invariants: bool,
    mut timer: PhaseTimer,
    t0: Instant,
    tick: impl FnMut(),
) -> Result<RunOutput, Violation> {
    // Debug and test builds check anyway; asking them to report turns a violation into an
    // error rather than a panic.
    sim.set_invariant_checks(check_invariants || cfg!(debug_assertions));
    let agents_start = sim.world.population();
    let mut months = Vec::with_capacity(scenario.n_months() as usize);
    let mut stats = engine::simulate(
        &mut sim,
        scenario.start,
        scenario.end,
        |r| months.push(r),
        tick,
    );
    if let Some(v) = sim.violation() {
        return Err(v.clone());
    }
    timer.merge(&stats.timer);
    stats.timer = timer;
    Ok(RunOutput {
        months,
        geography: sim.world.geography.clone(),
        stats,
        wall_seconds: t0.elapsed().as_secs_f64(),
        agents_start,
        cohorts: sim.cohort_results().to_vec(),
        invariants_checked: sim.invariant_checks(),
    })
}

/// What a finished `run` command produced.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The scenario's results directory.
    pub dir: PathBuf,
    /// Runs in the plan.
    pub planned: u64,
    /// Runs simulated now.
    pub runs: u64,
    /// Selected runs skipped because they were complete on disk.
    pub skipped: u64,
    /// Whether the summary files were (re)built (only when the whole plan was selected).
    pub merged: bool,
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

/// A scenario's results directory made ready for runs by [`prepare`].
#[derive(Clone, Debug)]
pub struct Prepared {
    /// `out_dir/<scenario name>`.
    pub dir: PathBuf,
    /// The plan.
    pub plan: Vec<PlannedRun>,
    /// The scenario and build every run must come from.
    pub identity: Identity,
    /// The plan indices `opts.selection` selects.
    pub selected: Vec<usize>,
}

fn refuse(scenario: &Scenario, dir: &Path, why: String) -> Error {
    Error::ResultsDiffer {
        name: scenario.name.clone(),
        path: dir.to_path_buf(),
        why,
    }
}

fn read_json(path: &Path) -> Option<Result<serde_json::Value, ()>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).map_err(|_| ()))
}

impl Prepared {
    /// The plan of `scenario` under `opts.out_dir` and the runs `opts.selection` selects,
    /// without looking at the disk (see [`prepare`]).
    pub fn new(scenario: &Scenario, opts: &RunOptions) -> Result<Prepared, Error> {
        let plan = plan::plan(scenario, &opts.out_dir);
        let selected = opts.selection.indices(plan.len())?;
        Ok(Prepared {
            dir: opts.out_dir.join(&scenario.name),
            plan,
            identity: Identity::current(&scenario.hash()),
            selected,
        })
    }
}

/// Makes the results directory ready for the runs `opts.selection` selects, before any run:
/// checks the selection against the plan; with `--force` and the whole plan removes earlier
/// results; refuses (writing nothing) when results there were made from another scenario or
/// build, unless `--force`; writes `plan.json`.
pub fn prepare(scenario: &Scenario, opts: &RunOptions) -> Result<Prepared, Error> {
    let prepared = Prepared::new(scenario, opts)?;
    let (dir, plan, identity) = (&prepared.dir, &prepared.plan, &prepared.identity);
    // Checking what is there and writing plan.json is one step for concurrent processes: a
    // second one waits, then finds this one's plan (and refuses if its scenario differs).
    let _lock = lock_results(dir)?;
    if opts.force && opts.selection.is_all() {
        output::remove_dir_atomic(dir)?;
    }
    let mut replace_plan = !dir.join("plan.json").is_file();
    for f in ["plan.json", "scenario.json"] {
        let why = match read_json(&dir.join(f)) {
            None => None,
            Some(Err(())) => Some(format!("by an unknown process ({f} is not valid JSON)")),
            Some(Ok(j)) => Identity::of_json(&j).difference(identity),
        };
        if let Some(why) = why {
            if !opts.force {
                return Err(refuse(scenario, dir, format!("{why} ({f})")));
            }
            replace_plan = true;
        }
    }
    let binary = sysinfo::binary_hash();
    for r in plan {
        if let RunState::Foreign(why) = merge::run_state(&r.dir, identity, Some(binary))
            && !opts.force
        {
            return Err(refuse(
                scenario,
                dir,
                format!(
                    "{why} (run {}, {}/rep-{})",
                    r.index, r.variant_name, r.replication
                ),
            ));
        }
    }
    if replace_plan {
        // Summary files of other results must not outlive them.
        for f in merge::SUMMARY_FILES {
            match std::fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io("remove", dir.join(f), e));
                }
                _ => {}
            }
        }
        let hash = identity.scenario_hash.clone();
        let j = merge::plan_json(identity, scenario_json(scenario, &hash), plan);
        output::write_file_atomic(
            &dir.join("plan.json"),
            (serde_json::to_string_pretty(&j).unwrap_or_default() + "\n").as_bytes(),
        )?;
    }
    Ok(prepared)
}

/// An advisory lock on a scenario's results directory `dir`, held while the guard lives: the
/// file `.<name>.lock` beside it (outside it, so that `--force` can remove the directory).
/// Waits while another process holds it. `None` where the file system has no locks.
fn lock_results(dir: &Path) -> Result<Option<std::fs::File>, Error> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create directory", parent, e))?;
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let path = parent.join(format!(".{name}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    match file.lock() {
        Ok(()) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => Ok(None),
        Err(e) => Err(Error::io("lock", &path, e)),
    }
}

/// What [`run_runs`] did.
#[derive(Clone, Debug, Default)]
pub struct RunTotals {
    /// Runs simulated.
    pub ran: u64,
    /// Runs skipped as complete.
    pub skipped: u64,
    /// Agent-months and phase timings summed.
    pub stats: engine::SpanStats,
}

/// Does the runs `indices` of a prepared plan, skipping those complete on disk unless
/// `opts.force`, each on a local pool of `opts.threads` threads and written atomically to
/// its own directory (stale temporaries of a killed earlier attempt are removed first).
pub fn run_runs(
    scenario: &Scenario,
    prepared: &Prepared,
    indices: &[usize],
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunTotals, Error> {
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
    let binary = sysinfo::binary_hash();
    let todo: Vec<&PlannedRun> = indices
        .iter()
        .map(|&i| &prepared.plan[i])
        .filter(|r| {
            opts.force
                || !matches!(
                    merge::run_state(&r.dir, &prepared.identity, Some(binary)),
                    RunState::Complete { .. }
                )
                || (opts.check_invariants && !invariants_were_checked(&r.dir))
        })
        .collect();
    let mut totals = RunTotals {
        skipped: (indices.len() - todo.len()) as u64,
        ..Default::default()
    };
    progress.begin(todo.len() as u64, u64::from(scenario.n_months()));
    for r in todo {
        output::remove_stale(&r.dir)?;
        if !opts.simulate {
            continue;
        }
        let started = SystemTime::now();
        let out = pool
            .install(|| {
                simulate_checked(
                    scenario,
                    r.variant,
                    r.replication,
                    opts.check_invariants,
                    || progress.month_done(),
                )
            })
            .map_err(|violation| Error::Invariant {
                run: format!(
                    "{} ({}/rep-{}, seed {})",
                    r.index, r.variant_name, r.replication, r.seed
                ),
                violation,
            })?;
        let ended = SystemTime::now();
        write_run(
            r,
            scenario,
            &out,
            &prepared.identity,
            opts.threads,
            started,
            ended,
        )?;
        totals.ran += 1;
        totals.stats.agent_months += out.stats.agent_months;
        totals.stats.timer.merge(&out.stats.timer);
        progress.run_done(&r.variant_name, r.replication);
    }
    Ok(totals)
}

/// Whether the manifest of the complete run in `dir` says its invariants were checked.
fn invariants_were_checked(dir: &Path) -> bool {
    matches!(read_json(&dir.join("manifest.json")), Some(Ok(m)) if m["invariants_checked"] == true)
}

/// Runs the selected runs of `scenario`'s plan ([`prepare`], [`run_runs`]) into
/// `opts.out_dir/<name>`; with the whole plan selected, then builds the summary files from
/// the run directories ([`merge::merge`]).
pub fn execute(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunReport, Error> {
    let t0 = Instant::now();
    let prepared = prepare(scenario, opts)?;
    let totals = run_runs(scenario, &prepared, &prepared.selected, opts, progress)?;
    let merged = if opts.selection.is_all() && opts.simulate {
        merge::merge(&prepared.dir)?;
        true
    } else {
        false
    };
    Ok(RunReport {
        dir: prepared.dir,
        planned: prepared.plan.len() as u64,
        runs: totals.ran,
        skipped: totals.skipped,
        merged,
        wall_seconds: t0.elapsed().as_secs_f64(),
        agent_months: totals.stats.agent_months,
        timer: totals.stats.timer,
        peak_rss_bytes: sysinfo::peak_rss_bytes(),
    })
}

/// `scenario.json` (less the runs' `binary_hash`, which [`merge::merge`] adds): what a
/// reader of the results needs to know about the scenario (its settings, its variants and how
/// each differs from the reference variant).
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

/// Writes one run's directory atomically, `manifest.json` last.
fn write_run(
    r: &PlannedRun,
    scenario: &Scenario,
    out: &RunOutput,
    identity: &Identity,
    threads: usize,
    started: SystemTime,
    ended: SystemTime,
) -> Result<(), Error> {
    let months: Vec<String> = out.months.iter().map(|m| m.month.to_string()).collect();
    let national: Vec<Vec<f64>> = out.months.iter().map(|m| m.national.clone()).collect();
    let mut acc = YearAccumulator::default();
    for m in &out.months {
        acc.add(m);
    }
    let yearly: output::YearlyValues = acc
        .national
        .iter()
        .map(|(y, v)| {
            let v = v
                .iter()
                .enumerate()
                .map(|(i, &x)| output::written_value(i, x, scenario.scale))
                .collect();
            (*y, v)
        })
        .collect();
    let variant = &scenario.variants[r.variant];
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
        "scenario_hash": identity.scenario_hash,
        "run_index": r.index,
        "variant": variant.name,
        "replication": r.replication,
        "seed": r.seed,
        "scale": scenario.scale,
        "replications": scenario.replications,
        "threads": threads,
        "start_month": scenario.start.to_string(),
        "end_month": scenario.end.to_string(),
        "crate_version": identity.crate_version,
        "git_commit": identity.git_commit,
        "binary_hash": sysinfo::binary_hash(),
        "started_at": sysinfo::iso8601(started),
        "ended_at": sysinfo::iso8601(ended),
        "wall_seconds": out.wall_seconds,
        "agents_start": out.agents_start,
        "citizen_months": out.stats.agent_months,
        "citizen_months_per_second": out.stats.agent_months as f64 / out.wall_seconds.max(1e-9),
        "peak_rss_bytes": sysinfo::peak_rss_bytes(),
        "timings_seconds": timings,
        "invariants_checked": out.invariants_checked,
        "resolved": serde_json::to_value(&variant.params).unwrap_or(serde_json::Value::Null),
    });
    let national = output::national_csv(&national, &months, scenario.scale);
    let gemeenten = output::gemeenten_csv(&acc.gemeenten, &out.geography, scenario.scale);
    let cohorts = output::cohorts_csv(&out.cohorts);
    let yearly = output::run_yearly_csv(&yearly);
    let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    output::write_dir_atomic(
        &r.dir,
        &[
            ("national.csv", &national),
            ("gemeenten.csv", &gemeenten),
            ("cohorts.csv", &cohorts),
            ("yearly.csv", &yearly),
            ("manifest.json", &manifest),
        ],
    )
}
