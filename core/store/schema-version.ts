// The store's tables and indexes, version by version, and its name: apart from db.ts (the Dexie database), so the
// first screen's reads (read-db.ts) can tell whether the stored data is at this code's version without loading Dexie.

/** The tables and indexes of schema version 1, as released (a migration test opens a store of exactly this). */
export const SCHEMA_V1: Readonly<Record<string, string>> = {
  accounts: "id, parentId, *domains",
  blocks: "[accountId+metric+month], accountId, metric",
  manualInputs: "++id, accountId, [accountId+metric]",
  outcomes: "[accountId+day+kind], accountId",
  scorecards: "id",
  scorecardVersions: "[scorecardId+version], scorecardId",
  latestResults: "[scorecardId+accountId], accountId, scorecardId",
  history: "[scorecardId+accountId], accountId",
  alerts: "id, [ruleId+accountId], accountId, status",
  notes: "++id, accountId",
  overrides: "id, accountId",
  imports: "id, at",
  importUndo: "[importId+seq], importId",
  mappings: "name",
  meta: "key",
};

/** Each version's table changes after version 1, in order (version 2 first; null drops a table). */
export const SCHEMA_CHANGES = [
  { playTemplates: "id", tasks: "id, alertId, accountId, owner" },
  { coverage: "[metric+from+to], metric", links: "[kind+key], accountId" },
  { imports: "id, at, seq" },
  { blocks: null, yearBlocks: "[accountId+metric+year], accountId, metric" },
  { scorecardVersions: "[scorecardId+version], scorecardId, [scorecardId+hash]" },
  { yearBlocks: null, accountYears: "[accountId+year]" },
] as const;

/** This code's schema version (Dexie opens version n as IndexedDB version 10·n). */
export const SCHEMA_VERSION = 1 + SCHEMA_CHANGES.length;

/** Every table of the latest version: version 1's with each version's changes applied. */
export const LATEST_SCHEMA: Readonly<Record<string, string>> = (() => {
  const tables: Record<string, string> = { ...SCHEMA_V1 };
  for (const change of SCHEMA_CHANGES) {
    for (const [table, spec] of Object.entries(change)) {
      if (spec === null) delete tables[table];
      else tables[table] = spec;
    }
  }
  return tables;
})();

/** The name of the database both faces use (each face has its own origin, so its own copy). */
export const DATABASE_NAME = "vitals";
