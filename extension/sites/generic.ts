import { BADGE_TAG, elementOf, FILTER, isElement, isParent, isText, SHOW_ELEMENT_AND_TEXT } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

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

function collect(root: Node, out: Candidate[], links: Set<Element>): void {
  const element = elementOf(root);
  if (element?.closest(SELECTORS.skip)) return;
  const link = element?.closest(SELECTORS.link);
  if (link) links.add(link);
  if (isText(root)) {
    if (worthSearching(root.data)) out.push({ anchor: anchorOf(root), text: root.data });
    return;
  }
  if (!isParent(root)) return;
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, SHOW_ELEMENT_AND_TEXT, {
    acceptNode(node) {
      if (isElement(node)) return node.matches(SELECTORS.skip) ? FILTER.REJECT : FILTER.SKIP;
      return worthSearching((node as Text).data) ? FILTER.ACCEPT : FILTER.SKIP;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    out.push({ anchor: anchorOf(node as Text), text: (node as Text).data });
  }
  for (const found of root.querySelectorAll(SELECTORS.link)) if (!found.closest(SELECTORS.skip)) links.add(found);
}

/** Any site the user enabled: free text and link targets, searched by the background. */
export const generic: SiteAdapter = {
  id: "generic",
  name: "Other sites",
  // No patterns of its own: it runs where the user enabled Vitals, on any host no other adapter claims.
  patterns: [],
  find(roots) {
    const out: Candidate[] = [];
    const links = new Set<Element>();
    for (const root of roots) collect(root, out, links);
    for (const link of links) {
      const href = link.getAttribute("href") ?? "";
      if (LINK_TARGET.test(href)) out.push({ anchor: link, text: hrefText(href) });
    }
    return out;
  },
};
