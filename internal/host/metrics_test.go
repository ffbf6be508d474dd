package host

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 6: the plugin's Prometheus metrics, read the way Grafana reads them
// (Diagnostics.CollectMetrics, served at /api/plugins/<id>/metrics), and
// its log. Each test starts its own plugin process, so the metrics move
// only by what the test does.

// metricSnapshot is one CollectMetrics reading: sample → value, a sample
// written as in the text format, e.g. `tickstream_send_lag_seconds_count`
// or `tickstream_subscriptions_refused_total{reason="limits"}`.
type metricSnapshot map[string]float64

// readMetrics collects the plugin's metrics.
func readMetrics(t *testing.T, p *Plugin) metricSnapshot {
	t.Helper()
	text, err := p.Metrics(ctxFor(t, 30*time.Second))
	if err != nil {
		t.Fatalf("CollectMetrics: %v", err)
	}
	m, err := parseSamples(text)
	if err != nil {
		t.Fatalf("CollectMetrics: %v", err)
	}
	return m
}

// parseSamples reads the tickstream_ samples of Prometheus text (label
// values without spaces, which is all Tickstream's are).
func parseSamples(text []byte) (metricSnapshot, error) {
	m := metricSnapshot{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[0], "tickstream_") {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, fmt.Errorf("sample %q: %w", sc.Text(), err)
		}
		m[f[0]] = v
	}
	return m, sc.Err()
}

// get returns a sample that must be there: every Tickstream metric is
// exported from the start, each reason of the refusals included.
func (m metricSnapshot) get(t *testing.T, sample string) float64 {
	t.Helper()
	v, ok := m[sample]
	if !ok {
		t.Fatalf("no sample %s in CollectMetrics", sample)
	}
	return v
}

const (
	mActive   = "tickstream_active_streams"
	mMessages = "tickstream_messages_sent_total"
	mPoints   = "tickstream_points_sent_total"
	mErrors   = "tickstream_send_errors_total"
	mHistory  = "tickstream_history_points_total"
	mLagCount = "tickstream_send_lag_seconds_count"
	mLagSum   = "tickstream_send_lag_seconds_sum"
	mLagInf   = `tickstream_send_lag_seconds_bucket{le="+Inf"}`
)

func mRefused(reason string) string {
	return `tickstream_subscriptions_refused_total{reason="` + reason + `"}`
}

var refusalReasons = []string{"not_found", "limits", "settings", "data_mismatch"}

