package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// series reads a frame's time and value fields, failing on any other shape.
func series(t *testing.T, frame *data.Frame) ([]time.Time, []float64) {
	t.Helper()
	if frame.Name != frameName || len(frame.Fields) != 2 || frame.Fields[0].Name != "time" || frame.Fields[1].Name != "value" {
		t.Fatalf("frame shape %q %v, want %q with fields time and value", frame.Name, frame.Fields, frameName)
	}
	times := make([]time.Time, frame.Rows())
	values := make([]float64, frame.Rows())
	for i := range times {
		tm, okT := frame.Fields[0].At(i).(time.Time)
		v, okV := frame.Fields[1].At(i).(float64)
		if !okT || !okV {
			t.Fatalf("row %d has types %T, %T", i, frame.Fields[0].At(i), frame.Fields[1].At(i))
		}
		times[i], values[i] = tm, v
	}
	return times, values
}

func TestQueryDataHistory(t *testing.T) {
	now := pinnedNow
	tests := []struct {
		name          string
		json          string
		from, to      time.Time
		maxDataPoints int64
		wantRows      int
		wantStep      int64 // ticks between kept points
		wantLive      bool
	}{
		{name: "a minute to now", json: `{}`, from: now.Add(-time.Minute), to: now, wantRows: 60, wantStep: 1, wantLive: true},
		{name: "odd edges stay on the grid", json: `{"tickInterval":250}`, from: now.Add(-10*time.Second + 123*time.Microsecond), to: now, wantRows: 40, wantStep: 1, wantLive: true},
		{name: "a range past now stops at now", json: `{}`, from: now.Add(-time.Minute), to: now.Add(time.Hour), wantRows: 60, wantStep: 1, wantLive: true},
		{name: "a range wholly in the future is empty", json: `{}`, from: now.Add(time.Minute), to: now.Add(time.Hour), wantRows: 0, wantStep: 1, wantLive: true},
		{name: "a day at 10 ms thinned to 500 points", json: `{"tickInterval":10}`, from: now.Add(-24 * time.Hour), to: now, maxDataPoints: 500, wantRows: 500, wantStep: 17280, wantLive: true},
		{name: "no maxDataPoints means 1000", json: `{"tickInterval":10}`, from: now.Add(-time.Hour), to: now, wantRows: 1000, wantStep: 360, wantLive: true},
		{name: "maxDataPoints is capped at 10000", json: `{"tickInterval":10}`, from: now.Add(-time.Hour), to: now, maxDataPoints: 1_000_000, wantRows: 10_000, wantStep: 36, wantLive: true},
		{name: "ending 4 s ago is live", json: `{}`, from: now.Add(-time.Minute), to: now.Add(-4 * time.Second), wantRows: 56, wantStep: 1, wantLive: true},
		{name: "ending 6 s ago is history", json: `{}`, from: now.Add(-time.Minute), to: now.Add(-6 * time.Second), wantRows: 54, wantStep: 1, wantLive: false},
		{name: "ending within two slow ticks is live", json: `{"tickInterval":10000}`, from: now.Add(-time.Hour), to: now.Add(-15 * time.Second), wantRows: 359, wantStep: 1, wantLive: true},
		{name: "before 1970", json: `{"tickInterval":1000}`, from: time.Unix(-10, 500_000_000), to: time.Unix(0, 0), wantRows: 10, wantStep: 1, wantLive: false},
		{name: "from after to is empty", json: `{}`, from: now, to: now.Add(-time.Minute), wantRows: 0, wantStep: 1, wantLive: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, `{}`)
			pinClock(d)
			q, errs := models.ParseQuery([]byte(tt.json), d.settings)
			if errs != nil {
				t.Fatal(errs)
			}
			frame := queryFrame(t, d, tt.json, tt.maxDataPoints, tt.from, tt.to)
			var times []time.Time
			var values []float64
			if tt.wantRows == 0 { // No Data for alert rules: the frame type without fields
				if len(frame.Fields) != 0 {
					t.Fatalf("a range without ticks has fields %v, want none", frame.Fields)
				}
			} else {
				times, values = series(t, frame)
			}
			if len(times) != tt.wantRows {
				t.Errorf("%d rows, want %d", len(times), tt.wantRows)
			}
			end := earlier(tt.to, now)
			step := tt.wantStep * q.TickInterval
			for i, tm := range times {
				ms := tm.UnixMilli()
				if ms%step != 0 || tm.Before(tt.from) || tm.After(end) || tm.Nanosecond()%int(time.Millisecond) != 0 {
					t.Fatalf("row %d at %v: off the %d ms grid of kept points or outside %v..%v", i, tm, step, tt.from, end)
				}
				if i > 0 && ms-times[i-1].UnixMilli() != step {
					t.Fatalf("rows %d and %d are %d ms apart, want %d", i-1, i, ms-times[i-1].UnixMilli(), step)
				}
				if want := signal.Value(q, ms/q.TickInterval); values[i] != want {
					t.Fatalf("row %d value %v, want %v", i, values[i], want)
				}
			}
			meta := frame.Meta
			if meta == nil || meta.Type != data.FrameTypeTimeSeriesMulti {
				t.Fatalf("meta %+v, want type %s", meta, data.FrameTypeTimeSeriesMulti)
			}
			wantChannel := ""
			if tt.wantLive {
				wantChannel = "ds/tickstream/" + channelPath(q)
			}
			if meta.Channel != wantChannel {
				t.Errorf("meta.channel %q, want %q", meta.Channel, wantChannel)
			}
		})
	}
}

