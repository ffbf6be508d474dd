// Package alertread reads a query's frames the way Grafana's alert engine
// does, with the library it uses, so that tests assert what Grafana will
// conclude (No Data, which series) rather than what Tickstream meant.
//
// Grafana's server-side expressions (pkg/expr/converter.go) read frames
// whose type grafana/dataplane supports through its time series reader;
// any other single frame without fields is untyped No Data; anything else
// is no time series to alert on.
package alertread

import (
	"fmt"

	"github.com/grafana/dataplane/sdata/reader"
	"github.com/grafana/dataplane/sdata/timeseries"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Reading is what an alert rule makes of one query's frames.
type Reading struct {
	// NoData says the rule sees No Data.
	NoData bool
	// Series are the time series the rule evaluates, when not NoData.
	Series []timeseries.MetricRef
	// TimeSeries says the frames are a time series at all; states and log
	// lines are rows to show, not numbers to alert on.
	TimeSeries bool
}

// Read reads frames as an alert rule does. Its error is the dataplane
// reader's: frames that claim a time series type it refuses.
func Read(frames data.Frames) (Reading, error) {
	if ft, err := reader.CanReadBasedOnMeta(frames); err == nil && ft.Kind() == data.KindTimeSeries {
		cr, err := timeseries.CollectionReaderFromFrames(frames)
		if err != nil {
			return Reading{}, fmt.Errorf("the dataplane reader refuses the frames: %w", err)
		}
		c, err := cr.GetCollection(true)
		if err != nil {
			return Reading{}, fmt.Errorf("the dataplane reader finds the frames invalid: %w", err)
		}
		return Reading{NoData: c.NoData(), Series: c.Refs, TimeSeries: true}, nil
	}
	return Reading{NoData: len(frames) == 1 && len(frames[0].Fields) == 0}, nil
}
