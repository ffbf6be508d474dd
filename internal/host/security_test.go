package host

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// Issue 5's security checks through the host: nobody can write into a
// Tickstream channel, a subscriber's data can never change what a path
// streams, the limits bound the work any viewer can cause, and a request
// that is refused is refused before any work is done.

// TestSecurityPublishAlwaysDenied: PublishStream is refused for every path,
// valid, running or garbage, with any data, and publishing changes nothing
// in a running stream: its values stay those of the path's history.
func TestSecurityPublishAlwaysDenied(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	running := "v1/t=100/lo=-5/hi=5/seed=11/series=2"
	schema, s := openStream(t, p, ds, running)

	paths := []string{
		running,
		pathFor(1000, "0", "100", 0),
		"v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/noise=0.5/series=4",
		pathFor(5, "0", "100", 0), // refused by the settings
		"v1/t=1000/lo=-0/hi=100/seed=0",
		"", "v1", "garbage", strings.Repeat("a", 10240), running + "/x=1", running + "%2F..",
	}
	frame := []byte(`{"schema":{"fields":[{"name":"time","type":"time"},{"name":"value","type":"number"}]},"data":{"values":[[0],[1e9]]}}`)
	datas := [][]byte{
		nil, {}, []byte(`null`), []byte(`{}`), frame,
		[]byte(`{"data":{"values":[[` + fmt.Sprint(time.Now().UnixMilli()/100*100+200) + `],[1e9],[1e9]]}}`),
		[]byte(`{"tickInterval":100,"lowerLimit":-5,"upperLimit":5,"seed":11,"series":2}`),
		[]byte("\x00\xff garbage"), []byte(strings.Repeat("x", 1<<20)),
	}
	for _, path := range paths {
		for _, d := range datas {
			resp, err := p.PublishStream(ctxFor(t, 30*time.Second), ds, path, d)
			if err != nil {
				t.Errorf("PublishStream(%.60q, %d bytes): call failed: %v", path, len(d), err)
				continue
			}
			if resp.Status != pluginv2.PublishStreamResponse_PERMISSION_DENIED || len(resp.Data) != 0 {
				t.Errorf("PublishStream(%.60q, %.40q): status %v with %d bytes, want PERMISSION_DENIED and nothing", path, d, resp.Status, len(resp.Data))
			}
		}
	}

	// The running stream carries only its own values.
	msgs := collectMessages(t, s, schema, 2, 2*time.Second)
	s.Cancel()
	var first, last int64 = math.MaxInt64, math.MinInt64
	for _, m := range msgs {
		for _, ts := range m.cols.times {
			first, last = min(first, ts), max(last, ts)
		}
	}
	if len(msgs) == 0 {
		t.Fatal("the running stream sent nothing")
	}
	hist := decodeOnly(t, "history of the streamed range", queryOne(t, p, ds, Query{RefID: "A",
		JSON: []byte(`{"tickInterval":100,"lowerLimit":-5,"upperLimit":5,"seed":11,"series":2}`),
		From: msTime(first), To: msTime(last), MaxDataPoints: 10000}), 2)
	compareWithHistory(t, msgs, hist)
	assertAlive(t, p)
}

