//! The `sociaal` command line: its options (clap), and each subcommand as calls into the
//! library. The binary (`src/main.rs`) only hands it the arguments and exits with its code;
//! the command-line fuzz target (`fuzz/`, [`crate::fuzzing::command_line`]) drives the same
//! code without simulating.
//!
//! Printing is this module's job alone (the rest of the library is linted against it; see
//! Cargo.toml).

// Standard output goes through `out` (a closed pipe ends quietly, a failing one is an error);
// standard error is the place for messages.
#![allow(clippy::print_stderr)]

use crate::Error;
use crate::model::indicators::{INDICATORS, Kind};
use crate::plan::{self, Selection};
use crate::report::compare::{self, CompareRequest};
use crate::report::results::Results;
use crate::report::{self, html, validate};
use crate::run::{self, Progress, RunOptions};
use crate::scenario::{self, Overrides};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes to standard output. A closed pipe (`sociaal indicators | head -1`) ends the program
/// quietly with exit code 0, as a reader that has seen enough wants; any other failure (a full
/// disk, `> /dev/full`) is an I/O error (exit code 1), never a panic.
fn out(args: std::fmt::Arguments<'_>) -> Result<(), Error> {
    use std::io::Write;
    if DISCARD_STDOUT.get() {
        return Ok(());
    }
    let mut so = std::io::stdout().lock();
    match so.write_fmt(args).and_then(|()| so.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::io("write to", crate::error::STDOUT, e)),
    }
}

thread_local! {
    /// Set while a command runs with [`Mode::stdout`] false.
    static DISCARD_STDOUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `println!` through [`out`], returning its error from the enclosing function.
macro_rules! outln {
    () => {
        out(format_args!("\n"))?
    };
    ($($t:tt)*) => {
        out(format_args!("{}\n", format_args!($($t)*)))?
    };
}

/// `eprintln!`, unless the command runs without output ([`Mode::stdout`] false).
macro_rules! errln {
    ($($t:tt)*) => {
        if !DISCARD_STDOUT.get() {
            eprintln!($($t)*)
        }
    };
}

/// `print!` through [`out`], returning its error from the enclosing function.
macro_rules! outp {
    ($($t:tt)*) => {
        out(format_args!($($t)*))?
    };
}

#[derive(Parser)]
#[command(
    name = "sociaal",
    version,
    about = "Agent-based simulation of the Dutch social domain (Wmo 2015, Jeugdwet, Participatiewet)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The scenario and the run settings that shape its plan (shared by `run` and `plan`, so the
/// two always agree on what run `I` is).
#[derive(Args)]
struct PlanArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Results directory; results go to DIR/<scenario name>/.
    #[arg(long, default_value = "results")]
    out: PathBuf,
    /// Agents per inhabitant (0 < F <= 1), replacing the file's `scale`.
    #[arg(long)]
    scale: Option<f64>,
    /// Seed of replication 0, replacing the file's `seed`.
    #[arg(long)]
    seed: Option<u64>,
    /// Replications per variant, replacing the file's `replications`.
    #[arg(long)]
    reps: Option<u32>,
}

impl PlanArgs {
    /// Loads the scenario and applies the overrides.
    fn load(&self) -> Result<scenario::Scenario, Error> {
        check_out_dir(&self.out)?;
        let mut s = scenario::load(&self.file)?;
        s.apply(Overrides {
            scale: self.scale,
            seed: self.seed,
            replications: self.reps,
        })?;
        Ok(s)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario file: every variant times every replication.
    Run(RunArgs),
    /// Print the runs a scenario expands to, one per line: index, variant, replication,
    /// seed and results directory, tab-separated (for job arrays: `--run-index I`).
    Plan {
        #[command(flatten)]
        target: PlanArgs,
    },
    /// Build a scenario's summary files (summary.csv, yearly.csv, cohorts_summary.csv, gemeenten_summary.csv,
    /// scenario.json) from its run directories, made by `run --run-index` or `--shard`.
    /// Fails naming the missing runs, and refuses runs of different scenarios or builds.
    Merge {
        /// A scenario's results directory (results/<scenario>).
        dir: PathBuf,
    },
    /// Validate a scenario file without running it.
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
    },
    /// List every indicator with its unit and definition.
    Indicators {
        /// Print a Markdown table (as in docs/indicators.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Compare variants: each variant minus the reference, paired by replication (same
    /// seeds), with a 90% interval. Prints a table and writes compare.csv.
    Compare(CompareArgs),
    /// Write a self-contained HTML report of a scenario's results: description, parameters,
    /// a chart per headline indicator (variants with p05-p95 bands, and differences against
    /// the reference), and the validation targets for this scenario.
    Report(ReportArgs),
    /// Draw a map of the 355 gemeenten for an indicator (per 1 000 inhabitants where it is a
    /// count), or a variant's difference from another, as SVG or PNG (built-in CBS/PDOK
    /// boundaries; the results must be of the built-in Netherlands).
    Map(MapArgs),
    /// Print the main stocks of a scenario's reference variant over the years, each with the
    /// cause of its trend in the model, as Markdown (docs/trends.md is this for the baseline).
    Trends {
        /// A scenario's results directory (results/<scenario>).
        dir: PathBuf,
        /// The years shown (those the results hold).
        #[arg(long, value_delimiter = ',', default_value = "2015,2019,2025,2030")]
        years: Vec<u32>,
    },
    /// Check the model against the validation targets (figures from facts.md): reads the
    /// results when they were made from the current scenario file, otherwise runs it first.
    /// Prints a table and writes validation.csv. Exits 0 even when targets fail, unless
    /// --strict.
    Validate(ValidateArgs),
    /// Screen a scenario's parameters globally: which keys move which validation target (and
    /// indicator) how much, by Morris elementary effects (mu*, sigma) or Sobol indices. Runs
    /// the design as results/<name>-sensitivity (shards, run indices and resuming work as for
    /// `run`) and writes sensitivity.csv and sensitivity.html there.
    Sensitivity(SensitivityArgs),
    /// Fit chosen parameters of a scenario to the validation targets (loss: squared misses in
    /// tolerances) by the cross-entropy method, wave by wave as results/<name>-calibrate/wave-<w>,
    /// with the same seeds for every point. Writes <name>-calibrated.toml (the scenario with
    /// the fitted values), calibration.md and calibration.csv there.
    Calibrate(CalibrateArgs),
}

/// Options shared by `sensitivity` and `calibrate`: the parameter space, the targets and how
/// to run.
#[derive(Args)]
struct DesignArgs {
    #[command(flatten)]
    target: PlanArgs,
    /// Parameters varied, comma-separated: dotted keys (needs.onset_rate_65) or tables
    /// (needs: every numeric key under it). Default for `sensitivity`: every numeric key.
    #[arg(long, value_delimiter = ',')]
    params: Vec<String>,
    /// A parameter's range, KEY=LOW:HIGH (repeatable); the others range over their default
    /// times 1 -/+ --spread, within what the scenario accepts.
    #[arg(long = "range", value_name = "KEY=LOW:HIGH", value_parser = parse_range)]
    ranges: Vec<(String, (f64, f64))>,
    /// Relative half-width of the default range of a key whose default `reference.toml` calls
    /// an assumption (or calibrated).
    #[arg(long, default_value_t = 0.5)]
    spread: f64,
    /// Relative half-width of the default range of a key whose default is a sourced figure
    /// (CBS, a law: life expectancy, the AOW age, tariffs).
    #[arg(long, default_value_t = 0.1)]
    fact_spread: f64,
    /// Validation targets file: its targets for this scenario are the outputs (sensitivity)
    /// or the objective (calibrate).
    #[arg(long, default_value = "validation/targets.toml")]
    targets: PathBuf,
    /// Only these targets (ids, comma-separated) of the targets file.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no summary lines.
    #[arg(long)]
    quiet: bool,
    /// Replace existing results of the design (a changed design is refused without it).
    #[arg(long)]
    force: bool,
    /// Do only run I of the design's plan (of the current wave for `calibrate`).
    #[arg(long, value_name = "I", conflicts_with = "shard")]
    run_index: Option<usize>,
    /// Do every N-th run of the design's plan starting at K (of the current wave for
    /// `calibrate`); the command that finds every run done goes on.
    #[arg(long, value_name = "K/N", value_parser = plan::parse_shard)]
    shard: Option<Selection>,
}

/// Screening methods.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ScreenMethod {
    Morris,
    Sobol,
}

