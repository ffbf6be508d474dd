package host

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// queryOne runs one query and returns its result, failing on a missing refId.
func queryOne(t *testing.T, p *Plugin, ds DataSource, q Query) Result {
	t.Helper()
	res, err := p.QueryData(ctxFor(t, 60*time.Second), ds, q)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r, ok := res[q.RefID]
	if !ok {
		t.Fatalf("no response for refId %s", q.RefID)
	}
	return r
}

// oneSeries checks a successful result with exactly one time/value frame.
func oneSeries(t *testing.T, what string, r Result) (series, string) {
	t.Helper()
	if r.Error != "" {
		t.Fatalf("%s: error %q", what, r.Error)
	}
	if len(r.Frames) != 1 {
		t.Fatalf("%s: %d frames, want 1", what, len(r.Frames))
	}
	s, err := frameSeries(r.Frames[0])
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	channel := ""
	if r.Frames[0].Meta != nil {
		channel = r.Frames[0].Meta.Channel
	}
	return s, channel
}

// TestQueryHistoryGrid: a panel's history lies on the epoch-aligned grid,
// within the range, thinned to k divisible by m, and points the panel at the
// stream only when the range ends now.
func TestQueryHistoryGrid(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	hourAgo := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	cases := []struct {
		name          string
		query         string
		tick          int64
		lo, hi        float64
		from, to      time.Time
		maxDataPoints int64
		channel       string // "" when the range does not end now
	}{
		{name: "an hour ending an hour ago, default maxDataPoints",
			query: `{"refId":"A"}`, tick: 1000, lo: 0, hi: 100,
			from: hourAgo.Add(-time.Hour), to: hourAgo},
		{name: "off-grid ends, maxDataPoints 100",
			query: `{"tickInterval":250,"lowerLimit":-1,"upperLimit":1,"seed":3}`, tick: 250, lo: -1, hi: 1,
			from: msTime(hourAgo.UnixMilli()/1000*1000 - 7*60*1000 + 123), to: msTime(hourAgo.UnixMilli()/1000*1000 + 77),
			maxDataPoints: 100},
		{name: "ends on the grid: both ends included",
			query: `{"tickInterval":60000}`, tick: 60000, lo: 0, hi: 100,
			from: msTime(hourAgo.UnixMilli() / 60000 * 60000), to: msTime(hourAgo.UnixMilli()/60000*60000 + 10*60000),
			maxDataPoints: 1000},
		{name: "negative maxDataPoints means 1000",
			query: `{"tickInterval":100}`, tick: 100, lo: 0, hi: 100,
			from: hourAgo.Add(-time.Hour), to: hourAgo, maxDataPoints: -1},
		{name: "huge maxDataPoints is capped at 10000",
			query: `{}`, tick: 1000, lo: 0, hi: 100,
			from: hourAgo.Add(-24 * time.Hour), to: hourAgo, maxDataPoints: 1_000_000_000},
		{name: "a range with no grid point",
			query: `{"tickInterval":1000}`, tick: 1000, lo: 0, hi: 100,
			from: msTime(hourAgo.UnixMilli()/1000*1000 + 100), to: msTime(hourAgo.UnixMilli()/1000*1000 + 900)},
		{name: "ten minutes ending now, no thinning",
			query: `{"refId":"B","tickInterval":500,"lowerLimit":-5,"upperLimit":5}`, tick: 500, lo: -5, hi: 5,
			from: time.Now().Add(-10 * time.Minute), to: time.Now(), maxDataPoints: 5000,
			channel: "ds/tickstream/" + pathFor(500, "-5", "5", 0)},
		{name: "ending 3 s ago is still live (within 5 s)",
			query: `{"seed":12}`, tick: 1000, lo: 0, hi: 100,
			from: time.Now().Add(-time.Hour), to: time.Now().Add(-3 * time.Second),
			channel: "ds/tickstream/" + pathFor(1000, "0", "100", 12)},
		{name: "ending 30 s ago with a 20 s tick is live (within 2 ticks)",
			query: `{"tickInterval":20000,"seed":5}`, tick: 20000, lo: 0, hi: 100,
			from: time.Now().Add(-time.Hour), to: time.Now().Add(-30 * time.Second),
			channel: "ds/tickstream/" + pathFor(20000, "0", "100", 5)},
		{name: "ending 60 s ago with a 20 s tick is not live",
			query: `{"tickInterval":20000,"seed":5}`, tick: 20000, lo: 0, hi: 100,
			from: time.Now().Add(-time.Hour), to: time.Now().Add(-60 * time.Second)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(c.query), From: c.from, To: c.to, MaxDataPoints: c.maxDataPoints})
			s, channel := oneSeries(t, c.name, r)
			want := expectedTimes(c.from.UnixMilli(), c.to.UnixMilli(), c.tick, c.maxDataPoints)
			if d := diffTimes(s.times, want); d != "" {
				t.Errorf("timestamps: %s", d)
			}
			checkValues(t, "values", s, c.lo, c.hi)
			if channel != c.channel {
				t.Errorf("meta.channel %q, want %q", channel, c.channel)
			}
		})
	}
}

