//! The one place that touches the YAML crate, so it can be swapped here alone.
//!
//! Errors come back with the position inside the YAML text; callers add the
//! offset of the front matter so messages point at the real line of the file.

use serde::de::DeserializeOwned;

/// A YAML problem with its 1-based position inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Parses `text` into `T`. An empty text is read as an empty mapping, so a
/// file with empty front matter gets "missing field" errors rather than a
/// confusing "invalid type: unit".
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| {
        let location = err.location();
        let mut message = err.to_string();
        // The crate appends " at line N column M"; we print the position
        // ourselves, with the file's own line numbers.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// The top-level keys of a YAML mapping, or none when the text is not one.
pub fn keys(text: &str) -> Vec<String> {
    serde_yaml::from_str::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(text)
        .map(|map| map.into_keys().collect())
        .unwrap_or_default()
}

/// `text` as a double-quoted YAML scalar, read back as exactly `text`
/// whatever it holds (`:`, `#`, quotes, a leading `-`, a number-like
/// "12/2024"), for front matter that Gazette writes itself.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_the_position_inside_the_text() {
        let err = from_str::<BTreeMap<String, String>>("a: b\nc: [d\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn lists_top_level_keys() {
        assert_eq!(keys("b: 1\na: [x]\n"), vec!["a", "b"]);
        assert!(keys("- a\n").is_empty());
    }

    #[test]
    fn empty_text_is_an_empty_mapping() {
        let map: BTreeMap<String, String> = from_str("\n").unwrap();
        assert!(map.is_empty());
    }

    #[test]
    fn quoted_text_reads_back_as_written() {
        for text in [
            "Họp báo thường kỳ tháng 3/2024",
            "Trích yếu: \"quy chế\" # 1",
            "- 12/2024/TT-BTTTT",
            "a\\b\tc\nd\u{7}",
            "",
            "null",
            "2024-03-15",
        ] {
            let yaml = format!("v: {}\n", quoted(text));
            let map: BTreeMap<String, String> = from_str(&yaml).unwrap();
            assert_eq!(map["v"], text, "{yaml}");
        }
    }
}
