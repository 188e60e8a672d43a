//! Phase 3 of a month: informal care (mantelzorg).
//!
//! Carers are citizens linked to the people they help ([`CareLinks`]). Each month every link's
//! burden grows with its hours and falls with time and respite (ondersteuning thuis for the
//! person cared for); an overloaded carer stops, or cuts hours (facts.md MC24, MC25). Links end
//! when either person dies, the person cared for moves into the Wlz or no longer needs help.
//! Then people whose need is not covered ask one more person: first the partner, then someone
//! from their gemeente (family, or a friend or neighbour), who accepts by relationship, own
//! health, work and distance (MC26). Some people have no usable network at all (MC24).

use super::needs::{ADULT_AGE, need_hours};
use super::provision::ProvisionSet;
use super::streams as ps;
use super::world::{ALIVE, CareLinks, NONE, WLZ, World};
use crate::engine::{CHUNK, Month, Stream, StreamKey, map_chunks};
use crate::scenario::params::{CareParams, Params};
use rayon::prelude::*;

/// The relationship of a carer to the person cared for (facts.md MC26: willingness and hours
/// differ by relationship).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum CareRelation {
    /// The partner in the same household.
    Partner,
    /// Family (an adult child, a sibling) living elsewhere.
    Family,
    /// A friend or neighbour.
    Other,
}

impl CareRelation {
    /// Every relationship, in index order.
    pub const ALL: [CareRelation; 3] = [
        CareRelation::Partner,
        CareRelation::Family,
        CareRelation::Other,
    ];
    /// How many there are.
    pub const COUNT: usize = CareRelation::ALL.len();

    /// Mean hours a week a carer in this relationship gives.
    pub fn mean_hours(self, cp: &CareParams) -> f64 {
        match self {
            CareRelation::Partner => cp.hours_partner.get(),
            CareRelation::Family => cp.hours_family.get(),
            CareRelation::Other => cp.hours_other.get(),
        }
    }
}

/// `care_count` bits: carers of this citizen (low 3 bits).
pub const CARERS_MASK: u8 = 0b0000_0111;
/// `care_count` bit: the partner is one of the carers.
pub const PARTNER_CARES: u8 = 0b0000_1000;
/// `care_count`: people this citizen cares for, in the high 4 bits.
pub const CARES_FOR_SHIFT: u8 = 4;

/// Oldest age at which someone is asked to care (partners of any age care).
const MAX_CARER_AGE: u32 = 85;

/// Adults of each gemeente who could be asked to care; rebuilt yearly (after compaction).
#[derive(Clone, Debug, Default)]
pub struct CarePools {
    /// Per gemeente, citizen indices.
    pub by_gemeente: Vec<Vec<u32>>,
}

impl CarePools {
    /// Collects the adults 18-85 of every gemeente.
    pub fn build(world: &World, month: Month) -> CarePools {
        let c = &world.citizens;
        let mut by_gemeente = vec![Vec::new(); world.geography.gemeenten.len()];
        for i in 0..c.len() {
            if !c.alive(i) {
                continue;
            }
            let age = c.age(i, month);
            if (ADULT_AGE..=MAX_CARER_AGE).contains(&age) {
                let g = world.households.gemeente[c.household[i] as usize] as usize;
                by_gemeente[g].push(i as u32);
            }
        }
        CarePools { by_gemeente }
    }
}

/// Carer counts of one month, nationally.
#[derive(Clone, Copy, Debug, Default)]
pub struct CareTally {
    /// Citizens giving informal care.
    pub carers: u32,
    /// Of whom more than 8 hours a week for more than 3 months (facts.md M2).
    pub intensive: u32,
    /// Of whom overloaded.
    pub overloaded: u32,
    /// Of whom caring for more than 3 months or 8 hours a week or more (CBS's narrow
    /// definition, facts.md N12).
    pub cbs: u32,
    /// Their hours of informal care a week, together.
    pub cbs_hours: u64,
    /// Hours of informal care a week, all carers.
    pub hours: f64,
}

/// True when the citizen with persistent id `id` has a usable network beyond the household.
pub fn has_network(seed: u64, id: u32, p: &CareParams) -> bool {
    !Stream::new(seed, ps::MANTELZORG_NETWORK, u64::from(id), 0).chance(p.no_network_share.get())
}

fn link_key(recipient_id: u32, carer_id: u32) -> u64 {
    u64::from(recipient_id) << 32 | u64::from(carer_id)
}

