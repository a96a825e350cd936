import { isElement } from "../sites/dom.ts";

// Where a badge belongs, beyond the element it follows:
// - a region is the part of the page one account gets one badge in: a message, a sidebar card, a header, a row of
//   a list or a table. The same requester named in a ticket's header, its sidebar and two of its messages gets four
//   badges, one in each; named three times in one message, one.
// - a group is a landmark (main, a sidebar, the header, a dialog): the badges in it are one stop in the keyboard's
//   Tab order, and the arrow keys move between them (a roving tabindex).

/** Elements that are one region: semantic blocks, rows and list items, landmarks. */
const REGION =
  "article, section, li, tr, dd, blockquote, details, dialog, form, fieldset, header, footer, aside, nav, main, " +
  '[role="article"], [role="row"], [role="listitem"], [role="treeitem"], [role="option"], [role="dialog"], ' +
  '[role="region"], [role="complementary"], [role="banner"], [role="navigation"], [role="main"], ' +
  '[role="contentinfo"], [role="form"], [role="search"], [role="group"], [role="feed"] > *';

/** Landmarks: each is one Tab stop for the badges in it (the page outside any landmark is one more). */
const GROUP =
  "main, aside, nav, header, footer, dialog, form[aria-label], form[aria-labelledby], section[aria-label], " +
  'section[aria-labelledby], [role="main"], [role="complementary"], [role="navigation"], [role="banner"], ' +
  '[role="contentinfo"], [role="dialog"], [role="alertdialog"], [role="region"], [role="search"], [role="form"]';

/** How many like siblings make a plain `<div>` a row of a list (a grid of divs, a feed of cards). */
const ROW_SIBLINGS = 3;

/**
 * Whether a plain `div` is a row of a list built without list markup: its parent holds at least ROW_SIBLINGS
 * `div`s with the same class (a help desk's ticket rows, a CRM's cards).
 */
function isRow(element: Element): boolean {
  if (element.localName !== "div") return false;
  const name = element.getAttribute("class");
  const parent = element.parentElement;
  if (!name || !parent || parent.childElementCount < ROW_SIBLINGS) return false;
  let like = 0;
  for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
    if (child.localName === "div" && child.getAttribute("class") === name && ++like >= ROW_SIBLINGS) return true;
  }
  return false;
}

/** Finds regions and groups, each element's answer cached (one finder per pass: the page changes between passes). */
export interface RegionFinder {
  /** The region `element` is in (itself included), or null for the page outside any region. */
  region(element: Element): Element | null;
  /** The landmark `element` is in, or null for the page outside any landmark. */
  group(element: Element): Element | null;
}

/**
 * A finder over the page. `structure`: the page's own structure makes regions (the generic matcher, on pages no one
 * described); without it each element is a region of its own (a product's adapter badges only known places, each
 * on purpose).
 */
export function createRegionFinder(structure: boolean): RegionFinder {
  const regions = new Map<Element, Element | null>();
  function region(element: Element): Element | null {
    if (!structure) return element;
    const seen: Element[] = [];
    let found: Element | null = null;
    for (let at: Element | null = element; at; at = at.parentElement) {
      const known = regions.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      seen.push(at);
      if (at.matches(REGION) || isRow(at)) {
        found = at;
        break;
      }
    }
    for (const at of seen) regions.set(at, found);
    return found;
  }
  return {
    region,
    group: (element) => element.closest(GROUP),
  };
}

/** Whether node `a` comes before node `b` in the document. */
export function before(a: Node, b: Node): boolean {
  // DOCUMENT_POSITION_FOLLOWING: b follows a.
  return (a.compareDocumentPosition(b) & 4) !== 0;
}

/** The element a node is or sits in (a text node's parent). */
export function elementFor(node: Node): Element | null {
  return isElement(node) ? node : node.parentElement;
}
