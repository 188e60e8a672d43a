#!/usr/bin/env bash
# Runs one fuzz target with a seed corpus made from the project's own files.
#   fuzz/run.sh TARGET [libFuzzer options...]     TARGET: scenario | geography | cli
# e.g. fuzz/run.sh scenario -runs=1000000    or    fuzz/run.sh geography -max_total_time=60
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`); see
# fuzz/README.md. A crash leaves its input in fuzz/artifacts/TARGET/ and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
target="$1"
shift

# Absolute: the cli target works in a sandbox directory of its own.
corpus="$PWD/fuzz/corpus/$target"
mkdir -p "$corpus"
case "$target" in
  scenario)
    # Valid scenarios (shipped, test data, the workspace base) and the bad-scenario
    # catalogue: libFuzzer mutates both into near-valid files.
    cp scenarios/*.toml tests/data/*.toml tests/bad_scenarios/*.toml fuzz/workspace/base.toml \
      "$corpus"/ 2>/dev/null || true
    # A dictionary of the keys, tables and literals of reference.toml.
    dict="$PWD/fuzz/corpus/scenario.dict"
    {
      grep -oE '^[a-z_]+' scenarios/reference.toml
      grep -oE '^\[\[?[a-z_.]+\]\]?' scenarios/reference.toml
      printf '%s\n' extends name seed replications scale start end variant description \
        file '[[variant]]' '"2015-01"' '"2030-12"' true false '{' '}' '[' ']' '=' '"' "'''" '"""'
    } | sort -u | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' > "$dict"
    set -- -dict="$dict" "$@"
    ;;
  geography)
    cp tests/data/*.csv tests/bad_scenarios/*.csv fuzz/workspace/gemeenten.csv "$corpus"/
    ;;
  cli)
    # One command line per seed, one argument per line.
    i=0
    grep -v '^#' fuzz/cli-seeds.txt | while read -r line; do
      i=$((i + 1))
      printf '%s' "$line" | tr ' ' '\n' > "$corpus/seed-$i"
    done
    # A dictionary of subcommands, options, the sandbox's files and hostile values; each
    # entry also as a whole argument (with the line break that ends one).
    dict="$PWD/fuzz/corpus/cli.dict"
    {
      printf '%s\n' run plan merge check indicators compare report trends validate \
        --out --scale --seed --reps --threads --quiet --force --timings --run-index --shard \
        --check-invariants --markdown --against --indicators --years --csv --format --outdir \
        --targets --scenarios --rerun --strict --help --version \
        base.toml gemeenten.csv scenarios scenarios/baseline.toml validation/targets.toml \
        results results/fuzz-base results/fuzz-base/rep-0 reference high-fertility \
        summary.csv yearly.csv plan.json scenario.json manifest.json compare.csv report.html \
        png svg /dev/null /dev/full /dev/zero 0 1 2 -1 1e-9 1e-320 0.5 nan inf 18446744073709551615 \
        2015 2016 2015-2016 2016-2015 0-4294967295 0/2 1/2 2/2 population wmo_waiting
      grep -oE '^    [A-Za-z0-9]+: "[a-z0-9_]+"' src/model/indicators.rs | cut -d'"' -f2
    } | sort -u | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{print "\"" $0 "\""; print "\"" $0 "\\x0a\""}' > "$dict"
    set -- -dict="$dict" "$@"
    ;;
  *)
    echo "unknown target '$target' (scenario, geography or cli)" >&2
    exit 2
    ;;
esac
cp fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true

# The cli target's sandbox (sociaal::fuzzing::CliWorkspace) goes under fuzz/sandbox/.
rm -rf fuzz/sandbox
mkdir -p fuzz/sandbox
export TMPDIR="$PWD/fuzz/sandbox"

# No sanitizer (the project has no unsafe code; panics, overflows with debug assertions on,
# hangs and memory blow-ups are what is looked for), which is several times faster.
exec cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "$corpus" -- \
  -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -print_final_stats=1 "$@"
