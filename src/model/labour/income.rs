//! Income as a flow (issue #25): each month a household's income follows its adults' statuses.
//!
//! A worker earns their earnings (drawn once on entering the labour market, [`draw_earnings`])
//! times the job's hours, and at least the minimum wage for those hours: a job with a wage-cost
//! subsidy (LKS) pays the wage in full while the gemeente makes up the loonwaarde's gap to the
//! minimum wage for the employer (Participatiewet art. 10d). A Wajonger placed by UWV earns
//! the loonwaarde's share of the minimum wage and keeps part of the benefit (loondispensatie).
//! WW replaces a share of the last job's pay; bijstand is the household's norm (the means test
//! lets no partner with an income in), cut while sanctioned; the Wajong, the Wsw wage, beschut
//! werk at the minimum wage, AOW and a pension that follows the earnings. Nobody else brings
//! money in (a nugger, a student, someone outside the labour force), and the incomes of
//! children living at home are left out. The sum over the (at most two) adults, divided by the
//! CBS equivalence factor of the household, is its standardised income: what the Wmo
//! co-payment, the quintiles, parenting stress and the low-income line read.

use super::kinds::{JobFlags, LabourStatus as S, PwFlags};
use super::rules::effective_loonwaarde;
use crate::engine::Stream;
use crate::engine::par::CHUNK;
use crate::model::streams as ps;
use crate::model::world::{
    Citizens, FEMALE, Households, LIFELONG, MENTAL, NO_INCOME_KEY, NONE, UNDRAWN, UNDRAWN_EARNINGS,
    World,
};
use crate::scenario::params::{IncomeParams, ParticipatieParams};
use rayon::prelude::*;

/// The CBS equivalence factor of a couple relative to a single adult (1.37, rounded as in the
/// Wmo co-payment's [`COUPLE_EQUIVALENCE`](crate::model::wmo::COUPLE_EQUIVALENCE)).
const SECOND_ADULT: f64 = 0.4;
/// The CBS equivalence scale's first child at home.
const FIRST_CHILD: f64 = 0.26;
/// Each further child at home (CBS: a couple with one child 1.63, two 1.83, three 2.03).
const FURTHER_CHILD: f64 = 0.2;
/// Highest earnings drawn, euros a year (technical: tens of euros fit a `u16`).
const EARNINGS_CAP: f64 = 655_000.0;

/// The CBS equivalence factor of a household with `adults` adults and `children` other members.
pub fn equivalence(adults: u8, children: u8) -> f64 {
    let mut f = 1.0 + SECOND_ADULT * f64::from(adults.saturating_sub(1).min(1));
    if children > 0 {
        f += FIRST_CHILD + FURTHER_CHILD * f64::from(children - 1);
    }
    f
}

/// A citizen's earnings in a full-time job, in tens of euros a year: log-normal around the
/// median times the gemeente's `local` factor (`population.income_housing`), from a stream
/// keyed by the citizen alone, so the draw is the same whenever it is made. Never
/// [`UNDRAWN_EARNINGS`].
pub fn draw_earnings(ip: &IncomeParams, seed: u64, id: u32, local: f64) -> u16 {
    let mut rng = Stream::new(seed, ps::LABOUR_EARNINGS, u64::from(id), 0);
    let eur =
        local * ip.earnings_median_eur.get() * (ip.earnings_spread.get() * rng.normal()).exp();
    ((eur.clamp(10.0, EARNINGS_CAP) / 10.0).round() as u16).max(1)
}

/// The quality of a job someone starts in `month` (as `Month.0`): part-time with the share of
/// their sex, temporary with `jobs.temporary_share`, from a stream keyed by the citizen and the
/// month.
pub fn draw_job(pp: &ParticipatieParams, seed: u64, id: u32, month: u32, female: bool) -> JobFlags {
    let ip = &pp.income;
    let mut rng = Stream::new(seed, ps::LABOUR_JOB_QUALITY, u64::from(id), month);
    let share = if female {
        ip.part_time_women.get()
    } else {
        ip.part_time_men.get()
    };
    let mut job = JobFlags::EMPTY;
    if rng.chance(share) {
        job.insert(JobFlags::PART_TIME);
    }
    if rng.chance(pp.jobs.temporary_share.get()) {
        job.insert(JobFlags::TEMPORARY);
    }
    job
}

/// The yearly income of a Wajonger earning `wage` a year: the wage, with the Wajong making up
/// `instruments.wajong_supplement` of the gap to the minimum wage, never below the benefit.
pub fn wajong_working(pp: &ParticipatieParams, wage: f64) -> f64 {
    let wml = pp.income.minimum_wage_eur.get();
    let benefit = pp.instruments.wajong_eur.get() * 12.0;
    (wage + pp.instruments.wajong_supplement.get() * (wml - wage).max(0.0)).max(benefit)
}