/// Spread (standard deviation of the log) of a carer's hours around the relationship's mean.
/// Assumption.
pub const HOURS_SPREAD: f64 = 0.5;
/// Most hours a week one carer gives. Assumption.
pub const MAX_HOURS: f64 = 60.0;
/// A candidate's willingness is multiplied by this for each person they already care for.
/// Assumption.
pub const LOAD_FACTOR: f64 = 0.5;

/// A new carer's hours a week: log-normal around `mean` (mean-preserving), at least 1, at most
/// the uncovered `need` and [`MAX_HOURS`].
fn draw_hours(rng: &mut Stream, mean: f64, need: f64) -> u8 {
    let h = mean * (HOURS_SPREAD * rng.normal() - HOURS_SPREAD * HOURS_SPREAD / 2.0).exp();
    h.clamp(1.0, need.max(1.0)).min(MAX_HOURS).round() as u8
}

/// One care link after a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkMonth {
    /// The link goes on.
    pub keep: bool,
    /// Hours a week.
    pub hours: u8,
    /// The carer's burden, 0-100.
    pub burden: u8,
}

/// A care link's month (a link between two living citizens at home, with need): it ends for
/// other reasons at `end` a month (drawn from `rng_end`); otherwise the burden grows with the
/// hours and falls with time and, if the person cared for gets respite (ondersteuning thuis),
/// faster; an overloaded carer stops (drawn from `rng_overload`) or halves the hours (facts.md
/// MC24, MC25). A carer who is not overloaded adds an hour a week with chance
/// `mantelzorg.hours_growth` while the person cared for has `uncovered` need (MC24, MC28).
#[allow(clippy::too_many_arguments)]
pub fn link_month(
    cp: &CareParams,
    end: f64,
    hours: u8,
    burden: u8,
    respite: bool,
    uncovered: bool,
    rng_end: &mut Stream,
    rng_overload: &mut Stream,
) -> LinkMonth {
    if rng_end.chance(end) {
        return LinkMonth {
            keep: false,
            hours,
            burden,
        };
    }
    let mut b =
        f64::from(burden) + cp.burden_per_hour.get() * f64::from(hours) - cp.burden_recovery.get();
    if respite {
        b -= cp.respite_relief.get();
    }
    let burden = b.clamp(0.0, 100.0) as u8;
    let mut hours = hours;
    let mut keep = true;
    if burden > cp.overload_threshold {
        if rng_overload.chance(cp.stop_rate_overloaded.get()) {
            keep = false;
        } else {
            hours = (hours / 2).max(1);
        }
    } else if uncovered && rng_overload.chance(cp.hours_growth.get()) {
        hours = (f64::from(hours) + 1.0).min(MAX_HOURS) as u8;
    }
    LinkMonth {
        keep,
        hours,
        burden,
    }
}

/// Step 1: every link's burden, overload and ending ([`link_month`]), in parallel; links that
/// end (also when either person died or moved into the Wlz, or the need is gone) are removed.
fn links(world: &mut World, cp: &CareParams, month: Month) {
    let k_end = StreamKey::new(world.seed, ps::MANTELZORG_LINK_END, month.0);
    let k_overload = StreamKey::new(world.seed, ps::MANTELZORG_OVERLOAD, month.0);
    let end = super::demography::monthly(cp.end_rate.get());
    let c = &world.citizens;
    let care = &mut world.care;
    let (recipients, carers) = (&care.recipient, &care.carer);
    let mut keep = vec![true; recipients.len()];
    care.hours
        .par_chunks_mut(CHUNK)
        .zip(care.burden.par_chunks_mut(CHUNK))
        .zip(keep.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, ((hours, burden), keep))| {
            for j in 0..hours.len() {
                let k = ci * CHUNK + j;
                let (r, g) = (recipients[k] as usize, carers[k] as usize);
                if !c.alive(r)
                    || !c.alive(g)
                    || c.flags[r].contains(WLZ)
                    || c.flags[g].contains(WLZ)
                    || c.severity[r] < cp.need_threshold
                {
                    keep[j] = false;
                    continue;
                }
                let key = link_key(c.id[r], c.id[g]);
                let respite = c.wmo[r].held().intersects(ProvisionSet::RESPITE);
                // Last month's informal hours (recounted after this step), as when asking.
                let uncovered = f64::from(c.informal[r]) < need_hours(c.severity[r]);
                let (mut rng_end, mut rng_overload) = (k_end.stream(key), k_overload.stream(key));
                let l = link_month(
                    cp,
                    end,
                    hours[j],
                    burden[j],
                    respite,
                    uncovered,
                    &mut rng_end,
                    &mut rng_overload,
                );
                (keep[j], hours[j], burden[j]) = (l.keep, l.hours, l.burden);
            }
        });
    world.care.retain(&keep);
}

