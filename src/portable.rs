//! Names every file system accepts. A site built on Linux is checked out
//! and served from Windows and macOS too, so every output path keeps to
//! what all of them allow: no `: \ * ? " < > |` or control characters, no
//! name ending in a dot or a space, none of Windows' reserved device names
//! (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, in any case,
//! with or without an extension), and at most 255 bytes per name.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// The longest file or folder name most file systems accept, in bytes.
pub const NAME_MAX: usize = 255;

const FORBIDDEN: &[char] = &[':', '\\', '*', '?', '"', '<', '>', '|'];

const RESERVED: &[&str] = &["con", "prn", "aux", "nul"];

/// Why one file or folder name is not portable, or `None` when it is.
pub fn segment_problem(name: &str) -> Option<String> {
    if name.len() > NAME_MAX {
        return Some(format!(
            "is {} bytes long; file systems accept at most {NAME_MAX}",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control())
    {
        return Some(format!(
            "holds `{}`, which Windows does not allow in file names",
            c.escape_default()
        ));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("ends in a dot or a space, which Windows drops from file names".into());
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if is_reserved(stem) {
        return Some(format!(
            "is `{stem}`, a device name Windows reserves (with or without an extension)"
        ));
    }
    None
}

fn is_reserved(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    if RESERVED.contains(&lower.as_str()) {
        return true;
    }
    match lower
        .strip_prefix("com")
        .or_else(|| lower.strip_prefix("lpt"))
    {
        Some(digit) => digit.len() == 1 && matches!(digit.as_bytes()[0], b'1'..=b'9'),
        None => false,
    }
}

/// The first name in a `/`-separated output path that is not portable,
/// with the reason.
pub fn path_problem(path: &str) -> Option<(String, String)> {
    path.split('/')
        .filter(|name| !name.is_empty())
        .find_map(|name| segment_problem(name).map(|reason| (name.to_string(), reason)))
}

/// A file of `content/` published at `published` whose name is not
/// portable, as an error naming `file`.
pub fn file_problem(published: &str, file: PathBuf) -> Option<Diagnostic> {
    let (name, reason) = path_problem(published)?;
    Some(
        Diagnostic::error(format!("the file name `{name}` {reason}"))
            .in_file(file)
            .with_hint(
                "rename the file: a site built here must also check out and serve on Windows and macOS",
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_windows_refuses() {
        for bad in [
            "a:b",
            "a\\b",
            "a*",
            "a?",
            "a\"",
            "<a",
            "a>",
            "a|b",
            "a.",
            "a ",
            "CON",
            "con.html",
            "Aux.tar.gz",
            "nul",
            "COM1",
            "lpt9.txt",
            "prn ",
        ] {
            assert!(segment_problem(bad).is_some(), "{bad}");
        }
        for good in ["console", "com0", "com10", "lpt", "ảnh.jpg", "a.b", "nul-x"] {
            assert_eq!(segment_problem(good), None, "{good}");
        }
        assert!(segment_problem(&"a".repeat(256)).is_some());
        assert_eq!(segment_problem(&"a".repeat(255)), None);
        assert_eq!(
            path_problem("tin-tuc/con/index.html").map(|(n, _)| n),
            Some("con".into())
        );
    }
}
