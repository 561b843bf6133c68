//! Calendar maths: days since 1970-01-01 ([`Day`]) to and from calendar dates and ISO text.

use chrono::{Datelike as _, NaiveDate};

use crate::Day;

const EPOCH_FROM_CE: i32 = 719_163; // NaiveDate(1970-01-01).num_days_from_ce()

/// The calendar date of `day` (days since 1970-01-01).
pub fn date_of(day: Day) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(EPOCH_FROM_CE)?)
}

/// Days since 1970-01-01 of a calendar date.
pub fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce() - EPOCH_FROM_CE
}

/// Days since 1970-01-01 of (year, month, day); `None` for an invalid date.
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    NaiveDate::from_ymd_opt(year, month, day).map(day_of)
}

/// `YYYY-MM-DD`.
pub fn iso_day(day: Day) -> String {
    date_of(day).map_or_else(
        || format!("day {day}"),
        |d| d.format("%Y-%m-%d").to_string(),
    )
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_day(text: &str) -> Option<Day> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .map(day_of)
}

/// (year, month) of a day.
pub fn year_month(day: Day) -> Option<(i32, u32)> {
    date_of(day).map(|d| (d.year(), d.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_iso() {
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(day_from_ymd(2024, 3, 5), Some(19_787));
        assert_eq!(iso_day(19_787), "2024-03-05");
        assert_eq!(parse_iso_day("2024-03-05"), Some(19_787));
        assert_eq!(day_from_ymd(2023, 2, 29), None);
        assert_eq!(year_month(19_787), Some((2024, 3)));
    }
}
