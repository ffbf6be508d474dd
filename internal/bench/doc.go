// Package bench holds Tickstream's performance bench (issue 4): the
// baseline plugin that does what Grafana's streaming tutorial does
// (baseline/), a plugin that only pushes pre-encoded bytes to measure the
// plugin protocol's ceiling (echo/), and the bench command that starts
// them and Tickstream through the real plugin protocol and writes
// docs/benchmarks.md (cmd/tickbench; run it with scripts/bench.sh).
//
// Nothing here is part of the plugin or of scripts/test.sh; it only has to
// compile and vet.
package bench
