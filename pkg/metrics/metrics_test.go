package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// The metrics are process-wide, so the tests compare values before and
// after a call rather than absolute values.

func TestStreamStartedStopped(t *testing.T) {
	before := testutil.ToFloat64(activeStreams)
	StreamStarted()
	StreamStarted()
	if got := testutil.ToFloat64(activeStreams) - before; got != 2 {
		t.Fatalf("after two starts: active streams moved by %v, want 2", got)
	}
	StreamStopped()
	StreamStopped()
	if got := testutil.ToFloat64(activeStreams) - before; got != 0 {
		t.Fatalf("after two stops: active streams moved by %v, want 0", got)
	}
}

func TestMessagesSent(t *testing.T) {
	messages, points := testutil.ToFloat64(messagesSent), testutil.ToFloat64(pointsSent)
	MessagesSent(1, 10)
	MessagesSent(2, 5)
	MessagesSent(-1, -1) // ignored, not a panic
	MessagesSent(0, 0)
	if got := testutil.ToFloat64(messagesSent) - messages; got != 3 {
		t.Errorf("messages moved by %v, want 3", got)
	}
	if got := testutil.ToFloat64(pointsSent) - points; got != 15 {
		t.Errorf("points moved by %v, want 15", got)
	}
}

// SendFailed is covered here rather than through the host: a send fails
// only when Grafana's side of the gRPC stream breaks mid-send.
func TestSendFailed(t *testing.T) {
	before := testutil.ToFloat64(sendErrors)
	SendFailed()
	if got := testutil.ToFloat64(sendErrors) - before; got != 1 {
		t.Fatalf("send errors moved by %v, want 1", got)
	}
}

func TestHistoryServed(t *testing.T) {
	before := testutil.ToFloat64(historyPoints)
	HistoryServed(1000)
	HistoryServed(0)
	HistoryServed(-5)
	if got := testutil.ToFloat64(historyPoints) - before; got != 1000 {
		t.Fatalf("history points moved by %v, want 1000", got)
	}
}

func TestSubscriptionRefused(t *testing.T) {
	for _, tc := range []struct {
		reason Reason
		label  string
	}{
		{ReasonNotFound, "not_found"},
		{ReasonLimits, "limits"},
		{ReasonSettings, "settings"},
		{ReasonDataMismatch, "data_mismatch"},
	} {
		t.Run(tc.label, func(t *testing.T) {
			if got := tc.reason.String(); got != tc.label {
				t.Fatalf("String() = %q, want %q", got, tc.label)
			}
			counts := refusedCounts()
			SubscriptionRefused(tc.reason)
			after := refusedCounts()
			for label, n := range after {
				want := counts[label]
				if label == tc.label {
					want++
				}
				if n != want {
					t.Errorf("reason=%q: %v, want %v", label, n, want)
				}
			}
		})
	}
	counts := refusedCounts()
	SubscriptionRefused(reasons) // out of range: ignored, not a panic
	SubscriptionRefused(Reason(200))
	for label, n := range refusedCounts() {
		if n != counts[label] {
			t.Errorf("an unknown reason moved reason=%q", label)
		}
	}
	if got := Reason(200).String(); got != "unknown" {
		t.Errorf("Reason(200).String() = %q, want unknown", got)
	}
}

// refusedCounts reads every reason's counter by its label, independently
// of the pre-resolved array the code under test uses.
func refusedCounts() map[string]float64 {
	counts := map[string]float64{}
	for _, label := range []string{"not_found", "limits", "settings", "data_mismatch"} {
		counts[label] = testutil.ToFloat64(subscriptionsRefused.WithLabelValues(label))
	}
	return counts
}

