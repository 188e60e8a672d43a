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

/// A household as the co-payment rules see it (CAK: the schedule differs for one- and
/// two-person households, below and from the AOW age).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Payer {
    /// The household's yearly income ([`copay_income`]).
    pub income: f64,
    /// The head has reached the AOW age.
    pub aow: bool,
    /// Two adults (a couple).
    pub couple: bool,
}

impl Payer {
    /// The payer of a household with standardised income `equivalised` and `adults` adults.
    pub fn of(equivalised: u32, adults: u8, aow: bool) -> Payer {
        Payer {
            income: copay_income(equivalised, adults),
            aow,
            couple: adults >= 2,
        }
    }
}

/// The most a household pays a month under the income-dependent rule in `month`: the fixed
/// part per four weeks of its kind of household, plus the marginal rate on its income above
/// its kind's threshold (Uitvoeringsbesluit Wmo 2015, art. 3.8).
pub fn income_dependent_max(p: &WmoParams, month: Month, payer: Payer) -> f64 {
    let c = &p.copay;
    let (minimum, threshold) = match (payer.couple, payer.aow) {
        (false, false) => (&c.minimum_per_period_eur, &c.income_threshold_eur),
        (false, true) => (&c.minimum_per_period_eur, &c.income_threshold_aow_eur),
        (true, false) => (
            &c.minimum_per_period_couple_young_eur,
            &c.income_threshold_couple_eur,
        ),
        (true, true) => (
            &c.minimum_per_period_couple_eur,
            &c.income_threshold_couple_aow_eur,
        ),
    };
    (minimum.at(month).get() * PERIODS_PER_YEAR
        + c.marginal_rate.at(month).get() * (payer.income - threshold.at(month).get()).max(0.0))
        / 12.0
}

/// A household's co-payment a month for maatwerk costing `cost` (of which `verblijf` for
/// verblijf en opvang, which keeps an income-dependent contribution under both rules).
pub fn copay(p: &WmoParams, month: Month, cost: f64, verblijf: f64, payer: Payer) -> f64 {
    copay_under(p, p.copay.rule.at(month), month, cost, verblijf, payer)
}

