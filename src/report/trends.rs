//! `sociaal trends`: the main stocks of a scenario's reference variant over the years, each
//! with the cause of its trend in the model. docs/trends.md is its output for the baseline
//! (issue #19): a stock that moves should move for a reason the model contains.

use super::results::Results;
use crate::error::Error;
use crate::scenario::InputError;

/// A stock followed over the years and the cause of its trend in the model.
pub struct Trend {
    /// The indicator.
    pub indicator: &'static str,
    /// Why it moves (or holds) in the model, and how that compares with what is known.
    pub cause: &'static str,
}

/// The stocks followed, in order, with their causes.
pub const TRENDS: &[Trend] = &[
    Trend {
        indicator: "population",
        cause: "Births, deaths, emigration and immigration (`[demography]`, CBS-dated through 2020, immigration held at 210 000 a year after). Grows about 0.6% a year, near CBS's 2019 projection (about 18.4 M in 2030).",
    },
    Trend {
        indicator: "population_0_17",
        cause: "Starts about 6% above CBS (3.43 M on 1 January 2015): the ten-year warm-up's births and immigrant families build the 2015 cohorts. Falls after as the large cohorts born around 2000 turn 18 and births run at 170 000-190 000 (CBS itself counted a fall of about 20 000 a year 2014-2018). Two artefacts were fixed in issue #19: starting ages a random month too old with a bulge at ages 3-8, and families emigrating as often as others (net migration of children was about zero; `demography.emigration_family_factor`).",
    },
    Trend {
        indicator: "population_67_plus",
        cause: "The post-war cohorts reaching 67 and rising life expectancy (`demography.life_expectancy_*`): about +30% by 2030, as CBS projects.",
    },
    Trend {
        indicator: "births",
        cause: "Total fertility dated to CBS through 2021 (1.66 falling to 1.55, then back up) times the women aged 20-40, whose number grows with immigration.",
    },
    Trend {
        indicator: "households",
        cause: "Households form when young adults leave home and separate, and merge when singles partner (`demography.partnering_rate`, calibrated with facts.md P7). Grows about 20 000 a year against CBS's about 60 000: every seeker finds a partner in the national pool, so the rate is the yearly chance of forming a couple; 0.14 would give CBS's growth but 10% more bijstand (P7). Open calibration.",
    },
    Trend {
        indicator: "households_single",
        cause: "Falls from CBS's 2015 share of one-person households under 65 while partnering runs at its calibrated rate, then rises with the number of older singles. The same open calibration as `households`.",
    },
    Trend {
        indicator: "persons_limited",
        cause: "Limitations arise with age and recover (`[needs]`); grows with the 67+ (+8% by 2030).",
    },
    Trend {
        indicator: "carers",
        cause: "Willingness to care falls 5% a year from 2015 (`mantelzorg.willingness_trend`, facts.md V5, M9, MC27) while demand grows: fewer carers (facts.md V4: about flat 2015-2019).",
    },
    Trend {
        indicator: "carers_intensive",
        cause: "Follows `carers`: fewer, older carers with longer hours.",
    },
    Trend {
        indicator: "wmo_users",
        cause: "Demand grows with the 67+ and the abonnementstarief from 2019 draws in higher incomes (facts.md MC14, V10); flattens after 2025 as waiting lists grow.",
    },
    Trend {
        indicator: "wmo_waiting",
        cause: "Grows from 2020: gemeenten in deficit cut tariffs and providers answer with less capacity (facts.md MC42; `gemeente.tariff_step`), while demand grows with ageing and providers add at most `wmo.provider_growth` (3%) a year; verblijf (beschermd wonen) has a queue at all times. Depends on the gemeenten's structural deficits (issue #19 item 7).",
    },
    Trend {
        indicator: "wlz_persons",
        cause: "Wlz places (`wlz.places`, 170 000 from 2015) grow by at most `wlz.places_growth` (3%) a year from 2018 while people wait (the Wlz is an entitlement; facts.md WLZ2: capacity is short; F11: admissions fell 2010-2017). Before issue #19 the places were flat to 2040 while the 80+ grew by half.",
    },
    Trend {
        indicator: "jeugdhulp_users",
        cause: "Rises to 2019 as the referral threshold falls (`jeugd.threshold_drift`: help becomes usual for lighter problems, facts.md MC9, J1), then falls with the number of children.",
    },
    Trend {
        indicator: "jeugdbescherming_measures",
        cause: "Falls with fewer children (-11%) and because earlier, lighter help keeps problems below the safety threshold (the falling referral threshold; `jeugd.threshold_drift`): court orders fall. CBS counted the same direction (about 33 000 at the end of 2020, 28 000 in mid-2023).",
    },
    Trend {
        indicator: "jeugdreclassering_measures",
        cause: "As jeugdbescherming, plus the falling youth crime trend (`jeugd.jr_trend`, facts.md J5: 11 000 in 2015 to 9 400 in 2018).",
    },
    Trend {
        indicator: "bijstand_persons",
        cause: "Falls to 2019 with the economy (`participatie.unemployment`), rises after with immigration and the young disabled who no longer enter the Wajong or the Wsw (facts.md ZL7, P10).",
    },
    Trend {
        indicator: "wsw_employees",
        cause: "The Wsw closed to new inflow in 2015; its workers leave at the AOW age, or earlier (2% a year, `labour::hazards::SHELTERED_EXIT`).",
    },
    Trend {
        indicator: "wajong_persons",
        cause: "Closed to those with capacity to work from 2015 (facts.md P10): only the stock before 2015 and those without capacity remain.",
    },
    Trend {
        indicator: "young_disabled_persons",
        cause: "By definition (facts.md P10) the inflow since the Wajong closed in 2015, up to the AOW age, so it grows by a cohort a year (about 11 000; P10 gives ruim 30 000 by 2018). Before issue #19 it also counted the warm-up's cohorts.",
    },
    Trend {
        indicator: "sheltered_target_not_working",
        cause: "The former Wsw target group (a loonwaarde in the sheltered band from the start, no Wajong) without work: grows as new cohorts find no Wsw and little beschut werk (facts.md P9: about 20 000 in 2018, MC17). Before issue #19 it also counted people whose work capacity fell through illness later in life.",
    },
    Trend {
        indicator: "gemeente_reserves_eur",
        cause: "Structural deficits: spending grows with demand and the cost index while budgets follow the objective allocation. Gemeenten whose social-domain reserves are used up cover deficits from their general funds (`gemeente.own_funds_share`); the province supervises those still short (`gemeente.supervision`), and after `gemeente.article12_years` the gemeentefonds pays the rest (Financiële-verhoudingswet art. 12), so reserves stop falling. Far more gemeenten are supervised than the dozen of reality and the article-12 payments are far larger (`gemeente_article12_eur`): the model's budgets fall short of its care nationally (calibration of euros, issues #23 and #24).",
    },
    Trend {
        indicator: "gemeenten_supervised",
        cause: "Gemeenten whose social-domain reserves, with a quarter of a year's budget of general reserve (`gemeente.general_reserve_share`), are below zero after two deficit years (Gemeentewet art. 203). Rises with the structural deficits, about 160 by 2019 where reality had about a dozen: see `gemeente_reserves_eur`.",
    },
];

