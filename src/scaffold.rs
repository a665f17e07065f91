//! `gazette new`: a new article, directive or plain page written into
//! `content/`, with front matter the loader accepts as it stands.
//!
//! It owns the file's place and its first text, nothing after: the name is
//! the title folded like a slug (so the URL stays readable and does not move
//! when the title is later corrected), the URL is the one the build will
//! give it ([`crate::permalink`]), the category is looked up as the loader
//! looks it up ([`Config::find_category`]), and a directive's number is
//! compared with every other directive's as the register compares them
//! ([`register::normalize`]). Keys an editor is expected to fill are written
//! empty, and only those that build without a warning when left empty.
//! Nothing is ever overwritten: the file is created with `create_new`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::config::{self, Config, is_slug};
use crate::content::front_matter;
use crate::diagnostic::{Diagnostic, locate_text};
use crate::{content, permalink, portable, register, yaml};

/// The section articles go in unless told otherwise.
pub const DEFAULT_SECTION: &str = "tin-tuc";

/// What to create.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A dated item of a section.
    Article {
        /// Default: [`DEFAULT_SECTION`].
        section: Option<String>,
        /// `<section>/<slug>/index.md` rather than `<section>/<slug>.md`.
        bundle: bool,
        /// A declared category, by slug or name.
        category: Option<String>,
    },
    /// A directive (văn bản), always a bundle in the register section.
    Directive {
        number: String,
        /// Loại văn bản: Thông tư, Quyết định…
        kind: String,
        /// Default: the organization's name from config.yaml.
        issuer: Option<String>,
    },
    /// A draft put out for comment, always a bundle in the drafts'
    /// section, open from today.
    Consultation {
        /// Days comments stay open; default [`CONSULTATION_DAYS`].
        days: Option<u32>,
        /// Where comments go; default: the organization's email.
        email: Option<String>,
    },
    /// A page at the root of `content/`.
    Page,
}

/// How long a new draft is open for comment unless told: the 60 days the
/// Law on Promulgation of Legal Documents gives most drafts.
pub const CONSULTATION_DAYS: u32 = 60;

/// What `gazette new` was asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    /// The title, or a directive's abstract (trích yếu).
    pub title: String,
    pub kind: Kind,
    /// The moment the page is dated; defaults to now.
    pub now: Option<DateTime<Utc>>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Relative to the site's folder, `/`-separated: `content/tin-tuc/a.md`.
    pub file: String,
    /// The page's absolute URL, with `base_url`.
    pub url: String,
}

/// Why nothing was written.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub diagnostics: Vec<Diagnostic>,
    /// A bad argument or an I/O failure, rather than a problem of the site.
    pub usage: bool,
}

impl Refusal {
    fn site(diagnostic: Diagnostic) -> Self {
        Refusal {
            diagnostics: vec![diagnostic],
            usage: false,
        }
    }

    fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Refusal {
            diagnostics: vec![Diagnostic::error(message).with_hint(hint)],
            usage: true,
        }
    }

    fn io(what: &str, path: &Path, err: &std::io::Error) -> Self {
        Refusal {
            diagnostics: vec![Diagnostic::error(format!(
                "{what} {}: {err}",
                path.display()
            ))],
            usage: true,
        }
    }
}

/// Where the new page goes and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    section: Option<String>,
    /// The file's name without `.md`, or the bundle folder's.
    slug: String,
    bundle: bool,
    text: String,
}

impl Plan {
    /// The folder inside `content/` the file or bundle folder goes in.
    fn dir(&self) -> String {
        self.section.clone().unwrap_or_default()
    }

    fn join(&self, name: &str) -> String {
        match &self.section {
            Some(section) => format!("{section}/{name}"),
            None => name.to_string(),
        }
    }

    /// The file's path inside `content/`.
    fn rel(&self) -> String {
        if self.bundle {
            self.join(&format!("{}/index.md", self.slug))
        } else {
            self.join(&format!("{}.md", self.slug))
        }
    }
}

