//! Phase 7b: which laws each citizen and household uses, now and this year; coordination
//! quality of help across laws (MC50); the stacking base of SCP's counts (facts.md S2, W9).

use super::{JEUGD, PARTICIPATIE, WMO, WMO_CORE};
use crate::engine::{CHUNK, Month};
use crate::model::labour::{Instrument, LabourStatus};
use crate::model::provision::{FormSet, JeugdState, ProvisionSet, WmoState};
use crate::model::world::{ALIVE, World};
use crate::scenario::params::Params;
use rayon::prelude::*;

/// The laws a citizen uses this month (bits [`WMO`], [`JEUGD`], [`PARTICIPATIE`]).
#[inline]
pub fn laws_now(
    wmo: WmoState,
    jeugd: JeugdState,
    labour: LabourStatus,
    instrument: Instrument,
) -> u8 {
    let mut l = 0;
    if wmo.has_maatwerk() {
        l |= WMO;
    }
    if jeugd.in_care() {
        l |= JEUGD;
    }
    if matches!(
        labour,
        LabourStatus::Bijstand | LabourStatus::Wsw | LabourStatus::Beschut
    ) || (instrument != Instrument::None && labour != LabourStatus::None)
    {
        l |= PARTICIPATIE;
    }
    l
}

/// Phase 7b: which laws each citizen and household uses this month and this year.
///
/// A household's `laws` has the same bits as a citizen's, OR-ed over its living members: the
/// laws used now (bits 0-2), this year (bits 3-5) and the core Wmo this year ([`WMO_CORE`]).
pub fn stacking(world: &mut World, month: Month) {
    let january = month.month_of_year() == 1;
    let c = &mut world.citizens;
    let (wmo, jeugd, labour, instrument, flags, household) = (
        &c.wmo,
        &c.jeugd,
        &c.labour,
        &c.instrument,
        &c.flags,
        &c.household,
    );
    // Each chunk also lists the households of its citizens who use a law (a minority), and
    // keeps the provisions and forms of youth care used this year (CBS's yearly counts).
    let users: Vec<Vec<(u32, u8)>> = c
        .laws
        .par_chunks_mut(CHUNK)
        .zip(c.wmo_year.par_chunks_mut(CHUNK))
        .zip(c.jeugd_year.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(ci, ((laws, wmo_year), jeugd_year))| {
            let mut out = Vec::new();
            for (j, l) in laws.iter_mut().enumerate() {
                let i = ci * CHUNK + j;
                if january {
                    (wmo_year[j], jeugd_year[j]) = (ProvisionSet::EMPTY, FormSet::EMPTY);
                }
                let alive = flags[i].contains(ALIVE);
                let now = if alive {
                    laws_now(wmo[i], jeugd[i], labour[i], instrument[i])
                } else {
                    0
                };
                let core = if wmo[i].held().intersects(ProvisionSet::STACKING_BASE) && alive {
                    WMO_CORE
                } else {
                    0
                };
                let year = if january {
                    0
                } else {
                    *l & (0b111_000 | WMO_CORE)
                };
                *l = year | core | now << 3 | now;
                if alive {
                    wmo_year[j] = wmo_year[j] | wmo[i].held();
                    jeugd_year[j] = jeugd_year[j] | jeugd[i].received();
                }
                if alive && *l != 0 {
                    out.push((household[i], *l));
                }
            }
            out
        })
        .collect();
    let h = &mut world.households;
    h.laws.par_iter_mut().for_each(|l| *l = 0);
    for &(k, l) in users.iter().flatten() {
        h.laws[k as usize] |= l;
    }
}

/// The laws a household uses now (bits 0-2 of its `laws`).
#[inline]
pub fn household_laws_now(laws: u8) -> u8 {
    laws & 0b111
}

/// Coordination quality of help to a household using `laws` (a bit mask) this month: 1 for one
/// law, falling with each extra law (MC50), less with one plan per household.
#[inline]
pub fn coordination_quality(p: &Params, month: Month, laws: u8) -> f64 {
    let n = laws.count_ones();
    if n <= 1 {
        return 1.0;
    }
    let gp = &p.gemeente;
    let penalty = gp.coordination_penalty.get()
        * if gp.one_plan.at(month) {
            gp.one_plan_factor.get()
        } else {
            1.0
        };
    1.0 / (1.0 + penalty * f64::from(n - 1))
}

/// True if a person or household with year bits `laws` (as `Citizens::laws`) counts as a user
/// in SCP's stacking base: any provision this year, unless Wmo hulpmiddelen was the only one
/// (facts.md S2, W9).
#[inline]
pub fn in_stacking_base(laws: u8) -> bool {
    let year = (laws >> 3) & 0b111;
    year != 0 && (year != WMO || laws & WMO_CORE != 0)
}

/// True if the citizen used two or more laws this year (for stacked spending).
#[inline]
pub fn stacked(laws: u8) -> bool {
    ((laws >> 3) & 0b111).count_ones() >= 2
}
