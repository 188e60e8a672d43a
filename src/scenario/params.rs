//! Every scenario key, with its unit, range, default and the source of the default.
//!
//! The defaults live in `scenarios/reference.toml`, which every scenario implicitly extends,
//! so a scenario file only states what it changes. The structs below are what a fully
//! resolved scenario (reference <- extends chain <- file <- variant) must contain; serde rejects
//! unknown keys and the value types (`Share`, `YearlyRate`, ...) reject values out of range.
//!
//! Sources: "facts.md Xn" is an item of `../shared/domain/facts.md`; "CBS" is CBS StatLine
//! (rounded as noted); "assumption" marks a value no public figure pins down.

use super::geography_csv::{MAX_GEMEENTEN, MAX_POPULATION};
use super::types::{
    Burden, Dated, GrowthRate, Loonwaarde, MonthValue, NonNegative, Positive, Scale, Severity,
    SeverityLevel, Share, YearlyRate, Years,
};
use crate::engine::Month;
use serde::{Deserialize, Serialize};

/// A value that breaks a rule its type cannot check on its own: a range that depends on the
/// key, or an order or a sum over several keys. Found by the `check` of the table that owns
/// the keys; `key` is the path below that table, and [`Invalid::within`] puts the names of
/// the enclosing tables in front, so [`Params::check`] returns the full key path.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    /// The key at fault, as a path; empty for a rule over several keys of the table, which
    /// is then blamed as a whole.
    pub key: String,
    /// What was expected.
    pub expected: String,
    /// What was found.
    pub found: String,
    /// For a rule over several keys: the keys it reads, as paths like `key` (so an error
    /// can be located at the one the user wrote and name those left at their defaults).
    pub keys: Vec<String>,
}

impl Invalid {
    fn new(key: &str, expected: impl Into<String>, found: impl Into<String>) -> Invalid {
        Invalid {
            key: key.to_string(),
            expected: expected.into(),
            found: found.into(),
            keys: Vec::new(),
        }
    }

    /// A rule over the keys `keys` of one table, broken as a whole.
    fn rule(keys: &[&str], expected: impl Into<String>, found: impl Into<String>) -> Invalid {
        Invalid {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            ..Invalid::new("", expected, found)
        }
    }

    /// The same error with `table` in front of its key.
    pub fn within(self, table: &str) -> Invalid {
        let key = if self.key.is_empty() {
            table.to_string()
        } else {
            format!("{table}.{}", self.key)
        };
        let keys = self.keys.iter().map(|k| format!("{table}.{k}")).collect();
        Invalid { key, keys, ..self }
    }
}

/// `Ok` when `lo <= v <= hi`, else an [`Invalid`] for `key` that shows `v`.
fn in_range<T: PartialOrd + ToString>(
    key: &str,
    v: T,
    lo: T,
    hi: T,
    expected: &str,
) -> Result<(), Invalid> {
    if lo <= v && v <= hi {
        Ok(())
    } else {
        Err(Invalid::new(key, expected, v.to_string()))
    }
}

/// A number for an error message (at most 6 decimals, no trailing zeros).
fn shown(v: f64) -> String {
    crate::output::fmt_num(v, 6)
}

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
    /// Months simulated before `start` (needs, informal care, Wmo, youth care, work and
    /// income; no demography, nothing recorded), so the first recorded month starts from a
    /// state the model itself produces. 12 ..= 600, and at least the whole calendar year
    /// before the start, which gives the gemeenten's historical budget basis and the cohorts of
    /// the year before the start. Default 120 (assumption: the length the other defaults were
    /// calibrated with; without demography the warm-up is no steady state, so stocks grow with
    /// its length, see reference.toml).
    pub warmup_months: u32,
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
    /// Limitations: onset, progression, recovery, frailty.
    pub needs: NeedParams,
    /// Informal care (mantelzorg).
    pub mantelzorg: CareParams,
    /// Wmo 2015: seeking help, assessment, providers, co-payments.
    pub wmo: WmoParams,
    /// The Wlz boundary: threshold and nursing-home places.
    pub wlz: WlzParams,
    /// The Jeugdwet: youth problems, routes in, jeugdhulp, jeugdbescherming, jeugdreclassering.
    pub jeugd: JeugdParams,
    /// The Participatiewet: labour market, bijstand, Wajong, Wsw, beschut werk, instruments.
    pub participatie: ParticipatieParams,
    /// Gemeenten as actors: budgets, budget rules, yearly adaptation, access, coordination.
    pub gemeente: GemeenteParams,
    /// Prices: the cost index of tariffs, wages, benefits and budgets, and consumer prices.
    pub prices: PriceParams,
    /// Local policy: choices the law leaves to the gemeente, set for named gemeenten
    /// (`[local."Utrecht"]` or by CBS code, `[local.GM0344]`); every other gemeente keeps
    /// what is drawn for it from the `gemeente` shares. Default: none.
    #[serde(default)]
    pub local: std::collections::BTreeMap<String, LocalPolicy>,
    /// The same choices for every gemeente of a jeugdregio (`[jeugdregio."Holland Rijnland"]`),
    /// and the places of youth care the region buys together (`youth_places`). A gemeente's
    /// own `[local]` entry overrides them key by key. Default: none.
    #[serde(default)]
    pub jeugdregio: std::collections::BTreeMap<String, LocalPolicy>,
    /// The same choices for every gemeente of an arbeidsmarktregio (`[arbeidsmarktregio.
    /// "Rijnmond"]`); a gemeente's own entry and its jeugdregio's override them key by key.
    /// Default: none.
    #[serde(default)]
    pub arbeidsmarktregio: std::collections::BTreeMap<String, LocalPolicy>,
}

/// `[local."<gemeente>"]`: one gemeente's own choices, each optional (unset: as drawn).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalPolicy {
    /// Access to the Wmo and youth care through a wijkteam (true) or a loket (false, with
    /// `gemeente.loket_capacity`). Set at the start of the run (or a variant's branch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wijkteam: Option<bool>,
    /// How the gemeente answers a deficit: "control" (stricter access, lower tariffs) or
    /// "invest" (more wijkteam capacity; MC42-MC45).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The gemeente's assessment (keukentafel) capacity and its team's cost, times this
    /// factor, > 0 (dated: an investment from a month on). 1 = as drawn and adapted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_capacity: Option<Dated<Positive>>,
    /// Beschut werk places the gemeente offers, times its share of the national task
    /// (`participatie.beschut_obligation`), > 0 (dated). The Participatiewet obliges a gemeente to
    /// offer its share from 2017 (facts.md G27) and leaves it free to offer more. 1 = its share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beschut_werk: Option<Dated<Positive>>,
    /// Places of specialist youth care bought from providers, times the norm
    /// (`jeugd.<form>.capacity_per_1000`), > 0 (dated): set by whoever buys them, the jeugdregio
    /// under `jeugd.purchasing = "regional"` (in `[jeugdregio."<name>"]`), the gemeente under
    /// "local". 1 = the norm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub youth_places: Option<Dated<Positive>>,
}

impl LocalPolicy {
    /// These choices, each unset one taken from `fallback` (a region's).
    pub fn or(&self, fallback: &LocalPolicy) -> LocalPolicy {
        LocalPolicy {
            wijkteam: self.wijkteam.or(fallback.wijkteam),
            strategy: self.strategy.or(fallback.strategy),
            team_capacity: self
                .team_capacity
                .clone()
                .or_else(|| fallback.team_capacity.clone()),
            beschut_werk: self
                .beschut_werk
                .clone()
                .or_else(|| fallback.beschut_werk.clone()),
            youth_places: self
                .youth_places
                .clone()
                .or_else(|| fallback.youth_places.clone()),
        }
    }

    /// Whether no choice is set.
    pub fn is_empty(&self) -> bool {
        self == &LocalPolicy::default()
    }
}

/// A gemeente's answer to a deficit (`local.<gemeente>.strategy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Stricter access and lower tariffs.
    Control,
    /// More wijkteam capacity.
    Invest,
}

/// The year whose prices every euro amount in a scenario is written in: the cost index and the
/// consumer price index are 1 in it.
pub const PRICE_BASE_YEAR: u32 = 2015;

/// Prices. Every euro amount in a scenario (tariffs, benefits, wages, costs) is in 2015
/// euros; the model pays them in each year's euros by the cost index (2015 = 1), and the
/// national budgets follow the same index (plus the real growth `gemeente.budget_growth`), so
/// costs and budgets are in one unit (issue #19). The consumer price index turns the books
/// into real (2015) euros. Both change each January by the year's growth.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceParams {
    /// Yearly growth of tariffs, wages and benefits (the cost index), dated by the January it
    /// applies from. Default: the growth of Dutch collective-agreement wages per hour (CBS
    /// StatLine, cao-lonen incl. bijzondere beloningen, yearly change, rounded; not in
    /// facts.md) to 2024, then 0.025 (assumption). Care is wage-driven, and the minimum wage
    /// (hence bijstand and the wage-cost subsidy) follows contract wages.
    pub cost_growth: Dated<GrowthRate>,
    /// Yearly growth of consumer prices, dated. Default: CBS StatLine CPI, yearly change
    /// (rounded; not in facts.md) to 2024, then 0.02 (assumption: the ECB's target).
    pub consumer_growth: Dated<GrowthRate>,
}

impl PriceParams {
    /// The cost index of `year` (2015 = 1).
    pub fn cost_index(&self, year: u32) -> f64 {
        index(&self.cost_growth, year)
    }

    /// The consumer price index of `year` (2015 = 1).
    pub fn consumer_index(&self, year: u32) -> f64 {
        index(&self.consumer_growth, year)
    }
}

/// An index that is 1 in [`PRICE_BASE_YEAR`] and changes each January by `growth`.
fn index(growth: &Dated<GrowthRate>, year: u32) -> f64 {
    let g = |y: u32| 1.0 + growth.at(Month::new(y, 1)).get();
    if year >= PRICE_BASE_YEAR {
        (PRICE_BASE_YEAR + 1..=year).map(g).product()
    } else {
        1.0 / (year + 1..=PRICE_BASE_YEAR).map(g).product::<f64>()
    }
}

