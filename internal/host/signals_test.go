package host

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Issue 3 through the host: the shapes, many series, noise, the per-query
// and per-stream limits, batched fast streams and alert rules.

// shapes are the query shapes of DEVELOPERS.md.
var shapes = []string{"random", "walk", "sine", "square", "sawtooth", "triangle"}

func isPeriodic(shape string) bool {
	switch shape {
	case "sine", "square", "sawtooth", "triangle":
		return true
	}
	return false
}

// periodicS is the contract's s(shape, i, t) in [0, 1] for a periodic shape
// at t ms since the epoch, series i (1-based) of n: phase
// φ = (t mod period) / period plus (i − 1) / n, taken mod 1. ok is false
// where t lies so close to a jump of square or sawtooth that float rounding
// may pick either side.
func periodicS(shape string, t, period int64, i, n int) (s float64, ok bool) {
	phase := float64(((t%period)+period)%period)/float64(period) + float64(i-1)/float64(n)
	phase -= math.Floor(phase)
	near := func(x float64) bool { return math.Abs(phase-x) < 1e-9 }
	switch shape {
	case "sine":
		return 0.5 + 0.5*math.Sin(2*math.Pi*phase), true
	case "square":
		if near(0) || near(0.5) || near(1) {
			return 0, false
		}
		if phase < 0.5 {
			return 1, true
		}
		return 0, true
	case "sawtooth":
		if near(0) || near(1) {
			return 0, false
		}
		return phase, true
	case "triangle":
		return 1 - math.Abs(2*phase-1), true
	}
	panic("not a periodic shape: " + shape)
}

// closeTo compares a value with the contract's formula, allowing for the
// order of float operations: 1e-9 of the range.
func closeTo(got, want, lo, hi float64) bool {
	return math.Abs(got-want) <= 1e-9*(hi-lo)+1e-300
}

// queryOf builds a query's JSON from fields.
func queryOf(t testing.TB, fields map[string]any) []byte { return mustJSON(t, fields) }

// meanAbsStep is the mean |v[i+1] − v[i]| over a series.
func meanAbsStep(v []float64) float64 {
	sum := 0.0
	for i := 1; i < len(v); i++ {
		sum += math.Abs(v[i] - v[i-1])
	}
	return sum / float64(len(v)-1)
}

