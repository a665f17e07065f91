// The browser half of bench/search.py: in Debian's headless Chromium, against
// a site served by nginx with deploy/nginx.conf (gzip as production serves it).
//
//   node bench/search-browser.mjs BASE_URL gazette|pagefind QUERIES.json [QUALITY.tsv]
//
// For each query, in a fresh browser context (empty cache): open the search
// page, put the query in the box (whole), wait until its results are painted, and count the
// bytes that came over the wire for it (encoded body + headers, from
// Playwright's request sizes) — the page itself, CSS and portal.js aside.
// Then, with everything loaded, time keystroke → results painted: the
// keydown's timestamp to the first animation frame after the results were
// put in the page, for the last letter of each query typed again.
// With QUALITY.tsv, the first result of each query is checked.
// Prints one JSON object.
import { readFileSync } from "node:fs";
// PLAYWRIGHT_CORE: the package's entry file, when node_modules is elsewhere.
const { chromium } = await import(process.env.PLAYWRIGHT_CORE ?? "playwright-core");

const [base, tool, queriesFile, qualityFile] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesFile, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});

const page_url = tool === "gazette" ? "/tim-kiem/" : "/pagefind-bench.html";
const BOX = tool === "gazette" ? "main input[name=q]" : "input[name=q]";
const isSearch = (url) => tool === "gazette"
  ? /\/tim-kiem\/.+|\/js\/search\.js/.test(new URL(url).pathname)
  : /\/pagefind\//.test(new URL(url).pathname);

async function open(context) {
  const page = await context.newPage();
  const transfers = [];
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) transfers.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  await page.goto(base + page_url.slice(1), { waitUntil: "load" });
  await page.evaluate(() => {
    window.__painted = [];
    const app = document.querySelector("[data-search-app]") ?? document.body;
    app.addEventListener("gazette:results", (e) => {
      requestAnimationFrame(() => window.__painted.push({ t: performance.now(), q: e.detail.q }));
    });
    window.__keys = [];
    document.addEventListener("keydown", (e) => window.__keys.push(e.timeStamp), true);
  });
  return { page, transfers };
}

/** Types `text` into the box and waits until the results for the box's
 * whole value are painted. */
async function typeAndWait(page, text, press = null, whole = false) {
  const input = page.locator(BOX);
  if (press) await input.press(press);
  else if (whole) await input.fill(text);
  else await input.pressSequentially(text);
  const value = await input.inputValue();
  await page.waitForFunction((v) => window.__painted.some((p) => p.q === v), value, { timeout: 120_000 });
  return page.evaluate((v) => window.__painted.filter((p) => p.q === v).pop().t, value);
}

const first = [];
for (const q of queries) {
  const context = await browser.newContext();
  const { page, transfers } = await open(context);
  const started = Date.now();
  try {
    // The query arrives whole (pasted, or a link's ?q=): what it needs, not
    // what each partial word on the way would fetch.
    await typeAndWait(page, q, null, true);
  } catch {
    first.push({ q, bytes: null, requests: null, script: null, ms: null });
    await context.close();
    continue;
  }
  const ms = Date.now() - started;
  await page.waitForLoadState("networkidle");
  const mine = transfers.filter((t) => isSearch(t.url));
  first.push({ q, bytes: mine.reduce((a, t) => a + t.bytes, 0), requests: mine.length, ms,
    script: mine.filter((t) => /\.js$|\.wasm|wasm\./.test(t.url)).reduce((a, t) => a + t.bytes, 0) });
  await context.close();
}

// Keystroke → painted, once loaded: every query typed once (warming), then
// its last letter removed and typed again, timed.
const context = await browser.newContext();
const { page } = await open(context);
const times = [];
for (const q of queries) {
  const input = page.locator(BOX);
  await input.fill("");
  await page.evaluate(() => { window.__painted = []; });
  try {
    await typeAndWait(page, q, null, true);
  } catch {
    times.push({ q, ms: null });
    continue;
  }
  const last = q.slice(-1) === " " ? "Space" : q.slice(-1);
  for (let run = 0; run < 5; run++) {
    try {
      await page.evaluate(() => { window.__painted = []; });
      await typeAndWait(page, "", "Backspace");
      await page.evaluate(() => { window.__painted = []; window.__keys = []; });
      const painted = await typeAndWait(page, "", last);
      const key = await page.evaluate(() => window.__keys[0]);
      times.push({ q, ms: painted - key });
    } catch {
      // Not painted within the time limit: counted as a miss, not a time.
      times.push({ q, ms: null });
      break;
    }
  }
}

let quality = null;
if (qualityFile) {
  const cases = readFileSync(qualityFile, "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t"));
  quality = [];
  for (const [q, want] of cases) {
    const input = page.locator(BOX);
    await input.fill("");
    await page.evaluate(() => { window.__painted = []; });
    await typeAndWait(page, q, null, true);
    const got = await page.evaluate(() => {
      const a = document.querySelector(".search-results a, #results a");
      return a ? new URL(a.href).pathname : null;
    });
    quality.push({ q, want, got });
  }
}
await browser.close();
process.stdout.write(JSON.stringify({ tool, first, times, quality }));
