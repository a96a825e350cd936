import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SUPPORTED_SITE_MATCHES } from "../../../extension/sites/hosts.ts";
import { ADAPTERS, adapterFor } from "../../../extension/sites/registry.ts";
import type { SiteAdapter } from "../../../extension/sites/types.ts";

/** Files in extension/sites that are not adapters: the shared types, helpers, host list, visibility and the registry. */
const NOT_ADAPTERS = new Set(["fallback.ts", "types.ts", "dom.ts", "hosts.ts", "registry.ts", "visibility.ts"]);

describe("site adapter registry", () => {
  it("lists every adapter file in extension/sites, once", async () => {
    const files = readdirSync("extension/sites").filter((f) => f.endsWith(".ts") && !NOT_ADAPTERS.has(f));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const module: Record<string, unknown> = await import(`../../../extension/sites/${file}`);
      const adapters = Object.values(module).filter(
        (v): v is SiteAdapter => typeof v === "object" && v !== null && "find" in v && "patterns" in v,
      );
      expect(adapters, `${file} exports one adapter`).toHaveLength(1);
      expect(ADAPTERS, `${file}'s adapter is registered`).toContain(adapters[0]);
    }
    expect(new Set(ADAPTERS.map((a) => a.id)).size).toBe(ADAPTERS.length);
  });

  it("runs on exactly the hosts the manifest's content script matches, generic aside", () => {
    const patterns = ADAPTERS.flatMap((a) => a.patterns);
    expect([...patterns].sort()).toEqual([...SUPPORTED_SITE_MATCHES].sort());
  });

  it.each([
    ["https://acme.zendesk.com/agent/tickets/4812", "zendesk"],
    ["https://acme.lightning.force.com/lightning/r/Account/001Dn00000NwTrdIAF/view", "salesforce"],
    ["https://app.hubspot.com/contacts/4242/record/0-2/9001", "hubspot"],
    ["https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/1", "intercom"],
    ["https://northwind-support.freshdesk.com/a/tickets/1234", "freshdesk"],
    ["https://mail.google.com/mail/u/0/#inbox", "gmail"],
    ["https://support.example.org/tickets/42", "generic"],
    ["https://jira.example.com/servicedesk/customer/portal/1", "generic"],
    // A product's name elsewhere in the address does not make the page that product's.
    ["https://evil.example/?next=https://acme.zendesk.com/agent", "generic"],
    ["http://acme.zendesk.com/agent/tickets/1", "generic"],
  ])("picks the adapter by the page's address: %s → %s", (url, id) => {
    expect(adapterFor(url).id).toBe(id);
  });
});