// TestSignalsHistory: for every shape, the history of a single-series and
// a four-series query over the same past range: the frame has the right
// fields and labels, values lie within the limits and follow the shape
// (the periodic formula and its period, a walk's small steps, random's
// large ones), the series differ from each other, and series 1 of 4 is the
// single-series query.
func TestSignalsHistory(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const (
		tick   = 1000
		period = 20000
		lo, hi = -10.0, 30.0
		n      = 4
	)
	to := time.Now().Add(-time.Hour).Truncate(time.Second)
	from := to.Add(-30 * time.Minute)
	for _, shape := range shapes {
		t.Run(shape, func(t *testing.T) {
			t.Parallel()
			base := map[string]any{"tickInterval": tick, "lowerLimit": lo, "upperLimit": hi, "seed": 7, "shape": shape, "period": period}
			multi := map[string]any{"series": n}
			for k, v := range base {
				multi[k] = v
			}
			res, err := p.QueryData(ctxFor(t, 60*time.Second), ds,
				Query{RefID: "ONE", JSON: queryOf(t, base), From: from, To: to, MaxDataPoints: 10000},
				Query{RefID: "FOUR", JSON: queryOf(t, multi), From: from, To: to, MaxDataPoints: 10000})
			if err != nil {
				t.Fatalf("QueryData: %v", err)
			}
			one, four := decodeOnly(t, "single series", res["ONE"], 1), decodeOnly(t, "four series", res["FOUR"], n)
			for ref, want := range map[string]data.FrameType{"ONE": data.FrameTypeTimeSeriesMulti, "FOUR": data.FrameTypeTimeSeriesWide} {
				if m := res[ref].Frames[0].Meta; m == nil || m.Type != want {
					t.Errorf("%s: frame meta %+v, want type %s (alert rules read it)", ref, m, want)
				}
			}
			want := expectedTimes(from.UnixMilli(), to.UnixMilli(), tick, 10000)
			if d := diffTimes(one.times, want); d != "" {
				t.Fatalf("single series timestamps: %s", d)
			}
			if d := diffTimes(four.times, want); d != "" {
				t.Fatalf("four series timestamps: %s", d)
			}
			checkValues(t, "single series", one.column(0), lo, hi)
			for i := range n {
				checkValues(t, fmt.Sprintf("series %d", i+1), four.column(i), lo, hi)
			}
			if d := diffValues(four.values[0], one.values[0]); d != "" {
				t.Errorf("series 1 of %d differs from the single-series query: %s", n, d)
			}
			for i := range n {
				for j := i + 1; j < n; j++ {
					same := 0
					for r := range four.times {
						if four.values[i][r] == four.values[j][r] {
							same++
						}
					}
					if differ := len(four.times) - same; differ < len(four.times)*4/10 {
						t.Errorf("series %d and %d differ at only %d of %d points", i+1, j+1, differ, len(four.times))
					}
				}
			}

			rng := hi - lo
			switch {
			case isPeriodic(shape):
				checkPeriodic(t, shape, four, period, n, lo, hi)
				checkPeriodic(t, shape, one, period, 1, lo, hi)
			case shape == "walk":
				for i := range n {
					v := four.values[i]
					step := meanAbsStep(v)
					if step >= 0.05*rng {
						t.Errorf("walk series %d: mean |step| %.4g is %.1f%% of the range, want a walk's small steps (< 5%%; uniform noise gives ~33%%)", i+1, step, 100*step/rng)
					}
					moved, spread := 0, slicesMax(v)-slicesMin(v)
					for r := 1; r < len(v); r++ {
						if v[r] != v[r-1] {
							moved++
						}
					}
					if moved < len(v)/2 || spread < 0.01*rng {
						t.Errorf("walk series %d: %d of %d steps move, spread %.4g (%.2f%% of the range): not a walk", i+1, moved, len(v)-1, spread, 100*spread/rng)
					}
				}
			case shape == "random":
				for i := range n {
					if step := meanAbsStep(four.values[i]); step < 0.2*rng {
						t.Errorf("random series %d: mean |step| %.4g is only %.1f%% of the range; uniform noise gives ~33%%", i+1, step, 100*step/rng)
					}
				}
			}
		})
	}
}

