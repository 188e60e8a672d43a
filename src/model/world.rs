//! The simulated state: citizens and households as struct-of-arrays, plus the geography.
//!
//! Hot per-citizen state is kept compact (30 bytes a citizen, plus about 16 bytes a
//! household): the issue "Scale and speed" runs 17 million citizens within 100 bytes each.
//! Dead citizens and empty households stay in place until the yearly [`World::compact`],
//! which keeps order and remaps references. Persistent ids (`Citizens::id`) key the random
//! streams, so compaction never changes a draw.

use super::geography::{GemeenteId, Geography};
use super::mantelzorg::CareRelation;
use super::provision::{JeugdState, WmoState};
use crate::engine::Month;

/// "No citizen" in a household's adult slot.
pub const NONE: u32 = u32::MAX;

/// Citizen flag: alive and resident.
pub const ALIVE: u8 = 1;
/// Citizen flag: female.
pub const FEMALE: u8 = 2;
/// Citizen flag: an adult of the household (head or partner), not a child living at home.
pub const ADULT: u8 = 4;
/// Citizen flag: living in a Wlz institution (outside municipal care).
pub const WLZ: u8 = 8;
/// Citizen flag: the limitation is psychosocial or cognitive rather than physical.
pub const MENTAL: u8 = 16;
/// Citizen flag: referred to the Wlz and waiting for a place.
pub const WLZ_WAIT: u8 = 32;
/// Citizen flag: the limitation is lifelong, from a disability from birth or childhood (it
/// does not recover, and the loonwaarde drawn at 18 already reflects it).
pub const LIFELONG: u8 = 64;

/// Citizens, struct-of-arrays, indexed by position (`u32`).
#[derive(Clone, Debug, Default)]
pub struct Citizens {
    /// Persistent id: keys the random streams; never reused.
    pub id: Vec<u32>,
    /// Month of birth (as [`Month`]`.0`, which fits a `u16` until the year 5461).
    pub birth: Vec<u16>,
    /// [`ALIVE`], [`FEMALE`], [`ADULT`].
    pub flags: Vec<u8>,
    /// Index of the household.
    pub household: Vec<u32>,
    /// Limitation severity, 0 (none) ..= 100.
    pub severity: Vec<u8>,
    /// Wmo state: provisions held and waited for, the application.
    pub wmo: Vec<WmoState>,
    /// Month (as `Month.0`) of the last Wmo application or decision.
    pub wmo_month: Vec<u16>,
    /// Informal care received, hours a week (all carers).
    pub informal: Vec<u8>,
    /// Informal care received from carers who are not overloaded, hours a week.
    pub informal_ok: Vec<u8>,
    /// Low 4 bits: carers of this citizen; high 4 bits: people this citizen cares for.
    pub care_count: Vec<u8>,
    /// Youth problem severity, 0 (none) ..= 100, for ages 0-22.
    pub youth: Vec<u8>,
    /// Jeugdwet state: forms of youth care received and waited for.
    pub jeugd: Vec<JeugdState>,
    /// Month (as `Month.0`) the current youth waiting or measure started.
    pub jeugd_month: Vec<u16>,
    /// Labour status, see [`labour_status`].
    pub labour: Vec<u8>,
    /// Reintegration instrument, see [`instrument`].
    pub instrument: Vec<u8>,
    /// Loonwaarde at 18 (0-100), before limitations; [`UNDRAWN`] until drawn.
    pub loonwaarde: Vec<u8>,
    /// Participatiewet flags, see [`pw`].
    pub pw: Vec<u8>,
    /// Month (as `Month.0`) the current labour status started.
    pub labour_month: Vec<u16>,
    /// Month (as `Month.0`) the current instrument ends, or the next review.
    pub instrument_until: Vec<u16>,
    /// Laws used (bits `gemeente::WMO`, `JEUGD`, `PARTICIPATIE`): this month in bits 0-2, this
    /// year in bits 3-5.
    pub laws: Vec<u8>,
}

/// Loonwaarde not drawn yet.
pub const UNDRAWN: u8 = 255;

