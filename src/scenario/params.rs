//! Every scenario key, with its unit, range, default and the source of the default.
//!
//! The defaults live in `scenarios/reference.toml`, which every scenario implicitly extends,
//! so a scenario file only states what it changes. The structs below are what a fully
//! resolved scenario (reference <- extends chain <- file <- variant) must contain; serde rejects
//! unknown keys and the value types (`Share`, `YearlyRate`, ...) reject values out of range.
//!
//! Sources: "facts.md Xn" is an item of `../shared/domain/facts.md`; "CBS" is CBS StatLine
//! (rounded as noted); "assumption" marks a value no public figure pins down.

use super::types::{Dated, MonthValue, NonNegative, Positive, Scale, Share, YearlyRate, Years};
use serde::{Deserialize, Serialize};

/// A fully resolved scenario: run settings plus one table per model part.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Name of the scenario, used as the results directory name. Letters, digits, `-`, `_`.
    /// Default: the file name without `.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One-line description shown in reports. Default: "".
    #[serde(default)]
    pub description: String,
    /// Seed of the first replication; replication k uses `seed + k`. Any integer >= 0.
    /// Default 20150101 (assumption).
    pub seed: u64,
    /// Number of replications (independent seeds) per variant. 1 ..= 10000. Default 1.
    pub replications: u32,
    /// First simulated month, "YYYY-MM". Default "2015-01" (the decentralisation).
    pub start: MonthValue,
    /// Last simulated month, "YYYY-MM", not before `start`. Default "2030-12".
    pub end: MonthValue,
    /// Agents per inhabitant, 0 < scale <= 1 (1.0 = one agent per inhabitant). Every reported
    /// count is scaled back to national figures. Default 0.01 (assumption: fast enough to
    /// explore on a laptop).
    pub scale: Scale,
    /// Gemeenten and regions.
    pub geography: GeographyParams,
    /// The starting population.
    pub population: PopulationParams,
    /// Births, deaths, migration and household change.
    pub demography: DemographyParams,
}

/// `[geography]`: the gemeenten, their sizes and their regions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeographyParams {
    /// Optional CSV with columns `name,population,jeugdregio,arbeidsmarktregio` (one row per
    /// gemeente), relative to the scenario file that sets it. When set, the synthetic keys
    /// below are ignored. Default: unset (synthetic Netherlands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Number of synthetic gemeenten, 1 ..= 2000. Default 355 (the number of gemeenten in 2019).
    pub gemeenten: u32,
    /// Inhabitants of the synthetic Netherlands on `start`, persons >= 1. Default 16 900 000
    /// (CBS: 16,90 miljoen on 1 January 2015).
    pub population: u64,
    /// Spread of gemeente sizes: the standard deviation of log(size), > 0. Default 1.13
    /// (derived: with 355 gemeenten and 16,9 miljoen inhabitants a log-normal size distribution
    /// with this spread has a median near 25 000 and a largest gemeente near 800 000, as the
    /// real distribution has; CBS Gemeentelijke indeling 2015, rounded).
    pub size_spread: Positive,
    /// Number of jeugdregio's (youth-care purchasing regions), 1 ..= gemeenten. Default 42
    /// (the jeugdregio's of 2015).
    pub jeugdregios: u32,
    /// Number of arbeidsmarktregio's (labour-market regions), 1 ..= gemeenten. Default 35
    /// (facts.md PW11).
    pub arbeidsmarktregios: u32,
}

/// `[population]`: how the starting population is sampled.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationParams {
    /// Shares of household types; they must add up to 1.
    pub household_shares: HouseholdShares,
    /// Shares of families by number of children living at home; they must add up to 1.
    pub children: ChildrenShares,
    /// Median standardised disposable household income, euros per year, > 0. Default 23 500
    /// (CBS Inkomen van huishoudens 2015, rounded).
    pub income_median: Positive,
    /// Standard deviation of log income, > 0. Default 0.53 (derived: a log-normal with this
    /// spread has a Gini coefficient of 0.29, the CBS figure for disposable income around 2015).
    pub income_spread: Positive,
    /// Median income of households whose head is 65 or older, relative to `income_median`, > 0.
    /// Default 0.85 (assumption, in line with CBS income by age of the main earner).
    pub income_factor_65_plus: Positive,
}

