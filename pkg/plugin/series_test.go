package plugin

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// checkSeriesFrame checks that frame is q's frame: time plus one value
// field per series (labelled series="i" when there are several), with
// the values signal gives, and returns its times in ms.
func checkSeriesFrame(t *testing.T, q models.Query, frame *data.Frame) []int64 {
	t.Helper()
	if frame.Name != frameName || int64(len(frame.Fields)) != 1+q.Series || frame.Fields[0].Name != "time" {
		t.Fatalf("frame %q with %d fields, want time and %d value fields", frame.Name, len(frame.Fields), q.Series)
	}
	wantType := data.FrameTypeTimeSeriesMulti
	if q.Series > 1 {
		wantType = data.FrameTypeTimeSeriesWide
	}
	if frame.Meta == nil || frame.Meta.Type != wantType {
		t.Errorf("meta %+v, want type %s", frame.Meta, wantType)
	}
	times := make([]int64, frame.Rows())
	for r := range times {
		tm, ok := frame.Fields[0].At(r).(time.Time)
		if !ok {
			t.Fatalf("row %d time %T", r, frame.Fields[0].At(r))
		}
		times[r] = tm.UnixMilli()
	}
	g := signal.New(q)
	for s, f := range frame.Fields[1:] {
		i := int64(s) + 1
		if f.Name != "value" {
			t.Fatalf("field %d is %q, want value", s+1, f.Name)
		}
		switch {
		case q.Series == 1 && len(f.Labels) != 0:
			t.Errorf("a single series has labels %v", f.Labels)
		case q.Series > 1 && (len(f.Labels) != 1 || f.Labels["series"] != strconv.FormatInt(i, 10)):
			t.Errorf("series %d has labels %v, want series=%q", i, f.Labels, strconv.FormatInt(i, 10))
		}
		for r, ms := range times {
			v, ok := f.At(r).(float64)
			if want := g.Value(i, ms/q.TickInterval); !ok || v != want {
				t.Fatalf("series %d row %d: %v, want %v", i, r, f.At(r), want)
			}
		}
	}
	return times
}

func TestQueryDataSeries(t *testing.T) {
	tests := []struct {
		name, jsonData, json string
		maxDataPoints        int64
		rng                  time.Duration
		wantRows             int
	}{
		{name: "one series keeps a plain value", json: `{"shape":"walk","noise":0.1}`, rng: time.Minute, wantRows: 60},
		{name: "three sines", json: `{"shape":"sine","period":10000,"series":3}`, rng: time.Minute, wantRows: 60},
		{name: "a hundred series", json: `{"tickInterval":100,"series":100}`, rng: time.Minute, wantRows: 600},
		// 1,000,000 / 2000 = 500 points per series, whatever maxDataPoints says.
		{name: "the budget of a million points", jsonData: `{"maxSeries":10000}`, json: `{"series":2000}`,
			maxDataPoints: 10_000, rng: 25_000 * time.Second, wantRows: 500},
		{name: "the budget does not bind a small maxDataPoints", jsonData: `{"maxSeries":10000}`, json: `{"series":2000}`,
			maxDataPoints: 100, rng: 24 * time.Hour, wantRows: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			pinClock(d)
			q, errs := models.ParseQuery([]byte(tt.json), d.settings)
			if errs != nil {
				t.Fatal(errs)
			}
			frame := queryFrame(t, d, tt.json, tt.maxDataPoints, pinnedNow.Add(-tt.rng), pinnedNow)
			times := checkSeriesFrame(t, q, frame)
			if len(times) != tt.wantRows {
				t.Errorf("%d rows, want %d", len(times), tt.wantRows)
			}
			if points := int64(len(times)) * q.Series; points > maxQueryPoints {
				t.Errorf("%d points, more than %d", points, maxQueryPoints)
			}
			if frame.Meta.Channel != "ds/tickstream/"+channelPath(q) {
				t.Errorf("meta.channel %q", frame.Meta.Channel)
			}
		})
	}
}

