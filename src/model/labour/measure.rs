//! The labour market's counts at the end of a month.

use super::kinds::{Instrument, LabourStatus, LabourStatus as S, PwFlags};
use super::state::LabourState;
use crate::engine::map_chunks;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::ParticipatieParams;

/// National labour counts of one month.
#[derive(Clone, Debug, Default)]
pub struct LabourTally {
    /// Persons by labour status (index: the status).
    pub by_status: [u32; LabourStatus::COUNT],
    /// Klassieke bijstand: bijstand, not young disabled nor in the sheltered target group.
    pub bijstand_klassiek: u32,
    /// Of which with an instrument.
    pub klassiek_in_trajectory: u32,
    /// Persons with a Wajong benefit.
    pub wajong: u32,
    /// On the Wsw waiting list.
    pub wsw_waitlist: u32,
    /// Left the Wsw this month: at the AOW age; for another reason (`LabourState`).
    pub wsw_left: [u32; 2],
    /// In a job with a wage-cost subsidy (LKS).
    pub lks: u32,
    /// In begeleid werk (a job with a jobcoach).
    pub begeleid: u32,
    /// In a participatieplaats.
    pub participatieplaats: u32,
    /// With a light instrument.
    pub light: u32,
    /// Nuggers with an instrument.
    pub nugger_in_trajectory: u32,
    /// With problematic debts (18 to AOW age).
    pub debts: u32,
    /// Young disabled (18 to AOW age).
    pub young_disabled: u32,
    /// Sheltered target group not in Wsw or beschut werk and not working.
    pub sheltered_not_working: u32,
    /// Per gemeente: persons in bijstand.
    pub bijstand_per_gemeente: Vec<u32>,
    /// Pool employers employing at least one target-group worker, and all pool employers.
    pub employers_employing: u32,
    /// All pool employers.
    pub employers: u32,
    /// Job offers at pool employers turned down this month (from `LabourState`).
    pub offers_refused: u32,
    /// The median standardised income of persons this month (from `LabourState`).
    pub income_median: f64,
    /// Persons (all ages).
    pub persons: u32,
    /// Persons (all ages) in households below the low-income line.
    pub low_income: u32,
    /// Per [`IncomeGroup`]: persons, of whom below the low-income line, and the sum of their
    /// households' standardised incomes.
    pub groups: [GroupIncome; IncomeGroup::COUNT],
    /// Adults who started work this calendar year to this month, and the sum of their
    /// households' income change in the month they started (from `LabourState`).
    pub work_entries: (u32, f64),
}

/// Groups whose income and poverty the Participatiewet's evaluation follows (facts.md E4-E7,
/// MC18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomeGroup {
    /// The young disabled with capacity to work (entered at 18 with a reduced loonwaarde).
    YoungDisabled,
    /// The sheltered (former Wsw) target group: a loonwaarde in the sheltered band from the
    /// start, no Wajong, working or not.
    Sheltered,
    /// Klassieke bijstand: bijstand, not young disabled nor sheltered.
    KlassiekeBijstand,
    /// In a regular job.
    Employed,
}

impl IncomeGroup {
    /// Every group.
    pub const ALL: [IncomeGroup; 4] = [
        IncomeGroup::YoungDisabled,
        IncomeGroup::Sheltered,
        IncomeGroup::KlassiekeBijstand,
        IncomeGroup::Employed,
    ];
    /// The number of groups.
    pub const COUNT: usize = 4;
}

/// One group's persons, those below the low-income line and their incomes' sum.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GroupIncome {
    /// Persons.
    pub persons: u32,
    /// Of them, in a household below the low-income line.
    pub poor: u32,
    /// Sum of their households' standardised incomes, euros a year.
    pub income: f64,
}

/// Counts the labour market at the end of the month. `pp` sets the loonwaarde bands of the
/// target groups.
pub fn measure(world: &World, pp: &ParticipatieParams, state: &LabourState) -> LabourTally {
    let parts = map_chunks(world.citizens.len(), |r| {
        count(world, pp, state.income_median, r)
    });
    sum(parts, world, state)
}

