//! Running a scenario: the runs of its plan ([`crate::plan`]: every variant times every
//! replication, or the part one process was given), each on the caller's thread count, each
//! written atomically to its own directory, then merged into the summary files
//! ([`crate::merge`]).
//!
//! Replication `k` of every variant uses seed `seed + k` (common random numbers), so variant
//! differences are paired replication by replication. The variants of a replication run
//! together: every variant is the reference's run until its branch month, so the set-up, the
//! warm-up and the months before a branch are simulated once and copied
//! ([`simulate_replication`]); each run is written as soon as it is finished. Work is
//! parallel inside a month; memory is that of at most two runs (the reference and one copy).
//! Runs already complete on disk (same scenario, same build) are skipped, so an interrupted
//! sweep resumes where it stopped.

use crate::engine::{self, Month, PhaseTimer};
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
    mut tick: impl FnMut(),
) -> Result<RunOutput, Violation> {
    let t0 = Instant::now();
    let seed = scenario.seed.wrapping_add(u64::from(replication));
    let mut timer = PhaseTimer::new();
    let mut sim = timer.time("setup", || {
        Simulation::new(scenario, &scenario.variants[variant], seed)
    });
    // Debug and test builds check anyway; asking them to report turns a violation into an
    // error rather than a panic.
    sim.set_invariant_checks(check_invariants || cfg!(debug_assertions));
    let shared = Shared {
        months: &[],
        stats: &engine::SpanStats::default(),
        timer: &timer,
        seconds: t0.elapsed().as_secs_f64(),
        agents_start: sim.world.population(),
    };
    finish_from(scenario, sim, scenario.start, &shared, &mut tick).0
}

