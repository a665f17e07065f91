//! What Gazette promises about files, through the `gazette` command: it
//! replaces only an output folder it wrote, never the site's own folders;
//! it publishes nothing from outside the site; one build at a time writes
//! an output; a failed write leaves the output as it was.
//!
//! Each test works in a folder of its own holding the site (`site/`) and
//! foreign files beside it, and compares every byte of that whole folder
//! before and after a refused build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A folder holding a site and whatever a test puts beside it.
struct Workspace {
    dir: tempfile::TempDir,
}

/// What a folder holds: every file's bytes, every link's target, every
/// folder's name.
type Tree = BTreeMap<PathBuf, Entry>;

#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Folder,
}

fn tree(dir: &Path) -> Tree {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let kind = if e.path_is_symlink() {
                Entry::Link(fs::read_link(e.path()).unwrap())
            } else if e.file_type().is_dir() {
                Entry::Folder
            } else {
                Entry::File(fs::read(e.path()).unwrap())
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), kind)
        })
        .collect()
}

impl Workspace {
    fn new() -> Workspace {
        let workspace = Workspace {
            dir: tempfile::tempdir().unwrap(),
        };
        workspace.write("site/config.yaml", common::CONFIG);
        workspace.write(
            "site/content/tin-tuc/tot.md",
            "---\ntitle: Bài tốt\nslug: bai-tot\ndate: 2021-01-01\ncategory: chuyen-doi-so\n---\nNội dung.\n",
        );
        workspace
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn site(&self) -> PathBuf {
        self.path("site")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// `gazette build ARGS` run from the site's folder.
    fn build(&self, args: &[&str]) -> Output {
        self.build_with_env(args, &[])
    }

    fn build_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
        command.arg("build").args(args).current_dir(self.site());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    fn everything(&self) -> Tree {
        tree(self.dir.path())
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The build failed with exit 2, saying `message`, and the whole
/// workspace is as it was.
fn assert_refused(workspace: &Workspace, args: &[&str], message: &str) {
    let before = workspace.everything();
    let out = workspace.build(args);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}:\n{said}");
    assert!(
        said.contains(message),
        "{args:?}: want `{message}` in:\n{said}"
    );
    assert!(
        workspace.everything() == before,
        "{args:?}: the workspace changed"
    );
}

#[test]
fn a_folder_of_foreign_files_is_refused_and_kept_byte_for_byte() {
    let workspace = Workspace::new();
    workspace.write("docs/ghi-chu.txt", "của người khác");
    workspace.write("docs/anh/a.txt", "ảnh");
    assert_refused(
        &workspace,
        &["--output", "../docs"],
        "holds files Gazette did not write (1 file and 1 folder: anh/, ghi-chu.txt)",
    );
    let said = stderr(&workspace.build(&["--output", "../docs"]));
    assert!(
        said.contains("--force"),
        "the way past it is named:\n{said}"
    );

    // --force is the way past it: the folder becomes the site.
    let out = workspace.build(&["--output", "../docs", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(workspace.path("docs/tin-tuc/bai-tot/index.html").is_file());
    assert!(!workspace.path("docs/ghi-chu.txt").exists());
    // And now it carries the stamp: the next build needs no --force.
    let out = workspace.build(&["--output", "../docs"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_sites_own_folders_and_those_above_it_are_refused_even_with_force() {
    let workspace = Workspace::new();
    workspace.write("site/templates/article.html", "{% extends \"base.html\" %}");
    workspace.write("site/static/css/rieng.css", "p {}");
    fs::create_dir_all(workspace.path("site/themes/portal")).unwrap();
    fs::create_dir_all(workspace.path("site/i18n")).unwrap();
    let home = workspace.path("home");
    fs::create_dir_all(&home).unwrap();
    let cases: [(&str, &str); 9] = [
        ("content", "the site's `content/` folder"),
        (
            "content/tin-tuc",
            "the site's `content/` folder or inside it",
        ),
        ("templates", "the site's `templates/` folder"),
        ("static/css", "the site's `static/` folder"),
        ("themes", "the site's `themes/` folder"),
        ("i18n", "the site's `i18n/` folder"),
        (".", "the site's own folder"),
        ("..", "a folder that holds the site"),
        ("/", "the root of the file system"),
    ];
    for (output, message) in cases {
        for force in [false, true] {
            let mut args = vec!["--output", output];
            if force {
                args.push("--force");
            }
            assert_refused(&workspace, &args, message);
        }
    }
    // The home folder: `HOME` is honoured, whatever it holds.
    let before = workspace.everything();
    let home = home.to_str().unwrap();
    let out = workspace.build_with_env(&["--output", home, "--force"], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the home folder"), "{}", stderr(&out));
    assert!(workspace.everything() == before);
}

#[test]
fn a_new_or_empty_folder_or_this_sites_output_is_replaced_and_another_sites_is_not() {
    let workspace = Workspace::new();
    fs::create_dir_all(workspace.path("empty")).unwrap();
    for output in ["public", "../empty", "../new/deeper/public"] {
        let out = workspace.build(&["--output", output]);
        assert!(out.status.success(), "{output}: {}", stderr(&out));
        let stamp =
            fs::read_to_string(workspace.site().join(output).join(gazette::output::STAMP)).unwrap();
        assert!(stamp.starts_with("This folder was written by Gazette"));
        assert!(
            !stamp.contains(workspace.site().to_str().unwrap()),
            "the stamp does not publish the build machine's paths: {stamp}"
        );
    }

    // A second site may not take over the first one's output.
    workspace.write("other/config.yaml", common::CONFIG);
    fs::create_dir_all(workspace.path("other/content")).unwrap();
    let before = workspace.everything();
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--output", "../site/public"])
        .current_dir(workspace.path("other"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is the output of another Gazette site"),
        "{}",
        stderr(&out)
    );
    assert!(workspace.everything() == before);

    // A site folder that moved keeps building into its own `public/`.
    fs::rename(workspace.site(), workspace.path("moved")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(workspace.path("moved"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn links_out_of_the_site_are_refused_where_they_are() {
    let workspace = Workspace::new();
    workspace.write("secret/mat-khau.txt", "root:x:0:0");
    let outside = workspace.path("secret/mat-khau.txt");
    symlink(&outside, workspace.path("site/content/x.txt")).unwrap();
    symlink("/proc/self/environ", workspace.path("site/content/env.txt")).unwrap();
    symlink(
        workspace.path("secret"),
        workspace.path("site/content/tin-tuc/kho"),
    )
    .unwrap();
    workspace.write("site/static/css/rieng.css", "p {}");
    symlink(&outside, workspace.path("site/static/css/lo.css")).unwrap();
    let out = workspace.build(&[]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(!workspace.path("site/public").exists());
    for (file, target) in [
        ("content/x.txt", outside.to_str().unwrap()),
        ("content/env.txt", "/proc/"),
        (
            "content/tin-tuc/kho",
            workspace.path("secret").to_str().unwrap(),
        ),
        ("static/css/lo.css", outside.to_str().unwrap()),
    ] {
        let located = said
            .split("\n\n")
            .find(|d| d.contains(&format!("--> {file}")))
            .unwrap_or_else(|| panic!("no error at {file}:\n{said}"));
        assert!(located.contains("leads outside the site"), "{located}");
        assert!(located.contains(target), "{located}");
    }
    assert!(!said.contains("root:x"), "the file's text is never shown");
}

#[test]
fn links_inside_the_site_and_into_a_linked_folder_are_published() {
    let workspace = Workspace::new();
    workspace.write("site/content/tai-lieu/goc.txt", "bản gốc");
    symlink(
        "goc.txt",
        workspace.path("site/content/tai-lieu/ban-sao.txt"),
    )
    .unwrap();
    workspace.write("media/anh-chung/logo.txt", "logo");
    symlink(
        workspace.path("media/anh-chung"),
        workspace.path("site/content/chung"),
    )
    .unwrap();
    // Refused until the config names the folder.
    let out = workspace.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--> content/chung"),
        "{}",
        stderr(&out)
    );

    let config = format!("{}linked_folders: [../media/anh-chung]\n", common::CONFIG);
    workspace.write("site/config.yaml", &config);
    let out = workspace.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = workspace.path("site/public");
    assert_eq!(
        fs::read_to_string(public.join("tai-lieu/ban-sao.txt")).unwrap(),
        "bản gốc"
    );
    assert_eq!(
        fs::read_to_string(public.join("chung/logo.txt")).unwrap(),
        "logo"
    );

    // A folder named there must exist.
    let config = format!("{}linked_folders: [/khong/co/thu-muc]\n", common::CONFIG);
    workspace.write("site/config.yaml", &config);
    let out = workspace.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no folder `/khong/co/thu-muc`")
            && stderr(&out).contains("--> config.yaml:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fifos_and_sockets_in_the_site_are_refused() {
    let workspace = Workspace::new();
    let fifo = workspace.path("site/content/ong.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let socket_path = workspace.path("site/content/o-cam");
    let _socket = std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
    let out = workspace.build(&[]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for file in ["content/ong.txt", "content/o-cam"] {
        assert!(said.contains(&format!("--> {file}")), "{file}:\n{said}");
    }
    assert!(said.contains("a device, FIFO or socket"), "{said}");
}

#[test]
fn summaries_feeds_and_descriptions_carry_only_visible_text() {
    let workspace = Workspace::new();
    workspace.write(
        "site/content/tin-tuc/an.md",
        "---\ntitle: Tin có mã ẩn\nslug: tin-co-ma-an\ndate: 2021-02-01\ncategory: chuyen-doi-so\n---\n\
         <!-- ghi chú nội bộ: KHONG-CONG-BO -->\n\n<script>var bi_mat = 'KHONG-CONG-BO';</script>\n\n\
         Đoạn <style>.x{}</style>đầu <span style=\"display:none\">KHONG-CONG-BO</span>cho bạn đọc<!-- KHONG-CONG-BO -->.\n\n\
         Đoạn hai.\n",
    );
    let out = workspace.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = workspace.path("site/public");
    let article = fs::read_to_string(public.join("tin-tuc/tin-co-ma-an/index.html")).unwrap();
    let page = scraper::Html::parse_document(&article);
    let description = scraper::Selector::parse("meta[name=description]").unwrap();
    let description = page
        .select(&description)
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap();
    assert_eq!(description, "Đoạn đầu cho bạn đọc.");
    for file in ["rss.xml", "tin-tuc/index.html", "index.html"] {
        let text = fs::read_to_string(public.join(file)).unwrap();
        assert!(text.contains("Đoạn đầu cho bạn đọc."), "{file}");
        assert!(!text.contains("KHONG-CONG-BO"), "{file} leaks hidden text");
        assert!(!text.contains("bi_mat"), "{file} leaks a script");
    }
}
