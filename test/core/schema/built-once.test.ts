import { describe, expect, it } from "vitest";
import { builtOnce } from "../../../core/schema/built-once.ts";

describe("a value built once", () => {
  it("is not built until first asked for, then built once and the same value returned every time", () => {
    let builds = 0;
    const value = builtOnce(() => {
      builds++;
      return { made: builds };
    });
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it("keeps a value that is undefined or null without building it again", () => {
    let builds = 0;
    const nothing = builtOnce(() => {
      builds++;
      return undefined;
    });
    nothing();
    nothing();
    expect(builds).toBe(1);
  });

  it("builds again after a build that threw (nothing was kept)", () => {
    let builds = 0;
    const flaky = builtOnce(() => {
      builds++;
      if (builds === 1) throw new Error("first build failed");
      return builds;
    });
    expect(() => flaky()).toThrow("first build failed");
    expect(flaky()).toBe(2);
    expect(flaky()).toBe(2);
  });
});