/// Writes the new page, or says why not; never overwrites anything.
pub fn create(request: &Request) -> Result<Created, Refusal> {
    let config = config::load(&request.root, None).map_err(|diagnostics| Refusal {
        diagnostics,
        usage: false,
    })?;
    let now = request
        .now
        .unwrap_or_else(Utc::now)
        .with_timezone(&config.timezone);
    let plan = plan(request, &config, now)?;
    let url = url_of(&plan, &request.title, &config, now)?;
    refuse_existing(&request.root, &plan)?;
    let file = format!("{}/{}", content::DIR, plan.rel());
    write_new(&request.root, &plan)?;
    Ok(Created { file, url })
}

fn plan(request: &Request, config: &Config, now: DateTime<Tz>) -> Result<Plan, Refusal> {
    let title = one_line(&request.title);
    if title.is_empty() {
        return Err(Refusal::usage(
            "the title is empty",
            "write it in quotes: gazette new article \"Tiêu đề bài viết\"",
        ));
    }
    let slug = permalink::title_slug(&title, config.permalinks.slug_max);
    if slug.is_empty() {
        return Err(Refusal::usage(
            format!("no file name can be made from the title `{title}`"),
            "give a title with letters or digits",
        ));
    }
    if let Some(reason) = portable::segment_problem(&slug) {
        return Err(Refusal::usage(
            format!("the file name `{slug}` made from the title {reason}"),
            "give a longer title; the file can be renamed afterwards",
        ));
    }
    let date = now.format("%Y-%m-%d %H:%M").to_string();
    let today = now.format("%Y-%m-%d").to_string();
    Ok(match &request.kind {
        Kind::Article {
            section,
            bundle,
            category,
        } => {
            let section = section.clone().unwrap_or_else(|| DEFAULT_SECTION.into());
            if !is_slug(&section) {
                return Err(Refusal::usage(
                    format!(
                        "`--section` must be a section folder such as `tin-tuc`, not `{section}`"
                    ),
                    "use lowercase letters without diacritics, digits and `-`",
                ));
            }
            let category = category
                .as_deref()
                .map(|written| find_category(config, written))
                .transpose()?;
            Plan {
                section: Some(section),
                slug,
                bundle: *bundle,
                text: article_text(&title, &date, category.as_deref(), config),
            }
        }
        Kind::Directive {
            number,
            kind,
            issuer,
        } => {
            let number = one_line(number);
            if number.is_empty() {
                return Err(Refusal::usage(
                    "the directive's `--number` is empty",
                    "write it as on the document, e.g. --number \"12/2024/TT-BTTTT\"",
                ));
            }
            let kind = one_line(kind);
            if kind.is_empty() {
                return Err(Refusal::usage(
                    "the directive's `--type` is empty",
                    "write it as on the document, e.g. --type \"Thông tư\"",
                ));
            }
            refuse_taken_number(&request.root, config, &number)?;
            let issuer = issuer
                .as_deref()
                .map(one_line)
                .unwrap_or_else(|| one_line(&config.organization.name));
            Plan {
                section: Some(config.paths.register.clone()),
                slug,
                bundle: true,
                text: directive_text(&title, &number, &kind, &issuer, &today),
            }
        }
        Kind::Consultation { days, email } => {
            let days = days.unwrap_or(CONSULTATION_DAYS);
            if days == 0 {
                return Err(Refusal::usage(
                    "`--days` must be at least 1",
                    "comments are usually open for 60 days: --days 60",
                ));
            }
            let closes = (now + chrono::Duration::days(i64::from(days)))
                .format("%Y-%m-%d")
                .to_string();
            let email = email
                .as_deref()
                .map(one_line)
                .unwrap_or_else(|| one_line(&config.organization.email));
            Plan {
                section: Some(config.paths.consultations.clone()),
                slug,
                bundle: true,
                text: consultation_text(&title, &today, &closes, &email),
            }
        }
        Kind::Page => Plan {
            section: None,
            slug,
            bundle: false,
            text: page_text(&title),
        },
    })
}