// TestQueryRangeIntoTheFuture: history never shows points after now.
func TestQueryRangeIntoTheFuture(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	from := time.Now().Add(-time.Minute)
	before := time.Now().UnixMilli()
	r := queryOne(t, p, defaultDS(), Query{RefID: "A", JSON: []byte(`{}`), From: from, To: time.Now().Add(time.Hour)})
	after := time.Now().UnixMilli()
	s, channel := oneSeries(t, "into the future", r)
	if len(s.times) == 0 {
		t.Fatal("no points")
	}
	last := s.times[len(s.times)-1]
	if last > after || last < before-1000 {
		t.Errorf("last point at %d, want it at now (between %d and %d)", last, before-1000, after)
	}
	if d := diffTimes(s.times, expectedTimes(from.UnixMilli(), last, 1000, 0)); d != "" {
		t.Errorf("timestamps: %s", d)
	}
	if want := "ds/tickstream/" + pathFor(1000, "0", "100", 0); channel != want {
		t.Errorf("meta.channel %q, want %q", channel, want)
	}
}

// TestQueryThinningDoesNotMove: two overlapping ranges of the same length
// keep the same points where they overlap, so a sliding dashboard does not
// jitter.
func TestQueryThinningDoesNotMove(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	to := time.Now().Add(-time.Hour)
	q := func(to time.Time) series {
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(`{"tickInterval":100,"seed":9}`), From: to.Add(-time.Hour), To: to, MaxDataPoints: 700})
		s, _ := oneSeries(t, "thinning", r)
		return s
	}
	a, b := q(to), q(to.Add(1234*time.Millisecond))
	at := map[int64]float64{}
	for i, ts := range a.times {
		at[ts] = a.values[i]
	}
	common := 0
	for i, ts := range b.times {
		if ts > a.times[len(a.times)-1] {
			break
		}
		if ts < a.times[0] {
			continue
		}
		v, ok := at[ts]
		if !ok {
			t.Fatalf("point %d of the slid range is not in the first range: thinning moved", ts)
		}
		if v != b.values[i] {
			t.Fatalf("value at %d changed from %v to %v", ts, v, b.values[i])
		}
		common++
	}
	if common < len(a.times)-5 {
		t.Errorf("only %d of %d points in common", common, len(a.times))
	}
}

// TestQueryValueFunction: values are lower + (upper − lower) × u(seed, k):
// the same u for the same seed and tick whatever the limits, a different
// sequence for another seed, a constant for equal
// limits, and not a flat line.
func TestQueryValueFunction(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	to := time.Now().Add(-2 * time.Hour)
	from := to.Add(-10 * time.Minute)
	get := func(query string, tick int64) series {
		t.Helper()
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(query), From: from, To: to, MaxDataPoints: 10000})
		s, _ := oneSeries(t, query, r)
		if d := diffTimes(s.times, expectedTimes(from.UnixMilli(), to.UnixMilli(), tick, 10000)); d != "" {
			t.Fatalf("%s: timestamps: %s", query, d)
		}
		return s
	}
	a := get(`{"seed":77}`, 1000)
	b := get(`{"seed":77,"lowerLimit":-5,"upperLimit":5}`, 1000)
	c := get(`{"seed":78}`, 1000)
	d := get(`{"seed":77,"lowerLimit":7,"upperLimit":7}`, 1000)
	checkValues(t, "seed 77", a, 0, 100)
	checkValues(t, "seed 77 in [-5, 5]", b, -5, 5)
	for i := range a.values {
		ua, ub := a.values[i]/100, (b.values[i]+5)/10
		if math.Abs(ua-ub) > 1e-9 {
			t.Fatalf("at %d: %v in [0, 100] and %v in [-5, 5] are not the same u (%v vs %v)", a.times[i], a.values[i], b.values[i], ua, ub)
		}
		if d.values[i] != 7 {
			t.Fatalf("at %d: %v with both limits 7, want 7", d.times[i], d.values[i])
		}
	}
	same, distinct := 0, map[float64]bool{}
	for i := range a.values {
		if a.values[i] == c.values[i] {
			same++
		}
		distinct[a.values[i]] = true
	}
	if same > len(a.values)/10 {
		t.Errorf("seeds 77 and 78 agree on %d of %d points", same, len(a.values))
	}
	if len(distinct) < len(a.values)/2 {
		t.Errorf("only %d distinct values in %d points: not random", len(distinct), len(a.values))
	}
}

