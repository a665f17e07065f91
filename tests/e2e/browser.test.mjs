// End-to-end tests in Debian's headless Chromium against the served portal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, copyFile } from "node:fs/promises";
import { join } from "node:path";
import { site, launch, guard, htmlPages, SITE_DIR, REPO, HERE, DESKTOP, PHONE, fold } from "./lib.mjs";

const T = { timeout: 90_000 };
let server, browser, desktop, phone, watch, pages;

before(async () => {
  server = await site();
  browser = await launch();
  pages = (await htmlPages()).filter((p) => !p.redirect);
  desktop = await browser.newContext({ viewport: DESKTOP, baseURL: server.base });
  phone = await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true, hasTouch: true });
  watch = [guard(desktop), guard(phone)];
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const open = async (context, url) => {
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: "load" });
  return { page, response };
};
const exists = (path) => existsSync(join(SITE_DIR, path));

test("home page shows the menu and the latest items", T, async () => {
  const { page, response } = await open(desktop, "/");
  assert.equal(response.status(), 200);
  const menu = page.getByRole("navigation", { name: /menu|danh mục/i }).or(page.locator(".site-nav")).first();
  await assertVisible(menu, "main menu");
  const menuLinks = menu.locator("a");
  assert.ok((await menuLinks.count()) >= 2, "the menu has the home link and the categories");
  for (const link of await menuLinks.all()) await assertVisible(link, `menu link ${await link.textContent()}`);
  const latest = page.locator(".latest li a");
  assert.ok((await latest.count()) >= 1, "Tin mới nhất lists items");
  await assertVisible(latest.first(), "first latest item");
  assert.equal(await page.locator("h1").count(), 1, "one h1");
  await page.close();
});

test("click through the menu to a category, then to an article", T, async () => {
  const { page } = await open(desktop, "/");
  const category = page.locator('.site-nav a[href*="/chuyen-muc/"]').first();
  const name = (await category.textContent()).trim();
  await Promise.all([page.waitForURL(/\/chuyen-muc\/[^/]+\/$/), category.click()]);
  assert.equal((await page.locator("h1").textContent()).trim(), name, "category page's h1 is the menu item");
  assert.equal(await page.locator(`.site-nav a[aria-current="page"]`).textContent(), name, "menu marks the category");
  const article = page.locator("main .card-title a").first();
  const title = (await article.textContent()).trim();
  await Promise.all([page.waitForURL(/\/tin-tuc\/[^/]+\/$/), article.click()]);
  assert.equal((await page.locator("h1").textContent()).trim(), title, "article's h1 is the card's title");
  await assertVisible(page.locator(".breadcrumbs"), "breadcrumbs");
  await assertVisible(page.locator(".rating"), "rating box");
  await page.close();
});

test("rating box: keyboard-operable, and sends nothing without an endpoint", T, async () => {
  const { page } = await open(desktop, firstArticle());
  const sent = [];
  // Images load lazily as the page scrolls to the stars; anything that
  // could carry a rating (a navigation, fetch, XHR, beacon, a POST) counts.
  page.on("request", (r) => {
    if (r.method() !== "GET" || ["document", "fetch", "xhr", "ping", "eventsource", "websocket"].includes(r.resourceType())) {
      sent.push(`${r.method()} ${r.resourceType()} ${r.url()}`);
    }
  });
  assert.equal(await page.locator(".rating form").count(), 0, "no form without ratings.endpoint");
  await assertVisible(page.locator(".rating legend"), "the stars' legend");
  // Tab from the top of the page until a star has focus.
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.matches?.('input[name="stars"]')))) {
    assert.ok(++tabs < 300, "a star is reachable with Tab");
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Space");
  const checked = () => page.evaluate(() => document.querySelector('input[name="stars"]:checked')?.value ?? null);
  const first = await checked();
  assert.ok(first, "Space chooses the focused star");
  await page.keyboard.press("ArrowRight");
  assert.equal(Number(await checked()), Number(first) + 1, "ArrowRight chooses the next star");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await checked(), first, "ArrowLeft goes back");
  // The focused star is visibly outlined (focus-visible on its label).
  const outline = await page.evaluate(() => {
    const label = document.querySelector(`label[for="${document.activeElement.id}"]`);
    return getComputedStyle(label).outlineStyle;
  });
  assert.notEqual(outline, "none", "the focused star shows a focus outline");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
  assert.deepEqual(sent, [], "nothing is sent");
  await page.close();
});