/// White space folded to single spaces: front matter holds one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_category(config: &Config, written: &str) -> Result<String, Refusal> {
    config
        .find_category(written)
        .map(|category| category.slug.clone())
        .map_err(|hint| {
            Refusal::site(
                Diagnostic::error(format!(
                    "undeclared category `{written}`: config.yaml declares no such category"
                ))
                .with_hint(hint),
            )
        })
}

/// `key: value` with the value quoted, or `key:` alone when it is empty.
fn line(key: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{key}:\n")
    } else {
        format!("{key}: {}\n", yaml::quoted(value))
    }
}

fn article_text(title: &str, date: &str, category: Option<&str>, config: &Config) -> String {
    let category = match category {
        Some(slug) => format!("category: {slug}\n"),
        None if config.categories.is_empty() => "category:\n".into(),
        None => format!(
            "category:  # một trong: {}\n",
            config
                .categories
                .iter()
                .map(|c| c.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "---\n{}date: {date}\nsummary:\n{category}tags: []\nauthor:\nsource:\nimage:\ndraft: false\n---\n\n<!-- Viết nội dung bài viết ở đây; đoạn đầu tiên nên ghi vào summary (sapo). -->\n",
        line("title", title),
    )
}

fn directive_text(title: &str, number: &str, kind: &str, issuer: &str, today: &str) -> String {
    format!(
        "---\n{}summary:\ndocument:\n  {}  {}  {}  signer:\n  signed: {today}\n  effective:\n  field:\n  {}  attachments: []\n---\n\n<!-- Nội dung chính của văn bản. Đặt tệp PDF toàn văn cùng thư mục và ghi vào attachments, ví dụ: - {{ file: toan-van.pdf, title: Toàn văn }} -->\n",
        line("title", title),
        line("number", number),
        line("type", kind),
        line("issuer", issuer),
        line("abstract", title),
    )
}

fn consultation_text(title: &str, today: &str, closes: &str, email: &str) -> String {
    format!(
        "---\n{}summary:\nconsultation:\n  {}  unit:\n  field:\n  opens: {today}\n  closes: {closes}\n  comments:\n    {}    address:\n  attachments: []\n---\n\n<!-- Giới thiệu dự thảo: căn cứ, phạm vi, nội dung chính. Đặt tệp dự thảo và tờ trình cùng thư mục và ghi vào attachments, ví dụ: - {{ file: du-thao.pdf, title: Dự thảo }}. Cần ít nhất một cách gửi góp ý: email, address hoặc form. -->\n",
        line("title", &format!("Lấy ý kiến {}", lower_first(title))),
        line("title", title),
        line("email", email),
    )
}

/// "Dự thảo Thông tư…" → "dự thảo Thông tư…", for "Lấy ý kiến dự thảo…".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn page_text(title: &str) -> String {
    format!(
        "---\n{}summary:\n---\n\n<!-- Viết nội dung trang ở đây. -->\n",
        line("title", title)
    )
}

/// The URL the build will give the page, with `base_url`.
fn url_of(plan: &Plan, title: &str, config: &Config, now: DateTime<Tz>) -> Result<String, Refusal> {
    let rel = plan.rel();
    let id_source = if plan.bundle {
        plan.join(&plan.slug)
    } else {
        rel.clone()
    };
    let fields = permalink::Fields {
        section: plan.section.as_deref(),
        rel: &rel,
        slug: None,
        title: &one_line(title),
        id: &content::stable_id(&id_source),
        date: Some(now.date_naive()),
    };
    match config.permalinks.expand(&fields) {
        Ok(url) => Ok(config.permalink(&url.url)),
        Err(problem) => Err(Refusal::site(
            Diagnostic::error(problem.message)
                .in_file(config::FILE_NAME)
                .with_hint(problem.hint),
        )),
    }
}

/// Refuses when the file, or anything that would take its URL (the other
/// of `<slug>.md` and the bundle folder `<slug>/`), exists.
fn refuse_existing(root: &Path, plan: &Plan) -> Result<(), Refusal> {
    let dir = plan.dir();
    for name in [format!("{}.md", plan.slug), plan.slug.clone()] {
        let rel = if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        };
        let path = root.join(content::DIR).join(&rel);
        if path.symlink_metadata().is_ok() {
            return Err(exists(&format!("{}/{rel}", content::DIR)));
        }
    }
    Ok(())
}

