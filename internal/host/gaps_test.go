package host

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Issue 11 through the real executable: nulls, outages, csv values,
// states and log lines, each streamed live and returned as history, and
// the two agree row for row and bit for bit.

// table is a frame reduced to what a viewer sees: its fields' names and
// types, and its rows keyed by time (and, for log lines, by id), each
// row's cells as exact text, "null" for a null.
type table struct {
	names, types []string
	rows         map[string][]string
	keys         []string // in frame order
	meta         *data.FrameMeta
}

// cellText is the exact text of one cell: floats to the last bit.
func cellText(f *data.Field, i int) string {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return "null"
	}
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return strconv.FormatInt(v.UnixMilli(), 10)
	case json.RawMessage:
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}

// tableOf reduces f; the key of a row is its time, and its id when the
// frame has one (log lines).
func tableOf(t *testing.T, what string, f *data.Frame) table {
	t.Helper()
	tb := table{rows: map[string][]string{}, meta: f.Meta}
	id := -1
	for j, field := range f.Fields {
		tb.names = append(tb.names, field.Name)
		tb.types = append(tb.types, field.Type().String())
		if field.Name == "id" {
			id = j
		}
	}
	if len(f.Fields) == 0 || !f.Fields[0].Type().Time() {
		t.Fatalf("%s: the first field is not a time: %v", what, tb.names)
	}
	for i := range f.Fields[0].Len() {
		row := make([]string, len(f.Fields))
		for j, field := range f.Fields {
			row[j] = cellText(field, i)
		}
		key := row[0]
		if id >= 0 {
			key += "/" + row[id]
		}
		if _, dup := tb.rows[key]; dup {
			t.Fatalf("%s: row %s twice", what, key)
		}
		tb.rows[key] = row
		tb.keys = append(tb.keys, key)
	}
	return tb
}

// streamTables reads s for d and reduces every message against schema.
func streamTables(t *testing.T, s *Stream, schema json.RawMessage, d time.Duration) []table {
	t.Helper()
	var out []table
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case pkt, ok := <-s.Packets():
			if !ok {
				t.Fatalf("the stream ended by itself after %d messages: %v", len(out), s.Err())
			}
			if _, has, err := FrameSchema(pkt.Data); err != nil || has {
				t.Fatalf("streamed frame is not data-only (err %v): %.200s", err, pkt.Data)
			}
			f, err := DecodeFrame(pkt.Data, schema)
			if err != nil {
				t.Fatalf("streamed frame: %v: %.300s", err, pkt.Data)
			}
			out = append(out, tableOf(t, "streamed frame", f))
		case <-timer.C:
			return out
		}
	}
}

// liveAndHistory streams path for d, then asks QueryData for the streamed
// range with queryJSON (the same stream), and checks that the schema is
// the history's fields and that every streamed row is the history's row.
// It returns the history and the streamed rows.
func liveAndHistory(t *testing.T, p *Plugin, path, queryJSON string, d time.Duration) (table, []table) {
	t.Helper()
	ds := defaultDS()
	schema, s := openStream(t, p, ds, path)
	msgs := streamTables(t, s, schema, d)
	s.Cancel()
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	rows := 0
	for _, m := range msgs {
		for _, key := range m.keys {
			ts, err := strconv.ParseInt(m.rows[key][0], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			first, last = min(first, ts), max(last, ts)
			rows++
		}
	}
	if rows == 0 {
		t.Fatalf("%s: no rows streamed in %v", path, d)
	}
	r := queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(queryJSON), From: msTime(first), To: msTime(last), MaxDataPoints: 10000})
	if r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("%s: history error %q, %d frames", path, r.Error, len(r.Frames))
	}
	hist := tableOf(t, "history", r.Frames[0])
	if hist.meta == nil || hist.meta.Channel != "ds/"+ds.UID+"/"+path {
		t.Errorf("history points at %+v, want the channel of %s", hist.meta, path)
	}
	for _, m := range msgs {
		if strings.Join(m.names, ",") != strings.Join(hist.names, ",") || strings.Join(m.types, ",") != strings.Join(hist.types, ",") {
			t.Fatalf("streamed fields %v %v, history's %v %v", m.names, m.types, hist.names, hist.types)
		}
		for _, key := range m.keys {
			want, ok := hist.rows[key]
			if got := m.rows[key]; !ok || strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("%s: streamed row %v, history has %v (present %v)", path, got, want, ok)
			}
		}
	}
	if len(hist.rows) != rows {
		t.Errorf("%s: %d rows streamed between %d and %d, history has %d", path, rows, first, last, len(hist.rows))
	}
	return hist, msgs
}