/// `[population.household_shares]`: shares of private households by type (sum 1).
/// Defaults: CBS Huishoudens 2015 (7,7 miljoen households; facts.md P14 derives about 7,8
/// miljoen for 2016), rounded.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdShares {
    /// One adult, no children. Default 0.37.
    pub single: Share,
    /// Two adults, no children at home. Default 0.30.
    pub couple: Share,
    /// Two adults with children at home. Default 0.27.
    pub couple_with_children: Share,
    /// One adult with children at home. Default 0.06.
    pub single_parent: Share,
}

/// `[population.children]`: families by number of children at home (sum 1).
/// Defaults: CBS Huishoudens naar samenstelling 2015, rounded.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildrenShares {
    /// One child. Default 0.41.
    pub one: Share,
    /// Two children. Default 0.43.
    pub two: Share,
    /// Three children (the model gives "three or more" three). Default 0.16.
    pub three: Share,
}

/// `[demography]`: monthly births, deaths, migration and household change.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemographyParams {
    /// Period life expectancy at birth of men, years (dated). Default 79.9 (2015), 80.5 (2019),
    /// 81.3 (2025), 82.0 (2030) (CBS Levensverwachting and Kernprognose, rounded).
    pub life_expectancy_men: Dated<Years>,
    /// Period life expectancy at birth of women, years (dated). Default 83.3 (2015), 83.6
    /// (2019), 84.1 (2025), 84.6 (2030) (CBS, rounded).
    pub life_expectancy_women: Dated<Years>,
    /// Gompertz slope of adult mortality: the yearly relative rise of the death rate per year of
    /// age, > 0. Default 0.095 (assumption; typical of Dutch period life tables, where the death
    /// rate doubles about every 7,3 years of age).
    pub mortality_slope: Positive,
    /// Probability that a newborn dies in its first year, 0 ..= 1. Default 0.0033 (CBS 2015:
    /// 3,3 per 1000 live births).
    pub infant_mortality: Share,
    /// Total fertility rate, children per woman (dated). Default 1.66 (2015-2016), 1.62 (2017),
    /// 1.59 (2018), 1.57 (2019), 1.55 (2020), 1.62 (2021), 1.49 (2022), 1.43 (2023 on)
    /// (CBS Geboorte, rounded).
    pub total_fertility: Dated<NonNegative>,
    /// Mean age of mothers at birth, years. Default 31.2 (CBS 2015, rounded).
    pub fertility_mean_age: Years,
    /// Standard deviation of the mother's age at birth, years. Default 5.0 (assumption).
    pub fertility_spread: Years,
    /// Share of boys among births. Default 0.512 (CBS: about 105 boys per 100 girls).
    pub male_birth_share: Share,
    /// Immigrants per year, persons (dated). Default 167 000 (2015), 189 000 (2016), 190 000
    /// (2017), 194 000 (2018), 215 000 (2019), 171 000 (2020), 210 000 (2021 on) (CBS
    /// Immigratie, rounded; the 2021-on value is an assumption near the 2015-2021 mean).
    pub immigrants: Dated<NonNegative>,
    /// Share of immigrant households that are couples (the rest are singles). Default 0.45
    /// (assumption; with `partnering_rate` it sets household growth, see there).
    pub immigrant_couple_share: Share,
    /// Probability per year that a household whose head is 18-64 emigrates, 0 ..= 1 (dated).
    /// Default 0.0085 (derived: CBS emigration of about 112 000 persons in 2015 over about
    /// 13,2 miljoen persons in such households).
    pub emigration_rate: Dated<YearlyRate>,
    /// Probability per year that a young adult (18+) living with parents leaves home.
    /// Default 0.13 (derived: a median leaving age of about 23,5 years, CBS, means a yearly
    /// hazard of ln 2 / 5,5 from age 18).
    pub leave_home_rate: YearlyRate,
    /// Probability per year that a single adult aged 18-64 without children looks for a
    /// partner; those looking in the same gemeente in the same month pair up. Default 0.28
    /// (assumption, set so that households grow by roughly 60 000 a year 2015-2020 as in CBS
    /// household statistics).
    pub partnering_rate: YearlyRate,
    /// Probability per year that a couple separates. Default 0.015 (derived: CBS about 35 000
    /// divorces plus about 30 000 ended cohabitations a year over about 4,4 miljoen couples).
    pub separation_rate: YearlyRate,
    /// Probability per year that a household moves to another gemeente. Default 0.035 (CBS:
    /// about 600 000 persons move between gemeenten a year, about 3,5%).
    pub move_rate: YearlyRate,
}
