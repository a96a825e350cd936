import { Mapping } from "../io/mapping.ts";
import { issuesOf } from "../schema/issues.ts";
import type { VitalsDb } from "./db.ts";

/** A saved column mapping, parsed. */
export interface SavedMapping {
  name: string;
  mapping: Mapping;
  savedAt: string;
}

/**
 * Saves a mapping under a name (replacing one of the same name), after validating it, so a bad mapping is refused
 * with its JSON paths instead of failing at the next import.
 */
export async function saveMapping(
  db: VitalsDb,
  name: string,
  mapping: unknown,
  savedAt: string,
): Promise<SavedMapping> {
  const trimmed = name.trim();
  if (trimmed === "") throw new Error("a saved mapping needs a name");
  const parsed = Mapping.safeParse(mapping);
  if (!parsed.success) {
    const lines = issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`);
    throw new Error(`the mapping "${trimmed}" is not valid:\n${lines.join("\n")}`);
  }
  const saved = { name: trimmed, mapping: { ...parsed.data, name: trimmed }, savedAt };
  await db.mappings.put(saved);
  return saved;
}

/**
 * The saved mappings by name. A stored mapping that no longer parses (written by an older version) is left out
 * here, not deleted, and reported in `invalid`.
 */
export async function listMappings(db: VitalsDb): Promise<{ mappings: SavedMapping[]; invalid: string[] }> {
  const rows = await db.mappings.orderBy("name").toArray();
  const mappings: SavedMapping[] = [];
  const invalid: string[] = [];
  for (const row of rows) {
    const parsed = Mapping.safeParse(row.mapping);
    if (parsed.success) mappings.push({ name: row.name, mapping: parsed.data, savedAt: row.savedAt });
    else invalid.push(row.name);
  }
  return { mappings, invalid };
}

/** Deletes a saved mapping; false when there was none of that name. */
export async function deleteMapping(db: VitalsDb, name: string): Promise<boolean> {
  const had = (await db.mappings.get(name)) !== undefined;
  await db.mappings.delete(name);
  return had;
}
