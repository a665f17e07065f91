//! What a page tells search engines and the apps its link is shared in:
//! the canonical address, the description, Open Graph and Twitter card
//! tags, the feeds to discover, and structured data (JSON-LD) —
//! `NewsArticle` on articles, `Legislation` on directives, the ministry as
//! a `GovernmentOrganization` and the portal as a `WebSite` with its
//! `SearchAction` on the home page.
//!
//! Templates print it as `head`. The JSON-LD is built with serde_json and
//! made safe to sit inside `<script>`: `<`, `>` and `&` are written as
//! `\u003c`, `\u003e`, `\u0026`, so no title can close the script or open
//! a comment, and the JSON still reads the same.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Renderer;
use super::feeds::{FeedLink, Scope};
use crate::content::document::Status;
use crate::render::Job;
use crate::site::SitePage;

/// A page's `<head>` beyond its title.
#[derive(Serialize)]
pub(super) struct Head {
    pub canonical: Option<String>,
    pub description: String,
    pub feeds: Vec<FeedLink>,
    pub og: Option<OpenGraph>,
    pub twitter: Option<TwitterCard>,
    /// Each a JSON-LD document, escaped for a `<script>` element.
    pub json_ld: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct OpenGraph {
    /// `article` or `website`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub site_name: String,
    pub locale: String,
    pub image: Option<String>,
    /// The size of a photo's copy, when the image is one.
    pub image_size: Option<(u32, u32)>,
    pub image_alt: Option<String>,
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct TwitterCard {
    /// `summary_large_image` with a picture, else `summary`.
    pub card: &'static str,
    pub site: Option<String>,
}

/// Characters of a description: what search results show, and a little
/// more.
const DESCRIPTION_MAX: usize = 300;

impl<'a> Renderer<'a> {
    /// The head of the page `job` renders at `url`, with `title` and
    /// `description` as the page shows them; none for the 404 page and
    /// redirects, which are not worth sharing.
    pub(super) fn head(
        &self,
        job: &Job,
        url: &str,
        title: &str,
        description: &str,
    ) -> Option<Head> {
        let canonical = self.config.permalink(url);
        let description = clip(description.trim(), DESCRIPTION_MAX);
        let page = match job {
            Job::Page(index) => Some(&self.site.pages[*index]),
            Job::NotFound | Job::Alias(_) => return None,
            _ => None,
        };
        let scope = match (job, page) {
            (Job::Category { list, .. }, _) => Some(Scope::Category(*list)),
            (Job::Register { .. }, _) => Some(Scope::Register),
            (Job::Consultations { .. }, _) => Some(Scope::Consultations),
            (_, Some(page)) if page.page.document.is_some() => Some(Scope::Register),
            (_, Some(page)) if page.page.consultation.is_some() => Some(Scope::Consultations),
            (_, Some(page)) => page.categories.first().map(|&c| Scope::Category(c)),
            _ => None,
        };
        let mut head = Head {
            og: Some(self.open_graph(page, &canonical, title, &description)),
            twitter: None,
            json_ld: Vec::new(),
            feeds: self.feed_links(scope),
            canonical: Some(canonical),
            description,
        };
        let has_image = head.og.as_ref().is_some_and(|og| og.image.is_some());
        head.twitter = Some(TwitterCard {
            card: if has_image {
                "summary_large_image"
            } else {
                "summary"
            },
            site: self.config.sharing.twitter.clone(),
        });
        let data = match (job, page) {
            (Job::Home, _) => Some(self.home_data()),
            (_, Some(page)) if page.page.document.is_some() => self.legislation(page, &head),
            (_, Some(page)) if page.page.date.is_some() => Some(self.news_article(page, &head)),
            _ => None,
        };
        head.json_ld.extend(data.map(|value| script_json(&value)));
        Some(head)
    }

    fn open_graph(
        &self,
        page: Option<&SitePage>,
        url: &str,
        title: &str,
        description: &str,
    ) -> OpenGraph {
        let image = page.and_then(|p| p.image_url.as_deref());
        // A photo's copy nearest 1200 px wide, as link previews want it.
        let copy = image
            .and_then(|src| self.pictures.view(src, src))
            .map(|view| view.og);
        let image_size = copy.as_ref().map(|og| (og.width, og.height));
        let image = copy.as_ref().map(|og| og.url.as_str()).or(image);
        let image_alt = page
            .and_then(|p| p.page.image.as_ref())
            .map(|i| i.alt.clone());
        let fallback = self.config.sharing.image.as_deref();
        let dated = page.filter(|p| p.page.date.is_some());
        OpenGraph {
            kind: if dated.is_some() {
                "article"
            } else {
                "website"
            },
            title: title.to_string(),
            description: description.to_string(),
            url: url.to_string(),
            site_name: self.config.title.clone(),
            locale: locale(&self.config.language),
            image: image.or(fallback).map(|i| self.config.absolute(i)),
            image_alt: if image.is_some() { image_alt } else { None },
            image_size,
            published_time: dated.and_then(|p| p.page.date).map(|d| d.at.to_rfc3339()),
            modified_time: dated
                .and_then(|p| p.page.updated)
                .map(|d| d.at.to_rfc3339()),
            section: dated
                .and_then(|p| p.categories.first())
                .map(|&c| self.site.categories[c].name.clone()),
            tags: dated.map_or_else(Vec::new, |p| p.page.tags.clone()),
        }
    }

    /// The ministry, as every page's publisher refers to it.
    fn organization(&self) -> Value {
        let org = &self.config.organization;
        let name = if org.name.is_empty() {
            &self.config.title
        } else {
            &org.name
        };
        let mut fields = object(json!({
            "@type": "GovernmentOrganization",
            "@id": self.config.permalink("/#to-chuc"),
            "name": name,
            "url": self.config.permalink("/"),
        }));
        if let Some(logo) = &self.config.sharing.logo {
            fields.insert(
                "logo".into(),
                json!({"@type": "ImageObject", "url": self.config.absolute(logo)}),
            );
        }
        if !org.address.is_empty() {
            fields.insert(
                "address".into(),
                json!({"@type": "PostalAddress", "streetAddress": org.address}),
            );
        }
        if !org.email.is_empty() {
            fields.insert("email".into(), json!(org.email));
        }
        if !org.phone.is_empty() {
            fields.insert("telephone".into(), json!(org.phone));
        }
        Value::Object(fields)
    }

    fn home_data(&self) -> Value {
        let home = self.config.permalink("/");
        let search = format!(
            "{}?q={{search_term_string}}",
            self.config.permalink(&self.config.search_url())
        );
        json!({
            "@context": "https://schema.org",
            "@graph": [
                self.organization(),
                {
                    "@type": "WebSite",
                    "@id": self.config.permalink("/#website"),
                    "name": self.config.title,
                    "description": self.config.description,
                    "url": home,
                    "inLanguage": self.config.language,
                    "publisher": {"@id": self.config.permalink("/#to-chuc")},
                    "potentialAction": {
                        "@type": "SearchAction",
                        "target": {"@type": "EntryPoint", "urlTemplate": search},
                        "query-input": "required name=search_term_string",
                    },
                },
            ],
        })
    }

    fn news_article(&self, page: &SitePage, head: &Head) -> Value {
        let og = head.og.as_ref();
        let published = page.page.date.map(|d| d.at.to_rfc3339());
        let modified = page
            .page
            .updated
            .or(page.page.date)
            .map(|d| d.at.to_rfc3339());
        let author = match &page.page.author {
            Some(name) => json!({"@type": "Person", "name": name}),
            None => self.organization(),
        };
        let mut fields = object(json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.page.title,
            "description": head.description,
            "url": head.canonical,
            "mainEntityOfPage": head.canonical,
            "datePublished": published,
            "dateModified": modified,
            "inLanguage": self.config.language,
            "author": [author],
            "publisher": self.organization(),
        }));
        if let Some(image) = og.and_then(|og| og.image.as_ref()) {
            fields.insert("image".into(), json!([image]));
        }
        if let Some(section) = og.and_then(|og| og.section.as_ref()) {
            fields.insert("articleSection".into(), json!(section));
        }
        if !page.page.tags.is_empty() {
            fields.insert("keywords".into(), json!(page.page.tags));
        }
        Value::Object(fields)
    }

