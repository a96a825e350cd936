import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import { badgeDb, type SetInfo, setInfo } from "../background/badge-store.ts";
import type { PageMessage } from "../background/protocol.ts";
import { badgeText, scoreInWords } from "../badge/format.ts";

// Pieces the options page and the popup share (outside entrypoints/: an entrypoint imports no other entrypoint).

/** The stored set's info, loaded on mount and again when `version` moves; null while loading. */
export function useSetInfo(version: number): { info: SetInfo | undefined } | null {
  const [state, setState] = useState<{ info: SetInfo | undefined } | null>(null);
  useEffect(() => {
    void setInfo(badgeDb()).then((info) => setState({ info }));
  }, [version]);
  return state;
}

/** Tells the background the stored set changed, so it rebuilds its index and the tabs refresh their badges. */
export async function announceSetReplaced(): Promise<void> {
  const message: PageMessage = { type: "set-replaced" };
  await browser.runtime.sendMessage(message);
}

/** An account's score as a small badge: colour plus the content badge's own text, never colour alone. */
export function Badge({ account }: { account: BadgeAccount }) {
  return (
    <span class={`badge ${account.color}`} title={scoreInWords(account)}>
      {badgeText(account)}
    </span>
  );
}

/** The app's page of an account, when the app's address is known. */
export function accountUrl(pwaUrl: string | undefined, id: string): string | undefined {
  if (!pwaUrl) return undefined;
  const base = pwaUrl.replace(/#.*$/, "");
  return `${base}#/accounts/${encodeURIComponent(id)}`;
}
