//! The loonwaarde at 18 and the labour status at the start of the warm-up.

use super::kinds::LabourStatus as S;
use super::rules::effective_loonwaarde;
use crate::engine::{Month, Stream};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, World, pw};
use crate::scenario::params::{Params, ParticipatieParams};

/// Draws the loonwaarde at 18 and the LVB flag.
pub(crate) fn draw_loonwaarde(p: &ParticipatieParams, seed: u64, id: u32) -> (u8, bool) {
    let l = &p.loonwaarde;
    let mut rng = Stream::new(seed, ps::LABOUR_LOONWAARDE, u64::from(id), 0);
    let u = rng.uniform();
    if u < l.lvb_share.get() {
        let min = l.lvb_min.get().min(100.0);
        ((min + (100.0 - min) * rng.uniform()) as u8, true)
    } else if u < l.lvb_share.get() + l.early_disability_share.get() {
        ((60.0 * rng.uniform()) as u8, false)
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
        if c.flags[i] & ALIVE == 0 {
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
            c.pw[i] |= pw::LVB;
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
            c.pw[i] |= pw::WAJONG;
            S::Inactive
        } else if eff < l.sheltered.get() {
            c.pw[i] |= pw::SHELTERED;
            if rng.chance(0.8) { S::Wsw } else { S::Inactive }
        } else if eff < l.regular.get() && lw < 80 {
            if rng.chance(0.4) {
                c.pw[i] |= pw::WAJONG;
                S::Wajong
            } else {
                S::Inactive
            }
        } else if age < 25 && rng.chance(0.85 - 0.12 * f64::from(age - 18)) {
            S::Education
        } else {
            let u = rng.uniform();
            if u < 0.8 {
                S::Employed
            } else if u < 0.92 {
                S::Inactive
            } else if u < 0.97 {
                S::Bijstand
            } else {
                S::Ww
            }
        };
    }
}
