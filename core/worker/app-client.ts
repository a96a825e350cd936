import * as Comlink from "comlink";
import type { AlertDigest, AlertSort } from "../alerts/triage.ts";
import type { AccountsTableRow, Dashboard } from "../insights/portfolio-view.ts";
import type { ScoreDigest } from "../insights/score-digest.ts";
import type { Mapping } from "../io/mapping.ts";
import type { Alert } from "../schema/alert.ts";
import type { BadgeSet } from "../schema/badge.ts";
import type { BadgeDelta } from "../schema/bridge.ts";
import type { SaveResult } from "../schema/issues.ts";
import type { PlayTemplate, Task } from "../schema/play.ts";
import type { AsOfSetting } from "../scoring/as-of.ts";
import type { MergeChanges } from "../store/backup-merge.ts";
import type { BundleChanges, BundleScope } from "../store/bundles.ts";
import type { ImportRow, ScorecardVersionRow } from "../store/db.ts";
import type { SavedMapping } from "../store/mappings.ts";
import type { LiveScorecard } from "../store/scorecards.ts";
import type { ScoredElsewhereInfo } from "../store/scored-elsewhere-info.ts";
import type { ValidationOptionsInput, ValidationReport } from "../validate/validate.ts";
import type { AccountAlerts, AlertCounts, AlertInbox, ListedAlert, ListedTask, RuleChoice } from "./alerts-api.ts";
import type { AppApi } from "./app-api.ts";
import type {
  BackupSummary,
  BundleSummary,
  FilePeek,
  ImportDryRun,
  ImportProgress,
  ReplacedSummary,
} from "./data-api.ts";
import type { ElsewhereAccount, ResultsImport } from "./elsewhere-api.ts";
import type {
  AccountDetail,
  DataSources,
  ListedOverride,
  PortfolioProgress,
  PortfolioStatus,
  ScorecardChoices,
  ScorecardPreview,
  StoredManualInput,
  StoredNote,
} from "./portfolio-api.ts";
import { type ClientMode, connectWorker } from "./remote.ts";
import type { MergeDraft, ScorecardImport, ScorecardImportDone } from "./sync-api.ts";
import type { OutcomeCounts, ValidationProgress } from "./validation-api.ts";

/** Per-call options of a long import job: a signal that cancels it, and progress (phase, done, total). */
export interface ImportCallOptions {
  signal?: AbortSignal;
  onProgress?: ImportProgress;
}

/** Options of a long portfolio job: a signal that cancels it, and progress by phase. */
export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: PortfolioProgress;
}