/// The options of `sensitivity`.
#[derive(Args)]
struct SensitivityArgs {
    #[command(flatten)]
    design: DesignArgs,
    /// Morris elementary effects, or Sobol indices (Saltelli sampling).
    #[arg(long, value_enum, default_value = "morris")]
    method: ScreenMethod,
    /// Morris: trajectories (each k + 1 points for k parameters).
    #[arg(long, default_value_t = 10)]
    trajectories: usize,
    /// Morris: grid levels (even).
    #[arg(long, default_value_t = 4)]
    levels: usize,
    /// Sobol: base points N (N (k + 2) points in all).
    #[arg(long, default_value_t = 64)]
    samples: usize,
    /// Indicators screened besides the targets, as NAME@YEAR (or a ratio A/B@YEAR),
    /// comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = parse_indicator_year)]
    indicators: Vec<(String, u32)>,
}

/// The options of `calibrate`.
#[derive(Args)]
struct CalibrateArgs {
    #[command(flatten)]
    design: DesignArgs,
    /// Points per wave (default: 4 per parameter, at least 8).
    #[arg(long)]
    points: Option<usize>,
    /// Most waves.
    #[arg(long, default_value_t = 8)]
    waves: usize,
    /// Points kept as the elite that sets the next wave (default: a quarter of the points,
    /// at least 2).
    #[arg(long)]
    elite: Option<usize>,
}

/// `KEY=LOW:HIGH`.
fn parse_range(s: &str) -> Result<(String, (f64, f64)), String> {
    let (key, r) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected KEY=LOW:HIGH"))?;
    let (lo, hi) = r
        .split_once(':')
        .ok_or_else(|| format!("`{s}`: expected KEY=LOW:HIGH"))?;
    let num = |x: &str| {
        x.trim()
            .parse::<f64>()
            .map_err(|_| format!("`{x}` in `{s}`: expected a number"))
    };
    Ok((key.trim().to_string(), (num(lo)?, num(hi)?)))
}

/// `NAME@YEAR`.
fn parse_indicator_year(s: &str) -> Result<(String, u32), String> {
    let (name, year) = s
        .rsplit_once('@')
        .ok_or_else(|| format!("`{s}`: expected NAME@YEAR, such as wmo_users@2018"))?;
    for n in name.split('/') {
        if crate::model::indicators::by_name(n.trim()).is_none() {
            return Err(format!(
                "`{}` is not an indicator (`sociaal indicators` lists them)",
                n.trim()
            ));
        }
    }
    let year = parse_year(year).ok_or_else(|| {
        format!(
            "`{year}` in `{s}`: expected a year from {} to {}",
            YEARS.start(),
            YEARS.end()
        )
    })?;
    Ok((name.to_string(), year))
}

/// The options of `run`.
#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    target: PlanArgs,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no summary lines.
    #[arg(long)]
    quiet: bool,
    /// Replace existing results for this scenario: remove them and run everything (with
    /// --run-index or --shard: do the selected runs again). Without it, complete runs
    /// made from the same scenario by the same build are skipped (resume), and results
    /// from another scenario or build are refused.
    #[arg(long)]
    force: bool,
    /// Print wall time per phase at the end (always stored in manifest.json).
    #[arg(long)]
    timings: bool,
    /// Do only run I of the plan (`sociaal plan FILE` lists them), writing only its
    /// directory; merge with `sociaal merge` once every run is done.
    #[arg(long, value_name = "I", conflicts_with = "shard")]
    run_index: Option<usize>,
    /// Do every N-th run of the plan starting at K (K counts from 0): the runs whose index
    /// modulo N is K. Merge with `sociaal merge` once every shard is done.
    #[arg(long, value_name = "K/N", value_parser = plan::parse_shard)]
    shard: Option<Selection>,
    /// Check the model's invariants at the end of every month (people, money, queues, care
    /// links, placements; debug builds always do): a violation stops the run with an error
    /// naming the month, gemeente and invariant, and writes nothing of that run. Complete
    /// runs on disk not made with the check are done again. Results do not depend on it.
    #[arg(long)]
    check_invariants: bool,
}

/// The options of `compare`.
#[derive(Args)]
struct CompareArgs {
    /// A scenario's results directory (results/<scenario>).
    dir: PathBuf,
    /// The reference variant (default: the scenario's first).
    #[arg(long)]
    against: Option<String>,
    /// Indicators, comma-separated (default: a core set of ten).
    #[arg(long, value_delimiter = ',')]
    indicators: Option<Vec<String>>,
    /// Years, comma-separated, or ranges like 2016-2020 (default: 2016, 2019, 2020, 2025,
    /// 2030, 2040 where simulated).
    #[arg(long, value_delimiter = ',', value_parser = parse_years)]
    years: Option<Vec<Vec<u32>>>,
    /// Where to write the CSV (default: DIR/compare.csv, or DIR/compare-<code>.csv with
    /// --gemeente).
    #[arg(long)]
    csv: Option<PathBuf>,
    /// One gemeente in focus (its name or CBS code, such as Utrecht or GM0344): its own
    /// differences, beside its jeugdregio's and the nation's.
    #[arg(long)]
    gemeente: Option<String>,
}

/// The options of `report`.
#[derive(Args)]
struct ReportArgs {
    /// A scenario's results directory (results/<scenario>).
    dir: PathBuf,
    /// The HTML file (default: DIR/report.html).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write each chart as a file in this format.
    #[arg(long, value_enum)]
    format: Option<ChartFormat>,
    /// Directory for the chart files (default: DIR/charts).
    #[arg(long)]
    outdir: Option<PathBuf>,
    /// The reference variant (default: the scenario's first).
    #[arg(long)]
    against: Option<String>,
    /// Indicators to chart, comma-separated (default: the core set and the indicators
    /// the variants change most).
    #[arg(long, value_delimiter = ',')]
    indicators: Option<Vec<String>>,
    /// Validation targets file; its targets for this scenario go into the report.
    #[arg(long, default_value = "validation/targets.toml")]
    targets: PathBuf,
    /// A gemeente in focus (name or CBS code): its own figures, and where it sits among the
    /// gemeenten.
    #[arg(long)]
    gemeente: Option<String>,
}

