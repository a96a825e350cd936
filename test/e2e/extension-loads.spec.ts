import type { Worker } from "@playwright/test";
import { expect, serveFixture, test } from "./fixtures.ts";

/** URLs of the pages the extension's content script reported running on, newest first. */
function seenUrls(background: Worker): Promise<string[]> {
  return background.evaluate(async () => {
    const { seen } = await chrome.storage.session.get("seen");
    return ((seen ?? []) as { url: string }[]).map((s) => s.url);
  });
}

test("the built extension loads, its service worker starts and its content script runs on a supported site", async ({
  extension,
}) => {
  const { context, background, id } = extension;
  expect(id).toMatch(/^[a-p]{32}$/);
  const manifest = await background.evaluate(() => chrome.runtime.getManifest());
  expect(manifest.manifest_version).toBe(3);
  // The minimum (README, "Permissions"): no host permission up front, sites beyond the built-in ones only on request.
  expect(manifest.permissions).toEqual(["storage", "scripting", "activeTab"]);
  expect(manifest.host_permissions ?? []).toEqual([]);
  expect(manifest.optional_host_permissions).toEqual(["https://*/*", "http://*/*"]);

  const url = "https://acme.zendesk.com/agent/tickets/4812";
  await serveFixture(context, url, "zendesk-ticket.html");
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Login broken after SSO change" })).toBeVisible();

  // The content script announced itself; the background validated the message and recorded the page.
  await expect.poll(() => seenUrls(background)).toEqual([url]);
});

test("the content script does not run on sites the user has not enabled", async ({ extension }) => {
  const { context, background } = extension;
  const unrelated = "https://unrelated.example/agent/tickets/4812";
  const supported = "https://acme.zendesk.com/agent/tickets/4812";
  await serveFixture(context, unrelated, "zendesk-ticket.html");
  await serveFixture(context, supported, "zendesk-ticket.html");
  const page = await context.newPage();
  await page.goto(unrelated);
  await expect(page.getByRole("heading", { name: "Login broken after SSO change" })).toBeVisible();
  // Then a supported page in the same tab: once its report arrives, any report from the first page would have too.
  await page.goto(supported);
  await expect.poll(() => seenUrls(background)).toContain(supported);
  expect(await seenUrls(background)).toEqual([supported]);
});