impl Params {
    /// What the value types cannot check alone: the run settings against each other, then
    /// each table's own rules (ranges that depend on the key, orders, sums). Dated values
    /// covering the start are checked on the merged file (`scenario::load`).
    pub fn check(&self) -> Result<(), Invalid> {
        if self.end < self.start {
            return Err(Invalid::new(
                "end",
                "an end month not before the start month",
                format!("end \"{}\" before start \"{}\"", self.end.0, self.start.0),
            ));
        }
        in_range(
            "replications",
            self.replications,
            1,
            10_000,
            "a number of replications between 1 and 10000",
        )?;
        // The warm-up must cover the whole calendar year before the start.
        let min_warmup = 12 + self.start.0.month_of_year() - 1;
        in_range(
            "warmup_months",
            self.warmup_months,
            min_warmup,
            600,
            &format!(
                "a warm-up of {min_warmup} to 600 months (it must cover the whole calendar year before the start, {})",
                self.start.0.year() - 1
            ),
        )?;
        in_range(
            "gemeente.supervision_years",
            self.gemeente.supervision_years,
            1,
            20,
            "a number of years between 1 and 20",
        )?;
        self.geography.check().map_err(|e| e.within("geography"))?;
        self.population
            .check()
            .map_err(|e| e.within("population"))?;
        self.demography
            .check()
            .map_err(|e| e.within("demography"))?;
        self.needs.check().map_err(|e| e.within("needs"))?;
        self.mantelzorg
            .check()
            .map_err(|e| e.within("mantelzorg"))?;
        self.jeugd.check().map_err(|e| e.within("jeugd"))?;
        self.participatie
            .check()
            .map_err(|e| e.within("participatie"))
    }
}

/// `[geography]`: the gemeenten, their sizes and their regions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeographyParams {
    /// Which Netherlands: `"netherlands-2019"` (the default: the 355 real gemeenten of 1
    /// January 2019 with their jeugdregio's, arbeidsmarktregio's and CBS make-up, built in from
    /// data/, Bron: CBS / PDOK) or `"synthetic"` (gemeenten drawn from the keys below, for
    /// experiments). `file` takes precedence over both.
    pub kind: GeographyKind,
    /// Optional CSV with columns `name,population,jeugdregio,arbeidsmarktregio` (one row per
    /// gemeente), relative to the scenario file that sets it. When set, the synthetic keys
    /// below are ignored. Default: unset (synthetic Netherlands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Number of synthetic gemeenten (`kind = "synthetic"` only), 1 ..= 2000. Default 355 (the
    /// number of gemeenten in 2019).
    pub gemeenten: u32,
    /// Inhabitants on `start`, persons >= 1, of the synthetic Netherlands or of the built-in one
    /// (each gemeente its 2019 share). Default 16 900 000 (CBS: 16,90 miljoen on 1 January
    /// 2015). Ignored with `file` (its rows give the inhabitants).
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

impl GeographyParams {
    /// Gemeenten, inhabitants and regions in range (regions only against the synthetic
    /// gemeenten; a CSV names its own).
    pub fn check(&self) -> Result<(), Invalid> {
        in_range(
            "gemeenten",
            self.gemeenten as usize,
            1,
            MAX_GEMEENTEN,
            "between 1 and 2000 gemeenten",
        )?;
        in_range(
            "population",
            self.population,
            u64::from(self.gemeenten),
            MAX_POPULATION,
            "at least one inhabitant per gemeente and at most 100 000 000",
        )?;
        for (key, n) in [
            ("jeugdregios", self.jeugdregios),
            ("arbeidsmarktregios", self.arbeidsmarktregios),
        ] {
            if n == 0
                || (self.file.is_none()
                    && self.kind == GeographyKind::Synthetic
                    && n > self.gemeenten)
            {
                return Err(Invalid::new(
                    key,
                    format!("between 1 and the number of gemeenten ({})", self.gemeenten),
                    n.to_string(),
                ));
            }
        }
        Ok(())
    }
}

/// Which Netherlands a scenario simulates (`geography.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GeographyKind {
    /// The 355 gemeenten of 1 January 2019, built in (data/gemeenten-2019.csv).
    #[serde(rename = "netherlands-2019")]
    Netherlands2019,
    /// Gemeenten drawn from `geography.gemeenten`, `size_spread` and the region counts.
    Synthetic,
}

/// The keys of `[geography]` that only shape a synthetic Netherlands.
pub const SYNTHETIC_GEOGRAPHY_KEYS: [&str; 4] = [
    "gemeenten",
    "size_spread",
    "jeugdregios",
    "arbeidsmarktregios",
];

/// `[population]`: how the starting population is sampled.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationParams {
    /// Shares of household types; they must add up to 1.
    pub household_shares: HouseholdShares,
    /// Shares of families by number of children living at home; they must add up to 1.
    pub children: ChildrenShares,
    /// Where households live shows what they earn: the median earnings of a worker
    /// (`participatie.income.earnings_median_eur`) are multiplied by the gemeente's mean WOZ
    /// value relative to the national one to this power (then scaled so that the national mean
    /// factor is 1). CBS Kerncijfers wijken en buurten 2019
    /// (data/gemeenten-2019-kenmerken.csv); only where the geography has CBS profiles, the
    /// built-in Netherlands. Default 0.35 (assumption: CBS publishes both mean income and mean
    /// WOZ value per gemeente, and income spans about a third of the WOZ range in logs; the
    /// income columns of the 2019 table are empty, so the key is not fitted). 0 switches it off.
    pub income_housing: NonNegative,
    /// Years a man is older than his female partner on average: couples of the starting
    /// population and the parents of immigrant families. Default 2 (assumption; CBS: in most
    /// couples the man is a few years older).
    pub partner_age_gap: Years,
    /// Standard deviation of that age difference, years. Default 3 (assumption).
    pub partner_age_spread: Years,
    /// Share of single-parent households whose parent is the mother. Default 0.85 (CBS: about
    /// 85%).
    pub single_parent_mother_share: Share,
}

impl PopulationParams {
    /// The household shares and the shares of families by children each add up to 1.
    pub fn check(&self) -> Result<(), Invalid> {
        let hs = &self.household_shares;
        let sum = hs.single.get()
            + hs.couple.get()
            + hs.couple_with_children.get()
            + hs.single_parent.get();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(Invalid::new(
                "household_shares",
                "household shares that add up to 1",
                format!("a sum of {}", shown(sum)),
            ));
        }
        let ch = &self.children;
        let sum = ch.one.get() + ch.two.get() + ch.three.get();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(Invalid::new(
                "children",
                "shares of families by number of children that add up to 1",
                format!("a sum of {}", shown(sum)),
            ));
        }
        Ok(())
    }
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
    /// Share of immigrant households that are families with children (a couple with one to
    /// three children). Default 0.2 (derived: about a sixth of immigrants are minors, CBS
    /// Immigratie naar leeftijd, rounded; an assumption on household form).
    pub immigrant_family_share: Share,
    /// Share of the other immigrant households that are couples (the rest are singles).
    /// Default 0.45 (assumption; with `partnering_rate` it sets household growth, see there).
    pub immigrant_couple_share: Share,
    /// Mean age of the head of an immigrant household without children, years: 18 plus an
    /// exponentially distributed number of years with mean `immigrant_mean_age - 18`, at most
    /// 64. Range 19 ..= 64. Default 27 (assumption: most immigrants arrive in their twenties
    /// and early thirties, CBS Immigratie naar leeftijd).
    pub immigrant_mean_age: Years,
    /// Probability per year that a household whose head is 18-64 emigrates, 0 ..= 1 (dated).
    /// Default 0.0085 (derived: CBS emigration of about 112 000 persons in 2015 over about
    /// 13,2 miljoen persons in such households).
    pub emigration_rate: Dated<YearlyRate>,
    /// A household with children at home emigrates at this multiple of `emigration_rate`.
    /// Default 0.5 (derived: minors are about a tenth of emigrants but a fifth of the
    /// population, CBS Emigratie naar leeftijd; with 1, net migration of children was about
    /// zero where CBS counts some 20 000 a year, and the children's stock fell 13% by 2030).
    pub emigration_family_factor: NonNegative,
    /// Probability per year that a young adult (18+) living with parents leaves home.
    /// Default 0.13 (derived: a median leaving age of about 23,5 years, CBS, means a yearly
    /// hazard of ln 2 / 5,5 from age 18).
    pub leave_home_rate: YearlyRate,
    /// Probability per year that a single adult aged 18-64 without children looks for a
    /// partner; those looking in the same month pair up within their gemeente, then within
    /// their jeugdregio, then nationally. Default 0.24 (assumption: keeps the singles, and with
    /// them facts.md P7's bijstand, as calibrated; households then grow about 21 000 a year
    /// 2015-2019 against CBS's 60 000, see reference.toml).
    pub partnering_rate: YearlyRate,
    /// Probability per year that a couple separates. Default 0.015 (derived: CBS about 35 000
    /// divorces plus about 30 000 ended cohabitations a year over about 4,4 miljoen couples).
    pub separation_rate: YearlyRate,
    /// Probability per year that a household moves to another gemeente. Default 0.035 (CBS:
    /// about 600 000 persons move between gemeenten a year, about 3,5%).
    pub move_rate: YearlyRate,
}

impl DemographyParams {
    /// Ranges narrower than the value types': the fertility curve within the fertile ages
    /// 15-49, a plausible Gompertz slope, life expectancy and total fertility.
    pub fn check(&self) -> Result<(), Invalid> {
        in_range(
            "fertility_mean_age",
            self.fertility_mean_age.get(),
            15.0,
            49.0,
            "a mean age of mothers at birth between 15 and 49",
        )?;
        in_range(
            "fertility_spread",
            self.fertility_spread.get(),
            1.0,
            15.0,
            "a spread between 1 and 15 years",
        )?;
        in_range(
            "mortality_slope",
            self.mortality_slope.get(),
            0.01,
            0.3,
            "a Gompertz slope between 0.01 and 0.3 per year of age",
        )?;
        for (key, le) in [
            ("life_expectancy_men", &self.life_expectancy_men),
            ("life_expectancy_women", &self.life_expectancy_women),
        ] {
            for &(_, v) in le.steps() {
                in_range(
                    key,
                    v.get(),
                    30.0,
                    110.0,
                    "a life expectancy between 30 and 110 years",
                )?;
            }
        }
        in_range(
            "immigrant_mean_age",
            self.immigrant_mean_age.get(),
            19.0,
            64.0,
            "a mean age of immigrants without children between 19 and 64",
        )?;
        for &(_, v) in self.total_fertility.steps() {
            in_range(
                "total_fertility",
                v.get(),
                0.0,
                10.0,
                "a total fertility rate between 0 and 10 children per woman",
            )?;
        }
        Ok(())
    }
}

