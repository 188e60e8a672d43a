//! Finished results read back from disk: `yearly.csv` (every replication's yearly values),
//! `cohorts_summary.csv` and `scenario.json` of one scenario's results directory.

use crate::error::Error;
use crate::output::quantile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One variant as described in `scenario.json`.
#[derive(Clone, Debug, Default)]
pub struct VariantInfo {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// `(dotted key, reference value, this variant's value)` where it differs from the variant
    /// it starts from (the first; in a design, its point's first).
    pub differences: Vec<(String, String, String)>,
}

/// The results of one scenario.
#[derive(Clone, Debug)]
pub struct Results {
    /// The directory read.
    pub dir: PathBuf,
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// `scenario.json` as read.
    pub scenario: serde_json::Value,
    /// Variants in the order they ran (the first is the reference).
    pub variants: Vec<VariantInfo>,
    /// Indicators in the order of the file.
    pub indicators: Vec<String>,
    /// Years, ascending.
    pub years: Vec<u32>,
    /// `values[(variant, indicator, year)]` = one value per replication, in replication order.
    values: BTreeMap<(usize, usize, u32), Vec<f64>>,
    /// Cohort figures: `(variant, cohort year, indicator)` -> (mean, p05, p95).
    pub cohorts: BTreeMap<(String, u32, String), [f64; 3]>,
}

/// Mean and 5% and 95% quantiles of some values (NaN for none).
pub fn band(xs: &[f64]) -> [f64; 3] {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return [f64::NAN; 3];
    }
    v.sort_by(f64::total_cmp);
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    [mean, quantile(&v, 0.05), quantile(&v, 0.95)]
}

fn parse_err(path: &Path, line: usize, what: &str) -> Error {
    Error::Results(format!("{}, line {line}: {what}", path.display()))
}

/// A string field of a JSON object ("" when missing).
fn str_of(v: &serde_json::Value, k: &str) -> String {
    v.get(k)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The variants `scenario.json` describes, in order.
fn variants_of(scenario: &serde_json::Value) -> Vec<VariantInfo> {
    let difference =
        |x: &serde_json::Value| (str_of(x, "key"), str_of(x, "reference"), str_of(x, "value"));
    scenario
        .get("variants")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|v| VariantInfo {
                    name: str_of(v, "name"),
                    description: str_of(v, "description"),
                    differences: v
                        .get("differences")
                        .and_then(|d| d.as_array())
                        .map(|d| d.iter().map(difference).collect())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The values of `yearly.csv`.
#[derive(Default)]
struct Yearly {
    /// Indicators in the order of the file.
    indicators: Vec<String>,
    /// Years.
    years: std::collections::BTreeSet<u32>,
    /// `(variant, indicator, year)` -> one value per replication.
    values: BTreeMap<(usize, usize, u32), Vec<f64>>,
}

/// Parses `yearly.csv` (`text`, read from `path`); variants it names that `variants` lacks
/// are added.
fn parse_yearly(path: &Path, text: &str, variants: &mut Vec<VariantInfo>) -> Result<Yearly, Error> {
    let mut y = Yearly::default();
    let mut ind_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, "variant,rep,year,indicator,value")) => {}
        _ => {
            return Err(parse_err(
                path,
                1,
                "expected the header variant,rep,year,indicator,value",
            ));
        }
    }
    for (n, line) in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 5 {
            return Err(parse_err(path, n + 1, "expected 5 fields"));
        }
        let vi = match variants.iter().position(|v| v.name == f[0]) {
            Some(i) => i,
            None => {
                variants.push(VariantInfo {
                    name: f[0].to_string(),
                    ..Default::default()
                });
                variants.len() - 1
            }
        };
        let rep: usize = f[1]
            .parse()
            .map_err(|_| parse_err(path, n + 1, "rep is not a whole number"))?;
        let year: u32 = f[2]
            .parse()
            .map_err(|_| parse_err(path, n + 1, "year is not a whole number"))?;
        let value: f64 = f[4]
            .parse()
            .map_err(|_| parse_err(path, n + 1, "value is not a number"))?;
        let ii = *ind_index.entry(f[3].to_string()).or_insert_with(|| {
            y.indicators.push(f[3].to_string());
            y.indicators.len() - 1
        });
        y.years.insert(year);
        let v = y.values.entry((vi, ii, year)).or_default();
        if v.len() != rep {
            return Err(parse_err(
                path,
                n + 1,
                "replications out of order or repeated",
            ));
        }
        v.push(value);
    }
    Ok(y)
}

/// `cohorts_summary.csv` of `dir`, where present: `(variant, cohort year, indicator)` ->
/// (mean, p05, p95).
type Cohorts = BTreeMap<(String, u32, String), [f64; 3]>;

/// Reads `cohorts_summary.csv` of `dir` (none when it is missing).
fn read_cohorts(dir: &Path) -> Result<Cohorts, Error> {
    let mut cohorts = BTreeMap::new();
    let cpath = dir.join("cohorts_summary.csv");
    if let Ok(t) = std::fs::read_to_string(&cpath) {
        for (n, line) in t.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() < 6 {
                return Err(parse_err(&cpath, n + 1, "expected 7 fields"));
            }
            let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
            let year: u32 = f[1]
                .parse()
                .map_err(|_| parse_err(&cpath, n + 1, "cohort is not a year"))?;
            cohorts.insert(
                (f[0].to_string(), year, f[2].to_string()),
                [num(f[3]), num(f[4]), num(f[5])],
            );
        }
    }
    Ok(cohorts)
}