test("print stylesheet hides navigation and keeps the article", T, async () => {
  const { page } = await open(desktop, firstArticle());
  await page.emulateMedia({ media: "print" });
  for (const selector of [".site-nav", ".skip-link", ".breadcrumbs", ".rating", ".related", ".print-button"]) {
    for (const el of await page.locator(selector).all()) {
      assert.equal(await el.evaluate((e) => getComputedStyle(e).display), "none", `${selector} is hidden in print`);
    }
  }
  await assertVisible(page.locator("article h1"), "the article's title in print");
  await assertVisible(page.locator(".article-body"), "the article's body in print");
  await page.close();
});

test("the 404 page returns 404 and has its h1", T, async () => {
  const { page, response } = await open(desktop, "/khong-co-trang-nay/");
  assert.equal(response.status(), 404);
  const h1 = page.locator("h1");
  assert.equal(await h1.count(), 1);
  await assertVisible(h1, "404 heading");
  assert.match(await h1.textContent(), /\S/);
  const home = page.locator('main a[href="/"]');
  await assertVisible(home.first(), "a link back to the home page");
  await page.close();
});

test("works without JavaScript: menu, category, article; print button stays hidden", T, async () => {
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, javaScriptEnabled: false });
  const g = guard(context);
  const { page } = await open(context, "/");
  await Promise.all([page.waitForURL(/chuyen-muc/), page.locator('.site-nav a[href*="/chuyen-muc/"]').first().click()]);
  await Promise.all([page.waitForURL(/tin-tuc/), page.locator("main .card-title a").first().click()]);
  await assertVisible(page.locator("article h1"), "article without JS");
  assert.equal(await page.locator(".print-button").isVisible(), false, "no dead print button without JS");
  await context.close();
  assert.deepEqual(g.outside, []);
});

test("readable without CSS: content comes first and in order", T, async () => {
  // A visitor whose stylesheet fails to load, or a text browser, reads the
  // page in source order: skip link, header, menu, then the article itself.
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: server.base });
  await context.route("**/*.css", (route) => route.abort());
  const page = await context.newPage();
  const article = pages.find((p) => /^\/tin-tuc\/[^/]+\/$/.test(p.url));
  await page.goto(article.url, { waitUntil: "load" });
  const stylesheets = await page.evaluate(() => [...document.styleSheets].filter((s) => { try { return s.cssRules.length > 0; } catch { return false; } }).length);
  assert.equal(stylesheets, 0, "the test really runs without CSS");
  const order = await page.evaluate(() => {
    const at = (sel) => { const el = document.querySelector(sel); return el ? [...document.querySelectorAll("*")].indexOf(el) : -1; };
    return { skip: at(".skip-link"), nav: at(".site-nav"), h1: at("main h1"), body: at(".article-body"), footer: at(".site-footer") };
  });
  assert.ok(order.skip >= 0 && order.skip < order.nav && order.nav < order.h1 && order.h1 < order.body && order.body < order.footer,
    `reading order ${JSON.stringify(order)}`);
  const text = await page.locator(".article-body").innerText();
  assert.ok(text.trim().length > 200, "the article text is there");
  assert.equal(await page.locator("img:not([alt])").count(), 0, "every picture has alt text");
  await context.close();
});

test("at 360x740 no page scrolls sideways", T, async () => {
  const page = await phone.newPage();
  const wide = [];
  for (const { url } of pages) {
    await page.goto(url, { waitUntil: "load" });
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return null;
      const culprits = [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > width + 1)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      return `${document.documentElement.scrollWidth}px > ${width}px (${culprits.join(", ")})`;
    });
    if (overflow) wide.push(`${url}: ${overflow}`);
  }
  await page.close();
  assert.deepEqual(wide, [], `pages wider than the phone:\n${wide.join("\n")}`);
});

test("at 360x740 the menu is usable", T, async () => {
  const { page } = await open(phone, "/");
  const links = await page.locator(".site-nav a").all();
  assert.ok(links.length >= 2);
  for (const link of links) {
    await assertVisible(link, `menu link ${await link.textContent()}`);
    const box = await link.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 1, `${await link.textContent()} fits the screen`);
    assert.ok(box.height >= 24 && box.width >= 24, `${await link.textContent()} is a big enough target (${box.width}x${box.height})`);
  }
  const target = page.locator('.site-nav a[href*="/chuyen-muc/"]').last();
  const name = (await target.textContent()).trim();
  await Promise.all([page.waitForURL(/chuyen-muc/), target.tap()]);
  assert.equal((await page.locator("h1").textContent()).trim(), name, "tapping a menu item opens its category");
  await page.close();
});

