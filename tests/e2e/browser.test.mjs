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

test("rating box without an endpoint: the count as a display, nothing to press, nothing sent", T, async () => {
  const { page } = await open(desktop, firstArticle());
  const sent = [];
  page.on("request", (r) => {
    if (r.method() !== "GET" || ["document", "fetch", "xhr", "ping", "eventsource", "websocket"].includes(r.resourceType())) {
      sent.push(`${r.method()} ${r.resourceType()} ${r.url()}`);
    }
  });
  const box = page.locator(".rating");
  await assertVisible(box, "the rating box");
  assert.match(await box.locator("h2").textContent(), /^ĐÁNH GIÁ BÀI VIẾT \(\d+\)$/);
  assert.equal(await box.locator("input, button, select, textarea, form, [tabindex]").count(), 0, "no inputs that do nothing");
  assert.doesNotMatch(await box.innerText(), /hoàn thiện/, "no apology for a missing feature");
  // Tabbing through the whole page never lands in the box.
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest(".rating")), false, "nothing in the box takes focus");
  }
  assert.deepEqual(sent, [], "nothing is sent");
  await page.close();
});

test("directives carry no rating box", T, async () => {
  const { page } = await open(desktop, "/van-ban/chi-thi-07-2008-ct-bca-e11/");
  assert.equal(await page.locator(".rating").count(), 0);
  await page.close();
});

