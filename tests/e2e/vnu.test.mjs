// The Nu HTML Checker (npm vnu-jar, run with `java -jar`) on every HTML page
// (and SVG) of the build in one Java run; feeds and the sitemap must parse
// as XML (Python's expat: strict, in the standard library).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import vnuJar from "vnu-jar";
import { walk, urlOf, SITE_DIR } from "./lib.mjs";

const run = promisify(execFile);
const files = await walk(SITE_DIR);
const html = files.filter((f) => f.endsWith(".html"));
const svg = files.filter((f) => f.endsWith(".svg"));
const xml = files.filter((f) => f.endsWith(".xml"));
const JAVA = process.env.JAVA ?? "java";

// One JVM for all pages: a few seconds instead of one per page.
const vnu = (async () => {
  const args = ["-jar", vnuJar, "--format", "json", "--also-check-svg", "--exit-zero-always", ...[...html, ...svg].map((f) => join(SITE_DIR, f))];
  const { stdout, stderr } = await run(JAVA, args, { maxBuffer: 64 << 20 });
  const byFile = new Map();
  for (const m of JSON.parse(stderr || stdout).messages) {
    const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : "(none)";
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(m);
  }
  return byFile;
})();
vnu.catch(() => {}); // reported by the first test

test("vnu ran", { timeout: 180_000 }, async () => {
  const byFile = await vnu;
  const stray = [...byFile.keys()].filter((f) => !f.startsWith(pathToFileURL(SITE_DIR).pathname));
  assert.deepEqual(stray, [], "messages not tied to a page (vnu failed?)");
});

const show = (m) => `${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"} ${m.message}${m.extract ? `\n      ${m.extract.replace(/\s+/g, " ").slice(0, 120)}` : ""}`;

for (const file of [...html, ...svg]) {
  test(`vnu ${file.endsWith(".html") ? urlOf(file) : "/" + file}`, { timeout: 180_000 }, async () => {
    const messages = (await vnu).get(pathToFileURL(join(SITE_DIR, file)).pathname) ?? [];
    const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error");
    const warnings = messages.filter((m) => m.type === "info" && m.subType === "warning");
    for (const w of warnings) console.log(`vnu warning ${file}: ${show(w)}`);
    assert.equal(errors.length, 0, `${file}: ${errors.length} error(s)\n  ${errors.map(show).join("\n  ")}`);
  });
}

// expat via the Python that the machine carries: strict XML 1.0, line and
// column of the first error; prints the root element's name.
const PARSE = `
import sys, xml.parsers.expat
for path in sys.argv[1:]:
    p = xml.parsers.expat.ParserCreate()
    root = []
    p.StartElementHandler = lambda name, attrs: root.append(name) if not root else None
    try:
        with open(path, "rb") as f:
            p.ParseFile(f)
        print(path + "\\t" + (root[0] if root else ""))
    except xml.parsers.expat.ExpatError as e:
        print(path + "\\tERROR line %d column %d: %s" % (e.lineno, e.offset, xml.parsers.expat.ErrorString(e.code)))
`;
const parsed = (async () => {
  if (!xml.length) return new Map();
  const { stdout } = await run(process.env.PYTHON ?? "python3", ["-c", PARSE, ...xml.map((f) => join(SITE_DIR, f))]);
  return new Map(stdout.trim().split("\n").map((line) => line.split("\t")));
})();
parsed.catch(() => {});

test("the build has feeds and a sitemap", () => {
  for (const file of ["rss.xml", "atom.xml", "van-ban/rss.xml", "van-ban/atom.xml", "sitemap.xml"]) {
    assert.ok(xml.includes(file), file);
  }
});

// The root element each kind of XML file must have.
const rootOf = (file) => {
  if (/(^|\/)sitemap-\d+\.xml$/.test(file)) return "urlset";
  if (file === "sitemap.xml") return ["urlset", "sitemapindex"];
  if (file.endsWith("rss.xml")) return "rss";
  if (file.endsWith("atom.xml")) return "feed";
  return null;
};

for (const file of xml) {
  test(`XML /${file}`, async () => {
    const root = (await parsed).get(join(SITE_DIR, file));
    assert.ok(root !== undefined, `${file} was parsed`);
    assert.doesNotMatch(root, /^ERROR/, `${file}: ${root}`);
    const expected = rootOf(file);
    if (Array.isArray(expected)) assert.ok(expected.includes(root), `${file}'s root element: ${root}`);
    else if (expected) assert.equal(root, expected, `${file}'s root element`);
  });
}