/// Step 3: people with uncovered need ask one more person. Who asks whom, and the draws, are
/// decided in parallel against the state after the recount; the one thing earlier recruits of
/// the month change, how many people a candidate already cares for, is read when the offers
/// are committed in citizen order.
fn recruit(world: &mut World, p: &Params, pools: &CarePools, month: Month) {
    let cp = &p.mantelzorg;
    let aow_months = super::wmo::aow_age_months(p, month);
    let k_seek = StreamKey::new(world.seed, ps::MANTELZORG_SEEK, month.0);
    let k_recruit = StreamKey::new(world.seed, ps::MANTELZORG_RECRUIT, month.0);
    let k_accept = StreamKey::new(world.seed, ps::MANTELZORG_ACCEPT, month.0);
    let k_hours = StreamKey::new(world.seed, ps::MANTELZORG_HOURS, month.0);
    let offers: Vec<Vec<Offer>> = {
        let w = &*world;
        let c = &w.citizens;
        map_chunks(c.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                let f = c.flags[i];
                let s = c.severity[i];
                if !f.contains(ALIVE) || f.contains(WLZ) || s < cp.need_threshold {
                    continue;
                }
                if c.care_count[i] & CARERS_MASK >= cp.max_carers.min(7)
                    || f64::from(c.informal[i]) >= need_hours(s)
                {
                    continue;
                }
                let id = u64::from(c.id[i]);
                if k_seek.stream(id).chance(cp.seek_rate.get()) {
                    let asked = Ask {
                        cp,
                        pools,
                        month,
                        aow_months,
                    };
                    let mut draws = AskDraws {
                        whom: k_recruit.stream(id),
                        accept: k_accept.stream(id),
                        hours: k_hours.stream(id),
                    };
                    if let Some(o) = ask(w, &asked, i as u32, &mut draws) {
                        out.push(o);
                    }
                }
            }
            out
        })
    };
    for o in offers.iter().flatten() {
        commit(world, o, month);
    }
}

/// Runs the informal-care phase for `month`: links' burden, overload and endings; informal
/// hours and care counts recounted from the links; people with uncovered need ask one more
/// person.
pub fn step(world: &mut World, p: &Params, pools: &CarePools, month: Month) {
    let cp = &p.mantelzorg;
    links(world, cp, month);
    recount(world, cp);
    recruit(world, p, pools, month);
}

/// `care_count` with one more carer (saturating at 7), marking a partner who cares.
#[inline]
fn with_carer(cc: u8, relation: CareRelation) -> u8 {
    let cc = (cc & !CARERS_MASK) | ((cc & CARERS_MASK) + 1).min(CARERS_MASK);
    if relation == CareRelation::Partner {
        cc | PARTNER_CARES
    } else {
        cc
    }
}

/// `care_count` with one more person cared for (saturating at 15).
#[inline]
fn with_cared_for(cc: u8) -> u8 {
    let cf = cc >> CARES_FOR_SHIFT;
    (cc & 0x0F) | ((cf + 1).min(15) << CARES_FOR_SHIFT)
}

/// Citizens per part when [`recount`] and [`stats`] give each thread one range of citizens.
///
/// The split depends on the number of threads, the results do not: each part reads every link
/// in link order and writes only its own citizens, and a citizen's counts are a function of
/// that citizen's own links alone (saturating sums and flags, in link order), so which part
/// computes a citizen cannot change what it gets. Only the speed depends on the split: a fixed
/// number of parts would make every one of them read all links, a fixed part size (such as
/// `engine::CHUNK`) thousands of times over at full scale. `tests::counts_do_not_depend_on_the_split`
/// checks this.
fn part_per_thread(n: usize) -> usize {
    n.div_ceil(rayon::current_num_threads().max(1)).max(1)
}

