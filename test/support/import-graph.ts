// The import graph of a source tree, read from the files' own import statements with TypeScript's parser, and the
// circles in it. A static import (`import … from`, `import type … from`, `export … from`) is an edge; a dynamic
// `import()` is not: it loads a module later, on purpose, and cannot tie two modules' evaluation together.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const SKIPPED = new Set(["node_modules", ".output", ".wxt", "dist"]);

/** Every source file below `dir`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

/** Whether a statement imports or re-exports types alone (the bundler drops it: no module is loaded for it). */
function typesOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) {
    if (statement.isTypeOnly) return true;
    const clause = statement.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0
    ? named.elements.every((e) => e.isTypeOnly)
    : false;
}

/**
 * The relative module specifiers a file imports statically; with `values`, only those whose module loads with it
 * (not an import of types alone).
 */
export function staticImports(path: string, options: { values?: boolean } = {}): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    if (options.values && typesOnly(statement)) continue;
    const from = statement.moduleSpecifier;
    if (from && ts.isStringLiteral(from) && from.text.startsWith(".")) specifiers.push(from.text);
  }
  return specifiers;
}

/** The file a relative specifier names: itself, or with .ts/.tsx or /index.ts added (undefined for a non-source). */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * The graph of the source files below each of `roots` (paths relative to `repo`): file → files it imports (with
 * `values`, only the imports that load a module: see staticImports).
 */
export function importGraph(
  repo: string,
  roots: readonly string[],
  options: { values?: boolean } = {},
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const root of roots) {
    for (const file of sourceFiles(resolve(repo, root))) {
      const targets = staticImports(file, options)
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => target !== undefined)
        .map((target) => relative(repo, target));
      graph.set(relative(repo, file), [...new Set(targets)]);
    }
  }
  return graph;
}

/** A group of files that import each other, and one path around it that returns to its start. */
export interface ImportCycle {
  files: string[];
  path: string[];
}

/**
 * The circles of a graph: each group of files that import each other, directly or around (a strongly connected
 * component of more than one file, or a file importing itself): its files, and one path around it.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): ImportCycle[] {
  // Tarjan's algorithm, iterative so a deep tree cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const edges = (file: string) => graph.get(file) ?? [];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { file: string; edge: number }[] = [{ file: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { file: string; edge: number };
      const targets = edges(top.file);
      if (top.edge < targets.length) {
        const target = targets[top.edge++] as string;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(top.file, Math.min(low.get(top.file) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file) as number, low.get(top.file) as number));
      if (low.get(top.file) === index.get(top.file)) {
        const component: string[] = [];
        let file: string;
        do {
          file = stack.pop() as string;
          onStack.delete(file);
          component.push(file);
        } while (file !== top.file);
        if (component.length > 1 || edges(top.file).includes(top.file)) components.push(component.sort());
      }
    }
  }
  return components.map((files) => ({ files, path: pathAround(files, graph) }));
}

/** One path from a component's first file back to it, through files of the component (breadth first: shortest). */
function pathAround(component: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] as string;
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [...component, start];
}

/** Every file `start` loads, through the static imports of `graph` (itself included). */
export function loadedBy(graph: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const target of graph.get(file) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}
