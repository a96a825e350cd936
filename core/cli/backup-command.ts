import { mkdirSync, openAsBlob, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BACKUP_TABLES } from "../schema/backup.ts";
import { schemaUrl } from "../schema/json-schemas.ts";
import { scorecardFileName, scorecardFileText } from "../scorecard/file.ts";
import { type BackupContent, BackupError, readBackup } from "../store/backup.ts";
import { bundleOfBackup } from "../store/backup-bundle.ts";
import { backupScorecardLineages } from "../store/backup-merge.ts";
import { parseOptions, stringOption } from "./args.ts";
import { EXIT, type Output, UsageError } from "./problems.ts";

export const BACKUP_HELP = `vitals backup: check a backup file from the app, and restore it as files the command reads

Usage:
  vitals backup verify <backup.vitals.gz>
  vitals backup restore <backup.vitals.gz> -o <bundle.json> [--scorecard-files <folder>]

verify   reads the whole file ("Export everything" on the app's Data page) and checks it as the app does before a
         restore: its header and version, every frame and row, the counts and the SHA-256 in its manifest. Prints
         the backup's version and export time, the checksum, and the rows of each table.
restore  checks it the same way, then writes its data as a bundle (the live scorecards, accounts, observations,
         ratings, outcomes and overrides) to -o, which "vitals score --scorecards <bundle.json>" scores;
         --scorecard-files writes each scorecard with its whole version history as <id>.scorecard.json there, as
         "Export scorecards as files" does (for vitals diff, vitals merge and git).
         Notes, alerts, tasks, plays, saved mappings and the import log stay in the backup: the command has no use
         for them; restore the backup in the app to get them back.

A file that is cut short, damaged, changed after it was written, or written by a newer Vitals is refused whole
with the file's name and what is wrong (the frame, table, row and field), and nothing is written.
Exit code 0, 1 when the file is refused, 2 when it cannot be read or the command is misused.
`;

/** Reads and checks a backup file; a file that is missing is a usage error, one that is refused a BackupError. */
async function readBackupFile(path: string): Promise<BackupContent> {
  let blob: Blob;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot read backup file ${path}: is a folder, not a file`);
    blob = await openAsBlob(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read backup file ${path}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message}`,
    );
  }
  return readBackup(blob, path);
}

const n = (x: number) => x.toLocaleString("en-US");

function verifyReport(path: string, content: BackupContent): string {
  const { header, manifest } = content;
  const width = Math.max(...BACKUP_TABLES.map((t) => t.length), "observations".length);
  const lines = [
    `${path}: a Vitals backup, version ${header.version}, exported ${header.exportedAt}`,
    `checksum: ok (SHA-256 ${manifest.sha256} over ${n(manifest.frames)} data frames); counts: ok`,
    ...BACKUP_TABLES.map((t) => `  ${t.padEnd(width)}  ${n(manifest.counts[t]).padStart(12)}`),
    `  ${"observations".padEnd(width)}  ${n(manifest.observations).padStart(12)}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** `vitals backup verify FILE` and `vitals backup restore FILE -o bundle.json [--scorecard-files DIR]`. */
export async function backupCommand(args: readonly string[], out: Output): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    out.out(BACKUP_HELP);
    return EXIT.ok;
  }
  if (sub !== "verify" && sub !== "restore") {
    throw new UsageError(
      `unknown backup command "${sub}" (backup commands: verify, restore; see vitals backup --help)`,
    );
  }
  const { options, positionals } = parseOptions(
    rest.map((a) => (a === "-o" ? "--output" : a)),
    [
      { name: "help" },
      ...(sub === "restore"
        ? [
            { name: "output", value: "file" },
            { name: "scorecard-files", value: "folder" },
          ]
        : []),
    ],
    `backup ${sub}`,
  );
  if (options.has("help")) {
    out.out(BACKUP_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`backup ${sub} takes one backup file, got ${positionals.length} (see vitals backup --help)`);
  }
  const path = positionals[0] as string;
  const output = stringOption(options, "output");
  const folder = stringOption(options, "scorecard-files");
  if (sub === "restore" && output === undefined) {
    throw new UsageError("backup restore needs -o <bundle.json>: where to write the backup's data");
  }
  let content: BackupContent;
  try {
    content = await readBackupFile(path);
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    // The reader's words are for the app ("cannot be restored …; nothing was changed"): here nothing is written.
    out.err(`vitals: ${error.message.replace(/; nothing was changed$/, "")}\n`);
    return EXIT.dataError;
  }
  if (sub === "verify") {
    out.out(verifyReport(path, content));
    return EXIT.ok;
  }
  const bundle = bundleOfBackup(content);
  writeFileSync(output as string, `${JSON.stringify(bundle, null, 2)}\n`);
  const written = [
    `${output}: ${n(bundle.scorecards.length)} scorecards, ${n(bundle.accounts?.length ?? 0)} accounts, ${n(bundle.observations?.length ?? 0)} observations, ${n(bundle.manualInputs?.length ?? 0)} ratings, ${n(bundle.outcomes?.length ?? 0)} outcomes, ${n(bundle.overrides?.length ?? 0)} overrides`,
  ];
  if (folder !== undefined) {
    mkdirSync(folder, { recursive: true });
    const lineages = backupScorecardLineages(content);
    for (const lineage of lineages) {
      writeFileSync(join(folder, scorecardFileName(lineage.id)), scorecardFileText(lineage, schemaUrl("scorecard")));
    }
    written.push(
      `${folder}: ${n(lineages.length)} scorecard files with ${n(lineages.reduce((s, l) => s + l.versions.length, 0))} versions`,
    );
  }
  out.out(`Restored ${path}:\n${written.map((w) => `  ${w}\n`).join("")}`);
  return EXIT.ok;
}