/// Informal hours and care counts from the links. Every count is a saturating sum, the same
/// in any order, so each thread takes a range of citizens and applies the links that touch it
/// (each reads all links in sequence; the random writes are divided).
fn recount(world: &mut World, cp: &CareParams) {
    let part = part_per_thread(world.citizens.len());
    recount_in_parts(world, cp, part);
}

/// [`recount`] with `part` citizens a part.
fn recount_in_parts(world: &mut World, cp: &CareParams, part: usize) {
    let c = &mut world.citizens;
    let care = &world.care;
    c.informal
        .par_chunks_mut(part)
        .zip(c.informal_ok.par_chunks_mut(part))
        .zip(c.care_count.par_chunks_mut(part))
        .enumerate()
        .for_each(|(pi, ((informal, informal_ok), care_count))| {
            informal.fill(0);
            informal_ok.fill(0);
            care_count.fill(0);
            let lo = pi * part;
            let hi = lo + informal.len();
            for k in 0..care.len() {
                let r = care.recipient[k] as usize;
                if (lo..hi).contains(&r) {
                    let r = r - lo;
                    informal[r] = informal[r].saturating_add(care.hours[k]);
                    if care.burden[k] <= cp.overload_threshold {
                        informal_ok[r] = informal_ok[r].saturating_add(care.hours[k]);
                    }
                    care_count[r] = with_carer(care_count[r], care.relation[k]);
                }
                let g = care.carer[k] as usize;
                if (lo..hi).contains(&g) {
                    let g = g - lo;
                    care_count[g] = with_cared_for(care_count[g]);
                }
            }
        });
}

/// The year from which `mantelzorg.willingness_trend` is counted.
pub const TREND_BASE_YEAR: f64 = 2015.0;

/// What the willingness to care reads of a candidate carer outside the household.
#[derive(Clone, Copy, Debug)]
pub struct Carer {
    /// The candidate's own limitation severity, 0-100.
    pub severity: u8,
    /// Below the AOW age (may work).
    pub working_age: bool,
    /// Family living far away.
    pub far: bool,
}

/// The chance that a candidate carer agrees to care (someone outside the household before the
/// load of the people they already care for): the willingness of the relationship times the
/// candidate's own health (facts.md MC26). A partner's stops there; for family, friends and
/// neighbours it falls with the years since 2015 (facts.md V5, M9: expectations of help from
/// the network fell from 40% in 2015 to about a third in 2017) and with work and distance
/// (MC26).
pub fn willingness(cp: &CareParams, relation: CareRelation, year: u32, carer: Carer) -> f64 {
    let health = 1.0 - f64::from(carer.severity) / 100.0;
    let base = match relation {
        CareRelation::Partner => return cp.willingness_partner.get() * health,
        CareRelation::Family => cp.willingness_family.get(),
        CareRelation::Other => cp.willingness_other.get(),
    };
    let trend = (cp.willingness_trend * (f64::from(year) - TREND_BASE_YEAR)).exp();
    let work = if carer.working_age {
        cp.working_willingness.get()
    } else {
        1.0
    };
    let distance = if carer.far {
        cp.far_family_willingness.get()
    } else {
        1.0
    };
    trend * base * health * work * distance
}

/// A person's request for care, decided: who, in which relation, how many hours.
#[derive(Clone, Copy, Debug)]
struct Offer {
    recipient: u32,
    carer: u32,
    relation: CareRelation,
    hours: u8,
    /// Someone outside the household accepts if `draw < willingness * load`, where the load
    /// factor halves with each person the candidate already cares for (read at the commit).
    /// `None`: the partner, who has already accepted.
    accept: Option<(f64, f64)>,
}

/// What a request for care reads besides the world.
#[derive(Clone, Copy)]
struct Ask<'a> {
    cp: &'a CareParams,
    pools: &'a CarePools,
    month: Month,
    /// The AOW age in months: candidates below it may work.
    aow_months: u32,
}

/// The streams of one request for care, one decision each.
struct AskDraws {
    /// Whom is asked: the candidate, family or not, living far away.
    whom: Stream,
    /// The answer.
    accept: Stream,
    /// The hours offered.
    hours: Stream,
}

