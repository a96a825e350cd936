import { elementOf, isElement } from "./dom.ts";

// Only text the user can see is matched. A page that hides candidates (a `display:none` list of domains, an
// `aria-hidden` span, a zero-size box, a closed <details>) and watches for badges would otherwise learn which of
// them are the user's customers. Rendered means: the element has a box (checkVisibility: not display:none, not
// inside a closed <details> or other skipped content, not visibility:hidden, not opacity 0), is not aria-hidden,
// is not clipped to (almost) nothing, and does not sit wholly above or left of the page where no one can scroll.
// Each element is judged once per pass (a cache), its ancestors through the same cache, so a page scan costs one
// style and layout read per element, not per text node; getComputedStyle is read only for the rare zero-size box.

/** What a pass knows about which elements render: one answer per element, cached for the pass. */
export interface Visibility {
  /** Whether the element and every ancestor render (its text can be seen). */
  rendered(element: Element): boolean;
  /** Whether the element itself hides its whole subtree (ancestors not considered). */
  hides(element: Element): boolean;
  /** Whether a text node directly inside `parent` can show (false for a zero-size parent: font-size 0, a 0×0 box). */
  showsOwnText(parent: Element): boolean;
}

const CHECK = { opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: false } as const;

/**
 * A fresh cache for one scan pass of `doc` (layout may change between passes). Where the document has no layout (a
 * DOM without a rendering engine, as in unit tests: the root element measures 0×0) only the checks that need none
 * apply: attributes, and styles through checkVisibility.
 */
export function createVisibility(doc: Document): Visibility {
  const hidesCache = new Map<Element, boolean>();
  const renderedCache = new Map<Element, boolean>();
  const zeroCache = new Map<Element, boolean>();
  const layout = doc.documentElement.getBoundingClientRect().width > 0;

  const boxCache = new Map<Element, DOMRect>();

  /** The element's box, read once per pass (an anchor's is read for its own hiding and for its text's size). */
  function box(element: Element): DOMRect | undefined {
    if (!layout) return undefined;
    let rect = boxCache.get(element);
    if (!rect) {
      rect = element.getBoundingClientRect();
      boxCache.set(element, rect);
    }
    return rect;
  }

  function zeroSize(element: Element): boolean {
    let zero = zeroCache.get(element);
    if (zero === undefined) {
      const rect = box(element);
      zero = !!rect && (rect.width < 1 || rect.height < 1) && style(element)?.display !== "contents";
      zeroCache.set(element, zero);
    }
    return zero;
  }

  function style(element: Element): CSSStyleDeclaration | undefined {
    return element.ownerDocument.defaultView?.getComputedStyle(element);
  }

  function hides(element: Element): boolean {
    let hidden = hidesCache.get(element);
    if (hidden !== undefined) return hidden;
    hidden = computeHides(element);
    hidesCache.set(element, hidden);
    return hidden;
  }

  function computeHides(element: Element): boolean {
    if (element.getAttribute("aria-hidden") === "true" || element.hasAttribute("hidden")) return true;
    // A closed <details> shows only its summary (said here too, for engines whose checkVisibility does not know).
    const parent = element.parentElement;
    if (
      parent?.localName === "details" &&
      !parent.hasAttribute("open") &&
      element !== parent.querySelector(":scope > summary")
    )
      return true;
    // An element with display:contents has no box of its own (checkVisibility says false) but shows its children
    // (a <slot> outside a shadow tree, a wrapper a framework adds): its children decide.
    if (
      typeof element.checkVisibility === "function" &&
      !element.checkVisibility(CHECK) &&
      style(element)?.display !== "contents"
    )
      return true;
    const rect = box(element);
    if (!rect) return false;
    const doc = element.ownerDocument;
    const view = doc.defaultView;
    // Wholly above or left of the page's origin: no scrolling brings it into view (the classic left: -9999px).
    if (view && rect.width + rect.height > 0) {
      if (rect.right + view.scrollX <= 0 || rect.bottom + view.scrollY <= 0) return true;
    }
    // A box clipped to (almost) nothing: the visually-hidden pattern (1×1, overflow hidden), or a 0-size clip.
    if (rect.width < 2 || rect.height < 2) {
      const s = style(element);
      if (s && s.display !== "contents" && (s.overflowX !== "visible" || s.overflowY !== "visible")) return true;
    }
    return false;
  }

  function rendered(element: Element): boolean {
    let seen = renderedCache.get(element);
    if (seen !== undefined) return seen;
    const parent = element.parentElement ?? hostOf(element);
    seen = !hides(element) && (parent === null || rendered(parent));
    renderedCache.set(element, seen);
    return seen;
  }

  return { rendered, hides, showsOwnText: (parent) => !zeroSize(parent) };
}

/** The shadow host of an element at the top of a shadow tree, or null. */
function hostOf(element: Element): Element | null {
  const root = element.getRootNode() as Node & { host?: unknown };
  return root !== element.ownerDocument && isElement(root.host as Node) ? (root.host as Element) : null;
}

/**
 * Whether a candidate's anchor can be seen: its element and every ancestor render, and the element shows its own
 * text. What the scanner badges and what the popup's report counts are both held to it.
 */
export function anchorShown(visibility: Visibility, anchor: Element | Text): boolean {
  const element = elementOf(anchor);
  return !!element && visibility.rendered(element) && visibility.showsOwnText(element);
}
