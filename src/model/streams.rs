//! Every random-stream purpose of the model, in one place.
//!
//! A draw comes from a [`Stream`](crate::engine::Stream) keyed by `(seed, purpose, agent,
//! month)`. Each *decision* has a purpose of its own, so that a variant which changes one
//! mechanism (and so how many draws that decision makes, or whether it is made at all) never
//! shifts the draws of another decision: the common random numbers that make `compare`'s
//! paired differences tight hold decision by decision. A purpose is never reused for a second
//! decision; [`ALL`] lists them and a test checks that their values are distinct.
//!
//! To add a decision: add a line to the list below (a new value within its phase's range),
//! and draw it from a stream of its own.

use crate::engine::Purpose;

macro_rules! purposes {
    ($($(#[$doc:meta])* $name:ident = $value:expr;)*) => {
        $($(#[$doc])* pub const $name: Purpose = Purpose($value);)*
        /// Every purpose with its name, in the order declared.
        pub const ALL: &[(&str, Purpose)] = &[$((stringify!($name), $name)),*];
    };
}

purposes! {
    // demography
    /// Death of a citizen in a month (by age, sex and frailty).
    DEMOGRAPHY_DEATH = 0xDE0_0001;
    /// A birth to a woman in a month.
    DEMOGRAPHY_BIRTH = 0xDE0_0002;
    /// The sex of a newborn.
    DEMOGRAPHY_SEX = 0xDE0_0003;
    /// Emigration of a household (drawn on its head).
    DEMOGRAPHY_EMIGRATE = 0xDE0_0004;
    /// A young adult leaving the parental home.
    DEMOGRAPHY_LEAVE_HOME = 0xDE0_0005;
    /// Separation of a couple.
    DEMOGRAPHY_SEPARATE = 0xDE0_0006;
    /// A single adult starting to look for a partner.
    DEMOGRAPHY_PARTNER = 0xDE0_0007;
    /// Whether a household moves to another gemeente.
    DEMOGRAPHY_MOVE = 0xDE0_0008;
    /// How many immigrant agents arrive in a month (the expected number's fraction by chance).
    DEMOGRAPHY_IMMIGRATE = 0xDE0_0009;
    /// The form of an arriving immigrant household: family, couple or single, its children,
    /// ages and sexes.
    DEMOGRAPHY_IMMIGRANT_HOUSEHOLD = 0xDE0_000B;
    /// The gemeente an immigrant household settles in.
    DEMOGRAPHY_IMMIGRANT_DESTINATION = 0xDE0_000C;
    /// The gemeente a moving household moves to.
    DEMOGRAPHY_MOVE_DESTINATION = 0xDE0_000E;
    // gemeente
    /// A gemeente's policy strategy (control or invest), at set-up.
    GEMEENTE_STRATEGY = 0x6E3_0001;
    /// A gemeente's access organisation (a sociale wijkteam or a loket), at set-up.
    GEMEENTE_ACCESS = 0x6E3_0002;
    /// Whether a wijkteam works with providers in the team (a lower light threshold), at set-up.
    GEMEENTE_PROVIDERS_IN_TEAM = 0x6E3_0003;
    /// Whether a gemeente has a consistent steering philosophy (MC45), at set-up.
    GEMEENTE_CONSISTENT = 0x6E3_0004;
    // geography
    /// The sizes of the synthetic gemeenten.
    GEOGRAPHY_SIZE = 0x6E0_0001;
    /// The jeugdregio of each synthetic gemeente.
    GEOGRAPHY_JEUGDREGIO = 0x6E0_0002;
    /// The arbeidsmarktregio of each synthetic gemeente.
    GEOGRAPHY_ARBEIDSMARKTREGIO = 0x6E0_0003;
    // jeugd
    /// A crisis at home raising a household's parenting stress.
    JEUGD_STRESS = 0x7E0_0001;
    /// The onset of a youth's problem, and its severity.
    JEUGD_ONSET = 0x7E0_0002;
    /// The route by which a youth is referred.
    JEUGD_ROUTE = 0x7E0_0003;
    /// A court order for child protection (jeugdbescherming).
    JEUGD_COURT = 0x7E0_0004;
    /// The end of a form of youth help or a measure (keyed by youth and form).
    JEUGD_END = 0x7E0_0005;
    /// Where a purchasing unit's places of one form are rounded to whole places (fixed).
    JEUGD_CAP = 0x7E0_0006;
    /// The gecertificeerde instellingen' staffing per jeugdregio, at set-up.
    JEUGD_GI = 0x7E0_0007;
    /// A mild youth problem resolving without help.
    JEUGD_RECOVER = 0x7E0_0008;
    /// The rounding of a youth problem's monthly drift.
    JEUGD_PROGRESS = 0x7E0_0009;
    /// A jeugdreclassering measure.
    JEUGD_JR = 0x7E0_000A;
    /// A placement outside the home with a protection order.
    JEUGD_PLACEMENT = 0x7E0_000B;
    /// A waiting court order running its term before a GI starts it (keyed by youth and form).
    JEUGD_LAPSE = 0x7E0_000C;
    /// Whether jeugdhulp continues after 18.
    JEUGD_AFTER_18 = 0x7E0_000D;
    // mantelzorg
    /// A citizen's informal network at set-up.
    MANTELZORG_NETWORK = 0xCA2_0001;
    /// Whether someone with uncovered need asks one more person this month.
    MANTELZORG_SEEK = 0xCA2_0002;
    /// Whom someone asks outside the household: the candidate, family or not, living far away.
    MANTELZORG_RECRUIT = 0xCA2_0003;
    /// A care link ending for other reasons (moving, someone else taking over).
    MANTELZORG_LINK_END = 0xCA2_0004;
    /// Whether the person asked (partner or not) agrees to care.
    MANTELZORG_ACCEPT = 0xCA2_0005;
    /// The hours a week a new carer gives.
    MANTELZORG_HOURS = 0xCA2_0006;
    /// Whether an overloaded carer stops (or cuts hours).
    MANTELZORG_OVERLOAD = 0xCA2_0007;
    // needs
    /// Whether a limitation starts.
    NEEDS_ONSET = 0x4EE_0001;
    /// Progression of a limitation.
    NEEDS_PROGRESS = 0x4EE_0002;
    /// Recovery from a limitation.
    NEEDS_RECOVER = 0x4EE_0003;
    /// Limitation histories drawn at set-up.
    NEEDS_HISTORY = 0x4EE_0004;
    /// A lifelong limitation from birth or childhood.
    NEEDS_LIFELONG = 0x4EE_0005;
    /// The severity of a new limitation and whether it is psychosocial or cognitive.
    NEEDS_ONSET_KIND = 0x4EE_0006;
    // population
    /// A household of the starting population: its type, ages and sexes.
    POPULATION_DRAW = 0x909_0001;
    /// Whether a gemeente's last household of the starting population, the one that would
    /// overshoot its share of agents, is kept.
    POPULATION_LAST_HOUSEHOLD = 0x909_0003;
    // wmo
    /// Whether someone with a gap applies for Wmo support.
    WMO_APPLY = 0x3E0_0001;
    /// The assessor's reading of severity at the keukentafelgesprek.
    WMO_ASSESS = 0x3E0_0002;
    /// Where a region's provider capacity is rounded to whole places (fixed per region and type).
    WMO_CAPACITY_ROUNDING = 0x3E0_0003;
    /// Whether a user's maatwerk is reassessed this month (herindicatie).
    WMO_REASSESS = 0x3E0_0004;
    /// Whether a keukentafelgesprek ignores the carer's burden (MC25).
    WMO_CARER_BURDEN = 0x3E0_0005;
    /// The assessor's reading of severity at a reassessment.
    WMO_REASSESS_READING = 0x3E0_0006;
    /// Whether a reassessed user's help ends anyway (moved, found an alternative).
    WMO_LEAVE = 0x3E0_0007;
    // labour
    /// The loonwaarde drawn at 18 and the LVB flag.
    LABOUR_LOONWAARDE = 0x1AB_0001;
    /// The labour status at the start of the warm-up.
    LABOUR_INITIAL_STATUS = 0x1AB_0002;
    /// The employer pool at set-up.
    LABOUR_EMPLOYERS = 0x1AB_0003;
    /// A pool employer posting a vacancy.
    LABOUR_VACANCY = 0x1AB_0004;
    /// A placement at a pool employer breaking down.
    LABOUR_BREAK = 0x1AB_0005;
    /// Banenafspraak slots given to willing employers.
    LABOUR_SLOTS = 0x1AB_0006;
    /// Rounding of Wsw places and the beschut werk obligation.
    LABOUR_QUOTA = 0x1AB_0007;
    /// An unmediated candidate searching the pool employers.
    LABOUR_SEARCH = 0x1AB_0008;
    /// How many pool employers a region has at set-up.
    LABOUR_EMPLOYER_COUNT = 0x1AB_0009;
    /// Rounding of the beschut werk obligation per gemeente.
    LABOUR_BESCHUT_QUOTA = 0x1AB_000A;
    /// Rounding of the participatieplaatsen per gemeente (once a year).
    LABOUR_PARTICIPATIEPLAATS_QUOTA = 0x1AB_000B;
    /// Education or not on entering the labour market at 18.
    LABOUR_ENTRY_EDUCATION = 0x1AB_0010;
    /// An immigrant's status on arrival.
    LABOUR_ARRIVAL = 0x1AB_0011;
    /// Registering as a jobseeker without a benefit (nugger) or leaving the labour force.
    LABOUR_NUGGER = 0x1AB_0012;
    /// Leaving education.
    LABOUR_EDUCATION_EXIT = 0x1AB_0013;
    /// A first job straight from education or inactivity.
    LABOUR_FIRST_JOB = 0x1AB_0014;
    /// Leaving a job for a disability benefit.
    LABOUR_HEALTH_EXIT = 0x1AB_0015;
    /// Losing a job.
    LABOUR_JOB_LOSS = 0x1AB_0016;
    /// Leaving the labour force from a job.
    LABOUR_INACTIVITY = 0x1AB_0017;
    /// Finding a regular job while unemployed.
    LABOUR_JOB_FINDING = 0x1AB_0018;
    /// WW running out.
    LABOUR_WW_END = 0x1AB_0019;
    /// Leaving bijstand for another income.
    LABOUR_BIJSTAND_EXIT = 0x1AB_001A;
    /// A nugger giving up looking.
    LABOUR_NUGGER_QUIT = 0x1AB_001B;
    /// Leaving the Wsw or beschut werk.
    LABOUR_SHELTERED_EXIT = 0x1AB_001C;
    /// Returning to the labour market from inactivity.
    LABOUR_RETURN = 0x1AB_001D;
    /// Problematic debts starting or resolved.
    LABOUR_DEBT = 0x1AB_001E;
    /// A sanction starting (and the debts it causes) or ending.
    LABOUR_SANCTION = 0x1AB_001F;
    /// The professional's judgement in the gemeente's choice of instrument.
    LABOUR_JUDGEMENT = 0x1AB_0020;
    /// A citizen's earnings in a full-time job, drawn on entering the labour market.
    LABOUR_EARNINGS = 0x1AB_0021;
    /// The quality of a job found (part-time, temporary).
    LABOUR_JOB_QUALITY = 0x1AB_0022;
    /// A temporary contract in a regular job ending, and whether it becomes permanent.
    LABOUR_CONTRACT_END = 0x1AB_0023;
    /// A temporary contract of a placement at a pool employer ending, and whether it becomes
    /// permanent.
    LABOUR_PLACEMENT_CONTRACT = 0x1AB_0024;
    /// Whether a candidate takes the job a pool employer offers (its income gain, MC22).
    LABOUR_ACCEPT = 0x1AB_0025;
    /// Whether a gemeente approaches the young disabled UWV signals (from the scenario's seed).
    LABOUR_OUTREACH = 0x1AB_0026;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn every_purpose_is_distinct() {
        let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
        for &(name, p) in ALL {
            if let Some(other) = seen.insert(p.0, name) {
                panic!("purposes {other} and {name} share the value {:#x}", p.0);
            }
        }
        assert!(ALL.len() >= 40, "{} purposes", ALL.len());
    }

    /// Every purpose is drawn at exactly one place in the model's source (a second place would
    /// be a second decision sharing its stream), and no purpose is made outside this module.
    #[test]
    fn every_purpose_is_used_at_one_place() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
        let mut sources = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("streams.rs") {
                    // Only the code, not its unit tests.
                    let text = std::fs::read_to_string(&p).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                    sources.push((p, code));
                }
            }
        }
        for &(name, _) in ALL {
            let uses: usize = sources
                .iter()
                .map(|(_, code)| {
                    code.match_indices(&format!("ps::{name}"))
                        .filter(|(k, _)| {
                            let after = &code[k + 4 + name.len()..];
                            !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                        })
                        .count()
                })
                .sum();
            assert_eq!(uses, 1, "purpose {name} is used at {uses} places");
        }
        for (p, code) in &sources {
            assert!(
                !code.contains("Purpose("),
                "{} makes a purpose of its own: declare it in streams.rs",
                p.display()
            );
        }
    }
}
