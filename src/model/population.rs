//! The starting population: households sampled per gemeente until the gemeente's share of
//! agents (`population * scale`) is reached.
//!
//! Household types and children per family come from the scenario (CBS 2015 shares). The age
//! of household heads within each type is a fixed mixture (assumption), tuned so that the
//! national age structure on 1 January 2015 comes out near CBS: 20% aged 0-17, 65% aged
//! 18-66 and 15-16% aged 67+ (a unit test checks this).

use super::geography::Geography;
use super::streams as ps;
use super::world::{
    ADULT, ALIVE, CareLinks, Citizens, FEMALE, Households, NONE, Placements, World,
};
use crate::engine::{Month, Stream};
use crate::model::world::CitizenFlags;
use crate::scenario::netherlands::Profile;
use crate::scenario::params::{Params, PopulationParams};
use rayon::prelude::*;

/// One person of a sampled household: age in months, female, adult of the household.
#[derive(Clone, Copy, Debug)]
pub struct Person {
    /// Age in months on the start date.
    pub age_months: u32,
    /// Female.
    pub female: bool,
    /// Adult of the household (head or partner).
    pub adult: bool,
}

/// A sampled household before it is placed in the world.
#[derive(Clone, Debug)]
pub struct SampledHousehold {
    /// Head first, then partner, then children.
    pub people: Vec<Person>,
}

/// An age in whole months from a (continuous) age in years. Adding a random month, as before
/// issue #19, made everyone about five months older and left age 0 with half its share.
pub fn years(years: f64) -> u32 {
    (years.max(0.0) * 12.0) as u32
}

/// Youngest adult age, years: partners are at least this old.
pub const ADULT_YEARS: f64 = 18.0;

/// Age from which a household head counts as older: their age is drawn by five-year band.
pub const OLD_AGE: f64 = 65.0;

/// Width of the age bands of older heads, years.
const BAND_YEARS: f64 = 5.0;

/// Age of an older household head: a five-year band from `weights` (65-69, 70-74, ...),
/// uniform within it.
fn old_age(rng: &mut Stream, weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    let mut u = rng.uniform() * total;
    for (b, w) in weights.iter().enumerate() {
        if u < *w {
            return OLD_AGE + BAND_YEARS * (b as f64 + rng.uniform());
        }
        u -= w;
    }
    OLD_AGE + BAND_YEARS * (weights.len() as f64 - 1.0 + rng.uniform())
}

/// Older singles by five-year band from 65 (widowhood makes them older than couples).
/// Assumption, set so that the 65+ age structure of 1 January 2015 comes out near CBS.
const OLD_SINGLE: [f64; 7] = [0.18, 0.18, 0.19, 0.19, 0.15, 0.08, 0.02];
/// Older couples (age of the man) by five-year band from 65. Assumption, as above.
const OLD_COUPLE: [f64; 7] = [0.38, 0.29, 0.18, 0.10, 0.04, 0.01, 0.0];

/// Where middle-aged heads start, years ([`HeadAges`]).
const MIDDLE_FROM: f64 = 35.0;
/// The span of middle-aged heads' ages from [`MIDDLE_FROM`], years ([`HeadAges`]).
const MIDDLE_SPAN: f64 = 30.0;

/// The age of the head of a household without children: young (uniform over a span), middle
/// aged (35-65, bent by a power: below 1 leans to the older end) or older (five-year bands).
struct HeadAges {
    /// Share young.
    young: f64,
    /// Youngest age of the young.
    young_from: f64,
    /// The span of the young's ages (uniform).
    young_span: f64,
    /// Share young or middle-aged (cumulative).
    young_or_middle: f64,
    /// Power on the uniform draw of the middle-aged.
    middle_power: f64,
    /// Older heads by five-year band from 65.
    old: &'static [f64; 7],
}