fn exists(shown: &str) -> Refusal {
    Refusal::site(
        Diagnostic::error(format!("`{shown}` already exists"))
            .in_file(shown)
            .with_hint("gazette new never overwrites: edit that file, or give a title that makes another name"),
    )
}

/// Creates the bundle folder (when there is one) and the file, each only
/// if it does not exist yet, so that a race cannot overwrite either.
fn write_new(root: &Path, plan: &Plan) -> Result<(), Refusal> {
    let content_dir = root.join(content::DIR);
    let parent = content_dir.join(plan.dir());
    std::fs::create_dir_all(&parent)
        .map_err(|err| Refusal::io("cannot create the folder", &parent, &err))?;
    let bundle_dir = plan.bundle.then(|| parent.join(&plan.slug));
    if let Some(dir) = &bundle_dir {
        std::fs::create_dir(dir).map_err(|err| match err.kind() {
            std::io::ErrorKind::AlreadyExists => {
                exists(&format!("{}/{}", content::DIR, plan.join(&plan.slug)))
            }
            _ => Refusal::io("cannot create the folder", dir, &err),
        })?;
    }
    let path = content_dir.join(plan.rel());
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::AlreadyExists => {
                exists(&format!("{}/{}", content::DIR, plan.rel()))
            }
            _ => Refusal::io("cannot create", &path, &err),
        })
        .and_then(|mut file| {
            file.write_all(plan.text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|err| {
                    // Only what was created here is removed.
                    let _ = std::fs::remove_file(&path);
                    Refusal::io("cannot write", &path, &err)
                })
        });
    if written.is_err()
        && let Some(dir) = &bundle_dir
    {
        // Empty unless someone else wrote in it meanwhile; then it stays.
        let _ = std::fs::remove_dir(dir);
    }
    written
}

/// What a light scan reads of a page: its directive number, if any.
#[derive(Deserialize)]
struct Numbered {
    document: Option<NumberOnly>,
}

#[derive(Deserialize)]
struct NumberOnly {
    number: Option<String>,
}

