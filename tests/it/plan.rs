//! Sweeps beyond one process: the run plan, one run or one shard per process, merging, and
//! resuming. What a Slurm job array does (one `--run-index` per task, then `merge`), done
//! here with child processes: the merged summary files must be byte-identical to a single
//! `sociaal run`.

use crate::{read, root, run_ok, sociaal};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

pub const TINY: &str = "tests/data/tiny.toml";
/// 2 variants x 3 replications = 6 runs.
pub const REPS: &str = "3";
/// The files that need every run, and the per-run files, compared byte for byte.
const MERGED: [&str; 5] = [
    "summary.csv",
    "yearly.csv",
    "cohorts_summary.csv",
    "gemeenten_summary.csv",
    "scenario.json",
];
const PER_RUN: [&str; 4] = ["national.csv", "gemeenten.csv", "cohorts.csv", "yearly.csv"];

/// One single-process run of the tiny scenario with 3 replications, shared by the tests of
/// this module (made once per test process).
pub fn single() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plan-single");
        let _ = std::fs::remove_dir_all(&out);
        run_ok(TINY, &out, &["--reps", REPS, "--threads", "2"]);
        out.join("tiny")
    })
}

/// Starts `sociaal ARGS` as a child process (one thread, output captured).
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sociaal"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sociaal")
}

fn wait_ok(children: Vec<Child>) {
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "a child failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Asserts that the scenario directories `a` and `b` hold the same merged and per-run files.
pub fn assert_same_results(a: &Path, b: &Path) {
    for f in MERGED {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs from the single run"
        );
    }
    for v in ["reference", "high-fertility"] {
        for rep in 0..3 {
            for f in PER_RUN {
                let rel = format!("{v}/rep-{rep}/{f}");
                assert!(
                    read(&a.join(&rel)) == read(&b.join(&rel)),
                    "{rel} differs from the single run"
                );
            }
        }
    }
}

pub fn merge(dir: &Path) -> std::process::Output {
    sociaal(&["merge", dir.to_str().unwrap()])
}

#[test]
fn plan_lists_every_run_in_index_order_and_is_stable() {
    let args = ["plan", TINY, "--out", "somewhere", "--reps", REPS];
    let a = sociaal(&args);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, sociaal(&args).stdout, "stable across calls");
    let text = String::from_utf8(a.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines[0],
        "0\treference\t0\t20150101\tsomewhere/tiny/reference/rep-0"
    );
    assert_eq!(
        lines[5],
        "5\thigh-fertility\t2\t20150103\tsomewhere/tiny/high-fertility/rep-2"
    );
    // The overrides of `run` change the plan as they change the run.
    let o = sociaal(&["plan", TINY, "--seed", "7"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("0\treference\t0\t7\tresults/tiny/"));
    // Bad selections are clear input errors (exit 2) that name the number of runs.
    let o = sociaal(&[
        "run",
        TINY,
        "--run-index",
        "6",
        "--reps",
        REPS,
        "--out",
        "nowhere",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--run-index") && e.contains("6 run(s)"), "{e}");
    assert!(!root().join("nowhere").exists(), "nothing written");
    for bad in ["3/3", "1/0", "a/b"] {
        let o = sociaal(&["run", TINY, "--shard", bad, "--out", "nowhere"]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("K/N"));
    }
}

#[test]
fn one_process_per_run_index_in_any_order_then_merge_equals_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // As a job array would: shuffled, two or three at a time.
    for group in [&[4usize, 1][..], &[5, 0, 3], &[2]] {
        let children = group
            .iter()
            .map(|i| {
                let i = i.to_string();
                spawn(&[
                    "run",
                    TINY,
                    "--out",
                    out,
                    "--reps",
                    REPS,
                    "--run-index",
                    &i,
                    "--threads",
                    "1",
                    "--quiet",
                ])
            })
            .collect();
        wait_ok(children);
    }
    let base = dir.path().join("tiny");
    assert!(
        !base.join("summary.csv").exists(),
        "runs alone do not merge"
    );
    let o = merge(&base);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("merged 6 run(s) of 2 variant(s)"));
    assert_same_results(single(), &base);
}

#[test]
fn shards_over_processes_then_merge_equal_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let children = ["2/4", "0/4", "3/4", "1/4"]
        .iter()
        .map(|s| {
            spawn(&[
                "run",
                TINY,
                "--out",
                out,
                "--reps",
                REPS,
                "--shard",
                s,
                "--threads",
                "1",
            ])
        })
        .collect();
    wait_ok(children);
    let base = dir.path().join("tiny");
    let o = merge(&base);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same_results(single(), &base);
}