    fn legislation(&self, page: &SitePage, head: &Head) -> Option<Value> {
        let document = page.page.document.as_ref()?;
        let mut fields = object(json!({
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": page.page.title,
            "legislationIdentifier": document.number,
            "description": head.description,
            "url": head.canonical,
            "inLanguage": self.config.language,
            "publisher": self.organization(),
        }));
        if let Some(kind) = &document.kind {
            fields.insert("legislationType".into(), json!(kind));
        }
        if let Some(signed) = document.signed.or(page.page.date) {
            fields.insert(
                "legislationDate".into(),
                json!(signed.at.date_naive().to_string()),
            );
        }
        if let Some(issuer) = &document.issuer {
            fields.insert(
                "legislationPassedBy".into(),
                json!({"@type": "GovernmentOrganization", "name": issuer}),
            );
        }
        if let Some(force) = legal_force(&document.status) {
            fields.insert("legislationLegalForce".into(), json!(force));
        }
        if let Some(signer) = document.signer.as_ref().and_then(|s| s.name.as_ref()) {
            fields.insert(
                "legislationResponsible".into(),
                json!({"@type": "Person", "name": signer}),
            );
        }
        if let Some(date) = page.page.date {
            fields.insert("datePublished".into(), json!(date.at.to_rfc3339()));
        }
        if let Some(field) = &document.field {
            fields.insert("about".into(), json!(field));
        }
        Some(Value::Object(fields))
    }
}

