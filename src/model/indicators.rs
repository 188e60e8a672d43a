//! Indicators: what every run measures, with names, units and definitions, and the monthly
//! measurement over the world.
//!
//! National indicators are written one column each to `national.csv` (one row a month).
//! Counts of people and households are measured on the sample and scaled back to the
//! national population (divided by `scale`) when written.

use super::gemeente::{GemeenteTally, LAWS};
use super::jeugd::{JbYear, JeugdTally, Route};
use super::labour::LabourStatus;
use super::labour::LabourTally;
use super::mantelzorg::CareTally;
use super::provision::{PerForm, PerProvision, Provision, Supplier, YouthForm};
use super::wmo::WmoTally;
use super::world::{ALIVE, NONE, World};
use crate::engine::{Month, map_chunks};

/// How an indicator aggregates over a year (for `summary.csv` and `gemeenten.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A level at the end of the month; a year's value is December's (or the last month's).
    Stock,
    /// A count during the month; a year's value is the sum over its months.
    Flow,
    /// A ratio at the end of the month; a year's value is December's (or the last month's).
    Ratio,
}

/// One indicator.
#[derive(Clone, Copy, Debug)]
pub struct Indicator {
    /// Column name.
    pub name: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// How it aggregates over a year.
    pub kind: Kind,
    /// Scaled to national figures (divided by `scale`) when written.
    pub scaled: bool,
    /// What it means.
    pub definition: &'static str,
}

macro_rules! indicators {
    ($($id:ident: $name:literal, $unit:literal, $kind:ident, $scaled:literal, $def:literal;)*) => {
        /// Position of each indicator in a record (the order of [`INDICATORS`]).
        #[allow(non_camel_case_types, missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Ind { $($id,)* }

        /// Every indicator, in column order.
        pub const INDICATORS: &[Indicator] = &[
            $(Indicator { name: $name, unit: $unit, kind: Kind::$kind, scaled: $scaled, definition: $def },)*
        ];
    };
}

