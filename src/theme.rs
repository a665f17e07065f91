//! The theme: Tera templates, UI strings and static files.
//!
//! A site uses `themes/<name>/` when it has that folder; the default theme
//! `portal` is also built into the binary, so a site needs no copy of it.
//! Templates in the site's own `templates/` replace the theme's of the same
//! name, files in its `static/` replace the theme's static files, and keys in
//! its `i18n/<language>.yaml` replace the theme's UI strings.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::boundary::Boundary;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, display_path};
use crate::yaml;

pub const DEFAULT: &str = "portal";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/portal/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, as they were when the binary was built.
const PORTAL: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/macros.html",
    "templates/index.html",
    "templates/article.html",
    "templates/page.html",
    "templates/directive.html",
    "templates/register.html",
    "templates/consultation.html",
    "templates/consultations.html",
    "templates/list.html",
    "templates/404.html",
    "templates/redirect.html",
    "templates/site-map.html",
    "templates/agency-macros.html",
    "templates/organisation.html",
    "templates/leaders.html",
    "templates/contacts.html",
    "templates/partials/lang-alternates.html",
    "templates/partials/lang-switch.html",
    "templates/search.html",
    "i18n/vi.yaml",
    "i18n/en.yaml",
    "static/css/portal.css",
    "static/css/agency.css",
    "static/js/portal.js",
    "static/js/search.js",
    "static/favicon.svg",
    "static/emblem.svg",
];

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// A static file published at `path` (relative, `/`-separated).
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: String,
    pub source: Source,
}

pub struct Theme {
    pub tera: Tera,
    /// UI strings, given to every template as `t`.
    pub strings: serde_json::Value,
    /// Sunday first, as `chrono` numbers them from Sunday.
    pub weekdays: Vec<String>,
    /// The UI strings of each of the site's languages, in the order of
    /// `config.languages` (the first is `strings` and `weekdays`).
    pub languages: Vec<Strings>,
    pub static_files: Vec<StaticFile>,
}

/// A theme file: its name inside the theme, what to call it in messages,
/// and its text.
struct ThemeFile {
    name: String,
    shown: PathBuf,
    text: String,
}

pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(&config.theme);
    let mut files: BTreeMap<String, ThemeFile> = BTreeMap::new();
    let mut static_files: BTreeMap<String, StaticFile> = BTreeMap::new();
    let mut problems = Vec::new();
    let boundary = Boundary::new(root, &config.linked_folders);

    if theme_dir.is_dir() {
        read_dir(
            root,
            &theme_dir,
            &boundary,
            &mut files,
            &mut static_files,
            &mut problems,
        );
    } else if config.theme == DEFAULT {
        for (name, bytes) in PORTAL {
            let shown = PathBuf::from(format!("(built-in theme) {name}"));
            if let Some(path) = name.strip_prefix("static/") {
                static_files.insert(
                    path.to_string(),
                    StaticFile {
                        path: path.to_string(),
                        source: Source::Embedded(bytes),
                    },
                );
            } else {
                let text = String::from_utf8_lossy(bytes).into_owned();
                files.insert(
                    name.to_string(),
                    ThemeFile {
                        name: name.to_string(),
                        shown,
                        text,
                    },
                );
            }
        }
    } else {
        return Err(vec![
            Diagnostic::error(format!(
                "theme `{}` not found: there is no folder themes/{}/",
                config.theme, config.theme
            ))
            .in_file(crate::config::FILE_NAME)
            .with_hint(format!(
                "remove `theme:` to use the built-in `{DEFAULT}` theme, or add the theme's folder"
            )),
        ]);
    }
    // The site's own files win over the theme's.
    read_dir(
        root,
        root,
        &boundary,
        &mut files,
        &mut static_files,
        &mut problems,
    );

    let languages: Vec<Strings> = config
        .languages
        .iter()
        .map(|language| ui_strings(&files, &language.code, &mut problems))
        .collect();
    let Strings {
        strings, weekdays, ..
    } = languages.first().cloned().unwrap_or_default();

    let templates: Vec<&ThemeFile> = files
        .values()
        .filter(|f| f.name.starts_with("templates/"))
        .collect();
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("urlencode_strict", urlencode_strict);
    tera.register_filter("picture", crate::images::filter::Picture);
    if let Err(err) = tera.add_raw_templates(
        templates
            .iter()
            .map(|f| (template_name(&f.name), f.text.as_str())),
    ) {
        // Tera names the template it failed on: `Failed to parse 'x.html'`.
        let culprit = err.to_string().split('\'').nth(1).and_then(|name| {
            templates
                .iter()
                .find(|f| template_name(&f.name) == name)
                .copied()
        });
        problems.push(template_error(
            &err,
            culprit.map(|f| f.shown.as_path()),
            culprit.map(|f| f.text.as_str()),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Theme {
        tera,
        strings,
        weekdays,
        languages,
        static_files: static_files.into_values().collect(),
    })
}

/// Tera's `urlencode_strict` (its built-in filters are not compiled in):
/// every byte but ASCII letters and digits percent-encoded, for a value
/// put in a URL's query, such as the share links' `?u=`.
fn urlencode_strict(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = tera::try_get_value!("urlencode_strict", "value", String, value);
    let encoded = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC);
    Ok(tera::Value::String(encoded.to_string()))
}

