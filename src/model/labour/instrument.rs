//! The gemeente's choice of reintegration instrument (facts.md MC15-MC17).

use super::kinds::{Instrument, LabourStatus, LabourStatus as S, PwFlags};
use super::transitions::Ctx;
use crate::engine::Stream;
use crate::scenario::params::ParticipatieParams;

/// Expected months out of work within `t` months at a monthly exit probability `h`.
pub(super) fn months_out(h: f64, t: f64) -> f64 {
    if h <= 0.0 {
        return t;
    }
    (1.0 - (1.0 - h).powf(t)) / h
}

/// Wage-cost subsidy for a worker with effective loonwaarde `eff`, euros a month.
pub fn lks_cost(p: &ParticipatieParams, eff: f64) -> f64 {
    (100.0 - eff).max(0.0) / 100.0 * p.instruments.minimum_wage_eur.get()
}

/// The gemeente's choice of instrument for an unemployed client (facts.md MC15-MC17): the
/// option with the highest expected gain over the horizon (saved benefit and the value it puts
/// on work, minus its own cost), none if no option gains.
#[allow(clippy::too_many_arguments)]
pub(super) fn choose(
    ctx: &Ctx,
    status: LabourStatus,
    eff: f64,
    dist: f64,
    pwf: PwFlags,
    region: usize,
    find_none: f64,
    rng: &mut Stream,
) -> (Instrument, u16) {
    let p = ctx.p;
    let g = &p.gemeente;
    let ip = &p.instruments;
    let l = &p.loonwaarde;
    // UWV, not the gemeente, deals with WW and Wajong.
    if !matches!(status, S::Bijstand | S::Nugger) {
        return (Instrument::None, 0);
    }
    let benefit = if status == S::Bijstand {
        ip.bijstand_eur.get() * g.buig_share.get()
    } else {
        0.0
    };
    let value = benefit + g.social_value_eur.get();
    let t = g.horizon_months.get();
    let base_out = months_out(find_none, t);
    let lks = ctx.lks_right;
    let mut best = (0.0, Instrument::None, 0.0);
    // The professional's judgement of what an option brings varies between clients.
    let spread = g.judgement_spread.get();
    let mut consider = |benefit: f64, cost: f64, which: Instrument, months: f64| {
        let gain = benefit * (spread * rng.normal() - spread * spread / 2.0).exp() - cost;
        if gain > best.0 {
            best = (gain, which, months);
        }
    };
    if eff >= l.regular.get() {
        for (which, inst) in [
            (Instrument::Light, &ip.light),
            (Instrument::Participatieplaats, &ip.participatieplaats),
        ] {
            let h = ctx.find_prob(eff, dist, which, pwf);
            let out = months_out(h, t);
            let paid = months_out(h, inst.months.get().min(t));
            // Saved benefit and work, plus the client's participation while in it.
            consider(
                value * (base_out - out) + g.social_value_eur.get() * paid,
                inst.cost_eur.get() * paid,
                which,
                inst.months.get(),
            );
        }
    } else if eff >= l.sheltered.get() && lks {
        // Mediation to employers; once placed the gemeente pays the wage-cost subsidy.
        let h = ctx.belief[region];
        let out = months_out(h, t);
        let subsidy = lks_cost(p, eff);
        consider(
            (value - subsidy) * (t - out),
            ip.mediation_eur.get() * out,
            Instrument::Lks,
            g.review_months.get(),
        );
        let hc = (h * p.employers.coach_placement_factor.get()).min(1.0);
        let outc = months_out(hc, t);
        consider(
            (value - subsidy - ip.jobcoach_eur.get()) * (t - outc),
            ip.mediation_eur.get() * outc,
            Instrument::Jobcoach,
            g.review_months.get(),
        );
    }
    if best.1 == Instrument::None {
        return (
            Instrument::None,
            (f64::from(ctx.m) + g.review_months.get()) as u16,
        );
    }
    (best.1, (ctx.m as f64 + best.2) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_out_of_work() {
        assert_eq!(months_out(0.0, 24.0), 24.0);
        assert!((months_out(1.0, 24.0) - 1.0).abs() < 1e-12);
        let a = months_out(0.05, 24.0);
        let b = months_out(0.10, 24.0);
        assert!(a > b && b > 1.0);
    }
}

#[cfg(test)]
mod choice_tests {
    use super::*;
    use crate::engine::Month;
    use crate::model::labour::reference_params;

    #[test]
    fn wage_cost_subsidy_is_the_gap_to_the_minimum_wage() {
        let p = reference_params().participatie;
        let w = p.instruments.minimum_wage_eur.get();
        // Participatiewet art. 10d: the LKS makes up the difference between the loonwaarde
        // and the minimum wage.
        for (eff, want) in [(100.0, 0.0), (60.0, 0.4 * w), (0.0, w), (120.0, 0.0)] {
            assert!((lks_cost(&p, eff) - want).abs() < 1e-9, "{eff}");
        }
    }

    #[test]
    fn the_gemeente_weighs_its_own_cost_against_saved_bijstand() {
        let mut p = reference_params().participatie;
        // Judgement without spread, so each row has one answer.
        p.gemeente.judgement_spread = crate::scenario::types::NonNegative(0.0);
        let month = Month::new(2016, 1);
        let belief = [0.05];
        let ctx = super::super::transitions::Ctx::new(&p, &belief, month);
        let mut rng = Stream::new(1, crate::engine::Purpose(1), 1, 1);
        let m = month.0 as u16;
        let review = p.gemeente.review_months.get() as u16;
        // (case, status, effective loonwaarde, instrument chosen or not)
        let rows = [
            // UWV, not the gemeente, deals with WW and the Wajong (facts.md MC15).
            (
                "WW is UWV's",
                LabourStatus::Ww,
                60.0,
                Some(Instrument::None),
            ),
            (
                "Wajong is UWV's",
                LabourStatus::Wajong,
                60.0,
                Some(Instrument::None),
            ),
            // Below the sheltered line no instrument leads to work.
            (
                "sheltered target group",
                LabourStatus::Bijstand,
                20.0,
                Some(Instrument::None),
            ),
            // Between the lines, bijstand saved pays for mediation with LKS (MC15, MC17).
            (
                "bijstand, reduced loonwaarde",
                LabourStatus::Bijstand,
                60.0,
                None,
            ),
            // A nugger saves the gemeente no benefit: the subsidy is not worth it (MC18).
            (
                "nugger, reduced loonwaarde",
                LabourStatus::Nugger,
                60.0,
                Some(Instrument::None),
            ),
        ];
        for (case, status, eff, want) in rows {
            let (got, until) = choose(&ctx, status, eff, 0.5, PwFlags::EMPTY, 0, 0.01, &mut rng);
            match want {
                Some(w) => assert_eq!(got, w, "{case}"),
                None => assert!(got.is_mediation(), "{case}: {got:?}"),
            }
            if got == Instrument::None && status.is_gemeente_client() {
                assert_eq!(until, m + review, "{case}: reviewed after review_months");
            }
        }
        // Without the LKS entitlement the same client gets nothing.
        let mut q = p.clone();
        q.rules.lks_entitlement = crate::scenario::types::Dated::constant(false);
        let ctx = super::super::transitions::Ctx::new(&q, &belief, month);
        let (got, _) = choose(
            &ctx,
            LabourStatus::Bijstand,
            60.0,
            0.5,
            PwFlags::EMPTY,
            0,
            0.01,
            &mut rng,
        );
        assert_eq!(got, Instrument::None);
    }
}