#[test]
fn merge_names_missing_runs_and_refuses_runs_of_another_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("tiny");
    run_ok(TINY, dir.path(), &["--run-index", "2"]);
    let o = merge(&base);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("3 of 4 run(s) missing")
            && e.contains("0 (reference/rep-0)")
            && e.contains("1 (reference/rep-1)")
            && e.contains("3 (high-fertility/rep-1)")
            && !e.contains("2 (high-fertility/rep-0)"),
        "{e}"
    );
    assert!(!base.join("summary.csv").exists());
    // A run of another scenario (here: another seed) is refused, and names the --force way.
    let o = sociaal(&[
        "run",
        TINY,
        "--out",
        dir.path().to_str().unwrap(),
        "--seed",
        "7",
        "--run-index",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("another version of the scenario") && e.contains("--force"),
        "{e}"
    );
    assert!(!base.join("reference/rep-1").exists(), "nothing written");
    // Forced in, it is there, and merge refuses to mix the two.
    run_ok(
        TINY,
        dir.path(),
        &["--seed", "7", "--run-index", "1", "--force"],
    );
    let o = merge(&base);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("refusing to merge")
            && e.contains("2 (high-fertility/rep-0): made from another version of the scenario"),
        "{e}"
    );
    assert!(!base.join("summary.csv").exists());
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_rerun_skips_complete_runs_and_redoes_an_interrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("tiny");
    copy_dir(single(), &base);
    // A process killed while writing run 4 (high-fertility/rep-1) leaves its temporary
    // directory; one killed after a run was in place but before the merge leaves no summary.
    // A run without manifest.json is incomplete.
    let hf = base.join("high-fertility");
    std::fs::remove_file(hf.join("rep-1/manifest.json")).unwrap();
    std::fs::create_dir(hf.join(".rep-1.tmp-99-1-0")).unwrap();
    std::fs::write(hf.join(".rep-1.tmp-99-1-0/national.csv"), "half").unwrap();
    std::fs::remove_file(base.join("summary.csv")).unwrap();
    let manifest0 = read(&base.join("reference/rep-0/manifest.json"));
    let rerun = || {
        let o = sociaal(&[
            "run",
            TINY,
            "--out",
            dir.path().to_str().unwrap(),
            "--reps",
            REPS,
            "--threads",
            "1",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let first = rerun();
    assert!(
        first.contains("skipped 5 complete run(s) already on disk; ran 1 of 6"),
        "{first}"
    );
    let second = rerun();
    assert!(
        second.contains("skipped 6 complete run(s)"),
        "a second rerun only merges: {second}"
    );
    assert_eq!(
        read(&base.join("reference/rep-0/manifest.json")),
        manifest0,
        "complete runs are not redone"
    );
    assert!(hf.join("rep-1/manifest.json").is_file(), "redone");
    assert_eq!(
        std::fs::read_dir(&hf).unwrap().count(),
        3,
        "the stale temporary directory is gone"
    );
    assert_same_results(single(), &base);
}

/// A stand-in for Slurm's `sbatch`: runs the job at once (an array's tasks in shuffled
/// order, each with `SLURM_ARRAY_TASK_ID`), sends the job's output to stderr, and prints a
/// job id as `--parsable` does.
const FAKE_SBATCH: &str = r#"#!/usr/bin/env bash
array=""; wrap=""
for a in "$@"; do
  case "$a" in --array=*) array=${a#--array=} ;; --wrap=*) wrap=${a#--wrap=} ;; esac
done
if [ -n "$array" ]; then
  for i in $(seq "${array%-*}" "${array#*-}" | shuf); do
    SLURM_ARRAY_TASK_ID=$i bash -c "$wrap" >&2 || exit 1
  done
else
  bash -c "$wrap" >&2 || exit 1
fi
echo $$
"#;

#[test]
fn the_slurm_example_submits_one_task_per_run_and_a_merge() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let sbatch = bin.join("sbatch");
    std::fs::write(&sbatch, FAKE_SBATCH).unwrap();
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("results");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .args(["examples/slurm/sweep.sh", TINY, "--reps", REPS])
        .current_dir(root())
        .env("PATH", path)
        .env("SOCIAAL", env!("CARGO_BIN_EXE_sociaal"))
        .env("OUT", &out)
        .env("CPUS", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("6 run(s)") && stdout.contains("tasks 0-5"),
        "{stdout}"
    );
    assert_same_results(single(), &out.join("tiny"));
}
