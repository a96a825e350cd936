// Numbers in the words Vitals writes (the app's pages, the extension's popup, the CLI's messages), written once.

/**
 * `n` exactly as `n.toLocaleString("en-US", { maximumFractionDigits })` writes it (thousands grouped, rounded half
 * away from zero on its shortest decimal form, no trailing zeros), without the browser's Intl: the first Intl format
 * in a page loads its locale data, 20–40 ms of the page's thread in a new browser process (measured), and a cold
 * start's first screen paid it before it could show anything (issue 14). test/core/text/words.test.ts holds it to
 * Intl's output. Numbers Intl writes with an exponent's worth of digits (1e21 and above), and NaN and ∞, go to Intl.
 */
export function grouped(n: number, maximumFractionDigits = 3): string {
  const text = String(Math.abs(n));
  if (!Number.isFinite(n) || text.includes("e")) return n.toLocaleString("en-US", { maximumFractionDigits });
  let [int = "0", frac = ""] = text.split(".");
  if (frac.length > maximumFractionDigits) {
    const up = frac.charCodeAt(maximumFractionDigits) >= 53; // "5" or more
    frac = frac.slice(0, maximumFractionDigits);
    if (up) {
      const digits = `${int}${frac}`.split("").map(Number);
      let i = digits.length - 1;
      for (; i >= 0 && digits[i] === 9; i--) digits[i] = 0;
      if (i >= 0) digits[i] = (digits[i] ?? 0) + 1;
      const all = `${i < 0 ? "1" : ""}${digits.join("")}`;
      int = all.slice(0, all.length - frac.length);
      frac = all.slice(all.length - frac.length);
    }
  }
  frac = frac.replace(/0+$/, "");
  const sign = n < 0 || Object.is(n, -0) ? "-" : "";
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? `.${frac}` : ""}`;
}

/** A whole number with its thousands grouped: 12,345 (as Intl's en-US format writes any number: grouped). */
export const count = (n: number): string => grouped(n);

/** Dollars without cents, as Intl's en-US currency format writes them: 120000 → "$120,000", −5 → "-$5". */
export function dollars(n: number): string {
  if (!Number.isFinite(n))
    return n.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
  const amount = grouped(Math.abs(n), 0);
  return n < 0 || Object.is(n, -0) ? `-$${amount}` : `$${amount}`;
}

/**
 * A moment (an ISO timestamp) as the local day and minute: "2025-03-12 14:05", the way days are written everywhere
 * in Vitals, without Intl (see grouped). The text itself when it is not a moment.
 */
export function localMinute(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${String(at.getFullYear()).padStart(4, "0")}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `${day} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

/** A count with its noun: "1 account", "12,345 accounts"; `many` for an irregular plural ("people"). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/**
 * A share in [0, 1] as a percentage to `digits` decimals (0.254 → "25%"); "—" for none. A share short of all (or
 * above none) never shows as 100% (or 0%): up to 3 more decimals are added until it does not, so 7,032 of 7,043
 * accounts covered reads 99.8%, not 100%, and cannot hide the 11 that are not.
 */
export function percent(x: number | null, digits = 0): string {
  if (x === null) return "—";
  let d = digits;
  let text = (x * 100).toFixed(d);
  while (d < digits + 3 && ((x < 1 && Number(text) >= 100) || (x > 0 && Number(text) === 0)))
    text = (x * 100).toFixed(++d);
  return `${text}%`;
}
