//! One gemeente in focus: its figures, those of its jeugdregio (the gemeenten that buy youth
//! care together) and the nation's, read from every run's `gemeenten.csv`, so that `compare
//! --gemeente` can show a planner their own gemeente beside its region and the country.

use super::results::Results;
use crate::error::Error;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of `gemeenten.csv` before its figures: year, index, code, name, jeugdregio,
/// arbeidsmarktregio.
const KEY_COLUMNS: usize = 6;

/// Figures shown for a gemeente when no indicators are asked for.
pub const LOCAL_INDICATORS: [&str; 9] = [
    "wmo_users",
    "wmo_waiting",
    "wmo_applications",
    "wmo_spending_eur",
    "jeugdhulp_users",
    "jeugd_spending_eur",
    "bijstand_persons",
    "gemeente_result_eur",
    "gemeente_reserves_eur",
];

/// A gemeente and its jeugdregio as results of their own (one value per replication, summed
/// over the region's gemeenten), with the same variants and years as the national results.
#[derive(Clone, Debug)]
pub struct Focus {
    /// The gemeente's name.
    pub name: String,
    /// Its CBS code ("" where the geography has none).
    pub code: String,
    /// Its jeugdregio.
    pub region: String,
    /// Gemeenten in that jeugdregio.
    pub region_size: usize,
    /// The gemeente's figures.
    pub gemeente: Results,
    /// The jeugdregio's figures (the sum of its gemeenten).
    pub jeugdregio: Results,
}

/// The runs of `variant` in the results directory, in replication order.
fn run_files(dir: &Path, variant: &str) -> Vec<std::path::PathBuf> {
    (0..)
        .map(|k| {
            dir.join(variant)
                .join(format!("rep-{k}"))
                .join("gemeenten.csv")
        })
        .take_while(|p| p.is_file())
        .collect()
}

/// One row of a run's `gemeenten.csv`: year, code, name, jeugdregio, figures, and the
/// arbeidsmarktregio.
type Row = (u32, String, String, String, Vec<f64>, String);
/// One run's `gemeenten.csv`: its figure names and its rows.
type Rows = (Vec<String>, Vec<Row>);

fn read_rows(path: &Path) -> Result<Rows, Error> {
    let bad = |what: String| Error::Results(format!("{}: {what}", path.display()));
    let mut rdr = csv::Reader::from_path(path).map_err(|e| bad(format!("cannot read ({e})")))?;
    let header = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    if header.len() <= KEY_COLUMNS || &header[0] != "year" || &header[2] != "code" {
        return Err(bad(
            "not a gemeenten.csv written by `sociaal run` (header year,gemeente,code,name,...)"
                .into(),
        ));
    }
    let names = header.iter().skip(KEY_COLUMNS).map(String::from).collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let year = rec[0]
            .parse()
            .map_err(|_| bad(format!("year `{}` is not a year", &rec[0])))?;
        let values = rec
            .iter()
            .skip(KEY_COLUMNS)
            .map(|v| v.parse::<f64>().unwrap_or(f64::NAN))
            .collect();
        rows.push((
            year,
            rec[2].into(),
            rec[3].into(),
            rec[4].into(),
            values,
            rec[5].into(),
        ));
    }
    Ok((names, rows))
}