/// The options of `validate`.
#[derive(Args)]
struct ValidateArgs {
    /// A scenario file (default: every scenario named in the targets file, read from
    /// --scenarios).
    scenario: Option<PathBuf>,
    /// The targets file.
    #[arg(long, default_value = "validation/targets.toml")]
    targets: PathBuf,
    /// Directory of the shipped scenario files.
    #[arg(long, default_value = "scenarios")]
    scenarios: PathBuf,
    /// Results directory.
    #[arg(long, default_value = "results")]
    out: PathBuf,
    /// Run the scenarios again even when matching results exist.
    #[arg(long)]
    rerun: bool,
    /// Exit with code 1 when a target fails or cannot be checked.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar (the line saying whether results were read or run stays).
    #[arg(long)]
    quiet: bool,
    /// When running a scenario, check the model's invariants every month (as `run
    /// --check-invariants`).
    #[arg(long)]
    check_invariants: bool,
}

/// The options of `map`.
#[derive(Args)]
struct MapArgs {
    /// A scenario's results directory (results/<scenario>).
    dir: PathBuf,
    /// The indicator (a per-gemeente figure of gemeenten.csv, such as wmo_users).
    #[arg(long)]
    indicator: String,
    /// The year (default: the last simulated).
    #[arg(long)]
    year: Option<u32>,
    /// The variant shown (default: the first; with --difference, the second).
    #[arg(long)]
    variant: Option<String>,
    /// Show the variant minus the reference (--against) instead of its level.
    #[arg(long)]
    difference: bool,
    /// The reference of --difference (default: the first variant).
    #[arg(long)]
    against: Option<String>,
    /// Region boundaries drawn over the gemeenten.
    #[arg(long, value_enum, default_value = "jeugdregio")]
    regions: MapRegions,
    /// File format.
    #[arg(long, value_enum, default_value = "svg")]
    format: ChartFormat,
    /// The file written (default: DIR/maps/<indicator>-<year>-<variant>[-difference].<format>).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Region boundaries on a map.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum MapRegions {
    Jeugdregio,
    Arbeidsmarktregio,
    None,
}

/// Chart file formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ChartFormat {
    Png,
    Svg,
}

/// A mistake on the command line: option `key` expected `expected` and got `found` (exit 2).
fn cli_error(key: &str, expected: impl Into<String>, found: impl Into<String>) -> Error {
    scenario::InputError::new("<command line>".as_ref(), expected)
        .key(key)
        .found(found)
        .into()
}

/// Refuses a design of more than [`scenario::MAX_RUNS`] runs (`points` points of every variant
/// of `base`, `replications` each), before its points are made; `key` is the option that sets
/// the number of points.
fn check_design_runs(
    key: &str,
    points: u128,
    base: &scenario::Scenario,
    replications: u32,
) -> Result<(), Error> {
    let runs = points
        .saturating_mul(base.variants.len() as u128)
        .saturating_mul(u128::from(replications));
    if runs > u128::from(scenario::MAX_RUNS) {
        return Err(cli_error(
            key,
            format!(
                "a design of at most {} runs (points x variants x replications); screen fewer keys with --params, or ask for fewer points",
                scenario::MAX_RUNS
            ),
            format!(
                "{points} point(s) x {} variant(s) x {replications} replication(s) = {runs} runs",
                base.variants.len()
            ),
        ));
    }
    Ok(())
}

/// Refuses an `--out` that exists and is not a directory, before anything is done.
fn check_out_dir(out: &Path) -> Result<(), Error> {
    if out.to_string_lossy().contains(['\t', '\n', '\r']) {
        return Err(cli_error(
            "--out",
            "a path without tabs or line breaks (`plan` prints one tab-separated line a run)",
            format!("{:?}", out.display().to_string()),
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(cli_error(
            "--out",
            "a directory to write results under (it is made if missing)",
            format!("{}, which is a file", out.display()),
        ));
    }
    Ok(())
}

/// Refuses to write a table or report (`key`) over a file that runs and merges write (a
/// run's or a scenario's results, plan or manifest).
fn check_not_results_file(path: &Path, key: &str) -> Result<(), Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let ours = |n: &str| {
        crate::merge::RUN_FILES.contains(&n)
            || crate::merge::SUMMARY_FILES.contains(&n)
            || n == "plan.json"
    };
    if let Some(n) = name.filter(|n| ours(n)) {
        return Err(cli_error(
            key,
            "a file name that is not one of the results' own files",
            format!("{} ({n} holds results)", path.display()),
        ));
    }
    Ok(())
}

/// Years `--years` accepts (a range is checked before it is expanded).
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2200;

/// A year within [`YEARS`].
fn parse_year(x: &str) -> Option<u32> {
    x.trim().parse::<u32>().ok().filter(|y| YEARS.contains(y))
}

/// `2016` or `2016-2020`.
fn parse_years(s: &str) -> Result<Vec<u32>, String> {
    let year = |x: &str| {
        parse_year(x).ok_or_else(|| {
            format!(
                "`{x}` is not a year from {} to {}; expected a year like 2019 or a range like 2016-2020",
                YEARS.start(),
                YEARS.end()
            )
        })
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            if a > b {
                return Err(format!("range {s} ends before it starts"));
            }
            Ok((a..=b).collect())
        }
        None => Ok(vec![year(s)?]),
    }
}

fn make_bar(quiet: bool) -> Bar {
    let show = !quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(0),
        if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} months, {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Bar {
        bar,
        runs: AtomicU64::new(0),
        total_runs: AtomicU64::new(0),
    }
}

fn thread_count(threads: Option<usize>) -> Result<usize, Error> {
    match threads {
        Some(0) => Err(cli_error("--threads", "at least 1 thread", "0")),
        Some(t) if t > max_threads() => Err(cli_error(
            "--threads",
            format!(
                "at most {} threads ({THREADS_PER_CORE} per core of this machine's {}, at least {MIN_MAX_THREADS}); more only add overhead (results do not depend on it)",
                max_threads(),
                cores()
            ),
            t.to_string(),
        )),
        Some(t) => Ok(t),
        None => Ok(cores()),
    }
}

/// `--threads` may ask for at most this many threads per core ...
const THREADS_PER_CORE: usize = 8;
/// ... or this many on a machine with few cores (oversubscription is allowed for tests of
/// determinism; thousands of threads only add overhead).
const MIN_MAX_THREADS: usize = 64;

/// The cores this process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most threads `--threads` accepts.
fn max_threads() -> usize {
    (THREADS_PER_CORE * cores()).max(MIN_MAX_THREADS)
}

struct Bar {
    bar: ProgressBar,
    runs: AtomicU64,
    total_runs: AtomicU64,
}

impl Progress for Bar {
    fn begin(&self, runs: u64, months_per_run: u64) {
        self.total_runs.store(runs, Ordering::Relaxed);
        self.bar.set_length(runs * months_per_run);
        self.bar.set_message(format!("run 1/{runs}"));
    }
    fn month_done(&self) {
        self.bar.inc(1);
    }
    fn run_done(&self, _: &str, _: u32) {
        let done = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total_runs.load(Ordering::Relaxed);
        self.bar
            .set_message(format!("run {}/{total}", (done + 1).min(total)));
    }
}

