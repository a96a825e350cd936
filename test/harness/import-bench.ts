// The import benchmark's page (npm run bench): filled in by test/bench/import.bench.mjs's helpers.
const statusLine = document.getElementById("status");
if (statusLine) statusLine.textContent = "ready";

export {};
