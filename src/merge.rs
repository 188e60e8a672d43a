//! Run directories on disk and merging them: what makes a run complete, which build and
//! scenario made it, and the scenario's summary files built from all runs.
//!
//! A scenario's results directory holds `plan.json` (the resolved scenario and its runs,
//! written before any run) and one directory per run, each written atomically with
//! `manifest.json` last. [`merge`] reads every run's exact yearly values (`yearly.csv`) and
//! cohort figures (`cohorts.csv`) and writes `summary.csv`, `yearly.csv`,
//! `cohorts_summary.csv` and `scenario.json`. `sociaal run` produces these files through the
//! same function, so a merge of runs made by separate processes is byte-identical to a
//! single-process run.

use crate::error::Error;
use crate::model::indicators::INDICATORS;
use crate::output::{self, CohortValues, YearlyValues};
use crate::plan::run_dir;
use std::path::{Path, PathBuf};

/// The files every complete run directory holds (`manifest.json` is written last).
pub const RUN_FILES: [&str; 5] = [
    "national.csv",
    "gemeenten.csv",
    "cohorts.csv",
    "yearly.csv",
    "manifest.json",
];

/// The files [`merge`] writes into the scenario directory.
pub const SUMMARY_FILES: [&str; 5] = [
    "summary.csv",
    "yearly.csv",
    "cohorts_summary.csv",
    "gemeenten_summary.csv",
    "scenario.json",
];

/// What results must agree on to be merged or resumed: the resolved scenario and the build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// [`crate::scenario::Scenario::hash`].
    pub scenario_hash: String,
    /// The crate version.
    pub crate_version: String,
    /// The git commit of the build.
    pub git_commit: String,
}

impl Identity {
    /// The identity of `scenario_hash` made by this build.
    pub fn current(scenario_hash: &str) -> Identity {
        Identity {
            scenario_hash: scenario_hash.to_string(),
            crate_version: crate::sysinfo::VERSION.to_string(),
            git_commit: crate::sysinfo::GIT_COMMIT.to_string(),
        }
    }

    /// Reads the identity fields of a JSON object (a manifest, `plan.json`, `scenario.json`).
    pub fn of_json(j: &serde_json::Value) -> Identity {
        let s = |k: &str| j.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        Identity {
            scenario_hash: s("scenario_hash"),
            crate_version: s("crate_version"),
            git_commit: s("git_commit"),
        }
    }

    /// How `self` (found on disk) differs from `want`, in words; `None` when equal.
    pub fn difference(&self, want: &Identity) -> Option<String> {
        if self.scenario_hash != want.scenario_hash {
            Some(format!(
                "from another version of the scenario (scenario hash {}, expected {})",
                or_none(&self.scenario_hash),
                want.scenario_hash
            ))
        } else if self.crate_version != want.crate_version || self.git_commit != want.git_commit {
            Some(format!(
                "by another build of sociaal (version {} commit {}, expected {} commit {})",
                or_none(&self.crate_version),
                or_none(&self.git_commit),
                want.crate_version,
                want.git_commit
            ))
        } else {
            None
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "none" } else { s }
}

/// The state of one run directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunState {
    /// No directory, or one without `manifest.json` (never finished).
    Missing,
    /// `manifest.json` is there but unreadable, or a file is missing.
    Incomplete(String),
    /// Complete, but made from another scenario or build than expected (the reason).
    Foreign(String),
    /// Complete and made from the expected scenario and build; the binary's hash.
    Complete {
        /// `binary_hash` from the manifest.
        binary_hash: String,
    },
}

/// Reads `manifest.json` of a run directory, where present and valid.
fn read_json(path: &Path) -> Option<serde_json::Value> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}

