//! Nothing lost: a sweep killed with SIGKILL keeps its complete runs, never passes a
//! half-written run off as complete, and resumes to results byte-identical to an
//! uninterrupted sweep; a read-only or full directory gives a clear error and leaves
//! nothing half-written.

use crate::plan::{REPS, TINY, assert_same_results, merge, single};
use crate::{root, sociaal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The run directories under a scenario's results: (complete ones, hidden temporaries).
fn runs_on_disk(base: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut complete, mut temp) = (Vec::new(), Vec::new());
    for v in ["reference", "high-fertility"] {
        let Ok(rd) = std::fs::read_dir(base.join(v)) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                temp.push(p);
            } else if p.join("manifest.json").is_file() {
                complete.push(p);
            }
        }
    }
    (complete, temp)
}

#[test]
fn a_sweep_killed_mid_way_resumes_to_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let base = dir.path().join("tiny");
    let args = [
        "run",
        TINY,
        "--out",
        &out,
        "--reps",
        REPS,
        "--threads",
        "1",
        "--quiet",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_sociaal"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill (SIGKILL) while a run is being written if caught, else after the second run.
    let t0 = Instant::now();
    let mid_write = loop {
        let (complete, temp) = runs_on_disk(&base);
        if !complete.is_empty() && !temp.is_empty() {
            break true;
        }
        if complete.len() >= 2 {
            break false;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep ended before it could be killed"
        );
        assert!(t0.elapsed() < Duration::from_secs(300), "no run completed");
        std::thread::sleep(Duration::from_millis(1));
    };
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished");
    let (complete, temp) = runs_on_disk(&base);
    eprintln!(
        "killed {} a run was being written: {} complete run(s), {} temporary dir(s) left",
        if mid_write { "while" } else { "after" },
        complete.len(),
        temp.len()
    );
    assert!(
        !complete.is_empty() && complete.len() < 6,
        "{} complete",
        complete.len()
    );
    assert!(
        !base.join("summary.csv").exists(),
        "no summary before all runs"
    );
    // Earlier complete runs are intact: byte for byte what the uninterrupted sweep wrote.
    for run in &complete {
        let rel = run.strip_prefix(&base).unwrap();
        for f in ["national.csv", "gemeenten.csv", "cohorts.csv", "yearly.csv"] {
            assert!(
                std::fs::read(run.join(f)).unwrap()
                    == std::fs::read(single().join(rel).join(f)).unwrap(),
                "{}/{f} differs after the kill",
                rel.display()
            );
        }
    }
    // A half-written run is not taken for complete: merge names what is missing.
    let m = merge(&base);
    assert_eq!(
        m.status.code(),
        Some(2),
        "merge of a killed sweep must refuse"
    );
    let err = String::from_utf8_lossy(&m.stderr);
    assert!(
        err.contains("missing") || err.contains("incomplete"),
        "{err}"
    );
    // Resume: the same command skips the complete runs and redoes the rest.
    let o = sociaal(&args[..args.len() - 1]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let want = format!(
        "skipped {} complete run(s) already on disk; ran {} of 6",
        complete.len(),
        6 - complete.len()
    );
    assert!(stdout.contains(&want), "{stdout}");
    let (complete, temp) = runs_on_disk(&base);
    assert_eq!(
        (complete.len(), temp.len()),
        (6, 0),
        "temporaries cleaned up"
    );
    assert_same_results(single(), &base);
}

/// Runs `script` in a private mount namespace (`unshare`), where a small tmpfs can be
/// mounted read-only or full. None when this machine does not allow it.
fn in_mount_namespace(script: &str) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("SOCIAAL_REQUIRE_MOUNT").is_none(),
            "SOCIAAL_REQUIRE_MOUNT is set but `unshare -rm` with a tmpfs mount fails here"
        );
        eprintln!("skipped: `unshare -rm` cannot mount a tmpfs on this machine");
        return None;
    }
    let o = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("SOCIAAL", env!("CARGO_BIN_EXE_sociaal"))
        .current_dir(root())
        .output()
        .unwrap();
    Some(o)
}

#[test]
fn a_read_only_or_full_directory_gives_a_clear_error_and_no_half_written_run() {
    // Read-only: nothing can be created.
    let script = r#"
        d=$(mktemp -d) && mount -t tmpfs -o size=1m,ro tmpfs "$d" || exit 99
        "$SOCIAAL" run tests/data/tiny.toml --out "$d" --quiet --reps 1
        echo "exit=$?" >&2
        find "$d" -mindepth 1 | wc -l >&2
    "#;
    let Some(o) = in_mount_namespace(script) else {
        return;
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("exit=1\n"), "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(
        err.contains("help: the directory cannot be written"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("\n0"), "nothing written: {err}");

    // Full (a run writes about 260 kB): room for the first run but not for all four;
    // complete runs stay, nothing half-written is left, and a rerun with room finishes the
    // sweep.
    let script = r#"
        d=$(mktemp -d) && mount -t tmpfs -o size=400k tmpfs "$d" || exit 99
        "$SOCIAAL" run tests/data/tiny.toml --out "$d" --quiet --reps 2 --threads 1
        echo "exit=$?" >&2
        echo "complete=$(ls "$d"/tiny/*/*/manifest.json 2>/dev/null | wc -l)" >&2
        echo "hidden=$(find "$d" -name '.*' ! -name '.tiny.lock' | wc -l)" >&2
        echo "summary=$(ls "$d"/tiny/summary.csv 2>/dev/null | wc -l)" >&2
        mount -o remount,size=64m "$d"
        "$SOCIAAL" run tests/data/tiny.toml --out "$d" --reps 2 --threads 1 >&2
        echo "rerun=$?" >&2
    "#;
    let o = in_mount_namespace(script).unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("exit=1\n"), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("help: the disk is full"), "{err}");
    assert!(err.contains("hidden=0\n"), "no temporaries left: {err}");
    assert!(err.contains("summary=0\n"), "{err}");
    let complete: usize = err
        .lines()
        .find_map(|l| l.strip_prefix("complete="))
        .unwrap()
        .parse()
        .unwrap();
    assert!(complete < 4, "{err}");
    assert!(
        err.contains(&format!(
            "skipped {complete} complete run(s) already on disk"
        )),
        "{err}"
    );
    assert!(err.contains("rerun=0\n"), "{err}");
    eprintln!("{err}");
}
