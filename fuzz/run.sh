#!/usr/bin/env bash
# Runs one fuzz target with a seed corpus made from the project's own files.
#   fuzz/run.sh TARGET [libFuzzer options...]     TARGET: scenario | geography
# e.g. fuzz/run.sh scenario -runs=1000000    or    fuzz/run.sh geography -max_total_time=60
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`); see
# fuzz/README.md. A crash leaves its input in fuzz/artifacts/TARGET/ and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
target="$1"
shift

corpus="fuzz/corpus/$target"
mkdir -p "$corpus"
case "$target" in
  scenario)
    # Valid scenarios (shipped, test data, the workspace base) and the bad-scenario
    # catalogue: libFuzzer mutates both into near-valid files.
    cp scenarios/*.toml tests/data/*.toml tests/bad_scenarios/*.toml fuzz/workspace/base.toml \
      "$corpus"/ 2>/dev/null || true
    # A dictionary of the keys, tables and literals of reference.toml.
    dict="fuzz/corpus/scenario.dict"
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
  *)
    echo "unknown target '$target' (scenario or geography)" >&2
    exit 2
    ;;
esac
cp fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true

# No sanitizer (the project has no unsafe code; panics, overflows with debug assertions on,
# hangs and memory blow-ups are what is looked for), which is several times faster.
exec cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "$corpus" -- \
  -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -print_final_stats=1 "$@"
