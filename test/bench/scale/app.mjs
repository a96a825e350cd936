// The app at tier M in real Chromium, on a kept profile (see ../scale.bench.mjs): cold starts to the dashboard and
// to an account page, a CSM's rating until every view shows it, and the JS heap after load.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { portFree, serve, setUp } from "../pwa.bench.mjs";
import { CHROMIUM_ARGS, freePort } from "../serve.mjs";
import { heapOf } from "./heap.mjs";

/** Bumped when the setup stores something else: older profiles are set up again. */
const SETUP_FORMAT = 1;
const DASHBOARD_MARK = "vitals:dashboard-rendered";
const SW_SETTLE_MS = Number(process.env.SW_SETTLE_MS ?? 2000);
const round = (x, digits = 1) => Number(x.toFixed(digits));

const launch = (profile, extra = {}) =>
  chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    ...extra,
  });

/**
 * In the page, from its first script on: records (page clock) the first moment the account page shows an account's
 * name, its score (a score badge in a scorecard's card) and its explanation (the card's factor table), and the
 * first moment the dashboard's mark exists, and says so on the console (`vitals-bench:ready`). A MutationObserver
 * and a PerformanceObserver, so no polling interval adds to the time; and the benchmark waits for that console line
 * rather than polling with Playwright's waitForFunction, whose injected script (compiled on the page's thread, ~11 ms
 * in traces) ran during the very start it measured.
 */
function watchReady() {
  window.__ready = {};
  const say = () => console.debug("vitals-bench:ready");
  const check = () => {
    if (window.__ready.account === undefined) {
      const h1 = document.querySelector("main h1, h1");
      const card = document.querySelector("section.card .score-line .badge");
      const table = document.querySelector("section.card table");
      if (h1 && h1.textContent !== "Account not found" && card && table) {
        window.__ready.account = performance.now();
        say();
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === "vitals:dashboard-rendered" && window.__ready.dashboard === undefined) {
        window.__ready.dashboard = entry.startTime;
        say();
      }
    }
  }).observe({ type: "mark" });
}

/**
 * In the page, from its first script on: plays the extension's bridge (answers the app's ping with the
 * extension's hello, as the bridge content script does) and records every badge set the app posts, and every delta
 * that carries the watched account (window.__watchId): when it came and what it says of that account.
 */
function watchBadgeSets() {
  window.__badgeSets = [];
  addEventListener("message", (event) => {
    const d = event.data;
    if (event.source !== window || d?.protocol !== "vitals-bridge/1") return;
    if (d.type === "app-ping") {
      window.postMessage({ protocol: "vitals-bridge/1", type: "extension-hello" }, location.origin);
    } else if (d.type === "badge-set" || d.type === "badge-delta") {
      // A delta (a few changed accounts, as after a rating) counts when it carries the watched account.
      const accounts = d.type === "badge-set" ? d.set.accounts : d.delta.accounts;
      const a = accounts.find((x) => x.id === window.__watchId);
      if (d.type === "badge-delta" && !a) return;
      window.__badgeSets.push({
        at: performance.now(),
        kind: d.type === "badge-set" ? "set" : "delta",
        accounts: accounts.length,
        shown: a ? a.shown : undefined,
      });
    }
  });
}