/// The state of the run directory `dir`, expected to be made from `want`. When
/// `binary_hash` is given, a run made by another executable counts as foreign.
pub fn run_state(dir: &Path, want: &Identity, binary_hash: Option<&str>) -> RunState {
    let manifest = dir.join("manifest.json");
    if !manifest.is_file() {
        return RunState::Missing;
    }
    let Some(m) = read_json(&manifest) else {
        return RunState::Incomplete("manifest.json is not valid JSON".into());
    };
    if let Some(why) = Identity::of_json(&m).difference(want) {
        return RunState::Foreign(why);
    }
    let hash = m
        .get("binary_hash")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    if let Some(b) = binary_hash
        && hash != b
    {
        return RunState::Foreign(format!(
            "by another executable (binary hash {}, this one {b})",
            or_none(&hash)
        ));
    }
    if let Some(f) = RUN_FILES.iter().find(|f| !dir.join(f).is_file()) {
        return RunState::Incomplete(format!("{f} is missing"));
    }
    // The years come from the run's own plan (start to end), never from another run: a
    // yearly.csv that lost years or indicators is incomplete, and a rerun redoes it.
    let (Some(first), Some(last)) = (year_of(&m, "start_month"), year_of(&m, "end_month")) else {
        return RunState::Incomplete("manifest.json lacks start_month or end_month".into());
    };
    match read_run_yearly(&dir.join("yearly.csv")) {
        Err(e) => return RunState::Incomplete(e.to_string()),
        Ok(v) => {
            if let Some(held) = years_short(v.iter().map(|(y, _)| *y), first, last) {
                return RunState::Incomplete(format!(
                    "yearly.csv holds {held} of the run's {first}-{last}"
                ));
            }
        }
    }
    RunState::Complete { binary_hash: hash }
}

/// The year of a `"YYYY-MM"` month under `key` of a JSON object (a manifest, scenario.json).
pub(crate) fn year_of(j: &serde_json::Value, key: &str) -> Option<u32> {
    j.get(key)
        .and_then(|v| v.as_str())
        .and_then(|s| s.get(..4))
        .and_then(|y| y.parse::<u32>().ok())
}

/// `None` when `years` (ascending) are exactly `first..=last`; otherwise what they hold
/// ("the years 2015-2024", "no years"), for a message about an incomplete file.
pub(crate) fn years_short(
    years: impl Iterator<Item = u32> + Clone,
    first: u32,
    last: u32,
) -> Option<String> {
    if years.clone().eq(first..=last) {
        return None;
    }
    let mut it = years;
    Some(match it.next() {
        Some(a) => format!("the years {a}-{}", it.last().unwrap_or(a)),
        None => "no years".to_string(),
    })
}

/// One run as `plan.json` lists it.
#[derive(Clone, Debug)]
struct PlanEntry {
    index: usize,
    variant: String,
    replication: u32,
}

/// `plan.json`: written into the scenario directory before any run.
pub fn plan_json(
    identity: &Identity,
    scenario: serde_json::Value,
    runs: &[crate::plan::PlannedRun],
) -> serde_json::Value {
    serde_json::json!({
        "scenario_hash": identity.scenario_hash,
        "crate_version": identity.crate_version,
        "git_commit": identity.git_commit,
        "scenario": scenario,
        "runs": runs.iter().map(|r| serde_json::json!({
            "index": r.index,
            "variant": r.variant_name,
            "replication": r.replication,
            "seed": r.seed,
        })).collect::<Vec<_>>(),
    })
}

/// What [`merge`] did.
#[derive(Clone, Debug)]
pub struct MergeReport {
    /// The scenario directory.
    pub dir: PathBuf,
    /// Runs merged.
    pub runs: usize,
    /// Variants.
    pub variants: usize,
}

fn results_err(msg: String) -> Error {
    Error::Results(msg)
}

