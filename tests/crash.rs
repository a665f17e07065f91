//! At every instant the output is the old complete site or the new complete
//! one: builds killed at random moments, builds run at the same time, a
//! full disk, and writes, folders and renames that fail.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

fn gazette(site: &TestSite, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn build(site: &TestSite, args: &[&str]) -> Output {
    gazette(site, args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn built(site: &TestSite, args: &[&str]) -> Snapshot {
    let out = build(site, args);
    assert!(out.status.success(), "{}", stderr(&out));
    site.snapshot()
}

/// Config A or B: every page shows the site's title, so every page differs.
fn set_title(site: &TestSite, title: &str) {
    site.write(
        "config.yaml",
        &common::CONFIG.replace("Cổng thông tin thử nghiệm", title),
    );
}

/// A site of about 3,000 output files: articles, their lists, and many
/// static files copied beside them (cheap to build, as many to write).
fn large_site() -> TestSite {
    let site = TestSite::new();
    for n in 0..120 {
        site.article(
            &format!("bai-{n}"),
            &format!(
                "title: Bài số {n}\ndate: 2021-{:02}-{:02}\ncategory: chuyen-doi-so\ntags: [the-{}, the-{}]",
                n % 12 + 1,
                n % 28 + 1,
                n % 40,
                n % 7
            ),
            &"Một đoạn văn của bài viết, đủ dài để có việc cho trình dựng trang.\n\n".repeat(8),
        );
    }
    for n in 0..2800 {
        site.write(
            &format!("content/tai-lieu/{}/tep-{n}.txt", n % 30),
            &format!("tệp {n}\n"),
        );
    }
    site
}

/// A tiny pseudo-random sequence, seeded from the clock and printed, so a
/// failing run can be repeated by hand.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site() {
    let site = large_site();
    set_title(&site, "Cổng A");
    let a = built(&site, &[]);
    set_title(&site, "Cổng B");
    let mut started = Instant::now();
    let b = built(&site, &[]);
    // How long a whole build takes now: measured again on every trial, as
    // the machine's load changes.
    let mut took = started.elapsed();
    assert!(a.len() > 2500, "{} files", a.len());
    assert_ne!(a, b);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}, a whole build takes {took:?}");
    let mut random = Random(seed);
    let (mut old, mut new) = (0, 0);
    let mut current_is_b = true;
    for trial in 0..50 {
        let (target, title) = if current_is_b {
            (&a, "Cổng A")
        } else {
            (&b, "Cổng B")
        };
        set_title(&site, title);
        let mut child: Child = gazette(&site, &[]).spawn().unwrap();
        let wait = Duration::from_micros(random.next() % (took.as_micros() as u64 * 5 / 4 + 1));
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();

        let now = site.snapshot();
        if &now == target {
            new += 1;
        } else {
            let previous = if current_is_b { &b } else { &a };
            assert!(
                &now == previous,
                "trial {trial} (seed {seed}, killed after {wait:?}): the output is neither the old site nor the new one"
            );
            old += 1;
        }
        // The next build finishes, and clears what the killed one left.
        started = Instant::now();
        let out = build(&site, &[]);
        took = started.elapsed();
        assert!(out.status.success(), "trial {trial}: {}", stderr(&out));
        assert!(&site.snapshot() == target, "trial {trial}");
        assert_eq!(site.leftovers(), Vec::<String>::new(), "trial {trial}");
        current_is_b = !current_is_b;
    }
    println!("{old} trials left the old site, {new} the new one");
    assert!(
        old > 0 && new > 0,
        "the kills missed a side: {old} old, {new} new"
    );
}

#[test]
fn builds_at_the_same_time_never_mix_their_outputs() {
    let site = large_site();
    let a = built(&site, &["--base-url", "https://a.example.gov.vn"]);
    let b = built(&site, &["--base-url", "https://b.example.gov.vn"]);
    assert_ne!(a, b);
    for round in 0..4 {
        let first = gazette(&site, &["--base-url", "https://a.example.gov.vn"])
            .spawn()
            .unwrap();
        let second = gazette(&site, &["--base-url", "https://b.example.gov.vn"])
            .spawn()
            .unwrap();
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
        }
        let now = site.snapshot();
        assert!(now == a || now == b, "round {round}: a mixed tree");
        assert_eq!(site.leftovers(), Vec::<String>::new());
    }
}

#[test]
fn a_build_waits_for_the_one_that_holds_the_output() {
    let site = TestSite::with_good_article();
    let before = built(&site, &[]);
    let lock = fs::File::options()
        .write(true)
        .open(site.root().join(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    site.article(
        "moi",
        "title: Bài mới\nslug: bai-moi\ndate: 2021-01-02\ncategory: chuyen-doi-so",
        "Mới.\n",
    );
    let mut child = gazette(&site, &[]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert!(
        site.snapshot() == before,
        "it wrote while another held the lock"
    );
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is writing this output folder; waiting for it to finish"),
        "{}",
        stderr(&out)
    );
    assert!(site.exists("/tin-tuc/bai-moi/"));
}

/// Builds with a pretended failure (see `gazette::output::Faults`): each
/// stops with exit 2 and a message naming the path, removes its staging
/// tree, and leaves the output as it was.
#[test]
fn a_failed_write_folder_or_rename_leaves_the_output_as_it_was() {
    let site = TestSite::with_good_article();
    let before = built(&site, &[]);
    site.article(
        "moi",
        "title: Bài mới\nslug: bai-moi\ndate: 2021-01-02\ncategory: chuyen-doi-so",
        "Mới.\n",
    );
    let public = site.public();
    let public = public.to_str().unwrap();
    for (fault, message) in [
        ("full:3", "No space left on device"),
        ("mkdir", "Permission denied"),
        ("swap", "cannot move the new site into"),
    ] {
        let out = gazette(&site, &[])
            .env("GAZETTE_FAULTS", fault)
            .output()
            .unwrap();
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{fault}: {said}");
        assert!(
            said.contains(message) && said.contains(public),
            "{fault}: {said}"
        );
        assert!(
            said.contains("the output folder was left as it was"),
            "{said}"
        );
        assert!(site.snapshot() == before, "{fault}: the output changed");
        assert_eq!(site.leftovers(), Vec::<String>::new(), "{fault}");
    }
    let full = stderr(
        &gazette(&site, &[])
            .env("GAZETTE_FAULTS", "full:3")
            .output()
            .unwrap(),
    );
    assert!(full.contains("the disk is full"), "{full}");
}

/// A file system mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn small_disk(dir: &Path, size: &str) -> Option<Mount> {
    fs::create_dir_all(dir).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    mounted.then(|| Mount(dir.to_path_buf()))
}

#[test]
fn a_full_disk_leaves_the_output_as_it_was() {
    let site = TestSite::with_good_article();
    let disk = site.root().join("disk");
    let Some(_mount) = small_disk(&disk, "1m") else {
        println!("skipped: cannot mount a small tmpfs here (the test needs root)");
        return;
    };
    let output = disk.join("public");
    let output_arg = output.to_str().unwrap();
    let first = build(&site, &["--output", output_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = common::tree(&output);

    // More than the disk holds.
    let big: String = (0..200_000).map(|n| format!("{n:07}\n")).collect();
    site.write("content/tai-lieu/lon.txt", &big);
    let out = build(&site, &["--output", output_arg]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("No space left on device"), "{said}");
    assert!(said.contains("the disk is full"), "{said}");
    assert!(common::tree(&output) == before, "the output changed");
    let beside: Vec<String> = fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        beside.iter().all(|n| n == "public" || n == ".public.lock"),
        "left beside the output: {beside:?}"
    );
}