func TestPointLimit(t *testing.T) {
	tests := []struct{ maxDataPoints, series, want int64 }{
		{0, 1, 1000}, {-1, 1, 1000}, {500, 1, 500}, {1_000_000, 1, 10_000},
		{0, 100, 1000}, {10_000, 100, 10_000}, {10_000, 101, 9900}, {10_000, 10_000, 100}, {50, 10_000, 50},
	}
	for _, tt := range tests {
		if got := pointLimit(tt.maxDataPoints, tt.series); got != tt.want {
			t.Errorf("pointLimit(%d, %d) = %d, want %d", tt.maxDataPoints, tt.series, got, tt.want)
		}
	}
}

func TestQueryDataLimitsNameTheSetting(t *testing.T) {
	d := newTestDatasource(t, `{"maxSeries":1000}`)
	pinClock(d)
	rng := backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "SERIES", JSON: []byte(`{"series":1001}`), TimeRange: rng},
		{RefID: "RATE", JSON: []byte(`{"tickInterval":10,"series":200}`), TimeRange: rng},
		{RefID: "SHAPE", JSON: []byte(`{"shape":"sin"}`), TimeRange: rng},
		{RefID: "GOOD", JSON: []byte(`{"tickInterval":10,"series":100,"shape":"triangle","period":1000}`), TimeRange: rng},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"SERIES": "series must be a whole number from 1 to 1000 (the data source's maxSeries); got 1001",
		"RATE": "tickInterval 10 ms with 200 series makes 20000 points per second, more than the data source's maxPointsPerSecond of 10000; " +
			"use a tickInterval of at least 20 ms, fewer series, or raise maxPointsPerSecond",
		"SHAPE": "shape must be one of random, walk, sine, square, sawtooth, triangle, csv; got a string",
	}
	for refID, r := range resp.Responses {
		if msg, bad := want[refID]; bad {
			if r.Error == nil || r.Error.Error() != msg || r.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("%s: error %v (%s), want the downstream error %q", refID, r.Error, r.ErrorSource, msg)
			}
		} else if r.Error != nil || len(r.Frames) != 1 || len(r.Frames[0].Fields) != 101 {
			t.Errorf("%s: error %v", refID, r.Error)
		}
	}
	if len(resp.Responses) != 4 {
		t.Errorf("%d responses for 4 refIds", len(resp.Responses))
	}
}

// TestQueryDataForAlerting sends what Grafana's alerting sends: no
// dashboard, the FromAlert header, an absolute range ending now, no
// maxDataPoints on the request, intervalMs and maxDataPoints inside the
// query model, and the datasource reference. Each series must come back
// as a numeric time series alerting can read.
func TestQueryDataForAlerting(t *testing.T) {
	d := newTestDatasource(t, "")
	pinClock(d)
	rng := backend.TimeRange{From: pinnedNow.Add(-10 * time.Minute), To: pinnedNow}
	model := func(refID, fields string) []byte {
		return []byte(`{"refId":"` + refID + `","datasource":{"type":"tickstream-streaming-datasource","uid":"tickstream"},` +
			`"intervalMs":1000,"maxDataPoints":43200` + fields + `}`)
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{OrgID: 1, PluginID: "tickstream-streaming-datasource",
			DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "tickstream"}},
		Headers: map[string]string{"FromAlert": "true", "X-Rule-Uid": "abc"},
		Queries: []backend.DataQuery{
			{RefID: "A", JSON: model("A", ""), TimeRange: rng, Interval: time.Second, MaxDataPoints: 0},
			{RefID: "B", JSON: model("B", `,"shape":"walk","series":3`), TimeRange: rng, Interval: time.Second},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for refID, series := range map[string]int64{"A": 1, "B": 3} {
		r := resp.Responses[refID]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("%s: error %v, %d frames", refID, r.Error, len(r.Frames))
		}
		frame := r.Frames[0]
		q, errs := models.ParseQuery(model(refID, map[string]string{"A": "", "B": `,"shape":"walk","series":3`}[refID]), d.settings)
		if errs != nil || q.Series != series {
			t.Fatalf("%s: %v %+v", refID, errs, q)
		}
		if times := checkSeriesFrame(t, q, frame); len(times) != 600 || times[len(times)-1] != pinnedNow.UnixMilli()/1000*1000 {
			t.Errorf("%s: %d rows ending at %d, want 600 ending at the last tick before now", refID, len(times), times[len(times)-1])
		}
		// Alerting reads a frame through its time series schema: one time
		// index and a number per series, labels telling the series apart.
		schema := frame.TimeSeriesSchema()
		if schema.Type == data.TimeSeriesTypeNot || len(schema.ValueIndices) != int(series) {
			t.Errorf("%s: time series schema %+v, want %d value fields", refID, schema, series)
		}
	}
}

