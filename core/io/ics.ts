/**
 * A small iCalendar (RFC 5545) writer for all-day events. Hand-written rather than a library: the npm packages
 * that write .ics bring date libraries and validators for the whole standard, while Vitals needs one component
 * with five properties, and the parts that matter (TEXT escaping, folding at 75 octets without splitting a UTF-8
 * character, CRLF) are a few lines each, tested against the RFC's rules.
 */
import { addDays } from "../schema/day.ts";

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash, line breaks become \n. */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const octets = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * Folds a content line (RFC 5545 §3.1): no line longer than 75 octets of UTF-8, excluding the CRLF; each
 * continuation starts with one space (which counts), and a multi-octet character is never split.
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = octets(ch.codePointAt(0) as number);
    if (size + n > 75) {
      parts.push(current);
      current = " ";
      size = 1;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n");
}

/** An all-day event. */
export interface IcsEvent {
  /** Globally unique and stable, so importing the file again updates the events instead of duplicating them. */
  uid: string;
  /** The day, as YYYY-MM-DD. */
  day: string;
  summary: string;
  description?: string;
  categories?: readonly string[];
}

const basicDate = (isoDay: string) => isoDay.replaceAll("-", "");

/** A VCALENDAR of all-day VEVENTs, CRLF line ends, folded lines. `stamp` is the DTSTAMP (when the file was made). */
export function icsCalendar(events: readonly IcsEvent[], stamp: Date, productId = "-//Vitals//Tasks//EN"): string {
  const dtstamp = `${stamp.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${productId}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  for (const e of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${basicDate(e.day)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(e.day, 1))}`,
      `SUMMARY:${escapeIcsText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeIcsText(e.description)}`);
    if (e.categories && e.categories.length > 0) {
      lines.push(`CATEGORIES:${e.categories.map(escapeIcsText).join(",")}`);
    }
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
