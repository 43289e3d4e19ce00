//! RackNap dates: accepted as `yyyy-mm-dd` or `dd/mm/yyyy`, sent as `dd/mm/yyyy`, and the next
//! due date derived from the registration date and the billing cycle.

use time::macros::format_description;
use time::{Date, Duration, Month};

/// Years a RackNap date may fall in: four digits, never before the Unix epoch.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Parses either accepted spelling, with a year in [`YEARS`]; anything else is `None`.
pub fn parse(text: &str) -> Option<Date> {
    let text = text.trim();
    let date = Date::parse(text, format_description!("[year]-[month]-[day]"))
        .or_else(|_| Date::parse(text, format_description!("[day]/[month]/[year]")))
        .ok()?;
    (YEARS.contains(&date.year()) && text.bytes().all(|b| b.is_ascii_digit() || b"-/".contains(&b)) && !text.starts_with('-'))
        .then_some(date)
}

pub fn format(date: Date) -> String {
    date.format(format_description!("[day]/[month]/[year]")).expect("a date always formats")
}

/// Calendar months later, the day clamped to the target month (31 Jan + 1 month = 28/29 Feb);
/// `None` past the last year a date may have.
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month) = (total.div_euclid(12), Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?);
    if !YEARS.contains(&year) {
        return None;
    }
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).ok()
}

/// When the next payment falls due, or `None` when that is past year 9999. One-off and free
/// services have no next period: the due date is the registration date.
pub fn next_due(registered: Date, billing_cycle: &str) -> Option<Date> {
    let due = match months_of(billing_cycle) {
        Some(months) => add_months(registered, months)?,
        None if billing_cycle == "Hourly" => registered.checked_add(Duration::days(1))?,
        None => registered,
    };
    YEARS.contains(&due.year()).then_some(due)
}

fn months_of(billing_cycle: &str) -> Option<u32> {
    Some(match billing_cycle {
        "Free Trial" | "Monthly" => 1,
        "Quarterly" => 3,
        "Semi-Annually" => 6,
        "Annually" => 12,
        "Biennially" => 24,
        "Triennially" => 36,
        "Quadrennial" => 48,
        "Quinquennial" => 60,
        "Decennial" => 120,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn both_spellings_parse_and_nothing_else() {
        assert_eq!(parse("2019-07-23"), Some(date!(2019 - 07 - 23)));
        assert_eq!(parse("23/07/2019"), Some(date!(2019 - 07 - 23)));
        for bad in ["07/23/2019", "2019/07/23", "31/02/2020", "yesterday", "", "-9999-01-01", "+2019-07-23", "1969-12-31", "01/01/-2000"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(format(date!(2019 - 07 - 03)), "03/07/2019");
    }

    #[test]
    fn next_due_follows_the_cycle() {
        let reg = date!(2024 - 01 - 31);
        assert_eq!(next_due(reg, "Monthly"), Some(date!(2024 - 02 - 29)));
        assert_eq!(next_due(reg, "Annually"), Some(date!(2025 - 01 - 31)));
        assert_eq!(next_due(reg, "Decennial"), Some(date!(2034 - 01 - 31)));
        assert_eq!(next_due(reg, "Hourly"), Some(date!(2024 - 02 - 01)));
        assert_eq!(next_due(reg, "One Time"), Some(reg));
    }

    #[test]
    fn the_last_years_do_not_overflow() {
        assert_eq!(parse("9999-12-31"), Some(date!(9999 - 12 - 31)));
        assert_eq!(next_due(date!(9999 - 12 - 31), "Hourly"), None);
        assert_eq!(next_due(date!(9999 - 12 - 01), "Monthly"), None);
        assert_eq!(next_due(date!(9995 - 01 - 01), "Decennial"), None);
        assert_eq!(next_due(date!(9999 - 11 - 30), "Monthly"), Some(date!(9999 - 12 - 30)));
    }
}
