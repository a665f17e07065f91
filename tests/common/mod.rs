//! A small helper that writes a site from strings into a temp dir, builds
//! it through the library, and parses the HTML it wrote.

#![allow(dead_code)]

pub mod pictures;
pub mod session;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gazette::{BuildError, BuildOptions, BuildReport};
use scraper::{Html, Selector};

pub const CONFIG: &str = "\
title: Cổng thông tin thử nghiệm
base_url: https://example.gov.vn
paginate: 3
related: 2
categories:
  - { name: Chuyển đổi số, slug: chuyen-doi-so }
  - { name: Công nghệ thông tin, slug: cong-nghe-thong-tin }
organization:
  name: Bộ Thử nghiệm
  address: 1 Phố Thử, Hà Nội
";

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with the default config and no content.
    pub fn new() -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("config.yaml", CONFIG);
        fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    /// A site with one good article, to break in one way.
    pub fn with_good_article() -> Self {
        let site = TestSite::new();
        site.article(
            "tot",
            "title: Bài tốt\ndate: 2021-01-01\ncategory: chuyen-doi-so",
            "Nội dung.\n",
        );
        site
    }

    /// Staging or old trees a build left beside the output (the lock file
    /// and the spare tree stay, and are not).
    pub fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // The lock, and the spare tree the next build is made in.
            .filter(|n| n.starts_with(".public") && n != ".public.lock" && n != ".public.spare")
            .collect()
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, text: &str) -> &Self {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// An article in `content/tin-tuc/` with the given front matter lines.
    pub fn article(&self, name: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/tin-tuc/{name}.md"),
            &format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            // A fixed "now" so scheduled items are scheduled forever.
            now: Some(chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap()),
            ..BuildOptions::default()
        }
    }

    pub fn build(&self) -> BuildReport {
        match gazette::build(&self.options()) {
            Ok(report) => report,
            Err(err) => panic!("build failed:\n{}", render_errors(&err)),
        }
    }

    pub fn build_with(&self, options: BuildOptions) -> Result<BuildReport, BuildError> {
        gazette::build(&options)
    }

    pub fn try_build(&self) -> Result<BuildReport, BuildError> {
        gazette::build(&self.options())
    }

    /// The output file for a site path such as `/tin-tuc/a/`.
    pub fn file(&self, url: &str) -> PathBuf {
        let rel = url.trim_start_matches('/');
        let path = self.public().join(rel);
        if url.ends_with('/') {
            path.join("index.html")
        } else {
            path
        }
    }

    pub fn exists(&self, url: &str) -> bool {
        self.file(url).is_file()
    }

    pub fn html(&self, url: &str) -> Page {
        let path = self.file(url);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Page(Html::parse_document(&text))
    }

    /// Every `<loc>` of the output's `sitemap.xml`.
    pub fn sitemap_locs(&self) -> Vec<String> {
        let xml = fs::read_to_string(self.file("/sitemap.xml")).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        (doc.descendants())
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    }

    /// Writes `front_matter` (and a one-line body) to `file`, builds, and
    /// returns the error containing `message`, checked to be located in
    /// that file at `line`, with nothing written.
    pub fn located_error(
        &self,
        file: &str,
        front_matter: &str,
        message: &str,
        line: usize,
    ) -> gazette::Diagnostic {
        self.write(file, &format!("---\n{front_matter}\n---\nx\n"));
        let err = self.try_build().expect_err("the build should fail");
        let shown = render_errors(&err);
        let d = (err.diagnostics.iter())
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in:\n{shown}"))
            .clone();
        assert_eq!(d.file.as_deref(), Some(Path::new(file)), "{shown}");
        assert_eq!(d.line, Some(line), "{shown}");
        assert!(!self.public().exists());
        d
    }

    /// The JSON file at `path` of the output.
    pub fn json(&self, path: &str) -> serde_json::Value {
        let text =
            fs::read_to_string(self.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Validates the JSON file at `path` of the output against the schema
    /// `schema` the build published beside it (`api/schema/…`), formats
    /// (`uri`, `date-time`, `email`) included.
    pub fn assert_valid(&self, path: &str, schema: &str) {
        let schema = self.json(&format!("api/schema/{schema}"));
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let instance = self.json(path);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }

    /// Every file under the output with its bytes, to compare trees.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.public())
    }
}

/// Every file under `dir` with its bytes, by its path inside `dir`.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn render_errors(err: &BuildError) -> String {
    err.diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed page with small helpers to read it.
pub struct Page(pub Html);

impl Page {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap();
        self.0.select(&selector).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    /// Text of each matching element, whitespace folded.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert_eq!(
            texts.len(),
            1,
            "expected one `{css}`, found {}",
            texts.len()
        );
        texts.into_iter().next().unwrap()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> String {
        let attrs = self.attrs(css, attr);
        assert_eq!(
            attrs.len(),
            1,
            "expected one `{css}[{attr}]`, found {}",
            attrs.len()
        );
        attrs.into_iter().next().unwrap()
    }
}
