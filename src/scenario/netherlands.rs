//! The built-in geography: the 355 gemeenten of 1 January 2019 with their regions
//! (`data/gemeenten-2019.csv`) and each gemeente's CBS characteristics
//! (`data/gemeenten-2019-kenmerken.csv`, Kerncijfers wijken en buurten 2019). Bron: CBS / PDOK,
//! CC BY 4.0; data/SOURCES.md gives the sources, the checks and what the start year means.

use super::geography_csv::{self, GemeenteRow};
use serde::Serialize;
use std::path::Path;

/// The gemeenten file, built in.
const GEMEENTEN: &str = include_str!("../../data/gemeenten-2019.csv");
/// The characteristics file, built in.
const KENMERKEN: &str = include_str!("../../data/gemeenten-2019-kenmerken.csv");

/// Inhabitants of the 355 gemeenten on 1 January 2019 (the CBS national total; a test checks
/// the built-in file against it).
pub const INHABITANTS_2019: u64 = 17_282_163;

/// A gemeente's own make-up from CBS (2019): what its starting population is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Profile {
    /// Inhabitants by age group: 0-14, 15-24, 25-44, 45-64, 65 and over.
    pub ages: [u64; 5],
    /// Private households: one-person, without children, with children.
    pub households: [u64; 3],
    /// Persons with a bijstand benefit.
    pub bijstand: u64,
    /// Persons with a disability benefit (WAO, WIA, Wajong, WAZ).
    pub disability: u64,
    /// Mean WOZ value of dwellings, thousands of euros (`None` where CBS publishes none); in a
    /// total, the household-weighted mean over the gemeenten that have one.
    pub woz: Option<f64>,
}

impl Profile {
    /// The shares of the three household types.
    pub fn household_shares(&self) -> [f64; 3] {
        let all: u64 = self.households.iter().sum();
        self.households.map(|h| h as f64 / all.max(1) as f64)
    }

    /// The share of inhabitants aged 65 and over.
    pub fn share_65_plus(&self) -> f64 {
        self.ages[4] as f64 / self.ages.iter().sum::<u64>().max(1) as f64
    }

    /// The share of inhabitants aged 15-44.
    pub fn share_15_44(&self) -> f64 {
        (self.ages[1] + self.ages[2]) as f64 / self.ages.iter().sum::<u64>().max(1) as f64
    }

    /// Persons with bijstand per 1 000 inhabitants aged 15-64.
    pub fn bijstand_per_1000(&self) -> f64 {
        let working_age = self.ages[1] + self.ages[2] + self.ages[3];
        1000.0 * self.bijstand as f64 / working_age.max(1) as f64
    }

    /// Persons with a disability benefit per 1 000 inhabitants aged 15-64.
    pub fn disability_per_1000(&self) -> f64 {
        let working_age = self.ages[1] + self.ages[2] + self.ages[3];
        1000.0 * self.disability as f64 / working_age.max(1) as f64
    }

    /// The sum of profiles (the national make-up).
    pub fn total<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> Profile {
        let mut t = Profile {
            ages: [0; 5],
            households: [0; 3],
            bijstand: 0,
            disability: 0,
            woz: None,
        };
        let (mut woz_sum, mut woz_households) = (0.0, 0.0);
        for p in profiles {
            for k in 0..5 {
                t.ages[k] += p.ages[k];
            }
            for k in 0..3 {
                t.households[k] += p.households[k];
            }
            t.bijstand += p.bijstand;
            t.disability += p.disability;
            if let Some(w) = p.woz {
                let h = p.households.iter().sum::<u64>() as f64;
                woz_sum += w * h;
                woz_households += h;
            }
        }
        t.woz = (woz_households > 0.0).then(|| woz_sum / woz_households);
        t
    }
}

/// The built-in gemeenten with their profiles, inhabitants as of 1 January 2019.
///
/// The files are part of the build and checked by the tests, so this cannot fail at run time;
/// a broken file would fail every test.
pub fn rows_2019() -> Vec<GemeenteRow> {
    let path = Path::new("data/gemeenten-2019.csv (built in)");
    let mut rows = geography_csv::parse(path, GEMEENTEN.as_bytes())
        .expect("the built-in data/gemeenten-2019.csv is valid (tested)");
    let profiles = profiles();
    for r in &mut rows {
        r.profile = profiles
            .iter()
            .find(|(code, _)| *code == r.code)
            .map(|(_, p)| *p);
    }
    rows
}

