//! The session's invariant, over random sequences of edits: after every
//! step, the output a `Session` keeps up to date (what `gazette serve`
//! serves) is byte for byte what a clean build of the same files writes.
//!
//! The edits are those editors make: a body, a title, a date, a category,
//! tags, a draft switched on and off, a new article, a deleted one, one
//! moved to another section, a directive's number, title, status and date,
//! an article starting to cite a number, a picture added to, replaced in or
//! deleted from a bundle, a section's `_index.md`, a template and a static
//! file. Each step saves one or two of them, as a burst of saves does.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{TestSite, render_errors, tree};
use gazette::{BuildOptions, Session};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Body(usize, u8),
    Title(usize, u8),
    Date(usize, u8),
    Category(usize),
    Tags(usize, u8),
    Draft(usize, bool),
    New(u8),
    Delete(usize),
    Move(usize),
    DirectiveNumber(bool),
    /// The directive's title and status, and its date (its place in the
    /// register).
    DirectiveText(u8),
    /// An article starts citing the other number.
    Cite(usize),
    /// A picture added to, replaced in or deleted from a bundle.
    Picture(u8),
    /// A section's `_index.md` written or deleted.
    Section(u8),
    Template(u8),
    Static(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..8usize, any::<u8>()).prop_map(|(i, n)| Edit::Body(i, n)),
        (0..8usize, any::<u8>()).prop_map(|(i, n)| Edit::Title(i, n)),
        (0..8usize, any::<u8>()).prop_map(|(i, n)| Edit::Date(i, n)),
        (0..8usize).prop_map(Edit::Category),
        (0..8usize, any::<u8>()).prop_map(|(i, n)| Edit::Tags(i, n)),
        (0..8usize, any::<bool>()).prop_map(|(i, d)| Edit::Draft(i, d)),
        any::<u8>().prop_map(Edit::New),
        (0..8usize).prop_map(Edit::Delete),
        (0..8usize).prop_map(Edit::Move),
        any::<bool>().prop_map(Edit::DirectiveNumber),
        any::<u8>().prop_map(Edit::DirectiveText),
        (0..8usize).prop_map(Edit::Cite),
        any::<u8>().prop_map(Edit::Picture),
        any::<u8>().prop_map(Edit::Section),
        any::<u8>().prop_map(Edit::Template),
        any::<u8>().prop_map(Edit::Static),
    ]
}

/// One article's front matter and body, as the test last wrote them.
#[derive(Debug, Clone)]
struct Article {
    /// Relative to the site's folder.
    file: String,
    title: String,
    day: u8,
    category: &'static str,
    tags: String,
    draft: bool,
    body: String,
}

impl Article {
    fn text(&self) -> String {
        format!(
            "---\ntitle: \"{}\"\ndate: 2021-04-{:02}T08:00:00+07:00\ncategory: {}\ntags: {}\ndraft: {}\n---\n{}\n",
            self.title, self.day, self.category, self.tags, self.draft, self.body
        )
    }
}

struct Portal {
    site: TestSite,
    articles: Vec<Article>,
    number: &'static str,
    /// The directive's edit count: its title, status and day signed.
    version: u8,
}

const CATEGORIES: [&str; 2] = ["chuyen-doi-so", "cong-nghe-thong-tin"];

impl Portal {
    fn new() -> Portal {
        let site = TestSite::new();
        // JSON Feed pages of three items, as lists are, so that edits move
        // items across them.
        site.write(
            "config.yaml",
            &format!("{}feeds: {{ page_size: 3 }}\n", common::CONFIG),
        );
        let articles = (0..8)
            .map(|n| Article {
                file: format!("content/tin-tuc/bai-{n}.md"),
                title: format!("Bài số {n}"),
                day: n as u8 + 1,
                category: CATEGORIES[n % 2],
                tags: if n % 3 == 0 {
                    "[Dữ liệu]".into()
                } else {
                    "[]".into()
                },
                draft: false,
                body: if n == 2 {
                    "Thực hiện Quyết định 2016/QĐ-BTTTT.".into()
                } else {
                    format!("Đoạn của bài {n}.")
                },
            })
            .collect();
        let portal = Portal {
            site,
            articles,
            number: "2016/QĐ-BTTTT",
            version: 0,
        };
        for article in &portal.articles {
            portal.site.write(&article.file, &article.text());
        }
        portal.write_directive();
        portal.site.write(
            "content/tin-tuc/co-anh/index.md",
            "---\ntitle: Bài có ảnh\ndate: 2021-04-20T08:00:00+07:00\ncategory: chuyen-doi-so\n---\n![Toàn cảnh](anh.svg)\n",
        );
        portal
            .site
            .write("content/tin-tuc/co-anh/anh.svg", &picture(0));
        portal
    }

