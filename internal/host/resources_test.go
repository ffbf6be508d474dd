package host

import (
	"fmt"
	"testing"
	"time"
)

// counts reads the plugin's goroutines (go_goroutines via CollectMetrics)
// and open file descriptors (/proc/<pid>/fd).
func counts(t *testing.T, p *Plugin) (goroutines, fds int) {
	t.Helper()
	g, err := p.Goroutines(ctxFor(t, 30*time.Second))
	if err != nil {
		t.Fatalf("go_goroutines: %v", err)
	}
	f, err := p.OpenFDs()
	if err != nil {
		t.Fatalf("open fds: %v", err)
	}
	return g, f
}

// steadyCounts polls until two reads 200 ms apart agree, so the baseline is
// not taken while something is still winding down.
func steadyCounts(t *testing.T, p *Plugin) (int, int) {
	t.Helper()
	g, f := counts(t, p)
	for range 50 {
		time.Sleep(200 * time.Millisecond)
		g2, f2 := counts(t, p)
		if g2 == g && f2 == f {
			return g, f
		}
		g, f = g2, f2
	}
	return g, f
}

// warmBaseline opens one stream on path, waits for its first packet and
// cancels it, then returns the steady goroutine and fd counts: the first
// stream creates the instance and whatever the SDK keeps for good, so a
// baseline taken before it would read that as a leak.
func warmBaseline(t *testing.T, p *Plugin, ds DataSource, path string) (goroutines, fds int) {
	t.Helper()
	sc, s := openStream(t, p, ds, path)
	waitFirstPacket(t, s, sc, "warm-up")
	s.Cancel()
	waitDone(t, s, "warm-up")
	return steadyCounts(t, p)
}

// leakSlack is a couple of goroutines of slack for the gRPC transport; the
// tests' leaks would be of one goroutine per stream, for many streams.
const leakSlack = 2

// backToBaseline waits up to 30 s for the goroutines to fall within
// leakSlack of baseG and the fds to baseF. It returns the last counts and
// whether they got there; the caller says what was being undone.
func backToBaseline(t *testing.T, p *Plugin, baseG, baseF int) (g, f int, ok bool) {
	t.Helper()
	ok, _ = eventually(30*time.Second, func() (bool, string) {
		g, f = counts(t, p)
		return g <= baseG+leakSlack && f <= baseF, ""
	})
	return g, f, ok
}

// TestCancelledStreamsReleaseResources: streams that are cancelled (the last
// viewer left) stop and give back their goroutines and file descriptors.
func TestCancelledStreamsReleaseResources(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()

	baseG, baseF := warmBaseline(t, p, ds, pathFor(20, "0", "100", 1000))
	t.Logf("baseline: %d goroutines, %d fds", baseG, baseF)

	// Half the streams tick every 20 ms, half every hour: an hourly stream
	// that ignored its context would hold on until its next tick.
	const n = 20
	streams := make([]*Stream, n)
	for i := range n {
		if i%2 == 0 {
			sc, s := openStream(t, p, ds, pathFor(20, "0", "100", int64(i)))
			waitFirstPacket(t, s, sc, fmt.Sprintf("stream %d", i))
			streams[i] = s
		} else {
			_, streams[i] = openStream(t, p, ds, pathFor(3_600_000, "0", "100", int64(i)))
		}
	}
	// Each running RunStream holds at least its handler's goroutine.
	var openG, openF int
	if ok, _ := eventually(30*time.Second, func() (bool, string) {
		openG, openF = counts(t, p)
		return openG >= baseG+n, ""
	}); !ok {
		t.Errorf("%d goroutines with %d streams running, baseline %d: not every stream is running", openG, n, baseG)
	}
	t.Logf("with %d streams: %d goroutines, %d fds", n, openG, openF)
	for _, s := range streams {
		s.Cancel()
	}
	for i, s := range streams {
		waitDone(t, s, fmt.Sprintf("stream %d", i))
	}

	// A leak of 20 streams leaks at least 20 goroutines, well past the slack.
	if g, f, ok := backToBaseline(t, p, baseG, baseF); !ok {
		t.Errorf("30 s after cancelling %d streams: %d goroutines (baseline %d), %d fds (baseline %d)", n, g, baseG, f, baseF)
	}
	assertAlive(t, p)
}

// waitFirstPacket waits until s has sent one decodable packet.
func waitFirstPacket(t *testing.T, s *Stream, schema []byte, what string) {
	t.Helper()
	select {
	case pkt, ok := <-s.Packets():
		if !ok {
			t.Fatalf("%s: the stream ended before its first packet: %v", what, s.Err())
		}
		if _, err := DecodeFrame(pkt.Data, schema); err != nil {
			t.Fatalf("%s: first packet: %v", what, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no packet within 30 s", what)
	}
}

// waitDone waits until s has ended after its cancellation, draining it.
func waitDone(t *testing.T, s *Stream, what string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case _, ok := <-s.Packets():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("%s: still running 30 s after it was cancelled", what)
		}
	}
}

// TestGCCyclesCountsThePluginsCollections: GCCycles, which the bench tools
// use to count the plugin's collections in a window, reads the plugin's
// own runtime, so a large query in the plugin moves it.
func TestGCCyclesCountsThePluginsCollections(t *testing.T) {
	p := startPlugin(t)
	ctx := ctxFor(t, 30*time.Second)
	before, err := p.GCCycles(ctx)
	if err != nil {
		t.Fatalf("GCCycles: %v", err)
	}
	ds := dataSource(`{}`)
	end := time.UnixMilli(1_700_000_000_000)
	for i := range 5 {
		// 100 series × 10,000 points: tens of MB of frames each.
		q := Query{RefID: "A", JSON: []byte(`{"tickInterval":1000,"series":100,"seed":` + fmt.Sprint(i) + `}`),
			From: end.Add(-10_000 * time.Second), To: end, MaxDataPoints: 10_000}
		if r := queryOne(t, p, ds, q); r.Error != "" {
			t.Fatalf("query: %s", r.Error)
		}
	}
	after, err := p.GCCycles(ctx)
	if err != nil {
		t.Fatalf("GCCycles: %v", err)
	}
	if after <= before {
		t.Fatalf("GCCycles went from %d to %d over five queries of a million points; want it to count the plugin's collections", before, after)
	}
	// GoMetrics, which tickbench and tickprobe -memory read, is the same
	// runtime's figures, memory included.
	gauges, err := p.GoMetrics(ctx)
	if err != nil {
		t.Fatalf("GoMetrics: %v", err)
	}
	if n := gauges["go_gc_duration_seconds_count"]; n < float64(after) {
		t.Errorf("GoMetrics counts %v collections, GCCycles %d before it", n, after)
	}
	if gauges["go_memstats_stack_inuse_bytes"] <= 0 || gauges["go_memstats_heap_inuse_bytes"] <= 0 {
		t.Errorf("GoMetrics has no stack or heap in use: %v", gauges)
	}
}