indicators! {
    Population: "population", "persons", Stock, true,
        "Inhabitants at the end of the month.";
    Population0_17: "population_0_17", "persons", Stock, true,
        "Inhabitants aged 0-17 at the end of the month.";
    Population18_66: "population_18_66", "persons", Stock, true,
        "Inhabitants aged 18-66 at the end of the month.";
    Population67Plus: "population_67_plus", "persons", Stock, true,
        "Inhabitants aged 67 and over at the end of the month (roughly the AOW age).";
    Households: "households", "households", Stock, true,
        "Private households at the end of the month.";
    HouseholdsSingle: "households_single", "households", Stock, true,
        "One adult under 65, no children at home.";
    HouseholdsCouple: "households_couple", "households", Stock, true,
        "Two adults, head under 65, no children at home.";
    HouseholdsWithChildren: "households_with_children", "households", Stock, true,
        "Households with children living at home (couples and single parents).";
    HouseholdsOlder: "households_older", "households", Stock, true,
        "Older households: head 65 or over, no children at home (single or couple).";
    MeanHouseholdSize: "mean_household_size", "persons per household", Ratio, false,
        "Inhabitants divided by households.";
    Births: "births", "persons per month", Flow, true,
        "Live births during the month.";
    Deaths: "deaths", "persons per month", Flow, true,
        "Deaths during the month.";
    Immigrants: "immigrants", "persons per month", Flow, true,
        "Persons settling in the Netherlands from abroad during the month.";
    Emigrants: "emigrants", "persons per month", Flow, true,
        "Persons leaving the Netherlands during the month.";
    Movers: "movers", "persons per month", Flow, true,
        "Persons moving to another gemeente during the month.";
    Agents: "agents", "agents", Stock, false,
        "Simulated citizens (the sample, not scaled): population times scale.";
    PersonsLimited: "persons_limited", "persons", Stock, true,
        "Adults with a limitation (severity 10 or more) living at home or in the Wlz.";
    WmoUsers: "wmo_users", "persons", Stock, true,
        "Users of any Wmo maatwerkvoorziening at the end of the month.";
    WmoHhUsers: "wmo_hh_users", "persons", Stock, true,
        "Users of huishoudelijke hulp (household help).";
    WmoThuisUsers: "wmo_thuis_users", "persons", Stock, true,
        "Users of ondersteuning thuis (begeleiding, dagbesteding, kortdurend verblijf).";
    WmoHulpmiddelenUsers: "wmo_hulpmiddelen_users", "persons", Stock, true,
        "Users of hulpmiddelen en diensten (aids, housing adaptations, transport).";
    WmoVerblijfUsers: "wmo_verblijf_users", "persons", Stock, true,
        "Users of verblijf en opvang (beschermd wonen, maatschappelijke opvang).";
    WmoAlgemeenUsers: "wmo_algemeen_users", "persons", Stock, true,
        "Users of an algemene voorziening after a referral (not registered in reality).";
    WmoUsers65Plus: "wmo_users_65_plus", "persons", Stock, true,
        "Wmo maatwerk users aged 65 and over.";
    WmoUsersQ1: "wmo_users_q1", "persons", Stock, true,
        "Wmo maatwerk users in the lowest fifth of household incomes (quintiles of persons at the start).";
    WmoUsersQ2: "wmo_users_q2", "persons", Stock, true,
        "Wmo maatwerk users in the second income quintile.";
    WmoUsersQ3: "wmo_users_q3", "persons", Stock, true,
        "Wmo maatwerk users in the third income quintile.";
    WmoUsersQ4: "wmo_users_q4", "persons", Stock, true,
        "Wmo maatwerk users in the fourth income quintile.";
    WmoUsersQ5: "wmo_users_q5", "persons", Stock, true,
        "Wmo maatwerk users in the highest fifth of household incomes.";
    WmoApplications: "wmo_applications", "persons per month", Flow, true,
        "Applications (meldingen) for Wmo support during the month.";
    WmoRejections: "wmo_rejections", "persons per month", Flow, true,
        "Applications rejected at the keukentafelgesprek during the month.";
    WmoWaiting: "wmo_waiting", "persons", Stock, true,
        "Persons waiting for a keukentafelgesprek or for a provider to start.";
    WmoWaitMonthsMean: "wmo_wait_months_mean", "months", Ratio, false,
        "Mean months since application of those waiting.";
    WmoUnmetNeed: "wmo_unmet_need", "persons", Stock, true,
        "Adults at home needing four hours of help a week or more (severity 20 or more) with half or more of their need covered by neither informal nor formal help.";
    WmoSpendingEur: "wmo_spending_eur", "euros per month", Flow, true,
        "Wmo spending by gemeenten (all provision types, before co-payments).";
    WmoSpendingMaatwerkEur: "wmo_spending_maatwerk_eur", "euros per month", Flow, true,
        "Wmo spending on maatwerk: the four provision types, without algemene voorzieningen (CBS's measure, facts.md N2: EUR 4.60 bn in 2017).";
    WmoSpendingHhEur: "wmo_spending_hh_eur", "euros per month", Flow, true,
        "Wmo spending on huishoudelijke hulp.";
    WmoSpendingThuisEur: "wmo_spending_thuis_eur", "euros per month", Flow, true,
        "Wmo spending on ondersteuning thuis.";
    WmoSpendingHulpmiddelenEur: "wmo_spending_hulpmiddelen_eur", "euros per month", Flow, true,
        "Wmo spending on hulpmiddelen en diensten.";
    WmoSpendingVerblijfEur: "wmo_spending_verblijf_eur", "euros per month", Flow, true,
        "Wmo spending on verblijf en opvang.";
    WmoSpendingAlgemeenEur: "wmo_spending_algemeen_eur", "euros per month", Flow, true,
        "Spending on algemene voorzieningen for referred users.";
    WmoCopayEur: "wmo_copay_eur", "euros per month", Flow, true,
        "Co-payments (eigen bijdragen) collected for Wmo maatwerk.";
    WmoCopayRuleGapEur: "wmo_copay_rule_gap_eur", "euros per month", Flow, true,
        "What the income-dependent co-payment (CAK) collects beyond the flat abonnementstarief from the same households in the month, whichever rule is in force: the abonnementstarief's lost co-payments before anyone changes their use (facts.md N11: CPB estimated about EUR 290 mln a year).";
    JeugdhulpUsers: "jeugdhulp_users", "persons", Stock, true,
        "Youths (0-22) with jeugdhulp (wijkteam, ambulant or met verblijf) at the end of the month.";
    JeugdhulpHouseholds: "jeugdhulp_households", "households", Stock, true,
        "Households with at least one youth in jeugdhulp at the end of the month.";
    JeugdhulpUsersYear: "jeugdhulp_users_year", "persons", Stock, true,
        "Youths who had jeugdhulp at some time this calendar year (December: the yearly count, as CBS counts).";
    JeugdhulpWijkteamUsersYear: "jeugdhulp_wijkteam_users_year", "persons", Stock, true,
        "Youths helped by the wijkteam at some time this year (facts.md N4: 36 500 in 2015, 62 130 in 2016).";
    JeugdhulpAmbulantUsersYear: "jeugdhulp_ambulant_users_year", "persons", Stock, true,
        "Youths with ambulant jeugdhulp at a provider at some time this year.";
    JeugdhulpVerblijfUsersYear: "jeugdhulp_verblijf_users_year", "persons", Stock, true,
        "Youths with jeugdhulp met verblijf at some time this year.";
    JeugdhulpHouseholdsYear: "jeugdhulp_households_year", "households", Stock, true,
        "Households with a youth who had jeugdhulp this calendar year.";
    JeugdhulpShare0_17Year: "jeugdhulp_share_0_17_year", "share", Ratio, false,
        "Share of children aged 0-17 who had jeugdhulp this calendar year.";
    JeugdhulpVerblijfUsers: "jeugdhulp_verblijf_users", "persons", Stock, true,
        "Youths in jeugdhulp met verblijf.";
    JeugdhulpAmbulantUsers: "jeugdhulp_ambulant_users", "persons", Stock, true,
        "Youths in ambulant jeugdhulp at a provider.";
    JeugdhulpWijkteamUsers: "jeugdhulp_wijkteam_users", "persons", Stock, true,
        "Youths helped by the wijkteam.";
    JeugdbeschermingMeasures: "jeugdbescherming_measures", "persons", Stock, true,
        "Children under a protection measure (OTS or voogdij), whether or not a GI has started it.";
    JeugdreclasseringMeasures: "jeugdreclassering_measures", "persons", Stock, true,
        "Youths (12-22) under a jeugdreclassering measure, whether or not a GI has started it.";
    JeugdWaiting: "jeugd_waiting", "persons", Stock, true,
        "Youths waiting for jeugdhulp (ambulant or met verblijf).";
    JbWaiting: "jb_waiting", "persons", Stock, true,
        "Children with a protection order waiting for a GI.";
    JbSeenInTimeShare: "jb_seen_in_time_share", "share", Ratio, false,
        "Share of protection measures started by a GI this year (or ended without one) that it started within the in-time limit.";
    JeugdReferralsGp: "jeugd_referrals_gp", "persons per month", Flow, true,
        "Referrals to youth care by the GP (huisarts).";
    JeugdReferralsSchool: "jeugd_referrals_school", "persons per month", Flow, true,
        "Referrals to youth care through school.";
    JeugdReferralsSpecialist: "jeugd_referrals_specialist", "persons per month", Flow, true,
        "Referrals to youth care by a medical specialist.";
    JeugdReferralsWijkteam: "jeugd_referrals_wijkteam", "persons per month", Flow, true,
        "Referrals through the wijkteam (the gemeente's own route).";
    JeugdReferralsCourt: "jeugd_referrals_court", "persons per month", Flow, true,
        "Court orders for child protection (OTS, voogdij).";
    JeugdSpendingEur: "jeugd_spending_eur", "euros per month", Flow, true,
        "Jeugdwet spending by gemeenten (all forms).";
    JeugdSpendingProvidersEur: "jeugd_spending_providers_eur", "euros per month", Flow, true,
        "Jeugdwet spending on specialist jeugdhulp bought from providers, ambulant and met verblijf (Iv3 taakveld 6.72 maatwerkdienstverlening 18-; facts.md N5: EUR 3.35 bn in 2017).";
    JeugdSpendingGiEur: "jeugd_spending_gi_eur", "euros per month", Flow, true,
        "Jeugdwet spending on jeugdbescherming and jeugdreclassering by the GIs (Iv3 taakveld 6.82 geëscaleerde zorg 18-; facts.md N5: EUR 0.59 bn in 2017).";
    WlzPersons: "wlz_persons", "persons", Stock, true,
        "Persons in Wlz care with stay (outside municipal care).";
    Carers: "carers", "persons", Stock, true,
        "Citizens giving informal care (mantelzorg).";
    CarersIntensive: "carers_intensive", "persons", Stock, true,
        "Carers giving more than 8 hours a week for more than 3 months.";
    CarersOverloaded: "carers_overloaded", "persons", Stock, true,
        "Carers heavily burdened (zwaar belast): burden at least `mantelzorg.heavy_burden` in a link (facts.md N13: about 218 000 in 2012). Those above `mantelzorg.overload_threshold` also stop or cut back.";
    CarersCbs: "carers_cbs", "persons", Stock, true,
        "Carers helping for more than 3 months or 8 hours a week or more: CBS's narrow definition (facts.md N12: 13,9% of persons 16+, about 2 miljoen in 2016), apart from SCP's broader count (`carers`).";
    CarersCbsHoursMean: "carers_cbs_hours_mean", "hours a week", Ratio, false,
        "Mean hours of informal care a week of the carers in `carers_cbs` (facts.md N12: 11,2 in 2016).";
    CarersOverloadedShare: "carers_overloaded_share", "share", Ratio, false,
        "Share of carers heavily burdened (`carers_overloaded` / `carers`; facts.md N13: 14% of carers giving 8 hours a week or 3 months, about 5% of all carers).";
    CarerHours: "carer_hours", "hours per week", Stock, true,
        "Hours of informal care given a week, all carers together.";
    EmployedPersons: "employed_persons", "persons", Stock, true,
        "Persons from 18 to the AOW age in paid work at an employer (not Wsw or beschut werk).";
    EducationPersons: "education_persons", "persons", Stock, true,
        "Persons from 18 to the AOW age in education.";
    InactivePersons: "inactive_persons", "persons", Stock, true,
        "Persons from 18 to the AOW age outside the labour force (incl. disability benefits other than Wajong).";
    WwPersons: "ww_persons", "persons", Stock, true,
        "Unemployed persons with WW (unemployment insurance, UWV).";
    BijstandPersons: "bijstand_persons", "persons", Stock, true,
        "Persons with bijstand (Participatiewet benefit), not working.";
    BijstandKlassiekPersons: "bijstand_klassiek_persons", "persons", Stock, true,
        "Klassieke bijstandsgerechtigden: bijstand, excluding young disabled and the sheltered (former Wsw) target group (facts.md P7).";
    NuggerPersons: "nugger_persons", "persons", Stock, true,
        "Niet-uitkeringsgerechtigden: unemployed, registered as looking for work, without a benefit.";
    WajongPersons: "wajong_persons", "persons", Stock, true,
        "Persons with a Wajong benefit (working or not).";
    WswExitsDeath: "wsw_exits_death", "persons per month", Flow, true,
        "Wsw employees who died during the month (facts.md N7: with pension and long sickness most of the Wsw's outflow since it closed).";
    WswExitsPension: "wsw_exits_pension", "persons per month", Flow, true,
        "Wsw employees who reached the AOW age during the month.";
    WswExitsOther: "wsw_exits_other", "persons per month", Flow, true,
        "Wsw employees who left the Wsw for another reason during the month: a disability benefit after long sickness, a regular job, resignation, emigration.";
    WswEmployees: "wsw_employees", "persons", Stock, true,
        "Employees of the sociale werkvoorziening (Wsw).";
    WswWaitlist: "wsw_waitlist", "persons", Stock, true,
        "Persons on the Wsw waiting list (only while the Wsw is open to new inflow).";
    BeschutWerkPersons: "beschut_werk_persons", "persons", Stock, true,
        "Persons in beschut werk (sheltered work organised by the gemeente).";
    LksPersons: "lks_persons", "persons", Stock, true,
        "Persons in a job with a wage-cost subsidy (loonkostensubsidie) from the gemeente.";
    BegeleidWerkPersons: "begeleid_werk_persons", "persons", Stock, true,
        "Persons in begeleid werk: a job with a jobcoach paid by the gemeente.";
    ParticipatieplaatsPersons: "participatieplaats_persons", "persons", Stock, true,
        "Persons in a participatieplaats (unpaid work keeping the benefit).";
    LightReintegrationPersons: "light_reintegration_persons", "persons", Stock, true,
        "Unemployed persons with a light reintegration instrument (training).";
    ReintegrationTrajectoryShare: "reintegration_trajectory_share", "share", Ratio, false,
        "Share of klassieke bijstand recipients with a reintegration instrument (facts.md PW6).";
    NuggerTrajectoryShare: "nugger_trajectory_share", "share", Ratio, false,
        "Share of nuggers with a reintegration instrument (facts.md PW7).";
    YoungDisabledPersons: "young_disabled_persons", "persons", Stock, true,
        "Young disabled with capacity to work who entered at 18 with a reduced loonwaarde and no Wajong (closed to them from 2015; facts.md P10: the inflow since), up to the AOW age.";
    ShelteredNotWorking: "sheltered_target_not_working", "persons", Stock, true,
        "The sheltered (former Wsw) target group without work: a loonwaarde in the sheltered band from the start (a disability, not a later illness), no Wajong; on the Wsw waiting list or its equivalent after 2015 (facts.md P9).";
    DebtPersons: "debt_persons", "persons", Stock, true,
        "Persons from 18 to the AOW age with problematic debts.";
    IncomeMedian: "income_median_eur", "euros a year", Ratio, false,
        "Median standardised disposable household income of persons (CBS's measure): the household's work, benefits and pensions this month, over the CBS equivalence factor (labour::income; 2015 prices).";
    LowIncomeShare: "low_income_share", "share", Ratio, false,
        "Share of persons in households below the low-income line (participatie.income.low_income_median_share of the median: the at-risk-of-poverty line of Eurostat and CBS).";
    IncomeYoungDisabled: "income_young_disabled_eur", "euros a year", Ratio, false,
        "Mean standardised household income of the young disabled with capacity to work (up to the AOW age; facts.md MC18).";
    LowIncomeShareYoungDisabled: "low_income_share_young_disabled", "share", Ratio, false,
        "Share of the young disabled with capacity to work in households below the low-income line.";
    IncomeSheltered: "income_sheltered_eur", "euros a year", Ratio, false,
        "Mean standardised household income of the sheltered (former Wsw) target group, working or not (a loonwaarde in the sheltered band from the start, no Wajong).";
    LowIncomeShareSheltered: "low_income_share_sheltered", "share", Ratio, false,
        "Share of the sheltered target group in households below the low-income line.";
    IncomeKlassiekeBijstand: "income_bijstand_klassiek_eur", "euros a year", Ratio, false,
        "Mean standardised household income of klassieke bijstand recipients.";
    LowIncomeShareKlassiekeBijstand: "low_income_share_bijstand_klassiek", "share", Ratio, false,
        "Share of klassieke bijstand recipients in households below the low-income line.";
    IncomeEmployed: "income_employed_eur", "euros a year", Ratio, false,
        "Mean standardised household income of persons in a regular job.";
    LowIncomeShareEmployed: "low_income_share_employed", "share", Ratio, false,
        "Share of persons in a regular job in households below the low-income line (working poor).";
    WorkEntryIncomeChange: "work_entry_income_change_eur", "euros a year", Ratio, false,
        "Mean change of the standardised household income in the month an adult started work (a job, the Wsw, beschut werk), over the calendar year so far: what taking work brings a household (facts.md MC18, MC22).";
    PoolOffersRefused: "pool_offers_refused", "offers per month", Flow, true,
        "Jobs offered at pool employers that the candidate turned down: too little gain in household income, a temporary job counted at a discount (participatie.jobs; facts.md MC22). A bijstand recipient must take suitable work.";
    PoolPlacements: "pool_placements", "persons per month", Flow, true,
        "Workers with a reduced loonwaarde hired by pool employers (with LKS, jobcoach or Wajong).";
    EmployersEmployingShare: "employers_employing_share", "share", Ratio, false,
        "Share of pool employers employing at least one target-group worker (facts.md E12).";
    BijstandSpendingEur: "bijstand_spending_eur", "euros per month", Flow, true,
        "Bijstand benefits paid by gemeenten (BUIG).";
    ReintegrationSpendingEur: "reintegration_spending_eur", "euros per month", Flow, true,
        "Gemeente spending on reintegration: instruments, wage-cost subsidies, jobcoaches, beschut werk.";
    WswSpendingEur: "wsw_spending_eur", "euros per month", Flow, true,
        "Wsw subsidy (Rijk, paid through the gemeente).";
    WajongSpendingEur: "wajong_spending_eur", "euros per month", Flow, true,
        "Wajong benefits (UWV, Rijk).";
    GemeenteBudgetEur: "gemeente_budget_eur", "euros per month", Flow, true,
        "Budgets received by gemeenten for the three laws (Wmo, Jeugd, participation, BUIG), incl. the Wlz reward and safety-net payments.";
    GemeenteSpendingEur: "gemeente_spending_eur", "euros per month", Flow, true,
        "Gemeente spending on the three laws: Wmo net of co-payments, wijkteams, Jeugd, reintegration, bijstand, coordination (not the Wsw subsidy, which passes through from the Rijk).";
    GemeenteResultEur: "gemeente_result_eur", "euros per month", Flow, true,
        "Budget minus spending, all gemeenten (equals the change in reserves).";
    GemeentenInDeficit: "gemeenten_in_deficit", "gemeenten", Stock, false,
        "Gemeenten whose spending so far this year exceeds their budget so far.";
    GemeentenSupervised: "gemeenten_supervised", "gemeenten", Stock, false,
        "Gemeenten under the province's preventive supervision (social-domain reserves below zero after gemeente.supervision_years deficit years).";
    GemeenteOwnFundsEur: "gemeente_own_funds_eur", "euros per month", Flow, true,
        "Own funds gemeenten whose social-domain reserves are used up add at the year's close (local taxes, cuts elsewhere, the general reserve); counted as budget.";
    GemeenteArticle12Eur: "gemeente_article12_eur", "euros per month", Flow, true,
        "Aanvullende uitkering (Financiële-verhoudingswet art. 12) from the gemeentefonds to gemeenten supervised for gemeente.article12_years: what is left of their deficit after own funds; counted as budget.";
    CostIndex: "cost_index", "index (2015 = 1)", Ratio, false,
        "Cost index of tariffs, wages and benefits (prices.cost_growth): every euro amount of a scenario is in 2015 euros and paid in this year's by it; budgets follow it too.";
    ConsumerPriceIndex: "consumer_price_index", "index (2015 = 1)", Ratio, false,
        "Consumer price index (prices.consumer_growth), which turns euros into real 2015 euros.";
    GemeenteBudgetRealEur: "gemeente_budget_real_eur", "2015 euros per month", Flow, true,
        "gemeente_budget_eur in real 2015 euros (divided by the consumer price index).";
    GemeenteSpendingRealEur: "gemeente_spending_real_eur", "2015 euros per month", Flow, true,
        "gemeente_spending_eur in real 2015 euros.";
    GemeenteResultRealEur: "gemeente_result_real_eur", "2015 euros per month", Flow, true,
        "gemeente_result_eur in real 2015 euros.";
    GemeenteReservesRealEur: "gemeente_reserves_real_eur", "2015 euros", Stock, true,
        "gemeente_reserves_eur in real 2015 euros (the nominal reserves at this month's consumer prices).";
    GemeenteBudgetWmoEur: "gemeente_budget_wmo_eur", "euros per month", Flow, true,
        "Wmo budget received by gemeenten (the Wlz reward included).";
    GemeenteSpendingWmoEur: "gemeente_spending_wmo_eur", "euros per month", Flow, true,
        "Gemeente Wmo spending: maatwerk net of co-payments, algemene voorzieningen, wijkteams, the Wmo's share of coordination.";
    GemeenteResultWmoEur: "gemeente_result_wmo_eur", "euros per month", Flow, true,
        "Wmo budget minus Wmo spending, all gemeenten.";
    GemeentenInDeficitWmo: "gemeenten_in_deficit_wmo", "gemeenten", Stock, false,
        "Gemeenten whose Wmo spending so far this year exceeds their Wmo budget so far.";
    GemeenteBudgetJeugdEur: "gemeente_budget_jeugd_eur", "euros per month", Flow, true,
        "Jeugdwet budget received by gemeenten.";
    GemeenteSpendingJeugdEur: "gemeente_spending_jeugd_eur", "euros per month", Flow, true,
        "Gemeente Jeugdwet spending, with its share of coordination.";
    GemeenteResultJeugdEur: "gemeente_result_jeugd_eur", "euros per month", Flow, true,
        "Jeugdwet budget minus Jeugdwet spending, all gemeenten.";
    GemeentenInDeficitJeugd: "gemeenten_in_deficit_jeugd", "gemeenten", Stock, false,
        "Gemeenten whose Jeugdwet spending so far this year exceeds their Jeugdwet budget so far.";
    GemeenteBudgetParticipatieEur: "gemeente_budget_participatie_eur", "euros per month", Flow, true,
        "Participation budget received by gemeenten (reintegration; the Wsw subsidy passes through and is not in it).";
    GemeenteSpendingParticipatieEur: "gemeente_spending_participatie_eur", "euros per month", Flow, true,
        "Gemeente reintegration spending (instruments, beschut werk).";
    GemeenteResultParticipatieEur: "gemeente_result_participatie_eur", "euros per month", Flow, true,
        "Participation budget minus reintegration spending, all gemeenten.";
    GemeentenInDeficitParticipatie: "gemeenten_in_deficit_participatie", "gemeenten", Stock, false,
        "Gemeenten whose reintegration spending so far this year exceeds their participation budget so far.";
    GemeenteBudgetBuigEur: "gemeente_budget_buig_eur", "euros per month", Flow, true,
        "BUIG budget received by gemeenten for bijstand (the vangnet included).";
    GemeenteSpendingBuigEur: "gemeente_spending_buig_eur", "euros per month", Flow, true,
        "Gemeente bijstand benefits.";
    GemeenteResultBuigEur: "gemeente_result_buig_eur", "euros per month", Flow, true,
        "BUIG budget minus bijstand benefits, all gemeenten.";
    GemeentenInDeficitBuig: "gemeenten_in_deficit_buig", "gemeenten", Stock, false,
        "Gemeenten whose bijstand benefits so far this year exceed their BUIG budget so far.";
    GemeenteReservesEur: "gemeente_reserves_eur", "euros", Stock, true,
        "Reserves of all gemeenten for the social domain (starting at 0 in the first year).";
    VangnetEur: "vangnet_eur", "euros per month", Flow, true,
        "Safety-net payments to gemeenten (BUIG vangnet; a social-domain net if switched on).";
    CoordinationCostEur: "coordination_cost_eur", "euros per month", Flow, true,
        "Coordination and administrative cost of Wmo and Jeugd (contracts, providers, plans).";
    CoordinationCostShare: "coordination_cost_share", "share", Ratio, false,
        "Coordination cost as a share of Wmo and Jeugd cost including it (facts.md F6: about 25%).";
    UserPersons: "user_persons", "persons", Stock, true,
        "Persons who used Wmo maatwerk, jeugdhulp/-bescherming/-reclassering or a Participatiewet provision (bijstand, instrument, Wsw, beschut werk) so far this year; like SCP's stacking base, persons whose only provision was Wmo hulpmiddelen are left out (facts.md S2, W9).";
    UserPersonsWmo: "user_persons_wmo", "persons", Stock, true,
        "Of user_persons, those who used Wmo maatwerk this year (facts.md S5: about a third).";
    UserPersonsJeugd: "user_persons_jeugd", "persons", Stock, true,
        "Of user_persons, those who used jeugdhulp, -bescherming or -reclassering this year (S5: nearly a quarter).";
    UserPersonsParticipatie: "user_persons_participatie", "persons", Stock, true,
        "Of user_persons, those who used a Participatiewet provision this year (S5: nearly half).";
    WmoUsersYear: "wmo_users_year", "persons", Stock, true,
        "Persons who had Wmo maatwerk at any time so far this year (in December: the year's users, as CBS counts them; facts.md W6: about 1 miljoen in 2016).";
    WmoHhUsersYear: "wmo_hh_users_year", "persons", Stock, true,
        "Persons who had huishoudelijke hulp at some time this year (CBS's yearly count by type; CBS 2020: 38% of 2019's Wmo maatwerk users).";
    WmoThuisUsersYear: "wmo_thuis_users_year", "persons", Stock, true,
        "Persons who had ondersteuning thuis at some time this year (CBS 2020: 27% of 2019's Wmo maatwerk users).";
    WmoHulpmiddelenUsersYear: "wmo_hulpmiddelen_users_year", "persons", Stock, true,
        "Persons who had hulpmiddelen en diensten at some time this year (CBS 2020: 65% of 2019's Wmo maatwerk users).";
    WmoVerblijfUsersYear: "wmo_verblijf_users_year", "persons", Stock, true,
        "Persons who had verblijf en opvang at some time this year (CBS 2020: 4% of 2019's Wmo maatwerk users).";
    WmoAidsOnlyUsersYear: "wmo_aids_only_users_year", "persons", Stock, true,
        "Of wmo_users_year, those whose only provision this year was Wmo hulpmiddelen (facts.md W9: about 0,4 miljoen used only vervoersvoorzieningen in 2016).";
    BijstandWmoShare: "bijstand_wmo_share", "share", Ratio, false,
        "Of persons with bijstand, the share who used Wmo maatwerk this year (facts.md O16: 22% of klassieke bijstand).";
    JeugdHouseholdsOtherLawShare: "jeugd_households_other_law_share", "share", Ratio, false,
        "Of households with a jeugdzorg user this year, the share also using another law (facts.md O5: one in five).";
    UserHouseholds: "user_households", "households", Stock, true,
        "Households with such a user so far this year.";
    UserHouseholdsWmo: "user_households_wmo", "households", Stock, true,
        "Of user_households, those with a Wmo maatwerk user this year (facts.md S4: 4 in 10).";
    UserHouseholdsJeugd: "user_households_jeugd", "households", Stock, true,
        "Of user_households, those with a jeugdzorg user this year (S4: over 2 in 10).";
    UserHouseholdsParticipatie: "user_households_participatie", "households", Stock, true,
        "Of user_households, those with a Participatiewet user this year (S4: nearly 5 in 10).";
    StackedPersons2plus: "stacked_persons_2plus", "persons", Stock, true,
        "Persons who used provisions of two or three laws so far this year.";
    StackedPersons3: "stacked_persons_3", "persons", Stock, true,
        "Persons who used provisions of all three laws so far this year.";
    StackedHouseholds2plus: "stacked_households_2plus", "households", Stock, true,
        "Households whose members used provisions of two or three laws so far this year.";
    StackedSpendingShare: "stacked_spending_share", "share", Ratio, false,
        "Share of care and benefit spending (year to date) on persons using two or more laws this year (facts.md MC49).";
    OutreachShare: "outreach_share", "share", Ratio, false,
        "Share of wijkteam capacity left for outreach after the month's assessments (inhabitant-weighted; MC55, MC56).";
    GemeenteStrictnessPoints: "gemeente_strictness_points", "points", Ratio, false,
        "Extra points gemeenten add to the Wmo thresholds (classic control), inhabitant-weighted mean.";
    GemeenteWmoTariffFactor: "gemeente_wmo_tariff_factor", "factor", Ratio, false,
        "Wmo tariffs relative to 2015 (lowered under control), inhabitant-weighted mean.";
    GemeenteTeamCapacityFactor: "gemeente_team_capacity_factor", "factor", Ratio, false,
        "Wijkteam/loket capacity relative to a 2015 wijkteam (raised when investing), inhabitant-weighted mean.";
    WmoHelpChanceSpread: "wmo_help_chance_spread", "share", Ratio, false,
        "Inequality between gemeenten: p90 minus p10 across gemeenten of the share with Wmo maatwerk among citizens 65+ with a limitation of severity 40-59.";
}