/// Whom recipient `r` asks, and that person's answer as far as it is known before the month's
/// other requests: `None` if nobody can be asked or the partner declines.
fn ask(world: &World, a: &Ask<'_>, r: u32, draws: &mut AskDraws) -> Option<Offer> {
    let Ask {
        cp,
        pools,
        month,
        aow_months,
    } = *a;
    let ru = r as usize;
    let c = &world.citizens;
    let need = need_hours(c.severity[ru]) - f64::from(c.informal[ru]);
    let hh = c.household[ru] as usize;
    let partner = world.households.adults[hh]
        .iter()
        .copied()
        .find(|&a| a != NONE && a != r)
        .filter(|&a| c.flags[r as usize].contains(super::world::ADULT) && c.alive(a as usize));
    let (carer, relation, accept) = match partner {
        Some(pt) if c.care_count[ru] & PARTNER_CARES == 0 => {
            let pu = pt as usize;
            let partner = Carer {
                severity: c.severity[pu],
                working_age: false,
                far: false,
            };
            let yes = willingness(cp, CareRelation::Partner, month.year(), partner);
            if !c.flags[pu].contains(WLZ) && draws.accept.chance(yes) {
                (pt, CareRelation::Partner, None)
            } else {
                return None;
            }
        }
        _ => {
            if !has_network(world.seed, c.id[ru], cp) {
                return None;
            }
            let g = world.households.gemeente[hh] as usize;
            let pool = &pools.by_gemeente[g];
            if pool.is_empty() {
                return None;
            }
            let cand = pool[draws.whom.below(pool.len() as u64) as usize];
            let cu = cand as usize;
            if cand == r
                || !c.alive(cu)
                || c.flags[cu].contains(WLZ)
                || c.household[cu] as usize == hh
            {
                return None;
            }
            let age = c.age(cu, month);
            if !(ADULT_AGE..=MAX_CARER_AGE).contains(&age) {
                return None;
            }
            let relation = if draws.whom.chance(cp.family_share.get()) {
                CareRelation::Family
            } else {
                CareRelation::Other
            };
            // Family may live far away (the gemeente pool stands in for the whole network).
            let far =
                relation == CareRelation::Family && draws.whom.chance(cp.far_family_share.get());
            let draw = draws.accept.uniform();
            let carer = Carer {
                severity: c.severity[cu],
                working_age: month.0.saturating_sub(u32::from(c.birth[cu])) < aow_months,
                far,
            };
            (
                cand,
                relation,
                Some((draw, willingness(cp, relation, month.year(), carer))),
            )
        }
    };
    let mean = relation.mean_hours(cp);
    Some(Offer {
        recipient: r,
        carer,
        relation,
        hours: draw_hours(&mut draws.hours, mean, need),
        accept,
    })
}

/// Commits an offer: the candidate's answer given the people they care for by now; the link.
fn commit(world: &mut World, o: &Offer, month: Month) {
    let c = &mut world.citizens;
    let gu = o.carer as usize;
    if let Some((draw, willingness)) = o.accept {
        let load = LOAD_FACTOR.powi(i32::from(c.care_count[gu] >> CARES_FOR_SHIFT));
        if draw >= willingness * load {
            return;
        }
    }
    let ru = o.recipient as usize;
    world
        .care
        .push(o.recipient, o.carer, o.hours, month.0 as u16, o.relation);
    c.informal[ru] = c.informal[ru].saturating_add(o.hours);
    c.informal_ok[ru] = c.informal_ok[ru].saturating_add(o.hours);
    c.care_count[ru] = with_carer(c.care_count[ru], o.relation);
    c.care_count[gu] = with_cared_for(c.care_count[gu]);
}

/// Carers, intensive carers, overloaded carers and hours, counted per distinct carer (for the
/// month's record; the links do not change after the informal-care phase until next month).
/// `scratch` is a reusable buffer.
pub fn stats(world: &World, cp: &CareParams, month: Month, scratch: &mut Vec<u16>) -> CareTally {
    let part = part_per_thread(world.citizens.len());
    stats_in_parts(world, cp, month, scratch, part)
}

/// More than this many hours a week for more than [`INTENSIVE_MONTHS`] months is intensive
/// care (facts.md M2).
pub const INTENSIVE_HOURS: u16 = 8;
/// See [`INTENSIVE_HOURS`].
pub const INTENSIVE_MONTHS: u32 = 3;
/// CBS counts carers who help for more than [`INTENSIVE_MONTHS`] months or this many hours a
/// week or more (facts.md N12).
pub const CBS_HOURS: u16 = 8;

