import { generic } from "./generic.ts";
import type { Candidate, ScanContext, SiteAdapter } from "./types.ts";
import { anchorShown } from "./visibility.ts";

/** How a page is being read: by its product's adapter, by the generic matcher because the adapter found none of its
 * places on the page (its layout changed), or by the generic matcher on a site the user enabled. */
export type ScanMode = "adapter" | "fallback" | "generic";

/** A site adapter that falls back to the generic matcher on a page where it recognises nothing. */
export interface FallbackAdapter extends SiteAdapter {
  /** How the page is read as of the latest pass. */
  mode(): ScanMode;
}

/** Whether a pass covers the whole page (the first one, after in-app navigation, after new scores). */
function wholePage(roots: readonly Node[]): boolean {
  return roots.some((root) => {
    const doc = root.ownerDocument;
    return doc !== null && (root === doc.body || root === doc.documentElement);
  });
}

/**
 * Wraps a product's adapter: while it finds none of its places on the page (real pages change their markup, and a
 * known product's page must not then show nothing), the page's text goes to the generic matcher, as on a site the
 * user enabled. Once the adapter recognises something shown, it alone reads the page and the generic matcher's badges are
 * taken back (their anchors are handed back with nothing to look up). Each whole-page pass decides again.
 */
export function withFallback(adapter: SiteAdapter): FallbackAdapter {
  if (adapter === generic) return { ...generic, mode: () => "generic" };
  let recognised = false;
  const fallbackAnchors = new Set<Element | Text>();
  return {
    id: adapter.id,
    name: adapter.name,
    patterns: adapter.patterns,
    mode: () => (recognised ? "adapter" : "fallback"),
    // While the generic matcher reads the page, its regions are the page's structure, as on any generic page.
    get structuralRegions() {
      return !recognised;
    },
    find(roots: readonly Node[], context: ScanContext): Candidate[] {
      if (wholePage(roots)) {
        // A whole-page pass starts from a page without badges (navigation) or looks everything up again.
        recognised = false;
        fallbackAnchors.clear();
      }
      const own = adapter.find(roots, context);
      // Recognised by what shows: a product page whose only known places are hidden (an inactive ticket tab kept in
      // the page) is read by the generic matcher, as the user sees it.
      if (own.some((candidate) => anchorShown(context.visibility, candidate.anchor))) {
        const taken: Candidate[] = [];
        if (!recognised) {
          for (const anchor of fallbackAnchors) if (anchor.isConnected) taken.push({ anchor, text: "" });
          fallbackAnchors.clear();
        }
        recognised = true;
        return [...own, ...taken];
      }
      if (recognised) return own;
      const found = generic.find(roots, context);
      for (const candidate of found) fallbackAnchors.add(candidate.anchor);
      return found;
    },
  };
}