test("print stylesheet hides navigation and keeps the article", T, async () => {
  const { page } = await open(desktop, firstArticle());
  await page.emulateMedia({ media: "print" });
  for (const selector of [".site-nav", ".utility", ".site-search", ".skip-link", ".breadcrumbs", ".rating", ".related", ".article-aside", ".share", "[data-print]"]) {
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

test("works without JavaScript: menu, category, article; script-only buttons and the date stay hidden", T, async () => {
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, javaScriptEnabled: false });
  const g = guard(context);
  const { page } = await open(context, "/");
  await Promise.all([page.waitForURL(/chuyen-muc/), page.locator('.site-nav a[href*="/chuyen-muc/"]').first().click()]);
  await Promise.all([page.waitForURL(/tin-tuc/), page.locator("main .card-title a").first().click()]);
  await assertVisible(page.locator("article h1"), "article without JS");
  for (const selector of ["[data-print]", "[data-share-copy]", "[data-share-native]", "[data-today]"]) {
    assert.equal(await page.locator(selector).isVisible(), false, `no dead ${selector} without JS`);
  }
  await assertVisible(page.locator(".share a").first(), "the share links without JS");
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

for (const js of [true, false]) {
  test(`at 360x740 the menu folds into one row and opens ${js ? "with" : "without"} JavaScript`, T, async () => {
    const context = js ? phone : await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    const { page } = await open(context, "/");
    const nav = page.locator(".site-nav");
    const folded = await nav.boundingBox();
    assert.ok(folded.height <= 56, `the folded menu is one row (${folded.height} px)`);
    assert.equal(await page.locator(".site-nav ul a").first().isVisible(), false, "its links are folded away");
    await page.locator(".nav-toggle").tap();
    const links = await page.locator(".site-nav ul a").all();
    assert.ok(links.length >= 2);
    for (const link of links) {
      await assertVisible(link, `menu link ${await link.textContent()}`);
      const box = await link.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 1, `${await link.textContent()} fits the screen`);
      assert.ok(box.height >= 44, `${await link.textContent()} is a big enough target (${box.width}x${box.height})`);
    }
    const target = page.locator('.site-nav a[href*="/chuyen-muc/"]').last();
    const name = (await target.textContent()).trim();
    await Promise.all([page.waitForURL(/chuyen-muc/), target.tap()]);
    assert.equal((await page.locator("h1").textContent()).trim(), name, "tapping a menu item opens its category");
    await page.close();
    if (!js) await context.close();
  });
}

test("directives register: one filter system, static pages loaded in place with JS", T, async () => {
  const { page, response } = await open(desktop, "/van-ban/");
  assert.equal(response.status(), 200);
  const rows = page.locator("main table tbody tr");
  const total = await rows.count();
  assert.ok(total > 0, "the register lists directives");
  for (const row of await rows.all()) {
    const href = await row.locator("a").first().getAttribute("href");
    const res = await page.request.get(new URL(href, page.url()).href);
    assert.equal(res.status(), 200, `${href} exists`);
    await assertVisible(row.locator(".badge"), "a status badge in each row");
  }
  assert.equal(await page.locator("main form, main select, main input[type=search]").count(), 0, "no second filter system");
  const groups = await page.locator(".register-filters .filter-title").allTextContents();
  assert.deepEqual(groups, ["Loại văn bản", "Năm ban hành", "Cơ quan ban hành"]);
  // With JS, a filter loads in place: the page is not reloaded, the URL
  // and the count follow, the rows are narrowed.
  await page.evaluate(() => { window.__stayed = true; });
  const link = page.locator(".register-filters .filter-group").nth(2).locator("a:not([aria-current])").first();
  const label = (await link.textContent()).replace(/\(\d+\)/, "").trim();
  const href = await link.getAttribute("href");
  await link.click();
  await page.waitForURL((u) => u.pathname === href);
  await page.waitForFunction(() => !document.querySelector("[data-register]").hasAttribute("aria-busy"));
  assert.equal(await page.evaluate(() => window.__stayed), true, "loaded in place, not reloaded");
  const narrowed = await rows.allTextContents();
  assert.ok(narrowed.length > 0 && narrowed.length <= total, `"${label}" lists directives`);
  for (const row of narrowed) assert.ok(fold(row).includes(fold(label)), `"${label}" keeps only matching rows: ${row.trim().slice(0, 60)}`);
  assert.match(await page.locator(".register-count").textContent(), new RegExp(`^${narrowed.length} `));
  assert.equal((await page.locator(".register-filters [aria-current]").last().textContent()).replace(/\(\d+\)/, "").trim(), label);
  await page.goBack();
  await page.waitForFunction((n) => document.querySelectorAll("main table tbody tr").length === n, total);
  // Without JS the same links are pages of their own.
  const nojs = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto("/van-ban/");
  await Promise.all([plain.waitForURL((u) => u.pathname === href), plain.locator(`.register-filters a[href="${href}"]`).click()]);
  assert.equal(await plain.locator("main table tbody tr").count(), narrowed.length, "the filter page without JS lists the same");
  await nojs.close();
  await page.close();
});

for (const js of [true, false]) {
  test(`register at 360x740 ${js ? "with" : "without"} JavaScript: the first document above the fold, filters behind one control`, T, async () => {
    const context = js ? phone : await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    const { page } = await open(context, "/van-ban/");
    const first = await page.locator("main table tbody tr").first().locator("th a").boundingBox();
    assert.ok(first && first.y + first.height <= PHONE.height, `the first document's number is above the fold (${first?.y})`);
    assert.equal(await page.locator(".register-filters").isVisible(), false, "filters folded");
    await assertVisible(page.locator(".filter-toggle"), "the one Lọc control");
    await page.locator(".filter-toggle").tap();
    await assertVisible(page.locator(".register-filters .filter-group a").first(), "filters after tapping Lọc");
    await page.close();
    if (!js) await context.close();
  });
}

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

// Issue 14: the portal as a ministry shows it.
test("header: emblem, names, today's date in Vietnamese, the search box; footer: the organization and its links", T, async () => {
  const { page } = await open(desktop, "/");
  const emblem = page.locator("header .emblem");
  await assertVisible(emblem, "the emblem");
  assert.equal(await emblem.evaluate((img) => img.complete && img.naturalWidth > 0), true, "the emblem loads");
  assert.match(await page.locator(".brand-kicker").textContent(), /CỔNG THÔNG TIN ĐIỆN TỬ/i);
  const today = await page.locator("[data-today]").textContent();
  const expected = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date());
  assert.match(today, /^(Chủ Nhật|Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)), \d\d\/\d\d\/\d{4}$/, `the date reads the Vietnamese way: ${today}`);
  assert.ok(today.endsWith(expected), `today in Vietnam (${today} vs ${expected})`);
  await assertVisible(page.locator("header input[name=q]"), "the search box");
  const footer = page.locator(".site-footer");
  for (const field of ["Chịu trách nhiệm chính", "Giấy phép", "Địa chỉ", "Điện thoại", "Thư điện tử"]) {
    assert.ok((await footer.locator(".footer-contact dt").allTextContents()).includes(field), `footer shows ${field}`);
  }
  const links = await footer.locator(".footer-links a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const href of ["/gioi-thieu/", "/so-do-cong/", "/rss.xml"]) assert.ok(links.includes(href), `footer links ${href}`);
  for (const href of links.filter((h) => h.startsWith("/"))) {
    assert.equal((await page.request.get(new URL(href, page.url()).href)).status(), 200, `${href} exists`);
  }
  assert.match(await footer.locator(".copyright").textContent(), /^© \d{4} /);
  await page.close();
});

test("home: each story once, the lead first, columns that end together", T, async () => {
  const { page } = await open(desktop, "/");
  const stories = await page.locator("main a[href^='/tin-tuc/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(stories.length >= 3, "the home page shows stories");
  assert.deepEqual(stories, [...new Set(stories)], "no story shown twice");
  const lead = await page.locator(".card-lead").boundingBox();
  assert.ok(lead.y < DESKTOP.height / 2, "the lead story is at the top");
  for (const [left, right] of [[".card-lead", ".secondary-stories"], [".latest", ".new-documents"]]) {
    if (!(await page.locator(left).count()) || !(await page.locator(right).count())) continue;
    const a = await page.locator(left).boundingBox(), b = await page.locator(right).boundingBox();
    assert.ok(Math.abs(a.y - b.y) < 2, `${left} and ${right} start together`);
    assert.ok(Math.abs((a.y + a.height) - (b.y + b.height)) <= 120, `${left} and ${right} end within 120 px (${Math.round(a.y + a.height)} / ${Math.round(b.y + b.height)})`);
    assert.ok(a.x + a.width <= b.x, `${left} is beside ${right}`);
  }
  await page.close();
});

test("article: side column beside it on desktop, after it on the phone; sharing without other sites' scripts; short breadcrumb", T, async () => {
  const url = firstArticle();
  const { page } = await open(desktop, url);
  const main = await page.locator(".article-main").boundingBox(), aside = await page.locator(".article-aside").boundingBox();
  assert.ok(aside.x >= main.x + main.width && aside.y < main.y + 200, "the side column is beside the article");
  assert.ok((await page.locator(".article-aside .related li a").count()) >= 1, "Tin cùng chuyên mục in the side column");
  const here = new URL(page.url()).pathname;
  const relatedUrls = await page.locator(".article-aside .related a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  const latest = await page.locator(".article-aside .aside-latest a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  assert.ok(latest.length >= 1, "Tin mới in the side column");
  assert.ok(!latest.includes(here) && latest.every((u) => !relatedUrls.includes(u)), `Tin mới shows neither the article nor its related stories: ${latest}`);
  assert.ok((await page.locator(".article-aside .aside-documents .document-list a").count()) >= 1, "Văn bản mới in the side column");
  const share = await page.locator(".share a").evaluateAll((as) => as.map((a) => a.href));
  assert.ok(share.some((h) => h.startsWith("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2F")), "a Facebook share link");
  assert.ok(share.some((h) => h.startsWith("mailto:?subject=")), "an email link");
  await assertVisible(page.locator(".share [data-print]"), "print, with JS");
  await page.close();

  const { page: small } = await open(phone, url);
  const body = await small.locator(".article-body").boundingBox(), related = await small.locator(".article-aside .related").boundingBox();
  assert.ok(related.y > body.y + body.height, "on the phone Tin cùng chuyên mục follows the article");
  const crumbs = await small.locator(".breadcrumbs").boundingBox();
  assert.ok(crumbs.height <= 48, `the breadcrumb is one line on the phone (${crumbs.height} px)`);
  assert.equal(await small.locator(".breadcrumbs [aria-current]").isVisible(), false, "it does not repeat the title");
  await small.close();
});

test("pictures: width and height on every image, no layout shift while loading", T, async () => {
  const urls = ["/", firstArticle(), "/van-ban/", "/chuyen-muc/tin-hoat-dong/", "/gioi-thieu/", "/lanh-dao/"];
  for (const context of [desktop, phone]) {
    for (const url of urls) {
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(url, { waitUntil: "load" });
      const unsized = await page.locator("img").evaluateAll((imgs) => imgs.filter((i) => !i.getAttribute("width") || !i.getAttribute("height")).map((i) => i.src));
      assert.deepEqual(unsized, [], `${url}: images without width/height`);
      const eager = await page.locator("img[fetchpriority=high]").count();
      assert.ok(eager <= 1, `${url}: at most one image fetched first`);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(300);
      const shift = await page.evaluate(() => window.__shift);
      assert.ok(shift < 0.01, `${url}: cumulative layout shift ${shift.toFixed(4)}`);
      await page.close();
    }
  }
});

test("pictures: each browser loads a WebP copy at least as wide as the picture is shown, a phone a smaller one than a desktop", T, async () => {
  const guide = "/tin-tuc/huong-dan-tra-cuu-van-ban/";
  const phone2x = await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const chosen = {};
  for (const [name, context] of [["desktop", desktop], ["phone", phone], ["phone 2x", phone2x]]) {
    for (const url of ["/", guide, "/chuyen-muc/tin-hoat-dong/"]) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForFunction(() => [...document.querySelectorAll("picture img")].every((i) => i.complete && i.currentSrc));
      const pictures = await page.locator("picture img").evaluateAll((imgs) => imgs.map((img) => {
        const webp = img.parentElement.querySelector("source[type='image/webp']");
        const widths = Object.fromEntries((webp ?? img).getAttribute("srcset").split(",").map((c) => c.trim().split(" ")).map(([u, w]) => [new URL(u, location.href).href, parseInt(w, 10)]));
        return { src: img.currentSrc, widths, shown: img.getBoundingClientRect().width * devicePixelRatio };
      }));
      assert.ok(url !== guide || pictures.length === 1, `${url}: the guide has its screenshot`);
      for (const p of pictures) {
        assert.match(p.src, /\.webp$/, `${name} ${url}: a WebP copy (${p.src})`);
        const width = p.widths[p.src];
        const largest = Math.max(...Object.values(p.widths));
        assert.ok(width >= Math.min(p.shown * 0.95, largest), `${name} ${url}: ${p.src} is ${width} px wide, shown at ${p.shown.toFixed(0)} device px`);
        if (url === guide) chosen[name] = width;
      }
      await page.close();
    }
  }
  await phone2x.close();
  assert.deepEqual(chosen, { desktop: 1280, phone: 360, "phone 2x": 720 }, "the guide's screenshot: small on a phone, larger on a desktop");
});

test("the visual system: custom properties, AA contrast of the brand pairs, CSS within 40 KB", T, async () => {
  const { page } = await open(desktop, "/");
  const props = await page.evaluate(() => {
    const css = getComputedStyle(document.documentElement);
    return Object.fromEntries(["--brand", "--accent", "--text", "--muted", "--surface", "--focus", "--link"].map((p) => [p, css.getPropertyValue(p).trim()]));
  });
  for (const [name, value] of Object.entries(props)) assert.match(value, /^#[0-9a-f]{6}$/i, `${name} is set`);
  const lum = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  for (const [fg, bg] of [["--text", "#ffffff"], ["--muted", "#ffffff"], ["--muted", props["--surface"]], ["--link", "#ffffff"], ["#ffffff", props["--brand"]], ["--accent", props["--brand"]]]) {
    const f = fg.startsWith("--") ? props[fg] : fg;
    assert.ok(ratio(f, bg) >= 4.5, `${fg} on ${bg}: ${ratio(f, bg).toFixed(2)} ≥ 4.5`);
  }
  const bytes = (await page.request.get(new URL("/css/portal.css", page.url()).href).then((r) => r.body())).length;
  assert.ok(bytes <= 40_000, `portal.css is ${bytes} bytes`);
  await page.close();
});

test("screenshots of home, article, category, register, directive, drafts for comment, about and 404 at desktop and phone size", T, async () => {
  const dir = process.env.SCREENSHOT_DIR ?? join(HERE, "screenshots");
  const docs = process.env.UPDATE_SCREENSHOTS === "1" ? join(REPO, "docs", "screenshots") : null;
  await mkdir(dir, { recursive: true });
  if (docs) await mkdir(docs, { recursive: true });
  const category = pages.find((p) => p.url.startsWith("/chuyen-muc/") && !p.url.includes("/trang/"));
  const directive = pages.find((p) => /^\/van-ban\/[^/]+\/$/.test(p.url) && !/^\/van-ban\/(trang|loai|nam|co-quan)\//.test(p.url));
  const shots = { home: "/", article: firstArticle(), category: category.url, register: "/van-ban/", directive: directive.url, consultations: "/du-thao/", consultation: "/du-thao/thong-tu-cung-cap-thong-tin-tren-cong/", about: "/gioi-thieu/", 404: "/khong-co-trang-nay/" };
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
