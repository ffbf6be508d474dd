package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// frameName is the name of every frame Tickstream sends, history and live
// alike, so the browser's streaming buffer sees one shape throughout.
const frameName = "response"

// ticksFrame returns the frame of count ticks of q starting at tick start,
// step ticks apart: a "time" field of UTC timestamps on the grid and a
// "value" field of the values signal.Value gives them.
func ticksFrame(q models.Query, start, step, count int64) *data.Frame {
	times := make([]time.Time, count)
	values := make([]float64, count)
	for i := range count {
		k := start + i*step
		times[i] = time.UnixMilli(signal.TickTime(k, q.TickInterval)).UTC()
		values[i] = signal.Value(q, k)
	}
	frame := data.NewFrame(frameName,
		data.NewField("time", nil, times),
		data.NewField("value", nil, values),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// schemaFrame is an empty frame of the shape every Tickstream frame has,
// sent once per subscriber as the stream's schema.
func schemaFrame() *data.Frame {
	return ticksFrame(models.DefaultQuery(), 0, 1, 0)
}
