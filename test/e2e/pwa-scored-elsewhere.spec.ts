import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

/**
 * Results back in (issue 20): a results file (the CSV of `vitals score --format csv` and `vitals sql`) imported on
 * the Data page is a read-only portfolio scored elsewhere. The file is docs/formats.md's documented example.
 */

test.setTimeout(300_000);

const RESULTS = (/<!-- checked: score-csv -->\s*```csv\n([\s\S]*?)```/.exec(
  readFileSync("docs/formats.md", "utf8"),
)?.[1] ?? "") as string;

async function openData(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
  await page.getByRole("link", { name: "Data" }).click();
  await expect(page.getByRole("heading", { name: "Results scored elsewhere" })).toBeVisible();
}

const csvFile = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

test("a results file is shown as scored elsewhere, read-only, until the app's own scores come back", async ({
  page,
}) => {
  expect(RESULTS).toContain("a1,Acme,example,69");
  await openData(page);
  const section = page.getByRole("region", { name: "Results scored elsewhere" });

  // A bad file: every problem by file, line and column, and nothing imported.
  const bad = RESULTS.replace("a2,Globex,example,46,D,At risk,red", "a2,Globex,example,4x6,D,At risk,purple");
  await section.getByLabel("Results file").setInputFiles(csvFile("bad-results.csv", bad));
  await section.getByLabel("Scored as of").fill("2025-03-01");
  await section.getByRole("button", { name: "Import results" }).click();
  const alert = section.getByRole("alert");
  await expect(alert).toContainText("Nothing was imported");
  await expect(alert).toContainText('bad-results.csv:3: score: "4x6" is not a number');
  await expect(alert).toContainText("bad-results.csv:3: color:");
  await section
    .getByLabel("Results file")
    .setInputFiles(csvFile("no-grade.csv", RESULTS.replace(",grade,", ",grades,")));
  await section.getByRole("button", { name: "Import results" }).click();
  await expect(alert).toContainText('no-grade.csv:1: missing column "grade"');
  await expect(section).not.toContainText("Now showing");

  // The good file.
  await section.getByLabel("Results file").setInputFiles(csvFile("warehouse-results.csv", RESULTS));
  await section.getByRole("button", { name: "Import results" }).click();
  await expect(
    section
      .getByRole("status")
      .filter({ hasText: "Showing 3 accounts scored elsewhere (warehouse-results.csv, as of 2025-03-01)" }),
  ).toBeVisible({ timeout: 60_000 });

  // The dashboard is the file's: three accounts, two scored, as of its day, and says where it came from.
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Portfolio as of 2025-03-01" })).toBeVisible({ timeout: 60_000 });
  const note = page.getByTestId("scored-elsewhere");
  await expect(note).toContainText(
    "Scored elsewhere: these are the results in warehouse-results.csv, as of 2025-03-01",
  );
  await expect(page.locator(".kpi").first()).toContainText("3");
  await expect(page.locator(".kpi").first()).toContainText("2 scored");

  // The accounts table lists the file's accounts; an account page shows its result as the file gives it.
  await page.getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByTestId("scored-elsewhere")).toBeVisible();
  await expect(page.getByRole("link", { name: "Globex" })).toBeVisible({ timeout: 60_000 });
  await page.getByRole("link", { name: "Acme" }).click();
  await expect(page.getByRole("heading", { name: "Acme" })).toBeVisible();
  await expect(page.getByTestId("scored-elsewhere")).toContainText("warehouse-results.csv");
  await expect(page.getByTestId("scored-elsewhere")).toContainText("does not rescore them");
  const result = page.getByRole("region", { name: "example" });
  await expect(result).toContainText("Good");
  await expect(result).toContainText("69");
  await expect(result).toContainText("NPS");
  await expect(result).toContainText("License utilization");
  // No rating form: ratings here could not change a score computed elsewhere.
  await expect(page.getByRole("region", { name: "CSM rating" })).toHaveCount(0);

  // The scorecards say so too, and a reload (a cold start) still shows the file's portfolio.
  await page.getByRole("link", { name: "Scorecards" }).click();
  await expect(page.getByTestId("scored-elsewhere")).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Portfolio as of 2025-03-01" })).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId("scored-elsewhere")).toBeVisible();

  // Back to the app's own scores: the demo portfolio again, no note.
  await page.getByRole("link", { name: "Data" }).click();
  await expect(section).toContainText("Now showing warehouse-results.csv, as of 2025-03-01 (3 accounts)");
  await section.getByRole("button", { name: "Show the app's own scores" }).click();
  await expect(section.getByRole("status")).toContainText("Showing the app's own scores again.");
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.locator(".kpi").first()).toContainText("500", { timeout: 150_000 });
  await expect(page.getByTestId("scored-elsewhere")).toHaveCount(0);
});