/// `[needs]`: limitation severity (0-100) per citizen: onset, progression, recovery.
///
/// A limitation starts (onset) with a yearly hazard that rises exponentially with age; it
/// then progresses by a number of severity points a year that also rises with age, and mild
/// limitations can recover. Facts.md P1: about 4,6 miljoen people report a limitation that
/// hampers self-reliance; the defaults give about that many with severity >= 10.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedParams {
    /// Yearly onset hazard at age 65 for someone without a limitation. Default 0.12
    /// (assumption, calibrated to facts.md P1).
    pub onset_rate_65: YearlyRate,
    /// Relative rise of the onset hazard per year of age, > 0. Default 0.06 (assumption).
    pub onset_age_slope: Positive,
    /// Floor of the yearly onset hazard at young ages (congenital, accidents, psychological
    /// problems). Default 0.02 (assumption). At most `onset_rate_max`.
    pub onset_rate_min: YearlyRate,
    /// Ceiling of the yearly onset hazard at old ages. Default 0.5 (assumption).
    pub onset_rate_max: YearlyRate,
    /// Relative rise of the onset hazard for people living on bijstand or without income
    /// (the social gradient in health: limitations and psychological problems are much more
    /// common at low incomes, CBS/RIVM). Default 1.0 (assumption; it also sets how often
    /// Participatiewet clients use the Wmo, facts.md O16: 22%).
    pub poverty_effect: NonNegative,
    /// Health differs between gemeenten: the onset hazard is multiplied by the gemeente's persons
    /// with a disability benefit per 1 000 aged 15-64 relative to the national rate to this
    /// power (then scaled so that the nation's mean stays the same). CBS Kerncijfers wijken en
    /// buurten 2019 (data/gemeenten-2019-kenmerken.csv); built-in Netherlands only. Default 0.5
    /// (assumption: disability benefits vary about six-fold between gemeenten, self-reported
    /// health far less, RIVM Gezondheidsmonitor). 0 switches it off.
    pub local_health: NonNegative,
    /// Yearly relative change of the onset hazard by calendar year (from 2015): later cohorts
    /// reach old age healthier, as life expectancy rises. Default -0.015 (assumption, in line
    /// with the rise of CBS life expectancy in good health). Range -0.1 ..= 0.1.
    pub onset_trend: f64,
    /// Share of new limitations that are psychosocial or cognitive (rather than physical) below
    /// 65. Default 0.5 (assumption).
    pub mental_share_under_65: Share,
    /// The same share from 65 on (dementia). Default 0.25 (assumption).
    pub mental_share_65_plus: Share,
    /// Severity points a year a limitation progresses at age 80, > 0 (half that at 60,
    /// double at 100). Default 3.0 (assumption).
    pub progression_80: Positive,
    /// Yearly probability that a mild limitation (severity below `recovery_threshold`)
    /// recovers. Default 0.2 (assumption).
    pub recovery_rate: YearlyRate,
    /// Severity below which a limitation counts as mild and can recover (not a lifelong one,
    /// nor one of someone in the Wlz), 0-100. Default 30 (assumption).
    pub recovery_threshold: Severity,
    /// Extra severity points a month while waiting for Wmo help (facts.md MC57). Default 0.3
    /// (assumption).
    pub waiting_drift: NonNegative,
    /// Extra severity points a month while need is unmet. Default 0.1 (assumption).
    pub unmet_drift: NonNegative,
    /// What light help (algemene voorziening, huishoudelijke hulp, hulpmiddelen) does to later
    /// need (facts.md MC1): "prevention" slows progression, "none" has no effect, "suction"
    /// raises the chance of applying for more help. Default "none" (facts.md ZL3: no shift
    /// from heavy to light was seen).
    pub light_help_effect: LightHelpEffect,
    /// Strength of the chosen effect: the share by which prevention slows progression, or the
    /// relative rise in the chance to apply under suction. Default 0.3 (assumption).
    pub light_help_strength: Share,
    /// Mortality rises with severity: the death rate at severity 100 is exp(frailty) times that
    /// at 0, normalised per age and sex so the life table still holds. Default 4.0 (assumption;
    /// gives nursing-home stays of a few years).
    pub frailty: Positive,
    /// Share of a lifelong limitation's severity that counts for mortality: a stable
    /// disability from birth or childhood raises mortality, but far less than an acquired
    /// limitation of the same severity, which mostly comes with a progressing illness. Default
    /// 0.5 (assumption: people with an intellectual disability die two to three times as often
    /// at a given age; at the lifelong severities, 37-60, that is about half the acquired
    /// frailty). Before issue #24 it was 1, and deaths were 3% a year of the Wsw employees.
    pub lifelong_frailty: Share,
    /// Severity from 18 of the lifelong limitation of someone with a disability from birth or
    /// childhood (`participatie.loonwaarde.early_disability_share`) and a loonwaarde of 0; it
    /// falls linearly to 25 at a loonwaarde of 60. The young disabled and the former Wsw
    /// target group have limitations that call for Wmo support, which makes the overlap of
    /// Participatiewet and Wmo (facts.md O12: about half of Participatiewet clients have
    /// problems with daily activities; O16: 22% of klassieke bijstand use the Wmo). Default 60
    /// (assumption). Range 25 ..= 100.
    pub early_disability_severity: SeverityLevel,
}

impl NeedParams {
    /// The calendar trend and the severity of a lifelong limitation in range; the onset
    /// hazard's floor not above its ceiling.
    pub fn check(&self) -> Result<(), Invalid> {
        in_range(
            "onset_trend",
            self.onset_trend,
            -0.1,
            0.1,
            "a yearly relative change between -0.1 and 0.1",
        )?;
        let (min, max) = (self.onset_rate_min.get(), self.onset_rate_max.get());
        if min > max {
            return Err(Invalid::rule(
                &["onset_rate_min", "onset_rate_max"],
                "an onset hazard floor not above its ceiling (onset_rate_min <= onset_rate_max)",
                format!(
                    "onset_rate_min {}, onset_rate_max {}",
                    shown(min),
                    shown(max)
                ),
            ));
        }
        let eds = self.early_disability_severity.get();
        if eds < 25.0 {
            return Err(Invalid::new(
                "early_disability_severity",
                "a severity between 25 and 100",
                shown(eds),
            ));
        }
        Ok(())
    }
}

/// What light help does to later need (facts.md MC1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LightHelpEffect {
    /// Light help slows progression (secondary prevention).
    Prevention,
    /// No effect on later need.
    None,
    /// Light help draws in demand for more help (aanzuigende werking).
    Suction,
}

/// `[mantelzorg]`: carers are citizens linked to the people they help.
///
/// Each month a person whose need is not covered looks for a (further) carer: first the
/// partner, then people from their gemeente (standing for children, other family, friends,
/// neighbours). Willingness depends on the relationship, the carer's own health, work and
/// distance (facts.md MC26). Burden grows with hours and falls with time and respite; an
/// overloaded carer reduces or stops care and the need becomes formal demand (MC24, MC25).
/// Calibration: facts.md M1 (about 4,4 miljoen carers, a third of 16+) and M2 (about 750 000
/// intensive carers, > 8 h a week and > 3 months).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareParams {
    /// Share of citizens without a usable network (no carer but a partner; facts.md MC24).
    /// Default 0.2 (assumption).
    pub no_network_share: Share,
    /// Severity from which a person receives informal help, 0-100. Default 10 (assumption).
    pub need_threshold: Severity,
    /// Probability a month that someone with uncovered need asks one more person. Default 0.25
    /// (assumption).
    pub seek_rate: Share,
    /// Most carers one person has. 1 ..= 6. Default 4 (assumption).
    pub max_carers: u8,
    /// Willingness of a partner to take on care. Default 0.9 (assumption, MC26).
    pub willingness_partner: Share,
    /// Willingness of a family member (adult child). Default 0.42 (assumption, MC26).
    pub willingness_family: Share,
    /// Willingness of a friend or neighbour. Default 0.10 (assumption, MC26; with the hours,
    /// tuned to facts.md M1, M2).
    pub willingness_other: Share,
    /// Yearly relative change, from 2015, of the willingness of family, friends and neighbours
    /// (not partners): expectations of help from the own network fell from 40% (2015) to about
    /// a third (2017) (facts.md V5, M9; MC27). Default -0.05 (assumption in that direction, milder
    /// than the survey's fall). Range -0.5 ..= 0.5.
    pub willingness_trend: f64,
    /// Share of asked people who are family rather than friends or neighbours. Default 0.5
    /// (assumption).
    pub family_share: Share,
    /// Mean hours a week a partner gives. Default 9 (assumption, tuned to facts.md M2 with `hours_growth`).
    pub hours_partner: Positive,
    /// Mean hours a week a family member gives. Default 5 (assumption, tuned to M2).
    pub hours_family: Positive,
    /// Mean hours a week a friend or neighbour gives. Default 1.5 (assumption).
    pub hours_other: Positive,
    /// Burden points added a month per weekly hour of care. Default 0.35 (assumption).
    pub burden_per_hour: NonNegative,
    /// Burden points a carer recovers a month. Default 2.5 (assumption).
    pub burden_recovery: NonNegative,
    /// Extra burden points recovered a month when the person cared for gets ondersteuning
    /// thuis (dagbesteding, kortdurend verblijf: respite). Default 3 (assumption).
    pub respite_relief: NonNegative,
    /// Burden (0-100) above which a carer is overloaded. Default 60 (assumption).
    pub overload_threshold: Burden,
    /// Probability a month that an overloaded carer stops (otherwise hours are halved).
    /// Default 0.15 (assumption).
    pub stop_rate_overloaded: Share,
    /// Burden (0-100) from which a carer counts as heavily burdened (zwaar belast) in
    /// `carers_overloaded`: a survey's line, below the point where carers give up. Default 25
    /// (calibrated to facts.md N13: 14% of about 1,5 miljoen carers, about 218 000, in 2012).
    pub heavy_burden: Burden,
    /// Probability a month that a carer adds an hour a week of care while the person cared
    /// for still has need that informal care does not cover (and the carer is not
    /// overloaded): the network takes on more where others drop out or never came, so fewer
    /// carers means more burden per carer (facts.md MC24, MC28). Default 0.1 (assumption).
    pub hours_growth: Share,
    /// Probability a year that a care relationship ends for other reasons (moving, other
    /// obligations, someone else taking over). Default 0.25 (assumption: caring episodes last
    /// some years).
    pub end_rate: YearlyRate,
    /// Willingness of a family member, friend or neighbour below the AOW age (who may work)
    /// relative to one above it (work is a barrier, facts.md MC26). Default 0.8 (assumption).
    pub working_willingness: Share,
    /// Share of asked family members who live far away. Default 0.3 (assumption; the gemeente
    /// pool stands in for the whole network).
    pub far_family_share: Share,
    /// Willingness of family living far away relative to family nearby (distance is a barrier,
    /// facts.md MC26). Default 0.3 (assumption).
    pub far_family_willingness: Share,
}

impl CareParams {
    /// The willingness trend and the number of carers in range.
    pub fn check(&self) -> Result<(), Invalid> {
        in_range(
            "willingness_trend",
            self.willingness_trend,
            -0.5,
            0.5,
            "a yearly relative change between -0.5 and 0.5",
        )?;
        in_range(
            "max_carers",
            self.max_carers,
            1,
            6,
            "between 1 and 6 carers",
        )
    }
}

