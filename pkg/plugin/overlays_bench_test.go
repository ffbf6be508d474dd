package plugin

import (
	"context"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// BenchmarkQueryDataOverlaysOff is QueryData of 100 and of 1000 points
// without the overlay fields, with all of them present but off (eventPeriod
// 0, exemplars 0), and with exemplars 5: off, the fields cost their
// reading once per query and nothing per point; exemplars cost per
// exemplar (at most 5 here), not per point. developers/benchmarks.md
// carries the figures.
func BenchmarkQueryDataOverlaysOff(b *testing.B) {
	benchQueryDataVariants(b, []benchVariant{
		{"without", `{"tickInterval":60}`},
		{"off", `{"tickInterval":60,"eventPeriod":0,"eventTitle":"deploy","exemplars":0,"exemplarUrl":"https://t/${__value.raw}"}`},
		{"exemplars=5", `{"tickInterval":60,"exemplars":5}`},
	}, func(*testing.B, *Datasource) time.Time { return pinnedNow.Add(-time.Hour) })
}

// BenchmarkLogsVolume is Explore's logs volume of an hour of one line a
// second of two series: what counting costs per line.
func BenchmarkLogsVolume(b *testing.B) {
	d := newTestDatasource(b, `{}`)
	pinClock(d)
	const lines = 2 * 3600
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "log-volume-A", QueryType: "logsVolume", JSON: []byte(`{"kind":"logs","series":2}`), MaxDataPoints: 1000,
		Interval: time.Minute, TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Hour), To: pinnedNow.Add(-time.Millisecond)},
	}}}
	b.ReportAllocs()
	for b.Loop() {
		if resp, err := d.QueryData(context.Background(), req); err != nil || resp.Responses["log-volume-A"].Error != nil {
			b.Fatalf("QueryData: %v", err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/lines, "ns/line")
}
