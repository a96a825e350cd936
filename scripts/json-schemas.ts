// Writes the JSON Schemas of the scorecard, mapping, bundle and badge-set files to schemas/, generated from the zod
// schemas (core/schema/json-schemas.ts). Run after changing a schema: npm run -s schemas. A test fails while the
// committed files differ from what this writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { jsonSchemaFiles } from "../core/schema/json-schemas.ts";

const dir = new URL("../schemas/", import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(new URL(name, dir), text);
  process.stdout.write(`wrote schemas/${name}\n`);
}
