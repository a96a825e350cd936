import { z } from "zod";
import type { AccountsTableRow } from "../insights/portfolio-view.ts";
import { type ScoreDigest, scoreDigest } from "../insights/score-digest.ts";
import { localDay } from "../schema/day.ts";
import { DATABASE_NAME, VitalsDb } from "../store/db.ts";
import { createAlertsApi } from "./alerts-api.ts";
import { createBadgesApi } from "./badges-api.ts";
import { createDataApi } from "./data-api.ts";
import { createElsewhereApi } from "./elsewhere-api.ts";
import { createPortfolioApi } from "./portfolio-api.ts";
import { parseRequest } from "./runtime/errors.ts";
import { createSyncApi } from "./sync-api.ts";
import { createValidationApi } from "./validation-api.ts";

/**
 * The import, portfolio, alerts, badges and validation APIs in one object (one worker, one job namespace for
 * cancel). The portfolio API writes only what can be made again (the demo portfolio, scores and their history), so
 * its connection uses relaxed durability: Chromium then commits without waiting for the disk, several times faster;
 * a crash can lose the last scores, which are recomputed, never the user's imports.
 */
export function createAppApi(
  openDb: () => VitalsDb = () => new VitalsDb(),
  options: Parameters<typeof createPortfolioApi>[1] = {},
  openDerivedDb: () => VitalsDb = () => new VitalsDb(DATABASE_NAME, { chromeTransactionDurability: "relaxed" }),
) {
  const data = createDataApi(openDb);
  const portfolio = createPortfolioApi(openDerivedDb, { openUserDb: openDb, ...options });
  const alerts = createAlertsApi(openDb, options.today ? { today: options.today } : {});
  const badges = createBadgesApi(openDb, portfolio.badgeEntries, portfolio.badgeEntriesFor, {
    today: options.today ?? (() => localDay(new Date())),
  });
  const validation = createValidationApi(openDb);
  const elsewhere = createElsewhereApi(openDb);
  const sync = createSyncApi(openDb);
  return {
    ...data,
    ...portfolio,
    ...alerts,
    ...badges,
    ...validation,
    ...elsewhere,
    ...sync,
    ping: data.ping,
    /** The dashboard: of the portfolio scored elsewhere while one is imported, else the app's own. */
    async dashboard() {
      return (await elsewhere.elsewhereDashboard()) ?? portfolio.dashboard();
    },
    /** The dashboard without scoring (null when only a scoring would make it), as `dashboard` chooses it. */
    async storedDashboard() {
      return (await elsewhere.elsewhereDashboard()) ?? portfolio.storedDashboard();
    },
    /** The accounts table: of the portfolio scored elsewhere while one is imported, else the app's own. */
    async accounts() {
      return (await elsewhere.elsewhereRows()) ?? portfolio.accounts();
    },
    /**
     * The rows of these accounts as `accounts` has them now, with the token of what the rows are made from (read
     * first: a change in between gives a token the page no longer matches, so it reads every row again). After a
     * rating the accounts page patches the rows it keeps with these rather than copying every account's again.
     */
    async accountRows(ids: unknown): Promise<{ token: string; rows: AccountsTableRow[] }> {
      const wanted = new Set(parseRequest(z.array(z.string()), ids));
      const token = await portfolio.accountsToken();
      const rows = (await elsewhere.elsewhereRows()) ?? (await portfolio.accounts());
      return { token, rows: rows.filter((r) => wanted.has(r.id)) };
    },
    /**
     * Scores since the day before the as-of day (the daily digest): the accounts table's rows carry both days' primary
     * scores, so this reads the stored views (or the scored portfolio) and scores nothing more.
     */
    async scoreDigest(): Promise<ScoreDigest> {
      const rows = (await elsewhere.elsewhereRows()) ?? (await portfolio.accounts());
      const dashboard = (await elsewhere.elsewhereDashboard()) ?? (await portfolio.dashboard());
      return scoreDigest(rows, dashboard.asOf);
    },
    async cancel(jobId: string): Promise<boolean> {
      return (await data.cancel(jobId)) || (await portfolio.cancel(jobId)) || (await validation.cancel(jobId));
    },
    async close(): Promise<void> {
      await data.close();
      await portfolio.close();
      await alerts.close();
      await badges.close();
      await validation.close();
      await elsewhere.close();
      await sync.close();
    },
  };
}

/** The app's worker API, as clients see it. */
export type AppApi = ReturnType<typeof createAppApi>;