func TestObserveLag(t *testing.T) {
	before := lagHistogram(t)
	ObserveLag(50 * time.Microsecond) // first bucket (≤ 0.1 ms)
	ObserveLag(3 * time.Millisecond)  // ≤ 5 ms
	ObserveLag(-time.Second)          // recorded as 0
	ObserveLag(10 * time.Second)      // beyond the last bucket: +Inf only
	after := lagHistogram(t)
	if got := after.GetSampleCount() - before.GetSampleCount(); got != 4 {
		t.Fatalf("sample count moved by %d, want 4", got)
	}
	if got, want := after.GetSampleSum()-before.GetSampleSum(), 10.00305; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("sample sum moved by %v, want %v (a negative lag must count as 0)", got, want)
	}
	wantDelta := map[float64]uint64{0.0001: 2, 0.005: 3, 5: 3} // cumulative
	for i, b := range after.GetBucket() {
		if want, ok := wantDelta[b.GetUpperBound()]; ok {
			if got := b.GetCumulativeCount() - before.GetBucket()[i].GetCumulativeCount(); got != want {
				t.Errorf("bucket le=%v moved by %d, want %d", b.GetUpperBound(), got, want)
			}
		}
	}
	if n := len(after.GetBucket()); n != len(LagBuckets) {
		t.Errorf("%d buckets, want %d", n, len(LagBuckets))
	}
	if first, last := LagBuckets[0], LagBuckets[len(LagBuckets)-1]; first != 0.0001 || last != 5 {
		t.Errorf("buckets span %v..%v s, want 0.0001..5", first, last)
	}
}

func lagHistogram(t *testing.T) *dto.Histogram {
	t.Helper()
	var m dto.Metric
	if err := sendLag.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram()
}

// TestRegisteredOnDefaultGatherer checks that every metric is in the
// registry the SDK's CollectMetrics gathers, with the documented names and
// types, and that every reason is exported before its first refusal.
func TestRegisteredOnDefaultGatherer(t *testing.T) {
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]dto.MetricType{
		"tickstream_active_streams":              dto.MetricType_GAUGE,
		"tickstream_messages_sent_total":         dto.MetricType_COUNTER,
		"tickstream_points_sent_total":           dto.MetricType_COUNTER,
		"tickstream_send_errors_total":           dto.MetricType_COUNTER,
		"tickstream_history_points_total":        dto.MetricType_COUNTER,
		"tickstream_subscriptions_refused_total": dto.MetricType_COUNTER,
		"tickstream_send_lag_seconds":            dto.MetricType_HISTOGRAM,
	}
	for _, f := range families {
		typ, ok := want[f.GetName()]
		if !ok {
			continue
		}
		delete(want, f.GetName())
		if f.GetType() != typ {
			t.Errorf("%s is a %v, want %v", f.GetName(), f.GetType(), typ)
		}
		if f.GetHelp() == "" {
			t.Errorf("%s has no help text", f.GetName())
		}
		if f.GetName() == "tickstream_subscriptions_refused_total" {
			var labels []string
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					labels = append(labels, l.GetName()+"="+l.GetValue())
				}
			}
			if got := strings.Join(labels, ","); got != "reason=capacity,reason=data_mismatch,reason=limits,reason=not_found,reason=settings" {
				t.Errorf("refused subscriptions exported as %s", got)
			}
		}
	}
	for name := range want {
		t.Errorf("%s is not on prometheus.DefaultGatherer", name)
	}
	if problems, err := testutil.GatherAndLint(prometheus.DefaultGatherer,
		"tickstream_active_streams", "tickstream_messages_sent_total", "tickstream_points_sent_total",
		"tickstream_send_errors_total", "tickstream_history_points_total",
		"tickstream_subscriptions_refused_total", "tickstream_send_lag_seconds"); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range problems {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
}

// TestHotPathDoesNotAllocate holds the package to its promise to the
// stream loop.
func TestHotPathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(1000, func() {
		StreamStarted()
		MessagesSent(1, 10)
		ObserveLag(time.Millisecond)
		SendFailed()
		HistoryServed(100)
		SubscriptionRefused(ReasonLimits)
		StreamStopped()
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per call sequence, want 0", allocs)
	}
}

func BenchmarkHotPath(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		MessagesSent(1, 10)
		ObserveLag(time.Millisecond)
	}
}