/// Whether the income of someone with this status and these flags follows their effective
/// loonwaarde: a Wajonger placed in work (loondispensatie) or someone inactive without the
/// Wajong (the WIA, [`wia`]).
#[inline]
fn reads_effective_loonwaarde(status: S, pw: PwFlags) -> bool {
    match status {
        S::Employed => pw.contains(PwFlags::PLACED) && pw.contains(PwFlags::WAJONG),
        S::Inactive => !pw.contains(PwFlags::WAJONG),
        _ => false,
    }
}

/// Whether someone inactive without the Wajong has a WIA benefit: able to work regularly at
/// 18 (loonwaarde `loonwaarde`), kept from it by a limitation since (effective `eff`).
#[inline]
fn wia(pp: &ParticipatieParams, loonwaarde: u8, eff: f64) -> bool {
    let regular = pp.loonwaarde.regular.get();
    f64::from(loonwaarde) >= regular && loonwaarde != UNDRAWN && eff < regular
}

/// Whether citizen `i` started work in `month` (as `Month.0`): the households whose income
/// change on entering work is counted ([`update`]).
#[inline]
fn started_work(c: &Citizens, i: usize, month: u32) -> bool {
    c.labour[i].is_work() && u32::from(c.labour_month[i]) == month && c.alive(i)
}

/// What an adult's income depends on.
#[derive(Clone, Copy, Debug)]
pub struct Adult {
    /// Labour status.
    pub status: S,
    /// Participatiewet flags (Wajong, placed, sanctioned).
    pub pw: PwFlags,
    /// The (last) job's quality.
    pub job: JobFlags,
    /// Net full-time earnings, tens of euros a year.
    pub earnings: u16,
    /// Loonwaarde at 18.
    pub loonwaarde: u8,
    /// Effective loonwaarde now (limitations lower it); worked out by [`Adult::of`] only where
    /// the income depends on it (a Wajonger placed in work, someone inactive without the
    /// Wajong), else 100.
    pub eff: f64,
    /// A woman (for the pension).
    pub female: bool,
}

impl Adult {
    /// Citizen `i` with the status, flags and job `now` (their own, or ones they might have).
    pub fn of(
        c: &Citizens,
        pp: &ParticipatieParams,
        i: usize,
        now: (S, PwFlags, JobFlags),
    ) -> Adult {
        let (status, pw, job) = now;
        let flags = c.flags[i];
        Adult {
            status,
            pw,
            job,
            earnings: c.earnings[i],
            loonwaarde: c.loonwaarde[i],
            eff: if reads_effective_loonwaarde(status, pw) {
                effective_loonwaarde(pp, c.loonwaarde[i], c.severity[i], flags)
            } else {
                100.0
            },
            female: flags.contains(FEMALE),
        }
    }
}

/// What one adult brings in a year besides bijstand (which the household gets as a whole):
/// their work, WW, Wajong, Wsw wage, disability benefit, student finance or pension. `couple`
/// for the AOW of a couple.
pub fn personal(pp: &ParticipatieParams, a: &Adult, couple: bool) -> f64 {
    let ip = &pp.income;
    let wml = ip.minimum_wage_eur.get();
    let earned = f64::from(a.earnings) * 10.0;
    let hours = if a.job.contains(JobFlags::PART_TIME) {
        ip.part_time_hours.get()
    } else {
        1.0
    };
    let wajong = pp.instruments.wajong_eur.get() * 12.0;
    let pw = a.pw;
    match a.status {
        S::Employed if pw.contains(PwFlags::PLACED) && pw.contains(PwFlags::WAJONG) => {
            // Loondispensatie: the employer pays the loonwaarde's share of the minimum wage,
            // the Wajong tops it up.
            wajong_working(pp, wml * (a.eff / 100.0).clamp(0.0, 1.0) * hours)
        }
        S::Employed => earned.max(wml) * hours,
        S::Ww => ip.ww_replacement.get() * earned.max(wml) * hours,
        S::Wajong => wajong,
        S::Wsw => ip.wsw_wage_eur.get(),
        S::Beschut => wml,
        S::Education => ip.student_eur.get(),
        S::Pension => {
            let aow = if couple {
                ip.aow_couple_eur.get()
            } else {
                ip.aow_single_eur.get()
            };
            let gap = if a.female {
                ip.pension_women.get()
            } else {
                1.0
            };
            aow + ip.pension_share.get() * gap * earned
        }
        // Without capacity to work the Wajong stays (the old Wajong and Wajong 2015).
        S::Inactive if pw.contains(PwFlags::WAJONG) => wajong,
        // Able to work at 18, kept from regular work by a limitation since: WIA.
        S::Inactive if wia(pp, a.loonwaarde, a.eff) => {
            ip.disability_replacement.get() * earned.max(wml) * hours
        }
        S::None | S::Bijstand | S::Nugger | S::Inactive => 0.0,
    }
}

