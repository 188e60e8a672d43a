#!/usr/bin/env bash
# Checks that `mpirun -np N sociaal run` gives the same summary files, byte for byte, as a
# single-process run of the same binary, for each N given (default: 2), and that a second
# mpirun resumes (skips every complete run). Needs a binary built with `--features mpi` and
# Open MPI's mpirun.
#
#   tests/mpi_check.sh [N ...]        SOCIAAL=path/to/sociaal overrides the binary
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SOCIAAL:-${CARGO_TARGET_DIR:-target}/release/sociaal}
SCENARIO=tests/data/tiny.toml
# CI runs as root in a container; Open MPI refuses root unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$BIN" run "$SCENARIO" --out "$TMP/single" --threads 2 --quiet
for np in "${@:-2}"; do
  out="$TMP/np$np"
  start=$(date +%s.%N)
  mpirun --oversubscribe -np "$np" "$BIN" run "$SCENARIO" --out "$out" --threads 1
  end=$(date +%s.%N)
  for f in summary.csv yearly.csv cohorts_summary.csv gemeenten_summary.csv scenario.json; do
    cmp "$TMP/single/tiny/$f" "$out/tiny/$f"
  done
  for run in "$TMP"/single/tiny/*/rep-*; do
    rel=${run#"$TMP/single/tiny/"}
    for f in national.csv gemeenten.csv cohorts.csv yearly.csv; do
      cmp "$run/$f" "$out/tiny/$rel/$f"
    done
  done
  again=$(mpirun --oversubscribe -np "$np" "$BIN" run "$SCENARIO" --out "$out" --threads 1)
  case "$again" in
    *"skipped 4 complete run(s)"*) ;;
    *) echo "mpirun -np $np again did not skip the complete runs: $again" >&2; exit 1 ;;
  esac
  printf 'mpirun -np %s: summary, yearly, cohorts_summary, gemeenten_summary, scenario.json and every run identical to the single-process run (%.1f s); a rerun skipped all runs\n' \
    "$np" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
done
# A sensitivity design under mpirun: the ranks share its runs, rank 0 writes the same screening
# as a single process.
DESIGN=(sensitivity tests/data/design_small.toml --params needs.onset_rate_65,needs.poverty_effect
  --indicators wmo_users@2016 --trajectories 2 --quiet)
"$BIN" "${DESIGN[@]}" --out "$TMP/design-single" --threads 2
mpirun --oversubscribe -np 2 "$BIN" "${DESIGN[@]}" --out "$TMP/design-mpi" --threads 1
cmp "$TMP/design-single/design-small-sensitivity/sensitivity.csv" \
  "$TMP/design-mpi/design-small-sensitivity/sensitivity.csv"
echo "mpirun -np 2 sensitivity: the same sensitivity.csv as a single process"
echo "mpi check: ok"
