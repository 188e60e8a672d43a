//! The loonwaarde at 18 and the labour status at the start of the warm-up.

use super::kinds::{LabourStatus as S, PwFlags};
use super::rules::effective_loonwaarde;
use crate::engine::{Month, Stream};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, FEMALE, World};
use crate::scenario::params::{Params, ParticipatieParams};

/// Highest loonwaarde drawn for an early disability (from birth or childhood, not LVB): the
/// value is uniform below it. Assumption.
pub(super) const EARLY_DISABILITY_MAX: f64 = 60.0;
/// The labour statuses at the start of the warm-up. They only seed it: the 120 months of
/// warm-up let the labour market settle to the model's own rates, so these are rough
/// assumptions (near CBS's 2005 labour participation, not calibrated).
pub(super) mod initial {
    /// Share of the sheltered target group in the Wsw.
    pub const WSW: f64 = 0.8;
    /// Loonwaarde at 18 below which someone between the sheltered and regular lines may have a
    /// Wajong benefit.
    pub const WAJONG_LOONWAARDE: u8 = 80;
    /// Share of those with a Wajong benefit.
    pub const WAJONG: f64 = 0.4;
    /// Share in education at 18, falling by [`EDUCATION_PER_YEAR`] a year until 25.
    pub const EDUCATION_AT_18: f64 = 0.85;
    /// Yearly fall of the share in education.
    pub const EDUCATION_PER_YEAR: f64 = 0.12;
    /// Age from which nobody starts in education.
    pub const EDUCATION_UNTIL: u32 = 25;
    /// Cumulative shares of the others: employed, then inactive, then bijstand, the rest WW.
    pub const EMPLOYED: f64 = 0.8;
    /// Employed plus inactive.
    pub const INACTIVE: f64 = 0.92;
    /// Employed, inactive plus bijstand.
    pub const BIJSTAND: f64 = 0.97;
}

/// Draws the loonwaarde at 18 and the LVB flag.
pub(crate) fn draw_loonwaarde(p: &ParticipatieParams, seed: u64, id: u32) -> (u8, bool) {
    let l = &p.loonwaarde;
    let mut rng = Stream::new(seed, ps::LABOUR_LOONWAARDE, u64::from(id), 0);
    let u = rng.uniform();
    if u < l.lvb_share.get() {
        let min = l.lvb_min.get().min(100.0);
        ((min + (100.0 - min) * rng.uniform()) as u8, true)
    } else if u < l.lvb_share.get() + l.early_disability_share.get() {
        ((EARLY_DISABILITY_MAX * rng.uniform()) as u8, false)
    } else {
        (100, false)
    }
}

/// Gives every adult at the start of the warm-up a loonwaarde and a plausible status; the
/// warm-up then lets the labour market settle.
pub fn initialise(world: &mut World, p: &Params, month: Month) {
    let pp = &p.participatie;
    let aow = (pp.aow_age.at(month).get() * 12.0) as u32;
    let c = &mut world.citizens;
    for i in 0..c.len() {
        if !c.flags[i].contains(ALIVE) {
            continue;
        }
        let age_m = month.0.saturating_sub(u32::from(c.birth[i]));
        if u32::from(c.birth[i]) > month.0 || age_m < 18 * 12 {
            continue;
        }
        let id = c.id[i];
        let (lw, lvb) = draw_loonwaarde(pp, world.seed, id);
        c.loonwaarde[i] = lw;
        if lvb {
            c.pw[i].insert(PwFlags::LVB);
        }
        c.labour_month[i] = month.0 as u16;
        if age_m >= aow {
            c.labour[i] = S::Pension;
            continue;
        }
        let eff = effective_loonwaarde(pp, lw, c.severity[i], c.flags[i]);
        let l = &pp.loonwaarde;
        let mut rng = Stream::new(world.seed, ps::LABOUR_INITIAL_STATUS, u64::from(id), 0);
        let age = age_m / 12;
        c.labour[i] = if eff < l.no_capacity.get() {
            c.pw[i].insert(PwFlags::WAJONG);
            S::Inactive
        } else if eff < l.sheltered.get() {
            c.pw[i].insert(PwFlags::SHELTERED);
            if rng.chance(initial::WSW) {
                S::Wsw
            } else {
                S::Inactive
            }
        } else if eff < l.regular.get() && lw < initial::WAJONG_LOONWAARDE {
            if rng.chance(initial::WAJONG) {
                c.pw[i].insert(PwFlags::WAJONG);
                S::Wajong
            } else {
                S::Inactive
            }
        } else if age < initial::EDUCATION_UNTIL
            && rng.chance(
                initial::EDUCATION_AT_18 - initial::EDUCATION_PER_YEAR * f64::from(age - 18),
            )
        {
            S::Education
        } else {
            let u = rng.uniform();
            if u < initial::EMPLOYED {
                c.job[i] = super::income::draw_job(
                    pp,
                    world.seed,
                    id,
                    month.0,
                    c.flags[i].contains(FEMALE),
                );
                S::Employed
            } else if u < initial::INACTIVE {
                S::Inactive
            } else if u < initial::BIJSTAND {
                S::Bijstand
            } else {
                S::Ww
            }
        };
    }
}
