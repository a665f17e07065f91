//! The agency's own pages (Nghị định 42/2022/NĐ-CP, art. 4): its
//! organisation as a tree of units (`units:`), its leaders (`leaders:`)
//! and its contact list (`contacts:`), each written as a list in the front
//! matter of one plain page. This module owns those lists: their shape as
//! written, their validation (every problem located at its line), and what
//! templates are given of them. The functions and duties page is a plain
//! Markdown page and needs nothing of its own.

mod check;
mod view;

use serde::{Deserialize, Serialize};

pub use check::{Source, validate};
pub use view::AgencyView;

/// `units:`, `leaders:` or `contacts:` as written; at most one per page.
#[derive(Debug, Default)]
pub struct RawAgency {
    pub units: Option<Vec<RawUnit>>,
    pub leaders: Option<Vec<RawLeader>>,
    pub contacts: Option<Vec<RawContact>>,
}

/// One unit of `units:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnit {
    pub id: Option<String>,
    pub name: Option<String>,
    /// The `id` or the `name` of the unit above it.
    pub parent: Option<String>,
    pub head: Option<String>,
    pub function: Option<String>,
    pub url: Option<String>,
}

/// One person of `leaders:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeader {
    pub name: Option<String>,
    pub title: Option<String>,
    pub portfolio: Option<String>,
    pub photo: Option<String>,
    pub bio: Option<String>,
}

/// One line of `contacts:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub unit: Option<String>,
    pub person: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What an agency page lists, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agency {
    /// Cơ cấu tổ chức: units in the order written; parents are indexes.
    Units(Vec<Unit>),
    /// Lãnh đạo.
    Leaders(Vec<Leader>),
    /// Danh bạ liên hệ.
    Contacts(Vec<Contact>),
}

impl Agency {
    /// The theme's template for the page, unless it names one itself.
    pub fn template(&self) -> &'static str {
        match self {
            Agency::Units(_) => "organisation.html",
            Agency::Leaders(_) => "leaders.html",
            Agency::Contacts(_) => "contacts.html",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// Index of the unit above it in the list.
    pub parent: Option<usize>,
    pub head: Option<String>,
    pub function: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub name: String,
    pub title: String,
    pub portfolio: Option<String>,
    /// As written: a file of the page's bundle, a site path or a web address.
    pub photo: Option<String>,
    pub bio: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub unit: String,
    pub person: Option<String>,
    pub position: Option<String>,
    /// As written, for display.
    pub phone: Option<String>,
    /// Digits with a leading `+` if written, for `tel:`.
    pub tel: Option<String>,
    pub email: Option<String>,
}

/// The number a `tel:` link dials: the digits, and a leading `+`; `None`
/// when `phone` is not a phone number (8 to 15 digits, written with
/// spaces, dots, dashes or brackets between them).
pub fn tel(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", phone),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (8..=15)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

/// Whether `email` is an address a `mailto:` link can carry: one `@`, a
/// name without spaces before it, a domain of dotted words after it.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_vietnamese_offices_write_them() {
        assert_eq!(tel("024 3943 7260").as_deref(), Some("02439437260"));
        assert_eq!(tel("(024) 3943.7260").as_deref(), Some("02439437260"));
        assert_eq!(tel("+84 24 3943 7260").as_deref(), Some("+842439437260"));
        assert_eq!(tel("0912-345-678").as_deref(), Some("0912345678"));
        assert_eq!(tel("1900 1234"), Some("19001234".into()));
        assert_eq!(tel("024 39x4 7260"), None);
        assert_eq!(tel("1234"), None);
        assert_eq!(tel("+84 +24 3943 7260"), None);
        assert_eq!(tel(""), None);
    }

    #[test]
    fn email_addresses() {
        assert!(is_email("vanphong@mic.gov.vn"));
        assert!(is_email("ban.bien-tap+1@example.gov.vn"));
        assert!(!is_email("vanphong.mic.gov.vn"));
        assert!(!is_email("van phong@mic.gov.vn"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a@@b.vn"));
        assert!(!is_email("@mic.gov.vn"));
        assert!(!is_email("a@mic..vn"));
        assert!(!is_email("a@mic.gov.v1"));
    }
}
