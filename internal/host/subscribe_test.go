package host

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

const (
	statusOK       = pluginv2.SubscribeStreamResponse_OK
	statusNotFound = pluginv2.SubscribeStreamResponse_NOT_FOUND
	statusDenied   = pluginv2.SubscribeStreamResponse_PERMISSION_DENIED
)

// subscribe calls SubscribeStream and fails t on a call error (Grafana would
// show the browser an internal error instead of a clear refusal).
func subscribe(t *testing.T, p *Plugin, ds DataSource, path string, subData []byte) *pluginv2.SubscribeStreamResponse {
	t.Helper()
	resp, err := p.SubscribeStream(ctxFor(t, 30*time.Second), ds, path, subData)
	if err != nil {
		t.Fatalf("SubscribeStream(%q): call failed: %v", path, err)
	}
	return resp
}

// checkInitialSchema checks that InitialData is a frame with the schema
// (fields time and value) and no rows.
func checkInitialSchema(t *testing.T, path string, initial []byte) {
	t.Helper()
	checkInitialSchemaSeries(t, path, initial, 1)
}

// checkInitialSchemaSeries checks that InitialData is a frame with the
// schema of n series (time, then n value fields, labelled when n > 1) and
// no rows.
func checkInitialSchemaSeries(t *testing.T, path string, initial []byte, n int) {
	t.Helper()
	checkInitialSchemaLabelled(t, path, initial, n, "")
}

// checkInitialSchemaLabelled is checkInitialSchemaSeries for a query with
// the canonical labels template labels (wantSeriesLabels).
func checkInitialSchemaLabelled(t *testing.T, path string, initial []byte, n int, labels string) {
	t.Helper()
	if len(initial) == 0 {
		t.Errorf("%s: OK without InitialData: the browser would show unnamed fields", path)
		return
	}
	if _, ok, err := FrameSchema(initial); err != nil || !ok {
		t.Errorf("%s: InitialData has no schema (err %v): %s", path, err, initial)
		return
	}
	f, err := DecodeFrame(initial, nil)
	if err != nil {
		t.Errorf("%s: InitialData: %v", path, err)
		return
	}
	c, err := frameColumnsLabelled(f, n, labels)
	if err != nil {
		t.Errorf("%s: InitialData: %v", path, err)
		return
	}
	if len(c.times) != 0 {
		t.Errorf("%s: InitialData has %d rows, want the schema only", path, len(c.times))
	}
}

// TestSubscribeCanonicalPaths: every valid vector's canonical path is
// accepted under its settings, with the schema as InitialData.
func TestSubscribeCanonicalPaths(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	dss := map[string]DataSource{}
	for _, q := range loadVectors(t).Queries {
		if q.Valid == nil {
			continue
		}
		key := string(q.Settings)
		if key == "" {
			key = "{}"
		}
		ds, ok := dss[key]
		if !ok {
			ds = dataSource(key)
			dss[key] = ds
		}
		resp := subscribe(t, p, ds, q.Path, nil)
		if resp.Status != statusOK {
			t.Errorf("%s: %q: status %v, want OK", q.Name, q.Path, resp.Status)
			continue
		}
		if !q.Valid.plainNumbers() {
			checkGapsSchema(t, q.Path, resp.Data, *q.Valid)
			continue
		}
		checkInitialSchemaLabelled(t, q.Path, resp.Data, q.Valid.seriesCount(), q.Valid.Labels)
	}
}

// TestSubscribeNotFound: a path that is not the canonical form of a valid
// query is refused with NotFound.
func TestSubscribeNotFound(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := dataSource(`{"minTickInterval":1}`)
	paths := []string{
		"",
		"v1",
		"v1/",
		"garbage",
		"v2/t=1000/lo=0/hi=100/seed=0",
		"V1/t=1000/lo=0/hi=100/seed=0",
		"/v1/t=1000/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=0/hi=100/seed=0/",
		"v1/t=1000/lo=0/hi=100",
		"v1/t=1000/lo=0/hi=100/seed=",
		"v1/t=1000/hi=100/lo=0/seed=0",
		"v1/lo=0/t=1000/hi=100/seed=0",
		"v1/t=1000/lo=0/hi=100/seed=0/x=1",
		"v1/t=1000/t=1000/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=-0/hi=100/seed=0",
		"v1/t=01000/lo=0/hi=100/seed=0",
		"v1/t=01/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=0/hi=100.0/seed=0",
		"v1/t=1000/lo=0.10/hi=100/seed=0",
		"v1/t=1000/lo=+1/hi=100/seed=0",
		"v1/t=1e3/lo=0/hi=100/seed=0",
		"v1/t=1000.0/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=0/hi=1e2/seed=0",
		"v1/t=1000/lo=0/hi=1e+21/seed=0",
		"v1/t=1000/lo=0/hi=1E21/seed=0",
		"v1/t=1000/lo=0/hi=1000000000000000000000/seed=0",
		"v1/t=1000/lo=0.0000001/hi=1/seed=0",
		"v1/t=1000/lo=.5/hi=1/seed=0",
		"v1/t=1000/lo=0/hi=100/seed=00",
		"v1/t=1000/lo=0/hi=100/seed=1e3",
		"v1/t=1000/lo=0/hi=Infinity/seed=0",
		"v1/t=1000/lo=NaN/hi=100/seed=0",
		"v1/t=0/lo=0/hi=100/seed=0",
		"v1/t=-5/lo=0/hi=100/seed=0",
		"v1/t=86400001/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=10/hi=5/seed=0",
		"v1/t=1000/lo=-1e308/hi=1e308/seed=0",
		"v1/t=1000/lo=0/hi=100/seed=-1",
		"v1/t=1000/lo=0/hi=100/seed=1.5",
		"v1/t=1000/lo=0/hi=100/seed=9007199254740992",
		"v1/t=1000/lo=0/hi=100/seed=0 ",
		"v1/t=1000/lo= 0/hi=100/seed=0",
		"v1//t=1000/lo=0/hi=100/seed=0",
		"v1/t=1000/lo=0/hi=100/seed=0\x00",
	}
	for _, path := range paths {
		resp := subscribe(t, p, ds, path, nil)
		if resp.Status != statusNotFound {
			t.Errorf("%q: status %v, want NOT_FOUND", path, resp.Status)
		}
	}
	assertAlive(t, p)
}