/// Labour status (`Citizens::labour`).
pub mod labour_status {
    /// Under 18 (no labour status yet).
    pub const NONE: u8 = 0;
    /// In paid work at an employer (with or without a subsidy or jobcoach).
    pub const EMPLOYED: u8 = 1;
    /// Unemployed with WW (unemployment insurance, UWV).
    pub const WW: u8 = 2;
    /// Unemployed with bijstand.
    pub const BIJSTAND: u8 = 3;
    /// Unemployed, looking for work, without a benefit (niet-uitkeringsgerechtigd).
    pub const NUGGER: u8 = 4;
    /// Not working, with a Wajong benefit.
    pub const WAJONG: u8 = 5;
    /// Employed in the sociale werkvoorziening (Wsw).
    pub const WSW: u8 = 6;
    /// In beschut werk (sheltered work organised by the gemeente).
    pub const BESCHUT: u8 = 7;
    /// In education.
    pub const EDUCATION: u8 = 8;
    /// Outside the labour force.
    pub const INACTIVE: u8 = 9;
    /// Past the AOW age.
    pub const PENSION: u8 = 10;
}

/// Reintegration instrument (`Citizens::instrument`).
pub mod instrument {
    /// None.
    pub const NONE: u8 = 0;
    /// A light instrument (training) while unemployed.
    pub const LIGHT: u8 = 1;
    /// A participatieplaats (unpaid work keeping the benefit).
    pub const PARTICIPATIEPLAATS: u8 = 2;
    /// Mediated to employers with a wage-cost subsidy; when employed: a job with LKS.
    pub const LKS: u8 = 3;
    /// Mediated with a jobcoach; when employed: begeleid werk.
    pub const JOBCOACH: u8 = 4;
}

/// Participatiewet flags (`Citizens::pw`).
pub mod pw {
    /// Receives a Wajong benefit (working or not).
    pub const WAJONG: u8 = 1;
    /// Young disabled with capacity to work (decided at 18).
    pub const YOUNG_DISABLED: u8 = 2;
    /// Can only work in adapted conditions (the Wsw target group).
    pub const SHELTERED: u8 = 4;
    /// On the Wsw waiting list.
    pub const WSW_WAIT: u8 = 8;
    /// Problematic debts.
    pub const DEBT: u8 = 16;
    /// Mild intellectual disability (LVB).
    pub const LVB: u8 = 32;
    /// Sanctioned (benefit cut).
    pub const SANCTION: u8 = 64;
    /// In a job found through the employer pool (a placement).
    pub const PLACED: u8 = 128;
}

impl Citizens {
    /// Number of slots (alive or not).
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when there are no slots.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Appends a citizen and returns its index.
    pub fn push(&mut self, id: u32, birth: Month, flags: u8, household: u32) -> u32 {
        self.id.push(id);
        self.birth.push(birth.0 as u16);
        self.flags.push(flags);
        self.household.push(household);
        self.severity.push(0);
        self.wmo.push(WmoState::NONE);
        self.wmo_month.push(0);
        self.informal.push(0);
        self.informal_ok.push(0);
        self.care_count.push(0);
        self.youth.push(0);
        self.jeugd.push(JeugdState::NONE);
        self.jeugd_month.push(0);
        self.labour.push(0);
        self.instrument.push(0);
        self.loonwaarde.push(UNDRAWN);
        self.pw.push(0);
        self.labour_month.push(0);
        self.instrument_until.push(0);
        self.laws.push(0);
        (self.id.len() - 1) as u32
    }

    /// Age in whole years in `month`.
    #[inline]
    pub fn age(&self, i: usize, month: Month) -> u32 {
        // Saturating: during the warm-up before the start, the youngest are not born yet.
        month.0.saturating_sub(u32::from(self.birth[i])) / 12
    }

    /// True if alive.
    #[inline]
    pub fn alive(&self, i: usize) -> bool {
        self.flags[i] & ALIVE != 0
    }
}

/// Households, struct-of-arrays. A household with `members == 0` is dissolved.
#[derive(Clone, Debug, Default)]
pub struct Households {
    /// The head (slot 0) and partner (slot 1), or [`NONE`]. Slot 0 is filled whenever slot 1 is.
    pub adults: Vec<[u32; 2]>,
    /// Members: adults plus children living at home.
    pub members: Vec<u8>,
    /// The gemeente the household lives in.
    pub gemeente: Vec<GemeenteId>,
    /// Standardised disposable household income, euros per year.
    pub income: Vec<u32>,
    /// Parenting stress, 0 ..= 100.
    pub stress: Vec<u8>,
    /// Laws the living members use this month and this year: their `Citizens::laws` OR-ed
    /// (rebuilt by `gemeente::stacking`).
    pub laws: Vec<u8>,
}

impl Households {
    /// Number of slots (dissolved or not).
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when there are no slots.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Appends a household and returns its index.
    pub fn push(
        &mut self,
        adults: [u32; 2],
        members: u8,
        gemeente: GemeenteId,
        income: u32,
    ) -> u32 {
        self.adults.push(adults);
        self.members.push(members);
        self.gemeente.push(gemeente);
        self.income.push(income);
        self.stress.push(0);
        self.laws.push(0);
        (self.members.len() - 1) as u32
    }

