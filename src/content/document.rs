//! Directives (văn bản): the `document:` map of a page's front matter,
//! validated, and the status it has on the day of the build.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::Checker;
use super::date::{Date, DateInput};
use crate::diagnostic::{Diagnostic, locate_key, locate_text};

/// `document:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    pub number: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<SignerInput>,
    pub signed: Option<DateInput>,
    pub effective: Option<DateInput>,
    pub expires: Option<DateInput>,
    pub field: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
}

/// `signer: Nguyễn Văn A` or `signer: { name: …, title: Thứ trưởng }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SignerInput {
    Name(String),
    Full {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        title: Option<String>,
    },
}

/// `- van-ban.pdf` or `- { file: van-ban.pdf, title: Toàn văn }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AttachmentInput {
    File(String),
    Full {
        file: String,
        #[serde(default)]
        title: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    pub name: Option<String>,
    pub title: Option<String>,
}

/// Whether a directive is in force on the day of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    NotYet,
    InForce,
    Expired,
    /// No effective date was given, so nothing can be derived.
    Unknown,
    /// Written by the editor (`status:`), e.g. "Hết hiệu lực một phần".
    Stated(String),
}

impl Status {
    /// Derives the status from the dates, `now` being the build's moment.
    pub fn derive(
        effective: Option<&Date>,
        expires: Option<&Date>,
        now: DateTime<FixedOffset>,
    ) -> Status {
        match (effective, expires) {
            (_, Some(expires)) if expires.at <= now => Status::Expired,
            (Some(effective), _) if effective.at > now => Status::NotYet,
            (Some(_), _) => Status::InForce,
            (None, _) => Status::Unknown,
        }
    }

    /// The key of its label in the theme's UI strings.
    pub fn key(&self) -> &'static str {
        match self {
            Status::NotYet => "status_not_yet",
            Status::InForce => "status_in_force",
            Status::Expired => "status_expired",
            Status::Unknown => "status_unknown",
            Status::Stated(_) => "status_stated",
        }
    }
}

/// A file published with the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// As written, relative to the page.
    pub file: String,
    pub title: String,
    pub size: u64,
    /// Where the file is published when the page is not a bundle: the
    /// site path of its folder (the file is mirrored there).
    pub folder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub number: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<Signer>,
    pub signed: Option<Date>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub field: Option<String>,
    pub abstract_text: Option<String>,
    pub status: Status,
    pub attachments: Vec<Attachment>,
}

/// Where a page's files are: its folder on disk, that folder's path inside
/// `content/`, and whether the folder is the page's own bundle.
pub struct Place<'a> {
    pub dir: &'a Path,
    pub rel_dir: &'a str,
    pub bundle: bool,
}

impl Checker<'_> {
    /// A problem at the first line holding `needle` inside the front
    /// matter, else at the line of `fallback:`.
    fn at_text(&mut self, needle: &str, fallback: &str, message: String, hint: &str) {
        let (line, column) = locate_text(self.text, needle, self.yaml_line)
            .or_else(|| locate_key(self.text, fallback))
            .unwrap_or((1, 1));
        self.problems.push(
            Diagnostic::error(message)
                .in_file(self.file)
                .at(self.text, line, column)
                .with_hint(hint),
        );
    }

    /// The files published with a directive or a draft, each checked to
    /// lie beside the page; `key` is the map they are listed under.
    pub(super) fn attachments(
        &mut self,
        inputs: Vec<AttachmentInput>,
        place: &Place,
        key: &str,
    ) -> Vec<Attachment> {
        let mut attachments = Vec::new();
        for input in inputs {
            let (file, title) = match input {
                AttachmentInput::File(file) => (file, None),
                AttachmentInput::Full { file, title } => (file, title),
            };
            let clean = file.trim().trim_start_matches("./").to_string();
            let safe = !clean.is_empty()
                && !clean.starts_with('/')
                && !clean.split('/').any(|part| part == "..");
            let size = safe
                .then(|| std::fs::metadata(place.dir.join(&clean)).ok())
                .flatten()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            let Some(size) = size else {
                self.at_text(
                    &file,
                    key,
                    format!("attachment `{file}` does not exist beside the page"),
                    "put the file in the page's folder and write its name, e.g. `file: toan-van.pdf`",
                );
                continue;
            };
            let folder = (!place.bundle).then(|| {
                if place.rel_dir.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{}/", place.rel_dir)
                }
            });
            attachments.push(Attachment {
                title: title
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| clean.clone()),
                file: clean,
                size,
                folder,
            });
        }
        attachments
    }

    pub(super) fn document(
        &mut self,
        raw: RawDocument,
        summary: Option<&str>,
        place: &Place,
        zone: chrono_tz::Tz,
        now: DateTime<FixedOffset>,
    ) -> Option<Document> {
        let number = raw
            .number
            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "));
        let Some(number) = number.filter(|n| !n.is_empty()) else {
            self.at_key(
                "document",
                "the directive has no `number`".into(),
                Some("add `number: 07/2008/CT-BCA` under `document:`".into()),
            );
            return None;
        };
        let signed = raw.signed.map(|d| d.resolve(zone));
        let effective = raw.effective.map(|d| d.resolve(zone));
        let expires = raw.expires.map(|d| d.resolve(zone));
        if let (Some(signed), Some(effective)) = (&signed, &effective)
            && effective.at.date_naive() < signed.at.date_naive()
        {
            self.at_key(
                "effective",
                "the directive takes effect (`effective`) before it was signed (`signed`)".into(),
                Some("check both dates against the document".into()),
            );
        }
        if let (Some(effective), Some(expires)) = (&effective, &expires)
            && expires.at < effective.at
        {
            self.at_key(
                "expires",
                "the directive expires before it takes effect".into(),
                Some("check `effective` and `expires` against the document".into()),
            );
        }
        let attachments = self.attachments(raw.attachments, place, "document");
        let status = match raw.status.filter(|s| !s.trim().is_empty()) {
            Some(stated) => Status::Stated(stated),
            None => Status::derive(effective.as_ref(), expires.as_ref(), now),
        };
        Some(Document {
            number,
            kind: raw.kind,
            issuer: raw.issuer,
            signer: raw.signer.map(|s| match s {
                SignerInput::Name(name) => Signer {
                    name: Some(name),
                    title: None,
                },
                SignerInput::Full { name, title } => Signer { name, title },
            }),
            signed,
            effective,
            expires,
            field: raw.field,
            abstract_text: raw.abstract_text.or_else(|| summary.map(str::to_string)),
            status,
            attachments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        DateInput::parse(text)
            .unwrap()
            .resolve(chrono_tz::Asia::Ho_Chi_Minh)
    }

    #[test]
    fn status_around_the_build_date() {
        let now = date("2024-06-01 12:00").at;
        let on =
            |e: &str, x: Option<&str>| Status::derive(Some(&date(e)), x.map(date).as_ref(), now);
        assert_eq!(on("2024-06-02", None), Status::NotYet);
        assert_eq!(on("2024-06-01", None), Status::InForce);
        assert_eq!(on("2020-01-01", Some("2024-06-01")), Status::Expired);
        assert_eq!(on("2020-01-01", Some("2024-06-02")), Status::InForce);
        assert_eq!(Status::derive(None, None, now), Status::Unknown);
        assert_eq!(
            Status::derive(None, Some(&date("2020-01-01")), now),
            Status::Expired
        );
    }
}
