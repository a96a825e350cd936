import { Window } from "happy-dom";
import { afterEach, describe, expect, it } from "vitest";
import { BadgeAccount } from "../../../core/schema/badge.ts";
import { badgeRoot, createBadge, createBadgeShell } from "../../../extension/badge/badge.ts";
import { FIXTURE_ACCOUNTS } from "../content/fake-background.ts";

const northwind = BadgeAccount.parse(FIXTURE_ACCOUNTS[0]);
let window: Window | undefined;
afterEach(async () => {
  await window?.happyDOM.close();
  window = undefined;
});

function setup(pwaUrl: string | null = "http://localhost:5173/") {
  const win = new Window({ url: "https://acme.zendesk.com/agent/tickets/1" });
  window = win;
  // happy-dom has no isTrusted: here every event counts as the user's unless a test marks it synthetic (untrusted()).
  Object.defineProperty(win.Event.prototype, "isTrusted", { configurable: true, get: () => true });
  const doc = win.document as unknown as Document;
  const view = createBadge(doc, northwind, pwaUrl ?? undefined);
  doc.body.append(view.host);
  const shadow = badgeRoot(view.host) as ShadowRoot;
  const pill = shadow.querySelector(".pill") as HTMLElement;
  const card = () => shadow.querySelector(".card") as HTMLElement | null;
  const isOpen = () => pill.getAttribute("aria-expanded") === "true";
  const key = (target: EventTarget, key: string) =>
    target.dispatchEvent(new win.KeyboardEvent("keydown", { key, bubbles: true, composed: true }) as unknown as Event);
  /** An event as a page's script would dispatch it: isTrusted false. */
  const untrusted = <E extends Event>(event: E): E => Object.defineProperty(event, "isTrusted", { value: false });
  return { win, doc, view, shadow, pill, card, isOpen, key, untrusted };
}

