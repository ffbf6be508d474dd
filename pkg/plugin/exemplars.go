package plugin

import (
	"maps"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// exemplarFrameName is the name by which Grafana's panels tell exemplars
// from annotations among a response's annotation frames.
const exemplarFrameName = "exemplar"

// exemplars returns the exemplar frame of the history start, step, count
// (framer.frame's arguments): at most n exemplars per series, each on a
// point of its series (same time, same value), at the kept ticks divisible
// by step × ceil(count / n). Anchoring on multiples, as signal.Thin does,
// keeps them in place as the range slides. A tick in an outage or a
// dropped point has no point, so no exemplar. Fields: time, value,
// traceID (signal.AppendTraceID; with url, a data link on it) and one
// string field per label of the series, as Prometheus's exemplars carry
// them, so that Grafana matches each exemplar to its series. The frame is
// in the annotations data topic and never follows the stream (see
// docs/annotations-and-exemplars.md for why).
func (f *framer) exemplars(start, step, count, n int64, url string) *data.Frame {
	var times []time.Time
	var values []float64
	var traceIDs []string
	var series []int64
	if count > 0 && n > 0 {
		every := step * ((count + n - 1) / n)
		last := start + (count-1)*step
		var id []byte
		for k := signal.FirstTickAtOrAfter(start, every) * every; k <= last; k += every {
			if !f.gen.HasRow(k) {
				continue
			}
			t := time.UnixMilli(signal.TickTime(k, f.q.TickInterval)).UTC()
			for s := int64(1); s <= f.q.Series; s++ {
				if f.gen.Dropped(s, k) {
					continue
				}
				id = f.gen.AppendTraceID(id[:0], s, k)
				times, values, traceIDs, series = append(times, t), append(values, f.gen.Value(s, k)), append(traceIDs, string(id)), append(series, s)
			}
		}
	}
	traceField := data.NewField("traceID", nil, traceIDs)
	if url != "" {
		traceField.Config = &data.FieldConfig{Links: []data.DataLink{{Title: "Open trace", URL: url}}}
	}
	fields := []*data.Field{data.NewField("time", nil, times), data.NewField("value", nil, values), traceField}
	if f.labels != nil {
		for _, key := range slices.Sorted(maps.Keys(f.labels[0])) {
			column := make([]string, len(series))
			for j, s := range series {
				column[j] = f.labels[s-1][key]
			}
			fields = append(fields, data.NewField(key, nil, column))
		}
	}
	frame := data.NewFrame(exemplarFrameName, fields...)
	frame.Meta = &data.FrameMeta{DataTopic: data.DataTopicAnnotations}
	return frame
}

// overlaysFor returns the overlays o of a query of req, without exemplars
// when an alert rule evaluates it: the alerting engine reads every frame
// of a response through the data plane contract, where an exemplar frame
// is no series, so a rule made from a panel with exemplars would break.
func overlaysFor(req *backend.QueryDataRequest, o models.Overlays) models.Overlays {
	if _, fromAlert := req.Headers[backend.FromAlertHeaderName]; fromAlert {
		o.Exemplars = 0
	}
	return o
}

// withExemplars appends to frames the exemplar frame of o, when o asks for
// exemplars; a query without them costs nothing here.
func (f *framer) withExemplars(frames []*data.Frame, o models.Overlays, start, step, count int64) []*data.Frame {
	if o.Exemplars == 0 {
		return frames
	}
	return append(frames, f.exemplars(start, step, count, o.Exemplars, o.ExemplarURL))
}
