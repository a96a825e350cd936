import { browser } from "wxt/browser";
import { z } from "zod";
import { APP_HOST, DEFAULT_APP_ORIGIN } from "../../core/schema/bridge.ts";
import { disableOrigin, enableOrigin, registeredOrigins } from "./sites.ts";

// The one Vitals app the extension believes. Badge sets come from exactly one app origin (scheme, host and port):
// the one the user paired with, or, before any pairing, the address `npm start` serves the app at. A set from any
// other page the bridge runs on is refused and remembered, so the popup and the options page can say so and offer
// to switch; the source never changes without the user's click.

/** A set the extension refused: from which origin, when, and why. */
export const Refusal = z.object({
  origin: z.string(),
  /** ISO timestamp. */
  at: z.string(),
  /** `origin`: not the paired app; `demo`: the paired app's demo portfolio over the user's own badges. */
  reason: z.enum(["origin", "demo"]),
});
/** A set the extension refused. */
export type Refusal = z.infer<typeof Refusal>;

/** What the extension keeps about its app (storage.local: it survives restarts, and the pages read it too). */
const Pairing = z.object({
  /** The paired app origin; absent until the first set is stored or the user chooses one. */
  origin: z.string().optional(),
  /** The latest refused set, until the user switches or dismisses it. */
  refused: Refusal.optional(),
});
type Pairing = z.infer<typeof Pairing>;

const KEY = "pairing";

async function read(): Promise<Pairing> {
  const stored = await browser.storage.local.get(KEY);
  const parsed = Pairing.safeParse(stored[KEY]);
  return parsed.success ? parsed.data : {};
}

async function write(pairing: Pairing): Promise<void> {
  await browser.storage.local.set({ [KEY]: pairing });
}

/** The app origin the extension trusts: the paired one, or the default before any pairing. */
export async function appOrigin(): Promise<string> {
  return (await read()).origin ?? DEFAULT_APP_ORIGIN;
}

/**
 * appOrigin for a caller that asks often (the background, on every lookup): read once, then kept until the pairing
 * changes in storage (here, in an extension page, or by hand), so checking a lookup's origin reads no storage.
 */
export function watchAppOrigin(): () => Promise<string> {
  let current: Promise<string> | undefined;
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && KEY in changes) current = undefined;
  });
  return () => {
    if (current) return current;
    const reading = appOrigin();
    current = reading;
    // A failed read is not kept: the next caller reads again.
    reading.catch(() => {
      if (current === reading) current = undefined;
    });
    return reading;
  };
}

/** The paired origin and the latest refusal, for the popup and the options page. */
export async function pairingState(): Promise<{ origin: string; paired: boolean; refused: Refusal | undefined }> {
  const pairing = await read();
  return {
    origin: pairing.origin ?? DEFAULT_APP_ORIGIN,
    paired: pairing.origin !== undefined,
    refused: pairing.refused,
  };
}

/** Records the app origin a set was stored from (the trusted one), and forgets a refusal that set resolves. */
export async function confirmOrigin(origin: string): Promise<void> {
  const pairing = await read();
  const refused = pairing.refused && !(pairing.refused.origin === origin) ? pairing.refused : undefined;
  if (pairing.origin === origin && refused === pairing.refused) return;
  await write({ origin, ...(refused ? { refused } : {}) });
}

/** Remembers a refused set, for the popup and the options page. */
export async function recordRefusal(origin: string, reason: Refusal["reason"], now = new Date()): Promise<void> {
  const pairing = await read();
  await write({ ...pairing, refused: { origin, reason, at: now.toISOString() } });
}

/** Pairs with another app origin (the user chose it); forgets the refusal. The caller registers the bridge there. */
export async function pairWith(origin: string): Promise<void> {
  await write({ origin });
}

/** Whether a page origin may feed the badges through the bridge: exactly the trusted app origin. */
export async function isBridgeOrigin(origin: string): Promise<boolean> {
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  return url !== undefined && url.origin === origin && origin === (await appOrigin());
}

/**
 * Makes `origin` the one app the extension believes (the user chose it: the popup's or the options page's button).
 * An origin the manifest's bridge does not cover needs its host permission granted first (the page asks in the
 * click's handler); the bridge is then registered there. Bridges registered for other addresses are removed.
 */
export async function switchApp(origin: string): Promise<void> {
  if (!coveredByManifest(origin)) await enableOrigin("bridge", origin);
  await pairWith(origin);
  for (const other of await registeredOrigins("bridge")) {
    if (other !== origin) await disableOrigin("bridge", other);
  }
}

/** Forgets the refusal and keeps the paired app. */
export async function dismissRefusal(): Promise<void> {
  const { origin } = await read();
  await write(origin !== undefined ? { origin } : {});
}

/**
 * Whether the manifest's own bridge content script already runs on an origin (`http://vitals.localhost`, any port:
 * match patterns carry no port), so pairing with it needs no permission and no registration.
 */
export function coveredByManifest(origin: string): boolean {
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  return url?.protocol === "http:" && url.hostname === APP_HOST;
}

/**
 * The app's address for "Open in Vitals" links: the set's own address when it is on the trusted app origin,
 * otherwise none (a badge file cannot send a click anywhere else).
 */
export function appLink(pwaUrl: string | undefined, trusted: string): string | undefined {
  if (pwaUrl === undefined || !URL.canParse(pwaUrl)) return undefined;
  return new URL(pwaUrl).origin === trusted ? pwaUrl : undefined;
}
