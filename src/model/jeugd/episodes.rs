//! Phase 6a: episodes of help and protection end or move on; turning 18 and leaving youth care.

use super::refer::MAJORITY_AGE;
use super::setup::MAX_YOUTH_AGE;
use crate::engine::{CHUNK, Month, StreamKey};
use crate::model::provision::{FormSet, JeugdState, PerForm, Supplier, YouthForm};
use crate::model::streams as ps;
use crate::model::world::{ALIVE, MENTAL, World};
use crate::scenario::params::JeugdParams;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// Jeugdhulp ends when the problem falls below this severity (it is gone). Assumption.
pub const PROBLEM_GONE: u8 = 10;
/// A youth turning 18 with a problem at least this severe moves on to adult need (MC53) ...
/// Assumption.
pub const ADULT_NEED_SEVERITY: u8 = 40;
/// ... with a psychosocial limitation of this share of the youth problem's severity.
/// Assumption.
pub const ADULT_NEED_SHARE: f64 = 0.8;
/// One youth's episodes after this month's ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Episodes {
    /// The new state.
    pub state: JeugdState,
    /// A protection order ended before a GI started it (never seen).
    pub lapsed: bool,
    /// Turning 18 with a serious problem: the adult limitation severity it becomes (MC53).
    pub adult_need: Option<u8>,
}

/// The streams of the month's episode decisions, one purpose each; the ends and lapses of
/// each form are keyed by youth and form.
#[derive(Clone, Copy, Debug)]
pub struct EpisodeKeys {
    end: StreamKey,
    lapse: StreamKey,
    after_18: StreamKey,
}

impl EpisodeKeys {
    /// The streams of `month` (as `Month.0`) in the run with `seed`.
    pub fn new(seed: u64, month: u32) -> EpisodeKeys {
        EpisodeKeys {
            end: StreamKey::new(seed, ps::JEUGD_END, month),
            lapse: StreamKey::new(seed, ps::JEUGD_LAPSE, month),
            after_18: StreamKey::new(seed, ps::JEUGD_AFTER_18, month),
        }
    }
}

/// The stream key of a decision about form `f` of the youth with persistent id `id`.
fn form_key(id: u32, f: YouthForm) -> u64 {
    u64::from(id) << 8 | f as u64
}

/// One youth's episodes this month (`state` active, problem `y`, age `age_m` in months; `ends`:
/// each form's chance a month to end; `id` keys the youth's streams): help and measures end (jeugdhulp also when the problem
/// is gone), a waiting court order runs its term whether or not the GI has started it, help
/// too light for the problem is followed by a referral to heavier care (MC5), and at 18
/// protection ends, jeugdhulp continues for some, and serious problems become adult need.
pub fn end_episodes(
    jp: &JeugdParams,
    ends: &PerForm<f64>,
    keys: &EpisodeKeys,
    id: u32,
    state: JeugdState,
    y: u8,
    age_m: u32,
) -> Episodes {
    let mut bits = state;
    let mut lapsed = false;
    for f in YouthForm::ALL {
        let key = form_key(id, f);
        if bits.receives(f)
            && (keys.end.stream(key).chance(ends[f]) || (f.is_hulp() && y < PROBLEM_GONE))
        {
            bits = bits.without(f);
        }
        // A court order runs its term whether or not the GI has started it.
        if f.supplier() == Supplier::Gi
            && bits.waits_for(f)
            && keys.lapse.stream(key).chance(ends[f])
        {
            bits = bits.without_waiting(f);
            lapsed |= f == YouthForm::Jeugdbescherming;
        }
    }
    // Up-scaling: help that has become too light for the problem is followed by a referral
    // to heavier care (after the delay it took; MC5).
    if bits.receives(YouthForm::Wijkteam) && y >= jp.specialist_threshold {
        bits = bits
            .without(YouthForm::Wijkteam)
            .with_waiting(YouthForm::Ambulant);
    }
    // (Not for someone already in verblijf: found by the month-end invariant `queue.jeugd`;
    // such a youth used to take a second verblijf place.)
    if bits.receives(YouthForm::Ambulant)
        && !bits.receives(YouthForm::Verblijf)
        && y >= jp.verblijf_threshold
    {
        bits = bits.with_waiting(YouthForm::Verblijf);
    }
    let mut adult_need = None;
    if age_m == MAJORITY_AGE * 12 {
        // Turning 18: protection ends; jeugdhulp continues for some; a share of those with
        // problems moves on to adult (Wmo) need (MC53).
        bits = bits.without_forms(FormSet::of(YouthForm::Jeugdbescherming));
        let stays = |p: f64| keys.after_18.stream(u64::from(id)).chance(p);
        if bits.in_hulp() && !stays(jp.continue_after_18.get()) {
            bits = bits.without_forms(FormSet::HULP);
        }
        if y >= ADULT_NEED_SEVERITY {
            adult_need = Some((f64::from(y) * ADULT_NEED_SHARE) as u8);
        }
    }
    if age_m >= (MAX_YOUTH_AGE + 1) * 12 {
        bits = bits.only_this_year();
    }
    if bits.in_hulp() {
        bits = bits.with_this_year();
    }
    Episodes {
        state: bits,
        lapsed,
        adult_need,
    }
}

