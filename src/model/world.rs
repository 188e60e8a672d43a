//! The simulated state: citizens and households as struct-of-arrays, plus the geography.
//!
//! Hot per-citizen state is kept compact ([`Citizens::ROW_BYTES`] = 42 bytes a citizen, plus
//! [`Households::ROW_BYTES`] = 17 a household and [`CareLinks::ROW_BYTES`] = 13 a care link;
//! a test keeps these figures true): 17 million citizens fit within 100 bytes each. Each
//! table is declared once with `soa_table!` (`src/model/soa.rs`), which gives `push_default`,
//! `check_lengths` and the compaction of every column from the one list.
//! Dead citizens and empty households stay in place until the yearly [`World::compact`],
//! which keeps order and remaps references. Persistent ids (`Citizens::id`) key the random
//! streams, so compaction never changes a draw.

use super::geography::{GemeenteId, Geography};
use super::labour::{Instrument, JobFlags, LabourStatus, Payer, PwFlags};
use super::mantelzorg::CareRelation;
use super::provision::{FormSet, JeugdState, ProvisionSet, WmoState};
use super::soa::{flag_set, soa_table};
use crate::engine::Month;

/// "No citizen" in a household's adult slot.
pub const NONE: u32 = u32::MAX;

flag_set! {
    /// A citizen's flags (`Citizens::flags`): a set of the flags below, one byte.
    pub struct CitizenFlags;
}

impl CitizenFlags {
    /// A psychological limitation that is not lifelong (it lowers the loonwaarde and employers
    /// weigh it; a lifelong limitation is already in the loonwaarde at 18).
    #[inline]
    pub fn mental_not_lifelong(self) -> bool {
        self.contains(MENTAL) && !self.contains(LIFELONG)
    }
}

/// Citizen flag: alive and resident.
pub const ALIVE: CitizenFlags = CitizenFlags(1);
/// Citizen flag: female.
pub const FEMALE: CitizenFlags = CitizenFlags(2);
/// Citizen flag: an adult of the household (head or partner), not a child living at home.
pub const ADULT: CitizenFlags = CitizenFlags(4);
/// Citizen flag: living in a Wlz institution (outside municipal care).
pub const WLZ: CitizenFlags = CitizenFlags(8);
/// Citizen flag: the limitation is psychosocial or cognitive rather than physical.
pub const MENTAL: CitizenFlags = CitizenFlags(16);
/// Citizen flag: referred to the Wlz and waiting for a place.
pub const WLZ_WAIT: CitizenFlags = CitizenFlags(32);
/// Citizen flag: the limitation is lifelong, from a disability from birth or childhood (it
/// does not recover, and the loonwaarde drawn at 18 already reflects it).
pub const LIFELONG: CitizenFlags = CitizenFlags(64);
/// Arrived as an asylum status holder and has not worked here yet: learning the language and
/// having qualifications recognised keep them further from work for the first years
/// (`participatie.distance.newcomer`).
pub const NEWCOMER: CitizenFlags = CitizenFlags(128);

