package plugin

import (
	"time"

	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// labelledBenchQueries are the same stream of 10 series without and with
// labels and an alias; compare their figures.
var labelledBenchQueries = []struct{ name, labels, alias string }{
	{"no labels", "", ""},
	{"labels and alias", "host=web-$seriesIndex, dc=eu-west-1, team=platform", "cpu ${host} (${dc})"},
}

func labelledBenchQuery(b *testing.B, tick float64, labels, alias string) models.Query {
	b.Helper()
	f := models.DefaultFields()
	f.TickInterval, f.Series, f.Labels, f.Alias = tick, 10, labels, alias
	q, errs := f.Validate(models.WidestSettings())
	if errs != nil {
		b.Fatal(errs)
	}
	return q
}

// BenchmarkStreamTickLabels is BenchmarkStreamTick's 50 rows of 10 series
// without and with labels and alias: labels live in the schema, sent once
// per subscriber, so a stream's messages cost the same per point.
func BenchmarkStreamTickLabels(b *testing.B) {
	for _, bench := range labelledBenchQueries {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newTestDatasource(b, `{"minTickInterval":1}`)
			q := labelledBenchQuery(b, 1, bench.labels, bench.alias)
			value := d.values(q)
			sender := backend.NewStreamSender(&discard{})
			var msg []byte
			const rows = 50
			k := int64(177_000_000_000)
			for b.Loop() {
				if err := d.sendMessage(&msg, sender, q, value, k, k+rows-1, time.Now()); err != nil {
					b.Fatal(err)
				}
				k += rows
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*rows*q.Series), "ns/point")
		})
	}
}

// BenchmarkSubscribeLabels is SubscribeStream's cost, parsing the path and
// building the schema, where labels and alias do cost something: once per
// subscriber, not per message.
func BenchmarkSubscribeLabels(b *testing.B) {
	for _, bench := range labelledBenchQueries {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newTestDatasource(b, "")
			req := &backend.SubscribeStreamRequest{Path: channel.Format(labelledBenchQuery(b, 1000, bench.labels, bench.alias))}
			for b.Loop() {
				resp, err := d.SubscribeStream(b.Context(), req)
				if err != nil || resp.Status != backend.SubscribeStreamStatusOK {
					b.Fatal(resp, err)
				}
			}
		})
	}
}
