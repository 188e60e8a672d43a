//! The gemeente's choice of reintegration instrument (facts.md MC15-MC17).

use super::kinds::{Instrument, LabourStatus, LabourStatus as S};
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
    pwf: u8,
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
            12.0,
        );
        let hc = (h * 1.5).min(1.0);
        let outc = months_out(hc, t);
        consider(
            (value - subsidy - ip.jobcoach_eur.get()) * (t - outc),
            ip.mediation_eur.get() * outc,
            Instrument::Jobcoach,
            12.0,
        );
    }
    if best.1 == Instrument::None {
        return (Instrument::None, (ctx.m + 12) as u16);
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
