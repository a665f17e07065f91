// axe-core on every HTML page of the build (alias redirect pages excepted),
// at desktop width: zero violations of WCAG 2.0/2.1 A and AA.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { site, launch, guard, htmlPages, DESKTOP, PHONE } from "./lib.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const pages = (await htmlPages()).filter((p) => !p.redirect);
let server, browser, context, phone;

before(async () => {
  server = await site();
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP, baseURL: server.base });
  phone = await browser.newContext({ viewport: PHONE, baseURL: server.base, isMobile: true });
  guard(context);
  guard(phone);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function axe(ctx, url) {
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: "load" });
  // Injected through the DevTools protocol, so the site's CSP does not apply.
  await page.addScriptTag({ path: AXE }).catch(async () => page.evaluate(await import("node:fs").then((fs) => fs.readFileSync(AXE, "utf8"))));
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), TAGS);
  await page.close();
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ").slice(0, 200)}`).join("\n"));
}

for (const { url } of pages) {
  test(`axe ${url}`, { timeout: 60_000 }, async () => {
    const violations = await axe(context, url);
    assert.equal(violations.length, 0, `${url}: ${violations.length} violation(s)\n  ${violations.join("\n  ")}`);
  });
}

// The phone layout is different CSS (two-column menu, thumbnails): check
// one page of each kind there too.
// Another language's pages (`/en/…`) are kinds of their own.
const kindOf = (url) => {
  const [, first, second] = url.split("/");
  return /^[a-z]{2}$/.test(first) ? `${first}/${second || "home"}` : first || "home";
};
const kinds = [...new Map(pages.map((p) => [kindOf(p.url), p])).values()];
for (const { url } of kinds) {
  test(`axe ${url} at 360px`, { timeout: 60_000 }, async () => {
    const violations = await axe(phone, url);
    assert.equal(violations.length, 0, `${url} (phone): ${violations.length} violation(s)\n  ${violations.join("\n  ")}`);
  });
}