/// Heads of single-person households. Assumption, set (with the other mixtures) so that the
/// national age structure of 1 January 2015 comes out near CBS.
const SINGLE_HEADS: HeadAges = HeadAges {
    young: 0.29,
    young_from: 18.0,
    young_span: 17.0,
    young_or_middle: 0.63,
    middle_power: 0.7,
    old: &OLD_SINGLE,
};

/// Heads (the man) of couples without children at home. Assumption, as above.
const COUPLE_HEADS: HeadAges = HeadAges {
    young: 0.22,
    young_from: 22.0,
    young_span: 13.0,
    young_or_middle: 0.58,
    middle_power: 0.35,
    old: &OLD_COUPLE,
};

/// Share of women among single heads from 65 (widowhood). Assumption near CBS.
const SINGLE_FEMALE_OLD: f64 = 0.7;
/// Share of women among single heads below 65. Assumption near CBS.
const SINGLE_FEMALE_YOUNG: f64 = 0.47;

impl HeadAges {
    /// A head's age, with the chance of a young head times `ages.young` and of an older one
    /// times `ages.old` (both 1 for the national make-up).
    fn draw(&self, rng: &mut Stream, ages: AgeFactors) -> f64 {
        let v = rng.uniform();
        let (young, young_or_middle) = if ages == AgeFactors::NATIONAL {
            (self.young, self.young_or_middle)
        } else {
            // The chance of an older head times the factor, of a young one likewise, the
            // middle-aged taking the rest (at least a tenth).
            let o = ((1.0 - self.young_or_middle) * ages.old).min(MOST_OLD_OR_YOUNG);
            let y = (self.young * ages.young).min(MOST_OLD_OR_YOUNG - o);
            (y, 1.0 - o)
        };
        if v < young {
            self.young_from + self.young_span * rng.uniform()
        } else if v < young_or_middle {
            MIDDLE_FROM + MIDDLE_SPAN * rng.uniform().powf(self.middle_power)
        } else {
            old_age(rng, self.old)
        }
    }
}

/// At most this share of a gemeente's heads without children at home is young or older
/// together (the middle-aged keep at least a tenth). Technical bound.
const MOST_OLD_OR_YOUNG: f64 = 0.9;

/// How a gemeente's household heads without children at home differ in age from the nation's:
/// the chance of a young head (under 35) and of an older one (65+) relative to the national
/// mixture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgeFactors {
    /// Times the national chance of a young head.
    pub young: f64,
    /// Times the national chance of an older head.
    pub old: f64,
}

impl AgeFactors {
    /// The national mixture.
    pub const NATIONAL: AgeFactors = AgeFactors {
        young: 1.0,
        old: 1.0,
    };
}

/// A gemeente's make-up for sampling its households: the household-type shares and the ages of
/// heads without children at home.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    /// Single, couple, couple with children, single parent (adding up to 1).
    pub shares: [f64; 4],
    /// Ages of heads without children at home.
    pub ages: AgeFactors,
}

impl Mix {
    /// The scenario's national make-up (`population.household_shares`, the national ages).
    pub fn national(p: &PopulationParams) -> Mix {
        let s = &p.household_shares;
        Mix {
            shares: [
                s.single.get(),
                s.couple.get(),
                s.couple_with_children.get(),
                s.single_parent.get(),
            ],
            ages: AgeFactors::NATIONAL,
        }
    }

