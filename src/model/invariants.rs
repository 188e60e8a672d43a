//! Invariants checked at the end of every month in debug and test builds
//! (`cfg(debug_assertions)`), and in any build when asked ([`Simulation::set_invariant_checks`],
//! `sociaal run --check-invariants`): people (stock and flows, nationally and per gemeente),
//! money (each gemeente's books and the national result), queues (no one waiting for a
//! provision they already receive), care links and placements (no link to a dead or departed
//! citizen), and the world's own consistency. A violation halts the run
//! ([`Simulation::violation`]; the month loop stops, and the run layer, which always asks for
//! this, turns it into an error naming the month, the gemeente and the invariant; code that
//! steps a debug build's model directly without asking gets a panic, [`Checks`]); it is
//! always a bug in the model, never a problem with the input.

use super::Simulation;
use super::gemeente::Gemeenten;
use super::indicators::{Ind, MonthRecord};
use super::labour::LabourStatus;
use super::world::{ALIVE, World};
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
            if c.flags[i].contains(ALIVE) {
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

/// How a simulation checks the month-end invariants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// Not checked (release builds, unless asked).
    Off,
    /// Checked; a violation panics with its message (debug and test builds, unless asked to
    /// report: whatever steps the model directly stops at a bug).
    Panic,
    /// Checked; a violation halts the run and is kept ([`Simulation::violation`]).
    Report,
}

impl Checks {
    /// What a simulation starts with: [`Checks::Panic`] in debug and test builds, else
    /// [`Checks::Off`].
    pub fn for_build() -> Checks {
        if cfg!(debug_assertions) {
            Checks::Panic
        } else {
            Checks::Off
        }
    }
}

impl Simulation {
    /// `on`: checks the month-end invariants from the next month on, in any build, and
    /// reports a violation: it halts the run (the month loop stops after the month that found
    /// it) and [`Simulation::violation`] says what it was. Not `on`: the build's default
    /// ([`Checks::for_build`]; debug and test builds check and panic on a violation).
    pub fn set_invariant_checks(&mut self, on: bool) {
        self.checks = if on {
            Checks::Report
        } else {
            Checks::for_build()
        };
    }

    /// Whether the month-end invariants are checked.
    pub fn invariant_checks(&self) -> bool {
        self.checks != Checks::Off
    }

    /// The first invariant found violated, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// At the start of a month: the end of the month before (or, first, the state now) to
    /// check the month against, when checking.
    pub(super) fn invariants_before(&mut self) -> Option<Snapshot> {
        let last = self.last_end.take();
        self.invariant_checks()
            .then(|| last.unwrap_or_else(|| Snapshot::take(&self.world, &self.gemeenten)))
    }

    /// At the end of a month (before the December compaction): checks it against `before`;
    /// keeps the first violation (or panics with it, as [`Checks::Panic`] says).
    pub(super) fn invariants_after(
        &mut self,
        before: Option<Snapshot>,
        month: Month,
        record: &MonthRecord,
    ) {
        let Some(before) = before else { return };
        match check(&before, month, &self.world, &self.gemeenten, record) {
            Ok(()) => self.last_end = Some(Snapshot::of_record(record)),
            Err(v) if self.checks == Checks::Panic => panic!("{v}"),
            Err(v) => {
                self.violation.get_or_insert(v);
            }
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
    let at = At { month, world };
    people(&at, before, record)?;
    world
        .check()
        .map_err(|e| at.fail(None, "world.households", e))?;
    money(&at, before, gemeenten, record)?;
    queues(&at)?;
    care_links(&at)?;
    placements(&at)
}

/// Where a check looks: the month and the world at its end; makes the violations.
struct At<'a> {
    month: Month,
    world: &'a World,
}

impl At<'_> {
    /// A violation of `invariant`, in gemeente `g` if given.
    fn fail(&self, g: Option<usize>, invariant: &'static str, detail: String) -> Violation {
        Violation {
            month: self.month,
            gemeente: g.map(|g| (g, self.world.geography.gemeenten[g].name.clone())),
            invariant,
            detail,
        }
    }

    /// The gemeente citizen `i` lives in.
    fn gemeente_of(&self, i: usize) -> Option<usize> {
        let (c, h) = (&self.world.citizens, &self.world.households);
        Some(h.gemeente[c.household[i] as usize] as usize)
    }
}

