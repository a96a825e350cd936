import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import {
  disableOrigin,
  enableOrigin,
  isBuiltInSite,
  originOf,
  patternOf,
  registeredOrigins,
  removedText,
} from "../../../extension/background/sites.ts";
import { SUPPORTED_SITE_MATCHES } from "../../../extension/sites/hosts.ts";
import { fakeExtensionApis } from "../../support/fake-extension.ts";

/** The manifest's content script: one built-in site. */
const ZENDESK = [{ matches: ["https://*.zendesk.com/*"], js: ["content-scripts/content.js"] }];

describe("sites the user enabled", () => {
  beforeEach(() => fakeBrowser.reset());

  it("takes the origin of an address, and refuses what is not a web address", () => {
    expect(originOf("https://help.acme.io/a/b?c")).toBe("https://help.acme.io");
    expect(originOf("help.acme.io")).toBe("https://help.acme.io");
    expect(originOf("http://localhost:8080/#/x")).toBe("http://localhost:8080");
    expect(originOf("javascript:alert(1)")).toBeUndefined();
    expect(originOf("file:///etc/passwd")).toBeUndefined();
    expect(patternOf("https://help.acme.io")).toBe("https://help.acme.io/*");
  });

  it("asks for and records exactly the origin shown: its port too, where the browser's patterns can say it", async () => {
    expect(patternOf("http://127.0.0.1:8088")).toBe("http://127.0.0.1:8088/*");
    // Firefox's match patterns carry no port: there the background checks the exact origin of each lookup.
    expect(patternOf("http://127.0.0.1:8088", false)).toBe("http://127.0.0.1/*");
    const { scripts } = fakeExtensionApis(["http://127.0.0.1:8088/*"], ZENDESK);
    await enableOrigin("site", "http://127.0.0.1:8088");
    expect(await registeredOrigins("site")).toEqual(["http://127.0.0.1:8088"]);
    await expect(enableOrigin("site", "http://127.0.0.1:9000")).rejects.toThrow(
      "no permission for http://127.0.0.1:9000",
    );
    // No content script: the background runs the badges once a page of the origin has loaded.
    expect(scripts).toEqual([]);
  });

  it("says a site was removed when the browser keeps its permission, and why", async () => {
    const { scripts } = fakeExtensionApis(["https://help.acme.io/*"], ZENDESK);
    await enableOrigin("site", "https://help.acme.io");
    fakeBrowser.permissions.remove = async () => {
      throw new Error("You cannot remove required permissions.");
    };
    const outcome = await disableOrigin("site", "https://help.acme.io");
    expect(outcome).toEqual({
      permission: "kept",
      reason: "browser",
      detail: "You cannot remove required permissions.",
    });
    expect(scripts).toEqual([]);
    expect(removedText("https://help.acme.io", outcome)).toBe(
      "Removed https://help.acme.io: no badges there from now on. The browser kept its permission for that address (You cannot remove required permissions); Vitals does not use it.",
    );
    expect(removedText("https://help.acme.io", { permission: "returned" })).toBe(
      "Removed https://help.acme.io: no badges there from now on. Its permission was given back to the browser.",
    );
  });

  it("records a granted site once, in storage that lasts, and registers no content script for it", async () => {
    const { scripts } = fakeExtensionApis(["https://help.acme.io/*"], ZENDESK);
    await enableOrigin("site", "https://help.acme.io");
    await enableOrigin("site", "https://help.acme.io");
    expect(scripts).toEqual([]);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ "site:https://help.acme.io": true });
    expect(await registeredOrigins("site")).toEqual(["https://help.acme.io"]);
    expect(await registeredOrigins("bridge")).toEqual([]);
  });

  it("registers the bridge's built content script for the app's origin, persisted, once", async () => {
    const { scripts } = fakeExtensionApis(
      ["https://vitals.acme.io/*"],
      [...ZENDESK, { matches: ["http://vitals.localhost/*"], js: ["content-scripts/bridge.js"] }],
    );
    await enableOrigin("bridge", "https://vitals.acme.io");
    await enableOrigin("bridge", "https://vitals.acme.io");
    expect(scripts).toEqual([
      {
        id: "bridge:https://vitals.acme.io",
        matches: ["https://vitals.acme.io/*"],
        js: ["content-scripts/bridge.js"],
        runAt: "document_idle",
        persistAcrossSessions: true,
      },
    ]);
    expect(await registeredOrigins("bridge")).toEqual(["https://vitals.acme.io"]);
    expect(await registeredOrigins("site")).toEqual([]);
  });

  it("moves a site an earlier version registered a content script for to its record, and its pages load without one", async () => {
    const { scripts } = fakeExtensionApis(["https://help.acme.io/*", "https://vitals.acme.io/*"], ZENDESK);
    scripts.push(
      { id: "site:https://help.acme.io", matches: ["https://help.acme.io/*"], js: ["content-scripts/content.js"] },
      { id: "bridge:https://vitals.acme.io", matches: ["https://vitals.acme.io/*"], js: ["content-scripts/bridge.js"] },
    );
    expect(await registeredOrigins("site")).toEqual(["https://help.acme.io"]);
    expect(scripts.map((s) => s.id)).toEqual(["bridge:https://vitals.acme.io"]);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ "site:https://help.acme.io": true });
    // A move that fails leaves the site enabled (its registration still runs it) and is tried again.
    scripts.push({
      id: "site:https://old.acme.io",
      matches: ["https://old.acme.io/*"],
      js: ["content-scripts/content.js"],
    });
    const unregister = fakeBrowser.scripting.unregisterContentScripts;
    fakeBrowser.scripting.unregisterContentScripts = async () => {
      throw new Error("not now");
    };
    expect(await registeredOrigins("site")).toEqual(["https://help.acme.io", "https://old.acme.io"]);
    fakeBrowser.scripting.unregisterContentScripts = unregister;
    await disableOrigin("site", "https://old.acme.io");
    expect(await registeredOrigins("site")).toEqual(["https://help.acme.io"]);
    expect(scripts.map((s) => s.id)).toEqual(["bridge:https://vitals.acme.io"]);
  });

  it("refuses an origin the user did not grant", async () => {
    const { scripts } = fakeExtensionApis([], ZENDESK);
    await expect(enableOrigin("site", "https://help.acme.io")).rejects.toThrow(
      "no permission for https://help.acme.io",
    );
    expect(scripts).toEqual([]);
  });

  it("removing a site unregisters it and gives its permission back, unless the app's bridge uses the same host", async () => {
    const { origins } = fakeExtensionApis(["https://help.acme.io/*", "https://vitals.acme.io/*"], ZENDESK);
    await enableOrigin("site", "https://help.acme.io");
    await enableOrigin("site", "https://vitals.acme.io");
    await enableOrigin("bridge", "https://vitals.acme.io");
    await disableOrigin("site", "https://help.acme.io");
    await disableOrigin("site", "https://vitals.acme.io");
    expect(await registeredOrigins("site")).toEqual([]);
    expect([...origins]).toEqual(["https://vitals.acme.io/*"]);
    expect(await registeredOrigins("bridge")).toEqual(["https://vitals.acme.io"]);
  });

  it("knows the built-in sites from the manifest's patterns, subdomains included", () => {
    expect(isBuiltInSite("https://acme.zendesk.com/agent/tickets/1", SUPPORTED_SITE_MATCHES)).toBe(true);
    expect(isBuiltInSite("https://mail.google.com/mail/u/0", SUPPORTED_SITE_MATCHES)).toBe(true);
    expect(isBuiltInSite("https://zendesk.com.evil.example/", SUPPORTED_SITE_MATCHES)).toBe(false);
    expect(isBuiltInSite("http://acme.zendesk.com/", SUPPORTED_SITE_MATCHES)).toBe(false);
    expect(isBuiltInSite("https://help.acme.io/", SUPPORTED_SITE_MATCHES)).toBe(false);
  });
});
