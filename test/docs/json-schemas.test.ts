import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
  jsonSchema,
  jsonSchemaFiles,
  SCHEMA_FILES,
  type SchemaName,
  schemaUrl,
} from "../../core/schema/json-schemas.ts";

// The JSON Schemas under schemas/ are generated from the zod schemas (npm run -s schemas). These tests fail when the
// committed files are not what the generator writes now, so a schema change cannot leave them behind, and check the
// schemas with an independent validator (Ajv) against the documented examples: what Vitals reads, they accept.

/** The fenced JSON blocks of docs/formats.md marked `<!-- checked: kind … -->`, by kind. */
function docExamples(kind: string): unknown[] {
  const lines = readFileSync("docs/formats.md", "utf8").split("\n");
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    if (!new RegExp(`^<!-- checked: ${kind}( \\S+)? -->$`).test(line) || lines[i + 1] !== "```json") return;
    const end = lines.indexOf("```", i + 2);
    out.push(JSON.parse(lines.slice(i + 2, end).join("\n")));
  });
  return out;
}

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const validators = Object.fromEntries(
  (Object.keys(SCHEMA_FILES) as SchemaName[]).map((name) => [name, ajv.compile(jsonSchema(name))]),
) as Record<SchemaName, ReturnType<typeof ajv.compile>>;

describe("JSON Schemas of the file formats", () => {
  it("the committed schemas/ files are exactly what the generator writes (npm run -s schemas)", () => {
    const generated = jsonSchemaFiles();
    expect(readdirSync("schemas").sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated)) {
      expect(readFileSync(`schemas/${name}`, "utf8"), `schemas/${name} is out of date: npm run -s schemas`).toBe(text);
    }
  });

  it("each names its address, which is what files reference in $schema", () => {
    for (const name of Object.keys(SCHEMA_FILES) as SchemaName[]) {
      expect(jsonSchema(name).$id).toBe(schemaUrl(name));
      expect(schemaUrl(name)).toBe(`http://vitals.localhost:8482/schemas/${name}.schema.json`);
    }
  });

  it("accept every documented example (each of which names its schema), and refuse a broken one", () => {
    const kinds: [string, SchemaName][] = [
      ["scorecard", "scorecard"],
      ["mapping", "mapping"],
      ["bundle", "bundle"],
      ["badge-set", "badge-set"],
    ];
    // A backup's header and manifest are frames inside a gzip file: checked against their schemas, no $schema.
    for (const name of ["backup-header", "backup-manifest"] as const) {
      for (const example of docExamples(name)) {
        const valid = validators[name](example);
        expect(valid ? [] : validators[name].errors, `${name} example`).toEqual([]);
      }
      expect(docExamples(name)).toHaveLength(1);
    }
    expect(
      validators["backup-header"]({ format: "vitals-backup", version: 1, exportedAt: "2025-03-01T00:00:00Z" }),
    ).toBe(false);
    for (const [kind, name] of kinds) {
      const examples = docExamples(kind);
      expect(examples.length, kind).toBeGreaterThan(0);
      for (const example of examples) {
        const valid = validators[name](example);
        expect(valid ? [] : validators[name].errors, `${kind} example`).toEqual([]);
      }
      expect(
        examples.some((e) => (e as { $schema?: string }).$schema === schemaUrl(name)),
        `a ${kind} example names its schema`,
      ).toBe(true);
    }
    const card = structuredClone(docExamples("scorecard")[0]) as { factors: { weight: number }[] };
    (card.factors[0] as { weight: number }).weight = 0;
    expect(validators.scorecard(card)).toBe(false);
    expect(validators.mapping({ shape: "wide", account: { by: "id" } })).toBe(false);
    expect(validators.bundle({ format: "vitals-bundle", version: 2, exportedAt: "2025-03-01T00:00:00Z" })).toBe(false);
  });
});
