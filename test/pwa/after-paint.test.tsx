import { Window } from "happy-dom";
import { afterEach, describe, expect, it } from "vitest";

/**
 * What a long page renders once its first screen is painted (pwa/src/components/after-paint.tsx): the account page
 * shows its first scorecard card at once and the cards and forms below it right after that paint. They must come
 * in every case, also in a tab that draws no frame.
 */
let window: Window | undefined;
afterEach(async () => {
  await window?.happyDOM.close();
  window = undefined;
  for (const key of ["window", "document", "requestAnimationFrame", "cancelAnimationFrame"]) {
    delete (globalThis as Record<string, unknown>)[key];
  }
});

async function setup(frames: "drawn" | "none") {
  const win = new Window({ url: "http://localhost/" });
  window = win;
  Object.assign(globalThis, {
    window: win,
    document: win.document,
    // A background tab: frame callbacks are never called.
    requestAnimationFrame: frames === "drawn" ? win.requestAnimationFrame.bind(win) : () => 1,
    cancelAnimationFrame: win.cancelAnimationFrame.bind(win),
  });
  const { render, h } = await import("preact");
  const { AfterFirstPaint } = await import("../../pwa/src/components/after-paint.tsx");
  const root = win.document.createElement("div");
  win.document.body.append(root);
  const page = () =>
    h("main", null, h("h1", null, "Acme"), h(AfterFirstPaint, null, h("section", null, "Your actions")));
  return { win, render, page, root: root as unknown as HTMLElement };
}

const wait = (win: Window, ms: number) => new Promise((done) => win.setTimeout(done, ms));

describe("what a page renders after its first paint", () => {
  it("is left out of the first render and comes once a frame has been drawn", async () => {
    const { win, render, page, root } = await setup("drawn");
    render(page(), root);
    expect(root.textContent).toBe("Acme");
    await wait(win, 60);
    expect(root.textContent).toBe("AcmeYour actions");
  });

  it("comes after a moment in a tab that draws no frame", async () => {
    const { win, render, page, root } = await setup("none");
    render(page(), root);
    await wait(win, 60);
    expect(root.textContent).toBe("Acme");
    await wait(win, 250);
    expect(root.textContent).toBe("AcmeYour actions");
  });

  it("is never rendered, and nothing fails, when the page goes before its paint", async () => {
    const { win, render, page, root } = await setup("drawn");
    render(page(), root);
    render(null, root);
    await wait(win, 300);
    expect(root.textContent).toBe("");
  });
});