    /// A gemeente's make-up: the national shares of the scenario times the gemeente's CBS share
    /// of one-person households, households without and with children (both kinds of family
    /// alike), each relative to the share in `nation` (the sum of all gemeenten's profiles),
    /// then made to add up to 1; and the chance of a young (older) head without children times
    /// the gemeente's share of inhabitants aged 15-44 (65+) relative to the nation's. So the
    /// national make-up stays the scenario's on average, and the gemeenten differ as CBS counts
    /// them (data/SOURCES.md).
    pub fn of(p: &PopulationParams, own: &Profile, nation: &Profile) -> Mix {
        let n = Mix::national(p);
        let (g, t) = (own.household_shares(), nation.household_shares());
        let f = |k: usize| if t[k] > 0.0 { g[k] / t[k] } else { 1.0 };
        let raw = [
            n.shares[0] * f(0),
            n.shares[1] * f(1),
            n.shares[2] * f(2),
            n.shares[3] * f(2),
        ];
        let sum: f64 = raw.iter().sum();
        let shares = raw.map(|x| x / sum);
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
        // The factor on older heads that gives the gemeente its share of 65+ relative to the
        // nation's, given its household types (which alone move that share too: more
        // one-person households, more older singles).
        let target =
            ratio(own.share_65_plus(), nation.share_65_plus()) * expected_old_share(&n.shares, 1.0);
        let (mut lo, mut hi) = (0.0, 1.0 / (1.0 - COUPLE_HEADS.young_or_middle));
        for _ in 0..50 {
            let mid = 0.5 * (lo + hi);
            if expected_old_share(&shares, mid) < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Mix {
            shares,
            ages: AgeFactors {
                young: ratio(own.share_15_44(), nation.share_15_44()),
                old: 0.5 * (lo + hi),
            },
        }
    }
}

/// Children at home per family, for [`expected_old_share`]: CBS about 1,8. Only the ratio
/// between gemeenten matters.
const CHILDREN_PER_FAMILY: f64 = 1.8;
/// Persons aged 65+ in a couple whose head is: the head and nearly always the partner.
/// Assumption; only the ratio between gemeenten matters.
const OLD_PER_OLD_COUPLE: f64 = 1.8;

/// The expected share of inhabitants aged 65+ under household-type `shares` (single, couple,
/// couple with children, single parent) with the chance of an older head without children
/// times `old` (capped as in the draw).
fn expected_old_share(shares: &[f64; 4], old: f64) -> f64 {
    let o = |h: &HeadAges| ((1.0 - h.young_or_middle) * old).min(MOST_OLD_OR_YOUNG);
    let persons = shares[0]
        + 2.0 * shares[1]
        + (2.0 + CHILDREN_PER_FAMILY) * shares[2]
        + (1.0 + CHILDREN_PER_FAMILY) * shares[3];
    (shares[0] * o(&SINGLE_HEADS) + shares[1] * OLD_PER_OLD_COUPLE * o(&COUPLE_HEADS)) / persons
}

/// Share of families whose youngest child's age is drawn from a ramp over
/// [`YOUNG_FAMILY_YEARS`] (young families whose next child is still to come). Assumption.
const YOUNG_FAMILY_SHARE: f64 = 0.06;
/// The span of that ramp, years. Assumption.
const YOUNG_FAMILY_YEARS: f64 = 5.0;
/// The youngest child's age of the other families is uniform over this span, years.
/// Assumption.
const YOUNGEST_SPAN: f64 = 22.0;
/// Siblings are at least this many years apart ... Assumption.
const SIBLING_GAP_MIN: f64 = 1.5;
/// ... and at most this many more. Assumption.
const SIBLING_GAP_SPAN: f64 = 2.5;
/// Mean age of the mother at the birth of the oldest child at home, years (CBS: 29,5 at the
/// first birth in 2015; older children may have left home).
const MOTHER_AGE_AT_OLDEST: f64 = 30.0;
/// Standard deviation of that age, years. Assumption.
const MOTHER_AGE_SPREAD: f64 = 4.5;
/// A parent is at least this many years older than their oldest child at home.
pub const PARENT_GAP_MIN: f64 = 18.0;
/// A mother is at most this many years older than her oldest child at home.
const MOTHER_GAP_MAX: f64 = 45.0;
/// Children from this age may have left home ...
const LEAVING_FROM: f64 = 18.0;
/// ... with a chance rising linearly to 1 at this age (CBS: median leaving age about 23,5).
const ALL_LEFT_AT: f64 = 26.0;

/// Ages of the children at home of a family (oldest first) and of the mother, in years. The
/// youngest child's age is about flat over 0-22; siblings are 1,5-4 years apart; a child over 18 has
/// left home with a chance rising to 1 at 26 (CBS: median leaving age about 23,5); the mother was
/// on average 30 at the first birth counted from the oldest child at home (CBS: 29,5 in 2015;
/// older children may have left home). Assumptions
/// apart from the CBS figures.
pub fn family(rng: &mut Stream, n: usize) -> (Vec<f64>, f64) {
    loop {
        // Flat over 0-22, plus 6% on a ramp over 0-5 (the young families whose next
        // child is still to come), so that children come out about flat by age.
        let youngest = if rng.chance(YOUNG_FAMILY_SHARE) {
            YOUNG_FAMILY_YEARS * (1.0 - rng.uniform().sqrt())
        } else {
            YOUNGEST_SPAN * rng.uniform()
        };
        let mut ages = vec![youngest];
        for _ in 1..n {
            let next = ages[ages.len() - 1] + SIBLING_GAP_MIN + SIBLING_GAP_SPAN * rng.uniform();
            ages.push(next);
        }
        let oldest = ages[n - 1];
        let mother = (oldest + MOTHER_AGE_AT_OLDEST + MOTHER_AGE_SPREAD * rng.normal())
            .clamp(oldest + PARENT_GAP_MIN, oldest + MOTHER_GAP_MAX);
        ages.retain(|&a| {
            a <= LEAVING_FROM
                || rng.chance(((ALL_LEFT_AT - a) / (ALL_LEFT_AT - LEAVING_FROM)).max(0.0))
        });
        if !ages.is_empty() {
            ages.reverse();
            return (ages, mother);
        }
    }
}

/// Each gemeente's earnings relative to the nation's: where households live shows what they
/// earn (its mean WOZ value, `population.income_housing`; 1 everywhere without CBS profiles).
pub fn income_factors(geography: &Geography, p: &PopulationParams) -> Vec<f64> {
    geography.local_factors(|pr| pr.woz, p.income_housing.get())
}

/// Number of children at home of a family (1-3, shares from the scenario).
pub fn n_children(rng: &mut Stream, p: &PopulationParams) -> usize {
    let u = rng.uniform();
    let c = &p.children;
    if u < c.one.get() {
        1
    } else if u < c.one.get() + c.two.get() {
        2
    } else {
        3
    }
}

/// The age of a father given the mother's: `population.partner_age_gap` older on average,
/// and at least [`PARENT_GAP_MIN`] years older than the oldest child.
pub fn father_age(rng: &mut Stream, p: &PopulationParams, mother: f64, oldest_child: f64) -> f64 {
    (mother + p.partner_age_gap.get() + p.partner_age_spread.get() * rng.normal())
        .max(oldest_child + PARENT_GAP_MIN)
}

/// Samples one household of the starting population (its type, ages and sexes from `rng`);
/// children are girls with chance `female_birth_share`. Its income follows its adults' statuses
/// (`labour::income`).
pub fn sample_household(
    rng: &mut Stream,
    p: &PopulationParams,
    mix: &Mix,
    female_birth_share: f64,
) -> SampledHousehold {
    let s = &mix.shares;
    let u = rng.uniform();
    let mut people = Vec::with_capacity(5);
    let adult = |age: f64, female: bool| Person {
        age_months: years(age),
        female,
        adult: true,
    };
    let head_age;
    if u < s[0] {
        head_age = SINGLE_HEADS.draw(rng, mix.ages);
        let female = rng.chance(if head_age >= OLD_AGE {
            SINGLE_FEMALE_OLD
        } else {
            SINGLE_FEMALE_YOUNG
        });
        people.push(adult(head_age, female));
    } else if u < s[0] + s[1] {
        head_age = COUPLE_HEADS.draw(rng, mix.ages);
        people.push(adult(head_age, false));
        let partner = (head_age - p.partner_age_gap.get()
            + p.partner_age_spread.get() * rng.normal())
        .max(ADULT_YEARS);
        people.push(adult(partner, true));
    } else {
        let couple = u < s[0] + s[1] + s[2];
        let n = n_children(rng, p);
        let (children, mother) = family(rng, n);
        let mother_heads = !couple && rng.chance(p.single_parent_mother_share.get());
        let father = father_age(rng, p, mother, children[0]);
        head_age = if couple || !mother_heads {
            father
        } else {
            mother
        };
        people.push(adult(head_age, mother_heads));
        if couple {
            people.push(adult(mother, true));
        }
        for age in children {
            let female = rng.chance(female_birth_share);
            people.push(Person {
                age_months: years(age),
                female,
                adult: false,
            });
        }
    }
    SampledHousehold { people }
}

/// Samples the starting population of every gemeente (in parallel, one random stream per
/// gemeente and household, so the result does not depend on the thread count).
pub fn generate(
    geography: Geography,
    params: &Params,
    seed: u64,
    scale: f64,
    start: Month,
) -> World {
    let female_birth_share = 1.0 - params.demography.male_birth_share.get();
    let pp = &params.population;
    let nation = geography.national_profile();
    let mixes: Vec<Mix> = geography
        .gemeenten
        .iter()
        .map(|g| match &g.profile {
            Some(own) => Mix::of(pp, own, &nation),
            None => Mix::national(pp),
        })
        .collect();
    let per_gemeente: Vec<Vec<SampledHousehold>> = geography
        .gemeenten
        .par_iter()
        .enumerate()
        .map(|(g, gem)| {
            // Households are drawn until the gemeente's share of agents is reached; the one
            // that would overshoot it is kept with the chance that makes the expected number
            // of agents exactly `population * scale` (rounding up there added about one agent
            // per gemeente, a fixed number that scaled back grew as 1/scale: +25% inhabitants
            // at scale 1e-4). A gemeente may hold no agents at all at tiny scales.
            let target = gem.population as f64 * scale;
            let mut out = Vec::new();
            let mut agents = 0u64;
            let mut k = 0u64;
            while (agents as f64) < target {
                let key = (g as u64) << 32 | k;
                let mut rng = Stream::new(seed, ps::POPULATION_DRAW, key, 0);
                let hh = sample_household(&mut rng, pp, &mixes[g], female_birth_share);
                let size = hh.people.len() as u64;
                if (agents + size) as f64 > target {
                    let keep = (target - agents as f64) / size as f64;
                    if !Stream::new(seed, ps::POPULATION_LAST_HOUSEHOLD, key, 0).chance(keep) {
                        break;
                    }
                }
                agents += size;
                out.push(hh);
                k += 1;
            }
            out
        })
        .collect();

    let mut citizens = Citizens::default();
    let mut households = Households::default();
    let mut next_id = 0u32;
    for (g, hhs) in per_gemeente.into_iter().enumerate() {
        for hh in hhs {
            let h = households.len() as u32;
            let mut adults = [NONE; 2];
            let mut slot = 0;
            for person in &hh.people {
                let birth = Month(start.0.saturating_sub(person.age_months));
                let flags = ALIVE
                    | if person.female {
                        FEMALE
                    } else {
                        CitizenFlags::EMPTY
                    }
                    | if person.adult {
                        ADULT
                    } else {
                        CitizenFlags::EMPTY
                    };
                let c = citizens.push(next_id, birth, flags, h);
                next_id += 1;
                if person.adult {
                    adults[slot] = c;
                    slot += 1;
                }
            }
            households.push(adults, hh.people.len() as u8, g as u16);
        }
    }
    World {
        citizens,
        households,
        care: CareLinks::default(),
        placements: Placements::default(),
        geography,
        next_id,
        scale,
        seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn starting_population_matches_cbs_2015_shape() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        let s = scenario::load(&path).unwrap();
        let p = &s.variants[0].params;
        let geo = Geography::synthetic(&p.geography, 1);
        let w = generate(geo, p, 1, 0.01, s.start);
        w.check().unwrap();
        let n = w.population() as f64;
        assert!((n - 169_000.0).abs() < 1_000.0, "agents {n}");
        let mut groups = [0f64; 3];
        for i in 0..w.citizens.len() {
            let a = w.citizens.age(i, s.start);
            groups[if a < 18 {
                0
            } else if a < 67 {
                1
            } else {
                2
            }] += 1.0;
        }
        let shares = groups.map(|g| g / n);
        // CBS 1 January 2015: 0-17 20.3%, 18-66 64.2%, 67+ 15.5%.
        assert!((shares[0] - 0.203).abs() < 0.02, "0-17 {shares:?} {n}");
        assert!((shares[1] - 0.642).abs() < 0.025, "18-66 {shares:?}");
        assert!((shares[2] - 0.155).abs() < 0.02, "67+ {shares:?}");
        // About 7,7 miljoen households for 16,9 miljoen people.
        let hh = w.households.len() as f64 / 0.01;
        assert!((7.3e6..8.1e6).contains(&hh), "households {hh}");
    }

    /// Pearson correlation.
    fn correlation(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        sxy / (sxx * syy).sqrt()
    }

    #[test]
    fn each_real_gemeente_gets_its_own_ages_and_households() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        let s = scenario::load(&path).unwrap();
        let v = &s.variants[0];
        let p = &v.params;
        let geo = Geography::of(&v.geography, &p.geography, s.seed);
        assert_eq!(geo.gemeenten.len(), 355);
        let scale = 0.02;
        let w = generate(geo, p, 1, scale, s.start);
        w.check().unwrap();
        let n_g = w.geography.gemeenten.len();
        // Per gemeente: agents, aged 65+, households, one-person households.
        let mut t = vec![[0f64; 4]; n_g];
        for i in 0..w.citizens.len() {
            let g = w.households.gemeente[w.citizens.household[i] as usize] as usize;
            t[g][0] += 1.0;
            if w.citizens.age(i, s.start) >= 65 {
                t[g][1] += 1.0;
            }
        }
        for k in 0..w.households.len() {
            let g = w.households.gemeente[k] as usize;
            t[g][2] += 1.0;
            if w.households.members[k] == 1 {
                t[g][3] += 1.0;
            }
        }
        // Gemeenten with at least 1 000 agents (50 000 inhabitants), so that sampling noise
        // does not hide the signal.
        let (mut old, mut old_cbs, mut single, mut single_cbs) = (vec![], vec![], vec![], vec![]);
        for (g, gem) in w.geography.gemeenten.iter().enumerate() {
            let pr = gem.profile.expect("the built-in gemeenten have profiles");
            if t[g][0] < 1000.0 {
                continue;
            }
            old.push(t[g][1] / t[g][0]);
            old_cbs.push(pr.share_65_plus());
            single.push(t[g][3] / t[g][2]);
            single_cbs.push(pr.household_shares()[0]);
        }
        assert!(old.len() > 50, "{} gemeenten with 1 000 agents", old.len());
        let r_old = correlation(&old, &old_cbs);
        let r_single = correlation(&single, &single_cbs);
        assert!(r_old > 0.8, "65+ share against CBS: r = {r_old}");
        assert!(
            r_single > 0.8,
            "one-person households against CBS: r = {r_single}"
        );
        // The nation keeps the scenario's (CBS 2015) shape.
        let n = w.population() as f64;
        let old_share = t.iter().map(|x| x[1]).sum::<f64>() / n;
        assert!((n - 16.9e6 * scale).abs() < 3_000.0, "agents {n}");
        assert!((0.15..0.20).contains(&old_share), "65+ {old_share}");
    }
}
