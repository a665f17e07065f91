//! Translations found by their file names: `gioi-thieu.en.md` translates
//! `gioi-thieu.md` (or the bundle `gioi-thieu/index.md`), and
//! `lanh-dao/index.en.md` translates `lanh-dao/index.md`.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

/// `rel` (a Markdown file's path in `content/`) cut into the file it
/// stands for and its language, when its name ends in `.<code>.md` for
/// one of `codes` (the site's languages but its own).
pub fn split<'a>(rel: &'a str, codes: &[&str]) -> (String, Option<&'a str>) {
    if let Some(stem) = rel.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && !base.is_empty()
        && !base.ends_with('/')
        && codes.contains(&code)
    {
        return (format!("{base}.md"), Some(code));
    }
    (rel.to_string(), None)
}

/// What pairs a page with its translations: its path in `content/`
/// without `.md` or `/index.md`, each folder and name folded as URLs fold
/// them (`Giới thiệu.md` and `gioi-thieu/index.md` are both `gioi-thieu`).
pub fn translation_key(original_rel: &str) -> String {
    let stem = original_rel
        .strip_suffix("/index.md")
        .or_else(|| original_rel.strip_suffix(".md"))
        .unwrap_or(original_rel);
    stem.split('/').map(slugify).collect::<Vec<_>>().join("/")
}

/// Every translation among `files` (Markdown paths in `content/`, but
/// `_index.md`) has an original, and no page has two translations into
/// one language. `file_of` names a file as messages show it.
pub fn check_files(
    files: &[&str],
    codes: &[&str],
    file_of: &dyn Fn(&str) -> std::path::PathBuf,
) -> Vec<Diagnostic> {
    let mut originals = std::collections::BTreeSet::new();
    let mut translations: BTreeMap<(String, &str), Vec<&str>> = BTreeMap::new();
    for &rel in files {
        match split(rel, codes) {
            (original, Some(code)) => translations
                .entry((translation_key(&original), code))
                .or_default()
                .push(rel),
            (_, None) => {
                originals.insert(translation_key(rel));
            }
        }
    }
    let mut problems = Vec::new();
    for ((key, code), rels) in translations {
        let first = rels[0];
        if !originals.contains(&key) {
            let (original, _) = split(first, codes);
            problems.push(
                Diagnostic::error(format!(
                    "`{first}` is a translation ({code}) of `{original}`, which does not exist"
                ))
                .in_file(file_of(first))
                .at("", 1, 1)
                .with_hint(format!(
                    "a translation sits beside its original and is named after it: \
                     write the original `{original}` first, or rename this file"
                )),
            );
        }
        for &other in &rels[1..] {
            problems.push(
                Diagnostic::error(format!(
                    "two translations ({code}) of one page: `{first}` and `{other}`"
                ))
                .in_file(file_of(other))
                .at("", 1, 1)
                .with_hint("keep one of them: a page has one translation per language"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_found_by_name() {
        let codes = ["en"];
        assert_eq!(
            split("gioi-thieu.en.md", &codes),
            ("gioi-thieu.md".into(), Some("en"))
        );
        assert_eq!(
            split("lanh-dao/index.en.md", &codes),
            ("lanh-dao/index.md".into(), Some("en"))
        );
        assert_eq!(
            split("bao-cao.fr.md", &codes),
            ("bao-cao.fr.md".into(), None)
        );
        assert_eq!(
            split("tin-tuc/.en.md", &codes),
            ("tin-tuc/.en.md".into(), None)
        );
        assert_eq!(split("a.md", &codes), ("a.md".into(), None));
    }

    #[test]
    fn keys_pair_files_and_bundles() {
        assert_eq!(translation_key("gioi-thieu.md"), "gioi-thieu");
        assert_eq!(translation_key("gioi-thieu/index.md"), "gioi-thieu");
        assert_eq!(translation_key("Giới Thiệu.md"), "gioi-thieu");
        assert_eq!(translation_key("tin-tuc/a/index.md"), "tin-tuc/a");
    }

    #[test]
    fn orphans_and_doubles_are_errors() {
        let codes = ["en"];
        let file = |rel: &str| std::path::PathBuf::from(format!("content/{rel}"));
        let problems = check_files(
            &[
                "a.md",
                "a.en.md",
                "b.en.md",
                "c/index.md",
                "c/index.en.md",
                "c.en.md",
            ],
            &codes,
            &file,
        );
        let messages: Vec<_> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "`b.en.md` is a translation (en) of `b.md`, which does not exist",
                "two translations (en) of one page: `c/index.en.md` and `c.en.md`",
            ]
        );
        assert_eq!(
            problems[1].file.as_deref(),
            Some(std::path::Path::new("content/c.en.md"))
        );
    }
}
