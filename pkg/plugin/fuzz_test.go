package plugin

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/models"
)

// fuzzSettings are the data source settings FuzzQueryData picks from: the
// defaults, the widest the settings allow, and a strict one.
var fuzzSettings = []string{
	`{}`,
	`{"minTickInterval":1,"maxPointsPerSecond":10000000,"maxSeries":10000,"maxMessageRate":1000}`,
	`{"minTickInterval":1000,"maxPointsPerSecond":1,"maxSeries":1}`,
	`{"minTickInterval":0}`, // broken: every query gets the settings error
}

// FuzzQueryData drives QueryData, the handler any viewer or API caller
// reaches with a query, a time range and maxDataPoints of their choosing:
// nothing panics, the refId gets exactly one response, an error is a
// downstream error without frames, and a frame never holds more than
// min(maxDataPoints or 1000, 10000, 1000000 / series) rows, all of them
// distinct grid ticks inside the range with values inside the limits; a
// range without ticks gets the typed frame without fields that alert rules
// read as No Data.
func FuzzQueryData(f *testing.F) {
	const year = 365 * 24 * 3600 * 1000
	now := time.Now().UnixMilli()
	for _, c := range []struct {
		query         string
		from, to, mdp int64
		settings      uint8
	}{
		{`{}`, now - 3600_000, now, 1000, 0},
		{`{"refId":"A","tickInterval":500,"lowerLimit":-5,"upperLimit":5}`, now - 60_000, now, 0, 0},
		{`{"tickInterval":10}`, now - 100*year, now, 0, 0},                 // 100 years at 10 ms
		{`{"tickInterval":10}`, now - 100*year, now, 1_000_000_000_000, 0}, // and a huge maxDataPoints
		{`{"tickInterval":1,"series":10000}`, math.MinInt64, math.MaxInt64, math.MaxInt64, 1},
		{`{"tickInterval":1,"series":10000}`, 0, now, 0, 0}, // refused: maxSeries
		{`{"shape":"sine","period":1,"noise":1,"series":100}`, now - year, now + year, -1, 0},
		{`{"tickInterval":86400000,"lowerLimit":-1e308,"upperLimit":1e308}`, -8.64e15, 8.64e15, 10000, 1},
		{`{"tickInterval":`, now - 1e12, now, 1e12, 0}, // bad query, giant range
		{`{"seed":1e999}`, now - 60_000, now, 0, 2},
		{`{}`, now, now - 60_000, 1000, 0}, // inverted range
		{`{}`, now - 60_000, now, 1000, 3}, // broken settings
		{`{"failPercent":100,"failSource":"plugin"}`, now - 60_000, now, 1000, 0},
		{`{"queryDelay":60000,"queryDelayJitter":60000}`, now - 60_000, now, 1000, 0}, // cut short
	} {
		f.Add([]byte(c.query), c.from, c.to, c.mdp, c.settings)
	}
	dss := make([]*Datasource, len(fuzzSettings))
	for i, js := range fuzzSettings {
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "tickstream", JSONData: json.RawMessage(js)})
		if err != nil {
			f.Fatal(err)
		}
		dss[i] = inst.(*Datasource)
	}
	f.Fuzz(func(t *testing.T, query []byte, fromMs, toMs, mdp int64, which uint8) {
		d := dss[int(which)%len(dss)]
		from, to := time.UnixMilli(fromMs), time.UnixMilli(toMs)
		// A queryDelay is cut short: the waiting query gets its error.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{
			RefID: "A", JSON: query, MaxDataPoints: mdp, TimeRange: backend.TimeRange{From: from, To: to},
		}}})
		if err != nil {
			t.Fatalf("QueryData failed as a call: %v", err)
		}
		if len(resp.Responses) != 1 {
			t.Fatalf("%d responses for one refId", len(resp.Responses))
		}
		r, ok := resp.Responses["A"]
		if !ok {
			t.Fatal("no response for refId A")
		}
		if r.Error != nil {
			_, f, _ := models.ParseQueryFaults(query, d.settings)
			planned := f.Fails() && f.FailSource == models.FailSourcePlugin // failSource plugin, as asked
			if r.ErrorSource != backend.ErrorSourceDownstream && !planned || len(r.Frames) != 0 {
				t.Fatalf("error %q with source %q and %d frames", r.Error, r.ErrorSource, len(r.Frames))
			}
			return
		}
		q, errs := models.ParseQuery(query, d.settings)
		if errs != nil {
			t.Fatalf("answered a query its settings refuse: %v", errs)
		}
		if len(r.Frames) != 1 {
			t.Fatalf("%d frames, want 1", len(r.Frames))
		}
		fr := r.Frames[0]
		if len(fr.Fields) == 0 { // no rows in the range: the dataplane's No Data, of the query's type
			if fr.Meta == nil || fr.Meta.Type != newFramer(q).schema().Meta.Type {
				t.Fatalf("a frame without fields has meta %+v, not the type of the query's frame", fr.Meta)
			}
			return
		}
		if len(fr.Fields) != int(1+q.Series) {
			t.Fatalf("%d fields for %d series", len(fr.Fields), q.Series)
		}
		rows := int64(fr.Rows())
		if limit := pointLimit(mdp, q.Series); rows > limit || rows*q.Series > maxQueryPoints {
			t.Fatalf("%d rows × %d series, more than the limit %d per series or %d in all", rows, q.Series, limit, maxQueryPoints)
		}
		prev := int64(math.MinInt64)
		for i := range int(rows) {
			tm, ok := fr.Fields[0].At(i).(time.Time)
			if !ok {
				t.Fatalf("row %d: time is %T", i, fr.Fields[0].At(i))
			}
			ms := tm.UnixMilli()
			if ms%q.TickInterval != 0 || ms <= prev || tm.Before(from) || tm.After(to) {
				t.Fatalf("row %d at %d: off the %d ms grid, out of order or outside %d..%d", i, ms, q.TickInterval, fromMs, toMs)
			}
			prev = ms
			for s := 1; s <= int(q.Series); s++ {
				v, ok := fr.Fields[s].At(i).(float64)
				if !ok || !(v >= q.LowerLimit && v <= q.UpperLimit) {
					t.Fatalf("row %d series %d: value %v outside [%v, %v]", i, s, fr.Fields[s].At(i), q.LowerLimit, q.UpperLimit)
				}
			}
		}
	})
}
