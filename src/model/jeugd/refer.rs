//! Phases 4-5 (youth part): routes in, court orders and jeugdreclassering, referral decisions.

use super::needs::STRESS_UNIT;
use super::setup::{JeugdSetup, MAX_YOUTH_AGE};
use crate::engine::{Month, StreamKey, map_chunks};
use crate::model::indicators::GemeenteFlows;
use crate::model::provision::{FormSet, JeugdState, YouthForm};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::{JeugdParams, Params};

/// A route into youth care (facts.md MC6, J9: most trajectories start outside the gemeente's
/// control; only the wijkteam route is its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Route {
    /// The GP (huisarts).
    Gp,
    /// School (ages 4-17).
    School,
    /// A medical specialist.
    Specialist,
    /// The wijkteam (the gemeente's own route).
    Wijkteam,
    /// The court: a child protection order (OTS, voogdij).
    Court,
}

impl Route {
    /// Every route, in index order.
    pub const ALL: [Route; 5] = [
        Route::Gp,
        Route::School,
        Route::Specialist,
        Route::Wijkteam,
        Route::Court,
    ];
    /// How many there are.
    pub const COUNT: usize = Route::ALL.len();
    /// The routes by which a child is referred to jeugdhulp (not the court), in the order they
    /// are tried each month.
    pub const REFERRALS: [Route; 4] =
        [Route::Gp, Route::School, Route::Specialist, Route::Wijkteam];
}

/// What the referral phase decides for one youth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Intent {
    /// A referral to jeugdhulp by a route.
    Referral(Route),
    /// A child protection order (jeugdbescherming).
    Protection,
    /// A jeugdreclassering measure.
    Jeugdreclassering,
}
/// Age of majority: protection orders are for children under it; at it, protection ends and
/// some jeugdhulp continues (`jeugd.continue_after_18`).
pub const MAJORITY_AGE: u32 = 18;
/// Youngest age for jeugdreclassering (the age of criminal responsibility, Wetboek van
/// Strafrecht art. 486).
pub const JR_MIN_AGE: u32 = 12;
/// School ages: the school route refers children from 4 up to 18 (leerplicht from 5; most go
/// to school from 4).
pub const SCHOOL_AGES: std::ops::Range<u32> = 4..18;
/// The year from which the normative drift and the jeugdreclassering trend are counted (the
/// decentralisation, facts.md MC9).
pub const DRIFT_BASE_YEAR: f64 = 2015.0;
/// The referral threshold never drifts below this severity. Assumption.
pub const MIN_REFERRAL_THRESHOLD: f64 = 10.0;
/// Siblings of a child in jeugdhulp are seen from this severity on (the helpers see the whole
/// family). Assumption.
pub const SIBLING_FLOOR: f64 = 10.0;
/// Marketing through schools works this many times as strongly for the top income quintile
/// (facts.md MC8). Assumption.
pub const TOP_QUINTILE_MARKETING: f64 = 2.0;

/// The month's referral rules.
struct ReferRules<'a> {
    jp: &'a JeugdParams,
    /// Severity from which a problem can be referred this year (after the normative drift).
    threshold: f64,
    /// Factor on every referral route (the yearly referral drift).
    drift: f64,
    /// Providers' marketing through schools.
    marketing: f64,
    /// Monthly chance of a jeugdreclassering measure (after its trend).
    jr_rate: f64,
    /// Income above which a household is in the top quintile.
    top_quintile: u32,
}