func TestSubscribeStreamSchemaHasEverySeries(t *testing.T) {
	for _, n := range []int64{1, 2, 100} {
		path := "v1/t=1000/lo=0/hi=100/seed=0/shape=square/period=1000"
		if n > 1 {
			path += "/series=" + strconv.FormatInt(n, 10)
		}
		d := newTestDatasource(t, "")
		resp, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
		if err != nil || resp.Status != backend.SubscribeStreamStatusOK {
			t.Fatalf("%s: %v %v", path, resp, err)
		}
		checkSchema(t, resp.InitialData, n)
	}
}

func TestSubscribeStreamRefusesWhatTheSettingsRefuse(t *testing.T) {
	tests := []struct {
		name, jsonData, path, data string
		want                       backend.SubscribeStreamStatus
	}{
		{name: "every option", path: "v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/noise=0.5/series=4", want: backend.SubscribeStreamStatusOK},
		{name: "data describing the same stream", path: "v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/series=4",
			data: `{"tickInterval":10,"lowerLimit":-1,"upperLimit":1,"seed":3,"shape":"sine","period":5000,"series":4}`, want: backend.SubscribeStreamStatusOK},
		{name: "data with another series count", path: "v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/series=4",
			data: `{"tickInterval":10,"lowerLimit":-1,"upperLimit":1,"seed":3,"shape":"sine","period":5000,"series":5}`, want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "more series than maxSeries", path: "v1/t=1000/lo=0/hi=100/seed=0/series=101", want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "series within a raised maxSeries", jsonData: `{"maxSeries":1000}`, path: "v1/t=1000/lo=0/hi=100/seed=0/series=1000", want: backend.SubscribeStreamStatusOK},
		{name: "series times ticks over maxPointsPerSecond", jsonData: `{"maxSeries":1000}`, path: "v1/t=10/lo=0/hi=100/seed=0/series=200", want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "more series than any data source allows", path: "v1/t=1000/lo=0/hi=100/seed=0/series=10001", want: backend.SubscribeStreamStatusNotFound},
		{name: "unknown shape", path: "v1/t=1000/lo=0/hi=100/seed=0/shape=sin", want: backend.SubscribeStreamStatusNotFound},
		{name: "default-valued segment", path: "v1/t=1000/lo=0/hi=100/seed=0/series=1", want: backend.SubscribeStreamStatusNotFound},
		{name: "period of a walk", path: "v1/t=1000/lo=0/hi=100/seed=0/shape=walk/period=5000", want: backend.SubscribeStreamStatusNotFound},
		{name: "broken maxMessageRate", jsonData: `{"maxMessageRate":0}`, path: "v1/t=1000/lo=0/hi=100/seed=0", want: backend.SubscribeStreamStatusPermissionDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			resp, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: tt.path, Data: []byte(tt.data)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tt.want {
				t.Fatalf("status %v, want %v", resp.Status, tt.want)
			}
		})
	}
}

func TestTicksPerMessage(t *testing.T) {
	tests := []struct{ tick, rate, want int64 }{
		{1, 20, 50}, {10, 20, 5}, {20, 20, 3}, {49, 20, 2}, {50, 20, 1}, {1000, 20, 1},
		{1, 1000, 1}, {1, 1, 1000}, {3, 7, 48}, {models.MaxTickInterval, 1, 1}, {models.MaxTickInterval, 1000, 1},
	}
	for _, tt := range tests {
		if got := ticksPerMessage(tt.tick, tt.rate); got != tt.want {
			t.Errorf("ticksPerMessage(%d, %d) = %d, want %d", tt.tick, tt.rate, got, tt.want)
		}
	}
}