soa_table! {
    /// Citizens, struct-of-arrays, indexed by position (`u32`).
    pub struct Citizens {
        /// Persistent id: keys the random streams; never reused.
        pub id: u32 = 0,
        /// Month of birth (as [`Month`]`.0`, which fits a `u16` until the year 5461).
        pub birth: u16 = 0,
        /// [`ALIVE`], [`FEMALE`], [`ADULT`].
        pub flags: CitizenFlags = CitizenFlags::EMPTY,
        /// Index of the household.
        pub household: u32 = 0,
        /// Limitation severity, 0 (none) ..= 100.
        pub severity: u8 = 0,
        /// Wmo state: provisions held and waited for, the application.
        pub wmo: WmoState = WmoState::NONE,
        /// Month (as `Month.0`) of the last Wmo application or decision.
        pub wmo_month: u16 = 0,
        /// Informal care received, hours a week (all carers).
        pub informal: u8 = 0,
        /// Informal care received from carers who are not overloaded, hours a week.
        pub informal_ok: u8 = 0,
        /// Low 4 bits: carers of this citizen; high 4 bits: people this citizen cares for.
        pub care_count: u8 = 0,
        /// Youth problem severity, 0 (none) ..= 100, for ages 0-22.
        pub youth: u8 = 0,
        /// Jeugdwet state: forms of youth care received and waited for.
        pub jeugd: JeugdState = JeugdState::NONE,
        /// Month (as `Month.0`) the current youth waiting or measure started.
        pub jeugd_month: u16 = 0,
        /// Labour status.
        pub labour: LabourStatus = LabourStatus::None,
        /// Reintegration instrument.
        pub instrument: Instrument = Instrument::None,
        /// Loonwaarde at 18 (0-100), before limitations; [`UNDRAWN`] until drawn.
        pub loonwaarde: u8 = UNDRAWN,
        /// Participatiewet flags.
        pub pw: PwFlags = PwFlags::EMPTY,
        /// Net earnings in a full-time job, tens of euros a year ([`UNDRAWN_EARNINGS`] until
        /// drawn at entering the labour market): what a job pays, WW replaces and a pension
        /// follows (`labour::income`).
        pub earnings: u16 = UNDRAWN_EARNINGS,
        /// The current or last job's quality (part-time, temporary).
        pub job: JobFlags = JobFlags::EMPTY,
        /// What this citizen's part of their household's income depended on at the last
        /// income update (`labour::income::income_key`; [`NO_INCOME_KEY`] for none yet): a
        /// household is recomputed only when one of its members' keys changed.
        pub income_key: u32 = NO_INCOME_KEY,
        /// Month (as `Month.0`) the current labour status started.
        pub labour_month: u16 = 0,
        /// Month (as `Month.0`) the current instrument ends, or the next review.
        pub instrument_until: u16 = 0,
        /// Laws used (bits `gemeente::WMO`, `JEUGD`, `PARTICIPATIE`): this month in bits 0-2, this
        /// year in bits 3-5.
        pub laws: u8 = 0,
        /// Wmo maatwerk provisions held at some time this calendar year (rebuilt by
        /// `gemeente::stacking`): CBS counts users per provision type over a year.
        pub wmo_year: ProvisionSet = ProvisionSet::EMPTY,
        /// Forms of youth care received at some time this calendar year (as `wmo_year`).
        pub jeugd_year: FormSet = FormSet::EMPTY,
    }
}

/// Loonwaarde not drawn yet.
pub const UNDRAWN: u8 = 255;
/// Earnings not drawn yet.
pub const UNDRAWN_EARNINGS: u16 = 0;
/// No income key yet: the household is recomputed at the next income update.
pub const NO_INCOME_KEY: u32 = u32::MAX;

impl Citizens {
    /// Appends a citizen (every other column at its default) and returns its index.
    pub fn push(&mut self, id: u32, birth: Month, flags: CitizenFlags, household: u32) -> u32 {
        let i = self.push_default();
        self.id[i] = id;
        self.birth[i] = birth.0 as u16;
        self.flags[i] = flags;
        self.household[i] = household;
        i as u32
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
        self.flags[i].contains(ALIVE)
    }
}

soa_table! {
    /// Households, struct-of-arrays. A household with `members == 0` is dissolved.
    pub struct Households {
        /// The head (slot 0) and partner (slot 1), or [`NONE`]. Slot 0 is filled whenever slot 1 is.
        pub adults: [u32; 2] = [NONE; 2],
        /// Members: adults plus children living at home.
        pub members: u8 = 0,
        /// The gemeente the household lives in.
        pub gemeente: GemeenteId = 0,
        /// Standardised disposable household income, euros per year: its adults' incomes this
        /// month (work, benefits, pensions) over the CBS equivalence factor, set by
        /// `labour::income` at the end of phase 7 and where a household forms or changes.
        pub income: u32 = 0,
        /// Parenting stress, 0 ..= 100.
        pub stress: u8 = 0,
        /// Laws the living members use this month and this year: their `Citizens::laws` OR-ed
        /// (rebuilt by `gemeente::stacking`).
        pub laws: u8 = 0,
    }
}

impl Households {
    /// Appends a household and returns its index.
    pub fn push(&mut self, adults: [u32; 2], members: u8, gemeente: GemeenteId) -> u32 {
        let k = self.push_default();
        self.adults[k] = adults;
        self.members[k] = members;
        self.gemeente[k] = gemeente;
        k as u32
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

soa_table! {
    /// Informal care relationships (mantelzorg), struct-of-arrays. Ended links are removed every
    /// month, so every link here is active.
    pub struct CareLinks {
        /// The person cared for (citizen index).
        pub recipient: u32 = 0,
        /// The carer (citizen index).
        pub carer: u32 = 0,
        /// Hours a week.
        pub hours: u8 = 0,
        /// Month the care started (as `Month.0`).
        pub start: u16 = 0,
        /// Relationship of the carer to the person cared for.
        pub relation: CareRelation = CareRelation::Partner,
        /// The carer's burden in this relationship, 0 ..= 100.
        pub burden: u8 = 0,
    }
}

impl CareLinks {
    /// Adds a link.
    pub fn push(
        &mut self,
        recipient: u32,
        carer: u32,
        hours: u8,
        start: u16,
        relation: CareRelation,
    ) {
        let k = self.push_default();
        self.recipient[k] = recipient;
        self.carer[k] = carer;
        self.hours[k] = hours;
        self.start[k] = start;
        self.relation[k] = relation;
    }

    /// Keeps the links for which `keep[k]` is true, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        self.retain_mapped(&keep_map(keep));
    }
}

soa_table! {
    /// Jobs of workers with a reduced loonwaarde at pool employers, struct-of-arrays. Ended
    /// placements are removed every month.
    pub struct Placements {
        /// The worker (citizen index).
        pub worker: u32 = 0,
        /// The employer (index into the employer pool).
        pub employer: u32 = 0,
        /// Month the job started (as `Month.0`).
        pub start: u16 = 0,
        /// Who pays the wage-cost compensation.
        pub payer: Payer = Payer::Employer,
    }
}

impl Placements {
    /// Adds a placement.
    pub fn push(&mut self, worker: u32, employer: u32, start: u16, payer: Payer) {
        let k = self.push_default();
        self.worker[k] = worker;
        self.employer[k] = employer;
        self.start[k] = start;
        self.payer[k] = payer;
    }

