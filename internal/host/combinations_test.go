package host

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The fields of names and dashboards (labels, alias, the variable query)
// combined with those of gaps, csv, states and logs, through the real
// executable: each pairing either works, live equal to history, or is
// refused naming the field (rule 29).

// longValues is a csv values list long enough that no channel id holds it:
// n numbers from 0 to 99.
func longValues(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = strconv.Itoa(i * 7 % 100)
	}
	return strings.Join(items, ",")
}

// TestCombinationsHashedGapsStreams: a csv values list of 200 numbers
// makes the stream's definition too long for a channel id, as the labels
// of issue 10 do; with numbers, states and log lines alike, a plugin
// process that never saw the QueryData serves the hashed channel from the
// subscribe data alone, and what it streams is the history of the other
// process row for row.
func TestCombinationsHashedGapsStreams(t *testing.T) {
	t.Parallel()
	values := longValues(200)
	cases := []struct {
		name   string
		query  map[string]any
		fields string
	}{
		{"csv numbers with nulls", map[string]any{"tickInterval": 20, "shape": "csv", "values": values, "series": 2, "dropPercent": 10},
			"time,value,value"},
		{"csv states with labels and alias", map[string]any{"tickInterval": 20, "shape": "csv", "values": values, "kind": "state",
			"states": "LOW,MID,HIGH", "labels": "host=web-$seriesIndex", "alias": "state ${host}", "series": 2}, "time,value,value"},
		{"csv logs with labels", map[string]any{"tickInterval": 20, "shape": "csv", "values": values, "kind": "logs",
			"labels": "host=web-$seriesIndex", "series": 2}, "timestamp,body,severity,id,labels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p1, p2 := startPlugin(t), startPlugin(t)
			ds := defaultDS()
			query := mustJSON(t, c.query)
			now := time.Now()
			r := queryOne(t, p1, ds, Query{RefID: "A", JSON: query, From: now.Add(-time.Second), To: now})
			if r.Error != "" || len(r.Frames) != 1 {
				t.Fatalf("QueryData: %q, %d frames", r.Error, len(r.Frames))
			}
			meta := r.Frames[0].Meta
			custom, _ := meta.Custom.(map[string]any)
			id, _ := custom["tickstreamChannel"].(string)
			definition, _ := custom["tickstreamDefinition"].(string)
			path, found := strings.CutPrefix(id, "ds/"+ds.UID+"/")
			if meta.Channel != "" || !found || len(id) > 160 || !strings.HasPrefix(path, "v1/sha256=") || len("ds/"+ds.UID+"/"+definition) <= 160 {
				t.Fatalf("meta.channel %q, meta.custom %v: want a hashed channel for a definition that does not fit", meta.Channel, meta.Custom)
			}

			subData := mustJSON(t, map[string]string{"definition": definition})
			resp := subscribe(t, p2, ds, path, subData)
			if resp.Status != statusOK {
				t.Fatalf("fresh process: SubscribeStream status %v, want OK", resp.Status)
			}
			initial, schema := decodeInitial(t, "fresh process", resp.Data)
			if got := strings.Join(tableOf(t, "schema", initial).names, ","); got != c.fields {
				t.Errorf("schema fields %s, want %s", got, c.fields)
			}
			s, err := p2.RunStream(ctxFor(t, time.Minute), ds, path, subData)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Cancel()
			msgs := streamTables(t, s, schema, 1500*time.Millisecond)
			first, last, rows := int64(math.MaxInt64), int64(math.MinInt64), 0
			for _, m := range msgs {
				for _, key := range m.keys {
					ms := mustInt(t, key)
					first, last = min(first, ms), max(last, ms)
					rows++
				}
			}
			if rows == 0 {
				t.Fatal("the fresh process streamed no rows")
			}
			h := queryOne(t, p1, ds, Query{RefID: "A", JSON: query, From: msTime(first), To: msTime(last), MaxDataPoints: 10000})
			if h.Error != "" || len(h.Frames) != 1 {
				t.Fatalf("history: %q, %d frames", h.Error, len(h.Frames))
			}
			hist := tableOf(t, "history", h.Frames[0])
			for _, m := range msgs {
				for _, key := range m.keys {
					if got, want := strings.Join(m.rows[key], "|"), strings.Join(hist.rows[key], "|"); got != want {
						t.Fatalf("streamed row %s, history has %s", got, want)
					}
				}
			}
			if len(hist.keys) != rows {
				t.Errorf("%d rows streamed between %d and %d, history has %d", rows, first, last, len(hist.keys))
			}
		})
	}
}