// TestSubscribeBeyondLimits: a valid path that this data source's settings
// refuse (or settings that are broken) gets PermissionDenied, a path within
// them OK.
func TestSubscribeBeyondLimits(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct {
		jsonData, path string
		want           pluginv2.SubscribeStreamResponse_Status
	}{
		{`{}`, pathFor(5, "0", "100", 0), statusDenied},
		{`{}`, pathFor(9, "0", "100", 0), statusDenied},
		{`{}`, pathFor(10, "0", "100", 0), statusOK},
		{`{"minTickInterval":250}`, pathFor(100, "0", "100", 0), statusDenied},
		{`{"minTickInterval":250}`, pathFor(250, "0", "100", 0), statusOK},
		{`{"minTickInterval":1,"maxPointsPerSecond":100}`, pathFor(3, "0", "100", 0), statusDenied},
		{`{"minTickInterval":1,"maxPointsPerSecond":100}`, pathFor(9, "0", "100", 0), statusDenied},
		{`{"minTickInterval":1,"maxPointsPerSecond":100}`, pathFor(10, "0", "100", 0), statusOK},
		{`{"minTickInterval":1}`, pathFor(1, "0", "100", 0), statusOK},
		{`{"minTickInterval":86400000,"maxPointsPerSecond":1}`, pathFor(86399999, "0", "100", 0), statusDenied},
		{`{"minTickInterval":86400000,"maxPointsPerSecond":1}`, pathFor(86400000, "0", "100", 0), statusOK},
		{`{"minTickInterval":0}`, pathFor(1000, "0", "100", 0), statusDenied},
		{`[1]`, pathFor(1000, "0", "100", 0), statusDenied},
		{`{"minTickInterval":`, pathFor(1000, "0", "100", 0), statusDenied},
	}
	for _, c := range cases {
		resp := subscribe(t, p, dataSource(c.jsonData), c.path, nil)
		if resp.Status != c.want {
			t.Errorf("settings %s, %q: status %v, want %v", c.jsonData, c.path, resp.Status, c.want)
		}
		if resp.Status == statusOK {
			checkInitialSchema(t, c.path, resp.Data)
		}
	}
	assertAlive(t, p)
}

// TestSubscribeData: subscribe data (the tutorial's route sends the query as
// data) that describes another stream than the path is refused, since
// Grafana would run the path's stream for it; matching data is fine.
func TestSubscribeData(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	tutorial := []byte(`{"refId":"A","datasource":{"type":"tickstream-streaming-datasource","uid":"tickstream"},"hide":false,"tickInterval":500,"lowerLimit":-5,"upperLimit":5}`)
	cases := []struct {
		name, path string
		data       []byte
		want       pluginv2.SubscribeStreamResponse_Status
	}{
		{"no data (what @grafana/runtime sends)", pathFor(500, "-5", "5", 0), nil, statusOK},
		{"the same query", pathFor(500, "-5", "5", 0), tutorial, statusOK},
		{"the same query with every field", pathFor(500, "-5", "5", 0), []byte(`{"tickInterval":500,"lowerLimit":-5,"upperLimit":5,"seed":0}`), statusOK},
		{"empty object means the default query", pathFor(1000, "0", "100", 0), []byte(`{}`), statusOK},
		{"another tick", pathFor(1000, "-5", "5", 0), tutorial, statusDenied},
		{"other limits", pathFor(500, "0", "100", 0), tutorial, statusDenied},
		{"another seed", pathFor(500, "-5", "5", 1), tutorial, statusDenied},
		{"default query on another path", pathFor(500, "-5", "5", 0), []byte(`{}`), statusDenied},
	}
	for _, c := range cases {
		resp := subscribe(t, p, ds, c.path, c.data)
		if resp.Status != c.want {
			t.Errorf("%s: %q with data %s: status %v, want %v", c.name, c.path, c.data, resp.Status, c.want)
		}
	}
	// Data that is no valid query describes no stream at all: never OK.
	for _, d := range []string{`{"tickInterval":null}`, `[1]`, `{"lowerLimit":10,"upperLimit":5}`} {
		resp := subscribe(t, p, ds, pathFor(1000, "0", "100", 0), []byte(d))
		if resp.Status == statusOK {
			t.Errorf("invalid data %s accepted", d)
		}
	}
}

// TestPublishDenied: nobody may publish into a Tickstream channel.
func TestPublishDenied(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	for _, path := range []string{pathFor(1000, "0", "100", 0), "garbage"} {
		resp, err := p.PublishStream(ctxFor(t, 30*time.Second), defaultDS(), path, []byte(`{"value":1}`))
		if err != nil {
			t.Errorf("%q: PublishStream call failed: %v", path, err)
			continue
		}
		if resp.Status != pluginv2.PublishStreamResponse_PERMISSION_DENIED {
			t.Errorf("%q: status %v, want PERMISSION_DENIED", path, resp.Status)
		}
	}
}