/// The bijstand norm of a household whose adult aged `age` is in bijstand: the couple's norm
/// with a partner, else the single adult's (the jongerennorm under 21); cut while sanctioned.
fn bijstand(pp: &ParticipatieParams, adults: u8, age: u32, pw: PwFlags) -> f64 {
    let ip = &pp.income;
    let norm = if adults >= 2 {
        ip.bijstand_couple_eur.get()
    } else if age < 21 {
        ip.bijstand_young_eur.get()
    } else {
        ip.bijstand_single_eur.get()
    };
    if pw.contains(PwFlags::SANCTION) {
        norm * (1.0 - pp.gemeente.sanction_cut.get())
    } else {
        norm
    }
}

/// Kinderbijslag and the income-dependent allowances (zorgtoeslag, kindgebonden budget) of a
/// household with `adults` adults, `children` other members and `income` from work, benefits
/// and pensions, euros a year.
pub fn allowances(ip: &IncomeParams, adults: u8, children: u8, income: f64) -> f64 {
    let n = f64::from(children);
    let most = if adults >= 2 {
        ip.allowances_couple_eur.get()
    } else {
        ip.allowances_single_eur.get()
    } + ip.allowances_child_eur.get() * n;
    let above = (income - ip.minimum_wage_eur.get()).max(0.0);
    ip.child_benefit_eur.get() * n + (most - ip.allowances_taper.get() * above).max(0.0)
}

/// What adult `i` of a household with `adults` adults brings in, euros a year: their own
/// income ([`personal`]), or for a bijstand recipient the household's norm *negated*
/// (bijstand belongs to the household: it makes its income up to the highest norm).
fn contribution(c: &Citizens, pp: &ParticipatieParams, i: usize, adults: u8, month: u32) -> f64 {
    let (status, pw, job) = (c.labour[i], c.pw[i], c.job[i]);
    if status == S::Bijstand {
        let age = month.saturating_sub(u32::from(c.birth[i])) / 12;
        -bijstand(pp, adults, age, pw)
    } else {
        personal(pp, &Adult::of(c, pp, i, (status, pw, job)), adults >= 2)
    }
}

/// Household `k`'s standardised income in `month` (as `Month.0`), euros a year.
pub fn household(
    c: &Citizens,
    h: &Households,
    k: usize,
    pp: &ParticipatieParams,
    month: u32,
) -> u32 {
    let adults = h.n_adults(k);
    if h.members[k] == 0 || adults == 0 {
        return 0;
    }
    let mut total = 0.0;
    let mut norm: f64 = 0.0;
    for a in h.adults[k] {
        if a == NONE {
            continue;
        }
        let x = contribution(c, pp, a as usize, adults, month);
        if x < 0.0 {
            norm = norm.max(-x);
        } else {
            total += x;
        }
    }
    // Bijstand makes the household's income up to its norm.
    let sum = if norm > 0.0 { total.max(norm) } else { total };
    let children = h.members[k].saturating_sub(adults);
    let disposable = sum + allowances(&pp.income, adults, children, sum);
    (disposable / equivalence(adults, children)).round() as u32
}

/// The chance that someone takes a job that changes their own yearly income by `gain` (euros;
/// negative for a loss): certain for a bijstand recipient (`obliged`, Participatiewet
/// art. 9), else in proportion to the gain up to `jobs.reservation_gain_eur`, a temporary
/// job's gain discounted (facts.md MC22).
pub fn acceptance(pp: &ParticipatieParams, gain: f64, temporary: bool, obliged: bool) -> f64 {
    if obliged {
        return 1.0;
    }
    let j = &pp.jobs;
    let g = if temporary {
        gain * j.temporary_discount.get()
    } else {
        gain
    };
    (g / j.reservation_gain_eur.get()).clamp(0.0, 1.0)
}

/// Citizen `i`'s own yearly income in `month` (as `Month.0`): what they bring in
/// ([`personal`]), or for a bijstand recipient the household's norm (shared by a couple); with
/// `then`, as if they had that status, those flags and that job instead.
pub fn own_income(
    c: &Citizens,
    h: &Households,
    pp: &ParticipatieParams,
    i: usize,
    month: u32,
    then: Option<(S, PwFlags, JobFlags)>,
) -> f64 {
    let hh = c.household[i] as usize;
    let adults = if h.adults[hh].contains(&(i as u32)) {
        h.n_adults(hh)
    } else {
        1
    };
    let (status, pw, job) = then.unwrap_or((c.labour[i], c.pw[i], c.job[i]));
    if status == S::Bijstand {
        let age = month.saturating_sub(u32::from(c.birth[i])) / 12;
        return bijstand(pp, adults, age, pw) / f64::from(adults.max(1));
    }
    personal(pp, &Adult::of(c, pp, i, (status, pw, job)), adults >= 2)
}