/// Phase 6a: every youth's episodes end or move on ([`end_episodes`]); returns the protection
/// orders that lapsed before a GI started them.
pub(super) fn episodes(world: &mut World, jp: &JeugdParams, month: Month) -> u32 {
    let m = month.0;
    let ends = PerForm::from_fn(|f| 1.0 / f.params(jp).duration_months.get().max(1.0));
    let keys = EpisodeKeys::new(world.seed, m);
    let lapsed = AtomicU32::new(0);
    let c = &mut world.citizens;
    let (ids, births, youth) = (&c.id, &c.birth, &c.youth);
    c.jeugd
        .par_chunks_mut(CHUNK)
        .zip(c.flags.par_chunks_mut(CHUNK))
        .zip(c.severity.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(ci, ((jeugd, flags), severity))| {
            for j in 0..jeugd.len() {
                let i = ci * CHUNK + j;
                if !flags[j].contains(ALIVE) || !jeugd[j].active() {
                    continue;
                }
                let age_m = m.saturating_sub(u32::from(births[i]));
                let e = end_episodes(jp, &ends, &keys, ids[i], jeugd[j], youth[i], age_m);
                if e.lapsed {
                    lapsed.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(s) = e.adult_need {
                    severity[j] = severity[j].max(s);
                    flags[j].insert(MENTAL);
                }
                jeugd[j] = e.state;
            }
        });
    lapsed.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use serde_json::json;

    #[test]
    fn episodes_end_and_move_on() {
        let jp = patched(
            &reference().jeugd,
            json!({
                "verblijf_threshold": 50,
                "specialist_threshold": 45,
                "continue_after_18": 1.0,
            }),
        );
        let never = PerForm::splat(0.0);
        let mut jb_ends = PerForm::splat(0.0);
        jb_ends[YouthForm::Jeugdbescherming] = 1.0;
        let none = JeugdState::NONE;
        use YouthForm::*;
        let at = |years: u32| years * 12;
        // (form end chances, state, problem, age in months, state after, lapsed, adult need)
        let rows = [
            // Help too light for the problem: up-scaled to ambulant care (facts.md MC5).
            (
                never,
                none.with(Wijkteam).with_this_year(),
                50,
                at(10),
                none.with_waiting(Ambulant).with_this_year(),
                false,
                None,
            ),
            (
                never,
                none.with(Ambulant),
                55,
                at(10),
                none.with(Ambulant).with_waiting(Verblijf).with_this_year(),
                false,
                None,
            ),
            // Jeugdhulp ends when the problem is gone (assumption).
            (never, none.with(Ambulant), 5, at(10), none, false, None),
            // A waiting protection order runs its term without a GI (never seen, WL2).
            (
                jb_ends,
                none.with_waiting(Jeugdbescherming),
                30,
                at(10),
                none,
                true,
                None,
            ),
            // At 18 protection ends (a measure for minors); jeugdhulp may continue (Y1);
            // serious problems become adult need (MC53).
            (
                never,
                none.with(Jeugdbescherming).with(Ambulant),
                44,
                at(18),
                none.with(Ambulant).with_this_year(),
                false,
                Some(35),
            ),
            // After 22 youth care ends (the Jeugdwet's upper age with continued help).
            (
                never,
                none.with(Ambulant).with_this_year(),
                30,
                at(23),
                none.with_this_year(),
                false,
                None,
            ),
        ];
        for (ends, state, y, age_m, want, lapsed, adult) in rows {
            let e = end_episodes(&jp, &ends, &EpisodeKeys::new(1, 1), 1, state, y, age_m);
            assert_eq!(
                (e.state, e.lapsed, e.adult_need),
                (want, lapsed, adult),
                "{state:?} {y} {age_m}"
            );
        }
    }
}
