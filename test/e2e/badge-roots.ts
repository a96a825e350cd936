import type { Page } from "@playwright/test";

// Badges live in closed shadow roots: the page's scripts cannot reach inside, and neither can Playwright's locators
// (they go through `element.shadowRoot`, which is null for a closed root). The DevTools protocol can: DOM.getDocument
// with `pierce` lists closed roots too, and DOM.resolveNode hands one to a function run in the page. Only the test
// holds that session; a page's own script has no such door.

interface CdpNode {
  nodeName: string;
  backendNodeId: number;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

/**
 * Runs `fn` in the page with the shadow root of every badge on it (document order) and returns its result, which
 * must be JSON-serialisable. `arg` is passed as the second argument.
 */
export async function inBadges<T, A = undefined>(
  page: Page,
  fn: (roots: ShadowRoot[], arg: A) => T | Promise<T>,
  arg?: A,
): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: CdpNode };
    const shadows: number[] = [];
    const walk = (node: CdpNode) => {
      if (node.nodeName === "VITALS-BADGE") for (const s of node.shadowRoots ?? []) shadows.push(s.backendNodeId);
      for (const child of node.children ?? []) walk(child);
      for (const s of node.shadowRoots ?? []) walk(s);
      if (node.contentDocument) walk(node.contentDocument);
    };
    walk(root);
    const handles = await Promise.all(
      shadows.map((backendNodeId) => cdp.send("DOM.resolveNode", { backendNodeId }).then((r) => r.object.objectId)),
    );
    const target = (await cdp.send("Runtime.evaluate", { expression: "globalThis" })).result.objectId;
    const { result, exceptionDetails } = await cdp.send("Runtime.callFunctionOn", {
      objectId: target,
      functionDeclaration: `function (arg, ...roots) { return (${fn.toString()})(roots, arg); }`,
      arguments: [arg === undefined ? {} : { value: arg }, ...handles.map((objectId) => ({ objectId }))],
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails)
      throw new Error(`inBadges: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** What a badge shows: its pill's text, its accessible name and whether its card is open. */
export interface BadgeShown {
  text: string;
  name: string;
  expanded: boolean;
}

/** The badges whose host element matches `hostSelector` (every badge when it is omitted), in document order. */
export function badgesAt(page: Page, hostSelector?: string): Promise<BadgeShown[]> {
  return inBadges(
    page,
    (roots, sel) =>
      roots
        .filter((root) => !sel || root.host.matches(sel))
        .map((root) => {
          const pill = root.querySelector(".pill");
          return {
            text: pill?.textContent ?? "",
            name: pill?.getAttribute("aria-label") ?? "",
            expanded: pill?.getAttribute("aria-expanded") === "true",
          };
        }),
    hostSelector ?? "",
  );
}

/** The pill texts of the badges whose host matches `hostSelector` (every badge when it is omitted). */
export async function badgeTexts(page: Page, hostSelector?: string): Promise<string[]> {
  return (await badgesAt(page, hostSelector)).map((b) => b.text);
}

/** An open card as the user sees it: its name, its whole text, its list items, links and images, and what has focus. */
export interface CardShown {
  name: string;
  text: string;
  items: string[];
  links: { text: string; href: string }[];
  images: string[];
  /** Elements in the card that are not plain text structure (markup from data would show up here). */
  tags: string[];
  /** The text of the focused element inside the badge, or null. */
  focused: string | null;
}

/** The card that is open on the page (shown in the top layer), or null when none is. */
export function openCard(page: Page): Promise<CardShown | null> {
  return inBadges(page, (roots) => {
    for (const root of roots) {
      const card = root.querySelector(".card");
      if (!card?.matches(":popover-open")) continue;
      const active = root.activeElement;
      return {
        name: card.querySelector(".name")?.textContent ?? "",
        // biome-ignore lint/performance/useDomNodeTextContent: the card's text as laid out and seen, not its source text.
        text: (card as HTMLElement).innerText,
        items: [...card.querySelectorAll("li")].map((li) => li.textContent ?? ""),
        links: [...card.querySelectorAll("a")].map((a) => ({ text: a.textContent ?? "", href: a.href })),
        images: [...card.querySelectorAll('[role="img"]')].map((i) => i.getAttribute("aria-label") ?? ""),
        tags: [...card.querySelectorAll("img, script, b, iframe, object")].map((e) => e.localName),
        focused: active ? (active.textContent ?? "") : null,
      };
    }
    return null;
  });
}

/** The focused badge's pill text, or null when focus is not on a badge's pill. */
export function focusedPill(page: Page): Promise<string | null> {
  return inBadges(page, (roots) => {
    const root = roots.find((r) => r.host === document.activeElement);
    return root?.activeElement?.classList.contains("pill") ? (root.activeElement.textContent ?? "") : null;
  });
}

/** Focuses the pill of the first badge after `selector` (as a keyboard user tabbing to it would). */
export function focusBadge(page: Page, selector: string): Promise<void> {
  return inBadges(
    page,
    (roots, sel) => {
      const root = roots.find((r) => r.host.matches(`${sel} + vitals-badge`));
      (root?.querySelector(".pill") as HTMLElement | null)?.focus();
    },
    selector,
  );
}

/** The accessible names of the page's buttons as the browser's accessibility tree (what screen readers get) has them. */
export async function accessibleButtons(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
      nodes: { ignored: boolean; role?: { value?: unknown }; name?: { value?: unknown } }[];
    };
    return nodes
      .filter((n) => !n.ignored && n.role?.value === "button")
      .map((n) => String(n.name?.value ?? ""))
      .filter((name) => name !== "");
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