// TestQueryVectors runs every query vector of the shared file (but the
// valid ones with faults, whose failures and delays faults_test.go
// checks), grouped by the settings it runs under, in one request per group
// with a good query beside them: valid ones point at their canonical
// channel, bad ones get an error naming the field, and the good query is
// unaffected.
func TestQueryVectors(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	v := loadVectors(t)
	type item struct {
		refID string
		i     int
	}
	groups := map[string][]item{}
	var order []string
	for i, q := range v.Queries {
		if q.Faults != nil {
			continue // fails or waits up to 2 minutes on purpose: faults_test.go
		}
		key := string(bytes.TrimSpace(q.Settings))
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], item{refID: fmt.Sprintf("Q%d", i), i: i})
	}
	for _, key := range order {
		jsonData := key
		if jsonData == "" {
			jsonData = "{}"
		}
		ds := dataSource(jsonData)
		now := time.Now()
		queries := []Query{{RefID: "GOOD", JSON: []byte(`{"refId":"GOOD","tickInterval":1000}`), From: now.Add(-time.Minute), To: now}}
		for _, it := range groups[key] {
			queries = append(queries, Query{RefID: it.refID, JSON: v.Queries[it.i].Query, From: now.Add(-10 * time.Second), To: now})
		}
		res, err := p.QueryData(ctxFor(t, 60*time.Second), ds, queries...)
		if err != nil {
			t.Fatalf("settings %s: QueryData: %v", jsonData, err)
		}
		if len(res) != len(queries) {
			t.Errorf("settings %s: %d responses for %d queries", jsonData, len(res), len(queries))
		}
		good, ok := res["GOOD"]
		if !ok || good.Error != "" || len(good.Frames) != 1 {
			t.Errorf("settings %s: the good query beside the vectors failed: %+v", jsonData, good)
		}
		for _, it := range groups[key] {
			vq := v.Queries[it.i]
			r, ok := res[it.refID]
			if !ok {
				t.Errorf("%s: no response", vq.Name)
				continue
			}
			if vq.Valid != nil {
				if r.Error != "" {
					t.Errorf("%s: error %q, want none", vq.Name, r.Error)
					continue
				}
				frames := 1
				if vq.Overlays != nil && vq.Overlays.Exemplars > 0 {
					frames = 2 // the series, then the exemplars (overlays_test.go checks them)
					if name := r.Frames[len(r.Frames)-1].Name; name != "exemplar" {
						t.Errorf("%s: the last frame is %q, want the exemplars", vq.Name, name)
					}
				}
				if len(r.Frames) != frames {
					t.Errorf("%s: %d frames, want %d", vq.Name, len(r.Frames), frames)
					continue
				}
				if !vq.Valid.plainNumbers() {
					checkGapsHistory(t, vq.Name, r.Frames[0], *vq.Valid, "ds/tickstream/"+vq.Path)
					continue
				}
				if len(r.Frames[0].Fields) == 0 { // No Data, right only for a range without a tick (a 24 h tick, say)
					if from, to, tick := now.Add(-10*time.Second).UnixMilli(), now.UnixMilli(), vq.Valid.TickInterval; to/tick*tick >= from {
						t.Errorf("%s: no fields, although tick %d lies in the range", vq.Name, to/tick*tick)
					}
				} else if cols, err := frameColumnsLabelled(r.Frames[0], vq.Valid.seriesCount(), vq.Valid.Labels); err != nil {
					t.Errorf("%s: %v", vq.Name, err)
					continue
				} else {
					checkColumns(t, vq.Name, cols, *vq.Valid)
				}
				want := "ds/tickstream/" + vq.Path
				if r.Frames[0].Meta == nil || r.Frames[0].Meta.Channel != want {
					got := ""
					if r.Frames[0].Meta != nil {
						got = r.Frames[0].Meta.Channel
					}
					t.Errorf("%s: meta.channel %q, want %q", vq.Name, got, want)
				}
				continue
			}
			if r.Error == "" {
				t.Errorf("%s: no error, want %q", vq.Name, vq.Errors[0].Message)
				continue
			}
			for _, e := range vq.Errors {
				if !strings.Contains(r.Error, e.Message) {
					t.Errorf("%s: error %q does not contain %q", vq.Name, r.Error, e.Message)
				}
			}
			if r.ErrorSource != "downstream" {
				t.Errorf("%s: error source %q, want downstream (a user mistake)", vq.Name, r.ErrorSource)
			}
		}
	}
}

