import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { DEFAULT_APP_ORIGIN } from "../../core/schema/bridge.ts";
import { whenText } from "../background/describe.ts";
import { coveredByManifest, dismissRefusal, pairingState, type Refusal, switchApp } from "../background/pairing.ts";
import type { AppPaired } from "../background/protocol.ts";
import { patternOf } from "../background/sites.ts";
import { announceSetReplaced } from "./shared.tsx";

// The one app the badges come from, a refused set, and the switch to another app: the options page and the popup.

/** The paired app and the latest refusal; null while loading. */
export function usePairing(version: number): Awaited<ReturnType<typeof pairingState>> | null {
  const [state, setState] = useState<Awaited<ReturnType<typeof pairingState>> | null>(null);
  useEffect(() => {
    void pairingState().then(setState);
  }, [version]);
  return state;
}

/**
 * Makes `origin` the app the badges come from. Call it from a click: an address the manifest's bridge does not
 * cover needs its host permission, and the browser asks only during a user gesture (so that is asked first).
 * Then the open app's tabs are told, so the app there sends its set at once.
 */
export async function pairWithApp(origin: string): Promise<void> {
  if (!coveredByManifest(origin)) {
    const granted = await browser.permissions.request({ origins: [patternOf(origin)] });
    if (!granted) throw new Error(`the browser's permission for ${origin} was declined`);
  }
  await switchApp(origin);
  // "Open in Vitals" follows the paired app: the background forgets the link it kept.
  await announceSetReplaced();
  const paired: AppPaired = { type: "app-paired" };
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      // Only the app's tabs run the bridge; the others refuse the message, as expected.
      tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, paired).catch(() => undefined),
    ),
  );
}

/** A refused set: which address, when, and (for another app) the button to switch to it. */
function RefusalNotice({ refusal, paired, onChange }: { refusal: Refusal; paired: string; onChange: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const use = async () => {
    setProblem(null);
    try {
      await pairWithApp(refusal.origin);
      onChange();
    } catch (e) {
      setProblem(`Not switched to ${refusal.origin}: ${(e as Error).message}.`);
    }
  };
  const dismiss = async () => {
    await dismissRefusal();
    onChange();
  };
  return (
    <div class="refusal" data-testid="refusal">
      {refusal.reason === "origin" ? (
        <>
          <p role="alert">
            Refused data from {refusal.origin} ({whenText(refusal.at)}): badges come only from the Vitals app at{" "}
            {paired}.
          </p>
          <p class="row">
            <button type="button" class="primary" onClick={() => void use()}>
              Use the Vitals app at {refusal.origin}
            </button>
            <button type="button" onClick={() => void dismiss()}>
              Keep {paired}
            </button>
          </p>
        </>
      ) : (
        <>
          <p role="alert">
            Refused data from {refusal.origin} ({whenText(refusal.at)}): it is the demo portfolio, and your own badges
            are kept. Clear the demo data in the app, or import your data there, and the badges follow it again.
          </p>
          <p class="row">
            <button type="button" onClick={() => void dismiss()}>
              Dismiss
            </button>
          </p>
        </>
      )}
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
    </div>
  );
}

/** Where the badges may come from: the one app, a refusal with its switch button, and (options) other addresses. */
export function AppSource({
  version,
  onChange,
  children,
}: {
  version: number;
  onChange: () => void;
  children?: ComponentChildren;
}) {
  const state = usePairing(version);
  if (state === null) return <p aria-busy="true">Loading…</p>;
  return (
    <>
      <p data-testid="app-origin">
        Badges come only from the Vitals app at <strong>{state.origin}</strong>
        {state.origin === DEFAULT_APP_ORIGIN ? ", where npm start serves it." : "."}
      </p>
      {state.refused && <RefusalNotice refusal={state.refused} paired={state.origin} onChange={onChange} />}
      {children}
    </>
  );
}
