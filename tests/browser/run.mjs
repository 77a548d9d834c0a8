// Browser tests of Junction's public website, against the real server on a fresh data
// directory with the demo register, in Debian's headless Chromium driven by playwright-core.
//
//   cd tests/browser && npm ci && node run.mjs
//
// JUNCTION_BIN names the server binary (default: target/debug/junction, built by
// `cargo build`). Screenshots at 320 and 1280 px go to SCREENSHOTS (default:
// tests/browser/screenshots/), and the print view is also saved there as an A4 PDF.
//
// What it checks: with the keyboard only, search by postcode, filter, open a record, add three
// records to a shortlist, note one, open the shared link in a fresh browser and see the same
// records and note, open the print view (QR codes, contact details, hours); axe-core finds no
// serious or critical violations on every page type; the pages work with JavaScript off; the
// map draws keyboard-operable markers with no tiles reachable; no page breaks its Content-Security-Policy.

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BIN = process.env.JUNCTION_BIN || join(root, "target/debug/junction");
const SHOTS = resolve(process.env.SCREENSHOTS || join(here, "screenshots"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PORT = 18000 + Math.floor(Math.random() * 2000);
const BASE = `http://127.0.0.1:${PORT}`;

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split("\n").join("\n  ")}`);
  }
}

async function startServer() {
  if (!existsSync(BIN)) throw new Error(`no server binary at ${BIN}: run cargo build first`);
  const dataDir = mkdtempSync(join(tmpdir(), "junction-browser-"));
  const server = spawn(BIN, ["serve"], {
    env: {
      ...process.env,
      JUNCTION_DATA_DIR: dataDir,
      JUNCTION_ADDR: `127.0.0.1:${PORT}`,
      // Nothing listens here: tiles fail at once, as they would offline.
      JUNCTION_TILE_URL: "http://127.0.0.1:9/{z}/{x}/{y}.png",
      JUNCTION_LOG: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${BASE}/readyz`);
      if (r.ok) return { server, dataDir };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error("the server did not become ready");
}

const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Records Content-Security-Policy violations on every page of `context`, in window.__csp. */
async function watchCsp(context) {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
}

async function noCspViolations(page, label) {
  const violations = await page.evaluate(() => window.__csp || []);
  assert.deepEqual(violations, [], `Content-Security-Policy violations on ${label}`);
}

async function axe(page, label) {
  // Evaluated through the DevTools protocol, not added as an inline script, which the pages'
  // Content-Security-Policy (rightly) blocks.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } })
  );
  await noCspViolations(page, label);
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const detail = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  assert.equal(bad.length, 0, `axe on ${label}:\n${detail.join("\n")}`);
}

