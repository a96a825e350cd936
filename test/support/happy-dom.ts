import { Window } from "happy-dom";
import { afterEach } from "vitest";

const GLOBALS = ["window", "document", "requestAnimationFrame", "cancelAnimationFrame"] as const;

/**
 * A happy-dom page for Preact components in a test file: `open()` makes a window, puts it in the globals Preact
 * renders through (and the frame callbacks, drawn or never drawn, as in a background tab) and returns an element
 * to render into; each test's window is closed and the globals removed after it.
 */
export function usePage() {
  let window: Window | undefined;
  afterEach(async () => {
    await window?.happyDOM.close();
    window = undefined;
    for (const key of GLOBALS) delete (globalThis as Record<string, unknown>)[key];
  });
  return {
    open(options: { frames?: "drawn" | "none" } = {}) {
      const win = new Window({ url: "http://localhost/" });
      window = win;
      Object.assign(globalThis, {
        window: win,
        document: win.document,
        requestAnimationFrame: options.frames === "none" ? () => 1 : win.requestAnimationFrame.bind(win),
        cancelAnimationFrame: win.cancelAnimationFrame.bind(win),
      });
      const root = win.document.createElement("div");
      win.document.body.append(root);
      return { win, root: root as unknown as HTMLElement };
    },
  };
}
