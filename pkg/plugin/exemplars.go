package plugin

import (
	"maps"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// exemplarFrameName is the name by which Grafana's panels tell exemplars
// from annotations among a response's annotation frames.
const exemplarFrameName = "exemplar"

// exemplarEvery is the period in ticks of at most n exemplars per series
// over a history whose kept ticks, step apart, are at most most: step ×
// ceil(most / n), so that the exemplars sit on kept ticks. most is what a
// range of the history's length can keep wherever it falls, not what this
// one kept, so that every refresh of a sliding range gets the same period,
// and so the same exemplar channel. 0 when there are none to place (no
// kept tick, or n 0).
func exemplarEvery(step, most, n int64) int64 {
	if most <= 0 || n <= 0 {
		return 0
	}
	return step * ((most + n - 1) / n)
}

// exemplarRows appends the exemplars at the ticks from … to divisible by
// every, tick first, then series: one row per series with a point there.
// A tick in an outage or a dropped point has no point, so no exemplar.
// Anchoring on multiples, as signal.Thin does, keeps them in place as a
// range slides, and gives a stream the same ticks as any history
// (exemplars_live.go).
func exemplarRows(dst []wire.Row, gen *signal.Generator, series, from, to, every int64) []wire.Row {
	for k := signal.FirstTickAtOrAfter(from, every) * every; k <= to; k += every {
		if !gen.HasRow(k) {
			continue
		}
		for s := int64(1); s <= series; s++ {
			if !gen.Dropped(s, k) {
				dst = append(dst, wire.Row{K: k, S: s})
			}
		}
	}
	return dst
}

// exemplars returns the exemplar frame of the history start, step, count
// (framer.frame's arguments) at the kept ticks divisible by every
// (exemplarEvery; 0 for none), each on a point of its series (same time,
// same value). The frame is in the annotations data topic; a live range's
// also follows its exemplar channel (exemplars_live.go), of the same
// period.
func (f *framer) exemplars(start, step, count, every int64, url string) *data.Frame {
	var rows []wire.Row
	if count > 0 && every > 0 {
		rows = exemplarRows(nil, f.gen, f.q.Series, start, start+(count-1)*step, every)
	}
	return f.exemplarFrame(rows, url)
}

// exemplarFrame returns the exemplar frame of rows. Fields: time, value,
// traceID (signal.AppendTraceID; with url, a data link on it) and one
// string field per label of the series, as Prometheus's exemplars carry
// them, so that Grafana matches each exemplar to its series.
// exemplarColumns writes the same fields into a stream message.
func (f *framer) exemplarFrame(rows []wire.Row, url string) *data.Frame {
	times := make([]time.Time, len(rows))
	values := make([]float64, len(rows))
	traceIDs := make([]string, len(rows))
	var id []byte
	for j, r := range rows {
		id = f.gen.AppendTraceID(id[:0], r.S, r.K)
		times[j] = time.UnixMilli(signal.TickTime(r.K, f.q.TickInterval)).UTC()
		values[j], traceIDs[j] = f.gen.Value(r.S, r.K), string(id)
	}
	traceField := data.NewField("traceID", nil, traceIDs)
	if url != "" {
		traceField.Config = &data.FieldConfig{Links: []data.DataLink{{Title: "Open trace", URL: url}}}
	}
	fields := []*data.Field{data.NewField("time", nil, times), data.NewField("value", nil, values), traceField}
	for _, key := range f.labelKeys() {
		column := make([]string, len(rows))
		for j, r := range rows {
			column[j] = f.labels[r.S-1][key]
		}
		fields = append(fields, data.NewField(key, nil, column))
	}
	frame := data.NewFrame(exemplarFrameName, fields...)
	frame.Meta = &data.FrameMeta{DataTopic: data.DataTopicAnnotations}
	return frame
}

// labelKeys are the keys of the series' labels in order (every series has
// the same keys); none for a single unlabelled series.
func (f *framer) labelKeys() []string {
	if f.labels == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(f.labels[0]))
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

// withExemplars appends to frames the exemplar frame of o, of period
// every, when o asks for exemplars; a query without them costs nothing
// here.
func (f *framer) withExemplars(frames []*data.Frame, o models.Overlays, start, step, count, every int64) []*data.Frame {
	if o.Exemplars == 0 {
		return frames
	}
	return append(frames, f.exemplars(start, step, count, every, o.ExemplarURL))
}
