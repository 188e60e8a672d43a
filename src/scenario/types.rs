//! Value types for scenario keys. Each type checks its own range while it is read, so a value
//! outside its range is reported at the key that holds it ("put preconditions in types").

use crate::engine::Month;
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

macro_rules! bounded_f64 {
    ($(#[$m:meta])* $name:ident, $lo:expr, $hi:expr, $lo_open:expr, $what:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// What a valid value is, in words (used in error messages).
            pub const EXPECTED: &'static str = $what;

            /// The number inside.
            pub fn get(self) -> f64 {
                self.0
            }

            fn check(v: f64) -> bool {
                v.is_finite() && v <= $hi && if $lo_open { v > $lo } else { v >= $lo }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        if $name::check(v) {
                            Ok($name(v))
                        } else {
                            Err(E::invalid_value(de::Unexpected::Float(v), &self))
                        }
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        if $name::check(v as f64) {
                            Ok($name(v as f64))
                        } else {
                            Err(E::invalid_value(de::Unexpected::Signed(v), &self))
                        }
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        if $name::check(v as f64) {
                            Ok($name(v as f64))
                        } else {
                            Err(E::invalid_value(de::Unexpected::Unsigned(v), &self))
                        }
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

bounded_f64!(
    /// A share or probability, `0 ..= 1`.
    Share, 0.0, 1.0, false, "a share between 0 and 1"
);
bounded_f64!(
    /// A probability per year, `0 ..= 1` (turned into a monthly hazard by the model).
    YearlyRate, 0.0, 1.0, false, "a probability per year between 0 and 1"
);
bounded_f64!(
    /// A non-negative amount (euros, persons per year, ...).
    NonNegative, 0.0, 1.0e12, false, "a number >= 0 (and below 1e12)"
);
bounded_f64!(
    /// A strictly positive amount.
    Positive, 0.0, 1.0e12, true, "a number > 0 (and below 1e12)"
);
bounded_f64!(
    /// A yearly growth rate, `-0.5 ..= 1` (a price or wage index's change in a year).
    GrowthRate, -0.5, 1.0, false, "a yearly growth rate between -0.5 and 1"
);
bounded_f64!(
    /// An age or duration in years, `0 ..= 120`.
    Years, 0.0, 120.0, false, "a number of years between 0 and 120"
);
bounded_f64!(
    /// The sampling scale: agents per inhabitant, `0 < scale <= 1`.
    Scale, 0.0, 1.0, true, "a scale > 0 and <= 1 (1.0 = one agent per inhabitant)"
);

bounded_f64!(
    /// A severity on the model's 0-100 scale, as a number (the Wlz threshold, the severity of a
    /// lifelong limitation).
    SeverityLevel, 0.0, 100.0, false, "a severity between 0 and 100"
);
bounded_f64!(
    /// A loonwaarde (wage value): percent of the minimum wage a worker earns by their own
    /// production, `0 ..= 100`.
    Loonwaarde, 0.0, 100.0, false, "a loonwaarde between 0 and 100"
);

macro_rules! bounded_u8 {
    ($(#[$m:meta])* $name:ident, $hi:expr, $what:expr) => {
        $(#[$m])*
        ///
        /// It compares with plain `u8` values (a citizen's severity or a carer's burden) and
        /// converts into `u8` and `f64`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(u8);

        impl $name {
            /// What a valid value is, in words (used in error messages).
            pub const EXPECTED: &'static str = $what;
            /// The largest valid value.
            pub const MAX: u8 = $hi;

            /// The value, if it is in range.
            pub const fn new(v: u8) -> Option<$name> {
                if v <= $hi { Some($name(v)) } else { None }
            }

            /// The number inside.
            pub const fn get(self) -> u8 {
                self.0
            }
        }

        impl From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v.0
            }
        }

        impl From<$name> for f64 {
            fn from(v: $name) -> f64 {
                f64::from(v.0)
            }
        }

        impl PartialEq<$name> for u8 {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialOrd<$name> for u8 {
            fn partial_cmp(&self, other: &$name) -> Option<std::cmp::Ordering> {
                self.partial_cmp(&other.0)
            }
        }

        impl PartialEq<u8> for $name {
            fn eq(&self, other: &u8) -> bool {
                self.0 == *other
            }
        }

        impl PartialOrd<u8> for $name {
            fn partial_cmp(&self, other: &u8) -> Option<std::cmp::Ordering> {
                self.0.partial_cmp(other)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        u8::try_from(v)
                            .ok()
                            .and_then($name::new)
                            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        u8::try_from(v)
                            .ok()
                            .and_then($name::new)
                            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

bounded_u8!(
    /// A severity threshold on the model's 0-100 scale, a whole number of points (limitation
    /// severity for the Wmo and informal care, problem severity for youth care).
    Severity, 100, "a whole-number severity between 0 and 100"
);
bounded_u8!(
    /// A carer's burden on the 0-100 scale, a whole number of points.
    Burden, 100, "a whole-number burden between 0 and 100"
);

/// A calendar month written as `"YYYY-MM"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthValue(pub Month);

impl Serialize for MonthValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for MonthValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MonthValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a month as a string \"YYYY-MM\" (for example \"2019-01\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MonthValue, E> {
                Month::parse(v)
                    .map(MonthValue)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// A value that can change over time: either one value, or steps
/// `[{ from = "2015-01", value = ... }, { from = "2019-01", value = ... }]`.
/// A step holds from its month until the next step.
#[derive(Clone, Debug, PartialEq)]
pub struct Dated<T> {
    /// `(from, value)` in strictly increasing month order; `None` = from the beginning.
    steps: Vec<(Option<Month>, T)>,
}

impl<T: Copy> Dated<T> {
    /// One value for all time.
    pub fn constant(v: T) -> Dated<T> {
        Dated {
            steps: vec![(None, v)],
        }
    }

    /// The value in force in `month` (the first step's value before any step starts).
    pub fn at(&self, month: Month) -> T {
        let mut v = self.steps[0].1;
        for &(from, value) in &self.steps {
            match from {
                Some(f) if f > month => break,
                _ => v = value,
            }
        }
        v
    }

    /// The month the first step starts, if it has one.
    pub fn first_from(&self) -> Option<Month> {
        self.steps[0].0
    }

    /// Every distinct value with the month it starts.
    pub fn steps(&self) -> &[(Option<Month>, T)] {
        &self.steps
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step<T> {
    from: MonthValue,
    value: T,
}

impl<T: Serialize + Copy> Serialize for Dated<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.steps.as_slice() {
            [(None, v)] => v.serialize(s),
            steps => s.collect_seq(steps.iter().map(|&(from, value)| Step {
                from: MonthValue(from.unwrap_or(Month(0))),
                value,
            })),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Dated<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Dated<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a value, or an array of { from = \"YYYY-MM\", value = ... } tables in date order",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dated<T>, E> {
                one(T::deserialize(v.into_deserializer())?)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dated<T>, E> {
                one(T::deserialize(v.into_deserializer())?)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dated<T>, E> {
                one(T::deserialize(v.into_deserializer())?)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Dated<T>, E> {
                one(T::deserialize(v.into_deserializer())?)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dated<T>, E> {
                one(T::deserialize(v.into_deserializer())?)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Dated<T>, A::Error> {
                let steps: Vec<Step<T>> =
                    Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                if steps.is_empty() {
                    return Err(de::Error::invalid_value(
                        de::Unexpected::Other("an empty array"),
                        &self,
                    ));
                }
                for w in steps.windows(2) {
                    if w[1].from <= w[0].from {
                        return Err(de::Error::custom(format!(
                            "invalid value: \"{}\" after \"{}\", expected steps in strictly increasing date order",
                            w[1].from.0, w[0].from.0
                        )));
                    }
                }
                Ok(Dated {
                    steps: steps
                        .into_iter()
                        .map(|s| (Some(s.from.0), s.value))
                        .collect(),
                })
            }
        }
        fn one<T, E>(v: T) -> Result<Dated<T>, E> {
            Ok(Dated {
                steps: vec![(None, v)],
            })
        }
        d.deserialize_any(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct T {
        s: Share,
        d: Dated<Share>,
    }

    #[test]
    fn dated_reads_scalar_and_steps() {
        let t: T = toml::from_str(
            "s = 0.5\nd = [{ from = \"2015-01\", value = 0.1 }, { from = \"2019-01\", value = 1 }]",
        )
        .unwrap();
        assert_eq!(t.s.get(), 0.5);
        assert_eq!(t.d.at(Month::new(2018, 12)).get(), 0.1);
        assert_eq!(t.d.at(Month::new(2019, 1)).get(), 1.0);
        assert_eq!(t.d.at(Month::new(2010, 1)).get(), 0.1);
        let back = toml::to_string(&t).unwrap();
        let t2: T = toml::from_str(&back).unwrap();
        assert_eq!(t2.d, t.d);
        let c: T = toml::from_str("s = 0\nd = 0.25").unwrap();
        assert_eq!(c.d.at(Month::new(2030, 1)).get(), 0.25);
    }

    #[derive(Debug, Deserialize)]
    struct S {
        s: Severity,
        d: Dated<Severity>,
        l: Loonwaarde,
    }

    #[test]
    fn severities_are_whole_points_up_to_100() {
        let t: S =
            toml::from_str("s = 100\nd = [{ from = \"2015-01\", value = 0 }]\nl = 35.5").unwrap();
        assert_eq!(t.s.get(), 100);
        assert_eq!(t.d.at(Month::new(2015, 1)), Severity::new(0).unwrap());
        assert_eq!(t.l.get(), 35.5);
        // Compares with plain severities and converts.
        assert!(99u8 < t.s);
        assert!(t.s > 99u8);
        assert!(t.s == 100u8);
        assert_eq!(f64::from(t.s), 100.0);
        for bad in ["s = 101", "s = -1", "s = 300", "s = 50.0"] {
            let e = toml::from_str::<S>(&format!("{bad}\nd = 0\nl = 0")).unwrap_err();
            assert!(e.message().contains(Severity::EXPECTED), "{bad}: {e}");
        }
        let e = toml::from_str::<S>("s = 0\nd = 0\nl = 100.5").unwrap_err();
        assert!(e.message().contains(Loonwaarde::EXPECTED), "{e}");
        assert_eq!(Severity::new(101), None);
        assert_eq!(Burden::new(100).map(Burden::get), Some(100));
    }

    #[test]
    fn ranges_and_order_are_checked() {
        let e = toml::from_str::<T>("s = 1.5\nd = 0").unwrap_err();
        assert!(e.message().contains("a share between 0 and 1"), "{e}");
        let e = toml::from_str::<T>(
            "s = 0\nd = [{ from = \"2019-01\", value = 0.1 }, { from = \"2018-01\", value = 0.2 }]",
        )
        .unwrap_err();
        assert!(e.message().contains("increasing date order"), "{e}");
        let e =
            toml::from_str::<T>("s = 0\nd = [{ from = \"2019-13\", value = 0.1 }]").unwrap_err();
        assert!(e.message().contains("YYYY-MM"), "{e}");
        let e = toml::from_str::<T>("s = 0\nd = [{ from = \"2019-01\", value = 2 }]").unwrap_err();
        assert!(e.message().contains("a share between 0 and 1"), "{e}");
    }
}