/// Width of a bin of the income histogram, euros a year.
pub const INCOME_BIN: u32 = 100;
/// Bins of the income histogram (up to EUR 300 000; the last holds everything above).
pub const INCOME_BINS: usize = 3000;

/// The median of a histogram of [`INCOME_BIN`]-euro bins: the middle of the bin holding the
/// middle person (0 for none).
pub fn median(hist: &[u64]) -> f64 {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let mut seen = 0u64;
    for (b, &x) in hist.iter().enumerate() {
        seen += x;
        if 2 * seen >= total {
            return (b as f64 + 0.5) * f64::from(INCOME_BIN);
        }
    }
    0.0
}

/// Everything citizen `i`'s part of their household's income depends on besides the
/// household's make-up, packed exactly into 32 bits: what [`personal`] and the bijstand norm
/// read of them. Always: the labour status, the Wajong, placed and sanctioned flags, a
/// part-time job, being under 21 in `month` (the jongerennorm), being a woman (the pension);
/// then by status, the earnings (work, WW, pension; a WIA benefit, with whether they have
/// one), or for a Wajonger placed in work what their effective loonwaarde follows
/// (loonwaarde, severity, the limitation's kind). Never [`NO_INCOME_KEY`] (no status has
/// code 15).
#[inline]
pub fn income_key(c: &Citizens, pp: &ParticipatieParams, i: usize, month: u32) -> u32 {
    let (status, pw, flags) = (c.labour[i], c.pw[i], c.flags[i]);
    let read = PwFlags::WAJONG | PwFlags::PLACED | PwFlags::SANCTION;
    let young = month.saturating_sub(u32::from(c.birth[i])) < 21 * 12;
    let head = u32::from(status as u8)
        | u32::from(pw.bits() & read.bits()) << 4
        | u32::from(c.job[i].contains(JobFlags::PART_TIME)) << 12
        | u32::from(young) << 13
        | u32::from(flags.contains(FEMALE)) << 14;
    let earnings = u32::from(c.earnings[i]);
    let lw = c.loonwaarde[i];
    let payload = match status {
        S::Employed if reads_effective_loonwaarde(status, pw) => {
            u32::from(lw)
                | u32::from(c.severity[i]) << 8
                | u32::from(flags.contains(MENTAL)) << 15
                | u32::from(flags.contains(LIFELONG)) << 16
        }
        S::Employed | S::Ww | S::Pension => earnings,
        S::Inactive if reads_effective_loonwaarde(status, pw) => {
            let eff = effective_loonwaarde(pp, lw, c.severity[i], flags);
            if wia(pp, lw, eff) {
                earnings | 1 << 16
            } else {
                0
            }
        }
        _ => 0,
    };
    head | payload << 15
}

