package host

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// b64 is the path encoding of a text segment (base64url without padding),
// written here independently of pkg/channel.
func b64(text string) string { return base64.RawURLEncoding.EncodeToString([]byte(text)) }

// checkDisplayNames checks that value field j (1-based) of f is displayed
// as name(j), through config.displayNameFromDS.
func checkDisplayNames(t *testing.T, what string, f *data.Frame, n int, name func(j int) string) {
	t.Helper()
	if len(f.Fields) != n+1 {
		t.Fatalf("%s: %d fields, want %d", what, len(f.Fields), n+1)
	}
	for j := 1; j <= n; j++ {
		got := ""
		if c := f.Fields[j].Config; c != nil {
			got = c.DisplayNameFromDS
		}
		if got != name(j) {
			t.Errorf("%s: series %d displayNameFromDS %q, want %q", what, j, got, name(j))
		}
	}
}

// decodeInitial decodes a SubscribeStream InitialData frame and returns it
// with its schema.
func decodeInitial(t *testing.T, what string, initial []byte) (*data.Frame, json.RawMessage) {
	t.Helper()
	schema, ok, err := FrameSchema(initial)
	if err != nil || !ok {
		t.Fatalf("%s: InitialData without a schema (%v): %s", what, err, initial)
	}
	f, err := DecodeFrame(initial, nil)
	if err != nil {
		t.Fatalf("%s: InitialData: %v", what, err)
	}
	return f, schema
}

// streamedRange is the first and last tick time of msgs.
func streamedRange(t *testing.T, msgs []message) (first, last int64) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("the stream sent nothing")
	}
	first, last = msgs[0].cols.times[0], msgs[0].cols.times[0]
	for _, m := range msgs {
		for _, ts := range m.cols.times {
			first, last = min(first, ts), max(last, ts)
		}
	}
	return first, last
}

