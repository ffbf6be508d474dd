package host

import (
	"context"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// point is one streamed tick.
type point struct {
	t          int64 // ms since the epoch
	v          float64
	receivedAt time.Time
	packet     int // which packet of its collect call carried it
}

// openStream subscribes to path (as Grafana does first) and starts its
// RunStream; it returns the schema from InitialData and the running stream,
// cancelled when t ends.
func openStream(t testing.TB, p *Plugin, ds DataSource, path string) (json.RawMessage, *Stream) {
	t.Helper()
	resp, err := p.SubscribeStream(ctxFor(t, 30*time.Second), ds, path, nil)
	if err != nil {
		t.Fatalf("SubscribeStream(%q): %v", path, err)
	}
	if resp.Status != statusOK {
		t.Fatalf("SubscribeStream(%q): status %v, want OK", path, resp.Status)
	}
	schema, ok, err := FrameSchema(resp.Data)
	if err != nil || !ok {
		t.Fatalf("SubscribeStream(%q): InitialData without a schema (%v): %s", path, err, resp.Data)
	}
	s, err := p.RunStream(context.Background(), ds, path, nil)
	if err != nil {
		t.Fatalf("RunStream(%q): %v", path, err)
	}
	t.Cleanup(s.Cancel)
	return schema, s
}

// collect reads s for d (or until it ends) and decodes every packet as a
// data-only frame against schema. Problems with single packets are
// reported on t; the points come back in arrival order.
func collect(t *testing.T, s *Stream, schema json.RawMessage, d time.Duration) []point {
	t.Helper()
	var pts []point
	timer := time.NewTimer(d)
	defer timer.Stop()
	bad, packets := 0, 0
	for {
		select {
		case pkt, ok := <-s.Packets():
			if !ok {
				t.Errorf("the stream ended by itself after %d points: %v", len(pts), s.Err())
				return pts
			}
			packets++
			if _, has, err := FrameSchema(pkt.Data); err != nil || has {
				if bad < 3 {
					t.Errorf("streamed frame is not data-only (err %v): %.200s", err, pkt.Data)
				}
				bad++
			}
			f, err := DecodeFrame(pkt.Data, schema)
			if err != nil {
				t.Errorf("streamed frame: %v: %.200s", err, pkt.Data)
				continue
			}
			sr, err := frameSeries(f)
			if err != nil {
				t.Errorf("streamed frame: %v", err)
				continue
			}
			for i := range sr.times {
				pts = append(pts, point{t: sr.times[i], v: sr.values[i], receivedAt: pkt.ReceivedAt, packet: packets})
			}
		case <-timer.C:
			return pts
		}
	}
}

// checkTicks checks that pts are consecutive grid ticks of tick ms (every
// tick once, in order, no gaps after the first), none ahead of its time by
// more than a tick, with values in [lo, hi].
func checkTicks(t *testing.T, pts []point, tick int64, lo, hi float64) {
	t.Helper()
	errs := 0
	report := func(format string, args ...any) {
		if errs < 5 {
			t.Errorf(format, args...)
		}
		errs++
	}
	for i, pt := range pts {
		if pt.t%tick != 0 {
			report("point %d at %d is off the %d ms grid", i, pt.t, tick)
		}
		if i > 0 && pt.t != pts[i-1].t+tick {
			report("point %d at %d follows %d: want %d (each tick once, in order)", i, pt.t, pts[i-1].t, pts[i-1].t+tick)
		}
		if pt.t > pt.receivedAt.UnixMilli()+tick {
			report("point %d at %d arrived at %d, more than a tick early", i, pt.t, pt.receivedAt.UnixMilli())
		}
		if !(pt.v >= lo && pt.v <= hi) {
			report("point %d at %d: value %v outside [%v, %v]", i, pt.t, pt.v, lo, hi)
		}
	}
	if errs > 5 {
		t.Errorf("%d problems in all", errs)
	}
}

// TestStreamTicks: a live panel gets every grid tick exactly once, in
// order, as data-only frames, with the same values the history shows.
func TestStreamTicks(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct {
		tick     int64
		lo, hi   string
		loF, hiF float64
		seed     int64
		d        time.Duration
	}{
		{100, "-5", "5", -5, 5, 7, 3 * time.Second},
		{20, "0", "1", 0, 1, 11, 2 * time.Second},
		{1000, "0.1", "2.5", 0.1, 2.5, 42, 3500 * time.Millisecond},
	}
	for _, c := range cases {
		path := pathFor(c.tick, c.lo, c.hi, c.seed)
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			ds := defaultDS()
			start := time.Now()
			schema, s := openStream(t, p, ds, path)
			pts := collect(t, s, schema, c.d)
			s.Cancel()
			select {
			case <-s.Done():
			case <-time.After(30 * time.Second):
				t.Fatal("the stream did not end after its context was cancelled")
			}
			if want := int(c.d.Milliseconds()/c.tick) / 4; len(pts) < max(want, 2) {
				t.Fatalf("%d points in %v of a %d ms stream, want at least %d", len(pts), c.d, c.tick, max(want, 2))
			}
			checkTicks(t, pts, c.tick, c.loF, c.hiF)
			if first := pts[0].t; first < start.Add(-time.Minute).UnixMilli() {
				t.Errorf("first streamed point at %d, more than a minute before the stream started (%d)", first, start.UnixMilli())
			}

			// The history for the streamed range, unthinned, has the same values.
			first, last := pts[0].t, pts[len(pts)-1].t
			r := queryOne(t, p, ds, Query{RefID: "A", JSON: queryJSON(t, c.tick, c.loF, c.hiF, c.seed),
				From: msTime(first), To: msTime(last), MaxDataPoints: int64(len(pts)) + 10})
			hist, channel := oneSeries(t, "history of the streamed range", r)
			if want := "ds/tickstream/" + path; channel != want {
				t.Errorf("history meta.channel %q, want %q", channel, want)
			}
			at := make(map[int64]float64, len(hist.times))
			for i, ts := range hist.times {
				at[ts] = hist.values[i]
			}
			mismatches := 0
			for _, pt := range pts {
				v, ok := at[pt.t]
				if !ok || v != pt.v {
					if mismatches < 5 {
						t.Errorf("at %d: streamed %v, history %v (present %v)", pt.t, pt.v, v, ok)
					}
					mismatches++
				}
			}
			if mismatches > 0 {
				t.Errorf("%d of %d streamed points differ from the history", mismatches, len(pts))
			}
		})
	}
}

