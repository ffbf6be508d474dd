package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

func init() {
	layouts[models.SignalState] = newStateLayout
}

// stateLayout is the state kind: a string "value" field per series, the
// state's name (nullable when dropPercent is set), which the state
// timeline draws as bands. The frame has no type: the time series types
// hold numbers only.
type stateLayout struct {
	q      models.Query
	gen    *signal.Generator
	labels []data.Labels
}

func newStateLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	return &stateLayout{q: q, gen: gen, labels: labels}
}

func (l *stateLayout) appendRows(dst []wire.Row, k int64) []wire.Row {
	return append(dst, wire.Row{K: k})
}

func (l *stateLayout) fields(times []time.Time, rows []wire.Row) []*data.Field {
	fields := []*data.Field{data.NewField("time", nil, times)}
	for s := int64(1); s <= l.q.Series; s++ {
		labels := seriesLabels(l.labels, s)
		if !l.gen.HasNulls() {
			values := make([]string, len(rows))
			for j, r := range rows {
				values[j] = l.gen.State(s, r.K)
			}
			fields = append(fields, data.NewField("value", labels, values))
			continue
		}
		// One backing array for the points, not an allocation each.
		backing := make([]string, len(rows))
		values := make([]*string, len(rows))
		for j, r := range rows {
			if !l.gen.Dropped(s, r.K) {
				backing[j] = l.gen.State(s, r.K)
				values[j] = &backing[j]
			}
		}
		fields = append(fields, data.NewField("value", labels, values))
	}
	return fields
}

func (l *stateLayout) columns() []wire.Column {
	cols := make([]wire.Column, l.q.Series)
	for j := range cols {
		s := int64(j) + 1
		cols[j] = func(dst []byte, r wire.Row) []byte {
			if l.gen.Dropped(s, r.K) {
				return wire.AppendNull(dst)
			}
			return wire.AppendString(dst, l.gen.State(s, r.K))
		}
	}
	return cols
}

func (l *stateLayout) meta() *data.FrameMeta {
	return &data.FrameMeta{}
}
