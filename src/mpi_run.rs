//! `mpirun -np N sociaal run FILE` (only with the cargo feature `mpi`): the ranks share one
//! scenario's plan. Rank 0 prepares the results directory (checks, `--force`, `plan.json`);
//! rank `r` does the runs with `index % N == r` (shard r/N), each written to its own
//! directory as in any run; when every rank has finished without error, rank 0 merges. The
//! results are those of a single-process run, byte for byte: the runs are the same and the
//! summary files come from [`crate::merge::merge`] either way.

use crate::error::Error;
use crate::plan::Selection;
use crate::run::{self, Prepared, Progress, RunOptions, RunReport};
use crate::scenario::{InputError, Scenario};
use mpi::collective::SystemOperation;
use mpi::traits::*;
use std::time::Instant;

/// Whether this process was started by an MPI launcher (`mpirun`, `mpiexec`, `srun` with
/// PMI): then `sociaal run` runs as one rank of many.
pub fn launched_by_mpi() -> bool {
    ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"]
        .iter()
        .any(|v| std::env::var_os(v).is_some())
}

/// What rank 0 reports.
#[derive(Clone, Debug)]
pub struct MpiReport {
    /// Number of ranks.
    pub ranks: usize,
    /// Rank 0's own runs, the merge, and the wall time of the whole command.
    pub run: RunReport,
    /// Runs simulated by all ranks.
    pub runs: u64,
    /// Complete runs skipped by all ranks.
    pub skipped: u64,
}

/// How one rank ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Rank 0: everything was run and merged.
    Leader(MpiReport),
    /// Another rank: its part is done (exit code 0), or another rank failed and reported it
    /// (the exit code to end with, silently).
    Follower {
        /// 0 when all went well.
        exit_code: i32,
    },
}

/// Runs `scenario` as one rank of an MPI job (see the module documentation). MPI is
/// finalised before this returns.
pub fn execute(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<Outcome, Error> {
    if !opts.selection.is_all() {
        return Err(InputError::new(
            "<command line>".as_ref(),
            "no --run-index or --shard under mpirun: the ranks share the whole plan",
        )
        .key(match opts.selection {
            Selection::Index(_) => "--run-index",
            _ => "--shard",
        })
        .into());
    }
    let t0 = Instant::now();
    let universe = mpi::initialize().ok_or_else(|| {
        Error::Results("MPI could not be initialised (was it initialised twice?)".into())
    })?;
    let world = universe.world();
    let (rank, size) = (world.rank(), world.size());
    let root = world.process_at_rank(0);

    // Rank 0 checks and prepares the directory; the others wait for its verdict.
    let mut status: i32 = 0;
    let mut own_error = None;
    if rank == 0
        && let Err(e) = run::prepare(scenario, opts)
    {
        status = e.exit_code();
        own_error = Some(e);
    }
    root.broadcast_into(&mut status);
    if status != 0 {
        return match own_error {
            Some(e) => Err(e),
            None => Ok(Outcome::Follower { exit_code: status }),
        };
    }

    // Every rank does its shard.
    let shard = RunOptions {
        selection: Selection::Shard {
            shard: rank as usize,
            of: size as usize,
        },
        ..opts.clone()
    };
    let done = Prepared::new(scenario, &shard).and_then(|p| {
        let idx = p.selected.clone();
        run::run_runs(scenario, &p, &idx, &shard, progress).map(|t| (p, t))
    });
    let (local_status, local_ran, local_skipped) = match &done {
        Ok((_, t)) => (0i32, t.ran, t.skipped),
        Err(e) => (e.exit_code(), 0, 0),
    };
    let (mut global_status, mut ran, mut skipped) = (0i32, 0u64, 0u64);
    world.all_reduce_into(&local_status, &mut global_status, SystemOperation::max());
    world.all_reduce_into(&local_ran, &mut ran, SystemOperation::sum());
    world.all_reduce_into(&local_skipped, &mut skipped, SystemOperation::sum());
    // A rank that failed reports its own error (after the collective calls above).
    let (prepared, totals) = done?;
    if rank != 0 {
        return Ok(Outcome::Follower {
            exit_code: global_status,
        });
    }
    if global_status != 0 {
        return Err(Error::Results(format!(
            "another MPI rank failed (it printed why); {} not merged. Runs that finished are kept: run the same command again to do the rest",
            prepared.dir.display()
        )));
    }
    crate::merge::merge(&prepared.dir)?;
    drop(universe);
    Ok(Outcome::Leader(MpiReport {
        ranks: size as usize,
        run: RunReport {
            dir: prepared.dir,
            planned: prepared.plan.len() as u64,
            runs: totals.ran,
            skipped: totals.skipped,
            merged: true,
            wall_seconds: t0.elapsed().as_secs_f64(),
            agent_months: totals.stats.agent_months,
            timer: totals.stats.timer,
            peak_rss_bytes: crate::sysinfo::peak_rss_bytes(),
        },
        runs: ran,
        skipped,
    }))
}
