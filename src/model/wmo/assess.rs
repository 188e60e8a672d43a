//! Phase 5: the keukentafelgesprek and its outcome for each applicant.

use super::rules::{Thresholds, formal_hours, needed};
use crate::engine::{Month, StreamKey, map_chunks};
use crate::model::gemeente::Gemeenten;
use crate::model::indicators::GemeenteFlows;
use crate::model::needs::need_hours;
use crate::model::provision::ProvisionSet;
use crate::model::streams as ps;
use crate::model::world::{ALIVE, World};
use crate::scenario::params::{Params, WmoParams};

/// `wmo.assessment_capacity` is per this many inhabitants.
pub const ASSESSMENT_CAPACITY_PER: f64 = 10_000.0;

/// Keukentafelgesprekken a gemeente of `inhabitants` can hold this month on the sample
/// (expected; the fraction is drawn), with its team at `team_capacity`.
fn assessment_capacity(p: &Params, month: Month, inhabitants: u64, scale: f64, team: f64) -> f64 {
    p.wmo.assessment_capacity.get() / ASSESSMENT_CAPACITY_PER
        * inhabitants as f64
        * scale
        * team
        * p.gemeente.team_investment.at(month).get()
}

/// How many of a gemeente's applicants (their application months, oldest first) are assessed
/// this month: as many as the team's capacity (`expected` this month plus the `credit` left
/// from earlier months) allows, and at least all who have waited `term` months (the legal
/// term; 0: none). What is left of the capacity is carried to the next month, at most one
/// month's worth (or one conversation where a month holds less).
pub fn assessed_now(
    applied: impl ExactSizeIterator<Item = u16>,
    credit: &mut f64,
    expected: f64,
    month: Month,
    term: u8,
) -> usize {
    let waiting = applied.len();
    let available = *credit + expected;
    let by_capacity = (available.floor() as usize).min(waiting);
    let overdue = if term == 0 {
        0
    } else {
        applied
            .take_while(|&since| month.0.saturating_sub(u32::from(since)) >= u32::from(term))
            .count()
    };
    let n = by_capacity.max(overdue);
    *credit = (available - n as f64).clamp(0.0, expected.max(1.0));
    n
}