    fn write_directive(&self) {
        let v = self.version;
        self.site.write(
            "content/van-ban/quyet-dinh/index.md",
            &format!(
                "---\ntitle: Quyết định phê duyệt {v}\ndocument:\n  number: \"{}\"\n  type: Quyết định\n  issuer: Bộ Thông tin và Truyền thông\n  signed: 2010-12-{:02}\n  status: Sửa lần {v}\n---\nNội dung.\n",
                self.number,
                v % 28 + 1
            ),
        );
    }

    /// Applies `edit`; returns the files it saved.
    fn apply(&mut self, edit: &Edit) -> Vec<PathBuf> {
        let root = self.site.root().to_path_buf();
        let count = self.articles.len();
        let pick = |i: usize| if count == 0 { None } else { Some(i % count) };
        let mut saved = Vec::new();
        match *edit {
            Edit::New(n) => {
                let article = Article {
                    file: format!("content/tin-tuc/moi-{n}.md"),
                    title: format!("Bài mới {n}"),
                    day: n % 28 + 1,
                    category: CATEGORIES[n as usize % 2],
                    tags: "[Mới]".into(),
                    draft: false,
                    body: "Mới.".into(),
                };
                if !self.articles.iter().any(|a| a.file == article.file) {
                    self.site.write(&article.file, &article.text());
                    saved.push(root.join(&article.file));
                    self.articles.push(article);
                }
            }
            Edit::DirectiveNumber(changed) => {
                // Articles that cite the number keep citing the old one,
                // which stays a plain text when it is no directive's.
                self.number = if changed {
                    "2017/QĐ-BTTTT"
                } else {
                    "2016/QĐ-BTTTT"
                };
                self.write_directive();
                saved.push(root.join("content/van-ban/quyet-dinh/index.md"));
            }
            Edit::DirectiveText(n) => {
                self.version = n;
                self.write_directive();
                saved.push(root.join("content/van-ban/quyet-dinh/index.md"));
            }
            Edit::Cite(i) => {
                if let Some(i) = pick(i) {
                    let article = &mut self.articles[i];
                    article.body = "Theo Quyết định 2017/QĐ-BTTTT.".into();
                    self.site.write(&article.file, &article.text());
                    saved.push(root.join(&article.file));
                }
            }
            Edit::Picture(n) => {
                let file = format!("content/tin-tuc/co-anh/anh-{}.svg", n % 3);
                if n % 4 == 0 && root.join(&file).exists() {
                    fs::remove_file(root.join(&file)).unwrap();
                } else {
                    self.site.write(&file, &picture(n));
                }
                saved.push(root.join(&file));
            }
            Edit::Section(n) => {
                let file = "content/tin-tuc/_index.md";
                if n % 3 == 0 && root.join(file).exists() {
                    fs::remove_file(root.join(file)).unwrap();
                } else {
                    self.site
                        .write(file, &format!("---\ntitle: Tin tức {n}\n---\n"));
                }
                saved.push(root.join(file));
            }
            Edit::Template(n) => {
                self.site.write(
                    "templates/404.html",
                    &format!(
                        "{{% extends \"base.html\" %}}{{% block content %}}<h1>Không thấy trang {n}</h1>{{% endblock content %}}"
                    ),
                );
                saved.push(root.join("templates/404.html"));
            }
            Edit::Static(n) => {
                self.site
                    .write("static/tai-lieu/ghi-chu.txt", &format!("ghi chú {n}"));
                saved.push(root.join("static/tai-lieu/ghi-chu.txt"));
            }
            Edit::Delete(i) => {
                if let Some(i) = pick(i) {
                    let article = self.articles.remove(i);
                    fs::remove_file(root.join(&article.file)).unwrap();
                    saved.push(root.join(&article.file));
                }
            }
            Edit::Move(i) => {
                if let Some(i) = pick(i) {
                    let article = &mut self.articles[i];
                    let to = match article.file.strip_prefix("content/tin-tuc/") {
                        Some(name) => format!("content/su-kien/{name}"),
                        None => article
                            .file
                            .replacen("content/su-kien/", "content/tin-tuc/", 1),
                    };
                    if !root.join(&to).exists() {
                        fs::create_dir_all(root.join(&to).parent().unwrap()).unwrap();
                        fs::rename(root.join(&article.file), root.join(&to)).unwrap();
                        saved.push(root.join(&article.file));
                        saved.push(root.join(&to));
                        article.file = to;
                    }
                }
            }
            ref other => {
                let index = match other {
                    Edit::Body(i, _)
                    | Edit::Title(i, _)
                    | Edit::Date(i, _)
                    | Edit::Category(i)
                    | Edit::Tags(i, _)
                    | Edit::Draft(i, _) => pick(*i),
                    _ => None,
                };
                if let Some(i) = index {
                    let article = &mut self.articles[i];
                    match other {
                        Edit::Body(_, n) => article.body = format!("Nội dung đã sửa {n}."),
                        Edit::Title(_, n) => article.title = format!("Tiêu đề sửa {n}"),
                        Edit::Date(_, n) => article.day = n % 28 + 1,
                        Edit::Category(_) => {
                            article.category = if article.category == CATEGORIES[0] {
                                CATEGORIES[1]
                            } else {
                                CATEGORIES[0]
                            }
                        }
                        Edit::Tags(_, n) => article.tags = format!("[Thẻ {}, Dữ liệu]", n % 3),
                        Edit::Draft(_, draft) => article.draft = *draft,
                        _ => {}
                    }
                    self.site.write(&article.file, &article.text());
                    saved.push(root.join(&article.file));
                }
            }
        }
        saved
    }
}

