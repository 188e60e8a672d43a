//! Phase 1 of a month: demography. Deaths, emigration, births, leaving home, separation,
//! partnering, moves between gemeenten and immigration.
//!
//! Decisions are taken in parallel against the state at the start of the month and returned
//! as intents; they are committed sequentially in a fixed order (deaths, emigration, births,
//! leaving home, separations, partnering, moves, immigration), so the result does not depend
//! on the thread count. Household-level events (emigration, moves, separation, partnering)
//! draw from a stream keyed by the head's persistent id, so every member of a household sees
//! the same outcome without any communication between them.

use super::geography::Geography;
use super::indicators::GemeenteFlows;
use super::labour::LabourStatus;
use super::lifetable::{MAX_AGE, monthly_birth_probabilities, monthly_death_probabilities};
use super::population::{
    ADULT_YEARS, Person, SampledHousehold, family, father_age, n_children, years,
};
use super::streams as ps;
use super::world::{ADULT, ALIVE, FEMALE, NONE, World};
use crate::engine::{Month, Stream, StreamKey, map_chunks};
use crate::model::world::CitizenFlags;
use crate::scenario::params::Params;
use rayon::prelude::*;

/// Ages of a household head who may emigrate (`demography.emigration_rate`) and of a single
/// adult who may look for a partner (`partnering_rate`): 18-64, the households those rates are
/// derived for.
pub const WORKING_AGES: std::ops::Range<u32> = 18..65;

/// Age from which a child living with parents may leave home (`leave_home_rate`).
pub const LEAVE_HOME_AGE: usize = 18;

/// Times a moving household redraws a destination equal to its own gemeente before it stays
/// put. Assumption (technical: with hundreds of gemeenten one redraw is almost always enough).
pub const DESTINATION_REDRAWS: usize = 4;

/// Oldest head of an immigrant household without children, years. Assumption.
pub const IMMIGRANT_MAX_AGE: f64 = 64.0;

/// Share of women among single immigrants. Assumption.
pub const IMMIGRANT_SINGLE_FEMALE_SHARE: f64 = 0.5;

/// Years the man of an immigrant couple without children is older than the woman on
/// average: none (assumption; the starting population and immigrant families use
/// `population.partner_age_gap`; the spread is `population.partner_age_spread` for all).
pub const IMMIGRANT_COUPLE_AGE_GAP: f64 = 0.0;

/// Monthly probabilities in force in one month.
#[derive(Clone, Debug)]
pub struct Rates {
    /// Death probability by sex (0 male, 1 female) and age.
    pub death: [[f64; MAX_AGE + 1]; 2],
    /// Birth probability by age of the woman.
    pub birth: [f64; MAX_AGE + 1],
    /// Emigration of households with a head aged 18-64.
    pub emigrate: f64,
    /// Emigration, per household with children at home (head 18-64).
    pub emigrate_family: f64,
    /// Leaving home, per young adult.
    pub leave_home: f64,
    /// Seeking a partner, per single adult 18-64 without children.
    pub partner: f64,
    /// Separation, per couple.
    pub separate: f64,
    /// Moving to another gemeente, per household.
    pub moves: f64,
    /// Immigrant agents expected this month.
    pub immigrant_agents: f64,
}

/// Agents per immigrant to the Netherlands: `scale` times the geography's share of the
/// country (`demography.immigrants` counts immigrants to the whole Netherlands, of
/// `geography.population` inhabitants). A geography of a few gemeenten (a CSV) receives its
/// share; the whole country (synthetic, or a CSV of all gemeenten) receives them all.
pub fn immigrant_scale(p: &Params, geography: &Geography, scale: f64) -> f64 {
    let share = geography.population() as f64 / p.geography.population as f64;
    scale * share.min(1.0)
}

/// A yearly probability as a monthly one.
pub fn monthly(yearly: f64) -> f64 {
    1.0 - (1.0 - yearly).powf(1.0 / 12.0)
}