// TestStreamBadPathWaits: RunStream for a path SubscribeStream would refuse
// (so Grafana never subscribed it) neither errors quickly, which would start
// Grafana's retry loop, nor sends anything; it ends when cancelled and the
// plugin stays up.
func TestStreamBadPathWaits(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	var streams []*Stream
	for _, path := range []string{"garbage", "v1/t=0/lo=0/hi=100/seed=0", "v1/t=1000/lo=-0/hi=100/seed=0", pathFor(5, "0", "100", 0)} {
		s, err := p.RunStream(context.Background(), ds, path, nil)
		if err != nil {
			t.Fatalf("RunStream(%q): %v", path, err)
		}
		t.Cleanup(s.Cancel)
		streams = append(streams, s)
	}
	// Whether a call ends by itself can only be seen by waiting.
	time.Sleep(2 * time.Second)
	paths := []string{"garbage", "t=0", "lo=-0", "t=5 under minTickInterval 10"}
	for i, s := range streams {
		select {
		case <-s.Done():
			t.Errorf("%s: RunStream returned within 2 s (%v): Grafana would call it again and again", paths[i], s.Err())
		default:
		}
	}
	for _, s := range streams {
		s.Cancel()
	}
	for i, s := range streams {
		select {
		case <-s.Done():
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: RunStream did not end after its context was cancelled", paths[i])
		}
		n := 0
		for range s.Packets() {
			n++
		}
		if n > 0 {
			t.Errorf("%s: %d packets sent on a path that cannot run", paths[i], n)
		}
		if err := s.Err(); err != nil && status.Code(err) != codes.Canceled {
			t.Errorf("%s: ended with %v, want only the cancellation", paths[i], err)
		}
	}
	assertAlive(t, p)
}

// TestStreamRestartsOnSettingsChange: when the data source's settings change
// the old instance is disposed and its streams return an error, so Grafana
// restarts them on the new settings (returning nil would leave subscribers
// waiting forever).
func TestStreamRestartsOnSettingsChange(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	path := pathFor(100, "0", "100", 0)
	schema, s := openStream(t, p, ds, path)
	if pts := collect(t, s, schema, 500*time.Millisecond); len(pts) == 0 {
		t.Fatal("no points before the settings change")
	}
	ds.JSONData = []byte(`{"minTickInterval":50}`)
	ds.Updated = ds.Updated.Add(time.Minute)
	if resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), ds); err != nil {
		t.Fatalf("CheckHealth with the new settings: %v", err)
	} else if resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("CheckHealth with the new settings: %v %q", resp.Status, resp.Message)
	}
	deadline := time.After(60 * time.Second)
	for {
		select {
		case _, ok := <-s.Packets():
			if ok {
				continue
			}
			err := s.Err()
			if err == nil {
				t.Fatal("RunStream returned nil after its instance was disposed: subscribers would wait forever")
			}
			if status.Code(err) == codes.Canceled {
				t.Fatalf("RunStream ended with %v, want an error from the plugin", err)
			}
			assertAlive(t, p)
			return
		case <-deadline:
			t.Fatal("RunStream still running 60 s after its data source's settings changed")
		}
	}
}

// TestStreamCatchesUpAfterStall: when the plugin process is stopped for a
// while (a suspended VM, a long pause), the stream resumes without a gap:
// the missed ticks come in the next frame.
func TestStreamCatchesUpAfterStall(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	const tick = 20
	schema, s := openStream(t, p, defaultDS(), pathFor(tick, "0", "100", 3))
	before := collect(t, s, schema, 500*time.Millisecond)
	if err := syscall.Kill(p.Pid(), syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP: %v", err)
	}
	time.Sleep(time.Second)
	if err := syscall.Kill(p.Pid(), syscall.SIGCONT); err != nil {
		t.Fatalf("SIGCONT: %v", err)
	}
	after := collect(t, s, schema, time.Second)
	pts := append(before, after...)
	if len(before) == 0 || len(after) == 0 {
		t.Fatalf("%d points before the stall, %d after", len(before), len(after))
	}
	checkTicks(t, pts, tick, 0, 100)
	// The ticks missed during the 1 s stop (about 50) arrive together.
	perPacket := map[int]int{}
	biggest := 0
	for _, pt := range after {
		perPacket[pt.packet]++
		biggest = max(biggest, perPacket[pt.packet])
	}
	if biggest < 10 {
		t.Errorf("largest frame after a 1 s stall of a %d ms stream has %d points; want the missed ticks in one frame", tick, biggest)
	}
}
