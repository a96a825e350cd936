import type { Identifier } from "../messages.ts";

// Small DOM helpers shared by the site adapters, so each adapter file is only its selectors and what they mean.

/** The tag of the element that hosts a badge; adapters and the scanner skip it. */
export const BADGE_TAG = "vitals-badge";

// Node types by number rather than `instanceof`: the checks then hold in any realm (a content script's isolated
// world, a test's happy-dom window).
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;
const SHOW_ELEMENT = 0x1;
const SHOW_TEXT = 0x4;
/** TreeWalker filter results (NodeFilter's constants). */
export const FILTER = { ACCEPT: 1, REJECT: 2, SKIP: 3 } as const;
/** What a TreeWalker shows: elements and text. */
export const SHOW_ELEMENT_AND_TEXT = SHOW_ELEMENT | SHOW_TEXT;

/** Whether a node is an element. */
export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

/** Whether a node is a text node. */
export function isText(node: Node | null | undefined): node is Text {
  return node?.nodeType === TEXT_NODE;
}

/** Whether a node can hold descendants to query (an element, a document, a fragment). */
export function isParent(node: Node): node is Element | Document | DocumentFragment {
  return node.nodeType === ELEMENT_NODE || node.nodeType === DOCUMENT_NODE || node.nodeType === DOCUMENT_FRAGMENT_NODE;
}

/** The element a node is or sits in. */
export function elementOf(node: Node): Element | null {
  return isElement(node) ? node : node.parentElement;
}

/**
 * Every element matching `selector` inside, at or around the roots: a root's own matches, the root itself, and the
 * nearest ancestor match (text changed inside a requester field re-reads the field). Each element once, in order.
 */
export function queryAll(roots: readonly Node[], selector: string): Element[] {
  const out = new Set<Element>();
  for (const root of roots) {
    const around = elementOf(root)?.closest(selector);
    if (around) out.add(around);
    if (isParent(root)) for (const found of root.querySelectorAll(selector)) out.add(found);
  }
  return [...out];
}

/**
 * Whether a descendant hides its subtree within its element, whatever the element's own state: the `hidden` or
 * `aria-hidden` attribute, display:none, or visibility:hidden where the element itself is visible. (An inactive
 * tab's whole workspace is hidden by the product; what counts here is text hidden inside a field or a panel.)
 */
function hiddenWithin(node: Element, outerVisible: boolean): boolean {
  if (node.hasAttribute("hidden") || node.getAttribute("aria-hidden") === "true") return true;
  const style = node.ownerDocument.defaultView?.getComputedStyle(node);
  return !!style && (style.display === "none" || (outerVisible && style.visibility === "hidden"));
}

/** An element's visible text, whitespace collapsed, without any badge inside it or text hidden within it. */
export function textOf(element: Element): string {
  let text = "";
  const outer = element.ownerDocument.defaultView?.getComputedStyle(element);
  const outerVisible = outer?.visibility !== "hidden";
  const walker = element.ownerDocument.createTreeWalker(element, SHOW_ELEMENT_AND_TEXT, {
    acceptNode: (node) =>
      isElement(node) && (node.localName === BADGE_TAG || hiddenWithin(node, outerVisible))
        ? FILTER.REJECT
        : FILTER.ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (isText(node)) text += node.data;
  return text.replace(/\s+/g, " ").trim();
}

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;

/** The email addresses in a piece of text, lower case, each once. */
export function emailsIn(text: string): string[] {
  return [...new Set((text.match(EMAIL) ?? []).map((e) => e.toLowerCase()))];
}

/** The address of a `mailto:` link, lower case, or undefined. */
export function mailtoOf(element: Element): string | undefined {
  const href = element.getAttribute("href");
  if (!href?.toLowerCase().startsWith("mailto:")) return undefined;
  const address = decodeURIComponent(href.slice(7).split("?")[0] ?? "");
  return emailsIn(address)[0];
}

/** An identifier, or nothing when the value is empty or too long to be one (zod would refuse it). */
export function identifier(kind: Identifier["kind"], value: string | undefined, system?: string): Identifier[] {
  const v = value?.trim();
  if (!v || v.length > 500) return [];
  return [system ? { kind, value: v, system } : { kind, value: v }];
}

/** The path of an element's link resolved against the page, or undefined for a missing or unparsable href. */
export function linkPath(element: Element, base: URL): string | undefined {
  const href = element.getAttribute("href");
  if (!href) return undefined;
  try {
    return new URL(href, base).pathname;
  } catch {
    return undefined;
  }
}