impl Rates {
    /// The rates for `month` (dated parameters evaluated there). `immigrant_scale`: agents per
    /// immigrant to the Netherlands, the scale times the geography's share of the country.
    pub fn for_month(p: &Params, month: Month, immigrant_scale: f64) -> Rates {
        let d = &p.demography;
        let slope = d.mortality_slope.get();
        let infant = d.infant_mortality.get();
        Rates {
            death: [
                monthly_death_probabilities(d.life_expectancy_men.at(month).get(), slope, infant),
                monthly_death_probabilities(d.life_expectancy_women.at(month).get(), slope, infant),
            ],
            birth: monthly_birth_probabilities(
                d.total_fertility.at(month).get(),
                d.fertility_mean_age.get(),
                d.fertility_spread.get(),
            ),
            emigrate: monthly(d.emigration_rate.at(month).get()),
            emigrate_family: monthly(
                d.emigration_rate.at(month).get() * d.emigration_family_factor.get(),
            ),
            leave_home: monthly(d.leave_home_rate.get()),
            partner: monthly(d.partnering_rate.get()),
            separate: monthly(d.separation_rate.get()),
            moves: monthly(d.move_rate.get()),
            immigrant_agents: d.immigrants.at(month).get() * immigrant_scale / 12.0,
        }
    }
}

/// Set-up that does not change month to month.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Cumulative share of the start population by gemeente: where movers and immigrants go.
    pub destination_cdf: Vec<f64>,
    /// Agents per immigrant to the Netherlands ([`immigrant_scale`]).
    pub immigrant_scale: f64,
}

impl Setup {
    /// Builds the set-up for a world under `p` (its geography settings only, which variants
    /// share).
    pub fn new(world: &World, p: &Params) -> Setup {
        let total = world.geography.population().max(1) as f64;
        let mut acc = 0.0;
        let destination_cdf = world
            .geography
            .gemeenten
            .iter()
            .map(|g| {
                acc += g.population as f64 / total;
                acc
            })
            .collect();
        Setup {
            destination_cdf,
            immigrant_scale: immigrant_scale(p, &world.geography, world.scale),
        }
    }

    fn pick_gemeente(&self, rng: &mut Stream) -> u16 {
        let u = rng.uniform();
        let i = self.destination_cdf.partition_point(|&c| c <= u);
        i.min(self.destination_cdf.len() - 1) as u16
    }
}

/// What citizens decided this month, per chunk of citizens (indices into the citizens).
#[derive(Default)]
struct CitizenIntents {
    die: Vec<u32>,
    emigrate: Vec<u32>,
    birth: Vec<u32>,
    leave_home: Vec<u32>,
}

/// What households decided this month, per chunk of households (indices into the
/// households; moves with their destination).
#[derive(Default)]
struct HouseholdIntents {
    separate: Vec<u32>,
    seek_partner: Vec<u32>,
    moves: Vec<(u32, u16)>,
}

/// The month's stream keys of the decisions taken in parallel.
struct Keys {
    death: StreamKey,
    emigrate: StreamKey,
    birth: StreamKey,
    leave: StreamKey,
    moves: StreamKey,
    destination: StreamKey,
    separate: StreamKey,
    partner: StreamKey,
}

impl Keys {
    fn new(seed: u64, month: Month) -> Keys {
        let key = |p| StreamKey::new(seed, p, month.0);
        Keys {
            death: key(ps::DEMOGRAPHY_DEATH),
            emigrate: key(ps::DEMOGRAPHY_EMIGRATE),
            birth: key(ps::DEMOGRAPHY_BIRTH),
            leave: key(ps::DEMOGRAPHY_LEAVE_HOME),
            moves: key(ps::DEMOGRAPHY_MOVE),
            destination: key(ps::DEMOGRAPHY_MOVE_DESTINATION),
            separate: key(ps::DEMOGRAPHY_SEPARATE),
            partner: key(ps::DEMOGRAPHY_PARTNER),
        }
    }
}