/// Simulates replication `replication` of every variant in memory, in variant order (see
/// [`simulate_replication`]: the months the variants share are simulated once). The runs
/// equal [`simulate_run`]'s one by one (tested).
pub fn simulate_variants(scenario: &Scenario, replication: u32) -> Vec<RunOutput> {
    let all: Vec<usize> = (0..scenario.variants.len()).collect();
    let mut out: Vec<Option<RunOutput>> = vec![None; all.len()];
    simulate_replication(
        scenario,
        replication,
        &all,
        false,
        || {},
        |v, run| {
            out[v] = Some(run.unwrap_or_else(|v| panic!("{v}")));
            Ok(())
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    out.into_iter()
        .map(|r| r.expect("every variant was simulated"))
        .collect()
}

/// Simulates replication `replication` of the variants `variants` (indices, each once), on
/// the current rayon pool, simulating what they share once: every variant runs the
/// reference's months until its branch month ([`crate::scenario::Variant::branch`]), so one
/// reference run is stepped from the start and, when it reaches a variant's branch month, a
/// copy of it goes on as that variant. Each run is handed to `done` (variant, output) as soon
/// as it is finished, in the order of the branch months (variants that never leave the
/// reference last); `done`'s error stops the rest. Each output equals [`simulate_checked`]'s
/// for its variant: the same records, cohorts and geography; its `stats` and `wall_seconds`
/// are what a run of its own would have counted (the shared months included), and
/// [`SharedStats`] says what was simulated in all. `tick` is called once per run-month, the
/// shared months once per run that shares them.
///
/// Variants of different groups ([`crate::scenario::Variant::group`], the points of a design)
/// share nothing: each group starts from its own first variant's state.
pub fn simulate_replication(
    scenario: &Scenario,
    replication: u32,
    variants: &[usize],
    check_invariants: bool,
    mut tick: impl FnMut(),
    mut done: impl FnMut(usize, Result<RunOutput, Violation>) -> Result<(), Error>,
) -> Result<SharedStats, Error> {
    let mut total = SharedStats::default();
    let mut groups: Vec<usize> = variants
        .iter()
        .map(|&v| scenario.variants[v].group)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    groups.retain(|g| seen.insert(*g));
    for g in groups {
        let members: Vec<usize> = variants
            .iter()
            .copied()
            .filter(|&v| scenario.variants[v].group == g)
            .collect();
        let spent = simulate_group(
            scenario,
            replication,
            g,
            &members,
            check_invariants,
            &mut tick,
            &mut done,
        )?;
        total.agent_months += spent.agent_months;
        total.timer.merge(&spent.timer);
    }
    Ok(total)
}

/// [`simulate_replication`] for the variants of one group.
fn simulate_group(
    scenario: &Scenario,
    replication: u32,
    group: usize,
    variants: &[usize],
    check_invariants: bool,
    mut tick: impl FnMut(),
    mut done: impl FnMut(usize, Result<RunOutput, Violation>) -> Result<(), Error>,
) -> Result<SharedStats, Error> {
    let mut total = SharedStats::default();
    if variants.is_empty() {
        return Ok(total);
    }
    let t0 = Instant::now();
    let seed = scenario.seed.wrapping_add(u64::from(replication));
    let mut timer = PhaseTimer::new();
    let mut reference = timer.time("setup", || Simulation::start(scenario, group, seed));
    reference.set_invariant_checks(check_invariants || cfg!(debug_assertions));
    total.timer.merge(&timer);
    let agents_start = reference.world.population();
    // Variants by branch month; those that never leave the reference (or only after the end)
    // take the reference run itself.
    let branch = |v: usize| {
        scenario.variants[v]
            .branch
            .filter(|b| *b <= scenario.end)
            .map(|b| b.max(scenario.start))
    };
    let mut forks: Vec<usize> = variants
        .iter()
        .copied()
        .filter(|&v| branch(v).is_some())
        .collect();
    forks.sort_by_key(|&v| branch(v));
    let followers: Vec<usize> = variants
        .iter()
        .copied()
        .filter(|&v| branch(v).is_none())
        .collect();
    let mut months: Vec<MonthRecord> = Vec::with_capacity(scenario.n_months() as usize);
    let mut stats = engine::SpanStats::default();
    let mut next = 0;
    for month in scenario.start.range_inclusive(scenario.end) {
        while next < forks.len() && branch(forks[next]) == Some(month) {
            let v = forks[next];
            next += 1;
            let shared = Shared {
                months: &months,
                stats: &stats,
                timer: &timer,
                seconds: t0.elapsed().as_secs_f64(),
                agents_start,
            };
            for _ in 0..months.len() {
                tick();
            }
            let sim = reference.clone().into_variant(&scenario.variants[v]);
            let (run, spent) = finish_from(scenario, sim, month, &shared, &mut tick);
            total.agent_months += spent.agent_months;
            total.timer.merge(&spent.timer);
            done(v, run)?;
        }
        if next == forks.len() && followers.is_empty() {
            break;
        }
        if reference.violation().is_some() {
            break;
        }
        let s = engine::simulate(&mut reference, month, month, |r| months.push(r), &mut tick);
        total.agent_months += s.agent_months;
        total.timer.merge(&s.timer);
        stats.agent_months += s.agent_months;
        stats.timer.merge(&s.timer);
    }
    // A violation in the shared months ends every run that shares them.
    if let Some(x) = reference.violation() {
        for &v in forks[next..].iter().chain(&followers) {
            done(v, Err(x.clone()))?;
        }
    } else {
        let mut timer_all = timer.clone();
        timer_all.merge(&stats.timer);
        let stats = engine::SpanStats {
            agent_months: stats.agent_months,
            timer: timer_all,
        };
        let wall = t0.elapsed().as_secs_f64();
        let run = output(&reference, months, stats, wall, agents_start);
        for (i, &v) in followers.iter().enumerate() {
            // The reference's months counted once more for each further run that is it.
            if i > 0 {
                for _ in 0..run.months.len() {
                    tick();
                }
            }
            if i + 1 < followers.len() {
                done(v, Ok(run.clone()))?;
            } else {
                done(v, Ok(run))?;
                break;
            }
        }
    }
    Ok(total)
}

/// What [`simulate_replication`] simulated in all (the shared months once).
#[derive(Clone, Debug, Default)]
pub struct SharedStats {
    /// Agent-months simulated.
    pub agent_months: u64,
    /// Wall time per phase, set-up included.
    pub timer: PhaseTimer,
}

/// The output of `sim`, run to the end: its `months`, its `stats` and the `wall_seconds` it
/// took (a run of its own would have: shared months and set-up included).
fn output(
    sim: &Simulation,
    months: Vec<MonthRecord>,
    stats: engine::SpanStats,
    wall_seconds: f64,
    agents_start: usize,
) -> RunOutput {
    RunOutput {
        months,
        geography: sim.world.geography.clone(),
        stats,
        wall_seconds,
        agents_start,
        cohorts: sim.cohort_results().to_vec(),
        invariants_checked: sim.invariant_checks(),
    }
}

/// The months a fork shares with the reference run before its branch month (none for a run
/// made alone), with the set-up's timings and seconds.
struct Shared<'a> {
    months: &'a [MonthRecord],
    stats: &'a engine::SpanStats,
    timer: &'a PhaseTimer,
    seconds: f64,
    agents_start: usize,
}

/// Runs a copy of the reference run as its variant from `from` (its branch month) to the
/// end: its output with the shared months in front, and what it simulated itself.
fn finish_from(
    scenario: &Scenario,
    mut sim: Simulation,
    from: Month,
    shared: &Shared<'_>,
    tick: &mut impl FnMut(),
) -> (Result<RunOutput, Violation>, engine::SpanStats) {
    let t = Instant::now();
    let mut months = shared.months.to_vec();
    let own = engine::simulate(&mut sim, from, scenario.end, |r| months.push(r), tick);
    if let Some(v) = sim.violation() {
        return (Err(v.clone()), own);
    }
    let mut timer = shared.timer.clone();
    timer.merge(&shared.stats.timer);
    timer.merge(&own.timer);
    let stats = engine::SpanStats {
        agent_months: shared.stats.agent_months + own.agent_months,
        timer,
    };
    let wall = shared.seconds + t.elapsed().as_secs_f64();
    let run = output(&sim, months, stats, wall, shared.agents_start);
    (Ok(run), own)
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
    // Replication by replication (in the order of the plan), the variants of each together:
    // the months they share are simulated once ([`simulate_replication`]).
    let mut replications: Vec<u32> = todo.iter().map(|r| r.replication).collect();
    let mut seen = std::collections::BTreeSet::new();
    replications.retain(|r| seen.insert(*r));
    for rep in replications {
        let runs: Vec<&PlannedRun> = todo
            .iter()
            .copied()
            .filter(|r| r.replication == rep)
            .collect();
        for r in &runs {
            output::remove_stale(&r.dir)?;
        }
        if !opts.simulate {
            continue;
        }
        let variants: Vec<usize> = runs.iter().map(|r| r.variant).collect();
        let mut started = SystemTime::now();
        let spent = pool.install(|| {
            simulate_replication(
                scenario,
                rep,
                &variants,
                opts.check_invariants,
                || progress.month_done(),
                |v, out| {
                    let r = runs
                        .iter()
                        .find(|r| r.variant == v)
                        .expect("a run of this replication");
                    let out = out.map_err(|violation| Error::Invariant {
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
                    started = ended;
                    totals.ran += 1;
                    progress.run_done(&r.variant_name, r.replication);
                    Ok(())
                },
            )
        })?;
        totals.stats.agent_months += spent.agent_months;
        totals.stats.timer.merge(&spent.timer);
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
/// each differs from the variant it starts from: the reference, the first, for the variants
/// of a scenario file; its point's first variant in a design, whose own values its description
/// gives). Variants are compared in parallel, and only where they share a start with another.
fn scenario_json(scenario: &Scenario, hash: &str) -> serde_json::Value {
    use rayon::prelude::*;
    let variants = &scenario.variants;
    let shared: std::collections::BTreeSet<usize> = variants
        .iter()
        .enumerate()
        .filter(|(i, v)| v.group != *i)
        .map(|(_, v)| v.group)
        .collect();
    let to_value = |i: usize| serde_json::to_value(&variants[i].params).unwrap_or_default();
    let heads: std::collections::BTreeMap<usize, serde_json::Value> =
        shared.into_par_iter().map(|g| (g, to_value(g))).collect();
    let described: Vec<serde_json::Value> = variants
        .par_iter()
        .enumerate()
        .map(|(i, v)| {
            let diffs: Vec<serde_json::Value> = match heads.get(&v.group) {
                Some(head) if v.group != i => output::parameter_differences(head, &to_value(i))
                    .into_iter()
                    .map(|(k, a, b)| serde_json::json!({"key": k, "reference": a, "value": b}))
                    .collect(),
                _ => Vec::new(),
            };
            serde_json::json!({
                "name": v.name,
                "description": v.description,
                "differences": diffs,
            })
        })
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
        "variants": described,
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
