import type { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { usePage } from "../support/happy-dom.ts";

/**
 * What a long page renders once its first screen is painted (pwa/src/components/after-paint.tsx): the account page
 * shows its first scorecard card at once and the cards and forms below it right after that paint. They must come
 * in every case, also in a tab that draws no frame.
 */
const page = usePage();

async function setup(frames: "drawn" | "none") {
  const { win, root } = page.open({ frames });
  const { render, h } = await import("preact");
  const { AfterFirstPaint } = await import("../../pwa/src/components/after-paint.tsx");
  const view = () =>
    h("main", null, h("h1", null, "Acme"), h(AfterFirstPaint, null, h("section", null, "Your actions")));
  return { win, render, view, root };
}

const wait = (win: Window, ms: number) => new Promise((done) => win.setTimeout(done, ms));

describe("what a page renders after its first paint", () => {
  it("is left out of the first render and comes once a frame has been drawn", async () => {
    const { win, render, view, root } = await setup("drawn");
    render(view(), root);
    expect(root.textContent).toBe("Acme");
    await wait(win, 60);
    expect(root.textContent).toBe("AcmeYour actions");
  });

  it("comes after a moment in a tab that draws no frame", async () => {
    const { win, render, view, root } = await setup("none");
    render(view(), root);
    await wait(win, 60);
    expect(root.textContent).toBe("Acme");
    await wait(win, 250);
    expect(root.textContent).toBe("AcmeYour actions");
  });

  it("is never rendered, and nothing fails, when the page goes before its paint", async () => {
    const { win, render, view, root } = await setup("drawn");
    render(view(), root);
    render(null, root);
    await wait(win, 300);
    expect(root.textContent).toBe("");
  });
});
