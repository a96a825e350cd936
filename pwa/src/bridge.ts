import { BRIDGE_PAGE_PROTOCOL, BridgeHello, type PagePost } from "../../core/schema/bridge.ts";
import { type Changed, client, onDataChanged } from "./services.ts";

// The app's end of the bridge to the Vitals extension. When the extension runs in this browser profile, its bridge
// content script announces itself on this page; from then on the app posts the badge set after start and after
// every data change, so the badges on CRM pages follow the scores here with no manual step. Nothing leaves the
// browser: window.postMessage to this page's own origin, where only the extension's content script listens.

let extensionListens = false;
let publishing: Promise<void> | undefined;
/** What to post next: the whole set, or the badges of these accounts (a rating, an override, a note). */
let pending: { full: boolean; accounts: Set<string> } | undefined;

/** The app's own address, for the badges' "Open in Vitals" links. */
const appUrl = () => `${location.origin}${location.pathname}`;

const post = (message: PagePost) => window.postMessage(message, location.origin);

/**
 * Posts the current badge set, or (when only `changed` accounts changed) a delta of their badges, which the extension
 * patches into the set it holds (it asks for the whole set when it cannot). Changes that arrive while one is being
 * made are folded into one more.
 */
function publish(changed?: Changed): void {
  if (!extensionListens) return;
  pending ??= { full: false, accounts: new Set() };
  if (changed) for (const id of changed.accounts) pending.accounts.add(id);
  else pending.full = true;
  if (publishing) return;
  publishing = (async () => {
    while (pending) {
      const next = pending;
      pending = undefined;
      try {
        const delta = next.full ? null : await client.badgeDelta([...next.accounts], appUrl());
        if (delta) post({ protocol: BRIDGE_PAGE_PROTOCOL, type: "badge-delta", delta });
        else post({ protocol: BRIDGE_PAGE_PROTOCOL, type: "badge-set", set: await client.badgeSet(appUrl()) });
      } catch {
        // The badges keep the previous set; the next data change tries again.
      }
    }
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
 * there, and publishes again on every data change (the whole set, or the changed accounts' badges). Returns what
 * stops it.
 */
export function startBadgeBridge(): () => void {
  addEventListener("message", onMessage);
  const unsubscribe = onDataChanged(publish);
  // The content script may have announced itself before this listener existed.
  post({ protocol: BRIDGE_PAGE_PROTOCOL, type: "app-ping" });
  return () => {
    removeEventListener("message", onMessage);
    unsubscribe();
  };
}
