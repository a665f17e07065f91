//! What the files an editor saved touch, and so how much a rebuild must do.
//!
//! Editors save through temporary files and renames and in bursts, so a
//! batch of saved paths holds editor debris, files outside the site and
//! files of the output itself; those change nothing. Of the rest, edited
//! pages and bundle files are the quick case, sections' `_index.md` another
//! (they change where their names show), templates, UI strings and static
//! files the middle one (everything rendered again), and the config the
//! whole build; a mix of kinds is rebuilt kind by kind.

use std::path::{Component, Path, PathBuf};

use crate::output::SOURCE_FOLDERS;

/// How far a batch of saved files reaches.
#[derive(Debug, PartialEq, Eq)]
pub enum Scope {
    /// Nothing the site is built from.
    Nothing,
    /// Only Markdown pages (not `_index.md`), saved, new or deleted, and
    /// the content's other files (`files`; a bundle's also as its
    /// `index.md`, among `pages`).
    Pages {
        pages: Vec<PathBuf>,
        files: Vec<PathBuf>,
    },
    /// Only sections' `_index.md`, saved or deleted.
    Sections(Vec<PathBuf>),
    /// Templates, UI strings or static files: render everything again.
    Theme,
    /// More than one of the three above, rebuilt one kind after another.
    Steps {
        pages: Vec<PathBuf>,
        files: Vec<PathBuf>,
        sections: Vec<PathBuf>,
        theme: bool,
    },
    Whole,
}

/// The names editors and their tools write beside the files they save:
/// those the walk of `content/` skips (hidden files, vim's `.x.swp` and
/// `x~`, Emacs's `.#x` and `#x#`), and the short-lived ones it would
/// publish were they still there when it runs (vim's `4913` test file,
/// `.swx`, `.tmp`).
pub fn is_editor_debris(name: &str) -> bool {
    crate::content::is_ignored(name)
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Sorts `changed` (as the watcher gives them: absolute, maybe deleted).
pub fn scope(root: &Path, output: &Path, changed: &[PathBuf]) -> Scope {
    let root = real(root);
    let output = real(output);
    let mut pages = Vec::new();
    let mut files = Vec::new();
    let mut sections = Vec::new();
    let mut theme = false;
    for path in changed {
        let path = real(path);
        if path.starts_with(&output) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(&root) else {
            // Only a link into a linked folder leads out of the site's
            // folder (the watcher sees nothing else): a whole build.
            return Scope::Whole;
        };
        let names: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect();
        let (Some(first), Some(last)) = (names.first(), names.last()) else {
            continue;
        };
        if names.iter().any(|n| is_editor_debris(n)) {
            continue;
        }
        match *first {
            "config.yaml" if names.len() == 1 => return Scope::Whole,
            "content" if last.ends_with(".md") && *last != "_index.md" => {
                pages.push(path.clone());
            }
            // The content's other files. A bundle's are read again with
            // its page; the content's own are published as they are; the
            // copies and sizes of photos and drawings among either are
            // made again (`crate::images`), which is also how `serve`
            // hands back the photos whose copies it made in the background.
            "content" if !last.ends_with(".md") => {
                if let Some(index) = bundle_of(&root.join("content"), &path) {
                    pages.push(index);
                }
                files.push(path.clone());
            }
            "content" if *last == "_index.md" => sections.push(path.clone()),
            "content" => return Scope::Whole,
            folder if SOURCE_FOLDERS.contains(&folder) => theme = true,
            _ => {}
        }
    }
    let content = !(pages.is_empty() && files.is_empty());
    match (theme, content, sections.is_empty()) {
        (true, false, true) => Scope::Theme,
        (false, false, true) => Scope::Nothing,
        (false, true, true) => Scope::Pages { pages, files },
        (false, false, false) => Scope::Sections(sections),
        _ => Scope::Steps {
            pages,
            files,
            sections,
            theme,
        },
    }
}

/// The `index.md` of the bundle folder nearest above `file` in `content`.
pub(super) fn bundle_of(content: &Path, file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .take_while(|folder| folder.starts_with(content) && *folder != content)
        .map(|folder| folder.join("index.md"))
        .find(|index| index.is_file())
}

/// `path` with links resolved as far as it exists (a deleted file's
/// folder still does).
pub(super) fn real(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => real(parent).join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_saved_files_by_reach() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["content/tin-tuc", "templates", "public"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("content/tin-tuc/a.md"), "x").unwrap();
        let output = root.join("public");
        let scope = |paths: &[&str]| {
            let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            super::scope(root, &output, &paths)
        };
        assert_eq!(scope(&["public/index.html", "README.md"]), Scope::Nothing);
        assert_eq!(
            scope(&[
                "content/tin-tuc/.a.md.swp",
                "content/tin-tuc/4913",
                "content/tin-tuc/a.md~"
            ]),
            Scope::Nothing
        );
        let real = |rel: &str| root.canonicalize().unwrap().join(rel);
        let pages = |rels: &[&str], files: &[&str]| Scope::Pages {
            pages: rels.iter().map(|r| real(r)).collect(),
            files: files.iter().map(|r| real(r)).collect(),
        };
        assert_eq!(
            scope(&["content/tin-tuc/a.md"]),
            pages(&["content/tin-tuc/a.md"], &[])
        );
        assert_eq!(
            scope(&["content/tin-tuc/moi.md"]),
            pages(&["content/tin-tuc/moi.md"], &[]),
            "a file gone or new is a page too"
        );
        // A bundle's file is read with its page; the content's own alone.
        std::fs::create_dir_all(root.join("content/tin-tuc/goi")).unwrap();
        std::fs::write(root.join("content/tin-tuc/goi/index.md"), "x").unwrap();
        assert_eq!(
            scope(&["content/tin-tuc/goi/anh.jpg", "content/mau.docx"]),
            pages(
                &["content/tin-tuc/goi/index.md"],
                &["content/tin-tuc/goi/anh.jpg", "content/mau.docx"]
            )
        );
        // Through a link into a linked folder: outside the site's folder.
        let shared = tempfile::tempdir().unwrap();
        std::fs::write(shared.path().join("b.md"), "x").unwrap();
        std::os::unix::fs::symlink(shared.path(), root.join("content/chung")).unwrap();
        assert_eq!(scope(&["content/chung/b.md"]), Scope::Whole);
        assert_eq!(
            scope(&["content/tin-tuc/_index.md"]),
            Scope::Sections(vec![
                root.canonicalize()
                    .unwrap()
                    .join("content/tin-tuc/_index.md")
            ])
        );
        assert_eq!(
            scope(&["content/tin-tuc/_index.md", "content/tin-tuc/a.md"]),
            Scope::Steps {
                pages: vec![real("content/tin-tuc/a.md")],
                files: Vec::new(),
                sections: vec![real("content/tin-tuc/_index.md")],
                theme: false
            }
        );
        assert_eq!(scope(&["templates/article.html"]), Scope::Theme);
        assert_eq!(
            scope(&["templates/a.html", "content/tin-tuc/a.md"]),
            Scope::Steps {
                pages: vec![real("content/tin-tuc/a.md")],
                files: Vec::new(),
                sections: Vec::new(),
                theme: true
            }
        );
        assert_eq!(scope(&["config.yaml"]), Scope::Whole);
    }
}
