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
