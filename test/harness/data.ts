// The data harness page: the real data (import) worker's client as `window.data.client`, and the store's
// database class, so e2e tests drive imports in a real Worker and look at IndexedDB from the page.
import { VitalsDb } from "../../core/store/db.ts";
import { describeWriteError, storageHealth } from "../../core/store/health.ts";
import { createDataClient } from "../../core/worker/data-client.ts";

const client = createDataClient();
const data = { client, VitalsDb, describeWriteError, storageHealth };
declare global {
  interface Window {
    data: typeof data;
  }
}
window.data = data;
client.mode().then(
  (mode) => {
    const status = document.getElementById("status");
    if (status) status.textContent = `ready (${mode})`;
  },
  (error: unknown) => {
    const status = document.getElementById("status");
    if (status) status.textContent = `failed: ${String(error)}`;
  },
);