/// Runs the demography phase for `month`, counting flows per gemeente into `flows`.
///
/// Decide, in parallel, against the state at the start of the month; then commit,
/// sequentially, in a fixed order.
pub fn step(
    world: &mut World,
    p: &Params,
    setup: &Setup,
    rates: &Rates,
    frailty_norm: &super::needs::FrailtyNorm,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let keys = Keys::new(world.seed, month);
    // exp(frailty * severity) for every severity, once a month instead of once a citizen.
    let frail_exp = super::needs::Frailty::new(&p.needs);

    let emigrating = decide_emigration(world, rates, &keys, month);
    let citizens = decide_citizens(
        world,
        rates,
        &keys,
        &frail_exp,
        frailty_norm,
        &emigrating,
        month,
    );
    let households = decide_households(world, setup, rates, &keys, month);

    commit_deaths(world, &citizens, flows);
    commit_emigration(world, &citizens, flows);
    commit_births(world, p, &citizens, month, flows);
    let formed = world.households.len();
    let mut changed = commit_leaving_home(world, &citizens);
    changed.extend(commit_separations(world, &households));
    changed.extend(commit_partnering(world, &households, flows));
    commit_moves(world, &households, flows);
    immigrate(world, p, setup, rates, month, flows);
    // Households formed or changed this month take the income of their adults now (the rest
    // at the end of phase 7, `labour::income::update`).
    changed.extend(formed as u32..world.households.len() as u32);
    for k in changed {
        let k = k as usize;
        world.households.income[k] = crate::model::labour::income::household(
            &world.citizens,
            &world.households,
            k,
            &p.participatie,
            month.0,
        );
    }
}

/// Emigration is a household's decision, drawn on its head (once per household, not once per
/// member): whether each household emigrates this month.
fn decide_emigration(world: &World, rates: &Rates, keys: &Keys, month: Month) -> Vec<bool> {
    let c = &world.citizens;
    world
        .households
        .adults
        .par_iter()
        .zip(&world.households.members)
        .map(|(adults, &members)| {
            let head = adults[0];
            let n_adults = adults.iter().filter(|&&a| a != NONE).count();
            let rate = if usize::from(members) > n_adults {
                rates.emigrate_family
            } else {
                rates.emigrate
            };
            head != NONE
                && WORKING_AGES.contains(&c.age(head as usize, month))
                && keys
                    .emigrate
                    .stream(u64::from(c.id[head as usize]))
                    .chance(rate)
        })
        .collect()
}

/// Each living citizen's death, emigration (with the household), birth and leaving home.
fn decide_citizens(
    world: &World,
    rates: &Rates,
    keys: &Keys,
    frail_exp: &super::needs::Frailty,
    frailty_norm: &super::needs::FrailtyNorm,
    emigrating: &[bool],
    month: Month,
) -> Vec<CitizenIntents> {
    let c = &world.citizens;
    let h = &world.households;
    map_chunks(c.len(), |r| {
        let mut out = CitizenIntents::default();
        for i in r {
            let f = c.flags[i];
            if !f.contains(ALIVE) {
                continue;
            }
            let id = u64::from(c.id[i]);
            let age = (c.age(i, month) as usize).min(MAX_AGE);
            let female = f.contains(FEMALE);
            // Severity raises mortality; the mean frailty of the age and sex divides it out,
            // so the life table holds on average.
            let sex = usize::from(female);
            let q =
                rates.death[sex][age] * frail_exp.weight(f, c.severity[i]) / frailty_norm[sex][age];
            if keys.death.stream(id).chance(q) {
                out.die.push(i as u32);
                continue;
            }
            let hh = c.household[i] as usize;
            let head = h.adults[hh][0];
            if emigrating[hh] {
                out.emigrate.push(i as u32);
                continue;
            }
            if female && rates.birth[age] > 0.0 && keys.birth.stream(id).chance(rates.birth[age]) {
                out.birth.push(i as u32);
            }
            if !f.contains(ADULT)
                && age >= LEAVE_HOME_AGE
                && (head == NONE || keys.leave.stream(id).chance(rates.leave_home))
            {
                // With no adult left in the household a young adult takes over as head.
                out.leave_home.push(i as u32);
            }
        }
        out
    })
}

