import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellsOf } from "../../../core/io/columns.ts";
import { planCsv, readCsv, type TextPieces } from "../../../core/io/csv.ts";
import { Mapping } from "../../../core/io/mapping.ts";
import { ImportPlanner } from "../../../core/io/plan.ts";
import { parseNumberCell, scanIsoDay, scanPlainNumber } from "../../../core/io/values.ts";
import type { Account } from "../../../core/schema/account.ts";
import { formatDay, parseIsoDay } from "../../../core/schema/day.ts";
import { blobText, PIECE_BYTES } from "../../../core/worker/blob-text.ts";

/** Text cut into pieces at the given positions (as a File read in pieces would arrive). */
function piecesOf(text: string, cuts: number[]): TextPieces {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return {
    size: text.length,
    async *pieces() {
      let from = 0;
      for (const to of [...at, text.length]) {
        if (to <= from) continue;
        yield { text: text.slice(from, to), done: to };
        from = to;
      }
    },
  };
}

async function rowsOf(input: string | TextPieces, delimiter = ",") {
  const rows: [number, string[]][] = [];
  let header: string[] = [];
  const summary = await readCsv(
    "x.csv",
    input,
    { header: (h) => (header = h), row: (l, c) => rows.push([l, c]) },
    {
      delimiter,
    },
  );
  return { header, rows, problems: summary.problems, problemCells: summary.problemCells };
}

const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

describe("CsvScanner, through readCsv", () => {
  it("reads any well-formed file back, cut into pieces anywhere, with the lines a text editor shows", async () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "b", "1", " ", ",", '"', "\n", "\r\n", "é", "😀", ";", "-"),
      maxLength: 6,
    });
    const row = fc
      .record({
        cells: fc.array(cell, { minLength: 1, maxLength: 3 }),
        quoted: fc.array(fc.boolean(), { minLength: 3 }),
      })
      .filter((r) => !(r.cells.length === 1 && r.cells[0] === ""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.boolean(), { minLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (rows, eol, blankAfter, cuts) => {
          let text = "\uFEFFa,b,c";
          const expected: [number, string[]][] = [];
          rows.forEach((r, k) => {
            text += eol;
            if (blankAfter[k]) text += eol; // a blank line: skipped, but counted
            const line = 1 + (text.match(/\n/g)?.length ?? 0);
            text += r.cells
              .map((c, i) => (r.quoted[i] || /[",\r\n]/.test(c) || (c.length > 0 && c.trim() === "") ? quote(c) : c))
              .join(",");
            expected.push([line, r.cells]);
          });
          if (blankAfter[11]) text += eol;
          const read = await rowsOf(piecesOf(text, cuts));
          expect(read.header).toEqual(["a", "b", "c"]);
          expect(read.problems).toEqual([]);
          expect(read.rows).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("ends rows at a lone \\r too, and keeps a trailing separator's empty field", async () => {
    expect((await rowsOf("a,b\r1,2\r\r3,\r")).rows).toEqual([
      [2, ["1", "2"]],
      [4, ["3", ""]],
    ]);
  });

  it("rejects an unclosed quote and text after a closing quote, keeping the cells as written", async () => {
    const tail = await rowsOf('a,b\n1,2\n3,"open\nstill open');
    expect(tail.rows).toEqual([[2, ["1", "2"]]]);
    expect(tail.problems).toEqual([{ line: 3, reason: "the row could not be read: quoted field unterminated" }]);
    expect(tail.problemCells.get(3)).toEqual(["3", "open\nstill open"]);
    const trailing = await rowsOf('a,b\n"x"y,2\n4,5\n');
    expect(trailing.rows).toEqual([[3, ["4", "5"]]]);
    expect(trailing.problems).toEqual([
      { line: 2, reason: "the row could not be read: trailing quote on quoted field is malformed" },
    ]);
    expect(trailing.problemCells.get(2)).toEqual(['"x"y', "2"]);
  });

  it("allows spaces between a closing quote and the separator", async () => {
    expect((await rowsOf('a;b\n"x" ;y\n', ";")).rows).toEqual([[2, ["x", "y"]]]);
  });

  it("stops at once when cancelled, with an AbortError", async () => {
    const signal = { aborted: false };
    const seen: number[] = [];
    const read = readCsv(
      "x.csv",
      "a\n1\n2\n3\n",
      {
        header: () => undefined,
        row: (line) => {
          seen.push(line);
          signal.aborted = true;
        },
      },
      { signal },
    );
    await expect(read).rejects.toMatchObject({ name: "AbortError", message: "reading x.csv was cancelled" });
    expect(seen).toEqual([2]);
  });
});

describe("fast paths for days and numbers", () => {
  it("read a plain decimal as the same double as Number(), and anything else as NaN (the general parser's)", () => {
    const plain = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,9}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,7}$/), { nil: undefined }),
      )
      .map(([minus, whole, fraction]) => `${minus ? "-" : ""}${whole}${fraction === undefined ? "" : `.${fraction}`}`);
    fc.assert(
      fc.property(plain, (text) => {
        const digits = text.replace(/\D/g, "").length;
        expect(Object.is(scanPlainNumber(text, 0, text.length), digits > 15 ? Number.NaN : Number(text))).toBe(true);
        expect(Object.is(scanPlainNumber(`x${text.replace(".", ",")}y`, 1, text.length + 1, ","), Number(text))).toBe(
          digits <= 15,
        );
      }),
      { numRuns: 2000 },
    );
    for (const text of ["", "-", ".5", "1,234", "1e5", " 1", "+1", "1.2.3", "1234567890123456", "0x10"]) {
      expect(scanPlainNumber(text, 0, text.length)).toBeNaN();
    }
    // The general parser still reads what the fast path leaves.
    expect(parseNumberCell("1,234.5")).toEqual({ ok: true, value: 1234.5 });
  });

  it("read YYYY-MM-DD as parseIsoDay does, impossible dates and other forms as NaN", () => {
    const day = fc.tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    );
    fc.assert(
      fc.property(day, ([y, m, d]) => {
        const text = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
        const general = parseIsoDay(text);
        const fast = scanIsoDay(`,${text},`, 1, 11);
        if (general === undefined) expect(fast).toBeNaN();
        else expect(fast).toBe(general);
      }),
      { numRuns: 3000 },
    );
    for (const text of ["2024-2-01", "2024-02-01T10:00", "2024/02/01", " 2024-02-01", "2024-02-3a"]) {
      expect(scanIsoDay(text, 0, text.length)).toBeNaN();
    }
    expect(formatDay(scanIsoDay("2024-02-29", 0, 10))).toBe("2024-02-29");
    expect(scanIsoDay("2023-02-29", 0, 10)).toBeNaN();
  });
});

