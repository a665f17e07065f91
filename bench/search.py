#!/usr/bin/env python3
"""Benchmark of search (issue 13): Gazette's own index against Pagefind, on the same built portal.

    python3 bench/search.py [--sizes 10000 100000] [--runs 3] [--quality] [--gazette PATH]

For each size N, on tmpfs (/dev/shm/search-bench/N):

1. generates the portal with bench/generate.py N (skipped when it is there);
2. builds it `--runs` times with search on and with `search.enabled: false`, alternating, each from an
   empty output folder, and takes the medians of wall time and CPU time (user + system, all threads),
   and the median of the ratios of each pair of builds (on / off), which a shared machine's swings
   disturb less than the difference of two medians (the "index adds" column gives both);
3. runs Pagefind (`python3 -m pagefind`, PyPI `pagefind[bin]`, installed if missing) `--runs` times on
   the build without search, over the same documents (`--glob "{tin-tuc,van-ban}/**/*.html"`), and
   takes its median wall and CPU time;
4. serves the site under nginx with deploy/nginx.conf (gzip as production serves it; for Pagefind the
   CSP gets the `'wasm-unsafe-eval'` it needs) and runs bench/search-browser.mjs in headless Chromium:
   bytes over the wire for the first query of a fresh visitor, and keystroke → results painted once
   loaded, for the same queries on both.

A Pagefind run that fails (at 100,000 items it was killed by the kernel for memory, 12.8 GB resident,
on a 24 GiB machine with the sites on tmpfs) is reported in its row; --skip-pagefind N does not run it
at N items and more, so that the rest of the run is measured without risking other processes.

With --quality, also builds the 1,000-item portal and checks tests/search/quality.tsv in Chromium
against the search page. Writes bench/results/<date>-search.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = Path("/dev/shm/search-bench")
QUERIES = ["cong an", "chuyen doi so", "an toan thong tin", "quy hoach", "duong", "ha noi",
           "dich vu cong truc tuyen", "chi thi", "thong tu huong dan", "bao chi"]
PORT = 8097


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd) -> tuple[float, float]:
    """Wall and CPU seconds of a command (its children's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def generate(n: int) -> Path:
    site = WORK / str(n)
    if not (site / "gazette" / "config.yaml").exists():
        shutil.rmtree(site, ignore_errors=True)
        sh([sys.executable, str(REPO / "bench/generate.py"), str(n), str(site)], stdout=subprocess.DEVNULL)
    root = site / "gazette"
    base = (root / "config.yaml").read_text().split("\n# bench/search.py\n")[0]
    (root / "config.on.yaml").write_text(base)
    (root / "config.off.yaml").write_text(base + "\n# bench/search.py\nsearch:\n  enabled: false\n")
    return root


def build(gazette: str, root: Path, mode: str, out: Path) -> tuple[float, float]:
    shutil.copy(root / f"config.{mode}.yaml", root / "config.yaml")
    shutil.rmtree(out, ignore_errors=True)
    return timed([gazette, "build", "--root", str(root), "--output", str(out), "--quiet"])


def pagefind_bin() -> list[str]:
    try:
        sh([sys.executable, "-m", "pagefind", "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "pagefind[bin]"])
    return [sys.executable, "-m", "pagefind"]


def pagefind(site: Path) -> tuple[float, float]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    return timed(pagefind_bin() + ["--site", str(site), "--glob", "{tin-tuc,van-ban}/**/*.html", "--quiet"])


PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title>
<script src="/pagefind-bench.js" type="module"></script></head>
<body data-search-app><input name="q" type="search" aria-label="q"><ol id="results"></ol></body></html>
"""
# The same work as the search page: search, load the first 10 results' data, paint title and excerpt.
PAGEFIND_SCRIPT = """import * as pagefind from "/pagefind/pagefind.js";
const ready = pagefind.init();
const input = document.querySelector("input"), list = document.getElementById("results");
// As the search page does: one search at a time, the next with the words as they are then.
let busy = false, again = false;
async function run() {
  const q = input.value;
  await ready;
  const search = await pagefind.search(q);
  const data = search ? await Promise.all(search.results.slice(0, 10).map((r) => r.data())) : [];
  list.textContent = "";
  for (const d of data) {
    const li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
    a.href = d.url; a.textContent = d.meta.title; p.innerHTML = d.excerpt;
    li.append(a, p); list.append(li);
  }
  document.body.dispatchEvent(new CustomEvent("gazette:results", { detail: { q } }));
}
function typed() {
  if (busy) { again = true; return; }
  busy = true;
  run().finally(() => { busy = false; if (again) { again = false; typed(); } });
}
input.addEventListener("input", typed);
"""


class Nginx:
    """deploy/nginx.conf on 127.0.0.1:PORT, serving `site`."""

    def __init__(self, site: Path, wasm: bool = False):
        self.prefix = Path(tempfile.mkdtemp(prefix="search-bench-nginx."))
        conf = (REPO / "deploy/nginx.conf").read_text()
        conf = conf.replace("listen 80;", f"listen 127.0.0.1:{PORT};").replace("root /srv/portal;", f"root {site};")
        conf = conf.replace("include /srv/portal/redirects.map;", f"include {site}/redirects.map;")
        if wasm:
            conf = conf.replace("default-src 'self';", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval';")
        (self.prefix / "logs").mkdir()
        (self.prefix / "portal.conf").write_text(conf)
        user = "user root;" if os.geteuid() == 0 else ""
        (self.prefix / "nginx.conf").write_text(f"""{user}
worker_processes 1; daemon off; pid {self.prefix}/nginx.pid; error_log {self.prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{ include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;
  client_body_temp_path {self.prefix}/b; proxy_temp_path {self.prefix}/p; fastcgi_temp_path {self.prefix}/f;
  uwsgi_temp_path {self.prefix}/u; scgi_temp_path {self.prefix}/s;
  include {self.prefix}/portal.conf; }}
""")
        self.proc = subprocess.Popen(["nginx", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")])
        time.sleep(0.5)

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


def browser(site: Path, tool: str, quality: Path | None = None) -> dict:
    server = Nginx(site, wasm=tool == "pagefind")
    try:
        queries = WORK / "queries.json"
        queries.write_text(json.dumps(QUERIES, ensure_ascii=False))
        args = ["node", str(REPO / "bench/search-browser.mjs"), f"http://127.0.0.1:{PORT}/", tool, str(queries)]
        if quality:
            args.append(str(quality))
        out = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
        if out.returncode != 0:
            sys.exit(f"bench/search-browser.mjs failed:\n{out.stderr}")
        return json.loads(out.stdout)
    finally:
        server.close()


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def med(values):
    return statistics.median(values) if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quality", action="store_true")
    ap.add_argument("--reuse-builds", action="store_true",
                    help="take the build and Pagefind times of the last run (its outputs are still there)")
    ap.add_argument("--gazette", default=str(REPO / "target/release/gazette"))
    ap.add_argument("--skip-pagefind", type=int, default=None, metavar="N",
                    help="do not run Pagefind at sizes of N and more (at 100,000 it was killed for memory on a "
                         "24 GiB machine); its row then says so")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    lines = [f"# Search benchmark, {dt.date.today()}", "",
             f"`python3 bench/search.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs}"
             f"{' --quality' if args.quality else ''}`; nproc {os.cpu_count()}; "
             f"load {os.getloadavg()[0]:.1f} at start; Gazette "
             + subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
             + "; " + subprocess.run(pagefind_bin() + ["--version"], capture_output=True, text=True).stdout.strip(), ""]
    rows = []
    for n in args.sizes:
        root = generate(n)
        out_on, out_off = WORK / f"out-{n}-on", WORK / f"out-{n}-off"
        saved = WORK / f"builds-{n}.json"
        if args.reuse_builds and saved.exists():
            on, off, pf = json.loads(saved.read_text())
        else:
            on, off, pf = [], [], []
            for _ in range(args.runs):
                on.append(build(args.gazette, root, "on", out_on))
                off.append(build(args.gazette, root, "off", out_off))
            skip = args.skip_pagefind is not None and n >= args.skip_pagefind
            for _ in range(0 if skip else args.runs):
                try:
                    pf.append(pagefind(out_off))
                except subprocess.CalledProcessError as failed:
                    pf = [f"failed ({failed.returncode})"]
                    break
            saved.write_text(json.dumps([on, off, pf]))
        shutil.copy(root / "config.on.yaml", root / "config.yaml")
        (out_off / "pagefind-bench.html").write_text(PAGEFIND_PAGE)
        (out_off / "pagefind-bench.js").write_text(PAGEFIND_SCRIPT)
        g = browser(out_on, "gazette")
        (WORK / f"browser-{n}-gazette.json").write_text(json.dumps(g))
        ran = bool(pf) and all(isinstance(x, (list, tuple)) for x in pf)
        p = browser(out_off, "pagefind") if ran else None
        (WORK / f"browser-{n}-pagefind.json").write_text(json.dumps(p))
        gz_files, gz_bytes = size_of(out_on / "tim-kiem")
        pf_files, pf_bytes = size_of(out_off / "pagefind") if p else (0, 0)
        rows.append(dict(n=n, on=on, off=off, pf=pf, g=g, p=p, gz=(gz_files, gz_bytes), pfs=(pf_files, pf_bytes)))
        print(json.dumps(rows[-1])[:2000], file=sys.stderr)
    lines += ["| N | | build (wall / CPU) | index adds (wall / CPU) | index files | index bytes | "
              "first query, median (max) | script | keystroke → painted, median (p90) |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        on_w, on_c = med([x[0] for x in r["on"]]), med([x[1] for x in r["on"]])
        off_w, off_c = med([x[0] for x in r["off"]]), med([x[1] for x in r["off"]])
        if r["p"] is None:
            why = r["pf"][0] if r["pf"] else "not run (--skip-pagefind)"
            lines.append(f"| {r['n']:,} | Pagefind | {why} | | | | | | |")
        pf_ok = r["p"] is not None
        pf_w = med([x[0] for x in r["pf"]]) if pf_ok else 0
        pf_c = med([x[1] for x in r["pf"]]) if pf_ok else 0
        for name, res, files, added in (
                ("Gazette", r["g"], r["gz"], (on_w - off_w, on_c - off_c)),
                ("Pagefind", r["p"], r["pfs"], (pf_w, pf_c))):
            if res is None:
                continue
            firsts = [f["bytes"] for f in res["first"] if f["bytes"] is not None] or [float("nan")]
            slow = sum(1 for f in res["first"] if f["bytes"] is None)
            times = sorted(t["ms"] for t in res["times"] if t["ms"] is not None)
            missed = sum(1 for t in res["times"] if t["ms"] is None)
            p90 = times[int(0.9 * (len(times) - 1))] if times else float("nan")
            script = med([f["script"] for f in res["first"] if f["script"] is not None])
            build_col = f"{off_w:.2f} s / {off_c:.2f} s" if name == "Pagefind" else f"{on_w:.2f} s / {on_c:.2f} s"
            if name == "Gazette":
                ratio_w = med([a[0] / b[0] for a, b in zip(r["on"], r["off"])])
                ratio_c = med([a[1] / b[1] for a, b in zip(r["on"], r["off"])])
                paired = f"; median of {len(r['on'])} pairs +{100 * (ratio_w - 1):.1f} % / +{100 * (ratio_c - 1):.1f} %"
            else:
                paired = ""
            lines.append(
                f"| {r['n']:,} | {name} | {build_col} | +{added[0]:.2f} s ({100 * added[0] / off_w:.0f} %) / "
                f"+{added[1]:.2f} s ({100 * added[1] / off_c:.0f} %){paired} | {files[0]:,} | {files[1] / 1e6:.1f} MB | "
                f"{med(firsts) / 1024:.0f} KB ({max(firsts) / 1024:.0f} KB)"
                + (f", {slow} of {len(res['first'])} not painted within 120 s" if slow else "")
                + f" | {script / 1024:.1f} KB | "
                f"{med(times):.1f} ms ({p90:.1f} ms)" + (f", {missed} not painted within 60 s" if missed else "") + " |")
    lines += ["", "Per query, first-query bytes (KB) Gazette / Pagefind:", ""]
    for r in rows:
        kb = lambda f: "–" if f["bytes"] is None else f"{f['bytes'] / 1024:.0f}"
        theirs = r["p"]["first"] if r["p"] else [{"bytes": None}] * len(r["g"]["first"])
        pairs = [f"{g['q']}: {kb(g)} / {kb(p)}" for g, p in zip(r["g"]["first"], theirs)]
        lines.append(f"- {r['n']:,}: " + "; ".join(pairs))
    if args.quality:
        root = generate(1000)
        out = WORK / "out-1000"
        build(args.gazette, root, "on", out)
        q = browser(out, "gazette", REPO / "tests/search/quality.tsv")["quality"]
        good = sum(1 for c in q if c["got"] == c["want"])
        lines += ["", f"Quality list in Chromium (1,000 items): {good} of {len(q)} first results as expected."]
        lines += [f"- missed: `{c['q']}`: got {c['got']}, wanted {c['want']}" for c in q if c["got"] != c["want"]]
    lines += ["", f"Load average at the end: {os.getloadavg()[0]:.1f}.", ""]
    text = "\n".join(lines)
    results = REPO / "bench/results" / f"{dt.date.today()}-search.md"
    results.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