/// The built-in gemeenten with their 2019 shares of `population` inhabitants (largest
/// remainder, so they add up to it exactly): the 2019 boundaries at an earlier start.
pub fn rows(population: u64) -> Vec<GemeenteRow> {
    let mut rows = rows_2019();
    let weights: Vec<f64> = rows.iter().map(|r| r.population as f64).collect();
    let sizes = crate::engine::largest_remainder(&weights, population);
    for (r, s) in rows.iter_mut().zip(sizes) {
        r.population = s;
    }
    rows
}

/// The profile of every gemeente code in the characteristics file.
fn profiles() -> Vec<(String, Profile)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(KENMERKEN.as_bytes());
    let headers = rdr.headers().expect("a header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} in the built-in kenmerken file"))
    };
    let (code, ages, hh, bijstand, disability, woz) = (
        col("code"),
        [
            col("age_0_14"),
            col("age_15_24"),
            col("age_25_44"),
            col("age_45_64"),
            col("age_65_plus"),
        ],
        [
            col("one_person_households"),
            col("households_without_children"),
            col("households_with_children"),
        ],
        col("bijstand_benefits"),
        col("disability_benefits"),
        col("mean_woz_value_keur"),
    );
    rdr.records()
        .map(|rec| {
            let rec = rec.expect("a well-formed row in the built-in kenmerken file");
            let num = |k: usize| -> u64 {
                rec[k]
                    .parse()
                    .unwrap_or_else(|_| panic!("a count in the built-in kenmerken file"))
            };
            (
                rec[code].to_string(),
                Profile {
                    ages: ages.map(num),
                    households: hh.map(num),
                    bijstand: num(bijstand),
                    disability: num(disability),
                    // Three gemeenten (Groningen, Sint Anthonis, Westerkwartier) have no WOZ value in
                    // the table: they count at the national mean.
                    woz: rec[woz].parse().ok(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_netherlands_is_cbs_2019() {
        let rows = rows_2019();
        assert_eq!(rows.len(), 355);
        assert_eq!(
            rows.iter().map(|r| r.population).sum::<u64>(),
            INHABITANTS_2019
        );
        // Every gemeente has a profile whose age groups add up to its inhabitants.
        for r in &rows {
            let p = r
                .profile
                .unwrap_or_else(|| panic!("{} has a profile", r.name));
            assert_eq!(p.ages.iter().sum::<u64>(), r.population, "{}", r.name);
        }
        let find = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
        assert_eq!(find("Amsterdam").code, "GM0363");
        assert_eq!(find("Schiermonnikoog").population, 936);
        // Bijstand per 1 000 aged 15-64: about 4 on Ameland, 83 in Rotterdam, 38 nationally
        // (issue #22, from the same CBS table).
        let nl = Profile::total(rows.iter().filter_map(|r| r.profile.as_ref()));
        assert!((nl.bijstand_per_1000() - 38.0).abs() < 1.5);
        let rotterdam = find("Rotterdam").profile.unwrap().bijstand_per_1000();
        assert!((78.0..88.0).contains(&rotterdam), "{rotterdam}");
        let ameland = find("Ameland").profile.unwrap().bijstand_per_1000();
        assert!(ameland < 8.0, "{ameland}");
        // Disability benefits: about 65 per 1 000 aged 15-64 nationally (CBS 2019); the mean
        // WOZ value about 250 000 euros, highest in Bloemendaal, missing for three mergers.
        assert!((55.0..75.0).contains(&nl.disability_per_1000()));
        let woz = nl.woz.unwrap();
        assert!((230.0..270.0).contains(&woz), "{woz}");
        assert_eq!(
            rows.iter()
                .filter(|r| r.profile.unwrap().woz.is_none())
                .count(),
            3
        );
        let top = rows
            .iter()
            .max_by(|a, b| {
                a.profile
                    .unwrap()
                    .woz
                    .partial_cmp(&b.profile.unwrap().woz)
                    .unwrap()
            })
            .unwrap();
        assert_eq!(top.name, "Bloemendaal");
    }

    #[test]
    fn scaled_to_the_start_population_exactly() {
        let rows = rows(16_900_000);
        assert_eq!(rows.iter().map(|r| r.population).sum::<u64>(), 16_900_000);
        let a = rows.iter().find(|r| r.name == "Amsterdam").unwrap();
        let expected = 862_965.0 * 16_900_000.0 / INHABITANTS_2019 as f64;
        assert!((a.population as f64 - expected).abs() <= 1.0);
    }
}