/** The tier M profile, set up when missing (minutes), primed (the first start scores and stores the views). */
export async function ensureProfile({
  profiles,
  tier,
  accounts,
  fresh,
  appDir,
  harnessDir,
  log,
  primeTimeoutMs,
  beforePrime,
}) {
  const profile = join(profiles, `tier-${tier}`);
  const readyFile = join(profiles, `tier-${tier}.json`);
  let ready = existsSync(readyFile) ? JSON.parse(readFileSync(readyFile, "utf8")) : undefined;
  if (
    fresh ||
    !ready ||
    ready.format !== SETUP_FORMAT ||
    ready.accounts !== accounts ||
    !existsSync(profile) ||
    !ready.accountId ||
    !(await portFree(ready.port))
  ) {
    ready = undefined;
  }
  const port = ready?.port ?? (await freePort());
  // The builds are served on one origin (its data lives there); a baseline build takes its turns (`use`).
  const served = { appDir };
  const server = await serve(() => served.appDir, harnessDir, port);
  const origin = `http://127.0.0.1:${port}`;
  if (!ready) {
    log(`tier ${tier}: storing ${accounts} accounts in a new profile at ${profile} (origin ${origin}; minutes)…`);
    const t0 = performance.now();
    const stored = await setUp(profile, origin, accounts, log);
    log(`tier ${tier}: stored ${JSON.stringify(stored)}`);
    ready = { format: SETUP_FORMAT, accounts, port, stored, setupSeconds: round((performance.now() - t0) / 1000) };
  } else log(`tier ${tier}: reusing the profile at ${profile} (set up in ${ready.setupSeconds} s; origin ${origin})`);
  // Before this build's first start may upgrade the store: a baseline build of an older schema opens a copy from here.
  beforePrime?.(profile);
  await prime({ profile, origin, accounts, ready, primeTimeoutMs, log, what: `tier ${tier}` });
  writeFileSync(readyFile, JSON.stringify(ready, null, 2));
  return {
    profile,
    origin,
    ready,
    /** Serves `dir` (a build) from now on. */
    use: (dir) => {
      served.appDir = dir;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * A copy of `profile` at `to` (taken when no browser has it open), for another build to run on the same data: the
 * baseline build's own service worker and stored views then never mix with this build's.
 */
export function copyProfile(profile, to) {
  rmSync(to, { recursive: true, force: true });
  cpSync(profile, to, { recursive: true });
  return to;
}

/**
 * The first start of a build on a profile: installs the build being served (the profile's service worker would serve
 * the one it cached) and lets the app do what it does after new data or a new build (score, store views), untimed.
 * Picks the account the ratings and account pages open when `ready` has none.
 */
export async function prime({ profile, origin, accounts, ready, primeTimeoutMs, log, what }) {
  const t0 = performance.now();
  // The previous build's service worker goes first, in a browser of its own: an unregistered worker is removed only
  // once its last page closes, and the app registering the new build in that same browser revived the old
  // registration, which the browser then dropped on closing (the next starts had no service worker at all).
  const clearing = await launch(profile);
  try {
    const page = clearing.pages()[0] ?? (await clearing.newPage());
    await page.goto(`${origin}/`);
    await page.evaluate(async () => {
      for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
      for (const key of await caches.keys()) await caches.delete(key);
    });
  } finally {
    await clearing.close();
  }
  const context = await launch(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    await page.goto(`${origin}/`);
    await waitOrExplain(
      page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, DASHBOARD_MARK, {
        timeout: primeTimeoutMs,
        polling: 200,
      }),
      `the first start (scoring ${accounts} accounts) did not render the dashboard within ${primeTimeoutMs / 1000} s`,
    );
    // A CSM's browser keeps the app's service worker once it has installed (it precaches the build): the timed
    // starts then load the app from it, as every start after the first does. Closing the browser before the install
    // finished left the next starts loading from the server (and installing again, meanwhile).
    await waitOrExplain(
      page.waitForFunction(
        async () => (await navigator.serviceWorker?.getRegistration())?.active?.state === "activated",
        undefined,
        { timeout: primeTimeoutMs, polling: 200 },
      ),
      `the app's service worker did not install and activate within ${primeTimeoutMs / 1000} s`,
    );
    // The browser writes the registration down a moment after it activates: closing at once lost it.
    await page.waitForTimeout(SW_SETTLE_MS);
    if (!ready.accountId) {
      // An account with a score, a few hundred rows down the table as the app sorts it.
      await page.evaluate(() => {
        location.hash = "#/accounts";
      });
      await page.locator(".accounts-table tbody tr a").first().waitFor({ timeout: 120_000 });
      ready.accountId = await page.evaluate(() => {
        const rows = [...document.querySelectorAll(".accounts-table tbody tr")].filter((tr) =>
          /^\d+$/.test(tr.querySelector(".badge-points")?.textContent ?? ""),
        );
        const href = rows[Math.min(rows.length - 1, 7)]?.querySelector("a")?.getAttribute("href") ?? "";
        return decodeURIComponent(href.replace(/^#\/accounts\//, ""));
      });
      if (!ready.accountId) throw new Error("no scored account in the accounts table to open");
      ready.accountName = await page
        .locator(`.accounts-table a[href="#/accounts/${encodeURIComponent(ready.accountId)}"]`)
        .textContent();
    }
  } finally {
    await context.close();
  }
  // Checked: a new browser's page is the service worker's. The browser writes the registration down some time after
  // the worker activates, and closing it before then loses it: each try leaves it longer.
  for (let attempt = 1; ; attempt++) {
    const check = await launch(profile);
    try {
      const page = check.pages()[0] ?? (await check.newPage());
      await page.goto(`${origin}/`);
      if (await page.evaluate(() => Boolean(navigator.serviceWorker?.controller))) break;
      if (attempt === 4) {
        throw new Error(
          `${what}: after the first start, a new browser's page was not loaded by the app's service worker`,
        );
      }
      await page.waitForFunction(
        async () => (await navigator.serviceWorker?.getRegistration())?.active?.state === "activated",
        undefined,
        { timeout: primeTimeoutMs, polling: 200 },
      );
      await page.waitForTimeout(SW_SETTLE_MS * attempt);
    } finally {
      await check.close();
    }
  }
  log(
    `${what}: first start of this build (scoring when needed) took ${round((performance.now() - t0) / 1000)} s; account ${ready.accountId}`,
  );
}

/** Awaits `promise`; a timeout becomes `message`. */
async function waitOrExplain(promise, message) {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`${message}: ${String(error?.message ?? error).split("\n")[0]}`);
  }
}

/**
 * One cold start: a new browser process on the profile, left `settleMs` to finish its own start, opening `hash`
 * until the dashboard's mark (`what`: "dashboard") or the account's score and explanation in the DOM ("account").
 * Returns navigation start → ready (ms, page clock), browser launch → ready less the settling, and (when `heap`) the
 * JS heap of the page and its workers after load.
 */
export async function coldStart({ profile, origin, hash, what, timeoutMs, heap, log, settleMs = 0 }) {
  const launched = performance.now();
  const context = await launch(profile);
  try {
    await context.addInitScript(watchReady);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    // The browser's own start first (see SETTLE_MS in ../scale.bench.mjs): the app then opens in a running browser.
    if (settleMs > 0) await page.waitForTimeout(settleMs);
    const readyAt =
      what === "dashboard" ? (mark) => performance.getEntriesByName(mark)[0]?.startTime : () => window.__ready?.account;
    // The page says when what is timed shows (watchReady); the wait checks the time is there (a console line of a
    // page the app may have opened first, such as a dashboard before an account, is passed over).
    const shown = (async () => {
      for (;;) {
        await page.waitForEvent("console", {
          predicate: (message) => message.text() === "vitals-bench:ready",
          timeout: timeoutMs,
        });
        if ((await page.evaluate(readyAt, DASHBOARD_MARK)) !== undefined) return;
      }
    })();
    shown.catch(() => undefined);
    await page.goto(`${origin}/${hash}`);
    try {
      await shown;
    } catch (error) {
      // What the page showed instead, so a failure says more than "timeout".
      const shown = await page
        .evaluate(() => document.body?.textContent?.replace(/\s+/g, " ").slice(0, 400) ?? "")
        .catch(() => "(could not read the page)");
      throw new Error(
        `the ${what} (${hash || "/"}) did not show within ${timeoutMs / 1000} s of a cold start (the page showed: "${shown}"): ${String(error?.message ?? error).split("\n")[0]}`,
      );
    }
    const wallMs = performance.now() - launched - settleMs;
    const ms = await page.evaluate(readyAt, DASHBOARD_MARK);
    const serviceWorker = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
    const heapNow = heap ? await heapOf(context, page) : undefined;
    return { ms, wallMs, serviceWorker, heap: heapNow };
  } finally {
    await context.close();
  }
}

/** In the page: the shown points of the account page's primary score (the card marked "primary"). */
function primaryPoints() {
  const card = [...document.querySelectorAll("section.card")].find((s) => s.querySelector("h2 .pill"));
  return card?.querySelector(".score-line .badge-points")?.textContent ?? null;
}

/**
 * In the page: records the rating `value` of the form's first factor, and times, from the click on Record rating:
 * the account page showing it (the rating region says "Latest: <value>", read from the reloaded account), then the
 * accounts-table row showing the account's new score (Search filtered to its name), and the first badge set posted
 * after the click that gives the account that score. Each wait gives up after `timeoutMs`.
 */
async function rateAndWatch([value, id, name, timeoutMs]) {
  const until = performance.now() + timeoutMs;
  const waitUntil = async (label, test) => {
    for (;;) {
      const v = test();
      if (v) return v;
      if (performance.now() > until)
        throw new Error(`rating ${value}: ${label} did not show within ${timeoutMs / 1000} s`);
      await new Promise((r) => requestAnimationFrame(r));
    }
  };
  const region = [...document.querySelectorAll("section")].find(
    (s) => s.querySelector("h2")?.textContent === "CSM rating",
  );
  if (!region) throw new Error("no CSM rating region on the account page");
  const radio = [...region.querySelectorAll('input[type="radio"]')].find((r) =>
    r.closest("label")?.textContent?.trim().startsWith(`${value} `),
  );
  if (!radio) throw new Error(`no radio for rating ${value}`);
  radio.click();
  const button = [...region.querySelectorAll("button")].find((b) => b.textContent === "Record rating");
  if (!button) throw new Error("no Record rating button");
  const before = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  button.click();
  await waitUntil("the account page", () => region.textContent.includes(`Latest: ${value} `) && !button.disabled);
  const pageAt = performance.now();
  // The shown points of the primary score (the card marked "primary"), as the account page now shows them.
  const primary = [...document.querySelectorAll("section.card")].find((s) => s.querySelector("h2 .pill"));
  const points = primary?.querySelector(".score-line .badge-points")?.textContent ?? null;
  const badgeWait = waitUntil("the badge set", () =>
    window.__badgeSets.find((b) => b.at > t0 && String(b.shown ?? "—") === String(points ?? "—")),
  );
  location.hash = "#/accounts";
  const input = await waitUntil("the accounts table", () => document.querySelector('input[type="search"]'));
  input.value = name;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const href = `#/accounts/${encodeURIComponent(id)}`;
  await waitUntil("the accounts-table row", () => {
    const row = document.querySelector(`.accounts-table a[href="${CSS.escape(href)}"]`)?.closest("tr");
    return row && row.querySelector(".badge-points")?.textContent === points;
  });
  const tableAt = performance.now();
  const badge = await badgeWait;
  void before;
  return {
    points,
    accountPageMs: pageAt - t0,
    tableRowMs: tableAt - t0,
    badgeSetMs: badge.at - t0,
    badgeSetAccounts: badge.accounts,
    badgeSetKind: badge.kind,
    ms: Math.max(pageAt, tableAt, badge.at) - t0,
  };
}

/**
 * `runs` ratings of the account, in one browser process on the profile (as a CSM on the account page), alternating
 * 1 and 5 so each changes the score; between runs the account page is opened again (untimed).
 */
export async function ratings({ profile, origin, accountId, accountName, runs, timeoutMs, log }) {
  const context = await launch(profile);
  const out = [];
  try {
    await context.addInitScript(watchReady);
    await context.addInitScript(watchBadgeSets);
    await context.addInitScript((id) => {
      window.__watchId = id;
    }, accountId);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    const hash = `#/accounts/${encodeURIComponent(accountId)}`;
    await page.goto(`${origin}/${hash}`);
    await page.getByLabel("Your name").fill("Bench CSM", { timeout: timeoutMs });
    for (let i = 0; i < runs; i++) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.getByRole("button", { name: "Record rating" }).waitFor({ timeout: timeoutMs });
      // Waits for the badge set the app publishes after start (the extension's hello) before the first run.
      if (i === 0) await page.waitForFunction(() => window.__badgeSets.length > 0, null, { timeout: timeoutMs });
      const latest = await page.evaluate(() => {
        const region = [...document.querySelectorAll("section")].find(
          (s) => s.querySelector("h2")?.textContent === "CSM rating",
        );
        return /Latest: (\d)/.exec(region?.textContent ?? "")?.[1];
      });
      const value = latest === "1" ? 5 : 1;
      const before = await page.evaluate(primaryPoints);
      const r = await page.evaluate(rateAndWatch, [value, accountId, accountName, timeoutMs]);
      log(
        `rating ${i + 1} (${value}, score ${before} → ${r.points}): ${round(r.ms)} ms (account page ${round(r.accountPageMs)}, table row ${round(r.tableRowMs)}, badge ${r.badgeSetKind} ${round(r.badgeSetMs)} of ${r.badgeSetAccounts} accounts)`,
      );
      out.push({ ...r, value, before });
    }
  } finally {
    await context.close();
  }
  return out;
}