test("directives register: the table lists directives and the filter narrows it", T, async (t) => {
  if (!exists("van-ban/index.html")) return t.skip("skipped: /van-ban/ is not in the build (the directives register has not landed)");
  const { page, response } = await open(desktop, "/van-ban/");
  assert.equal(response.status(), 200);
  const rows = page.locator("main table tbody tr");
  const total = await rows.count();
  assert.ok(total > 0, "the register lists directives");
  for (const row of await rows.all()) {
    const href = await row.locator("a").first().getAttribute("href");
    assert.ok(href, `row "${(await row.textContent()).trim().slice(0, 60)}" links to its directive`);
    const res = await page.request.get(new URL(href, page.url()).href);
    assert.equal(res.status(), 200, `${href} exists`);
  }
  const input = page.locator('main input[type="search"], main input[type="text"]').first();
  await assertVisible(input, "the register's text filter (with JS)");
  // Without JS the script-driven filter is not shown.
  const nojs = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto("/van-ban/");
  const plainInput = plain.locator('main input[type="search"], main input[type="text"]').first();
  assert.equal((await plainInput.count()) && (await plainInput.isVisible()), false, "the filter is hidden without JS");
  assert.equal(await plain.locator("main table tbody tr").count(), total, "all rows without JS");
  // Without JS, the filter is links to pre-built pages (/van-ban/loai/…/):
  // following one of them narrows the table too.
  const filterLink = plain.locator('main a[href^="/van-ban/"]:not([aria-current])').filter({ hasNotText: /^\s*$/ })
    .and(plain.locator('main nav a, main .filter-group a'));
  if (await filterLink.count()) {
    const link = filterLink.first();
    const label = (await link.textContent()).replace(/\(\d+\)/, "").trim();
    await Promise.all([plain.waitForURL((u) => u.pathname !== "/van-ban/"), link.click()]);
    const narrowed = await plain.locator("main table tbody tr").allTextContents();
    assert.ok(narrowed.length > 0 && narrowed.length <= total, `the filter page "${label}" lists directives`);
    console.log(`register without JS: "${label}" page lists ${narrowed.length} of ${total}`);
    for (const row of narrowed) assert.ok(fold(row).includes(fold(label)), `"${label}" page keeps only matching rows: ${row.trim().slice(0, 60)}`);
  }
  await nojs.close();

  const visibleRows = async () => {
    const out = [];
    for (const row of await rows.all()) if (await row.isVisible()) out.push(await row.textContent());
    return out;
  };
  const texts = await rows.allTextContents();
  await input.fill("chi thi");
  await page.waitForTimeout(400);
  const shown = await visibleRows();
  const chiThi = texts.filter((s) => s.includes("Chỉ thị"));
  for (const row of chiThi) assert.ok(shown.includes(row), `"chi thi" keeps the row "${row.trim().slice(0, 80)}"`);
  assert.ok(shown.length > 0, '"chi thi" matches at least one row');
  if (texts.some((s) => !fold(s).includes("chi thi"))) assert.ok(shown.length < total, '"chi thi" narrows the table');
  await input.fill("");
  await page.waitForTimeout(400);
  assert.equal((await visibleRows()).length, total, "clearing the text shows every row again");
  for (const select of await page.locator("main select").all()) {
    if (!(await select.isVisible())) continue;
    const options = await select.locator("option").all();
    if (options.length < 2) continue;
    const narrowed = [];
    for (const option of options.slice(1)) {
      await select.selectOption({ index: options.indexOf(option) });
      await page.waitForTimeout(200);
      narrowed.push((await visibleRows()).length);
    }
    assert.ok(narrowed.every((n) => n <= total), "a select never adds rows");
    assert.ok(narrowed.some((n) => n < total) || options.length === 2, "some choice of the select narrows the table");
    await select.selectOption({ index: 0 });
    await page.waitForTimeout(200);
    assert.equal((await visibleRows()).length, total, "the first option shows every row again");
  }
  await page.close();
});

