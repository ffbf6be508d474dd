package alertread

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// timeSeriesFrame is a multi-frame time series of one point, typed as
// Tickstream types its number frames.
func timeSeriesFrame(labels data.Labels) *data.Frame {
	f := data.NewFrame("",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1_700_000_000_000)}),
		data.NewField("value", labels, []float64{42}))
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	return f
}

func TestRead(t *testing.T) {
	typedEmpty := data.NewFrame("")
	typedEmpty.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	noRows := timeSeriesFrame(nil)
	for _, f := range noRows.Fields {
		f.Delete(0)
	}
	states := data.NewFrame("", data.NewField("time", nil, []time.Time{time.UnixMilli(0)}), data.NewField("state", nil, []string{"OK"}))
	for _, tc := range []struct {
		name       string
		frames     data.Frames
		noData     bool
		series     int
		timeSeries bool
	}{
		{"a typed frame without fields is the dataplane's No Data", data.Frames{typedEmpty}, true, 0, true},
		{"an untyped frame without fields is No Data", data.Frames{data.NewFrame("")}, true, 0, false},
		// Issue 21's defect: Grafana took this for a series without points
		// (NaN, an alert that fires), not for No Data.
		{"a typed frame with fields and no rows is a series, not No Data", data.Frames{noRows}, false, 1, true},
		{"a typed frame of points is one series", data.Frames{timeSeriesFrame(nil)}, false, 1, true},
		{"two typed frames with labels are two series", data.Frames{timeSeriesFrame(data.Labels{"s": "1"}), timeSeriesFrame(data.Labels{"s": "2"})}, false, 2, true},
		{"an untyped frame of strings is no time series", data.Frames{states}, false, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.frames)
			if err != nil {
				t.Fatal(err)
			}
			if r.NoData != tc.noData || len(r.Series) != tc.series || r.TimeSeries != tc.timeSeries {
				t.Errorf("read as NoData %v, %d series, time series %v; want %v, %d, %v", r.NoData, len(r.Series), r.TimeSeries, tc.noData, tc.series, tc.timeSeries)
			}
		})
	}
}