impl<'a> ReferRules<'a> {
    fn at(jp: &'a JeugdParams, setup: &JeugdSetup, month: Month) -> ReferRules<'a> {
        let years = f64::from(month.year()) - DRIFT_BASE_YEAR;
        ReferRules {
            jp,
            // Normative drift (MC9): what counts as a problem needing help gets lighter.
            threshold: (f64::from(jp.referral_threshold) - jp.threshold_drift * years)
                .clamp(MIN_REFERRAL_THRESHOLD, 100.0),
            drift: (1.0 + jp.referral_drift.get()).powf(years),
            marketing: jp.marketing.at(month).get(),
            jr_rate: jp.jr_rate.get() * (jp.jr_trend * years).exp(),
            top_quintile: setup.top_quintile,
        }
    }
}

/// The chance a month that each route of [`Route::REFERRALS`] refers a youth with problem `y`
/// aged `age` (tried in that order, before the referral drift): above the referral threshold
/// every route, the school route raised by providers' marketing (more for the top income
/// quintile, MC7, MC8); a sibling in jeugdhulp brings the child into view of the specialist
/// helpers, also below the threshold.
fn route_chances(r: &ReferRules<'_>, y: u8, age: u32, top: bool, sibling: bool) -> [f64; 4] {
    let jp = r.jp;
    let school = if SCHOOL_AGES.contains(&age) {
        let marketing = if top { TOP_QUINTILE_MARKETING } else { 1.0 };
        jp.referral_school.get() * (1.0 + r.marketing * marketing)
    } else {
        0.0
    };
    let sibling = if sibling {
        jp.sibling_referral.get()
    } else {
        0.0
    };
    if f64::from(y) >= r.threshold {
        [
            jp.referral_gp.get(),
            school,
            jp.referral_specialist.get() + sibling,
            jp.referral_wijkteam.get(),
        ]
    } else {
        [0.0, 0.0, sibling, 0.0]
    }
}

/// Households with a child in jeugdhulp.
fn households_in_hulp(world: &World) -> Vec<bool> {
    let c = &world.citizens;
    let mut in_hulp = vec![false; world.households.len()];
    let marks = map_chunks(c.len(), |r| {
        r.filter(|&i| c.flags[i].contains(ALIVE) && c.jeugd[i].in_hulp())
            .map(|i| c.household[i])
            .collect::<Vec<_>>()
    });
    for h in marks.into_iter().flatten() {
        in_hulp[h as usize] = true;
    }
    in_hulp
}

/// The streams of the month's referral decisions, one purpose each.
struct ReferKeys {
    route: StreamKey,
    court: StreamKey,
    jr: StreamKey,
}

/// This month's court orders and referral for youth `i` (none, one or more), onto `out`.
fn intents_of(
    world: &World,
    r: &ReferRules<'_>,
    sibling_in_hulp: &[bool],
    month: Month,
    i: usize,
    keys: &ReferKeys,
    out: &mut Vec<(u32, Intent)>,
) {
    let (c, h, jp) = (&world.citizens, &world.households, r.jp);
    let y = c.youth[i];
    let hh = c.household[i] as usize;
    // Siblings of a child in care are seen with lighter problems too.
    let floor = if sibling_in_hulp[hh] {
        SIBLING_FLOOR
    } else {
        r.threshold
    };
    if !c.flags[i].contains(ALIVE) || f64::from(y) < floor || u32::from(c.birth[i]) > month.0 {
        return;
    }
    let age = c.age(i, month);
    if age > MAX_YOUTH_AGE {
        return;
    }
    let bits = c.jeugd[i];
    let id = u64::from(c.id[i]);
    // Safety concerns weigh heavier in stressed households.
    let stress = f64::from(h.stress[hh]) / STRESS_UNIT;
    if age < MAJORITY_AGE
        && y >= jp.safety_threshold
        && !bits.receives_or_waits(YouthForm::Jeugdbescherming)
        && keys
            .court
            .stream(id)
            .chance(jp.court_rate.get() * stress * stress)
    {
        out.push((i as u32, Intent::Protection));
    }
    if (JR_MIN_AGE..=MAX_YOUTH_AGE).contains(&age)
        && y >= jp.jr_threshold
        && !bits.receives_or_waits(YouthForm::Jeugdreclassering)
        && keys.jr.stream(id).chance(r.jr_rate)
    {
        out.push((i as u32, Intent::Jeugdreclassering));
    }
    // Jeugdhulp is help for a `jeugdige`: under 18, or up to 23 where help that began before
    // 18 continues (Jeugdwet art. 1.1; facts.md Y1: 11 000 of 20 000 in care at 18 go on).
    // Continuing is decided at 18 (`jeugd.continue_after_18`); a problem that is new after 18
    // is an adult's, not a referral to youth care.
    if age >= MAJORITY_AGE || (bits.received() | bits.waiting()).intersects(FormSet::HULP) {
        return;
    }
    let mut rng = keys.route.stream(id);
    let top = h.income[hh] > r.top_quintile;
    let chances = route_chances(r, y, age, top, sibling_in_hulp[hh]);
    for (route, &prob) in Route::REFERRALS.iter().zip(&chances) {
        if rng.chance(prob * r.drift) {
            out.push((i as u32, Intent::Referral(*route)));
            break;
        }
    }
}

/// A youth's state after a court order or referral (`intent`), with problem `y`: a protection
/// order waits for a GI and, if `placed()` (drawn only for a youth not in verblijf yet), for a
/// placement outside the home (foster or residential care counts as jeugdhulp met verblijf); a
/// referral leads to verblijf from its threshold, light help from the wijkteam when the
/// wijkteam referred a problem below the specialist threshold (only that route gives light help
/// first), and ambulant care otherwise.
fn after_intent(
    jp: &JeugdParams,
    state: JeugdState,
    intent: Intent,
    y: u8,
    placed: impl FnOnce() -> bool,
) -> JeugdState {
    match intent {
        Intent::Protection => {
            let state = state.with_waiting(YouthForm::Jeugdbescherming);
            if !state.receives(YouthForm::Verblijf) && placed() {
                state.with_waiting(YouthForm::Verblijf)
            } else {
                state
            }
        }
        Intent::Jeugdreclassering => state.with_waiting(YouthForm::Jeugdreclassering),
        Intent::Referral(r) => {
            if y >= jp.verblijf_threshold {
                state.with_waiting(YouthForm::Verblijf)
            } else if r == Route::Wijkteam && y < jp.specialist_threshold {
                state.with(YouthForm::Wijkteam).with_this_year()
            } else {
                state.with_waiting(YouthForm::Ambulant)
            }
        }
    }
}

/// Phases 4-5 (youth part): routes in, court orders and jeugdreclassering, referral decisions.
pub fn refer(
    world: &mut World,
    p: &Params,
    setup: &JeugdSetup,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let jp = &p.jeugd;
    let seed = world.seed;
    let m = month.0;
    let rules = ReferRules::at(jp, setup, month);
    let keys = ReferKeys {
        route: StreamKey::new(seed, ps::JEUGD_ROUTE, m),
        court: StreamKey::new(seed, ps::JEUGD_COURT, m),
        jr: StreamKey::new(seed, ps::JEUGD_JR, m),
    };
    let k_placement = StreamKey::new(seed, ps::JEUGD_PLACEMENT, m);
    // Households with a child in jeugdhulp: the helpers see the siblings too.
    let in_hulp = households_in_hulp(world);
    let intents: Vec<(u32, Intent)> = {
        let world = &*world;
        map_chunks(world.citizens.len(), |r| {
            let mut out = Vec::new();
            for i in r {
                intents_of(world, &rules, &in_hulp, month, i, &keys, &mut out);
            }
            out
        })
        .into_iter()
        .flatten()
        .collect()
    };
    let c = &mut world.citizens;
    for (i, intent) in intents {
        let iu = i as usize;
        let mut placement = k_placement.stream(u64::from(c.id[iu]));
        let g = world.households.gemeente[c.household[iu] as usize] as usize;
        let route = match intent {
            Intent::Protection => Some(Route::Court),
            Intent::Referral(r) => Some(r),
            Intent::Jeugdreclassering => None,
        };
        if let Some(r) = route {
            flows[g].jeugd_referrals[r as usize] += 1;
        }
        let before = c.jeugd[iu];
        let after = after_intent(jp, before, intent, c.youth[iu], || {
            placement.chance(jp.placement_share.get())
        });
        if after.waiting() != before.waiting() {
            c.jeugd_month[iu] = month.0 as u16;
        }
        c.jeugd[iu] = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use serde_json::json;

    #[test]
    fn no_new_jeugdhulp_after_18() {
        // Every youth has a serious problem and every route refers at once: those under 18
        // are referred, those of 18-22 not in care are not (Jeugdwet art. 1.1, facts.md Y1).
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        let p = crate::scenario::load(&path).unwrap().variants[0]
            .params
            .clone();
        let month = Month::new(2016, 1);
        let geo = crate::model::geography::Geography::synthetic(&p.geography, 3);
        let mut w = crate::model::population::generate(geo, &p, 3, 0.002, month);
        for i in 0..w.citizens.len() {
            w.citizens.youth[i] = 90;
        }
        let setup = JeugdSetup::new(&w, &p.jeugd, [0; 4], 0);
        let mut flows = vec![GemeenteFlows::default(); w.geography.gemeenten.len()];
        // A year of months: the monthly chance of a referral adds up.
        let (mut minors, mut adults) = (0, 0);
        for k in 0..12 {
            refer(&mut w, &p, &setup, Month(month.0 + k), &mut flows);
        }
        let end = Month(month.0 + 11);
        for i in 0..w.citizens.len() {
            let age = w.citizens.age(i, end);
            let hulp = (w.citizens.jeugd[i].received() | w.citizens.jeugd[i].waiting())
                .intersects(FormSet::HULP);
            if hulp && age < MAJORITY_AGE {
                minors += 1;
            }
            // Born in 1997 or before: 18 or over all year.
            if hulp && w.citizens.age(i, month) >= MAJORITY_AGE && age <= MAX_YOUTH_AGE {
                adults += 1;
            }
        }
        assert!(minors > 100, "referred minors: {minors}");
        assert_eq!(adults, 0, "youths referred to jeugdhulp after 18");
    }

    #[test]
    fn referrals_and_orders_lead_to_forms() {
        let jp = patched(
            &reference().jeugd,
            json!({ "verblijf_threshold": 50, "specialist_threshold": 45 }),
        );
        let none = JeugdState::NONE;
        let w = |f| none.with_waiting(f);
        use YouthForm::*;
        // (state, intent, problem, placed outside the home, state after)
        let rows = [
            // Only the wijkteam route gives light help first (facts.md MC6) ...
            (
                none,
                Intent::Referral(Route::Wijkteam),
                30,
                false,
                none.with(Wijkteam).with_this_year(),
            ),
            // ... the GP, school and specialist refer to specialist care (J9).
            (none, Intent::Referral(Route::Gp), 30, false, w(Ambulant)),
            (
                none,
                Intent::Referral(Route::Wijkteam),
                46,
                false,
                w(Ambulant),
            ),
            (
                none,
                Intent::Referral(Route::School),
                55,
                false,
                w(Verblijf),
            ),
            // A protection order waits for a GI, some with a placement (jeugdhulp met
            // verblijf).
            (none, Intent::Protection, 60, false, w(Jeugdbescherming)),
            (
                none,
                Intent::Protection,
                60,
                true,
                w(Jeugdbescherming).with_waiting(Verblijf),
            ),
            (
                none.with(Verblijf),
                Intent::Protection,
                60,
                true,
                none.with(Verblijf).with_waiting(Jeugdbescherming),
            ),
            (
                none,
                Intent::Jeugdreclassering,
                60,
                false,
                w(Jeugdreclassering),
            ),
        ];
        for (state, intent, y, placed, want) in rows {
            let got = after_intent(&jp, state, intent, y, || placed);
            assert_eq!(got, want, "{state:?} {intent:?} {y}");
        }
    }
}
