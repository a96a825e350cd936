import { z } from "zod";
import { BadgeSet } from "./badge.ts";

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
/** The app's page posting its current set, or asking whether an extension listens. */
export const PagePost = z.discriminatedUnion("type", [
  z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("app-ping") }),
  z.object({ protocol: z.literal(BRIDGE_PAGE_PROTOCOL), type: z.literal("badge-set"), set: BadgeSet }),
]);
/** What the app's page posts to the bridge. */
export type PagePost = z.infer<typeof PagePost>;
/** The bridge content script's announcement. */
export type BridgeHello = z.infer<typeof BridgeHello>;