/// The gemeente named `who` (its name or CBS code; case does not matter) in the results of
/// `r`, with its jeugdregio.
pub fn focus(r: &Results, who: &str) -> Result<Focus, Error> {
    let mut gemeente: BTreeMap<(usize, usize, u32), Vec<f64>> = BTreeMap::new();
    let mut region: BTreeMap<(usize, usize, u32), Vec<f64>> = BTreeMap::new();
    let mut found: Option<(String, String, String, usize)> = None;
    let mut indicators = Vec::new();
    for (vi, v) in r.variants.iter().enumerate() {
        let files = run_files(&r.dir, &v.name);
        if files.is_empty() {
            return Err(Error::Results(format!(
                "{}: no run directories of variant `{}` with a gemeenten.csv",
                r.dir.display(),
                v.name
            )));
        }
        for path in files {
            let (names, rows) = read_rows(&path)?;
            let target = rows
                .iter()
                .find(|x| x.1 == who || x.2 == who)
                .or_else(|| {
                    let w = who.to_lowercase();
                    rows.iter()
                        .find(|x| x.1.to_lowercase() == w || x.2.to_lowercase() == w)
                })
                .ok_or_else(|| {
                    let all: Vec<&str> = rows.iter().map(|x| x.2.as_str()).collect();
                    let near = crate::scenario::error::nearest(who, all.iter().copied());
                    Error::Results(format!(
                        "{}: no gemeente `{who}` (by name or CBS code){}",
                        r.dir.display(),
                        near.map_or(String::new(), |n| format!("; did you mean `{n}`?"))
                    ))
                })?;
            let (code, name, jr) = (target.1.clone(), target.2.clone(), target.3.clone());
            let size = rows
                .iter()
                .filter(|x| x.3 == jr)
                .map(|x| &x.2)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            found.get_or_insert((name.clone(), code, jr.clone(), size));
            indicators = names;
            let mut sums: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
            for (year, _, n, j, values, _) in &rows {
                if *j == jr {
                    let s = sums.entry(*year).or_insert_with(|| vec![0.0; values.len()]);
                    for (a, b) in s.iter_mut().zip(values) {
                        *a += b;
                    }
                }
                if *n == name {
                    for (ii, &x) in values.iter().enumerate() {
                        gemeente.entry((vi, ii, *year)).or_default().push(x);
                    }
                }
            }
            for (year, s) in sums {
                for (ii, x) in s.into_iter().enumerate() {
                    region.entry((vi, ii, year)).or_default().push(x);
                }
            }
        }
    }
    let (name, code, jr, size) = found.expect("at least one run was read");
    Ok(Focus {
        gemeente: r.with_values(indicators.clone(), gemeente),
        jeugdregio: r.with_values(indicators, region),
        name,
        code,
        region: jr,
        region_size: size,
    })
}

/// One gemeente's value of an indicator in a year, per variant (mean over replications),
/// with its inhabitants and regions: what a map shows.
#[derive(Clone, Debug)]
pub struct GemeenteValue {
    /// CBS code ("" without one).
    pub code: String,
    /// Name.
    pub name: String,
    /// Jeugdregio.
    pub jeugdregio: String,
    /// Arbeidsmarktregio.
    pub arbeidsmarktregio: String,
    /// Per variant: the indicator's mean over replications.
    pub value: Vec<f64>,
    /// Per variant: inhabitants, mean over replications.
    pub population: Vec<f64>,
}

/// Every gemeente's value of `indicator` in `year` for every variant of `r`, from the runs'
/// `gemeenten.csv` (an error names the indicators those files have).
pub fn gemeente_values(
    r: &Results,
    indicator: &str,
    year: u32,
) -> Result<Vec<GemeenteValue>, Error> {
    let mut out: Vec<GemeenteValue> = Vec::new();
    let n_v = r.variants.len();
    for (vi, v) in r.variants.iter().enumerate() {
        let files = run_files(&r.dir, &v.name);
        let n = files.len() as f64;
        for path in &files {
            let (names, rows) = read_rows(path)?;
            let col = |c: &str| names.iter().position(|x| x == c);
            let ii = col(indicator).ok_or_else(|| {
                Error::Results(format!(
                    "{}: no per-gemeente figure `{indicator}`; gemeenten.csv has: {}",
                    path.display(),
                    names.join(", ")
                ))
            })?;
            let pi = col("population").unwrap_or(usize::MAX);
            for (_, code, name, jr, values, ar) in rows.iter().filter(|x| x.0 == year) {
                let k = match out.iter().position(|g| g.name == *name) {
                    Some(k) => k,
                    None => {
                        out.push(GemeenteValue {
                            code: code.clone(),
                            name: name.clone(),
                            jeugdregio: jr.clone(),
                            arbeidsmarktregio: ar.clone(),
                            value: vec![0.0; n_v],
                            population: vec![0.0; n_v],
                        });
                        out.len() - 1
                    }
                };
                out[k].value[vi] += values[ii] / n;
                out[k].population[vi] += values.get(pi).copied().unwrap_or(f64::NAN) / n;
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Results(format!(
            "{}: no gemeente has figures for {year}; the results hold {}-{}",
            r.dir.display(),
            r.years.first().copied().unwrap_or(0),
            r.years.last().copied().unwrap_or(0)
        )));
    }
    Ok(out)
}

/// How far one gemeente's own figures rest on its sample: its agents and Wmo users at the
/// run's scale, the relative sampling error of its Wmo use per inhabitant, and the scale at
/// which that error would be [`TARGET_ERROR`].
///
/// Measured on the baseline (docs/calibration.md, issue #22): over the 85 gemeenten of 50 000
/// inhabitants or more, two replications agree on Wmo use per inhabitant with r = 0.50-0.56 at
/// scale 0.02, 0.78-0.79 at 0.05 and 0.86-0.87 at 0.1: the spread between gemeenten is
/// about 14% while at 0.02 such a gemeente has some 50 Wmo users (a sampling error of 14%).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Agents simulated for the gemeente (its inhabitants times the scale).
    pub agents: f64,
    /// Of them, Wmo users.
    pub wmo_users: f64,
    /// Relative sampling error of its Wmo use per inhabitant in one replication.
    pub error: f64,
    /// The scale at which that error would be [`TARGET_ERROR`] (none above the run's).
    pub scale_needed: Option<f64>,
}