fn picture(n: u8) -> String {
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{n}</title></svg>")
}

fn clean_build(portal: &Portal, into: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let _ = fs::remove_dir_all(into);
    let options = BuildOptions {
        output: Some(into.to_path_buf()),
        ..portal.site.options()
    };
    if let Err(err) = gazette::build(&options) {
        panic!("clean build failed:\n{}", render_errors(&err));
    }
    tree(into)
}

/// Where the two trees differ, for the failure message.
fn differences(
    a: &BTreeMap<PathBuf, Vec<u8>>,
    b: &BTreeMap<PathBuf, Vec<u8>>,
) -> std::collections::BTreeSet<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| k.display().to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn after_any_sequence_of_edits_the_session_output_is_a_clean_build(
        steps in prop::collection::vec(prop::collection::vec(edit(), 1..=2), 1..=6)
    ) {
        let replayed = replay(&steps);
        prop_assert!(replayed.is_ok(), "{}", replayed.err().unwrap_or_default());
    }
}

/// Applies `steps` to a new portal under a session; after the first step
/// whose served output is not a clean build's, says which files differ.
fn replay(steps: &[Vec<Edit>]) -> Result<(), String> {
    let mut portal = Portal::new();
    let (mut session, _) = Session::open(portal.site.options())
        .unwrap_or_else(|err| panic!("{}", render_errors(&err)));
    let clean = portal.site.root().join("clean");
    for (step, edits) in steps.iter().enumerate() {
        let saved: Vec<PathBuf> = edits.iter().flat_map(|e| portal.apply(e)).collect();
        if let Err(err) = session.rebuild(&saved) {
            panic!("step {step} {edits:?}: {}", render_errors(&err));
        }
        let served = tree(session.output());
        let expected = clean_build(&portal, &clean);
        if served != expected {
            return Err(format!(
                "after step {step} ({edits:?} in {steps:?}) these files differ: {:?}",
                differences(&served, &expected)
            ));
        }
    }
    Ok(())
}

/// A sequence proptest found: a term emptied in one step and back in
/// another slot the next was dropped by the third step's renumbering,
/// which found the term's old, free slot still under its key.
#[test]
fn a_directive_edited_around_two_deletions_leaves_the_index_of_a_clean_build() {
    let steps = [
        vec![Edit::DirectiveText(1)],
        vec![Edit::Delete(0)],
        vec![Edit::DirectiveText(0)],
        vec![Edit::Delete(0)],
    ];
    if let Err(message) = replay(&steps) {
        panic!("{message}");
    }
}
