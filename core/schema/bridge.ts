import { z } from "zod";
import { BadgeAccount, BadgeSet } from "./badge.ts";

// The Vitals app's page and the extension's bridge content script talk with window.postMessage on the app's own
// origin. Both sides check the event's origin and source and parse the data with these schemas: any script on the
// page can post messages too.

/**
 * The port `npm start` serves the app on, always (strict: when it is taken, `npm start` stops and says so). Not a
 * port any common dev tool takes by default (Vite 5173/4173, CRA/Next 3000, Angular 4200, Flask 5000, 8080, …): the
 * app's data lives with its address, so another tool on it would read that data. 8482 spells VITA on a phone keypad.
 */
export const APP_PORT = 8482;
/** The app's own host name: Chromium and Firefox resolve every `*.localhost` name to this computer (loopback). */
export const APP_HOST = "vitals.localhost";
/** The address `npm start` serves the app at, and the one app origin the extension trusts until it is paired. */
export const DEFAULT_APP_ORIGIN = `http://${APP_HOST}:${APP_PORT}`;

/** Marks messages between the app's page and the bridge content script (other scripts post messages too). */
export const BRIDGE_PAGE_PROTOCOL = "vitals-bridge/1";

/** The bridge content script announcing itself to the app's page (on start, and in answer to the page's ping). */
export const BridgeHello = z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("extension-hello") });
/** The most accounts a delta carries: a rating, an override or a note changes one; more go as a whole set. */
export const BADGE_DELTA_MAX = 500;
/**
 * A few accounts of the set the extension holds, changed (a CSM's rating, override or note): the set's header and
 * those accounts. The extension patches them into the set it took from the same app, or asks for the whole set.
 */
export const BadgeDelta = BadgeSet.omit({ accounts: true }).extend({
  accounts: z.array(BadgeAccount).min(1).max(BADGE_DELTA_MAX),
});
/** A few changed accounts of the set. */
export type BadgeDelta = z.infer<typeof BadgeDelta>;
/** The app's page posting its current set or a delta of it, or asking whether an extension listens. */
export const PagePost = z.discriminatedUnion("type", [
  z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("app-ping") }),
  z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("badge-set"), set: BadgeSet }),
  z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("badge-delta"), delta: BadgeDelta }),
]);
/** What the app's page posts to the bridge. */
export type PagePost = z.infer<typeof PagePost>;
/** The bridge content script's announcement. */
export type BridgeHello = z.infer<typeof BridgeHello>;
