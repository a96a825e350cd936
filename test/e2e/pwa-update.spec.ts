import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { expect, test } from "@playwright/test";

/**
 * The update prompt: the app is served from one build, its service worker installs ("ready to work offline"); the
 * server then deploys a second build (the same files with another version marker in index.html, and the service
 * worker's precache revision of index.html changed, as a real new build changes it). The next load finds the new
 * service worker waiting: the app offers "Reload to update", and taking it shows the new version.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

/** Copies the production build with a version marker in index.html and the service worker told it changed. */
function buildWithMarker(from: string, marker: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vitals-update-${marker}-`));
  cpSync(from, dir, { recursive: true });
  const index = join(dir, "index.html");
  writeFileSync(
    index,
    readFileSync(index, "utf8").replace("<head>", `<head>\n    <meta name="vitals-build" content="${marker}" />`),
  );
  const sw = join(dir, "sw.js");
  const text = readFileSync(sw, "utf8");
  const next = text.replace(/(url:"index\.html",revision:")[0-9a-f]+"/, `$1${marker}"`);
  expect(next, "sw.js precaches index.html with a revision").not.toBe(text);
  writeFileSync(sw, next);
  return dir;
}

test("a new deployed version is offered with Reload to update, and taking it shows the new version", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const built = resolve("dist/pwa");
  const first = buildWithMarker(built, "one");
  const second = buildWithMarker(built, "two");
  let root = first;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    let file = normalize(join(root, path.slice(1) || "index.html"));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, "index.html");
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "localhost", done));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  const marker = () => page.locator('meta[name="vitals-build"]').getAttribute("content");
  try {
    await page.goto(url);
    expect(await marker()).toBe("one");
    // The first install precaches the app: it says so once.
    const ready = page.getByRole("status").filter({ hasText: "Vitals is ready to work offline." });
    await expect(ready).toBeVisible({ timeout: 60_000 });
    await ready.getByRole("button", { name: "Dismiss" }).click();

    // Deploy the second build; the next load is still the first one (served by its service worker), which finds
    // the new one waiting and asks.
    root = second;
    await page.reload();
    expect(await marker()).toBe("one");
    const prompt = page.getByRole("status").filter({ hasText: "A new version of Vitals is ready." });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    // Later keeps the running version (an edit in progress is never lost to a reload).
    await prompt.getByRole("button", { name: "Later" }).click();
    await expect(prompt).toBeHidden();
    expect(await marker()).toBe("one");
    await page.reload();
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    await prompt.getByRole("button", { name: "Reload to update" }).click();
    await expect.poll(marker, { timeout: 60_000 }).toBe("two");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  }
});
