import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Worker } from "@playwright/test";
import { BRIDGE_PAGE_PROTOCOL } from "../../core/schema/bridge.ts";
import { badgeText } from "../../extension/badge/format.ts";
import { badgeTexts, focusBadge, openCard } from "./badge-roots.ts";
import { APP_URL } from "./chromium.ts";
import { badgeAccount, badgeSet, storedAccount, storedSetInfo } from "./extension-data.ts";
import { type ExtensionFixture, expect, test } from "./fixtures.ts";

/** The set the extension refused last, as the popup and the options page read it. */
function refusal(background: Worker): Promise<{ origin: string; reason: string } | undefined> {
  return background.evaluate(async () => {
    const { pairing } = await chrome.storage.local.get("pairing");
    return (pairing as { refused?: { origin: string; reason: string } } | undefined)?.refused;
  });
}

/** Opens the popup as a page (a toolbar popup describes the active tab; these checks need no tab). */
async function openPopup(extension: ExtensionFixture): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html`);
  await expect(popup.getByRole("heading", { name: "Vitals", exact: true })).toBeVisible();
  return popup;
}

/**
 * A page that is not Vitals, served on this computer on its own port, speaking the bridge's page protocol: it asks
 * whether an extension listens and posts a badge set of its own when one answers (`document.title` says so).
 */
async function servePretender(set: unknown): Promise<{ port: number; close(): void }> {
  const script = `
    const set = ${JSON.stringify(set)};
    addEventListener("message", (event) => {
      if (event.source !== window || event.data?.type !== "extension-hello") return;
      document.title = "bridge answered";
      postMessage({ protocol: "${BRIDGE_PAGE_PROTOCOL}", type: "badge-set", set }, location.origin);
    });
    postMessage({ protocol: "${BRIDGE_PAGE_PROTOCOL}", type: "app-ping" }, location.origin);`;
  const body = `<!doctype html><title>Help desk login</title><h1>Help desk login</h1><script>${script}</script>`;
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(body));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

// The first run creates, imports and scores 500 accounts with a year of data in the app's worker.
test.setTimeout(240_000);

test("the extension pairs with one app, refuses a set from any other page on this computer, and the paired app feeds the badges by itself", async ({
  extension,
}) => {
  const { context, background } = extension;
  const page = await context.newPage();
  // The app on its own host name but not on npm start's port: before pairing, the extension trusts only that port.
  await page.goto(APP_URL);
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });

  // Its set is refused, nothing is stored, and the popup offers to switch to it.
  await expect
    .poll(() => refusal(background), { timeout: 60_000 })
    .toMatchObject({ origin: APP_URL, reason: "origin" });
  expect(await storedSetInfo(background)).toBeUndefined();
  const popup = await openPopup(extension);
  await expect(popup.getByRole("alert")).toContainText(`Refused data from ${APP_URL}`);
  await popup.getByRole("button", { name: `Use the Vitals app at ${APP_URL}` }).click();
  await expect(popup.getByTestId("app-origin")).toContainText(`Badges come only from the Vitals app at ${APP_URL}`);
  await popup.close();

  // Paired: the bridge asks the open app again; the app posts its set; the background stores it with the app's origin.
  await expect
    .poll(() => storedSetInfo(background), { timeout: 60_000 })
    .toMatchObject({ source: { kind: "bridge", origin: APP_URL }, accounts: 500, pwaUrl: `${APP_URL}/` });

  // A page that is not Vitals, on other 127.0.0.1 ports, posts a set naming one of the user's accounts.
  const victim = await storedAccount(background, "demo-0001");
  if (!victim) throw new Error("no stored badge for demo-0001");
  const fake = badgeSet([
    badgeAccount({
      id: victim.id,
      name: "Re-authenticate at http://127.0.0.1:31337/login",
      score: 99,
      shown: 99,
      grade: "A",
    }),
  ]);
  const pretender = await servePretender({ ...fake, pwaUrl: "http://127.0.0.1:31337/login" });
  try {
    // On 127.0.0.1 the bridge does not even run: nobody answers the page.
    const plain = await context.newPage();
    await plain.goto(`http://127.0.0.1:${pretender.port}/`);
    await expect(plain.getByRole("heading", { name: "Help desk login" })).toBeVisible();
    // On the app's host name (this computer too) it runs, and the background refuses what the page sends.
    const lookalike = await context.newPage();
    const lookalikeOrigin = `http://vitals.localhost:${pretender.port}`;
    await lookalike.goto(`${lookalikeOrigin}/`);
    await expect(lookalike).toHaveTitle("bridge answered");
    await expect.poll(() => refusal(background), { timeout: 30_000 }).toMatchObject({ origin: lookalikeOrigin });
    // By then the plain page, loaded first, would have been answered too.
    await expect(plain).toHaveTitle("Help desk login");

    // The badges are unchanged, and the popup names the refused origin with a button to switch.
    expect(await storedSetInfo(background)).toMatchObject({
      source: { kind: "bridge", origin: APP_URL },
      accounts: 500,
      pwaUrl: `${APP_URL}/`,
    });
    expect(await storedAccount(background, victim.id)).toEqual(victim);
    const refused = await openPopup(extension);
    await expect(refused.getByRole("alert")).toContainText(`Refused data from ${lookalikeOrigin}`);
    await expect(refused.getByRole("button", { name: `Use the Vitals app at ${lookalikeOrigin}` })).toBeVisible();
    await expect(refused.getByTestId("source")).toContainText(`500 accounts from the Vitals app at ${APP_URL}`);
    await refused.close();
    await lookalike.close();
    await plain.close();
  } finally {
    pretender.close();
  }

  // An Enterprise account's page: override its score.
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByLabel("Segment").selectOption("Enterprise");
  const link = page.locator(".accounts-table tbody tr a").first();
  const name = (await link.textContent()) ?? "";
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const id = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/accounts\//, ""));
  const before = await storedAccount(background, id);
  expect(before?.name).toBe(name);
  expect(before?.override).toBeUndefined();

  await page.getByLabel("Your name").fill("Ana CSM");
  const override = page.getByRole("region", { name: "Override" });
  await override.getByLabel("Score (0–100)").fill("35");
  await override.getByLabel("Reason (required)").fill("Legal review blocks the renewal");
  await override.getByRole("button", { name: /^Set override/ }).click();
  const saved = Date.now();
  await expect(override.getByRole("status").last()).toContainText("Override saved until");

  // No export, no import: the stored badge changes by itself.
  await expect
    .poll(async () => (await storedAccount(background, id))?.override?.text, { timeout: 30_000 })
    .toBe("Overridden to 35 by Ana CSM: Legal review blocks the renewal");
  // Reported, not asserted (tests never assert wall-clock times): the goal is 2 s.
  test.info().annotations.push({ type: "bridge latency (ms)", description: String(Date.now() - saved) });
  expect((await storedSetInfo(background))?.source).toEqual({ kind: "bridge", origin: APP_URL });

  // A support ticket naming the account, open in the same profile, shows its badge...
  const account = await storedAccount(background, id);
  if (!account) throw new Error(`no stored badge for ${id}`);
  const html = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const ticketUrl = "https://acme.zendesk.com/agent/tickets/4812";
  const body = readFileSync("test/fixtures/pages/zendesk-ticket.html", "utf8")
    .replaceAll("Northwind Traders", html(account.name))
    .replaceAll("northwind.example", account.domains[0] ?? "nobody.example")
    .replaceAll("360001", "0");
  await context.route(ticketUrl, (route) => route.fulfill({ status: 200, contentType: "text/html", body }));
  const ticket = await context.newPage();
  await ticket.goto(ticketUrl);
  const pill = () => badgeTexts(ticket, '[data-test-id="tabs-nav-item-organizations"] + vitals-badge');
  await expect.poll(pill).toEqual([badgeText(account)]);
  // ...whose card says why the score moved, in the words of the app's account page (issue 18, item 5): the same
  // sentence, or its shorter form with the same head when the page's is longer than a card holds.
  expect(account.why, "the badge carries the score's change in words").toBeTruthy();
  const why = account.why as string;
  // Their text, not their rendered text: a card scrolled away is not laid out (content-visibility), and a box
  // that is not laid out has no innerText.
  const sentences = (await page.locator(".change-sentence").allTextContents()).map((s) => s.trim());
  const head = (sentence: string) => sentence.split(":")[0];
  expect(
    sentences.some((sentence) => (sentence.length <= 400 ? sentence === why : head(sentence) === head(why))),
    `${why} among ${JSON.stringify(sentences)}`,
  ).toBe(true);
  await focusBadge(ticket, '[data-test-id="tabs-nav-item-organizations"]');
  await expect.poll(async () => (await openCard(ticket))?.text ?? "").toContain(why);

  // ...and follows a CSM rating in the app (which rescores) with no reload and no manual step.
  await page.bringToFront();
  const sentiment = page.getByRole("region", { name: "CSM rating" });
  // The opposite of where the score stands, so the rating moves it.
  const [rating, words] = (account.score ?? 0) < 50 ? ["5", "very happy"] : ["1", "very unhappy"];
  await sentiment.getByRole("radio", { name: `${rating} — ${words}` }).check();
  await sentiment.getByRole("button", { name: "Record rating" }).click();
  await expect(sentiment.getByRole("status")).toContainText(`Sentiment ${rating} (${words}) recorded`, {
    timeout: 120_000,
  });
  const rescored = Date.now();
  await expect
    .poll(async () => (await storedAccount(background, id))?.score, { timeout: 30_000 })
    .not.toBe(account.score);
  const after = (await storedAccount(background, id)) as NonNullable<typeof account>;
  expect(after.shown).not.toBeNull();
  await expect.poll(pill, { timeout: 30_000 }).toEqual([badgeText(after)]);
  test
    .info()
    .annotations.push({ type: "rescore to badge on the page (ms)", description: String(Date.now() - rescored) });
});