/// The line after a run: what was run, skipped and merged.
fn print_done(report: &run::RunReport) -> Result<(), Error> {
    if report.skipped > 0 {
        outln!(
            "skipped {} complete run(s) already on disk; ran {} of {}",
            report.skipped,
            report.runs,
            report.planned
        );
    }
    if !report.merged {
        outln!(
            "ran {} run(s) of {} in the plan; once every run is done: sociaal merge {}",
            report.runs,
            report.planned,
            report.dir.display()
        );
    }
    Ok(())
}

/// `run` under `mpirun`: the ranks share the plan, rank 0 merges and reports.
#[cfg(feature = "mpi")]
fn mpi_run(s: &scenario::Scenario, opts: &RunOptions, quiet: bool) -> Result<i32, Error> {
    use crate::mpi_run::Outcome;
    match crate::mpi_run::execute(s, opts, &run::NoProgress)? {
        // A failing rank printed why.
        Outcome::Follower { exit_code } => Ok(exit_code),
        Outcome::Leader(report) => {
            if !quiet {
                outln!(
                    "{}: {} variant(s) x {} replication(s), {} months at scale {} on {} MPI rank(s) -> {}",
                    s.name,
                    s.variants.len(),
                    s.replications,
                    s.n_months(),
                    s.scale,
                    report.ranks,
                    report.run.dir.display()
                );
                outln!(
                    "wall {:.2} s; ran {} run(s) on all ranks, skipped {} complete run(s); merged",
                    report.run.wall_seconds,
                    report.runs,
                    report.skipped
                );
            }
            Ok(0)
        }
    }
}

/// How much of a command is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Simulate the runs a command asks for. Without (the command-line fuzz target), `run`
    /// and `validate` check everything and prepare the results directory, then stop before
    /// the first simulated month.
    pub simulate: bool,
    /// Print to standard output and standard error. Without, what would be printed is
    /// dropped (the command-line fuzz target and its replay in the test suite).
    pub stdout: bool,
}

impl Mode {
    /// Everything, as the `sociaal` binary does.
    pub const FULL: Mode = Mode {
        simulate: true,
        stdout: true,
    };
}