// TestLabelsAndAliasEverywhere: labels and alias reach the history frame,
// an alert rule's frame (one instance per label set), the stream's schema
// (so the legend does not change when live data arrives) and the live
// values, which equal the history's.
func TestLabelsAndAliasEverywhere(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const (
		n         = 3
		labels    = "dc=eu, host=web-$seriesIndex" // canonical: sorted, spaces and quotes dropped
		alias     = "cpu ${host} #$seriesIndex"
		queryText = `{"tickInterval":100,"seed":7,"series":3,"labels":" host = web-$seriesIndex , dc=\"eu\"","alias":"cpu ${host} #$seriesIndex"}`
	)
	path := pathFor(100, "0", "100", 7) + "/series=3/labels=" + b64(labels) + "/alias=" + b64(alias)
	name := func(j int) string { return fmt.Sprintf("cpu web-%d #%d", j, j) }

	// History, live range: labels, display names, the channel.
	now := time.Now()
	r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(queryText), From: now.Add(-10 * time.Second), To: now})
	if r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("QueryData: %q, %d frames", r.Error, len(r.Frames))
	}
	if _, err := frameColumnsLabelled(r.Frames[0], n, labels); err != nil {
		t.Errorf("history: %v", err)
	}
	checkDisplayNames(t, "history", r.Frames[0], n, name)
	if got, want := r.Frames[0].Meta.Channel, "ds/tickstream/"+path; got != want {
		t.Errorf("meta.channel %q, want %q", got, want)
	}

	// An alert rule: each value field is one alert instance, told apart
	// by its labels.
	res, err := p.QueryDataWithHeaders(ctxFor(t, 30*time.Second), ds, FromAlertHeaders(),
		Query{RefID: "A", JSON: []byte(queryText), From: now.Add(-time.Hour), To: now.Add(-55 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	alert := res["A"]
	if alert.Error != "" || len(alert.Frames) != 1 {
		t.Fatalf("alert QueryData: %q, %d frames", alert.Error, len(alert.Frames))
	}
	cols, err := frameColumnsLabelled(alert.Frames[0], n, labels)
	if err != nil {
		t.Errorf("alert frame: %v", err)
	} else if len(cols.times) == 0 {
		t.Error("alert frame has no rows to evaluate")
	}
	instances := map[string]bool{}
	for _, f := range alert.Frames[0].Fields[1:] {
		instances[f.Labels.String()] = true
	}
	if len(instances) != n {
		t.Errorf("alert frame has %d distinct label sets %v, want %d instances", len(instances), instances, n)
	}

	// The stream: its schema carries the same labels and names, its values
	// are the history's.
	initial, schema := decodeInitial(t, "SubscribeStream", subscribe(t, p, ds, path, nil).Data)
	if _, err := frameColumnsLabelled(initial, n, labels); err != nil {
		t.Errorf("schema: %v", err)
	}
	checkDisplayNames(t, "schema", initial, n, name)
	s, err := p.RunStream(ctxFor(t, time.Minute), ds, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cancel()
	msgs := collectLabelledMessages(t, s, schema, n, labels, 1500*time.Millisecond)
	first, last := streamedRange(t, msgs)
	hist := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(queryText), From: msTime(first), To: msTime(last), MaxDataPoints: 10000})
	histCols, err := frameColumnsLabelled(hist.Frames[0], n, labels)
	if err != nil {
		t.Fatalf("history of the streamed range: %v", err)
	}
	compareWithHistory(t, msgs, histCols)
}

// longLabelsQuery is a query whose definition does not fit Grafana's 160
// characters, and that definition written by hand.
func longLabelsQuery(seed int) (query []byte, definition, labels string) {
	team := strings.Repeat("platform-", 12)
	labels = "host=web-$seriesIndex, team=" + team
	query = fmt.Appendf(nil, `{"tickInterval":100,"seed":%d,"series":2,"labels":"team=%s, host=web-$seriesIndex","alias":"${team} ${host}"}`, seed, team)
	definition = pathFor(100, "0", "100", int64(seed)) + "/series=2/labels=" + b64(labels) + "/alias=" + b64("${team} ${host}")
	return query, definition, labels
}

// TestLabelsLongDefinitionIsHashed: a definition too long for a channel id
// is named by its hash; QueryData hands the frontend the channel and the
// definition. A fresh plugin process (another Grafana instance, which
// never saw the QueryData) serves the channel from the subscribe data
// alone, with the first process's labels and values.
func TestLabelsLongDefinitionIsHashed(t *testing.T) {
	t.Parallel()
	p1, p2 := startPlugin(t), startPlugin(t)
	ds1, ds2 := defaultDS(), defaultDS()
	query, definition, labels := longLabelsQuery(3)
	if len("ds/tickstream/"+definition) <= 160 {
		t.Fatalf("the test's definition fits (%d characters); make it longer", len("ds/tickstream/"+definition))
	}

	now := time.Now()
	r := queryOne(t, p1, ds1, Query{RefID: "A", JSON: query, From: now.Add(-10 * time.Second), To: now})
	if r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("QueryData: %q, %d frames", r.Error, len(r.Frames))
	}
	meta := r.Frames[0].Meta
	if meta.Channel != "" {
		t.Errorf("meta.channel %q: @grafana/runtime would subscribe to it without the definition", meta.Channel)
	}
	custom, ok := meta.Custom.(map[string]any)
	if !ok {
		t.Fatalf("meta.custom %#v, want the hashed stream", meta.Custom)
	}
	id, _ := custom["tickstreamChannel"].(string)
	if got, _ := custom["tickstreamDefinition"].(string); got != definition {
		t.Errorf("meta.custom definition %q, want %q", got, definition)
	}
	path, found := strings.CutPrefix(id, "ds/tickstream/")
	if !found || len(id) > 160 || !strings.HasPrefix(path, "v1/sha256=") || strings.Trim(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/=.") != "" {
		t.Fatalf("hashed channel %q is not a data source channel within Grafana's rules", id)
	}
	if _, err := frameColumnsLabelled(r.Frames[0], 2, labels); err != nil {
		t.Errorf("history: %v", err)
	}

	subData := mustJSON(t, map[string]string{"definition": definition})
	initial, schema := decodeInitial(t, "fresh process", subscribe(t, p2, ds2, path, subData).Data)
	if _, err := frameColumnsLabelled(initial, 2, labels); err != nil {
		t.Errorf("schema: %v", err)
	}
	checkDisplayNames(t, "schema", initial, 2, func(j int) string { return fmt.Sprintf("%s web-%d", strings.Repeat("platform-", 12), j) })
	s, err := p2.RunStream(ctxFor(t, time.Minute), ds2, path, subData)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cancel()
	msgs := collectLabelledMessages(t, s, schema, 2, labels, 1500*time.Millisecond)
	first, last := streamedRange(t, msgs)
	hist := queryOne(t, p1, ds1, Query{RefID: "A", JSON: query, From: msTime(first), To: msTime(last), MaxDataPoints: 10000})
	histCols, err := frameColumnsLabelled(hist.Frames[0], 2, labels)
	if err != nil {
		t.Fatalf("history of the streamed range: %v", err)
	}
	compareWithHistory(t, msgs, histCols)
}

