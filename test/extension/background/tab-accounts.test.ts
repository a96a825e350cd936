import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import {
  onTabAccountsChanged,
  recordTabAccounts,
  tabAccounts,
  tabAccountsWritten,
} from "../../../extension/background/tab-accounts.ts";

// The background records a tab's accounts as the page's report comes in; a popup open at that moment follows the
// record as it lands instead of showing the list as it was when the popup opened.
describe("a popup following its tab's accounts", () => {
  beforeEach(() => fakeBrowser.reset());

  it("is told when its tab's list is written, not when another tab's is, and stops when asked", async () => {
    const seen: string[][] = [];
    const stop = onTabAccountsChanged(7, () => {
      void tabAccounts(7).then((t) => seen.push(t?.ids ?? []));
    });
    await recordTabAccounts(8, "https://acme.zendesk.com/agent/tickets/2", ["acc-9"]);
    await recordTabAccounts(7, "https://acme.zendesk.com/agent/tickets/1", ["acc-1"]);
    await tabAccountsWritten();
    await expect.poll(() => seen).toEqual([["acc-1"]]);
    stop();
    await recordTabAccounts(7, "https://acme.zendesk.com/agent/tickets/1", ["acc-2"]);
    await tabAccountsWritten();
    expect((await tabAccounts(7))?.ids).toEqual(["acc-1", "acc-2"]);
    expect(seen).toEqual([["acc-1"]]);
  });
});
