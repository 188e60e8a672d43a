//! The cohorts of `cohorts.csv`: groups followed over years (the Wsw target group, the young
//! disabled entering at 18, klassieke bijstand).

use super::world::{ALIVE, World};
use crate::engine::Month;
use crate::model::labour::income::own_income;
use crate::model::labour::kinds::LabourStatus as S;
use crate::model::labour::{JobFlags, PwFlags};
use crate::scenario::params::ParticipatieParams;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One person followed in a cohort.
#[derive(Clone, Copy, Debug)]
struct Member {
    id: u32,
    /// Month of entry into the cohort.
    entry: u32,
    /// First month in work within the window (0 = none yet).
    first_work: u32,
    /// First month out of that first job (0 = not yet).
    first_end: u32,
    /// Working in the third year after entry (young disabled).
    working_y3: bool,
    /// Status at the end of the second calendar year (young disabled): bijstand, any benefit.
    bijstand_y2: bool,
    benefit_y2: bool,
    /// At the end of the third year after entry (young disabled): alive, their own yearly
    /// income, their household's standardised income, and their job's quality if working.
    seen_y3: bool,
    personal_y3: f32,
    household_y3: u32,
    job_y3: Option<JobFlags>,
}

impl Member {
    fn new(id: u32, entry: u32) -> Member {
        Member {
            id,
            entry,
            first_work: 0,
            first_end: 0,
            working_y3: false,
            bijstand_y2: false,
            benefit_y2: false,
            seen_y3: false,
            personal_y3: 0.0,
            household_y3: 0,
            job_y3: None,
        }
    }
}

/// The cohorts of `cohorts.csv` (see docs/indicators.md): the Wsw target group at the end of a
/// year, the young disabled entering at 18 in a year, and klassieke bijstand at its start.
#[derive(Clone, Debug, Default)]
pub struct Cohorts {
    wsw: BTreeMap<u32, Vec<Member>>,
    young: BTreeMap<u32, Vec<Member>>,
    bijstand: BTreeMap<u32, Vec<Member>>,
    /// Finished cohort figures: (cohort year, indicator, value).
    pub results: Vec<CohortRow>,
    /// First cohort year followed.
    pub first_year: u32,
}

