//! Integration tests: one binary (links once). Each module runs real small scenarios.

// Tests may say what they skipped or saw (the library may not; see Cargo.toml).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bad_scenarios;
mod cli;
mod conservation;
mod crn;
mod design;
mod determinism;
mod fuzz;
mod gemeenten;
mod geography_data;
mod hardening;
mod hostile;
mod jeugd;
mod mechanisms;
mod participatie;
mod plan;
mod report;
mod scales;
mod shipped;
mod variants;
mod wmo;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `sociaal` binary with `args` in the repository root.
pub fn sociaal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sociaal"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run sociaal")
}

/// Loads a scenario relative to the repository root.
pub fn load(rel: &str) -> sociaal::scenario::Scenario {
    sociaal::scenario::load(&root().join(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads a file to a string.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `sociaal run FILE --out OUT --quiet EXTRA...` and asserts it succeeded.
pub fn run_ok(file: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", file, "--out", out.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    let o = sociaal(&args);
    assert!(
        o.status.success(),
        "sociaal {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Simulates replication 0 of every variant of a scenario in memory, by name.
pub fn run_variants(rel: &str) -> Vec<(String, sociaal::run::RunOutput)> {
    let s = load(rel);
    let runs = sociaal::run::simulate_variants(&s, 0);
    s.variants
        .iter()
        .map(|v| v.name.clone())
        .zip(runs)
        .collect()
}

/// The run of the variant called `name`.
pub fn variant<'a>(
    runs: &'a [(String, sociaal::run::RunOutput)],
    name: &str,
) -> &'a sociaal::run::RunOutput {
    &runs
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
        .1
}
