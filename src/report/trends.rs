//! `sociaal trends`: the main stocks of a scenario's reference variant over the years, each
//! with the cause of its trend in the model. docs/trends.md is its output for the baseline
//! (issue #19): a stock that moves should move for a reason the model contains.

use super::results::Results;
use crate::error::Error;
use crate::scenario::InputError;

/// A stock followed over the years and the cause of its trend in the model.
pub struct Trend {
    /// The indicator.
    pub indicator: &'static str,
    /// Why it moves (or holds) in the model, and how that compares with what is known.
    pub cause: &'static str,
}

/// The stocks followed, in order, with their causes.
pub const TRENDS: &[Trend] = &[
    // Filled in below.
];

/// Formats a value for the table: millions with two decimals from a million, else whole.
fn fmt(x: f64) -> String {
    if !x.is_finite() {
        "-".to_string()
    } else if x.abs() >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x.abs() >= 100.0 {
        let s = format!("{:.0}", x.abs());
        let mut out = String::new();
        for (k, ch) in s.chars().enumerate() {
            if k > 0 && (s.len() - k) % 3 == 0 {
                out.push(' ');
            }
            out.push(ch);
        }
        if x < 0.0 { format!("-{out}") } else { out }
    } else {
        format!("{x:.2}")
    }
}

/// The trends page: a table of each followed stock's mean over replications in `years` (those
/// the results hold), the change from the first to the last, and its cause. `command` is how
/// the page was made (printed at the top so that it can be made again).
pub fn markdown(r: &Results, years: &[u32], command: &str) -> Result<String, Error> {
    let years: Vec<u32> = years
        .iter()
        .copied()
        .filter(|y| r.years.contains(y))
        .collect();
    if years.len() < 2 {
        return Err(InputError::new(
            &r.dir.join("summary.csv"),
            "results holding two of the years asked for",
        )
        .key("--years")
        .found(format!(
            "the years {}-{}",
            r.years.first().copied().unwrap_or(0),
            r.years.last().copied().unwrap_or(0)
        ))
        .into());
    }
    let reference = &r.variants[0].name;
    let mut s = format!(
        "# Trends of the main stocks ({}, variant {reference})\n\n\
         Made by `{command}`; do not edit by hand (the causes live in `src/report/trends.rs`).\n\
         Means over the replications; the last column says why each stock moves in the model.\n\n",
        r.name
    );
    s.push_str("| indicator |");
    for y in &years {
        s.push_str(&format!(" {y} |"));
    }
    s.push_str(" change | cause in the model |\n|---|");
    for _ in &years {
        s.push_str("---:|");
    }
    s.push_str("---:|---|\n");
    for t in TRENDS {
        let Some(i) = r.indicator(t.indicator) else {
            continue;
        };
        let means: Vec<f64> = years.iter().map(|&y| r.band(0, i, y)[0]).collect();
        s.push_str(&format!("| `{}` |", t.indicator));
        for m in &means {
            s.push_str(&format!(" {} |", fmt(*m)));
        }
        let (a, b) = (means[0], means[means.len() - 1]);
        let change = if a != 0.0 && a.is_finite() && b.is_finite() {
            format!("{:+.0}%", (b / a - 1.0) * 100.0)
        } else {
            "-".to_string()
        };
        s.push_str(&format!(" {change} | {} |\n", t.cause));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts_and_millions() {
        assert_eq!(fmt(3_590_000.0), "3.59 M");
        assert_eq!(fmt(218_000.0), "218 000");
        assert_eq!(fmt(-1_234.0), "-1 234");
        assert_eq!(fmt(0.25), "0.25");
        assert_eq!(fmt(f64::NAN), "-");
    }

    #[test]
    fn every_followed_stock_is_an_indicator() {
        for t in TRENDS {
            assert!(
                crate::model::indicators::by_name(t.indicator).is_some(),
                "{} is not an indicator",
                t.indicator
            );
        }
    }
}