// TestMetricsExported: a fresh plugin exports every metric, at zero.
func TestMetricsExported(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	m := readMetrics(t, p)
	samples := []string{mActive, mMessages, mPoints, mErrors, mHistory, mLagCount, mLagSum, mLagInf,
		`tickstream_send_lag_seconds_bucket{le="0.0001"}`, `tickstream_send_lag_seconds_bucket{le="5"}`}
	for _, r := range refusalReasons {
		samples = append(samples, mRefused(r))
	}
	for _, s := range samples {
		if v := m.get(t, s); v != 0 {
			t.Errorf("%s = %v in a fresh plugin, want 0", s, v)
		}
	}
	text, err := p.Metrics(ctxFor(t, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{
		"# TYPE tickstream_active_streams gauge", "# TYPE tickstream_messages_sent_total counter",
		"# TYPE tickstream_points_sent_total counter", "# TYPE tickstream_send_errors_total counter",
		"# TYPE tickstream_history_points_total counter", "# TYPE tickstream_subscriptions_refused_total counter",
		"# TYPE tickstream_send_lag_seconds histogram",
	} {
		if !bytes.Contains(text, []byte(typ+"\n")) {
			t.Errorf("CollectMetrics lacks %q", typ)
		}
	}
}

// streamCounter drains a stream and counts the messages and points (rows
// × value fields) the host received.
type streamCounter struct {
	messages, points atomic.Int64
	bad              atomic.Int64
}

func countStream(s *Stream, schema json.RawMessage) *streamCounter {
	c := &streamCounter{}
	go func() {
		for pkt := range s.Packets() {
			f, err := DecodeFrame(pkt.Data, schema)
			if err != nil || len(f.Fields) < 2 {
				c.bad.Add(1)
				continue
			}
			c.messages.Add(1)
			c.points.Add(int64(f.Rows() * (len(f.Fields) - 1)))
		}
	}()
	return c
}

// TestMetricsStream: while a stream runs, active streams is 1 and the
// messages, points and lag observations grow together; after its
// cancellation active streams is back to 0 and the counters agree with
// what the host received.
func TestMetricsStream(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const series = 2
	// 10 ms ticks at the default maxMessageRate of 20: messages of up to
	// 5 ticks, 50 ms apart, each tick a point of each of 2 series.
	path := "v1/t=10/lo=0/hi=100/seed=0/series=2"
	before := readMetrics(t, p)
	if v := before.get(t, mActive); v != 0 {
		t.Fatalf("%s = %v before any stream", mActive, v)
	}

	schema, s := openStream(t, p, ds, path)
	c := countStream(s, schema)

	if ok, msg := eventually(30*time.Second, func() (bool, string) {
		v := readMetrics(t, p).get(t, mActive)
		return v == 1, fmt.Sprintf("%s = %v, want 1 while the stream runs", mActive, v)
	}); !ok {
		t.Fatal(msg)
	}
	// Two readings while the stream runs (about 0.5 s and 1.5 s in, later
	// on a loaded machine): each counter has grown since the previous one.
	grown := func(prev metricSnapshot, after time.Duration) metricSnapshot {
		t.Helper()
		time.Sleep(after)
		var snap metricSnapshot
		if ok, msg := eventually(30*time.Second, func() (bool, string) {
			snap = readMetrics(t, p)
			for _, name := range []string{mMessages, mPoints, mLagCount} {
				if snap.get(t, name) <= prev.get(t, name) {
					return false, fmt.Sprintf("%s stays at %v while the stream runs: want it to grow", name, prev.get(t, name))
				}
			}
			return true, ""
		}); !ok {
			t.Fatal(msg)
		}
		if v := snap.get(t, mActive); v != 1 {
			t.Errorf("%s = %v while the stream runs, want 1", mActive, v)
		}
		return snap
	}
	mid := grown(before, 500*time.Millisecond)
	late := grown(mid, time.Second)
	for _, snap := range []metricSnapshot{mid, late} {
		msgs, pts := snap.get(t, mMessages)-before.get(t, mMessages), snap.get(t, mPoints)-before.get(t, mPoints)
		if pts < msgs*series {
			t.Errorf("%v points in %v messages of %d series: every message carries at least one tick of each series", pts, msgs, series)
		}
	}

	s.Cancel()
	waitDone(t, s, "the stream")
	if ok, msg := eventually(30*time.Second, func() (bool, string) {
		v := readMetrics(t, p).get(t, mActive)
		return v == 0, fmt.Sprintf("%s = %v after the stream was cancelled, want 0", mActive, v)
	}); !ok {
		t.Fatal(msg)
	}
	after := readMetrics(t, p)
	msgs := after.get(t, mMessages) - before.get(t, mMessages)
	pts := after.get(t, mPoints) - before.get(t, mPoints)
	lags := after.get(t, mLagCount) - before.get(t, mLagCount)
	gotMsgs, gotPts := float64(c.messages.Load()), float64(c.points.Load())
	if c.bad.Load() != 0 {
		t.Errorf("%d packets did not decode", c.bad.Load())
	}
	// The plugin counts a message once it is sent; the host may drop the
	// last one or two in flight when it cancels, never receive more.
	if msgs < gotMsgs || msgs > gotMsgs+3 {
		t.Errorf("%s moved by %v; the host received %v messages", mMessages, msgs, gotMsgs)
	}
	if pts < gotPts || pts < msgs*series {
		t.Errorf("%s moved by %v; the host received %v points in %v messages of %d series", mPoints, pts, gotPts, msgs, series)
	}
	if lags != msgs {
		t.Errorf("%s moved by %v, want one observation per message sent (%v)", mLagCount, lags, msgs)
	}
	if inf := after.get(t, mLagInf) - before.get(t, mLagInf); inf != lags {
		t.Errorf("lag histogram: +Inf bucket moved by %v, count by %v", inf, lags)
	}
	if sum := after.get(t, mLagSum) - before.get(t, mLagSum); sum < 0 {
		t.Errorf("lag histogram sum moved by %v, want ≥ 0", sum)
	}
	if v := after.get(t, mErrors) - before.get(t, mErrors); v != 0 {
		t.Errorf("%s moved by %v on a healthy stream", mErrors, v)
	}
	if v := after.get(t, mHistory) - before.get(t, mHistory); v != 0 {
		t.Errorf("%s moved by %v without a query", mHistory, v)
	}
}

// TestMetricsHistory: QueryData adds exactly the points of the frames it
// returns, all series counted, and nothing for a query it refuses.
func TestMetricsHistory(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	now := time.Now()
	queries := []Query{
		{RefID: "A", JSON: []byte(`{"tickInterval":1000}`), From: now.Add(-time.Hour), To: now, MaxDataPoints: 500},
		{RefID: "B", JSON: []byte(`{"tickInterval":60000,"series":3}`), From: now.Add(-6 * time.Hour), To: now},
		{RefID: "C", JSON: []byte(`{"tickInterval":0}`), From: now.Add(-time.Hour), To: now},
		{RefID: "D", JSON: []byte(`{"tickInterval":1000}`), From: now.Add(time.Hour), To: now.Add(2 * time.Hour)}, // empty
	}
	for round := range 2 {
		before := readMetrics(t, p).get(t, mHistory)
		res, err := p.QueryData(ctxFor(t, 60*time.Second), ds, queries...)
		if err != nil {
			t.Fatalf("QueryData: %v", err)
		}
		want := 0
		for _, q := range queries {
			r, ok := res[q.RefID]
			if !ok {
				t.Fatalf("no response for refId %s", q.RefID)
			}
			if (r.Error != "") != (q.RefID == "C") {
				t.Fatalf("refId %s: error %q", q.RefID, r.Error)
			}
			for _, f := range r.Frames {
				want += f.Rows() * (len(f.Fields) - 1)
			}
		}
		if want < 400+3*300 {
			t.Fatalf("round %d: the frames hold %d points, fewer than the queries ask for", round, want)
		}
		if got := readMetrics(t, p).get(t, mHistory) - before; got != float64(want) {
			t.Errorf("round %d: %s moved by %v, want %d (the points of the frames returned)", round, mHistory, got, want)
		}
	}
}

// TestMetricsRefusals: each refused subscription counts once, under its
// reason only; an accepted one counts nothing.
func TestMetricsRefusals(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	good := pathFor(1000, "0", "100", 0)
	broken := dataSource(`{"minTickInterval":null}`)
	cases := []struct {
		name   string
		ds     DataSource
		path   string
		data   []byte
		reason string // "" for accepted
	}{
		{"accepted", defaultDS(), good, nil, ""},
		{"accepted with matching data", defaultDS(), good, []byte(`{"refId":"A"}`), ""},
		{"bad path", defaultDS(), "v1/nonsense", nil, "not_found"},
		{"non-canonical path", defaultDS(), "v1/t=1000/lo=0/hi=100.0/seed=0", nil, "not_found"},
		{"beyond minTickInterval", defaultDS(), pathFor(5, "0", "100", 0), nil, "limits"},
		{"beyond maxSeries", defaultDS(), good + "/series=101", nil, "limits"},
		{"beyond maxPointsPerSecond", dataSource(`{"minTickInterval":1,"maxPointsPerSecond":100}`), pathFor(9, "0", "100", 0), nil, "limits"},
		{"broken settings", broken, good, nil, "settings"},
		{"jsonData not an object", dataSource(`[1]`), good, nil, "settings"},
		{"data for another stream", defaultDS(), good, []byte(`{"tickInterval":2000}`), "data_mismatch"},
		{"malformed data", defaultDS(), good, []byte(`{"tickInterval":`), "data_mismatch"},
	}
	for _, c := range cases {
		before := readMetrics(t, p)
		resp, err := p.SubscribeStream(ctxFor(t, 30*time.Second), c.ds, c.path, c.data)
		if err != nil {
			t.Fatalf("%s: SubscribeStream: %v", c.name, err)
		}
		if (resp.Status == statusOK) != (c.reason == "") {
			t.Fatalf("%s: status %v", c.name, resp.Status)
		}
		after := readMetrics(t, p)
		for _, r := range refusalReasons {
			want := 0.0
			if r == c.reason {
				want = 1
			}
			if got := after.get(t, mRefused(r)) - before.get(t, mRefused(r)); got != want {
				t.Errorf("%s: %s moved by %v, want %v", c.name, mRefused(r), got, want)
			}
		}
	}
}

// TestLogStreamLines: a stream logs when it starts and when it stops,
// through the SDK's contextual logger, and nothing per tick; no setting
// or secret of the data source reaches the log.
func TestLogStreamLines(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	const (
		secretCanary = "canary-secure-7f3a9c"
		jsonCanary   = "canary-jsondata-41d2e8"
	)
	ds := dataSource(`{"minTickInterval":10,"canaryNote":"` + jsonCanary + `"}`)
	ds.SecureJSONData = map[string]string{"apiKey": secretCanary}
	path := pathFor(10, "0", "100", 77)

	// Everything a dashboard does with the data source: health, history,
	// subscribe, a 10 ms stream for about a second, then leave.
	if h, err := p.CheckHealth(ctxFor(t, 30*time.Second), ds); err != nil {
		t.Fatalf("CheckHealth: %v", err)
	} else if h.Status.String() != "OK" {
		t.Fatalf("CheckHealth: %v %s", h.Status, h.Message)
	}
	now := time.Now()
	queryOne(t, p, ds, Query{RefID: "A", JSON: queryJSON(t, 10, 0, 100, 77), From: now.Add(-time.Minute), To: now, MaxDataPoints: 100})
	schema, s := openStream(t, p, ds, path)
	c := countStream(s, schema)
	// About a second: 20 messages of 5 ticks at the default maxMessageRate.
	if ok, msg := eventually(30*time.Second, func() (bool, string) {
		n := c.messages.Load()
		return n >= 20, fmt.Sprintf("only %d messages of a 10 ms stream after 30 s", n)
	}); !ok {
		t.Fatal(msg)
	}
	s.Cancel()
	waitDone(t, s, "the stream")
	// The stop line is written after RunStream's context ends; wait for it.
	var started, stopped []string
	if ok, msg := eventually(30*time.Second, func() (bool, string) {
		started, stopped = nil, nil
		for _, l := range strings.Split(p.Log(), "\n") {
			if !strings.Contains(l, path) {
				continue
			}
			switch {
			case strings.Contains(l, "Stream started"):
				started = append(started, l)
			case strings.Contains(l, "Stream stopped"):
				stopped = append(stopped, l)
			}
		}
		return len(stopped) > 0, "no \"Stream stopped\" line for " + path
	}); !ok {
		t.Fatalf("%s\nlog:\n%s", msg, logTail(p.Log(), 40))
	}
	if len(started) != 1 || len(stopped) != 1 {
		t.Errorf("%d start and %d stop lines for the stream, want 1 each:\n%s",
			len(started), len(stopped), strings.Join(append(started, stopped...), "\n"))
	}
	// The contextual logger adds the request's plugin and data source.
	for _, l := range append(started, stopped...) {
		if !strings.Contains(l, PluginID) || !strings.Contains(l, ds.UID) {
			t.Errorf("stream line without the contextual plugin id and data source uid: %s", l)
		}
	}

	log := p.Log()
	var mentions []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, path) {
			mentions = append(mentions, l)
		}
	}
	// ~100 ticks in ~20 messages: a line per tick or per message would
	// show here.
	if len(mentions) > 4 {
		t.Errorf("%d log lines mention the stream's path after %d messages, want at most 4 (start, stop, no per-tick lines):\n%s",
			len(mentions), c.messages.Load(), logTail(strings.Join(mentions, "\n"), 10))
	}
	for _, canary := range []string{secretCanary, jsonCanary} {
		if strings.Contains(log, canary) {
			t.Errorf("the plugin log contains the canary %q:\n%s", canary, logTail(log, 20))
		}
	}
}
