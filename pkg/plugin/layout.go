package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// layout is how one signal kind lays out a query's frame when the plain
// numbers of framer.frame do not do: nulls (dropPercent), missing rows
// (outages), states or log lines. One kind is one file (layout_*.go) that
// registers itself in layouts; history, the stream schema and the stream
// messages all go through the same layout, so they agree.
type layout interface {
	// appendRows appends the rows of tick k, which is not in an outage.
	appendRows(dst []wire.Row, k int64) []wire.Row
	// fields returns the frame's fields for rows, whose times are times.
	fields(times []time.Time, rows []wire.Row) []*data.Field
	// columns returns the stream message's columns, field for field.
	columns() []wire.Column
	// meta returns the frame's type.
	meta() *data.FrameMeta
}

// layouts builds the layout of each kind, from the query, its generator
// and the labels of its series (nil for one series).
var layouts = map[models.SignalKind]func(q models.Query, gen *signal.Generator, labels []data.Labels) layout{}

// rowLimits bound the ticks per series of one frame, history and a
// stream's catch-up alike, for the kinds whose rows cost more than a
// number (layout_logs.go); the other kinds take pointLimit as it is.
var rowLimits = map[models.SignalKind]func(series int64) int64{}

// rowLimit is limit, the ticks per series a frame of q may hold, lowered to
// the kind's own bound.
func rowLimit(q models.Query, limit int64) int64 {
	if bound, ok := rowLimits[q.Kind]; ok {
		return min(limit, bound(q.Series))
	}
	return limit
}

// needsLayout reports whether q's frame is not plain numbers.
func needsLayout(q models.Query) bool {
	return q.Kind != models.SignalNumber || q.DropPercent != 0 || q.HasOutages()
}

// newLayout returns q's layout, or nil when framer.frame's plain numbers
// are q's frame.
func newLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	if !needsLayout(q) {
		return nil
	}
	return layouts[q.Kind](q, gen, labels)
}

// tickRows appends the rows of the ticks kStart, kStart + step, … (count
// of them) that are not in an outage.
func tickRows(dst []wire.Row, l layout, gen *signal.Generator, kStart, step, count int64) []wire.Row {
	for j := range count {
		if k := kStart + j*step; gen.HasRow(k) {
			dst = l.appendRows(dst, k)
		}
	}
	return dst
}

// layoutFrame is framer.frame for a query with a layout.
func (f *framer) layoutFrame(start, step, count int64) *data.Frame {
	f.rows = tickRows(f.rows[:0], f.layout, f.gen, start, step, count)
	f.times = f.times[:0]
	for _, r := range f.rows {
		f.times = append(f.times, time.UnixMilli(signal.TickTime(r.K, f.q.TickInterval)).UTC())
	}
	frame := data.NewFrame(frameName, f.layout.fields(f.times, f.rows)...)
	frame.Meta = f.layout.meta()
	f.nameValueFields(frame.Fields)
	return frame
}

// nameValueFields gives the value fields of the number and state kinds,
// one per series in order, their alias as display name; a logs frame has
// no value field, and a query without alias keeps the field names.
func (f *framer) nameValueFields(fields []*data.Field) {
	if f.names == nil {
		return
	}
	s := 0
	for _, field := range fields {
		if field.Name == "value" && s < len(f.names) {
			field.Config = &data.FieldConfig{DisplayNameFromDS: f.names[s]}
			s++
		}
	}
}

// wideMeta is the frame type of a kind with one field per series: a
// single series is called multi, as the plain numbers are, and several
// labelled value fields wide.
func wideMeta(labels []data.Labels) *data.FrameMeta {
	frameType := data.FrameTypeTimeSeriesMulti
	if labels != nil {
		frameType = data.FrameTypeTimeSeriesWide
	}
	return &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}}
}

// seriesLabels returns the labels of series s, nil for a single series.
func seriesLabels(labels []data.Labels, s int64) data.Labels {
	if labels == nil {
		return nil
	}
	return labels[s-1]
}

// gapsStream is the part of a stream that only a query with a layout
// needs: its columns, built once, and the rows of the message being
// written, reused.
type gapsStream struct {
	d    *Datasource
	gen  *signal.Generator
	l    layout
	cols []wire.Column
	rows []wire.Row
}

// newGapsStream returns the gapsStream of q, nil when q has no layout.
func (d *Datasource) newGapsStream(q models.Query) *gapsStream {
	if !needsLayout(q) {
		return nil // plain numbers: the stream's value function writes them, no framer needed
	}
	f := newFramer(q)
	return &gapsStream{d: d, gen: f.gen, l: f.layout, cols: append([]wire.Column{wire.TimeColumn(q.TickInterval)}, f.layout.columns()...)}
}

// appendMessage appends the message of the ticks next … last and returns
// how many points it holds; none (and nothing appended) when every tick
// is in an outage, since an outage sends no message.
func (g *gapsStream) appendMessage(dst []byte, next, last int64) ([]byte, int) {
	g.rows = tickRows(g.rows[:0], g.l, g.gen, next, 1, last-next+1)
	if len(g.rows) == 0 {
		return dst, 0
	}
	return wire.AppendTable(dst, g.rows, g.cols), len(g.rows) * (len(g.cols) - 1)
}

// sendMessage is Datasource.sendMessage for a query with a layout: it
// sends the ticks next … last (value is not used: the layout writes the
// values), and nothing when they all fall in an outage.
func (g *gapsStream) sendMessage(msg *[]byte, sender *backend.StreamSender, q models.Query, _ wire.ValueFunc, next, last int64, now time.Time) error {
	var points int
	*msg, points = g.appendMessage((*msg)[:0], next, last)
	if points == 0 {
		return nil
	}
	return sendCounted(msg, sender, "stream", points, last, q.TickInterval, now)
}
