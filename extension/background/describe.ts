import type { SetInfo } from "./badge-store.ts";

/** A timestamp as a person reads it, in their time zone: "25 Nov 2026, 15:58". */
export function whenText(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString("en-GB", {
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      });
}

/** Where the badges come from and when, in one sentence (options page and popup). */
export function sourceText(info: SetInfo | undefined): string {
  if (!info) return "No data yet: open the Vitals app in this browser, or import a badge file in the options.";
  const count = `${info.accounts.toLocaleString("en-US")} account${info.accounts === 1 ? "" : "s"}`;
  const from =
    info.source.kind === "bridge" ? `the Vitals app at ${info.source.origin}` : `the file ${info.source.fileName}`;
  return `${count} from ${from}, received ${whenText(info.receivedAt)} (scores made ${whenText(info.generatedAt)}).`;
}
