package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// newTestDatasource returns an instance with the given jsonData and uid,
// disposed of when the test ends.
func newTestDatasource(t testing.TB, jsonData string) *Datasource {
	t.Helper()
	return newTestDatasourceUID(t, "tickstream", jsonData)
}

// newTestDatasourceUID is newTestDatasource with the data source uid uid.
func newTestDatasourceUID(t testing.TB, uid, jsonData string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: uid, JSONData: json.RawMessage(jsonData)})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	d, ok := inst.(*Datasource)
	if !ok {
		t.Fatalf("NewDatasource returned %T", inst)
	}
	t.Cleanup(d.Dispose)
	return d
}

// pinnedNow is a fixed "now" with a sub-millisecond part, to catch
// rounding at the end of the range.
var pinnedNow = time.Date(2026, 3, 14, 15, 9, 26, 535_897_932, time.UTC)

// pinClock makes d see pinnedNow.
func pinClock(d *Datasource) {
	d.now = func() time.Time { return pinnedNow }
}

// queryFrame runs one query (refId A) through d's QueryData and returns
// its frame, failing the test on an error or on any number of frames but
// one.
func queryFrame(t *testing.T, d *Datasource, queryJSON string, maxDataPoints int64, from, to time.Time) *data.Frame {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(queryJSON), MaxDataPoints: maxDataPoints,
		TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("response: error %v, %d frames; want one frame", r.Error, len(r.Frames))
	}
	return r.Frames[0]
}

// pathQuery returns the query of a valid channel path.
func pathQuery(tb testing.TB, path string) models.Query {
	tb.Helper()
	q, err := channel.Parse(path)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// channelPath is the path QueryData and the streams use for q.
func channelPath(q models.Query) string {
	return channel.Format(q)
}

// benchVariant is one query of benchQueryDataVariants, named as its sub-benchmark.
type benchVariant struct{ name, query string }

// benchQueryDataVariants runs QueryData of each variant over 100 and over
// 1000 points of 60 ms ending at end(d), on a data source that sees
// pinnedNow, and reports ns/point. The benchmarks of optional fields share
// it: they compare a query without the fields, with them present but off,
// and with them on, at both sizes, so that a cost per query shows as the
// same bytes and allocations at both and a cost per point does not.
func benchQueryDataVariants(b *testing.B, variants []benchVariant, end func(b *testing.B, d *Datasource) time.Time) {
	for _, points := range []int{100, 1000} {
		for _, c := range variants {
			b.Run(fmt.Sprintf("points=%d/%s", points, c.name), func(b *testing.B) {
				d := newTestDatasource(b, `{}`)
				pinClock(d)
				to := end(b, d)
				span := time.Duration(points) * 60 * time.Millisecond
				req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
					RefID: "A", JSON: []byte(c.query), MaxDataPoints: int64(points),
					TimeRange: backend.TimeRange{From: to.Add(-span + time.Millisecond), To: to},
				}}}
				b.ReportAllocs()
				for b.Loop() {
					resp, err := d.QueryData(context.Background(), req)
					if err != nil || resp.Responses["A"].Error != nil || resp.Responses["A"].Frames[0].Rows() != points {
						b.Fatalf("QueryData: %v %v", err, resp.Responses["A"].Error)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(points), "ns/point")
			})
		}
	}
}
