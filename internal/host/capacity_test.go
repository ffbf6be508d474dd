package host

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Issue 22's caps on all of a data source's streams together, through the
// plugin executable: maxStreams and maxTotalPointsPerSecond refuse a new
// stream, never a running one, and a stream's end makes room.

// openStreams subscribes to and runs each path on ds, failing t on a
// refusal; the streams end with the test.
func openStreams(t *testing.T, p *Plugin, ds DataSource, paths []string) []*Stream {
	t.Helper()
	ctx := ctxFor(t, 2*time.Minute)
	var streams []*Stream
	for _, path := range paths {
		if resp := subscribe(t, p, ds, path, nil); resp.Status != statusOK {
			t.Fatalf("%s: status %v, want OK", path, resp.Status)
		}
		s, err := p.RunStream(ctx, ds, path, nil)
		if err != nil {
			t.Fatalf("RunStream(%s): %v", path, err)
		}
		t.Cleanup(s.Cancel)
		streams = append(streams, s)
	}
	return streams
}

// refusedNaming subscribes to path, expects PermissionDenied, and expects
// the plugin's log to give the reason, naming want.
func refusedNaming(t *testing.T, p *Plugin, ds DataSource, path, want string) {
	t.Helper()
	if resp := subscribe(t, p, ds, path, nil); resp.Status != statusDenied {
		t.Fatalf("%s: status %v, want PermissionDenied", path, resp.Status)
	}
	if ok, _ := eventually(5*time.Second, func() (bool, string) {
		return strings.Contains(p.Log(), want), ""
	}); !ok {
		t.Fatalf("%s refused, but the plugin's log does not say %q:\n%s", path, want, logTail(p.Log(), 5))
	}
}

// admittedAgain waits until path is admitted (the ended stream's
// RunStream returns in the plugin a moment after the host cancelled it).
func admittedAgain(t *testing.T, p *Plugin, ds DataSource, path string) {
	t.Helper()
	if ok, msg := eventually(10*time.Second, func() (bool, string) {
		resp := subscribe(t, p, ds, path, nil)
		return resp.Status == statusOK, resp.Status.String()
	}); !ok {
		t.Fatalf("%s after a stream ended: status %s, want OK", path, msg)
	}
}

// TestMaxStreamsThroughPlugin: with maxStreams 100 the 101st distinct
// stream is refused naming maxStreams, joining a running one is not, the
// health check and the metrics show 100 of 100, and once one stream ends a
// new one is accepted.
func TestMaxStreamsThroughPlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"maxStreams":100}`)
	var paths []string
	for seed := range 101 {
		paths = append(paths, pathFor(3_600_000, "0", "100", int64(seed)))
	}
	streams := openStreams(t, p, ds, paths[:100])

	refusedNaming(t, p, ds, paths[100], "as many as its maxStreams of 100 allows")
	if resp := subscribe(t, p, ds, paths[7], nil); resp.Status != statusOK {
		t.Errorf("joining running stream %s: status %v, want OK", paths[7], resp.Status)
	}
	health, err := p.CheckHealth(ctxFor(t, 30*time.Second), ds)
	if err != nil {
		t.Fatal(err)
	}
	if want := "streams running 100 of maxStreams 100"; !strings.Contains(health.Message, want) {
		t.Errorf("health %q lacks %q", health.Message, want)
	}
	text, err := p.Metrics(ctxFor(t, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`tickstream_streams{datasource="tickstream"} 100`,
		`tickstream_streams_limit{datasource="tickstream"} 100`,
		`tickstream_subscriptions_refused_total{reason="capacity"} 1`,
	} {
		if !strings.Contains(string(text), want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}

	streams[0].Cancel()
	admittedAgain(t, p, ds, paths[100])
	assertAlive(t, p)
}

// TestMaxTotalPointsPerSecondThroughPlugin: with maxTotalPointsPerSecond
// 10, two streams of 5 series at 1 s fill it, a third is refused naming
// the setting (and QueryData's frame says so to the panel), a one-series
// stream that would pass it too, and the end of one makes room.
func TestMaxTotalPointsPerSecondThroughPlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"maxTotalPointsPerSecond":10}`)
	five := func(seed int) string {
		return fmt.Sprintf("v1/t=1000/lo=0/hi=100/seed=%d/series=5", seed)
	}
	streams := openStreams(t, p, ds, []string{five(1), five(2)})

	refusedNaming(t, p, ds, five(3), "make 10 points per second, and this stream's 5 more would pass its maxTotalPointsPerSecond of 10")
	refusedNaming(t, p, ds, pathFor(1000, "0", "100", 4), "this stream's 1 more would pass its maxTotalPointsPerSecond of 10")
	now := time.Now()
	res, err := p.QueryData(ctxFor(t, 30*time.Second), ds, Query{RefID: "A",
		JSON: []byte(`{"seed":3,"series":5,"labels":"s=$seriesIndex"}`), From: now.Add(-time.Minute), To: now, MaxDataPoints: 100})
	if err != nil {
		t.Fatal(err)
	}
	if r := res["A"]; r.Error != "" || len(r.Frames) != 1 || r.Frames[0].Meta == nil || len(r.Frames[0].Meta.Notices) != 1 ||
		!strings.Contains(r.Frames[0].Meta.Notices[0].Text, "maxTotalPointsPerSecond of 10") {
		t.Errorf("QueryData of the refused stream: %+v, want its history with a notice naming maxTotalPointsPerSecond", r)
	}
	// A running stream is joined, but exemplars need a channel of their
	// own, and there is no room left for it: the panel is told.
	res, err = p.QueryData(ctxFor(t, 30*time.Second), ds, Query{RefID: "A",
		JSON: []byte(`{"seed":1,"series":5,"exemplars":5}`), From: now.Add(-time.Minute), To: now, MaxDataPoints: 100})
	if err != nil {
		t.Fatal(err)
	}
	if r := res["A"]; r.Error != "" || len(r.Frames) != 2 || r.Frames[0].Meta == nil || r.Frames[0].Meta.Channel != "ds/"+ds.UID+"/"+five(1) {
		t.Fatalf("QueryData of the running stream with exemplars: %+v, want its series on %s and the exemplar frame", r, five(1))
	}
	if notices := res["A"].Frames[0].Meta.Notices; len(notices) != 1 || !strings.HasPrefix(notices[0].Text, "no live exemplars for now: ") ||
		!strings.Contains(notices[0].Text, "maxTotalPointsPerSecond of 10") {
		t.Errorf("notices %+v, want one saying the exemplars get no channel, naming maxTotalPointsPerSecond of 10", notices)
	}

	streams[1].Cancel()
	admittedAgain(t, p, ds, five(3))
	assertAlive(t, p)
}