// earlier returns the earlier of two times.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func TestQueryDataErrorsPerRefID(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	rng := backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "GOOD", JSON: []byte(`{"refId":"GOOD"}`), TimeRange: rng},
		{RefID: "TICK", JSON: []byte(`{"tickInterval":null}`), TimeRange: rng},
		{RefID: "LIMIT", JSON: []byte(`{"tickInterval":5}`), TimeRange: rng},
		{RefID: "NOTOBJECT", JSON: []byte(`[1]`), TimeRange: rng},
		{RefID: "ALSOGOOD", JSON: []byte(`{"seed":7}`), TimeRange: rng},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Responses) != 5 {
		t.Errorf("%d responses for 5 refIds", len(resp.Responses))
	}
	wantErrors := map[string]string{
		"TICK":      "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got null",
		"LIMIT":     "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got 5",
		"NOTOBJECT": "the query must be a JSON object; got an array",
	}
	for refID, r := range resp.Responses {
		want, bad := wantErrors[refID]
		switch {
		case bad && (r.Error == nil || r.Error.Error() != want):
			t.Errorf("%s: error %v, want %q", refID, r.Error, want)
		case bad && r.ErrorSource != backend.ErrorSourceDownstream:
			t.Errorf("%s: error source %q, want downstream", refID, r.ErrorSource)
		case !bad && (r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Rows() != 60):
			t.Errorf("%s: error %v, %d frames, want 60 points", refID, r.Error, len(r.Frames))
		}
	}
}

func TestQueryDataSettingsErrorReachesEveryRefID(t *testing.T) {
	d := newTestDatasource(t, `{"minTickInterval":0,"maxPointsPerSecond":"x"}`)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", JSON: []byte(`{}`)}, {RefID: "B", JSON: []byte(`{"tickInterval":0}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, refID := range []string{"A", "B"} {
		r := resp.Responses[refID]
		if r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream {
			t.Fatalf("%s: error %v from %q, want a downstream error", refID, r.Error, r.ErrorSource)
		}
		for _, want := range []string{"minTickInterval must be", "got 0", "maxPointsPerSecond must be", "got a string", "data source's settings"} {
			if !strings.Contains(r.Error.Error(), want) {
				t.Errorf("%s: error %q lacks %q", refID, r.Error, want)
			}
		}
	}
}

func TestQueryDataNamesALongDefinitionByItsHash(t *testing.T) {
	d := newTestDatasourceUID(t, strings.Repeat("u", 100), "")
	pinClock(d)
	rng := backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "SHORT", JSON: []byte(`{}`), TimeRange: rng},
		{RefID: "LONG", JSON: []byte(`{"lowerLimit":-1.2345678901234567e-300,"upperLimit":1.2345678901234567e300,"seed":9007199254740991}`), TimeRange: rng},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["SHORT"]; r.Error != nil || r.Frames[0].Meta.Channel == "" {
		t.Errorf("SHORT: %v", r.Error)
	}
	// A definition that does not fit is named by its hash and carried to
	// the frontend in meta.custom, since @grafana/runtime would follow a
	// meta.channel without the subscribe data the hashed channel needs.
	r := resp.Responses["LONG"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("LONG: error %v", r.Error)
	}
	meta := r.Frames[0].Meta
	hashed, ok := meta.Custom.(HashedStream)
	if meta.Channel != "" || !ok {
		t.Fatalf("LONG: meta.channel %q, meta.custom %#v; want no channel and a HashedStream", meta.Channel, meta.Custom)
	}
	q := pathQuery(t, "v1/t=1000/lo=-1.2345678901234568e-300/hi=1.2345678901234567e300/seed=9007199254740991")
	if want := "ds/" + d.uid + "/" + channel.HashedPath(channel.Format(q)); hashed.Channel != want || hashed.Definition != channel.Format(q) {
		t.Errorf("LONG: %+v, want channel %q and definition %q", hashed, want, channel.Format(q))
	}
}

func TestQueryDataRefusesAChannelNoHashMakesFit(t *testing.T) {
	d := newTestDatasourceUID(t, strings.Repeat("u", 104), "")
	pinClock(d)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", JSON: []byte(`{"labels":"team=` + strings.Repeat("x", 100) + `"}`), TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error == nil || !strings.Contains(r.Error.Error(), "shorter uid") || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("a 104-character uid: error %v (%q), want a downstream error asking for a shorter uid", r.Error, r.ErrorSource)
	}
}

func TestUserErrorIsDownstream(t *testing.T) {
	r := userError("x")
	if r.Error == nil || r.Error.Error() != "x" || r.ErrorSource != backend.ErrorSourceDownstream || r.Status != backend.StatusBadRequest {
		t.Errorf("userError = %+v", r)
	}
}

func BenchmarkQueryData(b *testing.B) {
	b.ReportAllocs()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "tickstream"})
	if err != nil {
		b.Fatal(err)
	}
	d, ok := inst.(*Datasource)
	if !ok {
		b.Fatalf("%T", inst)
	}
	defer d.Dispose()
	now := time.Now()
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(`{"tickInterval":10}`), MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now},
	}}}
	for b.Loop() {
		if _, err := d.QueryData(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
