import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { takeUpdate, type UpdateContainer, type UpdateRegistration } from "../../pwa/src/take-update.ts";

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
    await takeUpdate(new FakeContainer({ waiting }), reload, { fallbackMs: 5_000 });
    vi.advanceTimersByTime(4_999);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
