//! Results on disk: per-run CSV files and manifests, the scenario summary, and the atomic
//! writes (single files and whole run directories) that keep earlier results whole when a
//! process fails or is killed.
//!
//! Layout under the output directory:
//! `<scenario>/{plan.json, summary.csv, yearly.csv, cohorts_summary.csv, scenario.json}`,
//! `<scenario>/<variant>/rep-<k>/{national.csv, gemeenten.csv, cohorts.csv, yearly.csv,
//! manifest.json}`. Each run is written into a hidden temporary directory beside its final
//! one (`manifest.json` last) and renamed into place only when everything is written.

use crate::error::Error;
use crate::model::cohorts::CohortRow;
use crate::model::gemeente::LAW_NAMES;
use crate::model::geography::Geography;
use crate::model::indicators::{GemeenteFlows, GemeenteStocks, INDICATORS, Kind, MonthRecord};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Formats a number compactly and deterministically: integers without decimals, others with
/// at most `decimals` decimals and no trailing zeros.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "NaN".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A value as written: scaled counts to national figures (rounded to whole units).
pub fn written_value(ind: usize, v: f64, scale: f64) -> f64 {
    if INDICATORS[ind].scaled {
        (v / scale).round()
    } else {
        v
    }
}

/// `national.csv`: one row a month, one column per indicator, scaled to national figures.
pub fn national_csv(records: &[Vec<f64>], months: &[String], scale: f64) -> String {
    let mut s = String::from("month");
    for ind in INDICATORS {
        s.push(',');
        s.push_str(ind.name);
    }
    s.push('\n');
    for (m, rec) in months.iter().zip(records) {
        s.push_str(m);
        for (i, &v) in rec.iter().enumerate() {
            s.push(',');
            s.push_str(&fmt_num(written_value(i, v, scale), 4));
        }
        s.push('\n');
    }
    s
}

/// Per-gemeente values of one year: stocks at the year's last month, flows summed.
#[derive(Clone, Debug)]
pub struct GemeenteYear {
    /// The year.
    pub year: u32,
    /// Stocks at the end of the year's last simulated month.
    pub stocks: Vec<GemeenteStocks>,
    /// Flows summed over the year's simulated months.
    pub flows: Vec<GemeenteFlows>,
}

/// Accumulates monthly records into yearly values: national per indicator and per gemeente.
#[derive(Clone, Debug, Default)]
pub struct YearAccumulator {
    /// `(year, values)`: per indicator the year's value (stock: last month; flow: sum).
    pub national: Vec<(u32, Vec<f64>)>,
    /// Per gemeente, per year.
    pub gemeenten: Vec<GemeenteYear>,
}

impl YearAccumulator {
    /// Adds one month.
    pub fn add(&mut self, r: &MonthRecord) {
        let year = r.month.year();
        if self.national.last().map(|(y, _)| *y) != Some(year) {
            self.national.push((year, vec![0.0; INDICATORS.len()]));
            self.gemeenten.push(GemeenteYear {
                year,
                stocks: r.stocks.clone(),
                flows: vec![GemeenteFlows::default(); r.flows.len()],
            });
        }
        let (_, vals) = self.national.last_mut().expect("pushed above");
        for (i, ind) in INDICATORS.iter().enumerate() {
            match ind.kind {
                Kind::Flow => vals[i] += r.national[i],
                Kind::Stock | Kind::Ratio => vals[i] = r.national[i],
            }
        }
        let gy = self.gemeenten.last_mut().expect("pushed above");
        gy.stocks.clone_from(&r.stocks);
        for (a, f) in gy.flows.iter_mut().zip(&r.flows) {
            a.add(f);
        }
    }
}

