package wire

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// sdkFrame is the frame AppendFrame describes, built the way the plugin
// builds its history frames, with labels on several series (which the
// data-only JSON leaves out).
func sdkFrame(first, count, tick, series int64, value ValueFunc) *data.Frame {
	times := make([]time.Time, count)
	for i := range times {
		times[i] = time.UnixMilli((first + int64(i)) * tick).UTC()
	}
	fields := []*data.Field{data.NewField("time", nil, times)}
	for s := int64(1); s <= series; s++ {
		values := make([]float64, count)
		for i := range values {
			values[i] = value(s, first+int64(i))
		}
		var labels data.Labels
		if series > 1 {
			labels = data.Labels{"series": fmt.Sprint(s)}
		}
		fields = append(fields, data.NewField("value", labels, values))
	}
	frame := data.NewFrame("response", fields...)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// checkSame fails unless AppendFrame writes exactly the SDK's bytes.
func checkSame(t *testing.T, first, count, tick, series int64, value ValueFunc) {
	t.Helper()
	want, err := data.FrameToJSON(sdkFrame(first, count, tick, series, value), data.IncludeDataOnly)
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte("reused buffer:")
	got := AppendFrame(append([]byte(nil), prefix...), first, count, tick, series, value)
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Fatalf("first %d count %d tick %d series %d:\n got %s\nwant %s", first, count, tick, series, got[len(prefix):], want)
	}
}

// specialFloats are the values where number formatting changes: the
// plain/exponent boundaries at 1e-6 and 1e21, zero of both signs,
// subnormals, the extremes and values with 17 significant digits.
var specialFloats = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, 100, 42.5, 1e-6, 9.999999999999999e-7, -1e-6, 1e-7, 1.5e-7,
	1e20, 1e21, 9.999999999999999e20, 1.0000000000000001e21, -1e21, 123456789012345680000,
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 2.2250738585072014e-308,
	math.MaxFloat64, -math.MaxFloat64, 1e308, 1e-308, 0.30000000000000004, 1.0 / 3, 2.0 / 3 * 1e-5,
	1e-10, 1e-100, 5e-324, 1e100, 1.7976931348623157e+300, 8.82695216787548, -12345.678901234567,
}

func TestAppendFrameSpecialValues(t *testing.T) {
	for i, v := range specialFloats {
		checkSame(t, int64(i), 1, 1000, 1, func(int64, int64) float64 { return v })
	}
	// All of them in one frame of several series.
	checkSame(t, 0, int64(len(specialFloats)), 1, 3, func(s, k int64) float64 {
		return specialFloats[(k+s)%int64(len(specialFloats))]
	})
}

// TestAppendFrameRandom compares random frames: one to several series,
// times before and after the epoch up to the ECMAScript bound, and values
// of every magnitude.
func TestAppendFrameRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomFloat := func() float64 {
		switch rng.IntN(4) {
		case 0: // any finite bit pattern
			for {
				if v := math.Float64frombits(rng.Uint64()); !math.IsNaN(v) && !math.IsInf(v, 0) {
					return v
				}
			}
		case 1: // a generator's value in ordinary limits
			return -100 + 200*rng.Float64()
		case 2: // around the formatting boundaries
			return math.Ldexp(rng.Float64()+0.5, rng.IntN(160)-90)
		default:
			return float64(rng.Int64N(2_000_000) - 1_000_000)
		}
	}
	for range 2000 {
		tick := []int64{1, 10, 1000, 86_400_000}[rng.IntN(4)]
		count := int64(rng.IntN(60))
		series := int64(1 + rng.IntN(5))
		bound := 8_640_000_000_000_000 / tick
		first := rng.Int64N(2*bound-count) - bound
		values := make(map[[2]int64]float64)
		value := func(s, k int64) float64 {
			v, ok := values[[2]int64{s, k}]
			if !ok {
				v = randomFloat()
				values[[2]int64{s, k}] = v
			}
			return v
		}
		checkSame(t, first, count, tick, series, value)
	}
}

// TestAppendFrameReusesTheBuffer checks the point of the package: once the
// buffer holds a message, the next of the same size costs no allocation.
func TestAppendFrameReusesTheBuffer(t *testing.T) {
	value := func(s, k int64) float64 { return float64(k%1000) / 7 * float64(s) }
	buf := AppendFrame(nil, 1_700_000_000, 50, 10, 10, value)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendFrame(buf[:0], 1_700_000_000, 50, 10, 10, value)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per message, want 0", allocs)
	}
}

// BenchmarkAppendFrame is the encoding's cost per point, to compare with
// the SDK's (pkg/plugin BenchmarkEncodeStreamJSON).
func BenchmarkAppendFrame(b *testing.B) {
	value := func(s, k int64) float64 { return float64(k*7919%1000) / 10 }
	for _, c := range []struct{ rows, series int64 }{{1, 1}, {50, 1}, {1, 100}, {50, 100}} {
		b.Run(fmt.Sprintf("rows=%d/series=%d", c.rows, c.series), func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = AppendFrame(buf[:0], 1_700_000_000_000, c.rows, 1, c.series, value)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*c.rows*c.series), "ns/point")
		})
	}
}
