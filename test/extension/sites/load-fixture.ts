import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Window } from "happy-dom";

/** A fixture page loaded at its product URL in happy-dom, its own scripts run and its late content rendered. */
export interface LoadedFixture {
  window: Window;
  document: Document;
  /** Waits until the page's timers (late loading, navigation) have all run. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Loads test/fixtures/pages/<name> as the browser would at `url`, running its scripts (the SPA fixtures build
 * their content late), so adapters are unit-tested against the very pages the e2e tests use. With `settle: false`
 * the page's late content has not rendered yet when this returns.
 */
export async function loadFixture(
  name: string,
  url: string,
  { settle: settleFirst = true } = {},
): Promise<LoadedFixture> {
  const html = readFileSync(resolve("test/fixtures/pages", name), "utf8");
  const window = new Window({
    url,
    settings: {
      enableJavaScriptEvaluation: true,
      // The only scripts run are our own fixture pages' (test/fixtures/pages), never anything fetched.
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableCSSFileLoading: true,
    },
  });
  // happy-dom has no isTrusted; badges act only on trusted events, so here every event counts as the user's.
  Object.defineProperty(window.Event.prototype, "isTrusted", { configurable: true, get: () => true });
  window.document.write(html);
  const settle = () => window.happyDOM.waitUntilComplete();
  if (settleFirst) await settle();
  return {
    window,
    document: window.document as unknown as Document,
    settle,
    close: () => window.happyDOM.close(),
  };
}
