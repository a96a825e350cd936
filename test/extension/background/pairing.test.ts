import { beforeEach, describe, expect, it, vi } from "vitest";
import { browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { DEFAULT_APP_ORIGIN } from "../../../core/schema/bridge.ts";
import {
  appLink,
  coveredByManifest,
  dismissRefusal,
  isBridgeOrigin,
  pairingState,
  pairWith,
  recordRefusal,
  switchApp,
  watchAppOrigin,
} from "../../../extension/background/pairing.ts";
import { registeredOrigins } from "../../../extension/background/sites.ts";
import { fakeExtensionApis } from "../../support/fake-extension.ts";

describe("pairing with one app", () => {
  beforeEach(() => fakeBrowser.reset());

  it("trusts exactly the address npm start serves before any pairing: scheme, host and port", async () => {
    fakeExtensionApis([]);
    expect(DEFAULT_APP_ORIGIN).toBe("http://vitals.localhost:8482");
    expect(await isBridgeOrigin(DEFAULT_APP_ORIGIN)).toBe(true);
    for (const other of [
      "http://vitals.localhost:5173",
      "https://vitals.localhost:8482",
      "http://localhost:8482",
      "http://127.0.0.1:8482",
      "http://localhost:5173",
      "http://127.0.0.1:31337",
      "http://evil.vitals.localhost:8482",
      `${DEFAULT_APP_ORIGIN}/path`,
      "not an origin",
    ]) {
      expect(await isBridgeOrigin(other), other).toBe(false);
    }
    expect(await pairingState()).toEqual({ origin: DEFAULT_APP_ORIGIN, paired: false, refused: undefined });
  });

  it("keeps the app's origin for the background's lookups until the pairing changes in storage", async () => {
    const trusted = watchAppOrigin();
    const get = vi.spyOn(browser.storage.local, "get");
    expect(await trusted()).toBe(DEFAULT_APP_ORIGIN);
    expect(await trusted()).toBe(DEFAULT_APP_ORIGIN);
    expect(get).toHaveBeenCalledTimes(1);
    await pairWith("https://vitals.acme.io");
    await vi.waitFor(async () => expect(await trusted()).toBe("https://vitals.acme.io"));
    // Written by hand (another extension page, a test) is a change too; another key is not.
    await browser.storage.local.set({ pairing: { origin: "http://127.0.0.1:5173" } });
    await vi.waitFor(async () => expect(await trusted()).toBe("http://127.0.0.1:5173"));
    const reads = get.mock.calls.length;
    await browser.storage.local.set({ other: 1 });
    expect(await trusted()).toBe("http://127.0.0.1:5173");
    expect(get).toHaveBeenCalledTimes(reads);
  });

  it("switches to a deployed app only with its permission, registers the bridge there, and back", async () => {
    const { origins, scripts } = fakeExtensionApis([]);
    await expect(switchApp("https://vitals.acme.io")).rejects.toThrow("no permission for https://vitals.acme.io");
    expect(await isBridgeOrigin(DEFAULT_APP_ORIGIN)).toBe(true);
    origins.add("https://vitals.acme.io/*");
    await switchApp("https://vitals.acme.io");
    expect(await isBridgeOrigin("https://vitals.acme.io")).toBe(true);
    expect(await isBridgeOrigin(DEFAULT_APP_ORIGIN)).toBe(false);
    expect(scripts.map((s) => s.matches)).toEqual([["https://vitals.acme.io/*"]]);
    // Back to the default: the manifest's bridge covers it; the deployed address's registration and permission go.
    await switchApp(DEFAULT_APP_ORIGIN);
    expect(await isBridgeOrigin(DEFAULT_APP_ORIGIN)).toBe(true);
    expect(await registeredOrigins("bridge")).toEqual([]);
    expect([...origins]).toEqual([]);
  });

  it("pairs with the app's host on another port without a permission (the manifest's bridge runs there)", async () => {
    const { scripts } = fakeExtensionApis([]);
    expect(coveredByManifest("http://vitals.localhost:4300")).toBe(true);
    expect(coveredByManifest("https://vitals.localhost:4300")).toBe(false);
    expect(coveredByManifest("http://localhost:4300")).toBe(false);
    await switchApp("http://vitals.localhost:4300");
    expect(scripts).toEqual([]);
    expect(await isBridgeOrigin("http://vitals.localhost:4300")).toBe(true);
  });

  it("remembers the latest refusal until the user switches or dismisses it", async () => {
    fakeExtensionApis([]);
    await recordRefusal("http://127.0.0.1:31337", "origin", new Date("2026-12-01T10:00:00Z"));
    expect((await pairingState()).refused).toEqual({
      origin: "http://127.0.0.1:31337",
      reason: "origin",
      at: "2026-12-01T10:00:00.000Z",
    });
    await dismissRefusal();
    expect((await pairingState()).refused).toBeUndefined();
    await recordRefusal("http://vitals.localhost:4300", "origin");
    await switchApp("http://vitals.localhost:4300");
    expect(await pairingState()).toEqual({ origin: "http://vitals.localhost:4300", paired: true, refused: undefined });
  });

  it("makes a link only to the trusted app", () => {
    expect(appLink(`${DEFAULT_APP_ORIGIN}/`, DEFAULT_APP_ORIGIN)).toBe(`${DEFAULT_APP_ORIGIN}/`);
    expect(appLink("https://phishing.example/", DEFAULT_APP_ORIGIN)).toBeUndefined();
    expect(appLink("javascript:alert(1)", DEFAULT_APP_ORIGIN)).toBeUndefined();
    expect(appLink(undefined, DEFAULT_APP_ORIGIN)).toBeUndefined();
  });
});