/// `[wmo]`: applying, the keukentafelgesprek, providers, co-payments.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WmoParams {
    /// Probability a month that someone with need wholly uncovered, fully aware and paying
    /// nothing applies. Default 0.03 (assumption, tuned to facts.md W6: about 1 miljoen users).
    pub apply_rate: Share,
    /// Share of people with need who know the Wmo route (facts.md R3/R4: eight in ten do not
    /// know client support). Default 0.36 (assumption; wijkteam outreach raises it, see
    /// `gemeente.outreach_effect`).
    pub awareness: Share,
    /// How strongly the co-payment relative to the value of the help deters applying: the
    /// chance is multiplied by exp(-price_sensitivity * copay / value). Default 2.0 (assumption;
    /// facts.md MC14).
    pub price_sensitivity: NonNegative,
    /// Price of buying comparable help privately, euros per hour: the value of help against
    /// which the co-payment is weighed. Default 22 (assumption: private household help).
    pub private_price_eur: Positive,
    /// Keukentafelgesprekken a gemeente can hold a month per 10 000 inhabitants. Default 45
    /// (assumption; a queue forms when applications exceed it).
    pub assessment_capacity: NonNegative,
    /// Months within which a gemeente must decide on a Wmo request: six weeks for the
    /// investigation after the melding and two for the decision after the aanvraag (Wmo 2015
    /// art. 2.3.2 lid 1 and 2.3.5 lid 3), so two months. Applicants who have waited this long
    /// are assessed even beyond the team's capacity (extra staff, overtime). 0: no term.
    pub decision_term_months: u8,
    /// Standard deviation of the assessor's reading of severity, points. Default 8
    /// (assumption; with the thresholds it gives facts.md R1's 3% rejections).
    pub assessment_noise: NonNegative,
    /// Points added to every threshold by the gemeente's strictness. Default 0.
    pub strictness: Dated<NonNegative>,
    /// Assessed severity below which an application is rejected, 0-100. Default 13
    /// (assumption, calibrated to facts.md R1: 3% of melders rejected).
    pub eligibility_threshold: Severity,
    /// Assessed severity below which the gemeente refers to an algemene voorziening rather
    /// than granting maatwerk, 0-100 (dated: from 2015 gemeenten refer more light cases to
    /// algemene voorzieningen, facts.md ZL1). Default 20 before 2015, 26 from 2015
    /// (assumption).
    pub light_threshold: Dated<Severity>,
    /// Own strength first: the share of the need that informal care must cover for the
    /// gemeente to refer someone back to their network (at assessment and reassessment), dated.
    /// The Wmo 2015 made "eigen kracht" the first question (facts.md MC24, M9). Default 1.0
    /// before 2015 and 0.75 from 2015 (assumption).
    pub network_cover: Dated<Share>,
    /// Share of assessments that ignore the carer's burden when weighing the network
    /// (facts.md MC25, M14: not discussed in almost four in ten conversations). Default 0.4.
    pub ignore_carer_burden: Share,
    /// Months before someone rejected or sent back to their network may apply again.
    /// Default 6 (assumption).
    pub reapply_months: u8,
    /// Probability a year that a user's maatwerk is reassessed (herindicatie): provisions the
    /// assessor no longer reads as needed under the thresholds in force end, and the user may
    /// apply again later (facts.md MC13). Default 0.3 (assumption).
    pub reassessment_rate: YearlyRate,
    /// Share of reassessed users whose help ends anyway (they moved, found a private or
    /// informal alternative, or no longer want it; facts.md MC13). Default 0.5 (assumption).
    pub leave_share: Share,
    /// Most a provider's capacity grows in a year when it has a waiting list (it shrinks by
    /// half that when it has spare capacity): providers follow demand, but staff shortages
    /// slow them. Default 0.03 (assumption).
    pub provider_growth: YearlyRate,
    /// Co-payment rules.
    pub copay: CoPayParams,
    /// Huishoudelijke hulp (facts.md W1).
    pub hh: ProvisionParams,
    /// Ondersteuning thuis: begeleiding, dagbesteding, kortdurend verblijf (facts.md W2).
    pub thuis: ProvisionParams,
    /// Hulpmiddelen en diensten: aids, housing and transport (facts.md W3).
    pub hulpmiddelen: ProvisionParams,
    /// Verblijf en opvang: beschermd wonen, maatschappelijke opvang (facts.md W4).
    pub verblijf: ProvisionParams,
    /// Algemene voorzieningen: open to all without assessment (facts.md W8).
    pub algemeen: ProvisionParams,
    /// Share of the weekly need hours that hulpmiddelen en diensten take over (aids,
    /// adaptations and transport do tasks without being counted in hours). Default 0.15
    /// (assumption).
    pub aids_need_share: Share,
    /// Severity points below the thresholds at which help in place ends, so that it does not
    /// flicker on and off around a threshold, 0-100. Default 5 (assumption).
    pub end_margin: u8,
    /// Providers grow (by `provider_growth`) when the waiting list left after admission in
    /// December exceeds this share of their capacity. Default 0.02 (assumption).
    pub provider_waiting_trigger: Share,
    /// Providers shrink (by half `provider_growth`) when they use less than this share of
    /// their capacity in December. Default 0.9 (assumption).
    pub provider_spare_trigger: Share,
}

/// The co-payment (eigen bijdrage) for Wmo maatwerk, per household.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoPayParams {
    /// Which rule is in force (dated): "income_dependent" (CAK schedule, 2015-2018) or "flat"
    /// (the abonnementstarief, from 2019). Default: income_dependent from 2015-01, flat from
    /// 2019-01 (facts.md AB1).
    pub rule: Dated<CoPayRule>,
    /// The abonnementstarief, euros per household per month (dated). Default 18.96 (2019:
    /// EUR 17,50 per four weeks) and 19.00 (from 2020) (public figures, Besluit
    /// maatschappelijke ondersteuning).
    pub flat_monthly_eur: Dated<NonNegative>,
    /// Income-dependent rule (Uitvoeringsbesluit Wmo 2015, art. 3.8; dated): the fixed
    /// contribution of a one-person household, euros per four weeks, paid at incomes up to the
    /// threshold. Default 19.40 (2015-2016) and 17.50 (2017-2018).
    pub minimum_per_period_eur: Dated<NonNegative>,
    /// The same for a couple whose head has reached the AOW age. Default 27.80 (2015-2016),
    /// 17.50 (2017-2018).
    pub minimum_per_period_couple_eur: Dated<NonNegative>,
    /// The same for a couple whose head is below the AOW age. Default 27.80 (2015-2016), 0
    /// (2017-2018: no fixed part for them).
    pub minimum_per_period_couple_young_eur: Dated<NonNegative>,
    /// Yearly income above which a one-person household below the AOW age pays more, euros
    /// (dated). Default 22 500 (rounded).
    pub income_threshold_eur: Dated<NonNegative>,
    /// The same for a one-person household at the AOW age (`participatie.aow_age`). Default
    /// 16 900 (2015-2016), 17 000 (2017-2018).
    pub income_threshold_aow_eur: Dated<NonNegative>,
    /// The same for a couple whose head is below the AOW age. Default 28 200 (2015-2016),
    /// 35 000 (2017-2018).
    pub income_threshold_couple_eur: Dated<NonNegative>,
    /// The same for a couple whose head has reached the AOW age. Default 23 400.
    pub income_threshold_couple_aow_eur: Dated<NonNegative>,
    /// Share of income above the threshold added to the yearly maximum contribution (dated).
    /// Default 0.15 (2015-2016), 0.125 (2017-2018).
    pub marginal_rate: Dated<Share>,
}

/// A co-payment rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoPayRule {
    /// Rises with income up to the full cost price (CAK, 2015-2018).
    IncomeDependent,
    /// One flat amount per household (abonnementstarief, 2019 on).
    Flat,
}

/// One Wmo provision type: who needs it, how much, what it costs, who supplies it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionParams {
    /// Severity from which this type is granted, 0-100 (dated: gemeenten tighten or widen
    /// access).
    pub threshold: Dated<Severity>,
    /// Hours a week per client under a per-trajectory contract (0 for aids and stays, which
    /// are not counted in hours).
    pub hours_per_week: NonNegative,
    /// Cost per hour (euros) for hour-based types, or per client per month for the others.
    pub tariff_eur: NonNegative,
    /// How the provider is paid: "per_hour", "per_trajectory" or "lump_sum" (facts.md MC34,
    /// F6: the three standard variants).
    pub contract: ContractForm,
    /// Provider capacity: clients (at the per-trajectory hours) per 1000 inhabitants of the
    /// purchasing region (dated). 0 = no capacity limit.
    pub capacity_per_1000: Dated<NonNegative>,
}

/// How a provider is paid (facts.md MC34).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractForm {
    /// Inspanningsgericht: per hour delivered; providers supply more hours per client.
    PerHour,
    /// Outputgericht: a fee per client per month.
    PerTrajectory,
    /// Taakgericht: a lump sum for the task, whatever the use; providers economise on hours.
    LumpSum,
}

impl ContractForm {
    /// Hours supplied per client relative to a per-trajectory contract (facts.md MC34:
    /// "who pays by the hour gets hour-based supply"). Assumption: +15% per hour, -10% lump sum.
    pub fn hours_factor(self) -> f64 {
        match self {
            ContractForm::PerHour => 1.15,
            ContractForm::PerTrajectory => 1.0,
            ContractForm::LumpSum => 0.9,
        }
    }
}

/// `[wlz]`: the boundary with national long-term care (facts.md MC12, MC30-MC32, WLZ1-6).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WlzParams {
    /// Severity from which a citizen qualifies for the Wlz (permanent supervision or 24-hour
    /// care nearby), 0-100 (dated). Default 84 before 2015, 88 from 2015 (assumption).
    pub threshold: Dated<SeverityLevel>,
    /// Nursing-home and other Wlz places, persons nationally (dated). Default 170 000
    /// (assumption near CBS/CIZ figures for Wlz care with stay around 2016; facts.md gives none).
    pub places: Dated<NonNegative>,
    /// Most the Wlz's places grow a year while people wait for one (dated): the Wlz is an
    /// entitlement and zorgkantoren contract more care as indications grow, as fast as
    /// building and staff allow (facts.md WLZ2: nursing-home capacity is short). Places are
    /// `places` times the growth so far. Default 0 before 2018 (facts.md F11, T31: long-term
    /// care spending flattened 2010-2017 as fewer were admitted), 0.03 from 2018 (assumption).
    pub places_growth: Dated<NonNegative>,
}