    /// Number of adults (0, 1 or 2).
    #[inline]
    pub fn n_adults(&self, h: usize) -> u8 {
        u8::from(self.adults[h][0] != NONE) + u8::from(self.adults[h][1] != NONE)
    }

    /// Removes citizen `c` from the adult slots of `h` (keeping slot 0 filled first).
    pub fn remove_adult(&mut self, h: usize, c: u32) {
        let a = &mut self.adults[h];
        if a[0] == c {
            a[0] = a[1];
            a[1] = NONE;
        } else if a[1] == c {
            a[1] = NONE;
        }
    }
}

/// Informal care relationships (mantelzorg), struct-of-arrays. Ended links are removed every
/// month, so every link here is active.
#[derive(Clone, Debug, Default)]
pub struct CareLinks {
    /// The person cared for (citizen index).
    pub recipient: Vec<u32>,
    /// The carer (citizen index).
    pub carer: Vec<u32>,
    /// Hours a week.
    pub hours: Vec<u8>,
    /// Month the care started (as `Month.0`).
    pub start: Vec<u16>,
    /// Relationship of the carer to the person cared for.
    pub relation: Vec<CareRelation>,
    /// The carer's burden in this relationship, 0 ..= 100.
    pub burden: Vec<u8>,
}

impl CareLinks {
    /// Number of links.
    pub fn len(&self) -> usize {
        self.recipient.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.recipient.is_empty()
    }

    /// Adds a link.
    pub fn push(
        &mut self,
        recipient: u32,
        carer: u32,
        hours: u8,
        start: u16,
        relation: CareRelation,
    ) {
        self.recipient.push(recipient);
        self.carer.push(carer);
        self.hours.push(hours);
        self.start.push(start);
        self.relation.push(relation);
        self.burden.push(0);
    }

    /// Keeps the links for which `keep[k]` is true, in order (the six arrays in parallel).
    pub fn retain(&mut self, keep: &[bool]) {
        let map: Vec<u32> = keep.iter().map(|&k| if k { 0 } else { NONE }).collect();
        let m = &map;
        let CareLinks {
            recipient,
            carer,
            hours,
            start,
            relation,
            burden,
        } = self;
        rayon::join(
            || rayon::join(|| retain_by(recipient, m), || retain_by(carer, m)),
            || {
                rayon::join(
                    || rayon::join(|| retain_by(hours, m), || retain_by(start, m)),
                    || rayon::join(|| retain_by(relation, m), || retain_by(burden, m)),
                )
            },
        );
    }
}

/// Jobs of workers with a reduced loonwaarde at pool employers, struct-of-arrays. Ended
/// placements are removed every month.
#[derive(Clone, Debug, Default)]
pub struct Placements {
    /// The worker (citizen index).
    pub worker: Vec<u32>,
    /// The employer (index into the employer pool).
    pub employer: Vec<u32>,
    /// Month the job started (as `Month.0`).
    pub start: Vec<u16>,
    /// Who pays the wage-cost compensation: 0 none, 1 the gemeente (LKS), 2 UWV (Wajong).
    pub payer: Vec<u8>,
}

impl Placements {
    /// Number of placements.
    pub fn len(&self) -> usize {
        self.worker.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.worker.is_empty()
    }

    /// Adds a placement.
    pub fn push(&mut self, worker: u32, employer: u32, start: u16, payer: u8) {
        self.worker.push(worker);
        self.employer.push(employer);
        self.start.push(start);
        self.payer.push(payer);
    }

    /// Keeps the placements for which `keep[k]` is true, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        let map: Vec<u32> = keep.iter().map(|&k| if k { 0 } else { NONE }).collect();
        retain_by(&mut self.worker, &map);
        retain_by(&mut self.employer, &map);
        retain_by(&mut self.start, &map);
        retain_by(&mut self.payer, &map);
    }
}

/// The whole simulated state of one run.
#[derive(Clone, Debug)]
pub struct World {
    /// Citizens.
    pub citizens: Citizens,
    /// Households.
    pub households: Households,
    /// Informal care relationships.
    pub care: CareLinks,
    /// Jobs found through the employer pool.
    pub placements: Placements,
    /// Gemeenten and regions.
    pub geography: Geography,
    /// Next persistent citizen id.
    pub next_id: u32,
    /// Agents per inhabitant.
    pub scale: f64,
    /// The run's seed.
    pub seed: u64,
}

impl World {
    /// Living citizens.
    pub fn population(&self) -> usize {
        self.citizens
            .flags
            .iter()
            .filter(|&&f| f & ALIVE != 0)
            .count()
    }

