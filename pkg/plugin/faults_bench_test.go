package plugin

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// BenchmarkQueryDataFaultsOff is QueryData of 100 and of 1000 points
// without the faults fields, with all of them present but off (failPercent
// 0, no delay), and with failPercent 50 at an evaluation time that does not
// fail: what the faults add is the same at both sizes (reading the fields,
// a comparison, a hash), nothing per point. developers/benchmarks.md
// carries the figures.
func BenchmarkQueryDataFaultsOff(b *testing.B) {
	for _, points := range []int{100, 1000} {
		for _, c := range []struct{ name, query string }{
			{"without", `{"tickInterval":60}`},
			{"off", `{"tickInterval":60,"failPercent":0,"failMessage":"down","failSource":"plugin","queryDelay":0,"queryDelayJitter":0}`},
			{"failPercent=50", `{"tickInterval":60,"failPercent":50,"seed":3}`},
		} {
			b.Run(fmt.Sprintf("points=%d/%s", points, c.name), func(b *testing.B) {
				d := newTestDatasource(b, `{}`)
				pinClock(d)
				// An end whose evaluation time does not fail at 50 % with
				// seed 3, so every variant builds the same points.
				end := pinnedNow.Add(-time.Hour)
				for failingEnd(b, d, end) {
					end = end.Add(time.Minute)
				}
				span := time.Duration(points) * 60 * time.Millisecond
				req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
					RefID: "A", JSON: []byte(c.query), MaxDataPoints: int64(points),
					TimeRange: backend.TimeRange{From: end.Add(-span + time.Millisecond), To: end},
				}}}
				b.ReportAllocs()
				for b.Loop() {
					resp, err := d.QueryData(context.Background(), req)
					if err != nil || resp.Responses["A"].Error != nil || resp.Responses["A"].Frames[0].Rows() != points {
						b.Fatalf("QueryData: %v %v", err, resp.Responses["A"].Error)
					}
				}
			})
		}
	}
}

// failingEnd reports whether the failPercent 50 query fails at end.
func failingEnd(b *testing.B, d *Datasource, end time.Time) bool {
	b.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(`{"tickInterval":60,"failPercent":50,"seed":3}`),
		TimeRange: backend.TimeRange{From: end.Add(-time.Minute), To: end},
	}}})
	if err != nil {
		b.Fatal(err)
	}
	return resp.Responses["A"].Error != nil
}
