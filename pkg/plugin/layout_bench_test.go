package plugin

import (
	"testing"

	"github.com/tickstream/streaming/pkg/wire"
)

// kindBenchPaths are one stream of each kind with the same shape, 10
// series and a 1 ms tick, so that a message of 50 ticks is 500 points (500
// log lines) and the figures compare like with like; the first is today's
// plain numbers.
var kindBenchPaths = []struct{ name, path string }{
	{"number", "v1/t=1/lo=0/hi=100/seed=3/shape=walk/series=10"},
	{"number+drop", "v1/t=1/lo=0/hi=100/seed=3/shape=walk/series=10/drop=10"},
	{"number+outage", "v1/t=1/lo=0/hi=100/seed=3/shape=walk/series=10/outage=60000_1000"},
	{"csv", "v1/t=1/lo=0/hi=100/seed=3/shape=csv/series=10/values=1_2_3_5_8_13_21_34_55_89"},
	{"state", "v1/t=1/lo=0/hi=100/seed=3/shape=walk/series=10/kind=state/states=OK.WARN.CRIT"},
	{"logs", "v1/t=1/lo=0/hi=100/seed=3/shape=walk/series=10/kind=logs"},
}

// BenchmarkKindStreamMessage is a stream message's cost per point for each
// kind: 50 ticks of 10 series generated and encoded into the reused
// buffer, as the runner sends them (the send itself discarded).
func BenchmarkKindStreamMessage(b *testing.B) {
	for _, bench := range kindBenchPaths {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newTestDatasource(b, "")
			q := pathQuery(b, bench.path)
			var msg []byte
			k := int64(177_000_000_000)
			const rows = 50
			if g := d.newGapsStream(q); g != nil {
				for b.Loop() {
					msg, _ = g.appendMessage(msg[:0], k, k+rows-1)
					k += rows
				}
			} else {
				value := d.values(q)
				for b.Loop() {
					msg = wire.AppendFrame(msg[:0], k, rows, q.TickInterval, q.Series, value)
					k += rows
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*rows*q.Series), "ns/point")
			b.ReportMetric(float64(len(msg))/float64(rows*q.Series), "B/point")
		})
	}
}

// BenchmarkKindHistory is QueryData's frame for each kind, per point: 1000
// ticks of 10 series built and encoded to Arrow as the SDK sends it.
func BenchmarkKindHistory(b *testing.B) {
	for _, bench := range kindBenchPaths {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			q := pathQuery(b, bench.path)
			const rows = 1000
			f := newFramer(q)
			for b.Loop() {
				if _, err := f.frame(177_000_000_000, 7, rows).MarshalArrow(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*rows*q.Series), "ns/point")
		})
	}
}
