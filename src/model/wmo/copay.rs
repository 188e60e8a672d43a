//! Cost prices of the provisions and the co-payment (eigen bijdrage) a household pays.

use super::rules::WEEKS_PER_MONTH;
use crate::engine::Month;
use crate::scenario::params::{CoPayRule, ContractForm, ProvisionParams, WmoParams};

/// The income-dependent co-payment is billed per period of four weeks: 13 a year (CAK).
pub const PERIODS_PER_YEAR: f64 = 13.0;
/// A couple's income counts this many times a single person's for the co-payment (CBS
/// equivalence scale, rounded).
pub const COUPLE_EQUIVALENCE: f64 = 1.4;

/// The cost price of one client of type `t` a month, as billed (a per-hour contract bills the
/// extra hours providers supply; a lump sum is paid per gemeente, not per client, so its
/// per-client cost is 0 here).
pub fn billed_cost(pp: &ProvisionParams) -> f64 {
    match pp.contract {
        ContractForm::LumpSum => 0.0,
        c => {
            unit_cost(pp)
                * if pp.hours_per_week.get() > 0.0 {
                    c.hours_factor()
                } else {
                    1.0
                }
        }
    }
}

/// The cost price of one client a month at per-trajectory hours: the basis of co-payments.
pub fn unit_cost(pp: &ProvisionParams) -> f64 {
    if pp.hours_per_week.get() > 0.0 {
        pp.hours_per_week.get() * WEEKS_PER_MONTH * pp.tariff_eur.get()
    } else {
        pp.tariff_eur.get()
    }
}

/// The household's income as the co-payment rule sees it: standardised income times an
/// equivalence factor (1 for one adult, [`COUPLE_EQUIVALENCE`] for two).
pub fn copay_income(equivalised: u32, adults: u8) -> f64 {
    f64::from(equivalised) * if adults >= 2 { COUPLE_EQUIVALENCE } else { 1.0 }
}

/// The most a household pays a month under the income-dependent rule.
pub fn income_dependent_max(p: &WmoParams, income: f64, aow: bool) -> f64 {
    let c = &p.copay;
    let threshold = if aow {
        c.income_threshold_aow_eur.get()
    } else {
        c.income_threshold_eur.get()
    };
    (c.minimum_per_period_eur.get() * PERIODS_PER_YEAR
        + c.marginal_rate.get() * (income - threshold).max(0.0))
        / 12.0
}

/// A household's co-payment a month for maatwerk costing `cost` (of which `verblijf` for
/// verblijf en opvang, which keeps an income-dependent contribution under both rules).
pub fn copay(p: &WmoParams, month: Month, cost: f64, verblijf: f64, income: f64, aow: bool) -> f64 {
    let other = (cost - verblijf).max(0.0);
    let max_inc = income_dependent_max(p, income, aow);
    let base = match p.copay.rule.at(month) {
        CoPayRule::IncomeDependent => other.min(max_inc),
        CoPayRule::Flat => other.min(p.copay.flat_monthly_eur.at(month).get()),
    };
    base + verblijf.min(max_inc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::{patched, reference};
    use crate::model::wmo::close;
    use crate::scenario::types::Dated;
    use serde_json::json;

    /// The CAK schedule of 2017 (rounded) and the abonnementstarief of 2020, as in the
    /// reference scenario (Wmo 2015 art. 2.1.4; Uitvoeringsbesluit Wmo 2015, ch. 3).
    fn copay_params(rule: &str) -> WmoParams {
        patched(
            &reference().wmo,
            json!({ "copay": {
                "rule": rule,
                "flat_monthly_eur": 19.0,
                "minimum_per_period_eur": 17.5,
                "income_threshold_eur": 22500.0,
                "income_threshold_aow_eur": 17000.0,
                "marginal_rate": 0.15,
            }}),
        )
    }

    /// The minimum a month: EUR 17,50 per four weeks, 13 periods a year.
    const MINIMUM: f64 = 17.5 * 13.0 / 12.0;

    #[test]
    fn income_dependent_max_follows_the_cak_schedule() {
        let w = copay_params("income_dependent");
        // (yearly income, head at the AOW age, most a month)
        let rows = [
            // Incomes up to the threshold pay the minimum per four weeks (CAK 2015-2018).
            (0.0, false, MINIMUM),
            (22_500.0, false, MINIMUM),
            // Above it, 15% of the income above the threshold is added to the yearly maximum.
            (32_500.0, false, (227.5 + 1_500.0) / 12.0),
            // From the AOW age the threshold is lower (CAK: separate thresholds for 65+/AOW).
            (17_000.0, true, MINIMUM),
            (32_500.0, true, (227.5 + 0.15 * 15_500.0) / 12.0),
        ];
        for (income, aow, want) in rows {
            let got = income_dependent_max(&w, income, aow);
            assert!(close(got, want), "{income} {aow}: {got} != {want}");
        }
    }

    #[test]
    fn copay_under_both_rules() {
        let income_dependent = copay_params("income_dependent");
        let flat = copay_params("flat");
        let month = Month::new(2020, 6);
        // (rule, cost price a month, of which always income-dependent, income, AOW, co-payment)
        let rows = [
            // Income-dependent (2015-2018): the CAK maximum, never more than the cost price.
            (&income_dependent, 300.0, 0.0, 20_000.0, false, MINIMUM),
            (
                &income_dependent,
                300.0,
                0.0,
                32_500.0,
                false,
                1_727.5 / 12.0,
            ),
            (&income_dependent, 50.0, 0.0, 32_500.0, false, 50.0),
            (&income_dependent, 300.0, 0.0, 20_000.0, true, 677.5 / 12.0),
            // Abonnementstarief (from 2019, facts.md AB1): one amount whatever the income
            // (EUR 19 a month from 2020), never more than the cost price.
            (&flat, 300.0, 0.0, 60_000.0, false, 19.0),
            (&flat, 300.0, 0.0, 0.0, false, 19.0),
            (&flat, 10.0, 0.0, 60_000.0, false, 10.0),
            // Beschermd wonen and opvang keep an income-dependent contribution under both
            // rules (the abonnementstarief does not cover them).
            (&flat, 3_000.0, 3_000.0, 32_500.0, false, 1_727.5 / 12.0),
            (&flat, 3_300.0, 3_000.0, 20_000.0, false, 19.0 + MINIMUM),
            (
                &income_dependent,
                3_300.0,
                3_000.0,
                20_000.0,
                false,
                2.0 * MINIMUM,
            ),
        ];
        for (w, cost, stay, income, aow, want) in rows {
            let got = copay(w, month, cost, stay, income, aow);
            assert!(close(got, want), "{cost} {stay} {income}: {got} != {want}");
        }
        // The rule in force is dated: the reference switches on 1 January 2019 (AB1).
        let mut w = copay_params("flat");
        w.copay.rule = reference().wmo.copay.rule;
        let december = |w: &WmoParams| copay(w, Month::new(2018, 12), 300.0, 0.0, 20_000.0, false);
        assert!(close(december(&w), MINIMUM));
        w.copay.rule = Dated::constant(CoPayRule::Flat);
        assert!(close(december(&w), 19.0));
    }

    #[test]
    fn copay_income_is_equivalised() {
        // CBS equivalence scale (rounded): a couple needs 1.4 times a single person's income.
        for (income, adults, want) in [(20_000, 1, 20_000.0), (20_000, 2, 28_000.0)] {
            assert!(close(copay_income(income, adults), want));
        }
    }
}