/// Builds `summary.csv`, `yearly.csv`, `cohorts_summary.csv` and `scenario.json` in the
/// scenario directory `dir` from its run directories, each written atomically. Refuses
/// (listing them by plan index) when runs are missing or incomplete, or were made from
/// another scenario or build than `plan.json` says, or by different executables.
pub fn merge(dir: &Path) -> Result<MergeReport, Error> {
    let (plan, entries) = read_plan(dir)?;
    let binary_hash = check_runs(dir, &entries, &Identity::of_json(&plan))?;
    // Every run is there: read their exact values in plan order.
    let mut names: Vec<String> = Vec::new();
    let mut yearly: Vec<Vec<YearlyValues>> = Vec::new();
    let mut cohorts: Vec<Vec<CohortValues>> = Vec::new();
    let mut gemeenten: Vec<Vec<String>> = Vec::new();
    for e in &entries {
        if names.last() != Some(&e.variant) {
            names.push(e.variant.clone());
            yearly.push(Vec::new());
            cohorts.push(Vec::new());
            gemeenten.push(Vec::new());
        }
        let rd = run_dir(dir, &e.variant, e.replication);
        yearly
            .last_mut()
            .expect("pushed above")
            .push(read_run_yearly(&rd.join("yearly.csv"))?);
        cohorts
            .last_mut()
            .expect("pushed above")
            .push(read_run_cohorts(&rd.join("cohorts.csv"))?);
        let path = rd.join("gemeenten.csv");
        gemeenten
            .last_mut()
            .expect("pushed above")
            .push(std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?);
    }
    let gemeenten_summary = output::gemeenten_summary_csv(&names, &gemeenten).map_err(|(v, r)| {
        Error::Results(format!(
            "{}: the gemeenten of {}/rep-{r} differ from those of rep-0; every run of a scenario must have the same geography",
            dir.display(),
            names[v]
        ))
    })?;
    let mut scenario = plan
        .get("scenario")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    if let Some(o) = scenario.as_object_mut() {
        o.insert("binary_hash".into(), serde_json::Value::String(binary_hash));
    }
    output::write_file_atomic(
        &dir.join("summary.csv"),
        output::summary_csv(&names, &yearly).as_bytes(),
    )?;
    output::write_file_atomic(
        &dir.join("yearly.csv"),
        output::yearly_csv(&names, &yearly).as_bytes(),
    )?;
    output::write_file_atomic(
        &dir.join("cohorts_summary.csv"),
        output::cohorts_summary_csv(&names, &cohorts).as_bytes(),
    )?;
    output::write_file_atomic(
        &dir.join("gemeenten_summary.csv"),
        gemeenten_summary.as_bytes(),
    )?;
    output::write_file_atomic(
        &dir.join("scenario.json"),
        (serde_json::to_string_pretty(&scenario).unwrap_or_default() + "\n").as_bytes(),
    )?;
    Ok(MergeReport {
        dir: dir.to_path_buf(),
        runs: entries.len(),
        variants: names.len(),
    })
}

/// `plan.json` of the scenario directory `dir` and its runs, numbered from 0.
fn read_plan(dir: &Path) -> Result<(serde_json::Value, Vec<PlanEntry>), Error> {
    let plan_path = dir.join("plan.json");
    let plan = read_json(&plan_path).ok_or_else(|| {
        results_err(format!(
            "{}: missing or not valid JSON; expected a scenario's results directory made by `sociaal run` (results/<scenario>)",
            plan_path.display()
        ))
    })?;
    let entries: Vec<PlanEntry> = plan
        .get("runs")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .map(|r| PlanEntry {
                    index: r.get("index").and_then(|x| x.as_u64()).unwrap_or(0) as usize,
                    variant: r
                        .get("variant")
                        .and_then(|x| x.as_str())
                        .unwrap_or("")
                        .to_string(),
                    replication: r.get("replication").and_then(|x| x.as_u64()).unwrap_or(0) as u32,
                })
                .collect()
        })
        .unwrap_or_default();
    if entries.is_empty() || entries.iter().enumerate().any(|(i, e)| e.index != i) {
        return Err(results_err(format!(
            "{}: expected a list of runs numbered from 0",
            plan_path.display()
        )));
    }
    Ok((plan, entries))
}

