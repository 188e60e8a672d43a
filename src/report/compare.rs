//! `sociaal compare`: each variant minus the reference variant, replication by replication.
//! All variants of a scenario run with the same seed per replication (common random
//! numbers), so the paired differences carry far less noise than the difference of means.

use super::results::{Results, band};
use crate::error::Error;
use std::fmt::Write as _;

/// Indicators shown by default when they exist: one or two per law, money and stacking.
pub const CORE_INDICATORS: [&str; 10] = [
    "wmo_users",
    "wmo_spending_eur",
    "jeugdhulp_users_year",
    "jeugd_spending_eur",
    "bijstand_persons",
    "wsw_employees",
    "carers_overloaded",
    "stacked_households_2plus",
    "gemeente_result_eur",
    "gemeente_reserves_eur",
];

/// Years shown by default when they exist.
pub const DEFAULT_YEARS: [u32; 6] = [2016, 2019, 2020, 2025, 2030, 2040];

/// One variant-minus-reference comparison.
#[derive(Clone, Debug)]
pub struct CompareRow {
    /// The variant compared.
    pub variant: String,
    /// The indicator.
    pub indicator: String,
    /// The year.
    pub year: u32,
    /// Mean of the reference variant.
    pub reference: f64,
    /// Mean of the variant.
    pub value: f64,
    /// Paired difference: mean, p05, p95 over replications.
    pub diff: [f64; 3],
    /// Mean difference relative to the reference mean (NaN when that is 0).
    pub relative: f64,
    /// Replications paired.
    pub n: usize,
}

/// What to compare; `None` takes the defaults.
#[derive(Clone, Debug, Default)]
pub struct CompareRequest {
    /// The reference variant (default: the first).
    pub against: Option<String>,
    /// Indicators (default: [`CORE_INDICATORS`] that exist).
    pub indicators: Option<Vec<String>>,
    /// Years (default: [`DEFAULT_YEARS`] that exist, else every year).
    pub years: Option<Vec<u32>>,
}

fn listing<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves a request against what the results hold; unknown names get an error listing
/// what exists.
pub fn resolve(r: &Results, req: &CompareRequest) -> Result<(usize, Vec<usize>, Vec<u32>), Error> {
    let against = r.variant_or_err(req.against.as_deref())?;
    let indicators = match &req.indicators {
        None => CORE_INDICATORS
            .iter()
            .filter_map(|n| r.indicator(n))
            .collect(),
        Some(names) => {
            let mut out = Vec::new();
            for n in names {
                out.push(r.indicator(n).ok_or_else(|| {
                    let near: Vec<&String> = r
                        .indicators
                        .iter()
                        .filter(|i| i.contains(n.as_str()) || n.contains(i.as_str()))
                        .collect();
                    Error::Results(format!(
                        "{}: no indicator `{n}`{}; `sociaal indicators` lists all {} of them",
                        r.dir.display(),
                        if near.is_empty() {
                            String::new()
                        } else {
                            format!(" (did you mean: {}?)", listing(near))
                        },
                        r.indicators.len()
                    ))
                })?);
            }
            out
        }
    };
    let years = match &req.years {
        None => {
            let d: Vec<u32> = DEFAULT_YEARS
                .iter()
                .copied()
                .filter(|y| r.years.contains(y))
                .collect();
            if d.is_empty() { r.years.clone() } else { d }
        }
        Some(ys) => {
            for y in ys {
                if !r.years.contains(y) {
                    return Err(Error::Results(format!(
                        "{}: no year {y}; the results hold {}-{}",
                        r.dir.display(),
                        r.years.first().copied().unwrap_or(0),
                        r.years.last().copied().unwrap_or(0)
                    )));
                }
            }
            ys.clone()
        }
    };
    Ok((against, indicators, years))
}

/// Every other variant minus `against`, per indicator and year.
pub fn compare(r: &Results, req: &CompareRequest) -> Result<Vec<CompareRow>, Error> {
    let (against, indicators, years) = resolve(r, req)?;
    if r.variants.len() < 2 {
        return Err(Error::Results(format!(
            "{}: scenario `{}` has one variant ({}); compare needs two or more",
            r.dir.display(),
            r.name,
            listing(r.variant_names())
        )));
    }
    let mut rows = Vec::new();
    for (vi, v) in r.variants.iter().enumerate() {
        if vi == against {
            continue;
        }
        for &ii in &indicators {
            for &y in &years {
                let a = r.reps(against, ii, y);
                let b = r.reps(vi, ii, y);
                let n = a.len().min(b.len());
                let diff = r.paired_band(against, vi, ii, y);
                let reference = band(a)[0];
                rows.push(CompareRow {
                    variant: v.name.clone(),
                    indicator: r.indicators[ii].clone(),
                    year: y,
                    reference,
                    value: band(b)[0],
                    diff,
                    relative: if reference != 0.0 {
                        diff[0] / reference
                    } else {
                        f64::NAN
                    },
                    n,
                });
            }
        }
    }
    Ok(rows)
}

/// A number for people: thousands grouped with commas, small numbers with 3-4 digits.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let a = v.abs();
    if a >= 1000.0 {
        let digits = format!("{:.0}", a);
        let mut out = String::new();
        for (k, ch) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if v < 0.0 { format!("-{out}") } else { out }
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a == 0.0 {
        "0".into()
    } else {
        format!("{v:.3}")
    }
}

fn percent(v: f64) -> String {
    if v.is_finite() {
        format!("{:+.1}%", 100.0 * v)
    } else {
        "-".into()
    }
}

/// `compare.csv`: one row per variant, indicator and year.
pub fn csv(rows: &[CompareRow], against: &str) -> String {
    let mut s = String::from(
        "variant,against,indicator,year,reference_mean,variant_mean,diff_mean,diff_p05,diff_p95,relative_diff,n_pairs\n",
    );
    let f = |v: f64| crate::output::fmt_num(v, 6);
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.variant,
            against,
            r.indicator,
            r.year,
            f(r.reference),
            f(r.value),
            f(r.diff[0]),
            f(r.diff[1]),
            f(r.diff[2]),
            f(r.relative),
            r.n
        );
    }
    s
}

/// A Markdown table of the rows (readable in a terminal as it is).
pub fn table(rows: &[CompareRow], against: &str) -> String {
    let mut s = format!(
        "| variant | indicator | year | {against} | variant | difference [90% interval] | relative |\n|---|---|---|---:|---:|---|---:|\n"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} [{}, {}] | {} |",
            r.variant,
            r.indicator,
            r.year,
            human(r.reference),
            human(r.value),
            human(r.diff[0]),
            human(r.diff[1]),
            human(r.diff[2]),
            percent(r.relative)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_numbers() {
        assert_eq!(human(1_234_567.4), "1,234,567");
        assert_eq!(human(-45_000.0), "-45,000");
        assert_eq!(human(999.0), "999.0");
        assert_eq!(human(0.2478), "0.248");
        assert_eq!(human(0.0), "0");
        assert_eq!(human(f64::NAN), "-");
    }
}
