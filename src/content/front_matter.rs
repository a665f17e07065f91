//! Splitting a Markdown file into YAML front matter and body, and the typed
//! front matter itself.

use serde::Deserialize;

use super::date::DateInput;

/// A file cut at its `---` fences. Lines are 1-based lines of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line the YAML text starts on.
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// The opening `---` has no closing one.
    NotClosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Cuts `text` (LF line endings, no BOM) at its front-matter fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, chunk) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if is_fence(chunk) {
            let body_start = offset + chunk.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += chunk.len();
    }
    Err(SplitError::NotClosed)
}

/// Front matter as written. Every key is optional to serde; which ones a
/// page needs is decided by the loader, which can then say so with the page's
/// own words. Unknown keys are not refused here: the loader warns about
/// them ([`KEYS`]), naming the nearest known key.
#[derive(Debug, Default, Deserialize)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<DateInput>,
    pub updated: Option<DateInput>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub categories: Option<Vec<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub source: Option<SourceInput>,
    pub image: Option<ImageInput>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub rating: Option<Rating>,
    pub template: Option<String>,
    pub id: Option<String>,
    /// Present on directives (văn bản).
    pub document: Option<super::document::RawDocument>,
    /// Numbers of the site's directives this page refers to.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Present on drafts put out for comment ([`super::consultation`]).
    pub consultation: Option<super::consultation::RawConsultation>,
    /// The agency's pages ([`crate::agency`]).
    pub units: Option<Vec<crate::agency::RawUnit>>,
    pub leaders: Option<Vec<crate::agency::RawLeader>>,
    pub contacts: Option<Vec<crate::agency::RawContact>>,
}

/// Every key [`RawFrontMatter`] knows.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "slug",
    "summary",
    "description",
    "category",
    "categories",
    "tags",
    "author",
    "source",
    "image",
    "draft",
    "featured",
    "aliases",
    "rating",
    "template",
    "id",
    "document",
    "documents",
    "consultation",
    "units",
    "leaders",
    "contacts",
];

/// `source: CAND` or `source: { name: CAND, url: https://… }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SourceInput {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        url: Option<String>,
    },
}

/// `image: anh.jpg` or `image: { src: anh.jpg, alt: …, caption: … }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ImageInput {
    Src(String),
    Full {
        src: String,
        #[serde(default)]
        alt: Option<String>,
        #[serde(default)]
        caption: Option<String>,
    },
}

/// Ratings collected so far, shown in the rating box.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    #[serde(default)]
    pub count: u32,
    #[serde(default)]
    pub average: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences_with_file_lines() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_front_matter_and_missing_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_and_missing() {
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::NotClosed));
        assert_eq!(split("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
    }
}
