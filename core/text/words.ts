// Numbers in the words Vitals writes (the app's pages, the extension's popup, the CLI's messages), written once.

/** A whole number with its thousands grouped: 12,345. */
export const count = (n: number): string => n.toLocaleString("en-US");

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
