//! A bounded fuzz run inside `cargo test`: arbitrary front matter and
//! Markdown must never panic the build; they either build or fail with
//! located diagnostics, and a failed build leaves the output untouched.

mod common;

use gazette::config::MarkdownConfig;
use proptest::prelude::*;

/// Pieces editors and pasted archives are made of, to reach deeper than
/// uniformly random text does.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title: Tiêu đề\n".to_string()),
        Just("date: 2021-02-23T07:59:00+07:00\n".to_string()),
        Just("date: 30/02/2021\n".to_string()),
        Just("category: chuyen-doi-so\n".to_string()),
        Just("tags: [a, b\n".to_string()),
        Just("image: { src: a.jpg }\n".to_string()),
        Just("document:\n  number: 1/QĐ\n  signed: 2020-01-01\n".to_string()),
        Just("documents: [\"1/QĐ\"]\n".to_string()),
        Just("aliases: [/cu/]\n".to_string()),
        Just("---\n".to_string()),
        Just("![ảnh](a.jpg)\n*chú thích*\n".to_string()),
        Just("```rust\nfn a() {}\n```\n".to_string()),
        Just("<script>x</script>\n".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[^1]: chú thích\n".to_string()),
        Just("Quyết định số 1/ QĐ ban hành.\n".to_string()),
        Just("<!-- more -->\n".to_string()),
        Just("&a [*a]\n".to_string()),
        "\\PC{0,40}\n",
        any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn markdown_never_panics(body in document()) {
        let rendered = gazette::markdown::render(&body, &MarkdownConfig::default(), None);
        prop_assert!(!rendered.html.contains("<script>"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn whole_builds_never_panic(text in document()) {
        let site = common::TestSite::new();
        site.article("tot", "title: Bài tốt\ndate: 2021-01-01", "x\n");
        site.build();
        let before = site.snapshot();
        site.write("content/tin-tuc/mo.md", &text);
        site.write("content/van-ban/vb/index.md", &format!("---\ntitle: Văn bản\n{text}"));
        match site.try_build() {
            Ok(_) => {}
            Err(err) => {
                prop_assert!(!err.diagnostics.is_empty());
                prop_assert!(err.diagnostics.iter().all(|d| d.file.is_some()), "{}", common::render_errors(&err));
                prop_assert_eq!(site.snapshot(), before);
            }
        }
    }
}
