import type { BadgeCard } from "../../core/schema/badge.ts";
import { BADGE_TAG } from "../sites/dom.ts";
import { accountUrl, badgeLabel, badgeText, deltaFigure, deltaInWords, scoreInWords } from "./format.ts";
import { sparklineSvg } from "./sparkline.ts";
import { BADGE_CSS } from "./styles.ts";

/** A badge on the page: its host element (placed by the caller), kept up to date in place. */
export interface BadgeView {
  /** The `<vitals-badge>` element holding the shadow root. */
  readonly host: HTMLElement;
  /** The account it shows. */
  readonly accountId: string;
  /** Shows new data for the same account without replacing the element (focus and an open card stay). */
  update(account: BadgeCard, pwaUrl: string | undefined): void;
  /** Takes the badge (and its card) off the page and stops its timers. */
  remove(): void;
  /** Whether the badge is its group's stop in the Tab order (a roving tabindex: one badge per group is). */
  setTabStop(on: boolean): void;
  /** Moves keyboard focus to the badge (the arrow keys, from another badge), which opens its card. */
  focus(): void;
  /** Whether the badge's pill has keyboard focus. */
  readonly focused: boolean;
  /** Sets what a screen reader says after the badge's name (where it is among its group's badges, how to move). */
  describe(text: string): void;
}

/** The keys that move focus from a badge to another in its group. */
export type MoveKey = "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" | "Home" | "End";
const MOVE_KEYS = new Set<string>(["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Home", "End"]);

/** How a badge checks it may still act (false once the extension was reloaded or removed). */
export interface BadgeOptions {
  alive?: () => boolean;
  /** An arrow key, Home or End pressed on the badge: the caller moves focus to another badge. */
  onMove?: (key: MoveKey) => void;
  /** The badge got keyboard focus (it becomes its group's Tab stop). */
  onFocus?: () => void;
}

/** How long the card stays after the pointer leaves, so it can travel from the badge to the card's link. */
const CLOSE_DELAY_MS = 200;
let serial = 0;
/** Each badge's shadow root, for the content script's own code (and its tests); the page cannot reach this map. */
const roots = new WeakMap<Element, ShadowRoot>();

