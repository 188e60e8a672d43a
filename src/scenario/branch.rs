//! Where a variant leaves the reference. Every variant of a replication starts from one state:
//! the first (reference) variant's starting population and warm-up. A variant runs with the
//! reference's parameters until the first month in which its own differ, and with its own from
//! then on; that month is its *branch*, never before the scenario's start (issue #19: a planner
//! compares policies from one starting point, so a variant's parameters must not already act
//! in the warm-up and build a different 2015).
//!
//! Parameters are compared key by key on their serialised form: a dated value (an array of
//! `{ from, value }` steps) differs from the first month in which the values in force differ; any
//! other value differs from the beginning.

use super::params::Params;
use super::types::{Dated, Positive};
use crate::engine::Month;
use serde_json::Value;

/// Keys that only shape the starting state (the geography, the starting population and the
/// number of employers in the pool). Variants start from the reference's state, so a variant
/// may not set them differently: it would silently have no effect.
pub const SETUP_ONLY: [&str; 3] = ["geography", "population", "participatie.employers.per_1000"];

/// Keys that describe rather than parameterise.
const IGNORED: [&str; 2] = ["name", "description"];

/// One key in which a variant's parameters differ from the reference's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The first month in which the values in force differ (`Month(0)`: always).
    pub month: Month,
    /// The key, dotted (`jeugd.purchasing`).
    pub key: String,
}

impl Divergence {
    /// True if the key only shapes the starting state (see [`SETUP_ONLY`]).
    pub fn is_setup_only(&self) -> bool {
        SETUP_ONLY
            .iter()
            .any(|k| self.key == *k || self.key.starts_with(&format!("{k}.")))
    }
}

/// Every key in which `variant` differs from `reference`, earliest month first (then by key).
pub fn divergences(reference: &Params, variant: &Params) -> Vec<Divergence> {
    let (mut r, mut v) = (reference.clone(), variant.clone());
    local_defaults(&mut r, variant);
    local_defaults(&mut v, reference);
    let (a, b) = (to_value(&r), to_value(&v));
    let mut out = Vec::new();
    walk(&a, &b, "", &mut out);
    out.retain(|d| !IGNORED.contains(&d.key.as_str()));
    out.sort_by(|x, y| (x.month, &x.key).cmp(&(y.month, &y.key)));
    out
}

/// The month from which a variant runs with its own parameters, from its [`divergences`]: the
/// first month at or after `start` in which they differ from the reference's, or `None` if
/// they never do before `end`.
pub fn branch(divergences: &[Divergence], start: Month, end: Month) -> Option<Month> {
    divergences
        .iter()
        .map(|d| d.month.max(start))
        .filter(|&m| m <= end)
        .min()
}

/// A gemeente or region named in `[local]`, `[jeugdregio]` or `[arbeidsmarktregio]` by one side
/// only, or without a dated factor, has the factor 1 (what it means to name no factor), so that
/// a dated factor differs from its first month of difference, not from the start. The other
/// choices (`wijkteam`, `strategy`) have no neutral value (unset: as drawn), so setting one
/// differs from the start.
fn local_defaults(p: &mut Params, other: &Params) {
    let one = || Some(Dated::constant(Positive(1.0)));
    for (mine, theirs) in [
        (&mut p.local, &other.local),
        (&mut p.jeugdregio, &other.jeugdregio),
        (&mut p.arbeidsmarktregio, &other.arbeidsmarktregio),
    ] {
        for key in theirs.keys() {
            mine.entry(key.clone()).or_default();
        }
        for l in mine.values_mut() {
            for f in [
                &mut l.team_capacity,
                &mut l.beschut_werk,
                &mut l.youth_places,
            ] {
                if f.is_none() {
                    *f = one();
                }
            }
        }
    }
}

fn to_value(p: &Params) -> Value {
    serde_json::to_value(p).expect("parameters serialise to JSON")
}

fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<Divergence>) {
    if a == b {
        return;
    }
    let key = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (steps(a), steps(b)) {
        (None, None) => match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let null = Value::Null;
                    walk(
                        x.get(k).unwrap_or(&null),
                        y.get(k).unwrap_or(&null),
                        &key(k),
                        out,
                    );
                }
            }
            _ => out.push(Divergence {
                month: Month(0),
                key: path.to_string(),
            }),
        },
        (sa, sb) => {
            let sa = sa.unwrap_or_else(|| vec![(Month(0), a)]);
            let sb = sb.unwrap_or_else(|| vec![(Month(0), b)]);
            let mut months: Vec<Month> = sa.iter().chain(&sb).map(|s| s.0).collect();
            months.sort();
            months.dedup();
            if let Some(&m) = months.iter().find(|&&m| at(&sa, m) != at(&sb, m)) {
                out.push(Divergence {
                    month: m,
                    key: path.to_string(),
                });
            }
        }
    }
}

/// The steps of a dated value (`[{ from = "YYYY-MM", value = ... }, ...]`), if `v` is one.
fn steps(v: &Value) -> Option<Vec<(Month, &Value)>> {
    let arr = v.as_array().filter(|a| !a.is_empty())?;
    arr.iter()
        .map(|s| {
            let o = s.as_object().filter(|o| o.len() == 2)?;
            let from = o.get("from")?.as_str()?;
            let (y, m) = from.split_once('-')?;
            let (y, m) = (y.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            Some((Month::new(y, m), o.get("value")?))
        })
        .collect()
}

/// The value in force in `month` (the first step's before any starts).
fn at<'a>(steps: &[(Month, &'a Value)], month: Month) -> &'a Value {
    let mut v = steps[0].1;
    for &(from, value) in steps {
        if from > month {
            break;
        }
        v = value;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(a: Value, b: Value) -> Vec<(String, Month)> {
        let mut out = Vec::new();
        walk(&a, &b, "", &mut out);
        out.into_iter().map(|d| (d.key, d.month)).collect()
    }

    #[test]
    fn plain_values_differ_always_and_dated_ones_from_their_month() {
        let step = |from: &str, value: f64| json!({ "from": from, "value": value });
        let rows = [
            // (reference, variant, expected divergences)
            (json!({"a": 1.0}), json!({"a": 1.0}), vec![]),
            (
                json!({"a": 1.0}),
                json!({"a": 2.0}),
                vec![("a".to_string(), Month(0))],
            ),
            (
                json!({"t": {"x": "regional"}}),
                json!({"t": {"x": "local"}}),
                vec![("t.x".to_string(), Month(0))],
            ),
            // A dated step from 2020 against a constant: from 2020.
            (
                json!({"a": 1.0}),
                json!({"a": [step("0000-01", 1.0), step("2020-01", 2.0)]}),
                vec![("a".to_string(), Month::new(2020, 1))],
            ),
            // The same change, one year apart: from the earlier.
            (
                json!({"a": [step("0000-01", 1.0), step("2021-01", 2.0)]}),
                json!({"a": [step("0000-01", 1.0), step("2020-01", 2.0)]}),
                vec![("a".to_string(), Month::new(2020, 1))],
            ),
            // Written differently, the same values at every month: no divergence.
            (
                json!({"a": 1.0}),
                json!({"a": [step("0000-01", 1.0), step("2020-01", 1.0)]}),
                vec![],
            ),
            // Arrays that are not dated differ always.
            (
                json!({"a": [1.0, 2.0]}),
                json!({"a": [1.0, 3.0]}),
                vec![("a".to_string(), Month(0))],
            ),
        ];
        for (a, b, want) in rows {
            assert_eq!(diff(a.clone(), b.clone()), want, "{a} vs {b}");
        }
    }

    #[test]
    fn setup_only_keys_are_recognised_by_prefix() {
        let d = |k: &str| Divergence {
            month: Month(0),
            key: k.to_string(),
        };
        assert!(d("population.single_parent_mother_share").is_setup_only());
        assert!(d("geography").is_setup_only());
        assert!(d("participatie.employers.per_1000").is_setup_only());
        assert!(!d("participatie.employers.slots").is_setup_only());
        assert!(!d("participatie.employers.coach_bonus").is_setup_only());
        assert!(!d("populationx").is_setup_only());
    }
}
