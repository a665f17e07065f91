//! Diagnostics as values.
//!
//! Every stage returns all of its problems as [`Diagnostic`]s instead of
//! stopping at the first one, so an editor sees everything that is wrong in
//! one run. A diagnostic carries the offending source line with it, so it can
//! be printed long after the file that produced it was dropped.

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file where that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the editor knows it: relative to the site root when the
    /// file lies inside it.
    pub file: Option<PathBuf>,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The text of `line`, shown under the location with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Locates the diagnostic at `line`/`column` of `text`, which is the whole
    /// text of the file, and keeps the offending line for display.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.snippet = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }
}

impl Diagnostic {
    /// Renders like a compiler, with colours when `styled`:
    ///
    /// ```text
    /// error: undeclared category `cong-nghe`
    ///  --> content/tin-tuc/a.md:4:11
    ///   |
    /// 4 | category: cong-nghe
    ///   |           ^^^^^^^^^
    ///   |
    ///   = help: did you mean `cong-nghe-thong-tin`?
    /// ```
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        let file = self.file.as_ref().map(|f| f.display().to_string());
        match (&file, self.line, &self.snippet) {
            (Some(file), Some(line), Some(snippet)) => {
                let span = caret_span(snippet, self.column.unwrap_or(1));
                group = group.element(
                    Snippet::source(snippet.as_str())
                        .line_start(line)
                        .path(file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                );
            }
            (Some(file), line, _) => {
                let mut origin = Origin::path(file.as_str());
                if let Some(line) = line {
                    origin = origin.line(line).char_column(self.column.unwrap_or(1));
                }
                group = group.element(origin);
            }
            (None, _, _) => {}
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        format!("{}\n", renderer.render(&[group]))
    }
}

/// The bytes of `line` to underline: the word starting at 1-based
/// character `column`, or one character.
fn caret_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let word = line[start..]
        .find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
        .unwrap_or(line.len() - start);
    let end = if word == 0 {
        line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    } else {
        start + word
    };
    start..end
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Shows `path` relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Finds the 1-based line and column of the value of a top-level `key:` in a
/// YAML text, for problems found after parsing (an unknown category, a bad
/// URL) that the parser itself could not locate.
pub fn locate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix(key)?.trim_start();
        let value = rest.strip_prefix(':')?;
        let indent = value.len() - value.trim_start().len();
        let column = line[..line.len() - value.len()].chars().count() + indent + 1;
        Some((i + 1, column))
    })
}

/// Finds the first line at or after `from_line` (1-based) that contains
/// `needle`, returning its 1-based line and column.
pub fn locate_text(text: &str, needle: &str, from_line: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find_map(|(i, line)| {
            let byte = line.find(needle)?;
            Some((i + 1, line[..byte].chars().count() + 1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_location_snippet_and_caret() {
        let text = "---\ntitle: A\ncategory: cong-nghe\n---\n";
        let d = Diagnostic::error("undeclared category `cong-nghe`")
            .in_file("content/a.md")
            .at(text, 3, 11)
            .with_hint("did you mean `cong-nghe-thong-tin`?");
        let shown = d.to_string();
        assert!(
            shown.starts_with("error: undeclared category `cong-nghe`\n"),
            "{shown}"
        );
        assert!(shown.contains(" --> content/a.md:3:11\n"), "{shown}");
        assert!(shown.contains("3 | category: cong-nghe\n"), "{shown}");
        assert!(shown.contains("  |           ^^^^^^^^^"), "{shown}");
        assert!(shown.contains("= help: did you mean"), "{shown}");
    }

    #[test]
    fn prints_without_a_snippet() {
        let shown = Diagnostic::warning("no alt")
            .in_file("content/b.md")
            .to_string();
        assert!(shown.starts_with("warning: no alt\n"), "{shown}");
        assert!(shown.contains("--> content/b.md"), "{shown}");
        assert_eq!(caret_span("a: ộb c", 4), 3..7);
    }

    #[test]
    fn locates_top_level_keys() {
        let text = "title: x\nbase_url:   ftp://a\n";
        assert_eq!(locate_key(text, "base_url"), Some((2, 13)));
        assert_eq!(locate_key(text, "missing"), None);
        assert_eq!(locate_text("a\nbb cc\n", "cc", 1), Some((2, 4)));
    }
}
