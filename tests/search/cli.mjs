// Runs the portal's search.js under node, for tests/search.rs and
// bench/search.py: the browser's own code over the files a build wrote.
//
//   node tests/search/cli.mjs fold    < strings.json   → [[fold, terms, units]…]
//   node tests/search/cli.mjs search DIR < queries.json → [[url…]…] (top 10)
//
// DIR is the index folder (public/tim-kiem/).
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const script = readFileSync(join(here, "../../themes/portal/static/js/search.js"), "utf8");
new Function(script)();
const { fold, terms, units, Index } = globalThis.GazetteSearch;

const input = JSON.parse(readFileSync(0, "utf8"));
const [mode, dir] = process.argv.slice(2);
if (mode === "fold") {
  const out = input.map((s) => {
    const f = fold(s);
    return [f, terms(f).map((t) => t.w !== undefined ? ["w", t.w] : t.p !== undefined ? ["p", t.p] : ["c", t.c]),
      units(s).map((u) => [u.term, u.parts, u.pairs])];
  });
  process.stdout.write(JSON.stringify(out));
} else if (mode === "search") {
  const get = async (path) => new Uint8Array(readFileSync(join(dir, path.slice("/".length))));
  const index = await new Index("/", get).open();
  const out = [];
  for (const q of input) {
    const { hits } = await index.search(q, null);
    const urls = hits.slice(0, 10).map((doc) => JSON.parse(readFileSync(join(dir, `d/${doc}.json`), "utf8")).u);
    out.push({ count: hits.length, urls });
  }
  process.stdout.write(JSON.stringify(out));
} else {
  console.error("usage: cli.mjs fold|search [DIR]");
  process.exit(2);
}