/// One finished cohort figure: (cohort year, indicator, value).
pub type CohortRow = (u32, &'static str, f64);

/// Cohort indicators with their definitions (docs/indicators.md).
pub const COHORT_DEFINITIONS: [(&str, &str); 10] = [
    (
        COHORT_INDICATORS[0],
        "Of the sheltered (former Wsw) target group without work at the end of year Y (on the Wsw waiting list while it is open), the share with paid work, Wsw and beschut werk included, at some time in the next 48 months (facts.md E5).",
    ),
    (
        COHORT_INDICATORS[1],
        "Of those who found work, the share whose first job lasted 12 months or more (facts.md E6).",
    ),
    (
        COHORT_INDICATORS[2],
        "Of the young disabled with capacity to work entering at 18 in year Y, the share working at some time in the third year after entry (facts.md E7).",
    ),
    (
        COHORT_INDICATORS[3],
        "Of that cohort, the share with bijstand at the end of the second calendar year (December of Y + 1) (facts.md MC18, PW9).",
    ),
    (
        COHORT_INDICATORS[4],
        "Of that cohort, the share with any benefit (bijstand, WW or Wajong) at the end of the second calendar year.",
    ),
    (
        COHORT_INDICATORS[5],
        "Of klassieke bijstand recipients at the start of year Y, the share who found a job during Y (facts.md E4).",
    ),
    (
        COHORT_INDICATORS[6],
        "Of the young disabled entering at 18 in year Y, the mean of their own yearly net income at the end of the third year after entry: work, Wajong, bijstand (the household's norm, shared by a couple), nothing for a nugger (facts.md E7, MC18, PW9).",
    ),
    (
        COHORT_INDICATORS[7],
        "Of that cohort, the mean standardised income of their households at the end of the third year (the incomes of children living at home are not counted in it).",
    ),
    (
        COHORT_INDICATORS[8],
        "Of that cohort's members working at the end of the third year (a job, the Wsw, beschut werk), the share in a part-time job (facts.md E7: often part-time).",
    ),
    (
        COHORT_INDICATORS[9],
        "Of that cohort's members working at the end of the third year, the share on a temporary contract (facts.md E7: often temporary).",
    ),
];

/// Cohort indicator names, in the order they are written.
pub const COHORT_INDICATORS: [&str; 10] = [
    "wsw_target_work_within_4y",
    "wsw_target_job_1y_share",
    "young_disabled_working_y3",
    "young_disabled_bijstand_share",
    "young_disabled_any_benefit_share",
    "bijstand_job_chance",
    "young_disabled_income_y3",
    "young_disabled_household_income_y3",
    "young_disabled_part_time_share",
    "young_disabled_temporary_share",
];

impl Cohorts {
    pub(crate) fn young_disabled_entered(&mut self, id: u32, month: Month) {
        if self.first_year > 0 && month.year() >= self.first_year {
            self.young
                .entry(month.year())
                .or_default()
                .push(Member::new(id, month.0));
        }
    }

    /// Follows every open cohort through `month` (after all of the month's changes), opens new
    /// ones in December, and closes finished ones.
    pub fn step(&mut self, world: &World, pp: &ParticipatieParams, month: Month) {
        if self.first_year == 0 {
            return;
        }
        let c = &world.citizens;
        let h = &world.households;
        let m = month.0;
        let index = |id: u32| -> Option<usize> {
            c.id.binary_search(&id)
                .ok()
                .filter(|&i| c.flags[i].contains(ALIVE))
        };
        let status = |id: u32| index(id).map(|i| (c.labour[i], c.pw[i]));
        // Wsw target group: first work within 48 months after the end of the year; the first
        // job's duration (followed up to 12 months past the window).
        for (&y, members) in self.wsw.iter_mut() {
            let window_end = Month::new(y + 4, 12).0;
            members.par_iter_mut().for_each(|mem| {
                let w = status(mem.id).is_some_and(|(l, _)| l.is_work());
                if mem.first_work == 0 && w && m <= window_end {
                    mem.first_work = m;
                } else if mem.first_work > 0 && mem.first_end == 0 && !w {
                    mem.first_end = m;
                }
            });
        }
        // Young disabled: working in the third year after entry; benefits at the end of the
        // second calendar year.
        for (&y, members) in self.young.iter_mut() {
            members.par_iter_mut().for_each(|mem| {
                let s = status(mem.id);
                if (mem.entry + 24..mem.entry + 36).contains(&m)
                    && s.is_some_and(|(l, _)| l.is_work())
                {
                    mem.working_y3 = true;
                }
                if m == Month::new(y + 1, 12).0
                    && let Some((l, f)) = s
                {
                    mem.bijstand_y2 = l == S::Bijstand;
                    mem.benefit_y2 = l == S::Bijstand || l == S::Ww || f.contains(PwFlags::WAJONG);
                }
                if m == mem.entry + 35
                    && let Some(i) = index(mem.id)
                {
                    mem.seen_y3 = true;
                    mem.household_y3 = h.income[c.household[i] as usize];
                    mem.personal_y3 = own_income(c, h, pp, i, m, None) as f32;
                    mem.job_y3 = c.labour[i].is_work().then_some(c.job[i]);
                }
            });
        }
        // Klassieke bijstand at the start of the year: found a job during it.
        for (&y, members) in self.bijstand.iter_mut() {
            if month.year() == y {
                members.par_iter_mut().for_each(|mem| {
                    if mem.first_work == 0 && status(mem.id).is_some_and(|(l, _)| l == S::Employed)
                    {
                        mem.first_work = m;
                    }
                });
            }
        }
        if month.is_december() {
            let y = month.year();
            let mut wsw = Vec::new();
            let mut bij = Vec::new();
            for i in 0..c.len() {
                if !c.flags[i].contains(ALIVE) {
                    continue;
                }
                let (l, f) = (c.labour[i], c.pw[i]);
                if y >= self.first_year
                    && f.contains(PwFlags::SHELTERED)
                    && !l.is_work()
                    && !matches!(l, S::Pension | S::None | S::Education)
                {
                    wsw.push(Member::new(c.id[i], m));
                }
                if y + 1 >= self.first_year
                    && l == S::Bijstand
                    && !f.intersects(PwFlags::YOUNG_DISABLED | PwFlags::SHELTERED)
                {
                    bij.push(Member::new(c.id[i], m));
                }
            }
            if y >= self.first_year {
                self.wsw.insert(y, wsw);
            }
            if y + 1 >= self.first_year {
                self.bijstand.insert(y + 1, bij);
            }
            self.close(m);
        }
    }

    fn close(&mut self, m: u32) {
        let share = |n: usize, d: usize| if d > 0 { n as f64 / d as f64 } else { f64::NAN };
        for (y, members) in take_done(&mut self.wsw, m, 5) {
            let found: Vec<&Member> = members.iter().filter(|x| x.first_work > 0).collect();
            let long = found
                .iter()
                .filter(|x| {
                    let end = if x.first_end == 0 { m } else { x.first_end };
                    end - x.first_work >= 12
                })
                .count();
            self.results
                .push((y, COHORT_INDICATORS[0], share(found.len(), members.len())));
            self.results
                .push((y, COHORT_INDICATORS[1], share(long, found.len())));
        }
        for (y, members) in take_done(&mut self.young, m, 3) {
            let n = members.len();
            let count = |f: fn(&Member) -> bool| members.iter().filter(|x| f(x)).count();
            self.results
                .push((y, COHORT_INDICATORS[2], share(count(|x| x.working_y3), n)));
            self.results
                .push((y, COHORT_INDICATORS[3], share(count(|x| x.bijstand_y2), n)));
            self.results
                .push((y, COHORT_INDICATORS[4], share(count(|x| x.benefit_y2), n)));
            let seen: Vec<&Member> = members.iter().filter(|x| x.seen_y3).collect();
            let mean = |f: fn(&Member) -> f64| {
                if seen.is_empty() {
                    f64::NAN
                } else {
                    seen.iter().map(|x| f(x)).sum::<f64>() / seen.len() as f64
                }
            };
            self.results
                .push((y, COHORT_INDICATORS[6], mean(|x| f64::from(x.personal_y3))));
            self.results
                .push((y, COHORT_INDICATORS[7], mean(|x| f64::from(x.household_y3))));
            let working: Vec<JobFlags> = seen.iter().filter_map(|x| x.job_y3).collect();
            let of_working = |flag: JobFlags| {
                share(
                    working.iter().filter(|j| j.contains(flag)).count(),
                    working.len(),
                )
            };
            self.results
                .push((y, COHORT_INDICATORS[8], of_working(JobFlags::PART_TIME)));
            self.results
                .push((y, COHORT_INDICATORS[9], of_working(JobFlags::TEMPORARY)));
        }
        for (y, members) in take_done(&mut self.bijstand, m, 0) {
            let f = members.iter().filter(|x| x.first_work > 0).count();
            self.results
                .push((y, COHORT_INDICATORS[5], share(f, members.len())));
        }
    }
}

/// Removes and returns the cohorts whose window closed by month `m`: those of a year `y` with
/// `m` at or after December of `y + years`.
fn take_done(
    cohorts: &mut BTreeMap<u32, Vec<Member>>,
    m: u32,
    years: u32,
) -> Vec<(u32, Vec<Member>)> {
    let done: Vec<u32> = cohorts
        .keys()
        .copied()
        .filter(|&y| m >= Month::new(y + years, 12).0)
        .collect();
    done.into_iter()
        .map(|y| (y, cohorts.remove(&y).unwrap_or_default()))
        .collect()
}
