import { beforeEach, describe, expect, it } from "vitest";
import { browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { handleContentMessage, seenPages } from "../../../extension/background/handle-message.ts";

const tab = { id: 7 };

describe("background message handling", () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it("records the page of a valid hello from its own content script", async () => {
    const reply = await handleContentMessage(
      { type: "hello", url: "https://acme.zendesk.com/agent/tickets/1" },
      { id: browser.runtime.id, tab },
    );
    expect(reply).toEqual({ ok: true });
    expect((await seenPages()).map((p) => p.url)).toEqual(["https://acme.zendesk.com/agent/tickets/1"]);
  });

  it.each([
    ["a string", "hello"],
    ["an unknown type", { type: "scores", url: "https://a.zendesk.com/" }],
    ["a url that is not a url", { type: "hello", url: "javascript:alert(1) not a url" }],
    ["a missing url", { type: "hello" }],
    ["null", null],
  ])("ignores %s and stores nothing", async (_name, raw) => {
    expect(await handleContentMessage(raw, { id: browser.runtime.id, tab })).toBeUndefined();
    expect(await seenPages()).toEqual([]);
  });

  it("ignores messages from another extension or from outside a tab", async () => {
    const hello = { type: "hello", url: "https://acme.zendesk.com/" };
    expect(await handleContentMessage(hello, { id: "some-other-extension", tab })).toBeUndefined();
    expect(await handleContentMessage(hello, { id: browser.runtime.id })).toBeUndefined();
    expect(await seenPages()).toEqual([]);
  });

  it("keeps the newest 20 pages, newest first", async () => {
    for (let i = 0; i < 25; i++) {
      await handleContentMessage(
        { type: "hello", url: `https://a.zendesk.com/t/${i}` },
        { id: browser.runtime.id, tab },
      );
    }
    const urls = (await seenPages()).map((p) => p.url);
    expect(urls).toHaveLength(20);
    expect(urls[0]).toBe("https://a.zendesk.com/t/24");
    expect(urls[19]).toBe("https://a.zendesk.com/t/5");
  });
});
