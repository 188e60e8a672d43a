//! Reading finished results back: paired comparisons between variants, validation against
//! the targets file, charts and the self-contained HTML report.

pub mod chart;
pub mod compare;
pub mod html;
pub mod local;
pub mod map;
pub mod results;
pub mod trends;
pub mod validate;

use crate::error::Error;
use crate::run::{self, Progress, RunOptions};
use crate::scenario::Scenario;
use results::Results;

/// Where results for a scenario came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Read: the results on disk were made from this very scenario (same hash).
    Read,
    /// Run now: there were none.
    RanMissing,
    /// Run now: those on disk were made from another version of the scenario or by another
    /// build of the model (or `rerun`).
    RanStale,
}

/// The results of `scenario` under `opts.out_dir`: read when they were made from the same
/// resolved scenario (equal hash) by the same executable, otherwise run (replacing stale
/// ones).
pub fn results_for(
    scenario: &Scenario,
    opts: &RunOptions,
    rerun: bool,
    progress: &dyn Progress,
) -> Result<(Results, Source), Error> {
    let dir = opts.out_dir.join(&scenario.name);
    let on_disk = std::fs::read_to_string(dir.join("scenario.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .map(|j| {
            let s = |k: &str| j.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            (s("scenario_hash"), s("binary_hash"))
        });
    let source = match on_disk {
        Some((h, b))
            if h == scenario.hash()
                && b == crate::sysinfo::binary_hash()
                && !rerun
                && dir.join("yearly.csv").is_file() =>
        {
            Source::Read
        }
        Some(_) => Source::RanStale,
        None if dir.exists() => Source::RanStale,
        None => Source::RanMissing,
    };
    if source != Source::Read {
        let opts = RunOptions {
            force: true,
            ..opts.clone()
        };
        run::execute(scenario, &opts, progress)?;
    }
    Ok((Results::load(&dir)?, source))
}