func TestCatchUpTicks(t *testing.T) {
	for series, want := range map[int64]int64{1: 10_000, 100: 10_000, 101: 9900, 200: 5000, 10_000: 100} {
		if got := catchUpTicks(series); got != want || got*series > maxQueryPoints {
			t.Errorf("catchUpTicks(%d) = %d, want %d", series, got, want)
		}
	}
}

// TestRunStreamBatchesFastTicks runs a 1 ms tick of 10 series for about
// 1.5 s: every tick comes exactly once, in order, with its values; every
// message ends at a tick divisible by c = 50 and there are about 20 of them
// a second, never more.
func TestRunStreamBatchesFastTicks(t *testing.T) {
	const path = "v1/t=1/lo=0/hi=100/seed=7/shape=walk/noise=0.1/series=10"
	q := pathQuery(t, path)
	d := newTestDatasource(t, `{"minTickInterval":1}`)
	const c = 50 // ceil(1000 / (20 × 1))
	sender := &fakeSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := time.Now()
	done := runStream(d, ctx, path, sender)
	time.Sleep(1500 * time.Millisecond)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(started)
	frames := sender.sent(t)
	all := checkTicks(t, q, frames)
	for i, f := range frames {
		if end := f[len(f)-1].ms; end%c != 0 {
			t.Fatalf("message %d ends at tick %d, not divisible by %d", i, end, c)
		}
		if i > 0 && len(f) < c {
			t.Errorf("message %d carries %d ticks, fewer than %d", i, len(f), c)
		}
	}
	// Never faster than maxMessageRate; on a loaded machine the timer may
	// be late, which makes fewer, larger messages, never lost ticks.
	if most := int(elapsed.Seconds()*20) + 1; len(frames) > most || len(frames) < most/3 {
		t.Errorf("%d messages in %v, want about 20 a second and at most %d", len(frames), elapsed, most)
	}
	if len(all) < 500 {
		t.Errorf("only %d ticks in %v", len(all), elapsed)
	}
}

func TestRunStreamBatchesAtTheConfiguredRate(t *testing.T) {
	const path = "v1/t=10/lo=0/hi=1/seed=0/series=3"
	q := pathQuery(t, path)
	d := newTestDatasource(t, `{"maxMessageRate":4}`) // c = ceil(1000 / 40) = 25 ticks, 250 ms
	sender := &fakeSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runStream(d, ctx, path, sender)
	waitFrames(t, sender, 3)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
	frames := sender.sent(t)
	checkTicks(t, q, frames)
	for i, f := range frames {
		if end := f[len(f)-1].ms / q.TickInterval; end%25 != 0 || i > 0 && len(f) < 25 {
			t.Errorf("message %d: %d ticks ending at tick %d, want 25 ending at a multiple of 25", i, len(f), end)
		}
	}
}

// checkSchema checks that initial data is the schema of n series without
// any rows: time, then n value fields, labelled series="i" when n > 1.
func checkSchema(t *testing.T, initial *backend.InitialData, n int64) {
	t.Helper()
	if initial == nil {
		t.Fatal("no initial data")
	}
	frame := &data.Frame{}
	if err := frame.UnmarshalJSON(initial.Data()); err != nil {
		t.Fatalf("initial data %s: %v", initial.Data(), err)
	}
	if strings.Contains(string(initial.Data()), `"values"`) || frame.Rows() != 0 {
		t.Errorf("initial data %s carries rows", initial.Data())
	}
	if frame.Name != frameName || int64(len(frame.Fields)) != 1+n || frame.Fields[0].Name != "time" || !frame.Fields[0].Type().Time() {
		t.Fatalf("schema %s, want time and %d value fields", initial.Data(), n)
	}
	for s, f := range frame.Fields[1:] {
		wantLabel := ""
		if n > 1 {
			wantLabel = strconv.Itoa(s + 1)
		}
		if f.Name != "value" || f.Type() != data.FieldTypeFloat64 || f.Labels["series"] != wantLabel || (n == 1 && f.Labels != nil) {
			t.Fatalf("schema field %d: %q %s %v", s+1, f.Name, f.Type(), f.Labels)
		}
	}
}