// column returns the cells of the field name, in row order.
func (tb table) column(t *testing.T, name string) []string {
	t.Helper()
	for j, n := range tb.names {
		if n == name {
			out := make([]string, len(tb.keys))
			for i, key := range tb.keys {
				out[i] = tb.rows[key][j]
			}
			return out
		}
	}
	t.Fatalf("no field %q in %v", name, tb.names)
	return nil
}

func TestGapsNullsAreTheSameLiveAndInHistory(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	const queryJSON = `{"tickInterval":20,"seed":4,"series":2,"dropPercent":30}`
	hist, _ := liveAndHistory(t, p, "v1/t=20/lo=0/hi=100/seed=4/series=2/drop=30", queryJSON, 2*time.Second)
	if got := strings.Join(hist.types, ","); got != "[]time.Time,[]*float64,[]*float64" {
		t.Errorf("fields %s, want a time and two nullable float64", got)
	}
	if nulls, cells := nullCells(hist); nulls == 0 {
		t.Errorf("no null among the %d values streamed: the comparison with history never saw a dropped point", cells)
	}

	// The share of dropped points, over a fixed range of 1,000 ticks: the
	// same every run, where the live window's 100 ticks of the wall clock
	// would put it anywhere from 20 to 40 %.
	from := time.UnixMilli(1_700_000_000_000).UTC()
	r := queryOne(t, p, defaultDS(), Query{RefID: "A", JSON: []byte(queryJSON), From: from, To: from.Add(20 * time.Second), MaxDataPoints: 10000})
	if r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("history error %q, %d frames", r.Error, len(r.Frames))
	}
	fixed := tableOf(t, "history", r.Frames[0])
	if nulls, cells := nullCells(fixed); cells < 2000 || nulls*100 < cells*27 || nulls*100 > cells*33 {
		t.Errorf("%d of %d values null over 20 s at dropPercent 30, want 27 to 33 %%", nulls, cells)
	}
}

// nullCells counts the null cells of tb's value fields (all but the
// first, the time), and all their cells.
func nullCells(tb table) (nulls, cells int) {
	for _, key := range tb.keys {
		for _, c := range tb.rows[key][1:] {
			cells++
			if c == "null" {
				nulls++
			}
		}
	}
	return nulls, cells
}

func TestGapsOutagesHaveNoRowsAndNoMessages(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	// 40 % of every 1.5 s has no data; at a 50 ms tick messages go out
	// every tick, so a message arriving inside an outage would show.
	hist, msgs := liveAndHistory(t, p, "v1/t=50/lo=0/hi=100/seed=4/outage=1500_600",
		`{"tickInterval":50,"seed":4,"outagePeriod":1500,"outageDuration":600}`, 4*time.Second)
	inOutage := func(ts string) bool {
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return ms%1500 < 600
	}
	for _, ts := range hist.column(t, "time") {
		if inOutage(ts) {
			t.Fatalf("history has a row at %s, inside an outage", ts)
		}
	}
	for _, m := range msgs {
		if len(m.keys) == 0 {
			t.Fatal("an empty message was sent")
		}
		for _, ts := range m.column(t, "time") {
			if inOutage(ts) {
				t.Fatalf("a message has a row at %s, inside an outage", ts)
			}
		}
	}
	if len(hist.rows) < 40 {
		t.Errorf("%d rows in 4 s at 60 %% of 20 a second: data is missing outside the outages", len(hist.rows))
	}

	// An alert rule evaluated over a range inside an outage gets the typed
	// frame without fields: No Data, on schedule (TestAlertRuleReadsOutagesAsNoData).
	now := time.Now().UnixMilli()
	start := now - now%1500 - 1500 // the last whole outage
	res, err := p.QueryDataWithHeaders(ctxFor(t, 30*time.Second), defaultDS(), FromAlertHeaders(), Query{RefID: "A",
		JSON: []byte(`{"tickInterval":50,"seed":4,"outagePeriod":1500,"outageDuration":600}`),
		From: msTime(start), To: msTime(start + 599)})
	if err != nil {
		t.Fatal(err)
	}
	if r := res["A"]; r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("alert query: error %q, %d frames", r.Error, len(r.Frames))
	} else if f := r.Frames[0]; len(f.Fields) != 0 {
		t.Errorf("alert query inside an outage: %d fields, want none (No Data)", len(f.Fields))
	}
}