async function shots(page, name) {
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Keyboard only: move focus to an element as Tab would, then press a key on it. */
async function press(page, selector, key = "Enter") {
  const el = page.locator(selector).first();
  await el.focus();
  await Promise.all([
    key === "Enter" || key === " " ? page.waitForLoadState("domcontentloaded") : Promise.resolve(),
    page.keyboard.press(key),
  ]);
}

async function submitBy(page, selector) {
  const el = page.locator(selector).first();
  await el.focus();
  await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
}

async function main() {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const { server, dataDir } = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watchCsp(context);
    const page = await context.newPage();
    // Map tiles asked for (they fail: nothing listens there), which a policy would have stopped.
    let tileRequests = 0;
    page.on("request", (r) => { if (r.url().startsWith("http://127.0.0.1:9/")) tileRequests++; });
    const pageTypes = {};

    let shareLink = "";
    await check("keyboard only: home → postcode search → filter → record → shortlist of three → print", async () => {
      await page.goto(`${BASE}/`);
      pageTypes.home = page.url();
      // The skip link is the first thing Tab reaches.
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), "Skip to main content");

      await page.locator("#near").focus();
      await page.keyboard.type("OL1 1HT");
      await submitBy(page, "#q");
      assert.match(page.url(), /\/search\?.*near=OL1\+1HT/);
      assert.match(await page.locator(".results-count").innerText(), /results? within 5 km of OL1 1HT/);

      // Filter: services only, through the form.
      await page.locator("#kind-service").focus();
      await page.keyboard.press("Space");
      assert.equal(await page.locator("#kind-service").isChecked(), true);
      await submitBy(page, ".filters button[type=submit]");
      assert.match(page.url(), /kind=service/);
      const resultsUrl = page.url();
      pageTypes.results = resultsUrl;
      const tags = await page.locator(".result .tag").allInnerTexts();
      assert.ok(tags.length > 3 && tags.filter((t) => t === "Service").length >= 3, `services only: ${tags}`);

      // Open a record, add it from its page.
      await submitBy(page, ".result__title a");
      assert.match(page.url(), /\/services\//);
      pageTypes.service = page.url();
      const firstName = await page.locator("h1").innerText();
      await submitBy(page, ".shortlist-toggle button");
      assert.match(await page.locator(".shortlist-toggle").first().innerText(), /On your shortlist/);

      // Back to the results; add two more from the list.
      await page.goto(resultsUrl);
      const adders = page.locator(".result .shortlist-toggle form[action='/shortlist/add'] button");
      for (let i = 0; i < 2; i++) {
        await adders.first().focus();
        await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
      }
      assert.match(await page.locator(".site-nav").innerText(), /Your shortlist \(3\)/);

      await submitBy(page, ".site-nav a[href^='/shortlist/']");
      assert.match(page.url(), /\/shortlist\/[a-z0-9_]{18}$/);
      pageTypes.shortlist = page.url();
      assert.equal(await page.locator(".shortlist__item").count(), 3);
      assert.ok((await page.locator(".shortlist__item h3").allInnerTexts()).includes(firstName));

      // A note, typed and submitted with Enter.
      await page.locator(".note-form .input").first().focus();
      await page.keyboard.type("Ask for Sam, bring ID");
      await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
      assert.equal(await page.locator(".note-form .input").first().inputValue(), "Ask for Sam, bring ID");
      // Personal details are refused with an error summary that links to the field.
      await page.locator(".note-form .input").nth(1).focus();
      await page.keyboard.type("Call her on 07700 900123");
      await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
      assert.match(await page.locator(".error-summary").innerText(), /phone number/);
      await shots(page, "shortlist-error");
      await axe(page, "shortlist with an error");
      await page.goto(pageTypes.shortlist);

      shareLink = await page.locator("#share-link").inputValue();
      assert.equal(shareLink, page.url());

      await submitBy(page, "a[href$='/print']");
      assert.match(page.url(), /\/print$/);
      pageTypes.print = page.url();
      assert.equal(await page.locator(".print-item").count(), 3);
      assert.equal(await page.locator(".print-item svg.qr").count(), 3);
      const text = await page.locator(".print-list").innerText();
      assert.match(text, /Phone: /);
      assert.match(text, /Opening hours:/);
      assert.match(text, /Note: Ask for Sam, bring ID/);
      await page.emulateMedia({ media: "print" });
      await page.screenshot({ path: join(SHOTS, "print-as-printed.png"), fullPage: true });
      await page.pdf({ path: join(SHOTS, "shortlist-A4.pdf"), format: "A4", printBackground: true });
      await page.emulateMedia({ media: "screen" });
    });

    await check("search-as-you-type: suggestions as a combobox; Down then Enter opens a record", async () => {
      await page.goto(`${BASE}/`);
      const q = page.locator("#q");
      assert.equal(await q.getAttribute("role"), "combobox");
      assert.equal(await q.getAttribute("aria-expanded"), "false");
      const listId = await q.getAttribute("aria-controls");
      assert.equal(listId, "q-suggestions");
      await q.focus();
      // "foo" is still being typed: it matches "food" as a prefix.
      await page.keyboard.type("foo", { delay: 30 });
      const options = page.locator(`#${listId} [role=option]`);
      await options.first().waitFor({ state: "visible", timeout: 10000 });
      assert.equal(await q.getAttribute("aria-expanded"), "true");
      const n = await options.count();
      assert.ok(n >= 1 && n <= 5, `${n} suggestions`);
      await page.waitForFunction(() => /suggestions? available|suggestions?\./.test(document.querySelector(".suggest [role=status]").textContent));
      assert.match(await page.locator(".suggest [role=status]").innerText(), new RegExp(`^${n} suggestions?`));
      await axe(page, "home with suggestions open");
      await shots(page, "suggestions");

      // Escape closes the list and keeps what was typed; Down opens it again on the first one.
      await page.keyboard.press("Escape");
      assert.equal(await q.getAttribute("aria-expanded"), "false");
      assert.equal(await q.inputValue(), "foo");
      await page.keyboard.press("ArrowDown");
      assert.equal(await q.getAttribute("aria-expanded"), "true");
      const first = options.first();
      assert.equal(await q.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
      assert.equal(await first.getAttribute("aria-selected"), "true");
      if (n > 1) {
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowUp");
        assert.equal(await q.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
      }
      const chosen = await first.locator(".suggest__name").innerText();
      await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
      assert.match(page.url(), /\/(services|spaces|organisations|assets)\/[0-9a-f-]{36}$/);
      assert.equal(await page.locator("h1").innerText(), chosen);

      // Enter with no suggestion chosen still submits the form.
      await page.goto(`${BASE}/`);
      await page.locator("#q").focus();
      await page.keyboard.type("food bank", { delay: 30 });
      await page.locator("#q-suggestions [role=option]").first().waitFor({ state: "visible", timeout: 10000 });
      await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.keyboard.press("Enter")]);
      assert.match(page.url(), /\/search\?q=food\+bank/);
    });

    await check("the shared link in a fresh browser shows the same records and note", async () => {
      assert.ok(shareLink, "no share link from the previous step");
      const fresh = await browser.newContext();
      const p = await fresh.newPage();
      await p.goto(shareLink);
      assert.equal(await p.locator(".shortlist__item").count(), 3);
      assert.equal(await p.locator(".note-form .input").first().inputValue(), "Ask for Sam, bring ID");
      // Not this browser's own shortlist: the header offers none.
      assert.match(await p.locator(".site-nav").innerText(), /Shortlist/);
      await fresh.close();
    });

    await check("other page types open", async () => {
      await page.goto(`${BASE}/search?kind=space&near=OL1+1HT`);
      await submitBy(page, ".result__title a");
      pageTypes.space = page.url();
      await page.goto(`${BASE}/search?kind=organisation`);
      await submitBy(page, ".result__title a");
      pageTypes.organisation = page.url();
      await page.goto(`${BASE}/search?kind=asset`);
      await submitBy(page, ".result__title a");
      pageTypes.asset = page.url();
      pageTypes.categories = `${BASE}/categories`;
      pageTypes.category = `${BASE}/categories/food`;
      pageTypes.map = `${BASE}/map?near=OL1+1HT&radius=10000`;
      pageTypes.noResults = `${BASE}/search?q=library&near=OL1+1HT&radius=1000&kind=asset&free=true`;
      pageTypes.searchError = `${BASE}/search?near=Atlantis`;
      pageTypes.notFound = `${BASE}/no-such-page`;
      pageTypes.accessibility = `${BASE}/accessibility`;
      pageTypes.privacy = `${BASE}/privacy`;
      pageTypes.acv = `${BASE}/acv`;
    });

    await check("an administrator sets a password from the emailed link and signs in with the keyboard", async () => {
      // `junction user create` prints the set-password link as its last line.
      const out = execFileSync(BIN, ["user", "create", "--email", "officer@example.org", "--role", "admin"], {
        env: { ...process.env, JUNCTION_DATA_DIR: dataDir, JUNCTION_LOG: "warn", JUNCTION_PUBLIC_URL: BASE },
        encoding: "utf8",
      });
      const link = out.trim().split("\n").pop();
      assert.match(link, /^http/, `no link in: ${out}`);
      pageTypes.login = `${BASE}/login`;
      pageTypes.passwordReset = `${BASE}/password-reset`;
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(link);
      await axe(p, "setPassword");
      await shots(p, "setPassword");
      await p.locator("#password").fill("a long enough passphrase 42");
      await p.locator("#confirm").fill("a long enough passphrase 42");
      await p.locator("#confirm").press("Enter");
      await p.waitForURL(/\/login/);
      // A wrong password first: the error summary takes focus and names the problem.
      await p.locator("#email").fill("officer@example.org");
      await p.locator("#password").fill("not the password");
      await p.locator("#password").press("Enter");
      await p.waitForLoadState("domcontentloaded");
      assert.match(await p.locator(".error-summary").innerText(), /Email or password is wrong/);
      await axe(p, "loginError");
      await shots(p, "loginError");
      await p.locator("#email").fill("officer@example.org");
      await p.locator("#password").fill("a long enough passphrase 42");
      await p.locator("#password").press("Enter");
      await p.waitForURL(/\/admin/);
      assert.match(await p.locator("h1").innerText(), /records/i);
      for (const [name, path] of [
        ["admin", "/admin"],
        ["adminUsers", "/admin/users"],
        ["adminReviews", "/admin/reviews"],
        ["adminSuggestions", "/admin/suggestions"],
        ["adminTransferCases", "/admin/transfer-cases"],
        ["adminErasure", "/admin/erasure"],
        ["adminAcv", "/admin/acv"],
        ["adminAcvNew", "/admin/acv/new"],
      ]) {
        await p.goto(`${BASE}${path}`, { waitUntil: "domcontentloaded" });
        await axe(p, name);
        await shots(p, name);
        await p.setViewportSize({ width: 320, height: 900 });
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= 320, `${name} is ${overflow}px wide at 320px`);
        await p.setViewportSize({ width: 1280, height: 900 });
      }
      await context.close();
    });

    for (const [name, url] of Object.entries(pageTypes)) {
      await check(`axe-core: no serious or critical violations on ${name}; screenshots at 320 and 1280 px`, async () => {
        await page.goto(url, { waitUntil: "domcontentloaded" });
        await page.waitForTimeout(name === "map" ? 500 : 50);
        await axe(page, name);
        await shots(page, name);
        // Nothing is wider than a 320 px screen.
        await page.setViewportSize({ width: 320, height: 900 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= 320, `${name} is ${overflow}px wide at 320px`);
        await page.setViewportSize({ width: 1280, height: 900 });
      });
    }

    // WCAG 1.4.10 and 1.4.4: a 1280×1024 window zoomed to 400% lays pages out in 320×256 CSS
    // pixels at four device pixels each. Every page must reflow into that without sideways
    // scrolling, with its heading on screen and nothing fixed covering the content.
    await check("every page type reflows at 400% zoom (1280×1024 window: 320×256 CSS px at 4×)", async () => {
      const zoomed = await browser.newContext({ viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 });
      const z = await zoomed.newPage();
      try {
        for (const [name, url] of Object.entries(pageTypes)) {
          await z.goto(url, { waitUntil: "domcontentloaded" });
          const layout = await z.evaluate(() => {
            const h1 = document.querySelector("h1");
            const fixed = [...document.querySelectorAll("body *")].filter((el) => {
              const pos = getComputedStyle(el).position;
              return (pos === "fixed" || pos === "sticky") && el.getBoundingClientRect().height > 0;
            });
            return {
              width: document.documentElement.scrollWidth,
              h1: h1 ? h1.getBoundingClientRect().right : null,
              fixedHeight: fixed.reduce((sum, el) => sum + el.getBoundingClientRect().height, 0),
            };
          });
          assert.ok(layout.width <= 320, `${name} is ${layout.width} CSS px wide at 400% zoom`);
          assert.ok(layout.h1 !== null && layout.h1 <= 320, `${name}: its h1 runs off the screen at 400% zoom`);
          assert.ok(layout.fixedHeight < 128, `${name}: fixed or sticky parts cover ${layout.fixedHeight} of 256 CSS px`);
          await z.screenshot({ path: join(SHOTS, `${name}-zoom400.png`) });
        }
      } finally {
        await zoomed.close();
      }
    });

    await check("the map draws markers without tiles and works from the keyboard, within the page's CSP", async () => {
      const response = await page.goto(pageTypes.map);
      const csp = response.headers()["content-security-policy"] || "";
      assert.match(csp, /script-src 'self';/);
      assert.match(csp, /img-src 'self' http:\/\/127\.0\.0\.1:9;/);
      tileRequests = 0;
      await page.waitForSelector(".jmap__marker", { timeout: 10000 });
      const markers = await page.locator(".jmap__marker").count();
      assert.ok(markers > 0);
      await page.locator(".jmap__marker").first().focus();
      await page.keyboard.press("Enter");
      const popup = page.locator(".jmap__popup");
      const cluster = (await page.locator(".jmap__popup").count()) === 0;
      if (cluster) {
        // A cluster zooms in; the markers are redrawn.
        await page.locator(".jmap__marker").first().focus();
        await page.keyboard.press("Enter");
      }
      await page.locator(".jmap").focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("+");
      assert.ok((await page.locator(".jmap__attribution").innerText()).includes("OpenStreetMap"));
      if ((await popup.count()) > 0) {
        await page.keyboard.press("Escape");
      }
      assert.ok(tileRequests > 0, "the map asked the tile server for tiles");
      await noCspViolations(page, "the map after panning and zooming");
    });

    await check("with JavaScript off: search, filter, shortlist and print still work", async () => {
      const nojs = await browser.newContext({ javaScriptEnabled: false });
      const p = await nojs.newPage();
      await p.goto(`${BASE}/`);
      await p.fill("#near", "OL2");
      await Promise.all([p.waitForNavigation(), p.press("#near", "Enter")]);
      assert.match(await p.locator(".results-count").innerText(), /results?/);
      await p.check("#open_now");
      await Promise.all([p.waitForNavigation(), p.click(".filters button[type=submit]")]);
      assert.match(p.url(), /open_now=true/);
      await p.goto(`${BASE}/search?near=OL2`);
      await Promise.all([p.waitForNavigation(), p.click(".result .shortlist-toggle button")]);
      await Promise.all([p.waitForNavigation(), p.click(".site-nav a[href^='/shortlist/']")]);
      assert.equal(await p.locator(".shortlist__item").count(), 1);
      await p.goto(p.url() + "/print");
      assert.equal(await p.locator(".print-item svg.qr").count(), 1);
      await p.goto(pageTypes.map);
      assert.match(await p.locator(".map__fallback").innerText(), /needs JavaScript/);
      assert.ok((await p.locator(".result").count()) > 0, "the list is there without the map");
      await nojs.close();
    });
  } finally {
    await browser.close();
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nscreenshots: ${SHOTS}`);
  if (failures) {
    console.log(`${failures} browser check(s) failed`);
    process.exit(1);
  }
  console.log("all browser checks passed");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
