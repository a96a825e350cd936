import { type AsOfSetting, restoreAsOfSetting } from "../scoring/as-of.ts";
import type { VitalsDb } from "./db.ts";
import type { ReadDb } from "./read-db.ts";
import { inputsChanged } from "./views.ts";

/** The meta row holding the portfolio's as-of setting (no row: the default, the data's last day). */
const AS_OF_KEY = "settings.asOf";

/** The portfolio's as-of setting; a missing or unreadable row is the default (the data's last day). */
export async function readAsOfSetting(db: ReadDb): Promise<AsOfSetting> {
  return restoreAsOfSetting((await db.meta.get(AS_OF_KEY))?.value);
}

/** Saves the as-of setting; the stored views are made as of another day now, so the scoring inputs changed. */
export async function writeAsOfSetting(db: VitalsDb, setting: AsOfSetting): Promise<void> {
  await db.transaction("rw", db.meta, async () => {
    await db.meta.put({ key: AS_OF_KEY, value: setting });
    await inputsChanged(db);
  });
}
