/** The parts of a service worker registration that taking an update uses (a real one in the app, a fake in tests). */
export interface UpdateRegistration {
  readonly waiting: (EventTarget & { readonly state: string; postMessage(message: unknown): void }) | null;
}

export interface UpdateContainer extends EventTarget {
  getRegistration(): Promise<UpdateRegistration | undefined>;
}

/**
 * Switches the page to the new version: tells the waiting service worker to take over and reloads once it has.
 *
 * The reload does not hang on one event: it comes on the page's `controllerchange`, on the waiting worker reaching
 * `activated` (or `redundant`: another tab took it, or a newer one replaced it), at once when no worker is waiting any
 * more (it activated between the prompt and the click: the next load is the new version), or after `fallbackMs`
 * whatever happened, so the button never does nothing. Reloads at most once.
 */
export async function takeUpdate(
  container: UpdateContainer,
  reload: () => void,
  options: { fallbackMs?: number } = {},
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
  setTimeout(once, options.fallbackMs ?? 10_000);
  // Workbox's service worker (vite-plugin-pwa, generateSW) calls skipWaiting() on this message.
  waiting.postMessage({ type: "SKIP_WAITING" });
}