/// Phase 5: the keukentafelgesprek, for as many applicants as each gemeente can assess.
pub fn assess(
    world: &mut World,
    p: &Params,
    gem: &mut Gemeenten,
    month: Month,
    flows: &mut [GemeenteFlows],
) {
    let w = &p.wmo;
    let seed = world.seed;
    let scale = world.scale;
    // Applicants by gemeente, then in order of application month and index.
    let mut queue: Vec<(u16, u16, u32)> = {
        let c = &world.citizens;
        let h = &world.households;
        map_chunks(c.len(), |r| {
            r.filter(|&i| c.flags[i].contains(ALIVE) && c.wmo[i].applied())
                .map(|i| {
                    (
                        h.gemeente[c.household[i] as usize],
                        c.wmo_month[i],
                        i as u32,
                    )
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    };
    queue.sort_unstable();
    let rules = Rules {
        w,
        th: Thresholds::at(w, month),
        strict: w.strictness.at(month).get(),
        month,
    };
    let k_reading = StreamKey::new(seed, ps::WMO_ASSESS, month.0);
    let k_burden = StreamKey::new(seed, ps::WMO_CARER_BURDEN, month.0);
    // Keukentafelgesprekken each gemeente's team can hold this month (expected).
    let expected: Vec<f64> = world
        .geography
        .gemeenten
        .iter()
        .enumerate()
        .map(|(g, gm)| {
            assessment_capacity(
                p,
                month,
                gm.population,
                scale,
                gem.capacity_factor(g, month),
            )
        })
        .collect();
    let mut had_applicants = vec![false; expected.len()];
    for group in queue.chunk_by(|a, b| a.0 == b.0) {
        let gu = usize::from(group[0].0);
        had_applicants[gu] = true;
        let n = assessed_now(
            group.iter().map(|a| a.1),
            &mut gem.assessment_credit[gu],
            expected[gu],
            month,
            w.decision_term_months,
        );
        let local = Local {
            strict: gem.strictness[gu],
            light_offset: gem.light_offset[gu],
        };
        for &(_, _, i) in &group[..n] {
            let id = u64::from(world.citizens.id[i as usize]);
            let draws = Conversation {
                reading: k_reading.stream(id).normal(),
                ignores_burden: k_burden.stream(id).chance(w.ignore_carer_burden.get()),
            };
            decide(world, &rules, &local, i as usize, draws, &mut flows[gu]);
        }
        gem.assessed[gu][1] = n as u32;
    }
    for (g, &e) in expected.iter().enumerate() {
        // Gemeenten without applicants bank this month's capacity (at most one month's).
        if !had_applicants[g] {
            let term = w.decision_term_months;
            assessed_now(
                std::iter::empty(),
                &mut gem.assessment_credit[g],
                e,
                month,
                term,
            );
        }
        // Capacity of every gemeente, also those without applicants (for outreach).
        gem.assessed[g][0] = e.round().max(1.0) as u32;
    }
}

/// The gemeente's own policy at the keukentafelgesprek.
struct Local {
    /// Extra strictness points.
    strict: f64,
    /// Points off the light threshold (providers in the team).
    light_offset: f64,
}

/// What a keukentafelgesprek applies in one month.
struct Rules<'a> {
    w: &'a WmoParams,
    th: Thresholds,
    strict: f64,
    month: Month,
}

/// The outcome of a keukentafelgesprek.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Rejected (facts.md R1: about 3% of melders).
    Rejected,
    /// Sent back to the own network, which covers enough of the need.
    Network,
    /// Referred to an algemene voorziening.
    Algemeen,
    /// Granted these maatwerk provisions.
    Maatwerk(ProvisionSet),
}

/// The outcome of a keukentafelgesprek, from the `assessed` severity (the assessor's reading,
/// less strictness), the eligibility and light thresholds, the provisions needed and not yet
/// held (`open`), and whether the own network covers enough of the need. Own strength and
/// network first: where it does, the help a network can give (household help) is left to it;
/// support it cannot give (begeleiding, aids, sheltered housing) is still granted.
pub fn outcome(
    assessed: f64,
    eligibility: u8,
    light: f64,
    open: ProvisionSet,
    network: bool,
) -> Outcome {
    if assessed < f64::from(eligibility) {
        return Outcome::Rejected;
    }
    let grant = if assessed < light {
        ProvisionSet::EMPTY
    } else if network {
        open - ProvisionSet::NETWORK
    } else {
        open
    };
    match (grant.is_empty(), network) {
        (false, _) => Outcome::Maatwerk(grant),
        (true, true) => Outcome::Network,
        (true, false) => Outcome::Algemeen,
    }
}

/// The draws of one keukentafelgesprek.
#[derive(Clone, Copy, Debug)]
struct Conversation {
    /// The assessor's reading of severity: a standard normal draw, times `wmo.assessment_noise`.
    reading: f64,
    /// The conversation ignores the carer's burden (`wmo.ignore_carer_burden`, facts.md MC25).
    ignores_burden: bool,
}

/// One keukentafelgesprek: the assessor reads the severity (with noise, less strictness),
/// weighs the network (ignoring the carer's burden in some conversations) and decides; granted
/// provisions with a capacity-limited provider are waited for.
fn decide(
    world: &mut World,
    rules: &Rules<'_>,
    local: &Local,
    i: usize,
    draws: Conversation,
    flow: &mut GemeenteFlows,
) {
    let Rules {
        w,
        ref th,
        strict,
        month,
    } = *rules;
    let age = world.citizens.age(i, month);
    let c = &mut world.citizens;
    let s = c.severity[i];
    let assessed = f64::from(s) + w.assessment_noise.get() * draws.reading - strict - local.strict;
    let mut bits = c.wmo[i].taken_up();
    let informal = if draws.ignores_burden {
        c.informal[i]
    } else {
        c.informal_ok[i]
    };
    let network = f64::from(informal) + formal_hours(w, bits, s)
        >= need_hours(s) * w.network_cover.at(month).get();
    let light = f64::from(w.light_threshold.at(month)) - local.light_offset;
    let open = needed(th, s, c.flags[i], age) - bits.held();
    bits = match outcome(
        assessed,
        w.eligibility_threshold.get(),
        light,
        open,
        network,
    ) {
        Outcome::Rejected => {
            flow.wmo_rejections += 1;
            bits.with_decided()
        }
        Outcome::Network => bits.with_decided(),
        Outcome::Algemeen => bits.with_decided().with_algemeen(true),
        Outcome::Maatwerk(grant) => grant.iter().fold(bits, |b, k| {
            if k.params(w).capacity_per_1000.at(month).get() > 0.0 {
                b.with_waiting(k)
            } else {
                b.with_held(k)
            }
        }),
    };
    c.wmo[i] = bits;
    if bits.decided() {
        c.wmo_month[i] = month.0 as u16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::Provision;

    #[test]
    fn capacity_carries_over_and_the_legal_term_is_kept() {
        let now = Month(100);
        // (application months, credit before, expected capacity, term) -> (assessed, credit after)
        type Row = (&'static [u16], f64, f64, u8, usize, f64);
        let rows: [Row; 6] = [
            // A third of a conversation a month: none this month, the third is kept ...
            (&[99], 0.0, 0.34, 0, 0, 0.34),
            // ... and after three months it adds up to one.
            (&[97], 0.68, 0.34, 0, 1, 0.02),
            // Capacity unused for lack of applicants is kept, at most one month's worth (or
            // one conversation).
            (&[], 0.9, 0.5, 0, 0, 1.0),
            (&[100], 4.0, 3.0, 0, 1, 3.0),
            // Applicants who have waited the legal term are assessed beyond capacity.
            (&[97, 98, 99, 100], 0.0, 0.5, 2, 2, 0.0),
            // Without a term they wait.
            (&[97, 98, 99, 100], 0.0, 0.5, 0, 0, 0.5),
        ];
        for (applied, credit, expected, term, want_n, want_credit) in rows {
            let mut c = credit;
            let n = assessed_now(applied.iter().copied(), &mut c, expected, now, term);
            assert_eq!(n, want_n, "{applied:?} {credit} {expected} {term}");
            assert!((c - want_credit).abs() < 1e-9, "{applied:?}: credit {c}");
        }
    }

    #[test]
    fn keukentafelgesprek_outcomes() {
        use Provision::*;
        let set = |ks: &[Provision]| ks.iter().fold(ProvisionSet::EMPTY, |s, &k| s.with(k));
        let (eligibility, light) = (16, 26.0);
        // (assessed severity, needed and not held, network covers enough, outcome)
        let rows = [
            // Below the eligibility threshold: rejected (facts.md R1: about 3%).
            (10.0, set(&[Hh]), false, Outcome::Rejected),
            // Light cases: an algemene voorziening (ZL1) ...
            (20.0, set(&[Hh]), false, Outcome::Algemeen),
            // ... or back to the network, own strength first (MC24).
            (20.0, set(&[Hh]), true, Outcome::Network),
            // Maatwerk for what is needed ...
            (
                40.0,
                set(&[Hh, Thuis]),
                false,
                Outcome::Maatwerk(set(&[Hh, Thuis])),
            ),
            // ... less what the network can give (household help), not begeleiding.
            (
                40.0,
                set(&[Hh, Thuis]),
                true,
                Outcome::Maatwerk(set(&[Thuis])),
            ),
            (40.0, set(&[Hh]), true, Outcome::Network),
            // Nothing more needed: an algemene voorziening.
            (40.0, ProvisionSet::EMPTY, false, Outcome::Algemeen),
        ];
        for (assessed, open, network, want) in rows {
            assert_eq!(
                outcome(assessed, eligibility, light, open, network),
                want,
                "{assessed} {open:?} {network}"
            );
        }
    }
}