func TestGapsCSVValuesAreExact(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	hist, _ := liveAndHistory(t, p, "v1/t=20/lo=0/hi=100/seed=0/shape=csv/series=2/values=1_2_3_5_8.5",
		`{"tickInterval":20,"shape":"csv","values":"1, 2, 3, 5, 8.5","series":2}`, 2*time.Second)
	values := []string{"1", "2", "3", "5", "8.5"}
	for i, key := range hist.keys {
		row := hist.rows[key]
		ms, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		k := ms / 20
		for s := 1; s <= 2; s++ {
			if want := values[(k+int64(s)-1)%5]; row[s] != want {
				t.Fatalf("row %d (tick %d) series %d: %s, want values[(k + %d) mod 5] = %s", i, k, s, row[s], s-1, want)
			}
		}
	}
}

func TestGapsStatesFollowTheBands(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	const numbers = `{"tickInterval":20,"lowerLimit":-3,"upperLimit":3,"shape":"sine","period":1000,"dropPercent":10}`
	hist, _ := liveAndHistory(t, p, "v1/t=20/lo=-3/hi=3/seed=0/shape=sine/period=1000/drop=10/kind=state/states=LOW.OK.HIGH",
		`{"tickInterval":20,"lowerLimit":-3,"upperLimit":3,"shape":"sine","period":1000,"dropPercent":10,"kind":"state","states":"LOW,OK,HIGH"}`,
		2*time.Second)
	if got := strings.Join(hist.types, ","); got != "[]time.Time,[]*string" {
		t.Errorf("fields %s, want a time and a nullable string", got)
	}
	// The same query as numbers: each state is the band its number is in.
	r := queryOne(t, p, defaultDS(), Query{RefID: "A", JSON: []byte(numbers), MaxDataPoints: 10000,
		From: msTime(mustInt(t, hist.keys[0])), To: msTime(mustInt(t, hist.keys[len(hist.keys)-1]))})
	num := tableOf(t, "numbers", r.Frames[0])
	seen := map[string]bool{}
	for _, key := range hist.keys {
		state, v := hist.rows[key][1], num.rows[key][1]
		if state == "null" || v == "null" {
			if state != v {
				t.Fatalf("at %s: state %s but number %s: nulls differ", key, state, v)
			}
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		want := "OK"
		if x < -1 {
			want = "LOW"
		} else if x >= 1 {
			want = "HIGH"
		}
		if state != want {
			t.Fatalf("at %s: value %v is state %s, want %s", key, x, state, want)
		}
		seen[state] = true
	}
	if len(seen) != 3 {
		t.Errorf("a sine over two periods went through %v, want all three states", seen)
	}
}

func TestGapsLogLines(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	hist, _ := liveAndHistory(t, p, "v1/t=10/lo=5/hi=500/seed=9/shape=walk/series=3/drop=10/kind=logs",
		`{"tickInterval":10,"lowerLimit":5,"upperLimit":500,"seed":9,"shape":"walk","series":3,"dropPercent":10,"kind":"logs"}`,
		3*time.Second)
	if hist.meta.Type != data.FrameTypeLogLines || hist.meta.PreferredVisualization != data.VisTypeLogs {
		t.Errorf("meta %+v, want the log-lines type shown as logs", hist.meta)
	}
	if got := strings.Join(hist.names, ","); got != "timestamp,body,severity,id,labels" {
		t.Errorf("fields %s, want the logs contract's timestamp,body,severity,id,labels", got)
	}
	levels := map[string]int{}
	perSeries := map[string]int{}
	for _, key := range hist.keys {
		row := hist.rows[key]
		levels[row[2]]++
		perSeries[row[4]]++
		body := row[1]
		for _, field := range []string{" method=", " path=/", " status=", " latency_ms=", " user=u"} {
			if !strings.Contains(body, field) {
				t.Fatalf("line %q has no%s field", body, field)
			}
		}
	}
	n := len(hist.keys)
	if levels["info"] < n/2 || levels["debug"] == 0 || levels["warning"] == 0 || levels["error"] == 0 || levels["info"]+levels["debug"]+levels["warning"]+levels["error"]+levels["critical"] != n {
		t.Errorf("levels %v of %d lines: want mostly info, some debug, warning and error, nothing else", levels, n)
	}
	if len(perSeries) != 3 || perSeries[`{"series":"1"}`] == 0 {
		t.Errorf("lines per series label %v, want three series", perSeries)
	}
}

func mustInt(t *testing.T, key string) int64 {
	t.Helper()
	ms, err := strconv.ParseInt(strings.SplitN(key, "/", 2)[0], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// plainNumbers reports whether the vector's frame is plain numbers: a time
// and a float64 value per series without nulls, which frameColumns reads.
func (v validQuery) plainNumbers() bool {
	return (v.Kind == "" || v.Kind == "number") && v.DropPercent == 0 && v.OutagePeriod == 0
}

// gapsFieldNames are the fields of the vector's frame.
func (v validQuery) gapsFieldNames() string {
	if v.Kind == "logs" {
		if v.seriesCount() > 1 {
			return "timestamp,body,severity,id,labels"
		}
		return "timestamp,body,severity,id"
	}
	return "time" + strings.Repeat(",value", v.seriesCount())
}

// checkGapsSchema checks the InitialData of a vector that is not plain
// numbers: a schema without rows, with the kind's fields.
func checkGapsSchema(t *testing.T, path string, initial []byte, v validQuery) {
	t.Helper()
	f, err := DecodeFrame(initial, nil)
	if err != nil {
		t.Errorf("%s: InitialData: %v", path, err)
		return
	}
	tb := tableOf(t, path, f)
	if got := strings.Join(tb.names, ","); got != v.gapsFieldNames() || len(tb.keys) != 0 {
		t.Errorf("%s: InitialData fields %s with %d rows, want %s and no rows", path, got, len(tb.keys), v.gapsFieldNames())
	}
}

// checkGapsHistory checks the history of a vector that is not plain
// numbers: the kind's fields, every row on the grid and outside the
// outages, and the pointer to the stream.
func checkGapsHistory(t *testing.T, name string, f *data.Frame, v validQuery, channel string) {
	t.Helper()
	tb := tableOf(t, name, f)
	if got := strings.Join(tb.names, ","); got != v.gapsFieldNames() {
		t.Errorf("%s: fields %s, want %s", name, got, v.gapsFieldNames())
	}
	for _, key := range tb.keys {
		ms := mustInt(t, key)
		if ms%v.TickInterval != 0 || v.OutagePeriod > 0 && ms%v.OutagePeriod < v.OutageDuration {
			t.Errorf("%s: a row at %d, off the %d ms grid or in an outage", name, ms, v.TickInterval)
		}
	}
	if len(tb.keys) == 0 && v.DropPercent < 100 && v.OutagePeriod == 0 {
		t.Errorf("%s: no rows", name)
	}
	if f.Meta == nil || f.Meta.Channel != channel {
		t.Errorf("%s: meta %+v, want channel %s", name, f.Meta, channel)
	}
}
