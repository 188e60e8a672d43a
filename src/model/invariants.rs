//! Invariants checked at the end of every month in debug and test builds
//! (`cfg(debug_assertions)`): people (stock and flows, nationally and per gemeente), money
//! (each gemeente's books and the national result), queues (no one waiting for a provision
//! they already receive), care links and placements (no link to a dead or departed
//! citizen), and the world's own consistency. A violation stops the run with a message
//! that names the month, the gemeente and the invariant; it is always a bug in the model,
//! never a problem with the input.

use super::gemeente::Gemeenten;
use super::indicators::{Ind, MonthRecord};
use super::world::{ALIVE, World, labour_status};
use crate::engine::Month;
use std::fmt;

/// A violated invariant.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The month at whose end it was found.
    pub month: Month,
    /// The gemeente concerned (index and name), if the invariant is per gemeente.
    pub gemeente: Option<(usize, String)>,
    /// The invariant's name (`people.gemeente`, `money.books`, `queue.wmo`, ...).
    pub invariant: &'static str,
    /// What was found.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invariant `{}` violated in {}",
            self.invariant, self.month
        )?;
        if let Some((g, name)) = &self.gemeente {
            write!(f, ", gemeente {name} (#{g})")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// The state at the end of the last month (the end of the warm-up before the first), which
/// the end-of-month checks compare against; taken from the last record, so that anything
/// done between months (the December compaction) is checked too.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Residents per gemeente.
    population: Vec<i64>,
    /// Reserves per gemeente (all laws), euros.
    reserves: Vec<f64>,
}

impl Snapshot {
    /// The snapshot at the end of a month, from its record (which `check` found true).
    pub fn of_record(record: &MonthRecord) -> Snapshot {
        Snapshot {
            population: record
                .stocks
                .iter()
                .map(|s| i64::from(s.population))
                .collect(),
            reserves: record.stocks.iter().map(|s| s.reserves_eur).collect(),
        }
    }

    /// Takes the snapshot from the state (before the first recorded month).
    pub fn take(world: &World, gemeenten: &Gemeenten) -> Snapshot {
        let c = &world.citizens;
        let h = &world.households;
        let mut population = vec![0i64; world.geography.gemeenten.len()];
        for i in 0..c.len() {
            if c.flags[i] & ALIVE != 0 {
                population[h.gemeente[c.household[i] as usize] as usize] += 1;
            }
        }
        let reserves = gemeenten.reserves.iter().map(|r| r.iter().sum()).collect();
        Snapshot {
            population,
            reserves,
        }
    }
}

/// Money may differ by rounding only: relative to the amounts involved.
fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-7 * scale.abs().max(1.0)
}

