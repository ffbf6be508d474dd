package host

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Issue 5 through the host: every kind of bad input a browser, a
// provisioning file or a hand-written URL can send gets a clear error in
// the right place, and the whole table leaves the process up with the
// goroutines and file descriptors it had before.

// badQueries are query JSONs with the error their refId must get (a
// substring naming the field), or "" for input that is odd but valid.
var badQueries = []struct{ name, query, want string }{
	// Not an object at all.
	{"malformed JSON", `{"tickInterval":`, "the query must be a JSON object; got invalid JSON"},
	{"trailing comma", `{"tickInterval":1000,}`, "the query must be a JSON object; got invalid JSON"},
	{"bare NaN", `{"lowerLimit":NaN}`, "the query must be a JSON object; got invalid JSON"},
	{"bare Infinity", `{"upperLimit":Infinity}`, "the query must be a JSON object; got invalid JSON"},
	{"null", `null`, "the query must be a JSON object; got null"},
	{"empty array", `[]`, "the query must be a JSON object; got an array"},
	{"array of the fields", `[1000,0,100]`, "the query must be a JSON object; got an array"},
	{"string", `"x"`, "the query must be a JSON object; got a string"},
	{"boolean", `true`, "the query must be a JSON object; got a boolean"},
	{"number", `42`, "the query must be a JSON object; got 42"},
	{"empty (nothing sent) is the default query", ``, ""},
	// Wrong types.
	{"tickInterval as text", `{"tickInterval":"1000"}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got a string"},
	{"seed a boolean", `{"seed":true}`, "seed must be a whole number from 0 to 9007199254740991; got a boolean"},
	{"lowerLimit an object", `{"lowerLimit":{}}`, "lowerLimit must be a finite number; got an object"},
	{"upperLimit an array", `{"upperLimit":[]}`, "upperLimit must be a finite number; got an array"},
	// What NaN and Infinity become on the way (JSON cannot carry them).
	{"NaN as text", `{"lowerLimit":"NaN"}`, "lowerLimit must be a finite number; got a string"},
	{"Infinity as text", `{"upperLimit":"Infinity"}`, "upperLimit must be a finite number; got a string"},
	{"-Infinity as text", `{"lowerLimit":"-Infinity"}`, "lowerLimit must be a finite number; got a string"},
	{"NaN as null (JSON.stringify)", `{"upperLimit":null}`, "upperLimit must be a finite number; got null"},
	{"overflowing literal", `{"upperLimit":1e999}`, "upperLimit must be a finite number; got Infinity"},
	{"negative overflowing literal", `{"lowerLimit":-1e999}`, "lowerLimit must be a finite number; got -Infinity"},
	{"overflowing tickInterval", `{"tickInterval":1e999}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got Infinity"},
	{"overflowing seed", `{"seed":1e999}`, "seed must be a whole number from 0 to 9007199254740991; got Infinity"},
	{"tickInterval NaN as text", `{"tickInterval":"NaN"}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got a string"},
	// Ticks.
	{"tick 0", `{"tickInterval":0}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got 0"},
	{"negative tick", `{"tickInterval":-1}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got -1"},
	{"tick 0.001", `{"tickInterval":0.001}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got 0.001"},
	{"tick 1e300", `{"tickInterval":1e300}`, "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got 1e+300"},
	// Limits.
	{"lower above upper", `{"lowerLimit":10,"upperLimit":5}`, "lowerLimit must not be greater than upperLimit; got lowerLimit 10 and upperLimit 5"},
	{"±1e308", `{"lowerLimit":-1e308,"upperLimit":1e308}`, "upperLimit - lowerLimit must be a finite number; got upperLimit 1e+308 and lowerLimit -1e+308: narrow the limits"},
	{"1e308 both", `{"lowerLimit":1e308,"upperLimit":1e308}`, ""},
	{"-1e308 both", `{"lowerLimit":-1e308,"upperLimit":-1e308}`, ""},
}

// bigQueries are the 1 MiB queries, built once.
func bigQueries() []struct{ name, query, want string } {
	const mib = 1 << 20
	return []struct{ name, query, want string }{
		{"1 MiB in an unknown field", `{"tickInterval":1000,"pad":"` + strings.Repeat("x", mib) + `"}`, ""},
		{"1 MiB of digits", `{"seed":` + strings.Repeat("1", mib) + `}`, "seed must be a whole number from 0 to 9007199254740991; got Infinity"},
		{"1 MiB of nesting", `{"lowerLimit":` + strings.Repeat("[", mib/2) + strings.Repeat("]", mib/2) + `}`, "the query must be a JSON object; got invalid JSON"},
		{"1 MiB of whitespace around a number", `{"seed":` + strings.Repeat(" ", mib) + `1}`, ""},
	}
}

// badSettings are jsonData with what CheckHealth must say (a substring
// naming the setting; "" for settings that are fine).
var badSettings = []struct{ name, jsonData, want string }{
	{"missing jsonData", ``, ""},
	{"null jsonData", `null`, ""},
	{"broken JSON", `{"minTickInterval":`, "jsonData"},
	{"broken JSON after a good field", `{"minTickInterval":10,}`, "jsonData"},
	{"an array", `[]`, "the data source settings (jsonData) must be a JSON object; got an array"},
	{"a string", `"x"`, "the data source settings (jsonData) must be a JSON object; got a string"},
	{"a boolean", `true`, "the data source settings (jsonData) must be a JSON object; got a boolean"},
	{"a number", `42`, "the data source settings (jsonData) must be a JSON object; got 42"},
	{"NaN as text", `{"minTickInterval":"NaN"}`, "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got a string"},
	{"overflowing literal", `{"maxPointsPerSecond":1e999}`, "maxPointsPerSecond must be a whole number from 1 to 10000000; got Infinity"},
	{"emptied field", `{"minTickInterval":null}`, "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got null"},
	{"fraction", `{"minTickInterval":0.5}`, "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0.5"},
	{"negative", `{"maxPointsPerSecond":-1}`, "maxPointsPerSecond must be a whole number from 1 to 10000000; got -1"},
	{"1e308", `{"minTickInterval":1e308}`, "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 1e+308"},
}

// badPaths are channel paths with the SubscribeStream status they get
// under the default settings and, when not nil, subscribe data.
func badPaths() []struct {
	name, path string
	data       []byte
	want       pluginv2.SubscribeStreamResponse_Status
} {
	good := pathFor(1000, "0", "100", 0)
	type c = struct {
		name, path string
		data       []byte
		want       pluginv2.SubscribeStreamResponse_Status
	}
	cases := []c{
		{"empty", "", nil, statusNotFound},
		{"10 KB of letters", strings.Repeat("a", 10240), nil, statusNotFound},
		{"10 KB after a valid path", good + "/" + strings.Repeat("x", 10240), nil, statusNotFound},
		{"10 KB of zeros in a limit", "v1/t=1000/lo=0." + strings.Repeat("0", 10240) + "1/hi=100/seed=0", nil, statusNotFound},
		{"10 KB of digits in the seed", "v1/t=1000/lo=0/hi=100/seed=" + strings.Repeat("9", 10240), nil, statusNotFound},
		{"other version v2", "v2/t=1000/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"other version v0", "v0/t=1000/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"other version v10", "v10/t=1000/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"version v1.0", "v1.0/t=1000/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"non-canonical 100.0", "v1/t=1000/lo=0/hi=100.0/seed=0", nil, statusNotFound},
		{"non-canonical -0", "v1/t=1000/lo=-0/hi=100/seed=0", nil, statusNotFound},
		{"non-canonical 1e3", "v1/t=1e3/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"non-canonical 1e+21", "v1/t=1000/lo=0/hi=1e+21/seed=0", nil, statusNotFound},
		{"tick 0", "v1/t=0/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"tick 0.001", "v1/t=0.001/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"tick 1e300", "v1/t=1e300/lo=0/hi=100/seed=0", nil, statusNotFound},
		{"lower above upper", "v1/t=1000/lo=10/hi=5/seed=0", nil, statusNotFound},
		{"±1e308", "v1/t=1000/lo=-1e308/hi=1e308/seed=0", nil, statusNotFound},
		{"NaN limit", "v1/t=1000/lo=NaN/hi=100/seed=0", nil, statusNotFound},
		{"Infinity limit", "v1/t=1000/lo=0/hi=Infinity/seed=0", nil, statusNotFound},
		{"tick under minTickInterval", pathFor(5, "0", "100", 0), nil, statusDenied},
		{"data for another tick", pathFor(500, "-5", "5", 0), []byte(`{"tickInterval":1000,"lowerLimit":-5,"upperLimit":5}`), statusDenied},
		{"data with NaN as text", good, []byte(`{"lowerLimit":"NaN"}`), statusDenied},
		{"data with an overflowing literal", good, []byte(`{"upperLimit":1e999}`), statusDenied},
		{"malformed data", good, []byte(`{"tickInterval":`), statusDenied},
		{"data an array", good, []byte(`[1000,0,100]`), statusDenied},
		{"null data means none", good, []byte(`null`), statusOK},
		{"data that agrees", good, []byte(`{"tickInterval":1000}`), statusOK},
	}
	// Characters Grafana does not allow in a channel path (invalid UTF-8
	// cannot arrive: protobuf strings refuse it on the sending side).
	for _, ch := range []string{"+", " ", "%", "%2F", "?", "#", "*", ":", ",", ";", "@", "!", "~", "\\", "é", "∞", "\n", "\t", "\x00", "\x7f"} {
		cases = append(cases, c{fmt.Sprintf("forbidden %q at the end", ch), good + ch, nil, statusNotFound})
		cases = append(cases, c{fmt.Sprintf("forbidden %q in a number", ch), "v1/t=1000/lo=0/hi=1" + ch + "00/seed=0", nil, statusNotFound})
	}
	return cases
}

// TestBadInputTable runs the whole bad-input table through one process:
// queries (the refId's error names the field, a good query beside it is
// unaffected), data source settings (CheckHealth names the setting, every
// query gets it, SubscribeStream refuses), and channel paths and subscribe
// data (SubscribeStream's status; RunStream on a refused path sends
// nothing and ends on cancellation). Afterwards the process is up and its
// goroutines and file descriptors are back at their baseline.
func TestBadInputTable(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()

	// Warm up everything the table touches, then take the baseline.
	now := time.Now()
	queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(`{}`), From: now.Add(-time.Minute), To: now})
	baseG, baseF := warmBaseline(t, p, ds, pathFor(20, "0", "100", 1))
	t.Logf("baseline: %d goroutines, %d fds", baseG, baseF)

	// RunStream on every refused path, running while the rest of the table
	// goes through.
	paths := badPaths()
	var idle []*Stream
	var idleNames []string
	for _, c := range paths {
		if c.want == statusOK || c.data != nil {
			continue
		}
		st, err := p.RunStream(context.Background(), ds, c.path, nil)
		if err != nil {
			t.Fatalf("%s: RunStream: %v", c.name, err)
		}
		t.Cleanup(st.Cancel)
		idle = append(idle, st)
		idleNames = append(idleNames, c.name)
	}

	t.Run("queries", func(t *testing.T) {
		for _, c := range append(badQueries, bigQueries()...) {
			now := time.Now()
			res, err := p.QueryData(ctxFor(t, 60*time.Second), ds,
				Query{RefID: "BAD", JSON: []byte(c.query), From: now.Add(-time.Minute), To: now},
				Query{RefID: "GOOD", JSON: []byte(`{"tickInterval":500}`), From: now.Add(-time.Minute), To: now})
			if err != nil {
				t.Errorf("%s: QueryData failed as a call: %v", c.name, err)
				continue
			}
			if g := res["GOOD"]; g.Error != "" || len(g.Frames) != 1 {
				t.Errorf("%s: the good query beside it failed: %q", c.name, g.Error)
			}
			r, ok := res["BAD"]
			switch {
			case !ok:
				t.Errorf("%s: no response for its refId", c.name)
			case c.want == "":
				if r.Error != "" || len(r.Frames) != 1 {
					t.Errorf("%s: error %q, %d frames; want the valid query's frame", c.name, r.Error, len(r.Frames))
				}
			default:
				if !strings.Contains(r.Error, c.want) {
					t.Errorf("%s: error %q, want it to contain %q", c.name, firstLine(r.Error), c.want)
				}
				if r.ErrorSource != "downstream" {
					t.Errorf("%s: error source %q, want downstream", c.name, r.ErrorSource)
				}
				if len(r.Frames) != 0 {
					t.Errorf("%s: %d frames beside the error", c.name, len(r.Frames))
				}
			}
		}
	})

	t.Run("settings", func(t *testing.T) {
		for _, c := range badSettings {
			bad := dataSource(c.jsonData)
			if c.jsonData == "" {
				bad.JSONData = nil
			}
			resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), bad)
			if err != nil {
				t.Errorf("%s: CheckHealth failed as a call: %v", c.name, err)
				continue
			}
			now := time.Now()
			res, err := p.QueryData(ctxFor(t, 30*time.Second), bad, Query{RefID: "A", JSON: []byte(`{}`), From: now.Add(-time.Minute), To: now})
			if err != nil {
				t.Errorf("%s: QueryData failed as a call: %v", c.name, err)
				continue
			}
			sub := subscribe(t, p, bad, pathFor(1000, "0", "100", 0), nil)
			if c.want == "" {
				if resp.Status != pluginv2.CheckHealthResponse_OK || res["A"].Error != "" || sub.Status != statusOK {
					t.Errorf("%s: health %v %q, query error %q, subscribe %v; want all fine", c.name, resp.Status, resp.Message, res["A"].Error, sub.Status)
				}
				continue
			}
			if resp.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(resp.Message, c.want) {
				t.Errorf("%s: health %v %q, want ERROR naming %q", c.name, resp.Status, resp.Message, c.want)
			}
			if !strings.Contains(res["A"].Error, c.want) {
				t.Errorf("%s: query error %q, want it to contain %q", c.name, res["A"].Error, c.want)
			}
			if sub.Status != statusDenied {
				t.Errorf("%s: SubscribeStream %v, want PERMISSION_DENIED", c.name, sub.Status)
			}
		}
	})

	t.Run("paths", func(t *testing.T) {
		for _, c := range paths {
			resp := subscribe(t, p, ds, c.path, c.data)
			if resp.Status != c.want {
				t.Errorf("%s: %.80q with data %.80s: status %v, want %v", c.name, c.path, c.data, resp.Status, c.want)
			}
			if c.want != statusOK && len(resp.Data) != 0 {
				t.Errorf("%s: refused with InitialData %.80s", c.name, resp.Data)
			}
		}
	})

	for i, st := range idle {
		select {
		case <-st.Done():
			t.Errorf("%s: RunStream ended by itself (%v): Grafana would call it again and again", idleNames[i], st.Err())
		default:
		}
		st.Cancel()
	}
	for i, st := range idle {
		n := 0
		for range st.Packets() {
			n++
		}
		if n > 0 {
			t.Errorf("%s: RunStream sent %d packets on a refused path", idleNames[i], n)
		}
		if err := st.Err(); err != nil && status.Code(err) != codes.Canceled {
			t.Errorf("%s: RunStream ended with %v, want only the cancellation", idleNames[i], err)
		}
	}

	assertAlive(t, p)
	g, f, ok := backToBaseline(t, p, baseG, baseF)
	if !ok {
		t.Errorf("after the table: %d goroutines (baseline %d), %d fds (baseline %d)", g, baseG, f, baseF)
	}
	t.Logf("after the table: %d goroutines, %d fds", g, f)
}
