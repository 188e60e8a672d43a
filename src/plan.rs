//! The run plan: the list of runs a scenario expands to, and which of them one process does.
//!
//! Run `i` is replication `i % reps` of variant `i / reps` (variants in file order,
//! replications inside). Replication `k` of every variant uses seed `seed + k` (common random
//! numbers). Each run writes only its own directory, `<out>/<scenario>/<variant>/rep-<k>/`,
//! so runs can be done by separate processes (a Slurm job array, MPI ranks) in any order and
//! merged afterwards ([`crate::merge`]).

use crate::scenario::{InputError, Scenario};
use std::fmt;
use std::path::{Path, PathBuf};

/// One run of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRun {
    /// Position in the plan (0-based): `variant * replications + replication`.
    pub index: usize,
    /// Variant index (file order).
    pub variant: usize,
    /// Variant name.
    pub variant_name: String,
    /// Replication (0-based).
    pub replication: u32,
    /// The run's seed: the scenario's seed plus the replication.
    pub seed: u64,
    /// The run's directory.
    pub dir: PathBuf,
}

impl fmt::Display for PlannedRun {
    /// `index<TAB>variant<TAB>replication<TAB>seed<TAB>directory`, as `sociaal plan` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\t{}\t{}\t{}\t{}",
            self.index,
            self.variant_name,
            self.replication,
            self.seed,
            self.dir.display()
        )
    }
}

/// The directory of replication `rep` of the variant called `variant` under a scenario's
/// results directory.
pub fn run_dir(scenario_dir: &Path, variant: &str, rep: u32) -> PathBuf {
    scenario_dir.join(variant).join(format!("rep-{rep}"))
}

/// Every run of `scenario` whose results go under `out_dir/<scenario name>`, in plan order.
pub fn plan(scenario: &Scenario, out_dir: &Path) -> Vec<PlannedRun> {
    let base = out_dir.join(&scenario.name);
    let reps = scenario.replications;
    let mut runs = Vec::with_capacity(scenario.variants.len() * reps as usize);
    for (vi, v) in scenario.variants.iter().enumerate() {
        for rep in 0..reps {
            runs.push(PlannedRun {
                index: runs.len(),
                variant: vi,
                variant_name: v.name.clone(),
                replication: rep,
                seed: scenario.seed.wrapping_add(u64::from(rep)),
                dir: run_dir(&base, &v.name, rep),
            });
        }
    }
    runs
}

/// Which runs of a plan one process does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    /// Every run; the summary files are merged at the end.
    #[default]
    All,
    /// One run (`--run-index I`).
    Index(usize),
    /// Every `of`-th run starting at `shard` (`--shard K/N`): the runs with
    /// `index % of == shard`.
    Shard {
        /// K, 0-based, below `of`.
        shard: usize,
        /// N, at least 1.
        of: usize,
    },
}

impl Selection {
    /// Whether this selection is the whole plan.
    pub fn is_all(&self) -> bool {
        matches!(self, Selection::All)
    }

    /// The selected plan indices for a plan of `n` runs, ascending. An index beyond the plan
    /// or an invalid shard is an input error that names the number of runs.
    pub fn indices(&self, n: usize) -> Result<Vec<usize>, InputError> {
        let cli = Path::new("<command line>");
        match *self {
            Selection::All => Ok((0..n).collect()),
            Selection::Index(i) if i < n => Ok(vec![i]),
            Selection::Index(i) => Err(InputError::new(
                cli,
                format!(
                    "a run index from 0 to {} (the plan has {n} run(s))",
                    n.saturating_sub(1)
                ),
            )
            .key("--run-index")
            .found(i.to_string())
            .help("`sociaal plan FILE` lists the runs, one per line")),
            Selection::Shard { shard, of } if of >= 1 && shard < of => {
                Ok((shard..n).step_by(of).collect())
            }
            Selection::Shard { shard, of } => Err(InputError::new(
                cli,
                "K/N with N >= 1 and 0 <= K < N (shard K of N, counting from 0)",
            )
            .key("--shard")
            .found(format!("{shard}/{of}"))),
        }
    }
}

/// Parses `K/N` for `--shard` (checking `N >= 1` and `K < N`).
pub fn parse_shard(s: &str) -> Result<Selection, String> {
    let bad = || {
        format!(
            "expected K/N with whole numbers N >= 1 and 0 <= K < N (shard K of N, counting from 0), found `{s}`"
        )
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let k: usize = k.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok(Selection::Shard { shard: k, of: n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_plan() {
        let n = 7;
        let mut all: Vec<usize> = (0..3)
            .flat_map(|k| Selection::Shard { shard: k, of: 3 }.indices(n).unwrap())
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..n).collect::<Vec<_>>());
        assert_eq!(
            Selection::Shard { shard: 1, of: 3 }.indices(n).unwrap(),
            vec![1, 4]
        );
        // More shards than runs: some shards are empty, which is fine.
        assert!(
            Selection::Shard { shard: 5, of: 8 }
                .indices(4)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bad_selections_are_input_errors() {
        let e = Selection::Index(4).indices(4).unwrap_err().to_string();
        assert!(e.contains("4 run(s)") && e.contains("--run-index"), "{e}");
        assert!(
            Selection::Shard { shard: 2, of: 2 }
                .indices(4)
                .unwrap_err()
                .to_string()
                .contains("--shard")
        );
        assert_eq!(parse_shard("1/4"), Ok(Selection::Shard { shard: 1, of: 4 }));
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