/// The users of each Wmo maatwerk provision.
pub const fn provision_users(k: Provision) -> Ind {
    match k {
        Provision::Hh => Ind::WmoHhUsers,
        Provision::Thuis => Ind::WmoThuisUsers,
        Provision::Hulpmiddelen => Ind::WmoHulpmiddelenUsers,
        Provision::Verblijf => Ind::WmoVerblijfUsers,
    }
}

/// The spending on each Wmo maatwerk provision.
pub const fn provision_spending(k: Provision) -> Ind {
    match k {
        Provision::Hh => Ind::WmoSpendingHhEur,
        Provision::Thuis => Ind::WmoSpendingThuisEur,
        Provision::Hulpmiddelen => Ind::WmoSpendingHulpmiddelenEur,
        Provision::Verblijf => Ind::WmoSpendingVerblijfEur,
    }
}

/// The users (or, for a GI's measures, the measures) of each form of youth care.
pub const fn form_users(f: YouthForm) -> Ind {
    match f {
        YouthForm::Wijkteam => Ind::JeugdhulpWijkteamUsers,
        YouthForm::Ambulant => Ind::JeugdhulpAmbulantUsers,
        YouthForm::Verblijf => Ind::JeugdhulpVerblijfUsers,
        YouthForm::Jeugdbescherming => Ind::JeugdbeschermingMeasures,
        YouthForm::Jeugdreclassering => Ind::JeugdreclasseringMeasures,
    }
}