// compareWithHistory checks that every streamed row is the history's row
// at the same time, bit for bit, in every series.
func compareWithHistory(t *testing.T, msgs []message, hist columns) {
	t.Helper()
	row := make(map[int64]int, len(hist.times))
	for i, ts := range hist.times {
		row[ts] = i
	}
	bad, rows := 0, 0
	for _, m := range msgs {
		for r, ts := range m.cols.times {
			rows++
			h, ok := row[ts]
			for i := range m.cols.values {
				if !ok || math.Float64bits(m.cols.values[i][r]) != math.Float64bits(hist.values[i][h]) {
					if bad < 5 {
						t.Errorf("series %d at %d: streamed %v, history has it %v", i+1, ts, m.cols.values[i][r], ok)
					}
					bad++
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d streamed values are not the path's history", bad, rows)
	}
	if rows == 0 {
		t.Error("no streamed rows to compare")
	}
}

// TestSecuritySubscribeDataCannotChangeTheStream: a subscriber whose data
// describes any other query than the path, by a single field or entirely,
// is refused; data that normalizes to the path's query is accepted.
func TestSecuritySubscribeDataCannotChangeTheStream(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	path := "v1/t=500/lo=-5/hi=5/seed=7/shape=sine/period=5000/noise=0.25/series=3"
	same := map[string]any{"tickInterval": 500, "lowerLimit": -5, "upperLimit": 5, "seed": 7,
		"shape": "sine", "period": 5000, "noise": 0.25, "series": 3}
	with := func(k string, v any) []byte {
		q := map[string]any{}
		for key, val := range same {
			q[key] = val
		}
		if v == nil {
			delete(q, k)
		} else {
			q[k] = v
		}
		return mustJSON(t, q)
	}
	denied := map[string][]byte{
		"another tick":            with("tickInterval", 1000),
		"a faster tick":           with("tickInterval", 10),
		"another lowerLimit":      with("lowerLimit", -6),
		"another upperLimit":      with("upperLimit", 1e9),
		"another seed":            with("seed", 8),
		"another shape":           with("shape", "square"),
		"another period":          with("period", 5001),
		"no noise":                with("noise", 0),
		"more series":             with("series", 4),
		"series beyond maxSeries": with("series", 1000),
		"the shape left out":      with("shape", nil),
		"the default query":       []byte(`{}`),
		"another query entirely":  []byte(`{"tickInterval":10,"lowerLimit":0,"upperLimit":1e308,"seed":9007199254740991,"series":100}`),
		"the tutorial's query":    []byte(`{"refId":"A","tickInterval":500,"lowerLimit":-5,"upperLimit":5}`),
		"not a query":             []byte(`[500,-5,5,7]`),
		"a bad field":             with("noise", 2),
	}
	for name, d := range denied {
		if resp := subscribe(t, p, ds, path, d); resp.Status != statusDenied {
			t.Errorf("%s: data %s on %q: status %v, want PERMISSION_DENIED", name, d, path, resp.Status)
		}
	}
	ok := map[string][]byte{
		"no data":                    nil,
		"null":                       []byte(`null`),
		"the same query":             mustJSON(t, same),
		"the same with other fields": with("refId", "B"),
		"the same, written 5e2":      []byte(`{"tickInterval":5e2,"lowerLimit":-5.0,"upperLimit":5,"seed":7,"shape":"sine","period":5000,"noise":0.25,"series":3}`),
	}
	for name, d := range ok {
		resp := subscribe(t, p, ds, path, d)
		if resp.Status != statusOK {
			t.Errorf("%s: data %s on %q: status %v, want OK", name, d, path, resp.Status)
			continue
		}
		checkInitialSchemaSeries(t, path, resp.Data, 3)
	}
	// For a shape without a period, a period in the data is normalized
	// away: the same stream, so accepted.
	walk := "v1/t=1000/lo=0/hi=100/seed=0/shape=walk"
	if resp := subscribe(t, p, ds, walk, []byte(`{"shape":"walk","period":5000}`)); resp.Status != statusOK {
		t.Errorf("walk with an ignored period: status %v, want OK", resp.Status)
	}
	assertAlive(t, p)
}

// TestSecurityRunStreamDataIsIgnored: RunStream gets the first
// subscriber's data, which Grafana does not check against the path; a
// stream started with data of another query still streams the path's
// query, value for value, and none of the other query's values.
func TestSecurityRunStreamDataIsIgnored(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	path := "v1/t=100/lo=-5/hi=5/seed=7/shape=triangle/period=3000/series=2"
	pathQuery := []byte(`{"tickInterval":100,"lowerLimit":-5,"upperLimit":5,"seed":7,"shape":"triangle","period":3000,"series":2}`)
	other := []byte(`{"tickInterval":10,"lowerLimit":1000,"upperLimit":2000,"seed":8,"shape":"random","series":2}`)
	resp := subscribe(t, p, ds, path, nil)
	if resp.Status != statusOK {
		t.Fatalf("SubscribeStream(%q): %v", path, resp.Status)
	}
	schema, _, err := FrameSchema(resp.Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, runData := range [][]byte{other, []byte(`{"tickInterval":`), []byte(strings.Repeat("[", 1<<16))} {
		s, err := p.RunStream(context.Background(), ds, path, runData)
		if err != nil {
			t.Fatalf("RunStream: %v", err)
		}
		t.Cleanup(s.Cancel)
		msgs := collectMessages(t, s, schema, 2, 1500*time.Millisecond)
		s.Cancel()
		waitDone(t, s, "RunStream with other data")
		if len(msgs) == 0 {
			t.Fatalf("RunStream with data %.40q sent nothing", runData)
		}
		first, last := msgs[0].cols.times[0], msgs[len(msgs)-1].cols.times[len(msgs[len(msgs)-1].cols.times)-1]
		for _, m := range msgs {
			for _, ts := range m.cols.times {
				if ts%100 != 0 {
					t.Fatalf("row at %d is on another grid than the path's 100 ms (data %.40q)", ts, runData)
				}
			}
			for _, col := range m.cols.values {
				if v := slicesMax(col); v > 5 {
					t.Fatalf("value %v above the path's upperLimit 5: the data's query leaked in", v)
				}
			}
		}
		hist := decodeOnly(t, "the path's history", queryOne(t, p, ds, Query{RefID: "A", JSON: pathQuery,
			From: msTime(first), To: msTime(last), MaxDataPoints: 10000}), 2)
		compareWithHistory(t, msgs, hist)
	}
	assertAlive(t, p)
}

// TestSecurityHistoryIsBounded: whatever range and maxDataPoints a viewer
// sends, one query answers with at most min(maxDataPoints or 1000, 10000,
// 1000000 / series) points per series, exactly the contract's grid (counts
// are asserted, never time).
func TestSecurityHistoryIsBounded(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"maxSeries":10000,"maxPointsPerSecond":10000000}`)
	to := time.Now().Add(-time.Hour).Truncate(time.Second)
	century := to.AddDate(-100, 0, 0)
	cases := []struct {
		name     string
		query    string
		from, to time.Time
		mdp      int64
		series   int64
		want     int // points per series
	}{
		{"100 years at 10 ms, no maxDataPoints", `{"tickInterval":10}`, century, to, 0, 1, 1000},
		{"100 years at 10 ms, maxDataPoints 1e12", `{"tickInterval":10}`, century, to, 1e12, 1, 10000},
		{"100 years at 10 ms, maxDataPoints MaxInt64", `{"tickInterval":10}`, century, to, math.MaxInt64, 1, 10000},
		{"100 years at 10 ms, maxDataPoints -1", `{"tickInterval":10}`, century, to, -1, 1, 1000},
		{"100 years, 100 series, maxDataPoints 1e12", `{"tickInterval":10,"series":100}`, century, to, 1e12, 100, 10000},
		{"100 years, 10000 series, maxDataPoints 1e12", `{"tickInterval":1000,"series":10000,"shape":"walk"}`, century, to, 1e12, 10000, 100},
		{"a year at 10 ms, 1000 series", `{"tickInterval":10,"series":1000}`, to.AddDate(-1, 0, 0), to, 1e12, 1000, 1000},
		{"an inverted range", `{"tickInterval":10}`, to, century, 1e12, 1, 0},
	}
	for _, c := range cases {
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(c.query), From: c.from, To: c.to, MaxDataPoints: c.mdp})
		cols := decodeOnly(t, c.name, r, int(c.series))
		if len(cols.times) != c.want {
			t.Errorf("%s: %d points per series, want %d", c.name, len(cols.times), c.want)
		}
		if total := int64(len(cols.times)) * c.series; total > 1_000_000 {
			t.Errorf("%s: %d points in one query, more than a million", c.name, total)
		}
		tick := int64(10)
		if strings.Contains(c.query, `"tickInterval":1000`) {
			tick = 1000
		}
		if d := diffTimes(cols.times, expectedTimesSeries(c.from.UnixMilli(), c.to.UnixMilli(), tick, c.mdp, c.series)); d != "" {
			t.Errorf("%s: %s", c.name, d)
		}
	}
	assertAlive(t, p)
}

// TestSecurityWidestRange: the widest range the protocol can carry (any
// int64 milliseconds) is answered without an error within the point cap,
// every time that comes back on the grid. (The SDK turns the range's
// milliseconds into nanoseconds, which wraps outside the years 1678–2262,
// so such ranges reach the plugin as some other range: possibly empty, but
// never more than the cap.)
func TestSecurityWidestRange(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	for _, c := range []struct {
		name     string
		from, to int64
		mdp      int64
	}{
		{"all of int64", math.MinInt64, math.MaxInt64, math.MaxInt64},
		{"the ECMAScript range", -8_640_000_000_000_000, 8_640_000_000_000_000, 0},
		{"from the beginning of int64 to now", math.MinInt64, time.Now().UnixMilli(), 1e12},
	} {
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(`{"tickInterval":10}`), From: msTime(c.from), To: msTime(c.to), MaxDataPoints: c.mdp})
		cols := decodeOnly(t, c.name, r, 1)
		if n := len(cols.times); n > 10000 {
			t.Errorf("%s: %d points, more than the cap of 10000", c.name, n)
		}
		t.Logf("%s: %d points", c.name, len(cols.times))
		for i, ts := range cols.times {
			if ts%10 != 0 || i > 0 && ts <= cols.times[i-1] {
				t.Errorf("%s: point %d at %d is off the grid or out of order", c.name, i, ts)
				break
			}
		}
	}
	assertAlive(t, p)
}

// TestSecurityFastTicksManySeriesRefused: the smallest tick with the most
// series is refused everywhere a viewer could start it (QueryData,
// SubscribeStream), and a RunStream that skips SubscribeStream sends
// nothing.
func TestSecurityFastTicksManySeriesRefused(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct {
		jsonData, query, path, want string
	}{
		{`{"minTickInterval":1,"maxSeries":10000}`, `{"tickInterval":1,"series":10000}`, "v1/t=1/lo=0/hi=100/seed=0/series=10000",
			"tickInterval 1 ms with 10000 series makes 10000000 points per second, more than the data source's maxPointsPerSecond of 10000"},
		{`{}`, `{"tickInterval":10,"series":10000}`, "v1/t=10/lo=0/hi=100/seed=0/series=10000",
			"series must be a whole number from 1 to 100 (the data source's maxSeries); got 10000"},
		{`{}`, `{"tickInterval":1,"series":100}`, "v1/t=1/lo=0/hi=100/seed=0/series=100",
			"tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval)"},
		{`{"minTickInterval":1,"maxSeries":10000,"maxPointsPerSecond":10000000}`, `{"tickInterval":1,"series":10000,"noise":1}`,
			"", ""}, // the widest settings allow it: the administrator's choice
	}
	now := time.Now()
	for _, c := range cases {
		ds := dataSource(c.jsonData)
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(c.query), From: now.Add(-24 * time.Hour), To: now, MaxDataPoints: 1e12})
		if c.want == "" {
			decodeOnly(t, "the widest settings", r, 10000)
			continue
		}
		if !strings.Contains(r.Error, c.want) || len(r.Frames) != 0 {
			t.Errorf("settings %s, query %s: error %q with %d frames, want %q and none", c.jsonData, c.query, r.Error, len(r.Frames), c.want)
		}
		if resp := subscribe(t, p, ds, c.path, nil); resp.Status != statusDenied {
			t.Errorf("settings %s, %q: status %v, want PERMISSION_DENIED", c.jsonData, c.path, resp.Status)
		}
		s, err := p.RunStream(context.Background(), ds, c.path, nil)
		if err != nil {
			t.Fatalf("RunStream(%q): %v", c.path, err)
		}
		t.Cleanup(s.Cancel)
		select {
		case pkt, ok := <-s.Packets():
			if ok {
				t.Errorf("RunStream on refused %q sent %d bytes", c.path, len(pkt.Data))
			} else {
				t.Errorf("RunStream on refused %q ended by itself (%v): Grafana would retry it", c.path, s.Err())
			}
		case <-time.After(1500 * time.Millisecond):
		}
		s.Cancel()
		waitDone(t, s, "RunStream on a refused path")
	}
	assertAlive(t, p)
}

// historyPointsMetric is the plugin's tickstream_history_points_total,
// and whether the plugin exports it (pkg/metrics).
func historyPointsMetric(t *testing.T, p *Plugin) (float64, bool) {
	t.Helper()
	text, err := p.Metrics(ctxFor(t, 30*time.Second))
	if err != nil {
		t.Fatalf("CollectMetrics: %v", err)
	}
	v, err := gauge(text, "tickstream_history_points_total")
	return v, err == nil
}

// TestSecurityRefusedBeforeWork: a query that is refused (a bad field, a
// limit, broken settings) gets its error even with a range of 1e12 ticks
// and maxDataPoints 1e12, and no history point is generated for it: the
// plugin's tickstream_history_points_total does not move (checked when
// the plugin exports it), while a good query beside it moves it by exactly
// its points.
func TestSecurityRefusedBeforeWork(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	now := time.Now().Truncate(time.Second).Add(-time.Hour)
	giant := msTime(now.UnixMilli() - 1e12*10) // 1e12 ticks of 10 ms (317 years)
	cases := []struct {
		name, jsonData, query, want string
	}{
		{"a bad tickInterval", `{}`, `{"tickInterval":0}`, "tickInterval must be a whole number"},
		{"bad JSON", `{}`, `{"tickInterval":10,`, "the query must be a JSON object; got invalid JSON"},
		{"too many series", `{}`, `{"tickInterval":10,"series":10001}`, "series must be a whole number from 1 to 100"},
		{"too many points per second", `{"maxSeries":10000}`, `{"tickInterval":10,"series":10000}`, "more than the data source's maxPointsPerSecond"},
		{"a bad field beside a giant range", `{}`, `{"tickInterval":10,"noise":-1}`, "noise must be a number from 0 to 1; got -1"},
		{"broken settings", `{"minTickInterval":0}`, `{"tickInterval":10}`, "the data source settings are invalid: minTickInterval"},
	}
	before, exported := historyPointsMetric(t, p)
	if !exported {
		t.Log("the plugin does not export tickstream_history_points_total: checking the errors only")
	}
	for _, c := range cases {
		r := queryOne(t, p, dataSource(c.jsonData), Query{RefID: "A", JSON: []byte(c.query), From: giant, To: now, MaxDataPoints: 1e12})
		if !strings.Contains(r.Error, c.want) || r.ErrorSource != "downstream" || len(r.Frames) != 0 {
			t.Errorf("%s: error %q (source %q) with %d frames, want %q from downstream and no frame", c.name, r.Error, r.ErrorSource, len(r.Frames), c.want)
		}
	}
	if !exported {
		return
	}
	after, _ := historyPointsMetric(t, p)
	if after != before {
		t.Errorf("tickstream_history_points_total moved from %v to %v for refused queries only", before, after)
	}
	// The metric does count: one good query moves it by its points.
	r := queryOne(t, p, defaultDS(), Query{RefID: "A", JSON: []byte(`{"tickInterval":10,"series":3}`), From: giant, To: now, MaxDataPoints: 1e12})
	cols := decodeOnly(t, "the good query", r, 3)
	good, _ := historyPointsMetric(t, p)
	if want := after + float64(3*len(cols.times)); good != want {
		t.Errorf("tickstream_history_points_total is %v after a good query of %d points, want %v", good, 3*len(cols.times), want)
	}
}