/// A language's UI strings, with its day and month names.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    pub strings: serde_json::Value,
    /// Sunday first.
    pub weekdays: Vec<String>,
    /// January first; when a language lists none, dates are written with
    /// the month's number (23/02/2021).
    pub months: Vec<String>,
}

/// `i18n/<code>.yaml`, checked.
fn ui_strings(
    files: &BTreeMap<String, ThemeFile>,
    code: &str,
    problems: &mut Vec<Diagnostic>,
) -> Strings {
    let name = format!("i18n/{code}.yaml");
    let strings = strings(files, &name, problems);
    let list = |key: &str| -> Vec<String> {
        strings
            .get(key)
            .and_then(|w| w.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let weekdays = list("weekdays");
    let months = list("months");
    if weekdays.len() != 7 && !strings.is_null() {
        problems.push(
            Diagnostic::error(format!(
                "`weekdays` in {name} must list seven day names, Sunday first"
            ))
            .in_file(&name),
        );
    }
    if !months.is_empty() && months.len() != 12 {
        problems.push(
            Diagnostic::error(format!(
                "`months` in {name} must list twelve month names, January first"
            ))
            .in_file(&name),
        );
    }
    Strings {
        strings,
        weekdays,
        months,
    }
}

/// Escapes what HTML and XML need escaped. Tera's own escaper also turns
/// `/` into `&#x2F;`, which bloats every URL for no safety gain.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Copy the runs between the five ASCII specials whole: Vietnamese text
    // is mostly multi-byte characters, not worth decoding one by one.
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out
}

fn template_name(name: &str) -> &str {
    name.strip_prefix("templates/").unwrap_or(name)
}

/// Reads `templates/`, `i18n/` and `static/` under `dir` into the maps,
/// replacing entries of the same name.
fn read_dir(
    root: &Path,
    dir: &Path,
    boundary: &Boundary,
    files: &mut BTreeMap<String, ThemeFile>,
    static_files: &mut BTreeMap<String, StaticFile>,
    problems: &mut Vec<Diagnostic>,
) {
    for part in ["templates", "i18n", "static"] {
        let base = dir.join(part);
        if !base.is_dir() {
            continue;
        }
        for entry in boundary.walk(&base, |name| name.starts_with('.'), problems) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    problems.push(Diagnostic::error(format!("cannot read the theme: {err}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let shown = display_path(root, path);
            if let Some(inside) = name.strip_prefix("static/") {
                static_files.insert(
                    inside.to_string(),
                    StaticFile {
                        path: inside.to_string(),
                        source: Source::File(path.to_path_buf()),
                    },
                );
                continue;
            }
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    files.insert(name.clone(), ThemeFile { name, shown, text });
                }
                Err(err) => problems.push(
                    Diagnostic::error(format!("cannot read the template: {err}")).in_file(shown),
                ),
            }
        }
    }
}

/// The UI strings: the theme's file with the site's keys laid over it.
fn strings(
    files: &BTreeMap<String, ThemeFile>,
    name: &str,
    problems: &mut Vec<Diagnostic>,
) -> serde_json::Value {
    let Some(file) = files.get(name) else {
        problems.push(
            Diagnostic::error(format!(
                "the theme has no UI strings for this language: {name} is missing"
            ))
            .with_hint("set `language:` in config.yaml to one the theme has, such as `vi`"),
        );
        return serde_json::Value::Null;
    };
    match yaml::from_str::<serde_json::Value>(&file.text) {
        Ok(value) => value,
        Err(err) => {
            let d = Diagnostic::error(format!("UI strings: {}", err.message)).in_file(&file.shown);
            problems.push(match (err.line, err.column) {
                (Some(line), Some(column)) => d.at(&file.text, line, column),
                _ => d,
            });
            serde_json::Value::Null
        }
    }
}

/// Turns a Tera error into a diagnostic, pointing at `file:line:column`
/// when the message carries the position (`--> 12:5`).
pub fn template_error(err: &tera::Error, file: Option<&Path>, text: Option<&str>) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    let full = chain.join("\n");
    let position = full.lines().find_map(|line| {
        let (l, c) = line.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((
            l.trim().parse::<usize>().ok()?,
            c.trim().parse::<usize>().ok()?,
        ))
    });
    let message = chain
        .iter()
        .flat_map(|m| m.lines())
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("-->")
                && !l.starts_with('|')
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
                && *l != "="
        })
        .collect::<Vec<_>>()
        .join(": ");
    let mut d = Diagnostic::error(format!("template: {message}"));
    if let Some(file) = file {
        d = d.in_file(file);
    }
    match (position, text) {
        (Some((line, column)), Some(text)) => d.at(text, line, column),
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_the_five_specials_and_keeps_vietnamese_and_slashes() {
        assert_eq!(
            escape_html("Bộ <b>Tô Lâm</b> & \"Công an\" 'nhân dân' /tin-tuc/"),
            "Bộ &lt;b&gt;Tô Lâm&lt;/b&gt; &amp; &quot;Công an&quot; &#39;nhân dân&#39; /tin-tuc/"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("Đ>"), "Đ&gt;");
    }
}