/// [`stats`] with `part` citizens a part.
fn stats_in_parts(
    world: &World,
    cp: &CareParams,
    month: Month,
    scratch: &mut Vec<u16>,
    part: usize,
) -> CareTally {
    let c = &world.citizens;
    let care: &CareLinks = &world.care;
    // scratch[i]: bits 0-11 weekly hours as carer (saturating), bit 14 a link older than
    // INTENSIVE_MONTHS, bit 15 heavily burdened in some link: the same in any order, so each thread
    // takes a range of carers, as in `recount`.
    scratch.clear();
    scratch.resize(c.len(), 0);
    let counts = scratch
        .par_chunks_mut(part)
        .enumerate()
        .map(|(pi, scratch)| {
            let lo = pi * part;
            let hi = lo + scratch.len();
            for k in 0..care.len() {
                let g = care.carer[k] as usize;
                if !(lo..hi).contains(&g) {
                    continue;
                }
                let g = g - lo;
                let h = scratch[g] & 0x0FFF;
                let mut v = (scratch[g] & 0xF000) | (h + u16::from(care.hours[k])).min(0x0FFF);
                if month.0.saturating_sub(u32::from(care.start[k])) > INTENSIVE_MONTHS {
                    v |= 1 << 14;
                }
                if care.burden[k] >= cp.heavy_burden {
                    v |= 1 << 15;
                }
                scratch[g] = v;
            }
            let mut st = CareTally::default();
            for &v in scratch.iter() {
                if v & 0x0FFF == 0 {
                    continue;
                }
                st.carers += 1;
                if v & 0x0FFF > INTENSIVE_HOURS && v & (1 << 14) != 0 {
                    st.intensive += 1;
                }
                if v & (1 << 15) != 0 {
                    st.overloaded += 1;
                }
                if v & 0x0FFF >= CBS_HOURS || v & (1 << 14) != 0 {
                    st.cbs += 1;
                    st.cbs_hours += u64::from(v & 0x0FFF);
                }
            }
            st
        })
        .reduce(CareTally::default, |a, b| CareTally {
            carers: a.carers + b.carers,
            intensive: a.intensive + b.intensive,
            overloaded: a.overloaded + b.overloaded,
            cbs: a.cbs + b.cbs,
            cbs_hours: a.cbs_hours + b.cbs_hours,
            hours: 0.0,
        });
    // Hours in link order (a float sum).
    let hours = care.hours.iter().fold(0.0, |s, &h| s + f64::from(h));
    CareTally { hours, ..counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Params;

    fn params() -> Params {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        crate::scenario::load(&path).unwrap().variants[0]
            .params
            .clone()
    }

    /// A small world with random care links (some carers overloaded, some long-standing).
    fn world_with_links(p: &Params) -> World {
        let geo = super::super::geography::Geography::synthetic(&p.geography, 5);
        let mut w = super::super::population::generate(geo, p, 5, 0.0005, Month::new(2016, 1));
        let n = w.citizens.len() as u64;
        let mut rng = Stream::new(5, crate::engine::Purpose(7), 0, 0);
        for k in 0..(n / 2) {
            let (r, g) = (rng.below(n) as u32, rng.below(n) as u32);
            let relation = CareRelation::ALL[(k % 3) as usize];
            let hours = 1 + rng.below(40) as u8;
            let start = Month::new(2015, 1).0 as u16 + rng.below(12) as u16;
            w.care.push(r, g, hours, start, relation);
            *w.care.burden.last_mut().unwrap() = rng.below(100) as u8;
        }
        w
    }

    fn close(got: f64, want: f64) -> bool {
        (got - want).abs() < 1e-9
    }

    #[test]
    fn willingness_by_relationship_and_barriers() {
        use crate::model::provision::testing::patched;
        let cp = patched(
            &params().mantelzorg,
            serde_json::json!({
                "willingness_partner": 0.9,
                "willingness_family": 0.5,
                "willingness_other": 0.15,
                "willingness_trend": -0.05,
                "working_willingness": 0.8,
                "far_family_willingness": 0.3,
            }),
        );
        let carer = |severity, working_age, far| Carer {
            severity,
            working_age,
            far,
        };
        use CareRelation::*;
        // (relationship, year, candidate, chance to accept); facts.md MC26: willingness
        // depends on the relationship, own health, work and distance.
        let rows = [
            (Partner, 2015, carer(0, true, false), 0.9),
            // A partner's own limitation makes caring harder.
            (Partner, 2020, carer(50, true, false), 0.45),
            (Family, 2015, carer(0, false, false), 0.5),
            (Family, 2015, carer(0, true, false), 0.4),
            (Family, 2015, carer(20, false, true), 0.5 * 0.8 * 0.3),
            // Expectations of the network fall over the years (V5, M9).
            (Other, 2017, carer(0, false, false), 0.15 * (-0.1f64).exp()),
        ];
        for (relation, year, c, want) in rows {
            let got = willingness(&cp, relation, year, c);
            assert!(close(got, want), "{relation:?} {year} {c:?}: {got}");
        }
    }

    #[test]
    fn burden_overload_and_respite() {
        use crate::model::provision::testing::patched;
        let cp = |stop: f64| {
            patched(
                &params().mantelzorg,
                serde_json::json!({
                    "burden_per_hour": 1.0,
                    "burden_recovery": 2.0,
                    "respite_relief": 3.0,
                    "overload_threshold": 60,
                    "stop_rate_overloaded": stop,
                    "hours_growth": 1.0,
                }),
            )
        };
        let link = |keep, hours, burden| LinkMonth {
            keep,
            hours,
            burden,
        };
        // (end chance, stop chance when overloaded, hours, burden, respite, uncovered need,
        // link after)
        let rows = [
            // Links end for other reasons (moving, someone else taking over).
            (1.0, 0.0, 10, 20, false, false, link(false, 10, 20)),
            // Burden grows with the hours and falls with time (facts.md MC25) ...
            (0.0, 0.0, 10, 20, false, false, link(true, 10, 28)),
            // ... faster with respite (dagbesteding, kortdurend verblijf).
            (0.0, 0.0, 10, 20, true, false, link(true, 10, 25)),
            // A carer takes on more while need is left uncovered (MC24, MC28) ...
            (0.0, 0.0, 10, 20, false, true, link(true, 11, 28)),
            // ... until overloaded, then cuts hours (MC24) ...
            (0.0, 0.0, 10, 55, false, true, link(true, 5, 63)),
            // ... or stops.
            (0.0, 1.0, 10, 55, false, false, link(false, 10, 63)),
        ];
        for (end, stop, hours, burden, respite, uncovered, want) in rows {
            let rng = || Stream::new(1, crate::engine::Purpose(1), 1, 1);
            let got = link_month(
                &cp(stop),
                end,
                hours,
                burden,
                respite,
                uncovered,
                &mut rng(),
                &mut rng(),
            );
            assert_eq!(
                got, want,
                "{end} {stop} {hours} {burden} {respite} {uncovered}"
            );
        }
    }

    #[test]
    fn care_counts_saturate() {
        let mut cc = 0;
        for _ in 0..10 {
            cc = with_carer(cc, CareRelation::Family);
        }
        assert_eq!(cc & CARERS_MASK, 7);
        assert_eq!(cc & PARTNER_CARES, 0);
        assert_ne!(with_carer(cc, CareRelation::Partner) & PARTNER_CARES, 0);
        for _ in 0..20 {
            cc = with_cared_for(cc);
        }
        assert_eq!(cc >> CARES_FOR_SHIFT, 15);
        assert_eq!(cc & CARERS_MASK, 7);
    }

    #[test]
    fn counts_do_not_depend_on_the_split() {
        let p = params();
        let cp = &p.mantelzorg;
        let w = world_with_links(&p);
        let n = w.citizens.len();
        let month = Month::new(2016, 1);
        let mut reference = w.clone();
        recount_in_parts(&mut reference, cp, n);
        let mut scratch = Vec::new();
        let tally = stats_in_parts(&reference, cp, month, &mut scratch, n);
        assert!(tally.carers > 0 && tally.intensive > 0 && tally.overloaded > 0);
        for part in [1, 7, 1000, n / 3 + 1] {
            let mut x = w.clone();
            recount_in_parts(&mut x, cp, part);
            let c = (&x.citizens, &reference.citizens);
            assert_eq!(c.0.informal, c.1.informal, "part {part}");
            assert_eq!(c.0.informal_ok, c.1.informal_ok, "part {part}");
            assert_eq!(c.0.care_count, c.1.care_count, "part {part}");
            let t = stats_in_parts(&x, cp, month, &mut scratch, part);
            assert_eq!(
                (t.carers, t.intensive, t.overloaded, t.hours),
                (tally.carers, tally.intensive, tally.overloaded, tally.hours)
            );
        }
    }
}