/// `[jeugd]`: youth problems (0-22), parenting stress, routes in, care and protection.
///
/// Each child has a problem severity (0-100) that arises with a hazard rising with household
/// parenting stress, progresses while untreated, and resolves; stress rises with income
/// insecurity. Children with problems reach care through the GP, school, a specialist, the
/// wijkteam (the only route the gemeente controls, facts.md MC6) or the court. Calibration:
/// facts.md J2, J4, J5, J6, P12.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JeugdParams {
    /// Yearly onset hazard of a youth problem at average stress. Default 0.0262 (assumption,
    /// calibrated to facts.md J2, J6).
    pub onset_rate: YearlyRate,
    /// Relative rise of the onset hazard per 50 points of parenting stress. Default 3.0
    /// (assumption).
    pub stress_effect: NonNegative,
    /// Parenting stress (0-100) of households with children, before income insecurity.
    /// Default 25 (assumption).
    pub base_stress: NonNegative,
    /// Stress points added for households below 60% of the median income (income insecurity,
    /// facts.md MC59). Default 30 (assumption).
    pub low_income_stress: NonNegative,
    /// Stress points added for households where a parent has problematic debts (facts.md
    /// MC59; debts come from the Participatiewet part). Default 15 (assumption).
    pub debt_stress: NonNegative,
    /// Relative rise of the onset hazard for a child whose sibling has a problem
    /// (severity 20 or more): siblings share causes, so problems cluster in families (facts.md
    /// J2: 1,24 children per household with jeugdhulp). Default 4 (assumption).
    pub sibling_risk: NonNegative,
    /// Severity points a year an untreated problem progresses. Default 8 (assumption).
    pub progression: NonNegative,
    /// Yearly probability that a mild problem (severity below 40) resolves without help.
    /// Default 0.35 (assumption).
    pub recovery_rate: YearlyRate,
    /// Extra severity points a month while waiting for care (facts.md MC57). Default 0.5
    /// (assumption).
    pub waiting_drift: NonNegative,
    /// Extra severity points a month when the help is too light for the problem (wijkteam
    /// help for a problem above the specialist threshold; facts.md MC5). Default 0.5
    /// (assumption).
    pub too_light_drift: NonNegative,
    /// Severity from which a problem can be referred, 0-100. Default 25 (assumption).
    pub referral_threshold: Severity,
    /// Severity from which a referral leads to specialist (ambulant) rather than wijkteam
    /// help, 0-100. Default 45 (assumption).
    pub specialist_threshold: Severity,
    /// Severity from which jeugdhulp met verblijf is indicated, 0-100. Default 50 (assumption).
    pub verblijf_threshold: Severity,
    /// Severity from which safety concerns can lead to a court order, 0-100. Default 40
    /// (assumption).
    pub safety_threshold: Severity,
    /// Monthly referral probability by the GP for a child with a problem above the referral
    /// threshold (most trajectories start there, facts.md J9). Default 0.07 (assumption).
    pub referral_gp: Share,
    /// The same for school (ages 4-17). Default 0.03 (assumption).
    pub referral_school: Share,
    /// The same for a medical specialist. Default 0.01 (assumption).
    pub referral_specialist: Share,
    /// Extra monthly referral probability (through the specialist route) for a child whose
    /// sibling is in jeugdhulp: the helpers see the whole family (facts.md J2: 1,24 children
    /// per household). Default 0.3 (assumption).
    pub sibling_referral: Share,
    /// The same for the wijkteam (the gemeente's own route). Default 0.015 (assumption).
    pub referral_wijkteam: Share,
    /// Yearly relative rise of referral propensity at constant problems (normative drift,
    /// facts.md MC9). Default 0 (assumption).
    pub referral_drift: NonNegative,
    /// Severity points a year by which the referral threshold falls from 2015 (and rose before):
    /// help becomes usual for lighter problems (normative drift, facts.md MC9). Default 1.5
    /// (assumption). Range -10 ..= 10.
    pub threshold_drift: f64,
    /// Providers marketing free intakes through schools: the school route is multiplied by
    /// (1 + marketing), doubled for the top income quintile (facts.md MC7, MC8). Default 0.
    pub marketing: Dated<NonNegative>,
    /// Monthly probability of a court order (OTS or voogdij) for a child under 18 above the
    /// safety threshold, at parenting stress 50 (it scales with the square of stress / 50).
    /// Default 0.3 (assumption, calibrated to facts.md J4, P12).
    pub court_rate: Share,
    /// Share of protection orders that come with a placement outside the home (foster care or
    /// residential care, counted as jeugdhulp met verblijf). Default 0.6 (assumption).
    pub placement_share: Share,
    /// Monthly probability of a jeugdreclassering measure for a youth aged 12-22 at or above
    /// `jr_threshold`. Default 0.182 (assumption, calibrated to facts.md J5).
    pub jr_rate: Share,
    /// Severity of a youth problem, 0-100, from which offending can lead to a
    /// jeugdreclassering measure (at `jr_rate` a month). Assumption, calibrated to facts.md J5.
    pub jr_threshold: Severity,
    /// Yearly relative change of the jeugdreclassering rate (falling youth crime, facts.md J5).
    /// Default -0.015 (assumption). Range -0.5 ..= 0.5.
    pub jr_trend: f64,
    /// Share of youths in jeugdhulp at 18 whose help continues (up to 23). Default 0.4
    /// (assumption; facts.md Y1: 11 000 of 20 000 continued).
    pub continue_after_18: Share,
    /// Purchasing of specialist care (ambulant, verblijf) and GIs: "regional" (per jeugdregio)
    /// or "local" (per gemeente; small gemeenten pay more and pool less, facts.md MC39).
    /// Default "regional".
    pub purchasing: Purchasing,
    /// Price premium for local purchasing in a gemeente of 10 000 inhabitants, falling with
    /// the square root of size (none from 100 000). Default 0.3 (assumption, MC39).
    pub local_premium: NonNegative,
    /// Months within which a child under a new protection measure must be seen by the GI to
    /// count as seen in time (facts.md WL2). Default 1 (assumption).
    pub jb_in_time_months: u8,
    /// Spread (standard deviation of the log) of GI staffing between jeugdregio's: each
    /// region's GI capacity (jeugdbescherming, jeugdreclassering) is the planned capacity times
    /// a log-normal factor with mean 1, drawn once per run. Staff shortages differ between
    /// regions (facts.md WL3), so some regions have lasting queues. Default 0.3 (assumption).
    pub gi_staffing_spread: NonNegative,
    /// Help from the wijkteam.
    pub wijkteam: YouthCareParams,
    /// Ambulant jeugdhulp.
    pub ambulant: YouthCareParams,
    /// Jeugdhulp met verblijf.
    pub verblijf: YouthCareParams,
    /// Jeugdbescherming by gecertificeerde instellingen.
    pub jb: YouthCareParams,
    /// Jeugdreclassering by gecertificeerde instellingen.
    pub jr: YouthCareParams,
    /// Probability a month of a crisis at home that raises a household's parenting stress.
    /// Default 0.01 (assumption).
    pub stress_shock_rate: Share,
    /// Stress points (0-100) such a crisis adds. Default 30 (assumption).
    pub stress_shock_points: NonNegative,
}

impl JeugdParams {
    /// The trends in range, and the severity thresholds in the order of the care they lead
    /// to: referral, then specialist help, then verblijf.
    pub fn check(&self) -> Result<(), Invalid> {
        in_range(
            "threshold_drift",
            self.threshold_drift,
            -10.0,
            10.0,
            "a drift between -10 and 10 severity points a year",
        )?;
        in_range(
            "jr_trend",
            self.jr_trend,
            -0.5,
            0.5,
            "a yearly relative change between -0.5 and 0.5",
        )?;
        let (r, s, v) = (
            self.referral_threshold,
            self.specialist_threshold,
            self.verblijf_threshold,
        );
        if !(r <= s && s <= v) {
            return Err(Invalid::rule(
                &[
                    "referral_threshold",
                    "specialist_threshold",
                    "verblijf_threshold",
                ],
                "severity thresholds in the order referral_threshold <= specialist_threshold <= verblijf_threshold",
                format!("referral_threshold {r}, specialist_threshold {s}, verblijf_threshold {v}"),
            ));
        }
        Ok(())
    }
}

/// How specialist youth care is purchased (facts.md MC39).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchasing {
    /// Per jeugdregio: capacity pooled over the region.
    Regional,
    /// Per gemeente: each gemeente buys its own places.
    Local,
}

/// One form of youth care.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YouthCareParams {
    /// Places per 1000 inhabitants of the purchasing unit (dated). 0 = no limit.
    pub capacity_per_1000: Dated<NonNegative>,
    /// Cost per client per month, euros.
    pub tariff_eur: NonNegative,
    /// Mean months a trajectory or measure lasts.
    pub duration_months: Positive,
    /// Severity points a month the help takes off the problem.
    pub effect: NonNegative,
}

/// `[participatie]`: work and income (Participatiewet, Wajong, Wsw; facts.md PW1-PW11,
/// E4-E13, MC15-MC23).
///
/// Every citizen from 18 to the AOW age has a labour status and a loonwaarde (wage value,
/// 0-100% of the minimum wage a worker earns by their own production). Regular jobs are found
/// and lost with hazards that follow the macro unemployment rate; people with a reduced
/// loonwaarde work only through a limited pool of willing employers, with a wage-cost
/// subsidy or a jobcoach, or in sheltered work (Wsw, beschut werk). The gemeente chooses an
/// instrument per client by weighing its own cost against the bijstand it expects to save
/// (BUIG: surplus kept, deficit borne).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipatieParams {
    /// Macro unemployment rate, share of the labour force (dated). Default: CBS yearly
    /// averages 2005-2024, rounded (5.9% in 2005, 7.4% in 2014, 3.4% in 2019, 3.7% from 2024).
    pub unemployment: Dated<Share>,
    /// Unemployment rate at which the job finding and loss rates below hold. Default 0.06
    /// (assumption: about the 2005-2019 mean).
    pub reference_unemployment: Share,
    /// Elasticity of job finding (and, inversely, job loss and employer vacancies) to the
    /// unemployment rate: rates scale with (reference / unemployment)^elasticity. Default 0.5
    /// (assumption).
    pub macro_elasticity: NonNegative,
    /// Yearly probability that an unemployed person at distance 0 finds a regular job, at the
    /// reference unemployment. Default 0.75 (assumption, calibrated to the bijstand stock,
    /// facts.md P7, and job chance, E4).
    pub job_finding_rate: YearlyRate,
    /// Yearly probability that an employee loses the job, at the reference unemployment.
    /// Default 0.07 (assumption, calibrated to the bijstand stock, facts.md P7).
    pub job_loss_rate: YearlyRate,
    /// Relative rise of the job-loss hazard per 10 severity points of a limitation above 10:
    /// people who fall ill or become limited lose work more often and, without a disability
    /// benefit, end in bijstand; this makes the overlap of bijstand and the Wmo (facts.md O12:
    /// about half of Participatiewet clients have problems with daily activities; O16: 22% of
    /// klassieke bijstand use the Wmo). Default 0 (off; a hypothesis to switch on, see
    /// docs/calibration.md).
    pub limitation_job_loss: NonNegative,
    /// Distance to the labour market added per year out of work (scarring); the job finding
    /// hazard falls as exp(-distance). Default 0.9 (assumption).
    pub scarring: NonNegative,
    /// What adds to the distance to the labour market.
    pub distance: DistanceParams,
    /// Mean months of unemployment insurance (WW, UWV) before someone still without work
    /// turns to the gemeente. Default 12 (assumption; WW lasts 3-24 months by work history).
    pub ww_months: Positive,
    /// Pension (AOW) age in years (dated). Default: 65 to 2012, rising to 67 in 2024 and 67.25
    /// in 2028 (Algemene Ouderdomswet, rounded to months).
    pub aow_age: Dated<Years>,
    /// Share of 18-year-olds (other than the young disabled) still in education. Default 0.85
    /// (assumption near CBS onderwijsdeelname).
    pub education_at_18: Share,
    /// Yearly probability of leaving education for someone 18-29 in it. Default 0.22
    /// (assumption: a median leaving age near 21-22).
    pub education_exit_rate: YearlyRate,
    /// Share of school leavers who go straight into a job. Default 0.75 (assumption).
    pub school_to_job: Share,
    /// Yearly probability that an employee leaves the labour force for other reasons (care,
    /// household). Default 0.006 (assumption).
    pub inactivity_rate: YearlyRate,
    /// Yearly probability that someone outside the labour force starts looking for work.
    /// Default 0.2 (assumption).
    pub return_rate: YearlyRate,
    /// Share of unemployed people without a right to bijstand (the household means test) who
    /// register as niet-uitkeringsgerechtigd werkzoekend (nugger); the rest leave the labour
    /// force. Default 0.026 (assumption, calibrated to facts.md P8).
    pub nugger_share: Share,
    /// Yearly probability that someone leaves bijstand for another income than work (a
    /// disability benefit, maintenance, a partner's income). Default 0.16 (assumption: about
    /// half of the outflow from bijstand is not to work, CBS).
    pub bijstand_other_exit: YearlyRate,
    /// Age from which a young adult living with parents can get bijstand of their own
    /// (below it the parents' duty of maintenance comes first). Default 21 (Participatiewet).
    pub bijstand_own_age: u8,
    /// Share of adult immigrants who arrive as asylum status holders and start in bijstand
    /// (dated). Default 0.1 (assumption: about a tenth of immigration was asylum-related in
    /// 2015-2019, CBS).
    pub immigrant_bijstand_share: Dated<Share>,
    /// Loonwaarde (wage value) at 18, by cause.
    pub loonwaarde: LoonwaardeParams,
    /// Problematic debts: onset and resolution (facts.md MC23, MC59).
    pub debts: DebtParams,
    /// The rules: Wsw, Wajong, beschut werk obligation, banenafspraak (dated).
    pub rules: ParticipatieRules,
    /// Employers: a limited pool with willingness and slots for workers with a reduced
    /// loonwaarde (facts.md MC19, MC20, E12, E13).
    pub employers: EmployerParams,
    /// The gemeente's choice of instrument (facts.md MC15-MC17, MC21).
    pub gemeente: GemeenteChoiceParams,
    /// Instruments and benefits: costs and effects.
    pub instruments: InstrumentParams,
    /// Income: what work, benefits and pensions bring a household (net, euros a year).
    pub income: IncomeParams,
    /// Jobs: their quality (temporary contracts) and who takes a job offered (facts.md E4,
    /// E6, E7, MC18, MC22).
    pub jobs: JobParams,
}