describe("a long file's fast path plans what the general reader plans", () => {
  const accounts = ["A1", "A2", " A3"].map(
    (id) => ({ id: id.trim(), name: id, domains: [], externalIds: {}, aliases: [], attributes: {} }) as Account,
  );
  const long = {
    shape: "long",
    name: "long",
    account: { by: "id", column: "account" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
  } as const;
  const mapping = Mapping.parse(long);

  it("for any mix of plain rows, quoted and spaced cells, unknown accounts, bad metrics, days and values", async () => {
    const cell = {
      account: fc.constantFrom("A1", "A1", "A2", " A3", '"A2"', "A9", ""),
      metric: fc.constantFrom("logins", "logins", "active_users", '"logins"', " logins", "Bad Name", ""),
      day: fc.constantFrom("2025-01-01", "2025-01-02", "2025-01-02", "2025-02-30", "2025-1-3", "", '"2025-01-01"'),
      value: fc.constantFrom("1", "2.5", "-3", '"1,000"', "x", "", "n/a", "0.1", '"7"', "1234567890123456"),
    };
    const rules = ["each", "sum", "mean", "last", "min", "max", "nps"] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record(cell), { maxLength: 30 }), fc.constantFrom(...rules), async (rows, rule) => {
        const mapping = Mapping.parse({ ...long, sameDay: { "*": rule } });
        const text = `account,metric,day,value\n${rows.map((r) => `${r.account},${r.metric},${r.day},${r.value}`).join("\n")}\n`;
        const fast = await planCsv("long.csv", text, mapping, accounts);
        const general = new ImportPlanner("long.csv", ["account", "metric", "day", "value"], mapping, accounts);
        await readCsv("long.csv", text, { header: () => undefined, row: (line, cells) => general.addRow(line, cells) });
        const slow = general.finish();
        expect(fast.rejects).toEqual(slow.rejects);
        expect([fast.rowsRead, fast.rowsSkipped]).toEqual([slow.rowsRead, slow.rowsSkipped]);
        expect(cellsOf(fast.observations)).toEqual(cellsOf(slow.observations));
        expect(fast.sameDay).toEqual(slow.sameDay);
        expect(fast.combined).toEqual(slow.combined);
        // Every row is accounted for, once: skipped (nothing to import), rejected, the line a day's value stands
        // on, or listed as combined into another's (or left out) with its reason.
        const rejected = new Set(fast.rejects.map((r) => r.line));
        const combined = new Set(fast.combined.map((r) => r.line));
        for (const line of combined) expect(rejected.has(line)).toBe(false);
        expect(fast.rowsSkipped + rejected.size + combined.size + fast.observations.length).toBe(fast.rowsRead);
      }),
      { numRuns: 300 },
    );
  });

  it("combines repeated days whatever their order in the file, and scores a lone NPS answer under the nps rule", async () => {
    const text =
      "account,metric,day,value\nA1,logins,2025-01-02,1\nA2,logins,2025-01-01,5\nA1,logins,2025-01-01,2\n" +
      "A1,logins,2025-01-02,3\nA1,nps,2025-01-01,9\n";
    const plan = await planCsv("long.csv", text, { ...mapping, sameDay: { nps: "nps" } } as Mapping, accounts);
    expect(cellsOf(plan.observations).map((c) => [c.accountId, c.metric, formatDay(c.day), c.values])).toEqual([
      ["A1", "logins", "2025-01-01", [2]],
      ["A1", "logins", "2025-01-02", [4]],
      ["A1", "nps", "2025-01-01", [100]],
      ["A2", "logins", "2025-01-01", [5]],
    ]);
    expect(plan.sameDay.find((s) => s.metric === "logins")).toMatchObject({ combinedDays: 1, combinedValues: 2 });
  });
});

