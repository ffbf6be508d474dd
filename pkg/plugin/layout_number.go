package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

func init() {
	layouts[models.SignalNumber] = newNumberLayout
}

// numberLayout is the numbers of framer.frame with nulls and outages: a
// nullable float64 "value" field per series when dropPercent is set (JSON
// null live, an Arrow null in history), plain float64 otherwise.
type numberLayout struct {
	q      models.Query
	gen    *signal.Generator
	labels []data.Labels
}

func newNumberLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	return &numberLayout{q: q, gen: gen, labels: labels}
}

func (l *numberLayout) appendRows(dst []wire.Row, k int64) []wire.Row {
	return append(dst, wire.Row{K: k})
}

func (l *numberLayout) fields(times []time.Time, rows []wire.Row) []*data.Field {
	fields := []*data.Field{data.NewField("time", nil, times)}
	for s := int64(1); s <= l.q.Series; s++ {
		labels := seriesLabels(l.labels, s)
		if !l.gen.HasNulls() {
			values := make([]float64, len(rows))
			for j, r := range rows {
				values[j] = l.gen.Value(s, r.K)
			}
			fields = append(fields, data.NewField("value", labels, values))
			continue
		}
		// One backing array for the points, not an allocation each.
		backing := make([]float64, len(rows))
		values := make([]*float64, len(rows))
		for j, r := range rows {
			if !l.gen.Dropped(s, r.K) {
				backing[j] = l.gen.Value(s, r.K)
				values[j] = &backing[j]
			}
		}
		fields = append(fields, data.NewField("value", labels, values))
	}
	return fields
}

func (l *numberLayout) columns() []wire.Column {
	cols := make([]wire.Column, l.q.Series)
	for j := range cols {
		s := int64(j) + 1
		cols[j] = func(dst []byte, r wire.Row) []byte {
			if l.gen.Dropped(s, r.K) {
				return wire.AppendNull(dst)
			}
			return wire.AppendFloat(dst, l.gen.Value(s, r.K))
		}
	}
	return cols
}

func (l *numberLayout) meta() *data.FrameMeta {
	return wideMeta(l.labels)
}
