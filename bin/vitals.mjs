#!/usr/bin/env node
// The `vitals` command. Vitals' core is TypeScript run directly by Node's type stripping (Node ≥ 22.18), the
// same files the app's worker runs. `npm install` puts Node 22 in node_modules/.bin, which npm and npx put first
// on PATH, so `npx vitals` works even where the system Node is older.
if (!process.features?.typescript) {
  process.stderr.write(
    `vitals: needs Node.js 22.18 or newer (this is ${process.version}). Run it as "npx vitals" inside the Vitals ` +
      "folder after npm install, which brings its own Node 22.\n",
  );
  process.exit(2);
}
const { readFileSync } = await import("node:fs");
const { main } = await import("../core/cli/main.ts");
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// A reader that stops early (\`vitals score | head\`) closes the pipe: stop quietly, as Unix tools do, instead of
// dying with an EPIPE stack trace. Any other write error is a real failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
// Writes go through stream callbacks so a large CSV reaches a pipe in full before the process exits.
const write = (stream) => (text) => stream.write(text);
const code = await main(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr) }, version);
process.exitCode = code;
