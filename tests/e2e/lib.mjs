// Shared helpers for the browser, axe and vnu suites.
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { join, relative, sep, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "..", "..");

/** The built site: $SITE_DIR (run.sh sets it), else the repo's public/. */
export const SITE_DIR = resolve(process.env.SITE_DIR ?? join(REPO, "public"));

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

/** Every file under dir, as paths relative to it with `/` separators, sorted. */
export async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/"));
  }
  return out.sort();
}

/** A page's URL path from its file: `a/index.html` -> `/a/`. */
export function urlOf(file) {
  if (file === "index.html") return "/";
  if (file.endsWith("/index.html")) return "/" + file.slice(0, -"index.html".length);
  return "/" + file;
}

export const isRedirect = (html) => /<meta\s+http-equiv=["']?refresh/i.test(html);

/** Every HTML page of the build: { file, url, html, redirect }. */
export async function htmlPages(dir = SITE_DIR) {
  const pages = [];
  for (const file of (await walk(dir)).filter((f) => f.endsWith(".html"))) {
    const html = await readFile(join(dir, file), "utf8");
    pages.push({ file, url: urlOf(file), html, redirect: isRedirect(html) });
  }
  return pages;
}

/**
 * The base URL to test: $BASE_URL (run.sh serves the site once), else a
 * server started here on a free loopback port. Returns { base, close }.
 */
export async function site() {
  if (process.env.BASE_URL) return { base: process.env.BASE_URL.replace(/\/?$/, "/"), close: async () => {} };
  const server = await serve(SITE_DIR, 0);
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * Debian's Chromium (never a downloaded build). Playwright starts it with a
 * new, empty --user-data-dir of its own, removed on close; HOME and TMPDIR
 * point at a temp folder of ours (also removed), so nothing else Chromium
 * writes is shared between runs.
 */
export async function launch() {
  const profileParent = await mkdtemp(join(tmpdir(), "gazette-e2e-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, TMPDIR: profileParent, HOME: profileParent },
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    await rm(profileParent, { recursive: true, force: true });
  };
  return browser;
}

/** Only loopback may be contacted; data:/blob:/about: never leave the page. */
export function isLocal(url) {
  const u = new URL(url);
  if (["data:", "blob:", "about:"].includes(u.protocol)) return true;
  return (u.protocol === "http:" || u.protocol === "https:") && u.hostname === "127.0.0.1";
}

/**
 * Watches a browser context: records every request that would leave
 * 127.0.0.1 (and blocks it), page errors and console errors.
 */
export function guard(context) {
  const outside = [];
  const errors = [];
  context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    outside.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("page", (page) => watchPage(page, errors));
  return { outside, errors, watch: (page) => watchPage(page, errors) };
}

function watchPage(page, errors) {
  if (page.__guarded) return;
  page.__guarded = true;
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    // A missing page is an expected 404 in the 404 test; anything else counts.
    if (m.type() === "error" && !/status of 404/.test(m.text())) errors.push(`${page.url()}: console: ${m.text()}`);
  });
}

/** Fold Vietnamese for comparisons: "Chỉ thị" -> "chi thi". */
export const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
