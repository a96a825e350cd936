import { expect, test } from "@playwright/test";

/** Reads width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("the web manifest makes the PWA installable", async ({ page, request }) => {
  // The served page does not link it (the browser would fetch and decode its icon during a cold start): the app
  // links it once its first screen is up.
  const html = await (await request.get("/")).text();
  expect(html).toContain('<div id="app">');
  expect(html).not.toContain('rel="manifest"');
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href", { timeout: 30_000 });
  expect(href).toBeTruthy();
  const manifestUrl = new URL(href ?? "", page.url()).toString();
  const response = await request.get(manifestUrl);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest.name).toContain("Vitals");
  expect(manifest.short_name).toBe("Vitals");
  expect(manifest.display).toBe("standalone");
  expect(new URL(manifest.start_url, manifestUrl).origin).toBe(new URL(page.url()).origin);

  for (const size of [192, 512]) {
    const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? "any") === "any");
    expect(icon, `an "any" icon of ${size}x${size}`).toBeDefined();
    const png = await request.get(new URL(icon?.src ?? "", manifestUrl).toString());
    expect(png.ok()).toBe(true);
    expect(pngSize(await png.body())).toEqual({ width: size, height: size });
  }
});
