import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { BadgeAccount } from "../../../core/schema/badge.ts";
import { badgeDb, type SetInfo, setInfo } from "../../background/badge-store.ts";
import type { PageMessage } from "../../background/protocol.ts";

// Pieces the options page and the popup share.

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

/** The badge's text in the scorecard's preferred form first, then the others: "72 · B · Good". */
export function badgeText(account: BadgeAccount): string {
  const points = account.shown === null ? "—" : String(account.shown);
  const forms = { points, grade: account.grade, label: account.label || account.grade };
  const first = forms[account.form];
  const rest = (["points", "grade", "label"] as const).filter((f) => f !== account.form).map((f) => forms[f]);
  return [first, ...rest].filter((t, i, all) => t && all.indexOf(t) === i).join(" · ");
}

/** An account's score as a small badge: colour plus text, never colour alone. */
export function Badge({ account }: { account: BadgeAccount }) {
  return <span class={`badge ${account.color}`}>{badgeText(account)}</span>;
}

/** The app's page of an account, when the app's address is known. */
export function accountUrl(pwaUrl: string | undefined, id: string): string | undefined {
  if (!pwaUrl) return undefined;
  const base = pwaUrl.replace(/#.*$/, "");
  return `${base}#/accounts/${encodeURIComponent(id)}`;
}