/// A results directory's yearly.csv must hold every year of the scenario (start to end) and
/// every replication of each value: a truncated file is named, not read as shorter results.
fn check_complete(
    yearly: &Path,
    scenario: &serde_json::Value,
    y: &Yearly,
    dir: &Path,
    variants: &[VariantInfo],
) -> Result<(), Error> {
    let help = format!(
        "the file is incomplete; `sociaal merge {}` rebuilds it from the runs",
        dir.display()
    );
    let year = |k: &str| crate::merge::year_of(scenario, k);
    if let (Some(first), Some(last)) = (year("start"), year("end"))
        && let Some(held) = crate::merge::years_short(y.years.iter().copied(), first, last)
    {
        return Err(Error::Results(format!(
            "{}: holds {held} of the scenario's {first}-{last}: {help}",
            yearly.display()
        )));
    }
    if let Some(reps) = scenario
        .get("replications")
        .and_then(serde_json::Value::as_u64)
        && let Some(((v, i, yr), got)) = y.values.iter().find(|(_, x)| x.len() as u64 != reps)
    {
        return Err(Error::Results(format!(
            "{}: {} of {reps} replication(s) of indicator {} in {yr} (variant {}): {help}",
            yearly.display(),
            got.len(),
            y.indicators.get(*i).map_or("?", String::as_str),
            variants.get(*v).map_or("?", |x| x.name.as_str())
        )));
    }
    Ok(())
}

impl Results {
    /// Reads the results directory `dir` (`results/<scenario>`) as `sociaal run` wrote it.
    pub fn load(dir: &Path) -> Result<Results, Error> {
        if !dir.is_dir() {
            return Err(Error::Results(format!(
                "{}: no such results directory (run `sociaal run SCENARIO.toml` first; results go to results/<scenario name>)",
                dir.display()
            )));
        }
        let yearly = dir.join("yearly.csv");
        let text = std::fs::read_to_string(&yearly).map_err(|e| {
            Error::Results(format!(
                "{}: cannot read ({e}); results written by an older version lack it: run the scenario again",
                yearly.display()
            ))
        })?;
        let meta_path = dir.join("scenario.json");
        let scenario: serde_json::Value = std::fs::read_to_string(&meta_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| {
                Error::Results(format!(
                    "{}: missing or not valid JSON; run the scenario again",
                    meta_path.display()
                ))
            })?;
        let mut variants = variants_of(&scenario);
        let y = parse_yearly(&yearly, &text, &mut variants)?;
        check_complete(&yearly, &scenario, &y, dir, &variants)?;
        let cohorts = read_cohorts(dir)?;
        Ok(Results {
            dir: dir.to_path_buf(),
            name: str_of(&scenario, "name"),
            description: str_of(&scenario, "description"),
            scenario,
            variants,
            indicators: y.indicators,
            years: y.years.into_iter().collect(),
            values: y.values,
            cohorts,
        })
    }

    /// Index of a variant by name.
    pub fn variant(&self, name: &str) -> Option<usize> {
        self.variants.iter().position(|v| v.name == name)
    }

    /// Index of a variant by name, or an error listing the variants; `None` is the first.
    pub fn variant_or_err(&self, name: Option<&str>) -> Result<usize, Error> {
        match name {
            None => Ok(0),
            Some(n) => self.variant(n).ok_or_else(|| {
                Error::Results(format!(
                    "{}: no variant `{n}`; the variants are: {}",
                    self.dir.display(),
                    self.variant_names().join(", ")
                ))
            }),
        }
    }

    /// Mean, p05 and p95 of `variant` minus `against`, replication by replication.
    pub fn paired_band(
        &self,
        against: usize,
        variant: usize,
        indicator: usize,
        year: u32,
    ) -> [f64; 3] {
        let a = self.reps(against, indicator, year);
        let b = self.reps(variant, indicator, year);
        let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
        band(&d)
    }

    /// Index of an indicator by name.
    pub fn indicator(&self, name: &str) -> Option<usize> {
        self.indicators.iter().position(|v| v == name)
    }

    /// Every replication's value of `indicator` in `year` for `variant` (empty if absent).
    pub fn reps(&self, variant: usize, indicator: usize, year: u32) -> &[f64] {
        self.values
            .get(&(variant, indicator, year))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Mean, p05 and p95 over replications.
    pub fn band(&self, variant: usize, indicator: usize, year: u32) -> [f64; 3] {
        band(self.reps(variant, indicator, year))
    }

    /// The same scenario, variants and years with other figures (one gemeente's or region's:
    /// `report::local`); no cohorts.
    pub fn with_values(
        &self,
        indicators: Vec<String>,
        values: BTreeMap<(usize, usize, u32), Vec<f64>>,
    ) -> Results {
        Results {
            dir: self.dir.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            scenario: self.scenario.clone(),
            variants: self.variants.clone(),
            indicators,
            years: self.years.clone(),
            values,
            cohorts: BTreeMap::new(),
        }
    }

    /// Results with no values, for tests that build their own.
    #[cfg(test)]
    pub(crate) fn bare(years: Vec<u32>) -> Results {
        Results {
            dir: Default::default(),
            name: "test".into(),
            description: String::new(),
            scenario: serde_json::Value::Null,
            variants: Vec::new(),
            indicators: Vec::new(),
            years,
            values: BTreeMap::new(),
            cohorts: BTreeMap::new(),
        }
    }

    /// The variant names.
    pub fn variant_names(&self) -> Vec<&str> {
        self.variants.iter().map(|v| v.name.as_str()).collect()
    }
}
