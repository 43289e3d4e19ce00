//! Calendar dates, as much as the simulators need: RackNap's strict `dd/mm/yyyy` and the licence
//! API's `yyyy-mm-dd` expiration dates on the simulated clock. The `time` crate does the
//! calendar; this module only pins down the formats and the month arithmetic the APIs use.

use time::macros::format_description;
use time::{Date, Month, OffsetDateTime};

/// Exactly `dd/mm/yyyy`, two, two and four digits, naming a real day; nothing else.
pub fn parse_dmy(text: &str) -> Option<Date> {
    // The format's year would accept a leading sign (`+2019`); RackNap takes digits only.
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
        return None;
    }
    Date::parse(text, format_description!("[day]/[month]/[year]")).ok()
}

/// The UTC day of an instant in epoch seconds. The simulated clock can be moved anywhere, so
/// instants beyond the years `time` represents are held at its first or last day.
pub fn utc_day(seconds: i64) -> Date {
    match OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(instant) => instant.date(),
        Err(_) if seconds < 0 => Date::MIN,
        Err(_) => Date::MAX,
    }
}

/// Calendar months later, the day kept where the month has it and clamped to the month's last
/// day otherwise (31 January + 1 month = 28 or 29 February); held at `time`'s last day.
pub fn add_months(date: Date, months: u32) -> Date {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month()) - 1) + i64::from(months);
    let Ok(year) = i32::try_from(index.div_euclid(12)) else { return Date::MAX };
    let month = Month::January.nth_next(index.rem_euclid(12) as u8);
    Date::from_calendar_date(year, month, date.day().min(month.length(year))).unwrap_or(Date::MAX)
}

/// `yyyy-mm-dd`.
pub fn iso(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn epoch_seconds_become_utc_days() {
        assert_eq!(iso(utc_day(0)), "1970-01-01");
        assert_eq!(iso(utc_day(951_782_400)), "2000-02-29");
        assert_eq!(iso(utc_day(1_709_251_199)), "2024-02-29", "the last second of a leap day");
        assert_eq!(iso(utc_day(1_735_689_600)), "2025-01-01");
        assert_eq!(iso(utc_day(-1)), "1969-12-31");
        assert_eq!(utc_day(i64::MAX), Date::MAX);
        assert_eq!(utc_day(i64::MIN), Date::MIN);
    }

    #[test]
    fn only_real_days_written_dd_mm_yyyy_parse() {
        assert_eq!(parse_dmy("23/07/2019"), Some(date!(2019 - 07 - 23)));
        assert_eq!(parse_dmy("29/02/2024").map(iso).as_deref(), Some("2024-02-29"));
        for bad in ["2019-07-23", "07/23/2019", "31/04/2020", "29/02/2023", "1/7/2019", "23/07/19", "23-07-2019", "+3/07/2019", "23/07/+2019", "23/07/-2019", "23/07/2019 ", ""] {
            assert_eq!(parse_dmy(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        let last_of_january = date!(2024 - 01 - 31);
        assert_eq!(iso(add_months(last_of_january, 1)), "2024-02-29");
        assert_eq!(iso(add_months(last_of_january, 13)), "2025-02-28");
        assert_eq!(iso(add_months(date!(2024 - 11 - 15), 36)), "2027-11-15");
        assert_eq!(iso(add_months(date!(2024 - 12 - 01), 1)), "2025-01-01");
        assert_eq!(iso(add_months(date!(2024 - 05 - 31), 0)), "2024-05-31");
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), Date::MAX);
    }
}
