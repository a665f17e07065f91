//! Dates as editors and migrated archives write them.
//!
//! Accepted: RFC 3339 (`2021-02-23T07:59:00+07:00`), a plain date
//! (`2021-02-23`), a date and time in the site's time zone
//! (`2021-02-23 07:59` or `07:59:00`, `T` or a space between), offsets written
//! `+07:00` or `+0700`, and the Vietnamese `23/02/2021` or `23/02/2021 07:59`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, de};

/// What the forms above say, before the site's time zone is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateInput {
    pub local: NaiveDateTime,
    pub offset: Option<FixedOffset>,
    /// False for a plain date: pages then show no time of day.
    pub has_time: bool,
}

/// A resolved date, with whether it carries a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    pub has_time: bool,
}

pub const ACCEPTED_FORMS: &str = "dates are written 2021-02-23, 2021-02-23 07:59, \
2021-02-23T07:59:00+07:00 or 23/02/2021 07:59";

impl DateInput {
    pub fn parse(text: &str) -> Result<DateInput, String> {
        let text = text.trim();
        parse_forms(text)
            .ok_or_else(|| format!("`{text}` is not a date I can read; {ACCEPTED_FORMS}"))
    }

    /// Places the date in `zone` unless it carries its own offset, and shows
    /// it in `zone` either way, so every page speaks the site's local time.
    pub fn resolve(&self, zone: Tz) -> Date {
        let instant = match self.offset {
            Some(offset) => offset.from_local_datetime(&self.local).single(),
            None => zone
                .from_local_datetime(&self.local)
                .earliest()
                .map(|d| d.fixed_offset()),
        };
        // Only a local time skipped by a daylight-saving jump has no mapping;
        // Vietnam has none, and reading it as UTC is the least surprising
        // fallback elsewhere.
        let instant = instant.unwrap_or_else(|| self.local.and_utc().fixed_offset());
        let local = instant.with_timezone(&zone);
        Date {
            at: local.with_timezone(&local.offset().fix()),
            has_time: self.has_time,
        }
    }
}

fn parse_forms(text: &str) -> Option<DateInput> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(DateInput {
            local: at.naive_local(),
            offset: Some(*at.offset()),
            has_time: true,
        });
    }
    let (date_part, time_part) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(date_part, "%d/%m/%Y"))
        .ok()?;
    let Some(time_part) = time_part else {
        return Some(DateInput {
            local: date.and_time(NaiveTime::MIN),
            offset: None,
            has_time: false,
        });
    };
    let (clock, offset) = split_offset(time_part)?;
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()?;
    Some(DateInput {
        local: date.and_time(time),
        offset,
        has_time: true,
    })
}

/// Splits `07:59+0700`, `07:59:00 +07:00` or `07:59Z` into clock and offset.
fn split_offset(time: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock.trim(), FixedOffset::east_opt(0)));
    }
    let Some(sign_at) = time.find(['+', '-']) else {
        return Some((time, None));
    };
    let (clock, offset) = time.split_at(sign_at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if minutes >= 60 {
        return None;
    }
    let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
    Some((clock.trim(), Some(offset)))
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateInput::parse(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> String {
        DateInput::parse(text)
            .unwrap()
            .resolve(chrono_tz::Asia::Ho_Chi_Minh)
            .at
            .to_rfc3339()
    }

    #[test]
    fn accepts_every_documented_form() {
        let expected = "2021-02-23T07:59:00+07:00";
        for text in [
            "2021-02-23T07:59:00+07:00",
            "2021-02-23T07:59:00+0700",
            "2021-02-23 07:59:00+07:00",
            "2021-02-23 07:59",
            "2021-02-23 07:59:00",
            "2021-02-23T07:59",
            "23/02/2021 07:59",
            "2021-02-23T00:59:00Z",
        ] {
            assert_eq!(at(text), expected, "{text}");
        }
        assert_eq!(at("2021-02-23"), "2021-02-23T00:00:00+07:00");
        assert_eq!(at("23/02/2021"), "2021-02-23T00:00:00+07:00");
        assert!(!DateInput::parse("2021-02-23").unwrap().has_time);
    }

    #[test]
    fn refuses_impossible_and_unknown_forms() {
        for text in [
            "2021-02-30",
            "31/13/2021",
            "hôm qua",
            "2021-02-23 25:00",
            "2021/02/23",
            "23-02-2021",
            "",
        ] {
            let err = DateInput::parse(text).unwrap_err();
            assert!(err.contains("is not a date"), "{err}");
        }
    }
}