/// `[participatie.jobs]`: temporary contracts, and how the income a job brings decides who
/// takes one at the pool employers (issue #25).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobParams {
    /// Share of jobs started from outside work that are temporary. Default 0.6 (assumption
    /// near CBS: most people who find work start on a flexible contract).
    pub temporary_share: Share,
    /// Yearly probability that a temporary job ends (the contract is not renewed): the worker
    /// is unemployed again. Default 0.2 (assumption near CBS: about one in six flexible
    /// workers is without work a year later).
    pub temporary_end_rate: YearlyRate,
    /// Yearly probability that a temporary job becomes permanent. Default 0.25 (assumption
    /// near CBS: about a quarter of flexible workers have a permanent contract a year later).
    pub temporary_conversion_rate: YearlyRate,
    /// The yearly net gain of one's own income at which a job offered at a pool employer is
    /// always taken; below it the chance falls in proportion, and without gain nobody takes it
    /// (facts.md MC22: taking work means income insecurity). A bijstand recipient must take
    /// suitable work (Participatiewet art. 9). Default 3 000 (assumption).
    pub reservation_gain_eur: Positive,
    /// A temporary job's gain counts for this share: after it the benefit has to be applied
    /// for again (facts.md MC22, VNG 2019). Default 0.5 (assumption).
    pub temporary_discount: Share,
    /// Monthly chance that UWV puts a Wajonger with capacity to work forward to pool
    /// employers. Default 1 (assumption: UWV mediates them all, as the model did before).
    pub uwv_mediation: Share,
    /// Monthly chance that a jobseeker without a benefit (a nugger; the young disabled since
    /// the Wajong closed) looks for work at the pool employers; those with a benefit look at
    /// `employers.self_search`. Default 0.5 (assumption on the size; facts.md E7, MC18: without
    /// a benefit to fall back on the young disabled look for and take work more often, SCP
    /// 2020 section 4.1.3).
    pub search_without_benefit: Share,
}

/// `[participatie.income]`: the household's income as a flow that follows its adults'
/// statuses each month (issue #25): wages from earnings and hours (at least the minimum wage,
/// with LKS topping up), WW, bijstand by household norm, the Wajong, the Wsw wage, AOW and a
/// pension; equivalised by the CBS scale. Net euros a year, 2015 levels (the model's money is
/// in 2015 prices).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeParams {
    /// Median net earnings of a worker in a full-time job, euros a year. Default: an
    /// assumption fitted so that the median standardised household income is CBS's 23 500
    /// (2015).
    pub earnings_median_eur: Positive,
    /// Standard deviation of log earnings. Default: an assumption fitted to CBS's Gini of
    /// disposable household income (0.29 around 2015).
    pub earnings_spread: Positive,
    /// Net minimum wage for a full-time job, euros a year, with holiday pay. Default 17 000
    /// (derived: WML 1 January 2015 EUR 1 501,80 gross a month plus 8% holiday pay, net of tax
    /// and premiums with the heffingskortingen).
    pub minimum_wage_eur: Positive,
    /// Hours of a part-time job as a share of a full-time one. Default 0.6 (assumption near
    /// CBS: part-timers work about 22 of 36 hours).
    pub part_time_hours: Share,
    /// Share of women's jobs that are part-time. Default 0.74 (CBS, employed women working
    /// fewer than 35 hours a week, 2015, rounded).
    pub part_time_women: Share,
    /// Share of men's jobs that are part-time. Default 0.27 (CBS, as for women).
    pub part_time_men: Share,
    /// WW as a share of the net earnings it replaces. Default 0.75 (derived: 75% of the gross
    /// daily wage in the first two months, 70% after, more of the net wage under progressive
    /// tax).
    pub ww_replacement: Share,
    /// Bijstand norm for a single adult of 21 or older, euros a year. Default 11 673
    /// (Participatiewet art. 21, norm 1 January 2015: EUR 972,74 a month with holiday pay).
    pub bijstand_single_eur: NonNegative,
    /// Bijstand norm for a couple, euros a year. Default 16 676 (Participatiewet art. 21,
    /// norm 1 January 2015: EUR 1 389,63 a month with holiday pay).
    pub bijstand_couple_eur: NonNegative,
    /// Bijstand norm for a single adult of 18-20, euros a year. Default 2 830 (Participatiewet
    /// art. 20, jongerennorm 1 January 2015: about EUR 236 a month).
    pub bijstand_young_eur: NonNegative,
    /// Wsw wage, net euros a year. Default 18 000 (assumption: the CAO Wsw's scales start at
    /// the minimum wage, with seniority).
    pub wsw_wage_eur: NonNegative,
    /// AOW of a single pensioner, net euros a year. Default 13 200 (SVB, AOW 2015 with
    /// holiday pay, net, rounded).
    pub aow_single_eur: NonNegative,
    /// AOW of each partner of a couple, net euros a year. Default 9 100 (SVB, AOW 2015 with
    /// holiday pay, net, rounded).
    pub aow_couple_eur: NonNegative,
    /// A pensioner's supplementary pension as a share of their net earnings while working.
    /// Default: an assumption fitted so that households whose head is 65 or older have a
    /// median income of about 0.85 times the nation's (CBS income by age of the main earner).
    pub pension_share: Share,
    /// A woman's supplementary pension relative to a man's with the same earnings: the
    /// careers of the cohorts now retired (part-time, years out of work). Default 0.4
    /// (assumption near CBS: women's supplementary pension income is well under half of
    /// men's).
    pub pension_women: Share,
    /// A student heading their own household, net euros a year. Default 9 000 (assumption:
    /// DUO's student finance with a loan and a side job).
    pub student_eur: NonNegative,
    /// A disability benefit (WIA) as a share of the earnings it replaces, for someone outside
    /// the labour force who could work at 18 and whose limitation now keeps them from regular
    /// work. Default 0.7 (derived: WIA pays 70-75% of the last wage up to the maximum).
    pub disability_replacement: Share,
    /// Kinderbijslag per child at home, euros a year. Default 930 (SVB 2015: EUR 191,65 to
    /// 273,78 a quarter by age, the mean over 0-17).
    pub child_benefit_eur: NonNegative,
    /// Income-dependent allowances at the social minimum: zorgtoeslag of a single adult,
    /// euros a year. Default 927 (Belastingdienst, zorgtoeslag 2015, maximum). Huurtoeslag is
    /// left out: the model does not know who rents.
    pub allowances_single_eur: NonNegative,
    /// Zorgtoeslag of a couple, euros a year. Default 1 763 (Belastingdienst 2015, maximum).
    pub allowances_couple_eur: NonNegative,
    /// Kindgebonden budget per child at home at a low income, euros a year. Default 1 017
    /// (Belastingdienst 2015, the maximum for one child; further children get less).
    pub allowances_child_eur: NonNegative,
    /// The allowances fall by this share of every euro of household income above the net
    /// minimum wage. Default 0.1 (derived: zorgtoeslag ends near EUR 27 000 for a single and
    /// EUR 35 000 for a couple in 2015, the kindgebonden budget falls by 6,75% of income).
    pub allowances_taper: Share,
    /// The low-income line as a share of the median standardised income of persons: the
    /// poverty shares count persons below it. Default 0.6 (the at-risk-of-poverty line of
    /// Eurostat and CBS).
    pub low_income_median_share: Share,
}

impl ParticipatieParams {
    /// The loonwaarde bounds in order.
    pub fn check(&self) -> Result<(), Invalid> {
        self.loonwaarde.check().map_err(|e| e.within("loonwaarde"))
    }
}

/// `[participatie.distance]`: what adds to a person's distance to the labour market.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistanceParams {
    /// Age 55 or over. Default 1.0 (assumption).
    pub older: NonNegative,
    /// A psychological limitation. Default 0.7 (assumption; facts.md E2: a sixth of people
    /// with a severe psychological disorder work).
    pub mental: NonNegative,
    /// A mild intellectual disability (LVB). Default 0.7 (assumption).
    pub lvb: NonNegative,
    /// Problematic debts: work readiness comes after debts (facts.md MC23). Default 0.7
    /// (assumption).
    pub debt: NonNegative,
    /// An asylum status holder in the first years after arrival (language, inburgering,
    /// qualifications not recognised), falling to nothing over [`NEWCOMER_MONTHS`] out of
    /// work (the scarring takes over). Default: an assumption fitted to facts.md N6.
    pub newcomer: NonNegative,
    /// The gemeente's labour market: distance added per unit of the log of its persons with
    /// bijstand per 1 000 aged 15-64 against the national rate (CBS Kerncijfers wijken en
    /// buurten 2019; only where the geography has CBS profiles, the built-in Netherlands).
    /// Default 1.0 (assumption: the gap in full, so that job finding is proportionally lower
    /// where bijstand is higher).
    pub local_labour_market: NonNegative,
}

