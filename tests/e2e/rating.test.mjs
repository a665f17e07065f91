// The rating box with an endpoint (issue 14, point 4): a copy of the sample
// portal built by $GAZETTE with `ratings.endpoint` set; the endpoint is
// answered by the test (page.route), well and badly. The box must be
// operable with the keyboard, say when a star is missing, thank the
// reader in a status line, and say clearly when sending failed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { launch, guard, REPO, DESKTOP } from "./lib.mjs";
import { serve } from "./serve.mjs";

const T = { timeout: 120_000 };
const GAZETTE = process.env.GAZETTE;
const ARTICLE = "/tin-tuc/bo-cong-an-day-manh-ung-dung/";
let work, server, base, browser, context, watch;

before(async () => {
  if (!GAZETTE) return;
  work = await mkdtemp(join(tmpdir(), "gazette-rating-"));
  for (const part of ["config.yaml", "content"]) await cp(join(REPO, part), join(work, part), { recursive: true });
  const config = await readFile(join(work, "config.yaml"), "utf8");
  const rated = config.replace(/^  endpoint: null.*$/m, "  endpoint: /api/danh-gia");
  assert.notEqual(rated, config, "the sample config has ratings.endpoint to replace");
  await writeFile(join(work, "config.yaml"), rated);
  await promisify(execFile)(GAZETTE, ["build", "--root", work, "--output", join(work, "public"), "--quiet"]);
  server = await serve(join(work, "public"), 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP, baseURL: base });
  watch = guard(context);
});
after(async () => {
  await browser?.close();
  if (server) await new Promise((ok) => server.close(ok));
  if (work) await rm(work, { recursive: true, force: true });
});

test("with an endpoint: a keyboard-operable form that reports success and failure", { ...T, skip: !GAZETTE && "no $GAZETTE binary" }, async () => {
  const page = await context.newPage();
  let answer = 200;
  const posted = [];
  await page.route("**/api/danh-gia", async (route) => {
    posted.push(route.request().postDataJSON());
    await route.fulfill({ status: answer, body: "" });
  });
  await page.goto(ARTICLE, { waitUntil: "load" });
  const box = page.locator(".rating");
  const status = box.locator(".rating-status");
  assert.equal(await status.getAttribute("role"), "status", "the outcome is announced");
  // No star chosen: a clear request, nothing sent.
  await box.locator("button[type=submit]").click();
  assert.match(await status.textContent(), /chọn số sao/i);
  assert.deepEqual(posted, []);
  // Tab to the stars, choose with Space and the arrows.
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.matches?.('input[name="stars"]')))) {
    assert.ok(++tabs < 300, "a star is reachable with Tab");
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  const chosen = await page.evaluate(() => Number(document.querySelector('input[name="stars"]:checked').value));
  const outline = await page.evaluate(() => getComputedStyle(document.querySelector(`label[for="${document.activeElement.id}"]`)).outlineStyle);
  assert.notEqual(outline, "none", "the focused star shows a focus outline");
  // The endpoint fails: a clear error, the form still usable.
  answer = 500;
  await box.locator("button[type=submit]").click();
  await page.waitForFunction(() => document.querySelector(".rating-status").classList.contains("is-error") && /thử lại/.test(document.querySelector(".rating-status").textContent));
  assert.equal(await box.locator("button[type=submit]").isDisabled(), false, "it can be sent again");
  // It works: thanks, and the form is done.
  answer = 200;
  await box.locator("button[type=submit]").click();
  await page.waitForFunction(() => /Cảm ơn/.test(document.querySelector(".rating-status").textContent));
  assert.equal(await box.locator("button[type=submit]").isDisabled(), true);
  const id = await page.locator("article[data-article-id]").getAttribute("data-article-id");
  assert.deepEqual(posted, [{ id, stars: chosen }, { id, stars: chosen }]);
  assert.deepEqual(watch.errors.filter((e) => !/status of 500/.test(e)), [], "no script errors");
  await page.close();
});