/// Each household's move (and destination), separation or search for a partner.
fn decide_households(
    world: &World,
    setup: &Setup,
    rates: &Rates,
    keys: &Keys,
    month: Month,
) -> Vec<HouseholdIntents> {
    let c = &world.citizens;
    let h = &world.households;
    map_chunks(h.len(), |r| {
        let mut out = HouseholdIntents::default();
        for k in r {
            let head = h.adults[k][0];
            if h.members[k] == 0 || head == NONE {
                continue;
            }
            let hkey = u64::from(c.id[head as usize]);
            if keys.moves.stream(hkey).chance(rates.moves) {
                let mut rng = keys.destination.stream(hkey);
                let from = h.gemeente[k];
                let mut to = setup.pick_gemeente(&mut rng);
                for _ in 0..DESTINATION_REDRAWS {
                    if to != from {
                        break;
                    }
                    to = setup.pick_gemeente(&mut rng);
                }
                if to != from {
                    out.moves.push((k as u32, to));
                }
            }
            let adults = h.n_adults(k);
            if adults == 2 {
                if keys.separate.stream(hkey).chance(rates.separate) {
                    out.separate.push(k as u32);
                }
            } else if h.members[k] == 1
                && WORKING_AGES.contains(&c.age(head as usize, month))
                && keys.partner.stream(hkey).chance(rates.partner)
            {
                out.seek_partner.push(k as u32);
            }
        }
        out
    })
}

/// Deaths leave their household.
fn commit_deaths(world: &mut World, intents: &[CitizenIntents], flows: &mut [GemeenteFlows]) {
    for part in intents {
        for &i in &part.die {
            let wsw = world.citizens.labour[i as usize] == LabourStatus::Wsw;
            let g = remove_citizen(world, i);
            flows[g].deaths += 1;
            flows[g].wsw_gone[0] += u32::from(wsw);
        }
    }
}

/// Emigrants (still alive) leave the country.
fn commit_emigration(world: &mut World, intents: &[CitizenIntents], flows: &mut [GemeenteFlows]) {
    for part in intents {
        for &i in &part.emigrate {
            if world.citizens.alive(i as usize) {
                let wsw = world.citizens.labour[i as usize] == LabourStatus::Wsw;
                let g = remove_citizen(world, i);
                flows[g].emigrants += 1;
                flows[g].wsw_gone[1] += u32::from(wsw);
            }
        }
    }
}

/// Newborns join their mother's household, with new ids in the order of their mothers.
fn commit_births(
    world: &mut World,
    p: &Params,
    intents: &[CitizenIntents],
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    for part in intents {
        for &mother in &part.birth {
            let mi = mother as usize;
            if !world.citizens.alive(mi) {
                continue;
            }
            let hh = world.citizens.household[mi];
            if world.households.members[hh as usize] == u8::MAX {
                continue;
            }
            let mut rng = Stream::new(
                world.seed,
                ps::DEMOGRAPHY_SEX,
                u64::from(world.citizens.id[mi]),
                month.0,
            );
            let female = !rng.chance(p.demography.male_birth_share.get());
            let id = world.next_id;
            world.next_id += 1;
            world.citizens.push(
                id,
                month,
                ALIVE | if female { FEMALE } else { CitizenFlags::EMPTY },
                hh,
            );
            world.households.members[hh as usize] += 1;
            flows[world.households.gemeente[hh as usize] as usize].births += 1;
        }
    }
}

/// Young adults leave home for a household of their own (with their own income), or take
/// over as head where no adult is left. Returns the households they left.
fn commit_leaving_home(world: &mut World, intents: &[CitizenIntents]) -> Vec<u32> {
    let mut left = Vec::new();
    for part in intents {
        for &i in &part.leave_home {
            let iu = i as usize;
            if !world.citizens.alive(iu) || world.citizens.flags[iu].contains(ADULT) {
                continue;
            }
            let hh = world.citizens.household[iu] as usize;
            if world.households.adults[hh][0] == NONE {
                // Take over as head of the household.
                world.households.adults[hh][0] = i;
                world.citizens.flags[iu].insert(ADULT);
            } else {
                let g = world.households.gemeente[hh];
                world.households.members[hh] -= 1;
                let new = world.households.push([i, NONE], 1, g);
                world.citizens.household[iu] = new;
                world.citizens.flags[iu].insert(ADULT);
            }
            left.push(hh as u32);
        }
    }
    left
}

/// Couples (still couples) separate: the second adult leaves with the household's income.
fn commit_separations(world: &mut World, intents: &[HouseholdIntents]) -> Vec<u32> {
    let mut changed = Vec::new();
    for part in intents {
        for &k in &part.separate {
            let ku = k as usize;
            if world.households.n_adults(ku) != 2 {
                continue;
            }
            let leaver = world.households.adults[ku][1];
            world.households.adults[ku][1] = NONE;
            world.households.members[ku] -= 1;
            let g = world.households.gemeente[ku];
            let new = world.households.push([leaver, NONE], 1, g);
            world.citizens.household[leaver as usize] = new;
            changed.push(k);
        }
    }
    changed
}