    /// Keeps the placements for which `keep[k]` is true, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        self.retain_mapped(&keep_map(keep));
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
            .filter(|&&f| f.contains(ALIVE))
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
            if f.contains(ALIVE) {
                cmap[i] = nc;
                nc += 1;
            }
        }
        c.retain_mapped(&cmap);
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
        h.retain_mapped(&hmap);
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
        c.check_lengths()?;
        h.check_lengths()?;
        self.care.check_lengths()?;
        self.placements.check_lengths()?;
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
            let is_adult = c.flags[i].contains(ADULT);
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

/// The compaction map of a keep list: 0 to keep, [`NONE`] to drop.
fn keep_map(keep: &[bool]) -> Vec<u32> {
    keep.iter().map(|&k| if k { 0 } else { NONE }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::geography::Geography;

    #[test]
    fn bytes_per_row_are_as_documented() {
        // The module documentation and ARCHITECTURE.md ("Memory") quote these.
        assert_eq!(Citizens::ROW_BYTES, 42);
        assert_eq!(Households::ROW_BYTES, 17);
        assert_eq!(CareLinks::ROW_BYTES, 13);
        assert_eq!(Citizens::COLUMNS.len(), 25);
    }

    /// Two households; the first dissolves when its only adult dies. Compaction drops the dead
    /// citizen and the empty household and remaps every reference: households, adult slots,
    /// care links (a link to the dead is dropped) and placements.
    #[test]
    fn compaction_remaps_households_care_links_and_placements() {
        let geo = Geography::from_rows(&[]);
        let mut w = World {
            citizens: Citizens::default(),
            households: Households::default(),
            care: CareLinks::default(),
            placements: Placements::default(),
            geography: geo,
            next_id: 0,
            scale: 1.0,
            seed: 1,
        };
        let m = Month::new(2015, 1);
        let h0 = w.households.push([0, NONE], 1, 0);
        w.households.income[h0 as usize] = 10;
        let h1 = w.households.push([1, 2], 3, 0);
        w.households.income[h1 as usize] = 20;
        w.citizens.push(100, m, ALIVE | ADULT, h0);
        w.citizens.push(101, m, ALIVE | ADULT, h1);
        w.citizens.push(102, m, ALIVE | ADULT | FEMALE, h1);
        w.citizens.push(103, m, ALIVE, h1);
        w.citizens.severity[3] = 42;
        w.care.push(1, 0, 10, 0, CareRelation::Partner); // cares for the one who dies
        w.care.push(1, 2, 20, 0, CareRelation::Partner);
        w.care.push(3, 2, 5, 0, CareRelation::Family);
        w.placements.push(2, 7, 0, Payer::Gemeente);
        w.check().unwrap();
        // Citizen 0 dies; household 0 dissolves.
        w.citizens.flags[0].remove(ALIVE);
        w.households.members[0] = 0;
        w.households.adults[0] = [NONE; 2];
        w.compact();
        w.check().unwrap();
        assert_eq!(w.citizens.id, [101, 102, 103]);
        assert_eq!(w.citizens.severity, [0, 0, 42]);
        assert_eq!(w.citizens.household, [0, 0, 0]);
        assert_eq!(w.households.income, [20]);
        assert_eq!(w.households.adults, [[0, 1]]);
        assert_eq!(w.care.recipient, [0, 2]);
        assert_eq!(w.care.carer, [1, 1]);
        assert_eq!(w.care.hours, [20, 5]);
        assert_eq!(w.placements.worker, [1]);
        assert_eq!(w.placements.payer, [Payer::Gemeente]);
    }
}
