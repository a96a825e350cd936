// Takes the README's screenshots of the production build with the demo portfolio: `node scripts/screenshots.mjs`
// after `npm run build:pwa`. Uses Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium), like the tests.
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";

const port = 5399;
const server = spawn(
  process.execPath,
  [
    "node_modules/vite/bin/vite.js",
    "preview",
    "--config",
    "pwa/vite.config.ts",
    "--port",
    String(port),
    "--strictPort",
  ],
  { stdio: "ignore" },
);
try {
  await new Promise((r) => setTimeout(r, 1500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  await page.goto(`http://localhost:${port}/`);
  await page.waitForSelector(".kpi-value", { timeout: 180_000 });
  // Let the service worker's "ready to work offline" toast come and go out of the picture.
  await page
    .getByRole("button", { name: "Dismiss" })
    .click({ timeout: 10_000 })
    .catch(() => undefined);
  await page.waitForTimeout(500);
  await page.screenshot({ path: "docs/dashboard.png", fullPage: true });
  const link = page.getByRole("region", { name: "Renewals in 90 days, not green" }).getByRole("link").first();
  await link.click();
  await page.waitForSelector(".score-line");
  await page.waitForTimeout(500);
  await page.screenshot({ path: "docs/account.png", fullPage: true });
  // The same account on a phone (390×844), its primary score card at the top: the score, why it moved, what pulls it
  // down, and the factor table (whole-word headers, scrolling sideways in its own box).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page
    .locator("section.card", { has: page.locator(".score-line") })
    .first()
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
  await page.waitForTimeout(300);
  await page.screenshot({ path: "docs/phone.png" });
  await browser.close();
  console.log("wrote docs/dashboard.png, docs/account.png and docs/phone.png");
} finally {
  server.kill();
}
