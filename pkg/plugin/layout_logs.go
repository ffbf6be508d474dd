package plugin

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

func init() {
	layouts[models.SignalLogs] = newLogsLayout
	rowLimits[models.SignalLogs] = func(series int64) int64 { return max(1, maxLogLines/series) }
}

// maxLogLines bounds the lines of one frame, all series together: a line
// costs about a kilobyte to build and encode in history (against 8 bytes a
// number), so a query's million points would be a gigabyte, while a logs
// panel shows a few thousand lines. History of a longer range is thinned
// like numbers; a stream's catch-up after a stall keeps the latest lines.
const maxLogLines = 10_000

// logsLayout is the logs kind, in the logs data plane contract
// (meta.type log-lines): a "timestamp" time field, a string "body", a
// string "severity", a string "id" unique per line, and with several
// series a JSON "labels" field holding the line's series' labels (those of
// the other kinds' value fields). Each series
// writes one line per tick; dropPercent drops lines (a log has no null
// line), outages drop every line of their ticks.
type logsLayout struct {
	q      models.Query
	gen    *signal.Generator
	labels []json.RawMessage // labels[s-1] of series s; nil for one series
	line   []byte            // the history's line buffer
}

func newLogsLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	l := &logsLayout{q: q, gen: gen}
	if labels != nil {
		l.labels = make([]json.RawMessage, len(labels))
		for j, series := range labels {
			l.labels[j] = labelsJSON(series)
		}
	}
	return l
}

// labelsJSON is the JSON object of a series' labels, keys in order, its
// strings as the SDK writes them, so that the labels of the number kinds'
// fields are the log lines' labels.
func labelsJSON(labels data.Labels) json.RawMessage {
	keys := slices.Sorted(maps.Keys(labels))
	b := []byte{'{'}
	for i, key := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, key)
		b = append(b, ':')
		b = wire.AppendString(b, labels[key])
	}
	return append(b, '}')
}

func (l *logsLayout) appendRows(dst []wire.Row, k int64) []wire.Row {
	for s := int64(1); s <= l.q.Series; s++ {
		if !l.gen.Dropped(s, k) {
			dst = append(dst, wire.Row{K: k, S: s})
		}
	}
	return dst
}

// appendID appends the line's id: its time in Unix ms and its series.
func (l *logsLayout) appendID(dst []byte, r wire.Row) []byte {
	dst = strconv.AppendInt(dst, signal.TickTime(r.K, l.q.TickInterval), 10)
	dst = append(dst, '_')
	return strconv.AppendInt(dst, r.S, 10)
}

func (l *logsLayout) fields(times []time.Time, rows []wire.Row) []*data.Field {
	bodies := make([]string, len(rows))
	severities := make([]string, len(rows))
	ids := make([]string, len(rows))
	for j, r := range rows {
		l.line = l.gen.AppendLine(l.line[:0], r.S, r.K)
		bodies[j] = string(l.line)
		severities[j] = l.gen.Severity(r.S, r.K)
		ids[j] = string(l.appendID(l.line[:0], r))
	}
	fields := []*data.Field{
		data.NewField("timestamp", nil, times),
		data.NewField("body", nil, bodies),
		data.NewField("severity", nil, severities),
		data.NewField("id", nil, ids),
	}
	if l.labels != nil {
		labels := make([]json.RawMessage, len(rows))
		for j, r := range rows {
			labels[j] = l.labels[r.S-1]
		}
		fields = append(fields, data.NewField("labels", nil, labels))
	}
	return fields
}

func (l *logsLayout) columns() []wire.Column {
	cols := []wire.Column{
		func(dst []byte, r wire.Row) []byte { // body: ASCII without characters to escape
			dst = append(dst, '"')
			return append(l.gen.AppendLine(dst, r.S, r.K), '"')
		},
		func(dst []byte, r wire.Row) []byte {
			return wire.AppendString(dst, l.gen.Severity(r.S, r.K))
		},
		func(dst []byte, r wire.Row) []byte {
			dst = append(dst, '"')
			return append(l.appendID(dst, r), '"')
		},
	}
	if l.labels != nil {
		cols = append(cols, func(dst []byte, r wire.Row) []byte {
			return append(dst, l.labels[r.S-1]...)
		})
	}
	return cols
}

func (l *logsLayout) meta() *data.FrameMeta {
	return &data.FrameMeta{
		Type:                   data.FrameTypeLogLines,
		TypeVersion:            data.FrameTypeVersion{0, 0},
		PreferredVisualization: data.VisTypeLogs,
	}
}
