/** The parts of a service worker registration that taking an update uses (a real one in the app, a fake in tests). */
export interface UpdateRegistration {
  readonly waiting: (EventTarget & { readonly state: string; postMessage(message: unknown): void }) | null;
}

export interface UpdateContainer extends EventTarget {
  getRegistration(): Promise<UpdateRegistration | undefined>;
}

/** Where a reload that asked for an update leaves word for the page it loads (sessionStorage: this tab only). */
export type UpdateMemo = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The memo's key: how many reloads have asked for the update so far. */
export const UPDATE_REQUESTED = "vitals.updateRequested";

/** Reloads that may ask for one update before the app gives up (and shows the prompt again on the next visit). */
const MAX_ATTEMPTS = 3;

/**
 * Switches the page to the new version: tells the waiting service worker to take over and reloads once it has.
 *
 * The reload does not hang on one event: it comes on the page's `controllerchange`, on the waiting worker reaching
 * `activated` (or `redundant`: another tab took it, or a newer one replaced it), at once when no worker is waiting any
 * more (it activated between the prompt and the click: the next load is the new version), or after `fallbackMs`
 * whatever happened, so the button never does nothing. Reloads at most once.
 *
 * Chromium sometimes holds the activation back (the waiting worker's `skipWaiting()` never settles while the old
 * worker runs; seen in pwa-update.spec, not explained), and then activates it during the reload, which the old
 * worker still answers. So the fallback's reload leaves word in `memo`, and the page it loads finishes the update
 * (`finishUpdate`).
 */
export async function takeUpdate(
  container: UpdateContainer,
  reload: () => void,
  options: { fallbackMs?: number; memo?: UpdateMemo; attempt?: number } = {},
): Promise<void> {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    reload();
  };
  const registration = await container.getRegistration().catch(() => undefined);
  const waiting = registration?.waiting ?? null;
  if (!waiting) {
    once();
    return;
  }
  container.addEventListener("controllerchange", once);
  waiting.addEventListener("statechange", () => {
    if (waiting.state === "activated" || waiting.state === "redundant") once();
  });
  setTimeout(() => {
    if (done) return;
    options.memo?.setItem(UPDATE_REQUESTED, String((options.attempt ?? 1) + 1));
    once();
  }, options.fallbackMs ?? 4_000);
  // Workbox's service worker (vite-plugin-pwa, generateSW) calls skipWaiting() on this message.
  waiting.postMessage({ type: "SKIP_WAITING" });
}

/**
 * On a page loaded by a reload that asked for an update (`memo` says so): asks again while the new worker still
 * waits, or, when it took over during that reload (whose page the old worker may have answered), reloads once more.
 * Does nothing otherwise, and never more than MAX_ATTEMPTS reloads in a row.
 */
export async function finishUpdate(
  container: UpdateContainer,
  reload: () => void,
  memo: UpdateMemo,
  options: { fallbackMs?: number } = {},
): Promise<void> {
  const asked = memo.getItem(UPDATE_REQUESTED);
  if (asked === null) return;
  memo.removeItem(UPDATE_REQUESTED);
  const attempt = Number(asked);
  if (!Number.isInteger(attempt) || attempt > MAX_ATTEMPTS) return;
  const registration = await container.getRegistration().catch(() => undefined);
  if (!registration) return;
  if (registration.waiting) await takeUpdate(container, reload, { ...options, memo, attempt });
  else reload();
}