// TestQueryBadSettings: every query of a data source with a bad setting gets
// the setting's error; the plugin stays up.
func TestQueryBadSettings(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct{ jsonData, want string }{
		{`{"minTickInterval":0}`, "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0"},
		{`{"maxPointsPerSecond":null}`, "maxPointsPerSecond must be a whole number from 1 to 10000000; got null"},
		{`[1]`, "the data source settings (jsonData) must be a JSON object; got an array"},
		{`{"minTickInterval":`, "jsonData"},
	}
	for _, c := range cases {
		now := time.Now()
		res, err := p.QueryData(ctxFor(t, 60*time.Second), dataSource(c.jsonData),
			Query{RefID: "A", JSON: []byte(`{}`), From: now.Add(-time.Minute), To: now},
			Query{RefID: "B", JSON: []byte(`{"tickInterval":100}`), From: now.Add(-time.Hour), To: now.Add(-30 * time.Minute)})
		if err != nil {
			t.Errorf("%s: QueryData failed as a call: %v", c.jsonData, err)
			continue
		}
		for _, ref := range []string{"A", "B"} {
			r, ok := res[ref]
			if !ok {
				t.Errorf("%s: no response for %s", c.jsonData, ref)
				continue
			}
			if !strings.Contains(r.Error, c.want) {
				t.Errorf("%s: refId %s error %q, want it to contain %q", c.jsonData, ref, r.Error, c.want)
			}
		}
	}
	assertAlive(t, p)
}

// TestQueryChannelTooLong: a live query whose channel id would pass Grafana's
// 160 characters gets its history and a hashed channel (for the frontend,
// in meta.custom) instead of a channel nobody can subscribe to.
func TestQueryChannelTooLong(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	ds.UID = strings.Repeat("u", 100)
	now := time.Now()
	long := mustJSON(t, map[string]any{"tickInterval": 86400000, "lowerLimit": -1.2345678901234567e-300, "upperLimit": 1.2345678901234567e300, "seed": 9007199254740991})
	res, err := p.QueryData(ctxFor(t, 60*time.Second), ds,
		Query{RefID: "SHORT", JSON: []byte(`{}`), From: now.Add(-time.Minute), To: now},
		Query{RefID: "LONG", JSON: long, From: now.Add(-time.Minute), To: now})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	short, want := res["SHORT"], "ds/"+ds.UID+"/"+pathFor(1000, "0", "100", 0)
	if short.Error != "" || len(short.Frames) != 1 || short.Frames[0].Meta == nil || short.Frames[0].Meta.Channel != want {
		t.Errorf("a channel id of %d characters refused or wrong, want %q: %+v", len(want), want, short)
	}
	l := res["LONG"]
	if l.Error != "" || len(l.Frames) != 1 || l.Frames[0].Meta == nil {
		t.Fatalf("a definition over 160 characters: %+v, want its history", l)
	}
	meta := l.Frames[0].Meta
	custom, _ := meta.Custom.(map[string]any)
	id, _ := custom["tickstreamChannel"].(string)
	if meta.Channel != "" || !strings.HasPrefix(id, "ds/"+ds.UID+"/v1/sha256=") || len(id) > 160 {
		t.Errorf("a definition over 160 characters: meta.channel %q, hashed channel %q; want only a hashed channel within 160 characters", meta.Channel, id)
	}
}

// queryJSON is a query in the JSON the frontend sends.
func queryJSON(t *testing.T, tick int64, lo, hi float64, seed int64) []byte {
	return mustJSON(t, map[string]any{"refId": "A", "tickInterval": tick, "lowerLimit": lo, "upperLimit": hi, "seed": seed})
}

// checkColumns checks a valid vector's history: values within the limits,
// times on the grid.
func checkColumns(t *testing.T, name string, cols columns, v validQuery) {
	t.Helper()
	for i := range cols.values {
		checkValues(t, fmt.Sprintf("%s, series %d", name, i+1), cols.column(i), v.LowerLimit, v.UpperLimit)
	}
	for _, ts := range cols.times {
		if ts%v.TickInterval != 0 {
			t.Errorf("%s: point at %d is off the %d ms grid", name, ts, v.TickInterval)
			break
		}
	}
}
