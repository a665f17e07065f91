#!/usr/bin/env python3
"""Two builds timed in interleaved pairs: the ratio of one site's rebuild to another's.

    python3 bench/pairs.py SITE_A SITE_B [--pairs 21] [--gazette target/release/gazette]

Builds each site once (so both rebuild over their last output, with their
caches warm), then `--pairs` times both, alternating which goes first, and
prints the median wall time of each, the ratio of the medians and the
median of the pairs' ratios (B / A), and the same for CPU time (user +
system, from `wait4`), which a build waiting for another program's turn on
the cores does not add to. On a shared machine one build in a
few can take twice as long as its neighbours; pairs measured side by side
and their median ratio are steadier than two separate series.

Made for the photos target (issue 16): A = /dev/shm/bench-images/gazette-plain,
B = /dev/shm/bench-images/gazette-photos, as `bench/images.py --fs tmpfs` leaves them.
With `--clean`, each build starts from no output (`public/` and the spare tree
beside it removed first, caches kept), as `bench/search.py` and a build on a
fresh checkout do.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(gazette, site, clean=False):
    """(wall seconds, CPU seconds: user + system) of one build."""
    if clean:
        for folder in ("public", ".public.spare"):
            shutil.rmtree(os.path.join(site, folder), ignore_errors=True)
    start = time.perf_counter()
    child = subprocess.Popen([gazette, "build", "--quiet", "--root", site])
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"gazette build --root {site} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--pairs", type=int, default=21)
    ap.add_argument("--gazette", default=os.path.join(REPO, "target/release/gazette"))
    ap.add_argument("--clean", action="store_true", help="each build from no output")
    args = ap.parse_args()
    for site in (args.a, args.b):
        build(args.gazette, site)
    runs = {args.a: [], args.b: []}
    for n in range(args.pairs):
        order = (args.a, args.b) if n % 2 == 0 else (args.b, args.a)
        pair = {site: build(args.gazette, site, args.clean) for site in order}
        for site, measured in pair.items():
            runs[site].append(measured)
    for k, what in ((0, "wall"), (1, "CPU (user + system)")):
        a = statistics.median(r[k] for r in runs[args.a])
        b = statistics.median(r[k] for r in runs[args.b])
        ratios = [rb[k] / ra[k] for ra, rb in zip(runs[args.a], runs[args.b])]
        print(f"{what}: A {args.a} median {a:.3f} s, B {args.b} median {b:.3f} s")
        print(f"  B / A: ratio of medians {b / a:.3f}, median of {args.pairs} pair ratios "
              f"{statistics.median(ratios):.3f}")
        print("  pair ratios, sorted:", " ".join(f"{r:.3f}" for r in sorted(ratios)))


if __name__ == "__main__":
    main()
