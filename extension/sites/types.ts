import type { Identifier } from "../messages.ts";
import type { Visibility } from "./visibility.ts";

/**
 * Something on the page that may show an account: an element (a requester field, a record header, a link) with
 * the identifiers read from it, or a piece of free text (generic adapter) for the background to search.
 * The badge goes right after `anchor`.
 */
export type Candidate =
  | {
      /** The element (or text node) the badge is placed after. */
      anchor: Element;
      /** Identifiers, most specific first: the first one that matches an account wins. */
      identifiers: Identifier[];
    }
  | {
      /** The element (or text node) the badge is placed after. */
      anchor: Element | Text;
      /** Free text to search for emails, domains, ids and names; every account found gets a badge. */
      text: string;
    };

/** What a scan pass tells an adapter besides the roots to look in. */
export interface ScanContext {
  /** The page's address as of this pass (the SPA's current route). */
  url: URL;
  /**
   * Whether an element was rendered (or changed) since the last in-app navigation. Identifiers read from the URL
   * (a Salesforce record id, a HubSpot company id) belong only on fresh elements: a record header still on screen
   * from the record the user just left must not get the new record's badge.
   */
  isFresh(element: Element): boolean;
  /** Which elements render this pass (cached per element): text the user cannot see is never matched. */
  visibility: Visibility;
  /**
   * Tells the scanner an element's subtree was skipped because it does not render: when the element (or an
   * ancestor) changes its `hidden`, `open`, `aria-hidden`, `class` or `style`, the scanner looks at it again.
   */
  skipped(element: Element): void;
}

/** One product's pages: where accounts appear and how to read them. One adapter per file in this folder. */
export interface SiteAdapter {
  /** Short id, also the `system` of external ids read from this product's pages where it has one. */
  readonly id: string;
  /** The product's name, for people. */
  readonly name: string;
  /** Match patterns of the product's pages (the manifest's content script matches list them all). */
  readonly patterns: readonly string[];
  /**
   * Whether the page's own structure (articles, sections, rows, landmarks) makes its regions, in each of which an
   * account gets one badge: true for the generic matcher (pages no one described, which name one requester again
   * and again). A product's adapter leaves it unset: it badges only its known places, each on purpose.
   */
  readonly structuralRegions?: boolean;
  /** Everything in or around `roots` (elements or text nodes that were added or changed) that may show an account. */
  find(roots: readonly Node[], context: ScanContext): Candidate[];
}