/// The users of each Wmo maatwerk provision over the year so far.
pub const fn provision_users_year(k: Provision) -> Ind {
    match k {
        Provision::Hh => Ind::WmoHhUsersYear,
        Provision::Thuis => Ind::WmoThuisUsersYear,
        Provision::Hulpmiddelen => Ind::WmoHulpmiddelenUsersYear,
        Provision::Verblijf => Ind::WmoVerblijfUsersYear,
    }
}

/// The youths who received a form of jeugdhulp over the year so far (`None` for a GI's
/// measures, whose yearly counts are not kept).
pub const fn form_users_year(f: YouthForm) -> Option<Ind> {
    match f {
        YouthForm::Wijkteam => Some(Ind::JeugdhulpWijkteamUsersYear),
        YouthForm::Ambulant => Some(Ind::JeugdhulpAmbulantUsersYear),
        YouthForm::Verblijf => Some(Ind::JeugdhulpVerblijfUsersYear),
        YouthForm::Jeugdbescherming | YouthForm::Jeugdreclassering => None,
    }
}

/// The referrals to youth care by each route.
pub const fn route_referrals(r: Route) -> Ind {
    match r {
        Route::Gp => Ind::JeugdReferralsGp,
        Route::School => Ind::JeugdReferralsSchool,
        Route::Specialist => Ind::JeugdReferralsSpecialist,
        Route::Wijkteam => Ind::JeugdReferralsWijkteam,
        Route::Court => Ind::JeugdReferralsCourt,
    }
}

