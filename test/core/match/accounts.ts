import { BadgeAccount, type BadgeAccountInput } from "../../../core/schema/badge.ts";

/** A BadgeAccount for matching tests: only what identifies it varies; the score part is fixed. */
export function account(fields: Pick<BadgeAccountInput, "id" | "name"> & Partial<BadgeAccountInput>): BadgeAccount {
  return BadgeAccount.parse({
    scorecard: "Adoption (SMB)",
    score: 72.4,
    shown: 72,
    grade: "B",
    color: "green",
    label: "Good",
    delta: -3,
    coverage: 1,
    asOf: "2025-03-01",
    ...fields,
  });
}
