import type { DBCoreTable, Dexie } from "dexie";

/**
 * Puts `wrap` under every table method of `db` (Dexie's DBCore middleware): given a table's name and the real DBCore
 * table, it returns the table the connection uses, to record or act on what the store code asks of IndexedDB.
 */
export function wrapTables(db: Dexie, wrap: (name: string, table: DBCoreTable) => DBCoreTable): void {
  db.use({
    stack: "dbcore",
    name: "test-wrap",
    create: (down) => ({ ...down, table: (name) => wrap(name, down.table(name)) }),
  });
}