/// `gemeenten.csv`: one row per gemeente per year, scaled to national figures.
pub fn gemeenten_csv(years: &[GemeenteYear], geo: &Geography, scale: f64) -> String {
    let mut s = String::from(
        "year,gemeente,code,name,jeugdregio,arbeidsmarktregio,population,population_0_17,population_18_66,population_67_plus,households,births,deaths,immigrants,emigrants,moved_in,moved_out,wmo_users,wmo_waiting,wlz_persons,wmo_applications,wmo_rejections,wmo_spending_eur,wmo_copay_eur,jeugdhulp_users,jeugd_spending_eur,bijstand_persons,bijstand_spending_eur,reintegration_spending_eur,gemeente_budget_eur,gemeente_spending_eur,gemeente_result_eur,gemeente_reserves_eur",
    );
    // Books per law: budget, spending and result of each.
    for law in LAW_NAMES {
        for what in ["budget", "spending", "result"] {
            let _ = write!(s, ",gemeente_{what}_{law}_eur");
        }
    }
    s.push('\n');
    let sc = |v: u32| fmt_num((f64::from(v) / scale).round(), 0);
    for y in years {
        for (g, gem) in geo.gemeenten.iter().enumerate() {
            let st = &y.stocks[g];
            let f = &y.flows[g];
            let eur = |v: f64| fmt_num((v / scale).round(), 0);
            let _ = write!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                y.year,
                g,
                csv_field(&gem.code),
                csv_field(&gem.name),
                csv_field(&geo.jeugdregios[gem.jeugdregio as usize]),
                csv_field(&geo.arbeidsmarktregios[gem.arbeidsmarktregio as usize]),
                sc(st.population),
                sc(st.age_0_17),
                sc(st.age_18_66),
                sc(st.age_67_plus),
                sc(st.households),
                sc(f.births),
                sc(f.deaths),
                sc(f.immigrants),
                sc(f.emigrants),
                sc(f.moved_in),
                sc(f.moved_out),
                sc(st.wmo_users),
                sc(st.wmo_waiting),
                sc(st.wlz),
                sc(f.wmo_applications),
                sc(f.wmo_rejections),
                fmt_num((f.wmo_spending_eur / scale).round(), 0),
                fmt_num((f.wmo_copay_eur / scale).round(), 0),
                sc(st.jeugdhulp_users),
                fmt_num((f.jeugd_spending_eur / scale).round(), 0),
                sc(st.bijstand),
                fmt_num((f.bijstand_eur / scale).round(), 0),
                fmt_num((f.reintegration_eur / scale).round(), 0),
                eur(f.budget_eur()),
                eur(f.spending_eur()),
                eur(f.budget_eur() - f.spending_eur()),
                eur(st.reserves_eur),
            );
            for law in 0..LAW_NAMES.len() {
                let (b, sp) = (f.budget_law[law], f.spending_law[law]);
                let _ = write!(s, ",{},{},{}", eur(b), eur(sp), eur(b - sp));
            }
            s.push('\n');
        }
    }
    s
}

/// A number written so that reading it back gives the same `f64` (Rust's shortest
/// round-trip decimal form), for the per-run files that [`crate::merge`] reads back.
pub fn exact(v: f64) -> String {
    format!("{v}")
}

/// One run's cohort figures in long format: `cohort,indicator,value` (ratios, not scaled;
/// exact values, see [`exact`]).
pub fn cohorts_csv(rows: &[CohortRow]) -> String {
    let mut sorted: Vec<&CohortRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    let mut s = String::from("cohort,indicator,value\n");
    for (c, ind, v) in sorted {
        let _ = writeln!(s, "{c},{ind},{}", exact(*v));
    }
    s
}

/// One run's cohort figures as read back: `(cohort year, indicator, value)`.
pub type CohortValues = Vec<(u32, String, f64)>;