describe("badge", () => {
  it("is a focusable pill in a shadow root, named with the whole score in words", () => {
    const { pill, shadow, view } = setup();
    // Not a Tab stop of its own: the scanner makes one badge per landmark the stop (a roving tabindex).
    expect(pill.tabIndex).toBe(-1);
    view.setTabStop(true);
    expect(pill.tabIndex).toBe(0);
    expect(pill.getAttribute("role")).toBe("button");
    expect(pill.getAttribute("aria-label")).toBe(
      "Vitals health of Northwind Traders: 72 points, grade B, Good, up 5 points",
    );
    // Its one node is the pill, whose text is what it shows (the dot is drawn by the styles).
    expect(pill.textContent).toBe("72 B");
    expect(pill.childNodes.length).toBe(1);
    // The styles: a stylesheet shared by every badge of the page, or a <style> of its own where that is not supported.
    const adopted = [...(shadow.adoptedStyleSheets ?? [])].flatMap((sheet) => [...sheet.cssRules]);
    const css = adopted.map((rule) => rule.cssText).join("\n") || shadow.querySelector("style")?.textContent;
    expect(css).toContain(":host");
  });

  it("made from a shell made ahead, off the page, is the same badge, and that shell alone stays empty and unreachable", () => {
    const { doc, shadow: made } = setup();
    const shell = createBadgeShell(doc);
    // Before it is a badge: no words, no root to find, not on the page.
    expect(shell.pill.textContent).toBe("");
    expect(badgeRoot(shell.host)).toBeUndefined();
    expect(shell.host.isConnected).toBe(false);
    const view = createBadge(doc, northwind, undefined, {}, shell);
    expect(view.host).toBe(shell.host);
    const shadow = badgeRoot(view.host) as ShadowRoot;
    expect(shadow).toBe(shell.shadow);
    expect(shadow.innerHTML).toBe(made.innerHTML);
    expect(shell.pill.getAttribute("aria-label")).toBe(
      "Vitals health of Northwind Traders: 72 points, grade B, Good, up 5 points",
    );
  });

  it("shares one stylesheet between the badges of a document", () => {
    const { doc, shadow } = setup();
    const other = badgeRoot(createBadge(doc, northwind, undefined).host) as ShadowRoot;
    if (shadow.adoptedStyleSheets?.length) {
      expect(other.adoptedStyleSheets[0]).toBe(shadow.adoptedStyleSheets[0]);
      expect(other.querySelector("style")).toBeNull();
    } else expect(other.querySelector("style")?.textContent).toContain(":host");
  });

  it("opens its card on keyboard focus with name, three forms, change, history, drags, alerts, date and link", () => {
    const { pill, card, isOpen } = setup();
    expect(card()).toBeNull();
    pill.focus();
    expect(isOpen()).toBe(true);
    const c = card() as HTMLElement;
    expect(c.getAttribute("role")).toBe("dialog");
    expect(c.querySelector(".name")?.textContent).toBe("Northwind Traders");
    expect(c.querySelector(".in-words")?.textContent).toBe("72 points, grade B, Good");
    expect(c.querySelector(".delta")?.textContent).toBe("Change: +5 (up 5 points)");
    expect(c.querySelector("svg")?.getAttribute("aria-label")).toBe("Score over the last 5 weeks, from 60 to 72");
    expect([...c.querySelectorAll(".drags li")].map((li) => li.textContent)).toEqual([
      "NPS fell from 40 to −10: −12 points",
    ]);
    expect([...c.querySelectorAll(".alerts li")].map((li) => li.textContent)).toEqual([
      "Dropped 10 points in 30 days (since 2026-11-18)",
    ]);
    expect(c.querySelector(".as-of")?.textContent).toBe("Score as of 2026-11-20 · data coverage 90%");
    const link = c.querySelector("a.open") as HTMLAnchorElement;
    expect(link.textContent).toBe("Open in Vitals");
    expect(link.getAttribute("href")).toBe("http://localhost:5173/#/accounts/northwind");
    expect(link.rel).toBe("noopener noreferrer");
  });

  it("closes on Escape with focus kept on the pill, and toggles with Enter", () => {
    const { pill, isOpen, key, shadow } = setup();
    pill.focus();
    key(pill, "Escape");
    expect(isOpen()).toBe(false);
    expect(shadow.activeElement).toBe(pill);
    key(pill, "Enter");
    expect(isOpen()).toBe(true);
    key(pill, "Enter");
    expect(isOpen()).toBe(false);
  });

  it("keeps its shadow root closed: the page's script gets no root, no text and no attribute from the host", () => {
    const { view, pill } = setup();
    pill.focus();
    expect(view.host.shadowRoot).toBeNull();
    expect(view.host.textContent).toBe("");
    expect(view.host.innerHTML).toBe("");
    expect(view.host.getAttributeNames()).toEqual([]);
  });

  it("opens and closes its card only on the user's own events, never on a script's synthetic ones", () => {
    const { win, pill, isOpen, untrusted, card } = setup();
    const W = win as unknown as typeof globalThis;
    for (const event of [
      new W.PointerEvent("pointerenter", { composed: true }),
      new W.PointerEvent("pointerover", { bubbles: true, composed: true }),
      new W.MouseEvent("mouseover", { bubbles: true, composed: true }),
      new W.FocusEvent("focus", { composed: true }),
      new W.FocusEvent("focusin", { bubbles: true, composed: true }),
      new W.KeyboardEvent("keydown", { key: "Enter", bubbles: true, composed: true }),
      new W.KeyboardEvent("keydown", { key: " ", bubbles: true, composed: true }),
    ]) {
      pill.dispatchEvent(untrusted(event));
      expect(isOpen(), event.type).toBe(false);
    }
    expect(card()).toBeNull();
    // The user's own focus opens it (composed, as the browser's are); a synthetic pointerleave or focusout does not
    // close it.
    pill.dispatchEvent(new W.FocusEvent("focus", { composed: true }));
    expect(isOpen()).toBe(true);
    pill.dispatchEvent(untrusted(new W.PointerEvent("pointerout", { bubbles: true, composed: true })));
    pill.dispatchEvent(untrusted(new W.FocusEvent("focusout", { bubbles: true, composed: true })));
    pill.dispatchEvent(untrusted(new W.KeyboardEvent("keydown", { key: "Escape", bubbles: true, composed: true })));
    expect(isOpen()).toBe(true);
  });

  it("shares one set of listeners between all the badges of a page (none of its own per badge)", () => {
    const { win, doc } = setup();
    const W = win as unknown as typeof globalThis;
    let added = 0;
    const add = W.EventTarget.prototype.addEventListener;
    W.EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
      added++;
      return add.apply(this, args);
    };
    try {
      for (let i = 0; i < 50; i++) doc.body.append(createBadge(doc, northwind, undefined).host);
    } finally {
      W.EventTarget.prototype.addEventListener = add;
    }
    expect(added).toBe(0);
  });

  it("opens on the pointer entering the pill and closes a moment after it leaves", async () => {
    const { win, pill, isOpen } = setup();
    const W = win as unknown as typeof globalThis;
    pill.dispatchEvent(new W.PointerEvent("pointerover", { bubbles: true, composed: true }));
    expect(isOpen()).toBe(true);
    pill.dispatchEvent(new W.PointerEvent("pointerout", { bubbles: true, composed: true }));
    expect(isOpen()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(isOpen()).toBe(false);
  });

  it("has no Open in Vitals link while the PWA's address is unknown", () => {
    const { pill, card } = setup(null);
    pill.focus();
    expect(card()?.querySelector("a")).toBeNull();
  });

  it("updates in place: same element, new score and colour, open card refreshed", () => {
    const { view, pill, card } = setup();
    pill.focus();
    const host = view.host;
    view.update(
      { ...northwind, shown: 35, score: 35, grade: "D", color: "red", label: "At risk", delta: -37 },
      undefined,
    );
    expect(view.host).toBe(host);
    expect(pill.className).toBe("pill red");
    expect(pill.textContent).toBe("35 D");
    expect(card()?.querySelector(".in-words")?.textContent).toBe("35 points, grade D, At risk");
    expect(card()?.querySelector("a")).toBeNull();
  });

  it("keeps the page's own handlers from seeing clicks and handled keys on the badge", () => {
    const { doc, pill, key } = setup();
    const seen: string[] = [];
    doc.body.addEventListener("click", () => seen.push("click"));
    doc.body.addEventListener("keydown", () => seen.push("keydown"));
    pill.click();
    key(pill, "Enter");
    key(pill, "a");
    expect(seen).toEqual(["keydown"]);
  });
});
