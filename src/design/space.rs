//! The parameter space of a scenario: its numeric keys, each with a range.
//!
//! A key is a dotted path into the scenario's parameters (`needs.onset_rate_65`). A key with
//! one number varies that number ([`FactorKind::Value`]); a dated key with steps
//! (`[{ from = ..., value = ... }]`) varies a factor on every step's value
//! ([`FactorKind::Factor`], 1 = as written), so that its path over time keeps its shape. A key
//! that holds whole numbers (a threshold in severity points, a number of months) varies too,
//! its value rounded ([`Factor::whole`]). Switches, names, the run settings, the geography and
//! local choices are not varied.
//!
//! A key's range is its default times `1 - spread ..= 1 + spread` (a factor's: `1 - spread ..=
//! 1 + spread`), narrowed to what the parameters accept: the key's type (a share at most 1, a
//! rate positive) and the rules between keys (`onset_rate_min <= onset_rate_max`), found by
//! bisection between the default and each end. A key that cannot move at all (shares that
//! must add up to 1) or whose default is 0 is left out, with the reason. Keys of one table
//! whose ranges break a rule together (an order of bounds) shrink towards their defaults until
//! every pair's corners are accepted. A range given by the user replaces the default range
//! (and must be accepted at both ends).

use crate::scenario::params::Params;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Top-level keys never varied besides the run settings ([`crate::scenario::RUN_KEYS`]): the
/// description, the geography, local choices.
pub const FIXED: &[&str] = &[
    "description",
    "geography",
    "local",
    "jeugdregio",
    "arbeidsmarktregio",
];

/// Whether a top-level key is never varied.
fn fixed(key: &str) -> bool {
    crate::scenario::RUN_KEYS.contains(&key) || FIXED.contains(&key)
}

/// Bisection steps towards the default when an end of a range is not accepted.
const BISECTIONS: u32 = 24;

/// How a factor acts on its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// The key's value.
    Value,
    /// A factor on every step of a dated key (1 = as written).
    Factor,
}

/// One varied key with its range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    /// Dotted key.
    pub key: String,
    /// How it acts on the key.
    pub kind: FactorKind,
    /// The scenario's value (1 for a factor).
    pub default: f64,
    /// Lowest value.
    pub lo: f64,
    /// Highest value.
    pub hi: f64,
    /// The key holds whole numbers: a value (or each scaled step) is rounded.
    pub whole: bool,
    /// `reference.toml` calls its default an assumption (or calibrated), so its default range
    /// is wide (`spread`); a sourced figure (CBS, a law) ranges over `fact_spread`.
    pub assumption: bool,
}

impl Factor {
    /// The value at `u` in `0 ..= 1` of the range.
    pub fn at(&self, u: f64) -> f64 {
        self.lo + u * (self.hi - self.lo)
    }

    /// Where `x` lies in the range, `0 ..= 1`.
    pub fn unit(&self, x: f64) -> f64 {
        if self.hi > self.lo {
            (x - self.lo) / (self.hi - self.lo)
        } else {
            0.5
        }
    }

    /// `key`, or `key (factor)` for a factor on a dated key.
    pub fn label(&self) -> String {
        match self.kind {
            FactorKind::Value => self.key.clone(),
            FactorKind::Factor => format!("{} (factor)", self.key),
        }
    }
}

/// A key left out of a space, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    /// Dotted key.
    pub key: String,
    /// Why.
    pub why: String,
}

/// A numeric key: its dotted path, kind, value (1 for a factor) and whether it is whole.
pub type NumericKey = (String, FactorKind, f64, bool);

/// Every numeric key of `p` that a design may vary, in the parameters' order.
pub fn numeric_keys(p: &Params) -> Vec<NumericKey> {
    let v = serde_json::to_value(p).expect("parameters serialise to JSON");
    let mut out = Vec::new();
    if let Value::Object(m) = &v {
        for (k, x) in m {
            if !fixed(k) {
                walk(x, k, &mut out);
            }
        }
    }
    out
}