/** The portfolio API as the app's pages call it. */
export interface AppClient {
  mode(): Promise<ClientMode>;
  status(): Promise<PortfolioStatus>;
  loadDemo(options?: JobOptions): Promise<PortfolioStatus>;
  clearDemo(options?: JobOptions): Promise<PortfolioStatus>;
  rescore(options?: JobOptions): Promise<PortfolioStatus>;
  /** Sets how the as-of day is chosen and rescores: the new status, or the setting's problems by field. */
  setAsOf(setting: AsOfSetting, options?: JobOptions): Promise<SaveResult<PortfolioStatus>>;
  /** Each metric's first and last day in the imported data. */
  dataSources(): Promise<DataSources>;
  dashboard(): Promise<Dashboard>;
  accounts(): Promise<AccountsTableRow[]>;
  /** What the accounts table's rows are made from: rows read under the same token are still the rows. */
  accountsToken(): Promise<string>;
  /** These accounts' rows now, with the token (read first), to patch rows kept since an earlier read. */
  accountRows(ids: readonly string[]): Promise<{ token: string; rows: AccountsTableRow[] }>;
  account(id: string): Promise<AccountDetail>;
  /** The dashboard from the stored views, never scoring (null: ask `dashboard`); a cold start asks for it first. */
  storedDashboard(): Promise<Dashboard | null>;
  /** The account page without scoring the portfolio (null: ask `account`); a cold start asks for it first. */
  storedAccount(id: string): Promise<AccountDetail | null>;
  /** Records a CSM's rating (1–5) for today and rescores, or refuses it with each field at fault. */
  addManualInput(input: {
    accountId: string;
    metric?: string;
    rating: number;
    note?: string;
    author: string;
  }): Promise<SaveResult<StoredManualInput>>;
  manualInputs(accountId: string): Promise<StoredManualInput[]>;
  /** Overrides a score and/or grade from today to the expiry day, or refuses it with each field at fault. */
  setOverride(input: {
    accountId: string;
    scorecardId?: string;
    score?: number;
    grade?: string;
    reason: string;
    author: string;
    expiresOn: string;
  }): Promise<SaveResult<ListedOverride>>;
  removeOverride(id: string): Promise<boolean>;
  overrides(accountId: string): Promise<ListedOverride[]>;
  addNote(input: { accountId: string; text: string; author: string }): Promise<SaveResult<StoredNote>>;
  notes(accountId: string): Promise<StoredNote[]>;
  /** The live scorecards with their version numbers. */
  scorecards(): Promise<LiveScorecard[]>;
  scorecardVersions(id: string): Promise<ScorecardVersionRow[]>;
  /** Saves a scorecard as a new version and rescores: the version, or its problems by JSON path. */
  saveScorecard(card: unknown, message: string, options?: { create?: boolean }): Promise<SaveResult<number>>;
  /** Makes an earlier version live again and rescores: the new version, or why not. */
  revertScorecard(id: string, version: number): Promise<SaveResult<number>>;
  /** Deletes a live scorecard and rescores, or says why not (the last one, or one that is not there). */
  deleteScorecard(id: string): Promise<SaveResult<string>>;
  /** What a draft would do to the portfolio, without saving it. */
  previewScorecard(draft: unknown): Promise<ScorecardPreview>;
  scorecardChoices(): Promise<ScorecardChoices>;
  /** The header and first rows of a file. */
  peek(file: Blob, fileName: string, rows?: number): Promise<FilePeek>;
  standardMapping(kind: "accounts" | "observations" | "outcomes", fileName: string, header: string[]): Promise<Mapping>;
  planImport(file: Blob, fileName: string, mapping: unknown, options?: ImportCallOptions): Promise<ImportDryRun>;
  rejectsCsv(planId: string): Promise<string>;
  applyImport(planId: string, options?: ImportCallOptions): Promise<ImportRow>;
  undoImport(importId: string): Promise<void>;
  listImports(): Promise<ImportRow[]>;
  saveMapping(name: string, mapping: unknown): Promise<SavedMapping>;
  listMappings(): Promise<{ mappings: SavedMapping[]; invalid: string[] }>;
  deleteMapping(name: string): Promise<boolean>;
  exportBundle(scope: BundleScope): Promise<{ fileName: string; text: string }>;
  /** Every live scorecard as its own file, with its lineage. */
  exportScorecardFiles(): Promise<{ fileName: string; text: string }[]>;
  /** Reads scorecard files (or bundles) and classifies each scorecard against the store; writes nothing. */
  readScorecardFiles(files: readonly { fileName: string; text: string }[]): Promise<ScorecardImport>;
  /** The merged draft of a diverged scorecard with the choices made so far. */
  mergeDraft(importId: string, id: string, choices: Readonly<Record<string, "a" | "b">>): Promise<MergeDraft>;
  /** Imports the read scorecards, merging the diverged ones given in `merges` with their choices. */
  importScorecardFiles(
    importId: string,
    merges?: Readonly<Record<string, Readonly<Record<string, "a" | "b">>>>,
  ): Promise<ScorecardImportDone>;
  /** The badge set for the extension (the bridge posts it), with the app's address for "Open in Vitals". */
  badgeSet(pwaUrl?: string): Promise<BadgeSet>;
  /** The badges of a few changed accounts with the set's header (null: post the whole set instead). */
  badgeDelta(ids: readonly string[], pwaUrl?: string): Promise<BadgeDelta | null>;
  /** The badge set as a file for the extension's options page. */
  exportBadges(pwaUrl?: string): Promise<{ fileName: string; text: string; accounts: number }>;
  readBundle(file: Blob, fileName: string): Promise<BundleSummary>;
  /** Writes a backup of everything; cancellable, with progress. */
  exportBackup(
    options?: ImportCallOptions,
  ): Promise<{ fileName: string; blob: Blob; counts: Record<string, number>; observations: number }>;
  /** Reads and checks a backup file whole; an InputError says what is wrong with it. */
  readBackup(file: Blob, fileName: string, options?: ImportCallOptions): Promise<BackupSummary>;
  /** Restores a read backup: merge into the store, or replace it (keeping what it replaced). */
  restoreBackup(
    backupId: string,
    mode: "merge" | "replace",
    options?: ImportCallOptions,
  ): Promise<{ mode: "merge" | "replace"; merge?: MergeChanges; kept: boolean }>;
  replacedBackup(): Promise<ReplacedSummary | null>;
  replacedBackupFile(): Promise<{ fileName: string; blob: Blob } | null>;
  putBackReplaced(options?: ImportCallOptions): Promise<void>;
  discardReplacedBackup(): Promise<void>;
  /** Imports a results file (vitals score --format csv, vitals sql) as a read-only portfolio scored elsewhere. */
  importResults(file: Blob, fileName: string, asOf: string): Promise<ResultsImport>;
  /** Where the shown results came from when they were scored elsewhere, else null. */
  scoredElsewhere(): Promise<ScoredElsewhereInfo | null>;
  /** One account of the portfolio scored elsewhere, or null (none imported, or not in it). */
  scoredElsewhereAccount(id: string): Promise<ElsewhereAccount | null>;
  /** Goes back to the app's own scores. */
  clearScoredElsewhere(): Promise<void>;
  previewBundle(bundleId: string, mode: "merge" | "replace"): Promise<BundleChanges>;
  importBundle(bundleId: string, mode: "merge" | "replace"): Promise<BundleChanges>;
  /** The alert inbox: alerts passing the filter, counts per status, and the filter's choices. */
  alerts(filter?: {
    status?: Alert["status"];
    owner?: string;
    scorecardId?: string;
    accountId?: string;
    /** How accounts are ordered: ARR at risk (the default), severity, renewal date, newest. */
    sort?: AlertSort;
  }): Promise<AlertInbox>;
  /** One account's alerts (of a status, or all), with that account's counts: read from its rows alone. */
  accountAlerts(filter: { accountId: string; status?: Alert["status"] }): Promise<AccountAlerts>;
  /** What changed in the inbox since yesterday: alerts raised, back from a snooze, cleared, closed. */
  alertDigest(): Promise<AlertDigest<ListedAlert> & { today: string }>;
  /** Scores since the day before the as-of day: band changes up and down, the biggest moves (the digest's first part). */
  scoreDigest(): Promise<ScoreDigest>;
  /** Bulk actions, all or none: a refusal names the alert that could not change (`$.ids[i]`) and why. */
  snoozeAlerts(ids: string[], until: string): Promise<SaveResult<Alert[]>>;
  closeAlerts(ids: string[]): Promise<SaveResult<Alert[]>>;
  reopenAlerts(ids: string[]): Promise<SaveResult<Alert[]>>;
  alertCounts(): Promise<AlertCounts>;
  /** Snoozes an alert until a day after today, or says why not (`$.until` for the day). */
  snoozeAlert(id: string, until: string): Promise<SaveResult<Alert>>;
  closeAlert(id: string): Promise<SaveResult<Alert>>;
  reopenAlert(id: string): Promise<SaveResult<Alert>>;
  plays(): Promise<PlayTemplate[]>;
  alertRules(): Promise<RuleChoice[]>;
  /** Saves a play template, or refuses it with each field at fault by JSON path. */
  savePlay(play: unknown): Promise<SaveResult<PlayTemplate>>;
  deletePlay(id: string): Promise<boolean>;
  /** Starts a play on an alert: its steps become tasks due from today (or why not). */
  startPlay(alertId: string, playId: string): Promise<SaveResult<ListedTask[]>>;
  tasks(filter?: { owner?: string; includeDone?: boolean }): Promise<{
    tasks: ListedTask[];
    owners: string[];
    today: string;
  }>;
  setTaskDone(id: string, done: boolean): Promise<SaveResult<Task>>;
  /** The open tasks (of one owner, or all) as a CSV or .ics file. */
  exportTasks(format: "csv" | "ics", filter?: { owner?: string }): Promise<{ fileName: string; text: string }>;
  /** The stored outcomes by kind (the Validate page's empty state when there are none). */
  outcomeCounts(): Promise<OutcomeCounts>;
  /** Validates a live scorecard against the stored outcomes; cancellable, with progress by phase. */
  validateScorecard(
    scorecardId: string,
    validation?: ValidationOptionsInput,
    options?: { signal?: AbortSignal; onProgress?: ValidationProgress },
  ): Promise<ValidationReport>;
  terminate(): void;
}