/// Parses `args` (the program name first) and runs the command: the exit code (0 done, 1 an
/// I/O or model error, 2 a usage or input error; clap's own for `--help` and a bad option).
/// Errors are printed to standard error.
pub fn main_with<I, T>(args: I, mode: Mode) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` go to standard output, mistakes to standard error;
            // neither may panic on a closed or full stream.
            if mode.stdout {
                let _ = e.print();
            } else {
                let _ = e.render().to_string();
            }
            return e.exit_code();
        }
    };
    DISCARD_STDOUT.set(!mode.stdout);
    let result = execute(cli, mode);
    DISCARD_STDOUT.set(false);
    match result {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("error: {e}");
            if mode.stdout {
                eprintln!("{msg}");
            }
            e.exit_code()
        }
    }
}

/// Runs one subcommand: its exit code.
fn execute(cli: Cli, mode: Mode) -> Result<i32, Error> {
    match cli.command {
        Command::Run(args) => run_command(args, mode),
        Command::Plan { target } => plan_command(&target).map(|()| 0),
        Command::Merge { dir } => merge_command(&dir).map(|()| 0),
        Command::Check { file } => check_command(&file).map(|()| 0),
        Command::Indicators { markdown } => indicators_command(markdown).map(|()| 0),
        Command::Compare(args) => compare_command(args).map(|()| 0),
        Command::Report(args) => report_command(args).map(|()| 0),
        Command::Map(args) => map_command(args).map(|()| 0),
        Command::Validate(args) => validate_command(args, mode),
        Command::Sensitivity(args) => sensitivity_command(args, mode),
        Command::Calibrate(args) => calibrate_command(args, mode),
        Command::Trends { dir, years } => {
            let r = Results::load(&dir)?;
            let command = format!(
                "sociaal trends {} --years {}",
                dir.display(),
                years
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            );
            outp!("{}", crate::report::trends::markdown(&r, &years, &command)?);
            Ok(0)
        }
    }
}

/// What `sensitivity` and `calibrate` share: the scenario (with `--reps` for the design's
/// replications, default `reps`), the space of `keys`, the targets it can be checked on, and
/// the run options.
struct Designed {
    base: scenario::Scenario,
    factors: Vec<crate::design::Factor>,
    left_out: Vec<crate::design::space::LeftOut>,
    targets: Vec<validate::Target>,
    replications: u32,
    opts: RunOptions,
}

/// Years a cohort target needs after its cohort year (work within four years, and the year
/// it is counted in).
const COHORT_FOLLOW_UP_YEARS: u32 = 5;

fn designed(
    a: &DesignArgs,
    keys: &[String],
    reps: u32,
    extra_years: &[u32],
    mode: Mode,
) -> Result<Designed, Error> {
    let base = a.target.load()?;
    let replications = a.target.reps.unwrap_or(reps);
    for (key, x) in [("--spread", a.spread), ("--fact-spread", a.fact_spread)] {
        if !(x.is_finite() && x > 0.0 && x < 1.0) {
            return Err(cli_error(
                key,
                "a relative half-width above 0 and below 1",
                x.to_string(),
            ));
        }
    }
    let ranges: std::collections::BTreeMap<String, (f64, f64)> = a.ranges.iter().cloned().collect();
    let others: Vec<&crate::scenario::Params> =
        base.variants.iter().skip(1).map(|v| &v.params).collect();
    let (factors, left_out) = crate::design::space::space(
        &base.variants[0].params,
        &others,
        keys,
        (a.spread, a.fact_spread),
        &ranges,
    )
    .map_err(|e| cli_error("--params", "numeric keys of the scenario", e))?;
    if factors.is_empty() {
        return Err(cli_error(
            "--params",
            "at least one parameter that can vary",
            left_out
                .iter()
                .map(|l| format!("{}: {}", l.key, l.why))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    let all = validate::load_targets(&a.targets)?;
    let mut targets = crate::design::objective::targets_for(&base, &all);
    if !a.only.is_empty() {
        if let Some(id) = a
            .only
            .iter()
            .find(|id| !targets.iter().any(|t| &t.id == *id))
        {
            let mut ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
            if ids.is_empty() {
                ids.push("none");
            }
            return Err(cli_error(
                "--only",
                format!(
                    "ids of targets of scenario `{}` in {}: {}",
                    base.name,
                    a.targets.display(),
                    ids.join(", ")
                ),
                id.clone(),
            ));
        }
        targets.retain(|t| a.only.contains(&t.id));
    }
    let mut base = base;
    // A design runs to the last year it reads: the targets' (a cohort's with its follow-up)
    // and the indicators'. The months before are the same either way.
    let last = targets
        .iter()
        .map(|t| {
            t.year.saturating_add(if t.file.is_some() {
                COHORT_FOLLOW_UP_YEARS
            } else {
                0
            })
        })
        .chain(extra_years.iter().copied())
        .max();
    // A year far outside any scenario (a targets file's typo) leaves the end as it is.
    if let Some(y) = last.filter(|y| YEARS.contains(y)) {
        let end = crate::engine::Month::new(y, 12);
        if end < base.end && end >= base.start {
            base.end = end;
        }
    }
    let selection = match (a.run_index, a.shard) {
        (Some(i), _) => Selection::Index(i),
        (None, Some(sh)) => sh,
        (None, None) => Selection::All,
    };
    let opts = RunOptions {
        out_dir: a.target.out.clone(),
        threads: thread_count(a.threads)?,
        force: a.force,
        selection,
        check_invariants: false,
        simulate: mode.simulate,
    };
    Ok(Designed {
        base,
        factors,
        left_out,
        targets,
        replications,
        opts,
    })
}

/// The command line as typed, for the files that say how they were made.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("sociaal {}", args.join(" "))
}

/// `sensitivity`: the design, its runs, and the screening once every run is there.
fn sensitivity_command(args: SensitivityArgs, mode: Mode) -> Result<i32, Error> {
    use crate::design::screen::{self, Method, Output, Request};
    let a = &args.design;
    let years: Vec<u32> = args.indicators.iter().map(|(_, y)| *y).collect();
    let d = designed(a, &a.params, 1, &years, mode)?;
    let at_least = |key: &str, value: usize, min: usize| {
        if value < min {
            Err(cli_error(key, format!("at least {min}"), value.to_string()))
        } else {
            Ok(())
        }
    };
    let method = match args.method {
        ScreenMethod::Morris => {
            at_least("--levels", args.levels, 2)?;
            if !args.levels.is_multiple_of(2) {
                return Err(cli_error(
                    "--levels",
                    "an even number of levels",
                    args.levels.to_string(),
                ));
            }
            at_least("--trajectories", args.trajectories, 2)?;
            Method::Morris {
                trajectories: args.trajectories,
                levels: args.levels,
            }
        }
        ScreenMethod::Sobol => {
            at_least("--samples", args.samples, 4)?;
            Method::Sobol {
                samples: args.samples,
            }
        }
    };
    let mut outputs: Vec<Output> = d.targets.iter().cloned().map(Output::Target).collect();
    outputs.extend(
        args.indicators
            .iter()
            .map(|(name, year)| Output::Indicator {
                name: name.clone(),
                year: *year,
            }),
    );
    if outputs.is_empty() {
        return Err(cli_error(
            "--indicators",
            format!(
                "something to screen: targets of scenario `{}` in {}, or --indicators NAME@YEAR",
                d.base.name,
                a.targets.display()
            ),
            "none",
        ));
    }
    let key = match method {
        Method::Morris { .. } => "--trajectories",
        Method::Sobol { .. } => "--samples",
    };
    check_design_runs(key, method.count(d.factors.len()), &d.base, d.replications)?;
    if !mode.simulate {
        // Without simulating (the fuzz target), the design's points and no more: making a
        // design of many thousand variants takes seconds, which tests and users pay instead.
        method.points(d.factors.len(), d.base.seed);
        return Ok(0);
    }
    let req = Request {
        method,
        factors: d.factors,
        left_out: d.left_out,
        outputs,
        replications: d.replications,
    };
    let (design, unit) = screen::design(&d.base, &req)?;
    if !a.quiet {
        errln!(
            "{}: {} parameter(s) ({} left out), {} output(s), {} point(s) ({} cannot run: their values together break a rule between keys) x {} replication(s) at scale {}, months {} to {} -> {}",
            design.scenario.name,
            req.factors.len(),
            req.left_out.len(),
            req.outputs.len(),
            unit.len(),
            design.infeasible_count(),
            req.replications,
            design.scenario.scale,
            design.scenario.start,
            design.scenario.end,
            d.opts.out_dir.join(&design.scenario.name).display()
        );
        let broken = design.broken_rules();
        if !broken.is_empty() {
            errln!(
                "rules broken by the points that cannot run (narrow the ranges with --range, or leave a key out with --params): {}",
                broken
                    .iter()
                    .take(6)
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    #[cfg(feature = "mpi")]
    if crate::mpi_run::launched_by_mpi() {
        use crate::mpi_run::Outcome;
        match crate::mpi_run::execute(&design.scenario, &d.opts, &run::NoProgress)? {
            Outcome::Follower { exit_code } => return Ok(exit_code),
            Outcome::Leader(_) => {}
        }
        let opts = RunOptions {
            selection: Selection::All,
            ..d.opts.clone()
        };
        return finish_sensitivity(&d.base, &req, &design, &unit, &opts, a.quiet);
    }
    finish_sensitivity(&d.base, &req, &design, &unit, &d.opts, a.quiet)
}

/// Runs what is left of a screening's design and, when it is all there, writes the screening.
fn finish_sensitivity(
    base: &scenario::Scenario,
    req: &crate::design::screen::Request,
    design: &crate::design::Design,
    unit: &[Vec<f64>],
    opts: &RunOptions,
    quiet: bool,
) -> Result<i32, Error> {
    let progress = make_bar(quiet);
    let done = crate::design::run_design(&design.scenario, opts, &progress);
    progress.bar.finish_and_clear();
    let (report, results) = done?;
    let Some(r) = results else {
        if !quiet {
            outln!(
                "{}: ran {} run(s) of {}; the screening is written by the command that finds every run done (run it again without --shard/--run-index, or once the other shards finish)",
                design.scenario.name,
                report.runs,
                report.planned
            );
        }
        return Ok(0);
    };
    if !opts.simulate {
        return Ok(0);
    }
    let screening = crate::design::screen::finish(base, req, design, unit, &r);
    let title = format!("Sensitivity of {} ({})", base.name, req.method.name());
    crate::design::screen::write(
        &report.dir,
        &screening,
        &title,
        &command_line(),
        design.infeasible_count(),
    )?;
    if !quiet {
        outln!("most important overall (relative to the strongest on each output, averaged):");
        for (i, (f, score)) in screening.overall().iter().take(10).enumerate() {
            outln!(
                "{:>3}. {:<55} {:.3}",
                i + 1,
                screening.factors[*f].label(),
                score
            );
        }
        let nothing = screening.moved_nothing();
        outln!(
            "moved nothing ({} of {}): {}",
            nothing.len(),
            screening.factors.len(),
            nothing
                .iter()
                .take(12)
                .map(|&f| screening.factors[f].key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                + if nothing.len() > 12 { ", ..." } else { "" }
        );
        let dir = report.dir.display();
        outln!("written: {dir}/sensitivity.csv, {dir}/sensitivity.md, {dir}/sensitivity.html");
    }
    Ok(0)
}

/// `calibrate`: the waves, then the fitted scenario file and the report.
fn calibrate_command(args: CalibrateArgs, mode: Mode) -> Result<i32, Error> {
    use crate::design::fit;
    let a = &args.design;
    if a.params.is_empty() {
        return Err(cli_error(
            "--params",
            "the parameters to fit, comma-separated",
            "none",
        ));
    }
    #[cfg(feature = "mpi")]
    if crate::mpi_run::launched_by_mpi() {
        return Err(cli_error(
            "mpirun",
            "calibrate without mpirun: each wave depends on the one before, so run a wave's share per process with --shard K/N (a job array per wave; the command that finds the wave complete goes on), or screen under mpirun with `sensitivity`",
            "calibrate under mpirun",
        ));
    }
    let d = designed(a, &a.params, 2, &[], mode)?;
    if d.targets.is_empty() {
        return Err(cli_error(
            "--targets",
            format!("targets of scenario `{}`", d.base.name),
            format!("none in {}", a.targets.display()),
        ));
    }
    let k = d.factors.len();
    let points = args.points.unwrap_or((4 * k).max(8));
    let elite = args.elite.unwrap_or((points / 4).max(2));
    if points < 2 || elite < 1 || elite >= points {
        return Err(cli_error(
            "--elite",
            "at least 1 and fewer than --points (at least 2)",
            format!("{elite} of {points}"),
        ));
    }
    if args.waves == 0 {
        return Err(cli_error("--waves", "at least 1", "0"));
    }
    check_design_runs("--points", points as u128, &d.base, d.replications)?;
    if !mode.simulate {
        // As for `sensitivity`: the first wave's points and no more.
        let start: Vec<f64> = d.factors.iter().map(|f| f.unit(f.default)).collect();
        crate::design::calibrate::wave_points(
            &crate::design::calibrate::State::start(&start),
            0,
            points,
            d.base.seed,
        );
        return Ok(0);
    }
    let req = fit::Request {
        factors: d.factors,
        targets: d.targets,
        points,
        waves: args.waves,
        elite,
        replications: d.replications,
    };
    let quiet = a.quiet;
    if !quiet {
        errln!(
            "{}-calibrate: {} parameter(s), {} target(s); waves of {} point(s) x {} replication(s) at scale {}",
            d.base.name,
            k,
            req.targets.len(),
            points,
            req.replications,
            d.base.scale
        );
    }
    let progress = make_bar(quiet);
    let mut printed: Vec<String> = Vec::new();
    let outcome = fit::calibrate(&d.base, &req, &d.opts, &progress, |w, wave| {
        let best = wave
            .points
            .iter()
            .map(|p| p.loss)
            .fold(f64::INFINITY, f64::min);
        let spread = wave.state.spread.iter().copied().fold(0.0f64, f64::max);
        printed.push(format!(
            "wave {w}: best loss {} (so far {}), largest spread {:.3}",
            crate::design::fmt_value(best),
            crate::design::fmt_value(wave.state.best().map_or(f64::NAN, |b| b.loss)),
            spread
        ));
        Ok(())
    });
    progress.bar.finish_and_clear();
    let outcome = outcome?;
    if !quiet {
        for line in &printed {
            outln!("{line}");
        }
    }
    if !d.opts.simulate {
        return Ok(0);
    }
    if let Some(w) = outcome.waiting {
        if !quiet {
            outln!(
                "wave {w}: ran {} run(s) here; the next wave starts when a command finds every run of this one done (run it again without --shard/--run-index, or once the other shards finish)",
                outcome.ran
            );
        }
        return Ok(0);
    }
    let file = fit::write(&d.base, &req, &outcome, &command_line(), &a.targets)?;
    if !quiet {
        if let (Some(b), Some(best)) = (outcome.before(), outcome.best()) {
            let after = &outcome.waves[best.0].points[best.1];
            outln!(
                "loss {} before, {} after; targets passed {} -> {} of {}",
                crate::design::fmt_value(b.loss),
                crate::design::fmt_value(after.loss),
                b.checks.iter().filter(|c| c.pass).count(),
                after.checks.iter().filter(|c| c.pass).count(),
                after.checks.len()
            );
            for (f, (x0, x1)) in req.factors.iter().zip(b.values.iter().zip(&after.values)) {
                outln!(
                    "  {:<50} {} -> {}",
                    f.label(),
                    crate::design::fmt_value(*x0),
                    crate::design::fmt_value(*x1)
                );
            }
        }
        let dir = outcome.dir.display();
        outln!(
            "written: {}, {dir}/calibration.md, {dir}/calibration.csv",
            file.display()
        );
        outln!(
            "next: sociaal validate {}   (every target with the fitted values)",
            file.display()
        );
    }
    Ok(0)
}

/// `run`: the whole plan, one run or one shard (or, under `mpirun`, this rank's share).
fn run_command(args: RunArgs, mode: Mode) -> Result<i32, Error> {
    let RunArgs {
        target,
        threads,
        quiet,
        force,
        timings,
        run_index,
        shard,
        check_invariants,
    } = args;
    let s = target.load()?;
    let threads = thread_count(threads)?;
    let selection = match (run_index, shard) {
        (Some(i), _) => Selection::Index(i),
        (None, Some(sh)) => sh,
        (None, None) => Selection::All,
    };
    let opts = RunOptions {
        out_dir: target.out,
        threads,
        force,
        selection,
        check_invariants,
        simulate: mode.simulate,
    };
    #[cfg(feature = "mpi")]
    if crate::mpi_run::launched_by_mpi() {
        return mpi_run(&s, &opts, quiet);
    }
    let progress = make_bar(quiet);
    let report = run::execute(&s, &opts, &progress);
    progress.bar.finish_and_clear();
    let report = report?;
    if !quiet {
        print_run_summary(&s, &report, threads)?;
    }
    if timings {
        print_timings(&report.timer)?;
    }
    Ok(0)
}

/// Says how many gemeenten have too few agents at the scenario's scale for their own figures to
/// mean much (national figures are not affected).
fn warn_thin_gemeenten(s: &scenario::Scenario) -> Result<(), Error> {
    let v = &s.variants[0];
    let geo = crate::model::geography::Geography::of(&v.geography, &v.params.geography, s.seed);
    let thin = geo.thin_gemeenten(s.scale);
    if thin > 0 {
        outln!(
            "note: at scale {} {thin} of {} gemeenten have fewer than {} agents; their rows in gemeenten.csv, and the policy reactions their books drive, are mostly sampling noise (a larger --scale helps)",
            s.scale,
            geo.gemeenten.len(),
            crate::model::geography::MIN_AGENTS_PER_GEMEENTE
        );
    }
    Ok(())
}

/// The lines after `run`: what was run where, how fast, and in how much memory.
fn print_run_summary(
    s: &scenario::Scenario,
    report: &run::RunReport,
    threads: usize,
) -> Result<(), Error> {
    outln!(
        "{}: {} variant(s) x {} replication(s), {} months at scale {} -> {}",
        s.name,
        s.variants.len(),
        s.replications,
        s.n_months(),
        s.scale,
        report.dir.display()
    );
    print_done(report)?;
    warn_thin_gemeenten(s)?;
    outln!(
        "wall {:.2} s, {:.3e} citizen-months/s on {} thread(s), peak memory {}",
        report.wall_seconds,
        report.citizen_months_per_second(),
        threads,
        report.peak_rss_bytes.map_or("unknown".into(), |b| format!(
            "{:.1} MiB",
            b as f64 / 1048576.0
        ))
    );
    if report.merged {
        let dir = report.dir.display();
        outln!(
            "written: {dir}/summary.csv (national figures by year, mean and p05-p95 over replications), {dir}/gemeenten_summary.csv (per gemeente), {dir}/<variant>/rep-<k>/ (each run)"
        );
        if s.variants.len() > 1 {
            outln!(
                "next: sociaal report {dir}   (an HTML report)   or   sociaal compare {dir}   (each variant against the first)"
            );
        } else {
            outln!(
                "next: sociaal report {dir}   (an HTML report with charts and the validation targets)"
            );
        }
    }
    Ok(())
}

/// `run --timings`: wall time per phase and its share.
fn print_timings(timer: &crate::engine::PhaseTimer) -> Result<(), Error> {
    outln!("phase          seconds   share");
    let total: f64 = timer.seconds().iter().map(|(_, s)| s).sum();
    for (p, secs) in timer.seconds() {
        outln!(
            "{p:<12} {secs:>9.3} {:>6.1}%",
            100.0 * secs / total.max(1e-12)
        );
    }
    Ok(())
}

/// `plan`: one line per run of the plan.
fn plan_command(target: &PlanArgs) -> Result<(), Error> {
    let s = target.load()?;
    for r in plan::plan(&s, &target.out) {
        outln!("{r}");
    }
    Ok(())
}

/// `merge`: the summary files from the run directories.
fn merge_command(dir: &Path) -> Result<(), Error> {
    let m = crate::merge::merge(dir)?;
    outln!(
        "merged {} run(s) of {} variant(s) -> {}",
        m.runs,
        m.variants,
        m.dir.display()
    );
    Ok(())
}

/// `check`: validates a scenario file and says what it holds.
fn check_command(file: &Path) -> Result<(), Error> {
    let s = scenario::load(file)?;
    outln!(
        "ok: {} is valid: scenario `{}`, {} variant(s) ({}), {} replication(s), {} to {} ({} months), scale {}, seed {}",
        file.display(),
        s.name,
        s.variants.len(),
        s.variants
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.replications,
        s.start,
        s.end,
        s.n_months(),
        s.scale,
        s.seed
    );
    warn_thin_gemeenten(&s)?;
    // Where each variant leaves the reference (all start from the reference's state).
    let reference = &s.variants[0];
    for v in s.variants.iter().skip(1) {
        let keys: Vec<String> = scenario::branch::divergences(&reference.params, &v.params)
            .into_iter()
            .filter(|d| v.branch.is_some_and(|b| d.month.max(s.start) == b))
            .map(|d| d.key)
            .collect();
        match v.branch {
            Some(b) => outln!(
                "  variant `{}` leaves `{}` in {b} ({})",
                v.name,
                reference.name,
                keys.join(", ")
            ),
            None => outln!(
                "  variant `{}` has the same parameters as `{}` in every month",
                v.name,
                reference.name
            ),
        }
    }
    Ok(())
}

/// `indicators`: every indicator with its unit and definition (or the Markdown table).
fn indicators_command(markdown: bool) -> Result<(), Error> {
    let kind = |k: Kind| match k {
        Kind::Stock => "stock",
        Kind::Flow => "flow",
        Kind::Ratio => "ratio",
    };
    if markdown {
        outp!("{}", crate::model::indicators::markdown());
    } else {
        for i in INDICATORS {
            outln!(
                "{:<26} {:<22} {:<6} {}",
                i.name,
                i.unit,
                kind(i.kind),
                i.definition
            );
        }
    }
    Ok(())
}

/// `compare`: each variant minus the reference, as a table and `compare.csv`.
fn compare_command(args: CompareArgs) -> Result<(), Error> {
    let CompareArgs {
        dir,
        against,
        indicators,
        years,
        csv,
        gemeente,
    } = args;
    let r = Results::load(&dir)?;
    let req = CompareRequest {
        against: against.clone(),
        indicators,
        years: years.map(|y| y.into_iter().flatten().collect()),
    };
    if let Some(who) = gemeente {
        return compare_gemeente(&r, req, &who, csv);
    }
    let rows = compare::compare(&r, &req)?;
    let reference = against.unwrap_or_else(|| r.variants[0].name.clone());
    let path = csv.unwrap_or_else(|| dir.join("compare.csv"));
    check_not_results_file(&path, "--csv")?;
    crate::output::write_file_atomic(&path, compare::csv(&rows, &reference).as_bytes())?;
    outln!(
        "{}: each variant minus `{reference}`, paired over {} replication(s) (same seeds); 90% interval of the paired differences",
        r.name,
        rows.first().map_or(0, |x| x.n)
    );
    outp!("{}", compare::table(&rows, &reference));
    outln!("written: {}", path.display());
    Ok(())
}

/// `compare --gemeente`: one gemeente's paired differences, its jeugdregio's and the nation's.
fn compare_gemeente(
    r: &Results,
    req: CompareRequest,
    who: &str,
    csv: Option<PathBuf>,
) -> Result<(), Error> {
    let f = crate::report::local::focus(r, who)?;
    let local_req = CompareRequest {
        indicators: Some(req.indicators.clone().unwrap_or_else(|| {
            crate::report::local::LOCAL_INDICATORS
                .iter()
                .filter(|n| f.gemeente.indicator(n).is_some())
                .map(|n| n.to_string())
                .collect()
        })),
        ..req.clone()
    };
    let national_req = CompareRequest {
        indicators: Some(
            local_req
                .indicators
                .iter()
                .flatten()
                .filter(|n| r.indicator(n).is_some())
                .cloned()
                .collect(),
        ),
        ..req.clone()
    };
    let own = compare::compare(&f.gemeente, &local_req)?;
    let region = compare::compare(&f.jeugdregio, &local_req)?;
    let national = compare::compare(r, &national_req)?;
    let reference = req.against.unwrap_or_else(|| r.variants[0].name.clone());
    let label = if f.code.is_empty() {
        f.name.clone()
    } else {
        format!("{} ({})", f.name, f.code)
    };
    let file = if f.code.is_empty() { &f.name } else { &f.code };
    let path = csv.unwrap_or_else(|| r.dir.join(format!("compare-{file}.csv")));
    check_not_results_file(&path, "--csv")?;
    let mut text = String::new();
    for (scope, rows) in [
        (label.as_str(), &own),
        (&*format!("jeugdregio {}", f.region), &region),
        ("Nederland", &national),
    ] {
        let body = compare::csv(rows, &reference);
        for (k, line) in body.lines().enumerate() {
            if k == 0 {
                if text.is_empty() {
                    text.push_str("scope,");
                    text.push_str(line);
                    text.push('\n');
                }
                continue;
            }
            text.push_str(&crate::output::csv_field(scope));
            text.push(',');
            text.push_str(line);
            text.push('\n');
        }
    }
    crate::output::write_file_atomic(&path, text.as_bytes())?;
    outln!(
        "{}: each variant minus `{reference}` in {label}, paired over {} replication(s) (same seeds); 90% interval of the paired differences",
        r.name,
        own.first().map_or(0, |x| x.n)
    );
    outp!("{}", compare::table(&own, &reference));
    outln!(
        "\nIts jeugdregio, {} ({}):",
        f.region,
        if f.region_size == 1 {
            "its only gemeente".to_string()
        } else {
            format!("{} gemeenten together", f.region_size)
        }
    );
    outp!("{}", compare::table(&region, &reference));
    outln!("\nNederland:");
    outp!("{}", compare::table(&national, &reference));
    if let (Some(scale), Some(&year)) = (r.scenario["scale"].as_f64(), r.years.last()) {
        let against = r.variant_or_err(Some(&reference)).unwrap_or(0);
        if let Some(p) = crate::report::local::precision(&f, against, year, scale) {
            outln!("\nnote: {} ({year})", p.sentence(&f.name, scale));
        }
    }
    outln!("written: {}", path.display());
    Ok(())
}

/// `map`: one choropleth of the gemeenten as an SVG or PNG file.
fn map_command(args: MapArgs) -> Result<(), Error> {
    use crate::report::map;
    let r = Results::load(&args.dir)?;
    if !map::mappable(&r) {
        return Err(Error::Results(format!(
            "{}: maps need results of the built-in Netherlands (geography.kind = \"netherlands-2019\"), whose gemeenten carry the CBS codes of the boundaries",
            args.dir.display()
        )));
    }
    let year = args
        .year
        .unwrap_or_else(|| r.years.last().copied().unwrap_or(0));
    if !r.years.contains(&year) {
        return Err(Error::Results(format!(
            "{}: no year {year}; the results hold {}-{}",
            r.dir.display(),
            r.years.first().copied().unwrap_or(0),
            r.years.last().copied().unwrap_or(0)
        )));
    }
    let against = r.variant_or_err(args.against.as_deref())?;
    let variant = match (&args.variant, args.difference) {
        (Some(v), _) => r.variant_or_err(Some(v))?,
        (None, false) => 0,
        (None, true) => (0..r.variants.len())
            .find(|&v| v != against)
            .ok_or_else(|| {
                Error::Results(format!(
                    "{}: one variant; --difference needs two or more",
                    r.dir.display()
                ))
            })?,
    };
    let req = map::MapRequest {
        indicator: args.indicator.clone(),
        year,
        variant,
        difference_from: args.difference.then_some(against),
        regions: match args.regions {
            MapRegions::Jeugdregio => map::Regions::Jeugdregio,
            MapRegions::Arbeidsmarktregio => map::Regions::Arbeidsmarktregio,
            MapRegions::None => map::Regions::None,
        },
    };
    let spec = map::spec(&r, &req)?;
    let ext = match args.format {
        ChartFormat::Png => "png",
        ChartFormat::Svg => "svg",
    };
    let path = args.out.unwrap_or_else(|| {
        r.dir.join("maps").join(format!(
            "{}-{year}-{}{}.{ext}",
            args.indicator,
            r.variants[variant].name,
            if args.difference { "-difference" } else { "" }
        ))
    });
    check_not_results_file(&path, "--out")?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    }
    let (w, h) = map::MAP_SIZE;
    match args.format {
        ChartFormat::Svg => {
            let svg = map::svg(&spec, w, h).map_err(|e| Error::Results(e.to_string()))?;
            crate::output::write_file_atomic(&path, svg.as_bytes())?;
        }
        ChartFormat::Png => {
            map::png(&spec, w, h, &path).map_err(|e| Error::Results(e.to_string()))?;
        }
    }
    outln!("{}", spec.title);
    outln!("written: {}", path.display());
    Ok(())
}

/// `report`: the HTML report, and the chart files if asked.
fn report_command(args: ReportArgs) -> Result<(), Error> {
    let ReportArgs {
        dir,
        out,
        format,
        outdir,
        against,
        indicators,
        targets,
        gemeente,
    } = args;
    let r = Results::load(&dir)?;
    let targets = if targets.is_file() {
        validate::load_targets(&targets)?
    } else {
        Vec::new()
    };
    let opts = html::ReportOptions {
        against,
        indicators,
        gemeente,
    };
    let report = html::build(&r, &opts, &targets)?;
    let path = out.unwrap_or_else(|| dir.join("report.html"));
    check_not_results_file(&path, "--out")?;
    crate::output::write_file_atomic(&path, report.html.as_bytes())?;
    outln!(
        "{}: report with {} chart(s) -> {}",
        r.name,
        report.charts.len(),
        path.display()
    );
    if let Some(fmt) = format {
        let outdir = outdir.unwrap_or_else(|| dir.join("charts"));
        let written = match fmt {
            ChartFormat::Png => html::write_charts(&report, &outdir, html::Format::Png)?,
            ChartFormat::Svg => html::write_charts(&report, &outdir, html::Format::Svg)?,
        };
        outln!("{} chart file(s) -> {}", written, outdir.display());
    }
    Ok(())
}

/// The scenario files `validate` checks: the one given, or every scenario the targets name
/// (in the order first named).
fn validation_files(
    file: Option<PathBuf>,
    all: &[validate::Target],
    scenarios: &Path,
) -> Vec<PathBuf> {
    match file {
        Some(f) => vec![f],
        None => {
            let mut names: Vec<&str> = all.iter().map(|t| t.scenario.as_str()).collect();
            names.dedup();
            let mut seen = std::collections::BTreeSet::new();
            names.retain(|n| seen.insert(*n));
            names
                .iter()
                .map(|n| scenarios.join(format!("{n}.toml")))
                .collect()
        }
    }
}

/// `validate`'s line per scenario: whether its results were read or run.
fn print_source(name: &str, dir: &Path, source: report::Source) {
    errln!(
        "{name}: {}",
        match source {
            report::Source::Read => format!("read {}", dir.display()),
            report::Source::RanMissing => format!("no results yet; ran it -> {}", dir.display()),
            report::Source::RanStale => format!(
                "results in {} were from another version of the scenario or of sociaal; ran it again",
                dir.display()
            ),
        }
    );
}

/// `validate`: the targets checked against each scenario's results (read, or run first),
/// a table, `validation.csv` per scenario; exit 1 under `--strict` when any fails.
fn validate_command(args: ValidateArgs, mode: Mode) -> Result<i32, Error> {
    let ValidateArgs {
        scenario: file,
        targets,
        scenarios,
        out,
        rerun,
        strict,
        threads,
        quiet,
        check_invariants,
    } = args;
    let all = validate::load_targets(&targets)?;
    let files = validation_files(file, &all, &scenarios);
    let threads = thread_count(threads)?;
    let opts = RunOptions {
        out_dir: {
            check_out_dir(&out)?;
            out
        },
        threads,
        force: false,
        selection: Selection::All,
        check_invariants,
        simulate: mode.simulate,
    };
    let mut checks = Vec::new();
    for f in &files {
        let s = scenario::load(f)?;
        let progress = make_bar(quiet);
        let got = report::results_for(&s, &opts, rerun, &progress);
        progress.bar.finish_and_clear();
        let (r, source) = got?;
        print_source(&s.name, &r.dir, source);
        let c = validate::check(&r, &all);
        if c.is_empty() {
            errln!(
                "{}: no targets in {} name this scenario",
                s.name,
                targets.display()
            );
        }
        crate::output::write_file_atomic(
            &r.dir.join("validation.csv"),
            validate::csv(&c).as_bytes(),
        )?;
        checks.extend(c);
    }
    outp!("{}", validate::table(&checks));
    let (pass, fail, na) = validate::counts(&checks);
    outln!(
        "{pass} passed, {fail} failed, {na} not checked (of {})",
        checks.len()
    );
    Ok(if strict && (fail > 0 || na > 0) { 1 } else { 0 })
}
