package plugin

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/client_golang/prometheus"
)

// metricValue reads a counter or gauge (labels as name/value pairs) from
// the registry the SDK gathers; 0 when it is not there.
func metricValue(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, l := range m.GetLabel() {
					found = found || (l.GetName() == labels[i] && l.GetValue() == labels[i+1])
				}
				if !found {
					continue metrics
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// TestSubscribeStreamCountsRefusals checks that each refusal is counted
// once under its reason and that an accepted subscription counts none.
func TestSubscribeStreamCountsRefusals(t *testing.T) {
	const path = "v1/t=20/lo=-5/hi=5/seed=3"
	reasons := []string{"not_found", "limits", "settings", "data_mismatch"}
	tests := []struct {
		name, jsonData, path, data string
		reason                     string // "" when accepted
	}{
		{name: "accepted", path: path},
		{name: "unparsable path", path: "v1/nonsense", reason: "not_found"},
		{name: "non-canonical path", path: "v1/t=20/lo=-5/hi=5.0/seed=3", reason: "not_found"},
		{name: "below minTickInterval", path: "v1/t=5/lo=0/hi=100/seed=0", reason: "limits"},
		{name: "over maxSeries", path: path + "/series=101", reason: "limits"},
		{name: "broken settings", jsonData: `{"minTickInterval":null}`, path: path, reason: "settings"},
		{name: "broken settings and a path beyond the defaults", jsonData: `{"maxSeries":0}`, path: "v1/t=5/lo=0/hi=100/seed=0", reason: "settings"},
		{name: "data describing another stream", path: path, data: `{"tickInterval":20,"lowerLimit":-5,"upperLimit":6,"seed":3}`, reason: "data_mismatch"},
		{name: "invalid data", path: path, data: `[1]`, reason: "data_mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			before := map[string]float64{}
			for _, r := range reasons {
				before[r] = metricValue(t, "tickstream_subscriptions_refused_total", "reason", r)
			}
			resp, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: tt.path, Data: json.RawMessage(tt.data)})
			if err != nil {
				t.Fatal(err)
			}
			if (resp.Status == backend.SubscribeStreamStatusOK) != (tt.reason == "") {
				t.Fatalf("status %v for a case with reason %q", resp.Status, tt.reason)
			}
			for _, r := range reasons {
				want := before[r]
				if r == tt.reason {
					want++
				}
				if got := metricValue(t, "tickstream_subscriptions_refused_total", "reason", r); got != want {
					t.Errorf("reason=%q: %v, want %v", r, got, want)
				}
			}
		})
	}
}

// TestQueryDataCountsHistoryPoints checks that history points grow by
// exactly the points of the frames returned, all series counted, and not
// at all for a query that fails.
func TestQueryDataCountsHistoryPoints(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	query := func(refID, json string, maxDataPoints int64) backend.DataQuery {
		return backend.DataQuery{RefID: refID, JSON: []byte(json), MaxDataPoints: maxDataPoints,
			TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Hour), To: pinnedNow}}
	}
	before := metricValue(t, "tickstream_history_points_total")
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", `{}`, 500),                              // 3600 ticks thinned to every 8th: 450
		query("B", `{"tickInterval":60000,"series":3}`, 0), // 60 ticks × 3 series
		query("C", `{"tickInterval":0}`, 0),                // an error: no points
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, refID := range []string{"A", "B", "C"} {
		for _, f := range resp.Responses[refID].Frames {
			want += f.Rows() * (len(f.Fields) - 1)
		}
	}
	if want != 450+180 {
		t.Fatalf("the frames hold %d points, want %d (test setup)", want, 450+180)
	}
	if got := metricValue(t, "tickstream_history_points_total") - before; got != float64(want) {
		t.Fatalf("history points moved by %v, want %d", got, want)
	}
}
