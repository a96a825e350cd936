import { readFileSync } from "node:fs";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { allBlocks } from "../../../core/store/block-table.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { createDataApi, MAX_REJECTS_SHOWN } from "../../../core/worker/data-api.ts";

/** The import API as the data worker runs it, over fake-indexeddb (the same API is tested in Chromium e2e). */
let db: VitalsDb;
let api: ReturnType<typeof createDataApi>;
let n = 0;
beforeEach(async () => {
  const name = `data-api-${++n}`;
  db = new VitalsDb(name, { indexedDB, IDBKeyRange });
  api = createDataApi(() => new VitalsDb(name, { indexedDB, IDBKeyRange }));
});
afterEach(async () => {
  await api.close();
  db.close();
  await db.delete();
});

const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`, "utf8");
const mapping = (name: string): unknown => JSON.parse(fixture(name));

async function snapshot() {
  return {
    accounts: await db.accounts.orderBy("id").toArray(),
    blocks: (await allBlocks(db)).map((b) => ({
      ...b,
      days: Array.from(b.days),
      values: Array.from(b.values),
    })),
    imports: await db.imports.toArray(),
  };
}

describe("import jobs", () => {
  it("peeks at a file: header, first rows with their lines, separator", async () => {
    const peek = await api.peek("usage.csv", fixture("mixpanel-daily-usage.csv"), 2);
    expect(peek.delimiter).toBe(";");
    expect(peek.header).toEqual(["account_domain", "metric", "date", "value"]);
    expect(peek.rows).toEqual([
      { line: 2, cells: ["acme.com", "active_users", "01.02.2025", "112"] },
      { line: 3, cells: ["acme.com", "active_users", "02.02.2025", "118,5"] },
    ]);
    // The guess reads every row of the sample, not only the two sent back.
    expect(peek.guess).toMatchObject({ shape: "long", dayColumn: "date", decimal: "," });
    expect(peek.savedMapping).toBeUndefined();
  });

  it("a peek names the saved mapping that reads the file's columns", async () => {
    await api.saveMapping("Zendesk tickets", mapping("zendesk-tickets.mapping.json"));
    const peek = await api.peek("tickets.csv", fixture("zendesk-tickets.csv"));
    expect(peek.savedMapping).toBe("Zendesk tickets");
    expect(peek.guess.shape).toBe("events");
  });

  it("a dry run lists each row a same-day rule folded into another's, by line with why, and counts it", async () => {
    const accounts = await api.planImport(
      "j1",
      "salesforce-accounts.csv",
      fixture("salesforce-accounts.csv"),
      mapping("salesforce-accounts.mapping.json"),
    );
    await api.applyImport("j2", accounts.planId);
    const acme = "0015g00000AcmeAAA";
    const text = `account,metric,day,value\n${acme},active_users,2025-03-01,10\n${acme},active_users,2025-03-01,5\n${acme},active_users,2025-03-02,7\n`;
    const dry = await api.planImport("j3", "usage.csv", text, {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    });
    // 3 rows: 2 values (10 + 5 on the 1st, 7 on the 2nd) and the row summed into the 1st's.
    expect(dry.counts).toMatchObject({
      rowsRead: 3,
      observationsNew: 2,
      rowsCombined: 1,
      rowsRejected: 0,
      rowsSkipped: 0,
    });
    expect(dry.combined).toEqual([
      {
        line: 3,
        reason: `active_users on 2025-03-01 for account "${acme}": summed with line 2: the day's value is 15, the sum of 2 values (same-day rule "sum")`,
      },
    ]);
    expect(dry.combinedTotal).toBe(1);
  });

  it("dry run, apply, then undo restores exactly the state before", async () => {
    const progress: string[] = [];
    const accounts = await api.planImport(
      "j1",
      "salesforce-accounts.csv",
      fixture("salesforce-accounts.csv"),
      mapping("salesforce-accounts.mapping.json"),
      (phase) => {
        progress.push(phase);
      },
    );
    expect(accounts.counts).toMatchObject({ accountsNew: 4, rowsRejected: 1 });
    expect(accounts.rejects.map((r) => [r.line, r.column])).toEqual([
      [5, "Annual Revenue"],
      [5, "Customer Since"],
    ]);
    expect(progress).toContain("reading");
    expect((await snapshot()).accounts).toEqual([]); // a dry run writes nothing
    const first = await api.applyImport("j2", accounts.planId);
    expect(first.counts).toMatchObject({ accountsNew: 4 });

    const before = await snapshot();
    const tickets = await api.planImport(
      "j3",
      "zendesk-tickets.csv",
      fixture("zendesk-tickets.csv"),
      mapping("zendesk-tickets.mapping.json"),
    );
    expect(tickets.counts.observationsNew).toBeGreaterThan(0);
    const applied = await api.applyImport("j4", tickets.planId);
    expect((await snapshot()).blocks.length).toBeGreaterThan(0);
    expect((await api.listImports()).map((i) => i.id)).toEqual([applied.id, first.id]);

    await api.undoImport(applied.id);
    const after = await snapshot();
    expect(after.accounts).toEqual(before.accounts);
    expect(after.blocks).toEqual(before.blocks);
    expect(after.imports.find((i) => i.id === applied.id)?.status).toBe("undone");
    await expect(api.undoImport(applied.id)).rejects.toMatchObject({ name: "InputError" });
    // A dry run is applied once: applying it again asks for a new dry run.
    await expect(api.applyImport("j5", tickets.planId)).rejects.toThrow("run the dry run again");
  });

  it("refuses a bad mapping with its JSON paths, and a file without the mapped columns", async () => {
    await expect(
      api.planImport("j1", "x.csv", "a,b\n1,2\n", { shape: "long", account: { by: "id" } }),
    ).rejects.toMatchObject({ name: "InputError", message: expect.stringContaining("mapping.account.column") });
    await expect(
      api.planImport("j2", "tickets.csv", "a,b\n1,2\n", mapping("zendesk-tickets.mapping.json")),
    ).rejects.toMatchObject({ name: "InputError", message: expect.stringContaining('"Requester email"') });
  });

  it("keeps every rejected row: the first thousand in the dry run, all of them as CSV", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `a${i},logins,2025-13-01,1`);
    const dry = await api.planImport("j1", "bad.csv", `account,metric,day,value\n${rows.join("\n")}\n`, {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    });
    expect(dry.rejectsTotal).toBe(3000); // each row: unknown account and a bad day
    expect(dry.rejects).toHaveLength(MAX_REJECTS_SHOWN);
    const csv = await api.rejectsCsv(dry.planId);
    expect(csv.split("\r\n")[0]).toBe("line,column,reason,account,metric,day,value");
    expect(csv.trim().split("\r\n")).toHaveLength(3001);
    // One reason repeated 1,500 times is one group, over every reject (not only the thousand shown).
    expect(dry.rejectGroups.map((g) => [g.column, g.rows, g.firstLine, g.lastLine, g.contiguous])).toEqual([
      ["account", 1500, 2, 1501, true],
      ["day", 1500, 2, 1501, true],
    ]);
    expect(dry.rejectGroups[1]).toMatchObject({
      problem: "not a real date (YYYY-MM-DD)",
      examples: ["2025-13-01"],
      fix: "Correct these dates in the file: there is no such day.",
    });
  });

  it("the rejects file carries each rejected row as the file had it, beside line, column and reason", async () => {
    await api
      .planImport("j0", "a.csv", "id,name\na1,Acme\n", { shape: "wide", account: { by: "id", column: "id" } })
      .then((p) => api.applyImport("j0", p.planId));
    const text = `account,metric,day,value\na1,logins,16/10/2024,"=cmd|' /c calc'!A1"\na1,logins,17/10/2024,2\n`;
    const dry = await api.planImport("j1", "eu.csv", text, {
      shape: "long",
      dateFormat: "MM/DD/YYYY",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    });
    expect(dry.rejects[0]).toEqual({
      line: 2,
      column: "day",
      reason: '"16/10/2024" is not a real date (MM/DD/YYYY)',
    });
    expect(dry.rejectGroups).toHaveLength(2);
    expect(dry.rejectGroups[0]).toMatchObject({ column: "day", rows: 2, fix: "Choose the date format DD/MM/YYYY?" });
    expect(dry.rejectGroups[1]).toMatchObject({
      column: "value",
      rows: 1,
      problem: expect.stringMatching(/^not a number/),
    });
    const lines = (await api.rejectsCsv(dry.planId)).split("\r\n");
    expect(lines[0]).toBe("line,column,reason,account,metric,day,value");
    expect(lines[1]).toBe(
      `2,day,"""16/10/2024"" is not a real date (MM/DD/YYYY)",a1,logins,16/10/2024,"'=cmd|' /c calc'!A1"`,
    );
    expect(lines[3]).toBe(`3,day,"""17/10/2024"" is not a real date (MM/DD/YYYY)",a1,logins,17/10/2024,2`);
  });

  it("refuses a bundle with one account id twice, naming both JSON paths, before any preview", async () => {
    const bundle = {
      format: "vitals-bundle",
      version: 1,
      exportedAt: "2025-03-01T00:00:00Z",
      accounts: [
        { id: "a1", name: "Acme" },
        { id: "a2", name: "Globex" },
        { id: "a1", name: "Acme again" },
      ],
    };
    await expect(api.readBundle("team.json", JSON.stringify(bundle))).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining(
        'team.json: $.accounts[2].id: account id "a1" is used twice: $.accounts[0].id and $.accounts[2].id',
      ),
    });
  });

  it("writes rejected rows through the shared CSV writer: a column named like a formula is escaped", async () => {
    const dry = await api.planImport("j1", "bad.csv", "account,metric,=HYPERLINK(1),value\na1,logins,2025-13-01,1\n", {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "=HYPERLINK(1)",
      valueColumn: "value",
    });
    const lines = (await api.rejectsCsv(dry.planId)).split("\r\n");
    expect(lines[0]).toBe(`line,column,reason,account,metric,"'=HYPERLINK(1)",value`);
    expect(lines).toContainEqual(expect.stringMatching(/^2,"'=HYPERLINK\(1\)",/));
    expect(lines.filter((l) => /(^|,)[=+\-@]/.test(l))).toEqual([]);
  });

  it("a cancelled dry run rejects with an AbortError and a cancelled apply writes nothing", async () => {
    const body = Array.from(
      { length: 50_000 },
      (_, i) => `a1,logins,2025-01-${String((i % 28) + 1).padStart(2, "0")},${i}`,
    );
    const text = `account,metric,day,value\n${body.join("\n")}\n`;
    const accountsPlan = await api.planImport("j0", "a.csv", "id,name\na1,Acme\n", {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [{ column: "name", attribute: "name" }],
    });
    await api.applyImport("j0b", accountsPlan.planId);
    const longMapping = {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    };
    const cancelled = api.planImport("j1", "big.csv", text, longMapping, () => {
      void api.cancel("j1");
    });
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });

    const dry = await api.planImport("j2", "big.csv", text, longMapping);
    const before = await snapshot();
    const apply = api.applyImport("j3", dry.planId, () => {
      void api.cancel("j3");
    });
    await expect(apply).rejects.toMatchObject({ name: "AbortError" });
    expect(await snapshot()).toEqual(before);
  });

  it("a write that fails half way leaves the store as it was and says so in words", async () => {
    const dry = await api.planImport("j1", "a.csv", "id,name\na1,Acme\na2,Globex\n", {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [{ column: "name", attribute: "name" }],
    });
    const before = await snapshot();
    // The worker's own connection: make its account writes fail as a full disk would.
    const quota = new DOMException("quota exceeded", "QuotaExceededError");
    const worker = new VitalsDb(`data-api-${n}`, { indexedDB, IDBKeyRange });
    await api.close();
    const failing = createDataApi(() => {
      worker.accounts.hook("creating", () => {
        throw quota;
      });
      return worker;
    });
    const again = await failing.planImport("j2", "a.csv", "id,name\na1,Acme\na2,Globex\n", {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [{ column: "name", attribute: "name" }],
    });
    expect(again.counts.accountsNew).toBe(dry.counts.accountsNew);
    // It names the file and about how much room the import needed (two small accounts and their undo records).
    await expect(failing.applyImport("j3", again.planId)).rejects.toMatchObject({
      name: "WriteError",
      message: expect.stringContaining("no room left for Vitals' data: importing a.csv needs about 1 KB."),
    });
    expect(await snapshot()).toEqual(before);
    await failing.close();
  });

  it("saves, lists and deletes mappings, refusing an invalid one", async () => {
    await api.saveMapping("Zendesk tickets", mapping("zendesk-tickets.mapping.json"));
    await api.saveMapping("Usage (EU)", mapping("mixpanel-daily-usage.mapping.json"));
    await expect(api.saveMapping("Broken", { shape: "wide" })).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining("$.account"),
    });
    const { mappings, invalid } = await api.listMappings();
    expect(mappings.map((m) => [m.name, m.mapping.shape])).toEqual([
      ["Usage (EU)", "long"],
      ["Zendesk tickets", "events"],
    ]);
    expect(invalid).toEqual([]);
    expect(await api.deleteMapping("Usage (EU)")).toBe(true);
    expect(await api.deleteMapping("Usage (EU)")).toBe(false);
    expect((await api.listMappings()).mappings).toHaveLength(1);
  });
});

describe("files the app names by day", () => {
  const zoneBefore = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    if (zoneBefore === undefined) delete process.env.TZ;
    else process.env.TZ = zoneBefore;
  });

  it("a bundle and a backup exported on an evening in Los Angeles carry that evening's day, not the UTC day", async () => {
    process.env.TZ = "America/Los_Angeles";
    // 03:00 UTC on 7 December is 19:00 on 6 December there.
    vi.useFakeTimers({ now: new Date("2026-12-07T03:00:00Z"), toFake: ["Date"] });
    expect((await api.exportBundle("scorecards")).fileName).toBe("vitals-scorecards-2026-12-06.json");
    expect((await api.exportBackup("backup-day")).fileName).toBe("vitals-backup-2026-12-06.vitals.gz");
  });
});
