package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// frameName is the name of every frame Tickstream sends, history and live
// alike, so the browser's streaming buffer sees one shape throughout.
const frameName = "response"

// framer builds the frames of one query: a "time" field of UTC timestamps
// on the grid and one "value" field per series, with the query's labels
// (series="1" … series="N" when there are several and it sets none) and
// its alias as display name: QueryData's history and a stream's
// schema. (A stream's messages skip the frame: pkg/wire writes their JSON
// directly, the same bytes.) It derives the generator and the labels once
// and reuses its buffers, so it belongs to one goroutine.
type framer struct {
	q      models.Query
	gen    *signal.Generator
	labels []data.Labels // nil for a single unlabelled series: a plain "value"
	// names are the series' display names (config.displayNameFromDS), nil
	// without an alias.
	names  []string
	times  []time.Time
	values []float64
	// layout lays out a frame that is not plain numbers (layout.go); nil
	// for plain numbers.
	layout layout
	rows   []wire.Row
}

// newFramer returns the framer of the valid query q.
func newFramer(q models.Query) *framer {
	f := &framer{q: q, gen: signal.New(q)}
	names := q.Names()
	if q.Series > 1 || q.Labels != "" {
		f.labels = make([]data.Labels, q.Series)
		for i := range f.labels {
			f.labels[i] = names.Labels(int64(i + 1))
		}
	}
	if q.Alias != "" {
		f.names = make([]string, q.Series)
		for i := range f.names {
			f.names[i] = names.DisplayName(int64(i + 1))
		}
	}
	f.layout = newLayout(q, f.gen, f.labels)
	return f
}

// frame returns count ticks starting at tick start, step ticks apart.
func (f *framer) frame(start, step, count int64) *data.Frame {
	if f.layout != nil {
		return f.layoutFrame(start, step, count)
	}
	f.times = f.times[:0]
	for i := range count {
		f.times = append(f.times, time.UnixMilli(signal.TickTime(start+i*step, f.q.TickInterval)).UTC())
	}
	fields := make([]*data.Field, 0, 1+f.q.Series)
	fields = append(fields, data.NewField("time", nil, f.times))
	for s := int64(1); s <= f.q.Series; s++ {
		f.values = append(f.values[:0], make([]float64, count)...)
		f.gen.FillSeries(s, start, step, f.values)
		var labels data.Labels
		if f.labels != nil {
			labels = f.labels[s-1]
		}
		field := data.NewField("value", labels, f.values) // NewField copies the buffer
		if f.names != nil {
			field.Config = &data.FieldConfig{DisplayNameFromDS: f.names[s-1]}
		}
		fields = append(fields, field)
	}
	frame := data.NewFrame(frameName, fields...)
	// One value field is a valid frame of either time series type; the
	// foundation called it multi and a single series keeps that. Several
	// labelled value fields in one frame are the wide format.
	frameType := data.FrameTypeTimeSeriesMulti
	if f.q.Series > 1 {
		frameType = data.FrameTypeTimeSeriesWide
	}
	frame.Meta = &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// schema is an empty frame of the query's shape, sent once per subscriber
// as the stream's schema.
func (f *framer) schema() *data.Frame {
	return f.frame(0, 1, 0)
}
