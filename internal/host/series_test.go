package host

import (
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
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
	if isNoData(f) {
		return series{}, nil
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
	return expectedTimesSeries(fromMS, toMS, tick, maxDataPoints, 1)
}

// expectedTimesSeries is expectedTimes for a query of the given number of
// series, whose points per series L are also capped at
// floor(1000000 / series).
func expectedTimesSeries(fromMS, toMS, tick, maxDataPoints, seriesCount int64) []int64 {
	kFirst, kLast := ceilDiv(fromMS, tick), floorDiv(toMS, tick)
	n := kLast - kFirst + 1
	if n <= 0 {
		return nil
	}
	l := maxDataPoints
	if l <= 0 {
		l = 1000
	}
	l = min(l, 10000, 1_000_000/seriesCount)
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

// columns is a decoded frame of a time field and N value fields:
// values[i] is series i+1.
type columns struct {
	times  []int64
	values [][]float64
}

// frameColumns checks that f is the frame of a query with n series: a time
// field, then n float64 fields named value, a plain one (no labels) when n
// is 1, else labelled exactly series="1" … series="n" in that order, with
// no nulls; it returns them.
func frameColumns(f *data.Frame, n int) (columns, error) {
	return frameColumnsLabelled(f, n, "")
}

// wantSeriesLabels is the labels series j (1-based) of n must carry for the
// canonical labels template labels ("" for none), worked out here
// independently of pkg/models: the pairs with $seriesIndex replaced, else
// series="<j>" when there are several series, else none.
func wantSeriesLabels(labels string, n, j int) data.Labels {
	if labels == "" {
		if n > 1 {
			return data.Labels{"series": strconv.Itoa(j)}
		}
		return nil
	}
	want := data.Labels{}
	for _, pair := range strings.Split(labels, ", ") {
		key, value, _ := strings.Cut(pair, "=")
		want[key] = strings.ReplaceAll(value, "$seriesIndex", strconv.Itoa(j))
	}
	return want
}

// frameColumnsLabelled is frameColumns for a query with the canonical
// labels template labels: each value field must carry exactly
// wantSeriesLabels.
func frameColumnsLabelled(f *data.Frame, n int, labels string) (columns, error) {
	if f == nil {
		return columns{}, fmt.Errorf("no frame")
	}
	if isNoData(f) {
		return columns{values: make([][]float64, n)}, nil
	}
	if len(f.Fields) != n+1 {
		return columns{}, fmt.Errorf("%d fields %s, want time and %d value fields", len(f.Fields), fieldNames(f), n)
	}
	tf := f.Fields[0]
	if tf.Name != "time" || !tf.Type().Time() {
		return columns{}, fmt.Errorf("first field %q of type %s, want time", tf.Name, tf.Type())
	}
	rows := tf.Len()
	c := columns{times: make([]int64, rows), values: make([][]float64, n)}
	for i := range rows {
		tv, ok := tf.ConcreteAt(i)
		if !ok {
			return columns{}, fmt.Errorf("row %d: null time", i)
		}
		tt := tv.(time.Time)
		if tt.Sub(tt.Truncate(time.Millisecond)) != 0 {
			return columns{}, fmt.Errorf("row %d: time %s is not a whole millisecond", i, tt.Format(time.RFC3339Nano))
		}
		c.times[i] = tt.UnixMilli()
	}
	for j := range n {
		vf := f.Fields[j+1]
		if vf.Name != "value" {
			return columns{}, fmt.Errorf("field %d is named %q, want value", j+1, vf.Name)
		}
		if want := wantSeriesLabels(labels, n, j+1); !maps.Equal(vf.Labels, want) {
			return columns{}, fmt.Errorf("field %d has labels %v, want exactly %v", j+1, vf.Labels, want)
		}
		if vf.Type() != data.FieldTypeFloat64 && vf.Type() != data.FieldTypeNullableFloat64 {
			return columns{}, fmt.Errorf("field %d has type %s, want float64", j+1, vf.Type())
		}
		if vf.Len() != rows {
			return columns{}, fmt.Errorf("field %d has %d rows, time %d", j+1, vf.Len(), rows)
		}
		c.values[j] = make([]float64, rows)
		for i := range rows {
			vv, ok := vf.ConcreteAt(i)
			if !ok {
				return columns{}, fmt.Errorf("series %d row %d: null value", j+1, i)
			}
			c.values[j][i] = vv.(float64)
		}
	}
	return c, nil
}

// column returns series i (0-based) of c as a series.
func (c columns) column(i int) series { return series{times: c.times, values: c.values[i]} }

func fieldNames(f *data.Frame) string {
	names := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		names[i] = fl.Name
		if len(fl.Labels) > 0 {
			names[i] += fl.Labels.String()
		}
	}
	return fmt.Sprintf("%q", names)
}

// isNoData reports whether f is the answer to a range without points: a
// frame of a time series type without fields, which alert rules read as No
// Data (alerting_test.go); it holds zero points of each series.
func isNoData(f *data.Frame) bool {
	return len(f.Fields) == 0 && f.Meta != nil &&
		(f.Meta.Type == data.FrameTypeTimeSeriesMulti || f.Meta.Type == data.FrameTypeTimeSeriesWide)
}