// TestLabelsHashedChannelServesOnlyItsDefinition: a hashed channel is
// refused without its definition, with the definition of any other stream,
// and when the definition fits a channel id of its own; RunStream given
// another definition than the path's sends nothing, while the right one
// streams.
func TestLabelsHashedChannelServesOnlyItsDefinition(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	_, definition, _ := longLabelsQuery(3)
	_, other, _ := longLabelsQuery(4)
	r := queryOne(t, p, ds, Query{RefID: "A", JSON: mustJSON(t, map[string]any{"seed": 3}), From: time.Now().Add(-time.Minute), To: time.Now()})
	short := r.Frames[0].Meta.Channel // a definition that fits
	path := hashedPathOf(t, p, ds, 3)
	if want := "v1/sha256=" + b64sha(definition); path != want {
		t.Fatalf("hashed path %q, want %q: the SHA-256 of the canonical path", path, want)
	}
	def := func(d string) []byte { return mustJSON(t, map[string]string{"definition": d}) }

	cases := []struct {
		name    string
		path    string
		subData []byte
		want    any
	}{
		{"no subscribe data (what @grafana/runtime sends by itself)", path, nil, statusNotFound},
		{"empty definition", path, def(""), statusNotFound},
		{"not an object", path, []byte(`"` + definition + `"`), statusNotFound},
		{"a definition that is no stream", path, def("v1/t=0/lo=0/hi=100/seed=0"), statusNotFound},
		{"a definition that is not canonical", path, def(strings.Replace(definition, "seed=3", "seed=03", 1)), statusNotFound},
		{"another stream's definition", path, def(other), statusDenied},
		{"the hash of a definition that fits", "v1/sha256=" + b64sha(strings.TrimPrefix(short, "ds/tickstream/")), def(strings.TrimPrefix(short, "ds/tickstream/")), statusNotFound},
		{"a malformed hash", "v1/sha256=abc", def(definition), statusNotFound},
		{"its own definition", path, def(definition), statusOK},
	}
	for _, c := range cases {
		if got := subscribe(t, p, ds, c.path, c.subData).Status; got != c.want {
			t.Errorf("%s: status %v, want %v", c.name, got, c.want)
		}
	}

	// RunStream reads its definition from its own data and checks it
	// again: the wrong one idles, the right one streams.
	wrong, err := p.RunStream(ctxFor(t, time.Minute), ds, path, def(other))
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Cancel()
	right, err := p.RunStream(ctxFor(t, time.Minute), ds, path, def(definition))
	if err != nil {
		t.Fatal(err)
	}
	defer right.Cancel()
	select {
	case <-right.Packets():
	case <-time.After(10 * time.Second):
		t.Fatal("the stream with its own definition sent nothing in 10 s")
	}
	select {
	case pkt, ok := <-wrong.Packets():
		if ok {
			t.Errorf("the stream run with another definition sent %.200s", pkt.Data)
		} else {
			t.Errorf("the stream run with another definition ended (%v); Grafana would retry it forever", wrong.Err())
		}
	case <-time.After(500 * time.Millisecond): // several ticks of the right one
	}
	assertAlive(t, p)
}

// hashedPathOf returns the hashed channel path QueryData gives
// longLabelsQuery(seed).
func hashedPathOf(t *testing.T, p *Plugin, ds DataSource, seed int) string {
	t.Helper()
	query, _, _ := longLabelsQuery(seed)
	r := queryOne(t, p, ds, Query{RefID: "A", JSON: query, From: time.Now().Add(-time.Minute), To: time.Now()})
	custom, _ := r.Frames[0].Meta.Custom.(map[string]any)
	id, _ := custom["tickstreamChannel"].(string)
	path, found := strings.CutPrefix(id, "ds/tickstream/")
	if !found {
		t.Fatalf("no hashed channel for seed %d: meta %+v", seed, r.Frames[0].Meta)
	}
	return path
}

// b64sha is the path encoding of the SHA-256 of text.
func b64sha(text string) string {
	sum := sha256.Sum256([]byte(text))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// TestLabelsVariableQuery: a variable query lists the values of one label
// across the query's series, in series order, the same in every process
// (so "repeat by variable" and "All" are stable); a labelKey the query does
// not define gets an error naming labelKey.
func TestLabelsVariableQuery(t *testing.T) {
	t.Parallel()
	p1, p2 := startPlugin(t), startPlugin(t)
	ds := defaultDS()
	now := time.Now()
	variable := func(p *Plugin, labelKey string) Result {
		return queryOne(t, p, ds, Query{RefID: "V", QueryType: "labelValues", From: now.Add(-time.Hour), To: now,
			JSON: mustJSON(t, map[string]any{"series": 5, "labels": "host=web-$seriesIndex, dc=eu", "labelKey": labelKey})})
	}
	for _, p := range []*Plugin{p1, p2} {
		r := variable(p, "host")
		if r.Error != "" || len(r.Frames) != 1 || len(r.Frames[0].Fields) != 1 {
			t.Fatalf("variable query: %q, frames %v", r.Error, r.Frames)
		}
		f := r.Frames[0].Fields[0]
		var got []string
		for i := range f.Len() {
			got = append(got, fmt.Sprint(f.At(i)))
		}
		if want := []string{"web-1", "web-2", "web-3", "web-4", "web-5"}; f.Name != "text" || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("variable values: field %q %q, want text %q", f.Name, got, want)
		}
	}
	r := variable(p1, "region")
	if want := "labelKey must be one of the query's label keys, dc, host; got a string"; r.Error != want || r.ErrorSource != "downstream" {
		t.Errorf("unknown labelKey: error %q (%s), want %q", r.Error, r.ErrorSource, want)
	}
}
