import { VitalsDb } from "../store/db.ts";
import { createDataApi } from "./data-api.ts";
import { createPortfolioApi } from "./portfolio-api.ts";

/** The import API and the portfolio API in one object (one worker, one job namespace for cancel). */
export function createAppApi(
  openDb: () => VitalsDb = () => new VitalsDb(),
  options: Parameters<typeof createPortfolioApi>[1] = {},
) {
  const data = createDataApi(openDb);
  const portfolio = createPortfolioApi(openDb, options);
  return {
    ...data,
    ...portfolio,
    ping: data.ping,
    async cancel(jobId: string): Promise<boolean> {
      return (await data.cancel(jobId)) || (await portfolio.cancel(jobId));
    },
    async close(): Promise<void> {
      await data.close();
      await portfolio.close();
    },
  };
}

/** The app's worker API, as clients see it. */
export type AppApi = ReturnType<typeof createAppApi>;