// TestCombinationsLabelsWithStatesAndLogs: labels and alias reach the
// state kind's value fields, in history and in the stream's schema; the
// logs kind carries the labels on every line (also with one series); and
// a path with an alias for log lines is refused, as the query is.
func TestCombinationsLabelsWithStatesAndLogs(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()

	t.Run("state", func(t *testing.T) {
		path := "v1/t=20/lo=0/hi=100/seed=0/shape=sine/period=1000/series=2/labels=" + b64("host=web-$seriesIndex") +
			"/alias=" + b64("state ${host}") + "/kind=state/states=LOW.HIGH"
		query := `{"tickInterval":20,"shape":"sine","period":1000,"series":2,"labels":"host=web-$seriesIndex","alias":"state ${host}","kind":"state","states":"LOW,HIGH"}`
		hist, _ := liveAndHistory(t, p, path, query, 1500*time.Millisecond)
		if got := strings.Join(hist.types, ","); got != "[]time.Time,[]string,[]string" {
			t.Errorf("fields %s, want a time and a string per series", got)
		}
		initial, _ := decodeInitial(t, "schema", subscribe(t, p, ds, path, nil).Data)
		now := time.Now()
		r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(query), From: now.Add(-time.Second), To: now})
		for what, f := range map[string]*data.Frame{"schema": initial, "history": r.Frames[0]} {
			checkDisplayNames(t, what, f, 2, func(j int) string { return fmt.Sprintf("state web-%d", j) })
			for j := 1; j <= 2; j++ {
				if got, want := f.Fields[j].Labels.String(), fmt.Sprintf("host=web-%d", j); got != want {
					t.Errorf("%s: series %d labels %s, want %s", what, j, got, want)
				}
			}
		}
	})

	t.Run("logs", func(t *testing.T) {
		path := "v1/t=20/lo=0/hi=100/seed=0/labels=" + b64("dc=eu, host=web-1") + "/kind=logs"
		hist, _ := liveAndHistory(t, p, path, `{"tickInterval":20,"labels":"host=web-1, dc=eu","kind":"logs"}`, 1500*time.Millisecond)
		for i, labels := range hist.column(t, "labels") {
			if labels != `{"dc":"eu","host":"web-1"}` {
				t.Fatalf("line %d has labels %s, want the query's", i, labels)
			}
		}
		aliased := path[:strings.Index(path, "/kind=")] + "/alias=" + b64("cpu") + "/kind=logs"
		if got := subscribe(t, p, ds, aliased, nil).Status; got != statusNotFound {
			t.Errorf("SubscribeStream of an alias for log lines: status %v, want NotFound", got)
		}
	})
}

// TestCombinationsVariableQueryWithKinds: a variable query lists the label
// values of a query of any kind, since the labels of states and log lines
// are those of numbers; the kind's own fields are still checked.
func TestCombinationsVariableQueryWithKinds(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	now := time.Now()
	for _, kind := range []map[string]any{{"kind": "state", "states": "OK,CRIT"}, {"kind": "logs", "dropPercent": 50}} {
		q := map[string]any{"series": 3, "labels": "host=web-$seriesIndex", "labelKey": "host"}
		for k, v := range kind {
			q[k] = v
		}
		r := queryOne(t, p, ds, Query{RefID: "V", QueryType: "labelValues", From: now.Add(-time.Hour), To: now, JSON: mustJSON(t, q)})
		if r.Error != "" || len(r.Frames) != 1 || len(r.Frames[0].Fields) != 1 {
			t.Fatalf("%v: variable query %q, frames %v", kind, r.Error, r.Frames)
		}
		var got []string
		for i := range r.Frames[0].Fields[0].Len() {
			got = append(got, fmt.Sprint(r.Frames[0].Fields[0].At(i)))
		}
		if strings.Join(got, ",") != "web-1,web-2,web-3" {
			t.Errorf("%v: values %v, want web-1,web-2,web-3", kind, got)
		}
	}
	bad := mustJSON(t, map[string]any{"labels": "host=web-1", "labelKey": "host", "kind": "state"})
	r := queryOne(t, p, ds, Query{RefID: "V", QueryType: "labelValues", From: now.Add(-time.Hour), To: now, JSON: bad})
	if !strings.HasPrefix(r.Error, "states must be 1 to 100 names") {
		t.Errorf("a variable query of kind state without states: error %q, want the states error", r.Error)
	}
}
