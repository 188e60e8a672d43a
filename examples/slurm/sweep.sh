#!/usr/bin/env bash
# Submits a scenario's runs as a Slurm job array (one run per array task), and a merge job
# that starts when every task has succeeded. See docs/slurm.md.
#
#   examples/slurm/sweep.sh scenarios/abonnementstarief.toml [run options, e.g. --reps 50]
#
# Environment: SOCIAAL (the binary, default target/release/sociaal), OUT (results directory,
# default results), CPUS (threads per run, default 4), and extra sbatch options in
# SBATCH_OPTS (e.g. "--partition=normal --time=02:00:00").
set -euo pipefail
FILE=${1:?usage: sweep.sh SCENARIO.toml [run options]}
shift
SOCIAAL=${SOCIAAL:-target/release/sociaal}
OUT=${OUT:-results}
CPUS=${CPUS:-4}
read -r -a EXTRA <<<"${SBATCH_OPTS:-}"

# The plan: one line per run (index, variant, replication, seed, directory). The same options
# must go to plan and run, or the indices mean other runs.
N=$("$SOCIAAL" plan "$FILE" --out "$OUT" "$@" | wc -l)
DIR=$(dirname "$("$SOCIAAL" plan "$FILE" --out "$OUT" "$@" | head -n 1 | cut -f 5)")
DIR=$(dirname "$DIR")   # results/<scenario>
echo "$FILE: $N run(s) -> $DIR"

# One array task per run. A task whose run is already complete skips it, so resubmitting
# the same array after failures or a time-out does only what is missing.
JOB=$(sbatch --parsable "${EXTRA[@]}" --job-name=sociaal-runs --array="0-$((N - 1))" \
  --cpus-per-task="$CPUS" --output="slurm-%A_%a.out" \
  --wrap="$SOCIAAL run '$FILE' --out '$OUT' $* --run-index \$SLURM_ARRAY_TASK_ID --threads $CPUS --quiet")
echo "runs: job array $JOB (tasks 0-$((N - 1)))"

# The merge: summary.csv, yearly.csv, cohorts_summary.csv and scenario.json from all runs.
MERGE=$(sbatch --parsable "${EXTRA[@]}" --job-name=sociaal-merge --dependency="afterok:$JOB" \
  --cpus-per-task=1 --output="slurm-%j-merge.out" \
  --wrap="$SOCIAAL merge '$DIR'")
echo "merge: job $MERGE (after every task of $JOB succeeded)"