/// Months over which an asylum status holder's extra distance to work falls to nothing: the
/// three-year inburgering term (Wet inburgering 2013).
pub const NEWCOMER_MONTHS: f64 = 36.0;

/// `[participatie.loonwaarde]`: wage value at 18 by cause; a limitation lowers it later.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoonwaardeParams {
    /// Share of people with a mild intellectual disability (LVB). Default 0.065 (facts.md P2).
    pub lvb_share: Share,
    /// Lowest loonwaarde of someone with LVB (drawn uniformly from here to 100). Default 60
    /// (assumption).
    pub lvb_min: Loonwaarde,
    /// Share with a disability from birth or childhood that lowers the loonwaarde (drawn
    /// uniformly from 0 to 60). Default 0.02 (assumption; with lvb_share it sets the yearly
    /// young-disabled inflow, facts.md P10: about 10 000 a year).
    pub early_disability_share: Share,
    /// Loonwaarde points lost per severity point of a limitation above 20. Default 0.8
    /// (assumption).
    pub severity_effect: NonNegative,
    /// Loonwaarde points lost with a psychological limitation. Default 10 (assumption).
    pub mental_effect: NonNegative,
    /// Loonwaarde from which someone works in a regular job without support. Default 80
    /// (assumption; the banenafspraak doelgroep earns less than the minimum wage).
    pub regular: Loonwaarde,
    /// Loonwaarde below which someone can only work in adapted conditions (the former Wsw
    /// target group; beschut werk). Default 40 (assumption).
    pub sheltered: Loonwaarde,
    /// Loonwaarde below which someone has no capacity to work (full Wajong). Default 10
    /// (assumption).
    pub no_capacity: Loonwaarde,
}

impl LoonwaardeParams {
    /// The bounds in order: no capacity to work below `no_capacity`, sheltered work below
    /// `sheltered`, a regular job without support from `regular`.
    pub fn check(&self) -> Result<(), Invalid> {
        let (n, s, r) = (
            self.no_capacity.get(),
            self.sheltered.get(),
            self.regular.get(),
        );
        if !(n <= s && s <= r) {
            return Err(Invalid::rule(
                &["no_capacity", "sheltered", "regular"],
                "loonwaarde bounds in the order no_capacity <= sheltered <= regular",
                format!(
                    "no_capacity {}, sheltered {}, regular {}",
                    shown(n),
                    shown(s),
                    shown(r)
                ),
            ));
        }
        Ok(())
    }
}

/// `[participatie.debts]`: problematic debts (facts.md MC23, MC59).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtParams {
    /// Yearly probability of getting problematic debts while on a low income (bijstand, nugger,
    /// WW). Default 0.08 (assumption).
    pub onset_low_income: YearlyRate,
    /// The same while working. Default 0.01 (assumption).
    pub onset_working: YearlyRate,
    /// Yearly probability that debts are resolved (schuldhulpverlening, income). Default 0.25
    /// (assumption).
    pub resolve_rate: YearlyRate,
}

/// `[participatie.rules]`: the law, dated so a scenario can open or close schemes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipatieRules {
    /// Wsw open to new inflow (with a waiting list) (dated). Default: open until 2014, closed
    /// from 2015-01 (Participatiewet).
    pub wsw_open: Dated<bool>,
    /// Wsw places funded by the Rijk, persons nationally (dated; only matters while open).
    /// Default 100 000 (CBS/Cedris: about 100 000 Wsw employees at the end of 2014, rounded).
    pub wsw_places: Dated<NonNegative>,
    /// Wajong open to young disabled with capacity to work (dated). Default: open until 2014,
    /// closed from 2015-01 (Participatiewet; Wajong 2015 only for people without capacity).
    pub wajong_open: Dated<bool>,
    /// Beschut werk places every gemeente must offer together, persons nationally (dated; 0 =
    /// no obligation). Default 0 until 2016, then rising by about 1 600 to 2 000 a year (the
    /// Rijk's taakstelling from 2017, facts.md G27, PW4; the path is an assumption).
    pub beschut_obligation: Dated<NonNegative>,
    /// Extra jobs for the banenafspraak doelgroep at employers, persons nationally (dated):
    /// slots added to willing employers. Default from 0 (2015) to 125 000 (2026) (facts.md
    /// PW10, the target; a scenario can set what is realised).
    pub banenafspraak_jobs: Dated<NonNegative>,
    /// Months a young disabled person waits for the UWV assessment that puts them in the
    /// doelgroepregister (needed for an LKS unless the gemeente mediates). Default 9
    /// (assumption: application, an assessment of up to eight weeks, and registration).
    pub assessment_months: u8,
    /// The doelgroep has a right to a wage-cost subsidy (LKS) when an employer hires them, paid
    /// by the gemeente (Participatiewet art. 10d) (dated). Default true.
    pub lks_entitlement: Dated<bool>,
}

/// `[participatie.employers]`: the pool of employers for workers with a reduced loonwaarde.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployerParams {
    /// Employers with staff per 1000 inhabitants that could take on such a worker. Default 5
    /// (assumption near CBS: about 90 000 firms with 5 or more employees).
    pub per_1000: NonNegative,
    /// Share willing to employ the target groups. Default 0.55 (facts.md E12: a small
    /// majority).
    pub willing_share: Share,
    /// Mean slots for target-group workers at a willing employer (before the banenafspraak).
    /// Default 1.5 (assumption; facts.md E12: at most a third employ).
    pub slots: NonNegative,
    /// Yearly probability that a free slot has a vacancy, at the reference unemployment.
    /// Default 0.85 (assumption).
    pub vacancy_rate: YearlyRate,
    /// Monthly probability that a candidate whom neither the gemeente nor UWV mediates is
    /// looking on their own. Default 0.25 (assumption).
    pub self_search: Share,
    /// Score points an employer deducts for a psychological limitation or LVB: placements go
    /// to candidates with a physical limitation and a small distance first (facts.md MC19,
    /// E13). Default 15 (assumption).
    pub mental_penalty: NonNegative,
    /// Yearly probability that a placement breaks down because one party stops its effort
    /// (facts.md MC20), without a jobcoach. Default 0.45 (assumption, with facts.md E6).
    pub break_rate: YearlyRate,
    /// Factor on the break rate with a jobcoach (begeleid werk). Default 0.5 (assumption).
    pub coach_factor: NonNegative,
    /// Factor on the break rate when the worker or employer loses support: for a placement
    /// whose subsidy the gemeente stops. Default 3 (assumption, facts.md MC20).
    pub unsupported_factor: NonNegative,
    /// Score points a jobcoach adds for an employer (the coach takes over part of the
    /// supervision). Default 10 (assumption).
    pub coach_bonus: NonNegative,
    /// Factor on the monthly placement chance the gemeente expects for a client mediated with
    /// a jobcoach, against mediation with a wage-cost subsidy alone. Default 1.5 (assumption).
    pub coach_placement_factor: NonNegative,
}

/// `[participatie.gemeente]`: how the gemeente picks an instrument per client.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GemeenteChoiceParams {
    /// Months ahead over which the gemeente weighs cost against saved bijstand. Default 24
    /// (assumption).
    pub horizon_months: Positive,
    /// Share of a bijstand benefit the gemeente bears at the margin (BUIG: a surplus is the
    /// gemeente's, a deficit is borne by it; facts.md MC15). Default 1.0.
    pub buig_share: Share,
    /// Value the gemeente puts on a month of a client's participation (in work or in an
    /// instrument) beyond the money, euros (its social goals). Default 70 (assumption, calibrated to facts.md PW6: 41% of klassieke
    /// bijstand in a trajectory).
    pub social_value_eur: NonNegative,
    /// Spread (standard deviation of the log) of the professional's judgement of what an
    /// instrument brings for a client: the same kind of client does not always get the same
    /// instrument. Default 0.7 (assumption).
    pub judgement_spread: NonNegative,
    /// Monthly probability that a bijstand client with obligations is sanctioned (benefit cut
    /// for three months). Default 0.005 (assumption; facts.md MC21: professionals under-
    /// sanction).
    pub sanction_rate: Share,
    /// Share of the benefit cut by a sanction. Default 0.2 (assumption).
    pub sanction_cut: Share,
    /// Probability that a sanction pushes the household into problematic debts, which delays
    /// work (the backfire of facts.md MC21). Default 0.3 (assumption).
    pub sanction_debt_risk: Share,
    /// Months between the gemeente's reviews of a client's instrument: mediation lasts this
    /// long before a review, and a client without an instrument is looked at again after it.
    /// Default 12 (assumption: a yearly review).
    pub review_months: Positive,
    /// Share of gemeenten that approach the young disabled UWV signals to them and put them in
    /// the doelgroepregister at once, instead of after UWV's assessment
    /// (`rules.assessment_months`) (dated). Default: none before 2015, rising to 0.3 in 2018
    /// (facts.md A13: a minority of gemeenten, about 2018; the path and share are
    /// assumptions). Each gemeente's choice is drawn from the scenario's seed.
    pub young_disabled_outreach: Dated<Share>,
}