describe("a File or Blob is read in pieces, never whole", () => {
  it("decodes a character cut between two pieces, and drops the byte-order mark", async () => {
    const bytes = new TextEncoder().encode("\uFEFFname\nRené\n😀x\n");
    const blob = new Blob([bytes]);
    const read = await rowsOf(blobText(blob, 3));
    expect(read.header).toEqual(["name"]);
    expect(read.rows).toEqual([
      [2, ["René"]],
      [3, ["😀x"]],
    ]);
  });

  it("streams a 256 MiB file made on the fly: every slice asked for is one piece, and the heap stays flat", async () => {
    const line = new TextEncoder().encode("acc-000001,logins,2025-01-01,123\n");
    const size = 256 * 2 ** 20;
    let largestSlice = 0;
    let slices = 0;
    const file = {
      size,
      slice(start: number, end: number) {
        largestSlice = Math.max(largestSlice, end - start);
        slices++;
        return {
          async arrayBuffer() {
            const out = new Uint8Array(end - start);
            if (start === 0) out.set(new TextEncoder().encode("account_id,metric,day,value\n"));
            for (let at = start === 0 ? 28 : 0; at < out.length; at++) {
              out[at] = line[(start + at - 28) % line.length] as number;
            }
            return out.buffer;
          },
        };
      },
    };
    const heapBefore = process.memoryUsage().heapUsed;
    let heapMax = 0;
    let rows = 0;
    const summary = await readCsv(
      "big.csv",
      blobText(file),
      {
        header: () => undefined,
        row: () => undefined,
        fields: () => {
          rows++;
        },
      },
      { onProgress: () => (heapMax = Math.max(heapMax, process.memoryUsage().heapUsed)) },
    );
    expect(largestSlice).toBe(PIECE_BYTES);
    expect(slices).toBe(Math.ceil(size / PIECE_BYTES));
    expect(rows + summary.problems.length).toBe(Math.ceil((size - 28) / line.length));
    // The file is 256 MiB: held whole, as bytes or text, the heap would grow by at least that.
    expect(heapMax - heapBefore).toBeLessThan(96 * 2 ** 20);
  }, 120_000);
});