/// Cohort figures over replications: `variant,cohort,indicator,mean,p05,p95,n_reps`.
/// `runs[v][r]` holds the cohort figures of replication `r` of variant `v`.
pub fn cohorts_summary_csv(variants: &[String], runs: &[Vec<CohortValues>]) -> String {
    let mut s = String::from("variant,cohort,indicator,mean,p05,p95,n_reps\n");
    for (name, reps) in variants.iter().zip(runs) {
        let mut by: std::collections::BTreeMap<(u32, &str), Vec<f64>> = Default::default();
        for rep in reps {
            for (c, ind, v) in rep {
                if v.is_finite() {
                    by.entry((*c, ind.as_str())).or_default().push(*v);
                }
            }
        }
        for ((c, ind), mut v) in by {
            v.sort_by(f64::total_cmp);
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let _ = writeln!(
                s,
                "{},{c},{ind},{},{},{},{}",
                csv_field(name),
                fmt_num(mean, 6),
                fmt_num(quantile(&v, 0.05), 6),
                fmt_num(quantile(&v, 0.95), 6),
                v.len()
            );
        }
    }
    s
}

/// A CSV field, quoted where it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The `p`-quantile of sorted values (linear interpolation between order statistics).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Yearly national values of one run: `(year, one value per indicator)`.
pub type YearlyValues = Vec<(u32, Vec<f64>)>;

/// `summary.csv` in long format: variant, year, indicator, mean, p05, p95, n_reps.
/// `runs[v][r]` holds the yearly national values (already scaled) of replication `r` of
/// variant `v`.
pub fn summary_csv(variants: &[String], runs: &[Vec<YearlyValues>]) -> String {
    let mut s = String::from("variant,year,indicator,mean,p05,p95,n_reps\n");
    for (name, reps) in variants.iter().zip(runs) {
        let Some(first) = reps.first() else { continue };
        for (yi, (year, _)) in first.iter().enumerate() {
            for (i, ind) in INDICATORS.iter().enumerate() {
                let mut xs: Vec<f64> = reps.iter().map(|r| r[yi].1[i]).collect();
                xs.sort_by(f64::total_cmp);
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let _ = writeln!(
                    s,
                    "{},{},{},{},{},{},{}",
                    name,
                    year,
                    ind.name,
                    fmt_num(mean, 4),
                    fmt_num(quantile(&xs, 0.05), 4),
                    fmt_num(quantile(&xs, 0.95), 4),
                    xs.len()
                );
            }
        }
    }
    s
}

/// `gemeenten_summary.csv` from every run's `gemeenten.csv` (`runs[v][r]`: the file's text of
/// replication `r` of variant `v`): per variant, year and gemeente, each figure as mean, p05
/// and p95 over replications (`<figure>_mean`, `_p05`, `_p95`), so that a gemeente's figure
/// comes with its sampling noise. Every run of a scenario has the same gemeenten (one
/// geography), so rows match line by line; `None` names the first run whose rows do not.
pub fn gemeenten_summary_csv(
    variants: &[String],
    runs: &[Vec<String>],
) -> Result<String, (usize, usize)> {
    /// Leading text columns: year, gemeente, code, name, jeugdregio, arbeidsmarktregio.
    const KEY: usize = 6;
    let mut s = String::new();
    for (v, (name, reps)) in variants.iter().zip(runs).enumerate() {
        let mut header = csv::StringRecord::new();
        let tables: Vec<Vec<csv::StringRecord>> = reps
            .iter()
            .map(|text| {
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                header = reader.headers().cloned().unwrap_or_default();
                reader.records().filter_map(Result::ok).collect()
            })
            .collect();
        let Some(first) = tables.first() else {
            continue;
        };
        if s.is_empty() {
            s.push_str("variant");
            for (c, col) in header.iter().enumerate() {
                if c < KEY {
                    let _ = write!(s, ",{col}");
                } else {
                    let _ = write!(s, ",{col}_mean,{col}_p05,{col}_p95");
                }
            }
            s.push_str(",n_reps\n");
        }
        for (r, t) in tables.iter().enumerate() {
            let same = t.len() == first.len()
                && t.iter()
                    .zip(first)
                    .all(|(a, b)| (0..KEY).all(|c| a.get(c) == b.get(c)));
            if !same {
                return Err((v, r));
            }
        }
        for (row, rec) in first.iter().enumerate() {
            let _ = write!(s, "{}", csv_field(name));
            for c in 0..rec.len() {
                if c < KEY {
                    let _ = write!(s, ",{}", csv_field(rec.get(c).unwrap_or("")));
                    continue;
                }
                let mut xs: Vec<f64> = tables
                    .iter()
                    .map(|t| {
                        t[row]
                            .get(c)
                            .and_then(|x| x.parse().ok())
                            .unwrap_or(f64::NAN)
                    })
                    .collect();
                xs.sort_by(f64::total_cmp);
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let _ = write!(
                    s,
                    ",{},{},{}",
                    fmt_num(mean, 1),
                    fmt_num(quantile(&xs, 0.05), 1),
                    fmt_num(quantile(&xs, 0.95), 1)
                );
            }
            let _ = writeln!(s, ",{}", reps.len());
        }
    }
    Ok(s)
}

