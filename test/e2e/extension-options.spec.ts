import { readFileSync } from "node:fs";
import { PWA_URL } from "./chromium.ts";
import {
  badgeAccount,
  badgeSet,
  importFile,
  openOptions,
  seedBadges,
  storedAccount,
  storedSetInfo,
} from "./extension-data.ts";
import { expect, test } from "./fixtures.ts";

const ACME = badgeAccount({ id: "acc-1", name: "Acme Corp", domains: ["acme.com"] });
const GLOBEX = badgeAccount({
  id: "acc-2",
  name: "Globex",
  domains: ["globex.io"],
  score: 41,
  shown: 41,
  grade: "D",
  color: "red",
  label: "At risk",
});

test("importing a badge file in the options page stores it and says how many accounts and from when", async ({
  extension,
}) => {
  const options = await openOptions(extension);
  await expect(options.getByTestId("source")).toContainText("No data yet");
  await importFile(options, "team-badges.json", JSON.stringify(badgeSet([ACME, GLOBEX])));
  await expect(options.getByRole("status")).toContainText("Imported 2 accounts from team-badges.json, scores made");
  await expect(options.getByTestId("source")).toContainText("2 accounts from the file team-badges.json");
  expect(await storedAccount(extension.background, "acc-2")).toMatchObject({ name: "Globex", shown: 41 });
});

test("a malformed badge file gives an error naming the file, the JSON path and the problem, and keeps the previous badges", async ({
  extension,
}) => {
  await seedBadges(extension, badgeSet([ACME, GLOBEX]), "good.json");
  const options = await openOptions(extension);
  const broken = badgeSet([ACME, { ...GLOBEX, score: 140 }]);
  await importFile(options, "broken.json", JSON.stringify(broken));
  const alert = options.getByRole("alert");
  await expect(alert).toContainText("broken.json was not imported; the badges you had are kept.");
  await expect(alert).toContainText("broken.json: $.accounts[1].score:");
  await expect(alert).toContainText("100");

  await importFile(options, "truncated.json", JSON.stringify(badgeSet([ACME])).slice(0, 40));
  await expect(alert).toContainText("truncated.json: $: not valid JSON");

  await importFile(options, "vitals-everything.json", JSON.stringify({ format: "vitals-bundle", version: 1 }));
  await expect(alert).toContainText('use "Export for the extension"');

  // Nothing of the bad files reached the store.
  await expect(options.getByTestId("source")).toContainText("2 accounts from the file good.json");
  expect(await storedAccount(extension.background, "acc-2")).toMatchObject({ name: "Globex", shown: 41 });
});

test("a file from the app's Export for the extension imports in the options page", async ({ extension }) => {
  // The first run creates, imports and scores 500 accounts with a year of data in the app's worker.
  test.setTimeout(240_000);
  const app = await extension.context.newPage();
  await app.goto(PWA_URL);
  await expect(app.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
  await app.getByRole("link", { name: "Data" }).click();
  const [download] = await Promise.all([
    app.waitForEvent("download"),
    app.getByRole("button", { name: "Export for the extension" }).click(),
  ]);
  await expect(app.getByRole("status").filter({ hasText: "with 500 accounts" })).toBeVisible();
  const fileName = download.suggestedFilename();
  expect(fileName).toMatch(/^vitals-badges-\d{4}-\d{2}-\d{2}\.json$/);
  const text = readFileSync(await download.path(), "utf8");

  const options = await openOptions(extension);
  await importFile(options, fileName, text);
  await expect(options.getByRole("status")).toContainText(`Imported 500 accounts from ${fileName}`, {
    timeout: 30_000,
  });
  await expect(options.getByTestId("source")).toContainText(`500 accounts from the file ${fileName}`);
  expect((await storedSetInfo(extension.background))?.pwaUrl).toBe(`${PWA_URL}/`);
});