impl Ind {
    /// The indicator's definition.
    pub fn def(self) -> &'static Indicator {
        &INDICATORS[self as usize]
    }
}

/// Looks an indicator up by name.
pub fn by_name(name: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.name == name)
}

/// Per-gemeente stocks measured at the end of a month.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GemeenteStocks {
    /// Wmo maatwerk users.
    pub wmo_users: u32,
    /// Waiting for Wmo assessment or provider.
    pub wmo_waiting: u32,
    /// In the Wlz.
    pub wlz: u32,
    /// Youths with jeugdhulp.
    pub jeugdhulp_users: u32,
    /// Youths waiting for jeugdhulp.
    pub jeugd_waiting: u32,
    /// Inhabitants.
    pub population: u32,
    /// Aged 0-17.
    pub age_0_17: u32,
    /// Aged 18-66.
    pub age_18_66: u32,
    /// Aged 67+.
    pub age_67_plus: u32,
    /// Households.
    pub households: u32,
    /// Persons with bijstand.
    pub bijstand: u32,
    /// Reserves at the end of the month, euros (sample).
    pub reserves_eur: f64,
}

/// Per-gemeente flows counted during a month.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GemeenteFlows {
    /// Wmo applications.
    pub wmo_applications: u32,
    /// Wmo rejections.
    pub wmo_rejections: u32,
    /// Wmo spending, euros.
    pub wmo_spending_eur: f64,
    /// Wmo spending by maatwerk provision, euros.
    pub wmo_spending_by_provision: PerProvision<f64>,
    /// Spending on algemene voorzieningen for referred users, euros.
    pub wmo_spending_algemeen_eur: f64,
    /// Wmo co-payments collected, euros.
    pub wmo_copay_eur: f64,
    /// Co-payments the income-dependent rule collects beyond the flat rule (same households).
    pub wmo_copay_rule_gap_eur: f64,
    /// Youth referrals by route.
    pub jeugd_referrals: [u32; Route::COUNT],
    /// Jeugdwet spending, euros.
    pub jeugd_spending_eur: f64,
    /// Jeugdwet spending by form, euros.
    pub jeugd_spending_by_form: PerForm<f64>,
    /// Births.
    pub births: u32,
    /// Deaths.
    pub deaths: u32,
    /// Wsw employees who died; who emigrated.
    pub wsw_gone: [u32; 2],
    /// Immigrants settling here.
    pub immigrants: u32,
    /// Emigrants leaving from here.
    pub emigrants: u32,
    /// Persons moving in from another gemeente.
    pub moved_in: u32,
    /// Persons moving out to another gemeente.
    pub moved_out: u32,
    /// Bijstand benefits, euros.
    pub bijstand_eur: f64,
    /// Reintegration spending, euros.
    pub reintegration_eur: f64,
    /// Wsw subsidy, euros.
    pub wsw_eur: f64,
    /// Wajong benefits, euros.
    pub wajong_eur: f64,
    /// Wijkteam (assessment capacity) cost, euros.
    pub team_eur: f64,
    /// Coordination and administrative cost, euros.
    pub coordination_eur: f64,
    /// Budget received per law (Wmo, Jeugd, participation, BUIG: a twelfth of the year's, plus
    /// the Wlz reward and safety-net payments), euros.
    pub budget_law: [f64; LAWS],
    /// Spending of the gemeente per law (Wmo net of co-payments with the wijkteam, Jeugd, each
    /// with its share of coordination; reintegration; bijstand), euros. The Wsw subsidy passes
    /// through the gemeente from the Rijk and is in neither.
    pub spending_law: [f64; LAWS],
    /// Safety-net payments, euros.
    pub vangnet_eur: f64,
    /// Own funds a supervised gemeente adds to the social domain, euros.
    pub own_funds_eur: f64,
    /// Aanvullende uitkering (Financiële-verhoudingswet art. 12), euros.
    pub article12_eur: f64,
    /// Care and benefit spending on persons using two or more laws this year, euros.
    pub stacked_eur: f64,
    /// Care and benefit spending on persons of all three laws, euros.
    pub law_spending_eur: f64,
}

impl GemeenteFlows {
    /// Budget received, all laws, euros.
    pub fn budget_eur(&self) -> f64 {
        self.budget_law.iter().sum()
    }

    /// Spending, all laws, euros.
    pub fn spending_eur(&self) -> f64 {
        self.spending_law.iter().sum()
    }

    /// Adds `o` into `self`.
    pub fn add(&mut self, o: &GemeenteFlows) {
        self.births += o.births;
        self.deaths += o.deaths;
        self.wsw_gone[0] += o.wsw_gone[0];
        self.wsw_gone[1] += o.wsw_gone[1];
        self.immigrants += o.immigrants;
        self.emigrants += o.emigrants;
        self.moved_in += o.moved_in;
        self.moved_out += o.moved_out;
        self.wmo_applications += o.wmo_applications;
        self.wmo_rejections += o.wmo_rejections;
        self.wmo_spending_eur += o.wmo_spending_eur;
        self.wmo_spending_by_provision
            .add(&o.wmo_spending_by_provision);
        self.wmo_spending_algemeen_eur += o.wmo_spending_algemeen_eur;
        for (a, b) in self.jeugd_referrals.iter_mut().zip(&o.jeugd_referrals) {
            *a += b;
        }
        self.jeugd_spending_eur += o.jeugd_spending_eur;
        self.jeugd_spending_by_form.add(&o.jeugd_spending_by_form);
        self.wmo_copay_eur += o.wmo_copay_eur;
        self.wmo_copay_rule_gap_eur += o.wmo_copay_rule_gap_eur;
        self.bijstand_eur += o.bijstand_eur;
        self.reintegration_eur += o.reintegration_eur;
        self.wsw_eur += o.wsw_eur;
        self.wajong_eur += o.wajong_eur;
        self.team_eur += o.team_eur;
        self.coordination_eur += o.coordination_eur;
        for law in 0..LAWS {
            self.budget_law[law] += o.budget_law[law];
            self.spending_law[law] += o.spending_law[law];
        }
        self.vangnet_eur += o.vangnet_eur;
        self.own_funds_eur += o.own_funds_eur;
        self.article12_eur += o.article12_eur;
        self.stacked_eur += o.stacked_eur;
        self.law_spending_eur += o.law_spending_eur;
    }
}

