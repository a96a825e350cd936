import { expect, test } from "@playwright/test";
import { firstRun } from "../support/pwa.ts";

/**
 * The scorecard editor warns, live, of what the data cannot give the draft: an attribute no account has (a name in
 * the wrong case, with the nearest name and how many accounts have it) and a category no account has. Fixing the
 * draft clears the warning. Nothing is saved.
 */

// The first run creates, imports and scores 500 accounts with a year of data (a minute or more under CI load).
test.setTimeout(300_000);

test("the editor's preview warns of an attribute no account has and a category no account has, and clears when fixed", async ({
  page,
}) => {
  await firstRun(page);
  await page.goto("/#/scorecards");
  await page.getByRole("link", { name: "Enterprise renewal", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Edit Enterprise renewal/ })).toBeVisible();
  const warnings = page.locator(".preview-warnings");
  const sponsor = page.getByRole("group", { name: /^Factor \d+: Executive sponsor engaged/ });
  const attribute = sponsor.getByLabel("Attribute", { exact: true });
  await expect(attribute).toHaveValue("exec_sponsor");
  // The shipped scorecard matches the demo's data: no warning.
  await expect(page.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({
    timeout: 30_000,
  });
  await expect(warnings).toHaveCount(0);

  // A name in the wrong case is a different attribute, which no account has.
  await attribute.fill("Exec_Sponsor");
  await expect(warnings).toContainText(
    /no account has the attribute "Exec_Sponsor", so factor "Executive sponsor engaged" is missing for every account; did you mean "exec_sponsor" \(\d+ accounts\)\? \(attribute names are case-sensitive\)/,
    { timeout: 30_000 },
  );
  await attribute.fill("exec_sponsor");
  await expect(warnings).toHaveCount(0, { timeout: 30_000 });

  // A condition on a segment spelt differently from the data's.
  const value = page.getByLabel("Value", { exact: true });
  await value.fill("Enterprize");
  await expect(warnings).toContainText(
    /no account has "segment" "Enterprize"; nearest: "Enterprise" \(\d+ accounts\)/,
    {
      timeout: 30_000,
    },
  );
  await value.fill("Enterprise");
  await expect(warnings).toHaveCount(0, { timeout: 30_000 });
});

test("the app serves the JSON Schemas that files name in $schema", async ({ request }) => {
  for (const name of ["scorecard", "mapping", "bundle", "badge-set"]) {
    const response = await request.get(`/schemas/${name}.schema.json`);
    expect(response.ok(), name).toBe(true);
    const schema = (await response.json()) as { $id: string; title: string };
    expect(schema.$id).toBe(`http://vitals.localhost:8482/schemas/${name}.schema.json`);
  }
});
