import { z } from "zod";
import { Mapping } from "../io/mapping.ts";
import { ScorecardFile } from "../scorecard/file.ts";
import { BackupHeader, BackupManifest } from "./backup.ts";
import { BadgeSet } from "./badge.ts";
import { DEFAULT_APP_ORIGIN } from "./bridge.ts";
import { Bundle } from "./bundle.ts";

// JSON Schemas of the files people write and edit by hand, generated from the zod schemas that read them, so they
// cannot drift: `npm run -s schemas` writes them to schemas/, and test/docs/json-schemas.test.ts fails when the
// committed files differ from what this generates. The app serves them at <app>/schemas/<name>.schema.json, the
// address every file Vitals writes names in its `$schema` field, so an editor completes and checks the file.

/** The files with a schema, by the name of their schema file. */
export const SCHEMA_FILES = {
  scorecard: { schema: ScorecardFile, title: "Vitals scorecard", anchor: "scorecard-json" },
  mapping: { schema: Mapping, title: "Vitals import mapping", anchor: "import-mapping-json" },
  bundle: { schema: Bundle, title: "Vitals bundle", anchor: "bundle-json" },
  "badge-set": { schema: BadgeSet, title: "Vitals badge set", anchor: "badge-set-json" },
  "backup-header": { schema: BackupHeader, title: "Vitals backup header frame", anchor: "backup-file" },
  "backup-manifest": { schema: BackupManifest, title: "Vitals backup manifest frame", anchor: "backup-file" },
} as const;

/** A kind of file with a JSON Schema. */
export type SchemaName = keyof typeof SCHEMA_FILES;

/** Where a kind of file's schema is served: the app's own address (`npm start`), under /schemas/. */
export function schemaUrl(name: SchemaName): string {
  return `${DEFAULT_APP_ORIGIN}/schemas/${name}.schema.json`;
}

/** A value to write as a file, with its `$schema` first (readers accept and ignore the field). */
export function withSchema<T extends object>(name: SchemaName, value: T): { $schema: string } & T {
  const { $schema: _old, ...rest } = value as T & { $schema?: unknown };
  return { $schema: schemaUrl(name), ...(rest as T) };
}

/**
 * The JSON Schema of one kind of file, as written (defaults optional): zod's own conversion (draft 2020-12), with
 * an id, a title, where it is documented, and the `$schema` field every file may carry.
 */
export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const { schema, title, anchor } = SCHEMA_FILES[name];
  const generated = z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "throw" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...body } = generated;
  const addSchemaField = (node: Record<string, unknown>) => {
    if (node.type === "object" && typeof node.properties === "object" && node.properties !== null) {
      node.properties = {
        $schema: { type: "string", description: "The address of this JSON Schema, for editors; ignored by Vitals." },
        ...(node.properties as Record<string, unknown>),
      };
    }
  };
  // The top level (each shape of a mapping) may carry `$schema`.
  addSchemaField(body);
  for (const option of (body.oneOf ?? body.anyOf ?? []) as Record<string, unknown>[]) addSchemaField(option);
  return {
    $schema,
    $id: schemaUrl(name),
    title,
    description: `${title} file, as documented in docs/formats.md#${anchor}.`,
    ...body,
  };
}

/** Every schema file: name → its text as committed (two-space JSON and a final newline). */
export function jsonSchemaFiles(): Record<`${SchemaName}.schema.json`, string> {
  const out = {} as Record<`${SchemaName}.schema.json`, string>;
  for (const name of Object.keys(SCHEMA_FILES) as SchemaName[]) {
    out[`${name}.schema.json`] = `${JSON.stringify(jsonSchema(name), null, 2)}\n`;
  }
  return out;
}