    /// Removes dead citizens and dissolved households, keeping order, and remaps references.
    pub fn compact(&mut self) {
        let c = &mut self.citizens;
        let h = &mut self.households;
        // New household indices.
        let mut hmap = vec![NONE; h.len()];
        let mut nh = 0u32;
        for (i, &m) in h.members.iter().enumerate() {
            if m > 0 {
                hmap[i] = nh;
                nh += 1;
            }
        }
        // New citizen indices.
        let mut cmap = vec![NONE; c.len()];
        let mut nc = 0u32;
        for (i, &f) in c.flags.iter().enumerate() {
            if f & ALIVE != 0 {
                cmap[i] = nc;
                nc += 1;
            }
        }
        retain_by(&mut c.id, &cmap);
        retain_by(&mut c.birth, &cmap);
        retain_by(&mut c.flags, &cmap);
        retain_by(&mut c.household, &cmap);
        retain_by(&mut c.severity, &cmap);
        retain_by(&mut c.wmo, &cmap);
        retain_by(&mut c.wmo_month, &cmap);
        retain_by(&mut c.informal, &cmap);
        retain_by(&mut c.informal_ok, &cmap);
        retain_by(&mut c.care_count, &cmap);
        retain_by(&mut c.youth, &cmap);
        retain_by(&mut c.jeugd, &cmap);
        retain_by(&mut c.jeugd_month, &cmap);
        retain_by(&mut c.labour, &cmap);
        retain_by(&mut c.instrument, &cmap);
        retain_by(&mut c.loonwaarde, &cmap);
        retain_by(&mut c.pw, &cmap);
        retain_by(&mut c.labour_month, &cmap);
        retain_by(&mut c.instrument_until, &cmap);
        retain_by(&mut c.laws, &cmap);
        let jobs = &mut self.placements;
        let keep: Vec<bool> = jobs
            .worker
            .iter()
            .map(|&w| cmap[w as usize] != NONE)
            .collect();
        jobs.retain(&keep);
        for w in jobs.worker.iter_mut() {
            *w = cmap[*w as usize];
        }
        let care = &mut self.care;
        let keep: Vec<bool> = care
            .recipient
            .iter()
            .zip(&care.carer)
            .map(|(&r, &k)| cmap[r as usize] != NONE && cmap[k as usize] != NONE)
            .collect();
        care.retain(&keep);
        for r in care.recipient.iter_mut().chain(care.carer.iter_mut()) {
            *r = cmap[*r as usize];
        }
        for hh in &mut c.household {
            *hh = hmap[*hh as usize];
        }
        retain_by(&mut h.adults, &hmap);
        retain_by(&mut h.members, &hmap);
        retain_by(&mut h.gemeente, &hmap);
        retain_by(&mut h.income, &hmap);
        retain_by(&mut h.stress, &hmap);
        retain_by(&mut h.laws, &hmap);
        for a in &mut h.adults {
            for s in a.iter_mut() {
                if *s != NONE {
                    *s = cmap[*s as usize];
                }
            }
        }
    }

    /// Checks internal consistency; returns the first problem found. Used by tests and by
    /// debug builds every month.
    pub fn check(&self) -> Result<(), String> {
        let c = &self.citizens;
        let h = &self.households;
        let mut count = vec![0u32; h.len()];
        for i in 0..c.len() {
            if !c.alive(i) {
                continue;
            }
            let hh = c.household[i] as usize;
            if hh >= h.len() || h.members[hh] == 0 {
                return Err(format!("citizen {i} lives in dissolved household {hh}"));
            }
            count[hh] += 1;
            let is_adult = c.flags[i] & ADULT != 0;
            let listed = h.adults[hh].contains(&(i as u32));
            if is_adult != listed {
                return Err(format!(
                    "citizen {i}: adult flag {is_adult} but listed {listed} in household {hh}"
                ));
            }
        }
        for (hh, &m) in h.members.iter().enumerate() {
            if u32::from(m) != count[hh] {
                return Err(format!(
                    "household {hh} says {m} members, has {}",
                    count[hh]
                ));
            }
            if h.adults[hh][0] == NONE && h.adults[hh][1] != NONE {
                return Err(format!("household {hh}: partner without head"));
            }
        }
        Ok(())
    }
}

fn retain_by<T: Copy>(v: &mut Vec<T>, map: &[u32]) {
    let mut w = 0;
    for r in 0..v.len() {
        if map[r] != NONE {
            v[w] = v[r];
            w += 1;
        }
    }
    v.truncate(w);
}
