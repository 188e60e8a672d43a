//! Pure rules of work and income: which statuses are work, the effective loonwaarde.

use super::kinds::{LabourStatus, PwFlags};
use crate::model::world::CitizenFlags;
use crate::model::world::{ADULT, Citizens, Households, LIFELONG, MENTAL, NONE, UNDRAWN};
use crate::scenario::params::ParticipatieParams;

/// Severity points above 10 that raise the job-loss hazard (`limitation_job_loss`); none for a
/// lifelong limitation, which the job was found with (the loonwaarde at 18 reflects it).
#[inline]
pub(super) fn health_points(severity: u8, flags: CitizenFlags) -> f64 {
    if flags.contains(LIFELONG) {
        0.0
    } else {
        (f64::from(severity) - 10.0).max(0.0)
    }
}

/// Effective loonwaarde: the value at 18 lowered by a limitation and a psychological problem
/// (not by a lifelong limitation from childhood, which the value at 18 already reflects).
#[inline]
pub fn effective_loonwaarde(
    p: &ParticipatieParams,
    base: u8,
    severity: u8,
    flags: CitizenFlags,
) -> f64 {
    if base == UNDRAWN {
        return 100.0;
    }
    if flags.contains(LIFELONG) {
        return f64::from(base);
    }
    let l = &p.loonwaarde;
    let mut v = f64::from(base) - l.severity_effect.get() * (f64::from(severity) - 20.0).max(0.0);
    if flags.contains(MENTAL) {
        v -= l.mental_effect.get();
    }
    v.clamp(0.0, 100.0)
}

/// Income of a partner that rules out bijstand under the household means test: work, WW, a
/// pension or a Wajong benefit (Participatiewet art. 11 and 31-34: the household's means).
#[inline]
pub fn partner_income(status: LabourStatus, pwf: PwFlags) -> bool {
    match status {
        LabourStatus::Employed
        | LabourStatus::Ww
        | LabourStatus::Wsw
        | LabourStatus::Beschut
        | LabourStatus::Pension => true,
        LabourStatus::None
        | LabourStatus::Bijstand
        | LabourStatus::Nugger
        | LabourStatus::Wajong
        | LabourStatus::Education
        | LabourStatus::Inactive => pwf.contains(PwFlags::WAJONG),
    }
}

/// Income of a parent that brings the duty of maintenance for a young adult living at home
/// (under `bijstand_own_age`, Participatiewet art. 13 lid 1 sub d, the 21-year line): work.
#[inline]
pub fn parent_income(status: LabourStatus) -> bool {
    status.is_work()
}

/// The household means test for citizen `i` aged `age`: no partner with an income and, for a
/// young adult at home, no working parent.
pub(super) fn eligible_for_bijstand(
    c: &Citizens,
    h: &Households,
    pp: &ParticipatieParams,
    i: usize,
    age: u32,
) -> bool {
    let adults = h.adults[c.household[i] as usize];
    let others = adults.into_iter().filter(|&a| a != NONE && a as usize != i);
    if c.flags[i].contains(ADULT) {
        !others
            .clone()
            .any(|a| partner_income(c.labour[a as usize], c.pw[a as usize]))
    } else {
        age >= u32::from(pp.bijstand_own_age)
            || !adults
                .into_iter()
                .any(|a| a != NONE && parent_income(c.labour[a as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labour::reference_params;

    #[test]
    fn effective_loonwaarde_by_case() {
        let p = reference_params().participatie;
        // The rows assume the reference's 0.8 points per severity point above 20 and 10
        // points for a psychological limitation (reference.toml, assumptions).
        assert_eq!(p.loonwaarde.severity_effect.get(), 0.8);
        assert_eq!(p.loonwaarde.mental_effect.get(), 10.0);
        let rows: [(&str, u8, u8, CitizenFlags, f64); 7] = [
            ("no limitation", 100, 0, CitizenFlags::EMPTY, 100.0),
            (
                "a light limitation costs nothing",
                100,
                20,
                CitizenFlags::EMPTY,
                100.0,
            ),
            (
                "severity 70: 50 points above 20",
                100,
                70,
                CitizenFlags::EMPTY,
                60.0,
            ),
            ("and psychological", 100, 70, MENTAL, 50.0),
            (
                "lifelong: the value at 18 already has it",
                40,
                90,
                LIFELONG,
                40.0,
            ),
            (
                "not drawn yet (a child)",
                UNDRAWN,
                50,
                CitizenFlags::EMPTY,
                100.0,
            ),
            ("never below 0", 10, 100, MENTAL, 0.0),
        ];
        for (case, base, severity, flags, want) in rows {
            let got = effective_loonwaarde(&p, base, severity, flags);
            assert!((got - want).abs() < 1e-9, "{case}: {got} != {want}");
        }
    }

    #[test]
    fn household_means_test_incomes() {
        // Participatiewet art. 11, 31-34: a partner's income from work, WW, a pension or a
        // Wajong benefit counts; a young adult's working parents owe maintenance (art. 13).
        let rows: [(LabourStatus, PwFlags, bool, bool); 8] = [
            (LabourStatus::Employed, PwFlags::EMPTY, true, true),
            (LabourStatus::Wsw, PwFlags::EMPTY, true, true),
            (LabourStatus::Ww, PwFlags::EMPTY, true, false),
            (LabourStatus::Pension, PwFlags::EMPTY, true, false),
            (LabourStatus::Inactive, PwFlags::WAJONG, true, false),
            (LabourStatus::Bijstand, PwFlags::EMPTY, false, false),
            (LabourStatus::Nugger, PwFlags::EMPTY, false, false),
            (LabourStatus::Education, PwFlags::EMPTY, false, false),
        ];
        for (status, pwf, partner, parent) in rows {
            assert_eq!(partner_income(status, pwf), partner, "partner {status:?}");
            assert_eq!(parent_income(status), parent, "parent {status:?}");
        }
    }
}