/// A run's own `yearly.csv`: `year,indicator,value`, the yearly national values as written
/// (scaled), exact (see [`exact`]), from which [`crate::merge`] builds the summary files.
pub fn run_yearly_csv(years: &YearlyValues) -> String {
    let mut s = String::from("year,indicator,value\n");
    for (year, values) in years {
        for (ind, v) in INDICATORS.iter().zip(values) {
            let _ = writeln!(s, "{year},{},{}", ind.name, exact(*v));
        }
    }
    s
}

/// `yearly.csv` in long format: variant, rep, year, indicator, value: every replication's
/// yearly national values, so that variants can be compared replication by replication
/// (`sociaal compare`). `runs` as for [`summary_csv`].
pub fn yearly_csv(variants: &[String], runs: &[Vec<YearlyValues>]) -> String {
    let mut s = String::from("variant,rep,year,indicator,value\n");
    for (name, reps) in variants.iter().zip(runs) {
        for (rep, years) in reps.iter().enumerate() {
            for (year, values) in years {
                for (ind, v) in INDICATORS.iter().zip(values) {
                    let _ = writeln!(s, "{name},{rep},{year},{},{}", ind.name, fmt_num(*v, 4));
                }
            }
        }
    }
    s
}

/// The differences of each variant's resolved parameters from the first (reference)
/// variant's, as `(dotted key, reference value, variant value)` in key order.
pub fn parameter_differences(
    reference: &serde_json::Value,
    variant: &serde_json::Value,
) -> Vec<(String, String, String)> {
    fn walk(
        prefix: &str,
        a: &serde_json::Value,
        b: &serde_json::Value,
        out: &mut Vec<(String, String, String)>,
    ) {
        // A table on one side only (a gemeente in `[local]`) is compared key by key with
        // nothing, so each of its keys is named.
        static EMPTY: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
            std::sync::LazyLock::new(serde_json::Map::new);
        fn table<'a>(
            v: &'a serde_json::Value,
            other: &serde_json::Value,
        ) -> Option<&'a serde_json::Map<String, serde_json::Value>> {
            match v {
                serde_json::Value::Object(o) => Some(o),
                serde_json::Value::Null if other.is_object() => Some(&*EMPTY),
                _ => None,
            }
        }
        match (table(a, b), table(b, a)) {
            (Some(x), Some(y)) => {
                let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for k in keys {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    let null = serde_json::Value::Null;
                    walk(
                        &key,
                        x.get(k).unwrap_or(&null),
                        y.get(k).unwrap_or(&null),
                        out,
                    );
                }
            }
            _ if a != b => out.push((prefix.to_string(), a.to_string(), b.to_string())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", reference, variant, &mut out);
    out
}

/// Writes `contents` to `path`, creating parent directories.
pub fn write_file(path: &Path, contents: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    }
    fs::write(path, contents).map_err(|e| Error::io("write", path, e))
}

/// A name for a hidden temporary sibling that no other process picks: process id and
/// nanoseconds (processes on several nodes may share a file system).
fn unique_suffix() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{nanos}-{n}", std::process::id())
}

/// Writes `contents` to a new file at `path` and flushes it to the device, so that a rename
/// that follows never exposes a file whose data a power cut could still lose.
fn write_durable(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = fs::File::create(path)?;
    f.write_all(contents)?;
    f.sync_all()
}

