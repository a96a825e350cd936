import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  finishUpdate,
  takeUpdate,
  UPDATE_REQUESTED,
  type UpdateContainer,
  type UpdateRegistration,
} from "../../pwa/src/take-update.ts";

/**
 * "Reload to update" (pwa/src/update-prompt.tsx): the new version must show whichever way the browser moves the
 * service workers between the prompt and the click. The e2e test (pwa-update.spec.ts) takes the common path in a
 * real Chromium; the orders it cannot force are played here with stand-ins for the registration.
 */
class FakeWorker extends EventTarget {
  state = "installed";
  messages: unknown[] = [];
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  moveTo(state: string) {
    this.state = state;
    this.dispatchEvent(new Event("statechange"));
  }
}

class FakeContainer extends EventTarget implements UpdateContainer {
  constructor(private readonly registration: UpdateRegistration | undefined) {
    super();
  }
  getRegistration() {
    return Promise.resolve(this.registration);
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("takeUpdate", () => {
  it("asks the waiting worker to take over and reloads once on controllerchange, not before", async () => {
    const waiting = new FakeWorker();
    const container = new FakeContainer({ waiting });
    const reload = vi.fn();
    await takeUpdate(container, reload);
    expect(waiting.messages).toEqual([{ type: "SKIP_WAITING" }]);
    expect(reload).not.toHaveBeenCalled();
    waiting.moveTo("activating");
    expect(reload).not.toHaveBeenCalled();
    container.dispatchEvent(new Event("controllerchange"));
    waiting.moveTo("activated");
    vi.advanceTimersByTime(60_000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("reloads when the worker activates even if the page's controllerchange never comes", async () => {
    const waiting = new FakeWorker();
    const reload = vi.fn();
    await takeUpdate(new FakeContainer({ waiting }), reload);
    waiting.moveTo("activating");
    waiting.moveTo("activated");
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("reloads at once when no worker waits any more (it activated between the prompt and the click)", async () => {
    const reload = vi.fn();
    await takeUpdate(new FakeContainer({ waiting: null }), reload);
    expect(reload).toHaveBeenCalledTimes(1);
    await takeUpdate(new FakeContainer(undefined), reload);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it("reloads when the waiting worker turns redundant (another tab took it, or a newer one replaced it)", async () => {
    const waiting = new FakeWorker();
    const reload = vi.fn();
    await takeUpdate(new FakeContainer({ waiting }), reload);
    waiting.moveTo("redundant");
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("reloads after the fallback delay when nothing moves, so the button never does nothing", async () => {
    const waiting = new FakeWorker();
    const reload = vi.fn();
    const memo = new Map<string, string>();
    await takeUpdate(new FakeContainer({ waiting }), reload, { fallbackMs: 5_000, memo: memoOf(memo) });
    vi.advanceTimersByTime(4_999);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reload).toHaveBeenCalledTimes(1);
    // The page that reload loads finishes the update.
    expect(memo.get(UPDATE_REQUESTED)).toBe("2");
  });

  it("leaves no word for the next page when the worker took over in time", async () => {
    const waiting = new FakeWorker();
    const container = new FakeContainer({ waiting });
    const memo = new Map<string, string>();
    await takeUpdate(container, vi.fn(), { memo: memoOf(memo) });
    container.dispatchEvent(new Event("controllerchange"));
    vi.advanceTimersByTime(60_000);
    expect(memo.size).toBe(0);
  });
});

const memoOf = (map: Map<string, string>) => ({
  getItem: (key: string) => map.get(key) ?? null,
  setItem: (key: string, value: string) => void map.set(key, value),
  removeItem: (key: string) => void map.delete(key),
});

describe("finishUpdate, on the page a fallback reload loaded", () => {
  it("does nothing when no reload asked for an update", async () => {
    const reload = vi.fn();
    const waiting = new FakeWorker();
    await finishUpdate(new FakeContainer({ waiting }), reload, memoOf(new Map()));
    expect(reload).not.toHaveBeenCalled();
    expect(waiting.messages).toEqual([]);
  });

  it("reloads once more when the new worker took over during that reload (the old one may have answered it)", async () => {
    const reload = vi.fn();
    const memo = new Map([[UPDATE_REQUESTED, "2"]]);
    await finishUpdate(new FakeContainer({ waiting: null }), reload, memoOf(memo));
    expect(reload).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(0);
  });

  it("asks again while the new worker still waits, and gives up after three reloads", async () => {
    const waiting = new FakeWorker();
    const reload = vi.fn();
    const memo = new Map([[UPDATE_REQUESTED, "3"]]);
    await finishUpdate(new FakeContainer({ waiting }), reload, memoOf(memo), { fallbackMs: 1_000 });
    expect(waiting.messages).toEqual([{ type: "SKIP_WAITING" }]);
    vi.advanceTimersByTime(1_000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(memo.get(UPDATE_REQUESTED)).toBe("4");

    const again = new FakeWorker();
    await finishUpdate(new FakeContainer({ waiting: again }), reload, memoOf(memo));
    expect(again.messages).toEqual([]);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(0);
  });
});
