// The import benchmark's page (npm run bench): filled in by test/bench/import.bench.mjs's helpers.
const status = document.getElementById("status");
if (status) status.textContent = "ready";