/// Partnering: seekers still single pair up within their gemeente, in index order; those left
/// over pair up within their jeugdregio, and the last ones nationally. The second moves in
/// with the first and they share the mean of their incomes. Pairing over wider pools keeps the
/// number of new couples a matter of `partnering_rate`, not of how many seekers a gemeente
/// happens to have in a month: within the gemeente alone, most seekers found nobody at small
/// scales, so singles depended on `--scale` (docs/scale.md).
fn commit_partnering(
    world: &mut World,
    intents: &[HouseholdIntents],
    flows: &mut [GemeenteFlows],
) -> Vec<u32> {
    let seekers: Vec<u32> = intents
        .iter()
        .flat_map(|p| p.seek_partner.iter().copied())
        .filter(|&k| {
            let ku = k as usize;
            world.households.members[ku] == 1 && world.households.n_adults(ku) == 1
        })
        .collect();
    let gemeente = |w: &World, k: u32| usize::from(w.households.gemeente[k as usize]);
    let region = |w: &World, k: u32| usize::from(w.geography.gemeenten[gemeente(w, k)].jeugdregio);
    let left = pair_within(world, seekers.clone(), flows, gemeente);
    let left = pair_within(world, left, flows, region);
    pair_within(world, left, flows, |_, _| 0);
    // The households the couples live in now.
    seekers
        .into_iter()
        .filter(|&k| world.households.n_adults(k as usize) == 2)
        .collect()
}

/// Pairs `seekers` (single-adult households) that share a pool (`pool_of`), in pool order and
/// index order within a pool; returns those left unpaired, in index order.
fn pair_within(
    world: &mut World,
    mut seekers: Vec<u32>,
    flows: &mut [GemeenteFlows],
    pool_of: impl Fn(&World, u32) -> usize,
) -> Vec<u32> {
    seekers.sort_by_key(|&k| (pool_of(world, k), k));
    let mut left = Vec::new();
    let mut j = 0;
    while j < seekers.len() {
        if j + 1 == seekers.len() || pool_of(world, seekers[j]) != pool_of(world, seekers[j + 1]) {
            left.push(seekers[j]);
            j += 1;
            continue;
        }
        let (a, b) = (seekers[j] as usize, seekers[j + 1] as usize);
        let joiner = world.households.adults[b][0];
        let h = &mut world.households;
        let (to, from) = (usize::from(h.gemeente[a]), usize::from(h.gemeente[b]));
        if to != from {
            flows[from].moved_out += 1;
            flows[to].moved_in += 1;
        }
        h.adults[a][1] = joiner;
        h.members[a] = 2;
        h.adults[b] = [NONE, NONE];
        h.members[b] = 0;
        world.citizens.household[joiner as usize] = a as u32;
        j += 2;
    }
    left.sort_unstable();
    left
}

/// Households (not emptied this month) move to their destination.
fn commit_moves(world: &mut World, intents: &[HouseholdIntents], flows: &mut [GemeenteFlows]) {
    for part in intents {
        for &(k, to) in &part.moves {
            let ku = k as usize;
            let members = u32::from(world.households.members[ku]);
            if members == 0 {
                continue;
            }
            let from = world.households.gemeente[ku];
            world.households.gemeente[ku] = to;
            flows[from as usize].moved_out += members;
            flows[to as usize].moved_in += members;
        }
    }
}

/// Marks a citizen dead or gone and takes them out of their household; returns the gemeente.
fn remove_citizen(world: &mut World, i: u32) -> usize {
    let iu = i as usize;
    let c = &mut world.citizens;
    c.flags[iu].remove(ALIVE);
    let hh = c.household[iu] as usize;
    let h = &mut world.households;
    h.members[hh] -= 1;
    if c.flags[iu].contains(ADULT) {
        h.remove_adult(hh, i);
    }
    h.gemeente[hh] as usize
}