/// Refuses a number that a directive of `content/` already carries,
/// compared as the register compares numbers. Files that cannot be read
/// or parsed are passed over: the build reports them.
fn refuse_taken_number(root: &Path, config: &Config, number: &str) -> Result<(), Refusal> {
    let key = register::normalize(number);
    let boundary = crate::boundary::Boundary::new(root, &config.linked_folders);
    let mut ignored = Vec::new();
    let entries = boundary.walk(&root.join(content::DIR), content::is_ignored, &mut ignored);
    for entry in entries.into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        let Ok(split) = front_matter::split(&text) else {
            continue;
        };
        let Some(taken) = yaml::from_str::<Numbered>(split.yaml)
            .ok()
            .and_then(|page| page.document?.number)
        else {
            continue;
        };
        if register::normalize(&taken) == key {
            let file = crate::diagnostic::display_path(root, path);
            let mut d = Diagnostic::error(format!(
                "the directive number `{number}` is already taken by {}",
                file.display()
            ))
            .in_file(&file)
            .with_hint("each directive's number is unique (compared without spaces and case); check the number against the document, or edit that directive");
            if let Some((line, column)) = locate_text(&text, taken.trim(), split.yaml_line) {
                d = d.at(&text, line, column);
            }
            return Err(Refusal::site(d));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        config::parse(
            "title: T\nbase_url: https://example.gov.vn\ncategories:\n  - { name: Chuyển đổi số, slug: chuyen-doi-so }\norganization: { name: Bộ Thử nghiệm }\n",
            None,
        )
        .unwrap()
    }

    fn now() -> DateTime<Tz> {
        DateTime::parse_from_rfc3339("2024-03-04T19:30:59Z")
            .unwrap()
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
    }

    fn request(title: &str, kind: Kind) -> Request {
        Request {
            root: PathBuf::from("/nonexistent"),
            title: title.into(),
            kind,
            now: None,
        }
    }

    #[test]
    fn article_front_matter_is_dated_in_the_site_zone_and_parses() {
        let kind = Kind::Article {
            section: None,
            bundle: true,
            category: Some("Chuyển đổi số".into()),
        };
        let plan = plan(
            &request("  Họp báo: \"thường kỳ\"\n tháng 3/2024 ", kind),
            &config(),
            now(),
        )
        .unwrap();
        assert_eq!(
            plan.rel(),
            "tin-tuc/hop-bao-thuong-ky-thang-3-2024/index.md"
        );
        let split = front_matter::split(&plan.text).unwrap();
        let raw: front_matter::RawFrontMatter = yaml::from_str(split.yaml).unwrap();
        assert_eq!(
            raw.title.as_deref(),
            Some("Họp báo: \"thường kỳ\" tháng 3/2024")
        );
        assert_eq!(raw.category.as_deref(), Some("chuyen-doi-so"));
        assert!(
            plan.text.contains("date: 2024-03-05 02:30\n"),
            "{}",
            plan.text
        );
        assert!(raw.summary.is_none() && raw.author.is_none() && raw.tags.is_empty());
    }

    #[test]
    fn without_a_category_the_declared_ones_are_listed() {
        let kind = Kind::Article {
            section: Some("thong-bao".into()),
            bundle: false,
            category: None,
        };
        let plan = plan(&request("Thông báo", kind), &config(), now()).unwrap();
        assert_eq!(plan.rel(), "thong-bao/thong-bao.md");
        assert!(
            plan.text
                .contains("category:  # một trong: chuyen-doi-so\n")
        );
    }

    #[test]
    fn bad_arguments_are_usage_problems() {
        let article = |section: &str| Kind::Article {
            section: Some(section.into()),
            bundle: false,
            category: None,
        };
        for (title, kind) in [
            ("  ", Kind::Page),
            ("!!!", Kind::Page),
            ("Con", Kind::Page),
            ("Bài", article("Tin Tức")),
        ] {
            let refusal = plan(&request(title, kind), &config(), now()).unwrap_err();
            assert!(refusal.usage, "{title}: {:?}", refusal.diagnostics);
        }
        let unknown = Kind::Article {
            section: None,
            bundle: false,
            category: Some("chuyen-doi".into()),
        };
        let refusal = plan(&request("Bài", unknown), &config(), now()).unwrap_err();
        assert!(!refusal.usage);
        assert!(
            refusal.diagnostics[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("`chuyen-doi-so`"))
        );
    }

    #[test]
    fn urls_follow_the_permalink_patterns() {
        let config = config::parse(
            "title: T\nbase_url: https://example.gov.vn/\npermalinks:\n  tin-tuc: /tin-tuc/{year}/{slug}.html\n",
            None,
        )
        .unwrap();
        let kind = Kind::Article {
            section: None,
            bundle: false,
            category: None,
        };
        let plan = plan(&request("Họp báo", kind), &config, now()).unwrap();
        let url = url_of(&plan, "Họp báo", &config, now()).unwrap();
        assert_eq!(url, "https://example.gov.vn/tin-tuc/2024/hop-bao.html");
    }
}
