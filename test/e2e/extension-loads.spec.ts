import type { Worker } from "@playwright/test";
import { SUPPORTED_SITE_MATCHES } from "../../extension/sites/hosts.ts";
import { expect, serveFixture, test } from "./fixtures.ts";

/** URLs of the pages the background ran the badges on, newest first. */
function seenUrls(background: Worker): Promise<string[]> {
  return background.evaluate(async () => {
    const { seen } = await chrome.storage.session.get("seen");
    return ((seen ?? []) as { url: string }[]).map((s) => s.url);
  });
}

test("the built extension loads, its service worker starts and runs the badges on a supported site once it loaded", async ({
  extension,
}) => {
  const { context, background, id } = extension;
  expect(id).toMatch(/^[a-p]{32}$/);
  const manifest = await background.evaluate(() => chrome.runtime.getManifest());
  expect(manifest.manifest_version).toBe(3);
  // The minimum (README, "Permissions"): the built-in sites up front, sites beyond them only on request; no content
  // script on any site (only the bridge, on the app's own address) and no file a page can load.
  expect(manifest.permissions).toEqual(["storage", "scripting", "activeTab"]);
  expect(manifest.host_permissions).toEqual([...SUPPORTED_SITE_MATCHES]);
  expect(manifest.optional_host_permissions).toEqual(["https://*/*", "http://*/*"]);
  expect(manifest.content_scripts?.map((c) => c.matches)).toEqual([["http://vitals.localhost/*"]]);
  expect(manifest.web_accessible_resources ?? []).toEqual([]);

  const url = "https://acme.zendesk.com/agent/tickets/4812";
  await serveFixture(context, url, "zendesk-ticket.html");
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Login broken after SSO change" })).toBeVisible();

  // The page loaded; the background ran the badges in it and recorded the page.
  await expect.poll(() => seenUrls(background)).toEqual([url]);
});

test("the badges do not run on sites the user has not enabled", async ({ extension }) => {
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