/// `[participatie.instruments]`: costs (euros a month) and effects of instruments and
/// benefits. Costs are assumptions near public figures where named; facts.md gives none
/// (section 19).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentParams {
    /// Bijstand benefit per recipient, euros a month. Default 1 050 (derived: BUIG about
    /// EUR 6 bn a year for about 470 000 recipients, Rijksbegroting SZW 2016, rounded).
    pub bijstand_eur: NonNegative,
    /// Wajong benefit, euros a month (75% of the minimum wage); half of it while working.
    /// Default 1 100 (derived from the 2015 minimum wage).
    pub wajong_eur: NonNegative,
    /// Wsw subsidy from the Rijk per employee, euros a month. Default 2 100 (derived: about
    /// EUR 2,4 bn for about 95 000 labour years, Rijksbegroting SZW 2015, rounded).
    pub wsw_eur: NonNegative,
    /// Minimum wage with employer costs, euros a month: the wage-cost subsidy is (100 -
    /// loonwaarde)% of it. Default 1 900 (derived: WML 2015 about EUR 1 500 gross, plus
    /// about a quarter employer costs).
    pub minimum_wage_eur: NonNegative,
    /// Light instrument (training, sollicitatietraining): cost a month, months, and the rise
    /// of the job finding hazard at distance 0 (it fades with distance, facts.md MC16).
    pub light: HazardInstrument,
    /// Participatieplaats (unpaid work keeping the benefit): cost a month, months, and the
    /// rise of the job finding hazard (independent of distance).
    pub participatieplaats: HazardInstrument,
    /// Participatieplaatsen available per 1000 inhabitants (workplaces for unpaid work).
    /// Default 0.72 (assumption; facts.md PW2: about 12 000 in 2015).
    pub participatieplaats_per_1000: NonNegative,
    /// Mediation to employers with a wage-cost subsidy (LKS): cost a month of the mediation
    /// while unemployed. Default 150 (assumption).
    pub mediation_eur: NonNegative,
    /// Jobcoach for begeleid werk, euros a month while placed. Default 400 (assumption near
    /// UWV jobcoach tariffs).
    pub jobcoach_eur: NonNegative,
    /// Beschut werk: cost to the gemeente per place, euros a month (wage minus production,
    /// supervision, minus the Rijk's contribution). Default 1 600 (assumption; facts.md PW4:
    /// high cost to gemeenten).
    pub beschut_eur: NonNegative,
    /// While a Wajonger with capacity to work has a job, the Wajong makes up this share of
    /// the gap between the wage and the minimum wage, and their income is never below the
    /// benefit. Default 0.7 (Wajong 2010's inkomensondersteuning: 70% of the gap; with little
    /// loonwaarde, work hardly adds to the benefit, facts.md MC22).
    pub wajong_supplement: Share,
}

/// An instrument that raises the job finding hazard for a while.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardInstrument {
    /// Cost to the gemeente, euros a month.
    pub cost_eur: NonNegative,
    /// Months it lasts.
    pub months: Positive,
    /// Relative rise of the job finding hazard.
    pub effect: NonNegative,
}

/// `[gemeente]`: gemeenten as actors with money (facts.md F1-F15, G1-G29, A1-A18, O1-O20;
/// MC30, MC36, MC41-MC46, MC50, MC55, MC56).
///
/// Budgets: the Rijk set the 2015 budgets mostly on historical spending with a cut at
/// transfer (facts.md F8, MC41), moving to an objective allocation model over the following
/// years (F10: "wrong distribution between gemeenten"). In the model the historical basis is
/// each gemeente's own spending in the year before the start (from the warm-up), so budgets
/// and spending share one unit; the cut, the move to the objective model and the growth of
/// the national budget are scenario parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GemeenteParams {
    /// Cut of the Wmo and Jeugd budgets relative to the historical basis (dated). Default 0.05
    /// (2015), 0.08 (2016), 0.10 (from 2017) (assumption; facts.md F8: budgets cut at transfer,
    /// no figure given; the Jeugd cut was about 15% by 2017 in Rijk figures, the Wmo
    /// begeleiding cut less).
    pub transfer_cut: Dated<Share>,
    /// Cut of the participation budget (Wsw subsidy per place, reintegration) relative to the
    /// historical basis (dated). Default rising from 0 (2015) to 0.11 (2020) (assumption near
    /// the Rijk's falling Wsw subsidy per place).
    pub participation_cut: Dated<Share>,
    /// Yearly real growth of the national budgets beyond the cost index (`prices`), share.
    /// Default 0 (assumption: the accres follows wages and prices; before issue #19 this was
    /// a nominal 0.02 against tariffs that never rose).
    pub budget_growth: GrowthRate,
    /// Share of each budget allocated by the objective model (by inhabitants, age and low
    /// incomes) rather than by historical spending (dated). Default 0 (2015), 0.3 (2016), 0.6
    /// (2017), 1 (from 2018) (assumption; the move to objective allocation, facts.md F10).
    pub objective_share: Dated<Share>,
    /// Separate budgets per law (schotten, true) or one budget for the social domain
    /// (ontschot, false) (dated). Default true (facts.md F12: eight in ten split by law; MC46).
    pub schotten: Dated<bool>,
    /// The BUIG safety net: a bijstand deficit beyond `vangnet_threshold` of the budget is
    /// compensated (dated). Default true (the vangnetregeling).
    pub vangnet_buig: Dated<bool>,
    /// A safety net for the Wmo and Jeugd budgets on the same terms (dated). Default false
    /// (facts.md MC44: municipalities, unlike insurers, are not compensated).
    pub vangnet_sociaal_domein: Dated<bool>,
    /// Deficit, as a share of the budget, a gemeente bears before a safety net pays.
    /// Default 0.075 (assumption near the BUIG vangnet's own risk).
    pub vangnet_threshold: Share,
    /// Reward per month for each inhabitant fewer in the Wlz than expected from the national
    /// rate by age, euros (0 = no reward, facts.md MC30, WLZ6). Default 0.
    pub wlz_reward_eur: NonNegative,
    /// Reserves (share of the yearly budget) a gemeente keeps as a buffer: it acts on a deficit
    /// only when its reserves fall below this. Default 0.02 (assumption).
    pub reserve_buffer: Share,
    /// Preventive supervision by the province (dated): a gemeente whose reserves (social domain
    /// plus `general_reserve_share`) are below zero after `supervision_years` deficit years
    /// running has a budget that is not
    /// structurally balanced (Gemeentewet art. 203, preventief toezicht). Under supervision it
    /// controls at full strength whatever its strategy and covers the year's deficit from its
    /// general funds, up to `own_funds_share`, until its reserves are back above zero.
    /// Default true (the law since before 2015; issue #19).
    pub supervision: Dated<bool>,
    /// The part of a gemeente's general reserve that can absorb social-domain deficits before
    /// its whole budget is out of balance, as a share of its first year's social-domain
    /// budget: supervision starts when the social-domain reserves fall below minus this.
    /// Default 0.25 (assumption).
    pub general_reserve_share: Share,
    /// Deficit years running (with reserves below zero) before the province steps in, 1 ..=
    /// 20. Default 2 (assumption: a multi-year estimate that does not close).
    pub supervision_years: u8,
    /// The most a supervised gemeente adds to the social domain from its general funds in a
    /// year (local taxes, cuts in other tasks, the general reserve), as a share of that year's
    /// social-domain budget. Default 0.05 (assumption).
    pub own_funds_share: Share,
    /// Years under supervision after which the gemeentefonds covers what is left of a
    /// supervised gemeente's yearly deficit after its own funds: the aanvullende uitkering of
    /// Financiële-verhoudingswet art. 12 for a gemeente whose deficit is structural and
    /// unavoidable despite its own efforts (with the province's and the Rijk's conditions).
    /// 0: never. Default 3 (assumption).
    pub article12_years: u8,
    /// Share of gemeenten that answer a deficit with classic control (stricter access, lower
    /// tariffs that make providers cut capacity; facts.md MC42); the others invest in the
    /// wijkteam and prevention. Default 0.7 (assumption).
    pub control_share: Share,
    /// Share of gemeenten with a consistent steering philosophy (policy, purchasing and
    /// accountability aligned): their measures take full effect, the others' half (facts.md
    /// MC45). Default 0.5 (assumption).
    pub consistent_share: Share,
    /// Points a control step adds to the Wmo thresholds (stricter access, protocol gebruikelijke
    /// zorg), up to `max_strictness`. Default 2 (assumption).
    pub strictness_step: NonNegative,
    /// Most extra strictness points a gemeente adds. Default 10 (assumption).
    pub max_strictness: NonNegative,
    /// Relative tariff cut per control step (Wmo and specialist youth care); providers cut
    /// capacity in proportion. Default 0.03 (assumption).
    pub tariff_step: Share,
    /// Relative rise of the wijkteam's capacity per invest step. Default 0.1 (assumption).
    pub invest_step: NonNegative,
    /// National investment in wijkteams: a factor on every gemeente's team capacity (dated;
    /// 1 = as in 2015). Default 1 (the zwaar-naar-licht scenario raises it).
    pub team_investment: Dated<NonNegative>,
    /// Cost of wijkteam capacity, euros a month per keukentafelgesprek a month it can hold.
    /// Default 800 (assumption).
    pub team_cost_eur: NonNegative,
    /// Access organisation: share of gemeenten with sociale wijkteams (the rest a loket).
    /// Default 0.83 (facts.md A1).
    pub wijkteam_share: Share,
    /// Capacity of a loket relative to a wijkteam. Default 0.8 (assumption).
    pub loket_capacity: NonNegative,
    /// Rise of awareness (the chance to apply) per unit of the wijkteam's spare share: spare
    /// team time goes to outreach, so workload crowds it out (facts.md MC55, MC56). Default 1.0
    /// (assumption).
    pub outreach_effect: NonNegative,
    /// Share of wijkteams with providers in the team; they lower the light threshold by
    /// `providers_in_team_points` (more maatwerk, facts.md MC3). Defaults 0.3 (assumption near
    /// facts.md A3) and 3.
    pub providers_in_team_share: Share,
    /// See `providers_in_team_share`.
    pub providers_in_team_points: NonNegative,
    /// Coordination and administrative cost as a share of Wmo and Jeugd care cost for a
    /// gemeente in a region of average fragmentation (facts.md F6: about 25% of municipal care
    /// cost, i.e. a third on top of care). Default 0.33.
    pub coordination_share: NonNegative,
    /// Relative rise of coordination cost per extra gemeente that shares the gemeente's
    /// providers (its jeugdregio) above the average (facts.md MC36). Default 0.02 (assumption).
    pub fragmentation: NonNegative,
    /// One plan per household for households using several laws (dated). Default false.
    pub one_plan: Dated<bool>,
    /// Fall in coordination quality per extra law a household uses: help works by 1 / (1 +
    /// penalty x (laws - 1)) (facts.md MC50). Default 0.25 (assumption).
    pub coordination_penalty: NonNegative,
    /// Factor on that penalty with one plan per household. Default 0.4 (assumption; facts.md
    /// G16: one plan works for single problems, fails for multiple in a quarter).
    pub one_plan_factor: NonNegative,
    /// Cost of one plan per household, euros a month per household using several laws.
    /// Default 150 (assumption).
    pub plan_cost_eur: NonNegative,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prices(cost: &str) -> PriceParams {
        let text = format!("cost_growth = {cost}\nconsumer_growth = 0.02\n");
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn indices_are_one_in_2015_and_change_each_january() {
        let p = prices(
            r#"[{ from = "2015-01", value = 0.01 }, { from = "2016-01", value = 0.02 }, { from = "2018-01", value = 0.10 }]"#,
        );
        let rows = [
            // (year, cost index)
            (2015, 1.0),
            (2016, 1.02),
            (2017, 1.02 * 1.02),
            (2018, 1.02 * 1.02 * 1.10),
            // Before 2015 the index falls back by the growth in force then (the first step's).
            (2014, 1.0 / 1.01),
            (2013, 1.0 / (1.01 * 1.01)),
        ];
        for (year, want) in rows {
            let got = p.cost_index(year);
            assert!((got - want).abs() < 1e-12, "{year}: {got} vs {want}");
        }
        assert!((p.consumer_index(2017) - 1.02 * 1.02).abs() < 1e-12);
    }
}
