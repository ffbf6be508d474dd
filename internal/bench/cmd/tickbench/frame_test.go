package main

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestParseFrame checks the driver's shortcut reader against frames the
// SDK encodes, in the forms the bench's plugins send.
func TestParseFrame(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000).UTC()
	times := []time.Time{t0, t0.Add(10 * time.Millisecond), t0.Add(20*time.Millisecond + 1234*time.Nanosecond)}
	tests := []struct {
		name      string
		include   data.FrameInclude
		series    int
		wantNanos bool
	}{
		{"data only, one series", data.IncludeDataOnly, 1, true},
		{"with schema, one series", data.IncludeAll, 1, true},
		{"data only, three series", data.IncludeDataOnly, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := []*data.Field{data.NewField("time", nil, times)}
			for range tt.series {
				fields = append(fields, data.NewField("value", nil, []float64{1.5, -2, 3e300}))
			}
			msg, err := data.FrameToJSON(data.NewFrame("response", fields...), tt.include)
			if err != nil {
				t.Fatal(err)
			}
			var got frameRows
			if err := parseFrame(msg, &got); err != nil {
				t.Fatalf("parseFrame(%s): %v", msg, err)
			}
			if got.series != tt.series {
				t.Errorf("series = %d, want %d in %s", got.series, tt.series, msg)
			}
			if len(got.times) != len(times) {
				t.Fatalf("times = %v, want %d rows in %s", got.times, len(times), msg)
			}
			for i, ts := range times {
				ns := int64(0)
				if len(got.nanos) == len(got.times) {
					ns = got.nanos[i]
				}
				if g := got.times[i]*1e6 + ns; g != ts.UnixNano() {
					t.Errorf("row %d: %d ns, want %d in %s", i, g, ts.UnixNano(), msg)
				}
			}
		})
	}
}