/// People: the stock follows from the flows, nationally and per gemeente, and moves balance.
fn people(at: &At, before: &Snapshot, record: &MonthRecord) -> Result<(), Violation> {
    let nat = |i: Ind| record.national[i as usize];
    let before_total: i64 = before.population.iter().sum();
    let (births, deaths) = (nat(Ind::Births) as i64, nat(Ind::Deaths) as i64);
    let (imm, emi) = (nat(Ind::Immigrants) as i64, nat(Ind::Emigrants) as i64);
    let pop = nat(Ind::Population) as i64;
    if before_total + births + imm - deaths - emi != pop {
        return Err(at.fail(
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
            return Err(at.fail(
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
        return Err(at.fail(
            None,
            "people.moves",
            format!("{moved_in} moved in, {moved_out} moved out"),
        ));
    }
    Ok(())
}

/// Money: each gemeente's books (reserves change by budget in minus spending out), and the
/// national result is the sum of the gemeenten's.
fn money(
    at: &At,
    before: &Snapshot,
    gemeenten: &Gemeenten,
    record: &MonthRecord,
) -> Result<(), Violation> {
    let mut result = 0.0;
    for (g, f) in record.flows.iter().enumerate() {
        let now: f64 = gemeenten.reserves[g].iter().sum();
        let change = now - before.reserves[g];
        let size = f.budget_eur().abs().max(f.spending_eur().abs());
        if !close(change, f.budget_eur() - f.spending_eur(), size) {
            return Err(at.fail(
                Some(g),
                "money.books",
                format!(
                    "reserves changed by {change:.2} euros, but the budget in ({:.2}) minus spending ({:.2}) is {:.2}",
                    f.budget_eur(),
                    f.spending_eur(),
                    f.budget_eur() - f.spending_eur()
                ),
            ));
        }
        if !close(record.stocks[g].reserves_eur, now, now) {
            return Err(at.fail(
                Some(g),
                "money.recorded",
                format!(
                    "reserves recorded as {:.2}, held {now:.2}",
                    record.stocks[g].reserves_eur
                ),
            ));
        }
        result += f.budget_eur() - f.spending_eur();
    }
    let national = record.national[Ind::GemeenteResultEur as usize];
    if !close(national, result, result) {
        return Err(at.fail(
            None,
            "money.national",
            format!(
                "the national result {national:.2} is not the sum of the gemeenten's {result:.2}"
            ),
        ));
    }
    Ok(())
}

/// Queues: no resident waits for a provision (Wmo) or form of youth care they already
/// receive.
fn queues(at: &At) -> Result<(), Violation> {
    let c = &at.world.citizens;
    for i in 0..c.len() {
        let wmo = c.wmo[i];
        let jeugd = c.jeugd[i];
        if !c.flags[i].contains(ALIVE) {
            continue;
        }
        let both = wmo.held() & wmo.waiting();
        if !both.is_empty() {
            return Err(at.fail(
                at.gemeente_of(i),
                "queue.wmo",
                format!(
                    "citizen {} both receives and waits for Wmo provisions {both:?}",
                    c.id[i]
                ),
            ));
        }
        let both = jeugd.received() & jeugd.waiting();
        if !both.is_empty() {
            return Err(at.fail(
                at.gemeente_of(i),
                "queue.jeugd",
                format!(
                    "youth {} both receives and waits for Jeugdwet forms {both:?}",
                    c.id[i]
                ),
            ));
        }
    }
    Ok(())
}

/// Care links: both ends alive, carer and recipient two people.
fn care_links(at: &At) -> Result<(), Violation> {
    let c = &at.world.citizens;
    let care = &at.world.care;
    for k in 0..care.len() {
        let (r, cr) = (care.recipient[k] as usize, care.carer[k] as usize);
        if r >= c.len() || cr >= c.len() || r == cr {
            return Err(at.fail(
                None,
                "care.links",
                format!(
                    "link {k}: carer {cr}, recipient {r} of {} citizens",
                    c.len()
                ),
            ));
        }
        for (who, i) in [("carer", cr), ("recipient", r)] {
            if !c.flags[i].contains(ALIVE) {
                return Err(at.fail(
                    at.gemeente_of(r),
                    "care.links",
                    format!(
                        "care link {k} has a {who} (citizen {}) who died or left",
                        c.id[i]
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Placements: every placed worker is an employed resident.
fn placements(at: &At) -> Result<(), Violation> {
    let c = &at.world.citizens;
    let pl = &at.world.placements;
    for k in 0..pl.len() {
        let w = pl.worker[k] as usize;
        if w >= c.len() || !c.flags[w].contains(ALIVE) || c.labour[w] != LabourStatus::Employed {
            return Err(at.fail(
                (w < c.len()).then(|| at.gemeente_of(w)).flatten(),
                "labour.placements",
                format!(
                    "placement {k}: worker {w} is not an employed resident (labour status {})",
                    c.labour
                        .get(w)
                        .map_or("none".to_string(), |s| format!("{s:?}"))
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

    /// A small synthetic Netherlands at its start.
    fn small() -> (crate::scenario::Scenario, Simulation) {
        let s = crate::scenario::load_bytes(
            Path::new("invariants.toml"),
            b"scale = 0.001\nstart = \"2015-01\"\nend = \"2015-12\"\n[geography]\nkind = \"synthetic\"\ngemeenten = 20\njeugdregios = 4\narbeidsmarktregios = 3\n",
        )
        .unwrap();
        let sim = Simulation::new(&s, &s.variants[0], s.seed);
        (s, sim)
    }

    /// One month of a small synthetic Netherlands, checked: the simulation after it, the
    /// snapshot of its start and its record.
    fn one_month() -> (Simulation, Snapshot, MonthRecord) {
        let (s, mut sim) = small();
        sim.set_invariant_checks(true);
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
        let i = (0..c.len()).find(|&i| c.flags[i].contains(ALIVE)).unwrap();
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
            .find(|&d| !c.flags[d].contains(ALIVE))
            .expect("someone died or left in the first month");
        let mut w = sim.world.clone();
        w.care
            .push(i as u32, dead as u32, 10, m.0 as u16, CareRelation::Partner);
        let v = check(&before, &w).unwrap_err();
        assert_eq!(v.invariant, "care.links");
        assert!(v.detail.contains("died or left"), "{v}");
    }

    #[test]
    fn a_violation_halts_the_run_in_any_build_that_checks() {
        let (mut sim, _, rec) = one_month();
        assert!(sim.invariant_checks() && sim.violation().is_none() && !sim.halted());
        lose_a_resident(&mut sim);
        let (from, to) = (rec.month.next(), Month(rec.month.0 + 6));
        let mut months = Vec::new();
        crate::engine::simulate(&mut sim, from, to, |r| months.push(r.month), || {});
        assert_eq!(
            months,
            [from],
            "the loop stops after the month that found it"
        );
        assert!(sim.halted());
        let v = sim.violation().expect("reported");
        assert!(
            v.to_string()
                .starts_with("invariant `people.national` violated in 2015-02: "),
            "{v}"
        );
    }

    /// A resident of `sim` who vanishes without a death or emigration being counted.
    fn lose_a_resident(sim: &mut Simulation) {
        let c = &mut sim.world.citizens;
        let i = (0..c.len())
            .rev()
            .find(|&i| {
                c.flags[i].contains(ALIVE) && !c.flags[i].contains(crate::model::world::ADULT)
            })
            .unwrap();
        c.flags[i].remove(ALIVE);
        let h = c.household[i] as usize;
        sim.world.households.members[h] -= 1;
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "invariant `people.national` violated in 2015-02")]
    fn unless_asked_to_report_debug_builds_panic_on_a_violation() {
        let (s, mut sim) = small();
        sim.step_month(s.start, &mut PhaseTimer::new());
        lose_a_resident(&mut sim);
        sim.step_month(s.start.next(), &mut PhaseTimer::new());
    }

    #[test]
    fn checks_can_be_asked_for_but_not_switched_off_in_debug_builds() {
        let (_, mut sim) = small();
        assert_eq!(sim.invariant_checks(), cfg!(debug_assertions));
        sim.set_invariant_checks(true);
        assert!(sim.invariant_checks());
        sim.set_invariant_checks(false);
        assert_eq!(sim.invariant_checks(), cfg!(debug_assertions));
    }
}