/** Creates the app's client of the data worker; the same API runs on the main thread when no worker starts. */
export function createAppClient(
  options: {
    createWorker?: () => Worker;
    /**
     * The worker's name: the app names it after the page's address ("#/" when it has none), so the worker starts
     * reading what a cold start shows (the dashboard, an account) as soon as it runs (core/worker/first-screen.ts).
     * An unnamed worker reads nothing until asked.
     */
    workerName?: string;
    /**
     * A data worker already started (index.html starts one before the app's code loads: pwa/vite.config.ts), used
     * for the first connection instead of starting one; a restart after `terminate` starts a new one.
     */
    startedWorker?: Worker | undefined;
    mainThread?: () => Promise<AppApi>;
  } = {},
): AppClient {
  let started = options.startedWorker;
  const createWorker =
    options.createWorker ??
    (() => {
      const worker =
        started ??
        new Worker(new URL("./data-worker.ts", import.meta.url), { type: "module", name: options.workerName ?? "" });
      started = undefined;
      return worker;
    });
  const mainThread = options.mainThread ?? (() => import("./app-api.ts").then((m) => m.createAppApi()));
  const { ready, job, terminate } = connectWorker<AppApi>(createWorker, mainThread, "data");
  const remote = async () => (await ready()).remote;
  const progress = (o?: JobOptions) => (o?.onProgress ? Comlink.proxy(o.onProgress) : undefined);
  const importProgress = (o?: ImportCallOptions) => (o?.onProgress ? Comlink.proxy(o.onProgress) : undefined);
  return {
    mode: async () => (await ready()).mode,
    status: async () => (await remote()).status(),
    loadDemo: (o) => job(o?.signal, (r, id) => r.loadDemo(id, progress(o))),
    clearDemo: (o) => job(o?.signal, (r, id) => r.clearDemo(id, progress(o))),
    rescore: (o) => job(o?.signal, (r, id) => r.rescore(id, progress(o))),
    setAsOf: (setting, o) =>
      job<SaveResult<PortfolioStatus>>(o?.signal, (r, id) => r.setAsOf(id, setting, progress(o))),
    dataSources: async () => (await remote()).dataSources(),
    dashboard: async () => (await remote()).dashboard(),
    accounts: async () => (await remote()).accounts(),
    accountsToken: async () => (await remote()).accountsToken(),
    accountRows: async (ids) => (await remote()).accountRows(ids),
    account: async (id) => (await remote()).account(id),
    storedDashboard: async () => (await remote()).storedDashboard(),
    storedAccount: async (id) => (await remote()).storedAccount(id),
    addManualInput: async (input) => (await remote()).addManualInput(input),
    manualInputs: async (accountId) => (await remote()).manualInputs(accountId),
    setOverride: async (input) => (await remote()).setOverride(input),
    removeOverride: async (id) => (await remote()).removeOverride(id),
    overrides: async (accountId) => (await remote()).overrides(accountId),
    addNote: async (input) => (await remote()).addNote(input),
    notes: async (accountId) => (await remote()).notes(accountId),
    scorecards: async () => (await remote()).scorecards(),
    scorecardVersions: async (id) => (await remote()).scorecardVersions(id),
    saveScorecard: async (card, message, options) => (await remote()).saveScorecard(card, message, options),
    revertScorecard: async (id, version) => (await remote()).revertScorecard(id, version),
    deleteScorecard: async (id) => (await remote()).deleteScorecard(id),
    previewScorecard: async (draft) => (await remote()).previewScorecard(draft),
    scorecardChoices: async () => (await remote()).scorecardChoices(),
    peek: async (file, fileName, rows) => (await remote()).peek(fileName, file, rows),
    standardMapping: async (kind, fileName, header) => (await remote()).standardMapping(kind, fileName, header),
    planImport: (file, fileName, mapping, o) =>
      job(o?.signal, (r, id) =>
        r.planImport(id, fileName, file, mapping, o?.onProgress ? Comlink.proxy(o.onProgress) : undefined),
      ),
    rejectsCsv: async (planId) => (await remote()).rejectsCsv(planId),
    applyImport: (planId, o) =>
      job(o?.signal, (r, id) => r.applyImport(id, planId, o?.onProgress ? Comlink.proxy(o.onProgress) : undefined)),
    undoImport: async (importId) => (await remote()).undoImport(importId),
    listImports: async () => (await remote()).listImports(),
    saveMapping: async (name, mapping) => (await remote()).saveMapping(name, mapping),
    listMappings: async () => (await remote()).listMappings(),
    deleteMapping: async (name) => (await remote()).deleteMapping(name),
    exportBundle: async (scope) => (await remote()).exportBundle(scope),
    exportScorecardFiles: async () => (await remote()).exportScorecardFiles(),
    readScorecardFiles: async (files) => (await remote()).readScorecardFiles([...files]),
    mergeDraft: async (importId, id, choices) => (await remote()).mergeDraft(importId, id, { ...choices }),
    importScorecardFiles: async (importId, merges) => (await remote()).importScorecardFiles(importId, { ...merges }),
    badgeSet: async (pwaUrl) => (await remote()).badgeSet(pwaUrl),
    badgeDelta: async (ids, pwaUrl) => (await remote()).badgeDelta([...ids], pwaUrl),
    exportBadges: async (pwaUrl) => (await remote()).exportBadges(pwaUrl),
    readBundle: async (file, fileName) => (await remote()).readBundle(fileName, file),
    exportBackup: (o) => job(o?.signal, (r, id) => r.exportBackup(id, importProgress(o))),
    readBackup: (file, fileName, o) => job(o?.signal, (r, id) => r.readBackup(id, fileName, file, importProgress(o))),
    restoreBackup: (backupId, mode, o) =>
      job(o?.signal, (r, id) => r.restoreBackup(id, backupId, mode, importProgress(o))),
    replacedBackup: async () => (await remote()).replacedBackup(),
    replacedBackupFile: async () => (await remote()).replacedBackupFile(),
    putBackReplaced: (o) => job(o?.signal, (r, id) => r.putBackReplaced(id, importProgress(o))),
    discardReplacedBackup: async () => (await remote()).discardReplacedBackup(),
    importResults: async (file, fileName, asOf) => (await remote()).importResults(file, fileName, asOf),
    scoredElsewhere: async () => (await remote()).scoredElsewhere(),
    scoredElsewhereAccount: async (id) => (await remote()).scoredElsewhereAccount(id),
    clearScoredElsewhere: async () => (await remote()).clearScoredElsewhere(),
    previewBundle: async (bundleId, mode) => (await remote()).previewBundle(bundleId, mode),
    importBundle: async (bundleId, mode) => (await remote()).importBundle(bundleId, mode),
    alerts: async (filter) => (await remote()).alerts(filter),
    alertCounts: async () => (await remote()).alertCounts(),
    accountAlerts: async (filter) => (await remote()).accountAlerts(filter),
    alertDigest: async () => (await remote()).alertDigest(),
    scoreDigest: async () => (await remote()).scoreDigest(),
    snoozeAlerts: async (ids, until) => (await remote()).snoozeAlerts(ids, until),
    closeAlerts: async (ids) => (await remote()).closeAlerts(ids),
    reopenAlerts: async (ids) => (await remote()).reopenAlerts(ids),
    snoozeAlert: async (id, until) => (await remote()).snoozeAlert(id, until),
    closeAlert: async (id) => (await remote()).closeAlert(id),
    reopenAlert: async (id) => (await remote()).reopenAlert(id),
    plays: async () => (await remote()).plays(),
    alertRules: async () => (await remote()).alertRules(),
    savePlay: async (play) => (await remote()).savePlay(play),
    deletePlay: async (id) => (await remote()).deletePlay(id),
    startPlay: async (alertId, playId) => (await remote()).startPlay(alertId, playId),
    tasks: async (filter) => (await remote()).tasks(filter),
    setTaskDone: async (id, done) => (await remote()).setTaskDone(id, done),
    exportTasks: async (format, filter) => (await remote()).exportTasks(format, filter),
    outcomeCounts: async () => (await remote()).outcomeCounts(),
    validateScorecard: (scorecardId, validation = {}, o) =>
      job(o?.signal, (r, id) =>
        r.validateScorecard(id, scorecardId, validation, o?.onProgress ? Comlink.proxy(o.onProgress) : undefined),
      ),
    terminate,
  };
}
