// Numbers in the words Vitals writes (the app's pages, the extension's popup, the CLI's messages), written once.

/** A whole number with its thousands grouped: 12,345. */
export const count = (n: number): string => n.toLocaleString("en-US");

/** A count with its noun: "1 account", "12,345 accounts"; `many` for an irregular plural ("people"). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A share in [0, 1] as a percentage to `digits` decimals (0.254 → "25%"); "—" for none. */
export const percent = (x: number | null, digits = 0): string => (x === null ? "—" : `${(100 * x).toFixed(digits)}%`);