/// Formats a value for the table: billions and millions with two decimals, else whole.
fn fmt(x: f64) -> String {
    if !x.is_finite() {
        "-".to_string()
    } else if x.abs() >= 1e9 {
        format!("{:.2} bn", x / 1e9)
    } else if x.abs() >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x.abs() >= 100.0 {
        let s = format!("{:.0}", x.abs());
        let mut out = String::new();
        for (k, ch) in s.chars().enumerate() {
            if k > 0 && (s.len() - k) % 3 == 0 {
                out.push(' ');
            }
            out.push(ch);
        }
        if x < 0.0 { format!("-{out}") } else { out }
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// The trends page: a table of each followed stock's mean over replications in `years` (those
/// the results hold), the change from the first to the last, and its cause. `command` is how
/// the page was made (printed at the top so that it can be made again).
pub fn markdown(r: &Results, years: &[u32], command: &str) -> Result<String, Error> {
    let years: Vec<u32> = years
        .iter()
        .copied()
        .filter(|y| r.years.contains(y))
        .collect();
    if years.len() < 2 {
        return Err(InputError::new(
            &r.dir.join("summary.csv"),
            "results holding two of the years asked for",
        )
        .key("--years")
        .found(format!(
            "the years {}-{}",
            r.years.first().copied().unwrap_or(0),
            r.years.last().copied().unwrap_or(0)
        ))
        .into());
    }
    let reference = &r.variants[0].name;
    let mut s = format!(
        "# Trends of the main stocks ({}, variant {reference})\n\n\
         Made by `{command}`; do not edit by hand (the causes live in `src/report/trends.rs`).\n\
         Means over the replications; the last column says why each stock moves in the model.\n\n",
        r.name
    );
    s.push_str("| indicator |");
    for y in &years {
        s.push_str(&format!(" {y} |"));
    }
    s.push_str(" change | cause in the model |\n|---|");
    for _ in &years {
        s.push_str("---:|");
    }
    s.push_str("---:|---|\n");
    for t in TRENDS {
        let Some(i) = r.indicator(t.indicator) else {
            continue;
        };
        let means: Vec<f64> = years.iter().map(|&y| r.band(0, i, y)[0]).collect();
        s.push_str(&format!("| `{}` |", t.indicator));
        for m in &means {
            s.push_str(&format!(" {} |", fmt(*m)));
        }
        let (a, b) = (means[0], means[means.len() - 1]);
        let change = if a != 0.0 && a.is_finite() && b.is_finite() {
            format!("{:+.0}%", (b / a - 1.0) * 100.0)
        } else {
            "-".to_string()
        };
        s.push_str(&format!(" {change} | {} |\n", t.cause));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts_and_millions() {
        assert_eq!(fmt(3_590_000.0), "3.59 M");
        assert_eq!(fmt(-4_150_580_000.0), "-4.15 bn");
        assert_eq!(fmt(218_000.0), "218 000");
        assert_eq!(fmt(-1_234.0), "-1 234");
        assert_eq!(fmt(0.25), "0.25");
        assert_eq!(fmt(0.0), "0");
        assert_eq!(fmt(f64::NAN), "-");
    }

    #[test]
    fn every_followed_stock_is_an_indicator() {
        for t in TRENDS {
            assert!(
                crate::model::indicators::by_name(t.indicator).is_some(),
                "{} is not an indicator",
                t.indicator
            );
        }
    }
}