/// What one month produced: national indicators (unscaled sample values) and per-gemeente
/// stocks and flows.
#[derive(Clone, Debug)]
pub struct MonthRecord {
    /// The month.
    pub month: Month,
    /// One value per [`INDICATORS`] entry, on the sample (not yet scaled).
    pub national: Vec<f64>,
    /// Per gemeente stocks at the end of the month.
    pub stocks: Vec<GemeenteStocks>,
    /// Per gemeente flows during the month.
    pub flows: Vec<GemeenteFlows>,
}

/// Age of the oldest in the `population_0_17` band and the youngest in `population_67_plus`
/// (fixed bands, CBS's usual age groups; the 67 is roughly the AOW age).
const CHILD_MAX_AGE: u32 = 17;
/// See [`CHILD_MAX_AGE`].
const OLD_AGE: u32 = 67;
/// A household is "older" when its head is this age or over (and no children live at home).
const OLDER_HOUSEHOLD_AGE: u32 = 65;

/// The month's record being filled in: one national value per indicator (on the sample), and
/// per-gemeente stocks. Each law's tally writes its own indicators into it.
struct Sheet {
    national: Vec<f64>,
    stocks: Vec<GemeenteStocks>,
}

impl Sheet {
    fn set(&mut self, i: Ind, v: f64) {
        self.national[i as usize] = v;
    }
}

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Private households by type, nationally.
#[derive(Clone, Copy, Default)]
struct HouseholdTypes {
    single: u32,
    couple: u32,
    children: u32,
    older: u32,
}

/// Inhabitants by age band and households per gemeente, and households by type.
struct PopulationTally {
    stocks: Vec<GemeenteStocks>,
    types: HouseholdTypes,
}

/// The type of a private household with `adults` adults, `children` children living at home
/// and a head aged `head_age`.
fn household_type(t: &mut HouseholdTypes, adults: u8, children: u8, head_age: u32) {
    if children > 0 || adults == 0 {
        t.children += 1;
    } else if head_age >= OLDER_HOUSEHOLD_AGE {
        t.older += 1;
    } else if adults == 1 {
        t.single += 1;
    } else {
        t.couple += 1;
    }
}

/// Inhabitants among the citizens `r` (one chunk), by age band per gemeente. Integer counts,
/// so the sum is the same in any order.
pub fn count_people(world: &World, month: Month, r: std::ops::Range<usize>) -> Vec<GemeenteStocks> {
    let n_g = world.geography.gemeenten.len();
    let c = &world.citizens;
    let h = &world.households;
    let mut s = vec![GemeenteStocks::default(); n_g];
    for i in r {
        if !c.flags[i].contains(ALIVE) {
            continue;
        }
        let g = h.gemeente[c.household[i] as usize] as usize;
        let a = c.age(i, month);
        let t = &mut s[g];
        t.population += 1;
        if a <= CHILD_MAX_AGE {
            t.age_0_17 += 1;
        } else if a < OLD_AGE {
            t.age_18_66 += 1;
        } else {
            t.age_67_plus += 1;
        }
    }
    s
}

/// Inhabitants (from the chunks' [`count_people`]) and households (by type) per gemeente.
fn population(world: &World, month: Month, people: Vec<Vec<GemeenteStocks>>) -> PopulationTally {
    let n_g = world.geography.gemeenten.len();
    let c = &world.citizens;
    let h = &world.households;
    let mut stocks = vec![GemeenteStocks::default(); n_g];
    for p in &people {
        for (t, x) in stocks.iter_mut().zip(p) {
            t.population += x.population;
            t.age_0_17 += x.age_0_17;
            t.age_18_66 += x.age_18_66;
            t.age_67_plus += x.age_67_plus;
        }
    }
    let parts = map_chunks(h.len(), |r| {
        let mut t = HouseholdTypes::default();
        let mut per_g = vec![0u32; n_g];
        for k in r {
            let m = h.members[k];
            if m == 0 {
                continue;
            }
            per_g[h.gemeente[k] as usize] += 1;
            let adults = h.n_adults(k);
            let head = h.adults[k][0];
            let head_age = if head == NONE {
                0
            } else {
                c.age(head as usize, month)
            };
            household_type(&mut t, adults, m - adults, head_age);
        }
        (t, per_g)
    });
    let mut types = HouseholdTypes::default();
    for (t, per_g) in &parts {
        types.single += t.single;
        types.couple += t.couple;
        types.children += t.children;
        types.older += t.older;
        for (s, &x) in stocks.iter_mut().zip(per_g) {
            s.households += x;
        }
    }
    PopulationTally { stocks, types }
}

/// Population, households and demographic flows.
fn record_population(sheet: &mut Sheet, people: &PopulationTally, total: &GemeenteFlows) {
    let stocks = &people.stocks;
    let sum = |f: fn(&GemeenteStocks) -> u32| stocks.iter().map(|s| f(s) as f64).sum::<f64>();
    let pop = stocks.iter().map(|s| u64::from(s.population)).sum::<u64>() as f64;
    let households = sum(|s| s.households);
    let t = &people.types;
    sheet.set(Ind::Population, pop);
    sheet.set(Ind::Population0_17, sum(|s| s.age_0_17));
    sheet.set(Ind::Population18_66, sum(|s| s.age_18_66));
    sheet.set(Ind::Population67Plus, sum(|s| s.age_67_plus));
    sheet.set(Ind::Households, households);
    sheet.set(Ind::HouseholdsSingle, f64::from(t.single));
    sheet.set(Ind::HouseholdsCouple, f64::from(t.couple));
    sheet.set(Ind::HouseholdsWithChildren, f64::from(t.children));
    sheet.set(Ind::HouseholdsOlder, f64::from(t.older));
    sheet.set(Ind::MeanHouseholdSize, ratio(pop, households));
    sheet.set(Ind::Births, f64::from(total.births));
    sheet.set(Ind::Deaths, f64::from(total.deaths));
    sheet.set(Ind::Immigrants, f64::from(total.immigrants));
    sheet.set(Ind::Emigrants, f64::from(total.emigrants));
    sheet.set(Ind::Movers, f64::from(total.moved_out));
    sheet.set(Ind::Agents, pop);
}

/// The Wmo and the Wlz.
fn record_wmo(sheet: &mut Sheet, wmo: &WmoTally, total: &GemeenteFlows) {
    sheet.set(Ind::PersonsLimited, f64::from(wmo.limited + wmo.wlz));
    sheet.set(Ind::WmoUsers, f64::from(wmo.users));
    for (k, &n) in wmo.by_provision.iter() {
        sheet.set(provision_users(k), f64::from(n));
    }
    sheet.set(Ind::WmoAlgemeenUsers, f64::from(wmo.algemeen));
    sheet.set(Ind::WmoUsers65Plus, f64::from(wmo.users_65_plus));
    let quintiles = [
        Ind::WmoUsersQ1,
        Ind::WmoUsersQ2,
        Ind::WmoUsersQ3,
        Ind::WmoUsersQ4,
        Ind::WmoUsersQ5,
    ];
    for (ind, &n) in quintiles.into_iter().zip(&wmo.by_quintile) {
        sheet.set(ind, f64::from(n));
    }
    sheet.set(Ind::WmoApplications, f64::from(total.wmo_applications));
    sheet.set(Ind::WmoRejections, f64::from(total.wmo_rejections));
    sheet.set(Ind::WmoWaiting, f64::from(wmo.waiting));
    sheet.set(
        Ind::WmoWaitMonthsMean,
        ratio(wmo.wait_months as f64, f64::from(wmo.waiting)),
    );
    sheet.set(Ind::WmoUnmetNeed, f64::from(wmo.unmet));
    sheet.set(Ind::WmoSpendingEur, total.wmo_spending_eur);
    sheet.set(
        Ind::WmoSpendingMaatwerkEur,
        total.wmo_spending_by_provision.values().iter().sum(),
    );
    sheet.set(Ind::WmoCopayEur, total.wmo_copay_eur);
    sheet.set(Ind::WmoCopayRuleGapEur, total.wmo_copay_rule_gap_eur);
    for (k, &eur) in total.wmo_spending_by_provision.iter() {
        sheet.set(provision_spending(k), eur);
    }
    sheet.set(Ind::WmoSpendingAlgemeenEur, total.wmo_spending_algemeen_eur);
    sheet.set(Ind::WlzPersons, f64::from(wmo.wlz));
    for (s, x) in sheet.stocks.iter_mut().zip(&wmo.per_gemeente) {
        s.wmo_users = x[0];
        s.wmo_waiting = x[1];
        s.wlz = x[2];
    }
}

