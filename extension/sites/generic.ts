import { BADGE_TAG, elementOf, FILTER, isElement, isParent, isText, SHOW_ELEMENT_AND_TEXT } from "./dom.ts";
import type { Candidate, ScanContext, SiteAdapter } from "./types.ts";

// Any other site the user enables (a self-hosted help desk, Jira Service Management, an in-house CRM): there are
// no known places, so the page's text and link targets go to the background, which finds known emails, domains,
// CRM ids and account names in them (names on word boundaries). Fixtures: test/fixtures/pages/generic-*.html.
const SELECTORS = {
  /** Where text is not content to badge: code and styles, form controls, editors the user types into. */
  skip: `script, style, noscript, template, textarea, select, option, input, [contenteditable=""], [contenteditable="true"], ${BADGE_TAG}`,
  /** Links: their text and their target share one badge per account, placed after the link. */
  link: "a[href]",
} as const;

/** Link targets worth searching: mail addresses and web addresses (a CRM record, a company's site). */
const LINK_TARGET = /^(mailto:|https?:)/i;

/** Whether a text node holds something to search (not blank, not a lone number or punctuation). */
function worthSearching(text: string): boolean {
  return /[a-z]{2}/i.test(text);
}

/** Where a badge for a piece of text goes: after its link when the text is a link's, otherwise after the text. */
function anchorOf(node: Text): Element | Text {
  return node.parentElement?.closest(SELECTORS.link) ?? node;
}

/** A link target as text, percent-escapes decoded where they are valid (mailto:dana%40acme.com). */
function hrefText(href: string): string {
  try {
    return decodeURI(href).slice(0, 2_000);
  } catch {
    return href.slice(0, 2_000);
  }
}

/** The outermost element from `element` up that hides its subtree (what the scanner watches for a change). */
function hidingAncestor(element: Element, { visibility }: ScanContext): Element {
  let hiding = element;
  for (let at: Element | null = element; at; at = at.parentElement) if (visibility.hides(at)) hiding = at;
  return hiding;
}

/**
 * The text and links in and around a root that the user can see. Hidden subtrees (display:none, visibility:hidden,
 * opacity 0, aria-hidden, the hidden attribute, closed <details>, clipped or off-page boxes) are skipped whole, each
 * element judged once; a text node directly in a zero-size element (font-size 0, a 0×0 box) is skipped too.
 */
function collect(root: Node, out: Candidate[], links: Set<Element>, context: ScanContext): void {
  const { visibility } = context;
  const element = elementOf(root);
  if (element?.closest(SELECTORS.skip)) return;
  if (element && !visibility.rendered(element)) {
    context.skipped(hidingAncestor(element, context));
    return;
  }
  const link = element?.closest(SELECTORS.link);
  if (link) links.add(link);
  if (isText(root)) {
    if (worthSearching(root.data) && element && visibility.showsOwnText(element))
      out.push({ anchor: anchorOf(root), text: root.data });
    return;
  }
  if (!isParent(root)) return;
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, SHOW_ELEMENT_AND_TEXT, {
    acceptNode(node) {
      if (isElement(node)) {
        if (node.matches(SELECTORS.skip)) return FILTER.REJECT;
        if (visibility.hides(node)) {
          context.skipped(node);
          return FILTER.REJECT;
        }
        if (node.matches(SELECTORS.link)) links.add(node);
        return FILTER.SKIP;
      }
      const parent = (node as Text).parentElement;
      return worthSearching((node as Text).data) && (!parent || visibility.showsOwnText(parent))
        ? FILTER.ACCEPT
        : FILTER.SKIP;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    out.push({ anchor: anchorOf(node as Text), text: (node as Text).data });
  }
}

/** Any site the user enabled: free text and link targets, searched by the background. */
export const generic: SiteAdapter = {
  id: "generic",
  name: "Other sites",
  structuralRegions: true,
  // No patterns of its own: it runs where the user enabled Vitals, on any host no other adapter claims.
  patterns: [],
  find(roots, context) {
    const out: Candidate[] = [];
    const links = new Set<Element>();
    for (const root of roots) collect(root, out, links, context);
    for (const link of links) {
      const href = link.getAttribute("href") ?? "";
      if (LINK_TARGET.test(href)) out.push({ anchor: link, text: hrefText(href) });
    }
    return out;
  },
};
