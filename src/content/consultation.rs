//! Drafts put out for public comment (lấy ý kiến dự thảo): the
//! `consultation:` map of a page's front matter, validated, and the status
//! it has on the day of the build.
//!
//! A consultation is open from the start of the day it `opens` to the end
//! of the day it `closes`, both in the site's time zone (a date written
//! with a time of day opens or closes at that minute instead). Days are
//! counted in that time zone too, so a build in CI's UTC at 20:00 on the
//! last day's eve already says "today is the last day" to a reader in
//! Hanoi, where it is 03:00 on that day.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::Checker;
use super::date::{Date, DateInput};
use super::document::{Attachment, AttachmentInput, Place};

/// `consultation:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsultation {
    /// The draft's own title; the page's title by default.
    pub title: Option<String>,
    /// The drafting unit (đơn vị chủ trì soạn thảo).
    pub unit: Option<String>,
    pub field: Option<String>,
    pub opens: Option<DateInput>,
    pub closes: Option<DateInput>,
    pub comments: Option<RawComments>,
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
}

/// How to send comments, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComments {
    pub email: Option<String>,
    pub address: Option<String>,
    /// An address that takes the comment form's POST.
    pub form: Option<String>,
}

/// Where a consultation stands on the day of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not open yet; opens in `days` days.
    Upcoming {
        days: i64,
    },
    /// Open; `days` full days left after today (0: today is the last).
    Open {
        days: i64,
    },
    Closed,
}

impl Status {
    /// Where a consultation opening at `opens` and closing at `closes`
    /// stands at `now`, days counted in `zone`.
    pub fn derive(
        opens: &Date,
        closes: &Date,
        now: DateTime<FixedOffset>,
        zone: chrono_tz::Tz,
    ) -> Status {
        let day = |at: DateTime<FixedOffset>| -> NaiveDate { at.with_timezone(&zone).date_naive() };
        let today = day(now);
        let not_yet = if opens.has_time {
            now < opens.at
        } else {
            today < day(opens.at)
        };
        let over = if closes.has_time {
            now >= closes.at
        } else {
            today > day(closes.at)
        };
        if not_yet {
            Status::Upcoming {
                days: (day(opens.at) - today).num_days(),
            }
        } else if over {
            Status::Closed
        } else {
            Status::Open {
                days: (day(closes.at) - today).num_days(),
            }
        }
    }

    /// The status's slug and the key of its label in the theme's strings;
    /// the slug names its filter page (`/du-thao/trang-thai/<slug>/`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Upcoming { .. } => "upcoming",
            Status::Open { .. } => "open",
            Status::Closed => "closed",
        }
    }

    /// The order the register lists them in: open ones first.
    pub fn rank(self) -> u8 {
        match self {
            Status::Open { .. } => 0,
            Status::Upcoming { .. } => 1,
            Status::Closed => 2,
        }
    }
}

/// Every status, in the register's order.
pub const STATUSES: [&str; 3] = ["open", "upcoming", "closed"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comments {
    pub email: Option<String>,
    pub address: Option<String>,
    pub form: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub title: Option<String>,
    pub unit: Option<String>,
    pub field: Option<String>,
    pub opens: Date,
    pub closes: Date,
    pub status: Status,
    pub comments: Comments,
    pub attachments: Vec<Attachment>,
}

impl Consultation {
    /// The last moment comments are taken: `closes` itself when written
    /// with a time of day, else the last second of that day.
    pub fn deadline(&self) -> DateTime<FixedOffset> {
        deadline(&self.closes)
    }
}

fn deadline(closes: &Date) -> DateTime<FixedOffset> {
    if closes.has_time {
        return closes.at;
    }
    (closes.at)
        .checked_add_signed(chrono::Duration::days(1) - chrono::Duration::seconds(1))
        .unwrap_or(closes.at)
}

/// `https://host/…` (or `http://`), with a host and no white space.
fn is_form_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.contains(char::is_whitespace) && url.is_ascii()
    })
}