/// Informal care.
fn record_care(sheet: &mut Sheet, care: &CareTally) {
    sheet.set(Ind::Carers, f64::from(care.carers));
    sheet.set(Ind::CarersIntensive, f64::from(care.intensive));
    sheet.set(Ind::CarersOverloaded, f64::from(care.overloaded));
    sheet.set(
        Ind::CarersOverloadedShare,
        ratio(f64::from(care.overloaded), f64::from(care.carers)),
    );
    sheet.set(Ind::CarerHours, care.hours);
    sheet.set(Ind::CarersCbs, f64::from(care.cbs));
    sheet.set(
        Ind::CarersCbsHoursMean,
        ratio(care.cbs_hours as f64, f64::from(care.cbs)),
    );
}

/// The Jeugdwet.
fn record_jeugd(sheet: &mut Sheet, jeugd: &JeugdTally, jb_year: &JbYear, total: &GemeenteFlows) {
    sheet.set(Ind::JeugdhulpUsers, f64::from(jeugd.users));
    sheet.set(Ind::JeugdhulpHouseholds, f64::from(jeugd.households));
    sheet.set(Ind::JeugdhulpUsersYear, f64::from(jeugd.users_year));
    sheet.set(
        Ind::JeugdhulpHouseholdsYear,
        f64::from(jeugd.households_year),
    );
    let young: f64 = sheet.stocks.iter().map(|s| f64::from(s.age_0_17)).sum();
    sheet.set(
        Ind::JeugdhulpShare0_17Year,
        ratio(f64::from(jeugd.users_year_0_17), young),
    );
    for f in YouthForm::ALL {
        // A court order counts from the order, whether or not a GI has started it.
        let n = match f.supplier() {
            Supplier::Wijkteam | Supplier::Provider => jeugd.by_form[f],
            Supplier::Gi => jeugd.by_form[f] + jeugd.waiting_for[f],
        };
        sheet.set(form_users(f), f64::from(n));
        if let Some(ind) = form_users_year(f) {
            sheet.set(ind, f64::from(jeugd.year_by_form[f]));
        }
    }
    sheet.set(Ind::JeugdWaiting, f64::from(jeugd.waiting));
    sheet.set(
        Ind::JbWaiting,
        f64::from(jeugd.waiting_for[YouthForm::Jeugdbescherming]),
    );
    sheet.set(
        Ind::JbSeenInTimeShare,
        ratio(
            f64::from(jb_year.in_time),
            f64::from(jb_year.started + jb_year.never),
        ),
    );
    for r in Route::ALL {
        let n = total.jeugd_referrals[r as usize];
        sheet.set(route_referrals(r), f64::from(n));
    }
    sheet.set(Ind::JeugdSpendingEur, total.jeugd_spending_eur);
    let by_supplier = |who: Supplier| -> f64 {
        YouthForm::ALL
            .iter()
            .filter(|f| f.supplier() == who)
            .map(|&f| total.jeugd_spending_by_form[f])
            .sum()
    };
    sheet.set(
        Ind::JeugdSpendingProvidersEur,
        by_supplier(Supplier::Provider),
    );
    sheet.set(Ind::JeugdSpendingGiEur, by_supplier(Supplier::Gi));
    for (s, &x) in sheet.stocks.iter_mut().zip(&jeugd.per_gemeente) {
        s.jeugdhulp_users = x[0];
        s.jeugd_waiting = x[1];
    }
}

/// Work and income (the labour tally of `labour.rs`).
fn record_labour(sheet: &mut Sheet, work: &LabourTally, placed: u32, total: &GemeenteFlows) {
    let by = |k: LabourStatus| f64::from(work.by_status[k.index()]);
    sheet.set(Ind::EmployedPersons, by(LabourStatus::Employed));
    sheet.set(Ind::WwPersons, by(LabourStatus::Ww));
    sheet.set(Ind::EducationPersons, by(LabourStatus::Education));
    sheet.set(Ind::InactivePersons, by(LabourStatus::Inactive));
    sheet.set(Ind::BijstandPersons, by(LabourStatus::Bijstand));
    sheet.set(
        Ind::BijstandKlassiekPersons,
        f64::from(work.bijstand_klassiek),
    );
    sheet.set(Ind::NuggerPersons, by(LabourStatus::Nugger));
    sheet.set(Ind::WajongPersons, f64::from(work.wajong));
    sheet.set(Ind::WswEmployees, by(LabourStatus::Wsw));
    sheet.set(Ind::WswExitsDeath, f64::from(total.wsw_gone[0]));
    sheet.set(Ind::WswExitsPension, f64::from(work.wsw_left[0]));
    sheet.set(
        Ind::WswExitsOther,
        f64::from(work.wsw_left[1] + total.wsw_gone[1]),
    );
    sheet.set(Ind::WswWaitlist, f64::from(work.wsw_waitlist));
    sheet.set(Ind::BeschutWerkPersons, by(LabourStatus::Beschut));
    sheet.set(Ind::LksPersons, f64::from(work.lks));
    sheet.set(Ind::BegeleidWerkPersons, f64::from(work.begeleid));
    sheet.set(
        Ind::ParticipatieplaatsPersons,
        f64::from(work.participatieplaats),
    );
    sheet.set(Ind::LightReintegrationPersons, f64::from(work.light));
    sheet.set(
        Ind::ReintegrationTrajectoryShare,
        ratio(
            f64::from(work.klassiek_in_trajectory),
            f64::from(work.bijstand_klassiek),
        ),
    );
    sheet.set(
        Ind::NuggerTrajectoryShare,
        ratio(
            f64::from(work.nugger_in_trajectory),
            by(LabourStatus::Nugger),
        ),
    );
    sheet.set(Ind::YoungDisabledPersons, f64::from(work.young_disabled));
    sheet.set(
        Ind::ShelteredNotWorking,
        f64::from(work.sheltered_not_working),
    );
    sheet.set(Ind::DebtPersons, f64::from(work.debts));
    sheet.set(Ind::PoolPlacements, f64::from(placed));
    sheet.set(Ind::PoolOffersRefused, f64::from(work.offers_refused));
    sheet.set(Ind::IncomeMedian, work.income_median);
    sheet.set(
        Ind::LowIncomeShare,
        ratio(f64::from(work.low_income), f64::from(work.persons)),
    );
    use super::labour::measure::IncomeGroup as G;
    for (g, mean, poor) in [
        (
            G::YoungDisabled,
            Ind::IncomeYoungDisabled,
            Ind::LowIncomeShareYoungDisabled,
        ),
        (
            G::Sheltered,
            Ind::IncomeSheltered,
            Ind::LowIncomeShareSheltered,
        ),
        (
            G::KlassiekeBijstand,
            Ind::IncomeKlassiekeBijstand,
            Ind::LowIncomeShareKlassiekeBijstand,
        ),
        (
            G::Employed,
            Ind::IncomeEmployed,
            Ind::LowIncomeShareEmployed,
        ),
    ] {
        let x = &work.groups[g as usize];
        sheet.set(mean, ratio(x.income, f64::from(x.persons)));
        sheet.set(poor, ratio(f64::from(x.poor), f64::from(x.persons)));
    }
    sheet.set(
        Ind::WorkEntryIncomeChange,
        ratio(work.work_entries.1, f64::from(work.work_entries.0)),
    );
    sheet.set(
        Ind::EmployersEmployingShare,
        ratio(
            f64::from(work.employers_employing),
            f64::from(work.employers),
        ),
    );
    sheet.set(Ind::BijstandSpendingEur, total.bijstand_eur);
    sheet.set(Ind::ReintegrationSpendingEur, total.reintegration_eur);
    sheet.set(Ind::WswSpendingEur, total.wsw_eur);
    sheet.set(Ind::WajongSpendingEur, total.wajong_eur);
    for (s, &x) in sheet.stocks.iter_mut().zip(&work.bijstand_per_gemeente) {
        s.bijstand = x;
    }
}

