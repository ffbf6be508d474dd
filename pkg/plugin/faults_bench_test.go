package plugin

import (
	"context"
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
	benchQueryDataVariants(b, []benchVariant{
		{"without", `{"tickInterval":60}`},
		{"off", `{"tickInterval":60,"failPercent":0,"failMessage":"down","failSource":"plugin","queryDelay":0,"queryDelayJitter":0}`},
		{"failPercent=50", `{"tickInterval":60,"failPercent":50,"seed":3}`},
	}, func(b *testing.B, d *Datasource) time.Time {
		// An end whose evaluation time does not fail at 50 % with seed 3,
		// so every variant builds the same points.
		end := pinnedNow.Add(-time.Hour)
		for failingEnd(b, d, end) {
			end = end.Add(time.Minute)
		}
		return end
	})
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