/// As [`copay`], under the rule `rule` whatever the rule in force (to compare the two rules on
/// the same households: the ex-ante cost of the abonnementstarief, facts.md N11).
pub fn copay_under(
    p: &WmoParams,
    rule: CoPayRule,
    month: Month,
    cost: f64,
    verblijf: f64,
    payer: Payer,
) -> f64 {
    let other = (cost - verblijf).max(0.0);
    let max_inc = income_dependent_max(p, month, payer);
    let base = match rule {
        CoPayRule::IncomeDependent => other.min(max_inc),
        CoPayRule::Flat => other.min(p.copay.flat_monthly_eur.at(month).get()),
    };
    base + verblijf.min(max_inc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provision::testing::reference;
    use crate::model::wmo::close;
    use crate::scenario::types::Dated;

    /// The reference's schedule (Uitvoeringsbesluit Wmo 2015, art. 3.8, 2016 and 2017).
    fn params(rule: CoPayRule) -> WmoParams {
        let mut w = reference().wmo;
        w.copay.rule = Dated::constant(rule);
        w
    }

    fn single(income: f64, aow: bool) -> Payer {
        Payer {
            income,
            aow,
            couple: false,
        }
    }

    fn couple(income: f64, aow: bool) -> Payer {
        Payer {
            income,
            aow,
            couple: true,
        }
    }

    /// A fixed part of `per_period` euros per four weeks, a month.
    fn fixed(per_period: f64) -> f64 {
        per_period * 13.0 / 12.0
    }

    #[test]
    fn income_dependent_max_follows_the_schedule() {
        let w = params(CoPayRule::IncomeDependent);
        let (y2016, y2017) = (Month::new(2016, 6), Month::new(2017, 6));
        // (month, household, most a month)
        let rows = [
            // Up to the threshold the fixed part per four weeks; 2016: EUR 19,40 for one
            // person, 27,80 for a couple.
            (y2016, single(0.0, false), fixed(19.4)),
            (y2016, single(22_500.0, false), fixed(19.4)),
            (y2016, couple(20_000.0, true), fixed(27.8)),
            // Above it, 15% (2016) of the yearly income above the threshold.
            (
                y2016,
                single(32_500.0, false),
                fixed(19.4) + 0.15 * 10_000.0 / 12.0,
            ),
            (
                y2016,
                single(26_900.0, true),
                fixed(19.4) + 0.15 * 10_000.0 / 12.0,
            ),
            (
                y2016,
                couple(38_200.0, false),
                fixed(27.8) + 0.15 * 10_000.0 / 12.0,
            ),
            // 2017: EUR 17,50, none for couples below the AOW age, 12,5% above a couple's
            // threshold raised to 35 000.
            (y2017, single(10_000.0, true), fixed(17.5)),
            (y2017, couple(30_000.0, false), 0.0),
            (y2017, couple(45_000.0, false), 0.125 * 10_000.0 / 12.0),
            (
                y2017,
                couple(33_400.0, true),
                fixed(17.5) + 0.125 * 10_000.0 / 12.0,
            ),
        ];
        for (month, payer, want) in rows {
            let got = income_dependent_max(&w, month, payer);
            assert!(close(got, want), "{month} {payer:?}: {got} != {want}");
        }
    }

    #[test]
    fn copay_under_both_rules() {
        let income_dependent = params(CoPayRule::IncomeDependent);
        let flat = params(CoPayRule::Flat);
        let month = Month::new(2020, 6);
        let low = single(16_000.0, false);
        let mid = single(32_500.0, false);
        let mid_max = fixed(17.5) + 0.125 * 10_000.0 / 12.0;
        // (rule, cost price a month, of which always income-dependent, payer, co-payment)
        let rows = [
            // Income-dependent: the maximum, never more than the cost price.
            (&income_dependent, 300.0, 0.0, low, fixed(17.5)),
            (&income_dependent, 300.0, 0.0, mid, mid_max),
            (&income_dependent, 50.0, 0.0, mid, 50.0),
            // Abonnementstarief (from 2019, facts.md AB1): one amount whatever the income
            // (EUR 19 a month from 2020), never more than the cost price.
            (&flat, 300.0, 0.0, single(60_000.0, false), 19.0),
            (&flat, 300.0, 0.0, single(0.0, false), 19.0),
            (&flat, 10.0, 0.0, single(60_000.0, false), 10.0),
            // Beschermd wonen and opvang keep an income-dependent contribution under both
            // rules (the abonnementstarief does not cover them).
            (&flat, 3_000.0, 3_000.0, mid, mid_max),
            (&flat, 3_300.0, 3_000.0, low, 19.0 + fixed(17.5)),
            (&income_dependent, 3_300.0, 3_000.0, low, 2.0 * fixed(17.5)),
        ];
        for (w, cost, stay, payer, want) in rows {
            let got = copay(w, month, cost, stay, payer);
            assert!(close(got, want), "{cost} {stay} {payer:?}: {got} != {want}");
        }
        // The rule in force is dated: the reference switches on 1 January 2019 (AB1).
        let mut w = params(CoPayRule::Flat);
        w.copay.rule = reference().wmo.copay.rule;
        let december = |w: &WmoParams| copay(w, Month::new(2018, 12), 300.0, 0.0, mid);
        assert!(close(december(&w), mid_max));
        w.copay.rule = Dated::constant(CoPayRule::Flat);
        // (The reference's 18.96 a month before 2020: EUR 17,50 per four weeks, rounded.)
        assert!(close(december(&w), 18.96));
        // copay_under compares the rules on one household whatever the rule in force.
        let both = |rule| copay_under(&w, rule, Month::new(2018, 12), 300.0, 0.0, mid);
        assert!(close(both(CoPayRule::IncomeDependent), mid_max));
        assert!(close(both(CoPayRule::Flat), 18.96));
    }

    #[test]
    fn copay_income_is_equivalised() {
        // CBS equivalence scale (rounded): a couple needs 1.4 times a single person's income.
        for (income, adults, want) in [(20_000, 1, 20_000.0), (20_000, 2, 28_000.0)] {
            assert!(close(copay_income(income, adults), want));
            let p = Payer::of(income, adults, false);
            assert!(close(p.income, want) && p.couple == (adults == 2));
        }
    }
}
