import { describe, expect, it } from "vitest";
import { routeOf, scorecardHash } from "../../pwa/src/route.ts";

describe("routeOf", () => {
  it("names each page of the app by its hash", () => {
    expect(routeOf("")).toEqual({ page: "dashboard" });
    expect(routeOf("#/")).toEqual({ page: "dashboard" });
    expect(routeOf("#/data")).toEqual({ page: "data" });
    expect(routeOf("#/alerts/digest")).toEqual({ page: "alert-digest" });
    expect(routeOf("#/accounts/acme%2Fus")).toEqual({ page: "account", id: "acme/us" });
    expect(routeOf("#/scorecards/new")).toEqual({ page: "scorecard", id: null });
    expect(routeOf("#/scorecards/new?from=renewal")).toEqual({ page: "scorecard", id: null, from: "renewal" });
    expect(routeOf("#/scorecards/renewal/print")).toEqual({ page: "scorecard-print", id: "renewal" });
    expect(routeOf("#/scorecards/renewal/validate")).toEqual({ page: "scorecard-validate", id: "renewal" });
    expect(routeOf("#/nowhere")).toEqual({ page: "missing", hash: "/nowhere" });
  });

  it("carries a new scorecard's first save to its editor in the hash, not in module state", () => {
    const hash = scorecardHash("risk? yes", 1);
    expect(hash).toBe("#/scorecards/risk%3F%20yes?saved=1");
    expect(routeOf(hash)).toEqual({ page: "scorecard", id: "risk? yes", savedAs: 1 });
    // Without it (a reload, a later visit, a link) the editor opens with nothing to say.
    expect(routeOf(scorecardHash("risk? yes"))).toEqual({ page: "scorecard", id: "risk? yes" });
    // Anything else after the id is not a scorecard's page.
    expect(routeOf("#/scorecards/renewal?saved=0").page).toBe("missing");
    expect(routeOf("#/scorecards/renewal?other=1").page).toBe("missing");
  });
});