// Search (issue 13): what citizens type, with and without diacritics.
const results = (page) => page.evaluate(() => [...document.querySelectorAll(".search-results .search-result")]
  .map((li) => ({ title: li.querySelector("h2 a").textContent, href: li.querySelector("h2 a").getAttribute("href"),
    marks: [...li.querySelectorAll("mark")].map((m) => m.textContent) })));
const searchFor = async (page, words, { submit = false } = {}) => {
  const input = page.locator("main input[name=q]");
  await input.fill(words);
  if (submit) await input.press("Enter");
  await page.waitForFunction((w) => {
    const s = document.querySelector(".search-status").textContent;
    return s && !s.startsWith("Đang") && (s.includes(w) || s.startsWith("Không"));
  }, words, { timeout: 10_000 });
  return results(page);
};

test("search finds the seed items from what citizens type, with and without diacritics", T, async () => {
  const { page, response } = await open(desktop, "/tim-kiem/");
  assert.equal(response.status(), 200);
  await assertVisible(page.locator("main input[name=q]"), "the search box");
  assert.equal(await page.locator("[data-search-nojs]").isVisible(), false, "the no-JS note is hidden with JS");
  const cases = [
    ["cong an", "/tin-tuc/bo-cong-an-day-manh-ung-dung/"],
    ["Công an", "/tin-tuc/bo-cong-an-day-manh-ung-dung/"],
    ["chi thi 07/2008", "/van-ban/chi-thi-07-2008-ct-bca-e11/"],
    ["chỉ thị 07/2008", "/van-ban/chi-thi-07-2008-ct-bca-e11/"],
    ["quy hoach", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"],
    ["quy hoạch", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"],
    ["duong", "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/"],
    ["2016/QĐ-BTTTT", "/van-ban/quyet-dinh-2016-qd-btttt/"],
  ];
  for (const [words, first] of cases) {
    const found = await searchFor(page, words);
    assert.ok(found.length > 0, `"${words}" finds something`);
    assert.equal(found[0].href, first, `"${words}" puts ${first} first (got ${found.map((r) => r.href).join(", ")})`);
    assert.ok(found[0].marks.length > 0, `"${words}": the snippet marks the words`);
  }
  const status = await page.locator(".search-status").getAttribute("aria-live");
  assert.equal(status, "polite", "the result count is announced");
  // Typing shows results without submitting; the URL follows and can be shared.
  await searchFor(page, "cong an");
  assert.equal(new URL(page.url()).searchParams.get("q"), "cong an");
  // Submitting twice makes history: back returns to the first query.
  await searchFor(page, "quy hoach", { submit: true });
  await searchFor(page, "chi thi 07/2008", { submit: true });
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("main input[name=q]").value === "quy hoach");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.includes("quy hoach"));
  assert.equal((await results(page))[0].href, "/tin-tuc/quy-hoach-ung-dung-va-phat-trien/", "back shows the earlier results");
  // A linked query opens with its results.
  await page.goto("/tim-kiem/?q=cong+an");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.includes("cong an"));
  assert.equal((await results(page))[0].href, "/tin-tuc/bo-cong-an-day-manh-ung-dung/");
  await page.close();
});

