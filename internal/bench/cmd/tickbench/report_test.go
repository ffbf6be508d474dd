package main

import "testing"

func TestGoBenchMetric(t *testing.T) {
	b := &bench{goBenchOut: "pkg: github.com/tickstream/streaming/pkg/plugin\n" +
		"BenchmarkGeneratorFill/random-2   100  9999 ns/op  99.0 ns/point\n" +
		"pkg: github.com/tickstream/streaming/pkg/signal\n" +
		"BenchmarkGenerator/random-2       1000  21.2 ns/op\n" +
		"BenchmarkGeneratorFill/random-2   300000  3612 ns/op  3.612 ns/point  0 B/op  0 allocs/op\n" +
		"pkg: github.com/tickstream/streaming/pkg/schedule\n" +
		"BenchmarkSleepLateness/sleep-2         \t     694\t   1676047 ns/op\t        81.17 µs-late-p50\t      3093 µs-late-p99\n"}
	if v, ok := b.goBenchMetric("pkg/signal", "BenchmarkGeneratorFill/random", "ns/point"); !ok || v != 3.612 {
		t.Errorf("goBenchMetric = %v, %v; want 3.612 from pkg/signal's line", v, ok)
	}
	if _, ok := b.goBenchMetric("pkg/signal", "BenchmarkGenerator/random", "ns/point"); ok {
		t.Error("goBenchMetric found a ns/point in a line that has none")
	}
	if v, ok := b.goBenchMetric("pkg/schedule", "BenchmarkSleepLateness/sleep", "µs-late-p99"); !ok || v != 3093 {
		t.Errorf("goBenchMetric = %v, %v; want 3093 µs-late-p99, the metric at the end of the line", v, ok)
	}
}