/// Brings every household's standardised income up to date with its adults' statuses this
/// month and returns the median over persons (households weighted by their members). With
/// `entries`, adds the adults who started work this month and their households' income
/// change to it.
///
/// Only households whose income can have changed are recomputed: those with a member whose
/// [`income_key`] changed since the last update (a newborn's or an immigrant's first key, any
/// key after [`reset_income_keys`]), who started work this month, or who died or left the
/// country since (the household lost them). A household that formed, split or took in a
/// partner took its income in demography when it changed and is recomputed here only if a
/// member's key changed since; one emptied by a partner moving out has none. Debug builds
/// check every household against [`household`].
pub fn update(
    world: &mut World,
    pp: &ParticipatieParams,
    month: u32,
    entries: Option<&mut (u32, f64)>,
) -> f64 {
    let c = &mut world.citizens;
    // Pass 1, in citizen order: new keys, and the households they mark.
    let marked: Vec<Vec<u32>> = {
        let mut keys = std::mem::take(&mut c.income_key);
        let cr = &*c;
        let out = keys
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(ci, part)| {
                let mut out = Vec::new();
                for (j, key) in part.iter_mut().enumerate() {
                    let i = ci * CHUNK + j;
                    // Someone who died or left since marks the household they left (until
                    // the yearly compaction it is still their `household`).
                    let k = if cr.alive(i) {
                        income_key(cr, pp, i, month)
                    } else {
                        NO_INCOME_KEY
                    };
                    if k != *key || started_work(cr, i, month) {
                        *key = k;
                        out.push(cr.household[i]);
                    }
                }
                out
            })
            .collect();
        c.income_key = keys;
        out
    };
    let mut dirty: Vec<u32> = marked.into_iter().flatten().collect();
    dirty.sort_unstable();
    dirty.dedup();
    // Pass 2: the marked households' incomes.
    let (c, h) = (&world.citizens, &world.households);
    let new: Vec<u32> = dirty
        .par_iter()
        .map(|&k| household(c, h, k as usize, pp, month))
        .collect();
    let (mut n, mut change) = (0u32, 0.0);
    for (&k, &x) in dirty.iter().zip(&new) {
        let k = k as usize;
        for a in h.adults[k] {
            if a != NONE && started_work(c, a as usize, month) {
                // Whole euros: the sum is exact in any order.
                n += 1;
                change += f64::from(x) - f64::from(h.income[k]);
            }
        }
    }
    let h = &mut world.households;
    for (&k, x) in dirty.iter().zip(new) {
        h.income[k as usize] = x;
    }
    // The median over persons; a household emptied since (the partner who moved out of it
    // in demography) has no income.
    let members = &h.members;
    let hists: Vec<Vec<u64>> = h
        .income
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map(|(ci, part)| {
            let mut hist = vec![0u64; INCOME_BINS];
            for (j, x) in part.iter_mut().enumerate() {
                let m = members[ci * CHUNK + j];
                if m == 0 {
                    *x = 0;
                }
                hist[((*x / INCOME_BIN) as usize).min(INCOME_BINS - 1)] += u64::from(m);
            }
            hist
        })
        .collect();
    if cfg!(debug_assertions) {
        let (c, h) = (&world.citizens, &world.households);
        for k in 0..h.len() {
            let full = household(c, h, k, pp, month);
            assert_eq!(
                h.income[k], full,
                "household {k}: the income kept ({}) is not its income now ({full})",
                h.income[k]
            );
        }
    }
    if let Some(e) = entries {
        e.0 += n;
        e.1 += change;
    }
    let mut hist = vec![0u64; INCOME_BINS];
    for ph in hists {
        for (a, b) in hist.iter_mut().zip(&ph) {
            *a += b;
        }
    }
    median(&hist)
}

/// Forgets every citizen's [`income_key`], so that the next [`update`] recomputes every
/// household: after the parameters incomes are worked out from changed (a variant's branch).
pub fn reset_income_keys(world: &mut World) {
    world.citizens.income_key.fill(NO_INCOME_KEY);
}