test("search: keyboard, filters, the header box, hostile words, no JS and 360 px", T, async () => {
  const { page } = await open(desktop, "/tim-kiem/");
  await searchFor(page, "ung dung");
  // From the box, the arrow key walks the results; Enter opens one.
  await page.locator("main input[name=q]").focus();
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.closest(".search-result") !== null);
  assert.ok(focused, "ArrowDown moves to the first result");
  const href = await page.evaluate(() => document.activeElement.getAttribute("href"));
  await Promise.all([page.waitForURL((u) => u.pathname === href), page.keyboard.press("Enter")]);
  await page.goBack();
  // The directive filters narrow to directives.
  await page.goto("/tim-kiem/");
  const type = page.locator("select[name=loai]");
  await type.waitFor({ state: "visible", timeout: 5_000 });
  await type.selectOption({ label: "Chỉ thị" });
  await page.waitForFunction(() => /kết quả/.test(document.querySelector(".search-status").textContent));
  const filtered = await results(page);
  assert.deepEqual(filtered.map((r) => r.href), ["/van-ban/chi-thi-07-2008-ct-bca-e11/"], "type Chỉ thị alone");
  assert.equal(new URL(page.url()).searchParams.get("loai"), "Chỉ thị");
  const category = page.locator("select[name=c]");
  await type.selectOption({ index: 0 });
  await category.selectOption({ label: "Tin hoạt động" });
  const inCategory = await searchFor(page, "bo");
  const metas = await page.locator(".search-meta").allTextContents();
  assert.ok(inCategory.length > 0 && metas.length === inCategory.length, "results in the category");
  for (const meta of metas) assert.ok(meta.includes("Tin hoạt động"), `"${meta}" is in the category`);
  // Words are shown as typed, never run as HTML.
  const hostile = "<img src=x onerror=window.__xss=1>";
  await category.selectOption({ index: 0 });
  await searchFor(page, hostile);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "the query is text");
  assert.ok((await page.locator(".search-status").textContent()).includes(hostile), "the query is shown as typed");
  await page.close();

  // The header's box on any page leads to the results.
  const { page: home } = await open(desktop, "/");
  const box = home.locator("header input[name=q]");
  await assertVisible(box, "the header search box");
  await box.fill("cong an");
  await Promise.all([home.waitForURL(/\/tim-kiem\/\?q=cong/), box.press("Enter")]);
  await home.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  assert.equal((await results(home))[0].href, "/tin-tuc/bo-cong-an-day-manh-ung-dung/");
  await home.close();

  // Without JavaScript the form still leads somewhere useful.
  const nojs = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto("/");
  await plain.locator("header input[name=q]").fill("cong an");
  await Promise.all([plain.waitForURL(/\/tim-kiem\/\?q=/), plain.locator("header input[name=q]").press("Enter")]);
  await assertVisible(plain.locator("[data-search-nojs]"), "the note that search needs JavaScript");
  assert.match(await plain.locator("[data-search-nojs]").textContent(), /JavaScript/);
  const links = await plain.locator("[data-search-nojs] a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.includes("/van-ban/") && links.some((h) => h.startsWith("/chuyen-muc/")), "links to the register and categories");
  assert.equal(await plain.locator("main form.search-form").isVisible(), false, "no dead form without JS");
  await nojs.close();

  // At 360 px nothing scrolls sideways and results read.
  const { page: small } = await open(phone, "/tim-kiem/?q=cong%20an");
  await small.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const wide = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `no sideways scroll at 360 px (${wide})`);
  await assertVisible(small.locator("header input[name=q]"), "the header box at 360 px");
  await small.close();
});

test("screenshots of home, article and category at desktop and phone size", T, async () => {
  const dir = process.env.SCREENSHOT_DIR ?? join(HERE, "screenshots");
  const docs = process.env.UPDATE_SCREENSHOTS === "1" ? join(REPO, "docs", "screenshots") : null;
  await mkdir(dir, { recursive: true });
  if (docs) await mkdir(docs, { recursive: true });
  const category = pages.find((p) => p.url.startsWith("/chuyen-muc/") && !p.url.includes("/trang/"));
  const shots = { home: "/", article: firstArticle(), category: category.url };
  for (const [size, context] of [["desktop", desktop], ["phone", phone]]) {
    for (const [name, url] of Object.entries(shots)) {
      const { page } = await open(context, url);
      await page.evaluate(() => document.fonts.ready);
      const file = `${name}-${size}.png`;
      await page.screenshot({ path: join(dir, file) });
      await page.screenshot({ path: join(dir, `${name}-${size}-full.png`), fullPage: true });
      if (docs) await copyFile(join(dir, file), join(docs, file));
      await page.close();
    }
  }
  console.log(`screenshots in ${dir}${docs ? ` and ${docs}` : ""}`);
});

test("no request left 127.0.0.1, and no script errors", T, async () => {
  const outside = watch.flatMap((w) => w.outside);
  const errors = watch.flatMap((w) => w.errors);
  assert.deepEqual([...new Set(outside)], [], "requests to other hosts");
  assert.deepEqual(errors, [], "page and console errors");
});

function firstArticle() {
  // The sample portal's article with a lead photo, figures and a related list; else any article.
  const preferred = "/tin-tuc/ung-dung-co-hieu-qua-cong-nghe-thong-tin/";
  if (pages.some((p) => p.url === preferred)) return preferred;
  return pages.find((p) => /^\/tin-tuc\/[^/]+\/$/.test(p.url) && !p.url.startsWith("/tin-tuc/trang/")).url;
}

async function assertVisible(locator, what) {
  assert.ok(await locator.isVisible(), `${what} is visible`);
}