fn walk(v: &Value, path: &str, out: &mut Vec<NumericKey>) {
    match v {
        Value::Number(n) => {
            out.push((
                path.to_string(),
                FactorKind::Value,
                n.as_f64().unwrap_or(0.0),
                !n.is_f64(),
            ));
        }
        Value::Object(m) => {
            for (k, x) in m {
                walk(x, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(steps) if !steps.is_empty() && steps.iter().all(is_numeric_step) => {
            let whole = steps
                .iter()
                .all(|s| s.get("value").is_some_and(|x| !x.is_f64()));
            out.push((path.to_string(), FactorKind::Factor, 1.0, whole));
        }
        _ => {}
    }
}

fn is_numeric_step(s: &Value) -> bool {
    s.get("from").is_some() && s.get("value").is_some_and(|x| x.as_f64().is_some())
}

/// `p` with every factor set to its value in `point`; an error says which rule a value
/// breaks.
pub fn assign(p: &Params, factors: &[Factor], point: &[f64]) -> Result<Params, String> {
    assign_json(
        serde_json::to_value(p).expect("parameters serialise to JSON"),
        factors,
        point,
    )
}

/// [`assign`] on parameters already written as JSON (`v`, which is used up): for many
/// assignments to the same parameters.
pub(crate) fn assign_json(
    mut v: Value,
    factors: &[Factor],
    point: &[f64],
) -> Result<Params, String> {
    for (f, &x) in factors.iter().zip(point) {
        let slot = f
            .key
            .split('.')
            .try_fold(&mut v, |node, k| node.get_mut(k))
            .ok_or_else(|| format!("no key `{}` in the scenario", f.key))?;
        match f.kind {
            FactorKind::Value => *slot = number(x, f.whole),
            FactorKind::Factor => {
                let Value::Array(steps) = slot else {
                    return Err(format!("`{}` has no dated steps", f.key));
                };
                for s in steps {
                    if let Some(val) = s.get_mut("value") {
                        *val = number(val.as_f64().unwrap_or(0.0) * x, f.whole);
                    }
                }
            }
        }
    }
    let params: Params = serde_json::from_value(v).map_err(|e| e.to_string())?;
    params
        .check()
        .map_err(|e| format!("{}: expected {}, found {}", e.key, e.expected, e.found))?;
    Ok(params)
}

/// `x` as a JSON number: rounded to a whole number for a `whole` key.
fn number(x: f64, whole: bool) -> Value {
    if whole && x.is_finite() {
        Value::from(x.round() as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// The keys to vary: those of `keys` (a key, or a table such as `needs` for every numeric key
/// under it; all numeric keys when empty), each with its range (`ranges` where given,
/// otherwise `spread` around the default for an assumption and `fact_spread` for a sourced
/// figure, as `reference.toml` documents the key, narrowed to what `p` accepts). Keys in which
/// the scenario's `variants` differ are left out too (a point would erase the difference).
pub fn space(
    p: &Params,
    variants: &[&Params],
    keys: &[String],
    (spread, fact_spread): (f64, f64),
    ranges: &BTreeMap<String, (f64, f64)>,
) -> Result<(Vec<Factor>, Vec<LeftOut>), String> {
    let notes = crate::scenario::reference_notes();
    let all = numeric_keys(p);
    for k in keys.iter().chain(ranges.keys()) {
        let under = |key: &str| key == k || key.starts_with(&format!("{k}."));
        if !all.iter().any(|(key, ..)| under(key)) {
            let near = crate::scenario::error::nearest(k, all.iter().map(|(key, ..)| key.as_str()));
            return Err(format!(
                "`{k}` is not a numeric key of the scenario (nor a table of them){}",
                near.map_or(String::new(), |n| format!("; did you mean `{n}`?"))
            ));
        }
    }
    let wanted = |key: &str| {
        keys.is_empty()
            || keys
                .iter()
                .any(|k| key == k || key.starts_with(&format!("{k}.")))
    };
    let differ: Vec<String> = variants
        .iter()
        .flat_map(|v| crate::scenario::branch::divergences(p, v))
        .map(|d| d.key)
        .collect();
    let json = serde_json::to_value(p).expect("parameters serialise to JSON");
    let mut factors = Vec::new();
    let mut left = Vec::new();
    for (key, kind, default, whole) in all.into_iter().filter(|(k, ..)| wanted(k)) {
        let assumption = is_assumption(notes.get(&key).map(String::as_str));
        if differ
            .iter()
            .any(|d| d == &key || d.starts_with(&format!("{key}[")))
        {
            left.push(LeftOut {
                key,
                why: "the scenario's variants differ in it".into(),
            });
            continue;
        }
        let probe = |x: f64| {
            let f = Factor {
                key: key.clone(),
                kind,
                default,
                lo: x,
                hi: x,
                whole,
                assumption,
            };
            assign_json(json.clone(), &[f], &[x])
        };
        let (lo, hi) = if let Some(&(lo, hi)) = ranges.get(&key) {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(format!(
                    "range of `{key}`: {lo} to {hi}, expected two finite numbers, the lower first"
                ));
            }
            for x in [lo, hi] {
                probe(x).map_err(|e| format!("range of `{key}`: {x} is not accepted ({e})"))?;
            }
            (lo, hi)
        } else {
            if default == 0.0 {
                left.push(LeftOut {
                    key,
                    why: "its default is 0, so a relative range is empty (give a range)".into(),
                });
                continue;
            }
            let accepted = |x: f64| probe(x).is_ok();
            let end = |target: f64| -> f64 {
                if accepted(target) {
                    return target;
                }
                let (mut good, mut bad) = (default, target);
                for _ in 0..BISECTIONS {
                    let mid = 0.5 * (good + bad);
                    if accepted(mid) {
                        good = mid;
                    } else {
                        bad = mid;
                    }
                }
                good
            };
            let s = if assumption { spread } else { fact_spread };
            let (a, b) = (default * (1.0 - s), default * (1.0 + s));
            let (lo, hi) = (end(a.min(b)), end(a.max(b)));
            // Less than a hundredth of the range asked for: tied to other keys by a rule.
            if hi - lo < 0.01 * (b - a).abs() {
                left.push(LeftOut {
                    key,
                    why: "hardly any value but the default is accepted (a rule ties it to other keys)"
                        .into(),
                });
                continue;
            }
            (lo, hi)
        };
        factors.push(Factor {
            key,
            kind,
            default,
            lo,
            hi,
            whole,
            assumption,
        });
    }
    let given: Vec<bool> = factors
        .iter()
        .map(|f| ranges.contains_key(&f.key))
        .collect();
    narrow_jointly(&json, &mut factors, &given);
    Ok((factors, left))
}

/// What in a key's note in `reference.toml` names a source for its default.
const SOURCES: &[&str] = &[
    "CBS",
    "facts.md",
    "SCP",
    "UWV",
    "CPB",
    "CAK",
    "Iv3",
    "RIVM",
    "Kernprognose",
    "Eurostat",
    "Panteia",
    "Inspectie",
    "Cedris",
    "NZa",
    "VNG",
    "Rijk",
    "Staatscourant",
    "Wet ",
    "wet ",
    "Wmo 2015",
    "Jeugdwet",
    "Participatiewet",
    "Algemene",
    "Besluit",
    "Regeling",
];

/// Whether a key's note in `reference.toml` makes its default an assumption: it says so (or
/// calibrated), or it names no source; only a note that cites one without calling the value an
/// assumption makes it a sourced figure.
fn is_assumption(note: Option<&str>) -> bool {
    note.is_none_or(|n| {
        let lower = n.to_lowercase();
        lower.contains("assumption")
            || lower.contains("calibrat")
            || !SOURCES.iter().any(|s| n.contains(s))
    })
}

/// Rounds of [`narrow_jointly`].
const JOINT_ROUNDS: usize = 12;

/// Share of a range kept when two keys' ranges break a rule together.
const JOINT_SHRINK: f64 = 0.8;

/// Narrows the default ranges of keys of one table that break a rule together at the ends
/// of their ranges (an order such as `no_capacity <= sheltered <= regular`): both shrink
/// towards their defaults until every pair's four corners are accepted, so that the points of
/// a design rarely break a rule. Ranges the user gave (`given`) stay as they are.
fn narrow_jointly(p: &Value, factors: &mut [Factor], given: &[bool]) {
    use rayon::prelude::*;
    let table = |f: &Factor| f.key.split('.').next().unwrap_or("").to_string();
    let tables: Vec<String> = factors.iter().map(table).collect();
    // A pair neither of whose ranges changed gives the same answer as last round.
    let mut changed = vec![true; factors.len()];
    for _ in 0..JOINT_ROUNDS {
        let current: &[Factor] = factors;
        // Each key at each end of its range against the later keys of its table at each end.
        let tasks: Vec<(usize, f64, f64, Vec<usize>)> = (0..current.len())
            .flat_map(|i| {
                let partners: Vec<usize> = (i + 1..current.len())
                    .filter(|&j| {
                        tables[i] == tables[j]
                            && !(given[i] && given[j])
                            && (changed[i] || changed[j])
                    })
                    .collect();
                let any = !partners.is_empty();
                [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
                    .into_iter()
                    .filter(move |_| any)
                    .map(move |(a, b)| (i, a, b, partners.clone()))
            })
            .collect();
        let broken: Vec<(usize, usize)> = tasks
            .par_iter()
            .flat_map_iter(|(i, a, b, partners)| {
                let mut out = Vec::new();
                broken_with(p, current, (*i, *a), partners, *b, &mut out);
                out.into_iter().map(move |j| (*i, j))
            })
            .collect();
        let mut shrink = vec![false; factors.len()];
        for (i, j) in broken {
            shrink[i] = !given[i];
            shrink[j] = !given[j];
        }
        if !shrink.iter().any(|&s| s) {
            return;
        }
        for (f, s) in factors.iter_mut().zip(&shrink) {
            if *s {
                f.lo = f.default - JOINT_SHRINK * (f.default - f.lo);
                f.hi = f.default + JOINT_SHRINK * (f.hi - f.default);
            }
        }
        changed = shrink;
    }
}

/// The keys `others` that break a rule with key `i` when `i` is at `a` (0: the lower end of its
/// range, 1: the upper) and they are at `b`, into `out`. Found by halving: all of `others` are
/// tried at once, and only a group that breaks a rule is split, so a table of keys free of
/// rules costs four tries a key rather than four a pair.
fn broken_with(
    p: &Value,
    factors: &[Factor],
    (i, a): (usize, f64),
    others: &[usize],
    b: f64,
    out: &mut Vec<usize>,
) {
    if others.is_empty() {
        return;
    }
    let mut keys = vec![factors[i].clone()];
    let mut values = vec![factors[i].at(a)];
    for &j in others {
        keys.push(factors[j].clone());
        values.push(factors[j].at(b));
    }
    if assign_json(p.clone(), &keys, &values).is_ok() {
        return;
    }
    if let [j] = others {
        out.push(*j);
        return;
    }
    let (left, right) = others.split_at(others.len() / 2);
    broken_with(p, factors, (i, a), left, b, out);
    broken_with(p, factors, (i, a), right, b, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        crate::scenario::load(std::path::Path::new("scenarios/baseline.toml"))
            .expect("the baseline loads")
            .variants[0]
            .params
            .clone()
    }

    #[test]
    fn numeric_keys_are_found_with_their_kind() {
        let p = params();
        let keys = numeric_keys(&p);
        let find = |k: &str| keys.iter().find(|(key, ..)| key == k);
        let onset = find("needs.onset_rate_65").expect("a number");
        assert_eq!(onset.1, FactorKind::Value);
        assert!(onset.2 > 0.0);
        // Run settings and the geography are not varied.
        assert!(find("scale").is_none());
        assert!(keys.iter().all(|(k, ..)| !k.starts_with("geography.")));
        // A dated key with steps is varied by a factor.
        assert!(keys.iter().any(|(_, kind, ..)| *kind == FactorKind::Factor));
        // Whole numbers (severity thresholds) vary too, rounded.
        let t = find("wmo.eligibility_threshold").expect("a whole number");
        assert!(t.3 && t.1 == FactorKind::Value);
        let f = Factor {
            key: "wmo.eligibility_threshold".into(),
            kind: FactorKind::Value,
            default: t.2,
            lo: 7.0,
            hi: 19.0,
            whole: true,
            assumption: true,
        };
        let q = assign(&p, &[f], &[15.4]).unwrap();
        assert_eq!(q.wmo.eligibility_threshold.get(), 15);
    }

    #[test]
    fn ranges_stay_within_what_the_parameters_accept() {
        let p = params();
        let keys = vec![
            "needs".to_string(),
            "population.household_shares".to_string(),
        ];
        let (factors, left) = space(&p, &[], &keys, (0.5, 0.1), &BTreeMap::new()).unwrap();
        let onset = factors
            .iter()
            .find(|f| f.key == "needs.onset_rate_65")
            .unwrap();
        assert!((onset.lo - onset.default * 0.5).abs() < 1e-12);
        assert!((onset.hi - onset.default * 1.5).abs() < 1e-12);
        // Shares that must add up to 1 cannot move one at a time.
        assert!(
            left.iter()
                .any(|l| l.key == "population.household_shares.single"),
            "{left:?}"
        );
        // Sourced figures range narrowly, assumptions widely (as reference.toml says).
        let (f, _) = space(
            &p,
            &[],
            &["demography".into(), "needs".into()],
            (0.5, 0.1),
            &BTreeMap::new(),
        )
        .unwrap();
        let le = f
            .iter()
            .find(|f| f.key == "demography.life_expectancy_men")
            .unwrap();
        assert!(!le.assumption && (le.hi - 1.1).abs() < 1e-9, "{le:?}");
        // A note that names no source is an assumption too; one that cites a source and does
        // not call the value an assumption is a sourced figure.
        assert!(is_assumption(Some(
            "Severity thresholds: referral; verblijf."
        )));
        assert!(is_assumption(Some(
            "Months of WW (UWV). Assumption (3-24 months)."
        )));
        assert!(!is_assumption(Some(
            "Period life expectancy (CBS 2015, rounded)."
        )));
        assert!(is_assumption(None));
        let pe = f.iter().find(|f| f.key == "needs.poverty_effect").unwrap();
        assert!(pe.assumption && (pe.hi - 1.5 * pe.default).abs() < 1e-9);
        // Every end is accepted.
        for f in &factors {
            for x in [f.lo, f.hi] {
                assign(&p, std::slice::from_ref(f), &[x])
                    .unwrap_or_else(|e| panic!("{} = {x}: {e}", f.key));
            }
        }
        // A share's range stops at 1.
        for f in factors.iter().filter(|f| f.key.ends_with("_share")) {
            assert!(f.hi <= 1.0 + 1e-9, "{} up to {}", f.key, f.hi);
        }
    }

    #[test]
    fn ordered_keys_narrow_together() {
        // The loonwaarde bounds must stay in order (no_capacity <= sheltered <= regular): with
        // a wide spread their ranges overlap, so they narrow until any two ends are in order.
        let p = params();
        let keys = vec!["participatie.loonwaarde".to_string()];
        let (f, _) = space(&p, &[], &keys, (0.9, 0.9), &BTreeMap::new()).unwrap();
        assert!(f.len() >= 2);
        for i in 0..f.len() {
            for j in i + 1..f.len() {
                for (a, b) in [
                    (f[i].lo, f[j].lo),
                    (f[i].lo, f[j].hi),
                    (f[i].hi, f[j].lo),
                    (f[i].hi, f[j].hi),
                ] {
                    let pair = [f[i].clone(), f[j].clone()];
                    assign(&p, &pair, &[a, b])
                        .unwrap_or_else(|e| panic!("{} = {a}, {} = {b}: {e}", f[i].key, f[j].key));
                }
            }
        }
    }

    #[test]
    fn a_typo_names_the_nearest_key() {
        let p = params();
        let e = space(
            &p,
            &[],
            &["needs.onset_rate_66".into()],
            (0.5, 0.1),
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(e.contains("did you mean `needs.onset_rate_65`"), "{e}");
    }
}
