//! Calendar dates, as much as the simulators need: RackNap's strict `dd/mm/yyyy` and the licence
//! API's `yyyy-mm-dd` expiration dates on the simulated clock.
//!
//! Written out here rather than taken from a date library so that the sandbox adds nothing to
//! the workspace's dependencies; the conversions are Howard Hinnant's days-from-civil ones.

/// A day of the proleptic Gregorian calendar, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl Date {
    /// A valid date, or `None` (31 April, 29 February of a common year, month 13…).
    pub fn new(year: i64, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// The UTC day of an instant in epoch seconds.
    pub fn from_epoch(seconds: i64) -> Date {
        let days = seconds.div_euclid(86_400);
        // Shift the epoch to 0000-03-01, so that leap days end each 400-year era's years.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }

    /// Exactly `dd/mm/yyyy`, two, two and four digits, naming a real day; nothing else.
    pub fn parse_dmy(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10 && bytes[2] == b'/' && bytes[5] == b'/';
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        if !shape {
            return None;
        }
        Date::new(i64::from(digits(6..10)?), digits(3..5)?, digits(0..2)?)
    }

    /// Calendar months later, the day kept where the month has it and clamped to the month's
    /// last day otherwise (31 January + 1 month = 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        let index = self.year * 12 + i64::from(self.month - 1) + i64::from(months);
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// `yyyy-mm-dd`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn epoch_seconds_become_utc_days() {
        assert_eq!(Date::from_epoch(0).iso(), "1970-01-01");
        assert_eq!(Date::from_epoch(951_782_400).iso(), "2000-02-29");
        assert_eq!(Date::from_epoch(1_709_251_199).iso(), "2024-02-29", "the last second of a leap day");
        assert_eq!(Date::from_epoch(1_735_689_600).iso(), "2025-01-01");
        assert_eq!(Date::from_epoch(-1).iso(), "1969-12-31");
    }

    #[test]
    fn only_real_days_written_dd_mm_yyyy_parse() {
        assert_eq!(Date::parse_dmy("23/07/2019"), Date::new(2019, 7, 23));
        assert_eq!(Date::parse_dmy("29/02/2024").map(Date::iso).as_deref(), Some("2024-02-29"));
        for bad in ["2019-07-23", "07/23/2019", "31/04/2020", "29/02/2023", "1/7/2019", "23/07/19", "23-07-2019", "+3/07/2019", "23/07/2019 ", ""] {
            assert_eq!(Date::parse_dmy(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        let last_of_january = Date::new(2024, 1, 31).unwrap();
        assert_eq!(last_of_january.add_months(1).iso(), "2024-02-29");
        assert_eq!(last_of_january.add_months(13).iso(), "2025-02-28");
        assert_eq!(Date::new(2024, 11, 15).unwrap().add_months(36).iso(), "2027-11-15");
        assert_eq!(Date::new(2024, 12, 1).unwrap().add_months(1).iso(), "2025-01-01");
    }
}
