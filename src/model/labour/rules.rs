//! Pure rules of work and income: which statuses are work, the effective loonwaarde.

use crate::model::world::{LIFELONG, MENTAL, UNDRAWN, labour_status as st};
use crate::scenario::params::ParticipatieParams;

/// Severity points above 10 that raise the job-loss hazard (`limitation_job_loss`); none for a
/// lifelong limitation, which the job was found with (the loonwaarde at 18 reflects it).
#[inline]
pub(super) fn health_points(severity: u8, flags: u8) -> f64 {
    if flags & LIFELONG != 0 {
        0.0
    } else {
        (f64::from(severity) - 10.0).max(0.0)
    }
}

/// True for the statuses that are paid work.
#[inline]
pub fn working(status: u8) -> bool {
    matches!(status, st::EMPLOYED | st::WSW | st::BESCHUT)
}

/// True for the unemployed statuses the gemeente or UWV deal with.
#[inline]
pub(super) fn unemployed(status: u8) -> bool {
    matches!(status, st::WW | st::BIJSTAND | st::NUGGER | st::WAJONG)
}

/// Effective loonwaarde: the value at 18 lowered by a limitation and a psychological problem
/// (not by a lifelong limitation from childhood, which the value at 18 already reflects).
#[inline]
pub fn effective_loonwaarde(p: &ParticipatieParams, base: u8, severity: u8, flags: u8) -> f64 {
    if base == UNDRAWN {
        return 100.0;
    }
    if flags & LIFELONG != 0 {
        return f64::from(base);
    }
    let l = &p.loonwaarde;
    let mut v = f64::from(base) - l.severity_effect.get() * (f64::from(severity) - 20.0).max(0.0);
    if flags & MENTAL != 0 {
        v -= l.mental_effect.get();
    }
    v.clamp(0.0, 100.0)
}
