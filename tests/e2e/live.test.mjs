// `gazette serve` in the browser: an open page reloads after an edit,
// keeping its scroll position; a broken edit shows its problems over the
// last good page; fixing it clears them. Runs the binary in $GAZETTE on a
// copy of the sample portal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { launch, REPO, HERE, DESKTOP } from "./lib.mjs";

const T = { timeout: 120_000 };
const GAZETTE = process.env.GAZETTE;
let work, server, base, browser, context;

const ARTICLE = "content/tin-tuc/bo-cong-an-day-manh-ung-dung/index.md";
const URL_PATH = "/tin-tuc/bo-cong-an-day-manh-ung-dung/";

before(async () => {
  if (!GAZETTE) return;
  work = await mkdtemp(join(tmpdir(), "gazette-live-"));
  for (const part of ["config.yaml", "content"]) await cp(join(REPO, part), join(work, part), { recursive: true });
  // The photo copies run.sh's build made: with a cold cache, serve makes them
  // in the background and reloads open pages when they are ready, which
  // would land in the middle of this test's first page load.
  await cp(join(REPO, ".gazette-cache"), join(work, ".gazette-cache"), { recursive: true }).catch(() => {});
  server = spawn(GAZETTE, ["serve", "--root", work, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((ok, fail) => {
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const found = seen.match(/Serving at (http:\/\/\S+?)\/ from/);
      if (found) ok(found[1]);
    });
    server.on("exit", (code) => fail(new Error(`serve exited with ${code}: ${seen}`)));
  });
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP, baseURL: base });
});
after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const stopped = new Promise((ok) => server.on("exit", ok));
    server.kill("SIGINT");
    await stopped;
  }
  if (work) await rm(work, { recursive: true, force: true });
});

test("an edit reloads the open page in place, a broken edit shows its problems, a fix clears them", { ...T, skip: !GAZETTE && "no $GAZETTE binary" }, async () => {
  const page = await context.newPage();
  await page.goto(URL_PATH, { waitUntil: "load" });
  await page.evaluate(() => window.scrollTo(0, 600));
  const original = await readFile(join(work, ARTICLE), "utf8");

  await writeFile(join(work, ARTICLE), original.replace(/^title: .*$/m, 'title: "Tiêu đề sửa khi đang xem"'));
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("Tiêu đề sửa khi đang xem"), null, { timeout: 20_000 });
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 300, `the scroll position was kept (${scrolled})`);

  await writeFile(join(work, ARTICLE), original.replace(/^title: .*$/m, "title: [<b>hỏng</b>"));
  const overlay = page.locator("#gazette-errors");
  await overlay.waitFor({ state: "visible", timeout: 20_000 });
  const text = await overlay.innerText();
  assert.match(text, /bo-cong-an-day-manh-ung-dung\/index\.md:\d+:\d+/);
  assert.match(text, /help:/);
  assert.equal(await overlay.locator("b").count(), 0, "the problem is shown as text, never as HTML");
  assert.match(await page.locator("h1").first().innerText(), /Tiêu đề sửa khi đang xem/, "the last good page is still there");
  const shots = process.env.SCREENSHOT_DIR ?? join(HERE, "screenshots");
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "serve-error-overlay.png") });

  await writeFile(join(work, ARTICLE), original);
  await overlay.waitFor({ state: "detached", timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector("h1")?.textContent.includes("Tiêu đề sửa khi đang xem"), null, { timeout: 20_000 });
});