/** The shadow root of a badge host this content script made, or undefined for any other element. */
export function badgeRoot(host: Element): ShadowRoot | undefined {
  return roots.get(host);
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The pill's content: its text alone (the dot before it is drawn by the styles), one text node. */
function pillContent(pill: HTMLElement, account: BadgeCard, className = "pill"): void {
  pill.className = `${className} ${account.color}`;
  pill.textContent = badgeText(account);
}

/** The badges' shared stylesheet per document, or null where a shadow root cannot adopt one (then each gets a <style>). */
const sheets = new WeakMap<Document, CSSStyleSheet | null>();

/**
 * Gives a badge's shadow root its styles: one constructed stylesheet adopted by every badge of the document (parsed
 * once, no <style> node per badge), or a <style> of its own where adopting is not supported.
 */
function styleRoot(doc: Document, shadow: ShadowRoot): void {
  let sheet = sheets.get(doc);
  if (sheet === undefined) {
    try {
      const Sheet = doc.defaultView?.CSSStyleSheet;
      sheet = Sheet && "adoptedStyleSheets" in shadow ? new Sheet() : null;
      sheet?.replaceSync(BADGE_CSS);
    } catch {
      sheet = null;
    }
  }
  if (sheet) {
    try {
      shadow.adoptedStyleSheets = [sheet];
    } catch {
      // An engine that refuses a sheet from the content script (an Xray wrapper): <style> from now on.
      sheet = null;
    }
    if (sheet && shadow.adoptedStyleSheets.length !== 1) sheet = null;
  }
  sheets.set(doc, sheet);
  if (sheet) return;
  const style = el(doc, "style");
  style.textContent = BADGE_CSS;
  shadow.prepend(style);
}

/** Fills the hover card: name, score in three forms, change, history, override, drags, alerts, date, link. */
function cardContent(doc: Document, card: HTMLElement, account: BadgeCard, pwaUrl: string | undefined): void {
  const parts: Node[] = [];
  const name = el(doc, "p", "name", account.name);
  name.id = `${card.id}-name`;
  parts.push(name);
  if (account.scorecard) parts.push(el(doc, "p", "muted", account.scorecard));

  const score = el(doc, "div", `score ${account.color}`);
  const pill = el(doc, "span");
  // The card repeats the badge as a picture of it ("chip"), hidden from assistive tech: the words follow.
  pillContent(pill, account, "chip");
  pill.setAttribute("aria-hidden", "true");
  score.append(pill, el(doc, "span", "in-words", scoreInWords(account)));
  parts.push(score);

  const delta = deltaInWords(account.delta);
  parts.push(
    el(
      doc,
      "p",
      "delta",
      account.delta === null || delta === undefined
        ? "Change: not known"
        : `Change: ${deltaFigure(account.delta)} (${delta})`,
    ),
  );
  if (account.why) parts.push(el(doc, "p", "why", account.why));
  if (account.sparkline.filter((v) => v !== null).length >= 2) {
    const history = el(doc, "div", account.color);
    history.append(sparklineSvg(doc, account.sparkline));
    parts.push(history);
  }
  if (account.override) {
    parts.push(el(doc, "p", "override", `Override: ${account.override.text} (until ${account.override.until})`));
  }
  if (account.drags.length) {
    parts.push(el(doc, "h3", undefined, "What pulls it down"));
    const list = el(doc, "ul", "drags");
    for (const drag of account.drags) list.append(el(doc, "li", undefined, drag.text));
    parts.push(list);
  }
  if (account.alerts.length) {
    parts.push(el(doc, "h3", undefined, "Open alerts"));
    const list = el(doc, "ul", "alerts");
    for (const alert of account.alerts)
      list.append(el(doc, "li", undefined, `${alert.title} (since ${alert.raisedOn})`));
    parts.push(list);
  }
  parts.push(
    el(doc, "p", "muted as-of", `Score as of ${account.asOf} · data coverage ${Math.round(account.coverage * 100)}%`),
  );
  const href = accountUrl(pwaUrl, account.id);
  if (href) {
    const link = el(doc, "a", "open", "Open in Vitals");
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    parts.push(link);
  }
  card.replaceChildren(...parts);
}

/** Whether an event came from the user (the browser), not from a script's dispatchEvent. */
function trusted(event: Event): boolean {
  return event.isTrusted === true;
}

/** What the document's listeners call on the badge an event is for. */
interface BadgeEvents {
  enter(): void;
  leave(): void;
  focus(inner: Element | null): void;
  focusOut(next: EventTarget | null): void;
  /** Whether the badge handled the key (the page must not act on it then). */
  key(event: KeyboardEvent, inner: Element | null): boolean;
}

/** Each badge host's handlers, for the listeners every badge of a document shares. */
const handlers = new WeakMap<Element, BadgeEvents>();
/** The documents whose window has the badges' listeners. */
const listening = new WeakSet<Document>();

/**
 * The badge an event is for and the element inside it the event is on. Seen from the window, an event inside a
 * badge's closed shadow root is retargeted to its host (so the inner element is the root's focused one); an engine
 * that does not retarget hands over the inner element itself.
 */
function badgeOf(event: Event): [BadgeEvents, Element | null] | undefined {
  const target = event.target as Node | null;
  if (!target || typeof target.getRootNode !== "function") return undefined;
  const own = handlers.get(target as Element);
  if (own) return [own, roots.get(target as Element)?.activeElement ?? null];
  const host = (target.getRootNode() as ShadowRoot).host;
  const inner = host ? handlers.get(host) : undefined;
  return inner ? [inner, target as Element] : undefined;
}

/**
 * One set of listeners for all the badges of a document, on its window in the capture phase, instead of eight per
 * badge (a list page holds hundreds). Events moving within one badge (pill to card) stop at its shadow root and
 * never reach them; a badge's clicks and handled keys stop here, before any of the page's own handlers around it.
 */
function listen(doc: Document): void {
  if (listening.has(doc)) return;
  listening.add(doc);
  const target: EventTarget = doc.defaultView ?? doc;
  const on = (type: string, fn: (event: Event, badge: [BadgeEvents, Element | null]) => void) =>
    target.addEventListener(
      type,
      (event) => {
        if (!trusted(event)) return;
        const badge = badgeOf(event);
        if (badge) fn(event, badge);
      },
      { capture: true },
    );
  // Over and out, which bubble (a window listener for pointerenter missed the pointer reaching a pill in Chromium);
  // the pointer moving between the pill and its card stays inside the badge and is not seen here.
  on("pointerover", (_, [badge]) => badge.enter());
  on("pointerout", (_, [badge]) => badge.leave());
  on("focus", (_, [badge, inner]) => badge.focus(inner));
  on("focusout", (event, [badge]) => badge.focusOut((event as FocusEvent).relatedTarget));
  on("keydown", (event, [badge, inner]) => {
    if (badge.key(event as KeyboardEvent, inner)) event.stopPropagation();
  });
  // Clicks on the badge are ours: a requester combobox or a table row around it must not open or navigate.
  for (const type of ["click", "mousedown", "pointerdown"]) on(type, (event) => event.stopPropagation());
}

/** The part of a badge that does not depend on its account: made ahead, off the page, while a lookup is answered. */
export interface BadgeShell {
  readonly host: HTMLElement;
  readonly shadow: ShadowRoot;
  readonly pill: HTMLSpanElement;
}

/**
 * A badge's host with its closed shadow root, styles and (empty) pill, for createBadge. The scanner makes these while
 * the background answers its lookup, so a page's badges cost only their words and their place once it has.
 */
export function createBadgeShell(doc: Document): BadgeShell {
  const host = doc.createElement(BADGE_TAG);
  const shadow = host.attachShadow({ mode: "closed" });
  const pill = el(doc, "span");
  // Not a Tab stop until its group makes it one (setTabStop): a list of 300 badges adds one stop, not 300.
  pill.tabIndex = -1;
  pill.setAttribute("role", "button");
  pill.setAttribute("aria-haspopup", "dialog");
  pill.setAttribute("aria-expanded", "false");
  shadow.append(pill);
  styleRoot(doc, shadow);
  listen(doc);
  return { host, shadow, pill };
}

/**
 * Creates a badge for an account: a focusable pill in a closed shadow root that opens a card on hover or keyboard
 * focus. The caller places `host` next to its element.
 * - Closed: the page's script gets no `shadowRoot` and no text from the host, so it cannot read the account's name,
 *   score, override, alerts or the app's address (the page's styles cannot reach in, ours cannot leak out). Screen
 *   readers still read the pill: the accessibility tree includes closed shadow trees.
 * - The card opens and closes only on the user's own events (`isTrusted`): a page's synthetic mouseover or focus
 *   does nothing.
 * Everything is built with createElement/textContent: names come from user data and must stay inert.
 * - Not WXT's createShadowRootUi: it is asynchronous (with cssInjectionMode "ui" it fetches the content script's CSS
 *   from the extension on every call), opens its shadow root unless told otherwise, and wraps each UI in a
 *   document of its own (<html>, <head>, <body>) positioned by its anchor options. A list page can hold hundreds of
 *   badges, each placed at once right after the text the scanner matched, so a badge is a plain `<vitals-badge>`
 *   host element with a closed shadow root and its CSS as a string (styles.ts), made in one synchronous call.
 */
export function createBadge(
  doc: Document,
  initial: BadgeCard,
  initialPwaUrl: string | undefined,
  options: BadgeOptions = {},
  shell?: BadgeShell,
): BadgeView {
  const alive = options.alive ?? (() => true);
  let account = initial;
  let pwaUrl = initialPwaUrl;
  const { host, shadow, pill } = shell ?? createBadgeShell(doc);
  roots.set(host, shadow);

  let card: HTMLElement | undefined;
  let open = false;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const cardId = `vitals-card-${++serial}`;

  function render(): void {
    pillContent(pill, account);
    pill.setAttribute("aria-label", badgeLabel(account));
    if (card) cardContent(doc, card, account, pwaUrl);
  }

  function ensureCard(): HTMLElement {
    if (card) return card;
    card = el(doc, "div", "card");
    card.id = cardId;
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-labelledby", `${cardId}-name`);
    // The popover top layer keeps the card above the page and out of its overflow clipping; hidden is the fallback.
    const popover = "showPopover" in card;
    if (popover) card.setAttribute("popover", "manual");
    else card.hidden = true;
    pill.setAttribute("aria-controls", cardId);
    cardContent(doc, card, account, pwaUrl);
    shadow.append(card);
    return card;
  }

  function place(target: HTMLElement): void {
    const view = doc.defaultView;
    const rect = pill.getBoundingClientRect();
    const width = target.offsetWidth || 300;
    const height = target.offsetHeight || 0;
    const viewWidth = view?.innerWidth ?? 1024;
    const viewHeight = view?.innerHeight ?? 768;
    const below = rect.bottom + 6;
    const top = below + height > viewHeight && rect.top - height - 6 >= 0 ? rect.top - height - 6 : below;
    const left = Math.max(8, Math.min(rect.left, viewWidth - width - 8));
    target.style.top = `${Math.round(top)}px`;
    target.style.left = `${Math.round(left)}px`;
  }

  // The card is fixed to the viewport: while it is open it follows the badge when the page or a panel scrolls.
  const follow = () => {
    if (open && card) place(card);
  };

  function show(): void {
    if (!alive()) return;
    cancelClose();
    const target = ensureCard();
    if (!open) {
      if (target.hasAttribute("popover")) target.showPopover();
      else target.hidden = false;
      open = true;
      pill.setAttribute("aria-expanded", "true");
      doc.defaultView?.addEventListener("scroll", follow, { capture: true, passive: true });
    }
    place(target);
  }

  function hide(): void {
    cancelClose();
    if (!open || !card) return;
    if (card.hasAttribute("popover")) card.hidePopover();
    else card.hidden = true;
    open = false;
    pill.setAttribute("aria-expanded", "false");
    doc.defaultView?.removeEventListener("scroll", follow, { capture: true });
  }

  function cancelClose(): void {
    if (closeTimer !== undefined) clearTimeout(closeTimer);
    closeTimer = undefined;
  }

  function scheduleClose(): void {
    cancelClose();
    // Keyboard focus inside the badge keeps the card open; only the pointer leaving starts the timer.
    if (shadow.activeElement) return;
    closeTimer = setTimeout(hide, CLOSE_DELAY_MS);
  }

  // Escape sends focus back to the pill; that focus must not reopen the card it just closed.
  let openOnFocus = true;
  handlers.set(host, {
    // The pointer entering the pill, or the open card (cancelling its close).
    enter: show,
    leave: scheduleClose,
    focus(inner) {
      if (inner !== pill) return;
      options.onFocus?.();
      if (openOnFocus) show();
    },
    focusOut(next) {
      if (!next || (next !== host && !shadow.contains(next as Node))) hide();
    },
    key(event, inner) {
      const key = event.key;
      if (key === "Escape" && open) {
        hide();
        openOnFocus = false;
        pill.focus({ preventScroll: true });
        openOnFocus = true;
      } else if ((key === "Enter" || key === " ") && inner === pill) {
        if (open) hide();
        else show();
        event.preventDefault();
      } else if (MOVE_KEYS.has(key) && inner === pill && options.onMove) {
        options.onMove(key as MoveKey);
        event.preventDefault();
      } else return false;
      // Handled here: the page's own shortcuts (Gmail's, a help desk's) must not also act on it.
      return true;
    },
  });

  render();
  return {
    host,
    get accountId() {
      return account.id;
    },
    update(next, nextPwaUrl) {
      account = next;
      pwaUrl = nextPwaUrl;
      render();
      if (open && card) place(card);
    },
    remove() {
      hide();
      host.remove();
    },
    setTabStop(on) {
      pill.tabIndex = on ? 0 : -1;
    },
    focus() {
      pill.focus({ preventScroll: false });
    },
    get focused() {
      return shadow.activeElement === pill;
    },
    describe(text) {
      pill.setAttribute("aria-description", text);
    },
  };
}