/// Flushes a directory's entries (a rename into it) to the device; best effort, as some
/// file systems do not sync directories.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `contents` to `path` atomically: into a hidden temporary file beside it, renamed
/// over `path` only when fully written, so a reader (or a crash) never sees half a file.
pub fn write_file_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    // What is there decides how: a device or a pipe (`/dev/null`, `/dev/full`, `>(gzip)`) is
    // written into, never replaced by a file; a symbolic link's target is replaced, not the
    // link; a directory is refused.
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::io(
                "write",
                path,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory"),
            ));
        }
        Ok(m) if !m.is_file() => {
            use std::io::Write;
            return fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(contents).and_then(|()| f.flush()))
                .map_err(|e| Error::io("write", path, e));
        }
        Ok(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            let target = fs::canonicalize(path).map_err(|e| Error::io("write", path, e))?;
            return write_file_atomic(&target, contents);
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", unique_suffix()));
    if let Err(e) = write_durable(&tmp, contents) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io("write", path, e));
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("write", path, e)
    })?;
    sync_dir(&dir);
    Ok(())
}

/// Writes a whole directory atomically: `files` (name, contents), in order, into a hidden
/// temporary directory beside `final_dir` (`.<name>.tmp-...`), which then replaces
/// `final_dir` (an existing one is renamed aside first and removed last). Put the file that
/// marks the directory complete (`manifest.json`) last. A process killed meanwhile leaves
/// `final_dir` as it was, plus a hidden directory that [`remove_stale`] cleans up.
pub fn write_dir_atomic(final_dir: &Path, files: &[(&str, &str)]) -> Result<(), Error> {
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("create directory", parent, e))?;
    let name = final_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = unique_suffix();
    let tmp = parent.join(format!(".{name}.tmp-{suffix}"));
    fs::create_dir(&tmp).map_err(|e| Error::io("create directory", &tmp, e))?;
    // An error names the file as it would be in place, not its hidden temporary.
    let written = files.iter().try_for_each(|(f, text)| {
        write_durable(&tmp.join(f), text.as_bytes()).map_err(|e| (final_dir.join(f), e))
    });
    if let Err((path, e)) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(Error::io("write", path, e));
    }
    let aside = parent.join(format!(".{name}.old-{suffix}"));
    let old = if final_dir.exists() {
        if let Err(e) = fs::rename(final_dir, &aside) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(Error::io("move aside", final_dir, e));
        }
        true
    } else {
        false
    };
    if let Err(e) = fs::rename(&tmp, final_dir) {
        if old {
            let _ = fs::rename(&aside, final_dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(Error::io("move into place", final_dir, e));
    }
    sync_dir(parent);
    if old {
        let _ = fs::remove_dir_all(&aside);
    }
    Ok(())
}

/// Removes what [`write_dir_atomic`] or [`write_file_atomic`] of `path` left behind when
/// their process was killed: hidden `.<name>.tmp-*` and `.<name>.old-*` siblings. Call it
/// only where no other process is writing `path`.
pub fn remove_stale(path: &Path) -> Result<usize, Error> {
    let Some(parent) = path.parent() else {
        return Ok(0);
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(0);
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(0);
    };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    let mut removed = 0;
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&tmp) || n.starts_with(&old) {
            let p = e.path();
            let r = if p.is_dir() {
                fs::remove_dir_all(&p)
            } else {
                fs::remove_file(&p)
            };
            r.map_err(|err| Error::io("remove stale temporary", &p, err))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes a directory tree so that no reader sees it half-removed: renamed aside to a
/// hidden sibling first, then deleted. Nothing happens when it does not exist.
pub fn remove_dir_atomic(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = parent.join(format!(".{name}.old-{}", unique_suffix()));
    fs::rename(dir, &aside).map_err(|e| Error::io("move aside", dir, e))?;
    fs::remove_dir_all(&aside).map_err(|e| Error::io("remove", &aside, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A device is written into, never replaced by a file (as root, renaming a file over
    /// `/dev/full` would replace the device for everyone); a symbolic link keeps pointing at
    /// its target, which gets the new contents; a directory is refused.
    #[cfg(unix)]
    #[test]
    fn atomic_writes_respect_devices_links_and_directories() {
        use std::os::unix::fs::FileTypeExt;
        write_file_atomic(Path::new("/dev/null"), b"x").unwrap();
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        if Path::new("/dev/full").exists() {
            let e = write_file_atomic(Path::new("/dev/full"), b"x").unwrap_err();
            assert!(e.to_string().contains("/dev/full"), "{e}");
            assert!(
                fs::metadata("/dev/full")
                    .unwrap()
                    .file_type()
                    .is_char_device()
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_file_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let e = write_file_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_num(3.0, 4), "3");
        assert_eq!(fmt_num(2.5, 4), "2.5");
        assert_eq!(fmt_num(2.123456, 4), "2.1235");
        assert_eq!(fmt_num(-0.00001, 4), "0");
    }

    #[test]
    fn gemeenten_summary_bands_each_figure_and_refuses_other_gemeenten() {
        let run = |pop: [u32; 2]| {
            format!(
                "year,gemeente,code,name,jeugdregio,arbeidsmarktregio,population\n2015,0,GM1,a,j,r,{}\n2015,1,GM2,\"b, c\",j,r,{}\n",
                pop[0], pop[1]
            )
        };
        let names = vec!["v".to_string()];
        let runs = vec![vec![run([100, 10]), run([300, 30])]];
        let s = gemeenten_summary_csv(&names, &runs).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "variant,year,gemeente,code,name,jeugdregio,arbeidsmarktregio,population_mean,population_p05,population_p95,n_reps"
        );
        assert_eq!(lines[1], "v,2015,0,GM1,a,j,r,200,110,290,2");
        assert_eq!(lines[2], "v,2015,1,GM2,\"b, c\",j,r,20,11,29,2");
        let other = run([1, 1]).replace(",a,", ",x,");
        let runs = vec![vec![run([100, 10]), other]];
        assert_eq!(gemeenten_summary_csv(&names, &runs), Err((0, 1)));
    }

    #[test]
    fn quantiles_interpolate() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&xs, 0.5), 3.0);
        assert!((quantile(&xs, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&xs, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.05), 7.0);
    }

    #[test]
    fn exact_numbers_round_trip() {
        for v in [
            0.1,
            1.0 / 3.0,
            16_900_000.0,
            1e-7,
            2.5e21,
            -0.0,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(
                exact(v).parse::<f64>().unwrap().to_bits(),
                v.to_bits(),
                "{v}"
            );
        }
        assert!(exact(f64::NAN).parse::<f64>().unwrap().is_nan());
    }

    #[test]
    fn directories_are_replaced_whole_and_stale_temporaries_removed() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("v").join("rep-1");
        write_dir_atomic(&run, &[("a.txt", "first"), ("manifest.json", "{}")]).unwrap();
        assert_eq!(fs::read_to_string(run.join("a.txt")).unwrap(), "first");
        write_dir_atomic(&run, &[("a.txt", "second")]).unwrap();
        assert_eq!(fs::read_to_string(run.join("a.txt")).unwrap(), "second");
        assert!(!run.join("manifest.json").exists(), "replaced whole");
        // Only the final directory is left.
        assert_eq!(fs::read_dir(dir.path().join("v")).unwrap().count(), 1);
        // What a killed process leaves is removed, and only for this run.
        fs::create_dir(dir.path().join("v/.rep-1.tmp-1-2-0")).unwrap();
        fs::create_dir(dir.path().join("v/.rep-1.old-1-2-0")).unwrap();
        fs::create_dir(dir.path().join("v/.rep-10.tmp-1-2-0")).unwrap();
        assert_eq!(remove_stale(&run).unwrap(), 2);
        assert!(dir.path().join("v/.rep-10.tmp-1-2-0").exists());
        remove_dir_atomic(&dir.path().join("v")).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
