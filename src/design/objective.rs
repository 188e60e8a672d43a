//! The validation targets of a design point, and the loss over them.
//!
//! A target's miss is standardised by its tolerance: `z = deviation / tolerance` for a level
//! (|z| <= 1 passes), only the shortfall below the bound for `at_least`, only the part of a
//! change short of the direction asked for `direction` (in units of its tolerance, at least
//! [`DIRECTION_SCALE`]). The loss of a point is the mean of
//! `z^2` over the targets, so every target weighs by its tolerance and a point that meets
//! every target has a loss of at most 1.

use super::point_name;
use crate::report::results::Results;
use crate::report::validate::{Check, Target, TargetKind, check_one};
use crate::scenario::Scenario;

/// `z` for a target whose model value could not be read (a missing year or indicator).
pub const MISSING_Z: f64 = 10.0;

/// Tolerance used where a level target gives 0, so that `z` stays finite.
const MIN_TOLERANCE: f64 = 1e-3;

/// The scale of a direction target's miss where its tolerance is smaller: a change of this
/// much (relative) the wrong way counts as one tolerance. A direction target with tolerance 0
/// asks only for the sign, so a miss of a few percent is not a thousand tolerances.
pub const DIRECTION_SCALE: f64 = 0.05;

/// The targets of `targets` that `base` can be checked on: its scenario's name, and a variant
/// it has (or none).
pub fn targets_for(base: &Scenario, targets: &[Target]) -> Vec<Target> {
    targets
        .iter()
        .filter(|t| t.scenario == base.name)
        .filter(|t| {
            t.variant
                .as_ref()
                .is_none_or(|v| base.variants.iter().any(|x| &x.name == v))
        })
        .cloned()
        .collect()
}

/// The targets checked on point `point` of a design of `base` whose results are `r`.
pub fn checks(r: &Results, base: &Scenario, point: usize, targets: &[Target]) -> Vec<Check> {
    let many = base.variants.len() > 1;
    targets
        .iter()
        .map(|t| {
            let variant = t
                .variant
                .clone()
                .unwrap_or_else(|| base.variants[0].name.clone());
            let mut at = t.clone();
            at.variant = Some(point_name(point, many.then_some(variant.as_str())));
            let mut c = check_one(r, &at);
            c.variant = variant;
            c.target = t.clone();
            c
        })
        .collect()
}

/// The standardised miss of a checked target (0 when met exactly or beyond a bound).
pub fn z(c: &Check) -> f64 {
    let t = &c.target;
    if c.problem.is_some() || !c.model[0].is_finite() {
        return MISSING_Z;
    }
    let tol = t.tolerance.max(MIN_TOLERANCE);
    match t.kind {
        TargetKind::Level | TargetKind::Change => c.deviation / tol,
        TargetKind::AtLeast => c.deviation.min(0.0) / tol,
        TargetKind::Direction => {
            let x = c.model[0];
            let scale = t.tolerance.max(DIRECTION_SCALE);
            if t.value > 0.0 {
                (x - t.tolerance).min(0.0) / scale
            } else if t.value < 0.0 {
                (x + t.tolerance).max(0.0) / scale
            } else {
                x / scale
            }
        }
    }
}

/// The mean of `z^2` over `checks` (0 for none).
pub fn loss(checks: &[Check]) -> f64 {
    if checks.is_empty() {
        return 0.0;
    }
    checks.iter().map(|c| z(c).powi(2)).sum::<f64>() / checks.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: TargetKind, value: f64, model: f64, deviation: f64) -> Check {
        Check {
            target: Target {
                id: "x".into(),
                indicator: "population".into(),
                year: 2016,
                from_year: Some(2015),
                value,
                tolerance: 0.1,
                kind,
                source: String::new(),
                scenario: "baseline".into(),
                variant: None,
                file: None,
            },
            variant: "default".into(),
            model: [model; 3],
            deviation,
            pass: false,
            problem: None,
        }
    }

    #[test]
    fn misses_are_standardised_by_the_tolerance() {
        let level = check(TargetKind::Level, 100.0, 120.0, 0.2);
        assert!((z(&level) - 2.0).abs() < 1e-12);
        // Above a lower bound is no miss; below it is.
        assert_eq!(z(&check(TargetKind::AtLeast, 100.0, 150.0, 0.5)), 0.0);
        assert!((z(&check(TargetKind::AtLeast, 100.0, 80.0, -0.2)) + 2.0).abs() < 1e-12);
        // A rise of 5% where a rise beyond 10% is asked: half a tolerance short.
        assert!((z(&check(TargetKind::Direction, 1.0, 0.05, 0.05)) + 0.5).abs() < 1e-12);
        // Only the sign asked (tolerance 0): a fall of 5% is one unit short, not fifty.
        let mut sign = check(TargetKind::Direction, 1.0, -0.05, -0.05);
        sign.target.tolerance = 0.0;
        assert!((z(&sign) + 1.0).abs() < 1e-12);
        assert_eq!(z(&check(TargetKind::Direction, -1.0, -0.3, -0.3)), 0.0);
        let both = [level, check(TargetKind::AtLeast, 100.0, 150.0, 0.5)];
        assert!((loss(&both) - 2.0).abs() < 1e-12);
        let mut missing = check(TargetKind::Level, 1.0, f64::NAN, f64::NAN);
        missing.problem = Some("no year".into());
        assert_eq!(z(&missing), MISSING_Z);
    }
}
