//! The rules of need for one citizen: severity thresholds, provisions needed, formal hours.

use crate::engine::Month;
use crate::model::needs::need_hours;
use crate::model::provision::{Cover, PerProvision, Provision, ProvisionSet, WmoState};
use crate::model::world::{CitizenFlags, MENTAL};
use crate::scenario::params::WmoParams;

/// Weeks in a month on average.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// The severity thresholds of the maatwerk provisions in force in a month.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds(pub PerProvision<u8>);

impl Thresholds {
    /// The thresholds in force in `month`.
    pub fn at(p: &WmoParams, month: Month) -> Thresholds {
        Thresholds(PerProvision::from_fn(|k| {
            k.params(p).threshold.at(month).get()
        }))
    }

    /// The lowest of them.
    pub fn min(&self) -> u8 {
        self.0.values().iter().copied().min().unwrap_or(0)
    }
}

/// The maatwerk provisions a citizen needs, by severity, kind of limitation (`flags`) and
/// age: each provision's need rule ([`Provision::needed_by`]) at its threshold.
pub fn needed(th: &Thresholds, severity: u8, flags: CitizenFlags, age: u32) -> ProvisionSet {
    let mental = flags.contains(MENTAL);
    Provision::ALL
        .into_iter()
        .filter(|&k| k.needed_by(th.0[k], severity, mental, age))
        .fold(ProvisionSet::EMPTY, ProvisionSet::with)
}

/// Hours a week of need covered by the provisions held (and an algemene voorziening).
pub fn formal_hours(p: &WmoParams, state: WmoState, severity: u8) -> f64 {
    let need = need_hours(severity);
    let mut h = 0.0;
    for k in state.held().iter() {
        match k.cover() {
            Cover::All => return need,
            Cover::Hours => {
                let pp = k.params(p);
                h += pp.hours_per_week.get() * pp.contract.hours_factor();
            }
            Cover::ShareOfNeed => h += p.aids_need_share.get() * need,
        }
    }
    if state.algemeen() {
        h += p.algemeen.hours_per_week.get();
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use crate::model::wmo::close;
    use crate::scenario::params::ContractForm;
    use serde_json::json;

    #[test]
    fn needed_by_limitation_and_age() {
        use Provision::*;
        // Thresholds hh 55, thuis 38, hulpmiddelen 23, verblijf 65 (the reference from 2015).
        let th = Thresholds(PerProvision([55, 38, 23, 65]));
        let set = |ks: &[Provision]| ks.iter().fold(ProvisionSet::EMPTY, |s, &k| s.with(k));
        // (severity, psychosocial or cognitive, age, provisions needed)
        let rows: [(u8, bool, u32, &[Provision]); 10] = [
            // No need below every threshold.
            (10, false, 50, &[]),
            // Aids, housing and transport for physical limitations (facts.md W3).
            (30, false, 50, &[Hulpmiddelen]),
            // Household help for heavier physical limitations (W1).
            (60, false, 50, &[Hh, Hulpmiddelen]),
            // Begeleiding for psychosocial or cognitive limitations (W2).
            (40, true, 40, &[Thuis]),
            // Beschermd wonen for severe psychosocial problems (W4) ...
            (70, true, 40, &[Thuis, Verblijf]),
            // ... below 65 (older people go to the Wlz; assumption).
            (70, true, 70, &[Thuis]),
            // Household help for the very old whatever the limitation (assumption).
            (60, true, 76, &[Hh, Thuis]),
            (60, true, 74, &[Thuis]),
            // Ondersteuning thuis at old age for heavy physical limitations (dementia,
            // frailty; assumption): from 80, at 60 points or the threshold if higher.
            (60, false, 82, &[Hh, Thuis, Hulpmiddelen]),
            (59, false, 82, &[Hh, Hulpmiddelen]),
        ];
        for (severity, mental, age, want) in rows {
            let flags = if mental { MENTAL } else { CitizenFlags::EMPTY };
            assert_eq!(
                needed(&th, severity, flags, age),
                set(want),
                "severity {severity}, mental {mental}, age {age}"
            );
        }
    }

    #[test]
    fn formal_hours_by_provision() {
        use Provision::*;
        let w = patched(
            &reference().wmo,
            json!({
                "hh": { "hours_per_week": 2.5, "contract": "per_hour" },
                "thuis": { "hours_per_week": 2.0, "contract": "per_trajectory" },
                "algemeen": { "hours_per_week": 1.0 },
                "aids_need_share": 0.15,
            }),
        );
        let none = WmoState::NONE;
        let per_hour = ContractForm::PerHour.hours_factor();
        // Severity 60: a need of 20 hours a week.
        assert!(close(need_hours(60), 20.0));
        // (state, hours a week covered)
        let rows = [
            (none, 0.0),
            // Per-hour contracts supply more hours per client (facts.md MC34).
            (none.with_held(Hh), 2.5 * per_hour),
            (none.with_held(Thuis), 2.0),
            (none.with_held(Hh).with_held(Thuis), 2.5 * per_hour + 2.0),
            // Aids take over a share of the tasks (assumption).
            (none.with_held(Hulpmiddelen), 0.15 * 20.0),
            // A stay covers the whole need (beschermd wonen, W4).
            (none.with_held(Verblijf).with_held(Thuis), 20.0),
            // An algemene voorziening's hours (W8).
            (none.with_algemeen(true), 1.0),
            (none.with_held(Hh).with_algemeen(true), 2.5 * per_hour + 1.0),
            // Waiting for help covers nothing.
            (none.with_waiting(Hh), 0.0),
        ];
        for (state, want) in rows {
            let got = formal_hours(&w, state, 60);
            assert!(close(got, want), "{state:?}: {got} != {want}");
        }
    }
}
