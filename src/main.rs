//! The `sociaal` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sociaal::Error;
use sociaal::model::indicators::{INDICATORS, Kind};
use sociaal::run::{self, Progress, RunOptions};
use sociaal::scenario::{self, Overrides};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

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

#[derive(Subcommand)]
enum Command {
    /// Run a scenario file: every variant times every replication.
    Run {
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
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress bar and no summary lines.
        #[arg(long)]
        quiet: bool,
        /// Replace existing results for this scenario.
        #[arg(long)]
        force: bool,
        /// Print wall time per phase at the end (always stored in manifest.json).
        #[arg(long)]
        timings: bool,
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

fn main() {
    let cli = Cli::parse();
    let code = match execute(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}

#[allow(clippy::result_large_err)] // One error per process run; see lib.rs.
fn execute(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run {
            file,
            out,
            scale,
            seed,
            reps,
            threads,
            quiet,
            force,
            timings,
        } => {
            let mut s = scenario::load(&file)?;
            s.apply(Overrides {
                scale,
                seed,
                replications: reps,
            })?;
            let threads = match threads {
                Some(0) => {
                    return Err(scenario::InputError::new(
                        "<command line>".as_ref(),
                        "at least 1 thread",
                    )
                    .key("--threads")
                    .found("0")
                    .into());
                }
                Some(t) => t,
                None => std::thread::available_parallelism().map_or(1, |n| n.get()),
            };
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
            let progress = Bar {
                bar,
                runs: AtomicU64::new(0),
                total_runs: AtomicU64::new(0),
            };
            let opts = RunOptions {
                out_dir: out,
                threads,
                force,
            };
            let report = run::execute(&s, &opts, &progress);
            progress.bar.finish_and_clear();
            let report = report?;
            if !quiet {
                println!(
                    "{}: {} variant(s) x {} replication(s), {} months at scale {} -> {}",
                    s.name,
                    s.variants.len(),
                    s.replications,
                    s.n_months(),
                    s.scale,
                    report.dir.display()
                );
                println!(
                    "wall {:.2} s, {:.3e} citizen-months/s on {} thread(s), peak memory {}",
                    report.wall_seconds,
                    report.citizen_months_per_second(),
                    threads,
                    report.peak_rss_bytes.map_or("unknown".into(), |b| format!(
                        "{:.1} MiB",
                        b as f64 / 1048576.0
                    ))
                );
            }
            if timings {
                println!("phase          seconds   share");
                let total: f64 = report.timer.seconds().iter().map(|(_, s)| s).sum();
                for (p, secs) in report.timer.seconds() {
                    println!(
                        "{p:<12} {secs:>9.3} {:>6.1}%",
                        100.0 * secs / total.max(1e-12)
                    );
                }
            }
            Ok(())
        }
        Command::Check { file } => {
            let s = scenario::load(&file)?;
            println!(
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
            Ok(())
        }
        Command::Indicators { markdown } => {
            let kind = |k: Kind| match k {
                Kind::Stock => "stock",
                Kind::Flow => "flow",
                Kind::Ratio => "ratio",
            };
            if markdown {
                print!("{}", sociaal::model::indicators::markdown());
            } else {
                for i in INDICATORS {
                    println!(
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
    }
}
