package plugin_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The frame encodings a stream and a history pay for, through the SDK alone
// (independent of this package's internals, which are changing): the
// tutorial's per-tick frame with its schema, data-only frames of one tick
// and of a coalesced batch, and the Arrow encoding QueryData sends. Each
// reports ns per point besides ns per op. developers/benchmarks.md carries them.

// benchFrame is a time field and `series` value fields of `rows` rows,
// shaped like Tickstream's frames.
func benchFrame(rows, series int) *data.Frame {
	t0 := time.UnixMilli(1_700_000_000_000).UTC()
	times := make([]time.Time, rows)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Millisecond)
	}
	fields := []*data.Field{data.NewField("time", nil, times)}
	for s := range series {
		values := make([]float64, rows)
		for i := range values {
			values[i] = float64(i*7919%1000) / 10
		}
		var labels data.Labels
		if series > 1 {
			labels = data.Labels{"series": fmt.Sprint(s + 1)}
		}
		fields = append(fields, data.NewField("value", labels, values))
	}
	frame := data.NewFrame("response", fields...)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// BenchmarkEncodeTutorialTick is the baseline's cost per tick before the
// protocol: a new one-row frame from time.Now(), encoded with its schema.
func BenchmarkEncodeTutorialTick(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		frame := data.NewFrame("response",
			data.NewField("time", nil, []time.Time{time.Now()}),
			data.NewField("value", nil, []float64{42.5}),
		)
		out, err := data.FrameToJSON(frame, data.IncludeAll)
		if err != nil {
			b.Fatal(err)
		}
		n += len(out)
	}
	b.ReportMetric(float64(n)/float64(b.N), "B/msg")
}

// BenchmarkEncodeStreamJSON is a stream message's encoding, data only,
// of an already built frame: rows ticks × series values.
func BenchmarkEncodeStreamJSON(b *testing.B) {
	for _, c := range []struct{ rows, series int }{{1, 1}, {50, 1}, {1, 100}, {50, 100}} {
		b.Run(fmt.Sprintf("rows=%d/series=%d", c.rows, c.series), func(b *testing.B) {
			b.ReportAllocs()
			frame := benchFrame(c.rows, c.series)
			n := 0
			for b.Loop() {
				out, err := data.FrameToJSON(frame, data.IncludeDataOnly)
				if err != nil {
					b.Fatal(err)
				}
				n += len(out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.rows*c.series), "ns/point")
			b.ReportMetric(float64(n)/float64(b.N), "B/msg")
		})
	}
}

// BenchmarkEncodeHistoryArrow is QueryData's encoding of one frame.
func BenchmarkEncodeHistoryArrow(b *testing.B) {
	for _, c := range []struct{ rows, series int }{{10_000, 1}, {10_000, 100}} {
		b.Run(fmt.Sprintf("rows=%d/series=%d", c.rows, c.series), func(b *testing.B) {
			b.ReportAllocs()
			frames := data.Frames{benchFrame(c.rows, c.series)}
			for b.Loop() {
				if _, err := frames.MarshalArrow(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.rows*c.series), "ns/point")
		})
	}
}