/// Draws the earnings of every living adult (18 or over in `month`) who has none yet, with
/// the gemeente's factor `local`: at the start of the warm-up, for the starting population.
pub fn draw_missing(world: &mut World, ip: &IncomeParams, local: &[f64], month: u32) {
    let seed = world.seed;
    let c = &mut world.citizens;
    let h = &world.households;
    for i in 0..c.len() {
        if c.alive(i)
            && c.earnings[i] == UNDRAWN_EARNINGS
            && month.saturating_sub(u32::from(c.birth[i])) >= 18 * 12
        {
            let g = usize::from(h.gemeente[c.household[i] as usize]);
            c.earnings[i] = draw_earnings(ip, seed, c.id[i], local.get(g).copied().unwrap_or(1.0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labour::reference_params;
    use crate::model::world::{ADULT, ALIVE, CitizenFlags};

    #[test]
    fn the_equivalence_scale_is_cbs_rounded() {
        assert_eq!(equivalence(1, 0), 1.0);
        assert!((equivalence(2, 0) - 1.4).abs() < 1e-12);
        assert!((equivalence(2, 1) - 1.66).abs() < 1e-12);
        assert!((equivalence(2, 3) - 2.06).abs() < 1e-12);
        assert!((equivalence(1, 1) - 1.26).abs() < 1e-12);
    }

    #[test]
    fn earnings_are_drawn_once_per_citizen_and_follow_the_local_factor() {
        let ip = reference_params().participatie.income;
        let a = draw_earnings(&ip, 7, 42, 1.0);
        assert_eq!(a, draw_earnings(&ip, 7, 42, 1.0));
        assert!(draw_earnings(&ip, 7, 42, 1.2) > a);
        let mut xs: Vec<f64> = (0..4001)
            .map(|id| f64::from(draw_earnings(&ip, 7, id, 1.0)) * 10.0)
            .collect();
        xs.sort_by(f64::total_cmp);
        let median = xs[2000];
        let want = ip.earnings_median_eur.get();
        assert!(
            (median / want - 1.0).abs() < 0.05,
            "{median} against {want}"
        );
        assert!(xs.iter().all(|&x| x > 0.0));
    }

    fn adult(status: S, pw: PwFlags, job: JobFlags, earnings: u16) -> Adult {
        Adult {
            status,
            pw,
            job,
            earnings,
            loonwaarde: 100,
            eff: 100.0,
            female: false,
        }
    }

    #[test]
    fn income_follows_status() {
        let pp = reference_params().participatie;
        let ip = &pp.income;
        let wml = ip.minimum_wage_eur.get();
        let e = 3_000u16; // EUR 30 000 a year
        let none = PwFlags::EMPTY;
        let full = JobFlags::EMPTY;
        let part = JobFlags::PART_TIME;
        let p = |s, pw, job, earn| personal(&pp, &adult(s, pw, job, earn), false);
        // Work pays the earnings times the hours, at least the minimum wage for them.
        assert_eq!(p(S::Employed, none, full, e), 30_000.0);
        assert_eq!(
            p(S::Employed, none, part, e),
            30_000.0 * ip.part_time_hours.get()
        );
        assert_eq!(p(S::Employed, none, full, 100), wml);
        // Losing the job: WW replaces part of it; it running out leaves nothing personal.
        assert_eq!(p(S::Ww, none, full, e), ip.ww_replacement.get() * 30_000.0);
        for s in [S::Nugger, S::Inactive, S::Bijstand] {
            assert_eq!(p(s, none, full, e), 0.0, "{s:?}");
        }
        assert_eq!(p(S::Education, none, full, e), ip.student_eur.get());
        // Outside the labour force with a limitation that ended regular work: WIA.
        let wia = Adult {
            eff: 30.0,
            ..adult(S::Inactive, none, full, e)
        };
        assert_eq!(
            personal(&pp, &wia, false),
            ip.disability_replacement.get() * 30_000.0
        );
        // ... but not for someone who never could work regularly (no work, no WIA).
        let never = Adult {
            loonwaarde: 30,
            ..wia
        };
        assert_eq!(personal(&pp, &never, false), 0.0);
        // A Wajonger placed by UWV earns less than a worker with LKS at the minimum wage.
        let placed = PwFlags::PLACED;
        let half = |pw| Adult {
            loonwaarde: 50,
            eff: 50.0,
            ..adult(S::Employed, pw, full, 100)
        };
        let lks = personal(&pp, &half(placed), false);
        let uwv = personal(&pp, &half(placed | PwFlags::WAJONG), false);
        assert_eq!(lks, wml);
        assert!(uwv < lks && uwv > 0.5 * wml, "{uwv}");
        // AOW for a couple is per partner, plus the pension from earnings; a woman's pension
        // is smaller (the careers of the cohorts now retired).
        let pension = adult(S::Pension, none, full, e);
        let single = personal(&pp, &pension, false);
        let couple = personal(&pp, &pension, true);
        assert!(single > couple && couple > ip.aow_couple_eur.get());
        let woman = Adult {
            female: true,
            ..pension
        };
        assert!(personal(&pp, &woman, false) < single);
    }

    #[test]
    fn a_wajonger_gains_little_from_work_with_little_loonwaarde() {
        // Wajong 2010's supplement: 70% of the gap to the minimum wage, never below the
        // benefit; so work adds 30 cents a euro at most, nothing at a small wage (MC22).
        let pp = reference_params().participatie;
        let wml = pp.income.minimum_wage_eur.get();
        let benefit = pp.instruments.wajong_eur.get() * 12.0;
        assert_eq!(wajong_working(&pp, 0.0), benefit);
        assert_eq!(wajong_working(&pp, 0.2 * wml), benefit);
        let (a, b) = (
            wajong_working(&pp, 0.6 * wml),
            wajong_working(&pp, 0.8 * wml),
        );
        assert!(benefit < a && a < b && b < wml, "{a} {b}");
        let s = pp.instruments.wajong_supplement.get();
        assert!((b - a - (1.0 - s) * 0.2 * wml).abs() < 1e-6);
        assert_eq!(wajong_working(&pp, wml), wml);
    }

    #[test]
    fn who_takes_a_job_follows_what_it_brings() {
        let pp = reference_params().participatie;
        let r = pp.jobs.reservation_gain_eur.get();
        // A bijstand recipient must take suitable work (Participatiewet art. 9).
        assert_eq!(acceptance(&pp, -5_000.0, true, true), 1.0);
        // Others: no gain, no job; the chance rises with the gain up to the reservation gain.
        assert_eq!(acceptance(&pp, -1.0, false, false), 0.0);
        assert_eq!(acceptance(&pp, 0.0, false, false), 0.0);
        assert!((acceptance(&pp, 0.5 * r, false, false) - 0.5).abs() < 1e-12);
        assert_eq!(acceptance(&pp, 2.0 * r, false, false), 1.0);
        // A temporary job's gain counts for less (MC22: the benefit must be applied for again).
        assert!(acceptance(&pp, 0.5 * r, true, false) < acceptance(&pp, 0.5 * r, false, false));
    }

    #[test]
    fn allowances_fall_with_income_and_follow_children() {
        let ip = reference_params().participatie.income;
        let wml = ip.minimum_wage_eur.get();
        let low = allowances(&ip, 1, 0, wml);
        assert_eq!(low, ip.allowances_single_eur.get());
        assert!(allowances(&ip, 1, 0, wml + 5_000.0) < low);
        assert_eq!(allowances(&ip, 1, 0, 200_000.0), 0.0);
        // Kinderbijslag does not depend on income.
        assert_eq!(
            allowances(&ip, 2, 2, 200_000.0),
            2.0 * ip.child_benefit_eur.get()
        );
        assert!(allowances(&ip, 2, 2, wml) > allowances(&ip, 2, 0, wml));
    }

    #[test]
    fn a_household_moves_with_its_adults_work() {
        let pp = reference_params().participatie;
        let ip = &pp.income;
        let mut c = Citizens::default();
        let mut h = Households::default();
        let month = crate::engine::Month::new(2016, 1);
        let born = crate::engine::Month::new(1980, 1);
        let a = c.push(0, born, ALIVE | ADULT, 0);
        let b = c.push(1, born, ALIVE | ADULT, 0);
        let _child = c.push(2, crate::engine::Month::new(2010, 1), ALIVE, 0);
        let k = h.push([a, b], 3, 0) as usize;
        for x in [a, b] {
            c.earnings[x as usize] = 2_500;
        }
        let eq = equivalence(2, 1);
        let set = |c: &mut Citizens, x: u32, s: S| c.labour[x as usize] = s;
        set(&mut c, a, S::Employed);
        set(&mut c, b, S::Employed);
        let with = |x: f64| ((x + allowances(ip, 2, 1, x)) / eq).round() as u32;
        let both = household(&c, &h, k, &pp, month.0);
        assert_eq!(both, with(50_000.0));
        set(&mut c, b, S::Inactive);
        let one = household(&c, &h, k, &pp, month.0);
        assert_eq!(one, with(25_000.0));
        set(&mut c, a, S::Ww);
        let ww = household(&c, &h, k, &pp, month.0);
        assert!(ww < one);
        // Bijstand: the couple's norm for the household, cut while sanctioned.
        set(&mut c, a, S::Bijstand);
        let norm = household(&c, &h, k, &pp, month.0);
        assert_eq!(norm, with(ip.bijstand_couple_eur.get()));
        c.pw[a as usize].insert(PwFlags::SANCTION);
        assert!(household(&c, &h, k, &pp, month.0) < norm);
        // Back to work: income rises above the norm.
        c.pw[a as usize].remove(PwFlags::SANCTION);
        set(&mut c, a, S::Employed);
        assert!(household(&c, &h, k, &pp, month.0) > norm);
    }

    #[test]
    fn the_monthly_update_recomputes_what_changed_and_nothing_is_missed() {
        use crate::engine::Month;
        use crate::model::geography::Geography;
        use crate::model::world::{CareLinks, Placements};
        let mut pp = reference_params().participatie;
        let mut w = World {
            citizens: Citizens::default(),
            households: Households::default(),
            care: CareLinks::default(),
            placements: Placements::default(),
            geography: Geography::from_rows(&[]),
            next_id: 0,
            scale: 1.0,
            seed: 1,
        };
        let born = Month::new(1980, 1);
        // A couple with a child, and a single adult.
        let (a, b) = (0u32, 1u32);
        let couple = w.households.push([a, b], 3, 0) as usize;
        let single = w.households.push([3, NONE], 1, 0) as usize;
        w.citizens.push(0, born, ALIVE | ADULT, couple as u32);
        w.citizens.push(1, born, ALIVE | ADULT, couple as u32);
        w.citizens
            .push(2, Month::new(2010, 1), ALIVE, couple as u32);
        w.citizens.push(3, born, ALIVE | ADULT, single as u32);
        for x in [0, 1, 3] {
            w.citizens.earnings[x] = 2_500;
            w.citizens.labour[x] = S::Employed;
        }
        let m = Month::new(2016, 1).0;
        let full = |w: &World, pp: &ParticipatieParams, k: usize, m: u32| {
            household(&w.citizens, &w.households, k, pp, m)
        };
        let mut entries = (0, 0.0);
        update(&mut w, &pp, m, Some(&mut entries));
        let before = w.households.income.clone();
        assert_eq!(before[couple], full(&w, &pp, couple, m));
        assert!(before[single] > 0);
        // Nothing changed: nothing moves and nobody entered work.
        update(&mut w, &pp, m + 1, Some(&mut entries));
        assert_eq!(w.households.income, before);
        assert_eq!(entries, (0, 0.0));
        // The single adult loses their job; a partner starts one after WW.
        w.citizens.labour[3] = S::Ww;
        w.citizens.labour[1] = S::Ww;
        update(&mut w, &pp, m + 2, None);
        assert!(w.households.income[single] < before[single]);
        assert!(w.households.income[couple] < before[couple]);
        let ww = w.households.income[couple];
        w.citizens.labour[1] = S::Employed;
        w.citizens.labour_month[1] = (m + 3) as u16;
        update(&mut w, &pp, m + 3, Some(&mut entries));
        assert_eq!(w.households.income[couple], before[couple]);
        assert_eq!(entries.0, 1);
        assert_eq!(entries.1, f64::from(before[couple]) - f64::from(ww));
        // A partner dies: the household is recomputed without them.
        w.citizens.flags[1].remove(ALIVE);
        w.households.members[couple] -= 1;
        w.households.remove_adult(couple, b);
        update(&mut w, &pp, m + 4, None);
        assert_eq!(w.households.income[couple], full(&w, &pp, couple, m + 4));
        assert!(w.households.income[couple] < before[couple]);
        // The single adult moves in with the widow: their old household is empty.
        w.households.adults[couple][1] = 3;
        w.households.members[couple] += 1;
        w.households.adults[single] = [NONE; 2];
        w.households.members[single] = 0;
        w.citizens.household[3] = couple as u32;
        w.households.income[couple] = full(&w, &pp, couple, m + 5); // as demography does
        update(&mut w, &pp, m + 5, None);
        assert_eq!(w.households.income[single], 0);
        // New parameters reach every household only once the keys are reset.
        let kept = w.households.income[couple];
        pp.income.child_benefit_eur =
            crate::scenario::types::NonNegative(pp.income.child_benefit_eur.get() + 1200.0);
        reset_income_keys(&mut w);
        update(&mut w, &pp, m + 6, None);
        assert!(w.households.income[couple] > kept);
    }

    /// The income key is sufficient: two citizens with the same key bring in the same, alone
    /// or in a couple, over a grid of every status and what else an income can follow.
    #[test]
    fn equal_income_keys_mean_equal_incomes() {
        use crate::engine::Month;
        use std::collections::HashMap;
        let pp = reference_params().participatie;
        let month = Month::new(2016, 6);
        let mut c = Citizens::default();
        let pws = [
            PwFlags::EMPTY,
            PwFlags::WAJONG,
            PwFlags::PLACED,
            PwFlags::WAJONG | PwFlags::PLACED,
            PwFlags::SANCTION,
            PwFlags::WAJONG | PwFlags::PLACED | PwFlags::SANCTION,
            PwFlags::DEBT | PwFlags::LVB,
            PwFlags::YOUNG_DISABLED | PwFlags::SHELTERED,
        ];
        let jobs = [
            JobFlags::EMPTY,
            JobFlags::PART_TIME,
            JobFlags::TEMPORARY,
            JobFlags::PART_TIME | JobFlags::TEMPORARY,
        ];
        let kinds = [
            CitizenFlags::EMPTY,
            MENTAL,
            LIFELONG,
            MENTAL | LIFELONG,
            FEMALE,
        ];
        let births = [
            Month(month.0 - 19 * 12),
            Month(month.0 - 21 * 12 + 1),
            Month(month.0 - 21 * 12),
            Month::new(1976, 3),
            Month::new(1946, 3),
        ];
        for status in S::ALL {
            for pw in pws {
                for job in jobs {
                    for earnings in [UNDRAWN_EARNINGS, 2_000, 3_000] {
                        for lw in [100, 60, 30, UNDRAWN] {
                            for severity in [0, 30, 70] {
                                for kind in kinds {
                                    for born in births {
                                        let i = c.push(0, born, ALIVE | ADULT | kind, 0) as usize;
                                        c.labour[i] = status;
                                        c.pw[i] = pw;
                                        c.job[i] = job;
                                        c.earnings[i] = earnings;
                                        c.loonwaarde[i] = lw;
                                        c.severity[i] = severity;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut seen: HashMap<(u32, u8), (usize, f64)> = HashMap::new();
        let mut keys = std::collections::HashSet::new();
        for i in 0..c.len() {
            let key = income_key(&c, &pp, i, month.0);
            assert_ne!(key, NO_INCOME_KEY);
            keys.insert(key);
            for adults in [1, 2] {
                let x = contribution(&c, &pp, i, adults, month.0);
                let (j, y) = *seen.entry((key, adults)).or_insert((i, x));
                assert_eq!(
                    x, y,
                    "citizens {j} and {i} share key {key:#x} but not their income"
                );
            }
        }
        // ... and it tells apart what matters (statuses, amounts, flags).
        assert!(keys.len() > 500, "{} keys", keys.len());
    }
}
