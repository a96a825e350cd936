import { useEffect } from "preact/hooks";
import { BRIDGE_PAGE_PROTOCOL, BridgeHello, type PagePost } from "../../core/schema/bridge.ts";
import { client } from "./services.ts";

// The app's end of the bridge to the Vitals extension. When the extension runs in this browser profile, its bridge
// content script announces itself on this page; from then on the app posts the badge set after start and after
// every data change, so the badges on CRM pages follow the scores here with no manual step. Nothing leaves the
// browser: window.postMessage to this page's own origin, where only the extension's content script listens.

let extensionListens = false;
let publishing: Promise<void> | undefined;
let again = false;

/** The app's own address, for the badges' "Open in Vitals" links. */
const appUrl = () => `${location.origin}${location.pathname}`;

const post = (message: PagePost) => window.postMessage(message, location.origin);

/** Posts the current badge set; changes that arrive while one is being made are folded into one more. */
function publish(): void {
  if (!extensionListens) return;
  if (publishing) {
    again = true;
    return;
  }
  publishing = (async () => {
    do {
      again = false;
      try {
        post({ protocol: BRIDGE_PAGE_PROTOCOL, type: "badge-set", set: await client.badgeSet(appUrl()) });
      } catch {
        // The badges keep the previous set; the next data change tries again.
      }
    } while (again);
  })().finally(() => {
    publishing = undefined;
  });
}

function onMessage(event: MessageEvent): void {
  // Only this window, on this origin, in the extension's shape: other scripts and frames post messages too.
  if (event.source !== window || event.origin !== location.origin) return;
  if (!BridgeHello.safeParse(event.data).success) return;
  extensionListens = true;
  publish();
}

/**
 * Keeps the extension's badges in step with the app: listens for the extension's bridge, asks whether it is already
 * there, and publishes again whenever `dataVersion` (useDataVersion) moves.
 */
export function useBadgeBridge(dataVersion: number): void {
  useEffect(() => {
    addEventListener("message", onMessage);
    // The content script may have announced itself before this listener existed.
    post({ protocol: BRIDGE_PAGE_PROTOCOL, type: "app-ping" });
    return () => removeEventListener("message", onMessage);
  }, []);
  useEffect(() => {
    if (dataVersion > 0) publish();
  }, [dataVersion]);
}
