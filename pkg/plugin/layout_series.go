package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// seriesLayout is the layout of the kinds with one "value" field per
// series and one row per tick (numbers and states): a field of T, or of
// *T with nulls where dropPercent drops a point (JSON null live, an Arrow
// null in history). The kinds differ only in what value gives, how a
// message writes it and the frame's type.
type seriesLayout[T float64 | string] struct {
	q      models.Query
	gen    *signal.Generator
	labels []data.Labels
	// value is series s's value at tick k.
	value func(s, k int64) T
	// appendValue writes a value into a stream message.
	appendValue func(dst []byte, v T) []byte
	frameMeta   *data.FrameMeta
}

func (l *seriesLayout[T]) appendRows(dst []wire.Row, k int64) []wire.Row {
	return append(dst, wire.Row{K: k})
}

func (l *seriesLayout[T]) fields(times []time.Time, rows []wire.Row) []*data.Field {
	fields := []*data.Field{data.NewField("time", nil, times)}
	for s := int64(1); s <= l.q.Series; s++ {
		labels := seriesLabels(l.labels, s)
		if !l.gen.HasNulls() {
			values := make([]T, len(rows))
			for j, r := range rows {
				values[j] = l.value(s, r.K)
			}
			fields = append(fields, data.NewField("value", labels, values))
			continue
		}
		// One backing array for the points, not an allocation each.
		backing := make([]T, len(rows))
		values := make([]*T, len(rows))
		for j, r := range rows {
			if !l.gen.Dropped(s, r.K) {
				backing[j] = l.value(s, r.K)
				values[j] = &backing[j]
			}
		}
		fields = append(fields, data.NewField("value", labels, values))
	}
	return fields
}

func (l *seriesLayout[T]) columns() []wire.Column {
	cols := make([]wire.Column, l.q.Series)
	for j := range cols {
		s := int64(j) + 1
		cols[j] = func(dst []byte, r wire.Row) []byte {
			if l.gen.Dropped(s, r.K) {
				return wire.AppendNull(dst)
			}
			return l.appendValue(dst, l.value(s, r.K))
		}
	}
	return cols
}

func (l *seriesLayout[T]) meta() *data.FrameMeta {
	return l.frameMeta
}