/// The relative sampling error a gemeente's own figure should stay under: at 5% two
/// replications tell apart gemeenten whose Wmo use differs by a tenth.
pub const TARGET_ERROR: f64 = 0.05;

/// The precision of a gemeente's figures in replication results made at `scale`, from its
/// inhabitants and Wmo users in `year` (means over the replications of `variant`).
pub fn precision(f: &Focus, variant: usize, year: u32, scale: f64) -> Option<Precision> {
    let mean = |name: &str| -> Option<f64> {
        let i = f.gemeente.indicator(name)?;
        let xs = f.gemeente.reps(variant, i, year);
        (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
    };
    let (pop, users) = (mean("population")?, mean("wmo_users")?);
    if !(scale > 0.0 && pop > 0.0) {
        return None;
    }
    let (agents, wmo_users) = (pop * scale, users * scale);
    let error = if wmo_users > 0.0 {
        1.0 / wmo_users.sqrt()
    } else {
        1.0
    };
    // The error falls with the square root of the sample.
    let needed = scale * (error / TARGET_ERROR).powi(2);
    Some(Precision {
        agents,
        wmo_users,
        error,
        scale_needed: (error > TARGET_ERROR).then_some(needed.min(1.0)),
    })
}

impl Precision {
    /// One sentence for the command line and the report.
    pub fn sentence(&self, name: &str, scale: f64) -> String {
        let mut s = format!(
            "{name} is {:.0} agents at scale {scale} ({:.0} Wmo users): its Wmo use per inhabitant has a sampling error of about {:.0}% in one replication",
            self.agents,
            self.wmo_users,
            100.0 * self.error
        );
        match self.scale_needed {
            Some(need) => s.push_str(&format!(
                "; for its own figures within about {:.0}% run at --scale {} or more, or read the band over many replications",
                100.0 * TARGET_ERROR,
                round_scale(need)
            )),
            None => s.push_str(&format!(
                ", within {:.0}%",
                100.0 * TARGET_ERROR
            )),
        }
        s
    }
}

/// A scale rounded up to one significant figure (0.043 -> 0.05, 0.12 -> 0.2).
fn round_scale(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    ((x / p).ceil() * p * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_round_up_to_one_figure() {
        assert_eq!(round_scale(0.043), 0.05);
        assert_eq!(round_scale(0.12), 0.2);
        assert_eq!(round_scale(0.1), 0.1);
        assert_eq!(round_scale(0.5), 0.5);
    }

    fn focus_with(population: f64, users: f64) -> Focus {
        let base = Results::bare(vec![2019]);
        let mut values = BTreeMap::new();
        values.insert((0, 0, 2019), vec![population, population]);
        values.insert((0, 1, 2019), vec![users, users]);
        let r = base.with_values(vec!["population".into(), "wmo_users".into()], values);
        Focus {
            name: "X".into(),
            code: "GM0000".into(),
            region: "R".into(),
            region_size: 1,
            gemeente: r.clone(),
            jeugdregio: r,
        }
    }

    #[test]
    fn a_gemeentes_precision_follows_its_sample() {
        // 50 000 inhabitants with 2 500 Wmo users: 1 000 agents and 50 users at 0.02.
        let f = focus_with(50_000.0, 2_500.0);
        let p = precision(&f, 0, 2019, 0.02).unwrap();
        assert!((p.agents - 1000.0).abs() < 1e-9 && (p.wmo_users - 50.0).abs() < 1e-9);
        assert!((p.error - 50f64.sqrt().recip()).abs() < 1e-12);
        // 5% needs 400 users: eight times the sample, scale 0.16 -> 0.2.
        assert!((p.scale_needed.unwrap() - 0.16).abs() < 1e-9);
        assert!(p.sentence("X", 0.02).contains("--scale 0.2"));
        // A larger scale shrinks the error; enough users need no advice.
        let q = precision(&f, 0, 2019, 0.2).unwrap();
        assert!(q.error < p.error && q.scale_needed.is_none());
        assert!(precision(&f, 0, 2019, 0.0).is_none());
    }
}
