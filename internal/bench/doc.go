// Package bench holds Tickstream's performance bench (issue 4): the
// baseline plugin that does what Grafana's streaming tutorial does
// (baseline/), a plugin that only pushes pre-encoded bytes to measure the
// plugin protocol's ceiling (echo/), and the bench command that starts
// them and Tickstream through the real plugin protocol and writes
// developers/benchmarks.md (cmd/tickbench; run it with scripts/bench.sh).
//
// cmd/ticksoak is the soak test (issue 5): thousands of streams for
// minutes through internal/host's harness, every tick counted against the grid
// and the plugin's RSS slope fitted (run it with scripts/soak.sh; results
// in developers/soak.md).
//
// procstat/ is the /proc CPU-time reader both commands share, so the
// bench's and the soak's CPU figures are taken the same way.
//
// Nothing here is part of the plugin; scripts/test.sh only compiles, vets
// and unit-tests it.
package bench