fn filled(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Checker<'_> {
    pub(super) fn consultation(
        &mut self,
        raw: RawConsultation,
        place: &Place,
        zone: chrono_tz::Tz,
        now: DateTime<FixedOffset>,
    ) -> Option<Consultation> {
        let opens = raw.opens.map(|d| d.resolve(zone));
        let closes = raw.closes.map(|d| d.resolve(zone));
        let example = "e.g. `opens: 2026-11-20` and `closes: 2026-12-20`";
        if opens.is_none() {
            self.at_key(
                "consultation",
                "the draft for comment has no `opens` date".into(),
                Some(format!(
                    "add the day comments open under `consultation:`, {example}"
                )),
            );
        }
        if closes.is_none() {
            self.at_key(
                "consultation",
                "the draft for comment has no `closes` date".into(),
                Some(format!(
                    "add the last day for comments under `consultation:`, {example}"
                )),
            );
        }
        // A plain date closes at its end: a draft may open at 08:00 and
        // close the same day.
        if let (Some(opens), Some(closes)) = (&opens, &closes)
            && deadline(closes) < opens.at
        {
            self.at_key(
                "closes",
                "comments close (`closes`) before they open (`opens`)".into(),
                Some("check both dates against the announcement of the draft".into()),
            );
        }
        let comments = raw.comments.unwrap_or_default();
        let comments = Comments {
            email: filled(comments.email),
            address: filled(comments.address),
            form: filled(comments.form),
        };
        if comments.email.is_none() && comments.address.is_none() && comments.form.is_none() {
            self.at_key(
                "consultation",
                "the draft for comment says nowhere to send comments".into(),
                Some("add `comments: { email: gopy@example.gov.vn }` (or `address:`, or `form:`) under `consultation:`".into()),
            );
        }
        if let Some(email) = comments
            .email
            .as_deref()
            .filter(|e| !crate::agency::is_email(e))
        {
            self.at_key(
                "email",
                format!("`{email}` is not an email address"),
                Some("write it as `gopy@example.gov.vn`".into()),
            );
        }
        if let Some(form) = comments.form.as_deref().filter(|f| !is_form_address(f)) {
            self.at_key(
                "form",
                format!("the comment form's address `{form}` is not a web link"),
                Some("write the address that receives the form as `https://…`".into()),
            );
        }
        let attachments = self.attachments(raw.attachments, place, "consultation");
        let (opens, closes) = (opens?, closes?);
        Some(Consultation {
            title: filled(raw.title),
            unit: filled(raw.unit),
            field: filled(raw.field),
            status: Status::derive(&opens, &closes, now, zone),
            opens,
            closes,
            comments,
            attachments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

    fn date(text: &str) -> Date {
        DateInput::parse(text).unwrap().resolve(ZONE)
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn status_around_its_dates_in_the_sites_time_zone() {
        let (opens, closes) = (date("2026-12-01"), date("2026-12-15"));
        let on = |now: &str| Status::derive(&opens, &closes, at(now), ZONE);
        assert_eq!(
            on("2026-11-29T12:00:00+07:00"),
            Status::Upcoming { days: 2 }
        );
        // 23:59 the evening before in Hanoi, then midnight.
        assert_eq!(
            on("2026-11-30T23:59:00+07:00"),
            Status::Upcoming { days: 1 }
        );
        assert_eq!(on("2026-12-01T00:00:00+07:00"), Status::Open { days: 14 });
        // The last day at any hour, told in UTC as CI's clock is.
        assert_eq!(on("2026-12-14T17:00:00+00:00"), Status::Open { days: 0 });
        assert_eq!(on("2026-12-15T16:59:00+00:00"), Status::Open { days: 0 });
        assert_eq!(on("2026-12-15T17:00:00+00:00"), Status::Closed);
        // Days turn at Hanoi's midnight, not UTC's.
        assert_eq!(on("2026-12-13T16:30:00+00:00"), Status::Open { days: 2 });
        assert_eq!(on("2026-12-13T17:30:00+00:00"), Status::Open { days: 1 });
    }

    #[test]
    fn a_time_of_day_closes_at_that_minute() {
        let (opens, closes) = (date("2026-12-01 08:00"), date("2026-12-15 17:00"));
        let on = |now: &str| Status::derive(&opens, &closes, at(now), ZONE);
        assert_eq!(
            on("2026-12-01T07:59:00+07:00"),
            Status::Upcoming { days: 0 }
        );
        assert_eq!(on("2026-12-01T08:00:00+07:00"), Status::Open { days: 14 });
        assert_eq!(on("2026-12-15T16:59:00+07:00"), Status::Open { days: 0 });
        assert_eq!(on("2026-12-15T17:00:00+07:00"), Status::Closed);
    }
}
