package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/client_golang/prometheus"
)

// metricValue reads a counter, a gauge or a histogram's sample count
// (labels as name/value pairs) from the registry the SDK gathers; 0 when it
// is not there.
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
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
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

// countingSender counts the messages and points (rows × value columns) a
// stream sends, and fails every send when fail is set.
type countingSender struct {
	fail             error
	messages, points atomic.Int64
}

func (c *countingSender) Send(p *backend.StreamPacket) error {
	if c.fail != nil {
		return c.fail
	}
	var frame struct {
		Data struct {
			Values [][]json.RawMessage `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(p.Data, &frame); err != nil || len(frame.Data.Values) < 2 {
		return errors.New("countingSender: not a data frame: " + string(p.Data))
	}
	c.messages.Add(1)
	c.points.Add(int64(len(frame.Data.Values[0]) * (len(frame.Data.Values) - 1)))
	return nil
}

// streamMetrics are the stream loop's metrics at one moment.
type streamMetrics struct{ active, messages, points, errors, lags float64 }

func readStreamMetrics(t *testing.T) streamMetrics {
	t.Helper()
	return streamMetrics{
		active:   metricValue(t, "tickstream_active_streams"),
		messages: metricValue(t, "tickstream_messages_sent_total"),
		points:   metricValue(t, "tickstream_points_sent_total"),
		errors:   metricValue(t, "tickstream_send_errors_total"),
		lags:     metricValue(t, "tickstream_send_lag_seconds"),
	}
}

// TestRunStreamMetrics checks the stream loop's metrics against what a
// sender received: a running stream is active, every message sent is
// counted with its points and one lag observation, and a failed send is
// counted as an error and ends the stream (which is then no longer
// active). The host suite cannot provoke a failed send, so this is where
// tickstream_send_errors_total is covered.
func TestRunStreamMetrics(t *testing.T) {
	const path = "v1/t=10/lo=0/hi=100/seed=0/series=2" // 5 ticks a message at 20 messages/s
	t.Run("sends", func(t *testing.T) {
		d := newTestDatasource(t, `{}`)
		sender := &countingSender{}
		before := readStreamMetrics(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			done <- d.RunStream(ctx, &backend.RunStreamRequest{Path: path}, backend.NewStreamSender(sender))
		}()
		deadline := time.Now().Add(10 * time.Second)
		for sender.messages.Load() < 5 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := readStreamMetrics(t).active - before.active; got != 1 {
			t.Errorf("active streams moved by %v while the stream runs, want 1", got)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("RunStream = %v after cancel, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("RunStream did not return")
		}
		after := readStreamMetrics(t)
		msgs, pts := float64(sender.messages.Load()), float64(sender.points.Load())
		if msgs < 5 {
			t.Fatalf("only %v messages in 10 s", msgs)
		}
		if got := after.active - before.active; got != 0 {
			t.Errorf("active streams moved by %v after the stream ended, want 0", got)
		}
		if got := after.messages - before.messages; got != msgs {
			t.Errorf("messages moved by %v, the sender got %v", got, msgs)
		}
		if got := after.points - before.points; got != pts {
			t.Errorf("points moved by %v, the sender got %v", got, pts)
		}
		if got := after.lags - before.lags; got != msgs {
			t.Errorf("lag observations moved by %v, want one per message (%v)", got, msgs)
		}
		if got := after.errors - before.errors; got != 0 {
			t.Errorf("send errors moved by %v without a failed send", got)
		}
	})
	t.Run("a failed send", func(t *testing.T) {
		d := newTestDatasource(t, `{}`)
		failure := errors.New("connection lost")
		sender := &countingSender{fail: failure}
		before := readStreamMetrics(t)
		err := d.RunStream(context.Background(), &backend.RunStreamRequest{Path: path}, backend.NewStreamSender(sender))
		if !errors.Is(err, failure) {
			t.Fatalf("RunStream = %v, want the send error", err)
		}
		after := readStreamMetrics(t)
		if got := after.errors - before.errors; got != 1 {
			t.Errorf("send errors moved by %v, want 1", got)
		}
		if got := after.active - before.active; got != 0 {
			t.Errorf("active streams moved by %v after the stream ended, want 0", got)
		}
		if got, lags := after.messages-before.messages, after.lags-before.lags; got != 0 || lags != 0 {
			t.Errorf("a failed send counted %v messages and %v lag observations, want 0", got, lags)
		}
	})
}
