package host

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// series is a decoded time/value frame: times in ms since the epoch.
type series struct {
	times  []int64
	values []float64
}

// frameSeries checks that f has exactly the fields time (a time) and value
// (a number, never null) and returns them.
func frameSeries(f *data.Frame) (series, error) {
	if f == nil {
		return series{}, fmt.Errorf("no frame")
	}
	if len(f.Fields) != 2 || f.Fields[0].Name != "time" || f.Fields[1].Name != "value" {
		names := make([]string, len(f.Fields))
		for i, fl := range f.Fields {
			names[i] = fl.Name
		}
		return series{}, fmt.Errorf("fields %q, want [time value]", names)
	}
	tf, vf := f.Fields[0], f.Fields[1]
	if !tf.Type().Time() {
		return series{}, fmt.Errorf("field time has type %s, want a time", tf.Type())
	}
	if vf.Type() != data.FieldTypeFloat64 && vf.Type() != data.FieldTypeNullableFloat64 {
		return series{}, fmt.Errorf("field value has type %s, want float64", vf.Type())
	}
	n := tf.Len()
	if vf.Len() != n {
		return series{}, fmt.Errorf("time has %d rows, value %d", n, vf.Len())
	}
	s := series{times: make([]int64, n), values: make([]float64, n)}
	for i := range n {
		tv, ok := tf.ConcreteAt(i)
		if !ok {
			return series{}, fmt.Errorf("row %d: null time", i)
		}
		tt := tv.(time.Time)
		if tt.Sub(tt.Truncate(time.Millisecond)) != 0 {
			return series{}, fmt.Errorf("row %d: time %s is not a whole millisecond", i, tt.Format(time.RFC3339Nano))
		}
		s.times[i] = tt.UnixMilli()
		vv, ok := vf.ConcreteAt(i)
		if !ok {
			return series{}, fmt.Errorf("row %d: null value", i)
		}
		s.values[i] = vv.(float64)
	}
	return s, nil
}

// checkValues reports values that are not finite or outside [lo, hi].
func checkValues(t *testing.T, what string, s series, lo, hi float64) {
	t.Helper()
	bad := 0
	for i, v := range s.values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
			if bad < 5 {
				t.Errorf("%s: value %v at %d outside [%v, %v]", what, v, s.times[i], lo, hi)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d values outside [%v, %v] in all", what, bad, lo, hi)
	}
}

// expectedTimes is the contract's history grid, computed here independently:
// grid points k×tick with from ≤ t ≤ to, thinned to the ks divisible by
// m = ceil(n / L), L = maxDataPoints (1000 when ≤ 0) capped at 10000.
func expectedTimes(fromMS, toMS, tick, maxDataPoints int64) []int64 {
	kFirst, kLast := ceilDiv(fromMS, tick), floorDiv(toMS, tick)
	n := kLast - kFirst + 1
	if n <= 0 {
		return nil
	}
	l := maxDataPoints
	if l <= 0 {
		l = 1000
	}
	l = min(l, 10000)
	m := ceilDiv(n, l)
	var out []int64
	for k := ceilDiv(kFirst, m) * m; k <= kLast; k += m {
		out = append(out, k*tick)
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// diffTimes describes how got differs from want, or "" when equal.
func diffTimes(got, want []int64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d points, want %d (got %s, want %s)", len(got), len(want), ends(got), ends(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("point %d at %d, want %d", i, got[i], want[i])
		}
	}
	return ""
}

func ends(ts []int64) string {
	if len(ts) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d … %d", ts[0], ts[len(ts)-1])
}

// msTime is a time from ms since the epoch.
func msTime(ms int64) time.Time { return time.UnixMilli(ms) }
