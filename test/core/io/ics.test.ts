import { describe, expect, it } from "vitest";
import { escapeIcsText, foldIcsLine, icsCalendar } from "../../../core/io/ics.ts";
import { type ExportTask, tasksCsv, tasksIcs } from "../../../core/io/tasks-export.ts";

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

describe("iCalendar (RFC 5545)", () => {
  it("escapes TEXT: backslash, semicolon, comma and line breaks (§3.3.11)", () => {
    expect(escapeIcsText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });
  it("folds lines at 75 octets with CRLF and one space, never splitting a UTF-8 character (§3.1)", () => {
    const ascii = `SUMMARY:${"x".repeat(200)}`;
    const folded = foldIcsLine(ascii).split("\r\n");
    // 208 octets: 75 on the first line, then 74 + the space, then the last 59 + the space.
    expect(folded.map(utf8)).toEqual([75, 75, 60]);
    expect(folded.slice(1).every((l) => l.startsWith(" "))).toBe(true);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(ascii);
    // "é" is 2 octets: 8 + 33 × 2 = 74, so the 34th "é" (76) goes to the next line.
    const accents = `SUMMARY:${"é".repeat(40)}`;
    const lines = foldIcsLine(accents).split("\r\n");
    expect(lines.map(utf8)).toEqual([74, 15]);
    expect(lines[1]).toBe(` ${"é".repeat(7)}`);
    // A 4-octet emoji is kept whole too.
    for (const line of foldIcsLine(`X:${"😀".repeat(30)}`).split("\r\n")) expect(utf8(line)).toBeLessThanOrEqual(75);
    expect(foldIcsLine("SHORT:line")).toBe("SHORT:line");
  });
  it("writes a calendar of all-day events with CRLF line ends, DTSTAMP in UTC and an exclusive DTEND", () => {
    const text = icsCalendar(
      [{ uid: "t1@vitals.local", day: "2025-12-31", summary: "Call, then write", description: "Line 1\nLine 2" }],
      new Date("2025-03-05T09:08:07.123Z"),
    );
    expect(text).toBe(
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vitals//Tasks//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:t1@vitals.local",
        "DTSTAMP:20250305T090807Z",
        "DTSTART;VALUE=DATE:20251231",
        "DTEND;VALUE=DATE:20260101",
        "SUMMARY:Call\\, then write",
        "DESCRIPTION:Line 1\\nLine 2",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });
});

const task: ExportTask = {
  id: "tsk-1",
  title: "Book a call with the executive sponsor",
  accountId: "a1",
  accountName: "Acme; Inc, Europe",
  owner: "Dana",
  due: "2025-03-07",
  playName: "Executive check-in",
  alertTitle: "Score fell 10 points or more within 30 days",
};

describe("open tasks export", () => {
  it("CSV: one row per task with a header, quoted where needed, formulas escaped", () => {
    const csv = tasksCsv([task, { ...task, id: "tsk-2", title: "=HYPERLINK(1)", due: "2025-03-09" }]);
    expect(csv.split("\r\n")).toEqual([
      "due,task,account,account_id,owner,play,alert",
      '2025-03-07,Book a call with the executive sponsor,"Acme; Inc, Europe",a1,Dana,Executive check-in,Score fell 10 points or more within 30 days',
      '2025-03-09,"\'=HYPERLINK(1)","Acme; Inc, Europe",a1,Dana,Executive check-in,Score fell 10 points or more within 30 days',
      "",
    ]);
  });
  it("CSV: a formula followed by a line break is escaped too (papaparse's own escapeFormulae missed it)", () => {
    const csv = tasksCsv([{ ...task, title: "=HYPERLINK(1)\nsee notes", accountId: "-5" }]);
    expect(csv).toContain(`"'=HYPERLINK(1)\nsee notes"`);
    expect(csv).toContain(`,"'-5",`);
  });
  it("iCalendar: an event per task on its due day, the account in the summary escaped, stable UIDs", () => {
    const ics = tasksIcs([task], new Date("2025-03-05T00:00:00Z"));
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain("UID:tsk-1@vitals.local\r\n");
    expect(unfolded).toContain("DTSTART;VALUE=DATE:20250307\r\n");
    expect(unfolded).toContain("SUMMARY:Book a call with the executive sponsor (Acme\\; Inc\\, Europe)\r\n");
    expect(unfolded).toContain("CATEGORIES:Vitals,Executive check-in\r\n");
    for (const line of ics.split("\r\n")) expect(utf8(line)).toBeLessThanOrEqual(75);
  });
});
