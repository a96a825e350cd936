import { writeFileSync } from "node:fs";
import { schemaUrl } from "../schema/json-schemas.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { classifyScorecard } from "../scorecard/classify.ts";
import { diffScorecards } from "../scorecard/diff.ts";
import { readScorecardFile, scorecardFileText } from "../scorecard/file.ts";
import { type LineageVersion, type ScorecardLineage, shortHash, versionHash } from "../scorecard/lineage.ts";
import { mergeScorecards } from "../scorecard/merge.ts";
import { parseOptions, stringOption } from "./args.ts";
import { readTextFile } from "./files.ts";
import { EXIT, formatProblem, type Output, type Problem, UsageError } from "./problems.ts";

export const DIFF_HELP = `vitals diff: what changed between two scorecard files, in words

Usage:
  vitals diff <a.json> <b.json>

Prints each difference from a to b with its JSON path (in b, or in a for something b no longer has):
  $.factors[0].weight: factor "License utilization": weight 20 → 25
  $.bands[1].min: band B from 65 to 70
Factors, groups and alert rules are matched by id and bands by grade, so reordering is no change; defaults written
out or left out are the same. Reads scorecard files ("Export scorecards as files" in the app) and plain scorecards.
Exit code 0 (even with differences), 1 when a file is not a valid scorecard, 2 when one cannot be read.
`;

export const MERGE_HELP = `vitals merge: a three-way merge of two scorecard files

Usage:
  vitals merge <mine.json> <theirs.json> [--base <base.json>] [-o <out.json>]

Finds the common ancestor of the two from their lineage (the version history each file carries) and takes each
side's own changes. Where both changed one thing differently, it prints every conflict with its file and JSON path
and exits 1, writing nothing; settle them in one of the files (or in the app) and merge again. Otherwise it writes
the merged scorecard file, with both histories and a merge version, to -o (or standard output).
--base names the ancestor's file when the two share no history (files written by hand).
As a git merge driver (in .git/config, with "*.scorecard.json merge=vitals" in .gitattributes):
  [merge "vitals"]
    driver = vitals merge %A %B --base %O -o %A
`;

function readLineage(path: string, problems: Problem[]): ScorecardLineage | undefined {
  const text = readTextFile(path, "scorecard file");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push({ file: path, message: `not valid JSON (${(error as Error).message})` });
    return undefined;
  }
  const read = readScorecardFile(json, path, new Date().toISOString());
  if (!read.ok) {
    for (const issue of read.issues) problems.push({ file: path, at: issue.path, message: issue.message });
    return undefined;
  }
  return read.value;
}

const headCard = (l: ScorecardLineage) => l.versions.find((v) => v.hash === l.head)?.scorecard as Scorecard;

function twoFiles(args: readonly string[], command: string, specs: { name: string; value?: string }[] = []) {
  const { options, positionals } = parseOptions(args, [{ name: "help" }, ...specs], command);
  if (options.has("help")) return { help: true as const };
  if (positionals.length !== 2)
    throw new UsageError(
      `${command} takes two scorecard files, got ${positionals.length} (see vitals ${command} --help)`,
    );
  return { help: false as const, options, files: positionals as [string, string] };
}

/** `vitals diff a.json b.json`. */
export async function diffCommand(args: readonly string[], out: Output): Promise<number> {
  const call = twoFiles(args, "diff");
  if (call.help) {
    out.out(DIFF_HELP);
    return EXIT.ok;
  }
  const [fa, fb] = call.files;
  const problems: Problem[] = [];
  const a = readLineage(fa, problems);
  const b = readLineage(fb, problems);
  if (!a || !b) {
    for (const p of problems) out.err(`${formatProblem(p)}\n`);
    return EXIT.dataError;
  }
  const changes = diffScorecards(headCard(a), headCard(b));
  if (changes.length === 0) {
    out.out(`${fa} and ${fb} say the same.\n`);
    return EXIT.ok;
  }
  out.out(`${fa} → ${fb}: ${changes.length} ${changes.length === 1 ? "change" : "changes"}\n`);
  for (const c of changes) out.out(`${c.path}: ${c.words}\n`);
  return EXIT.ok;
}

/** `vitals merge mine.json theirs.json [--base base.json] [-o out.json]`. */
export async function mergeCommand(args: readonly string[], out: Output): Promise<number> {
  const call = twoFiles(
    args.map((a) => (a === "-o" ? "--output" : a)),
    "merge",
    [
      { name: "base", value: "file" },
      { name: "output", value: "file" },
    ],
  );
  if (call.help) {
    out.out(MERGE_HELP);
    return EXIT.ok;
  }
  const [fa, fb] = call.files;
  const problems: Problem[] = [];
  const mine = readLineage(fa, problems);
  const theirs = readLineage(fb, problems);
  const basePath = stringOption(call.options, "base");
  const baseFile = basePath === undefined ? undefined : readLineage(basePath, problems);
  if (!mine || !theirs || (basePath !== undefined && !baseFile)) {
    for (const p of problems) out.err(`${formatProblem(p)}\n`);
    return EXIT.dataError;
  }
  if (mine.id !== theirs.id) {
    out.err(
      `${fb}: $.id: scorecard "${theirs.id}" is not "${mine.id}" of ${fa}: merge two versions of one scorecard\n`,
    );
    return EXIT.dataError;
  }
  const cls = classifyScorecard(mine, theirs);
  const versions = new Map<string, LineageVersion>();
  for (const v of [...mine.versions, ...theirs.versions]) versions.set(v.hash, v);
  const write = (lineage: ScorecardLineage, note: string) => {
    const text = scorecardFileText(lineage, schemaUrl("scorecard"));
    const output = stringOption(call.options, "output");
    if (output === undefined) out.out(text);
    else writeFileSync(output, text);
    out.err(`${note}\n`);
    return EXIT.ok;
  };
  const all = [...versions.values()];
  if (cls.kind === "same" || cls.kind === "mineAhead")
    return write({ ...mine, versions: all }, `${fa} already has everything of ${fb}.`);
  if (cls.kind === "theirsAhead")
    return write({ ...theirs, versions: all }, `${fb} is ahead of ${fa}: took it (a fast-forward).`);
  const base = cls.base ? versions.get(cls.base)?.scorecard : baseFile ? headCard(baseFile) : undefined;
  const merged = mergeScorecards(base, headCard(mine), headCard(theirs));
  if (!merged.ok) {
    const baseWords = cls.base ? `common version ${shortHash(cls.base)}` : basePath ? basePath : "no common version";
    out.err(
      `vitals merge: ${merged.conflicts.length + merged.issues.length} problems; nothing written (base: ${baseWords})\n`,
    );
    for (const c of merged.conflicts)
      out.err(
        `${fb}: ${c.paths.b ?? "(removed)"}: conflict: ${c.words} (${fa}: ${c.paths.a ?? "(removed)"}; both changed it)\n`,
      );
    for (const i of merged.issues) out.err(`${fa}: ${i.path}: the merged scorecard: ${i.message}\n`);
    return EXIT.dataError;
  }
  const parents = [mine.head, theirs.head].sort();
  const version: LineageVersion = {
    hash: versionHash(merged.scorecard, parents),
    parents,
    scorecard: merged.scorecard,
    savedAt: new Date().toISOString(),
    message: `Merged ${fb}`,
  };
  return write({ id: mine.id, head: version.hash, versions: [...all, version] }, `Merged ${fb} into ${fa}.`);
}
