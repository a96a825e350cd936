import { UsageError } from "./problems.ts";

/** An option a command accepts: `--name <value>` or the flag `--name`. */
export interface OptionSpec {
  readonly name: string;
  readonly value?: string;
  /** Whether the option may be given more than once (its values are kept in order). */
  readonly repeat?: boolean;
}

/** Options as given: a value for `--name <value>`, the values in order for a repeated one, true for a flag. */
export type ParsedOptions = Map<string, string | string[] | true>;

/**
 * Reads `--name value`, `--name=value` and flags, refusing unknown options, repeated options and missing values
 * with a message naming the option (node:util parseArgs words its errors for developers, not for CSMs).
 */
export function parseOptions(
  args: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): { options: ParsedOptions; positionals: string[] } {
  const options: ParsedOptions = new Map();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-h") {
      options.set("help", true);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, "");
    const spec = byName.get(name);
    if (!spec || !arg.startsWith("--")) {
      throw new UsageError(`unknown option ${eq >= 0 ? arg.slice(0, eq) : arg} (see: vitals ${command} --help)`);
    }
    if (options.has(name) && !spec.repeat) throw new UsageError(`--${name} is given twice`);
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value: --${name} ${spec.value}`);
    if (spec.repeat) {
      const list = options.get(name);
      options.set(name, Array.isArray(list) ? [...list, value] : [value]);
    } else options.set(name, value);
  }
  return { options, positionals };
}

/** The value of an option that takes one, or undefined when it was not given. */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options.get(name);
  return typeof value === "string" ? value : undefined;
}

/** The values of an option that may be repeated, in the order given (empty when it was not given). */
export function listOption(options: ParsedOptions, name: string): string[] {
  const value = options.get(name);
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}