/// Checks every invariant at the end of `month` (before the December compaction); returns
/// the first violation.
pub fn check(
    before: &Snapshot,
    month: Month,
    world: &World,
    gemeenten: &Gemeenten,
    record: &MonthRecord,
) -> Result<(), Violation> {
    let geo = &world.geography;
    let fail = |g: Option<usize>, invariant: &'static str, detail: String| Violation {
        month,
        gemeente: g.map(|g| (g, geo.gemeenten[g].name.clone())),
        invariant,
        detail,
    };
    let nat = |i: Ind| record.national[i as usize];

    // People: stock and flows.
    let before_total: i64 = before.population.iter().sum();
    let (births, deaths) = (nat(Ind::Births) as i64, nat(Ind::Deaths) as i64);
    let (imm, emi) = (nat(Ind::Immigrants) as i64, nat(Ind::Emigrants) as i64);
    let pop = nat(Ind::Population) as i64;
    if before_total + births + imm - deaths - emi != pop {
        return Err(fail(
            None,
            "people.national",
            format!(
                "{before_total} at the start + {births} births + {imm} immigrants - {deaths} deaths - {emi} emigrants != {pop} at the end"
            ),
        ));
    }
    let (mut moved_in, mut moved_out) = (0i64, 0i64);
    for (g, (f, s)) in record.flows.iter().zip(&record.stocks).enumerate() {
        moved_in += i64::from(f.moved_in);
        moved_out += i64::from(f.moved_out);
        let expect = before.population[g]
            + i64::from(f.births)
            + i64::from(f.immigrants)
            + i64::from(f.moved_in)
            - i64::from(f.deaths)
            - i64::from(f.emigrants)
            - i64::from(f.moved_out);
        if i64::from(s.population) != expect {
            return Err(fail(
                Some(g),
                "people.gemeente",
                format!(
                    "{} at the start plus this month's flows make {expect}, but {} live there",
                    before.population[g], s.population
                ),
            ));
        }
    }
    if moved_in != moved_out {
        return Err(fail(
            None,
            "people.moves",
            format!("{moved_in} moved in, {moved_out} moved out"),
        ));
    }
    world
        .check()
        .map_err(|e| fail(None, "world.households", e))?;

    // Money: each gemeente's books (reserves change by budget in minus spending out), and the
    // national result is the sum of the gemeenten's.
    let mut result = 0.0;
    for (g, f) in record.flows.iter().enumerate() {
        let now: f64 = gemeenten.reserves[g].iter().sum();
        let change = now - before.reserves[g];
        let size = f.budget_eur.abs().max(f.spending_eur.abs());
        if !close(change, f.budget_eur - f.spending_eur, size) {
            return Err(fail(
                Some(g),
                "money.books",
                format!(
                    "reserves changed by {change:.2} euros, but the budget in ({:.2}) minus spending ({:.2}) is {:.2}",
                    f.budget_eur,
                    f.spending_eur,
                    f.budget_eur - f.spending_eur
                ),
            ));
        }
        if !close(record.stocks[g].reserves_eur, now, now) {
            return Err(fail(
                Some(g),
                "money.recorded",
                format!(
                    "reserves recorded as {:.2}, held {now:.2}",
                    record.stocks[g].reserves_eur
                ),
            ));
        }
        result += f.budget_eur - f.spending_eur;
    }
    let national = nat(Ind::GemeenteResultEur);
    if !close(national, result, result) {
        return Err(fail(
            None,
            "money.national",
            format!(
                "the national result {national:.2} is not the sum of the gemeenten's {result:.2}"
            ),
        ));
    }

    // Queues: no resident waits for a provision (Wmo) or form of youth care they already
    // receive.
    let c = &world.citizens;
    let h = &world.households;
    let gem = |i: usize| Some(h.gemeente[c.household[i] as usize] as usize);
    for i in 0..c.len() {
        let wmo = c.wmo[i];
        let jeugd = c.jeugd[i];
        if c.flags[i] & ALIVE == 0 {
            continue;
        }
        let both = wmo.held() & wmo.waiting();
        if !both.is_empty() {
            return Err(fail(
                gem(i),
                "queue.wmo",
                format!(
                    "citizen {} both receives and waits for Wmo provisions {both:?}",
                    c.id[i]
                ),
            ));
        }
        let both = jeugd.received() & jeugd.waiting();
        if !both.is_empty() {
            return Err(fail(
                gem(i),
                "queue.jeugd",
                format!(
                    "youth {} both receives and waits for Jeugdwet forms {both:?}",
                    c.id[i]
                ),
            ));
        }
    }

    // Care links and placements: both ends alive, carer and recipient two people.
    let care = &world.care;
    for k in 0..care.len() {
        let (r, cr) = (care.recipient[k] as usize, care.carer[k] as usize);
        if r >= c.len() || cr >= c.len() || r == cr {
            return Err(fail(
                None,
                "care.links",
                format!(
                    "link {k}: carer {cr}, recipient {r} of {} citizens",
                    c.len()
                ),
            ));
        }
        for (who, i) in [("carer", cr), ("recipient", r)] {
            if c.flags[i] & ALIVE == 0 {
                return Err(fail(
                    gem(r),
                    "care.links",
                    format!(
                        "care link {k} has a {who} (citizen {}) who died or left",
                        c.id[i]
                    ),
                ));
            }
        }
    }
    let pl = &world.placements;
    for k in 0..pl.len() {
        let w = pl.worker[k] as usize;
        if w >= c.len() || c.flags[w] & ALIVE == 0 || c.labour[w] != labour_status::EMPLOYED {
            return Err(fail(
                (w < c.len()).then(|| gem(w)).flatten(),
                "labour.placements",
                format!(
                    "placement {k}: worker {w} is not an employed resident (labour status {})",
                    c.labour.get(w).copied().unwrap_or(u8::MAX)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Model, PhaseTimer};
    use crate::model::Simulation;
    use crate::model::mantelzorg::CareRelation;
    use crate::model::provision::{Provision, YouthForm};
    use std::path::Path;

    /// One month of a small synthetic Netherlands: the simulation after it, the snapshot of
    /// its start and its record.
    fn one_month() -> (Simulation, Snapshot, MonthRecord) {
        let s = crate::scenario::load_bytes(
            Path::new("invariants.toml"),
            b"scale = 0.001\nstart = \"2015-01\"\nend = \"2015-12\"\n[geography]\ngemeenten = 20\njeugdregios = 4\narbeidsmarktregios = 3\n",
        )
        .unwrap();
        let mut sim = Simulation::new(&s, &s.variants[0], s.seed);
        let before = Snapshot::take(&sim.world, &sim.gemeenten);
        let record = sim.step_month(s.start, &mut PhaseTimer::new());
        (sim, before, record)
    }

    #[test]
    fn a_month_keeps_every_invariant_and_a_broken_one_is_named() {
        let (sim, before, rec) = one_month();
        let m = rec.month;
        let check = |b: &Snapshot, w: &World| check(b, m, w, &sim.gemeenten, &rec);
        assert_eq!(check(&before, &sim.world), Ok(()));
        let name = |g: usize| sim.world.geography.gemeenten[g].name.clone();

        // People: one resident counted in the wrong gemeente at the start.
        let mut b = before.clone();
        b.population[3] += 1;
        b.population[4] -= 1;
        let v = check(&b, &sim.world).unwrap_err();
        assert_eq!(
            (v.invariant, v.gemeente.clone()),
            ("people.gemeente", Some((3, name(3))))
        );
        assert!(
            v.to_string().starts_with(&format!(
                "invariant `people.gemeente` violated in 2015-01, gemeente {} (#3): ",
                name(3)
            )),
            "{v}"
        );
        b.population[4] += 1;
        assert_eq!(
            check(&b, &sim.world).unwrap_err().invariant,
            "people.national"
        );

        // Money: reserves that moved without a budget or spending behind it.
        let mut b = before.clone();
        b.reserves[5] += 1000.0;
        let v = check(&b, &sim.world).unwrap_err();
        assert_eq!(
            (v.invariant, v.gemeente.map(|g| g.0)),
            ("money.books", Some(5))
        );

        // Queues: receiving and waiting for the same provision.
        let c = &sim.world.citizens;
        let i = (0..c.len()).find(|&i| c.flags[i] & ALIVE != 0).unwrap();
        let g = sim.world.households.gemeente[c.household[i] as usize] as usize;
        let mut w = sim.world.clone();
        w.citizens.wmo[i] = w.citizens.wmo[i]
            .with_held(Provision::Hh)
            .with_waiting(Provision::Hh);
        let v = check(&before, &w).unwrap_err();
        assert_eq!(
            (v.invariant, v.gemeente.map(|g| g.0)),
            ("queue.wmo", Some(g))
        );
        let mut w = sim.world.clone();
        w.citizens.jeugd[i] = w.citizens.jeugd[i]
            .with(YouthForm::Jeugdbescherming)
            .with_waiting(YouthForm::Jeugdbescherming);
        assert_eq!(check(&before, &w).unwrap_err().invariant, "queue.jeugd");

        // Care links: a carer who died this month (dead slots stay until December).
        let dead = (0..c.len())
            .find(|&d| c.flags[d] & ALIVE == 0)
            .expect("someone died or left in the first month");
        let mut w = sim.world.clone();
        w.care
            .push(i as u32, dead as u32, 10, m.0 as u16, CareRelation::Partner);
        let v = check(&before, &w).unwrap_err();
        assert_eq!(v.invariant, "care.links");
        assert!(v.detail.contains("died or left"), "{v}");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "invariant `people.national` violated in 2015-02")]
    fn a_violation_stops_the_run() {
        let (mut sim, _, rec) = one_month();
        // A resident who vanishes without a death or emigration being counted.
        let c = &mut sim.world.citizens;
        let i = (0..c.len())
            .rev()
            .find(|&i| c.flags[i] & ALIVE != 0 && c.flags[i] & crate::model::world::ADULT == 0)
            .unwrap();
        c.flags[i] &= !ALIVE;
        let h = c.household[i] as usize;
        sim.world.households.members[h] -= 1;
        sim.step_month(rec.month.next(), &mut PhaseTimer::new());
    }
}