/// Checks that every run of the plan is complete, made from the scenario and build `want`
/// by one executable; returns that executable's hash.
fn check_runs(dir: &Path, entries: &[PlanEntry], want: &Identity) -> Result<String, Error> {
    let label = |e: &PlanEntry| format!("{} ({}/rep-{})", e.index, e.variant, e.replication);
    let mut missing = Vec::new();
    let mut foreign = Vec::new();
    let mut binaries: Vec<(String, usize)> = Vec::new();
    for e in entries {
        match run_state(&run_dir(dir, &e.variant, e.replication), want, None) {
            RunState::Missing => missing.push(label(e)),
            RunState::Incomplete(why) => missing.push(format!("{} [{why}]", label(e))),
            RunState::Foreign(why) => foreign.push(format!("{}: made {why}", label(e))),
            RunState::Complete { binary_hash } => {
                if !binaries.iter().any(|(b, _)| *b == binary_hash) {
                    binaries.push((binary_hash, e.index));
                }
            }
        }
    }
    if !foreign.is_empty() {
        return Err(results_err(format!(
            "refusing to merge {}: {} run(s) were made from another scenario or build than plan.json says:\n  {}\n  help: run the scenario again with --force (replaces every run)",
            dir.display(),
            foreign.len(),
            foreign.join("\n  ")
        )));
    }
    if binaries.len() > 1 {
        return Err(results_err(format!(
            "refusing to merge {}: runs were made by {} different executables (binary hashes {}; first seen at run {})\n  help: run the scenario again with --force, with one build",
            dir.display(),
            binaries.len(),
            binaries
                .iter()
                .map(|(b, _)| or_none(b))
                .collect::<Vec<_>>()
                .join(", "),
            binaries
                .iter()
                .map(|(_, i)| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if !missing.is_empty() {
        return Err(results_err(format!(
            "cannot merge {}: {} of {} run(s) missing or incomplete: {}\n  help: run them (`sociaal run FILE --run-index I`, or `sociaal run FILE` to do every missing run) and merge again",
            dir.display(),
            missing.len(),
            entries.len(),
            missing.join(", ")
        )));
    }
    Ok(binaries
        .into_iter()
        .next()
        .map(|(b, _)| b)
        .unwrap_or_default())
}

fn bad_line(path: &Path, line: usize, what: &str) -> Error {
    results_err(format!("{}, line {line}: {what}", path.display()))
}

/// Reads a per-run CSV file and checks its header line; the caller reads from line 2.
fn read_with_header(path: &Path, header: &str) -> Result<String, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| results_err(format!("{}: cannot read ({e})", path.display())))?;
    if text.lines().next() != Some(header) {
        return Err(bad_line(path, 1, &format!("expected the header {header}")));
    }
    Ok(text)
}

/// Reads a run's `yearly.csv` (`year,indicator,value`, exact values) into yearly values in
/// the order of [`INDICATORS`].
pub fn read_run_yearly(path: &Path) -> Result<YearlyValues, Error> {
    let text = read_with_header(path, "year,indicator,value")?;
    let lines = text.lines().enumerate().skip(1);
    let mut out: YearlyValues = Vec::new();
    let mut seen: Vec<Vec<bool>> = Vec::new();
    for (n, line) in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 3 {
            return Err(bad_line(path, n + 1, "expected 3 fields"));
        }
        let year: u32 = f[0]
            .parse()
            .map_err(|_| bad_line(path, n + 1, "year is not a whole number"))?;
        let ind = INDICATORS
            .iter()
            .position(|i| i.name == f[1])
            .ok_or_else(|| {
                bad_line(
                    path,
                    n + 1,
                    &format!(
                        "unknown indicator `{}` (made by another version of sociaal?)",
                        f[1]
                    ),
                )
            })?;
        let value: f64 = f[2]
            .parse()
            .map_err(|_| bad_line(path, n + 1, "value is not a number"))?;
        if out.last().map(|(y, _)| *y) != Some(year) {
            out.push((year, vec![f64::NAN; INDICATORS.len()]));
            seen.push(vec![false; INDICATORS.len()]);
        }
        out.last_mut().expect("pushed above").1[ind] = value;
        seen.last_mut().expect("pushed above")[ind] = true;
    }
    if let Some(y) = seen.iter().position(|s| s.iter().any(|x| !x)) {
        return Err(results_err(format!(
            "{}: year {} lacks some indicators (made by another version of sociaal?)",
            path.display(),
            out[y].0
        )));
    }
    Ok(out)
}

/// Reads a run's `cohorts.csv` (`cohort,indicator,value`, exact values).
pub fn read_run_cohorts(path: &Path) -> Result<CohortValues, Error> {
    let text = read_with_header(path, "cohort,indicator,value")?;
    let lines = text.lines().enumerate().skip(1);
    let mut out = Vec::new();
    for (n, line) in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 3 {
            return Err(bad_line(path, n + 1, "expected 3 fields"));
        }
        let c: u32 = f[0]
            .parse()
            .map_err(|_| bad_line(path, n + 1, "cohort is not a year"))?;
        let v: f64 = f[2]
            .parse()
            .map_err(|_| bad_line(path, n + 1, "value is not a number"))?;
        out.push((c, f[1].to_string(), v));
    }
    Ok(out)
}
