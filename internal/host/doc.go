// Package host is Tickstream's integration suite: a stand-in for Grafana that
// starts the real plugin executable the way Grafana does (hashicorp/go-plugin
// over gRPC with the SDK's handshake) and drives the pluginv2 services
// (Diagnostics, Data, Stream) with a PluginContext carrying the data source's
// instance settings.
//
// host.go is the reusable harness (start/stop a plugin process, typed calls,
// request headers such as an alert rule's, frame decoding, goroutine, file
// descriptor and RSS readings). The *_test.go files are the tests, by topic:
// health, query (history), subscribe, stream (live), signals (shapes, series,
// noise, batching, limits, alerting), determinism (two processes),
// resources (leaks), badinput (the bad-input table), lifecycle
// (open/cancel cycles, cancellation latency, kill and restart, sockets),
// metrics (the Prometheus metrics through CollectMetrics, and the log) and
// security (publishing refused, subscribe and RunStream data cannot change
// a stream, bounded history, refusal before any work) and tickwatch
// (cmd/tickwatch against livestandin_test.go's Grafana: the HTTP API a
// dashboard uses and Grafana Live on a real Centrifuge node, one RunStream
// per channel, with a dropped connection, a killed plugin and a wrong
// value injected; BenchmarkTickwatchViewers measures tickwatch's own CPU).
//
// Which executable runs: TestMain uses $TICKSTREAM_PLUGIN_BINARY when it is set
// (scripts/test.sh sets it to dist/gpx_streaming_linux_amd64, built by
// `mage -v build:linux`; a relative path is taken from the module root),
// otherwise it builds ./pkg once with `go build` into a temporary directory.
//
// Run from the module root:
//
//	go test -race ./internal/host
//	TICKSTREAM_PLUGIN_BINARY=dist/gpx_streaming_linux_amd64 go test ./internal/host
//
// The tests poll with generous deadlines and never assert speed; speed is
// measured in benchmarks.
package host
