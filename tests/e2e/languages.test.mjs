// The language switch, clicked both ways, on a phone and on a desktop:
// a Vietnamese page and its English translation lead to each other, a
// page without a translation leads to the English home page. Without
// JavaScript too (the switch is plain links).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { site, launch, guard, DESKTOP, PHONE } from "./lib.mjs";

const T = { timeout: 90_000 };
let server, browser, contexts;

before(async () => {
  server = await site();
  browser = await launch();
  contexts = {
    desktop: await browser.newContext({ viewport: DESKTOP, baseURL: server.base }),
    phone: await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true, hasTouch: true }),
    "no JavaScript": await browser.newContext({ viewport: PHONE, baseURL: server.base, javaScriptEnabled: false }),
  };
  for (const context of Object.values(contexts)) guard(context);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const pairs = [
  ["/gioi-thieu/", "/en/about/"],
  ["/co-cau-to-chuc/", "/en/organisation/"],
  ["/danh-ba/", "/en/contacts/"],
  ["/", "/en/"],
];

for (const [name, ctx] of [["desktop"], ["phone"], ["no JavaScript"]].map(([n]) => [n, () => contexts[n]])) {
  test(`the language switch goes both ways (${name})`, T, async () => {
    const page = await ctx().newPage();
    for (const [vi, en] of pairs) {
      await page.goto(vi, { waitUntil: "load" });
      assert.equal(await page.getAttribute("html", "lang"), "vi");
      const english = page.locator(".lang-switch a", { hasText: "English" });
      assert.ok(await english.isVisible(), `${vi}: the switch is visible`);
      await Promise.all([page.waitForURL(`**${en}`), english.click()]);
      assert.equal(new URL(page.url()).pathname, en);
      assert.equal(await page.getAttribute("html", "lang"), "en");
      const vietnamese = page.locator(".lang-switch a", { hasText: "Tiếng Việt" });
      await Promise.all([page.waitForURL(`**${vi}`), vietnamese.click()]);
      assert.equal(new URL(page.url()).pathname, vi);
    }
    // No translation: the English home page.
    await page.goto("/tin-tuc/bo-cong-an-day-manh-ung-dung/", { waitUntil: "load" });
    await Promise.all([page.waitForURL("**/en/"), page.locator(".lang-switch a").click()]);
    assert.equal(new URL(page.url()).pathname, "/en/");
    await page.close();
  });
}