// checkPeriodic checks a periodic shape's history against the formula and
// its period: the value at t equals the value at t + period exactly.
func checkPeriodic(t *testing.T, shape string, c columns, period int64, n int, lo, hi float64) {
	t.Helper()
	at := make(map[int64]int, len(c.times))
	for r, ts := range c.times {
		at[ts] = r
	}
	bad, repeats := 0, 0
	for i := range n {
		for r, ts := range c.times {
			s, ok := periodicS(shape, ts, period, i+1, n)
			if want := lo + (hi-lo)*s; ok && !closeTo(c.values[i][r], want, lo, hi) {
				if bad < 5 {
					t.Errorf("%s series %d of %d at %d: %v, want %v (phase %v)", shape, i+1, n, ts, c.values[i][r], want,
						float64(ts%period)/float64(period))
				}
				bad++
			}
			if r2, ok := at[ts+period]; ok {
				repeats++
				if c.values[i][r2] != c.values[i][r] {
					if bad < 5 {
						t.Errorf("%s series %d of %d: %v at %d but %v one period later", shape, i+1, n, c.values[i][r], ts, c.values[i][r2])
					}
					bad++
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d problems in all", shape, bad)
	}
	if repeats == 0 {
		t.Errorf("%s: the range holds no full period to compare", shape)
	}
}

// decodeOnly checks a successful result with one frame of n series.
func decodeOnly(t *testing.T, what string, r Result, n int) columns {
	t.Helper()
	if r.Error != "" {
		t.Fatalf("%s: error %q", what, r.Error)
	}
	if len(r.Frames) != 1 {
		t.Fatalf("%s: %d frames, want 1", what, len(r.Frames))
	}
	c, err := frameColumns(r.Frames[0], n)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return c
}

func diffValues(got, want []float64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d values, want %d", len(got), len(want))
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			return fmt.Sprintf("value %d is %v, want %v", i, got[i], want[i])
		}
	}
	return ""
}

func slicesMax(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func slicesMin(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

// TestSignalsNoise: noise moves a value at most noise × range from its
// shape, stays within the limits (clamped), is part of the pure function
// (series 1 of N with noise is the single-series query with noise) and is
// not used at all when 0.
func TestSignalsNoise(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const lo, hi, period = 0.0, 10.0, 30000
	to := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	from := to.Add(-20 * time.Minute)
	q := func(shape string, noise float64, n int) columns {
		t.Helper()
		r := queryOne(t, p, ds, Query{RefID: "A", From: from, To: to, MaxDataPoints: 10000, JSON: queryOf(t, map[string]any{
			"lowerLimit": lo, "upperLimit": hi, "seed": 11, "shape": shape, "period": period, "noise": noise, "series": n})})
		return decodeOnly(t, fmt.Sprintf("%s noise %v series %d", shape, noise, n), r, n)
	}
	for _, noise := range []float64{0.1, 1} {
		c := q("sine", noise, 3)
		moved, clamped := 0, 0
		for i := range 3 {
			checkValues(t, fmt.Sprintf("sine noise %v series %d", noise, i+1), c.column(i), lo, hi)
			for r, ts := range c.times {
				s, _ := periodicS("sine", ts, period, i+1, 3)
				base, v := lo+(hi-lo)*s, c.values[i][r]
				if math.Abs(v-base) > noise*(hi-lo)*(1+1e-9) {
					t.Fatalf("sine noise %v series %d at %d: %v is %v from the shape's %v, more than noise × range", noise, i+1, ts, v, v-base, base)
				}
				if !closeTo(v, base, lo, hi) {
					moved++
				}
				if v == lo || v == hi {
					clamped++
				}
			}
		}
		if moved < len(c.times)*3/2 {
			t.Errorf("sine noise %v: only %d of %d values differ from the noiseless shape", noise, moved, 3*len(c.times))
		}
		if noise == 1 && clamped == 0 {
			t.Errorf("sine noise 1: no value clamped to a limit in %d values", 3*len(c.times))
		}
		one := q("sine", noise, 1)
		if d := diffValues(c.values[0], one.values[0]); d != "" {
			t.Errorf("sine noise %v: series 1 of 3 differs from the single-series query: %s", noise, d)
		}
	}
	for _, shape := range []string{"random", "walk", "square"} {
		c := q(shape, 1, 2)
		for i := range 2 {
			checkValues(t, fmt.Sprintf("%s noise 1 series %d", shape, i+1), c.column(i), lo, hi)
		}
		if d := diffValues(c.values[0], q(shape, 1, 1).values[0]); d != "" {
			t.Errorf("%s noise 1: series 1 of 2 differs from the single-series query: %s", shape, d)
		}
	}
}

// TestSignalsPointBudget: a query with many series gets at most a million
// points: L = min(maxDataPoints, 10000, floor(1000000 / series)) per series.
func TestSignalsPointBudget(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"maxSeries":200}`)
	to := time.Now().Add(-time.Hour).Truncate(time.Second)
	from := to.Add(-24 * time.Hour)
	for _, c := range []struct {
		series, mdp int64
	}{{150, 1_000_000_000}, {150, 500}, {100, 43200}} {
		r := queryOne(t, p, ds, Query{RefID: "A", From: from, To: to, MaxDataPoints: c.mdp,
			JSON: queryOf(t, map[string]any{"series": c.series, "shape": "triangle"})})
		cols := decodeOnly(t, fmt.Sprintf("%d series, maxDataPoints %d", c.series, c.mdp), r, int(c.series))
		want := expectedTimesSeries(from.UnixMilli(), to.UnixMilli(), 1000, c.mdp, c.series)
		if d := diffTimes(cols.times, want); d != "" {
			t.Errorf("%d series, maxDataPoints %d: timestamps: %s", c.series, c.mdp, d)
		}
		if total := int64(len(cols.times)) * c.series; total > 1_000_000 {
			t.Errorf("%d series, maxDataPoints %d: %d points in one query", c.series, c.mdp, total)
		}
	}
}

// message is one streamed packet decoded as a frame of n series.
type message struct {
	receivedAt time.Time
	cols       columns
}

// collectMessages reads s for d (or until it ends) and decodes every packet
// as a data-only frame of n series against schema.
func collectMessages(t *testing.T, s *Stream, schema json.RawMessage, n int, d time.Duration) []message {
	t.Helper()
	return collectLabelledMessages(t, s, schema, n, "", d)
}

// collectLabelledMessages is collectMessages for a stream of the canonical
// labels template labels: each message's fields carry wantSeriesLabels.
func collectLabelledMessages(t *testing.T, s *Stream, schema json.RawMessage, n int, labels string, d time.Duration) []message {
	t.Helper()
	var msgs []message
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case pkt, ok := <-s.Packets():
			if !ok {
				t.Errorf("the stream ended by itself after %d messages: %v", len(msgs), s.Err())
				return msgs
			}
			if _, has, err := FrameSchema(pkt.Data); err != nil || has {
				t.Errorf("streamed frame is not data-only (err %v): %.200s", err, pkt.Data)
			}
			f, err := DecodeFrame(pkt.Data, schema)
			if err != nil {
				t.Errorf("streamed frame: %v: %.200s", err, pkt.Data)
				continue
			}
			c, err := frameColumnsLabelled(f, n, labels)
			if err != nil {
				t.Errorf("streamed frame: %v", err)
				continue
			}
			msgs = append(msgs, message{receivedAt: pkt.ReceivedAt, cols: c})
		case <-timer.C:
			return msgs
		}
	}
}

// TestSignalsFastStream: a 1 ms stream of 10 series (10000 points a second,
// the default maxPointsPerSecond) and a 10 ms stream under maxMessageRate 5:
// every tick arrives exactly once, in order, on the grid, with the values
// the history gives, batched c = ceil(1000 / (maxMessageRate × tick)) ticks
// to a message sent at ticks k divisible by c, so that no more than
// maxMessageRate messages a second go out.
func TestSignalsFastStream(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct {
		name, jsonData, path string
		query                map[string]any
		tick, rate           int64
		n                    int
		lo, hi               float64
		d                    time.Duration
	}{
		{"1 ms, 10 series, 20 messages a second", `{"minTickInterval":1,"maxPointsPerSecond":10000}`,
			"v1/t=1/lo=0/hi=100/seed=5/series=10",
			map[string]any{"tickInterval": 1, "seed": 5, "series": 10}, 1, 20, 10, 0, 100, 5 * time.Second},
		{"10 ms sine, 3 series, 5 messages a second", `{"maxMessageRate":5}`,
			"v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/noise=0.5/series=3",
			map[string]any{"tickInterval": 10, "lowerLimit": -1, "upperLimit": 1, "seed": 3, "shape": "sine", "period": 5000, "noise": 0.5, "series": 3},
			10, 5, 3, -1, 1, 3 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ds := dataSource(c.jsonData)
			resp := subscribe(t, p, ds, c.path, nil)
			if resp.Status != statusOK {
				t.Fatalf("SubscribeStream(%q): %v", c.path, resp.Status)
			}
			checkInitialSchemaSeries(t, c.path, resp.Data, c.n)
			schema, _, err := FrameSchema(resp.Data)
			if err != nil {
				t.Fatal(err)
			}
			s, err := p.RunStream(ctxFor(t, time.Minute), ds, c.path, nil)
			if err != nil {
				t.Fatalf("RunStream: %v", err)
			}
			t.Cleanup(s.Cancel)
			msgs := collectMessages(t, s, schema, c.n, c.d)
			s.Cancel()

			per := ceilDiv(1000, c.rate*c.tick) // ticks per message
			var all []point
			over := 0
			for m, msg := range msgs {
				rows := len(msg.cols.times)
				if rows == 0 {
					t.Errorf("message %d is empty", m)
					continue
				}
				if k := msg.cols.times[rows-1] / c.tick; k%per != 0 {
					t.Errorf("message %d ends at tick k=%d, not divisible by c=%d", m, k, per)
				}
				if m == 0 && rows > int(per) {
					t.Errorf("first message has %d rows, more than c=%d", rows, per)
				}
				if rows > int(per) {
					over++ // a catch-up after a stall: allowed, still on the batch grid
				}
				for r, ts := range msg.cols.times {
					all = append(all, point{t: ts, v: msg.cols.values[0][r], receivedAt: msg.receivedAt, packet: m})
				}
			}
			if over > 0 {
				t.Logf("%d of %d messages carried more than c=%d ticks (catch-up after a stall)", over, len(msgs), per)
			}
			if want := int(c.d.Milliseconds()/c.tick) / 4; len(all) < want {
				t.Fatalf("%d ticks in %v of a %d ms stream, want at least %d", len(all), c.d, c.tick, want)
			}
			checkTicks(t, all, c.tick, c.lo, c.hi)
			if limit := int(float64(c.rate)*c.d.Seconds()) + 2; len(msgs) > limit {
				t.Errorf("%d messages in %v, more than maxMessageRate %d/s allows (%d with slack)", len(msgs), c.d, c.rate, limit)
			}
			t.Logf("%d messages, %d ticks × %d series in %v (c=%d)", len(msgs), len(all), c.n, c.d, per)

			// The history of the streamed range, unthinned, has the same values.
			first, last := all[0].t, all[len(all)-1].t
			r := queryOne(t, p, ds, Query{RefID: "A", JSON: queryOf(t, c.query), From: msTime(first), To: msTime(last), MaxDataPoints: 10000})
			hist := decodeOnly(t, "history of the streamed range", r, c.n)
			if d := diffTimes(hist.times, expectedTimes(first, last, c.tick, 10000)); d != "" {
				t.Fatalf("history of the streamed range: %s", d)
			}
			row := make(map[int64]int, len(hist.times))
			for i, ts := range hist.times {
				row[ts] = i
			}
			mismatches := 0
			for _, msg := range msgs {
				for r, ts := range msg.cols.times {
					h, ok := row[ts]
					for i := range c.n {
						if !ok || math.Float64bits(hist.values[i][h]) != math.Float64bits(msg.cols.values[i][r]) {
							if mismatches < 5 {
								t.Errorf("series %d at %d: streamed %v, history %v (present %v)", i+1, ts, msg.cols.values[i][r], hist.values[i][h], ok)
							}
							mismatches++
						}
					}
				}
			}
			if mismatches > 0 {
				t.Errorf("%d streamed values differ from the history", mismatches)
			}
		})
	}
}

// TestSignalsLimits: maxSeries and maxPointsPerSecond (series × ticks) are
// enforced with messages naming the setting in QueryData, and with
// PermissionDenied in SubscribeStream; within them the InitialData schema
// has the series' labelled value fields.
func TestSignalsLimits(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	now := time.Now()
	queryCases := []struct {
		jsonData string
		query    map[string]any
		want     string
	}{
		{`{}`, map[string]any{"series": 101},
			"series must be a whole number from 1 to 100 (the data source's maxSeries); got 101"},
		{`{"maxSeries":1000}`, map[string]any{"tickInterval": 10, "series": 200},
			"tickInterval 10 ms with 200 series makes 20000 points per second, more than the data source's maxPointsPerSecond of 10000; use a tickInterval of at least 20 ms, fewer series, or raise maxPointsPerSecond"},
		{`{"minTickInterval":1,"maxPointsPerSecond":10000}`, map[string]any{"tickInterval": 1, "series": 11},
			"tickInterval 1 ms with 11 series makes 11000 points per second, more than the data source's maxPointsPerSecond of 10000; use a tickInterval of at least 2 ms, fewer series, or raise maxPointsPerSecond"},
		{`{"maxSeries":3}`, map[string]any{"series": 4, "shape": "sine"},
			"series must be a whole number from 1 to 3 (the data source's maxSeries); got 4"},
	}
	for _, c := range queryCases {
		res, err := p.QueryData(ctxFor(t, 30*time.Second), dataSource(c.jsonData),
			Query{RefID: "BAD", JSON: queryOf(t, c.query), From: now.Add(-time.Minute), To: now},
			Query{RefID: "GOOD", JSON: []byte(`{"series":2}`), From: now.Add(-time.Minute), To: now})
		if err != nil {
			t.Fatalf("%s %v: QueryData: %v", c.jsonData, c.query, err)
		}
		if r := res["BAD"]; !strings.Contains(r.Error, c.want) || r.ErrorSource != "downstream" {
			t.Errorf("settings %s, query %v: error %q (source %q), want %q from downstream", c.jsonData, c.query, r.Error, r.ErrorSource, c.want)
		}
		decodeOnly(t, "the good query beside it", res["GOOD"], 2)
	}

	pathCases := []struct {
		jsonData, path string
		want           any // a status, or the number of series of an OK schema
	}{
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=101", statusDenied},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=100", 100},
		{`{"maxSeries":1000}`, "v1/t=10/lo=0/hi=100/seed=0/series=200", statusDenied},
		{`{"maxSeries":1000,"maxPointsPerSecond":20000}`, "v1/t=10/lo=0/hi=100/seed=0/series=200", 200},
		{`{"minTickInterval":1}`, "v1/t=1/lo=0/hi=100/seed=0/series=11", statusDenied},
		{`{"minTickInterval":1}`, "v1/t=1/lo=0/hi=100/seed=0/series=10", 10},
		{`{"maxSeries":0}`, "v1/t=1000/lo=0/hi=100/seed=0/series=2", statusDenied},
		{`{"maxMessageRate":0}`, "v1/t=1000/lo=0/hi=100/seed=0", statusDenied},
		{`{}`, "v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/series=4", 4},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=walk/noise=0.25", 1},
		// Not canonical, or not valid under any settings: NotFound.
		{`{"maxSeries":10000}`, "v1/t=1000/lo=0/hi=100/seed=0/series=10001", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=0", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=1", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=04", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=4.0", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=1e1", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=random", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=Sine", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=sin", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=60000", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=walk/period=5000", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/period=5000", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=0", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/noise=0", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/noise=0.50", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/noise=1.5", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/series=4/shape=sine", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/noise=0.5/shape=sine", statusNotFound},
		{`{}`, "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/shape=sine", statusNotFound},
	}
	for _, c := range pathCases {
		resp := subscribe(t, p, dataSource(c.jsonData), c.path, nil)
		switch want := c.want.(type) {
		case int:
			if resp.Status != statusOK {
				t.Errorf("settings %s, %q: status %v, want OK", c.jsonData, c.path, resp.Status)
				continue
			}
			checkInitialSchemaSeries(t, c.path, resp.Data, want)
		default:
			if resp.Status != want {
				t.Errorf("settings %s, %q: status %v, want %v", c.jsonData, c.path, resp.Status, want)
			}
		}
	}
	assertAlive(t, p)
}

// TestSignalsBadInput: the issue-3 fields with every kind of bad value,
// huge series counts and the spellings of NaN and Infinity included, get an
// error naming the field; the plugin stays up.
func TestSignalsBadInput(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"maxSeries":10000,"maxPointsPerSecond":10000000}`)
	const (
		seriesMsg = "series must be a whole number from 1 to 10000 (the data source's maxSeries); got "
		shapeMsg  = "shape must be one of random, walk, sine, square, sawtooth, triangle, csv; got "
		periodMsg = "period must be a whole number of milliseconds from 1 to 31536000000 (365 days); got "
		noiseMsg  = "noise must be a number from 0 to 1; got "
	)
	cases := []struct{ query, want string }{
		{`{"series":10001}`, seriesMsg + "10001"},
		{`{"series":1000000000}`, seriesMsg + "1000000000"},
		{`{"series":9007199254740993}`, seriesMsg + "9007199254740992"},
		{`{"series":1e300}`, seriesMsg + "1e+300"},
		{`{"series":1e999}`, seriesMsg + "Infinity"},
		{`{"series":-1e999}`, seriesMsg + "-Infinity"},
		{`{"series":-1}`, seriesMsg + "-1"},
		{`{"series":"NaN"}`, seriesMsg + "a string"},
		{`{"series":null}`, seriesMsg + "null"},
		{`{"series":[4]}`, seriesMsg + "an array"},
		{`{"shape":""}`, shapeMsg + "a string"},
		{`{"shape":"SINE"}`, shapeMsg + "a string"},
		{`{"shape":{}}`, shapeMsg + "an object"},
		{`{"shape":true}`, shapeMsg + "a boolean"},
		{`{"shape":"sine","period":"Infinity"}`, periodMsg + "a string"},
		{`{"shape":"sine","period":1e999}`, periodMsg + "Infinity"},
		{`{"shape":"square","period":-0}`, periodMsg + "0"},
		{`{"shape":"triangle","period":1e300}`, periodMsg + "1e+300"},
		{`{"noise":"NaN"}`, noiseMsg + "a string"},
		{`{"noise":1e999}`, noiseMsg + "Infinity"},
		{`{"noise":-1e999}`, noiseMsg + "-Infinity"},
		{`{"noise":null}`, noiseMsg + "null"},
	}
	now := time.Now()
	queries := []Query{{RefID: "GOOD", JSON: []byte(`{"series":3,"shape":"walk"}`), From: now.Add(-time.Minute), To: now}}
	for i, c := range cases {
		queries = append(queries, Query{RefID: fmt.Sprintf("Q%d", i), JSON: []byte(c.query), From: now.Add(-time.Minute), To: now})
	}
	res, err := p.QueryData(ctxFor(t, 60*time.Second), ds, queries...)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	decodeOnly(t, "the good query beside the bad ones", res["GOOD"], 3)
	for i, c := range cases {
		r, ok := res[fmt.Sprintf("Q%d", i)]
		if !ok {
			t.Errorf("%s: no response", c.query)
			continue
		}
		if !strings.Contains(r.Error, c.want) {
			t.Errorf("%s: error %q, want it to contain %q", c.query, r.Error, c.want)
		}
		if len(r.Frames) > 0 {
			t.Errorf("%s: %d frames beside the error", c.query, len(r.Frames))
		}
	}
	assertAlive(t, p)
}

// TestSignalsAlerting: an alert rule's evaluation (QueryData only, an
// absolute range ending now, no dashboard, the FromAlert header, alerting's
// maxDataPoints 43200 and intervalMs 1000, the query model with those
// fields) gets the right values up to now, so a rule's "last" reducer sees
// the value the formula gives, for every series.
func TestSignalsAlerting(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const lo, hi, period = -10.0, 10.0, 60000
	model := func(refID string, extra map[string]any) []byte {
		m := map[string]any{
			"refId":         refID,
			"datasource":    map[string]any{"type": PluginID, "uid": ds.UID},
			"intervalMs":    1000,
			"maxDataPoints": 43200,
			"tickInterval":  1000, "lowerLimit": lo, "upperLimit": hi, "period": period,
		}
		for k, v := range extra {
			m[k] = v
		}
		return queryOf(t, m)
	}
	to := time.Now()
	from := to.Add(-10 * time.Minute)
	res, err := p.QueryDataWithHeaders(ctxFor(t, 60*time.Second), ds, FromAlertHeaders(),
		Query{RefID: "A", JSON: model("A", map[string]any{"shape": "sine"}), From: from, To: to, MaxDataPoints: 43200, Interval: time.Second},
		Query{RefID: "B", JSON: model("B", map[string]any{"shape": "triangle", "series": 3}), From: from, To: to, MaxDataPoints: 43200, Interval: time.Second})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	wantTimes := expectedTimes(from.UnixMilli(), to.UnixMilli(), 1000, 43200)
	for _, c := range []struct {
		refID, shape string
		n            int
	}{{"A", "sine", 1}, {"B", "triangle", 3}} {
		cols := decodeOnly(t, "alert query "+c.refID, res[c.refID], c.n)
		if d := diffTimes(cols.times, wantTimes); d != "" {
			t.Fatalf("alert query %s: timestamps: %s", c.refID, d)
		}
		last := cols.times[len(cols.times)-1]
		if want := to.UnixMilli() / 1000 * 1000; last != want {
			t.Errorf("alert query %s: last point at %d, want the last tick before now, %d", c.refID, last, want)
		}
		checkPeriodic(t, c.shape, cols, period, c.n, lo, hi)
		for i := range c.n {
			s, _ := periodicS(c.shape, last, period, i+1, c.n)
			got, want := cols.values[i][len(cols.times)-1], lo+(hi-lo)*s
			if !closeTo(got, want, lo, hi) {
				t.Errorf("alert query %s series %d: last value %v at %d, want %v", c.refID, i+1, got, last, want)
			}
		}
	}
}
