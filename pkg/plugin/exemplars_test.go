package plugin

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// queryFrames runs one query (refId A) and returns all its frames.
func queryFrames(t *testing.T, d *Datasource, queryJSON string, maxDataPoints int64, from, to time.Time) []*data.Frame {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(queryJSON), MaxDataPoints: maxDataPoints, TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	return r.Frames
}

var traceIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// checkExemplars checks that every row of the exemplar frame is a point of
// its series in the data frame (same time, same value, same labels) and
// returns how many exemplars each series (by field index) has.
func checkExemplars(t *testing.T, frame, ex *data.Frame) map[int]int {
	t.Helper()
	if ex.Name != "exemplar" || ex.Meta == nil || ex.Meta.DataTopic != data.DataTopicAnnotations {
		t.Fatalf("exemplar frame %q, meta %+v", ex.Name, ex.Meta)
	}
	if ex.Fields[0].Name != "time" || ex.Fields[1].Name != "value" || ex.Fields[2].Name != "traceID" {
		t.Fatalf("exemplar fields %v", ex.Fields)
	}
	perSeries := map[int]int{}
	seen := map[string]bool{}
	for row := range ex.Rows() {
		at := ex.Fields[0].At(row).(time.Time)
		value := ex.Fields[1].At(row).(float64)
		id := ex.Fields[2].At(row).(string)
		if !traceIDPattern.MatchString(id) || seen[id] {
			t.Errorf("row %d traceID %q: want 32 lowercase hex digits, unique", row, id)
		}
		seen[id] = true
		labels := data.Labels{}
		for _, f := range ex.Fields[3:] {
			labels[f.Name] = f.At(row).(string)
		}
		found := false
		for i, field := range frame.Fields[1:] {
			if len(labels) > 0 && !reflect.DeepEqual(data.Labels(labels), field.Labels) {
				continue
			}
			for r := range frame.Rows() {
				if frame.Fields[0].At(r).(time.Time).Equal(at) {
					v, ok := field.ConcreteAt(r)
					if ok && v.(float64) == value {
						found, perSeries[i+1] = true, perSeries[i+1]+1
					}
				}
			}
		}
		if !found {
			t.Errorf("row %d (%v, %v, %v) is not a point of its series", row, at, value, labels)
		}
	}
	return perSeries
}

func TestExemplarsArePointsOfTheirSeries(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	from := pinnedNow.Add(-5 * time.Minute)
	for _, q := range []string{
		`{"exemplars":5}`,
		`{"exemplars":5,"series":3,"shape":"sine"}`,
		`{"exemplars":7,"series":2,"labels":"host=web-$seriesIndex, dc=eu","dropPercent":30,"outagePeriod":60000,"outageDuration":20000}`,
		`{"exemplars":100,"tickInterval":10,"noise":0.5}`,
	} {
		t.Run(q, func(t *testing.T) {
			frames := queryFrames(t, d, q, 500, from, pinnedNow)
			if len(frames) != 2 {
				t.Fatalf("%d frames, want the series and the exemplars", len(frames))
			}
			perSeries := checkExemplars(t, frames[0], frames[1])
			var max struct{ Exemplars int }
			if err := json.Unmarshal([]byte(q), &max); err != nil {
				t.Fatal(err)
			}
			for s, n := range perSeries {
				if n > max.Exemplars || n == 0 {
					t.Errorf("series %d has %d exemplars, want 1 to %d", s, n, max.Exemplars)
				}
			}
			again := queryFrames(t, d, q, 500, from, pinnedNow)
			if !reflect.DeepEqual(again[1], frames[1]) {
				t.Error("a second call gave other exemplars")
			}
		})
	}
}

func TestExemplarsFillTheirShareOfTheRange(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	to := time.UnixMilli(1_700_000_040_000).UTC() // a whole minute, 5 minutes ago is too
	frames := queryFrames(t, d, `{"exemplars":5}`, 1000, to.Add(-5*time.Minute), to.Add(-time.Millisecond))
	if n := frames[1].Rows(); n != 5 {
		t.Errorf("%d exemplars over 5 minutes of 300 ticks, want 5", n)
	}
}

func TestExemplarsLinkAndOff(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	frames := queryFrames(t, d, `{"exemplars":2,"exemplarUrl":"https://tempo.example.com/trace/${__value.raw}"}`, 100, pinnedNow.Add(-time.Minute), pinnedNow)
	cfg := frames[1].Fields[2].Config
	if cfg == nil || len(cfg.Links) != 1 || cfg.Links[0].URL != "https://tempo.example.com/trace/${__value.raw}" {
		t.Errorf("traceID config %+v; want the exemplarUrl link", cfg)
	}
	if got := queryFrames(t, d, `{}`, 100, pinnedNow.Add(-time.Minute), pinnedNow); len(got) != 1 {
		t.Errorf("%d frames without exemplars, want 1", len(got))
	}
	if got := queryFrames(t, d, `{"exemplars":5}`, 100, pinnedNow.Add(time.Minute), pinnedNow.Add(time.Hour)); len(got) != 2 || got[1].Rows() != 0 {
		t.Errorf("a range without points: %d frames; want an empty exemplar frame", len(got))
	}
}

func TestExemplarsLeftOutOfAlertEvaluations(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{
		Headers: map[string]string{backend.FromAlertHeaderName: "true"},
		Queries: []backend.DataQuery{{RefID: "A", JSON: []byte(`{"exemplars":5}`), TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["A"]; r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Name == "exemplar" {
		t.Errorf("error %v, %d frames; want the series alone", r.Error, len(r.Frames))
	}
}