/// Immigrant households: singles and couples of young adults and families with children,
/// settling where people live, until the month's expected number of immigrant agents (its
/// fraction by chance) has arrived.
fn immigrate(
    world: &mut World,
    p: &Params,
    setup: &Setup,
    rates: &Rates,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let mut rng = Stream::new(world.seed, ps::DEMOGRAPHY_IMMIGRATE, 0, month.0);
    let expected = rates.immigrant_agents;
    let target = expected.floor() as u64 + u64::from(rng.chance(expected.fract()));
    let mut arrived = 0u64;
    let mut k = 0u64;
    while arrived < target {
        let left = target - arrived;
        let (hh, g) = immigrant_household(world.seed, k, p, setup, left, month);
        k += 1;
        let n = settle(world, &hh, g, month);
        flows[usize::from(g)].immigrants += n;
        arrived += u64::from(n);
    }
}

/// The month's `k`th immigrant household: its people (the head, a partner, then the
/// children) and the gemeente it settles in. At most `left` people. Its form and destination
/// come from streams of their own; its income follows its adults' statuses.
fn immigrant_household(
    seed: u64,
    k: u64,
    p: &Params,
    setup: &Setup,
    left: u64,
    month: Month,
) -> (SampledHousehold, u16) {
    let (d, pop) = (&p.demography, &p.population);
    let r = &mut Stream::new(seed, ps::DEMOGRAPHY_IMMIGRANT_HOUSEHOLD, k, month.0);
    // A family needs two adults and a child, a couple two adults.
    let with_children = left >= 3 && r.chance(d.immigrant_family_share.get());
    let couple = with_children || (left >= 2 && r.chance(d.immigrant_couple_share.get()));
    let g = setup.pick_gemeente(&mut Stream::new(
        seed,
        ps::DEMOGRAPHY_IMMIGRANT_DESTINATION,
        k,
        month.0,
    ));
    let (children, mother) = if with_children {
        let n = n_children(r, pop).min(left as usize - 2);
        family(r, n)
    } else {
        (Vec::new(), 0.0)
    };
    let age = if with_children {
        father_age(r, pop, mother, children[0])
    } else {
        let mean_above_adult = d.immigrant_mean_age.get() - ADULT_YEARS;
        (ADULT_YEARS + -(1.0 - r.uniform()).ln() * mean_above_adult).min(IMMIGRANT_MAX_AGE)
    };
    let mut people = Vec::with_capacity(2 + children.len());
    for slot in 0..if couple { 2 } else { 1 } {
        let a = if slot == 0 {
            age
        } else if with_children {
            mother
        } else {
            (age - IMMIGRANT_COUPLE_AGE_GAP + pop.partner_age_spread.get() * r.normal())
                .max(ADULT_YEARS)
        };
        let age_months = years(a);
        let female = if couple {
            slot == 1
        } else {
            r.chance(IMMIGRANT_SINGLE_FEMALE_SHARE)
        };
        people.push(Person {
            age_months,
            female,
            adult: true,
        });
    }
    let female_birth_share = 1.0 - d.male_birth_share.get();
    for a in children {
        let age_months = years(a);
        let female = r.chance(female_birth_share);
        people.push(Person {
            age_months,
            female,
            adult: false,
        });
    }
    (SampledHousehold { people }, g)
}

/// Places an arriving household in gemeente `g` in `month`, its people taking new ids in
/// order; returns how many people arrived.
fn settle(world: &mut World, hh: &SampledHousehold, g: u16, month: Month) -> u32 {
    let index = world.households.len() as u32;
    let mut adults = [NONE; 2];
    let mut slot = 0;
    for person in &hh.people {
        let id = world.next_id;
        world.next_id += 1;
        let flags = ALIVE
            | if person.adult {
                ADULT
            } else {
                CitizenFlags::EMPTY
            }
            | if person.female {
                FEMALE
            } else {
                CitizenFlags::EMPTY
            };
        let c = world
            .citizens
            .push(id, Month(month.0 - person.age_months), flags, index);
        if person.adult {
            adults[slot] = c;
            slot += 1;
        }
    }
    let n = hh.people.len();
    world.households.push(adults, n as u8, g);
    n as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_rates_compound_to_yearly() {
        let m = monthly(0.2);
        assert!(((1.0 - m).powi(12) - 0.8).abs() < 1e-12);
    }
}
