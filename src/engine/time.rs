//! Calendar months: the engine's unit of time.

use std::fmt;

/// A calendar month, stored as `year * 12 + (month - 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub u32);

impl Month {
    /// The month for a year and a month number `1..=12`.
    pub fn new(year: u32, month: u32) -> Month {
        debug_assert!((1..=12).contains(&month));
        Month(year * 12 + month - 1)
    }

    /// The calendar year.
    pub fn year(self) -> u32 {
        self.0 / 12
    }

    /// The month number, `1..=12`.
    pub fn month_of_year(self) -> u32 {
        self.0 % 12 + 1
    }

    /// True for December, when the year's books close.
    pub fn is_december(self) -> bool {
        self.month_of_year() == 12
    }

    /// The next month.
    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    /// Months from `self` to `later` (0 when equal). Saturates at 0.
    pub fn months_until(self, later: Month) -> u32 {
        later.0.saturating_sub(self.0)
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: u32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        if !(1..=12).contains(&month) || !(1800..=2999).contains(&year) {
            return None;
        }
        Some(Month::new(year, month))
    }

    /// Every month from `self` to `end`, both included.
    pub fn range_inclusive(self, end: Month) -> impl Iterator<Item = Month> {
        (self.0..=end.0).map(Month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        let m = Month::parse("2019-01").unwrap();
        assert_eq!(m.year(), 2019);
        assert_eq!(m.month_of_year(), 1);
        assert_eq!(m.to_string(), "2019-01");
        assert_eq!(Month::parse("2018-12").unwrap().next(), m);
        assert!(Month::parse("2018-13").is_none());
        assert!(Month::parse("2018-1").is_none());
        assert!(Month::parse("20181").is_none());
        assert!(Month::parse("abcd-01").is_none());
        assert!(Month::new(2015, 12).is_december());
        assert_eq!(Month::new(2015, 1).months_until(Month::new(2030, 12)), 191);
    }
}
