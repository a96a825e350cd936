import type { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { usePage } from "../support/happy-dom.ts";

/**
 * A page's code loaded on demand (pwa/src/lazy.tsx). A cold start preloads the page it opens on while the worker
 * reads; the code can then arrive after the page's first render showed "Loading…" and before that render's effect
 * ran. The page must still show (a cold start once stayed on "Loading…" for good).
 */
const page = usePage();

async function setup() {
  const { win, root } = page.open();
  const { render, h } = await import("preact");
  const { lazyPage } = await import("../../pwa/src/lazy.tsx");
  return { win, render, h, lazyPage, root };
}

const settle = (win: Window) => new Promise((done) => win.setTimeout(done, 150));

describe("lazyPage", () => {
  it("shows the page when its code arrives between the first render and that render's effect", async () => {
    const { win, render, h, lazyPage, root } = await setup();
    type Component = () => ReturnType<typeof h>;
    let arrive: (page: Component) => void = () => undefined;
    const Page = lazyPage(
      () =>
        new Promise<Component>((done) => {
          arrive = done;
        }),
    );
    void Page.preload();
    render(h(Page, {}), root);
    expect(root.textContent).toBe("Loading…");
    // The code arrives now: before the effect, which Preact runs after the next frame.
    arrive(() => h("h1", null, "The account"));
    await Promise.resolve();
    await Promise.resolve();
    await settle(win);
    expect(root.textContent).toBe("The account");
  });

  it("shows the page once its code loads, and says so when it cannot", async () => {
    const { win, render, h, lazyPage, root } = await setup();
    const Page = lazyPage(async () => () => h("h1", null, "Alerts"));
    render(h(Page, {}), root);
    await settle(win);
    expect(root.textContent).toBe("Alerts");

    const Broken = lazyPage(() => Promise.reject(new Error("Failed to fetch dynamically imported module")));
    render(h(Broken, {}), root);
    await settle(win);
    expect(root.textContent).toBe("This page could not be loaded: Failed to fetch dynamically imported module");
  });
});