/// The fields of a JSON object written with `json!({…})`.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(fields) => fields,
        _ => Map::new(),
    }
}

/// schema.org's `LegalForceStatus` for a directive's status; none when
/// nothing is known, or the editor's own words say neither.
fn legal_force(status: &Status) -> Option<&'static str> {
    match status {
        Status::InForce => Some("https://schema.org/InForce"),
        Status::Expired | Status::NotYet => Some("https://schema.org/NotInForce"),
        Status::Unknown => None,
        Status::Stated(text) => {
            let text = text.to_lowercase();
            if text.contains("một phần") {
                Some("https://schema.org/PartiallyInForce")
            } else if text.contains("hết hiệu lực") || text.contains("chưa có hiệu lực")
            {
                Some("https://schema.org/NotInForce")
            } else if text.contains("còn hiệu lực") || text.contains("có hiệu lực") {
                Some("https://schema.org/InForce")
            } else {
                None
            }
        }
    }
}

/// `vi` → `vi_VN`, as Open Graph writes locales.
fn locale(language: &str) -> String {
    match language {
        "vi" => "vi_VN".into(),
        "en" => "en_US".into(),
        other => other.replace('-', "_"),
    }
}

/// `text` cut at a word to at most `max` characters, with "…".
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end_matches([',', ';', ':', ' ']))
}

/// JSON for a `<script type="application/ld+json">`: what serde_json
/// writes, with `<`, `>`, `&` and the two JavaScript line separators as
/// `\u` escapes (inside strings, the only place they can be).
pub(super) fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let value = json!({"headline": "a</script><!-- b & c \u{2028}"});
        let safe = script_json(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn descriptions_are_clipped_at_a_word() {
        assert_eq!(clip("Bộ Công an", 300), "Bộ Công an");
        assert_eq!(clip("một hai ba bốn", 9), "một hai…");
    }

    #[test]
    fn statuses_map_to_legal_force() {
        assert_eq!(
            legal_force(&Status::InForce),
            Some("https://schema.org/InForce")
        );
        assert_eq!(
            legal_force(&Status::Stated("Hết hiệu lực một phần".into())),
            Some("https://schema.org/PartiallyInForce")
        );
        assert_eq!(legal_force(&Status::Unknown), None);
    }
}