/// The citizens' counts of [`measure`] over `r` (one chunk).
/// `state_median` is the month's median standardised income (`LabourState::income_median`),
/// from which the low-income line follows.
pub fn count(
    world: &World,
    pp: &ParticipatieParams,
    state_median: f64,
    r: std::ops::Range<usize>,
) -> LabourTally {
    let sheltered_line = pp.loonwaarde.sheltered.get();
    let c = &world.citizens;
    let h = &world.households;
    let n_g = world.geography.gemeenten.len();
    {
        let mut t = LabourTally {
            bijstand_per_gemeente: vec![0; n_g],
            ..Default::default()
        };
        let line = pp.income.low_income_median_share.get() * state_median;
        for i in r {
            if !c.flags[i].contains(ALIVE) {
                continue;
            }
            let lab = c.labour[i];
            let f = c.pw[i];
            t.by_status[usize::from(lab)] += 1;
            let income = h.income[c.household[i] as usize];
            t.persons += 1;
            let poor = f64::from(income) < line;
            t.low_income += u32::from(poor);
            let mut group = |g: IncomeGroup| {
                let x = &mut t.groups[g as usize];
                x.persons += 1;
                x.poor += u32::from(poor);
                x.income += f64::from(income);
            };
            if lab != S::None && lab != S::Pension {
                if f.contains(PwFlags::YOUNG_DISABLED) {
                    group(IncomeGroup::YoungDisabled);
                }
                if f.contains(PwFlags::SHELTERED)
                    && !f.contains(PwFlags::WAJONG)
                    && f64::from(c.loonwaarde[i]) < sheltered_line
                {
                    group(IncomeGroup::Sheltered);
                }
                if lab == S::Bijstand && !f.intersects(PwFlags::YOUNG_DISABLED | PwFlags::SHELTERED)
                {
                    group(IncomeGroup::KlassiekeBijstand);
                }
                if lab == S::Employed {
                    group(IncomeGroup::Employed);
                }
            }
            if lab == S::None || lab == S::Pension {
                continue;
            }
            let instr = c.instrument[i];
            if lab == S::Bijstand {
                t.bijstand_per_gemeente[h.gemeente[c.household[i] as usize] as usize] += 1;
                if !f.intersects(PwFlags::YOUNG_DISABLED | PwFlags::SHELTERED) {
                    t.bijstand_klassiek += 1;
                    if instr != Instrument::None {
                        t.klassiek_in_trajectory += 1;
                    }
                }
            }
            if lab == S::Nugger && instr != Instrument::None {
                t.nugger_in_trajectory += 1;
            }
            if f.contains(PwFlags::WAJONG) {
                t.wajong += 1;
            }
            if f.contains(PwFlags::WSW_WAIT) {
                t.wsw_waitlist += 1;
            }
            if f.contains(PwFlags::DEBT) {
                t.debts += 1;
            }
            // The young disabled the Wajong no longer takes in (facts.md P10: the inflow since
            // 2015); those who entered before are in the Wajong.
            if f.contains(PwFlags::YOUNG_DISABLED) && !f.contains(PwFlags::WAJONG) {
                t.young_disabled += 1;
            }
            // The former Wsw target group without work (facts.md P9): a disability, a loonwaarde
            // in the sheltered band from the start and no Wajong, not the loss of work capacity
            // through illness later in life (which the flag also marks, for beschut werk).
            if f.contains(PwFlags::SHELTERED)
                && !f.contains(PwFlags::WAJONG)
                && f64::from(c.loonwaarde[i]) < sheltered_line
                && !lab.is_work()
            {
                t.sheltered_not_working += 1;
            }
            match (lab, instr) {
                (S::Employed, Instrument::Lks) => t.lks += 1,
                (S::Employed, Instrument::Jobcoach) => t.begeleid += 1,
                (_, Instrument::Participatieplaats) => t.participatieplaats += 1,
                (_, Instrument::Light) => t.light += 1,
                _ => {}
            }
        }
        t
    }
}

/// The national tally from the chunks' counts (integers), with the employers counted here.
pub fn sum(parts: Vec<LabourTally>, world: &World, state: &LabourState) -> LabourTally {
    let n_g = world.geography.gemeenten.len();
    let mut t = LabourTally {
        bijstand_per_gemeente: vec![0; n_g],
        ..Default::default()
    };
    for x in parts {
        t.persons += x.persons;
        t.low_income += x.low_income;
        for (a, b) in t.groups.iter_mut().zip(&x.groups) {
            a.persons += b.persons;
            a.poor += b.poor;
            a.income += b.income;
        }
        for (a, b) in t.by_status.iter_mut().zip(&x.by_status) {
            *a += b;
        }
        t.bijstand_klassiek += x.bijstand_klassiek;
        t.klassiek_in_trajectory += x.klassiek_in_trajectory;
        t.wajong += x.wajong;
        t.wsw_waitlist += x.wsw_waitlist;
        t.lks += x.lks;
        t.begeleid += x.begeleid;
        t.participatieplaats += x.participatieplaats;
        t.light += x.light;
        t.nugger_in_trajectory += x.nugger_in_trajectory;
        t.debts += x.debts;
        t.young_disabled += x.young_disabled;
        t.sheltered_not_working += x.sheltered_not_working;
        for (a, b) in t
            .bijstand_per_gemeente
            .iter_mut()
            .zip(&x.bijstand_per_gemeente)
        {
            *a += b;
        }
    }
    t.wsw_left = state.wsw_left_this_month;
    t.work_entries = state.work_entries;
    t.income_median = state.income_median;
    t.offers_refused = state.refused_this_month;
    let mut employing = vec![false; state.employers.region.len()];
    for &k in &world.placements.employer {
        employing[k as usize] = true;
    }
    t.employers = employing.len() as u32;
    t.employers_employing = employing.iter().filter(|&&x| x).count() as u32;
    t
}