/// Per law (Wmo, Jeugd, participation, BUIG): budget, spending, result, gemeenten in deficit.
pub const BOOKS_PER_LAW: [[Ind; 4]; LAWS] = [
    [
        Ind::GemeenteBudgetWmoEur,
        Ind::GemeenteSpendingWmoEur,
        Ind::GemeenteResultWmoEur,
        Ind::GemeentenInDeficitWmo,
    ],
    [
        Ind::GemeenteBudgetJeugdEur,
        Ind::GemeenteSpendingJeugdEur,
        Ind::GemeenteResultJeugdEur,
        Ind::GemeentenInDeficitJeugd,
    ],
    [
        Ind::GemeenteBudgetParticipatieEur,
        Ind::GemeenteSpendingParticipatieEur,
        Ind::GemeenteResultParticipatieEur,
        Ind::GemeentenInDeficitParticipatie,
    ],
    [
        Ind::GemeenteBudgetBuigEur,
        Ind::GemeenteSpendingBuigEur,
        Ind::GemeenteResultBuigEur,
        Ind::GemeentenInDeficitBuig,
    ],
];

/// Gemeenten: books, coordination, stacking of laws, policy.
fn record_gemeente(sheet: &mut Sheet, gem: &GemeenteTally, total: &GemeenteFlows) {
    sheet.set(Ind::GemeenteBudgetEur, total.budget_eur());
    sheet.set(Ind::GemeenteSpendingEur, total.spending_eur());
    sheet.set(
        Ind::GemeenteResultEur,
        total.budget_eur() - total.spending_eur(),
    );
    sheet.set(Ind::GemeentenInDeficit, f64::from(gem.in_deficit));
    sheet.set(Ind::GemeentenSupervised, f64::from(gem.supervised));
    sheet.set(Ind::GemeenteOwnFundsEur, total.own_funds_eur);
    sheet.set(Ind::GemeenteArticle12Eur, total.article12_eur);
    let [cost, cpi] = gem.price_index;
    sheet.set(Ind::CostIndex, cost);
    sheet.set(Ind::ConsumerPriceIndex, cpi);
    sheet.set(Ind::GemeenteBudgetRealEur, total.budget_eur() / cpi);
    sheet.set(Ind::GemeenteSpendingRealEur, total.spending_eur() / cpi);
    sheet.set(
        Ind::GemeenteResultRealEur,
        (total.budget_eur() - total.spending_eur()) / cpi,
    );
    sheet.set(Ind::GemeenteReservesRealEur, gem.reserves / cpi);
    for (law, [budget, spending, result, deficit]) in BOOKS_PER_LAW.into_iter().enumerate() {
        sheet.set(budget, total.budget_law[law]);
        sheet.set(spending, total.spending_law[law]);
        sheet.set(result, total.budget_law[law] - total.spending_law[law]);
        sheet.set(deficit, f64::from(gem.in_deficit_law[law]));
    }
    sheet.set(Ind::GemeenteReservesEur, gem.reserves);
    sheet.set(Ind::VangnetEur, total.vangnet_eur);
    sheet.set(Ind::CoordinationCostEur, total.coordination_eur);
    let care = total.wmo_spending_eur - total.wmo_copay_eur
        + total.team_eur
        + total.jeugd_spending_eur
        + total.coordination_eur;
    sheet.set(
        Ind::CoordinationCostShare,
        ratio(total.coordination_eur, care),
    );
    let share = |x: [u32; 2]| ratio(f64::from(x[1]), f64::from(x[0]));
    sheet.set(Ind::UserPersons, f64::from(gem.user_persons));
    let [wmo, jeugd, participatie] = gem.user_persons_law;
    sheet.set(Ind::UserPersonsWmo, f64::from(wmo));
    sheet.set(Ind::UserPersonsJeugd, f64::from(jeugd));
    sheet.set(Ind::UserPersonsParticipatie, f64::from(participatie));
    sheet.set(Ind::WmoUsersYear, f64::from(gem.wmo_year[0]));
    sheet.set(Ind::WmoAidsOnlyUsersYear, f64::from(gem.wmo_year[1]));
    for (k, &n) in gem.wmo_year_by_provision.iter() {
        sheet.set(provision_users_year(k), f64::from(n));
    }
    sheet.set(Ind::BijstandWmoShare, share(gem.bijstand_wmo));
    sheet.set(
        Ind::JeugdHouseholdsOtherLawShare,
        share(gem.jeugd_households_other),
    );
    sheet.set(Ind::UserHouseholds, f64::from(gem.user_households));
    let [wmo, jeugd, participatie] = gem.user_households_law;
    sheet.set(Ind::UserHouseholdsWmo, f64::from(wmo));
    sheet.set(Ind::UserHouseholdsJeugd, f64::from(jeugd));
    sheet.set(Ind::UserHouseholdsParticipatie, f64::from(participatie));
    sheet.set(Ind::StackedPersons2plus, f64::from(gem.stacked_persons[0]));
    sheet.set(Ind::StackedPersons3, f64::from(gem.stacked_persons[1]));
    sheet.set(
        Ind::StackedHouseholds2plus,
        f64::from(gem.stacked_households),
    );
    sheet.set(Ind::StackedSpendingShare, gem.stacked_spending_share);
    sheet.set(Ind::OutreachShare, gem.outreach_share);
    sheet.set(Ind::WmoHelpChanceSpread, gem.help_chance_spread);
    sheet.set(Ind::GemeenteStrictnessPoints, gem.policy[0]);
    sheet.set(Ind::GemeenteWmoTariffFactor, gem.policy[1]);
    sheet.set(Ind::GemeenteTeamCapacityFactor, gem.policy[2]);
    for (s, &x) in sheet.stocks.iter_mut().zip(&gem.reserves_per_gemeente) {
        s.reserves_eur = x;
    }
}

/// Measures the world at the end of `month`: the population here (from the chunks'
/// [`count_people`], counted in the same pass over citizens as the laws' tallies), and each
/// law's tally (measured by its own module) written into the record by its `record_*`
/// function.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    world: &World,
    month: Month,
    people: Vec<Vec<GemeenteStocks>>,
    flows: Vec<GemeenteFlows>,
    wmo: &WmoTally,
    care: &CareTally,
    jeugd: &JeugdTally,
    jb_year: &JbYear,
    work: &LabourTally,
    placed: u32,
    gem: &GemeenteTally,
) -> MonthRecord {
    let people = population(world, month, people);
    let mut total = GemeenteFlows::default();
    for f in &flows {
        total.add(f);
    }
    let mut sheet = Sheet {
        national: vec![0.0; INDICATORS.len()],
        stocks: people.stocks.clone(),
    };
    record_population(&mut sheet, &people, &total);
    record_wmo(&mut sheet, wmo, &total);
    record_care(&mut sheet, care);
    record_jeugd(&mut sheet, jeugd, jb_year, &total);
    record_labour(&mut sheet, work, placed, &total);
    record_gemeente(&mut sheet, gem, &total);
    MonthRecord {
        month,
        national: sheet.national,
        stocks: sheet.stocks,
        flows,
    }
}

/// The indicator list as a Markdown table (`sociaal indicators --markdown`, docs/indicators.md).
pub fn markdown() -> String {
    let mut s = String::from(
        "# Indicators\n\nGenerated by `sociaal indicators --markdown`; a test keeps this file true.\n\n\
         Stocks are end-of-month levels (a year's value is December's), flows are counts during the\n\
         month (a year's value is the sum), ratios are end-of-month ratios. Scaled indicators are\n\
         measured on the sample and divided by `scale`, so they read as national figures.\n\n\
         | indicator | unit | kind | scaled | definition |\n|---|---|---|---|---|\n",
    );
    for i in INDICATORS {
        let kind = match i.kind {
            Kind::Stock => "stock",
            Kind::Flow => "flow",
            Kind::Ratio => "ratio",
        };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            i.name,
            i.unit,
            kind,
            if i.scaled { "yes" } else { "no" },
            i.definition
        ));
    }
    s.push_str(
        "\n## Cohort indicators (`cohorts.csv`)\n\n\
         Written per run to `cohorts.csv` (columns `cohort,indicator,value`) and over replications\n\
         to `cohorts_summary.csv`. The cohort is a year Y; a cohort appears once its window has\n\
         closed within the run. Shares, not scaled.\n\n| indicator | definition |\n|---|---|\n",
    );
    for (name, def) in super::cohorts::COHORT_DEFINITIONS {
        s.push_str(&format!("| `{name}` | {def} |\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_in_enum_order() {
        for (i, ind) in INDICATORS.iter().enumerate() {
            assert!(
                INDICATORS[..i].iter().all(|o| o.name != ind.name),
                "{}",
                ind.name
            );
            assert!(
                ind.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
        assert_eq!(Ind::Population.def().name, "population");
        assert_eq!(Ind::Agents.def().name, "agents");
        assert_eq!(by_name("births").map(|i| i.kind), Some(Kind::Flow));
    }
}
