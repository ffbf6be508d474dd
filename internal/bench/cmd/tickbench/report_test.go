package main

import "testing"

func TestGoBenchNsPerPoint(t *testing.T) {
	b := &bench{goBenchOut: "pkg: github.com/tickstream/streaming/pkg/plugin\n" +
		"BenchmarkGeneratorFill/random-2   100  9999 ns/op  99.0 ns/point\n" +
		"pkg: github.com/tickstream/streaming/pkg/signal\n" +
		"BenchmarkGenerator/random-2       1000  21.2 ns/op\n" +
		"BenchmarkGeneratorFill/random-2   300000  3612 ns/op  3.612 ns/point  0 B/op  0 allocs/op\n"}
	if v, ok := b.goBenchNsPerPoint("pkg/signal", "BenchmarkGeneratorFill/random"); !ok || v != 3.612 {
		t.Errorf("goBenchNsPerPoint = %v, %v; want 3.612 from pkg/signal's line", v, ok)
	}
	if _, ok := b.goBenchNsPerPoint("pkg/signal", "BenchmarkGenerator/random"); ok {
		t.Error("goBenchNsPerPoint found a ns/point in a line that has none")
	}
}
